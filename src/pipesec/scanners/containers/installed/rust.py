"""Rust binaries built with cargo-auditable: the ``.dep-v0`` section (``__dep_v0`` on
Mach-O) holds the dependency tree as zlib-compressed JSON:
``{"packages": [{"name", "version", "source", "kind", "dependencies": [i...], "root"}]}``.
Only ``crates.io`` packages are OSV's; build-time-only ones (``kind: build``) are not in the
binary and are left out.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from pipesec.scanners.containers.installed import binfmt

MAX_JSON = 8 * 1024 * 1024


def read_auditable(data: bytes) -> list[tuple[str, str]] | None:
    """(name, version) of the crates.io packages; None when the binary has no such section.
    Raises ValueError when the section is there but unreadable."""
    blob = binfmt.find(data, ".dep-v0", "__dep_v0")
    if blob is None:
        return None
    d = zlib.decompressobj()
    try:
        raw = d.decompress(blob, MAX_JSON)
    except zlib.error as exc:
        raise ValueError(f"cargo-auditable data: {exc}") from None
    if d.unconsumed_tail:
        raise ValueError(f"cargo-auditable data inflates past {MAX_JSON} bytes; not read")
    try:
        doc: Any = json.loads(raw)
    except (ValueError, RecursionError):
        raise ValueError("cargo-auditable data is not JSON") from None
    pkgs = doc.get("packages") if isinstance(doc, dict) else None
    if not isinstance(pkgs, list):
        raise ValueError("cargo-auditable data without a packages list")
    out: list[tuple[str, str]] = []
    for p in pkgs:
        if not isinstance(p, dict):
            continue
        name, version = p.get("name"), p.get("version")
        if not isinstance(name, str) or not isinstance(version, str):
            continue
        if p.get("source") != "crates.io" or p.get("kind") == "build":
            continue
        out.append((name, version))
    return out
