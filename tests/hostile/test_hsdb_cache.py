"""Item 11: the compiled secrets database in the user cache is checked against a keyed
digest; a planted database (valid, but of one never-matching pattern) is rebuilt."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pipesec.core import cachemac
from pipesec.scanners.secrets import hsdb
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.rules import all_rules

hyperscan = pytest.importorskip("hyperscan")

#: tests of the cache itself: no shared databases in $XDG_CACHE_HOME (tests/conftest.py)
pytestmark = pytest.mark.fresh_cache


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
    assert "failed its digest check" in caplog.text


def test_a_database_signed_with_another_key_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A planted database with a digest of its own (the attacker's key) is not loaded."""
    rules = _github_rules()
    text = next(r for r in rules if r.id == "secrets/github-pat").to_rule().vulnerable_example
    planted, _ids = hsdb._compile([b"never-matches-\\x00-zz"], hyperscan)
    key = hsdb.database_key(rules, hyperscan)  # type: ignore[arg-type]
    monkeypatch.setenv(cachemac.KEY_ENV, "the attacker's key")
    hsdb._write_cache(hsdb._path(tmp_path, key), planted, frozenset({0}), hyperscan)
    monkeypatch.setenv(cachemac.KEY_ENV, "the user's key")
    engine = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert list(engine.scan_text(text)), "the planted database silenced the scanner"
    assert cachemac.read_signed(hsdb._path(tmp_path, key), "test") is not None  # rebuilt


def test_no_orphan_digest_is_left(tmp_path: Path) -> None:
    """Older versions' databases (``<key>.hsdb``) and digests whose database is gone are
    removed as a database is written; each kind keeps its most recently used files."""
    old = time.time() - cachemac.ORPHAN_AGE - 10
    for i in range(cachemac.KEEP + 2):
        for name in (f"{i:064x}.hsdb", f"{i + 100:064x}.hsdb.mac", f"text-{i:064x}.hsdb.mac"):
            (tmp_path / name).write_bytes(b"0\n")
            os.utime(tmp_path / name, (old - i, old - i))
    fresh = tmp_path / f"text-{999:064x}.hsdb.mac"  # a writer between digest and file
    fresh.write_bytes(b"0\n")
    SecretEngine(_github_rules(), use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    names = {p.name for p in tmp_path.iterdir()}
    orphans = {n for n in names if n.endswith(".mac") and n[:-4] not in names}
    assert orphans == {fresh.name}
    assert len([n for n in names if n.endswith(".hsdb")]) == cachemac.KEEP
    assert len(list(tmp_path.glob("text-*.hsdb"))) == 1


def test_cache_with_its_digest_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = _github_rules()
    SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert list(tmp_path.glob("*.hsdb.mac"))
    compiled: list[object] = []
    real = hsdb._compile
    monkeypatch.setattr(hsdb, "_compile", lambda *a, **k: compiled.append(a) or real(*a, **k))
    SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert not compiled
