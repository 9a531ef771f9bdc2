"""The signed files pipesec keeps in the user cache directory: a planted file is not used,
and each version keeps its own files beside a few others'."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pipesec.core import cachemac

#: tests of the cache itself: no shared databases in $XDG_CACHE_HOME (tests/conftest.py)
pytestmark = pytest.mark.fresh_cache


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cachemac.KEY_ENV, "k1")


def _age(path: Path, seconds: int) -> None:
    os.utime(path, (1_000_000_000 + seconds, 1_000_000_000 + seconds))


def test_a_write_keeps_the_most_recently_used_files_of_its_kind(tmp_path: Path) -> None:
    names = [f"catalog-{n}.json" for n in "abcdef"]
    for age, name in enumerate(names):
        cachemac.write_signed(tmp_path / name, name.encode())
        _age(tmp_path / name, age)
    other = tmp_path / "rulefiles-x.json"
    cachemac.write_signed(other, b"x")
    _age(other, -1)
    # read: the oldest is now the most recently used
    assert cachemac.read_signed(tmp_path / names[0], "test") == names[0].encode()
    cachemac.write_kept(tmp_path / "catalog-g.json", b"g", "catalog-")
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == sorted(
        name + mac
        for name in [*(f"catalog-{n}.json" for n in "aefg"), "rulefiles-x.json"]
        for mac in ("", ".mac")
    )
    for name in ("catalog-a.json", "catalog-e.json", "catalog-g.json"):
        assert cachemac.read_signed(tmp_path / name, "test") is not None


def test_an_older_prefix_is_kept_within_the_same_bound(tmp_path: Path) -> None:
    for age, name in enumerate(("rules-1.json", "rules-2.json", "rulefiles-3.json")):
        cachemac.write_signed(tmp_path / name, b"x")
        _age(tmp_path / name, age)
    cachemac.write_kept(tmp_path / "rulefiles-4.json", b"x", "rulefiles-", "rules-", keep=2)
    assert sorted(p.name for p in tmp_path.glob("*.json")) == [
        "rulefiles-3.json",
        "rulefiles-4.json",
    ]


def test_a_planted_link_is_removed_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text("keep me")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "catalog-old.json").symlink_to(outside)
    os.utime(cache / "catalog-old.json", (1, 1), follow_symlinks=False)
    cachemac.write_kept(cache / "catalog-new.json", b"x", "catalog-", keep=1)
    assert outside.read_text() == "keep me"
    assert sorted(p.name for p in cache.iterdir()) == ["catalog-new.json", "catalog-new.json.mac"]


def test_a_planted_or_oversized_file_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalog-a.json"
    cachemac.write_signed(path, b"good")
    assert cachemac.read_signed(path, "test") == b"good"
    path.write_bytes(b"planted")
    assert cachemac.read_signed(path, "test") is None
    cachemac.write_signed(path, b"0123456789")
    monkeypatch.setattr(cachemac, "MAX_BYTES", 9)
    assert cachemac.read_signed(path, "test") is None
    monkeypatch.setattr(cachemac, "MAX_BYTES", 10)
    assert cachemac.read_signed(path, "test") == b"0123456789"
    monkeypatch.setenv(cachemac.KEY_ENV, "k2")  # signed with another key
    assert cachemac.read_signed(path, "test") is None


def test_a_planted_pipe_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "catalog-a.json"
    os.mkfifo(path)
    (tmp_path / "catalog-a.json.mac").write_text("x")
    assert cachemac.read_signed(path, "test") is None  # no read that never ends
    os.mkfifo(tmp_path / "catalog-b.json.mac")
    (tmp_path / "catalog-b.json").write_text("x")
    assert cachemac.read_signed(tmp_path / "catalog-b.json", "test") is None


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(src: str, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(cachemac.os, "replace", fail)
    with pytest.raises(OSError):
        cachemac.write_kept(tmp_path / "catalog-a.json", b"x", "catalog-")
    assert list(tmp_path.iterdir()) == []


def test_any_changed_file_of_the_package_changes_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "pipesec"
    (package / "scanners" / "iac" / "rules").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "core").mkdir()
    model = package / "core" / "model.py"
    rule = package / "scanners" / "iac" / "rules" / "aws-x.yaml"
    files = (model, rule, package / "__init__.py")
    for f in files:
        f.write_text("x\n")
    monkeypatch.setattr(cachemac, "_PACKAGE", package)

    def fingerprint() -> cachemac.Fingerprint:
        cachemac.fingerprint.cache_clear()  # computed once per process
        return cachemac.fingerprint()

    try:
        first = fingerprint()
        assert first.newest == max(max(p.stat().st_mtime, p.stat().st_ctime) for p in files)
        (package / "__pycache__" / "model.pyc").write_text("bytecode is not a source")
        assert fingerprint() == first
        seen = {first.digest}
        for change in (
            lambda: rule.write_text("y\n"),  # same size, new time
            lambda: os.utime(rule, ns=(1, 1)),
            lambda: os.utime(rule, ns=(1, 1)),  # the same time again: a new change time
            lambda: (package / "new.py").write_text("x\n"),
            lambda: model.write_text("xy\n"),
        ):
            _tick_passes(package)
            change()
            seen.add(fingerprint().digest)
        assert len(seen) == 6
    finally:
        cachemac.fingerprint.cache_clear()


def _tick_passes(package: Path) -> None:
    """Wait until the file system's clock (as a file's change time shows it) moves on."""
    probe = package.parent / "probe"
    probe.write_text("")
    start = probe.stat().st_ctime_ns
    while probe.stat().st_ctime_ns == start:
        probe.write_text("")


def test_nothing_is_settled_while_the_package_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipesec

    (tmp_path / "a.py").write_text("x")
    monkeypatch.setattr(cachemac, "_PACKAGE", tmp_path)
    cachemac.fingerprint.cache_clear()
    try:
        monkeypatch.setattr(pipesec, "IMPORTED_AT", time.time() + cachemac.TICK + 1)
        assert cachemac.settled()
        monkeypatch.setattr(pipesec, "IMPORTED_AT", time.time())  # changed just before
        assert not cachemac.settled()
    finally:
        cachemac.fingerprint.cache_clear()


def test_a_package_whose_files_cannot_be_listed_is_never_settled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cachemac, "_PACKAGE", tmp_path / "pipesec.zip" / "pipesec")
    cachemac.fingerprint.cache_clear()
    try:
        assert not cachemac.settled()  # a zip archive: no cache is written under its name
    finally:
        cachemac.fingerprint.cache_clear()
