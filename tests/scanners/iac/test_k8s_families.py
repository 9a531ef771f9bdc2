"""Behaviour of the Kubernetes rule families beyond their own examples: control-plane flag
parsing, ingress-nginx annotations, NetworkPolicy peers, RBAC subjects."""

from __future__ import annotations

from tests.scanners.iac.helpers import errors, findings, scan_family

from pipesec.scanners.iac.k8s_controlplane import parse_flags


def _ids(text: str) -> set[str]:
    items = scan_family("k8s", text)
    assert not errors(items)
    return {f.rule_id for f in findings(items)}


STATIC_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.30.2
      command: ["/bin/sh", "-c", "kube-apiserver --anonymous-auth true --insecure-port=8080"]
"""


def test_flags_in_a_shell_string_and_space_separated_values() -> None:
    items = findings(scan_family("k8s", STATIC_POD))
    got = {f.rule_id: f for f in items}
    assert "k8s/apiserver-anonymous-auth" in got
    assert "k8s/apiserver-insecure-port" in got
    assert got["k8s/apiserver-insecure-port"].location.start_line == 8
    # other components' rules stay quiet on an API server
    assert not any(r.startswith(("k8s/etcd-", "k8s/kubelet-")) for r in got)


def test_flag_parser_forms() -> None:
    from pipesec.core.yamlpos import YNode as Y

    toks = [(t, Y(t, 1, 1)) for t in ["kubelet", "--a=1", "--b", "2", "--c", "--d=x=y"]]
    flags = {k: v for k, (v, _n) in parse_flags(toks).items()}
    assert flags == {"a": "1", "b": "2", "c": "true", "d": "x=y"}


def test_not_a_control_plane_container() -> None:
    text = STATIC_POD.replace("kube-apiserver --anonymous", "my-app --anonymous")
    assert not {r for r in _ids(text) if r.startswith("k8s/apiserver-")}


INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
    nginx.ingress.kubernetes.io/auth-url: "https://auth.shop.svc/verify?rd=$escaped_request_uri"
    nginx.ingress.kubernetes.io/permanent-redirect: "https://x.example.com/;}"
    example.com/other: "a;b{c}"
spec:
  tls: [{hosts: [shop.example.com], secretName: t}]
  rules: [{host: shop.example.com}]
"""


def test_annotation_injection_only_on_nginx_syntax() -> None:
    hits = findings(scan_family("k8s", INGRESS), "k8s/nginx-annotation-injection")
    assert [f.location.start_line for f in hits] == [9]


def test_networkpolicy_peers() -> None:
    text = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: any-ns, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - from:
        - namespaceSelector: {}
        - namespaceSelector: {matchLabels: {team: a}}
          podSelector: {}
"""
    hits = findings(scan_family("k8s", text), "k8s/networkpolicy-allow-all-ingress")
    assert [f.location.start_line for f in hits] == [15]  # default-deny is not allow-all


def test_rbac_subjects_and_public_roles() -> None:
    text = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: discovery}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:discovery}
subjects:
  - {kind: Group, apiGroup: rbac.authorization.k8s.io, name: system:authenticated}
"""
    assert "k8s/rbac-authenticated-binding" not in _ids(text)
    assert "k8s/rbac-authenticated-binding" in _ids(text.replace("system:discovery", "edit"))


def test_sensitive_host_path_is_not_also_a_plain_host_path() -> None:
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  containers: [{name: c, image: "r.example.com/c:1@sha256:ab"}]
  volumes:
    - {name: kubelet, hostPath: {path: /var/lib/kubelet/pki}}
    - {name: data, hostPath: {path: /srv/data}}
"""
    ids = [f.rule_id for f in findings(scan_family("k8s", text)) if "host-path" in f.rule_id]
    assert sorted(ids) == ["k8s/host-path-sensitive", "k8s/host-path-volume"]


def test_secret_in_a_file_embedded_in_a_configmap() -> None:
    pw = "Vq8-" + "zL2m-Pw9x"
    text = f"""\
apiVersion: v1
kind: ConfigMap
metadata: {{name: app, namespace: shop}}
data:
  application.properties: |
    server.port=8080
    spring.datasource.password={pw}
    spring.datasource.password-file=/run/secrets/db
    api.token=${{API_TOKEN}}
"""
    hits = findings(scan_family("k8s", text), "k8s/secret-in-configmap")
    assert [(f.location.start_line, pw in f.snippet) for f in hits] == [(7, False)]
