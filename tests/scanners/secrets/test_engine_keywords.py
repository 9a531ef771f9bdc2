"""A rule's keywords gate it on the whole text, whichever way the engine looks for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipesec.core.model import Severity
from pipesec.scanners.secrets.engine import (
    SecretEngine,
    analysed,
    leading_literal,
    max_width,
    one_line,
)
from pipesec.scanners.secrets.rules import all_rules
from pipesec.scanners.secrets.rules.base import SecretRule

RULE = SecretRule(
    id="secrets/test-zebra",
    provider="Test",
    title="Test zebra code",
    severity=Severity.HIGH,
    regex=r"\b(QQ[0-9]{12})\b",
    secret_group=1,
    keywords=("zebra",),
)


@pytest.mark.parametrize("use_hyperscan", [False, True])
def test_a_keyword_anywhere_in_the_text_lets_its_rule_run(
    use_hyperscan: bool, hs_cache: Path
) -> None:
    """Keywords are looked for in the whole text (case-insensitive), not only near the
    match: in ASCII text the engine looks in the match's window first, then everywhere."""
    if use_hyperscan:
        pytest.importorskip("hyperscan")
    engine = SecretEngine([RULE], use_hyperscan=use_hyperscan, cache_dir=hs_cache)
    code = "QQ" + "418207365914"
    far = "x = 1\n" * 2000
    for head in ("ZEBRA\n", "zebra\n", "\u03a3 ZEBRA \u00e9\n"):  # far before the match
        found = [m.value for m in engine.scan_text(head + far + f"v = {code}\n", path="a.py")]
        assert found == [code]
    near = [m.value for m in engine.scan_text(f"{far}Zebra = {code}\n", path="a.py")]
    assert near == [code]
    assert list(engine.scan_text(far + f"v = {code}\n", path="a.py")) == []  # no keyword


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        (r"(rnd_(?<![A-Za-z0-9_]rnd_)[0-9A-Za-z]{32})", "rnd_"),  # past a lookbehind
        (r"(?<![A-Za-z0-9])((?:ghp_)[A-Za-z0-9]{36})", "ghp_"),  # into nested groups
        (r"\bkey-(?=[0-9a-f])x", "key-x"),  # anchors and lookaheads consume nothing
        (r"(?:AKIA|ASIA)[A-Z0-9]{16}", "A"),  # a branch ends it
        (r"ab[cd]", "ab"),
        (r"(?i:ghp_)[A-Za-z0-9]{36}", ""),  # ignores case: (?i:s) also matches a long s
        (r"(?i)sk_live_[0-9a-z]{24}", ""),
        (r"(ab)?cd", ""),  # an optional group is no lead
        (r"[A-Z]{4}", ""),
    ],
)
def test_leading_literal(pattern: str, literal: str) -> None:
    assert leading_literal(pattern) == literal


@pytest.mark.parametrize("use_hyperscan", [False, True])
def test_a_keyword_in_the_leading_literal_is_not_looked_for_again(
    use_hyperscan: bool, hs_cache: Path
) -> None:
    """A rule whose every match starts with one of its keywords skips the keyword test:
    the findings are those of a rule that looks for it (found when the regex matches,
    nothing when it does not)."""
    if use_hyperscan:
        pytest.importorskip("hyperscan")
    rule = SecretRule(
        id="secrets/test-quagga",
        provider="Test",
        title="Test quagga code",
        severity=Severity.HIGH,
        regex=r"(?<![a-z])(quag_[0-9]{12})\b",
        secret_group=1,
        keywords=("quag_",),
    )
    engine = SecretEngine([rule, RULE], use_hyperscan=use_hyperscan, cache_dir=hs_cache)
    # the skip is taken for the rule whose match starts with its keyword, not for one whose
    # keyword may stand anywhere in the text (the findings alone cannot tell the two apart)
    skips = {p.rule.id: p.keyword_in_match for p in engine._rules}
    assert skips == {"secrets/test-quagga": True, "secrets/test-zebra": False}
    code = "quag_" + "418207365914"
    assert [m.value for m in engine.scan_text(f"v = {code}\n", path="a.py")] == [code]
    assert list(engine.scan_text(f"v = QUAG_{code[5:]}\n", path="a.py")) == []


def test_rules_that_skip_the_keyword_test_hold_a_keyword_in_every_match() -> None:
    """Every built-in rule whose keyword test is skipped finds its keyword (lowered) in
    each match on its own example."""
    engine = SecretEngine(all_rules(), use_hyperscan=False)
    checked = 0
    for p in engine._rules:
        if not (p.keywords and p.keyword_in_match) or p.rule.example is None:
            continue
        text = p.rule.to_rule().vulnerable_example
        for m in p.pattern.finditer(text):
            assert any(k in m.group(0).lower() for k in p.keywords), p.rule.id
            checked += 1
    assert checked > 100


def test_one_parse_answers_the_three_questions() -> None:
    """The engine's single parse of a rule's regex gives what the three functions give."""
    for rule in all_rules()[::15]:
        expected = (max_width(rule.regex), one_line(rule.regex), leading_literal(rule.regex))
        assert analysed(rule.regex) == expected, rule.id
