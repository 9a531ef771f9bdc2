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

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
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
