"""Session 18 (iacleft): NetworkPolicy and Cilium isolation, kubeconfig files in JSON.

An egress-only NetworkPolicy that selects a pod isolates its egress only (kube-score's Pod
NetworkPolicy check, twelfth sample); a Cilium ``fromEndpoints`` selector whose one term is the
namespace label with ``Exists`` selects every endpoint of the cluster; ``kubectl config view
-o json`` output under a kubectl or kubeadm name is a kubeconfig.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.scanners.iac.helpers import findings
from tests.scanners.iac.test_iacfix17 import DENY, NS_DOC
from tests.scanners.iac.test_iacleft18 import _scan_tree

# -- NetworkPolicy: an egress-only policy does not isolate ingress ----------------------------

NP_WEB = """\
apiVersion: apps/v1
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
      containers:
        - name: web
          image: registry.example.com/shop/web:1.0.0
"""
NP_EGRESS = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector: {matchLabels: {app: db}}
"""


def _workload_messages(tmp_path: Path, files: dict[str, str]) -> list[str]:
    items = _scan_tree(tmp_path, {"ns.yaml": NS_DOC, "web.yaml": NP_WEB, **files})
    return [f.message for f in findings(items, "k8s/workload-no-network-policy")]


def test_a_pod_only_an_egress_policy_selects_has_its_ingress_open(tmp_path: Path) -> None:
    """kube-score's Pod NetworkPolicy file (twelfth sample): before, any policy that selected
    the pod counted, whatever its policyTypes."""
    assert _workload_messages(tmp_path, {"p/egress.yaml": NP_EGRESS}) == [
        "Deployment web: only egress NetworkPolicies of namespace shop select its pods; "
        "their ingress is not isolated"
    ]


@pytest.mark.parametrize(
    "policy",
    [
        NP_EGRESS.replace("[Egress]", "[Ingress, Egress]"),
        NP_EGRESS.replace("  policyTypes: [Egress]\n", ""),  # left out: Ingress is implied
        NP_EGRESS.replace("[Egress]", "[ingress]"),
    ],
)
def test_a_policy_that_isolates_ingress_keeps_the_pod_quiet(tmp_path: Path, policy: str) -> None:
    assert _workload_messages(tmp_path, {"p/egress.yaml": NP_EGRESS, "p/more.yaml": policy}) == []


def test_an_egress_only_policy_for_other_pods_still_reads_as_none(tmp_path: Path) -> None:
    other = NP_EGRESS.replace("{app: web}", "{app: other}")
    assert _workload_messages(tmp_path, {"p/egress.yaml": other}) == [
        "Deployment web: no NetworkPolicy of namespace shop selects its pods"
    ]


# -- Cilium: fromEndpoints with the namespace label Exists is every endpoint ------------------

_CNP_FROM = """\
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: from-anywhere
  namespace: shop
spec:
  endpointSelector: {}
  ingress:
    - fromEndpoints:
        - matchExpressions:
            - key: KEY
              operator: Exists
"""


def _ns_messages(tmp_path: Path, cnp: str) -> list[str]:
    items = _scan_tree(tmp_path, {"ns.yaml": NS_DOC, "deny.yaml": DENY, "cnp.yaml": cnp})
    return [f.message for f in findings(items, "k8s/namespace-no-default-deny")]


@pytest.mark.parametrize("key", ["k8s:io.kubernetes.pod.namespace", "io.kubernetes.pod.namespace"])
def test_cilium_from_endpoints_in_every_namespace_opens_ingress(tmp_path: Path, key: str) -> None:
    """Before: read as its own namespace only, so the namespace stayed isolated."""
    assert _ns_messages(tmp_path, _CNP_FROM.replace("KEY", key)) == [
        "Namespace shop: no NetworkPolicy isolates ingress"
    ]


@pytest.mark.parametrize(
    "cnp",
    [
        _CNP_FROM.replace("KEY", "app"),  # pods with an app label: not every endpoint
        _CNP_FROM.replace("KEY", "k8s:io.kubernetes.pod.namespace").replace(
            "              operator: Exists\n",
            "              operator: Exists\n            - {key: app, operator: In, values: [a]}\n",
        ),
        _CNP_FROM.replace("KEY", "k8s:io.kubernetes.pod.namespace")
        .replace("  ingress:\n", "  ingress:\n    - toPorts: [{ports: [{port: '443'}]}]\n")
        .replace("    - fromEndpoints:", "      fromEndpoints:"),
    ],
)
def test_cilium_endpoints_that_are_not_every_endpoint_keep_isolation(
    tmp_path: Path, cnp: str
) -> None:
    assert _ns_messages(tmp_path, cnp) == []


# -- kubeconfig written as JSON ---------------------------------------------------------------

_KUBECONFIG_JSON = """\
{
    "kind": "Config",
    "apiVersion": "v1",
    "clusters": [
        {
            "name": "staging",
            "cluster": {
                "server": "https://10.0.0.1:6443",
                "insecure-skip-tls-verify": true
            }
        }
    ],
    "users": [],
    "contexts": []
}
"""


@pytest.mark.parametrize("path", [".kube/config", "etc/kubernetes/admin.conf"])
def test_a_kubeconfig_written_as_json_is_read(tmp_path: Path, path: str) -> None:
    """``kubectl config view -o json`` output under a kubectl/kubeadm name; before, only the
    YAML form was recognised by content."""
    items = _scan_tree(tmp_path, {path: _KUBECONFIG_JSON})
    got = findings(items, "k8s/kubeconfig-skip-tls-verify")
    assert [(f.location.path, f.location.start_line) for f in got] == [(path, 9)]


def test_a_json_file_of_another_kind_under_a_kubeconfig_name_is_passed_over(
    tmp_path: Path,
) -> None:
    items = _scan_tree(tmp_path, {".kube/config": '{"kind": "Pod", "insecure": true}\n'})
    assert items == []
