"""Azure rules that need more than one attribute or resource."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from pipesec.core.model import Severity
from pipesec.scanners.iac.common import (
    make_rule,
)
from pipesec.scanners.iac.tfbase import (
    ModuleView,
    R,
    TfHit,
    at_attr,
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
            if a is not None and a.value is True:
                yield at_attr(b, a, f"{b.address} allows public blob access")
    for b in m.resources("azurerm_storage_container"):
        a = b.attr("container_access_type")
        if a is not None and a.value in ("blob", "container"):
            yield at_attr(b, a, f"{b.address} is publicly readable")


@R(
    make_rule(
        "tf/azure-sql-firewall-open",
        "Database firewall rule open to the internet",
        Severity.HIGH,
        "A firewall rule from 0.0.0.0 to 255.255.255.255 allows connections from every address.",
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
    ):
        start, end = b.attr("start_ip_address"), b.attr("end_ip_address")
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
        if int(hi) - int(lo) >= 2**31:
            yield at_attr(b, end, f"{b.address} allows {start.value}-{end.value}")
