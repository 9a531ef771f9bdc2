"""Item 11: the compiled secrets database in the user cache is checked against a keyed
digest; a planted database (valid, but of one never-matching pattern) is rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipesec.scanners.secrets import hsdb
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.rules import all_rules

hyperscan = pytest.importorskip("hyperscan")


def _github_rules() -> list[object]:
    return [r for r in all_rules() if r.id.startswith("secrets/github")]


def test_planted_cache_database_is_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rules = _github_rules()
    text = next(r for r in rules if r.id == "secrets/github-pat").to_rule().vulnerable_example
    first = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert list(first.scan_text(text))
    planted, _ids = hsdb._compile([b"never-matches-\\x00-zz"], hyperscan)
    cached = sorted(tmp_path.glob("*.hsdb"))
    assert cached
    for path in cached:
        header = path.read_bytes().partition(b"\n")[0]
        path.write_bytes(header + b"\n" + hyperscan.dumpb(planted))
    second = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert list(second.scan_text(text)), "the planted database silenced the scanner"
    assert "does not match its digest" in caplog.text


def test_cache_with_its_digest_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = _github_rules()
    SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert list(tmp_path.glob("*.hsdb.mac"))
    compiled: list[object] = []
    real = hsdb._compile
    monkeypatch.setattr(hsdb, "_compile", lambda *a, **k: compiled.append(a) or real(*a, **k))
    SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert not compiled
