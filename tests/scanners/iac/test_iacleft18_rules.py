"""Session 18 (iacleft): the eleventh and twelfth samples' hold-out families, in general form.

Each new rule's vulnerable and fixed examples run in ``test_rules``; these tests pin the forms
the examples do not show and the severity decided by the written policy.
"""

from __future__ import annotations

from tests.scanners.iac.helpers import findings, scan_family

from pipesec.core.model import Rule, Severity
from pipesec.scanners.iac import IacScanner
from pipesec.scanners.iac.tfproject import scan_texts

SSM = "tf/aws-ssm-parameter-secret-not-secure"


def rule_by_id(rule_id: str) -> Rule | None:
    return next((r for r in IacScanner().rules() if r.id == rule_id), None)


def _tf(text: str, rule: str) -> list[int]:
    return [f.location.start_line for f in findings(list(scan_texts({"main.tf": text})), rule)]


def test_an_ssm_parameter_named_a_secret_in_the_module_only() -> None:
    """terrascan's ``aws_ssm_parameter.secret`` (twelfth sample, held out): the parameter's name
    is a variable (or left out), the resource's own name says it holds a secret."""
    text = (
        'resource "aws_ssm_parameter" "secret" {\n  type = "String"\n}\n'
        'resource "aws_ssm_parameter" "db_password" {\n  name = var.name\n  type = "String"\n}\n'
        'resource "aws_ssm_parameter" "endpoint" {\n  name = var.name\n  type = "String"\n}\n'
        'resource "aws_ssm_parameter" "api_key" {\n  name = var.name\n  type = "SecureString"\n}\n'
        'resource "aws_ssm_parameter" "token" {\n  name = var.name\n  type = var.type\n}\n'
    )
    assert _tf(text, SSM) == [2, 6]


def test_workload_identity_left_out_is_reported_unknown_values_are_not() -> None:
    rule = "tf/gcp-gke-workload-identity-not-enabled"
    text = (
        'resource "google_container_cluster" "a" {\n  name = "a"\n}\n'
        'resource "google_container_cluster" "b" {\n  name = "b"\n'
        "  workload_identity_config {\n    workload_pool = var.pool\n  }\n}\n"
        'resource "google_container_cluster" "c" {\n  name = "c"\n  enable_autopilot = var.ap\n}\n'
        'resource "google_container_cluster" "d" {\n  name = "d"\n'
        '  workload_identity_config {\n    workload_pool = ""\n  }\n}\n'
    )
    assert _tf(text, rule) == [1, 16]
    meta = rule_by_id(rule)
    assert meta is not None and meta.severity is Severity.MEDIUM


def test_ses_domain_dkim_found_by_the_domain_it_names() -> None:
    rule = "tf/aws-ses-domain-no-dkim"
    text = (
        'resource "aws_ses_domain_identity" "a" {\n  domain = "a.example.com"\n}\n'
        'resource "aws_ses_domain_identity" "b" {\n  domain = "b.example.com"\n}\n'
        'resource "aws_ses_domain_dkim" "b" {\n  domain = "b.example.com"\n}\n'
        'resource "aws_ses_domain_identity" "c" {\n  domain = var.c\n}\n'
        'resource "aws_ses_domain_dkim" "c" {\n  domain = aws_ses_domain_identity.c.domain\n}\n'
    )
    assert _tf(text, rule) == [1]


def test_appsync_field_logs_none_in_cloudformation_and_terraform() -> None:
    cfn = (
        "Resources:\n  Api:\n    Type: AWS::AppSync::GraphQLApi\n    Properties:\n"
        "      Name: a\n      AuthenticationType: AWS_IAM\n      LogConfig:\n"
        "        CloudWatchLogsRoleArn: arn:aws:iam::111122223333:role/logs\n"
        "        FieldLogLevel: NONE\n"
    )
    got = findings(scan_family("cfn", cfn), "cfn/aws-appsync-field-logs-disabled")
    assert [(f.location.start_line, f.severity) for f in got] == [(9, Severity.LOW)]
    assert not findings(scan_family("cfn", cfn), "cfn/aws-appsync-logging-disabled")


def test_seccomp_profile_missing_is_medium_by_the_policy() -> None:
    """Split peers (trivy KSV030 low, KICS "Seccomp Profile Is Not Configured" medium): the
    impact class decides, and the restricted Pod Security Standard requires a profile, as it
    requires dropping capabilities (raised to medium in session 15 on the same grounds)."""
    meta = rule_by_id("k8s/seccomp-profile-missing")
    assert meta is not None and meta.severity is Severity.MEDIUM
    caps = rule_by_id("k8s/capabilities-not-dropped")
    assert caps is not None and caps.severity is meta.severity
