"""Azure rules that need more than one attribute or resource."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator

from pipesec.core.model import Confidence, Severity
from pipesec.scanners.iac.common import (
    make_rule,
)
from pipesec.scanners.iac.hcl import Block, Expr, as_bool
from pipesec.scanners.iac.tfbase import (
    ModuleView,
    R,
    TfHit,
    at_attr,
    at_block,
)

# -- Azure ---------------------------------------------------------------------------------

STORAGE = """
resource "azurerm_storage_account" "data" {
  name                            = "acmedata"
  resource_group_name             = azurerm_resource_group.main.name
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GRS"
  https_traffic_only_enabled      = true
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
}
"""


@R(
    make_rule(
        "tf/azure-storage-public-access",
        "Storage allows anonymous public access to blobs",
        Severity.HIGH,
        "Public blob access lets anyone read containers set to blob or container access level "
        "without credentials.",
        "Set allow_nested_items_to_be_public = false and keep containers private.",
        STORAGE.replace(
            "allow_nested_items_to_be_public = false", "allow_nested_items_to_be_public = true"
        ),
        STORAGE,
        cwe=("CWE-284",),
    )
)
def azure_public(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("azurerm_storage_account"):
        for name in ("allow_nested_items_to_be_public", "allow_blob_public_access"):
            a = b.attr(name)
            if a is not None and as_bool(a.value) is True:
                yield at_attr(b, a, f"{b.address} allows public blob access")
    for b in m.resources("azurerm_storage_container"):
        a = b.attr("container_access_type")
        if a is not None and a.value in ("blob", "container"):
            yield at_attr(b, a, f"{b.address} is publicly readable")


#: a firewall rule wider than a /8 (16.7 million addresses) admits a large part of the internet
_WIDE_RANGE = 2**24


@R(
    make_rule(
        "tf/azure-sql-firewall-open",
        "Database or cache firewall rule open to the internet",
        Severity.HIGH,
        "A firewall rule from 0.0.0.0 to 255.255.255.255, or any range wider than a /8 (16.7 "
        "million addresses), allows connections from a large part of the internet.",
        "Allow only known ranges, or use private endpoints.",
        'resource "azurerm_mssql_firewall_rule" "all" {\n  name             = "all"\n'
        "  server_id        = azurerm_mssql_server.main.id\n"
        '  start_ip_address = "0.0.0.0"\n  end_ip_address   = "255.255.255.255"\n}\n',
        'resource "azurerm_mssql_firewall_rule" "office" {\n  name             = "office"\n'
        "  server_id        = azurerm_mssql_server.main.id\n"
        '  start_ip_address = "203.0.113.10"\n  end_ip_address   = "203.0.113.20"\n}\n',
        cwe=("CWE-284",),
    )
)
def azure_sql_fw(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources(
        "azurerm_sql_firewall_rule",
        "azurerm_mssql_firewall_rule",
        "azurerm_postgresql_firewall_rule",
        "azurerm_mysql_firewall_rule",
        "azurerm_postgresql_flexible_server_firewall_rule",
        "azurerm_mysql_flexible_server_firewall_rule",
        "azurerm_mariadb_firewall_rule",
        "azurerm_redis_firewall_rule",
        "azurerm_cosmosdb_postgresql_firewall_rule",
    ):
        suffix = "" if b.kind == "azurerm_redis_firewall_rule" else "_address"
        start, end = b.attr("start_ip" + suffix), b.attr("end_ip" + suffix)
        if (
            start is None
            or end is None
            or not isinstance(start.value, str)
            or not isinstance(end.value, str)
        ):
            continue
        try:
            lo, hi = ipaddress.ip_address(start.value), ipaddress.ip_address(end.value)
        except ValueError:
            continue
        if int(hi) - int(lo) >= _WIDE_RANGE:
            yield at_attr(b, end, f"{b.address} allows {start.value}-{end.value}")


def _covered(
    m: ModuleView,
    target: Block,
    types: tuple[str, ...],
    attr: str,
    own: tuple[str, ...],
    counts: Callable[[Block], bool] = lambda b: True,
) -> bool:
    """True when a resource of ``types`` (one that ``counts``) refers to ``target`` through
    ``attr``, or refers to something that is no resource of the types ``own`` in this module
    (a variable, a module output: it may be this one)."""
    mine = [b.address for b in m.resources(*own)]
    for b in m.resources(*types):
        if not counts(b):
            continue
        v = b.value(attr)
        if not isinstance(v, Expr):
            continue
        if v.refers_to(target.address) or not any(v.refers_to(a) for a in mine):
            return True
    return False


def _keeps_logs(setting: Block) -> bool:
    """A diagnostic setting enables some log category: an ``enabled_log`` block (or one a
    ``dynamic`` block generates), or a legacy ``log`` block not turned off. One with only
    metric blocks, or none, records no request or audit event."""
    return bool(setting.children("enabled_log")) or any(
        as_bool(log.value("enabled")) is not False for log in setting.children("log")
    )


def _logged(m: ModuleView, target: Block) -> bool:
    """True when a diagnostic setting of the module that keeps logs targets ``target`` (or a
    value that may be it)."""
    return _covered(
        m,
        target,
        ("azurerm_monitor_diagnostic_setting",),
        "target_resource_id",
        (target.kind,),
        _keeps_logs,
    )


SQL_SERVER = """
resource "azurerm_mssql_server" "main" {
  name                          = "acme-sql"
  resource_group_name           = azurerm_resource_group.main.name
  location                      = "westeurope"
  version                       = "12.0"
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false

  azuread_administrator {
    login_username              = "sql-admins"
    object_id                   = var.sql_admins_group_id
    azuread_authentication_only = true
  }
}
"""
SQL_AUDIT = """
resource "azurerm_mssql_server_extended_auditing_policy" "main" {
  server_id              = azurerm_mssql_server.main.id
  log_monitoring_enabled = true
  retention_in_days      = 90
}
"""


@R(
    make_rule(
        "tf/azure-sql-no-auditing",
        "SQL server without auditing",
        Severity.MEDIUM,
        "Without server auditing there is no record of logins, permission changes and queries "
        "to investigate a breach of the database.",
        "Add an azurerm_mssql_server_extended_auditing_policy for the server (or an inline "
        "extended_auditing_policy block on azurerm_sql_server of provider 2.x).",
        SQL_SERVER,
        SQL_SERVER + SQL_AUDIT,
        cwe=("CWE-778",),
        confidence=Confidence.MEDIUM,
    )
)
def azure_sql_no_auditing(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    policies = (
        "azurerm_mssql_server_extended_auditing_policy",
        "azurerm_sql_server_extended_auditing_policy",
    )
    servers = ("azurerm_mssql_server", "azurerm_sql_server")
    for b in m.resources(*servers):
        if b.children("extended_auditing_policy") or b.attr("extended_auditing_policy"):
            continue
        if _covered(m, b, policies, "server_id", servers) or _covered(
            m,
            b,
            ("azurerm_monitor_diagnostic_setting",),
            "target_resource_id",
            servers,
            _keeps_logs,
        ):
            continue
        yield at_block(b, f"{b.address}: no auditing policy")


@R(
    make_rule(
        "tf/azure-storage-no-cmk",
        "Storage account encrypted with a Microsoft-managed key",
        Severity.LOW,
        "Data is encrypted at rest either way; with a customer-managed key in Key Vault the "
        "organisation controls rotation and can revoke access to the data by disabling the key.",
        "Add a customer_managed_key block (or an azurerm_storage_account_customer_managed_key "
        "resource) with a Key Vault key.",
        STORAGE,
        STORAGE.replace(
            "  allow_nested_items_to_be_public = false\n",
            "  allow_nested_items_to_be_public = false\n\n  identity {\n"
            '    type         = "UserAssigned"\n'
            "    identity_ids = [azurerm_user_assigned_identity.storage.id]\n  }\n\n"
            "  customer_managed_key {\n"
            "    key_vault_key_id          = azurerm_key_vault_key.storage.id\n"
            "    user_assigned_identity_id = azurerm_user_assigned_identity.storage.id\n  }\n",
        ),
        cwe=("CWE-320",),
        confidence=Confidence.MEDIUM,
    )
)
def azure_storage_no_cmk(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("azurerm_storage_account"):
        if b.children("customer_managed_key") or _covered(
            m,
            b,
            ("azurerm_storage_account_customer_managed_key",),
            "storage_account_id",
            ("azurerm_storage_account",),
        ):
            continue
        yield at_block(b, f"{b.address}: no customer-managed key")


@R(
    make_rule(
        "tf/azure-storage-no-diagnostic-logs",
        "Storage account without request logs",
        Severity.MEDIUM,
        "Without a diagnostic setting (or the classic queue logging) no record is kept of who "
        "read, wrote or deleted blobs and messages, so a data theft through a leaked key or SAS "
        "token cannot be traced.",
        "Add an azurerm_monitor_diagnostic_setting for the account's blob (and queue) service "
        "with the StorageRead, StorageWrite and StorageDelete categories, or apply one with "
        "Azure Policy.",
        STORAGE,
        STORAGE
        + """
resource "azurerm_monitor_diagnostic_setting" "data_blobs" {
  name                       = "blob-requests"
  target_resource_id         = "${azurerm_storage_account.data.id}/blobServices/default"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  enabled_log {
    category = "StorageRead"
  }
  enabled_log {
    category = "StorageWrite"
  }
  enabled_log {
    category = "StorageDelete"
  }
}
""",
        cwe=("CWE-778",),
        confidence=Confidence.MEDIUM,
    )
)
def azure_storage_no_logs(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("azurerm_storage_account"):
        if any(q.children("logging") for q in b.children("queue_properties")) or _logged(m, b):
            continue
        yield at_block(b, f"{b.address}: no diagnostic setting logs its requests")


KEY_VAULT = """
resource "azurerm_key_vault" "app" {
  name                       = "acme-app-kv"
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  purge_protection_enabled   = true
  soft_delete_retention_days = 90
}
"""


@R(
    make_rule(
        "tf/azure-keyvault-no-diagnostic-logs",
        "Key Vault without audit logs",
        Severity.LOW,
        "Without a diagnostic setting no record is kept of who read, changed or deleted a "
        "secret, key or certificate, so the use of a stolen identity against the vault cannot "
        "be traced (CIS Azure 5.1.5).",
        "Add an azurerm_monitor_diagnostic_setting for the vault with the AuditEvent category "
        "(or the audit category group), or apply one with Azure Policy.",
        KEY_VAULT,
        KEY_VAULT
        + """
resource "azurerm_monitor_diagnostic_setting" "app_kv" {
  name                       = "kv-audit"
  target_resource_id         = azurerm_key_vault.app.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  enabled_log {
    category_group = "audit"
  }
}
""",
        cwe=("CWE-778",),
        confidence=Confidence.MEDIUM,
    )
)
def azure_keyvault_no_logs(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    for b in m.resources("azurerm_key_vault"):
        if not _logged(m, b):
            yield at_block(b, f"{b.address}: no diagnostic setting keeps its audit logs")


SQL_SERVER_NO_AAD = """
resource "azurerm_mssql_server" "main" {
  name                          = "acme-sql"
  resource_group_name           = azurerm_resource_group.main.name
  location                      = "westeurope"
  version                       = "12.0"
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false
  administrator_login           = "acme-dba"
  administrator_login_password  = var.sql_admin_password
}
"""


@R(
    make_rule(
        "tf/azure-sql-no-aad-admin",
        "SQL server without a Microsoft Entra administrator",
        Severity.MEDIUM,
        "Without an Entra (Azure AD) administrator only SQL logins can manage the server: "
        "passwords that never expire, no MFA or conditional access, and no central way to "
        "revoke a leaver's access.",
        "Add an azuread_administrator block with the login and object id of an Entra group "
        "(or an azurerm_sql_active_directory_administrator for provider 2.x servers), "
        "ideally with azuread_authentication_only = true.",
        SQL_SERVER_NO_AAD,
        SQL_SERVER,
        cwe=("CWE-287",),
        confidence=Confidence.MEDIUM,
    )
)
def azure_sql_no_aad_admin(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    servers = ("azurerm_mssql_server", "azurerm_sql_server")
    for b in m.resources(*servers):
        admins = b.children("azuread_administrator")
        login = admins[0].value("login_username") if admins else None
        if admins and not (isinstance(login, str) and not login.strip()):
            continue  # set (a blank login name is no administrator)
        if _covered(m, b, ("azurerm_sql_active_directory_administrator",), "server_name", servers):
            continue
        if admins:
            yield at_block(admins[0], f"{b.address}: the Entra administrator's login is blank")
        else:
            yield at_block(b, f"{b.address}: no Microsoft Entra administrator")


SYNAPSE = """
resource "azurerm_synapse_workspace" "analytics" {
  name                                 = "acme-analytics"
  resource_group_name                  = azurerm_resource_group.main.name
  location                             = "westeurope"
  storage_data_lake_gen2_filesystem_id = azurerm_storage_data_lake_gen2_filesystem.main.id
  managed_virtual_network_enabled      = true
  public_network_access_enabled        = false

  identity {
    type = "SystemAssigned"
  }
}
"""


@R(
    make_rule(
        "tf/azure-synapse-no-auditing",
        "Synapse workspace without auditing",
        Severity.MEDIUM,
        "Without workspace auditing there is no record of logins, permission changes and "
        "queries against the SQL pools to investigate a breach.",
        "Add an azurerm_synapse_workspace_extended_auditing_policy for the workspace (or a "
        "diagnostic setting that keeps its SQLSecurityAuditEvents).",
        SYNAPSE,
        SYNAPSE
        + """
resource "azurerm_synapse_workspace_extended_auditing_policy" "analytics" {
  synapse_workspace_id   = azurerm_synapse_workspace.analytics.id
  log_monitoring_enabled = true
  retention_in_days      = 90
}
""",
        cwe=("CWE-778",),
        confidence=Confidence.MEDIUM,
    )
)
def azure_synapse_no_auditing(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    workspaces = ("azurerm_synapse_workspace",)
    for b in m.resources(*workspaces):
        if _covered(
            m,
            b,
            ("azurerm_synapse_workspace_extended_auditing_policy",),
            "synapse_workspace_id",
            workspaces,
        ) or _logged(m, b):
            continue
        yield at_block(b, f"{b.address}: no auditing policy")


#: the control-plane changes CIS Azure asks an activity log alert for (5.2.1-5.2.10)
SECURITY_OPERATIONS = tuple(
    f"Microsoft.{kind}/{verb}"
    for kind in (
        "Authorization/policyAssignments",
        "Network/networkSecurityGroups",
        "Network/networkSecurityGroups/securityRules",
        "Security/securitySolutions",
        "Sql/servers/firewallRules",
        "Network/publicIPAddresses",
    )
    for verb in ("write", "delete")
)

#: criteria that narrow an activity log alert to some resources
_NARROWING = ("resource_provider", "resource_type", "resource_group", "resource_id", "resource_ids")

ALERTS = """
locals {
  watched = toset([
    "Microsoft.Authorization/policyAssignments/write",
    "Microsoft.Authorization/policyAssignments/delete",
    "Microsoft.Network/networkSecurityGroups/write",
    "Microsoft.Network/networkSecurityGroups/delete",
    "Microsoft.Network/networkSecurityGroups/securityRules/write",
    "Microsoft.Network/networkSecurityGroups/securityRules/delete",
    "Microsoft.Security/securitySolutions/write",
    "Microsoft.Security/securitySolutions/delete",
    "Microsoft.Sql/servers/firewallRules/write",
    "Microsoft.Sql/servers/firewallRules/delete",
    "Microsoft.Network/publicIPAddresses/write",
    "Microsoft.Network/publicIPAddresses/delete",
  ])
}

resource "azurerm_monitor_activity_log_alert" "security" {
  for_each            = local.watched
  name                = replace(each.value, "/", "-")
  resource_group_name = azurerm_resource_group.ops.name
  location            = "global"
  scopes              = [data.azurerm_subscription.current.id]

  criteria {
    operation_name = each.value
    category       = "Administrative"
  }

  action {
    action_group_id = azurerm_monitor_action_group.oncall.id
  }
}
"""


@R(
    make_rule(
        "tf/azure-monitor-activity-alerts-missing",
        "Activity log alerts leave out security-relevant changes",
        Severity.MEDIUM,
        "A module that manages activity log alerts but none for changes to policy assignments, "
        "network security groups and their rules, security solutions, SQL firewall rules or "
        "public IP addresses lets such a change (an opened port, a removed policy) pass "
        "unnoticed (CIS Microsoft Azure Foundations 5.2.1-5.2.10). A module without any "
        "activity log alert is not reported: alerts are often managed in a separate baseline.",
        "Add an enabled azurerm_monitor_activity_log_alert at the subscription scope for each "
        "missing operation (a for_each over the operation names keeps them together).",
        ALERTS.replace(
            """    "Microsoft.Network/publicIPAddresses/write",
    "Microsoft.Network/publicIPAddresses/delete",
""",
            "",
        ),
        ALERTS,
        cwe=("CWE-778",),
        confidence=Confidence.MEDIUM,
        references=(
            "https://learn.microsoft.com/azure/azure-monitor/alerts/activity-log-alerts",
            "https://www.cisecurity.org/benchmark/azure",
        ),
    )
)
def azure_activity_alerts_missing(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[TfHit]:
    # alerts on administrative or security events: the module manages that kind of alert
    alerts = [
        b
        for b in m.resources("azurerm_monitor_activity_log_alert")
        if any(
            c.value("operation_name") is not None
            or c.value("category") in ("Administrative", "Security")
            for c in b.children("criteria")
        )
    ]
    if not alerts:
        return
    covered: set[str] = set()
    for b in alerts:
        if b.flag("enabled") is False:
            continue
        for c in b.children("criteria"):
            op = c.value("operation_name")
            if isinstance(op, Expr):
                return  # an operation the scan cannot know may be any of them
            if isinstance(op, str):
                covered.add(op.lower())
            elif c.value("category") == "Administrative" and not any(
                c.value(k) is not None for k in _NARROWING
            ):
                return  # every administrative operation
    missing = [op for op in SECURITY_OPERATIONS if op.lower() not in covered]
    if missing:
        yield at_block(
            alerts[0],
            f"no enabled activity log alert for {', '.join(missing[:3])}"
            + (f" and {len(missing) - 3} more" if len(missing) > 3 else ""),
            key=alerts[0].path + ":activity-alerts",
        )
