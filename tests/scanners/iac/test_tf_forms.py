"""Terraform semantics across provider versions and spellings: legacy attribute forms are
reported where they are written, and world() knows every spelling of "anyone"."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.scanners.iac.common import is_world

AKS = (
    'resource "azurerm_kubernetes_cluster" "k8s" {{\n'
    '  name                = "k8s"\n'
    '  location            = "westeurope"\n'
    '  resource_group_name = "rg"\n'
    '  dns_prefix          = "k8s"\n'
    "{body}"
    "}}\n"
)


def test_legacy_aks_rbac_block_disabled_is_reported_at_its_enabled_line() -> None:
    text = AKS.format(body="  role_based_access_control {\n    enabled = false\n  }\n")
    hits = findings(scan_family("tf", text), "tf/azure-aks-rbac-disabled")
    assert [(f.location.start_line, f.message) for f in hits] == [
        (7, "azurerm_kubernetes_cluster.k8s: role_based_access_control.enabled = false")
    ]


@pytest.mark.parametrize(
    "body",
    [
        "  role_based_access_control {\n    enabled = true\n  }\n",  # azurerm 2.x
        "  role_based_access_control_enabled = true\n",  # 3.x and later
        "",  # the default is on
    ],
)
def test_aks_rbac_enabled_in_either_form_is_clean(body: str) -> None:
    text = AKS.format(body=body)
    assert not findings(scan_family("tf", text), "tf/azure-aks-rbac-disabled")


@pytest.mark.parametrize(
    "value",
    ["0.0.0.0/0", " 0.0.0.0/0 ", "::/0", "0::0/0", "0.0.0.0/00", "0.0.0.0", "*", "Internet"],
)
def test_world_spellings(value: str) -> None:
    assert is_world(value)


@pytest.mark.parametrize(
    "value", ["10.0.0.0/8", "0.0.0.0/1", "::/1", "VirtualNetwork", "x/0", "", "0.0.0.0/x"]
)
def test_not_world(value: str) -> None:
    assert not is_world(value)


def test_world_in_a_rule_condition_takes_the_new_spellings() -> None:
    """A security group rule whose list holds an IPv6 /0 written long-hand."""
    text = (
        'resource "aws_security_group" "ssh" {\n  name = "ssh"\n  description = "ssh"\n'
        '  ingress {\n    description = "ssh"\n    from_port = 22\n    to_port = 22\n'
        '    protocol = "tcp"\n    ipv6_cidr_blocks = ["2001:db8::/32", "0::0/0"]\n  }\n}\n'
    )
    rules = {f.rule_id for f in findings(scan_family("tf", text))}
    assert "tf/aws-sg-open-ssh" in rules
