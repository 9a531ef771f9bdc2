"""Azure and Google Cloud forms of a flaw that the rules' own examples do not show: provider
defaults, booleans written as strings, legacy attributes, settings in a second resource,
and the ports the internet rules leave to the port rules."""

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
        '  target_resource_id = "${azurerm_storage_account.c.id}/blobServices/default"\n}\n'
    )
    assert _hits(text, "tf/azure-storage-no-diagnostic-logs") == [1]
