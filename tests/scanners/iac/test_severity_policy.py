"""Session 15: the written severity policy applied (docs/iac-rules.md, "Severity policy").

Raised where the policy's impact class and the peers say medium (a peer split decided by the
impact class); lowered where a finding rated high is not exposure by itself; a path named by a
secret-like setting is not a literal secret."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.core.model import Severity


def _sev(family: str, text: str, rule: str) -> list[Severity]:
    return [f.severity for f in findings(scan_family(family, text), rule)]


TRAIL_TF = (
    'resource "aws_cloudtrail" "main" {\n  name           = "main"\n'
    '  s3_bucket_name = "acme-trail"\n}\n'
)
TRAIL_CFN = (
    "Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n"
    "      IsLogging: true\n      S3BucketName: acme-trail\n"
)
POD = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
    "    - name: web\n      image: nginx:1.27\n      securityContext:\n"
    "        allowPrivilegeEscalation: false\n        runAsNonRoot: true\n"
)
DOMAIN = 'resource "aws_opensearch_domain" "logs" {\n  domain_name = "logs"\n}\n'
GROUP = (
    'resource "aws_elasticache_replication_group" "sessions" {\n'
    '  replication_group_id = "sessions"\n  description          = "sessions"\n}\n'
)


@pytest.mark.parametrize(
    ("family", "text", "rule", "severity"),
    [
        # alerting on the audit trail (CIS AWS 3.4; KICS medium, trivy low): a detective control
        ("tf", TRAIL_TF, "tf/aws-cloudtrail-no-cloudwatch", Severity.MEDIUM),
        ("cfn", TRAIL_CFN, "cfn/aws-cloudtrail-no-cloudwatch", Severity.MEDIUM),
        # the restricted Pod Security Standard, like privilege escalation and runAsNonRoot
        ("k8s", POD, "k8s/capabilities-not-dropped", Severity.MEDIUM),
        # plain text between internal hops: medium, like DAX and Memorystore without TLS
        ("tf", DOMAIN, "tf/aws-opensearch-node-to-node-unencrypted", Severity.MEDIUM),
        ("tf", GROUP, "tf/aws-elasticache-no-transit-encryption", Severity.MEDIUM),
    ],
)
def test_rated_by_the_policy(family: str, text: str, rule: str, severity: Severity) -> None:
    assert _sev(family, text, rule) == [severity]


@pytest.mark.parametrize(
    "value",
    [
        "/credentials/google-storage-service.json",
        "./app/google-storage-service.json",
        '"./news-extraction.json"',
        "~/.aws/credentials",
    ],
)
def test_a_path_under_a_credentials_name_is_not_a_literal_secret(value: str) -> None:
    # trivy DS031's good examples: the variable names where the key file is
    text = f"FROM busybox:1.36\nENV GOOGLE_APPLICATION_CREDENTIALS={value}\nUSER nobody\n"
    assert _sev("docker", text, "docker/secret-in-env") == []


def test_a_literal_secret_with_a_slash_is_still_reported() -> None:
    value = "k8Tz" + "/Wq93-plaM"
    text = f"FROM busybox:1.36\nENV DB_PASSWORD={value}\nUSER nobody\n"
    assert _sev("docker", text, "docker/secret-in-env") == [Severity.HIGH]


def _trail_tf(bucket_extra: str, name: str) -> str:
    return (
        f'resource "aws_s3_bucket" "trail" {{\n  bucket = "acme-trail"\n{bucket_extra}}}\n'
        f'resource "aws_cloudtrail" "main" {{\n  name           = "main"\n'
        f"  s3_bucket_name = {name}\n}}\n"
    )


TRAIL_BUCKET = "tf/aws-cloudtrail-bucket-no-access-logging"


@pytest.mark.parametrize(
    ("bucket_extra", "name", "lines"),
    [
        ("", "aws_s3_bucket.trail.id", [6]),
        ("", '"acme-trail"', [6]),  # the bucket's literal name
        ('  logging {\n    target_bucket = "acme-logs"\n  }\n', "aws_s3_bucket.trail.id", []),
        ("", '"acme-other"', []),  # a bucket made elsewhere: not judged
        ("", "var.trail_bucket", []),
    ],
)
def test_cloudtrail_bucket_without_access_logs(
    bucket_extra: str, name: str, lines: list[int]
) -> None:
    text = _trail_tf(bucket_extra, name)
    got = findings(scan_family("tf", text), TRAIL_BUCKET)
    assert [f.location.start_line for f in got] == lines
    assert all(f.severity is Severity.MEDIUM for f in got)


def test_cloudtrail_bucket_logged_by_a_separate_resource() -> None:
    text = _trail_tf("", "aws_s3_bucket.trail.id") + (
        'resource "aws_s3_bucket_logging" "trail" {\n  bucket        = aws_s3_bucket.trail.id\n'
        '  target_bucket = "acme-logs"\n}\n'
    )
    assert findings(scan_family("tf", text), TRAIL_BUCKET) == []


def _trail_cfn(bucket_extra: str, name: str) -> str:
    return (
        "Resources:\n  TrailBucket:\n    Type: AWS::S3::Bucket\n    Properties:\n"
        f"      BucketName: acme-trail\n{bucket_extra}"
        "  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n"
        f"      IsLogging: true\n      S3BucketName: {name}\n"
    )


@pytest.mark.parametrize(
    ("bucket_extra", "name", "lines"),
    [
        ("", "!Ref TrailBucket", [10]),
        ("", "acme-trail", [10]),
        ("", '!Sub "${TrailBucket}"', [10]),
        (
            "      LoggingConfiguration:\n        DestinationBucketName: acme-logs\n",
            "!Ref TrailBucket",
            [],
        ),
        ("      AccessControl: LogDeliveryWrite\n", "!Ref TrailBucket", []),
        ("", "acme-other", []),
        ("", "!Ref TrailBucketParam", []),
    ],
)
def test_cloudtrail_bucket_without_access_logs_in_a_template(
    bucket_extra: str, name: str, lines: list[int]
) -> None:
    text = _trail_cfn(bucket_extra, name)
    got = findings(scan_family("cfn", text), "cfn/aws-cloudtrail-bucket-no-access-logging")
    assert [f.location.start_line for f in got] == [n + bucket_extra.count("\n") for n in lines]
