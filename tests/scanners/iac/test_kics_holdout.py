"""Session 13: the families session 12's KICS hold-out missed (cross-account role trust,
Allow with NotAction, an Alexa skill's credentials, API Gateway detailed metrics), each in
the general form, with the forms that must stay quiet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.core.engine import ScanRequest, run_scan
from pipesec.scanners.iac.trust import UNKNOWN, account_trust

CROSS = "tf/aws-iam-role-cross-account-no-external-id"
CFN_CROSS = "cfn/aws-iam-role-cross-account-no-external-id"


def _role(statement: dict[str, object]) -> str:
    doc = json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)
    head = 'resource "aws_iam_role" "r" {\n  name = "r"\n'
    return f"{head}  assume_role_policy = <<EOF\n{doc}\nEOF\n}}\n"


ACCOUNT = "987654321145"
MFA = "aws:MultiFactorAuthPresent"


def _trust(principal: object, condition: object = None, action: object = "sts:AssumeRole") -> dict:
    st: dict[str, object] = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition is not None:
        st["Condition"] = condition
    return st


@pytest.mark.parametrize(
    ("statement", "reported"),
    [
        (_trust({"AWS": "arn:aws:iam::987654321145:root"}), True),
        (_trust({"AWS": ["987654321145"]}), True),
        (_trust({"AWS": "arn:aws-us-gov:iam::987654321145:root"}), True),
        (_trust({"AWS": "arn:aws:iam::987654321145:root"}, action="sts:*"), True),
        # a guard that guards nothing: an empty external id, MFA false, IfExists
        (_trust({"AWS": ACCOUNT}, {"StringEquals": {"sts:ExternalId": ""}}), True),
        (_trust({"AWS": ACCOUNT}, {"Bool": {MFA: "false"}}), True),
        (
            _trust({"AWS": ACCOUNT}, {"BoolIfExists": {MFA: "true"}}),
            True,
        ),
        (_trust({"AWS": ACCOUNT}, {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}), True),
        # a pattern that matches any value guards nothing (review, session 13)
        (_trust({"AWS": ACCOUNT}, {"StringLike": {"sts:ExternalId": "*"}}), True),
        (_trust({"AWS": ACCOUNT}, {"StringLike": {"aws:PrincipalOrgID": ["o-*", "*"]}}), True),
        # guarded
        (_trust({"AWS": ACCOUNT}, {"StringEquals": {"sts:ExternalId": "98765"}}), False),
        (_trust({"AWS": ACCOUNT}, {"Bool": {MFA: "true"}}), False),
        (_trust({"AWS": ACCOUNT}, {"Bool": {MFA: True}}), False),
        (
            _trust({"AWS": ACCOUNT}, {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}),
            False,
        ),
        (
            _trust({"AWS": ACCOUNT}, {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}),
            False,
        ),
        # not a whole other account: a role, a service, a federated provider, anyone (its own rule)
        (_trust({"AWS": "arn:aws:iam::987654321145:role/ci"}), False),
        (_trust({"Service": "ec2.amazonaws.com"}), False),
        (_trust({"AWS": "*"}), False),
        (_trust({"Federated": "arn:aws:iam::987654321145:saml-provider/okta"}), False),
        # not assume-role
        (_trust({"AWS": ACCOUNT}, action="sts:TagSession"), False),
        ({**_trust({"AWS": ACCOUNT}), "Effect": "Deny"}, False),
    ],
)
def test_cross_account_trust_forms(statement: dict[str, object], reported: bool) -> None:
    assert bool(findings(scan_family("tf", _role(statement)), CROSS)) is reported


def test_a_principal_or_guard_the_code_does_not_know_is_not_judged() -> None:
    """The role's own account is usually written through data.aws_caller_identity or a
    variable: unknown, never a finding; a guard whose value is a variable counts as set."""
    own = 'resource "aws_iam_role" "r" {\n  name = "r"\n' + (
        '  assume_role_policy = jsonencode({\n    Statement = [{\n      Effect = "Allow"\n'
        '      Action = "sts:AssumeRole"\n'
        '      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.me.account_id}:root" }'
        "\n"
        "    }]\n  })\n}\n"
    )
    assert not findings(scan_family("tf", own), CROSS)
    assert account_trust(_trust({"AWS": UNKNOWN})) is False
    guarded = _trust({"AWS": ACCOUNT}, {"StringEquals": {"sts:ExternalId": UNKNOWN}})
    assert account_trust(guarded) is False
    assert account_trust(_trust({"AWS": ACCOUNT}, UNKNOWN)) is None
    # an unknown value of a key that guards nothing is no guard
    unrelated = _trust({"AWS": ACCOUNT}, {"IpAddress": {"aws:SourceIp": UNKNOWN}})
    assert account_trust(unrelated) is True
    assert account_trust({"Effect": UNKNOWN}) is None


def test_cross_account_trust_in_a_policy_document_data_source_and_cloudformation() -> None:
    doc = """
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::987654321145:root"]
    }
    %s
  }
}
"""
    mfa = 'condition {\n  test = "Bool"\n  variable = MFA\n  values = ["true"]\n}'
    assert [f.location.start_line for f in findings(scan_family("tf", doc % ""), CROSS)] == [5]
    assert not findings(scan_family("tf", doc % mfa), CROSS)
    cfn = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: >
        {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
          "Principal": {"AWS": "arn:aws:iam::987654321145:root"}}]}
"""
    assert findings(scan_family("cfn", cfn), CFN_CROSS)


NOTACTION = "tf/aws-policy-allow-notaction"


@pytest.mark.parametrize(
    ("resource", "attr", "reported"),
    [
        ("aws_sqs_queue_policy", "policy", True),
        ("aws_sns_topic_policy", "policy", True),
        ("aws_s3_bucket_policy", "policy", True),
        ("aws_iam_policy", "policy", True),
        ("aws_iam_role_policy", "policy", True),
        ("aws_iam_role", "assume_role_policy", True),
    ],
)
def test_allow_with_notaction_in_resource_and_identity_policies(
    resource: str, attr: str, reported: bool
) -> None:
    st = {"Effect": "Allow", "NotAction": ["sqs:SendMessage"], "Resource": "*"}
    text = (
        f'resource "{resource}" "p" {{\n  {attr} = <<EOF\n'
        + json.dumps({"Statement": [st]})
        + "\nEOF\n}\n"
    )
    assert bool(findings(scan_family("tf", text), NOTACTION)) is reported
    deny = text.replace('"Allow"', '"Deny"')
    assert not findings(scan_family("tf", deny), NOTACTION)


def test_notaction_in_a_queue_policy_template_yaml_and_json() -> None:
    yaml_text = """Resources:
  P:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: ["https://sqs.us-east-2.amazonaws.com/444455556666/q"]
      PolicyDocument:
        Statement:
          - NotAction: [SQS:SendMessage, SQS:ReceiveMessage]
            Effect: Allow
            Resource: arn:aws:sqs:us-east-2:444455556666:q
            Principal:
              AWS: ["111122223333"]
"""
    hits = findings(scan_family("cfn", yaml_text), "cfn/aws-policy-allow-notaction")
    assert [f.location.start_line for f in hits] == [8]
    role = """{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {
  "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
    "Principal": {"Service": "lambda.amazonaws.com"}}]},
  "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
    {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}}]}}}}
"""
    assert findings(scan_family("cfn", role), "cfn/aws-policy-allow-notaction")


def _skill(secret: str, refresh: str) -> str:
    return f"""Resources:
  MySkill:
    Type: "Alexa::ASK::Skill"
    Properties:
      SkillPackage:
        S3Bucket: my-skill-packages
        S3Key: skillpackage.zip
      AuthenticationConfiguration:
        ClientId: amzn1.application-oa2-client.5f7d0a2b9c1e4d3f
        ClientSecret: "{secret}"
        RefreshToken: "{refresh}"
      VendorId: M2AB3CD4EF5GH
"""


#: built from parts at run time: no whole fake credential in test code
_SECRET = "9f4c" + "e1a7b2d8" * 7 + "0c3e"
_REFRESH = "Atzr|" + "IwEBIK" + "q7Z2xW9vR4tY8uP1oL6kJ3hG5fD0sA" * 3


def test_an_alexa_skill_template_is_read_and_its_credentials_reported() -> None:
    """Alexa::ASK::Skill is CloudFormation's one resource type outside AWS::; a template
    holding only a skill was not read as a template, so its ClientSecret went unreported
    by the IaC scanner. The refresh token is a credential too."""
    hits = findings(scan_family("cfn", _skill(_SECRET, _REFRESH)), "cfn/hardcoded-secret")
    assert [(f.location.start_line, f.message) for f in hits] == [
        (10, "MySkill: ClientSecret is hard-coded"),
        (11, "MySkill: RefreshToken is hard-coded"),
    ]
    assert all(_SECRET not in f.snippet and _REFRESH not in f.snippet for f in hits)
    refs = _skill("{{resolve:secretsmanager:skill}}", "{{resolve:ssm-secure:skill-token}}")
    assert not findings(scan_family("cfn", refs), "cfn/hardcoded-secret")


def test_an_alexa_skill_secret_is_one_finding_per_value(tmp_path: Path) -> None:
    (tmp_path / "skill.yaml").write_text(_skill(_SECRET, _REFRESH))
    report = run_scan(ScanRequest(root=tmp_path, scanners=["iac", "secrets"]))
    lines = sorted(f.location.start_line for f in report.findings)
    assert lines == [10, 11]
    assert all(_SECRET not in f.snippet and _REFRESH not in f.snippet for f in report.findings)


METRICS = "tf/aws-apigateway-metrics-disabled"


@pytest.mark.parametrize(
    ("path", "settings", "reported"),
    [
        ("*/*", "metrics_enabled = false", True),
        ("*/*", 'logging_level = "INFO"', True),
        ("users/GET", "metrics_enabled = false", True),
        ("users/GET", 'logging_level = "INFO"', False),
        ("*/*", "metrics_enabled = true", False),
        ("*/*", "metrics_enabled = var.metrics", False),
    ],
)
def test_api_gateway_method_metrics(path: str, settings: str, reported: bool) -> None:
    text = f"""resource "aws_api_gateway_method_settings" "s" {{
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = "prod"
  method_path = "{path}"
  settings {{
    {settings}
  }}
}}
"""
    assert bool(findings(scan_family("tf", text), METRICS)) is reported


def test_api_gateway_metrics_off_in_a_deployments_stage_is_one_finding() -> None:
    text = """Resources:
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageName: prod
      StageDescription:
        LoggingLevel: ERROR
        MetricsEnabled: false
"""
    hits = findings(scan_family("cfn", text), "cfn/aws-apigateway-metrics-disabled")
    assert len(hits) == 1
