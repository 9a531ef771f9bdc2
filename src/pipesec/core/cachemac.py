"""The key that signs what pipesec keeps in the user cache directory.

A cache restored by CI from a shared store can be planted by a pull request, so nothing read
back from the cache is trusted as found: an HMAC-SHA256 digest is written beside it and
checked on load. The key comes from ``$PIPESEC_CACHE_KEY``, else a random key kept in the
user *data* directory, never in the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

#: the key of the cache's digests (env var, else a random key in the user data directory)
KEY_ENV = "PIPESEC_CACHE_KEY"


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
        raw = path.read_bytes()
        mac = path.with_name(path.name + ".mac").read_bytes().strip()
    except OSError:
        return None
    if not hmac.compare_digest(mac, digest(path.name, raw)):
        log.warning("the cached %s %s do not match their digest; built again", what, path)
        return None
    return raw


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
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
