"""Google Cloud rules that need more than one attribute or resource."""

from __future__ import annotations

from collections.abc import Iterator

from pipesec.core.model import Confidence, Severity
from pipesec.scanners.iac.common import (
    Hit,
    make_rule,
)
from pipesec.scanners.iac.hcl import Attr, Block, Expr, as_bool
from pipesec.scanners.iac.tfbase import (
    ModuleView,
    R,
    TfHit,
    _as_list,
    _world,
    at_attr,
    at_block,
)

# -- Google Cloud --------------------------------------------------------------------------


@R(
    make_rule(
        "tf/gcp-gcs-public",
        "Cloud Storage bucket readable by allUsers",
        Severity.HIGH,
        "Granting a role to allUsers or allAuthenticatedUsers makes the bucket public to the "
        "internet (any Google account is anyone).",
        "Grant roles to specific members; enforce public access prevention.",
        'resource "google_storage_bucket_iam_member" "public" {\n'
        "  bucket = google_storage_bucket.site.name\n"
        '  role   = "roles/storage.objectViewer"\n  member = "allUsers"\n}\n',
        'resource "google_storage_bucket_iam_member" "cdn" {\n'
        "  bucket = google_storage_bucket.site.name\n"
        '  role   = "roles/storage.objectViewer"\n'
        '  member = "serviceAccount:cdn@acme.iam.gserviceaccount.com"\n}\n',
        cwe=("CWE-284",),
    )
)
def gcs_public(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources(
        "google_storage_bucket_iam_member",
        "google_storage_bucket_iam_binding",
        "google_storage_bucket_access_control",
        "google_storage_default_object_access_control",
    ):
        for name in ("member", "members", "entity"):
            a = b.attr(name)
            if a is not None and any(
                isinstance(v, str) and v in ("allUsers", "allAuthenticatedUsers")
                for v in _as_list(a.value)
            ):
                yield at_attr(b, a, f"{b.address} makes the bucket public")


GCS = """
resource "google_storage_bucket" "data" {
  name                        = "acme-data"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  encryption {
    default_kms_key_name = google_kms_crypto_key.data.id
  }
}
"""


SQL = """
resource "google_sql_database_instance" "main" {
  name             = "orders"
  database_version = "POSTGRES_16"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      ipv4_enabled = false
      ssl_mode     = "ENCRYPTED_ONLY"
      private_network = google_compute_network.main.id
    }
  }
}
"""


@R(
    make_rule(
        "tf/gcp-sql-public",
        "Cloud SQL instance open to the internet",
        Severity.HIGH,
        "An authorized network of 0.0.0.0/0 lets anyone on the internet reach the database "
        "port; only its password protects it.",
        "Use private IP, or authorize only known address ranges (or the Cloud SQL Auth Proxy).",
        SQL.replace(
            "      ipv4_enabled = false",
            '      ipv4_enabled = true\n      authorized_networks {\n        name  = "all"\n'
            '        value = "0.0.0.0/0"\n      }',
        ),
        SQL,
        cwe=("CWE-284",),
    )
)
def gcp_sql_public(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("google_sql_database_instance"):
        for s in b.children("settings"):
            for ip in s.children("ip_configuration"):
                for net in ip.children("authorized_networks"):
                    a = net.attrs.get("value")
                    if a is not None and _world(a.value):
                        yield at_attr(b, a, f"{b.address} is open to the internet")


@R(
    make_rule(
        "tf/gcp-sql-no-ssl",
        "Cloud SQL accepts unencrypted connections",
        Severity.MEDIUM,
        "Without ssl_mode ENCRYPTED_ONLY (or require_ssl) clients may connect in plain text.",
        'Set ip_configuration { ssl_mode = "ENCRYPTED_ONLY" }.',
        SQL.replace('      ssl_mode     = "ENCRYPTED_ONLY"\n', ""),
        SQL,
        cwe=("CWE-319",),
        confidence=Confidence.MEDIUM,
    )
)
def gcp_sql_ssl(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("google_sql_database_instance"):
        for s in b.children("settings"):
            ips = s.children("ip_configuration")
            if not ips:
                yield b.path, Hit(s.line, s.column, f"{b.address}: SSL not required", key=b.address)
                continue
            ip = ips[0]
            mode = ip.attrs.get("ssl_mode")
            req = ip.attrs.get("require_ssl")
            if mode is not None and mode.value in (
                "ENCRYPTED_ONLY",
                "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
            ):
                continue
            if req is not None and as_bool(req.value) is True:
                continue
            bad = mode if mode is not None and not isinstance(mode.value, Expr) else req
            if bad is not None and isinstance(bad.value, Expr):
                continue
            if bad is not None:
                yield at_attr(b, bad, f"{b.address}: SSL not required")
            else:
                yield (
                    b.path,
                    Hit(ip.line, ip.column, f"{b.address}: SSL not required", key=b.address),
                )


GCE = """
resource "google_compute_instance" "web" {
  name         = "web"
  machine_type = "e2-small"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    subnetwork = google_compute_subnetwork.app.id
  }
}
"""


@R(
    make_rule(
        "tf/gcp-instance-public-ip",
        "Compute instance with a public IP address",
        Severity.MEDIUM,
        "An access_config block gives the VM an external address on the internet.",
        "Remove access_config; reach VMs through IAP or a load balancer.",
        GCE.replace(
            "    subnetwork = google_compute_subnetwork.app.id\n",
            "    subnetwork = google_compute_subnetwork.app.id\n    access_config {}\n",
        ),
        GCE,
        cwe=("CWE-284",),
        confidence=Confidence.MEDIUM,
    )
)
def gcp_public_ip(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("google_compute_instance", "google_compute_instance_template"):
        for ni in b.children("network_interface"):
            for ac in ni.children("access_config"):
                yield b.path, Hit(ac.line, ac.column, f"{b.address} has a public IP")


@R(
    make_rule(
        "tf/gcp-kms-rotation",
        "Cloud KMS key without rotation (or rotation over 90 days)",
        Severity.MEDIUM,
        "Keys that are not rotated keep protecting new data with old, possibly exposed material.",
        'Set rotation_period = "7776000s" (90 days) or shorter.',
        'resource "google_kms_crypto_key" "data" {\n  name     = "data"\n'
        "  key_ring = google_kms_key_ring.main.id\n}\n",
        'resource "google_kms_crypto_key" "data" {\n  name            = "data"\n'
        "  key_ring        = google_kms_key_ring.main.id\n"
        '  rotation_period = "7776000s"\n}\n',
        cwe=("CWE-320",),
    )
)
def gcp_kms(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("google_kms_crypto_key"):
        purpose = b.value("purpose", "ENCRYPT_DECRYPT")
        if purpose != "ENCRYPT_DECRYPT":
            continue
        a = b.attr("rotation_period")
        if a is None:
            yield at_block(b, f"{b.address} never rotates")
        elif (
            isinstance(a.value, str)
            and a.value.endswith("s")
            and a.value[:-1].isdigit()
            and int(a.value[:-1]) > 7776000
        ):
            yield at_attr(b, a, f"{b.address} rotates less often than every 90 days")


@R(
    make_rule(
        "tf/gcp-iam-primitive-role",
        "Primitive role (owner/editor) granted in a project",
        Severity.MEDIUM,
        "roles/owner and roles/editor grant thousands of permissions across every service of "
        "the project.",
        "Grant predefined or custom roles with only the permissions needed.",
        'resource "google_project_iam_member" "ci" {\n  project = "acme-prod"\n'
        '  role    = "roles/editor"\n'
        '  member  = "serviceAccount:ci@acme-prod.iam.gserviceaccount.com"\n}\n',
        'resource "google_project_iam_member" "ci" {\n  project = "acme-prod"\n'
        '  role    = "roles/run.developer"\n'
        '  member  = "serviceAccount:ci@acme-prod.iam.gserviceaccount.com"\n}\n',
        cwe=("CWE-269",),
    )
)
def gcp_primitive(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    """Member and binding resources of projects, folders and organisations, and the
    bindings of a ``data.google_iam_policy`` (applied whole by a ``*_iam_policy``)."""
    for b in m.resources(
        "google_project_iam_member",
        "google_project_iam_binding",
        "google_folder_iam_member",
        "google_folder_iam_binding",
        "google_organization_iam_member",
        "google_organization_iam_binding",
    ):
        a = b.attr("role")
        if a is not None and a.value in _PRIMITIVE:
            yield at_attr(b, a, f"{b.address} grants {a.value}")
    for d in m.data("google_iam_policy"):
        for binding in d.children("binding"):
            a = binding.attr("role")
            if a is not None and a.value in _PRIMITIVE:
                yield at_attr(d, a, f"{d.address}: a binding grants {a.value}", key=f"{a.line}")


_PRIMITIVE = ("roles/owner", "roles/editor")


@R(
    make_rule(
        "tf/gcp-service-account-key",
        "Long-lived service account key",
        Severity.MEDIUM,
        "A service account key is a password that never expires; keys leak from CI systems and "
        "laptops. Workload identity federation gives short-lived tokens instead.",
        "Use workload identity federation (CI) or attached service accounts instead of keys.",
        'resource "google_service_account_key" "ci" {\n'
        "  service_account_id = google_service_account.ci.name\n}\n",
        'resource "google_iam_workload_identity_pool" "ci" {\n'
        '  workload_identity_pool_id = "ci"\n}\n',
        cwe=("CWE-798",),
        confidence=Confidence.MEDIUM,
    )
)
def gcp_sa_key(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("google_service_account_key"):
        yield at_block(b, f"{b.address} creates a long-lived key")


@R(
    make_rule(
        "tf/gcp-iam-default-service-account-ref",
        "Role granted to a default service account through its data source",
        Severity.MEDIUM,
        "data.google_compute_default_service_account (and the App Engine one) is the account "
        "attached to every VM or app by default: a role granted to it goes to every workload "
        "in the project.",
        "Grant roles to dedicated, per-workload service accounts.",
        'data "google_compute_default_service_account" "default" {}\n\n'
        'resource "google_project_iam_member" "vm" {\n  project = "acme-prod"\n'
        '  role    = "roles/storage.objectViewer"\n'
        '  member  = "serviceAccount:${data.google_compute_default_service_account.default'
        '.email}"\n'
        "}\n",
        'resource "google_service_account" "app" {\n  account_id = "app"\n}\n\n'
        'resource "google_project_iam_member" "vm" {\n  project = "acme-prod"\n'
        '  role    = "roles/storage.objectViewer"\n'
        '  member  = "serviceAccount:${google_service_account.app.email}"\n}\n',
        cwe=("CWE-269",),
    )
)
def gcp_default_sa_ref(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    sources = (
        "google_compute_default_service_account",
        "google_app_engine_default_service_account",
    )
    for b in m.resources(
        *(
            f"google_{level}_iam_{kind}"
            for level in ("project", "folder", "organization")
            for kind in ("member", "binding")
        )
    ):
        for name in ("member", "members"):
            a = b.attr(name)
            if a is not None and any(
                isinstance(v, Expr) and any(f"data.{s}." in v.text for s in sources)
                for v in _as_list(a.value)
            ):
                yield at_attr(b, a, f"{b.address}: role granted to the default service account")
                break


_KMS_ADMIN = "roles/cloudkms.admin"
_KMS_CRYPTO = frozenset(
    {
        "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "roles/cloudkms.cryptoKeyEncrypter",
        "roles/cloudkms.cryptoKeyDecrypter",
    }
)
_KMS_SOD_VULN = """\
resource "google_project_iam_member" "kms_admin" {
  project = "acme-prod"
  role    = "roles/cloudkms.admin"
  member  = "user:jane@example.com"
}

resource "google_project_iam_member" "kms_use" {
  project = "acme-prod"
  role    = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member  = "user:jane@example.com"
}
"""


@R(
    make_rule(
        "tf/gcp-kms-separation-of-duties",
        "Same member administers and uses Cloud KMS keys",
        Severity.MEDIUM,
        "A member that holds roles/cloudkms.admin and a CryptoKey encrypt/decrypt role in the "
        "same project can both change who may use the keys and decrypt the data they protect: "
        "one stolen credential (or one person) controls key and data (CIS Google Cloud 1.11).",
        "Grant key administration and key use to different members.",
        _KMS_SOD_VULN,
        _KMS_SOD_VULN.replace(
            '"user:jane@example.com"\n}\n\nresource',
            '"group:kms-admins@example.com"\n}\n\nresource',
            1,
        ),
        cwe=("CWE-269",),
        confidence=Confidence.MEDIUM,
    )
)
def gcp_kms_separation_of_duties(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    """Project-level grants (``google_project_iam_member`` / ``_binding`` and the bindings of
    a ``data.google_iam_policy``): a member given the KMS admin role and a CryptoKey role."""
    grants: list[tuple[Block, Attr, str, str]] = []  # (block, role attr, role, member)
    for b in m.resources("google_project_iam_member", "google_project_iam_binding"):
        role = b.attr("role")
        if role is None or not isinstance(role.value, str):
            continue
        members = b.value("members") if b.kind.endswith("_binding") else [b.value("member")]
        for who in members if isinstance(members, list) else []:
            if isinstance(who, str):
                grants.append((b, role, role.value, who))
    for d in m.data("google_iam_policy"):
        for binding in d.children("binding"):
            role = binding.attr("role")
            members = binding.value("members")
            if role is None or not isinstance(role.value, str) or not isinstance(members, list):
                continue
            for who in members:
                if isinstance(who, str):
                    grants.append((d, role, role.value, who))
    admins = {who for _, _, r, who in grants if r == _KMS_ADMIN}
    for b, role, r, who in grants:
        if r in _KMS_CRYPTO and who in admins:
            yield at_attr(
                b, role, f"{b.address}: {who} also holds {_KMS_ADMIN}", key=f"{role.line}:{who}"
            )
