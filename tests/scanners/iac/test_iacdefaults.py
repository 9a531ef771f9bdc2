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
        '  name   = "projects/p/policies/compute.vmExternalIpAccess"\n  parent = "projects/p"\n}\n',
    ],
)
def test_private_pools_or_org_policy_in_the_module_is_quiet(other: str) -> None:
    assert PRIVATE not in _rules(other + _cluster(""))


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
