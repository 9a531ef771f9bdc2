"""Forms of the checks that an outside sample of labelled IaC (session 7) showed missed:
privilege-escalation actions in every way an IAM policy is written, policy documents written
as data sources, settings in an older provider's block form, and the API server's
encryption configuration. Each rule's own examples run in test_rules.py / test_datarules.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.core.model import Finding
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner
from pipesec.scanners.iac.common import escalates

USER_POLICY = """
resource "aws_iam_user_policy" "ops" {{
  name = "ops"
  user = aws_iam_user.ops.name
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = {actions}, Resource = "*" }}]
  }})
}}
"""


@pytest.mark.parametrize(
    ("actions", "reported"),
    [
        ('["iam:PutUserPolicy"]', True),
        ('["iam:Attach*"]', True),  # a partial wildcard that covers iam:AttachUserPolicy
        ('["iam:PassRole", "ec2:RunInstances"]', True),  # start an instance under any role
        ('["iam:PassRole"]', False),  # nothing to pass the role to in this policy
        ('["iam:List*", "iam:Get*"]', False),
        ('"*"', False),  # administrator access: tf/aws-iam-wildcard-policy says so
    ],
)
def test_privilege_escalation_in_an_inline_policy(actions: str, reported: bool) -> None:
    text = USER_POLICY.format(actions=actions)
    hits = findings(scan_family("tf", text), "tf/aws-iam-privilege-escalation")
    assert [f.location.start_line for f in hits] == ([7] if reported else [])


def test_privilege_escalation_across_statements_of_a_policy_document() -> None:
    text = """
data "aws_iam_policy_document" "deployer" {
  statement {
    actions   = ["ec2:RunInstances", "ec2:Describe*"]
    resources = ["*"]
  }
  statement {
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }
  statement {
    actions   = ["iam:CreateAccessKey"]
    resources = ["arn:aws:iam::111122223333:user/ci"]
  }
}
"""
    hits = findings(scan_family("tf", text), "tf/aws-iam-privilege-escalation")
    assert [(f.location.start_line, f.message) for f in hits] == [
        (8, "data.aws_iam_policy_document.deployer allows iam:PassRole on *")
    ]


def test_privilege_escalation_in_a_json_template() -> None:
    text = """{
  "Resources": {
    "Ops": {
      "Type": "AWS::IAM::Policy",
      "Properties": {
        "PolicyName": "ops",
        "Users": ["ops"],
        "PolicyDocument": {
          "Statement": [
            {"Effect": "Allow", "Action": "iam:CreateLoginProfile", "Resource": "*"}
          ]
        }
      }
    }
  }
}
"""
    hits = findings(scan_family("cfn", text), "cfn/aws-iam-privilege-escalation")
    assert [f.location.start_line for f in hits] == [10]


def test_escalates_is_about_what_the_patterns_grant() -> None:
    assert escalates(["IAM:createaccesskey"])  # IAM action names are case-insensitive
    assert escalates(["iam:Put*Policy"])
    assert not escalates(["iam:*"])  # the service wildcard rule reports it
    assert not escalates(["lambda:CreateFunction", "iam:GetRole"])


def test_public_member_in_a_google_iam_policy_data_source() -> None:
    text = """
data "google_iam_policy" "public" {
  binding {
    role    = "roles/storage.objectViewer"
    members = ["user:ops@example.com"]
  }
  binding {
    role   = "roles/cloudkms.cryptoKeyDecrypter"
    member = "allAuthenticatedUsers"
  }
}
"""
    hits = findings(scan_family("tf", text), "tf/gcp-resource-public-iam")
    assert [f.location.start_line for f in hits] == [5]


def test_gke_network_policy_addon_disabled() -> None:
    text = """
resource "google_container_cluster" "main" {
  name               = "main"
  location           = "europe-west1"
  initial_node_count = 1
  addons_config {
    network_policy_config {
      disabled = true
    }
  }
}
"""
    hits = findings(scan_family("tf", text), "tf/gcp-gke-network-policy-disabled")
    assert [f.location.start_line for f in hits] == [8]


def test_storage_firewall_open_to_the_internet_in_a_separate_rules_resource() -> None:
    text = """
resource "azurerm_storage_account_network_rules" "data" {
  storage_account_id = azurerm_storage_account.data.id
  default_action     = "Deny"
  ip_rules           = ["203.0.113.7", "0.0.0.0/0"]
}
"""
    hits = findings(scan_family("tf", text), "tf/azure-storage-ip-rule-internet")
    assert [f.location.start_line for f in hits] == [5]


def test_encryption_configuration_in_a_multi_document_file() -> None:
    text = """apiVersion: v1
kind: Namespace
metadata:
  name: ops
---
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets, configmaps]
    providers:
      - identity: {}
      - kms:
          apiVersion: v2
          name: vault
          endpoint: unix:///var/run/kms.sock
"""
    hits = findings(scan_family("k8s", text), "k8s/encryption-config-identity-first")
    assert [f.location.start_line for f in hits] == [8]


ACCOUNT_ONLY = ', Condition = { StringEquals = { "kms:CallerAccount" = "1" } }'


@pytest.mark.parametrize(
    ("resource", "attr", "condition", "reported"),
    [
        ("aws_glacier_vault", "access_policy", "", True),  # the policy under another name
        ("aws_ses_identity_policy", "policy", "", True),
        ("aws_kms_key", "policy", ACCOUNT_ONLY, False),
    ],
)
def test_resource_policies_open_to_anyone(
    resource: str, attr: str, condition: str, reported: bool
) -> None:
    text = (
        f'resource "{resource}" "r" {{\n'
        f"  {attr} = jsonencode({{\n"
        '    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "*",'
        f' Resource = "*"{condition} }}]\n'
        "  })\n}\n"
    )
    hits = findings(scan_family("tf", text), "tf/aws-resource-policy-public")
    assert [f.location.start_line for f in hits] == ([2] if reported else [])


KUBELET_CONFIG = """apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: {anonymous}
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: {mode}
readOnlyPort: {port}
protectKernelDefaults: true
serverTLSBootstrap: true
rotateCertificates: true
"""


def test_kubelet_settings_in_its_configuration_file() -> None:
    bad = KUBELET_CONFIG.format(anonymous="true", mode="AlwaysAllow", port=10255)
    got = {(f.rule_id, f.location.start_line) for f in findings(scan_family("k8s", bad))}
    assert got == {
        ("k8s/kubelet-anonymous-auth", 5),
        ("k8s/kubelet-always-allow", 9),
        ("k8s/kubelet-read-only-port", 10),
    }
    good = KUBELET_CONFIG.format(anonymous="false", mode="Webhook", port=0)
    assert findings(scan_family("k8s", good)) == []
    # the file's defaults are not the flags': no anonymous access, Webhook, no read-only port
    defaults = "\\n".join(
        line for line in good.splitlines() if "anonymous" not in line and "mode" not in line
    )
    assert findings(scan_family("k8s", defaults.replace("readOnlyPort: 0\\n", ""))) == []


def test_kubernetes_manifest_written_as_json(tmp_path: Path) -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "debug"},
        "spec": {"containers": [{"name": "c", "image": "busybox", "securityContext": {}}]},
    }
    pod["spec"]["containers"][0]["securityContext"]["privileged"] = True  # type: ignore[index]
    (tmp_path / "pod.json").write_text(json.dumps(pod, indent=2))
    (tmp_path / "package.json").write_text('{"name": "app", "kind": "x", "version": "1.0.0"}')
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    hits = findings(items, "k8s/privileged-container")
    assert [(f.location.path, f.location.start_line) for f in hits] == [("pod.json", 13)]
    assert {getattr(i, "path", "") for i in items if not isinstance(i, Finding)} == set()


def test_kubelet_configuration_durations() -> None:
    text = KUBELET_CONFIG.format(anonymous="false", mode="Webhook", port=0)
    hits = findings(scan_family("k8s", text + "streamingConnectionIdleTimeout: 0s\n"))
    assert [(f.rule_id, f.location.start_line) for f in hits] == [
        ("k8s/kubelet-streaming-idle-timeout", 14)
    ]
    assert findings(scan_family("k8s", text + "streamingConnectionIdleTimeout: 5m0s\n")) == []


def test_inline_policy_blocks_of_a_role() -> None:
    text = """
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = data.aws_iam_policy_document.assume.json

  inline_policy {
    name = "reports"
    policy = jsonencode({
      Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
    })
  }

  inline_policy {
    name = "admin"
    policy = jsonencode({
      Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
    })
  }
}
"""
    hits = findings(scan_family("tf", text), "tf/aws-iam-wildcard-policy")
    assert [(f.location.start_line, f.message) for f in hits] == [
        (16, "aws_iam_role.app allows * on *")
    ]
