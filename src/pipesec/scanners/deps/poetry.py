"""poetry.lock (Poetry 1.x and 2.x): packages, their dependencies, groups, file hashes.

Direct dependencies come from the pyproject.toml next to the lock when there is one.
"""

from __future__ import annotations

from typing import Any

from pipesec.scanners.deps._python import declared, table_lines
from pipesec.scanners.deps._util import LockfileError, as_dict, as_list, as_str, load_toml
from pipesec.scanners.deps.ecosystems import PYPI, normalize_name
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)


def sibling_pyproject(sibling: SiblingReader) -> dict[str, Any] | None:
    text = sibling("pyproject.toml")
    if text is None:
        return None
    try:
        return load_toml(text)
    except LockfileError:
        return None


def roots_from_pyproject(
    sibling: SiblingReader, result: ParseResult, include_self: str = ""
) -> dict[str, str] | None:
    pyproject = sibling_pyproject(sibling)
    if pyproject is None:
        return None
    names = declared(pyproject)
    roots: dict[str, str] = {}
    for p in result.packages:
        if p.name in names:
            roots[p.key] = names[p.name]
    return roots


def file_hashes(files: Any) -> tuple[str, ...]:
    out = []
    for f in as_list(files):
        h = as_str(as_dict(f).get("hash"))
        if ":" in h:
            out.append(h.lower())
    return tuple(sorted(set(out)))


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_toml(text)
    packages = doc.get("package", [])
    if not isinstance(packages, list):
        raise LockfileError("[[package]] must be an array of tables", 1)
    lines = table_lines(text)
    metadata = as_dict(doc.get("metadata"))
    lock_version = as_str(metadata.get("lock-version"))
    if lock_version and lock_version.split(".")[0] not in ("1", "2"):
        raise LockfileError(
            f"unsupported poetry.lock lock-version {lock_version!r}; this pipesec reads 1.x-2.x",
            1,
        )
    old_files = as_dict(metadata.get("files"))
    result = ParseResult()
    by_name: dict[str, list[str]] = {}
    deps_of: list[tuple[str, dict[str, Any]]] = []
    for i, raw in enumerate(packages):
        line = lines[i] if i < len(lines) else 0
        entry = as_dict(raw)
        name = as_str(entry.get("name"))
        version = as_str(entry.get("version"))
        if not name or not version:
            result.problems.append(Problem("package without a name or version; skipped", line))
            continue
        norm = normalize_name(PYPI, name)
        source = as_dict(entry.get("source"))
        stype = as_str(source.get("type"))
        scope: str | None = None
        category = as_str(entry.get("category"))
        groups = [g for g in as_list(entry.get("groups")) if isinstance(g, str)]
        if category == "dev" or (groups and "main" not in groups):
            scope = "dev"
        if entry.get("optional") is True:
            scope = "optional"
        pkg = Package(
            PYPI,
            norm,
            version,
            line,
            hashes=file_hashes(entry.get("files")) or file_hashes(old_files.get(name)),
            scope=scope,
        )
        if stype in ("git", "url", "directory", "file"):
            pkg.spec = f"{stype}: {as_str(source.get('url'))}"
        result.packages.append(pkg)
        by_name.setdefault(norm, []).append(pkg.key)
        deps_of.append((pkg.key, as_dict(entry.get("dependencies"))))
    for key, deps in deps_of:
        for dep in deps:
            for child in by_name.get(normalize_name(PYPI, dep), []):
                result.add_edge(key, child)
    result.roots = roots_from_pyproject(sibling, result)
    return result


SOURCE = SimpleSource("poetry.lock", ("poetry.lock",), parse)
