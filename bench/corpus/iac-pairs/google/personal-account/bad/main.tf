resource "google_project_iam_member" "consultant" {
  project = "northwind-prod"
  role    = "roles/logging.viewer"
  member  = "user:sam.consultant@gmail.com"
}
