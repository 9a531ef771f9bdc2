"""Azure Terraform forms across azurerm versions that session 10's samples of labelled checkov
and KICS cases showed missed: end-of-life runtimes written as .NET, Java or Node versions or
as a linux_fx_version string, TLS versions written as numbers, azurerm 4.x's separate
queue-properties resource, the legacy scale set's password login, azurerm 2.x's inline SQL
threat-detection block and Entra administrator resource, deployment slots, activity log alert
criteria. Each rule's own examples run in test_rules.py; these are the neighbouring forms."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family

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
