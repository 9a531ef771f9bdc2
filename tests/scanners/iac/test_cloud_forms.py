"""Azure and Google Cloud forms of a flaw that the rules' own examples do not show: provider
defaults, booleans written as strings, legacy attributes, settings in a second resource,
the ports the internet rules leave to the port rules, policy documents written as data
sources, database firewall ranges, diagnostic settings that name another resource, Cloud
SQL flags of another engine; Azure forms across azurerm versions (end-of-life runtimes
written as .NET, Java or Node versions or as a linux_fx_version string, TLS versions
written as numbers, azurerm 4.x's separate queue-properties resource, the legacy scale
set's password login, azurerm 2.x's inline SQL threat-detection block and Entra
administrator resource, deployment slots, activity log alert criteria). Each rule's own
examples run in test_rules.py; these are the neighbouring forms."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family


def _hits(text: str, rule: str) -> list[int]:
    items = scan_family("tf", text)
    assert not errors(items)
    return [f.location.start_line for f in findings(items, rule)]


SUBNET = 'resource "google_compute_subnetwork" "s" {{\n  name = "s"\n  {attr}\n}}\n'
GKE = 'resource "google_container_cluster" "c" {{\n  name = "c"\n  {attr}\n}}\n'
FIREWALL = (
    'resource "google_compute_firewall" "f" {{\n  name          = "f"\n'
    '  network       = "main"\n  source_ranges = ["{src}"]\n'
    '  allow {{\n    protocol = "{proto}"\n{ports}  }}\n}}\n'
)
NSG_RULE = (
    'resource "azurerm_network_security_rule" "r" {{\n  name                  = "r"\n'
    '  direction             = "{direction}"\n  access                = "Allow"\n'
    '  protocol              = "Tcp"\n{ports}  source_address_prefix = "{src}"\n}}\n'
)


def _fw(src: str, proto: str, ports: str | None) -> str:
    line = f"    ports    = [{ports}]\n" if ports is not None else ""
    return FIREWALL.format(src=src, proto=proto, ports=line)


def _nsg(src: str, ports: str | None, direction: str = "Inbound") -> str:
    line = f'  destination_port_range = "{ports}"\n' if ports is not None else ""
    return NSG_RULE.format(src=src, ports=line, direction=direction)


@pytest.mark.parametrize(
    ("text", "rule", "lines"),
    [
        # booleans written as strings (the provider accepts both)
        (
            GKE.format(attr='enable_shielded_nodes = "false"'),
            "gcp-gke-shielded-nodes-disabled",
            [3],
        ),
        (GKE.format(attr="enable_shielded_nodes = true"), "gcp-gke-shielded-nodes-disabled", []),
        (GKE.format(attr='enable_legacy_abac = "true"'), "gcp-gke-legacy-abac", [3]),
        # the decommissioned Stackdriver Legacy services collect nothing
        (
            GKE.format(attr='logging_service = "logging.googleapis.com"'),
            "gcp-gke-logging-disabled",
            [3],
        ),
        (
            GKE.format(attr='logging_service = "logging.googleapis.com/kubernetes"'),
            "gcp-gke-logging-disabled",
            [],
        ),
        # a Data Factory is public unless it says otherwise
        (
            'resource "azurerm_data_factory" "d" {\n  name = "d"\n}\n',
            "azure-datafactory-public-network",
            [1],
        ),
        # flow logs: the pre-4.0 attribute counts, an explicit false does not
        (
            SUBNET.format(attr="enable_flow_logs = true"),
            "gcp-subnet-flow-logs-disabled",
            [],
        ),
        (
            SUBNET.format(attr="enable_flow_logs = false"),
            "gcp-subnet-flow-logs-disabled",
            [3],
        ),
        # the internet rule: web ports and the port rules' ports are left alone
        (_fw("0.0.0.0/0", "icmp", None), "gcp-firewall-ingress-from-internet", [4]),
        (_fw("0.0.0.0/0", "tcp", '"80", "443"'), "gcp-firewall-ingress-from-internet", []),
        (_fw("0.0.0.0/0", "tcp", '"22"'), "gcp-firewall-ingress-from-internet", []),
        (_fw("0.0.0.0/0", "tcp", '"8000-8050"'), "gcp-firewall-ingress-from-internet", [4]),
        (_fw("10.0.0.0/8", "tcp", '"9100"'), "gcp-firewall-ingress-from-internet", []),
        # every port from inside the network; from the internet it is the all-ports rule's
        (_fw("192.168.1.0/24", "tcp", None), "gcp-firewall-all-ports-allowed", [5]),
        (_fw("0.0.0.0/0", "tcp", None), "gcp-firewall-all-ports-allowed", []),
        (_fw("192.168.1.0/24", "tcp", None), "gcp-firewall-wide-port-range", []),
        (_nsg("0.0.0.0/0", None), "azure-nsg-ingress-from-internet", [6]),
        (_nsg("*", "443"), "azure-nsg-ingress-from-internet", []),
        (_nsg("Internet", "3389"), "azure-nsg-ingress-from-internet", []),
        (_nsg("168.63.129.16", "9100"), "azure-nsg-ingress-from-internet", []),
        (_nsg("*", "443", "Outbound"), "azure-nsg-ingress-from-internet", []),
    ],
)
def test_cloud_forms(text: str, rule: str, lines: list[int]) -> None:
    assert _hits(text, f"tf/{rule}") == lines


SQL_2X = """\
resource "azurerm_sql_server" "old" {
  name    = "old"
  version = "12.0"
}

resource "azurerm_mssql_server" "new" {
  name    = "new"
  version = "12.0"
}

resource "azurerm_mssql_server_extended_auditing_policy" "new" {
  server_id = azurerm_mssql_server.new.id
}
"""


def test_sql_auditing_is_found_in_its_own_resource_and_provider_2x_servers() -> None:
    assert _hits(SQL_2X, "tf/azure-sql-no-auditing") == [1]
    # a policy for a server of another module (a variable) may be this server's
    other = SQL_2X.replace("azurerm_mssql_server.new.id", "var.server_id")
    assert _hits(other, "tf/azure-sql-no-auditing") == []


def test_storage_key_in_a_separate_resource() -> None:
    text = (
        'resource "azurerm_storage_account" "a" {\n  name = "a"\n}\n\n'
        'resource "azurerm_storage_account" "b" {\n  name = "b"\n}\n\n'
        'resource "azurerm_storage_account_customer_managed_key" "a" {\n'
        "  storage_account_id = azurerm_storage_account.a.id\n"
        "  key_vault_key_id   = azurerm_key_vault_key.k.id\n}\n"
    )
    assert _hits(text, "tf/azure-storage-no-cmk") == [5]


def test_default_service_account_through_its_data_source() -> None:
    text = (
        'data "google_compute_default_service_account" "d" {}\n\n'
        'resource "google_project_iam_binding" "b" {\n  project = "p"\n  role = "roles/viewer"\n'
        "  members = [data.google_compute_default_service_account.d.member]\n}\n"
    )
    assert _hits(text, "tf/gcp-iam-default-service-account-ref") == [6]


def test_azure_and_google_boot_scripts_go_through_the_secrets_rules() -> None:
    password = "Vq7" + "xLp2" + "Rm9sTw4"
    azure = (
        'resource "azurerm_virtual_machine" "vm" {\n  name = "vm"\n  os_profile {\n'
        "    custom_data = <<EOF\n"
        f'export DATABASE_PASSWORD=\\"{password}\\"\nEOF\n  }}\n}}\n'
    )
    google = (
        'resource "google_compute_instance" "vm" {\n  name = "vm"\n  metadata = {\n'
        f'    startup-script = "export API_TOKEN={password}"\n  }}\n}}\n'
    )
    quiet = azure.replace("DATABASE_PASSWORD", "GREETING")
    # reported under the secrets scanner's rule that recognises the value (tf_secrets.py)
    assert _secret_lines(azure) == [5]
    assert _secret_lines(google) == [4]
    assert _secret_lines(quiet) == []


def _secret_lines(text: str) -> list[int]:
    items = scan_family("tf", text)
    assert not errors(items)
    return [f.location.start_line for f in findings(items) if f.rule_id.startswith("secrets/")]


def test_storage_request_logs_from_a_diagnostic_setting_or_queue_logging() -> None:
    text = (
        'resource "azurerm_storage_account" "a" {\n  name = "a"\n}\n\n'
        'resource "azurerm_storage_account" "b" {\n  name = "b"\n'
        "  queue_properties {\n    logging {\n      read = true\n      write = true\n"
        '      delete = true\n      version = "1.0"\n    }\n  }\n}\n\n'
        'resource "azurerm_storage_account" "c" {\n  name = "c"\n}\n\n'
        'resource "azurerm_monitor_diagnostic_setting" "c" {\n  name = "c"\n'
        '  target_resource_id = "${azurerm_storage_account.c.id}/blobServices/default"\n'
        '  enabled_log {\n    category = "StorageRead"\n  }\n}\n'
    )
    assert _hits(text, "tf/azure-storage-no-diagnostic-logs") == [1]


def test_public_member_in_a_google_iam_policy_data_source() -> None:
    text = """
data "google_iam_policy" "public" {
  binding {
    role    = "roles/storage.objectViewer"
    members = ["user:ops@example.com"]
  }
  binding {
    role   = "roles/cloudkms.cryptoKeyDecrypter"
    member = "allAuthenticatedUsers"
  }
}
"""
    hits = findings(scan_family("tf", text), "tf/gcp-resource-public-iam")
    assert [f.location.start_line for f in hits] == [5]


def test_gke_network_policy_addon_disabled() -> None:
    text = """
resource "google_container_cluster" "main" {
  name               = "main"
  location           = "europe-west1"
  initial_node_count = 1
  addons_config {
    network_policy_config {
      disabled = true
    }
  }
}
"""
    hits = findings(scan_family("tf", text), "tf/gcp-gke-network-policy-disabled")
    assert [f.location.start_line for f in hits] == [8]


def test_storage_firewall_open_to_the_internet_in_a_separate_rules_resource() -> None:
    text = """
resource "azurerm_storage_account_network_rules" "data" {
  storage_account_id = azurerm_storage_account.data.id
  default_action     = "Deny"
  ip_rules           = ["203.0.113.7", "0.0.0.0/0"]
}
"""
    hits = findings(scan_family("tf", text), "tf/azure-storage-ip-rule-internet")
    assert [f.location.start_line for f in hits] == [5]


DB_FIREWALL = """
resource "{type}" "r" {{
  name                = "r"
  resource_group_name = "rg"
  {start} = "{lo}"
  {end}   = "{hi}"
}}
"""


@pytest.mark.parametrize(
    ("type_", "lo", "hi", "reported"),
    [
        ("azurerm_redis_firewall_rule", "1.0.0.0", "3.0.0.0", True),
        ("azurerm_redis_firewall_rule", "1.2.3.4", "1.2.3.8", False),
        ("azurerm_sql_firewall_rule", "0.0.0.0", "10.0.27.62", True),
        ("azurerm_mssql_firewall_rule", "10.0.0.0", "10.255.255.255", False),  # a /8 exactly
        ("azurerm_mssql_firewall_rule", "10.0.0.0", "11.0.0.0", True),
        ("azurerm_postgresql_firewall_rule", "0.0.0.0", "0.0.0.0", False),
    ],
)
def test_firewall_rules_wider_than_a_slash_8(type_: str, lo: str, hi: str, reported: bool) -> None:
    suffix = "" if type_ == "azurerm_redis_firewall_rule" else "_address"
    text = DB_FIREWALL.format(
        type=type_, start="start_ip" + suffix, end="end_ip" + suffix, lo=lo, hi=hi
    )
    got = findings(scan_family("tf", text), "tf/azure-sql-firewall-open")
    assert bool(got) is reported
    if got:
        assert got[0].location.start_line == 6  # the end address


@pytest.mark.parametrize(
    ("target", "reported"),
    [
        ("azurerm_key_vault.app.id", False),
        ("azurerm_key_vault.other.id", True),  # the other vault's logs, not this one's
        ("var.vault_id", False),  # may be this vault: no finding on a guess
    ],
)
def test_key_vault_audit_logs_follow_the_target(target: str, reported: bool) -> None:
    text = f"""
resource "azurerm_key_vault" "app" {{
  name     = "app"
  sku_name = "standard"
}}

resource "azurerm_key_vault" "other" {{
  name     = "other"
  sku_name = "standard"
}}

resource "azurerm_monitor_diagnostic_setting" "audit" {{
  name               = "audit"
  target_resource_id = {target}
  enabled_log {{
    category = "AuditEvent"
  }}
}}
"""
    got = findings(scan_family("tf", text), "tf/azure-keyvault-no-diagnostic-logs")
    addresses = {f.message.split(":")[0] for f in got}
    assert ("azurerm_key_vault.app" in addresses) is reported


BUCKET = """\
resource "google_storage_bucket" "b" {{
  name                        = "acme-data"
  location                    = "EU"
  uniform_bucket_level_access = true
  versioning {versioning}
}}
"""


@pytest.mark.parametrize(
    ("versioning", "reported"),
    [
        ("= {\n    enabled = false\n  }", True),  # written as a map
        ("{\n    enabled = false\n  }", True),
        ("= {\n    enabled = true\n  }", False),
        ("{\n    enabled = var.versioned\n  }", False),  # unknown: no finding
    ],
)
def test_bucket_versioning_forms(versioning: str, reported: bool) -> None:
    text = BUCKET.format(versioning=versioning)
    got = findings(scan_family("tf", text), "tf/gcp-gcs-versioning-disabled")
    assert bool(got) is reported


GKE_NETPOL = """\
resource "google_container_cluster" "main" {{
  name               = "shop"
  location           = "europe-west1"
  initial_node_count = 1
{extra}
}}
"""


@pytest.mark.parametrize(
    ("extra", "reported"),
    [
        # no block: enforcement is off by default, but trivy's good GKE_NETPOL examples for other
        # checks leave it out too (docs/iac-rules.md, session 9)
        ("", False),
        ("  network_policy {\n    enabled = false\n  }", True),
        ('  network_policy {\n    enabled  = true\n    provider = "CALICO"\n  }', False),
        ('  datapath_provider = "ADVANCED_DATAPATH"', False),  # Dataplane V2 enforces them
        ("  enable_autopilot = true", False),
        ("  network_policy {\n    enabled = var.netpol\n  }", False),  # unknown
    ],
)
def test_gke_network_policy_forms(extra: str, reported: bool) -> None:
    got = findings(
        scan_family("tf", GKE_NETPOL.format(extra=extra)), "tf/gcp-gke-network-policy-disabled"
    )
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("extra", "reported"),
    [
        ("", True),  # auto_create_network defaults to true
        ("  auto_create_network = true", True),
        ("  auto_create_network = false", False),
        ("  auto_create_network = var.default_network", False),
    ],
)
def test_project_default_network_forms(extra: str, reported: bool) -> None:
    text = (
        'resource "google_project" "p" {\n  name       = "shop"\n  project_id = "shop-prod"\n'
        f"{extra}\n}}\n"
    )
    got = findings(scan_family("tf", text), "tf/gcp-project-default-network")
    assert bool(got) is reported


SQL = """\
resource "google_sql_database_instance" "db" {{
  name             = "orders"
  database_version = {version}
  region           = "europe-west1"

  settings {{
    tier = "db-custom-2-7680"
{flags}
  }}
}}
"""


def _flag(name: str, value: str) -> str:
    return f'    database_flags {{\n      name  = "{name}"\n      value = "{value}"\n    }}'


@pytest.mark.parametrize(
    ("version", "flag", "rule", "reported"),
    [
        ('"POSTGRES_16"', ("log_min_duration_statement", "0"), "pg-log-statement-durations", True),
        ('"MYSQL_8_0"', ("log_min_duration_statement", "0"), "pg-log-statement-durations", False),
        ("var.db_version", ("log_min_duration_statement", "0"), "pg-log-statement-durations", True),
        ('"SQLSERVER_2019_STANDARD"', ("remote access", "on"), "sqlserver-remote-access", True),
        ('"MYSQL_8_0"', ("remote access", "on"), "sqlserver-remote-access", False),
        ('"POSTGRES_15"', ("local_infile", "on"), "mysql-local-infile", False),
        ('"MYSQL_8_0"', ("local_infile", "on"), "mysql-local-infile", True),
    ],
)
def test_sql_flags_belong_to_their_engine(
    version: str, flag: tuple[str, str], rule: str, reported: bool
) -> None:
    text = SQL.format(version=version, flags=_flag(*flag))
    got = findings(scan_family("tf", text), f"tf/gcp-sql-{rule}")
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("version", "flags", "reported"),
    [
        ('"SQLSERVER_2019_STANDARD"', "", True),  # off unless set
        ('"SQLSERVER_2019_STANDARD"', _flag("3625", "off"), True),
        ('"SQLSERVER_2019_STANDARD"', _flag("3625", "on"), False),
        ('"POSTGRES_16"', "", False),
        ("var.db_version", "", False),  # unknown engine: no finding
    ],
)
def test_sqlserver_trace_flag_3625(version: str, flags: str, reported: bool) -> None:
    text = SQL.format(version=version, flags=flags)
    got = findings(scan_family("tf", text), "tf/gcp-sql-sqlserver-trace-flag-3625-off")
    assert bool(got) is reported


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


APP = """\
resource "azurerm_{kind}" "app" {{
  name                = "acme-app"
  location            = "westeurope"
  resource_group_name = "rg"
  https_only          = true

  site_config {{
    {setting}
  }}
}}
"""


@pytest.mark.parametrize(
    ("kind", "setting", "reported"),
    [
        ("app_service", 'dotnet_framework_version = "v5.0"', True),
        ("app_service", 'dotnet_framework_version = "v4.0"', False),  # .NET Framework 4.8
        ("app_service", 'java_version = "1.7.0_80"', True),
        ("app_service", 'java_version = "11"', False),
        ("app_service", 'linux_fx_version = "PYTHON|3.6"', True),
        ("app_service", 'linux_fx_version = "PYTHON|3.12"', False),
        ("app_service", 'linux_fx_version = "DOTNETCORE|3.1"', True),
        ("app_service", 'linux_fx_version = "NODE|18-lts"', True),  # end of life April 2025
        ("app_service", 'linux_fx_version = "NODE|22-lts"', False),
        ("app_service", 'linux_fx_version = "DOTNETCORE|8.0"', True),  # end of support Nov 2026
        ("app_service", 'linux_fx_version = "DOTNETCORE|10.0"', False),
        ("app_service", "linux_fx_version = var.runtime", False),  # unknown: never a finding
        ("windows_web_app", 'application_stack {\n      dotnet_version = "v6.0"\n    }', True),
        ("windows_web_app", 'application_stack {\n      node_version = "~16"\n    }', True),
        ("linux_web_app", 'application_stack {\n      node_version = "20-lts"\n    }', True),
        ("linux_web_app", 'application_stack {\n      node_version = "22-lts"\n    }', False),
        ("linux_function_app", 'application_stack {\n      dotnet_version = "8.0"\n    }', True),
        ("linux_function_app", 'application_stack {\n      dotnet_version = "10.0"\n    }', False),
        ("windows_web_app", 'application_stack {\n      dotnet_version = "v9.0"\n    }', True),
        ("windows_web_app", 'application_stack {\n      dotnet_version = "v10.0"\n    }', False),
    ],
)
def test_outdated_runtime_forms(kind: str, setting: str, reported: bool) -> None:
    text = APP.format(kind=kind, setting=setting)
    got = findings(scan_family("tf", text), "tf/azure-appservice-outdated-runtime")
    assert bool(got) is reported


QUEUE = """\
resource "azurerm_storage_account_queue_properties" "q" {{
  storage_account_id = azurerm_storage_account.s.id
{body}}}
"""


LOGGING = """\
  logging {{
    read    = true
    write   = true
    delete  = {delete}
    version = "1.0"
  }}
"""


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        (LOGGING.format(delete="false"), True),
        ('  minute_metrics {\n    version = "1.0"\n  }\n', True),  # no logging block
        (LOGGING.format(delete="true"), False),
    ],
)
def test_queue_properties_resource_of_azurerm_4(body: str, reported: bool) -> None:
    got = findings(
        scan_family("tf", QUEUE.format(body=body)), "tf/azure-storage-queue-logging-disabled"
    )
    assert bool(got) is reported


def test_legacy_scale_set_password_login() -> None:
    text = """\
resource "azurerm_virtual_machine_scale_set" "workers" {
  name                = "workers"
  location            = "westeurope"
  resource_group_name = "rg"
  upgrade_policy_mode = "Manual"

  os_profile_linux_config {
    disable_password_authentication = false
  }
}
"""
    got = findings(scan_family("tf", text), "tf/azure-vm-legacy-password-auth")
    assert [f.location.start_line for f in got] == [8]


@pytest.mark.parametrize(("state", "reported"), [("Disabled", True), ("Enabled", False)])
def test_inline_sql_threat_detection_block(state: str, reported: bool) -> None:
    text = f"""\
resource "azurerm_sql_database" "orders" {{
  name                = "orders"
  resource_group_name = "rg"
  location            = "westeurope"
  server_name         = "acme-sql"

  threat_detection_policy {{
    state = "{state}"
  }}
}}
"""
    got = findings(scan_family("tf", text), "tf/azure-sql-threat-detection-disabled")
    assert bool(got) is reported


@pytest.mark.parametrize(
    "kind", ["app_service_slot", "linux_web_app_slot", "windows_function_app_slot"]
)
def test_deployment_slots_are_checked_like_their_apps(kind: str) -> None:
    text = f"""\
resource "azurerm_{kind}" "staging" {{
  name       = "staging"
  https_only = false

  site_config {{
    ftps_state = "AllAllowed"
  }}
}}
"""
    items = scan_family("tf", text)
    assert [f.location.start_line for f in findings(items, "tf/azure-appservice-http-allowed")] == [
        3
    ]
    assert [f.location.start_line for f in findings(items, "tf/azure-appservice-ftp-allowed")] == [
        6
    ]


def test_legacy_aks_add_on_profile_is_reported_at_its_line() -> None:
    text = """\
resource "azurerm_kubernetes_cluster" "legacy" {
  name       = "legacy"
  dns_prefix = "legacy"

  addon_profile {
    oms_agent {
      enabled = false
    }
    azure_policy {
      enabled = false
    }
  }
}
"""
    items = scan_family("tf", text)
    assert [f.location.start_line for f in findings(items, "tf/azure-aks-no-monitoring")] == [7]
    assert [
        f.location.start_line for f in findings(items, "tf/azure-aks-azure-policy-disabled")
    ] == [10]


@pytest.mark.parametrize(
    ("value", "reported"), [("1.1", True), ('"1.0"', True), ("1.2", False), ('"1.2"', False)]
)
def test_tls_versions_written_as_numbers(value: str, reported: bool) -> None:
    text = f"""\
resource "azurerm_app_service" "app" {{
  name = "acme-app"

  site_config {{
    min_tls_version = {value}
  }}
}}

resource "azurerm_redis_cache" "cache" {{
  name                = "acme-cache"
  minimum_tls_version = {value}
}}
"""
    items = scan_family("tf", text)
    for rule in ("tf/azure-appservice-weak-tls", "tf/azure-redis-weak-tls"):
        assert bool(findings(items, rule)) is reported


ALERT = """\
resource "azurerm_monitor_activity_log_alert" "a" {{
  name   = "a"
  scopes = [data.azurerm_subscription.current.id]

  criteria {{
    operation_name = {op}
    category       = "{category}"
{extra}  }}
}}
"""


@pytest.mark.parametrize(
    ("op", "category", "extra", "rule", "reported"),
    [
        ('"Microsoft.Sql/servers/firewallRules/write"', "Policy", "", "wrong-category", True),
        (
            '"Microsoft.Sql/servers/firewallRules/write"',
            "Administrative",
            "",
            "wrong-category",
            False,
        ),
        # Policy events are .../action operations: a Policy alert on them is right
        ('"Microsoft.Authorization/policies/audit/action"', "Policy", "", "wrong-category", False),
        ("var.operation", "Policy", "", "wrong-category", False),
        (
            '"Microsoft.Network/networkSecurityGroups/securityRules/delete"',
            "Administrative",
            '    level          = "Critical"\n',
            "narrowed",
            True,
        ),
        # a filter on an operation outside the monitored list is the author's choice
        (
            '"Microsoft.Compute/virtualMachines/write"',
            "Administrative",
            '    caller         = "ci@acme.example"\n',
            "narrowed",
            False,
        ),
    ],
)
def test_activity_log_alert_criteria(
    op: str, category: str, extra: str, rule: str, reported: bool
) -> None:
    text = ALERT.format(op=op, category=category, extra=extra)
    got = findings(scan_family("tf", text), f"tf/azure-monitor-activity-alert-{rule}")
    assert bool(got) is reported


LEGACY_SQL = """\
resource "azurerm_sql_server" "legacy" {
  name                         = "acme-legacy-sql"
  resource_group_name          = "rg"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "acme-dba"
  administrator_login_password = var.sql_admin_password
}
"""


@pytest.mark.parametrize(
    ("extra", "reported"),
    [
        ("", True),
        (
            'resource "azurerm_sql_active_directory_administrator" "legacy" {\n'
            "  server_name         = azurerm_sql_server.legacy.name\n"
            '  resource_group_name = "rg"\n'
            '  login               = "sql-admins"\n'
            "  object_id           = var.sql_admins_group_id\n"
            "  tenant_id           = var.tenant_id\n}\n",
            False,
        ),
    ],
)
def test_sql_entra_admin_as_a_separate_resource(extra: str, reported: bool) -> None:
    got = findings(scan_family("tf", LEGACY_SQL + extra), "tf/azure-sql-no-aad-admin")
    assert bool(got) is reported


def test_sql_entra_admin_with_a_blank_login_is_reported_at_its_block() -> None:
    text = """\
resource "azurerm_mssql_server" "main" {
  name    = "acme-sql"
  version = "12.0"

  azuread_administrator {
    login_username = " "
    object_id      = var.sql_admins_group_id
  }
}
"""
    got = findings(scan_family("tf", text), "tf/azure-sql-no-aad-admin")
    assert [f.location.start_line for f in got] == [5]


def test_synapse_audit_logs_kept_by_a_diagnostic_setting() -> None:
    text = """\
resource "azurerm_synapse_workspace" "analytics" {
  name = "acme-analytics"
}

resource "azurerm_monitor_diagnostic_setting" "analytics" {
  name                       = "audit"
  target_resource_id         = azurerm_synapse_workspace.analytics.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  enabled_log {
    category = "SQLSecurityAuditEvents"
  }
}
"""
    assert not findings(scan_family("tf", text), "tf/azure-synapse-no-auditing")


_ALERT = """
resource "azurerm_monitor_activity_log_alert" "a%d" {
  name                = "alert-%d"
  resource_group_name = "ops"
  location            = "global"
  scopes              = [data.azurerm_subscription.current.id]
  %s
  criteria {
    %s
  }
}
"""


_NSG_WRITE = 'operation_name = "Microsoft.Network/networkSecurityGroups/write"'


@pytest.mark.parametrize(
    ("criteria", "enabled", "reported"),
    [
        # one security operation watched: the module manages such alerts, the rest are missing
        (_NSG_WRITE, "", True),
        # a disabled alert watches nothing
        (_NSG_WRITE, "enabled = false", True),
        # service-health alerts only: not an audit-alert module
        ('category = "ServiceHealth"', "", False),
        # every administrative operation, unfiltered; filtered to one resource type
        ('category = "Administrative"', "", False),
        (
            'category = "Administrative"\n    resource_type = "Microsoft.Compute/virtualMachines"',
            "",
            True,
        ),
        # an operation the scan cannot know
        ("operation_name = var.operation", "", False),
    ],
)
def test_activity_log_alerts_that_leave_out_security_operations(
    criteria: str, enabled: str, reported: bool
) -> None:
    text = _ALERT % (0, 0, enabled, criteria)
    hits = findings(scan_family("azure", text), "tf/azure-monitor-activity-alerts-missing")
    assert bool(hits) is reported
    assert not findings(scan_family("azure", ""), "tf/azure-monitor-activity-alerts-missing")


@pytest.mark.parametrize(
    ("settings", "reported"),
    [
        ("", True),  # storage_mode_type defaults to GeoRedundant
        ('storage_mode_type = "LocallyRedundant"', False),  # one region: nothing to restore to
        ("cross_region_restore_enabled = var.crr", False),
        ("storage_mode_type = var.mode", False),
    ],
)
def test_recovery_vault_cross_region_restore(settings: str, reported: bool) -> None:
    text = (
        'resource "azurerm_recovery_services_vault" "v" {\n  name = "v"\n'
        f'  sku  = "Standard"\n  {settings}\n}}\n'
    )
    hits = findings(scan_family("azure", text), "tf/azure-backup-vault-no-cross-region-restore")
    assert bool(hits) is reported


KMS_GRANTS = """
data "google_iam_policy" "kms" {{
  binding {{
    role    = "roles/cloudkms.admin"
    members = ["user:jane@example.com"]
  }}
  binding {{
    role    = "roles/cloudkms.cryptoKeyDecrypter"
    members = ["{user}"]
  }}
}}

resource "google_project_iam_policy" "project" {{
  project     = "acme-prod"
  policy_data = data.google_iam_policy.kms.policy_data
}}
"""


@pytest.mark.parametrize(
    ("user", "reported"), [("user:jane@example.com", True), ("user:joe@example.com", False)]
)
def test_kms_separation_of_duties_in_a_policy_data_source(user: str, reported: bool) -> None:
    hits = findings(
        scan_family("tf", KMS_GRANTS.format(user=user)), "tf/gcp-kms-separation-of-duties"
    )
    assert [f.location.start_line for f in hits] == ([8] if reported else [])


def test_kms_separation_of_duties_across_a_binding_and_a_member() -> None:
    text = """
resource "google_project_iam_binding" "admins" {
  project = "acme-prod"
  role    = "roles/cloudkms.admin"
  members = ["group:sec@example.com", "serviceAccount:ci@acme-prod.iam.gserviceaccount.com"]
}

resource "google_project_iam_member" "ci_use" {
  project = "acme-prod"
  role    = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member  = "serviceAccount:ci@acme-prod.iam.gserviceaccount.com"
}
"""
    hits = findings(scan_family("tf", text), "tf/gcp-kms-separation-of-duties")
    assert [f.location.start_line for f in hits] == [10]


@pytest.mark.parametrize(
    ("attr", "reported"),
    [("", True), ("enable_logging = false", True), ("enable_logging = true", False)],
)
def test_dns_policy_logging(attr: str, reported: bool) -> None:
    text = f'resource "google_dns_policy" "p" {{\n  name = "p"\n  {attr}\n}}\n'
    assert bool(findings(scan_family("tf", text), "tf/gcp-dns-policy-logging-disabled")) is reported
