resource "aws_db_instance" "default" {
  name                    = "db"
  engine                  = "mysql"
  engine_version          = "8.0"
  instance_class          = "db.t3.micro"
  username                = "admin"
  password                = "Aa1234321Bb"
  backup_retention_period = 0
  storage_encrypted       = false
  skip_final_snapshot     = true
  publicly_accessible     = true
  apply_immediately       = true
}

resource "aws_kms_key" "logs_key" {
  description             = "acme logs bucket key"
  deletion_window_in_days = 7
}

resource "aws_iam_user" "user" {
  name          = "acme-user"
  force_destroy = true
}

resource "aws_iam_access_key" "user" {
  user = aws_iam_user.user.name
}

resource "aws_iam_user_policy" "userpolicy" {
  name = "excess_policy"
  user = aws_iam_user.user.name

  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Action": [
        "ec2:*",
        "s3:*",
        "lambda:*",
        "cloudwatch:*"
      ],
      "Effect": "Allow",
      "Resource": "*"
    }
  ]
}
EOF
}
