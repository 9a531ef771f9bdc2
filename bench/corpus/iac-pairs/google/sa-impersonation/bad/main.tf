resource "google_project_iam_member" "impersonate" {
  project = "northwind-prod"
  role    = "roles/iam.serviceAccountTokenCreator"
  member  = "group:developers@northwind.example"
}
