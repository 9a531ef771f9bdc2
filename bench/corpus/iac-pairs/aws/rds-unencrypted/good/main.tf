resource "aws_rds_cluster" "ledger" {
  cluster_identifier                  = "ledger"
  engine                              = "aurora-postgresql"
  master_username                     = "ledger"
  manage_master_user_password         = true
  storage_encrypted                   = true
  deletion_protection                 = true
  iam_database_authentication_enabled = true
  backup_retention_period             = 14
}
