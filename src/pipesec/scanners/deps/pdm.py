"""pdm.lock: packages with groups, dependency specifiers and file hashes."""

from __future__ import annotations

from typing import Any

from pipesec.scanners.deps._python import req_name, table_lines
from pipesec.scanners.deps._util import LockfileError, as_dict, as_list, as_str, load_toml
from pipesec.scanners.deps.ecosystems import PYPI, normalize_name
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)
from pipesec.scanners.deps.poetry import file_hashes, roots_from_pyproject


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_toml(text)
    meta = as_dict(doc.get("metadata"))
    lock_version = as_str(meta.get("lock_version"))
    if lock_version and not lock_version.startswith("4."):
        raise LockfileError(
            f"unsupported pdm.lock lock_version {lock_version!r}; this pipesec reads 4.x", 1
        )
    packages = doc.get("package", [])
    if not isinstance(packages, list):
        raise LockfileError("[[package]] must be an array of tables", 1)
    lines = table_lines(text)
    result = ParseResult()
    by_name: dict[str, list[str]] = {}
    deps_of: list[tuple[str, list[Any]]] = []
    for i, raw in enumerate(packages):
        line = lines[i] if i < len(lines) else 0
        entry = as_dict(raw)
        name = as_str(entry.get("name"))
        version = as_str(entry.get("version"))
        if not name:
            result.problems.append(Problem("package without a name; skipped", line))
            continue
        norm = normalize_name(PYPI, name.split("[")[0])
        groups = [g for g in as_list(entry.get("groups")) if isinstance(g, str)]
        scope = "dev" if groups and "default" not in groups else None
        pkg = Package(
            PYPI, norm, version, line, hashes=file_hashes(entry.get("files")), scope=scope
        )
        if not version:
            pkg.pinned = False
            pkg.spec = as_str(entry.get("git")) or as_str(entry.get("path")) or "no version"
        if "[" in name and any(p.key == pkg.key for p in result.packages):
            deps_of.append((pkg.key, as_list(entry.get("dependencies"))))
            continue  # "name[extra]" entries repeat the package to add the extra's deps
        result.packages.append(pkg)
        by_name.setdefault(norm, []).append(pkg.key)
        deps_of.append((pkg.key, as_list(entry.get("dependencies"))))
    for key, deps in deps_of:
        for spec in deps:
            dname = req_name(spec) if isinstance(spec, str) else None
            for child in by_name.get(dname or "", []):
                if child != key:
                    result.add_edge(key, child)
    result.roots = roots_from_pyproject(sibling, result)
    return result


SOURCE = SimpleSource("pdm.lock", ("pdm.lock",), parse)
