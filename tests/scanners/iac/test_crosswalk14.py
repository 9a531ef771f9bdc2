"""Session 14: the Terraform and CloudFormation gaps of the KICS crosswalk (docs/iac-rules.md,
"Session 14"): forms the rules' own examples do not show. Each rule's examples run in
test_datarules.py / test_rules.py."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family

AKS = """resource "azurerm_kubernetes_cluster" "main" {
  name = "acme-aks"
  network_profile {
    network_plugin = "azure"
    network_policy = %s
  }
}
"""


@pytest.mark.parametrize(
    ("value", "reported"),
    [
        ('"roxanne"', True),  # KICS's test: a literal that names no policy engine
        ('"none"', True),
        ('"Calico"', False),
        ('"cilium"', False),
        ("var.network_policy", False),  # unknown: not judged
    ],
)
def test_aks_network_policy_value(value: str, reported: bool) -> None:
    hits = findings(scan_family("tf", AKS % value), "tf/azure-aks-no-network-policy")
    assert bool(hits) is reported


WAF = 'resource "{kind}" "web" {{\n  resource_arn = aws_lb.web.arn\n  {acl} = "x"\n}}\n'


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ('resource "aws_lb" "web" {\n  name = "web"\n}\n', True),  # internet-facing by default
        ('resource "aws_alb" "web" {\n  internal = false\n}\n', True),
        ('resource "aws_lb" "web" {\n  internal = true\n}\n', False),
        ('resource "aws_lb" "web" {\n  load_balancer_type = "network"\n}\n', False),
        ('resource "aws_lb" "web" {\n  internal = var.internal\n}\n', False),  # not judged
        (
            'resource "aws_lb" "web" {\n  name = "web"\n}\n'
            + WAF.format(kind="aws_wafregional_web_acl_association", acl="web_acl_id"),
            False,
        ),
        (
            'resource "aws_lb" "web" {\n  name = "web"\n}\n'
            + WAF.format(kind="aws_wafv2_web_acl_association", acl="web_acl_arn"),
            False,
        ),
    ],
)
def test_alb_without_waf_terraform(text: str, reported: bool) -> None:
    assert bool(findings(scan_family("tf", text), "tf/aws-alb-no-waf")) is reported


LB = "Resources:\n  Web:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n"


@pytest.mark.parametrize(
    ("props", "reported"),
    [
        ("      Subnets: [subnet-1, subnet-2]\n", True),
        ("      Scheme: internal\n", False),
        ("      Type: network\n", False),
        ("      Scheme: !Ref AWS::NoValue\n      Type: application\n", True),
        (
            "      Subnets: [subnet-1, subnet-2]\n"
            "  WebWaf:\n    Type: AWS::WAFRegional::WebACLAssociation\n    Properties:\n"
            "      ResourceArn: !Ref Web\n      WebACLId: acl-1\n",
            False,
        ),
    ],
)
def test_alb_without_waf_cloudformation(props: str, reported: bool) -> None:
    assert bool(findings(scan_family("cfn", LB + props), "cfn/aws-alb-no-waf")) is reported


GCS = (
    'resource "google_storage_bucket" "b" {{\n  name     = "acme-b"\n  location = "EU"\n{body}}}\n'
)


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("", "tf/gcp-gcs-versioning-missing"),  # soft delete keeps 7 days: low
        (
            "  soft_delete_policy {\n    retention_duration_seconds = 0\n  }\n",
            "tf/gcp-gcs-versioning-disabled",  # no recovery at all: medium
        ),
        ("  soft_delete_policy {\n    retention_duration_seconds = var.keep\n  }\n", None),
        ("  versioning = { enabled = true }\n", None),
        ("  retention_policy {\n    retention_period = 86400\n  }\n", None),
    ],
)
def test_gcs_versioning_left_out(body: str, rule: str | None) -> None:
    hits = [
        f.rule_id
        for f in findings(scan_family("tf", GCS.format(body=body)))
        if f.rule_id.startswith("tf/gcp-gcs-versioning")
    ]
    assert hits == ([rule] if rule else [])
