resource "aws_s3_bucket" "billing" {
  bucket = "acme-billing"
  tags = {
    team = "platform"
  }
}

resource "aws_s3_bucket_public_access_block" "billing" {
  bucket                  = aws_s3_bucket.billing.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "billing" {
  bucket = aws_s3_bucket.billing.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_versioning" "billing" {
  bucket = aws_s3_bucket.billing.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "billing" {
  bucket        = aws_s3_bucket.billing.id
  target_bucket = var.log_bucket
  target_prefix = "s3/billing/"
}

resource "aws_s3_bucket_acl" "billing" {
  bucket = aws_s3_bucket.billing.id
  acl    = "private"
}
