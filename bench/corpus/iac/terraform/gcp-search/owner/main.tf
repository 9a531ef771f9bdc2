resource "google_compute_firewall" "search" {
  name          = "search-https"
  network       = "default-vpc"
  direction     = "INGRESS"
  source_ranges = ["10.10.0.0/16"]
  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}

resource "google_storage_bucket" "search" {
  name                        = "acme-search"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  encryption {
    default_kms_key_name = "projects/acme/locations/eu/keyRings/main/cryptoKeys/search"
  }
}

resource "google_storage_bucket_iam_member" "search" {
  bucket = google_storage_bucket.search.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:search@acme.iam.gserviceaccount.com"
}

resource "google_project_iam_member" "search" {
  project = "acme-prod"
  role    = "roles/owner"
  member  = "serviceAccount:search@acme.iam.gserviceaccount.com"
}

resource "google_sql_database_instance" "search" {
  name             = "search"
  database_version    = "POSTGRES_16"
  region              = "europe-west1"
  encryption_key_name = "projects/acme/locations/europe-west1/keyRings/sql/cryptoKeys/search"
  settings {
    tier = "db-custom-2-7680"
    ip_configuration {
      ipv4_enabled    = false
      private_network = "projects/acme/global/networks/main"
      ssl_mode        = "ENCRYPTED_ONLY"
    }
  }
}
