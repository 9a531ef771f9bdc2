region         = "eu-west-1"
instance_type  = "t3.medium"
db_password    = "Moonlight61#GbC"
datadog_api_key = "3773725490d61af56764515866091039"
admin_password = var.admin_password
ami            = "ami-9908f04fb99fdb125"
kms_key_id     = "3c6bb9aa-9a03-4ed0-8a27-8003585e5da8"
