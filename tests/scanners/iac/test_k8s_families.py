"""Behaviour of the Kubernetes rule families beyond their own examples: control-plane flag
parsing, ingress-nginx annotations, NetworkPolicy peers, RBAC subjects, the kubelet's and
the API server's configuration files, manifests written as JSON, sysctls written with "/",
a pod's UID 0 that every container overrides, port-forward grants."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family

from pipesec.core.model import Finding
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner
from pipesec.scanners.iac.k8s_controlplane import parse_flags


def test_each_family_module_imports_first() -> None:
    """kubernetes.py registers the family modules, which import it back: whichever a
    process imports first, the cycle resolves."""
    for module in ("k8s_controlplane", "k8s_workloads", "k8s_network", "k8s_rbac"):
        subprocess.run(
            [sys.executable, "-c", f"import pipesec.scanners.iac.{module}"],
            check=True,
            capture_output=True,
        )


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


def test_encryption_configuration_in_a_multi_document_file() -> None:
    text = """apiVersion: v1
kind: Namespace
metadata:
  name: ops
---
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets, configmaps]
    providers:
      - identity: {}
      - kms:
          apiVersion: v2
          name: vault
          endpoint: unix:///var/run/kms.sock
"""
    hits = findings(scan_family("k8s", text), "k8s/encryption-config-identity-first")
    assert [f.location.start_line for f in hits] == [8]


KUBELET_CONFIG = """apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: {anonymous}
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: {mode}
readOnlyPort: {port}
protectKernelDefaults: true
serverTLSBootstrap: true
rotateCertificates: true
"""


def test_kubelet_settings_in_its_configuration_file() -> None:
    bad = KUBELET_CONFIG.format(anonymous="true", mode="AlwaysAllow", port=10255)
    got = {(f.rule_id, f.location.start_line) for f in findings(scan_family("k8s", bad))}
    assert got == {
        ("k8s/kubelet-anonymous-auth", 5),
        ("k8s/kubelet-always-allow", 9),
        ("k8s/kubelet-read-only-port", 10),
    }
    good = KUBELET_CONFIG.format(anonymous="false", mode="Webhook", port=0)
    assert findings(scan_family("k8s", good)) == []
    # the file's defaults are not the flags': no anonymous access, Webhook, no read-only port
    defaults = "\\n".join(
        line for line in good.splitlines() if "anonymous" not in line and "mode" not in line
    )
    assert findings(scan_family("k8s", defaults.replace("readOnlyPort: 0\\n", ""))) == []


def test_kubernetes_manifest_written_as_json(tmp_path: Path) -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "debug"},
        "spec": {"containers": [{"name": "c", "image": "busybox", "securityContext": {}}]},
    }
    pod["spec"]["containers"][0]["securityContext"]["privileged"] = True  # type: ignore[index]
    (tmp_path / "pod.json").write_text(json.dumps(pod, indent=2))
    (tmp_path / "package.json").write_text('{"name": "app", "kind": "x", "version": "1.0.0"}')
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    hits = findings(items, "k8s/privileged-container")
    assert [(f.location.path, f.location.start_line) for f in hits] == [("pod.json", 13)]
    assert {getattr(i, "path", "") for i in items if not isinstance(i, Finding)} == set()


def test_kubelet_configuration_durations() -> None:
    text = KUBELET_CONFIG.format(anonymous="false", mode="Webhook", port=0)
    hits = findings(scan_family("k8s", text + "streamingConnectionIdleTimeout: 0s\n"))
    assert [(f.rule_id, f.location.start_line) for f in hits] == [
        ("k8s/kubelet-streaming-idle-timeout", 14)
    ]
    assert findings(scan_family("k8s", text + "streamingConnectionIdleTimeout: 5m0s\n")) == []


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  securityContext:
{pod}
  containers:
    - name: app
      image: registry.example/app:1.2.3
      securityContext:
{app}
    - name: sidecar
      image: registry.example/sidecar:4.5.6
      securityContext:
{sidecar}
"""


def _pod(pod: str, app: str, sidecar: str) -> str:
    return POD.format(pod=f"    {pod}", app=f"        {app}", sidecar=f"        {sidecar}")


@pytest.mark.parametrize(
    ("name", "reported"),
    [
        ("net/ipv4/tcp_syncookies", False),  # the safe sysctl, "/" separators
        ("net.ipv4.ip_local_port_range", False),
        ("kernel/msgmax", True),
        ("kernel.msgmax", True),
    ],
)
def test_sysctl_separators(name: str, reported: bool) -> None:
    text = _pod(
        f'sysctls: [{{name: "{name}", value: "1"}}]',
        "runAsNonRoot: true",
        "runAsNonRoot: true",
    )
    assert bool(findings(scan_family("k8s", text), "k8s/unsafe-sysctls")) is reported


@pytest.mark.parametrize(
    ("app", "sidecar", "lines"),
    [
        ("runAsUser: 1000", "runAsUser: 1001", []),  # both containers override the pod's 0
        ("runAsUser: 1000", "readOnlyRootFilesystem: true", [7]),  # the sidecar inherits 0
        ("runAsUser: 0", "runAsUser: 1001", [12]),  # only the container's own 0
    ],
)
def test_pod_uid_zero_only_where_inherited(app: str, sidecar: str, lines: list[int]) -> None:
    text = _pod("runAsUser: 0", app, sidecar)
    got = findings(scan_family("k8s", text), "k8s/run-as-root")
    assert sorted(f.location.start_line for f in got) == lines


ROLE = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: debug
  namespace: shop
rules:
  - apiGroups: [""]
    resources: {resources}
    verbs: {verbs}
"""


@pytest.mark.parametrize(
    ("resources", "verbs", "reported"),
    [
        ('["pods", "pods/portforward"]', '["get", "list", "create"]', True),
        ('["pods/portforward"]', '["get"]', True),
        ('["pods"]', '["get", "list", "create"]', False),
        ('["pods/portforward"]', '["list", "watch"]', False),
    ],
)
def test_port_forward_grant(resources: str, verbs: str, reported: bool) -> None:
    text = ROLE.format(resources=resources, verbs=verbs)
    got = findings(scan_family("k8s", text), "k8s/rbac-port-forward")
    assert bool(got) is reported
    if got:
        assert got[0].location.start_line == 8


@pytest.mark.parametrize(
    ("suites", "reported"),
    [
        ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", False),
        ("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", False),
        ("TLS_ECDHE_ECDSA_WITH_AES_64_GCM_SHA256", True),  # no such suite
        ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", True),
        ("TLS_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_RC4_128_SHA", True),
    ],
)
def test_apiserver_cipher_suites_outside_the_strong_list(suites: str, reported: bool) -> None:
    text = f"""apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.30.2
      command:
        - kube-apiserver
        - --tls-cipher-suites={suites}
"""
    got = findings(scan_family("k8s", text), "k8s/apiserver-weak-tls-ciphers")
    assert bool(got) is reported


def test_every_rule_is_listed_whichever_family_module_is_imported_first() -> None:
    """A family module imported first imports kubernetes.py, whose last lines import that
    family half run: its rules register after kubernetes.py ends. The rule list (and the
    IaC rule catalogue built from it) must still hold them all (it held 99 of 157 when
    ``kubernetes.RULES`` was a list made at import: test_rule_counts failed when
    test_k8s_families.py was collected first)."""
    code = (
        "import importlib, sys\n"
        "if sys.argv[1]: importlib.import_module('pipesec.scanners.iac.' + sys.argv[1])\n"
        "from pipesec.scanners.iac.scanner import IacScannerImpl\n"
        "print(sorted(r.id for r in IacScannerImpl().rules()))\n"
    )

    def listed(first: str) -> list[str]:
        out = subprocess.run(
            [sys.executable, "-c", code, first], check=True, capture_output=True, text=True
        )
        return list(json.loads(out.stdout.replace("'", '"')))

    whole = listed("")
    assert sum(r.startswith("k8s/") for r in whole) >= 110
    for module in ("k8s_controlplane", "k8s_workloads", "k8s_network", "k8s_rbac"):
        assert listed(module) == whole, module
