resource "aws_cloudtrail" "org" {
  name                          = "org-trail"
  s3_bucket_name                = "northwind-trail"
  is_multi_region_trail         = true
  kms_key_id                    = aws_kms_key.trail.arn
  enable_log_file_validation    = true
}
