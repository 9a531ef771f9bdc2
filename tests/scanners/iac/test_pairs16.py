"""Session 16 (issue 16, iacpairs): the trivy pairs' leftovers and review15's Terraform
quadratics. Each test failed before the change it covers (docs/iac-rules.md, "Session 16")."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.core.model import Finding, Severity
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner, hcl, tfbase
from pipesec.scanners.iac.catalog import rules as all_rules
from pipesec.scanners.iac.hcl import Block, Expr
from pipesec.scanners.iac.tfbase import Links, ModuleView, refers

# -- Terraform: ModuleView.linked and Expr.refers_to ---------------------------------------


COMPANIONS = {
    "aws_s3_bucket_versioning": 'versioning_configuration {\n    status = "Enabled"\n  }',
    "aws_s3_bucket_public_access_block": "\n  ".join(
        f"{k} = true"
        for k in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        )
    ),
}


def _buckets(n: int) -> str:
    """n buckets, each with a versioning and a public access block resource."""
    blocks = [f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "bucket-{i}"\n}}' for i in range(n)]
    blocks += [
        f'resource "{kind}" "b{i}" {{\n  bucket = aws_s3_bucket.b{i}.id\n  {body}\n}}'
        for kind, body in COMPANIONS.items()
        for i in range(n)
    ]
    return "\n".join(blocks) + "\n"


def test_linked_tries_the_candidates_not_every_resource(monkeypatch: pytest.MonkeyPatch) -> None:
    """ModuleView.linked tried every bucket-configuration resource for every bucket (800
    buckets with four companions each: 11.5 s); an index by the words of each value now
    hands `refers` the few candidates."""
    calls = 0

    def counting(*a: object, **kw: object) -> bool:
        nonlocal calls
        calls += 1
        return refers(*a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(tfbase, "refers", counting)
    n = 60
    got = findings(scan_family("tf", _buckets(n)), "tf/aws-s3-versioning-disabled")
    assert got == []
    assert calls < 12 * n, calls  # quadratic: n * n per companion type


def _block(kind: str, name: str, **attrs: object) -> Block:
    b = Block("resource", [kind, name], 1, 1, 1, "main.tf")
    for k, v in attrs.items():
        b.attrs[k] = hcl.Attr(k, v, 1, 1, 1)
    return b


VALUES = [
    Expr("aws_s3_bucket.b.id"),
    Expr("aws_s3_bucket.b2.id"),
    Expr("aws_s3_bucket.b-x.id"),
    Expr("xaws_s3_bucket.b.id"),
    Expr("aws_s3_bucket.b[0].id"),
    Expr('aws_s3_bucket.b["k"].id'),
    Expr("module.m.aws_s3_bucket.b.id"),
    Expr('lookup(aws_s3_bucket.b, "id")'),
    Expr("var.name"),
    Expr("each.value.id"),
    Expr("local.b"),
    "bucket-b",
    "bucket-c",
    None,
]


@pytest.mark.parametrize(
    ("target", "name"),
    [
        (_block("aws_s3_bucket", "b", bucket="bucket-b"), "bucket-b"),
        (_block("aws_s3_bucket", "b2", bucket=Expr("var.name")), Expr("var.name")),
        (_block("aws_s3_bucket", "b-x"), None),
        (_block("aws_s3_bucket", "c", bucket="bucket-c"), "bucket-c"),
    ],
)
def test_links_answer_what_refers_answers(target: Block, name: object) -> None:
    """The index only narrows the candidates: the answer is `refers` over every entry."""
    entries = []
    for i, v in enumerate(VALUES):
        fe = {"for_each": Expr("aws_s3_bucket.b2")} if i == 9 else {}
        b = _block("aws_s3_bucket_versioning", f"v{i}", bucket=v, **fe)
        entries.append((b, v, b))
    want = [b for b, v, _ in entries if refers(b, v, target, name)]
    assert Links(entries).to(target, name) == want


def test_linked_reads_outside_blocks() -> None:
    target = _block("aws_s3_bucket", "b", bucket="bucket-b")
    inside = _block("aws_s3_bucket_logging", "l", bucket=Expr("aws_s3_bucket.b.id"))
    outside = _block("aws_s3_bucket_logging", "o", bucket="bucket-b")
    m = ModuleView(blocks=[target, inside], outside=[outside])
    assert m.linked(target, ("aws_s3_bucket_logging",)) == [inside, outside]


def test_refers_to_compiles_each_address_once() -> None:
    """Expr.refers_to compiled its pattern per call (re's own cache holds 512: a module with
    more addresses compiled every time)."""
    hcl._reference.cache_clear()
    for _ in range(3):
        assert Expr("aws_s3_bucket.a.id").refers_to("aws_s3_bucket.a")
        assert not Expr("aws_s3_bucket.ab.id").refers_to("aws_s3_bucket.a")
    assert hcl._reference.cache_info().misses == 1


# -- Dockerfile: exec-form RUN, cloud CLI logins, WORKDIR under /proc ----------------------

BASE = "FROM alpine:3.20@sha256:beefdbd8a1da\n"


@pytest.mark.parametrize(
    ("run", "rule"),
    [
        ('RUN ["apk", "add", "python3"]', "docker/apk-cache"),
        ('RUN ["/bin/sh", "-c", "apk add curl && echo done"]', "docker/apk-cache"),
        ('RUN ["dnf", "install", "-y", "nginx"]', "docker/package-cache-not-cleaned"),
        ('RUN ["pip", "install", "flask"]', "docker/pip-cache"),
        ('RUN ["sh", "-c", "curl -fsSL https://get.example.com | sh"]', "docker/curl-pipe-shell"),
    ],
)
def test_exec_form_run_is_read_as_its_command(run: str, rule: str) -> None:
    got = findings(scan_family("docker", BASE + run + "\nUSER nobody\n"), rule)
    assert [f.location.start_line for f in got] == [2]


@pytest.mark.parametrize(
    "run",
    [
        'RUN ["apk", "add", "--no-cache", "python3"]',
        'RUN ["/bin/sh", "-c", "apk add --no-cache curl"]',
        "RUN [ -f /etc/alpine-release ] && apk add --no-cache curl",
    ],
)
def test_exec_form_run_fixed(run: str) -> None:
    assert findings(scan_family("docker", BASE + run + "\nUSER nobody\n"), "docker/apk-cache") == []


LOGIN = "docker/cloud-cli-login-in-run"
AWS = "FROM amazon/aws-cli:2.17.0@sha256:9b4e6c1f2a7d\n"
KEY = "wJalrXUtnFEMI" + "K7MDENGbPxRfi" + "CYzEXAMPLEKEY9"


@pytest.mark.parametrize(
    "text",
    [
        # trivy DS031's allowed form: the key comes from a secret mount, and is written
        # to /root/.aws/credentials in the layer all the same
        AWS + "RUN --mount=type=secret,id=k aws configure set aws_secret_access_key "
        "$(cat /run/secrets/k)\nUSER nobody\n",
        AWS + f"RUN aws configure set aws_secret_access_key {KEY}\nUSER nobody\n",
        AWS + "RUN aws configure set default.aws_session_token $TOKEN\nUSER nobody\n",
        "FROM google/cloud-sdk:480.0.0@sha256:1b2c3d4e5f60\nCOPY key.json /tmp/key.json\n"
        "RUN gcloud auth activate-service-account --key-file=/tmp/key.json\nUSER nobody\n",
        "FROM mcr.microsoft.com/azure-cli:2.61.0@sha256:0a1b2c3d4e5f\n"
        "RUN az login --service-principal -u app-id -p $(cat /run/secrets/sp) --tenant t\n"
        "USER nobody\n",
        # a literal key in a builder stage is still in the Dockerfile
        AWS + f"RUN aws configure set aws_secret_access_key {KEY}\n"
        "FROM alpine:3.20@sha256:beefdbd8a1da\nUSER nobody\n",
    ],
)
def test_cloud_cli_login_in_run(text: str) -> None:
    got = findings(scan_family("docker", text), LOGIN)
    assert len(got) == 1
    assert got[0].severity is Severity.HIGH
    assert KEY not in (got[0].snippet or "") + got[0].message


@pytest.mark.parametrize(
    "text",
    [
        AWS + "RUN --mount=type=secret,id=aws,target=/root/.aws/credentials "
        "aws s3 cp s3://acme/app.tgz /opt/\nUSER nobody\n",
        AWS + "RUN aws configure set aws_secret_access_key $(cat /run/secrets/k) && "
        "aws s3 cp s3://acme/app.tgz /opt/ && rm -rf /root/.aws\nUSER nobody\n",
        AWS + "RUN --mount=type=tmpfs,target=/root/.aws aws configure set "
        "aws_secret_access_key $(cat /run/secrets/k) && aws s3 cp s3://acme/a /opt/\n"
        "USER nobody\n",
        AWS + "RUN aws configure set region eu-west-1\nUSER nobody\n",
        # a builder stage's layers do not reach the image; nothing literal in the file
        AWS + "RUN aws configure set aws_secret_access_key $(cat /run/secrets/k)\n"
        "FROM alpine:3.20@sha256:beefdbd8a1da\nUSER nobody\n",
        "FROM google/cloud-sdk:480.0.0@sha256:1b2c3d4e5f60\n"
        "RUN gcloud auth activate-service-account --key-file=/run/secrets/k && "
        "gsutil cp gs://acme/a /opt/ && gcloud auth revoke --all\nUSER nobody\n",
    ],
)
def test_cloud_cli_login_not_stored(text: str) -> None:
    assert findings(scan_family("docker", text), LOGIN) == []


@pytest.mark.parametrize(
    "workdir", ["/proc/self/fd/1", '"/proc/self/fd/8"', "/sys/fs/cgroup", "/app/../proc/1/cwd"]
)
def test_workdir_under_proc(workdir: str) -> None:
    got = findings(scan_family("docker", BASE + f"WORKDIR {workdir}\nUSER nobody\n"))
    assert [f.location.start_line for f in got if f.rule_id == "docker/workdir-under-proc"] == [2]


@pytest.mark.parametrize("workdir", ["/app", "/processing", "/srv/proc/x", "proc"])
def test_workdir_not_under_proc(workdir: str) -> None:
    got = findings(scan_family("docker", BASE + f"WORKDIR {workdir}\nUSER nobody\n"))
    assert [f for f in got if f.rule_id == "docker/workdir-under-proc"] == []


# -- severities by the written policy ------------------------------------------------------


@pytest.mark.parametrize(
    "rule_id",
    [
        # no encryption at rest (a copied snapshot reads the volume): high, as the launch
        # configuration's root volume already was (trivy AVD-AWS-0131/0026/0008 high, KICS
        # "EBS Volume Encryption Disabled" high)
        "tf/aws-instance-root-unencrypted",
        "tf/aws-instance-ebs-unencrypted",
        "tf/aws-launch-template-ebs-unencrypted",
        "tf/aws-ebs-unencrypted",
        "cfn/aws-ebs-unencrypted",
        "cfn/aws-instance-ebs-unencrypted",
        # plain FTP allowed by the legacy resources' default: plain text on a public
        # endpoint, as the explicit AllAllowed (azure-appservice-ftp-allowed) is
        "tf/azure-appservice-ftps-default",
    ],
)
def test_unencrypted_volumes_and_plain_ftp_are_high(rule_id: str) -> None:
    rules = {r.id: r for r in all_rules()}
    assert rules[rule_id].severity is Severity.HIGH


# -- security-group egress to the internet (the trivy pairs' class (a) gap) ---------------

EGRESS_TF = [
    'resource "aws_security_group" "a" {\n  egress {\n    from_port = 0\n    to_port = 0\n'
    '    protocol = "-1"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
    'resource "aws_security_group_rule" "a" {\n  type = "egress"\n  from_port = 443\n'
    '  to_port = 443\n  protocol = "tcp"\n  ipv6_cidr_blocks = ["::/0"]\n'
    "  security_group_id = aws_security_group.x.id\n}\n",
    'resource "aws_vpc_security_group_egress_rule" "a" {\n'
    '  security_group_id = aws_security_group.x.id\n  cidr_ipv4 = "0.0.0.0/0"\n'
    '  ip_protocol = "-1"\n}\n',
]


@pytest.mark.parametrize("text", EGRESS_TF)
def test_sg_egress_to_internet_tf(text: str) -> None:
    got = findings(scan_family("tf", text), "tf/aws-sg-egress-to-internet")
    assert len(got) == 1
    assert got[0].severity is Severity.LOW


@pytest.mark.parametrize(
    "text",
    [
        EGRESS_TF[0].replace("0.0.0.0/0", "10.0.0.0/8"),
        EGRESS_TF[1].replace('"egress"', '"ingress"'),
        EGRESS_TF[2].replace("egress_rule", "ingress_rule"),
        'resource "aws_security_group" "a" {\n  egress {\n    from_port = 443\n    to_port = 443\n'
        '    protocol = "tcp"\n    prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]\n'
        "  }\n}\n",
    ],
)
def test_sg_egress_not_to_internet_tf(text: str) -> None:
    assert findings(scan_family("tf", text), "tf/aws-sg-egress-to-internet") == []


EGRESS_CFN = """\
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      SecurityGroupEgress:
        - IpProtocol: "-1"
          CidrIp: {cidr}
  Rule:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !Ref Group
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      CidrIpv6: {cidr6}
"""


def test_sg_egress_to_internet_cfn() -> None:
    text = EGRESS_CFN.format(cidr="0.0.0.0/0", cidr6="::/0")
    got = findings(scan_family("cfn", text), "cfn/aws-sg-egress-to-internet")
    assert sorted(f.location.start_line for f in got) == [8, 16]
    fixed = EGRESS_CFN.format(cidr="10.0.0.0/8", cidr6="fd00::/8")
    assert findings(scan_family("cfn", fixed), "cfn/aws-sg-egress-to-internet") == []


# -- NetworkPolicy egress: the "allow DNS" rule (read on a real tree) -----------------------

EGRESS_POLICY = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: default-deny, namespace: shop}}
spec:
  podSelector: {{}}
  policyTypes: [Ingress, Egress]
  egress:
    - to:
        - namespaceSelector: {{}}
      ports:
{ports}
"""


@pytest.mark.parametrize(
    "ports",
    [
        "        - {port: 53, protocol: UDP}\n        - {port: 53, protocol: TCP}",
        "        - {port: dns, protocol: UDP}\n        - {port: dns-tcp, protocol: TCP}",
    ],
)
def test_dns_egress_to_every_namespace_is_not_allow_all(ports: str) -> None:
    """100rd/platform-design's default deny lets every pod resolve names: `to:
    namespaceSelector: {}` on port 53 only, the usual form; it was reported as allowing all
    egress."""
    text = EGRESS_POLICY.format(ports=ports)
    assert findings(scan_family("k8s", text), "k8s/networkpolicy-allow-all-egress") == []


@pytest.mark.parametrize(
    "to",
    [
        "",  # no `to:`: every destination
        "      to:\n        - ipBlock: {cidr: 0.0.0.0/0}\n",
    ],
)
def test_dns_egress_to_any_destination_is_not_allow_all(to: str) -> None:
    """review16: the exemption is wider than every namespace: any destination on port 53
    only is the "allow DNS" rule too (pods that use an outside resolver); decided, not an
    accident: the rule is about policies that open every port."""
    text = (
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: dns, namespace: shop}\nspec:\n  podSelector: {}\n"
        "  policyTypes: [Egress]\n  egress:\n    - ports:\n"
        "        - {port: 53, protocol: UDP}\n" + to
    )
    assert findings(scan_family("k8s", text), "k8s/networkpolicy-allow-all-egress") == []
    if not to:  # every port to every destination is what the rule reports
        opened = text.replace("{port: 53, protocol: UDP}", "{port: 443, protocol: TCP}")
        opened = opened.replace(
            "    - ports:\n        - {port: 443, protocol: TCP}\n", "    - {}\n"
        )
        found = findings(scan_family("k8s", opened), "k8s/networkpolicy-allow-all-egress")
        assert len(found) == 1


@pytest.mark.parametrize(
    "ports",
    [
        "        - {port: 53, protocol: UDP}\n        - {port: 443, protocol: TCP}",
        "        - {port: 53, endPort: 65535, protocol: TCP}",
    ],
)
def test_egress_to_every_namespace_beyond_dns_is_allow_all(ports: str) -> None:
    text = EGRESS_POLICY.format(ports=ports)
    assert len(findings(scan_family("k8s", text), "k8s/networkpolicy-allow-all-egress")) == 1


# -- Cilium policies isolate a namespace (read on a real tree) ------------------------------

NS_DOC = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
CCNP = """\
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
# egress to the API server only: `toEntities: [cluster]` (every pod) opens egress (iacfix,
# session 17: an allow-all policy does not isolate; test_iacfix17.py)
CNP = """\
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: deny
  namespace: shop
spec:
  endpointSelector: {}
  ingressDeny:
    - fromEntities: [world]
  egress:
    - toEntities: [kube-apiserver]
"""
CNP_SPECS = """\
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: deny
  namespace: shop
specs:
  - endpointSelector:
      matchLabels: {app: web}
    ingress:
      - fromEntities: [cluster]
  - endpointSelector: {}
    ingress:
      - {}
    egress:
      - {}
"""


def _namespace_findings(tmp_path: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    items = IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings())
    return [
        f.message
        for f in items
        if isinstance(f, Finding) and f.rule_id == "k8s/namespace-no-default-deny"
    ]


@pytest.mark.parametrize(
    "files",
    [
        # 100rd/platform-design's clustermesh-demo: a cluster-wide Cilium default deny,
        # in another file of the tree
        {"ns/namespace.yaml": NS_DOC, "platform/ccnp.yaml": CCNP},
        {"ns/namespace.yaml": NS_DOC + "---\n" + CNP},
        {"ns/namespace.yaml": NS_DOC, "policies/cnp.yaml": CNP},
        # the rules may sit in a list under `specs`
        {"ns/namespace.yaml": NS_DOC, "policies/cnp.yaml": CNP_SPECS},
    ],
)
def test_cilium_policy_over_every_endpoint_isolates_the_namespace(
    tmp_path: Path, files: dict[str, str]
) -> None:
    assert _namespace_findings(tmp_path, files) == []


@pytest.mark.parametrize(
    ("policy", "missing"),
    [
        (
            CCNP.replace("endpointSelector: {}", "endpointSelector:\n    matchLabels: {app: a}"),
            "ingress or egress",
        ),
        (
            CCNP.replace(
                "spec:\n", "spec:\n  enableDefaultDeny: {ingress: false, egress: false}\n"
            ),
            "ingress or egress",
        ),
        (CNP.replace("  egress:\n    - toEntities: [kube-apiserver]\n", ""), "egress"),
        (CNP.replace("namespace: shop", "namespace: other"), "ingress or egress"),
    ],
)
def test_cilium_policy_that_does_not_isolate(tmp_path: Path, policy: str, missing: str) -> None:
    got = _namespace_findings(tmp_path, {"ns/namespace.yaml": NS_DOC, "p/policy.yaml": policy})
    assert got == [f"Namespace shop: no NetworkPolicy isolates {missing}"]
