"""Terraform semantics across provider versions and spellings: legacy attribute forms are
reported where they are written, and world() knows every spelling of "anyone"."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.scanners.iac.helpers import findings, notes, scan_family

from pipesec.core.model import ScanError
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


SG = (
    'variable "ssh_from" {\n  default = "10.0.0.0/8"\n}\n\n'
    'resource "aws_security_group" "ssh" {\n  name        = "ssh"\n  description = "ssh"\n'
    '  ingress {\n    description = "ssh"\n    from_port   = 22\n    to_port     = 22\n'
    '    protocol    = "tcp"\n    cidr_blocks = [var.ssh_from]\n  }\n}\n'
)


def test_operator_var_file_values_override_the_tree_and_its_tfvars(tmp_path: Path) -> None:
    """--var-file is the operator's (trusted) input: its values win over the tree's
    defaults and auto-loaded tfvars, as terraform's -var-file does."""
    from pipesec.core.config import Config
    from pipesec.core.engine import ScanRequest, run_scan

    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "main.tf").write_text(SG)
    (tree / "terraform.tfvars").write_text('ssh_from = "10.1.0.0/16"\n')
    ops = tmp_path / "prod.tfvars"
    ops.write_text('ssh_from = "0.0.0.0/0"\n')

    def rules(inputs: dict[str, list[str]]) -> set[str]:
        req = ScanRequest(root=tree, config=Config(), scanners=["iac"], inputs=inputs)
        return {f.rule_id for f in run_scan(req).findings}

    assert "tf/aws-sg-open-ssh" not in rules({})
    assert "tf/aws-sg-open-ssh" in rules({"tf-var-file": [str(ops)]})
    as_json = tmp_path / "prod.tfvars.json"
    as_json.write_text('{"ssh_from": "0.0.0.0/0"}')
    assert "tf/aws-sg-open-ssh" in rules({"tf-var-file": [str(as_json)]})


def test_broken_operator_var_file_is_an_error_at_its_path(tmp_path: Path) -> None:
    from pipesec.scanners.iac.scanner import _operator_var_file

    bad = tmp_path / "bad.tfvars"
    bad.write_text("ssh_from = [\n")
    got = _operator_var_file(str(bad))
    assert isinstance(got, ScanError) and got.path == str(bad) and "--var-file" in got.message
    assert isinstance(_operator_var_file(str(tmp_path / "missing.tfvars")), ScanError)


def test_a_module_from_a_registry_or_git_is_a_note_once_per_call() -> None:
    text = (
        'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\n'
        'module "app" {\n  source = "git::https://example.com/app.git?ref=v1"\n}\n'
        'module "local" {\n  source = "./modules/none"\n}\n'
    )
    got = [(n.path, n.kind, n.message.split(":")[0]) for n in notes(scan_family("tf", text))]
    assert got == [
        ("main.tf", "unresolved-module", "module vpc"),
        ("main.tf", "unresolved-module", "module app"),
    ]


def test_json_over_the_size_limit_is_a_note_and_a_big_plan_an_error(tmp_path: Path) -> None:
    from pipesec.core.model import Note
    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.workspace import Workspace
    from pipesec.scanners.iac import IacScanner

    (tmp_path / "data.json").write_bytes(b'{"data": "' + b"x" * 2_000 + b'"}')
    plan = b'{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {}'
    (tmp_path / "plan.json").write_bytes(plan + b', "x": "' + b"y" * 2_000 + b'"}')
    ws = Workspace(tmp_path, use_git=False, max_file_size=1_000)
    items = list(IacScanner().scan(ws, ScannerSettings()))
    assert [(i.path, type(i)) for i in items if isinstance(i, Note | ScanError)] == [
        ("data.json", Note),
        ("plan.json", ScanError),
    ]


@pytest.mark.parametrize(
    ("rule", "resource", "legacy_line"),
    [
        (
            "azure-nic-ip-forwarding",
            'resource "azurerm_network_interface" "n" {\n  name = "n"\n',
            "  enable_ip_forwarding = true\n",
        ),
        (
            "azure-redis-non-ssl-port",
            'resource "azurerm_redis_cache" "r" {\n  name = "r"\n',
            "  enable_non_ssl_port = true\n",
        ),
        (
            "azure-windows-vm-auto-updates-disabled",
            'resource "azurerm_windows_virtual_machine" "w" {\n  name = "w"\n',
            "  enable_automatic_updates = false\n",
        ),
        (
            "azure-db-ssl-not-enforced",
            'resource "azurerm_postgresql_server" "p" {\n  name = "p"\n',
            '  ssl_enforcement = "Disabled"\n',
        ),
        (
            "gcp-gke-binary-authorization-disabled",
            'resource "google_container_cluster" "g" {\n  name = "g"\n',
            "  enable_binary_authorization = false\n",
        ),
    ],
)
def test_a_legacy_attribute_form_is_reported_at_its_own_line(
    rule: str, resource: str, legacy_line: str
) -> None:
    """Renamed settings (azurerm 3.x/4.x, google): the older spelling is pointed at, with
    its own name in the message, not 'the new name is not set' at the resource line."""
    hits = findings(scan_family("tf", resource + legacy_line + "}\n"), f"tf/{rule}")
    name = legacy_line.split("=")[0].strip()
    assert [(f.location.start_line, name in f.message) for f in hits] == [(3, True)]
