"""pylock.toml (PEP 751): ``[[packages]]`` with version, hashes of sdists and wheels, and
optional dependency references."""

from __future__ import annotations

import re
from typing import Any

from pipesec.scanners.deps._python import table_lines
from pipesec.scanners.deps._util import LockfileError, as_dict, as_list, as_str, load_toml
from pipesec.scanners.deps.ecosystems import PYPI, normalize_name
from pipesec.scanners.deps.interface import Package, ParseResult, Problem, SiblingReader

_NAME = re.compile(r"^pylock\.([^.]+\.)?toml$")


def _hashes(entry: dict[str, Any]) -> tuple[str, ...]:
    out: set[str] = set()
    blobs = [as_dict(entry.get("sdist")), as_dict(entry.get("archive"))]
    blobs += [as_dict(w) for w in as_list(entry.get("wheels"))]
    for blob in blobs:
        for alg, h in as_dict(blob.get("hashes")).items():
            if isinstance(h, str):
                out.add(f"{alg.lower()}:{h.lower()}")
    return tuple(sorted(out))


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_toml(text)
    lv = as_str(doc.get("lock-version"))
    if not lv:
        raise LockfileError("not a PEP 751 lock file: lock-version is missing", 1)
    if not lv.startswith("1."):
        raise LockfileError(f"unsupported lock-version {lv!r}; this pipesec reads 1.x", 1)
    packages = doc.get("packages", [])
    if not isinstance(packages, list):
        raise LockfileError("[[packages]] must be an array of tables", 1)
    lines = table_lines(text, "packages")
    result = ParseResult()
    by_name: dict[str, list[str]] = {}
    deps_of: list[tuple[str, list[Any]]] = []
    for i, raw in enumerate(packages):
        line = lines[i] if i < len(lines) else 0
        entry = as_dict(raw)
        name = normalize_name(PYPI, as_str(entry.get("name")))
        if not name:
            result.problems.append(Problem("package without a name; skipped", line))
            continue
        version = as_str(entry.get("version"))
        pkg = Package(PYPI, name, version, line, hashes=_hashes(entry))
        if not version:
            vcs = as_dict(entry.get("vcs"))
            directory = as_dict(entry.get("directory"))
            if directory:
                continue  # the project itself or a local package
            pkg.pinned = bool(as_str(vcs.get("commit-id")))
            pkg.spec = as_str(vcs.get("url")) or as_str(as_dict(entry.get("archive")).get("url"))
            if not pkg.pinned:
                pkg.key = f"spec:{name}"
        result.packages.append(pkg)
        by_name.setdefault(name, []).append(pkg.key)
        deps_of.append((pkg.key, as_list(entry.get("dependencies"))))
    for key, deps in deps_of:
        for d in deps:
            dname = normalize_name(PYPI, as_str(as_dict(d).get("name")))
            for child in by_name.get(dname, []):
                result.add_edge(key, child)
    from pipesec.scanners.deps.poetry import roots_from_pyproject

    result.roots = roots_from_pyproject(sibling, result)
    return result


class PylockSource:
    name = "pylock.toml"

    def matches(self, filename: str) -> bool:
        return bool(_NAME.match(filename))

    def parse(self, text: str, sibling: SiblingReader) -> ParseResult:
        return parse(text, sibling)


SOURCE = PylockSource()
