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
