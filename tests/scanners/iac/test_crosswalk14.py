"""Session 14: the Terraform and CloudFormation gaps of the KICS crosswalk (docs/iac-rules.md,
"Session 14"): forms the rules' own examples do not show. Each rule's examples run in
test_datarules.py / test_rules.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner

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


NETPOL = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  namespace: {ns}
spec:
  podSelector:
{selector}
  policyTypes: [Ingress]
"""
DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: {ns}
spec:
  selector:
    matchLabels: {{app: worker}}
  template:
    metadata:
      labels: {{app: worker, tier: backend}}
    spec:
      containers:
        - name: worker
          image: registry.example.com/shop/worker:1.4.2
"""
RULE = "k8s/workload-no-network-policy"


@pytest.mark.parametrize(
    ("selector", "ns", "reported"),
    [
        ("    matchLabels: {app: db}", "shop", True),
        ("    matchLabels: {app: worker}", "shop", False),
        ("    {}", "shop", False),  # podSelector {} selects every pod of the namespace
        ("    matchLabels: {app: db}", "billing", False),  # another namespace's policy
        ("    matchExpressions: [{key: tier, operator: In, values: [backend]}]", "shop", False),
        ("    matchExpressions: [{key: tier, operator: NotIn, values: [backend]}]", "shop", True),
        ("    matchExpressions: [{key: app, operator: Exists}]", "shop", False),
        ("    matchExpressions: [{key: tier, operator: DoesNotExist}]", "shop", True),
        ("    matchExpressions: [{key: tier, operator: Near}]", "shop", False),  # not judged
    ],
)
def test_workload_no_network_policy_same_file(selector: str, ns: str, reported: bool) -> None:
    text = NETPOL.format(ns=ns, selector=selector) + "---\n" + DEPLOY.format(ns="shop")
    hits = findings(scan_family("k8s", text), RULE)
    assert [f.location.start_line for f in hits] == ([21] if reported else [])


def test_workload_no_network_policy_needs_a_policy_in_the_tree() -> None:
    # no NetworkPolicy for the namespace anywhere: the policies may live elsewhere, not judged
    assert not findings(scan_family("k8s", DEPLOY.format(ns="shop")), RULE)


def test_workload_no_network_policy_reads_other_files(tmp_path: Path) -> None:
    """A NetworkPolicy of another file counts for its namespace (named), or for the objects
    without a namespace in its own directory (applied together with kubectl apply -f)."""
    db_only = "    matchLabels: {app: db}"
    (tmp_path / "netpol.yaml").write_text(NETPOL.format(ns="shop", selector=db_only))
    (tmp_path / "worker.yaml").write_text(DEPLOY.format(ns="shop"))
    unnamed = DEPLOY.replace("  namespace: {ns}\n", "")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "netpol.yaml").write_text(
        NETPOL.replace("  namespace: {ns}\n", "").format(selector=db_only)
    )
    (tmp_path / "a" / "worker.yaml").write_text(unnamed)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "worker.yaml").write_text(unnamed)  # no policy in its directory
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    found = sorted(f.location.path for f in findings(items, RULE))
    assert found == ["a/worker.yaml", "worker.yaml"]


def test_workload_no_network_policy_bounds_the_selectors_it_tests() -> None:
    """Copies of one selector count once; a namespace with more distinct selectors than
    MAX_POLICY_SELECTORS is not judged (bounded work on a hostile tree)."""
    from pipesec.scanners.iac.kubernetes import MAX_POLICY_SELECTORS

    deploy = DEPLOY.format(ns="shop")
    many = "---\n".join(
        NETPOL.format(ns="shop", selector=f"    matchLabels: {{app: db{i}}}")
        for i in range(MAX_POLICY_SELECTORS + 1)
    )
    assert not findings(scan_family("k8s", many + "---\n" + deploy), RULE)
    copies = "---\n".join(
        NETPOL.format(ns="shop", selector="    matchLabels: {app: db}")
        for _ in range(MAX_POLICY_SELECTORS + 1)
    )
    assert findings(scan_family("k8s", copies + "---\n" + deploy), RULE)
