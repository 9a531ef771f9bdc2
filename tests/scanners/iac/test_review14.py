"""Session 14's review of k8s/namespace-no-default-deny (review14, on 2971c65): a
NetworkPolicy whose podSelector is an empty label selector written out
(``matchLabels: {}``, ``matchExpressions: []``) selects every pod of its namespace."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family

RULE = "k8s/namespace-no-default-deny"
MANIFEST = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector:
{selector}
  policyTypes: [Ingress, Egress]
"""


@pytest.mark.parametrize(
    ("selector", "reported"),
    [
        ("    matchLabels: {}", False),
        ("    matchExpressions: []", False),
        ("    matchLabels: {}\n    matchExpressions: []", False),
        # a selector that names labels selects some pods only: the namespace stays open
        ("    matchLabels: {app: web}", True),
        ("    matchExpressions: [{key: app, operator: Exists}]", True),
    ],
)
def test_an_empty_label_selector_written_out_selects_every_pod(
    selector: str, reported: bool
) -> None:
    got = findings(scan_family("k8s", MANIFEST.format(selector=selector)), RULE)
    assert bool(got) is reported
