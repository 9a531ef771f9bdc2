"""Cargo.lock (versions 1 to 4): packages, sources, checksums and the dependency graph.

Packages without a ``source`` are the workspace's own crates: roots, not components.
"""

from __future__ import annotations

from pipesec.scanners.deps._python import table_lines
from pipesec.scanners.deps._util import LockfileError, as_dict, as_list, as_str, load_toml
from pipesec.scanners.deps.ecosystems import CARGO
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_toml(text)
    version = doc.get("version", 1)
    if version not in (1, 2, 3, 4):
        raise LockfileError(f"unsupported Cargo.lock version {version!r}; expected 1 to 4", 1)
    packages = doc.get("package", [])
    if not isinstance(packages, list):
        raise LockfileError("[[package]] must be an array of tables", 1)
    lines = table_lines(text)
    result = ParseResult()
    by_name: dict[str, list[str]] = {}
    members: set[str] = set()
    deps_of: list[tuple[str, list[str]]] = []
    old_checksums = as_dict(doc.get("metadata"))
    for i, raw in enumerate(packages):
        line = lines[i] if i < len(lines) else 0
        entry = as_dict(raw)
        name = as_str(entry.get("name"))
        ver = as_str(entry.get("version"))
        if not name or not ver:
            result.problems.append(Problem("package without a name or version; skipped", line))
            continue
        key = f"{name}@{ver}"
        by_name.setdefault(name, []).append(key)
        deps_of.append((key, [d for d in as_list(entry.get("dependencies")) if isinstance(d, str)]))
        source = as_str(entry.get("source"))
        if not source:
            members.add(key)
            continue
        checksum = as_str(entry.get("checksum")) or as_str(
            old_checksums.get(f"checksum {name} {ver} ({source})")
        )
        pkg = Package(CARGO, name, ver, line, key=key)
        if len(checksum) == 64:
            pkg.hashes = (f"sha256:{checksum.lower()}",)
        if not source.startswith(("registry+", "sparse+")):
            pkg.spec = source
        result.packages.append(pkg)
    roots: dict[str, str] = {}
    for key, deps in deps_of:
        for d in deps:
            parts = d.split()
            cands = by_name.get(parts[0], [])
            if len(parts) >= 2:
                cands = [c for c in cands if c == f"{parts[0]}@{parts[1]}"]
            for child in cands[:1]:
                if child in members:
                    continue
                if key in members:
                    roots[child] = "prod"
                else:
                    result.add_edge(key, child)
    result.roots = roots if members else None
    return result


SOURCE = SimpleSource("Cargo.lock", ("Cargo.lock",), parse)
