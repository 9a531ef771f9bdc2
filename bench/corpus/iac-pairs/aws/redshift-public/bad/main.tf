resource "aws_redshift_cluster" "dw" {
  cluster_identifier        = "dw"
  node_type                 = "ra3.xlplus"
  master_username           = "dw"
  manage_master_password    = true
  encrypted                 = true
  kms_key_id                = aws_kms_key.dw.arn
  publicly_accessible       = true
  cluster_subnet_group_name = aws_redshift_subnet_group.dw.name
}
