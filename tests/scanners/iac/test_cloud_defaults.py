"""Settings left out take the cloud's current default: a secure default is no finding (or a
low one), an explicit insecure value still is (docs/iac-rules.md, "Defaults that changed")."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family

from pipesec.core.model import Severity
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner


def _sev(family: str, text: str, rule: str) -> list[Severity]:
    items = scan_family(family, text)
    assert not errors(items)
    return [f.severity for f in findings(items, rule)]


def _redis_group(engine: str, extra: str = "") -> str:
    return (
        'resource "aws_elasticache_replication_group" "sessions" {\n'
        '  replication_group_id = "sessions"\n'
        '  description          = "session store"\n'
        f'  engine               = "{engine}"\n'
        '  node_type            = "cache.t4g.small"\n'
        f"{extra}}}\n"
    )


def _cfn_group(engine: str, extra: str = "") -> str:
    return (
        "Resources:\n  Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n"
        "    Properties:\n      ReplicationGroupDescription: sessions\n"
        f"      Engine: {engine}\n      CacheNodeType: cache.t3.micro\n{extra}"
    )


@pytest.mark.parametrize(
    ("engine", "extra", "fires"),
    [
        ("redis", "", True),
        ("valkey", "", False),
        ("VALKEY", "", False),
        ("valkey", "  at_rest_encryption_enabled = false\n", True),
        ("valkey", "  at_rest_encryption_enabled = true\n", False),
    ],
)
def test_valkey_is_encrypted_at_rest_by_default(engine: str, extra: str, fires: bool) -> None:
    rule = "aws-elasticache-no-at-rest-encryption"
    assert bool(_sev("tf", _redis_group(engine, extra), f"tf/{rule}")) is fires
    cfn_extra = "      AtRestEncryptionEnabled: false\n" if "false" in extra else ""
    cfn_extra = "      AtRestEncryptionEnabled: true\n" if "true" in extra else cfn_extra
    assert bool(_sev("cfn", _cfn_group(engine, cfn_extra), f"cfn/{rule}")) is fires


BUCKET = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n'


def test_s3_defaults_of_2023_are_low_and_explicit_gaps_are_medium() -> None:
    # SSE-S3 and Block Public Access apply to a bucket that says nothing.
    assert _sev("tf", BUCKET, "tf/aws-s3-unencrypted") == [Severity.LOW]
    assert _sev("tf", BUCKET, "tf/aws-s3-no-public-access-block") == [Severity.LOW]
    # A public access block resource writes all four settings: one left out is false.
    block = (
        BUCKET + 'resource "aws_s3_bucket_public_access_block" "logs" {\n'
        "  bucket            = aws_s3_bucket.logs.id\n"
        "  block_public_acls = true\n}\n"
    )
    # Each setting is its own rule: the block is reported for the three it leaves off only,
    # at medium since session 15: a guard rail left off exposes nothing by itself (the public
    # ACL or policy that would is reported high by its own rule).
    assert _sev("tf", block, "tf/aws-s3-block-public-acls-disabled") == []
    for left_off in ("block-public-policy", "ignore-public-acls", "restrict-public-buckets"):
        assert _sev("tf", block, f"tf/aws-s3-{left_off}-disabled") == [Severity.MEDIUM]
    acl = BUCKET + (
        'resource "aws_s3_bucket_acl" "logs" {\n'
        '  bucket = aws_s3_bucket.logs.id\n  acl    = "public-read"\n}\n'
    )
    assert _sev("tf", acl, "tf/aws-s3-public-acl") == [Severity.HIGH]
    cfn = "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: l\n"
    assert _sev("cfn", cfn, "cfn/aws-s3-unencrypted") == [Severity.LOW]
    assert _sev("cfn", cfn, "cfn/aws-s3-no-public-access-block") == [Severity.LOW]


def test_eks_without_encryption_config_is_a_customer_key_finding() -> None:
    cluster = (
        'resource "aws_eks_cluster" "main" {\n  name     = "main"\n'
        "  role_arn = aws_iam_role.eks.arn\n  vpc_config {\n"
        "    subnet_ids = [aws_subnet.a.id]\n  }\n}\n"
    )
    assert _sev("tf", cluster, "tf/aws-eks-secrets-unencrypted") == [Severity.LOW]


def test_rds_default_single_day_of_backups_is_medium_and_a_week_is_clean() -> None:
    # The RDS API keeps one day of backups when backup_retention_period is left out: one day
    # of point-in-time recovery is missing recovery (trivy AVD-AWS-0077, KICS: medium).
    db = (
        'resource "aws_db_instance" "orders" {\n  identifier = "orders"\n'
        '  engine     = "postgres"\nEXTRA}\n'
    )
    rule = "tf/aws-rds-backup-retention-short"
    assert _sev("tf", db.replace("EXTRA", ""), rule) == [Severity.MEDIUM]
    assert _sev("tf", db.replace("EXTRA", "  backup_retention_period = 1\n"), rule) == [
        Severity.MEDIUM
    ]
    assert _sev("tf", db.replace("EXTRA", "  backup_retention_period = 7\n"), rule) == []
    cfn = "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
    cfn += "      Engine: mysql\n"
    assert _sev("cfn", cfn, "cfn/aws-rds-backup-retention-short") == [Severity.MEDIUM]


def test_a_stale_package_index_is_medium_and_cache_lint_stays_low() -> None:
    # apt-get update cached in its own layer: later builds miss security fixes (trivy DS017,
    # KICS: medium or above); leaving the lists behind only costs image size.
    text = (
        "FROM debian:12\nRUN apt-get update\n"
        "RUN apt-get install -y --no-install-recommends curl\nUSER nobody\n"
    )
    assert _sev("docker", text, "docker/package-update-alone") == [Severity.MEDIUM]
    assert _sev("docker", text, "docker/apt-lists-not-removed") == [Severity.LOW]


ACM = "    acm_certificate_arn = aws_acm_certificate.site.arn\n"


def _cdn(certificate: str) -> str:
    return (
        'resource "aws_cloudfront_distribution" "site" {\n  enabled = true\n'
        f"  viewer_certificate {{\n{certificate}  }}\n}}\n"
    )


@pytest.mark.parametrize(
    ("certificate", "fires"),
    [
        # a custom certificate without a policy gets TLSv1, CloudFront's default
        (ACM + '    ssl_support_method = "sni-only"\n', True),
        ('    iam_certificate_id = "ASCAEXAMPLEID"\n', True),
        (ACM + '    minimum_protocol_version = "TLSv1.2_2021"\n', False),
        (ACM + "    minimum_protocol_version = var.tls\n", False),
        # the *.cloudfront.net certificate's policy is fixed by CloudFront: nothing to set
        ("    cloudfront_default_certificate = true\n", False),
    ],
)
def test_cloudfront_custom_certificate_without_a_policy_allows_tls_1_0(
    certificate: str, fires: bool
) -> None:
    got = _sev("tf", _cdn(certificate), "tf/aws-cloudfront-weak-tls")
    assert got == ([Severity.HIGH] if fires else [])


def test_cloudformation_custom_certificate_without_a_policy_allows_tls_1_0() -> None:
    head = (
        "Resources:\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n"
        "      DistributionConfig:\n        Enabled: true\n        ViewerCertificate:\n"
    )
    rule = "cfn/aws-cloudfront-weak-tls"
    custom = head + "          AcmCertificateArn: !Ref Cert\n          SslSupportMethod: sni-only\n"
    assert _sev("cfn", custom, rule) == [Severity.HIGH]
    fixed = custom + "          MinimumProtocolVersion: TLSv1.2_2021\n"
    assert _sev("cfn", fixed, rule) == []
    assert _sev("cfn", head + "          CloudFrontDefaultCertificate: true\n", rule) == []


_ACCOUNT_DEFAULTS = """
resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

resource "aws_ec2_instance_metadata_defaults" "this" {
  http_tokens = "required"
}
"""
_COMPUTE = """
resource "aws_instance" "app" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 20
  }
}

resource "aws_launch_configuration" "app" {
  image_id      = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
}

resource "aws_launch_template" "app" {
  image_id = "ami-0c55b159cbfafe1f0"
  block_device_mappings {
    device_name = "/dev/sdf"
    ebs {
      volume_size = 20
    }
  }
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 10
}
"""
_DEFAULTED = (
    "tf/aws-ebs-unencrypted",
    "tf/aws-instance-root-unencrypted",
    "tf/aws-instance-ebs-unencrypted",
    "tf/aws-launch-configuration-root-unencrypted",
    "tf/aws-launch-template-ebs-unencrypted",
    "tf/aws-imdsv1-allowed",
)


def test_account_defaults_of_the_module_cover_settings_left_out() -> None:
    # without the account defaults every one of them fires
    alone = scan_family("tf", _COMPUTE)
    assert all(findings(alone, rule) for rule in _DEFAULTED)
    # EBS encryption by default and IMDSv2 required by default cover what is left out
    items = scan_family("tf", _ACCOUNT_DEFAULTS + _COMPUTE)
    assert not [f.rule_id for f in findings(items) if f.rule_id in _DEFAULTED]
    # an explicit insecure value is still reported, and a default turned off covers nothing
    explicit = _COMPUTE.replace("size              = 10", "size = 10\n  encrypted = false")
    explicit = explicit.replace(
        'instance_type = "t3.micro"\n}',
        'instance_type = "t3.micro"\n  metadata_options {\n    http_tokens = "optional"\n  }\n}',
    )
    items = scan_family("tf", _ACCOUNT_DEFAULTS + explicit)
    assert {f.rule_id for f in findings(items) if f.rule_id in _DEFAULTED} == {
        "tf/aws-ebs-unencrypted",
        "tf/aws-imdsv1-allowed",
    }
    off = _ACCOUNT_DEFAULTS.replace("enabled = true", "enabled = false").replace(
        '"required"', '"optional"'
    )
    items = scan_family("tf", off + _COMPUTE)
    assert all(findings(items, rule) for rule in _DEFAULTED)


# -- Session 11: good files of other scanners' checks, read one by one ----------------------
# Each case is a form a real module writes whose setting is decided by the cloud, not by the
# attribute the rule looks for (docs/iac-rules.md, "Session 11: findings on the good files").

_AUDIT_BUCKET_TF = """
resource "aws_s3_bucket" "audit" {
  bucket              = "acme-audit-archive"
  object_lock_enabled = true
}

resource "aws_s3_bucket_object_lock_configuration" "audit" {
  bucket = aws_s3_bucket.audit.id
  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 365
    }
  }
}
"""

_AUDIT_BUCKET_V3 = """
resource "aws_s3_bucket" "audit" {
  bucket = "acme-audit-archive"
  object_lock_configuration {
    object_lock_enabled = "Enabled"
  }
}
"""

_AUDIT_BUCKET_CFN = """
Resources:
  AuditArchive:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: acme-audit-archive
      ObjectLockEnabled: true
      ObjectLockConfiguration:
        ObjectLockEnabled: Enabled
        Rule:
          DefaultRetention:
            Mode: COMPLIANCE
            Days: 365
"""


@pytest.mark.parametrize(
    ("family", "text", "fires"),
    [
        ("tf", _AUDIT_BUCKET_TF, False),
        ("tf", _AUDIT_BUCKET_V3, False),
        (
            "tf",
            _AUDIT_BUCKET_TF.replace("object_lock_enabled = true", "force_destroy = true"),
            True,
        ),
        ("cfn", _AUDIT_BUCKET_CFN, False),
        ("cfn", _AUDIT_BUCKET_CFN.replace("      ObjectLockEnabled: true\n", ""), True),
        # an explicit Suspended stays reported (S3 refuses it on a locked bucket)
        (
            "cfn",
            _AUDIT_BUCKET_CFN + "      VersioningConfiguration:\n        Status: Suspended\n",
            True,
        ),
    ],
)
def test_a_bucket_created_with_object_lock_is_versioned(
    family: str, text: str, fires: bool
) -> None:
    # S3 turns versioning on when a bucket is created with Object Lock, and it cannot be
    # suspended afterwards
    assert bool(_sev(family, text, f"{family}/aws-s3-versioning-disabled")) == fires


_RDS_TF = {
    # Aurora Serverless v1 clusters are always encrypted (the provider's default is true)
    "serverless": """
resource "aws_rds_cluster" "reports" {
  cluster_identifier      = "reports"
  engine                  = "aurora-postgresql"
  engine_mode             = "serverless"
  master_username         = "reports"
  manage_master_user_password = true
  deletion_protection     = true
  backup_retention_period = 7
}
""",
    # a read replica has its source's encryption
    "replica": """
resource "aws_db_instance" "orders_replica" {
  identifier          = "orders-replica"
  replicate_source_db = aws_db_instance.orders.identifier
  instance_class      = "db.t4g.medium"
  skip_final_snapshot = true
}
""",
    # a restore has the snapshot's encryption
    "restore": """
resource "aws_db_instance" "orders_restore" {
  identifier          = "orders-restore"
  snapshot_identifier = var.orders_snapshot_id
  instance_class      = "db.t4g.medium"
}
""",
}

_RDS_CFN = {
    "serverless": """
Resources:
  Reports:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      EngineMode: serverless
      MasterUsername: reports
      ManageMasterUserPassword: true
""",
    "restore": """
Resources:
  OrdersRestore:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t4g.medium
      DBSnapshotIdentifier: !Ref OrdersSnapshot
""",
}


@pytest.mark.parametrize("form", sorted(_RDS_TF))
def test_rds_storage_whose_encryption_is_not_the_attributes(form: str) -> None:
    text = _RDS_TF[form]
    assert not _sev("tf", text, "tf/aws-rds-unencrypted")
    # an explicit false is still a choice against encryption where the setting applies
    if form != "serverless":
        explicit = text.replace(
            "  instance_class", "  storage_encrypted   = false\n  instance_class"
        )
        assert _sev("tf", explicit, "tf/aws-rds-unencrypted")


@pytest.mark.parametrize("form", sorted(_RDS_CFN))
def test_rds_storage_whose_encryption_is_not_the_property_cfn(form: str) -> None:
    assert not _sev("cfn", _RDS_CFN[form], "cfn/aws-rds-unencrypted")
    plain = "Resources:\n  Orders:\n    Type: AWS::RDS::DBInstance\n"
    plain += "    Properties:\n      Engine: postgres\n"
    assert _sev("cfn", plain, "cfn/aws-rds-unencrypted")


def test_file_storage_account_is_not_asked_for_blob_soft_delete() -> None:
    # a FileStorage (premium file shares) account has no blob service at all
    text = """
resource "azurerm_storage_account" "shares" {
  name                     = "acmeshares"
  resource_group_name      = azurerm_resource_group.files.name
  location                 = azurerm_resource_group.files.location
  account_kind             = "FileStorage"
  account_tier             = "Premium"
  account_replication_type = "ZRS"
}
"""
    rule = "tf/azure-storage-no-blob-soft-delete"
    assert not _sev("tf", text, rule)
    assert _sev("tf", text.replace('"FileStorage"', '"StorageV2"'), rule)


def test_gke_cluster_without_an_ip_endpoint_is_not_open_to_any_address() -> None:
    # google provider 6.x: the control plane is reached through its DNS endpoint only
    text = """
resource "google_container_cluster" "apps" {
  name     = "apps"
  location = "europe-west1"

  control_plane_endpoints_config {
    dns_endpoint_config {
      allow_external_traffic = true
    }
    ip_endpoints_config {
      enabled = false
    }
  }
}
"""
    rule = "tf/gcp-gke-control-plane-unrestricted"
    assert not _sev("tf", text, rule)
    assert _sev("tf", text.replace("enabled = false", "enabled = true"), rule)


def test_an_inactive_access_key_is_not_reported_and_an_active_one_is_low() -> None:
    text = """
resource "aws_iam_access_key" "legacy_ci" {
  user   = aws_iam_user.legacy_ci.name
  status = "Inactive"
}
"""
    rule = "tf/aws-iam-user-access-key"
    assert not _sev("tf", text, rule)
    assert _sev("tf", text.replace('"Inactive"', '"Active"'), rule) == [Severity.LOW]


_AURORA_CFN = """
Resources:
  Reports:
    Type: AWS::RDS::DBCluster
    Properties:
      DBClusterIdentifier: reports
      Engine: aurora-postgresql
      MasterUsername: reports
      ManageMasterUserPassword: true
  ReportsWriter:
    Type: AWS::RDS::DBInstance
    Properties:
      DBClusterIdentifier: !Ref Reports
      DBInstanceClass: db.r6g.large
      Engine: aurora-postgresql
"""


@pytest.mark.parametrize(
    "rule",
    [
        "cfn/aws-rds-unencrypted",
        "cfn/aws-rds-deletion-protection-disabled",
        "cfn/aws-rds-iam-auth-disabled",
        "cfn/aws-rds-backup-retention-short",
    ],
)
def test_a_named_aurora_cluster_is_checked_and_its_member_instance_is_not(rule: str) -> None:
    # DBClusterIdentifier is the cluster's own name on a DBCluster, and on a DBInstance the
    # cluster it belongs to (whose settings decide): only the member is skipped
    hits = findings(scan_family("cfn", _AURORA_CFN), rule)
    assert [f.location.start_line for f in hits] == [5]  # the cluster's Properties


@pytest.mark.parametrize(
    ("family", "text", "fires"),
    [
        (
            "tf",
            'resource "aws_db_instance" "orders_replica" {\n'
            "  replicate_source_db     = aws_db_instance.orders.identifier\n"
            '  instance_class          = "db.t4g.medium"\n'
            "  backup_retention_period = 0\n}\n",
            False,
        ),
        (
            "tf",
            'resource "aws_db_instance" "orders" {\n  engine                  = "postgres"\n'
            '  instance_class          = "db.t4g.medium"\n'
            "  backup_retention_period = 0\n}\n",
            True,
        ),
        (
            "cfn",
            "Resources:\n  OrdersReplica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
            "      SourceDBInstanceIdentifier: !Ref Orders\n"
            "      DBInstanceClass: db.t4g.medium\n      BackupRetentionPeriod: 0\n",
            False,
        ),
    ],
)
def test_a_read_replica_without_backups_keeps_its_sources(
    family: str, text: str, fires: bool
) -> None:
    assert bool(_sev(family, text, f"{family}/aws-rds-backup-disabled")) == fires


_LIMITED_NAMESPACE = """\
apiVersion: v1
kind: LimitRange
metadata:
  name: container-defaults
  namespace: shop
spec:
  limits:
    - type: Container
      default:
        memory: 512Mi
      defaultRequest:
        memory: 256Mi
        cpu: 100m
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: registry.example.com/shop/api:1.4.2
"""


def test_a_limit_range_of_the_namespace_gives_missing_limits_and_requests() -> None:
    # the LimitRanger admission plugin fills what the container leaves out
    rules = {f.rule_id for f in findings(scan_family("k8s", _LIMITED_NAMESPACE))}
    assert "k8s/missing-cpu-limit" in rules  # the LimitRange sets no default cpu limit
    assert not rules & {
        "k8s/missing-memory-limit",
        "k8s/missing-memory-request",
        "k8s/missing-cpu-request",
    }
    # a LimitRange of another namespace gives nothing
    other = _LIMITED_NAMESPACE.replace(
        "namespace: shop\nspec:\n  limits", "namespace: ops\nspec:\n  limits"
    )
    rules = {f.rule_id for f in findings(scan_family("k8s", other))}
    assert "k8s/missing-memory-limit" in rules


def test_a_manifest_holding_a_limit_range_is_parsed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Session 12's review: TreeLimits parsed such a file, then scan_kubernetes parsed it
    again; the documents are passed on. A LimitRange of another file still counts."""
    from pipesec.scanners.iac import scanner

    parsed: list[str] = []
    real = scanner.iter_documents

    def counting(path: str, text: str) -> object:
        parsed.append(path)
        return real(path, text)

    monkeypatch.setattr(scanner, "iter_documents", counting)
    (tmp_path / "shop.yaml").write_text(_LIMITED_NAMESPACE)
    limit_range = _LIMITED_NAMESPACE.split("---\n")[0]
    (tmp_path / "limits.yaml").write_text(limit_range)
    (tmp_path / "api.yaml").write_text(_LIMITED_NAMESPACE.split("---\n")[1])
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    assert sorted(parsed) == ["api.yaml", "limits.yaml", "shop.yaml"]
    by_file = {(f.location.path, f.rule_id) for f in findings(items)}
    for path in ("api.yaml", "shop.yaml"):
        assert (path, "k8s/missing-cpu-limit") in by_file
        assert (path, "k8s/missing-memory-limit") not in by_file  # limits.yaml's default


_PG_FLAGS = (
    "log_checkpoints",
    "log_connections",
    "log_disconnections",
    "log_lock_waits",
    "log_temp_files",
)


def _cloud_sql(version: str, flags: dict[str, str]) -> str:
    body = "".join(
        f'    database_flags {{\n      name  = "{k}"\n      value = "{v}"\n    }}\n'
        for k, v in flags.items()
    )
    return (
        'resource "google_sql_database_instance" "main" {\n'
        '  name             = "orders"\n'
        f"  database_version = {version}\n"
        '  region           = "europe-west1"\n'
        f'  settings {{\n    tier = "db-custom-2-7680"\n{body}  }}\n}}\n'
    )


@pytest.mark.parametrize(
    ("version", "left_out", "reported"),
    [
        # PostgreSQL's defaults: connections, disconnections, lock waits off, temp files -1
        ('"POSTGRES_16"', "log_connections", True),
        ('"POSTGRES_16"', "log_disconnections", True),
        ('"POSTGRES_16"', "log_lock_waits", True),
        ('"POSTGRES_16"', "log_temp_files", True),
        # log_checkpoints is on by default since PostgreSQL 15
        ('"POSTGRES_16"', "log_checkpoints", False),
        ('"POSTGRES_14"', "log_checkpoints", True),
        # another engine, or a version the scan cannot know: the flag left out is not a finding
        ('"MYSQL_8_0"', "log_connections", False),
        ("var.database_version", "log_connections", False),
    ],
)
def test_cloud_sql_postgres_log_flags_left_at_a_weak_default(
    version: str, left_out: str, reported: bool
) -> None:
    flags = {f: ("0" if f == "log_temp_files" else "on") for f in _PG_FLAGS if f != left_out}
    rule = "tf/gcp-sql-pg-" + left_out.replace("_", "-") + "-off"
    assert bool(_sev("google", _cloud_sql(version, flags), rule)) is reported
    # set to the secure value, never reported
    good = {**flags, left_out: "0" if left_out == "log_temp_files" else "on"}
    assert not _sev("google", _cloud_sql(version, good), rule)


def test_cloud_sql_flags_from_an_unknown_collection_are_not_reported_as_left_out() -> None:
    text = _cloud_sql('"POSTGRES_16"', {}).replace(
        '    tier = "db-custom-2-7680"\n',
        '    tier = "db-custom-2-7680"\n    dynamic "database_flags" {\n'
        "      for_each = var.flags\n      content {\n        name  = database_flags.key\n"
        "        value = database_flags.value\n      }\n    }\n",
    )
    assert not _sev("google", text, "tf/gcp-sql-pg-log-connections-off")


@pytest.mark.parametrize(
    ("family", "text", "rule", "reported"),
    [
        # the December 2026 state of the end-of-life lists (docs/iac-rules.md, session 11)
        (
            "aws",
            'resource "aws_lambda_function" "f" {\n  runtime = "%s"\n}\n',
            "tf/aws-lambda-deprecated-runtime",
            {"python3.10": True, "ruby3.2": True, "python3.11": False, "nodejs22.x": False},
        ),
        (
            "azure",
            'resource "azurerm_linux_web_app" "a" {\n  site_config {\n'
            "    application_stack {\n      %s\n    }\n  }\n}\n",
            "tf/azure-appservice-outdated-runtime",
            {
                'python_version = "3.10"': True,
                'python_version = "3.11"': False,
                'php_version = "8.2"': False,  # security support until 31 December 2026
                'node_version = "22-lts"': False,  # until 30 April 2027
            },
        ),
        (
            "azure",
            'resource "azurerm_linux_function_app" "a" {\n  site_config {\n'
            '    linux_fx_version = "%s"\n  }\n}\n',
            "tf/azure-appservice-outdated-runtime",
            {"PYTHON|3.10": True, "PYTHON|3.12": False},
        ),
        (
            "google",
            'resource "google_cloudfunctions_function" "f" {\n  runtime = "%s"\n}\n',
            "tf/gcp-serverless-outdated-runtime",
            {"python310": True, "ruby32": True, "php81": True, "php82": False, "nodejs22": False},
        ),
    ],
)
def test_runtimes_past_their_end_of_life_in_2026(
    family: str, text: str, rule: str, reported: dict[str, bool]
) -> None:
    for value, expected in reported.items():
        assert bool(_sev(family, text % value, rule)) is expected, value


def _limit_rules(tmp_path: Path, files: dict[str, str]) -> dict[str, set[str]]:
    """The limit/request findings per file of a tree scanned whole."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    items = IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings())
    got: dict[str, set[str]] = {}
    for f in findings(list(items)):
        if f.rule_id.startswith("k8s/missing-") and f.rule_id.endswith(("-limit", "-request")):
            got.setdefault(f.location.path, set()).add(f.rule_id)
    return got


_RANGE, _DEPLOYMENT = _LIMITED_NAMESPACE.split("---\n")


def test_a_limit_range_in_another_file_of_the_tree_is_linked(tmp_path: Path) -> None:
    got = _limit_rules(
        tmp_path, {"base/limits.yaml": _RANGE, "apps/api/deployment.yaml": _DEPLOYMENT}
    )
    assert got == {"apps/api/deployment.yaml": {"k8s/missing-cpu-limit"}}


def test_a_limit_range_elsewhere_gives_nothing_to_another_namespace(tmp_path: Path) -> None:
    other = _DEPLOYMENT.replace("namespace: shop", "namespace: ops")
    got = _limit_rules(tmp_path, {"limits.yaml": _RANGE, "deployment.yaml": other})
    assert "k8s/missing-memory-limit" in got["deployment.yaml"]


def test_a_limit_range_without_namespace_covers_its_directory_only(tmp_path: Path) -> None:
    def unnamed(text: str) -> str:
        return text.replace("  namespace: shop\n", "")

    got = _limit_rules(
        tmp_path,
        {
            "shop/limits.yaml": unnamed(_RANGE),
            "shop/api.yaml": unnamed(_DEPLOYMENT),
            "tools/job.yaml": unnamed(_DEPLOYMENT),
        },
    )
    assert got["shop/api.yaml"] == {"k8s/missing-cpu-limit"}
    assert "k8s/missing-memory-limit" in got["tools/job.yaml"]
