"""Per-layer results kept by layer digest in the pipesec cache directory.

A layer's digest names its bytes, so what was found in it (its file index, the secrets in
it) holds for every image that shares it. An entry is used only after the blob has been
hashed again (a tampered blob cannot borrow a clean layer's results), and only with its
HMAC (the key of every cache, :func:`pipesec.core.cachemac.mac_key`: ``$PIPESEC_CACHE_KEY``
or a random key in the user data directory): a planted file is ignored and rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import tempfile
import zlib
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = "pipesec-layer-cache-1"
CACHE_ENV = "PIPESEC_IMAGE_CACHE"


def cache_dir() -> Path | None:
    """``$PIPESEC_IMAGE_CACHE`` (empty: no cache), else the user cache directory."""
    env = os.environ.get(CACHE_ENV)
    if env is not None:
        return Path(env) if env else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("pipesec")) / "layers"


def _mac(payload: bytes) -> str:
    from pipesec.core.cachemac import mac_key

    return hmac.new(mac_key(), payload, hashlib.sha256).hexdigest()


class LayerCache:
    def __init__(self, directory: Path | None, salt: str) -> None:
        self.directory = directory
        self.salt = salt  # pipesec version, rule set, fingerprint key: results depend on them
        self.hits = 0

    def _file(self, digest: str) -> Path | None:
        if self.directory is None:
            return None
        name = hashlib.sha256(f"{FORMAT}\n{self.salt}\n{digest}".encode()).hexdigest()
        return self.directory / f"{name}.json.z"

    def load(self, digest: str) -> dict[str, Any] | None:
        path = self._file(digest)
        if path is None:
            return None
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        mac, _, body = raw.partition(b"\n")
        if not hmac.compare_digest(mac.decode("ascii", "replace"), _mac(body)):
            log.warning("layer cache %s fails its HMAC check; ignored and rebuilt", path.name)
            return None
        try:
            doc = json.loads(zlib.decompress(body))
        except (ValueError, zlib.error):
            return None
        if not isinstance(doc, dict) or doc.get("digest") != digest:
            return None
        self.hits += 1
        return doc

    def store(self, digest: str, doc: dict[str, Any]) -> None:
        path = self._file(digest)
        if path is None:
            return
        body = zlib.compress(json.dumps({**doc, "digest": digest}).encode(), 1)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(_mac(body).encode() + b"\n" + body)
            os.replace(tmp, path)
        except OSError:
            log.debug("cannot write the layer cache %s", path, exc_info=True)
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)
