"""Session 17 (iacfix): issue 16's known leftovers. The tenth sample's hold-out misses in
general form, kubeconfig files by content, review16's leftovers (Links on one huge value,
Cilium and NetworkPolicy allow-all policies that do not isolate a namespace). Each test
failed before the change it covers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.core.model import Finding
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner, hcl
from pipesec.scanners.iac.hcl import Block, Expr
from pipesec.scanners.iac.tfbase import Links, mentions, refers


def _block(kind: str, name: str, **attrs: object) -> Block:
    b = Block("resource", [kind, name], 1, 1, 1, "main.tf")
    for k, v in attrs.items():
        b.attrs[k] = hcl.Attr(k, v, 1, 1, 1)
    return b


def _scan(tmp_path: Path, files: dict[str, str]) -> list[Finding]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    items = IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings())
    return [f for f in items if isinstance(f, Finding)]


# -- tfbase.Links: one long value that names every bucket --------------------------------

_PARTS = st.sampled_from(
    ["aws_s3_bucket.b", "aws_s3_bucket.b2", ".id", ".", "x", "-", "[0]", ", ", " ", "b",
     "module.m.", "aws_s3_bucket.b-x", "\"", "(", ")", "aws_s3_bucket", "_"]
)  # fmt: skip
_ADDRESSES = st.sampled_from(
    ["aws_s3_bucket.b", "aws_s3_bucket.b2", "aws_s3_bucket.b-x", "module.m.aws_s3_bucket.b",
     "b", "aws_s3_bucket.b[0]"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PARTS, max_size=40), _ADDRESSES)
def test_mentions_answers_what_refers_to_answers(parts: list[str], address: str) -> None:
    text = "".join(parts)
    words: dict[str, list[int]] = {}
    for m in __import__("re").finditer(r"[\w-]+", text):
        words.setdefault(m.group(), []).append(m.start())
    assert mentions(text, words, address) == Expr(text).refers_to(address)


def test_links_on_a_long_value_answer_what_refers_answers() -> None:
    buckets = [_block("aws_s3_bucket", f"b{i}", bucket=f"bucket-{i}") for i in range(300)]
    listed = ", ".join(f"aws_s3_bucket.b{i}.id" for i in range(0, 300, 3))
    entries = []
    for i, v in enumerate(
        [Expr(f'join(",", [{listed}])'), Expr("each.value"), Expr("aws_s3_bucket.b7.id")]
    ):
        fe = {"for_each": Expr(f"toset([{listed}])")} if i == 1 else {}
        b = _block("aws_s3_bucket_versioning", f"v{i}", bucket=v, **fe)
        entries.append((b, v, b))
    links = Links(entries)
    for target in buckets:
        name = target.value("bucket")
        want = [b for b, v, _ in entries if refers(b, v, target, name)]
        assert links.to(target, name) == want
    assert len(links.to(buckets[3], "bucket-3")) == 2
    assert links._words is not None and len(links._words) == 2  # each long text once


# -- allow-all policies do not isolate a namespace (review16) ---------------------------

NS_DOC = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
DENY = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
"""
NP_ALLOW_ALL_INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-all
  namespace: shop
spec:
  podSelector: {}
  ingress:
    - {}
"""
CCNP_DENY = """\
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: default-deny-all
spec:
  endpointSelector: {}
  ingress:
    - {}
  egress:
    - {}
"""
CNP_ALLOW = """\
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: allow
  namespace: shop
spec:
  endpointSelector: {}
  ingress:
    - fromEntities: [all]
  egress:
    - toEntities: [cluster]
"""


def _namespace_messages(tmp_path: Path, files: dict[str, str]) -> list[str]:
    return [
        f.message
        for f in _scan(tmp_path, {"ns/namespace.yaml": NS_DOC, **files})
        if f.rule_id == "k8s/namespace-no-default-deny"
    ]


@pytest.mark.parametrize(
    ("files", "missing"),
    [
        # an allow-all NetworkPolicy alone, and beside a default deny (policies add up)
        ({"p/allow.yaml": NP_ALLOW_ALL_INGRESS}, "ingress or egress"),
        ({"p/deny.yaml": DENY, "p/allow.yaml": NP_ALLOW_ALL_INGRESS}, "ingress"),
        (
            {"p/deny.yaml": DENY, "p/allow.yaml": NP_ALLOW_ALL_INGRESS.replace(
                "    - {}\n", "    - from:\n        - namespaceSelector: {}\n")},
            "ingress",
        ),
        # Cilium: all / cluster entities over every endpoint, beside a cluster-wide deny
        ({"p/ccnp.yaml": CCNP_DENY, "p/allow.yaml": CNP_ALLOW}, "ingress or egress"),
        (
            {"p/ccnp.yaml": CCNP_DENY.replace("    - {}\n  egress", "    - fromEndpoints:"
                "\n        - {}\n  egress")},
            "ingress",
        ),
    ],
)  # fmt: skip
def test_allow_all_policy_undoes_isolation(
    tmp_path: Path, files: dict[str, str], missing: str
) -> None:
    got = _namespace_messages(tmp_path, files)
    assert got == [f"Namespace shop: no NetworkPolicy isolates {missing}"]


@pytest.mark.parametrize(
    "allow",
    [
        # an allow rule with ports, peers or for some pods only keeps the namespace isolated
        NP_ALLOW_ALL_INGRESS.replace("    - {}\n", "    - ports: [{port: 8080}]\n"),
        NP_ALLOW_ALL_INGRESS.replace(
            "    - {}\n", "    - from:\n        - podSelector: {matchLabels: {app: web}}\n"
        ),
        NP_ALLOW_ALL_INGRESS.replace("podSelector: {}", "podSelector: {matchLabels: {app: a}}"),
        CNP_ALLOW.replace("[all]", "[world]").replace("[cluster]", "[kube-apiserver]"),
        CNP_ALLOW.replace(
            "    - fromEntities: [all]\n", "    - fromEndpoints:\n        - {}\n"
        ).replace("[cluster]", "[kube-apiserver]"),
        CNP_ALLOW.replace("[all]\n", "[all]\n      toPorts: [{ports: [{port: '443'}]}]\n").replace(
            "[cluster]\n", "[cluster]\n      toPorts: [{ports: [{port: '53'}]}]\n"
        ),
    ],
)
def test_allow_rules_that_keep_the_namespace_isolated(tmp_path: Path, allow: str) -> None:
    assert _namespace_messages(tmp_path, {"p/deny.yaml": DENY, "p/allow.yaml": allow}) == []


# -- kubeconfig files by content: ~/.kube/config and kubeadm's *.conf --------------------

KUBECONFIG = (
    "apiVersion: v1\nkind: Config\nclusters:\n- name: a\n  cluster:\n"
    "    server: https://10.0.0.1:6443\n{tls}"
    "contexts:\n- name: a\n  context: {{cluster: a, user: u}}\ncurrent-context: a\n"
    "users:\n- name: u\n  user:\n    client-certificate: client.crt\n"
)
SKIP = "    insecure-skip-tls-verify: true\n"


@pytest.mark.parametrize(
    "path",
    [
        ".kube/config",
        "home/ci/.kube/config",
        "etc/kubernetes/admin.conf",
        "etc/kubernetes/kubelet.conf",
        "super-admin.conf",
        "controller-manager.conf",
    ],
)
def test_kubeconfigs_named_by_kubectl_and_kubeadm_are_read(tmp_path: Path, path: str) -> None:
    got = _scan(tmp_path, {path: KUBECONFIG.format(tls=SKIP)})
    assert [(f.rule_id, f.location.path) for f in got] == [("k8s/kubeconfig-skip-tls-verify", path)]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        # a config file of another kind under the same name
        (".kube/config", "[core]\n  insecure-skip-tls-verify: true\n"),
        ("etc/nginx/admin.conf", "server { listen 443; }\ninsecure-skip-tls-verify: true\n"),
        ("admin.conf", "apiVersion: v2\nkind: Config\nclusters: []\n"),
        # a file named config elsewhere is not taken
        ("kube/config", KUBECONFIG.format(tls=SKIP)),
        ("app/config", KUBECONFIG.format(tls=SKIP)),
    ],
)
def test_other_files_of_those_names_are_not_read(tmp_path: Path, path: str, text: str) -> None:
    assert _scan(tmp_path, {path: text}) == []


def test_skip_tls_verify_points_at_its_own_line_in_each_cluster(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Config\nclusters:\n"
        "- name: a\n  cluster:\n    server: https://a:6443\n    insecure-skip-tls-verify: true\n"
        "- name: b\n  cluster:\n    server: https://b:6443\n    certificate-authority: b.crt\n"
        "- name: c\n  cluster:\n    insecure-skip-tls-verify: true\n    server: https://c:6443\n"
        "- name: d\n  cluster:\n    server: https://d:6443\n    insecure-skip-tls-verify: false\n"
        "users: []\n"
    )
    got = _scan(tmp_path, {"kubeconfig": text})
    assert [(f.location.start_line, f.message) for f in got] == [
        (7, "kubeconfig: cluster a skips TLS verification of the API server"),
        (14, "kubeconfig: cluster c skips TLS verification of the API server"),
    ]
