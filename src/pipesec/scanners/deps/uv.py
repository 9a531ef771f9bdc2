"""uv.lock: packages with their sources, dependencies (with extras, groups) and hashes.

The workspace members (sources ``editable``/``virtual``, or the project itself) are roots,
not components; their dependencies are the direct ones.
"""

from __future__ import annotations

from typing import Any

from pipesec.scanners.deps._python import table_lines
from pipesec.scanners.deps._util import LockfileError, as_dict, as_list, as_str, load_toml
from pipesec.scanners.deps.ecosystems import PYPI, normalize_name
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)

SUPPORTED_VERSIONS = (1,)


def _hashes(entry: dict[str, Any]) -> tuple[str, ...]:
    out = set()
    sdist = as_dict(entry.get("sdist"))
    if as_str(sdist.get("hash")):
        out.add(as_str(sdist.get("hash")).lower())
    for w in as_list(entry.get("wheels")):
        h = as_str(as_dict(w).get("hash"))
        if h:
            out.add(h.lower())
    return tuple(sorted(out))


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_toml(text)
    version = doc.get("version")
    if version is not None and version not in SUPPORTED_VERSIONS:
        raise LockfileError(
            f"unsupported uv.lock version {version!r}; this pipesec reads version 1", 1
        )
    packages = doc.get("package", [])
    if not isinstance(packages, list):
        raise LockfileError("[[package]] must be an array of tables", 1)
    lines = table_lines(text)
    result = ParseResult()
    by_name: dict[str, list[Package]] = {}
    members: set[str] = set()
    raw_deps: list[tuple[str, str, list[Any]]] = []
    for i, raw in enumerate(packages):
        line = lines[i] if i < len(lines) else 0
        entry = as_dict(raw)
        name = normalize_name(PYPI, as_str(entry.get("name")))
        ver = as_str(entry.get("version"))
        source = as_dict(entry.get("source"))
        if not name:
            result.problems.append(Problem("package without a name; skipped", line))
            continue
        key = f"{name}@{ver}"
        if "editable" in source or "virtual" in source:
            members.add(key)
        else:
            pkg = Package(PYPI, name, ver, line, key=key, hashes=_hashes(entry))
            if not ver:
                pkg.pinned = False
                pkg.spec = next((f"{k}: {v}" for k, v in source.items()), "no version")
            result.packages.append(pkg)
            by_name.setdefault(name, []).append(pkg)
        raw_deps.append((key, "prod", as_list(entry.get("dependencies"))))
        for group in as_dict(entry.get("optional-dependencies")).values():
            raw_deps.append((key, "optional", as_list(group)))
        for field in ("dev-dependencies",):
            for group in as_dict(entry.get(field)).values():
                raw_deps.append((key, "dev", as_list(group)))
    roots: dict[str, str] = {}
    for parent, scope, deps in raw_deps:
        for d in deps:
            dep = as_dict(d)
            dname = normalize_name(PYPI, as_str(dep.get("name")))
            dver = as_str(dep.get("version"))
            for child in by_name.get(dname, []):
                if dver and child.version != dver:
                    continue
                if parent in members:
                    cur = roots.get(child.key)
                    if cur is None or _RANK[scope] < _RANK[cur]:
                        roots[child.key] = scope
                else:
                    result.add_edge(parent, child.key)
    result.roots = roots if members else None
    return result


_RANK = {"prod": 0, "optional": 1, "dev": 2}

SOURCE = SimpleSource("uv.lock", ("uv.lock",), parse)
