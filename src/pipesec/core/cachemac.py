"""The key that signs what pipesec keeps in the user cache directory.

A cache restored by CI from a shared store can be planted by a pull request, so nothing read
back from the cache is trusted as found: an HMAC-SHA256 digest is written beside it and
checked on load. The key comes from ``$PIPESEC_CACHE_KEY``, else a random key kept in the
user *data* directory, never in the cache.

Each version of pipesec names its files by what they were derived from, and several versions
may share one cache directory (a user's projects pinned to different releases, a developer's
checkouts): :func:`write_kept` keeps the :data:`KEEP` most recently used files of a kind
rather than only its own, so they do not rebuild each other's caches on every run. Most
name them by :func:`fingerprint`, one digest of the package's files per process.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import logging
import os
import time
from pathlib import Path
from typing import NamedTuple

log = logging.getLogger(__name__)

#: the key of the cache's digests (env var, else a random key in the user data directory)
KEY_ENV = "PIPESEC_CACHE_KEY"
#: files of one kind kept in a cache directory, the most recently used (read or written)
KEEP = 4
#: a cached file larger than this is not read (planted, or a cache grown past any use)
MAX_BYTES = 64 << 20
#: the pipesec package, whose files the caches are derived from
_PACKAGE = Path(__file__).parent.parent
#: a file system's timestamps may be this coarse (FAT: 2 s)
TICK = 2.0
#: a digest whose file is missing this long (seconds) is an orphan (a write interrupted)
ORPHAN_AGE = 60.0


class Fingerprint(NamedTuple):
    #: of the name, size, modification and change time of every file of the package
    digest: str
    #: the latest modification or change time of any of them (seconds since the epoch)
    newest: float


@functools.lru_cache(maxsize=1)
def fingerprint() -> Fingerprint:
    """The package's files (not its bytecode) as the caches name what they derive from
    them: once per process, the package does not change under a running scan (OSError when
    a file vanishes while it is looked at). The change time is in it, which no tool sets:
    a file copied over another keeping its size and modification time still changes it;
    edits within one tick of the clock are what :attr:`Fingerprint.newest` tells. A package
    whose files cannot be listed (imported from a zip archive) is never :func:`settled`."""
    from pipesec import __version__

    h = hashlib.sha256(f"{__version__}\0{_PACKAGE}".encode())
    newest = 0.0
    found = False
    skip = len(str(_PACKAGE))
    for folder, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            st = os.stat(path)
            newest = max(newest, st.st_mtime, st.st_ctime)
            found = True
            h.update(f"\0{path[skip:]}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}".encode())
    return Fingerprint(h.hexdigest()[:32], newest if found else float("inf"))


def settled() -> bool:
    """No file of the package changed after, or within a tick before, this process read the
    first of them: what the process derived from them (rules, a database, a catalogue) is
    what :func:`fingerprint` names, so it may be cached under that name. Otherwise (a rule
    edited during a long scan of an editable install) nothing is written."""
    import pipesec

    return fingerprint().newest < pipesec.IMPORTED_AT - TICK


def mac_key() -> bytes:
    """The key of the digests written beside cached databases. It is kept out of the cache
    directory (a CI cache restored from a shared store can be planted by a pull request);
    when it cannot be kept, a key of this process alone means every cache is rebuilt."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode()
    import platformdirs

    path = Path(platformdirs.user_data_dir("pipesec")) / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    key = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
    except FileExistsError:
        with contextlib.suppress(OSError):
            return path.read_bytes() or key
    except OSError:
        log.debug("cannot keep the cache key in %s", path, exc_info=True)
    return key


def digest(key: str, payload: bytes) -> bytes:
    return hmac.new(mac_key(), key.encode() + b"\n" + payload, hashlib.sha256).hexdigest().encode()


def read_signed(path: Path, what: str) -> bytes | None:
    """``path``'s bytes when the digest beside it (``<name>.mac``) matches them, else None
    (missing, unreadable or planted; a mismatch is logged as ``what``)."""
    try:
        raw = _read_regular(path, MAX_BYTES + 1)
        mac = _read_regular(path.with_name(path.name + ".mac"), 256).strip()
    except OSError:
        return None
    if len(raw) > MAX_BYTES or not hmac.compare_digest(mac, digest(path.name, raw)):
        log.warning("the cached %s %s failed its digest check; built again", what, path)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept by write_kept
    return raw


def _read_regular(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of ``path``, a regular file (a planted pipe or device is an
    OSError rather than a read that never ends)."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return fh.read(limit)


def write_signed(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` and its digest beside it, each atomically (OSError
    when the directory cannot be written)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    for target, data in (
        (path.with_name(path.name + ".mac"), digest(path.name, payload)),
        (path, payload),
    ):
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def write_kept(path: Path, payload: bytes, *prefixes: str, keep: int = KEEP) -> None:
    """:func:`write_signed`, then remove all but the ``keep`` most recently used files of
    its kind beside it (``path``'s suffix, names starting with one of ``prefixes``) and
    their digests, and digests of that kind whose file is gone (older than
    :data:`ORPHAN_AGE`: a writer writes the digest first). Only names of that kind in that
    directory are removed (a planted link is removed, never followed); a file another
    process still wanted is built again."""
    write_signed(path, payload)
    found: list[tuple[int, str]] = []
    digests: dict[str, int] = {}
    try:
        with os.scandir(path.parent) as entries:
            for entry in entries:
                name = entry.name
                if name == path.name or not name.startswith(prefixes):
                    continue
                with contextlib.suppress(OSError):
                    if name.endswith(path.suffix):
                        found.append((entry.stat(follow_symlinks=False).st_mtime_ns, name))
                    elif name.endswith(path.suffix + ".mac"):
                        digests[name] = entry.stat(follow_symlinks=False).st_mtime_ns
    except OSError:
        return
    found.sort(reverse=True)
    stale = [name for _, name in found[max(keep - 1, 0) :]]
    paired = {name + ".mac" for _, name in found} | {path.name + ".mac"}
    before = time.time_ns() - int(ORPHAN_AGE * 1e9)
    orphans = [name for name, mtime in digests.items() if name not in paired and mtime < before]
    for name in [*stale, *(name + ".mac" for name in stale), *orphans]:
        with contextlib.suppress(OSError):
            os.unlink(path.parent / name)
