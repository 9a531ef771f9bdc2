"""The report scrubber: what redact_items hands to the redactor."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from pipesec.core import redact
from pipesec.core.model import Rule, Severity
from pipesec.core.scanner import finding_from_rule
from pipesec.core.scrub import redact_items

TOKEN = "xyzzy-" + "0123456789ab"


@pytest.fixture
def seen() -> Iterator[list[str]]:
    """Every text the redactor's detectors are given; the detector masks TOKEN."""
    texts: list[str] = []

    def detect(text: str) -> list[tuple[int, int]]:
        texts.append(text)
        return [(m.start(), m.end()) for m in re.finditer(TOKEN, text)]

    redact.register_detector("test-scrub", detect)
    yield texts
    redact.unregister_detector("test-scrub")


def _rule(rid: str) -> Rule:
    return Rule(rid, "title", Severity.HIGH, "why", "fix", f"key = {TOKEN}", "key = var.k")


def test_only_the_rules_that_findings_use_are_redacted(seen: list[str]) -> None:
    used, unused = _rule("t/used"), _rule("t/unused")
    finding = finding_from_rule(used, "t", path="a.tf", line=1, snippet=f"x = {TOKEN}")
    findings, _, _, rules, _ = redact_items(
        [finding], [], [], {"t/used": used, "t/unused": unused}, []
    )
    assert TOKEN not in findings[0].snippet
    assert TOKEN not in rules["t/used"].vulnerable_example
    assert redact.MASK in rules["t/used"].vulnerable_example
    # a rule no finding names keeps its id (JUnit lists it) and is never written otherwise
    assert rules["t/unused"] is unused
    assert list(rules) == ["t/used", "t/unused"]
    assert len(seen) == 1 and seen[0].count(TOKEN) == 2  # the snippet and the used example


def test_no_finding_no_rule_text_to_redact(seen: list[str]) -> None:
    rule = _rule("t/used")
    _, _, _, rules, _ = redact_items([], [], [], {"t/used": rule}, [])
    assert rules["t/used"] is rule
    assert seen == []
