"""Session 18: what a thirteenth unseen sample (HashiCorp's FSBP Sentinel acceptance cases,
kyverno's Pod Security Standard test pods, the CloudFormation Guard rules registry's tests)
found missing, each in its general form, with the forms that must stay quiet: public REST API
stages without a WAF web ACL, Redshift clusters with automated snapshots turned off, and
DocumentDB clusters without deletion protection."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family

# -- API Gateway REST API stages without a WAF web ACL ----------------------------------------

_API = """
resource "aws_api_gateway_rest_api" "api" {{
  name = "orders"
  {endpoint}
}}

resource "aws_api_gateway_stage" "prod" {{
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "abc123"
  stage_name    = "prod"
}}
"""

_ACL = """
resource "aws_wafv2_web_acl" "api" {
  name  = "api"
  scope = "REGIONAL"
  default_action {
    allow {}
  }
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "api"
    sampled_requests_enabled   = true
  }
}
"""


@pytest.mark.parametrize(
    ("endpoint", "association", "reported"),
    [
        ("", "", True),  # no endpoint_configuration: an EDGE API
        ('endpoint_configuration {\n    types = ["REGIONAL"]\n  }', "", True),
        ('endpoint_configuration {\n    types = ["EDGE"]\n  }', "", True),
        # an association whose ARN names some other stage (the FSBP case) covers nothing
        (
            "",
            'resource "aws_wafv2_web_acl_association" "a" {\n'
            '  resource_arn = "arn:aws:apigateway:us-east-1::/restapis/other/stages/prod"\n'
            "  web_acl_arn  = aws_wafv2_web_acl.api.arn\n}\n",
            True,
        ),
        (
            "",
            'resource "aws_wafv2_web_acl_association" "a" {\n'
            "  resource_arn = aws_api_gateway_stage.prod.arn\n"
            "  web_acl_arn  = aws_wafv2_web_acl.api.arn\n}\n",
            False,
        ),
        (
            "",
            'resource "aws_wafregional_web_acl_association" "a" {\n'
            "  resource_arn = aws_api_gateway_stage.prod.arn\n"
            '  web_acl_id   = "acl"\n}\n',
            False,
        ),
        ('endpoint_configuration {\n    types = ["PRIVATE"]\n  }', "", False),
        # an endpoint type the module does not know is not judged
        ("endpoint_configuration {\n    types = var.endpoint_types\n  }", "", False),
    ],
)
def test_tf_apigateway_stage_without_waf(endpoint: str, association: str, reported: bool) -> None:
    items = scan_family("tf", _API.format(endpoint=endpoint) + _ACL + association)
    assert not errors(items)
    hits = findings(items, "tf/aws-apigateway-stage-no-waf")
    assert bool(hits) is reported
    if reported:
        assert hits[0].severity.value == "medium"


def test_tf_apigateway_stage_of_an_api_outside_the_module_is_not_judged() -> None:
    text = (
        'resource "aws_api_gateway_stage" "prod" {\n'
        "  rest_api_id   = var.api_id\n"
        '  deployment_id = "abc123"\n'
        '  stage_name    = "prod"\n}\n'
    )
    assert not findings(scan_family("tf", text), "tf/aws-apigateway-stage-no-waf")


_CFN_API = """\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: orders
{endpoint}
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: abc123
      StageName: prod
"""


@pytest.mark.parametrize(
    ("endpoint", "association", "reported"),
    [
        ("", "", True),
        ("      EndpointConfiguration:\n        Types: [REGIONAL]", "", True),
        ("      EndpointConfiguration:\n        Types: [PRIVATE]", "", False),
        (
            "",
            "  Waf:\n    Type: AWS::WAFv2::WebACLAssociation\n    Properties:\n"
            "      ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}"
            "/stages/${Prod}\n"
            "      WebACLArn: arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/1\n",
            False,
        ),
        # the stage written by name under its API: the association names the API only
        (
            "",
            "  Waf:\n    Type: AWS::WAFv2::WebACLAssociation\n    Properties:\n"
            "      ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}"
            "/stages/prod\n"
            "      WebACLArn: arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/1\n",
            False,
        ),
        (
            "",
            "  Waf:\n    Type: AWS::WAFv2::WebACLAssociation\n    Properties:\n"
            "      ResourceArn: arn:aws:apigateway:us-east-1::/restapis/other/stages/prod\n"
            "      WebACLArn: arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/1\n",
            True,
        ),
    ],
)
def test_cfn_apigateway_stage_without_waf(endpoint: str, association: str, reported: bool) -> None:
    items = scan_family("cfn", _CFN_API.format(endpoint=endpoint) + association)
    assert not errors(items)
    assert bool(findings(items, "cfn/aws-apigateway-stage-no-waf")) is reported


# -- Redshift automated snapshots ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "reported"),
    [
        ("automated_snapshot_retention_period = 0", True),
        ('automated_snapshot_retention_period = "0"', True),
        ("automated_snapshot_retention_period = 1", False),
        ("automated_snapshot_retention_period = var.days", False),
        ("", False),  # left out: one day of snapshots by default
    ],
)
def test_tf_redshift_automated_snapshots_disabled(setting: str, reported: bool) -> None:
    text = (
        'resource "aws_redshift_cluster" "dw" {\n'
        '  cluster_identifier     = "dw"\n'
        '  node_type              = "ra3.xlplus"\n'
        "  encrypted              = true\n"
        "  manage_master_password = true\n"
        f"  {setting}\n}}\n"
    )
    hits = findings(scan_family("tf", text), "tf/aws-redshift-automated-snapshots-disabled")
    assert bool(hits) is reported


@pytest.mark.parametrize(("setting", "reported"), [("0", True), ("2", False), (None, False)])
def test_cfn_redshift_automated_snapshots_disabled(setting: str | None, reported: bool) -> None:
    text = (
        "Resources:\n  Dw:\n    Type: AWS::Redshift::Cluster\n    Properties:\n"
        "      ClusterType: multi-node\n      NumberOfNodes: 2\n      NodeType: ra3.xlplus\n"
        "      Encrypted: true\n"
    )
    if setting is not None:
        text += f"      AutomatedSnapshotRetentionPeriod: {setting}\n"
    hits = findings(scan_family("cfn", text), "cfn/aws-redshift-automated-snapshots-disabled")
    assert bool(hits) is reported


# -- DocumentDB deletion protection ------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "reported"),
    [("deletion_protection = false", True), ("", True), ("deletion_protection = true", False)],
)
def test_tf_docdb_deletion_protection(setting: str, reported: bool) -> None:
    text = (
        'resource "aws_docdb_cluster" "docs" {\n'
        '  cluster_identifier = "docs"\n'
        "  storage_encrypted  = true\n"
        f"  {setting}\n}}\n"
    )
    hits = findings(scan_family("tf", text), "tf/aws-docdb-deletion-protection-disabled")
    assert bool(hits) is reported
    if reported:
        assert hits[0].severity.value == "low"
