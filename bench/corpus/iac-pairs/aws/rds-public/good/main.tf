resource "aws_db_instance" "orders" {
  identifier                          = "orders"
  engine                              = "postgres"
  instance_class                      = "db.t4g.medium"
  allocated_storage                   = 50
  storage_encrypted                   = true
  publicly_accessible                 = false
  deletion_protection                 = true
  iam_database_authentication_enabled = true
  backup_retention_period             = 14
  username                            = "orders"
  manage_master_user_password         = true
}
