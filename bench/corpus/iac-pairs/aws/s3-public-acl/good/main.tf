resource "aws_s3_bucket" "site" {
  bucket = "northwind-site"
}

resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = "private"
}
