variable "vpc_id" {
  type = string
}

variable "office_cidr" {
  type    = string
  default = "0.0.0.0/0"
}

locals {
  https = 443
}

resource "aws_security_group" "billing" {
  name        = "billing"
  description = "billing service"
  vpc_id      = var.vpc_id

  ingress {
    description = "RDP for the support team"
    from_port   = 3389
    to_port     = 3389
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
