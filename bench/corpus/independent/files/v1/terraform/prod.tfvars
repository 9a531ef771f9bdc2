region         = "eu-west-1"
instance_type  = "t3.medium"
db_password    = "Kangaroo71%H65"
datadog_api_key = "70100e081ba1587c8a0f74ee22c6817d"
admin_password = var.admin_password
ami            = "ami-d174374d515f190e5"
kms_key_id     = "8aba49e8-4bc0-49d3-8986-7c4a4a842c75"
