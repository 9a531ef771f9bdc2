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


@pytest.mark.parametrize(("value", "reported"), [("False", True), ("True", False)])
def test_capitalised_booleans_read_as_booleans(value: str, reported: bool) -> None:
    # not HCL, but written in the wild (and accepted by other scanners)
    text = f"""resource "google_storage_bucket" "data" {{
  name                        = "example-data"
  location                    = "EU"
  uniform_bucket_level_access = {value}
}}
"""
    got = findings(scan_family("tf", text), "tf/gcp-gcs-uniform-access-disabled")
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("device", "reported"),
    [
        ('snapshot_id = "snap-0123456789abcdef0"', False),  # the snapshot's encryption
        ('snapshot_id = "snap-0123456789abcdef0"\n    encrypted = false', True),
        ("volume_size = 8", True),  # a blank volume, left unencrypted
        ("encrypted = true", False),
    ],
)
def test_ami_volume_from_snapshot(device: str, reported: bool) -> None:
    text = f"""resource "aws_ami" "base" {{
  name                = "base"
  virtualization_type = "hvm"
  root_device_name    = "/dev/xvda"
  ebs_block_device {{
    device_name = "/dev/xvda"
    {device}
  }}
}}
"""
    assert bool(findings(scan_family("tf", text), "tf/aws-ami-unencrypted")) is reported


@pytest.mark.parametrize(
    ("kind", "reported"), [('"NO_ARTIFACTS"', False), ('"S3"', True), ("var.artifact_type", True)]
)
def test_codebuild_no_artifacts_has_nothing_to_encrypt(kind: str, reported: bool) -> None:
    text = f"""resource "aws_codebuild_project" "build" {{
  name         = "build"
  service_role = aws_iam_role.build.arn
  artifacts {{
    type                = {kind}
    encryption_disabled = true
  }}
}}
"""
    got = findings(scan_family("tf", text), "tf/aws-codebuild-artifacts-unencrypted")
    assert bool(got) is reported


def test_rds_cluster_instance_minor_upgrades() -> None:
    text = """resource "aws_rds_cluster_instance" "db" {
  identifier                 = "db-1"
  cluster_identifier         = aws_rds_cluster.db.id
  instance_class             = "db.r6g.large"
  auto_minor_version_upgrade = false
}
"""
    assert findings(scan_family("tf", text), "tf/aws-rds-auto-minor-upgrade-disabled")


@pytest.mark.parametrize(
    ("suites", "reported"),
    [
        ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", False),
        ("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", False),
        ("TLS_ECDHE_ECDSA_WITH_AES_64_GCM_SHA256", True),  # no such suite
        ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", True),
        ("TLS_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_RC4_128_SHA", True),
    ],
)
def test_apiserver_cipher_suites_outside_the_strong_list(suites: str, reported: bool) -> None:
    text = f"""apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.30.2
      command:
        - kube-apiserver
        - --tls-cipher-suites={suites}
"""
    got = findings(scan_family("k8s", text), "k8s/apiserver-weak-tls-ciphers")
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("settings", "reported"),
    [
        ('ssl_security_protocol = "plaintext"', True),
        ('ssl_security_protocol = "ssl-encryption"', False),
        ("", False),
    ],
)
def test_dms_redis_endpoint_tls_is_in_its_settings(settings: str, reported: bool) -> None:
    text = f"""resource "aws_dms_endpoint" "cache" {{
  endpoint_id   = "cache"
  endpoint_type = "target"
  engine_name   = "redis"
  redis_settings {{
    auth_type   = "none"
    server_name = "cache.internal.example.com"
    port        = 6379
    {settings}
  }}
}}
"""
    assert bool(findings(scan_family("tf", text), "tf/aws-dms-endpoint-no-tls")) is reported


@pytest.mark.parametrize(("enabled", "reported"), [("true", False), ("false", True)])
def test_athena_managed_query_results_are_encrypted(enabled: str, reported: bool) -> None:
    text = f"""resource "aws_athena_workgroup" "analytics" {{
  name = "analytics"
  configuration {{
    enforce_workgroup_configuration = true
    managed_query_results_configuration {{
      enabled = {enabled}
    }}
  }}
}}
"""
    got = findings(scan_family("tf", text), "tf/aws-athena-workgroup-unencrypted")
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("kind", "rule"),
    [
        ("aws_docdb_global_cluster", "tf/aws-docdb-unencrypted"),
        ("aws_rds_global_cluster", "tf/aws-rds-unencrypted"),
    ],
)
@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("", True),
        ("storage_encrypted = false", True),
        ("storage_encrypted = true", False),
        (
            "source_db_cluster_identifier = aws_rds_cluster.primary.arn",
            False,
        ),  # the source's encryption
    ],
)
def test_global_cluster_encryption(kind: str, rule: str, body: str, reported: bool) -> None:
    text = f"""resource "{kind}" "global" {{
  global_cluster_identifier = "global"
  {body}
}}
"""
    assert bool(findings(scan_family("tf", text), rule)) is reported


@pytest.mark.parametrize(
    ("kind", "rule"),
    [
        ("google_dataproc_cluster_iam_member", "tf/gcp-resource-public-iam"),
        ("google_service_account_iam_member", "tf/gcp-resource-public-iam"),
        ("google_cloud_run_v2_service_iam_member", "tf/gcp-serverless-public-invoker"),
        ("google_cloudfunctions2_function_iam_member", "tf/gcp-serverless-public-invoker"),
    ],
)
@pytest.mark.parametrize(
    ("member", "reported"), [("allUsers", True), ("group:ops@example.com", False)]
)
def test_public_members_of_more_resources(
    kind: str, rule: str, member: str, reported: bool
) -> None:
    text = f"""resource "{kind}" "access" {{
  name   = "x"
  role   = "roles/viewer"
  member = "{member}"
}}
"""
    assert bool(findings(scan_family("tf", text), rule)) is reported


@pytest.mark.parametrize(("value", "reported"), [("true", True), ("false", False)])
def test_batch_job_privileged_in_a_heredoc(value: str, reported: bool) -> None:
    text = f"""resource "aws_batch_job_definition" "etl" {{
  name = "etl"
  type = "container"
  container_properties = <<CONTAINER
{{
  "image": "registry.example.com/etl:2.1.0",
  "privileged": {value},
  "vcpus": 1,
  "memory": 2048
}}
CONTAINER
}}
"""
    assert bool(findings(scan_family("tf", text), "tf/aws-batch-job-privileged")) is reported


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("", True),  # DNSSEC is off unless turned on
        ('visibility = "private"', False),
        ('dnssec_config {\n    state = "on"\n  }', False),
        ('dnssec_config {\n    state = "off"\n  }', True),
    ],
)
def test_public_zone_without_dnssec(body: str, reported: bool) -> None:
    text = f"""resource "google_dns_managed_zone" "zone" {{
  name     = "zone"
  dns_name = "example.com."
  {body}
}}
"""
    assert bool(findings(scan_family("tf", text), "tf/gcp-dns-dnssec-disabled")) is reported


@pytest.mark.parametrize(
    ("logs", "reported"),
    [
        (
            's3_logs {\n      status = "DISABLED"\n    }',
            False,
        ),  # CloudWatch logs stay on by default
        ('cloudwatch_logs {\n      status = "DISABLED"\n    }', True),
    ],
)
def test_codebuild_cloudwatch_logs_default_on(logs: str, reported: bool) -> None:
    text = f"""resource "aws_codebuild_project" "app" {{
  name         = "app"
  service_role = aws_iam_role.codebuild.arn
  logs_config {{
    {logs}
  }}
}}
"""
    got = findings(scan_family("tf", text), "tf/aws-codebuild-logs-disabled")
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("encryption", "reported"),
    [
        ("encryption_configuration {}", True),
        ("encryption_configuration {\n          encryption = false\n        }", True),
        (
            "encryption_configuration {\n          encryption = true\n"
            "          cmk_arn    = aws_kms_key.dr.arn\n        }",
            False,
        ),
    ],
)
def test_dlm_event_policy_cross_region_copy(encryption: str, reported: bool) -> None:
    text = f"""resource "aws_dlm_lifecycle_policy" "share" {{
  description        = "copy shared snapshots"
  execution_role_arn = aws_iam_role.dlm.arn
  policy_details {{
    policy_type = "EVENT_BASED_POLICY"
    action {{
      name = "copy"
      cross_region_copy {{
        target = "eu-west-2"
        {encryption}
      }}
    }}
  }}
}}
"""
    got = findings(scan_family("tf", text), "tf/aws-dlm-cross-region-copy-unencrypted")
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("member", "reported"), [("allAuthenticatedUsers", True), ("group:ops@example.com", False)]
)
def test_iam_policy_resource_with_public_member(member: str, reported: bool) -> None:
    text = f"""resource "google_kms_crypto_key_iam_policy" "key" {{
  crypto_key_id = google_kms_crypto_key.app.id
  policy_data = jsonencode({{
    bindings = [{{
      role    = "roles/cloudkms.cryptoKeyDecrypter"
      members = ["{member}"]
    }}]
  }})
}}
"""
    assert bool(findings(scan_family("tf", text), "tf/gcp-resource-public-iam")) is reported


def test_public_members_reported_at_their_line() -> None:
    text = """resource "google_pubsub_topic_iam_binding" "readers" {
  topic = google_pubsub_topic.events.name
  role  = "roles/pubsub.subscriber"
  members = [
    "allUsers",
  ]
}
"""
    got = findings(scan_family("tf", text), "tf/gcp-resource-public-iam")
    assert [f.location.start_line for f in got] == [4]
