"""Session 17 (iacdefaults): GKE settings whose provider default is the insecure one were reported
only when written out insecure (enable_private_nodes = false, network_policy { enabled = false }).
A cluster that leaves them out gets public node addresses and no NetworkPolicy enforcement; the
twins below report the absence (medium confidence), with the forms that must stay quiet."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family

PRIVATE = "tf/gcp-gke-private-nodes-not-enabled"
PUBLIC_EXPLICIT = "tf/gcp-gke-public-nodes"
NETPOL = "tf/gcp-gke-network-policy-not-enabled"
NETPOL_EXPLICIT = "tf/gcp-gke-network-policy-disabled"


def _rules(tf: str) -> set[str]:
    items = scan_family("tf", tf)
    assert not errors(items)
    return {f.rule_id for f in findings(items)}


def _cluster(body: str) -> str:
    return (
        'resource "google_container_cluster" "main" {\n'
        '  name               = "main"\n'
        '  location           = "europe-west1"\n'
        "  initial_node_count = 1\n"
        f"{body}}}\n"
    )


# -- private nodes: public node addresses unless enable_private_nodes = true ---------------------


@pytest.mark.parametrize(
    "body",
    [
        "",
        "  private_cluster_config {}\n",
        '  private_cluster_config {\n    master_ipv4_cidr_block = "172.16.0.0/28"\n  }\n',
        "  private_cluster_config {\n    enable_private_endpoint = false\n  }\n",
        '  node_pool {\n    name = "p"\n    network_config {\n'
        "      enable_private_nodes = false\n    }\n  }\n",
    ],
)
def test_private_nodes_left_out_is_reported(body: str) -> None:
    assert PRIVATE in _rules(_cluster(body))


@pytest.mark.parametrize(
    "body",
    [
        "  private_cluster_config {\n    enable_private_nodes = true\n  }\n",
        '  private_cluster_config {\n    enable_private_nodes = "true"\n  }\n',
        "  private_cluster_config {\n    enable_private_nodes = var.private\n  }\n",  # unknown
        '  node_pool {\n    name = "p"\n    network_config {\n'
        "      enable_private_nodes = true\n    }\n  }\n",
    ],
)
def test_private_nodes_set_or_unknown_is_quiet(body: str) -> None:
    assert PRIVATE not in _rules(_cluster(body))


def test_explicit_public_nodes_is_the_explicit_rule_only() -> None:
    got = _rules(_cluster("  private_cluster_config {\n    enable_private_nodes = false\n  }\n"))
    assert PUBLIC_EXPLICIT in got
    assert PRIVATE not in got


@pytest.mark.parametrize(
    "other",
    [
        'resource "google_container_node_pool" "pool" {\n'
        "  cluster = google_container_cluster.main.id\n"
        "  network_config {\n    enable_private_nodes = true\n  }\n}\n",
        'resource "google_project_organization_policy" "p" {\n'
        '  project    = "p"\n  constraint = "compute.vmExternalIpAccess"\n'
        "  list_policy {\n    deny {\n      all = true\n    }\n  }\n}\n",
        'resource "google_org_policy_policy" "p" {\n'
        '  name   = "projects/p/policies/compute.vmExternalIpAccess"\n  parent = "projects/p"\n'
        '  spec {\n    rules {\n      deny_all = "TRUE"\n    }\n  }\n}\n',
    ],
)
def test_private_pools_or_org_policy_in_the_module_is_quiet(other: str) -> None:
    assert PRIVATE not in _rules(other + _cluster(""))


@pytest.mark.parametrize(
    "policy",
    [
        'resource "google_project_organization_policy" "p" {\n'
        '  project    = "p"\n  constraint = "compute.vmExternalIpAccess"\n'
        "  list_policy {\n    allow {\n      all = true\n    }\n  }\n}\n",
        'resource "google_project_organization_policy" "p" {\n'
        '  project    = "p"\n  constraint = "compute.vmExternalIpAccess"\n'
        "  restore_policy {\n    default = true\n  }\n}\n",
        'resource "google_project_organization_policy" "p" {\n'
        '  project    = "p"\n  constraint = "compute.vmExternalIpAccess"\n'
        "  list_policy {\n    deny {\n      all = false\n    }\n  }\n}\n",
        'resource "google_org_policy_policy" "p" {\n'
        '  name   = "projects/p/policies/compute.vmExternalIpAccess"\n  parent = "projects/p"\n}\n',
        'resource "google_org_policy_policy" "p" {\n'
        '  name   = "projects/p/policies/compute.vmExternalIpAccess"\n  parent = "projects/p"\n'
        '  spec {\n    rules {\n      allow_all = "TRUE"\n    }\n  }\n}\n',
    ],
)
def test_an_external_ip_policy_that_forbids_nothing_does_not_count(policy: str) -> None:
    """review17 (on 4de6246): any compute.vmExternalIpAccess policy resource silenced the
    rule, one that allows every VM an external address included."""
    assert PRIVATE in _rules(policy + _cluster(""))


def test_a_public_node_pool_in_the_module_does_not_count() -> None:
    pool = (
        'resource "google_container_node_pool" "pool" {\n'
        "  cluster = google_container_cluster.main.id\n"
        "  network_config {\n    enable_private_nodes = false\n  }\n}\n"
    )
    assert PRIVATE in _rules(pool + _cluster(""))


# -- network policy: not enforced unless enabled or Dataplane V2 ---------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "",
        "  network_policy {}\n",
        '  network_policy {\n    provider = "CALICO"\n  }\n',
        '  datapath_provider = "LEGACY_DATAPATH"\n',
        '  datapath_provider = "DATAPATH_PROVIDER_UNSPECIFIED"\n',
        "  enable_autopilot = false\n",
    ],
)
def test_network_policy_left_out_is_reported(body: str) -> None:
    assert NETPOL in _rules(_cluster(body))


@pytest.mark.parametrize(
    "body",
    [
        "  network_policy {\n    enabled = true\n  }\n",
        "  network_policy {\n    enabled = var.netpol\n  }\n",  # unknown
        '  datapath_provider = "ADVANCED_DATAPATH"\n',
        "  datapath_provider = var.datapath\n",  # unknown
        "  enable_autopilot = true\n",
        "  enable_autopilot = var.autopilot\n",  # unknown
    ],
)
def test_network_policy_set_dataplane_v2_autopilot_or_unknown_is_quiet(body: str) -> None:
    assert NETPOL not in _rules(_cluster(body))


@pytest.mark.parametrize(
    "body",
    [
        "  network_policy {\n    enabled = false\n  }\n",
        "  addons_config {\n    network_policy_config {\n      disabled = true\n    }\n  }\n",
    ],
)
def test_explicit_network_policy_off_is_the_explicit_rule_only(body: str) -> None:
    got = _rules(_cluster(body))
    assert NETPOL_EXPLICIT in got
    assert NETPOL not in got


# -- Cloud SQL backups, Memorystore AUTH, Azure database public access ---------------------------

SQL_BACKUP = "tf/gcp-sql-backup-not-enabled"
SQL_BACKUP_EXPLICIT = "tf/gcp-sql-backup-disabled"
REDIS_AUTH = "tf/gcp-redis-auth-not-enabled"
REDIS_AUTH_EXPLICIT = "tf/gcp-redis-auth-disabled"
DB_PUBLIC = "tf/azure-db-public-network-not-disabled"


def _sql(settings: str, extra: str = "") -> str:
    return (
        'resource "google_sql_database_instance" "db" {\n'
        '  name             = "db"\n'
        '  database_version = "POSTGRES_16"\n'
        '  region           = "europe-west1"\n'
        f"{extra}"
        '  settings {\n    tier = "db-f1-micro"\n'
        f"{settings}  }}\n}}\n"
    )


@pytest.mark.parametrize(
    "settings",
    [
        "",
        "    backup_configuration {}\n",
        '    backup_configuration {\n      start_time = "02:00"\n    }\n',
    ],
)
def test_sql_backup_left_out_is_reported(settings: str) -> None:
    assert SQL_BACKUP in _rules(_sql(settings))


@pytest.mark.parametrize(
    ("settings", "extra"),
    [
        ("    backup_configuration {\n      enabled = true\n    }\n", ""),
        ("    backup_configuration {\n      enabled = var.backups\n    }\n", ""),  # unknown
        ("", "  master_instance_name = google_sql_database_instance.main.name\n"),  # replica
    ],
)
def test_sql_backup_set_unknown_or_replica_is_quiet(settings: str, extra: str) -> None:
    assert SQL_BACKUP not in _rules(_sql(settings, extra))


def test_sql_backup_false_is_the_explicit_rule_only() -> None:
    got = _rules(_sql("    backup_configuration {\n      enabled = false\n    }\n"))
    assert SQL_BACKUP_EXPLICIT in got
    assert SQL_BACKUP not in got


def _redis(body: str) -> str:
    return (
        'resource "google_redis_instance" "cache" {\n'
        '  name           = "cache"\n'
        "  memory_size_gb = 1\n"
        f"{body}}}\n"
    )


@pytest.mark.parametrize(
    ("body", "rule", "reported"),
    [
        ("", REDIS_AUTH, True),
        ("  auth_enabled = true\n", REDIS_AUTH, False),
        ("  auth_enabled = var.auth\n", REDIS_AUTH, False),  # unknown
        ("  auth_enabled = false\n", REDIS_AUTH, False),
        ("  auth_enabled = false\n", REDIS_AUTH_EXPLICIT, True),
    ],
)
def test_redis_auth_forms(body: str, rule: str, reported: bool) -> None:
    assert (rule in _rules(_redis(body))) is reported


def _db(kind: str, body: str) -> str:
    return (
        f'resource "{kind}" "db" {{\n'
        '  name                = "db"\n'
        "  resource_group_name = azurerm_resource_group.main.name\n"
        '  location            = "westeurope"\n'
        f"{body}}}\n"
    )


@pytest.mark.parametrize(
    "kind",
    [
        "azurerm_mssql_server",
        "azurerm_postgresql_server",
        "azurerm_mysql_server",
        "azurerm_mariadb_server",
        "azurerm_postgresql_flexible_server",
        "azurerm_mysql_flexible_server",
    ],
)
def test_db_public_network_left_out_is_reported(kind: str) -> None:
    assert DB_PUBLIC in _rules(_db(kind, ""))


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("azurerm_mssql_server", "  public_network_access_enabled = false\n"),
        ("azurerm_mssql_server", "  public_network_access_enabled = var.public\n"),  # unknown
        ("azurerm_mssql_server", "  public_network_access_enabled = true\n"),  # explicit rule
        ("azurerm_postgresql_flexible_server", "  delegated_subnet_id = azurerm_subnet.db.id\n"),
        ("azurerm_mysql_flexible_server", "  delegated_subnet_id = azurerm_subnet.db.id\n"),
    ],
)
def test_db_public_network_set_or_in_a_delegated_subnet_is_quiet(kind: str, body: str) -> None:
    assert DB_PUBLIC not in _rules(_db(kind, body))
