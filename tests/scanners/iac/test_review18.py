"""Review 18's findings in the IaC scanner (each test fails before its fix)."""

from __future__ import annotations

from tests.scanners.iac.helpers import errors, findings, scan_family

_API_STAGE = """
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "abc123"
  stage_name    = "prod"
}

resource "aws_wafv2_web_acl_association" "a" {
  resource_arn = "${local.apigw}/restapis/${aws_api_gateway_rest_api.api.id}/stages/prod"
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/1"
}
"""


def test_tf_apigateway_waf_association_naming_the_api_covers_its_stages() -> None:
    """``tf/aws-apigateway-stage-no-waf`` (iacunseen13) counted only an association that
    refers to the stage resource; its CloudFormation twin takes an association whose ARN
    names the API (the stage written by its name) as covering the API's stages. The
    Terraform form of that ARN was reported: the twins now agree."""
    items = scan_family("tf", _API_STAGE)
    assert not errors(items)
    assert not findings(items, "tf/aws-apigateway-stage-no-waf")
    other = _API_STAGE.replace("${aws_api_gateway_rest_api.api.id}", "other")
    assert findings(scan_family("tf", other), "tf/aws-apigateway-stage-no-waf")
