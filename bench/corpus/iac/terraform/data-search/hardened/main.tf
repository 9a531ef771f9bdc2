resource "aws_kms_key" "search" {
  description         = "search data"
  enable_key_rotation = true
}

resource "aws_db_instance" "search" {
  identifier                  = "search"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "app"
  manage_master_user_password = true
  storage_encrypted           = true
  kms_key_id                  = aws_kms_key.search.arn
  publicly_accessible         = false
  backup_retention_period     = 14
  deletion_protection         = true
}

resource "random_password" "search_app" {
  length  = 32
  special = false
}

resource "aws_ssm_parameter" "search_app_password" {
  name   = "/search/app/password"
  type   = "SecureString"
  value  = random_password.search_app.result
  key_id = aws_kms_key.search.arn
}

resource "aws_instance" "search_worker" {
  ami                  = "ami-0c55b159cbfafe1f0"
  instance_type        = "t3.small"
  iam_instance_profile = "search-worker"
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
  root_block_device {
    encrypted = true
  }
}
