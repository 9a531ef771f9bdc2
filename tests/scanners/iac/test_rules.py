"""Every IaC rule fires on its vulnerable example and stays quiet on its fixed example."""

from __future__ import annotations

import pytest
from tests.scanners.iac.helpers import errors, findings, scan_family

from pipesec.core.model import Rule
from pipesec.scanners.iac import IacScanner

RULES = list(IacScanner().rules())


def test_rule_counts() -> None:
    by_family: dict[str, int] = {}
    for r in RULES:
        by_family[r.family] = by_family.get(r.family, 0) + 1
    assert by_family["docker"] >= 27
    assert by_family["k8s"] >= 110
    assert by_family["tf"] >= 40
    assert by_family["compose"] >= 8
    assert by_family["cfn"] >= 100
    assert len({r.id for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_metadata(rule: Rule) -> None:
    assert rule.id == rule.id.lower() and "/" in rule.id
    assert rule.title and rule.rationale and rule.remediation
    assert rule.vulnerable_example.strip() and rule.fixed_example.strip()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_vulnerable_example_fires(rule: Rule) -> None:
    items = scan_family(rule.family, rule.vulnerable_example)
    assert not errors(items)
    hits = findings(items, rule.id)
    assert hits, f"{rule.id} did not fire on its vulnerable example"
    lines = rule.vulnerable_example.splitlines()
    for f in hits:
        assert 1 <= f.location.start_line <= len(lines)
        assert f.snippet  # points at a real line


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_fixed_example_is_clean(rule: Rule) -> None:
    items = scan_family(rule.family, rule.fixed_example)
    assert not errors(items)
    assert not findings(items, rule.id), f"{rule.id} fired on its fixed example"


@pytest.mark.parametrize("rule", [r for r in RULES if "secret" in r.tags], ids=lambda r: r.id)
def test_secret_rules_redact(rule: Rule) -> None:
    for f in findings(scan_family(rule.family, rule.vulnerable_example), rule.id):
        assert "*****" in f.snippet
