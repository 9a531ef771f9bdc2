region         = "eu-west-1"
instance_type  = "t3.medium"
db_password    = "Harbor407!E2T"
datadog_api_key = "c1a7000034e01167b9d1649b6150479a"
admin_password = var.admin_password
ami            = "ami-7bdb47344597edbfa"
kms_key_id     = "c1e95449-2064-40be-8d7e-4662c8460019"
