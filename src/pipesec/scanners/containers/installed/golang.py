"""Go build information embedded in Go binaries (``go version -m``): the Go version (the
``stdlib`` pseudo-module), the main module and every dependency module with its version and
replacement.

The blob starts with ``\\xff Go buildinf:`` (16-byte aligned, in the ``.go.buildinfo`` ELF
section, ``__go_buildinfo`` on Mach-O, ``.data`` on PE), then a pointer size and a flags
byte. Go >= 1.18 sets flag 2 and stores two varint-length strings right after the 32-byte
header (the version, then the module info wrapped in 16-byte sentinels); older Go stores
two pointers to Go string headers, read through the binary's section table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pipesec.scanners.containers.installed import binfmt

MAGIC = b"\xff Go buildinf:"
_GO_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?")
MAX_STRING = 4 * 1024 * 1024
MAX_SCAN_HITS = 64


@dataclass(slots=True)
class BuildInfo:
    go_version: str
    path: str = ""
    main: tuple[str, str] | None = None
    #: (module path, version); replacements applied
    deps: list[tuple[str, str]] = field(default_factory=list)


def _uvarint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    for i in range(10):
        if pos + i >= len(data):
            raise ValueError("truncated varint")
        b = data[pos + i]
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos + i + 1
        shift += 7
    raise ValueError("varint too long")


def _inline_string(data: bytes, pos: int) -> tuple[str, int]:
    n, pos = _uvarint(data, pos)
    if n > MAX_STRING or pos + n > len(data):
        raise ValueError("string out of range")
    return data[pos : pos + n].decode("utf-8", "replace"), pos + n


def _pointer_string(data: bytes, secs: list[binfmt.Section], addr: int, ptr: int, big: bool) -> str:
    order: Literal["big", "little"] = "big" if big else "little"

    def read_ptr(a: int) -> int:
        off = binfmt.va_to_offset(secs, a)
        if off is None or off + ptr > len(data):
            raise ValueError("pointer out of range")
        return int.from_bytes(data[off : off + ptr], order)

    start, length = read_ptr(addr), read_ptr(addr + ptr)
    off = binfmt.va_to_offset(secs, start)
    if off is None or length > MAX_STRING or off + length > len(data):
        raise ValueError("string out of range")
    return data[off : off + length].decode("utf-8", "replace")


def _candidates(data: bytes) -> list[int]:
    """Offsets of the magic: inside the build-info section when there is one, else a scan
    (16-byte aligned hits first; a binary may also hold the magic as a string constant)."""
    for s in binfmt.sections(data):
        if s.name in (".go.buildinfo", "__go_buildinfo") and s.offset + 32 <= len(data):
            hit = data.find(MAGIC, s.offset, s.offset + s.size)
            if hit >= 0:
                return [hit]
    hits: list[int] = []
    pos = data.find(MAGIC)
    while pos >= 0 and len(hits) < MAX_SCAN_HITS:
        hits.append(pos)
        pos = data.find(MAGIC, pos + 1)
    return sorted(hits, key=lambda h: h % 16 != 0)


def read_buildinfo(data: bytes) -> BuildInfo | None:
    """The build info of a Go binary; None when there is none. Raises ValueError when the
    blob is there but unreadable."""
    hits = _candidates(data)
    if not hits:
        return None
    error: ValueError | None = None
    for off in hits:
        try:
            return _parse_at(data, off)
        except ValueError as exc:
            error = exc
    raise error or ValueError("unreadable Go build info")


def _parse_at(data: bytes, off: int) -> BuildInfo:
    if off + 32 > len(data):
        raise ValueError("truncated Go build info header")
    ptr, flags = data[off + 14], data[off + 15]
    if flags & 2:
        version, pos = _inline_string(data, off + 32)
        modinfo, _ = _inline_string(data, pos)
    else:
        if ptr not in (4, 8):
            raise ValueError(f"bad pointer size {ptr} in Go build info")
        secs = binfmt.sections(data)
        big = bool(flags & 1)
        order: Literal["big", "little"] = "big" if big else "little"
        vaddr = int.from_bytes(data[off + 16 : off + 16 + ptr], order)
        maddr = int.from_bytes(data[off + 16 + ptr : off + 16 + 2 * ptr], order)
        version = _pointer_string(data, secs, vaddr, ptr, big)
        modinfo = _pointer_string(data, secs, maddr, ptr, big) if maddr else ""
    if not version.startswith("go") and not version.startswith("devel"):
        raise ValueError(f"not a Go version: {version[:40]!r}")
    if len(modinfo) >= 33 and modinfo[-17] == "\n":
        modinfo = modinfo[16:-16]  # the sentinels around the module info
    return parse_modinfo(version, modinfo)


def parse_modinfo(version: str, modinfo: str) -> BuildInfo:
    info = BuildInfo(version)
    for line in modinfo.split("\n"):
        parts = line.split("\t")
        if parts[0] == "path" and len(parts) >= 2:
            info.path = parts[1]
        elif parts[0] == "mod" and len(parts) >= 3:
            info.main = (parts[1], parts[2])
        elif parts[0] == "dep" and len(parts) >= 3:
            info.deps.append((parts[1], parts[2]))
        elif parts[0] == "=>" and len(parts) >= 3 and info.deps:
            if _published(parts[1], parts[2]):  # => another module at a version
                info.deps[-1] = (parts[1], parts[2])
            else:  # => a local directory (no version, or "(devel)"): not a published module
                info.deps.pop()
    info.deps = [(m, v) for m, v in info.deps if _published(m, v)]
    return info


def _published(module: str, version: str) -> bool:
    return bool(version) and version != "(devel)" and not module.startswith((".", "/"))


def stdlib_version(go_version: str) -> str:
    """The ``stdlib`` version as OSV spells it: ``go1.21.5`` -> ``1.21.5``, ``go1.22`` ->
    ``1.22.0``, ``go1.21rc2`` -> ``1.21.0-rc.2``, a toolchain's own suffixes
    (``X:boringcrypto``) dropped, an ``-RCnn`` build a pre-release; "" for devel builds."""
    v = go_version.split()[0].removeprefix("go") if go_version else ""
    m = _GO_VERSION.match(v)
    if not m:
        return ""
    base = f"{m.group(1)}.{m.group(2)}.{m.group(3) or 0}"
    if m.group(4):
        return f"{base}-{m.group(4)}.{m.group(5)}"
    rc = re.search(r"(?i)-rc(\d+)", v[m.end() :])
    return f"{base}-rc.{int(rc.group(1))}" if rc else base
