"""Layers: a blob streamed through its decompressor (gzip, zstd or none) and read as a tar,
with budgets against bombs; whiteouts and opaque directories applied into a merged view.

A layer's tar is indexed in one pass (:func:`index_layer`); the uncompressed bytes are kept
in a spooled temporary file (memory, then disk) only so that the few files a cataloguer asks
for can be read again at their offset. Nothing is extracted: names never touch the host
filesystem, and symlinks resolve inside the image's own root.
"""

from __future__ import annotations

import posixpath
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from pipesec.scanners.containers.image import DigestReader, ImageError, Layer

#: budgets of one layer (a decompression bomb is refused, never expanded)
MAX_LAYER_BYTES = 8 << 30
MAX_RATIO = 200  # uncompressed / compressed, once past RATIO_FLOOR
RATIO_FLOOR = 256 << 20
MAX_ENTRIES = 500_000
#: uncompressed bytes kept in memory before the spool goes to a temporary file
SPOOL_MEMORY = 64 << 20

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"

REG, DIR, SYMLINK, HARDLINK, OTHER = "f", "d", "l", "h", "o"


@dataclass(frozen=True, slots=True)
class Entry:
    path: str  # absolute, normalised ("/etc/passwd")
    kind: str  # REG, DIR, SYMLINK, HARDLINK, OTHER
    size: int
    mode: int
    offset: int  # of the data in the uncompressed tar
    link: str = ""  # symlink target as written, or hardlink target (absolute)
    uid: int = 0


@dataclass
class LayerIndex:
    layer: Layer
    entries: dict[str, Entry]  # path -> entry of this layer
    whiteouts: list[str]  # paths deleted from the layers below
    opaque: list[str]  # directories whose lower contents are hidden
    problems: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "entries": [
                [e.path, e.kind, e.size, e.mode, e.offset, e.link, e.uid]
                for e in self.entries.values()
            ],
            "whiteouts": self.whiteouts,
            "opaque": self.opaque,
            "problems": self.problems,
        }

    @classmethod
    def from_json(cls, layer: Layer, doc: dict[str, Any]) -> LayerIndex:
        entries = {}
        for path, kind, size, mode, offset, link, uid in doc["entries"]:
            entries[path] = Entry(path, kind, size, mode, offset, link, uid)
        return cls(layer, entries, list(doc["whiteouts"]), list(doc["opaque"]), doc["problems"])


class BudgetReader:
    """A decompressed stream of a layer blob, refusing bombs."""

    def __init__(self, raw: Any, where: str) -> None:
        self._raw = raw
        self._where = where
        self.compressed = 0
        self.total = 0
        head = raw.read(4)
        self.compressed += len(head)
        self._pending = b""
        self._eof = False
        if head[:2] == b"\x1f\x8b":
            self._dec: Any = zlib.decompressobj(zlib.MAX_WBITS | 32)
            self._pending = self._feed(head)
        elif head == b"\x28\xb5\x2f\xfd":
            import zstandard

            self._dec = zstandard.ZstdDecompressor().decompressobj()
            self._pending = self._feed(head)
        else:
            self._dec = None
            self._pending = head
            self.total = len(head)

    def _feed(self, data: bytes) -> bytes:
        try:
            out: bytes = self._dec.decompress(data)
            while getattr(self._dec, "eof", False) and getattr(self._dec, "unused_data", b""):
                # concatenated gzip members (pigz, some builders)
                rest = self._dec.unused_data
                self._dec = zlib.decompressobj(zlib.MAX_WBITS | 32)
                out += self._dec.decompress(rest)
        except Exception as exc:  # zlib.error, zstandard.ZstdError
            raise ImageError(self._where, f"cannot decompress the layer: {exc}") from None
        self._count(len(out))
        return out

    def _count(self, n: int) -> None:
        self.total += n
        if self.total > MAX_LAYER_BYTES:
            raise ImageError(
                self._where, f"layer expands past {MAX_LAYER_BYTES >> 30} GB; refused (a bomb?)"
            )
        if self.total > RATIO_FLOOR and self.total > MAX_RATIO * max(self.compressed, 1):
            raise ImageError(
                self._where, f"layer expands more than {MAX_RATIO}:1; refused (a bomb?)"
            )

    def read(self, n: int = -1) -> bytes:
        want = n if n >= 0 else 1 << 62
        out = [self._pending] if self._pending else []
        have = len(self._pending)
        self._pending = b""
        while have < want and not self._eof:
            chunk = self._raw.read(1 << 20)
            self.compressed += len(chunk)
            if not chunk:
                self._eof = True
                if self._dec is not None and hasattr(self._dec, "flush"):
                    tail = self._dec.flush()
                    if tail:
                        self._count(len(tail))
                        out.append(tail)
                        have += len(tail)
                break
            data = self._feed(chunk) if self._dec is not None else chunk
            if self._dec is None:
                self._count(len(data))
            out.append(data)
            have += len(data)
        joined = b"".join(out)
        if n >= 0 and len(joined) > n:
            self._pending = joined[n:]
            joined = joined[:n]
        return joined


def _normal(name: str) -> str | None:
    """The absolute path a tar member names, or None when it climbs out of the root."""
    parts = []
    for part in name.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            return None
        parts.append(part)
    return "/" + "/".join(parts) if parts else "/"


def spool_layer(image: Any, layer: Layer) -> IO[bytes]:
    """The layer's uncompressed tar in a spooled temporary file (digest and budgets checked)."""
    where = f"layer {layer.index} ({layer.digest})"
    raw = DigestReader(image.open_blob(layer.digest), layer.digest, where)
    reader = BudgetReader(raw, where)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115
    try:
        while chunk := reader.read(1 << 20):
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    finally:
        raw.close()
    spool.seek(0)
    return spool


def index_layer(layer: Layer, spool: IO[bytes]) -> LayerIndex:
    """Every member of the layer's tar (names normalised, hostile ones refused by name)."""
    where = f"layer {layer.index}"
    entries: dict[str, Entry] = {}
    whiteouts: list[str] = []
    opaque: list[str] = []
    problems: list[str] = []
    try:
        tar = tarfile.open(fileobj=spool, mode="r:")  # noqa: SIM115 - the caller's spool
    except tarfile.TarError as exc:
        raise ImageError(where, f"not a tar archive: {exc}") from None
    count = 0
    try:
        for m in tar:
            count += 1
            if count > MAX_ENTRIES:
                raise ImageError(where, f"more than {MAX_ENTRIES} entries; refused")
            path = _normal(m.name)
            if path is None:
                problems.append(f"{where}: entry {m.name[:200]!r} climbs out of the root; skipped")
                continue
            base = posixpath.basename(path)
            parent = posixpath.dirname(path)
            if base == OPAQUE:
                opaque.append(parent)
                continue
            if base.startswith(WHITEOUT):
                whiteouts.append(posixpath.join(parent, base[len(WHITEOUT) :]))
                continue
            if m.isreg():
                e = Entry(path, REG, m.size, m.mode, m.offset_data, uid=m.uid)
            elif m.isdir():
                e = Entry(path, DIR, 0, m.mode, 0, uid=m.uid)
            elif m.issym():
                e = Entry(path, SYMLINK, 0, m.mode, 0, m.linkname[:4096], m.uid)
            elif m.islnk():
                target = _normal(m.linkname)
                if target is None:
                    problems.append(f"{where}: hard link {m.name[:200]!r} climbs out; skipped")
                    continue
                e = Entry(path, HARDLINK, 0, m.mode, 0, target, m.uid)
            else:
                e = Entry(path, OTHER, 0, m.mode, 0, uid=m.uid)
            entries[path] = e
    except (tarfile.TarError, EOFError, OSError) as exc:
        problems.append(f"{where}: damaged tar after {count} entries: {exc}")
    # hard links point at a member of the same layer: resolve them to its data
    for path, e in list(entries.items()):
        if e.kind == HARDLINK:
            linked = entries.get(e.link)
            if linked is not None and linked.kind == REG:
                entries[path] = Entry(path, REG, linked.size, e.mode, linked.offset, uid=e.uid)
    return LayerIndex(layer, entries, whiteouts, opaque, problems)


@dataclass(frozen=True, slots=True)
class Placed:
    """An entry of the merged view: which layer (0-based position) it comes from."""

    entry: Entry
    layer: int


def merge(indexes: list[LayerIndex]) -> dict[str, Placed]:
    """The final filesystem: each layer over the ones below, whiteouts and opaque dirs
    applied (OCI image spec, "Representing Changesets")."""
    merged: dict[str, Placed] = {}
    for pos, idx in enumerate(indexes):
        hide = set(idx.whiteouts)
        hide_below = {p.rstrip("/") for p in idx.opaque}
        # a non-directory replacing a lower directory hides what was below it
        for path, e in idx.entries.items():
            if e.kind != DIR and path in merged and merged[path].entry.kind == DIR:
                hide.add(path)
        if hide or hide_below:
            prefixes = tuple(p + "/" for p in hide | hide_below if p != "/")
            every = "/" in hide_below
            for path in list(merged):
                if (every or path in hide or path.startswith(prefixes)) and path not in hide_below:
                    del merged[path]
        for path, e in idx.entries.items():
            merged[path] = Placed(e, pos)
    return merged


def resolve(merged: dict[str, Placed], path: str, depth: int = 0) -> Placed | None:
    """The regular file ``path`` names, following symlinks inside the image's root only
    (an absolute target is the image's own ``/``; ``..`` stops at the root)."""
    parts = [p for p in path.split("/") if p not in ("", ".")]
    cur = "/"
    i = 0
    hops = 0
    while i < len(parts):
        part = parts[i]
        i += 1
        if part == "..":
            cur = posixpath.dirname(cur) if cur != "/" else "/"
            continue
        nxt = posixpath.join(cur, part)
        placed = merged.get(nxt)
        if placed is not None and placed.entry.kind == SYMLINK:
            hops += 1
            if hops > 40:
                return None
            target = placed.entry.link
            rest = [p for p in target.split("/") if p not in ("", ".")]
            parts = rest + parts[i:]
            i = 0
            if target.startswith("/"):
                cur = "/"
            continue
        cur = nxt
    placed = merged.get(cur)
    if placed is None or placed.entry.kind != REG:
        return None
    return placed


def exists(merged: dict[str, Placed], path: str) -> bool:
    """A file, link or directory at ``path`` (links not followed)."""
    return path in merged


def read_entry(spool: IO[bytes], entry: Entry, limit: int) -> bytes:
    spool.seek(entry.offset)
    return spool.read(min(entry.size, limit))


def iter_regular(idx: LayerIndex) -> Iterator[Entry]:
    for e in idx.entries.values():
        if e.kind == REG:
            yield e
