"""The Hyperscan database of a rule set: compiled once, cached in the user cache directory.

Every rule's regex (or its ``prefilter`` pattern) is compiled in prefilter mode, which
accepts Python-only constructs (lookarounds, named groups) by approximating them with a
superset, so every true match still ends where Hyperscan reports one. A rule Hyperscan
rejects is left to the regex path (the engine searches it over the whole text).

The cache is not trusted as found: it is read and written through
:mod:`pipesec.core.cachemac` (an HMAC-SHA256 digest beside each database, its key from
``$PIPESEC_CACHE_KEY`` or the user data directory, never the cache; a mismatch rebuilds the
database with a warning; atomic writes). Single-text (``text-``) and multiline (``lines-``)
databases are two kinds, each keeping its :data:`~pipesec.core.cachemac.KEEP` most recently
used files.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipesec.core import cachemac
from pipesec.scanners.secrets.rules.base import SecretRule

log = logging.getLogger(__name__)

_FORMAT = b"pipesec-hsdb-1"
#: the first character of the names of older versions' databases (``<key>.hsdb``): counted
#: with either kind, so they are removed as they age
_OLDER_NAMES = tuple("0123456789abcdef")


def cache_dir_default() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("pipesec")) / "secrets"


def load(
    rules: Sequence[SecretRule],
    *,
    cache_dir: Path | None = None,
    required: bool = False,
    multiline: bool = False,
) -> tuple[Any, frozenset[int]] | None:
    """(database, indices of the rules it holds), or None when Hyperscan is unavailable.

    ``multiline``: ``^`` and ``$`` match at every line boundary (the database that scans
    many texts joined by newlines at once, see ``SecretEngine.may_find``).
    """
    try:
        import hyperscan
    except ImportError:
        if required:
            raise
        log.debug("hyperscan not installed; using the regex engine")
        return None
    patterns = _patterns(rules)
    #: rules bound to a path run only on matching files: searched directly there, they
    #: would otherwise report candidates in every file for nothing
    skip = frozenset(i for i, r in enumerate(rules) if r.path_regex)
    key = database_key(rules, hyperscan, multiline)
    directory = cache_dir if cache_dir is not None else cache_dir_default()
    cached = _read_cache(_path(directory, key, multiline), hyperscan)
    if cached is not None:
        return cached
    try:
        db, ids = _compile(patterns, hyperscan, skip, multiline)
    except Exception:
        if required:
            raise
        log.warning("Hyperscan could not compile the secret rules; using the regex engine")
        return None
    _write_cache(_path(directory, key, multiline), db, ids, hyperscan)
    return db, ids


def _patterns(rules: Sequence[SecretRule]) -> list[bytes]:
    return [r.scan_pattern.encode("utf-8", "surrogatepass") for r in rules]


def database_key(rules: Sequence[SecretRule], hyperscan: Any, multiline: bool = False) -> str:
    """The name of ``rules``' database in the cache (a digest of what it compiles)."""
    patterns = [b"-" if r.path_regex else p for r, p in zip(rules, _patterns(rules), strict=True)]
    return _key(patterns, hyperscan, multiline)


def read_cached(key: str, cache_dir: Path | None = None) -> Any:
    """The cached single-text database named ``key`` (its digest checked), or None."""
    import hyperscan

    directory = cache_dir if cache_dir is not None else cache_dir_default()
    cached = _read_cache(_path(directory, key), hyperscan)
    return cached[0] if cached is not None else None


def _path(directory: Path, key: str, multiline: bool = False) -> Path:
    return directory / f"{'lines' if multiline else 'text'}-{key}.hsdb"


def _key(patterns: list[bytes], hyperscan: Any, multiline: bool = False) -> str:
    h = hashlib.sha256(_FORMAT + (b"-multiline" if multiline else b""))
    h.update(str(getattr(hyperscan, "__version__", "")).encode())
    for p in patterns:
        h.update(p)
        h.update(b"\x00")
    return h.hexdigest()


def _compile(
    patterns: list[bytes],
    hyperscan: Any,
    skip: frozenset[int] = frozenset(),
    multiline: bool = False,
) -> tuple[Any, frozenset[int]]:
    ids = [i for i in range(len(patterns)) if i not in skip]
    flag = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_ALLOWEMPTY
    if multiline:
        flag |= hyperscan.HS_FLAG_MULTILINE
    while True:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        flags = [flag] * len(ids)
        try:
            db.compile(
                expressions=[patterns[i] for i in ids],
                ids=ids,
                elements=len(ids),
                flags=flags,
            )
            return db, frozenset(ids)
        except hyperscan.error as exc:  # the message names the failing expression
            m = re.search(r"(?:Expression|expression) (?:id )?(\d+)", str(exc))
            if m is None:
                raise
            bad = int(m.group(1))
            index = ids[bad] if bad < len(ids) else bad
            if index not in ids:
                raise
            log.debug("hyperscan rejected rule %d: %s", index, exc)
            ids.remove(index)


def _read_cache(path: Path, hyperscan: Any) -> tuple[Any, frozenset[int]] | None:
    raw = cachemac.read_signed(path, "Hyperscan database of the secret rules")
    if raw is None:
        return None
    try:
        header, _, rest = raw.partition(b"\n")
        ids = frozenset(int(x) for x in header.split(b",") if x)
        db = hyperscan.loadb(rest, hyperscan.HS_MODE_BLOCK)
        db.scratch = hyperscan.Scratch(db)
    except Exception:
        log.debug("ignoring unreadable hyperscan cache %s", path, exc_info=True)
        return None
    return db, ids


def _write_cache(path: Path, db: Any, ids: frozenset[int], hyperscan: Any) -> None:
    """Keep ``db`` and the most recently used databases of its kind (best effort: another
    process may be removing old ones too; one that finds its database gone compiles it
    again)."""
    try:
        payload = ",".join(str(i) for i in sorted(ids)).encode() + b"\n" + hyperscan.dumpb(db)
        cachemac.write_kept(path, payload, path.name.partition("-")[0] + "-", *_OLDER_NAMES)
    except Exception:
        log.debug("cannot write the hyperscan cache %s", path, exc_info=True)
