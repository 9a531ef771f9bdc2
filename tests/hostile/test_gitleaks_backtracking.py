"""Item 12: a pull request's .gitleaks.toml rule that backtracks exponentially
(``x([a-z]+)+[0-9]``: n = 28 took 15.6 s without Hyperscan) is refused with an error; the
built-in rules keep working."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hostile.budget_helpers import errors_of, findings_of, scan

from pipesec.scanners.secrets.gitleaks import backtracking_risk, load_text


@pytest.mark.parametrize("pattern", [r"x([a-z]+)+[0-9]", r"(a|b+){2,}", r"(x+)*y", r"((ab)*c)+"])
def test_nested_repeats_are_refused(pattern: str) -> None:
    assert backtracking_risk(pattern) is not None
    cfg = load_text(f"[[rules]]\nid = 'evil'\nregex = '''{pattern}'''\n", ".gitleaks.toml")
    assert not cfg.rules
    assert any("backtrack" in p.message for p in cfg.problems)


@pytest.mark.parametrize(
    "pattern", [r"AKIA[0-9A-Z]{16}", r"(ab)+c", r"(?i)(?:key|token)\s*[:=]\s*([a-z0-9]{20,40})"]
)
def test_linear_patterns_are_kept(pattern: str) -> None:
    assert backtracking_risk(pattern) is None
    cfg = load_text(f"[[rules]]\nid = 'ok'\nregex = '''{pattern}'''\n", ".gitleaks.toml")
    assert len(cfg.rules) == 1 and not cfg.problems


def test_scan_with_an_exponential_rule_ends(tmp_path: Path) -> None:
    (tmp_path / ".gitleaks.toml").write_text("[[rules]]\nid = 'evil'\nregex = 'x([a-z]+)+[0-9]'\n")
    (tmp_path / "data.txt").write_text("x" + "a" * 40 + "!\n")
    code, report, _ = scan(tmp_path, "--scanner", "secrets")
    assert code == 3
    assert [e["path"] for e in errors_of(report)] == [".gitleaks.toml"]
    assert not findings_of(report)
