"""policy/config-weakened and policy/new-suppression: each rule's vulnerable example raises
it and its fixed example does not (through the whole runner, in PR mode)."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.test_hostile_trust import git as _git

from pipesec.core.runner import ScanOptions, scan
from pipesec.core.trust import CONFIG_WEAKENED, NEW_SUPPRESSION

BASE = '[gate]\nfail-on = "high"\n[scanners.secrets]\nuse-hyperscan = false\n'


def _pr(tmp_path: Path, base: dict[str, str], change: dict[str, str]) -> Path:
    _git(tmp_path, "init", "-q", "-b", "main")
    for name, text in base.items():
        (tmp_path / name).write_text(text)
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "base")
    for name, text in change.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def _rules(root: Path, *scanners: str) -> list[str]:
    report = scan(ScanOptions(path=root, diff_base="main", scanners=scanners or ("secrets",)))
    return [f.rule_id for f in report.findings]


def test_config_weakened_examples(tmp_path: Path) -> None:
    vulnerable = CONFIG_WEAKENED.vulnerable_example + "[scanners.secrets]\nuse-hyperscan = false\n"
    root = _pr(tmp_path, {".pipesec.toml": BASE}, {".pipesec.toml": vulnerable})
    assert _rules(root) == [CONFIG_WEAKENED.id]
    fixed = CONFIG_WEAKENED.fixed_example + "[scanners.secrets]\nuse-hyperscan = false\n"
    (root / ".pipesec.toml").write_text(fixed)
    assert _rules(root) == []


def test_gitleaksignore_and_allowlist_entries_are_weakenings(tmp_path: Path) -> None:
    root = _pr(
        tmp_path,
        {".pipesec.toml": BASE, ".gitleaksignore": "a.py:github-pat:3\n"},
        {
            ".gitleaksignore": "a.py:github-pat:3\nb.py:github-pat:9\n",
            ".gitleaks.toml": "[[rules]]\nid = 'x'\nregex = 'x[0-9]{9}'\n"
            "[rules.allowlist]\npaths = ['vendor/']\n",
        },
    )
    report = scan(ScanOptions(path=root, diff_base="main", scanners=("secrets",)))
    places = sorted((f.location.path, f.location.start_line) for f in report.findings)
    assert places == [(".gitleaks.toml", 5), (".gitleaksignore", 2)]


def test_new_suppression_examples(tmp_path: Path) -> None:
    head = "import subprocess  # nosec B404\n\n\ndef run(cmd):\n    "
    root = _pr(
        tmp_path,
        {".pipesec.toml": BASE, "app.py": "x = 1\n"},
        {"app.py": head + NEW_SUPPRESSION.vulnerable_example},
    )
    # B404 is low: its # nosec is no new suppression; B602 (high) behind # nosec is one
    assert _rules(root, "sast") == [NEW_SUPPRESSION.id]
    (root / "app.py").write_text(head + NEW_SUPPRESSION.fixed_example)
    assert NEW_SUPPRESSION.id not in _rules(root, "sast")


def test_newer_gate_keys_and_dropped_scanners_are_weakenings(tmp_path: Path) -> None:
    base = (
        'enable = ["secrets", "semgrep"]\n[gate]\nunknown-severity = "medium"\n'
        '[gate.context-paths]\ntest = ["tests/"]\n[scanners.secrets]\nuse-hyperscan = false\n'
    )
    change = (
        '[gate]\nunknown-severity = "low"\n[gate.context-paths]\ntest = ["tests/", "src/"]\n'
        "[scanners.secrets]\nuse-hyperscan = false\n"
    )
    root = _pr(tmp_path, {".pipesec.toml": base}, {".pipesec.toml": change})
    report = scan(ScanOptions(path=root, diff_base="main", scanners=("secrets",)))
    messages = sorted(f.message.split(":")[0] for f in report.findings)
    assert messages == [
        "[gate] context-paths test",
        "[gate] unknown-severity lowered to low",
        "scanner semgrep no longer enabled (enable removed)",
    ]
