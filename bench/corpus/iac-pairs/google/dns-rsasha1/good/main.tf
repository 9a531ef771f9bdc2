resource "google_dns_managed_zone" "public" {
  name     = "northwind"
  dns_name = "northwind.example."

  dnssec_config {
    state = "on"

    default_key_specs {
      algorithm  = "rsasha256"
      key_length = 2048
      key_type   = "keySigning"
    }
  }
}
