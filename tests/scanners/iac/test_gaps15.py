"""Session 15: the gaps of issue 16 left by session 14 (docs/iac-rules.md, "Session 15"):
legacy seccomp annotations, SAM forms of the TLS and logging rules, credentials in
``AWS::CloudFormation::Authentication``, write access to the EKS ``aws-auth`` ConfigMap, the
tree-wide NetworkPolicy index fed by rendered Kustomize output, and workloads of namespaces
the tree gives no NetworkPolicy. Each rule's own examples run in test_rules.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.scanners.iac.helpers import findings, scan_family
from tests.scanners.iac.test_crosswalk14 import DEPLOY, NETPOL

from pipesec.core.engine import ScanRequest, run_scan
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner

# -- legacy seccomp annotations (kubeaudit's seccomp fixtures) --------------------------------

SECCOMP_POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  annotations:
{notes}
spec:
  containers:
    - name: web
      image: registry.example.com/web:1.4.2
    - name: sidecar
      image: registry.example.com/sidecar:0.3.1
"""


@pytest.mark.parametrize(
    ("notes", "lines"),
    [
        ("    container.seccomp.security.alpha.kubernetes.io/web: unconfined", [7]),
        ("    container.seccomp.security.alpha.kubernetes.io/web: badval", [7]),  # no profile
        ("    seccomp.security.alpha.kubernetes.io/pod: unconfined", [7]),
        ("    seccomp.security.alpha.kubernetes.io/pod: runtime/default", []),
        ("    seccomp.security.alpha.kubernetes.io/pod: docker/default", []),
        ("    container.seccomp.security.alpha.kubernetes.io/web: localhost/audit.json", []),
        ("    container.seccomp.security.alpha.kubernetes.io/web: localhost/", [7]),
        (
            "    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n"
            "    container.seccomp.security.alpha.kubernetes.io/sidecar: unconfined",
            [8],
        ),
    ],
)
def test_legacy_seccomp_annotation_unconfined(notes: str, lines: list[int]) -> None:
    items = scan_family("k8s", SECCOMP_POD.format(notes=notes))
    assert [f.location.start_line for f in findings(items, "k8s/seccomp-unconfined")] == lines


def test_legacy_seccomp_annotation_in_a_pod_template_is_read() -> None:
    deploy = """apiVersion: apps/v1
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
      annotations:
        container.seccomp.security.alpha.kubernetes.io/web: unconfined
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
"""
    hits = findings(scan_family("k8s", deploy), "k8s/seccomp-unconfined")
    assert [(f.location.start_line, f.message) for f in hits] == [
        (13, "Container web: legacy seccomp annotation unconfined")
    ]


def test_a_container_annotation_with_a_profile_counts_for_that_container_only() -> None:
    notes = "    container.seccomp.security.alpha.kubernetes.io/web: runtime/default"
    hits = findings(
        scan_family("k8s", SECCOMP_POD.format(notes=notes)), "k8s/seccomp-profile-missing"
    )
    assert [f.message for f in hits] == ["Container sidecar has no seccomp profile"]


# -- SAM forms of the TLS and logging rules (regula's HTTP API custom domain) ----------------

HTTP_API = """Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Domain:
        DomainName: api.example.com
        CertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/9bb7fd90
{policy}"""


@pytest.mark.parametrize(
    ("policy", "reported"),
    [
        ("        SecurityPolicy: TLS_1_0\n", True),
        ("        SecurityPolicy: TLS_1_2\n", False),
        ("", False),  # an HTTP API's custom domain defaults to TLS 1.2
    ],
)
def test_sam_http_api_custom_domain_tls(policy: str, reported: bool) -> None:
    hits = findings(
        scan_family("cfn", HTTP_API.format(policy=policy)), "cfn/aws-apigateway-weak-tls"
    )
    assert [f.location.start_line for f in hits] == ([9] if reported else [])


def test_sam_rest_api_custom_domain_without_a_policy_is_still_reported() -> None:
    text = HTTP_API.format(policy="").replace("HttpApi", "Api")
    assert findings(scan_family("cfn", text), "cfn/aws-apigateway-weak-tls")


@pytest.mark.parametrize(("logging", "reported"), [("false", True), ("true", False), ("", False)])
def test_sam_graph_api_logging(logging: str, reported: bool) -> None:
    text = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Graph:\n"
        "    Type: AWS::Serverless::GraphApi\n    Properties:\n"
        "      SchemaUri: ./schema.graphql\n      Auth:\n        Type: AWS_IAM\n"
        + (f"      Logging: {logging}\n" if logging else "")
    )
    hits = findings(scan_family("cfn", text), "cfn/aws-appsync-logging-disabled")
    assert bool(hits) is reported


# -- credentials in AWS::CloudFormation::Authentication (cfripper) --------------------------


def _auth_template(entry: str) -> str:
    return (
        "Resources:\n  Web:\n    Type: AWS::EC2::Instance\n    Metadata:\n"
        "      AWS::CloudFormation::Authentication:\n        Creds:\n"
        + entry
        + "    Properties:\n      ImageId: ami-0abcdef1234567890\n      InstanceType: t3.micro\n"
    )


PASSWORD = "Orders" + "-2024-pw!"
SECRET_KEY = "wJa1rXUtnFEMIK7MDENG" + "bPxRfiCYzq8Kx2LmN4pQ"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "          type: basic\n          username: deploy\n"
            f"          password: {PASSWORD}\n          uris: [https://repo.example.com/]\n",
            [9],
        ),
        (
            "          type: S3\n          accessKeyId: deploy\n"
            f"          secretKey: {SECRET_KEY}\n          buckets: [shop-assets]\n",
            [9],
        ),
        # a parameter, a dynamic reference and an IAM role hold no literal
        (
            "          type: basic\n          username: deploy\n"
            "          password: !Ref RepoPassword\n",
            [],
        ),
        (
            "          type: basic\n          username: deploy\n"
            "          password: '{{resolve:secretsmanager:repo:SecretString:password}}'\n",
            [],
        ),
        ("          type: S3\n          roleName: !Ref InstanceRole\n          buckets: [b]\n", []),
    ],
)
def test_cfn_authentication_credentials(entry: str, expected: list[int]) -> None:
    items = scan_family("cfn", _auth_template(entry))
    hits = [f for f in findings(items) if f.identity.startswith("hmac:")]
    assert [f.location.start_line for f in hits] == expected
    # reported under the secrets scanner's rule, never a second IaC rule
    assert all(f.rule_id.startswith("secrets/") for f in hits)
    assert all(PASSWORD not in f.snippet and SECRET_KEY not in f.snippet for f in hits)


def test_cfn_authentication_password_is_one_finding_with_both_scanners(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(
        _auth_template(
            "          type: basic\n          username: deploy\n"
            f"          password: {PASSWORD}\n          uris: [https://repo.example.com/]\n"
        )
    )
    report = run_scan(ScanRequest(root=tmp_path, scanners=["iac", "secrets"]))
    got = [f for f in report.findings if f.location.start_line == 9]
    assert len(got) == 1 and got[0].rule_id.startswith("secrets/")


# -- write access to the EKS aws-auth ConfigMap (trivy KSV115) -------------------------------

ROLE = """apiVersion: rbac.authorization.k8s.io/v1
kind: {kind}
metadata:
  name: access
  namespace: {ns}
rules:
  - apiGroups: [{group}]
    resources: [{resource}]
{names}    verbs: [{verbs}]
"""


@pytest.mark.parametrize(
    ("kind", "ns", "group", "resource", "names", "verbs", "reported"),
    [
        ("ClusterRole", "x", '""', "configmaps", "    resourceNames: [aws-auth]\n", "patch", True),
        ("Role", "kube-system", '""', "configmaps", "    resourceNames: [aws-auth]\n", '"*"', True),
        ("Role", "kube-system", '""', "configmaps", "", "update", True),
        ("Role", "kube-system", '"*"', '"*"', "", "delete", True),
        ("Role", "kube-system", '""', "configmaps", "    resourceNames: []\n", "create", True),
        # read only; another ConfigMap; another namespace; another API group
        ("ClusterRole", "x", '""', "configmaps", "    resourceNames: [aws-auth]\n", "get", False),
        (
            "Role",
            "kube-system",
            '""',
            "configmaps",
            "    resourceNames: [coredns]\n",
            "patch",
            False,
        ),
        ("Role", "shop", '""', "configmaps", "", "update", False),
        ("Role", "kube-system", "apps", "configmaps", "", "update", False),
        # a ClusterRole that writes every ConfigMap: not precise enough (operators need it)
        ("ClusterRole", "x", '""', "configmaps", "", "update", False),
    ],
)
def test_rbac_aws_auth_write(
    kind: str, ns: str, group: str, resource: str, names: str, verbs: str, reported: bool
) -> None:
    text = ROLE.format(kind=kind, ns=ns, group=group, resource=resource, names=names, verbs=verbs)
    assert bool(findings(scan_family("k8s", text), "k8s/rbac-aws-auth-write")) is reported


# -- the NetworkPolicy index and rendered Kustomize output ----------------------------------


def _policy(ns: str = "") -> str:
    """The session 14 NetworkPolicy (selects app: db) of namespace ``ns`` (none: left out)."""
    text = NETPOL.format(ns=ns, selector="    matchLabels: {app: db}")
    return text if ns else text.replace("  namespace: \n", "")


def _deploy(ns: str = "") -> str:
    text = DEPLOY.format(ns=ns)
    return text if ns else text.replace("  namespace: \n", "")


NOT_SELECTED = "k8s/workload-no-network-policy"
UNISOLATED = "k8s/workload-namespace-no-network-policy"


def _scan(tmp_path: Path) -> list[tuple[str, str]]:
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    return sorted(
        (f.rule_id, f.location.path)
        for f in findings(items)
        if f.rule_id in (NOT_SELECTED, UNISOLATED, "k8s/namespace-no-default-deny")
    )


def test_a_policy_rendered_by_a_kustomization_counts_for_plain_files(tmp_path: Path) -> None:
    """The NetworkPolicy exists only in an overlay's output (a base file without a
    namespace, the overlay sets it): the plain workload file of that namespace is judged."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "db.yaml").write_text(_policy())
    (tmp_path / "policies" / "kustomization.yaml").write_text(
        "namespace: shop\nresources:\n  - db.yaml\n"
    )
    (tmp_path / "worker.yaml").write_text(_deploy("shop"))
    assert _scan(tmp_path) == [(NOT_SELECTED, "worker.yaml")]


def test_a_rendered_workload_sees_the_policies_of_plain_files(tmp_path: Path) -> None:
    (tmp_path / "netpol.yaml").write_text(_policy("shop"))
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "worker.yaml").write_text(_deploy())
    (tmp_path / "app" / "kustomization.yaml").write_text(
        "namespace: shop\nresources:\n  - worker.yaml\n"
    )
    assert _scan(tmp_path) == [(NOT_SELECTED, "app/worker.yaml")]


def test_a_namespace_isolated_by_a_rendered_default_deny_is_not_reported(
    tmp_path: Path,
) -> None:
    (tmp_path / "namespace.yaml").write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
    )
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "deny.yaml").write_text(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n"
        "spec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n"
    )
    (tmp_path / "base" / "kustomization.yaml").write_text(
        "namespace: shop\nresources:\n  - deny.yaml\n"
    )
    assert _scan(tmp_path) == []
    (tmp_path / "base" / "kustomization.yaml").unlink()  # a plain file without a namespace
    assert _scan(tmp_path) == [("k8s/namespace-no-default-deny", "namespace.yaml")]


# -- workloads of a namespace the tree gives no NetworkPolicy -------------------------------


def test_a_workload_of_a_namespace_without_policies_is_reported_when_others_have_some(
    tmp_path: Path,
) -> None:
    (tmp_path / "netpol.yaml").write_text(_policy("shop"))
    (tmp_path / "reports.yaml").write_text(_deploy("analytics"))
    (tmp_path / "system.yaml").write_text(_deploy("kube-system"))
    (tmp_path / "default.yaml").write_text(_deploy("default"))
    (tmp_path / "unnamed.yaml").write_text(_deploy())
    assert _scan(tmp_path) == [(UNISOLATED, "reports.yaml")]


def test_a_declared_namespace_is_left_to_the_namespace_rule(tmp_path: Path) -> None:
    (tmp_path / "netpol.yaml").write_text(_policy("shop"))
    (tmp_path / "reports.yaml").write_text(_deploy("analytics"))
    (tmp_path / "ns.json").write_text(
        '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "analytics"}}'
    )
    assert _scan(tmp_path) == [("k8s/namespace-no-default-deny", "ns.json")]


def test_no_policy_anywhere_or_an_unnamed_one_beside_it_is_not_judged(tmp_path: Path) -> None:
    (tmp_path / "reports.yaml").write_text(_deploy("analytics"))
    assert _scan(tmp_path) == []
    # a policy without a namespace in the same directory may be applied into analytics
    (tmp_path / "netpol.yaml").write_text(_policy())
    assert _scan(tmp_path) == []


# -- etcd's client CA against the API server's (KICS "Not Unique Certificate Authority") ----


def _control_plane(trusted: str) -> tuple[str, str]:
    from pipesec.scanners.iac.k8s_controlplane import _etcd_pod, example

    return example("kube-apiserver"), _etcd_pod(trusted)


@pytest.mark.parametrize(
    ("trusted", "reported"),
    [
        ("/etc/kubernetes/pki/ca.crt", True),
        ("/etc/kubernetes/pki/../pki/ca.crt", True),  # the same file by another path
        ("/etc/kubernetes/pki/etcd/ca.crt", False),
    ],
)
def test_etcd_shared_ca_across_files(tmp_path: Path, trusted: str, reported: bool) -> None:
    apiserver, etcd = _control_plane(trusted)
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "kube-apiserver.yaml").write_text(apiserver)
    (tmp_path / "manifests" / "etcd.yaml").write_text(etcd)
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    hits = findings(items, "k8s/etcd-shared-ca")
    assert [f.location.path for f in hits] == (["manifests/etcd.yaml"] if reported else [])


def test_etcd_shared_ca_needs_an_api_server_to_compare_with() -> None:
    _apiserver, etcd = _control_plane("/etc/kubernetes/pki/ca.crt")
    assert not findings(scan_family("k8s", etcd), "k8s/etcd-shared-ca")


# -- trivy KCV0091: the kubelet's serving certificate rotation -------------------------------


@pytest.mark.parametrize(
    ("gates", "reported"),
    [
        ("featureGates:\n  RotateKubeletServerCertificate: false\n", True),
        ("featureGates:\n  RotateKubeletServerCertificate: true\n", False),
        ("featureGates:\n  GracefulNodeShutdown: false\n", False),
        ("", False),
    ],
)
def test_kubelet_configuration_server_certificate_rotation(gates: str, reported: bool) -> None:
    text = (
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
        "authentication:\n  anonymous:\n    enabled: false\n" + gates
    )
    hits = findings(scan_family("k8s", text), "k8s/kubelet-rotate-server-cert")
    assert [f.location.start_line for f in hits] == ([6] if reported else [])


def test_a_policy_rendered_by_a_helm_chart_counts_for_plain_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Helm output (helm is not installed here: its rendering is stubbed) feeds the index
    too: the chart's NetworkPolicy of namespace shop judges a plain file's workload."""
    from pipesec.scanners.iac import helm

    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: chart\nversion: 0.1.0\n")
    (chart / "templates" / "netpol.yaml").write_text("{{ .Values.policy }}\n")
    rendered = "---\n# Source: chart/templates/netpol.yaml\n" + _policy("shop")
    monkeypatch.setattr(helm, "render_all", lambda root, paths: iter([("chart", rendered)]))
    (tmp_path / "worker.yaml").write_text(_deploy("shop"))
    assert _scan(tmp_path) == [(NOT_SELECTED, "worker.yaml")]


def test_cfn_authentication_engine_lookups_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A template with more Authentication credentials than the engine is asked about: the
    rest are still reported, under the generic rule their key names."""
    from pipesec.scanners.iac import cfn_rules, tf_secrets

    calls: list[str] = []
    real = tf_secrets._engine_matches

    def counted(text: str) -> list[tuple[str, object]]:
        calls.append(text)
        return real(text)  # type: ignore[return-value]

    monkeypatch.setattr(tf_secrets, "_engine_matches", counted)
    monkeypatch.setattr(cfn_rules, "MAX_AUTHENTICATION_LOOKUPS", 3)
    entries = "".join(
        f"        Creds{i}:\n          type: basic\n          password: {PASSWORD}{i}\n"
        for i in range(5)
    )
    text = _auth_template(entries).replace("        Creds:\n", "")
    hits = [f for f in findings(scan_family("cfn", text)) if f.identity.startswith("hmac:")]
    assert len(hits) == 5 and len(calls) == 3
    assert all(f.rule_id.startswith("secrets/") for f in hits)


TF_ROLE = """resource "{kind}" "access" {{
  metadata {{
    name = "access"
{ns}  }}
  rule {{
    api_groups = [{group}]
    resources  = ["configmaps"]
{names}    verbs      = [{verbs}]
  }}
}}
"""


@pytest.mark.parametrize(
    ("kind", "ns", "group", "names", "verbs", "reported"),
    [
        (
            "kubernetes_cluster_role",
            "",
            '""',
            '    resource_names = ["aws-auth"]\n',
            '"patch"',
            True,
        ),
        ("kubernetes_role_v1", "kube-system", '""', "", '"update"', True),
        ("kubernetes_role", "kube-system", '"*"', "", '"*"', True),
        ("kubernetes_role_v1", "shop", '""', "", '"update"', False),
        ("kubernetes_role_v1", "kube-system", '"apps"', "", '"update"', False),
        ("kubernetes_cluster_role_v1", "", '""', "", '"update"', False),
        (
            "kubernetes_role_v1",
            "kube-system",
            '""',
            '    resource_names = ["coredns"]\n',
            '"patch"',
            False,
        ),
        ("kubernetes_role_v1", "kube-system", '""', "", "var.verbs", False),  # unknown
    ],
)
def test_rbac_aws_auth_write_terraform(
    kind: str, ns: str, group: str, names: str, verbs: str, reported: bool
) -> None:
    text = TF_ROLE.format(
        kind=kind,
        ns=f'    namespace = "{ns}"\n' if ns else "",
        group=group,
        names=names,
        verbs=verbs,
    )
    hits = findings(scan_family("tf", text), "tf/rbac-aws-auth-write")
    assert bool(hits) is reported
