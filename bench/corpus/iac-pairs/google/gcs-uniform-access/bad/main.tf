resource "google_storage_bucket" "exports" {
  name                        = "northwind-exports"
  location                    = "EU"
  uniform_bucket_level_access = false
  public_access_prevention    = "enforced"
}
