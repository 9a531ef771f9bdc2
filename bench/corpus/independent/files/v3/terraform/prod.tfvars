region         = "eu-west-1"
instance_type  = "t3.medium"
db_password    = "Kangaroo99!QTt"
datadog_api_key = "3a19a30fa798adc4ddc57da37c1b8fe0"
admin_password = var.admin_password
ami            = "ami-543aae480c0014029"
kms_key_id     = "a819c697-cb44-4cdc-8de9-e66004d20b43"
