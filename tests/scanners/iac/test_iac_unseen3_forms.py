"""Forms that a session-9 hold-out of labelled Kubernetes, Google, Azure and Dockerfile cases
showed missed or misread: sysctls written with "/", a pod's UID 0 that every container
overrides, a bucket's versioning written as a map, brackets that are not the exec form,
yum/dnf/zypper without their non-interactive flag. Each rule's own examples run in
test_rules.py / test_datarules.py; these are the neighbouring forms."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family

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


BUCKET = """\
resource "google_storage_bucket" "b" {{
  name                        = "acme-data"
  location                    = "EU"
  uniform_bucket_level_access = true
  versioning {versioning}
}}
"""


@pytest.mark.parametrize(
    ("versioning", "reported"),
    [
        ("= {\n    enabled = false\n  }", True),  # written as a map
        ("{\n    enabled = false\n  }", True),
        ("= {\n    enabled = true\n  }", False),
        ("{\n    enabled = var.versioned\n  }", False),  # unknown: no finding
    ],
)
def test_bucket_versioning_forms(versioning: str, reported: bool) -> None:
    text = BUCKET.format(versioning=versioning)
    got = findings(scan_family("tf", text), "tf/gcp-gcs-versioning-disabled")
    assert bool(got) is reported


DOCKER = "FROM debian:12@sha256:b8084b1a576c\n{body}\nUSER nobody\n"


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("CMD [python, app.py]", True),
        ("ENTRYPOINT ['top', '-b']", True),  # single quotes are not JSON
        ('CMD ["python", "app.py"]', False),
        ("RUN [ -f /etc/os-release ]", False),  # a shell test, not a list
        ("RUN [ -f /a ] && [ -f /b ]", False),
        ('RUN ["sh", "-c", "make"]', False),
    ],
)
def test_exec_form_not_json(body: str, reported: bool) -> None:
    items = scan_family("docker", DOCKER.format(body=body))
    assert bool(findings(items, "docker/exec-form-not-json")) is reported


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("RUN zypper install httpd && zypper clean", True),
        ("RUN zypper -n install httpd && zypper clean", False),
        ("RUN zypper --non-interactive in httpd", False),
        ("RUN zypper install -y httpd=2.4.46", False),
        ("RUN dnf install nginx", True),
        ("RUN dnf -y install nginx", False),
        ("RUN sudo yum install bundler", True),
        ("RUN yum install --assumeyes bundler", False),
        ("RUN yes | yum install bundler", False),
        ("RUN microdnf install -y shadow-utils", False),
    ],
)
def test_rpm_install_non_interactive(body: str, reported: bool) -> None:
    items = scan_family("docker", DOCKER.format(body=body))
    assert bool(findings(items, "docker/rpm-install-no-yes")) is reported


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("RUN ln -sfv /bin/bash /bin/sh", True),
        ("RUN ln -s /bin/bash /bin/sh && ./build.sh", True),
        ("RUN ln -s /usr/bin/python3 /usr/bin/python", False),
        ("RUN ln -s /bin/sh /usr/local/bin/sh-compat", False),
    ],
)
def test_shell_replaced(body: str, reported: bool) -> None:
    items = scan_family("docker", DOCKER.format(body=body))
    assert bool(findings(items, "docker/shell-replaced-in-run")) is reported


GKE = """\
resource "google_container_cluster" "main" {{
  name               = "shop"
  location           = "europe-west1"
  initial_node_count = 1
{extra}
}}
"""


@pytest.mark.parametrize(
    ("extra", "reported"),
    [
        # no block: enforcement is off by default, but trivy's good GKE examples for other
        # checks leave it out too (docs/iac-rules.md, session 9)
        ("", False),
        ("  network_policy {\n    enabled = false\n  }", True),
        ('  network_policy {\n    enabled  = true\n    provider = "CALICO"\n  }', False),
        ('  datapath_provider = "ADVANCED_DATAPATH"', False),  # Dataplane V2 enforces them
        ("  enable_autopilot = true", False),
        ("  network_policy {\n    enabled = var.netpol\n  }", False),  # unknown
    ],
)
def test_gke_network_policy_forms(extra: str, reported: bool) -> None:
    got = findings(scan_family("tf", GKE.format(extra=extra)), "tf/gcp-gke-network-policy-disabled")
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("extra", "reported"),
    [
        ("", True),  # auto_create_network defaults to true
        ("  auto_create_network = true", True),
        ("  auto_create_network = false", False),
        ("  auto_create_network = var.default_network", False),
    ],
)
def test_project_default_network_forms(extra: str, reported: bool) -> None:
    text = (
        'resource "google_project" "p" {\n  name       = "shop"\n  project_id = "shop-prod"\n'
        f"{extra}\n}}\n"
    )
    got = findings(scan_family("tf", text), "tf/gcp-project-default-network")
    assert bool(got) is reported


SQL = """\
resource "google_sql_database_instance" "db" {{
  name             = "orders"
  database_version = {version}
  region           = "europe-west1"

  settings {{
    tier = "db-custom-2-7680"
{flags}
  }}
}}
"""


def _flag(name: str, value: str) -> str:
    return f'    database_flags {{\n      name  = "{name}"\n      value = "{value}"\n    }}'


@pytest.mark.parametrize(
    ("version", "flag", "rule", "reported"),
    [
        ('"POSTGRES_16"', ("log_min_duration_statement", "0"), "pg-log-statement-durations", True),
        ('"MYSQL_8_0"', ("log_min_duration_statement", "0"), "pg-log-statement-durations", False),
        ("var.db_version", ("log_min_duration_statement", "0"), "pg-log-statement-durations", True),
        ('"SQLSERVER_2019_STANDARD"', ("remote access", "on"), "sqlserver-remote-access", True),
        ('"MYSQL_8_0"', ("remote access", "on"), "sqlserver-remote-access", False),
        ('"POSTGRES_15"', ("local_infile", "on"), "mysql-local-infile", False),
        ('"MYSQL_8_0"', ("local_infile", "on"), "mysql-local-infile", True),
    ],
)
def test_sql_flags_belong_to_their_engine(
    version: str, flag: tuple[str, str], rule: str, reported: bool
) -> None:
    text = SQL.format(version=version, flags=_flag(*flag))
    got = findings(scan_family("tf", text), f"tf/gcp-sql-{rule}")
    assert bool(got) is reported


@pytest.mark.parametrize(
    ("version", "flags", "reported"),
    [
        ('"SQLSERVER_2019_STANDARD"', "", True),  # off unless set
        ('"SQLSERVER_2019_STANDARD"', _flag("3625", "off"), True),
        ('"SQLSERVER_2019_STANDARD"', _flag("3625", "on"), False),
        ('"POSTGRES_16"', "", False),
        ("var.db_version", "", False),  # unknown engine: no finding
    ],
)
def test_sqlserver_trace_flag_3625(version: str, flags: str, reported: bool) -> None:
    text = SQL.format(version=version, flags=flags)
    got = findings(scan_family("tf", text), "tf/gcp-sql-sqlserver-trace-flag-3625-off")
    assert bool(got) is reported
