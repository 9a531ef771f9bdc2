resource "aws_s3_bucket" "search" {
  bucket = "acme-search"
  tags = {
    team = "platform"
  }
}

resource "aws_s3_bucket_public_access_block" "search" {
  bucket                  = aws_s3_bucket.search.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "search" {
  bucket = aws_s3_bucket.search.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_versioning" "search" {
  bucket = aws_s3_bucket.search.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "search" {
  bucket        = aws_s3_bucket.search.id
  target_bucket = var.log_bucket
  target_prefix = "s3/search/"
}

resource "aws_s3_bucket_acl" "search" {
  bucket = aws_s3_bucket.search.id
  acl    = "private"
}
