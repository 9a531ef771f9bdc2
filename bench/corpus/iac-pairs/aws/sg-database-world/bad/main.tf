resource "aws_security_group_rule" "postgres" {
  type              = "ingress"
  description       = "PostgreSQL"
  security_group_id = aws_security_group.db.id
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
