"""The secrets scanner's detector for core's redactor (entry point ``pipesec.redactors``).

Core masks every span this returns in messages, snippets, reasons and errors of every
scanner, so a credential quoted by any rule or error line is never written whole.

Building the engine (the rule catalogue, ~0.2 s) is most of a small scan's redaction time,
and most texts hold no secret. The engine's Hyperscan database is cached already; once an
engine has been built, a signed index in the cache names that database by pipesec's files
(:func:`pipesec.core.cachemac.fingerprint`, which the IaC caches share), so the next process
loads the database alone and builds the engine only for texts in which the database has a
hit. That is exact, not a guess: without a path, the engine searches only where its database
hits (:meth:`SecretEngine.decided_by_database`, checked before the index is written), and a
changed rule changes the fingerprint.

A stale index hides a secret, so the fingerprint is not a digest made when the wheel is
built (stale in an editable or patched install) but the files' names, sizes and modification
and change times read in this process: a copy that keeps an old modification time still
changes the change time, which no tool sets. Edits within one tick of the file system's clock
are what :func:`pipesec.core.cachemac.settled` rules out: the index is written only when no
file of pipesec changed since, or within a tick before, the process imported pipesec (else
a rule edited during a long scan would name the database of the rules the scan had loaded).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_lock = threading.Lock()
#: [database or None], loaded once per process
_quick: list[Any] = []
#: [True] once this process has written (or declined to write) the index
_remembered: list[bool] = []
#: set while this thread loads the database (what it logs is redacted by the engine)
_loading = threading.local()


def spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each secret the built-in rules find in ``text``."""
    if not _may_hold_secret(text):
        return
    from pipesec.scanners.secrets import engine_for

    engine = engine_for()
    _remember(engine)
    for m in engine.scan_text(text):
        yield m.start, m.end


def _may_hold_secret(text: str) -> bool:
    if getattr(_loading, "on", False):  # a log line of the loading itself: the engine
        return True
    if not _quick:
        _loading.on = True  # the lock is never held here: a log handler may redact
        try:
            db = _load()
        finally:
            _loading.on = False
        with _lock:
            if not _quick:
                _quick.append(db)
    db = _quick[0]
    if db is None:
        return True
    hits: list[int] = []

    def on_match(rid: int, _start: int, _end: int, _flags: int, _ctx: object) -> None:
        hits.append(rid)

    data = text.encode("utf-8", "surrogatepass")
    with _lock:  # one scratch space
        db.scan(data, match_event_handler=on_match)
    return bool(hits)


@functools.cache
def _index() -> Path | None:
    """Where the index of this version's rules lives (None: no Hyperscan): named by the
    package's files (:func:`pipesec.core.cachemac.fingerprint`) and Hyperscan's version."""
    try:
        import hyperscan
    except ImportError:
        return None
    from pipesec.core.cachemac import fingerprint
    from pipesec.scanners.secrets import hsdb

    version = getattr(hyperscan, "__version__", "")
    h = hashlib.sha256(f"{fingerprint().digest}\0{version}".encode())
    return hsdb.cache_dir_default() / f"redact-{h.hexdigest()[:32]}.json"


def _load() -> Any:
    """The cached database the index names, or None (no index yet, or no Hyperscan)."""
    try:
        index = _index()
        if index is None:
            return None
        from pipesec.core.cachemac import read_signed
        from pipesec.scanners.secrets import hsdb

        raw = read_signed(index, "secrets redaction index")
        if raw is None:
            return None
        return hsdb.read_cached(str(json.loads(raw)["database"]))
    except Exception:  # a cache must never stop a report: build the engine instead
        log.debug("no redaction index", exc_info=True)
        return None


def _remember(engine: Any) -> None:
    """Write the index for the next process (once) when ``engine`` is decided by its
    database; the most recently used indexes of other versions of the rules are kept."""
    with _lock:
        if _remembered or (_quick and _quick[0] is not None):
            return
        _remembered.append(True)
    # outside the lock: a log handler may redact
    try:
        index = _index()
        if index is None or not engine.decided_by_database():  # (a planted one: replaced)
            return
        from pipesec.core.cachemac import settled, write_kept
        from pipesec.scanners.secrets import hsdb

        if not settled():
            log.debug("not writing the redaction index: pipesec changed during this run")
            return
        import hyperscan

        key = hsdb.database_key(engine.rules_all, hyperscan)
        write_kept(index, json.dumps({"database": key}).encode(), "redact-")
    except Exception:
        log.debug("cannot write the redaction index", exc_info=True)
