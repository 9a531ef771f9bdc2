"""Session 15: what a ninth unseen sample (semgrep-rules' Terraform, Kubernetes and Dockerfile
security tests) found missing, each in its general form, with the forms that must stay quiet:
a heredoc's white space (an indented YAML document lost its first line's indentation), Session
Manager documents that log nothing, BuildKit's privileged RUN, and APIServices that skip TLS
verification of their backend."""

from __future__ import annotations

import json

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family

from pipesec.scanners.iac import hcl
from pipesec.scanners.iac.tfproject import load_file

LOGGING = "aws-ssm-session-logging-disabled"
UNENCRYPTED = "aws-ssm-session-logs-unencrypted"
INSECURE_RUN = "docker/run-security-insecure"
APISERVICE = "k8s/apiservice-skip-tls-verify"


def _attrs(tf: str) -> dict[str, object]:
    block = hcl.declared_blocks(load_file("main.tf", tf))[0]
    return {name: a.value for name, a in block.attrs.items()}


# -- heredocs keep their white space ----------------------------------------------------------


def test_heredoc_keeps_the_first_lines_indentation() -> None:
    tf = 'resource "a_b" "c" {\n  doc = <<DOC\n  a: 1\n  b:\n    c: 2\nDOC\n}\n'
    assert _attrs(tf)["doc"] == "  a: 1\n  b:\n    c: 2"


def test_heredoc_keeps_the_blanks_beside_an_interpolation() -> None:
    tf = 'resource "a_b" "c" {\n  doc = <<DOC\nkey: ${"v"} tail\n  ${"w"}\nDOC\n}\n'
    assert _attrs(tf)["doc"] == "key: v tail\n  w"


def test_indented_heredoc_is_stripped_by_its_least_indented_line() -> None:
    tf = 'resource "a_b" "c" {\n  doc = <<-EOT\n    one\n      two\n    EOT\n}\n'
    assert _attrs(tf)["doc"] == "one\n  two"


# -- Session Manager documents ----------------------------------------------------------------


def _ssm(content: str, fmt: str = "YAML", kind: str = "Session") -> str:
    return (
        'resource "aws_ssm_document" "prefs" {\n'
        '  name            = "SSM-SessionManagerRunShell"\n'
        f'  document_type   = "{kind}"\n'
        f'  document_format = "{fmt}"\n'
        f"  content = <<DOC\n{content}DOC\n}}\n"
    )


_YAML_NO_LOGS = """  schemaVersion: '1.0'
  sessionType: Standard_Stream
  inputs:
    s3BucketName: ''
    cloudWatchLogGroupName: ''
"""
_JSON_NO_LOGS = """  {
    "schemaVersion": "1.0",
    "sessionType": "Standard_Stream",
    "inputs": {"s3BucketName": "", "cloudWatchLogGroupName": ""}
  }
"""


@pytest.mark.parametrize(
    ("content", "fmt", "kind", "rule", "reported"),
    [
        # the sample's YAML form: every line indented (the first one's was lost)
        (_YAML_NO_LOGS, "YAML", "Session", LOGGING, True),
        (_JSON_NO_LOGS, "JSON", "Session", LOGGING, True),
        # no inputs at all: nothing is logged
        ("schemaVersion: '1.0'\nsessionType: Standard_Stream\n", "YAML", "Session", LOGGING, True),
        (
            _YAML_NO_LOGS.replace("cloudWatchLogGroupName: ''", "cloudWatchLogGroupName: /ssm"),
            "YAML",
            "Session",
            LOGGING,
            False,
        ),
        # port forwarding cannot be logged; a Command document is no session preference
        (_YAML_NO_LOGS.replace("Standard_Stream", "Port"), "YAML", "Session", LOGGING, False),
        (_YAML_NO_LOGS, "YAML", "Command", LOGGING, False),
        # a bucket that need not be encrypted; one that must
        (
            _YAML_NO_LOGS.replace(
                "s3BucketName: ''", "s3BucketName: logs\n    s3EncryptionEnabled: false"
            ),
            "YAML",
            "Session",
            UNENCRYPTED,
            True,
        ),
        (
            _YAML_NO_LOGS.replace(
                "s3BucketName: ''", "s3BucketName: logs\n    s3EncryptionEnabled: true"
            ),
            "YAML",
            "Session",
            UNENCRYPTED,
            False,
        ),
        # encryption off, but nothing sent there
        (
            _YAML_NO_LOGS.replace(
                "s3BucketName: ''", "s3BucketName: ''\n    s3EncryptionEnabled: false"
            ),
            "YAML",
            "Session",
            UNENCRYPTED,
            False,
        ),
    ],
)
def test_session_manager_documents(
    content: str, fmt: str, kind: str, rule: str, reported: bool
) -> None:
    got = findings(scan_family("tf", _ssm(content, fmt, kind)), f"tf/{rule}")
    assert bool(got) is reported


def test_session_document_with_an_unknown_content_is_not_judged() -> None:
    content = (
        "  schemaVersion: '1.0'\n  sessionType: Standard_Stream\n"
        "  inputs:\n    s3BucketName: ${var.bucket}\n"
    )
    tf = 'variable "bucket" {}\n' + _ssm(content)
    assert not findings(scan_family("tf", tf), f"tf/{LOGGING}")


def test_session_document_yaml_alias_bomb_is_no_finding_and_no_error() -> None:
    bomb = "  a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        refs = ", ".join([f"*{chr(96 + i)}"] * 10)
        bomb += f"  {chr(97 + i)}: &{chr(97 + i)} [{refs}]\n"
    bomb += "  sessionType: Standard_Stream\n"
    items = scan_family("tf", _ssm(bomb))
    assert not findings(items, f"tf/{LOGGING}")
    assert not errors(items)


def test_session_document_in_cloudformation_content_map() -> None:
    tpl = (
        "Resources:\n  Prefs:\n    Type: AWS::SSM::Document\n    Properties:\n"
        "      DocumentType: Session\n      Content:\n        schemaVersion: '1.0'\n"
        "        sessionType: Standard_Stream\n"
        "        inputs:\n          idleSessionTimeout: '20'\n"
    )
    assert findings(scan_family("cfn", tpl), f"cfn/{LOGGING}")


# -- RUN --security=insecure -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("run", "line"),
    [
        ("RUN --security=insecure cat /proc/self/status\n", 2),
        ('RUN --security=insecure ["cat", "/proc/self/status"]\n', 2),
        ("RUN --network=none --security=insecure make build\n", 2),
        (
            "RUN --mount=type=cache,target=/root/.cache \\\n    --security=insecure \\\n    make\n",
            3,
        ),
    ],
)
def test_run_security_insecure_is_reported_at_its_flag(run: str, line: int) -> None:
    got = findings(scan_family("docker", f"FROM alpine:3.20\n{run}USER nobody\n"), INSECURE_RUN)
    assert [f.location.start_line for f in got] == [line]


@pytest.mark.parametrize(
    "run",
    [
        "RUN --security=sandbox true\n",
        "RUN echo --security=insecure\n",
        "RUN true\n",
    ],
)
def test_run_security_insecure_quiet_forms(run: str) -> None:
    assert not findings(scan_family("docker", f"FROM alpine:3.20\n{run}"), INSECURE_RUN)


def test_run_security_insecure_in_a_builder_stage_is_reported() -> None:
    df = (
        "FROM alpine:3.20 AS build\nRUN --security=insecure make\n"
        "FROM alpine:3.20\nCOPY --from=build /out /out\nUSER nobody\n"
    )
    assert findings(scan_family("docker", df), INSECURE_RUN)


# -- APIService insecureSkipTLSVerify --------------------------------------------------------


@pytest.mark.parametrize(("value", "reported"), [("true", True), ("false", False)])
def test_apiservice_skip_tls_verify(value: str, reported: bool) -> None:
    doc = (
        "apiVersion: apiregistration.k8s.io/v1\nkind: APIService\n"
        "metadata:\n  name: v1beta1.metrics.k8s.io\n"
        "spec:\n  service: {name: metrics-server, namespace: kube-system}\n"
        f"  group: metrics.k8s.io\n  version: v1beta1\n  insecureSkipTLSVerify: {value}\n"
    )
    assert bool(findings(scan_family("k8s", doc), APISERVICE)) is reported


# -- IAM Identity Center permission sets' inline policies (second draw) ----------------------


def _permission_set(action: str, resource: str) -> str:
    return (
        'resource "aws_ssoadmin_permission_set_inline_policy" "ops" {\n'
        "  instance_arn       = aws_ssoadmin_permission_set.ops.instance_arn\n"
        "  permission_set_arn = aws_ssoadmin_permission_set.ops.arn\n"
        "  inline_policy = jsonencode({\n"
        '    Version   = "2012-10-17"\n'
        f'    Statement = [{{ Effect = "Allow", Action = {action}, Resource = {resource} }}]\n'
        "  })\n}\n"
    )


@pytest.mark.parametrize(
    ("action", "resource", "rule", "reported"),
    [
        ('["s3:HeadBucket", "*"]', '["arn:aws:s3:::b1", "*"]', "tf/aws-iam-wildcard-policy", True),
        ('"s3:*"', '"*"', "tf/aws-iam-service-wildcard-policy", True),
        ('"iam:CreateAccessKey"', '"*"', "tf/aws-iam-privilege-escalation", True),
        ('["s3:GetObject"]', '"arn:aws:s3:::b1/*"', "tf/aws-iam-wildcard-policy", False),
    ],
)
def test_permission_set_inline_policy_is_an_identity_policy(
    action: str, resource: str, rule: str, reported: bool
) -> None:
    got = findings(scan_family("tf", _permission_set(action, resource)), rule)
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("policy", "rule", "reported"),
    [
        (
            {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
            "cfn/aws-iam-wildcard-policy",
            True,
        ),
        (
            '{"Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}',
            "cfn/aws-iam-service-wildcard-policy",
            True,
        ),
        (
            {"Statement": [{"Effect": "Allow", "Action": ["iam:PutRolePolicy"], "Resource": "*"}]},
            "cfn/aws-iam-privilege-escalation",
            True,
        ),
        (
            {
                "Statement": [
                    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
                ]
            },
            "cfn/aws-iam-wildcard-policy",
            False,
        ),
    ],
)
def test_cloudformation_permission_set_inline_policy(
    policy: object, rule: str, reported: bool
) -> None:
    tpl = json.dumps(
        {
            "Resources": {
                "Ops": {
                    "Type": "AWS::SSO::PermissionSet",
                    "Properties": {
                        "InstanceArn": "arn:aws:sso:::instance/ssoins-1",
                        "Name": "ops",
                        "InlinePolicy": policy,
                    },
                }
            }
        },
        indent=2,
    )
    assert bool(findings(scan_family("cfn", tpl), rule)) is reported
