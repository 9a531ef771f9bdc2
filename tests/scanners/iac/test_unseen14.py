"""Session 19: what a fourteenth unseen sample (the Azure and Google acceptance cases of
HashiCorp's prewritten Terraform policy library, kubesec's graded test assets) found missing,
each in its general form, with the forms that must stay quiet: Databricks workspaces open to
every network, Key Vault certificates issued for more than a year, Key Vaults whose public
network access is turned off (no network ACL needed), and diagnostic settings that enable no
log category (they keep no audit log)."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family

# -- Databricks workspaces reachable from any network -----------------------------------------

_DBW = """
resource "azurerm_databricks_workspace" "w" {{
  name                = "dbw"
  location            = "eastus"
  resource_group_name = "rg"
  sku                 = "premium"
  {extra}
}}
"""


@pytest.mark.parametrize(
    ("extra", "reported"),
    [
        ("", True),  # public network access is on by default
        ("public_network_access_enabled = true", True),
        ('public_network_access_enabled = "true"', True),
        ("public_network_access_enabled = false", False),
        # a value the module does not know is not judged
        ("public_network_access_enabled = var.public", False),
    ],
)
def test_tf_databricks_public_network(extra: str, reported: bool) -> None:
    items = scan_family("tf", _DBW.format(extra=extra))
    assert not errors(items)
    hits = findings(items, "tf/azure-databricks-public-network")
    assert bool(hits) is reported
    if reported:
        assert hits[0].severity.value == "medium"


# -- Key Vault certificates valid for more than a year ----------------------------------------

_CERT = """
resource "azurerm_key_vault_certificate" "c" {{
  name         = "c"
  key_vault_id = azurerm_key_vault.kv.id
  certificate_policy {{
    issuer_parameters {{
      name = "Self"
    }}
    key_properties {{
      exportable = true
      key_type   = "RSA"
      reuse_key  = false
    }}
    secret_properties {{
      content_type = "application/x-pkcs12"
    }}
    x509_certificate_properties {{
      key_usage          = ["digitalSignature"]
      subject            = "CN=a.example.com"
      {validity}
    }}
  }}
}}
"""


@pytest.mark.parametrize(
    ("validity", "reported"),
    [
        ("validity_in_months = 13", True),
        ("validity_in_months = 60", True),
        ('validity_in_months = "24"', True),
        ("validity_in_months = 12", False),
        ("validity_in_months = 1", False),
        ("validity_in_months = var.months", False),
        ("", False),
    ],
)
def test_tf_keyvault_certificate_validity(validity: str, reported: bool) -> None:
    text = _CERT.format(validity=validity)
    items = scan_family("tf", text)
    assert not errors(items)
    hits = findings(items, "tf/azure-keyvault-certificate-long-validity")
    assert bool(hits) is reported
    if reported:
        assert hits[0].severity.value == "low"
        # the attribute's line, not the resource's
        line = text.splitlines().index(f"      {validity}") + 1
        assert hits[0].location.start_line == line


def test_tf_keyvault_imported_certificate_is_not_judged() -> None:
    text = (
        'resource "azurerm_key_vault_certificate" "c" {\n'
        '  name         = "imported"\n'
        "  key_vault_id = azurerm_key_vault.kv.id\n"
        "  certificate {\n"
        '    contents = filebase64("cert.pfx")\n'
        "  }\n}\n"
    )
    assert not findings(scan_family("tf", text), "tf/azure-keyvault-certificate-long-validity")


# -- Key Vault network ACLs and public network access -----------------------------------------

_KV = """
resource "azurerm_key_vault" "kv" {{
  name                = "kv"
  location            = "eastus"
  resource_group_name = "rg"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
  {extra}
}}
"""


@pytest.mark.parametrize(
    ("extra", "reported"),
    [
        ("", True),
        ("public_network_access_enabled = true", True),
        (
            "public_network_access_enabled = true\n"
            '  network_acls {\n    default_action = "Allow"\n    bypass = "AzureServices"\n  }',
            True,
        ),
        ("public_network_access_enabled = var.public", True),  # unknown: the ACLs decide
        # no public traffic at all: the ACL's default does not matter
        ("public_network_access_enabled = false", False),
        (
            "public_network_access_enabled = false\n"
            '  network_acls {\n    default_action = "Allow"\n    bypass = "AzureServices"\n  }',
            False,
        ),
        ('network_acls {\n    default_action = "Deny"\n    bypass = "AzureServices"\n  }', False),
    ],
)
def test_tf_keyvault_network_open(extra: str, reported: bool) -> None:
    items = scan_family("tf", _KV.format(extra=extra))
    assert not errors(items)
    assert bool(findings(items, "tf/azure-keyvault-network-open")) is reported


# -- diagnostic settings that keep no log -----------------------------------------------------

_DIAG = """
resource "azurerm_monitor_diagnostic_setting" "d" {{
  name                       = "d"
  target_resource_id         = azurerm_key_vault.kv.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.law.id
  {body}
}}
"""


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("", True),  # no log category: nothing is recorded
        ('enabled_metric {\n    category = "AllMetrics"\n  }', True),
        ('log {\n    category = "AuditEvent"\n    enabled  = false\n  }', True),
        ('enabled_log {\n    category_group = "audit"\n  }', False),
        ('log {\n    category = "AuditEvent"\n  }', False),  # a legacy log block, on by default
        ('log {\n    category = "AuditEvent"\n    enabled  = true\n  }', False),
        (
            'dynamic "enabled_log" {\n    for_each = var.categories\n'
            "    content {\n      category = enabled_log.value\n    }\n  }",
            False,
        ),
    ],
)
def test_tf_keyvault_diagnostic_setting_without_logs(body: str, reported: bool) -> None:
    items = scan_family("tf", _KV.format(extra="") + _DIAG.format(body=body))
    assert not errors(items)
    assert bool(findings(items, "tf/azure-keyvault-no-diagnostic-logs")) is reported


def test_tf_storage_metrics_only_diagnostic_setting_is_no_request_log() -> None:
    text = """
resource "azurerm_storage_account" "sa" {
  name                     = "acmedata"
  resource_group_name      = "rg"
  location                 = "eastus"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}

resource "azurerm_monitor_diagnostic_setting" "blobs" {
  name                       = "blobs"
  target_resource_id         = "${azurerm_storage_account.sa.id}/blobServices/default"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.law.id
  metric {
    category = "Transaction"
  }
}
"""
    assert findings(scan_family("tf", text), "tf/azure-storage-no-diagnostic-logs")
    logged = text.replace(
        'metric {\n    category = "Transaction"\n  }',
        'enabled_log {\n    category = "StorageRead"\n  }',
    )
    assert not findings(scan_family("tf", logged), "tf/azure-storage-no-diagnostic-logs")


@pytest.mark.parametrize(
    ("extra", "reported"),
    [
        ("", True),
        ("public_network_access_enabled = true", True),
        # unknown: the rules decide, as before
        ("public_network_access_enabled = var.public", True),
        ("public_network_access_enabled = false", False),  # no public traffic at all
    ],
)
def test_tf_storage_network_allow_with_public_access_off(extra: str, reported: bool) -> None:
    text = f"""
resource "azurerm_storage_account" "sa" {{
  name                     = "acmedata"
  resource_group_name      = "rg"
  location                 = "eastus"
  account_tier             = "Standard"
  account_replication_type = "GRS"
  {extra}
  network_rules {{
    default_action = "Allow"
  }}
}}
"""
    items = scan_family("tf", text)
    assert not errors(items)
    assert bool(findings(items, "tf/azure-storage-default-network-allow")) is reported
