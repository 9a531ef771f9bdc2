region         = "eu-west-1"
instance_type  = "t3.medium"
db_password    = "Moonlight9177#KGe"
datadog_api_key = "ffbc91afda83003863a158abbe281b45"
admin_password = var.admin_password
ami            = "ami-c87d3b4a9bb89fab6"
kms_key_id     = "d81557b4-545b-48f4-8ce9-dc798e196efe"
