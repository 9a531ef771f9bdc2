"""Session 15's review of the IaC landings (review15): a secret whose text reads as a path
(7e6831a made a file path no literal secret: a base64 secret that starts with ``/`` and holds
another ``/`` was dropped by every IaC secret rule: Dockerfile ENV, Kubernetes env, compose,
CloudFormation, Terraform). Values are built from parts at run time."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.scanners.iac.common import looks_like_file_path

#: secret-shaped values that a path regex also matches (base64 holds ``/``)
SECRETS = [
    "/x8Kq" + "2mP9vLw3nRt7wZ/bQ4s",
    "/Ab3dEfGh1" + "jKlMn0pQrStUvWxYz1234567/89abc",
    "./Zk29sLq0" + "Pm3Xv8Rt7Ww2",
]
PATHS = [
    "/credentials/google-storage-service.json",
    "~/.aws/credentials",
    "/run/secrets/db_password",
    "/Users/John/key.pem",
    "/etc/ssl/private/Server2024.key",
    "/var/lib/kubelet/pods/3f2a9c1e-7b4d/volumes",
]


@pytest.mark.parametrize("value", SECRETS)
def test_a_generated_value_with_slashes_is_no_path(value: str) -> None:
    assert not looks_like_file_path(value)


@pytest.mark.parametrize("value", PATHS)
def test_paths_stay_paths(value: str) -> None:
    assert looks_like_file_path(value)


@pytest.mark.parametrize("value", SECRETS)
def test_dockerfile_env_secret_that_reads_as_a_path_is_reported(value: str) -> None:
    text = f"FROM busybox:1.36\nENV DB_PASSWORD={value}\nUSER nobody\n"
    assert findings(scan_family("docker", text), "docker/secret-in-env")


@pytest.mark.parametrize("value", SECRETS)
def test_kubernetes_env_secret_that_reads_as_a_path_is_reported(value: str) -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "    - name: app\n      image: busybox:1.36\n      env:\n"
        f"        - name: DB_PASSWORD\n          value: '{value}'\n"
    )
    assert findings(scan_family("k8s", text), "k8s/secret-in-env")


def _trails_tf(n: int, target: str) -> str:
    buckets = "".join(
        f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "b{i}"\n}}\n' for i in range(n)
    )
    trails = "".join(
        f'resource "aws_cloudtrail" "t{i}" {{\n  name = "t{i}"\n  s3_bucket_name = {target}\n}}\n'
        for i in range(n)
    )
    return buckets + trails


@pytest.mark.parametrize(
    ("target", "reported"),
    [
        ("aws_s3_bucket.b7.id", True),  # a reference
        ('"b7"', True),  # the bucket's own name
        ('"elsewhere"', False),  # a bucket of another module: not judged
    ],
)
def test_cloudtrail_bucket_found_among_many(
    target: str, reported: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """be0f47c tried every bucket for every trail (`refers` 3,000 x 3,000
    times on 0.4 MB: 7.5 s of CPU); the buckets are indexed by what a reference holds and
    only the candidates are tried."""
    from pipesec.scanners.iac import tf_aws

    calls: list[int] = []
    real = tf_aws.refers

    def counted(*args: object, **kw: object) -> bool:
        calls.append(1)
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(tf_aws, "refers", counted)
    got = findings(scan_family("tf", _trails_tf(40, target)), RULE_TRAIL_TF)
    assert len(got) == (40 if reported else 0)
    assert all("aws_s3_bucket.b7" in f.message for f in got)
    assert len(calls) <= 40


RULE_TRAIL_TF = "tf/aws-cloudtrail-bucket-no-access-logging"


@pytest.mark.parametrize(
    ("target", "bucket"),
    [
        ("!Ref B7", "B7"),
        ("!GetAtt B3.Arn", "B3"),
        ("b5", "B5"),  # the literal BucketName
        ("nomatch", None),
    ],
)
def test_cloudformation_trail_bucket_found_among_many(target: str, bucket: str | None) -> None:
    body = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + "".join(
        f"  B{i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: b{i}\n"
        for i in range(10)
    )
    body += (
        "  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n"
        f"      S3BucketName: {target}\n"
    )
    got = findings(scan_family("cfn", body), "cfn/aws-cloudtrail-bucket-no-access-logging")
    if bucket is None:
        assert got == []
    else:
        assert len(got) == 1 and f"delivers to {bucket}," in got[0].message
