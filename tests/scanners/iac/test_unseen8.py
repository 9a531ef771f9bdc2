"""Session 14: the families an unseen sample (cfripper, regula, kubeaudit, kube-linter tests)
found missing, each in its general form, with the forms that must stay quiet: EC2-Classic DB
security groups open to the internet, IAM deletions on every resource, S3 bucket policies that
do not refuse plain HTTP, a ServiceAccount that turns token automounting off, and namespaces
without a default-deny NetworkPolicy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner

DBSG = "aws-db-security-group-public"
DELETE = "aws-iam-delete-on-all-resources"
TLS = "aws-s3-policy-allows-plain-http"
AUTOMOUNT = "k8s/service-account-token-automount"
DENY = "k8s/namespace-no-default-deny"


def _cfn(resources: dict[str, object]) -> str:
    return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}, indent=2)


# -- EC2-Classic DB and Redshift security groups open to the internet -------------------------


@pytest.mark.parametrize(
    ("kind", "props", "reported"),
    [
        (
            "AWS::RDS::DBSecurityGroup",
            {
                "GroupDescription": "g",
                "DBSecurityGroupIngress": [{"CIDRIP": "10.0.0.0/8"}, {"CIDRIP": "0.0.0.0/0"}],
            },
            True,
        ),
        (
            "AWS::RDS::DBSecurityGroup",
            {"GroupDescription": "g", "DBSecurityGroupIngress": {"CIDRIP": "0.0.0.0/0"}},
            True,
        ),
        (
            "AWS::RDS::DBSecurityGroup",
            {
                "GroupDescription": "g",
                "DBSecurityGroupIngress": [
                    {"CIDRIP": "10.0.0.0/8"},
                    {"EC2SecurityGroupName": "web"},
                ],
            },
            False,
        ),
        (
            "AWS::RDS::DBSecurityGroupIngress",
            {"DBSecurityGroupName": "g", "CIDRIP": "0.0.0.0/0"},
            True,
        ),
        (
            "AWS::RDS::DBSecurityGroupIngress",
            {"DBSecurityGroupName": "g", "CIDRIP": "10.1.0.0/16"},
            False,
        ),
        (
            "AWS::Redshift::ClusterSecurityGroupIngress",
            {"ClusterSecurityGroupName": "g", "CIDRIP": "0.0.0.0/0"},
            True,
        ),
        (
            "AWS::RDS::DBSecurityGroupIngress",
            {"DBSecurityGroupName": "g", "CIDRIP": {"Ref": "Cidr"}},
            False,
        ),
    ],
)
def test_classic_db_security_group_open_to_the_internet_cfn(
    kind: str, props: dict[str, object], reported: bool
) -> None:
    got = findings(
        scan_family("cfn", _cfn({"G": {"Type": kind, "Properties": props}})), f"cfn/{DBSG}"
    )
    assert bool(got) is reported
    if reported:
        assert got[0].severity.value == "high"


@pytest.mark.parametrize(
    ("kind", "cidr", "reported"),
    [
        ("aws_db_security_group", "0.0.0.0/0", True),
        ("aws_redshift_security_group", "0.0.0.0/0", True),
        ("aws_db_security_group", "192.168.0.0/16", False),
    ],
)
def test_classic_db_security_group_open_to_the_internet_terraform(
    kind: str, cidr: str, reported: bool
) -> None:
    tf = f'resource "{kind}" "g" {{\n  name = "g"\n\n  ingress {{\n    cidr = "{cidr}"\n  }}\n}}\n'
    got = findings(scan_family("tf", tf), f"tf/{DBSG}")
    assert bool(got) is reported
    if reported:
        assert got[0].location.start_line == 5  # the cidr line


# -- IAM: deleting every resource of a kind ------------------------------------------------


def _statement(actions: object, resource: object = "*", effect: str = "Allow") -> dict[str, object]:
    return {"Effect": effect, "Action": actions, "Resource": resource}


@pytest.mark.parametrize(
    ("statement", "reported"),
    [
        (_statement(["s3:ListBucket", "s3:DeleteBucket"]), True),
        (_statement("dynamodb:DeleteTable"), True),
        (_statement(["ec2:TerminateInstances"]), True),
        (_statement(["ecr:BatchDeleteImage"]), True),
        (_statement(["sqs:PurgeQueue"]), True),
        (_statement(["kms:ScheduleKeyDeletion"]), True),
        (_statement(["s3:DeleteObject"], ["arn:aws:s3:::scratch/*", "*"]), True),
        (_statement(["s3:DeleteBucket"], "arn:aws:s3:::scratch-*"), False),
        (_statement(["s3:DeleteBucket"], effect="Deny"), False),
        # routine shapes: a Lambda's network interfaces, a consumer's messages, tags
        (_statement(["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"]), False),
        (_statement(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:DeleteMessageBatch"]), False),
        (_statement(["ec2:DeleteTags", "rds:RemoveTagsFromResource"]), False),
        # wildcards belong to the wildcard and action-pattern rules
        (_statement(["s3:Delete*"]), False),
        (_statement(["s3:GetObject", "s3:PutObject"]), False),
    ],
)
def test_delete_on_all_resources_in_terraform_and_cloudformation(
    statement: dict[str, object], reported: bool
) -> None:
    doc = json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)
    tf = f'resource "aws_iam_policy" "p" {{\n  name   = "p"\n  policy = <<EOF\n{doc}\nEOF\n}}\n'
    assert bool(findings(scan_family("tf", tf), f"tf/{DELETE}")) is reported
    cfn = _cfn(
        {
            "P": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}
                },
            }
        }
    )
    assert bool(findings(scan_family("cfn", cfn), f"cfn/{DELETE}")) is reported


def test_delete_on_all_resources_in_an_inline_user_policy_with_one_statement_map() -> None:
    """The statement is a map, not a list, inside an IAM user's Policies (cfripper's form)."""
    cfn = _cfn(
        {
            "U": {
                "Type": "AWS::IAM::User",
                "Properties": {
                    "Policies": [
                        {
                            "PolicyName": "p",
                            "PolicyDocument": {
                                "Statement": _statement(["s3:DeleteBucket", "s3:ListBucket"])
                            },
                        }
                    ]
                },
            }
        }
    )
    got = findings(scan_family("cfn", cfn), f"cfn/{DELETE}")
    assert len(got) == 1 and got[0].severity.value == "medium"


def test_delete_on_all_resources_in_a_policy_document_data_source() -> None:
    tf = """
data "aws_iam_policy_document" "janitor" {
  statement {
    actions   = ["rds:DeleteDBInstance", "rds:DescribeDBInstances"]
    resources = ["*"]
  }
}
"""
    got = findings(scan_family("tf", tf), f"tf/{DELETE}")
    assert len(got) == 1 and got[0].location.start_line == 4


def test_a_key_policy_on_its_own_key_is_not_an_identity_policy() -> None:
    """A KMS key policy's Resource "*" is the key itself."""
    cfn = _cfn(
        {
            "K": {
                "Type": "AWS::KMS::Key",
                "Properties": {
                    "KeyPolicy": {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                                "Action": ["kms:ScheduleKeyDeletion"],
                                "Resource": "*",
                            }
                        ]
                    }
                },
            }
        }
    )
    assert not findings(scan_family("cfn", cfn), f"cfn/{DELETE}")


# -- S3 bucket policies that do not refuse plain HTTP -----------------------------------------

_ALLOW = {
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/r"},
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::b/*",
}


def _deny(value: object, op: str = "Bool") -> dict[str, object]:
    return {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
        "Condition": {op: {"aws:SecureTransport": value}},
    }


@pytest.mark.parametrize(
    ("statements", "reported"),
    [
        ([_ALLOW], True),
        # an Allow on SecureTransport false is no refusal (regula's failing form)
        ([{**_ALLOW, "Condition": {"Bool": {"aws:SecureTransport": "false"}}}], True),
        ([{**_deny("false"), "Condition": {"StringLike": {"aws:Referer": "http://x/*"}}}], True),
        ([_ALLOW, _deny("false")], False),
        ([_ALLOW, _deny(False)], False),
        ([_ALLOW, _deny(["false"], "BoolIfExists")], False),
    ],
)
def test_bucket_policy_without_a_deny_on_plain_http(
    statements: list[dict[str, object]], reported: bool
) -> None:
    doc = {"Version": "2012-10-17", "Statement": statements}
    tf = (
        'resource "aws_s3_bucket_policy" "b" {\n  bucket = aws_s3_bucket.b.id\n'
        f"  policy = <<EOF\n{json.dumps(doc, indent=2)}\nEOF\n}}\n"
    )
    assert bool(findings(scan_family("tf", tf), f"tf/{TLS}")) is reported
    cfn = _cfn(
        {
            "P": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {"Bucket": {"Ref": "B"}, "PolicyDocument": doc},
            }
        }
    )
    got = findings(scan_family("cfn", cfn), f"cfn/{TLS}")
    assert bool(got) is reported
    if reported:
        assert got[0].severity.value == "medium"


@pytest.mark.parametrize(("deny", "reported"), [(True, False), (False, True)])
def test_bucket_policy_from_a_policy_document_data_source(deny: bool, reported: bool) -> None:
    refuse = """
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
"""
    tf = f"""
data "aws_iam_policy_document" "b" {{
  statement {{
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }}
{refuse if deny else ""}}}

resource "aws_s3_bucket_policy" "b" {{
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.b.json
}}
"""
    assert bool(findings(scan_family("tf", tf), f"tf/{TLS}")) is reported


def test_a_bucket_policy_the_scanner_cannot_read_is_not_judged() -> None:
    tf = 'resource "aws_s3_bucket_policy" "b" {\n  bucket = "b"\n  policy = var.policy\n}\n'
    assert not findings(scan_family("tf", tf), f"tf/{TLS}")
    cfn = _cfn(
        {
            "P": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {"Bucket": "b", "PolicyDocument": {"Fn::GetAtt": ["X", "Doc"]}},
            }
        }
    )
    assert not findings(scan_family("cfn", cfn), f"cfn/{TLS}")


# -- Kubernetes: a ServiceAccount that turns token automounting off ---------------------------

_DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
POD_EXTRA      containers:
        - name: web
          image: nginx:1.27
"""


def _sa(name: str, namespace: str = "shop", off: bool = True) -> str:
    return (
        f"---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n"
        f"  namespace: {namespace}\nautomountServiceAccountToken: {str(not off).lower()}\n"
    )


@pytest.mark.parametrize(
    ("pod_extra", "service_account", "reported"),
    [
        ("      serviceAccountName: web\n", _sa("web"), False),
        ("", _sa("default"), False),  # no serviceAccountName: the namespace's default
        ("      serviceAccountName: web\n", "", True),
        ("      serviceAccountName: web\n", _sa("web", off=False), True),
        ("      serviceAccountName: web\n", _sa("other"), True),
        ("      serviceAccountName: web\n", _sa("web", namespace="billing"), True),
        # the pod's own setting wins over its service account's
        (
            "      serviceAccountName: web\n      automountServiceAccountToken: true\n",
            _sa("web"),
            True,
        ),
    ],
)
def test_a_service_account_that_turns_automounting_off(
    pod_extra: str, service_account: str, reported: bool
) -> None:
    text = _DEPLOYMENT.replace("POD_EXTRA", pod_extra) + service_account
    assert bool(findings(scan_family("k8s", text), AUTOMOUNT)) is reported


# -- Kubernetes: namespaces without a default-deny NetworkPolicy ------------------------------

_NS = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"


def _policy(spec: str, namespace: str | None = "shop") -> str:
    ns = f"  namespace: {namespace}\n" if namespace else ""
    return (
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
        f"  name: p\n{ns}spec:\n{spec}"
    )


_BOTH = "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n"


@pytest.mark.parametrize(
    ("policy", "missing"),
    [
        ("", "ingress or egress"),
        (_policy(_BOTH), None),
        (_policy("  podSelector: {}\n  policyTypes: [Ingress]\n"), "egress"),
        (_policy("  podSelector: {}\n"), "egress"),  # no policyTypes: Ingress only
        (_policy("  podSelector: {}\n  egress:\n    - to: [{podSelector: {}}]\n"), None),
        (
            _policy(
                "  podSelector:\n    matchLabels: {app: web}\n  policyTypes: [Ingress, Egress]\n"
            ),
            "ingress or egress",
        ),  # selects some pods only
        (_policy(_BOTH, namespace="ops"), "ingress or egress"),  # another namespace's
        (_policy(_BOTH, namespace=None), None),  # no namespace: applied into it, benefit of doubt
    ],
)
def test_a_namespace_without_a_default_deny_network_policy(
    policy: str, missing: str | None
) -> None:
    got = findings(scan_family("k8s", _NS + policy), DENY)
    assert [f.message.rsplit("isolates ", 1)[1] for f in got] == ([missing] if missing else [])
    if got:
        assert got[0].severity.value == "low" and got[0].location.start_line == 4


def test_system_namespaces_are_not_judged() -> None:
    assert not findings(scan_family("k8s", _NS.replace("shop", "kube-system")), DENY)


def _deny_rules(tmp_path: Path, files: dict[str, str]) -> set[str]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    items = IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings())
    return {f.location.path for f in findings(list(items), DENY)}


def test_a_default_deny_policy_in_another_file_of_the_tree_counts(tmp_path: Path) -> None:
    files = {"base/namespace.yaml": _NS, "policies/deny.yaml": _policy(_BOTH)}
    assert _deny_rules(tmp_path, files) == set()
    files = {"base/namespace.yaml": _NS, "policies/deny.yaml": _policy(_BOTH, namespace="ops")}
    assert _deny_rules(tmp_path / "other", files) == {"base/namespace.yaml"}
