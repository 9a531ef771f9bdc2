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
