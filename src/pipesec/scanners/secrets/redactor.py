"""The secrets scanner's detector for core's redactor (entry point ``pipesec.redactors``).

Core masks every span this returns in messages, snippets, reasons and errors of every
scanner, so a credential quoted by any rule or error line is never written whole.

Building the engine (the rule catalogue, ~0.2 s) is most of a small scan's redaction time,
and most texts hold no secret. The engine's Hyperscan database is cached already; once an
engine has been built, a signed index in the cache names that database by a digest of this
package's files, so the next process loads the database alone and builds the engine only
for texts in which the database has a hit. That is exact, not a guess: without a path, the
engine searches only where its database hits (:meth:`SecretEngine.decided_by_database`,
checked before the index is written), and a changed rule changes the digest.

The digest reads every file of the package (about 600 KB, 2-3 ms) in each process that
redacts. Cheaper keys were weighed and refused, since a stale index hides a secret: a digest
made when the wheel is built is stale in an editable install and in a patched one, and a key
made of the files' sizes and times is only as exact as the file system's clock (edits within
one timestamp tick, copies that keep an old time). The index is written only when no file of
the package changed since it was imported (:func:`_unchanged_since_import`): otherwise a
rule edited during a long scan would name the database of the rules the scan had loaded.
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
    """Where the index of this package's rules lives (None: no Hyperscan)."""
    try:
        import hyperscan
    except ImportError:
        return None
    from pipesec import __version__
    from pipesec.scanners.secrets import hsdb

    h = hashlib.sha256(f"{__version__}\0{getattr(hyperscan, '__version__', '')}\0".encode())
    here = Path(__file__).parent
    for path in sorted(here.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(here).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return hsdb.cache_dir_default() / f"redact-{h.hexdigest()[:32]}.json"


#: a file system's timestamps may be this coarse (FAT: 2 s)
_TICK = 2.0


def _unchanged_since_import() -> bool:
    """No file of this package was modified (or replaced) after, or within a timestamp tick
    before, the package was imported: the engine's rules are what the digest read."""
    from pipesec.scanners.secrets import IMPORTED_AT

    here = Path(__file__).parent
    for path in here.rglob("*"):
        if "__pycache__" in path.parts:
            continue
        st = path.stat()
        if max(st.st_mtime, st.st_ctime) >= IMPORTED_AT - _TICK:
            log.debug("not writing the redaction index: %s changed during this run", path)
            return False
    return True


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
        index = _index()  # the digest first: the files it read are then checked unchanged
        if index is None or not engine.decided_by_database():  # (a planted one: replaced)
            return
        if not _unchanged_since_import():
            return
        import hyperscan

        from pipesec.core.cachemac import write_kept
        from pipesec.scanners.secrets import hsdb

        key = hsdb.database_key(engine.rules_all, hyperscan)
        write_kept(index, json.dumps({"database": key}).encode(), "redact-")
    except Exception:
        log.debug("cannot write the redaction index", exc_info=True)
