"""Session 16: what a tenth unseen sample (SonarSource sonar-iac's own check tests) and the
ninth sample's leftovers found missing, each in its general form, with the forms that must stay
quiet: world-writable modes beyond ``chmod 777``, BuildKit's host-network RUN, keys generated
into an image, quoted and exec-form plain-HTTP downloads, kubeconfig files, Terraform's string
booleans, Aurora instances, and a few Google, Azure and AWS settings with no rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family

from pipesec.core.model import Finding
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner
from pipesec.scanners.iac.files import kind_of

CHMOD = "docker/chmod-777"
NETWORK = "docker/run-network-host"
KEYGEN = "docker/key-generated-in-image"
HTTP = "docker/plain-http-download"
SKIP_TLS = "k8s/kubeconfig-skip-tls-verify"
KUBE_CREDS = "k8s/kubeconfig-embedded-credentials"


def _docker(body: str) -> set[str]:
    df = f"FROM alpine:3.20@sha256:beefdbd8a1da\n{body}USER nobody\n"
    return {f.rule_id for f in findings(scan_family("docker", df))}


# -- world-writable modes --------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "COPY --chmod=002 orig dest\n",
        "COPY --chmod=0666 orig dest\n",
        "ADD --chown=app --chmod=776 orig dest\n",
        "RUN chmod -R 666 /app\n",
        "RUN chmod 0772 /srv/upload\n",
        "RUN chmod a+w /app\n",
        "RUN chmod u+x,o+w /app\n",
    ],
)
def test_world_writable_modes_are_reported(body: str) -> None:
    assert CHMOD in _docker(body)


@pytest.mark.parametrize(
    "body",
    [
        "COPY --chmod=644 orig dest\n",
        "COPY --chmod=0755 orig dest\n",
        "RUN chmod 1777 /tmp/cache\n",
        "RUN chmod +x /entrypoint.sh\n",
        "RUN chmod u+w,g-w /app\n",
        "RUN echo --chmod=777\n",
    ],
)
def test_modes_without_world_write_are_quiet(body: str) -> None:
    assert CHMOD not in _docker(body)


# -- RUN --network=host ----------------------------------------------------------------------


def test_run_network_host_is_reported_in_any_stage() -> None:
    df = (
        "FROM alpine:3.20 AS build\nRUN --network=host make\n"
        "FROM alpine:3.20\nCOPY --from=build /out /out\nUSER nobody\n"
    )
    assert findings(scan_family("docker", df), NETWORK)


@pytest.mark.parametrize("body", ["RUN --network=none make\n", "RUN --network=default make\n"])
def test_run_other_networks_are_quiet(body: str) -> None:
    assert NETWORK not in _docker(body)


# -- keys generated into the image -----------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        'RUN ssh-keygen -N "" -t dsa -b 1024 -f rsync-key\n',
        "RUN ssh-keygen -A\n",
        "RUN openssl genrsa -out /etc/ssl/private/server.key 2048\n",
        "RUN openssl req -x509 -newkey rsa:4096 -nodes -keyout k.pem -out c.pem -subj /CN=x\n",
        "RUN keytool -genkeypair -alias app -keystore /app/keystore.jks\n",
    ],
)
def test_key_generation_in_the_image_is_reported(body: str) -> None:
    assert KEYGEN in _docker(body)


@pytest.mark.parametrize(
    "body",
    [
        "RUN ssh-keygen -l -f /etc/ssh/ssh_host_rsa_key.pub\n",
        "RUN ssh-keygen -y -f key > key.pub\n",
        "RUN openssl x509 -in cert.pem -noout -text\n",
    ],
)
def test_key_inspection_is_quiet(body: str) -> None:
    assert KEYGEN not in _docker(body)


def test_key_generated_in_a_builder_stage_only_is_quiet() -> None:
    df = (
        "FROM alpine:3.20 AS keys\nRUN ssh-keygen -t ed25519 -f /k\n"
        "FROM alpine:3.20\nCOPY --from=keys /k.pub /k.pub\nUSER nobody\n"
    )
    assert not findings(scan_family("docker", df), KEYGEN)


# -- plain HTTP downloads: quoted URLs and the exec form -------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        'RUN curl "http://www.example.com/tool.tgz" -o /tmp/t.tgz\n',
        'RUN ["curl", "http://www.example.com/tool.tgz"]\n',
        'ADD "http://www.example.com/tool.tgz" /opt/\n',
    ],
)
def test_quoted_and_exec_form_http_downloads_are_reported(body: str) -> None:
    assert HTTP in _docker(body)


@pytest.mark.parametrize(
    "body",
    [
        'RUN ["curl", "http://localhost:8080/health"]\n',
        "RUN curl http://169.254.169.254/latest/meta-data/\n",
        'RUN ["curl", "https://www.example.com/tool.tgz"]\n',
    ],
)
def test_local_and_https_downloads_are_quiet(body: str) -> None:
    assert HTTP not in _docker(body)


# -- kubeconfig files ------------------------------------------------------------------------

_KUBECONFIG = (
    "apiVersion: v1\nkind: Config\nclusters:\n- name: a\n  cluster:\n"
    "    server: https://10.0.0.1:6443\n{tls}"
    "contexts:\n- name: a\n  context: {{cluster: a, user: u}}\ncurrent-context: a\n"
    "users:\n- name: u\n  user:\n{user}"
)


def _kubeconfig(tls: str = "", user: str = "    client-certificate: client.crt\n") -> str:
    return _KUBECONFIG.format(tls=tls, user=user)


@pytest.mark.parametrize(("flag", "reported"), [("true", True), ("false", False)])
def test_kubeconfig_skip_tls_verify(flag: str, reported: bool) -> None:
    doc = _kubeconfig(tls=f"    insecure-skip-tls-verify: {flag}\n")
    assert bool(findings(scan_family("k8s", doc), SKIP_TLS)) is reported


def test_kubeconfig_embedded_token_and_key_are_reported_and_redacted() -> None:
    token = "eyJhbGciOiJSUzI1NiJ9" + "." + "eyJzdWIiOiJjaSJ9" + "." + "c2lnbmF0dXJlMTIz"
    key = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVB" + "QUFBQUFB" * 8
    got = findings(
        scan_family(
            "k8s",
            _kubeconfig(user=f"    token: {token}\n    client-key-data: {key}\n"),
        ),
        KUBE_CREDS,
    )
    assert sorted(f.location.start_line for f in got) == [14, 15]
    assert all(token not in f.message and key not in f.message for f in got)


@pytest.mark.parametrize(
    "user",
    [
        "    token: REDACTED\n",
        "    token: ${KUBE_TOKEN}\n",
        "    client-key-data: c2hvcnQ=\n",
        "    client-key: /etc/kubernetes/client.key\n",
        "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
        "      command: kubelogin\n",
    ],
)
def test_kubeconfig_without_literal_credentials_is_quiet(user: str) -> None:
    assert not findings(scan_family("k8s", _kubeconfig(user=user)), KUBE_CREDS)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("kubeconfig", "yaml"), ("staging.kubeconfig", "yaml"), ("config", ""), ("kubeconfig.py", "")],
)
def test_kubeconfig_file_names_are_read(name: str, kind: str) -> None:
    assert kind_of(name) == kind


def test_a_kubeconfig_without_suffix_is_scanned(tmp_path: Path) -> None:
    (tmp_path / "kubeconfig").write_text(
        _kubeconfig(tls="    insecure-skip-tls-verify: true\n"), encoding="utf-8"
    )
    items = IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings())
    got = [i for i in items if isinstance(i, Finding)]
    assert [(f.rule_id, f.location.path) for f in got] == [(SKIP_TLS, "kubeconfig")]


# -- Terraform's string booleans -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reported"), [('"true"', False), ('"false"', True), ("true", False)]
)
def test_string_booleans_compare_as_terraform_converts_them(value: str, reported: bool) -> None:
    tf = (
        'resource "azurerm_key_vault" "kv" {\n  name = "kv"\n  sku_name = "standard"\n'
        f"  purge_protection_enabled = {value}\n}}\n"
    )
    got = findings(scan_family("tf", tf), "tf/azure-keyvault-no-purge-protection")
    assert bool(got) is reported


# -- Aurora instances take their encryption from the cluster --------------------------------


@pytest.mark.parametrize(
    ("engine", "reported"),
    [
        ('"aurora-mysql"', False),
        ('"aurora-postgresql"', False),
        ('"postgres"', True),
        ("var.engine", True),
    ],
)
def test_aurora_instance_encryption_is_the_clusters(engine: str, reported: bool) -> None:
    tf = (
        'resource "aws_db_instance" "db" {\n  instance_class = "db.r6g.large"\n'
        f"  engine = {engine}\n  storage_encrypted = false\n}}\n"
    )
    assert bool(findings(scan_family("tf", tf), "tf/aws-rds-unencrypted")) is reported


def test_aurora_cluster_is_still_judged() -> None:
    tf = (
        'resource "aws_rds_cluster" "c" {\n  engine = "aurora-mysql"\n'
        "  storage_encrypted = false\n}\n"
    )
    assert findings(scan_family("tf", tf), "tf/aws-rds-unencrypted")


def test_cloudformation_aurora_instance_is_not_judged() -> None:
    cfn = (
        "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
        "      Engine: aurora-postgresql\n      DBInstanceClass: db.r6g.large\n"
        "      StorageEncrypted: false\n"
    )
    items = scan_family("cfn", cfn)
    assert not errors(items)
    assert not findings(items, "cfn/aws-rds-unencrypted")


# -- Google: custom roles and audit exemptions -----------------------------------------------


@pytest.mark.parametrize(
    ("permission", "reported"),
    [
        ("iam.serviceAccounts.getAccessToken", True),
        ("CLOUDBUILD.BUILDS.CREATE", True),
        ("storage.buckets.setIamPolicy", True),
        ("iam.serviceAccountKeys.create", True),
        ("storage.buckets.getIamPolicy", False),
        ("run.services.get", False),
    ],
)
def test_custom_role_escalating_permissions(permission: str, reported: bool) -> None:
    tf = (
        'resource "google_project_iam_custom_role" "r" {\n  role_id = "r"\n  title = "r"\n'
        f'  permissions = ["resourcemanager.projects.get", "{permission}"]\n}}\n'
    )
    got = findings(scan_family("tf", tf), "tf/gcp-iam-custom-role-privilege-escalation")
    assert bool(got) is reported


@pytest.mark.parametrize(("members", "reported"), [('["user:a@example.com"]', True), ("[]", False)])
def test_audit_config_exempted_members(members: str, reported: bool) -> None:
    tf = (
        'resource "google_project_iam_audit_config" "a" {\n  project = "p"\n'
        '  service = "allServices"\n  audit_log_config {\n    log_type = "DATA_READ"\n'
        f"    exempted_members = {members}\n  }}\n}}\n"
    )
    got = findings(scan_family("tf", tf), "tf/gcp-iam-audit-config-exempted-members")
    assert bool(got) is reported


# -- the ninth sample's leftovers ------------------------------------------------------------


def test_s3_cors_any_origin_in_the_legacy_bucket_block() -> None:
    tf = (
        'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n  cors_rule {\n'
        '    allowed_methods = ["GET"]\n    allowed_origins = ["*"]\n  }\n}\n'
    )
    assert findings(scan_family("tf", tf), "tf/aws-s3-cors-any-origin")


def test_kusto_double_encryption_is_its_own_rule() -> None:
    tf = (
        'resource "azurerm_kusto_cluster" "k" {\n  name = "k"\n'
        "  disk_encryption_enabled = true\n}\n"
    )
    ids = {f.rule_id for f in findings(scan_family("tf", tf))}
    assert "tf/azure-kusto-no-double-encryption" in ids
    assert "tf/azure-kusto-unencrypted-disks" not in ids


def test_apim_consumption_tier_has_no_portal() -> None:
    tf = (
        'resource "azurerm_api_management" "gw" {\n  name = "gw"\n  sku_name = "Consumption_0"\n}\n'
    )
    assert not findings(scan_family("tf", tf), "tf/azure-apim-portal-anonymous")


# -- remote administration ports -------------------------------------------------------------


@pytest.mark.parametrize(
    ("expose", "rule"),
    [
        ("EXPOSE 23\n", "docker/remote-admin-port-exposed"),
        ("EXPOSE 3389/udp\n", "docker/remote-admin-port-exposed"),
        ("EXPOSE 80 5900\n", "docker/remote-admin-port-exposed"),
        ("EXPOSE 20-25\n", "docker/ssh-port-exposed"),
        ("EXPOSE 5800-5801/tcp\n", "docker/remote-admin-port-exposed"),
    ],
)
def test_remote_administration_ports(expose: str, rule: str) -> None:
    assert rule in _docker(expose)


@pytest.mark.parametrize(
    "expose", ["EXPOSE 80 443\n", "EXPOSE 5900/udp\n", "EXPOSE 22/udp\n", "EXPOSE 33891\n"]
)
def test_other_ports_are_not_remote_administration(expose: str) -> None:
    got = _docker(expose)
    assert "docker/remote-admin-port-exposed" not in got
    assert "docker/ssh-port-exposed" not in got
