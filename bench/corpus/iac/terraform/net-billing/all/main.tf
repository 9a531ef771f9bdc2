variable "vpc_id" {
  type = string
}

variable "office_cidr" {
  type    = string
  default = "203.0.113.0/24"
}

locals {
  https = 443
}

resource "aws_security_group_rule" "billing_any" {
  type              = "ingress"
  from_port         = 0
  to_port           = 65535
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.billing.id
}

resource "aws_security_group" "billing" {
  name        = "billing"
  description = "billing service"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTPS from the office"
    from_port   = local.https
    to_port     = local.https
    protocol    = "tcp"
    cidr_blocks = [var.office_cidr]
  }

  ingress {
    description = "Public HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
