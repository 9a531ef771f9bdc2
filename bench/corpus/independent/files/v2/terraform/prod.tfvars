region         = "eu-west-1"
instance_type  = "t3.medium"
db_password    = "Moonlight10!GJN"
datadog_api_key = "00708b0b8dd62f0a0c4fb93e0e8885e1"
admin_password = var.admin_password
ami            = "ami-38fd96f826705a59c"
kms_key_id     = "fa9831e2-1aac-475a-89c4-7598f1b686cf"
