region         = "eu-west-1"
instance_type  = "t3.medium"
db_password    = "Blue460*oNj"
datadog_api_key = "86a6b6a0b8575389f1832fb3c79e7dfb"
admin_password = var.admin_password
ami            = "ami-7952080b92be4676d"
kms_key_id     = "f65c075c-bbab-4bf3-85ef-a8adf9fe9466"
