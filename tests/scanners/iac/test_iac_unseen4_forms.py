"""Forms that a session-10 hold-out of checkov's check-test examples showed missed: the
DMS S3 endpoint resource, instances created from a template, Cloud Build pools and Dataflow
jobs that leave the public-IP setting out. Each rule's own examples run in test_rules.py /
test_datarules.py; these are the neighbouring forms."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family


@pytest.mark.parametrize(
    ("ssl", "reported"),
    [
        ("", True),
        ('ssl_mode = "none"', True),
        ('ssl_mode = "require"', False),
        ("ssl_mode = var.ssl", False),
    ],
)
def test_dms_s3_endpoint_tls(ssl: str, reported: bool) -> None:
    text = f"""resource "aws_dms_s3_endpoint" "lake" {{
  endpoint_id   = "lake"
  endpoint_type = "target"
  bucket_name   = "example-lake"
  {ssl}
}}
"""
    assert bool(findings(scan_family("tf", text), "tf/aws-dms-endpoint-no-tls")) is reported


@pytest.mark.parametrize(
    ("email", "reported"),
    [
        ('"123456789-compute@developer.gserviceaccount.com"', True),
        ("google_service_account.app.email", False),
    ],
)
def test_instance_from_template_default_service_account(email: str, reported: bool) -> None:
    text = f"""resource "google_compute_instance_from_template" "app" {{
  name                     = "app"
  source_instance_template = google_compute_instance_template.app.id
  service_account {{
    email  = {email}
    scopes = ["cloud-platform"]
  }}
}}
"""
    got = findings(scan_family("tf", text), "tf/gcp-compute-default-service-account")
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("worker", "reported"),
    [("", True), ("no_external_ip = false", True), ("no_external_ip = true", False)],
)
def test_cloudbuild_pool_public_ip(worker: str, reported: bool) -> None:
    text = f"""resource "google_cloudbuild_worker_pool" "builds" {{
  name     = "builds"
  location = "europe-west1"
  worker_config {{
    machine_type = "e2-standard-4"
    {worker}
  }}
}}
"""
    got = findings(scan_family("tf", text), "tf/gcp-cloudbuild-worker-pool-public-ip")
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("ip", "reported"),
    [
        ("", True),
        ('ip_configuration = "WORKER_IP_PUBLIC"', True),
        ('ip_configuration = "WORKER_IP_PRIVATE"', False),
    ],
)
def test_dataflow_job_public_ip(ip: str, reported: bool) -> None:
    text = f"""resource "google_dataflow_job" "ingest" {{
  name              = "ingest"
  template_gcs_path = "gs://example-templates/ingest"
  temp_gcs_location = "gs://example-temp/ingest"
  {ip}
}}
"""
    assert bool(findings(scan_family("tf", text), "tf/gcp-dataflow-job-public-ip")) is reported
