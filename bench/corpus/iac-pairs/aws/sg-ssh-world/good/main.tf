resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion access"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["203.0.113.0/28"]
  }
}
