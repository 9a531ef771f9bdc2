resource "google_project_iam_member" "ci" {
  project = "northwind-prod"
  role    = "roles/run.developer"
  member  = "serviceAccount:ci@northwind-prod.iam.gserviceaccount.com"
}
