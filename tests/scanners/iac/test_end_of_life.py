"""Session 12: end-of-life engine and cluster versions (docs/iac-rules.md, "Session 12").

A dated rule reports a version only after its end date, judged at the scan's date: today
(UTC), or the operator's ``[scanners.iac] as-of`` / ``PIPESEC_AS_OF`` (tests pin
2026-12-07 in tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family

from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner, datarules
from pipesec.scanners.iac.cel import scan_date, version_ended

EKS = "tf/aws-eks-version-end-of-support"


def _cluster(head: str, attr: str, version: str, extra: str = "") -> str:
    """A cluster resource whose version attribute is on line 4."""
    return f'{head}\n  name = "apps"\n  role_arn = "x"\n  {attr} = {version}\n{extra}}}\n'


def _eks(version: str, extra: str = "") -> str:
    return _cluster('resource "aws_eks_cluster" "apps" {', "version", version, extra)


def _lines(family: str, text: str, rule: str) -> list[int]:
    return [f.location.start_line for f in findings(scan_family(family, text), rule)]


@pytest.mark.parametrize(
    ("day", "fires"),
    [("2026-12-02", False), ("2026-12-03", True), ("2027-06-01", True), ("2025-01-01", False)],
)
def test_a_version_is_reported_only_after_its_end_date(
    monkeypatch: pytest.MonkeyPatch, day: str, fires: bool
) -> None:
    monkeypatch.setenv("PIPESEC_AS_OF", day)  # EKS 1.34: standard support ends 2 Dec 2026
    assert _lines("tf", _eks('"1.34"'), EKS) == ([4] if fires else [])


def test_the_scan_date_is_today_unless_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    assert scan_date() == dt.date(2026, 12, 7)  # tests/conftest.py pins it
    monkeypatch.delenv("PIPESEC_AS_OF")
    assert scan_date() == dt.datetime.now(dt.UTC).date()
    monkeypatch.setenv("PIPESEC_AS_OF", "not a date")
    assert scan_date() == dt.datetime.now(dt.UTC).date()


def _scan_dir(tmp_path: Path, options: dict[str, object]) -> list:  # type: ignore[type-arg]
    (tmp_path / "main.tf").write_text(_eks('"1.34"'))
    ws = Workspace(tmp_path, use_git=False)
    return list(IacScanner().scan(ws, ScannerSettings(options=options)))


def test_the_operator_sets_the_date_in_the_configuration(tmp_path: Path) -> None:
    assert not findings(_scan_dir(tmp_path, {"as-of": dt.date(2026, 12, 1)}), EKS)
    assert findings(_scan_dir(tmp_path, {"as-of": "2026-12-03"}), EKS)
    assert findings(_scan_dir(tmp_path, {}), EKS)  # PIPESEC_AS_OF: 2026-12-07
    items = _scan_dir(tmp_path, {"as-of": "yesterday"})
    assert [e.message for e in errors(items)] == [
        "[scanners.iac] as-of is not a date (YYYY-MM-DD): 'yesterday'"
    ]
    assert scan_date() == dt.date(2026, 12, 7)  # the option lasts one scan


def test_two_scans_in_one_process_keep_their_own_dates(tmp_path: Path) -> None:
    """Session 12's review: the date was module-global state of ``cel``, set when a scan
    started and cleared when it ended; a scan started, then another run whole (a server
    scanning two trees; two threads), left the first judging its Terraform at the default
    date. Each scan's generator now runs in a context of its own."""
    early, late = tmp_path / "early", tmp_path / "late"
    for root in (early, late):
        root.mkdir()
        # the Dockerfile's findings are yielded as its file is read, before Terraform's
        (root / "Dockerfile").write_text("FROM ubuntu:latest\nRUN echo hi\n")
        (root / "main.tf").write_text(_eks('"1.34"'))  # ends 2 Dec 2026

    def scan(root: Path, day: str) -> Iterator[object]:
        ws = Workspace(root, use_git=False)
        return iter(IacScanner().scan(ws, ScannerSettings(options={"as-of": day})))

    first = scan(early, "2026-12-01")
    started = [next(first)]
    assert not findings(started, EKS)  # the scan is under way, Terraform not yet read
    assert findings(list(scan(late, "2026-12-03")), EKS)
    assert not findings([*started, *first], EKS)  # still judged at 1 December
    # interleaved the other way round
    second = scan(late, "2026-12-03")
    started = [next(second)]
    assert not findings(list(scan(early, "2026-12-01")), EKS)
    assert findings([*started, *second], EKS)
    assert scan_date() == dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("version", "calendar", "want"),
    [
        ("1.29", {"1.2": "2020-01-01"}, None),  # whole parts: 1.2 is no prefix of 1.29
        ("1.29", {"1.29": "2025-03-23"}, True),
        ("v1.29.3-eks-1", {"1.29": "2025-03-23"}, True),
        ("11.22", {"11": "2024-02-29", "12": "2025-02-28"}, True),
        ("110", {"11": "2024-02-29"}, None),
        ("5.7.mysql_aurora.2.12.1", {"5.7": "2024-10-31"}, True),
        ("8.0.mysql_aurora.3.08.0", {"8.0": "2028-04-30"}, False),
        ("6.8", {"6": "2025-11-07", "6.8": "2027-11-07"}, False),  # the longest key decides
        ("6.7", {"6": "2025-11-07", "6.8": "2027-11-07"}, True),
        ("13", {"13": "31 March 2026"}, None),  # not an ISO date: never a finding
    ],
)
def test_version_calendar_matching(
    version: str, calendar: dict[str, str], want: bool | None
) -> None:
    assert version_ended(version, calendar, dt.date(2026, 12, 7)) is want


def test_every_calendar_date_in_the_rules_is_an_iso_date() -> None:
    seen = 0
    for rf in datarules.rule_files():
        for target in (rf.terraform, rf.cloudformation):
            text = getattr(target, "condition", "") or ""
            for m in re.finditer(r"ended\([^,]+,\s*\{([^}]*)\}", text):
                for key, day in re.findall(r'"([^"]+)":\s*"([^"]*)"', m.group(1)):
                    dt.date.fromisoformat(day)
                    assert key == key.lower(), key
                    seen += 1
    assert seen >= 100


@pytest.mark.parametrize(
    ("version", "fires"),
    [
        ('"1.29"', True),
        ('"1.35"', False),  # standard support until 27 March 2027
        ("var.cluster_version", False),  # a variable without a default: unknown, not judged
        ("1.29", True),  # a number
    ],
)
def test_eks_versions(version: str, fires: bool) -> None:
    assert _lines("tf", _eks(version), EKS) == ([4] if fires else [])


def test_eks_variable_default_is_judged_and_standard_upgrade_policy_is_not_reported() -> None:
    var = 'variable "cluster_version" {\n  default = "1.30"\n}\n'
    assert _lines("tf", var + _eks("var.cluster_version"), EKS) == [7]
    standard = '  upgrade_policy {\n    support_type = "STANDARD"\n  }\n'
    assert _lines("tf", _eks('"1.30"', standard), EKS) == []
    extended = '  upgrade_policy {\n    support_type = "EXTENDED"\n  }\n'
    assert _lines("tf", _eks('"1.30"', extended), EKS) == [4]


RDS = "tf/aws-rds-engine-end-of-support"


@pytest.mark.parametrize(
    ("engine", "version", "fires"),
    [
        ("postgres", "11.22", True),
        ("postgres", "13", True),  # 28 February 2026
        ("postgres", "14.15", False),  # 28 February 2027
        ("mysql", "8.0.39", True),  # 31 July 2026
        ("mysql", "8.4.3", False),
        ("mariadb", "10.3.39", True),
        ("mariadb", "10.11.9", False),
        ("aurora-postgresql", "12.22", True),
        ("aurora-postgresql", "16.4", False),
        ("aurora-mysql", "5.7.mysql_aurora.2.11.2", True),
        ("aurora-mysql", "8.0.mysql_aurora.3.05.2", False),
        ("aurora", "5.6.10a", True),
        ("sqlserver-ex", "15.00.4316.3.v1", False),  # no calendar for commercial engines
        ("oracle-ee", "19", False),
    ],
)
def test_rds_engines(engine: str, version: str, fires: bool) -> None:
    text = (
        'resource "aws_db_instance" "db" {\n'
        f'  engine         = "{engine}"\n'
        f'  engine_version = "{version}"\n'
        '  instance_class = "db.t4g.medium"\n'
        "}\n"
    )
    assert _lines("tf", text, RDS) == ([3] if fires else [])


def test_rds_engine_unknown_or_left_out_is_not_judged() -> None:
    text = (
        'resource "aws_db_instance" "a" {\n'
        '  engine         = "postgres"\n'
        "  engine_version = var.pg_version\n"
        "}\n"
        'resource "aws_db_instance" "b" {\n'
        '  engine = "postgres"\n'
        "}\n"
        'resource "aws_rds_cluster" "c" {\n'
        "  engine         = var.engine\n"
        '  engine_version = "11.9"\n'
        "}\n"
    )
    assert _lines("tf", text, RDS) == []


def test_cloudformation_engine_versions() -> None:
    template = """\
Parameters:
  PgVersion:
    Type: String
Resources:
  Old:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      EngineVersion: "11.21"
  Unknown:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      EngineVersion: !Ref PgVersion
  Cache:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      ReplicationGroupDescription: sessions
      EngineVersion: "6.2"
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      Version: "1.33"
      UpgradePolicy: {SupportType: STANDARD}
"""
    assert _lines("cfn", template, "cfn/aws-rds-engine-end-of-support") == [9]
    assert _lines("cfn", template, "cfn/aws-elasticache-engine-end-of-support") == []
    assert _lines("cfn", template, "cfn/aws-eks-version-end-of-support") == []


@pytest.mark.parametrize(
    ("resource", "attr", "version", "fires"),
    [
        ("aws_elasticache_replication_group", "engine_version", "6.x", False),  # Jan 2027
        ("aws_elasticache_cluster", "engine_version", "4.0.10", True),
        ("aws_opensearch_domain", "engine_version", "Elasticsearch_7.10", False),
        ("aws_opensearch_domain", "engine_version", "Elasticsearch_6.8", False),
        ("aws_opensearch_domain", "engine_version", "Elasticsearch_5.6", True),
        ("aws_opensearch_domain", "engine_version", "OpenSearch_1.3", False),
        ("aws_elasticsearch_domain", "elasticsearch_version", "7.7", True),
        ("aws_elasticsearch_domain", "elasticsearch_version", "7.10", False),
        ("azurerm_postgresql_flexible_server", "version", "14", True),  # 12 November 2026
        ("azurerm_postgresql_flexible_server", "version", "15", False),
    ],
)
def test_cache_search_and_azure_versions(
    resource: str, attr: str, version: str, fires: bool
) -> None:
    text = f'resource "{resource}" "x" {{\n  name = "x"\n  {attr} = "{version}"\n}}\n'
    hit = [
        f.location.start_line
        for f in findings(scan_family("tf", text))
        if f.rule_id.endswith("-end-of-support")
    ]
    assert hit == ([3] if fires else [])


def test_memcached_and_valkey_are_not_judged() -> None:
    text = (
        'resource "aws_elasticache_cluster" "m" {\n'
        '  engine         = "memcached"\n'
        '  engine_version = "1.4.5"\n'
        "}\n"
        'resource "aws_elasticache_replication_group" "v" {\n'
        '  engine         = "valkey"\n'
        '  engine_version = "7.2"\n'
        "}\n"
    )
    assert _lines("tf", text, "tf/aws-elasticache-engine-end-of-support") == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (
            'resource "azurerm_linux_web_app" "shop" {\n'
            '  name = "shop"\n'
            "  site_config {\n"
            "    application_stack {\n"
            '      php_version = "8.2"\n'
            "    }\n"
            "  }\n"
            "}\n",
            "tf/azure-appservice-outdated-runtime",
        ),
        (
            'resource "azurerm_app_service" "legacy" {\n'
            '  name = "legacy"\n'
            "  site_config {\n"
            '    linux_fx_version = "PHP|8.2"\n'
            "  }\n"
            "}\n",
            "tf/azure-appservice-outdated-runtime",
        ),
        (
            'resource "google_app_engine_standard_app_version" "shop" {\n'
            '  service    = "shop"\n'
            '  version_id = "v1"\n'
            '  runtime    = "php82"\n'
            "}\n",
            "tf/gcp-serverless-outdated-runtime",
        ),
    ],
)
def test_php_82_is_end_of_life_after_31_december_2026(
    monkeypatch: pytest.MonkeyPatch, text: str, rule: str
) -> None:
    monkeypatch.setenv("PIPESEC_AS_OF", "2026-12-31")
    assert not _lines("tf", text, rule)
    monkeypatch.setenv("PIPESEC_AS_OF", "2027-01-01")
    assert _lines("tf", text, rule)
    assert not _lines("tf", text.replace("8.2", "8.3").replace("php82", "php83"), rule)


AKS = "tf/azure-aks-version-end-of-support"


def _aks(version: str, extra: str = "") -> str:
    head = 'resource "azurerm_kubernetes_cluster" "apps" {'
    return _cluster(head, "kubernetes_version", version, extra)


@pytest.mark.parametrize(
    ("version", "extra", "fires"),
    [
        ('"1.32"', "", True),  # end of life March 2026
        ('"1.32.7"', "", True),
        ('"1.26"', "", True),
        ('"1.33"', "", False),  # not in the calendar read: not judged
        ('"1.3"', "", False),
        ("var.k8s_version", "", False),
        ('"1.31"', '  automatic_upgrade_channel = "stable"\n', False),
        ('"1.31"', '  automatic_channel_upgrade = "rapid"\n', False),
        ('"1.31"', '  automatic_upgrade_channel = "patch"\n', True),
        ('"1.31"', "  automatic_upgrade_channel = var.channel\n", False),
        # the long-term calendar: 1.30 until July 2026, 1.27 until July 2025
        ('"1.30"', '  support_plan = "AKSLongTermSupport"\n', True),
        ('"1.27"', '  support_plan = "AKSLongTermSupport"\n', True),
        ('"1.31"', '  support_plan = "AKSLongTermSupport"\n', False),  # not named: not judged
        ('"1.30"', "  support_plan = var.plan\n", False),
    ],
)
def test_aks_versions(version: str, extra: str, fires: bool) -> None:
    assert _lines("tf", _aks(version, extra), AKS) == ([4] if fires else [])


@pytest.mark.parametrize(("day", "fires"), [("2026-07-31", False), ("2026-08-01", True)])
def test_aks_long_term_support_ends_after_its_month(
    monkeypatch: pytest.MonkeyPatch, day: str, fires: bool
) -> None:
    monkeypatch.setenv("PIPESEC_AS_OF", day)
    text = _aks('"1.30"', '  support_plan = "AKSLongTermSupport"\n')
    assert _lines("tf", text, AKS) == ([4] if fires else [])


@pytest.mark.parametrize(
    ("resource", "attr", "version", "fires"),
    [
        # session 13: OpenSearch's own versions, RDS MariaDB 10.4-11.4, Azure MySQL flexible
        ("aws_opensearch_domain", "engine_version", "OpenSearch_2.9", True),
        ("aws_opensearch_domain", "engine_version", "OpenSearch_1.2", True),
        ("aws_opensearch_domain", "engine_version", "OpenSearch_1.3", False),  # no date yet
        ("aws_opensearch_domain", "engine_version", "OpenSearch_2.11", False),
        ("aws_opensearch_domain", "engine_version", "OpenSearch_2.19", False),
        ("azurerm_mysql_flexible_server", "version", "5.7", True),  # 31 July 2026
        ("azurerm_mysql_flexible_server", "version", "8.0.21", False),  # 31 December 2026
        ("azurerm_mysql_flexible_server", "version", "8.4", False),
    ],
)
def test_session_13_calendars(resource: str, attr: str, version: str, fires: bool) -> None:
    text = f'resource "{resource}" "x" {{\n  name = "x"\n  {attr} = "{version}"\n}}\n'
    hit = [
        f.location.start_line
        for f in findings(scan_family("tf", text))
        if f.rule_id.endswith("-end-of-support")
    ]
    assert hit == ([3] if fires else [])


@pytest.mark.parametrize(
    ("version", "fires"),
    [
        ("10.4.34", True),
        ("10.5.27", True),
        ("10.6.20", True),
        ("10.11.10", False),
        ("11.4.4", False),
    ],
)
def test_rds_mariadb_calendar(version: str, fires: bool) -> None:
    text = (
        'resource "aws_db_instance" "db" {\n'
        '  engine         = "mariadb"\n'
        f'  engine_version = "{version}"\n'
        "}\n"
    )
    assert _lines("tf", text, RDS) == ([3] if fires else [])


def test_azure_mysql_80_is_reported_from_2027(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPESEC_AS_OF", "2027-01-01")
    text = 'resource "azurerm_mysql_flexible_server" "x" {\n  version = "8.0.21"\n}\n'
    rule = "tf/azure-mysql-flexible-version-end-of-support"
    assert _lines("tf", text, rule) == [2]
