"""Forms of a flaw that a rule's own examples do not show: other attribute forms, values
that break out of an annotation, settings hidden in one-line values, log buckets."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family


def _hits(family: str, text: str, rule: str) -> list[int]:
    items = scan_family(family, text)
    assert not errors(items)
    return [f.location.start_line for f in findings(items, rule)]


def _ingress(annotation: str, value: str) -> str:
    return (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
        f"  namespace: shop\n  annotations:\n    nginx.ingress.kubernetes.io/{annotation}: "
        f"{value}\nspec:\n  ingressClassName: nginx\n"
    )


@pytest.mark.parametrize(
    ("annotation", "value", "fires"),
    [
        ("auth-url", '"http://auth.shop.svc/verify|x"', True),
        ("mirror-target", '"https://mirror.shop.svc/$request_uri"', False),
        ("mirror-host", '"http://mirror.shop.svc/a b"', True),
        ("auth-url", '"https://auth.shop.svc/oauth2/auth?rd=$escaped_request_uri"', False),
        ("auth-tls-match-cn", '"CN=client|other"', True),
        ("auth-tls-match-cn", '"CN=payments.shop.example, O=Shop"', False),
        ("permanent-redirect", '"https://shop.example/new"', False),
    ],
)
def test_nginx_values_outside_their_syntax(annotation: str, value: str, fires: bool) -> None:
    hits = _hits("k8s", _ingress(annotation, value), "k8s/nginx-annotation-injection")
    assert hits == ([7] if fires else [])


CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: cache, namespace: shop}
data:
  config: REDIS_PASSWORD=Zq8vT2mLw4
  empty: REDIS_PASSWORD=
  ref: REDIS_PASSWORD=${REDIS_PASSWORD}
"""


def test_configmap_one_line_setting_holds_a_secret() -> None:
    items = findings(scan_family("k8s", CONFIGMAP), "k8s/secret-in-configmap")
    assert [f.location.start_line for f in items] == [5]
    assert "Zq8vT2mLw4" not in items[0].snippet


def test_tiller_image_without_registry() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: t, namespace: kube-system}\nspec:\n"
        "  containers:\n    - name: t\n      image: tiller\n    - name: u\n"
        "      image: registry.example.com/tiller-ui:1.0\n"
    )
    assert _hits("k8s", text, "k8s/tiller-deployed") == [7]


def test_log_target_bucket_needs_no_access_logging() -> None:
    text = """\
resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "data/"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket" "legacy_logs" {
  bucket = "acme-legacy-logs"
  acl    = "log-delivery-write"
}

resource "aws_s3_bucket" "other" {
  bucket = "acme-other"
}
"""
    assert _hits("tf", text, "tf/aws-s3-access-logging-disabled") == [20]


@pytest.mark.parametrize(
    ("text", "rule", "lines"),
    [
        (
            'FROM a:1\nADD "/build/site.tar.gz" "/srv/"\nADD "/build/app.jar" "/app.jar"\n',
            "docker/add-local-file",
            [3],
        ),
        (
            "FROM a:1\nRUN cd /srv\nRUN cd /srv && make\nRUN make -C /srv\n",
            "docker/cd-in-run",
            [2, 3],
        ),
        (
            "FROM a:1\nRUN apt-get -fmy install curl\nRUN apt-get -qq install jq\n"
            "RUN apt-get install git\n",
            "docker/apt-get-no-yes",
            [4],
        ),
        ("FROM a:1\nEXPOSE 8080 65536/udp\nEXPOSE 0\n", "docker/expose-invalid-port", [2, 3]),
        (
            "FROM a:1\nRUN zypper in -y git && zypper clean\nRUN microdnf install jq\n",
            "docker/package-cache-not-cleaned",
            [3],
        ),
        (
            'FROM a:1\nSHELL ["pwsh", "-c"]\nRUN Get-Item x | Select-Object Name\n',
            "docker/run-pipe-without-pipefail",
            [],
        ),
        (
            "FROM a:1\nRUN set -o pipefail && curl -fsS https://x.example | tar x\n"
            "RUN curl -fsS https://x.example | tar x\n",
            "docker/run-pipe-without-pipefail",
            [3],
        ),
    ],
)
def test_dockerfile_lint_forms(text: str, rule: str, lines: list[int]) -> None:
    assert _hits("docker", text, rule) == lines


def test_service_wildcard_in_a_policy_document() -> None:
    text = """\
data "aws_iam_policy_document" "ops" {
  statement {
    actions   = ["ec2:*"]
    resources = ["*"]
  }
  statement {
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::acme-logs/*"]
  }
}
"""
    assert _hits("tf", text, "tf/aws-iam-service-wildcard-policy") == [3]
    assert _hits("tf", text, "tf/aws-iam-wildcard-policy") == []


def test_sensitive_ports_once_per_rule_and_not_for_all_ports() -> None:
    text = """\
resource "azurerm_network_security_group" "app" {
  name = "app"
  security_rule {
    name                       = "ftp"
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    destination_port_range     = "20-23"
    source_address_prefix      = "*"
  }
  security_rule {
    name                       = "any"
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "*"
    destination_port_range     = "*"
    source_address_prefix      = "Internet"
  }
}
"""
    assert _hits("tf", text, "tf/azure-nsg-open-sensitive-port") == [9]
    assert _hits("tf", text, "tf/azure-nsg-open-all-ports") == [17]


def test_wide_port_range_leaves_world_all_ports_to_its_rule() -> None:
    text = """\
resource "google_compute_firewall" "a" {
  name          = "a"
  network       = "main"
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
  }
}
resource "google_compute_firewall" "b" {
  name          = "b"
  network       = "main"
  source_ranges = ["10.0.0.0/8"]
  allow {
    protocol = "udp"
    ports    = ["30000-32767"]
  }
}
"""
    assert _hits("tf", text, "tf/gcp-firewall-wide-port-range") == [15]
    assert _hits("tf", text, "tf/gcp-firewall-open-all-ports") == [4]
