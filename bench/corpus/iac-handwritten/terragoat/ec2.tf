resource "aws_instance" "web_host" {
  ami           = "ami-09a7fe78668f1e2c0"
  instance_type = "t2.nano"

  vpc_security_group_ids = [
  "${aws_security_group.web-node.id}"]
  subnet_id                   = "${aws_subnet.web_subnet.id}"
  associate_public_ip_address = true
  tags = {
    Name = "web-host"
  }
}

resource "aws_ebs_volume" "web_host_storage" {
  availability_zone = "us-west-2a"
  size              = 1
  tags = {
    Name = "web-host-storage"
  }
}

resource "aws_security_group" "web-node" {
  name        = "web-node"
  description = "Web security group"
  vpc_id      = aws_vpc.web_vpc.id

  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
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

resource "aws_vpc" "web_vpc" {
  cidr_block           = "172.16.0.0/16"
  enable_dns_hostnames = true
  enable_dns_support   = true
}

resource "aws_s3_bucket" "flowbucket" {
  bucket        = "acme-flowlogs"
  force_destroy = true
}
