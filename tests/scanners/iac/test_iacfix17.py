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


# -- the tenth sample's hold-out misses, in general form ----------------------------------

FROM = "FROM python:3.12-slim@sha256:4f3e1c2ab0aa\n"


def _docker(tmp_path: Path, body: str, name: str = "Dockerfile") -> list[tuple[str, int]]:
    return [
        (f.rule_id, f.location.start_line)
        for f in _scan(tmp_path, {name: FROM + body + "USER nobody\n"})
        if f.rule_id in ("docker/debug-mode-env", "docker/weak-tls-download")
    ]


@pytest.mark.parametrize(
    "env",
    [
        "FLASK_DEBUG=1",
        "DEBUG=true",
        "DJANGO_DEBUG=True",
        "NODE_ENV=development",
        "env=dev",
        "another=var env=dev",
        "ASPNETCORE_ENVIRONMENT=Development",
        "RAILS_ENV development",
        "GIN_MODE=debug",
        "XDEBUG_MODE=develop,debug",
        'NODE_OPTIONS="--inspect=0.0.0.0:9229"',
        'NODE_OPTIONS="--inspect-brk=[::]:9229"',
        'JAVA_TOOL_OPTIONS="-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005"',
    ],
)
def test_debug_settings_in_the_image_are_reported(tmp_path: Path, env: str) -> None:
    assert _docker(tmp_path, f"ENV {env}\n") == [("docker/debug-mode-env", 2)]


@pytest.mark.parametrize(
    "env",
    [
        "DEBUG=false",
        "FLASK_DEBUG=0",
        "NODE_ENV=production",
        "env=devmode",
        "envir=dev",
        "XDEBUG_MODE=coverage",
        "DEBUG=*",
        "NODE_OPTIONS=--inspect",
        'NODE_OPTIONS="--inspect=127.0.0.1:9229"',
        'NODE_OPTIONS="--inspect=[::1]:9229"',
        'JAVA_TOOL_OPTIONS="-agentlib:jdwp=transport=dt_socket,server=y,address=localhost:5005"',
        "PYTHONDEBUG=1",
    ],
)
def test_other_settings_are_quiet(tmp_path: Path, env: str) -> None:
    assert _docker(tmp_path, f"ENV {env}\n") == []


@pytest.mark.parametrize(
    ("name", "body"),
    [
        # a Dockerfile named for development says what it is for
        ("Dockerfile.dev", "ENV NODE_ENV=development\n"),
        (".devcontainer/Dockerfile", "ENV DEBUG=1\n"),
        ("docker/local/Dockerfile", "ENV FLASK_DEBUG=1\n"),
        # a builder stage's ENV does not reach the image
        ("Dockerfile", "ENV DEBUG=1\nFROM python:3.12-slim@sha256:4f3e1c2ab0aa\n"),
    ],
)
def test_development_images_and_builder_stages_are_quiet(
    tmp_path: Path, name: str, body: str
) -> None:
    assert _docker(tmp_path, body, name) == []


@pytest.mark.parametrize(
    "run",
    [
        "RUN curl --tls-max 1.0 https://tls-v1-0.badssl.com:1010\n",
        "RUN curl -fsSL --tls-max=1.1 -o /tmp/t https://example.com/t\n",
        "RUN curl --tlsv1.0 https://example.com/t\n",
        "RUN curl --tlsv1 https://example.com/t\n",
        "RUN curl -s -3 https://example.com/t\n",
        "RUN wget --secure-protocol=TLSv1 https://example.com/t\n",
        "RUN wget --secure-protocol SSLv3 https://example.com/t\n",
        'RUN ["curl", "--tls-max", "1.0", "https://example.com/t"]\n',
        "RUN apk add curl && \\\n    curl --tlsv1.1 https://example.com/t\n",
    ],
)
def test_downloads_forcing_old_tls_are_reported(tmp_path: Path, run: str) -> None:
    line = 2 + run.count("\n") - 1
    assert _docker(tmp_path, run) == [("docker/weak-tls-download", line)]


@pytest.mark.parametrize(
    "run",
    [
        "RUN curl https://www.sonarsource.com\n",
        "RUN curl --tls-max 1.2 https://example.com/t\n",
        "RUN curl --tlsv1.2 https://example.com/t\n",
        "RUN wget --secure-protocol=TLSv1_2 https://example.com/t\n",
        "RUN curl -o out-1 https://example.com/t | head -1\n",
        "RUN echo --tlsv1.0\n",
    ],
)
def test_modern_tls_downloads_are_quiet(tmp_path: Path, run: str) -> None:
    assert _docker(tmp_path, run) == []


@pytest.mark.parametrize("prefix", ["gha", "gitlab"])
def test_pipeline_steps_forcing_old_tls_are_reported(tmp_path: Path, prefix: str) -> None:
    from pipesec.scanners.pipelines import PipelinesScanner
    from pipesec.scanners.pipelines.shell import GHA_TEMPLATE, GITLAB_TEMPLATE

    template, name = (
        (GHA_TEMPLATE, ".github/workflows/ci.yml")
        if prefix == "gha"
        else (GITLAB_TEMPLATE, ".gitlab-ci.yml")
    )
    for i, (cmd, want) in enumerate(
        [
            ("curl --tls-max 1.0 -o t.tgz https://example.com/t.tgz", 1),
            ("wget --secure-protocol=TLSv1_1 https://example.com/t.tgz", 1),
            ("curl --tlsv1.2 -o t.tgz https://example.com/t.tgz", 0),
        ]
    ):
        root = tmp_path / str(i)
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(template.format(cmd=cmd))
        items = PipelinesScanner().scan(Workspace(root, use_git=False), ScannerSettings())
        got = [f for f in items if isinstance(f, Finding)]
        assert sum(f.rule_id == f"{prefix}/weak-tls-download" for f in got) == want, cmd


def _tf(tmp_path: Path, text: str, rule: str) -> list[int]:
    return [f.location.start_line for f in _scan(tmp_path, {"main.tf": text}) if f.rule_id == rule]


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ('  protocol = "HTTPS"\n  port     = 443\n', [1]),  # the API default: 2016-08
        ('  protocol = "TLS"\n  port     = 443\n', [1]),
        ('  protocol   = "HTTPS"\n  ssl_policy = "ELBSecurityPolicy-TLS13-1-0-2021-06"\n', [3]),
        ('  protocol   = "HTTPS"\n  ssl_policy = "ELBSecurityPolicy-FS-1-1-2019-08"\n', [3]),
        ('  protocol   = "HTTPS"\n  ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"\n', []),
        ('  protocol = "HTTP"\n  port     = 80\n', []),
        ("  port = 80\n", []),
    ],
)
def test_https_listener_policy_missing_or_outdated(
    tmp_path: Path, body: str, lines: list[int]
) -> None:
    text = 'resource "aws_alb_listener" "front" {\n' + body + "}\n"
    assert _tf(tmp_path, text, "tf/aws-lb-outdated-tls-policy") == lines


def test_cloudformation_https_listener_without_policy(tmp_path: Path) -> None:
    text = (
        "Resources:\n  Https:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n"
        "    Properties:\n      Protocol: HTTPS\n      Port: 443\n"
    )
    got = [f for f in _scan(tmp_path, {"t.yaml": text}) if "tls" in f.rule_id]
    assert [(f.rule_id, f.location.start_line) for f in got] == [
        ("cfn/aws-lb-outdated-tls-policy", 4)
    ]


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        (
            "  start_task {\n    user_identity {\n      auto_user {\n"
            '        elevation_level = "Admin"\n      }\n    }\n  }\n',
            [5],
        ),
        (
            '  user_accounts {\n    name            = "ops"\n    elevation_level = "Admin"\n  }\n',
            [4],
        ),
        (
            "  start_task {\n    user_identity {\n      auto_user {\n"
            '        elevation_level = "NonAdmin"\n      }\n    }\n  }\n',
            [],
        ),
        ('  start_task {\n    command_line = "./setup.sh"\n  }\n', []),
    ],
)
def test_batch_pool_admin_elevation(tmp_path: Path, body: str, lines: list[int]) -> None:
    text = 'resource "azurerm_batch_pool" "p" {\n' + body + "}\n"
    assert _tf(tmp_path, text, "tf/azure-batch-pool-admin-elevation") == lines


def test_primitive_roles_in_policy_data_and_folder_bindings(tmp_path: Path) -> None:
    text = (
        'data "google_iam_policy" "p" {\n  binding {\n    role    = "roles/viewer"\n'
        '    members = ["group:ops@example.com"]\n  }\n  binding {\n    role    = "roles/owner"\n'
        '    members = ["group:ops@example.com"]\n  }\n}\n'
        'resource "google_project_iam_policy" "p" {\n  project     = "acme"\n'
        "  policy_data = data.google_iam_policy.p.policy_data\n}\n"
        'resource "google_folder_iam_binding" "f" {\n  folder  = "folders/1"\n'
        '  role    = "roles/editor"\n  members = ["group:ops@example.com"]\n}\n'
    )
    assert sorted(_tf(tmp_path, text, "tf/gcp-iam-primitive-role")) == [7, 17]


def test_admin_role_to_a_service_account_in_policy_data(tmp_path: Path) -> None:
    text = (
        'data "google_iam_policy" "p" {\n  binding {\n    role    = "roles/storage.admin"\n'
        '    members = ["serviceAccount:ci@acme.iam.gserviceaccount.com"]\n  }\n}\n'
    )
    assert _tf(tmp_path, text, "tf/gcp-iam-service-account-admin-role") == [3]
    people = text.replace("serviceAccount:ci@acme.iam.gserviceaccount.com", "group:ops@acme.com")
    assert _tf(tmp_path / "b", people, "tf/gcp-iam-service-account-admin-role") == []


def test_a_kubeconfig_of_many_clusters_is_read(tmp_path: Path) -> None:
    """kubectl writes clusters and contexts before `kind: Config`: far from the start."""
    ca = "LS0tLS1CRUdJTi" + "QUFB" * 500
    clusters = "".join(
        f"- name: c{i}\n  cluster:\n    server: https://c{i}:6443\n"
        f"    certificate-authority-data: {ca}\n"
        for i in range(60)
    )
    text = (
        "apiVersion: v1\nclusters:\n"
        + clusters
        + "- name: x\n  cluster:\n    server: https://x:6443\n    insecure-skip-tls-verify: true\n"
        "contexts: []\ncurrent-context: ''\nkind: Config\npreferences: {}\nusers: []\n"
    )
    assert len(text) > 100_000
    got = _scan(tmp_path, {".kube/config": text})
    assert [f.rule_id for f in got] == ["k8s/kubeconfig-skip-tls-verify"]
