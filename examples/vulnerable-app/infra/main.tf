# Acme Notes infrastructure (DELIBERATELY INSECURE, see EXPECTED.md)

variable "admin_cidr" {
  description = "Who may SSH to the notes host"
  default     = "0.0.0.0/0"
}

resource "aws_s3_bucket" "attachments" {
  bucket = "acme-notes-attachments"
}

resource "aws_s3_bucket_acl" "attachments" {
  bucket = aws_s3_bucket.attachments.id
  acl    = "public-read"
}

resource "aws_security_group" "notes" {
  name = "notes"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}

resource "aws_instance" "notes" {
  ami                    = "ami-0c55b159cbfafe1f0"
  instance_type          = "t3.small"
  vpc_security_group_ids = [aws_security_group.notes.id]
}

resource "aws_db_instance" "notes" {
  identifier          = "notes"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  username            = "notes"
  password            = "notes-db-pass-2019"
  publicly_accessible = true
}
