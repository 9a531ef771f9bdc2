region         = "eu-west-1"
instance_type  = "t3.medium"
db_password    = "Harbor46#AxK"
datadog_api_key = "edbc37293edbd57da8cafe1f6151b926"
admin_password = var.admin_password
ami            = "ami-7f9ed212562c49b24"
kms_key_id     = "ad7312fa-1c8b-4e78-85e5-5eb4c269b873"
