resource "google_compute_instance" "api" {
  name         = "api"
  machine_type = "e2-standard-2"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = google_compute_subnetwork.app.id
  }

  metadata = {
    serial-port-enable     = "false"
    block-project-ssh-keys = "true"
  }

  shielded_instance_config {
    enable_secure_boot = true
  }
}
