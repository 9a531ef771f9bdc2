region         = "eu-west-1"
instance_type  = "t3.medium"
db_password    = "Summer97&R0Q"
datadog_api_key = "59d8ab28b63fc5bd56f140eeab2c02e7"
admin_password = var.admin_password
ami            = "ami-569f329ae0d8c996f"
kms_key_id     = "48aa3e6a-a031-46d9-8719-ef587ca13ea6"
