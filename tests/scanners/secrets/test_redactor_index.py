"""The redaction detector builds the secrets engine only for texts its Hyperscan database
hits (the signed index in the cache names the database; see scanners/secrets/redactor.py):
the spans are the engine's, for every rule's example and for random texts."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipesec
import pipesec.scanners.secrets as secrets_pkg
from pipesec.core import cachemac
from pipesec.core.redact import redact_text
from pipesec.scanners.secrets import engine_for, hsdb, redactor
from pipesec.scanners.secrets.rules import all_rules

pytest.importorskip("hyperscan")

#: tests of the cache itself: no shared databases in $XDG_CACHE_HOME (tests/conftest.py)
pytestmark = pytest.mark.fresh_cache


def _fresh() -> None:
    redactor._quick.clear()
    redactor._remembered.clear()
    redactor._index.cache_clear()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache directory of this test: first a process that builds the engine and writes
    the index, then (``_fresh``) a process that starts from the index."""
    import hyperscan

    engine = engine_for()  # this process's engine (its database from the user cache)
    key = hsdb.database_key(engine.rules_all, hyperscan)
    hsdb._write_cache(hsdb._path(tmp_path, key), engine._hs, engine._hs_rules, hyperscan)
    monkeypatch.setattr(hsdb, "cache_dir_default", lambda: tmp_path)
    # as if imported now: a file saved just before the test run must not stop the index
    monkeypatch.setattr(pipesec, "IMPORTED_AT", time.time() + cachemac.TICK)
    _fresh()
    assert list(redactor.spans("warm-up: password = 'x7Rk2pQ9vL4m'"))  # builds, writes
    assert len(list(tmp_path.glob("redact-*.json"))) == 1
    _fresh()
    yield tmp_path
    _fresh()


def _engine_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in engine_for().scan_text(text)]


@pytest.fixture(scope="module")
def examples() -> list[str]:
    return [r.example() for r in all_rules() if r.example is not None]


def test_every_rule_example_is_redacted_as_the_engine_says(
    cache: Path, examples: list[str]
) -> None:
    joined = "\n\n".join(examples)
    assert list(redactor.spans(joined)) == _engine_spans(joined) != []
    assert redactor._quick and redactor._quick[0] is not None  # the index was used
    for text in examples[::7]:
        assert list(redactor.spans(text)) == _engine_spans(text)


def test_a_text_without_a_database_hit_never_builds_the_engine(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_engine(*args: object, **kwargs: object) -> None:
        raise AssertionError("engine built")

    monkeypatch.setattr(secrets_pkg, "engine_for", no_engine)
    text = "aws_security_group.ssh: ingress from 0.0.0.0/0 on port 22"
    assert list(redactor.spans(text)) == []


def test_a_planted_index_is_not_trusted(cache: Path) -> None:
    index = next(cache.glob("redact-*.json"))
    index.write_text('{"database": "0"}')  # its digest no longer matches
    text = "token = 'ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'"
    assert list(redactor.spans(text)) == _engine_spans(text) != []
    assert redactor._quick == [None]


def test_another_versions_index_is_kept(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two checkouts sharing the cache directory run in turn: neither removes the other's
    index (the one written by the fixture is this version's)."""
    [ours] = cache.glob("redact-*.json")
    other = cache / "redact-other.json"
    index = redactor._index
    monkeypatch.setattr(redactor, "_index", lambda: other)
    text = "warm-up: password = 'x7Rk2pQ9vL4m'"
    assert list(redactor.spans(text)) == _engine_spans(text)
    assert redactor._quick == [None] and other.exists() and ours.exists()
    monkeypatch.setattr(redactor, "_index", index)
    _fresh()
    assert list(redactor.spans(text)) == _engine_spans(text)
    assert redactor._quick and redactor._quick[0] is not None  # ours, still there


def test_no_index_for_files_changed_after_the_package_was_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rules edited during a run (an editable install): the engine holds the rules read at
    import, the digest the files' new text; no index pairs them."""
    monkeypatch.setattr(hsdb, "cache_dir_default", lambda: tmp_path)
    monkeypatch.setattr(pipesec, "IMPORTED_AT", 0.0)  # every file is newer
    _fresh()
    text = "warm-up: password = 'x7Rk2pQ9vL4m'"
    try:
        assert list(redactor.spans(text)) == _engine_spans(text) != []
        assert not list(tmp_path.glob("redact-*.json"))
    finally:
        _fresh()


class _Redacting(logging.Handler):
    """Like the CLI's log formatter: every log line goes through the redactor."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(redact_text(record.getMessage()))


def test_a_log_line_of_the_loading_is_redacted_without_a_deadlock(cache: Path) -> None:
    """Loading the index logs a planted digest; the log line is redacted by the detector
    that is loading (called outside core's redactor, nothing marks it busy)."""
    next(cache.glob("redact-*.json")).write_text('{"database": "1"}')
    handler = _Redacting()
    logger = logging.getLogger("pipesec")
    logger.addHandler(handler)
    text = "token = 'ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'"
    found: list[list[tuple[int, int]]] = []
    worker = threading.Thread(target=lambda: found.append(list(redactor.spans(text))), daemon=True)
    try:
        worker.start()
        worker.join(120)
    finally:
        logger.removeHandler(handler)
    assert not worker.is_alive(), "the detector deadlocked"
    assert found == [_engine_spans(text)] and any("digest" in line for line in handler.lines)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["password", "=", ":", " ", "'", '"', "ghp_", "AKIA", "xoxb-", "\n"]),
            st.text(alphabet="abcdefXYZ0123456789+/_-", min_size=4, max_size=40),
        ),
        max_size=12,
    )
)
def test_random_texts_get_the_engines_spans(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert list(redactor.spans(text)) == _engine_spans(text)
