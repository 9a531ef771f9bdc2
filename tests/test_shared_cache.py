"""The tests' shared secrets databases (tests/conftest.py, ``SecretsCache``): each test starts
from links to the session's signed files, cannot change them, and a file is taken into them
only when its digest matches the session's key."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.conftest import SecretsCache

from pipesec.core import cachemac

pytest.importorskip("hyperscan")


def _own(tmp_path: Path) -> SecretsCache:
    (tmp_path / "seed").mkdir()
    return SecretsCache(tmp_path / "data", tmp_path / "seed")


def test_a_test_cache_starts_with_links_to_the_sessions_files(secrets_cache: SecretsCache) -> None:
    mine = Path(os.environ["XDG_CACHE_HOME"]) / "pipesec" / "secrets"
    theirs = {p.name: p.stat().st_ino for p in secrets_cache.folder.iterdir()}
    assert {p.name: p.stat().st_ino for p in mine.iterdir()} == theirs
    assert "PIPESEC_CACHE_KEY" not in os.environ
    assert os.environ["XDG_DATA_HOME"] == str(secrets_cache.data_home)
    assert (secrets_cache.data_home / "pipesec" / "cache-key").read_text() == secrets_cache.key


@pytest.mark.fresh_cache
def test_a_test_of_the_cache_starts_from_an_empty_cache() -> None:
    assert not (Path(os.environ["XDG_CACHE_HOME"]) / "pipesec").exists()


def test_a_write_in_a_test_cache_never_reaches_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _own(tmp_path)
    monkeypatch.setenv(cachemac.KEY_ENV, shared.key)
    cachemac.write_signed(shared.folder / "text-0.hsdb", b"the session's")
    mine = tmp_path / "cache" / "pipesec" / "secrets"
    shared.lend(mine)
    assert cachemac.read_signed(mine / "text-0.hsdb", "test") == b"the session's"
    cachemac.write_signed(mine / "text-0.hsdb", b"a test's")
    assert cachemac.read_signed(shared.folder / "text-0.hsdb", "test") == b"the session's"


def test_only_the_built_in_rules_files_signed_with_the_session_key_are_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _own(tmp_path)
    text, lines = shared._names()
    used = tmp_path / "used"
    monkeypatch.setenv(cachemac.KEY_ENV, "another key")
    cachemac.write_signed(used / text, b"planted")  # a digest of another key
    monkeypatch.setenv(cachemac.KEY_ENV, shared.key)
    cachemac.write_signed(used / lines, b"lines")
    cachemac.write_signed(used / f"text-{'0' * 64}.hsdb", b"another rule set")
    cachemac.write_signed(used / "redact-other.json", json.dumps({"database": "0"}).encode())
    shared.harvest(used)
    assert sorted(p.name for p in shared.folder.iterdir()) == [lines, lines + ".mac"]
    cachemac.write_signed(used / text, b"text")
    cachemac.write_signed(used / "redact-1.json", json.dumps({"database": text[5:-5]}).encode())
    shared.harvest(used)
    assert {p.name for p in shared.folder.iterdir()} == {
        name + mac for name in (text, lines, "redact-1.json") for mac in ("", ".mac")
    }
    assert shared._complete


@pytest.fixture(scope="module")
def outside_a_test() -> dict[str, str]:
    """The environment a module fixture sees (set up before any test's own)."""
    names = ("XDG_CACHE_HOME", "XDG_DATA_HOME", "PIPESEC_CACHE_KEY")
    return {name: os.environ.get(name, "") for name in names}


def test_what_runs_outside_a_test_has_folders_of_the_session(
    outside_a_test: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    base = tmp_path_factory.getbasetemp()
    assert Path(outside_a_test["XDG_CACHE_HOME"]).is_relative_to(base)
    assert Path(outside_a_test["XDG_DATA_HOME"]).is_relative_to(base)
    assert outside_a_test["PIPESEC_CACHE_KEY"] == ""
