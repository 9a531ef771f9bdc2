"""packages.lock.json (NuGet): per target framework, Direct/Transitive packages with their
resolved versions, content hashes and dependencies."""

from __future__ import annotations

import base64
import binascii

from pipesec.scanners.deps._util import LineIndex, LockfileError, as_dict, as_str, jstr, load_json
from pipesec.scanners.deps.ecosystems import NUGET
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_json(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("dependencies"), dict):
        raise LockfileError("not a NuGet packages.lock.json: expected a dependencies object", 1)
    if doc.get("version") not in (1, 2):
        raise LockfileError(f"unsupported packages.lock.json version {doc.get('version')!r}", 1)
    idx = LineIndex(text)
    result = ParseResult()
    by_lower: dict[str, str] = {}
    seen: set[str] = set()
    deps_of: list[tuple[str, list[str]]] = []
    roots: dict[str, str] = {}
    for framework, pkgs in doc["dependencies"].items():
        _, pos = idx.find(jstr(framework) + ":")
        for name, raw in as_dict(pkgs).items():
            entry = as_dict(raw)
            line, pos = idx.find(jstr(name) + ":", pos)
            kind = as_str(entry.get("type"))
            if kind == "Project":
                continue
            version = as_str(entry.get("resolved"))
            if not version:
                result.problems.append(Problem(f"{name} has no resolved version", line))
                continue
            pkg = Package(NUGET, name, version, line)
            h = as_str(entry.get("contentHash"))
            try:
                if h:
                    pkg.hashes = (f"sha512:{base64.b64decode(h, validate=True).hex()}",)
            except (binascii.Error, ValueError):
                pass
            if kind == "Direct":
                roots[pkg.key] = "prod"
            deps_of.append((pkg.key, list(as_dict(entry.get("dependencies")))))
            if pkg.key in seen:
                continue
            seen.add(pkg.key)
            by_lower.setdefault(name.lower(), pkg.key)
            result.packages.append(pkg)
    for key, names in deps_of:
        for n in names:
            child = by_lower.get(n.lower())
            if child and child != key and child not in result.edges.get(key, []):
                result.add_edge(key, child)
    result.roots = roots
    return result


SOURCE = SimpleSource("packages.lock.json", ("packages.lock.json",), parse)
