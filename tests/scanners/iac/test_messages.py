"""What a rule's default message shows of an attribute's value (never a whole document),
that messages are redacted like every text, and inputs too deep to read."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family

from pipesec.core import redact
from pipesec.core.engine import ScanRequest, run_scan
from pipesec.core.model import Finding
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner
from pipesec.scanners.iac.common import SHOW_MAX, show_value
from pipesec.scanners.iac.hcl import Expr


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("HTTP", '"HTTP"'),
        (True, "true"),
        (None, "null"),
        (8080, "8080"),
        (Expr("var.port"), "var.port"),
        (["*"], '["*"]'),
        ({"enable-oslogin": False}, '{"enable-oslogin": false}'),
        ([], "[]"),
        ("x" * (SHOW_MAX + 1), f"(a string of {SHOW_MAX + 1} characters)"),
        ('{\n  "Statement": []\n}', "(a string of 3 lines)"),
        (Expr("jsonencode({\n  a = 1\n})"), "(an expression of 3 lines)"),
        (Expr("x" * (SHOW_MAX + 1)), f"(an expression of {SHOW_MAX + 1} characters)"),
        (["a\nb"], "(a list of 1 item)"),
        ([{"name": "app"}, {"name": "db"}], "(a list of 2 items)"),
        ({"env": [{"name": "K", "value": "v"}]}, "(a map of 1 key)"),
        (["a" * 30, "b" * 30], "(a list of 2 items)"),
    ],
)
def test_show_value(value: object, shown: str) -> None:
    assert show_value(value) == shown


#: a queue policy written as a heredoc, a credential in one of its statements
POLICY = """resource "aws_sqs_queue_policy" "jobs" {{
  queue_url = aws_sqs_queue.jobs.id
  policy    = <<POLICY
{{
  "Statement": [{{
    "Sid": "{sid}",
    "Effect": "Allow",
    "Principal": "*",
    "Action": "sqs:*"
  }}]
}}
POLICY
}}
"""


def test_a_data_rule_never_quotes_a_multi_line_value() -> None:
    sid = "k" + "Q7vR2xT9mW4pL8nZ"
    hits = findings(scan_family("tf", POLICY.format(sid=sid)), "tf/aws-sqs-policy-wildcard-action")
    assert [f.message for f in hits] == [
        "aws_sqs_queue_policy.jobs: policy = (a string of 8 lines)"
    ]


NETWORK = """resource "aws_security_group" "admin" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "google_compute_firewall" "wide" {
  network = "default"
  allow {
    protocol = "tcp"
    ports    = ["1000-2000"]
  }
  source_ranges = ["10.10.0.0/16"]
}
"""


def test_network_rules_show_values_as_written() -> None:
    items = scan_family("tf", NETWORK)
    assert [f.message for f in findings(items, "tf/aws-sg-open-ssh")] == [
        'aws_security_group.admin: ssh open to ["0.0.0.0/0"]'
    ]
    assert [f.message for f in findings(items, "tf/gcp-firewall-wide-port-range")] == [
        'google_compute_firewall.wide: ports ["1000-2000"]'
    ]


def test_a_cloudformation_rule_never_quotes_a_multi_line_value() -> None:
    from pipesec.core.yamlpos import YNode
    from pipesec.scanners.iac.cfn_rules import _show

    assert _show(YNode("a\nb", 1, 1)) == "(a string of 2 lines)"
    assert _show(YNode("HTTP", 1, 1)) == '"HTTP"'
    assert _show(YNode({"Ref": YNode("Bucket", 1, 1)}, 1, 1)) == "!Ref Bucket"


@pytest.fixture
def marked() -> Iterator[str]:
    """A detector that recognises one word as a secret (as the secrets engine would)."""
    word = "Data_Exfiltration"
    redact.register_detector(
        "test-messages", lambda text: [(m.start(), m.end()) for m in re.finditer(word, text)]
    )
    yield word
    redact.unregister_detector("test-messages")


def test_the_value_a_message_shows_is_redacted(tmp_path: Path, marked: str) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "azurerm_mssql_server_security_alert_policy" "main" {\n'
        f'  disabled_alerts = ["Sql_Injection", "{marked}"]\n'
        "}\n"
    )
    report = run_scan(ScanRequest(root=tmp_path), [IacScanner()])
    hits = [f for f in report.findings if f.rule_id == "tf/azure-sql-threat-alerts-excluded"]
    assert len(hits) == 1
    assert '"Sql_Injection"' in hits[0].message and redact.MASK in hits[0].message
    assert marked not in hits[0].message and marked not in hits[0].snippet


def _deep_pod(depth: int) -> str:
    head = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "deep"}, "spec": '
    return head + "[" * depth + "]" * depth + "}"


def test_a_json_manifest_too_deep_to_read_is_an_error_and_the_rest_is_scanned(
    tmp_path: Path,
) -> None:
    (tmp_path / "deep.json").write_text(_deep_pod(100_000))
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "debug"},
        "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]},
    }
    pod["spec"]["containers"][0]["securityContext"] = {"privileged": True}  # type: ignore[index]
    (tmp_path / "pod.json").write_text(json.dumps(pod, indent=2))
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    assert [(e.path, e.message) for e in errors(items)] == [
        ("deep.json", "invalid JSON: nested more than 1000 levels deep; not parsed")
    ]
    hits = findings(items, "k8s/privileged-container")
    assert [f.location.path for f in hits] == ["pod.json"]
    assert all(isinstance(i, Finding) or i.path != "pod.json" for i in items)
