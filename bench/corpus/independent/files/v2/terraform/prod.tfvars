region         = "eu-west-1"
instance_type  = "t3.medium"
db_password    = "Summer9508#bkT"
datadog_api_key = "e72a988bded00977f42310bea0b7ea15"
admin_password = var.admin_password
ami            = "ami-ebfb4bbefb10d4ee9"
kms_key_id     = "e2932a2c-0809-43cd-88da-fed5b50b2038"
