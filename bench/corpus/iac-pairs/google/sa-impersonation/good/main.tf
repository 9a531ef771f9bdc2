resource "google_service_account_iam_member" "impersonate" {
  service_account_id = google_service_account.deployer.name
  role    = "roles/iam.serviceAccountUser"
  member  = "group:developers@northwind.example"
}
