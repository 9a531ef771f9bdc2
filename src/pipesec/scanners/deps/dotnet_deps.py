"""``*.deps.json`` (.NET): what a built application loads. ``libraries`` lists every
library with its type (``package`` from NuGet, ``project`` the application's own) and
SHA-512; ``targets`` holds each library's dependencies per runtime. Only ``package``
libraries are components. Used for trees and, by the image cataloguer, for installed apps.
"""

from __future__ import annotations

import base64
import binascii

from pipesec.scanners.deps._util import (
    LineIndex,
    LockfileError,
    as_dict,
    as_str,
    jstr,
    load_json,
)
from pipesec.scanners.deps.ecosystems import NUGET
from pipesec.scanners.deps.interface import Package, ParseResult, SiblingReader


def _split(key: str) -> tuple[str, str]:
    name, _, version = key.rpartition("/")
    return name, version


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_json(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("libraries"), dict):
        raise LockfileError("not a .deps.json: expected an object with a libraries object", 1)
    idx = LineIndex(text)
    cursor = [max(text.find('"libraries"'), 0)]
    result = ParseResult()
    projects: set[str] = set()
    key_of: dict[str, str] = {}
    for lib, raw in doc["libraries"].items():
        entry = as_dict(raw)
        name, version = _split(lib)
        line = idx.find_forward(jstr(lib) + ":", cursor)
        kind = as_str(entry.get("type"))
        if not name or not version:
            continue
        if kind != "package":
            projects.add(name.lower())  # the application, its projects, reference assemblies
            continue
        pkg = Package(NUGET, name, version, line)
        sha = as_str(entry.get("sha512")).removeprefix("sha512-")
        try:
            if sha:
                pkg.hashes = (f"sha512:{base64.b64decode(sha, validate=True).hex()}",)
        except (binascii.Error, ValueError):
            pass
        key_of[name.lower()] = pkg.key
        result.packages.append(pkg)
    roots: dict[str, str] = {}
    for target in as_dict(doc.get("targets")).values():
        for lib, raw in as_dict(target).items():
            name, _ = _split(lib)
            parent = key_of.get(name.lower())
            for dep in as_dict(as_dict(raw).get("dependencies")):
                child = key_of.get(dep.lower())
                if child is None or child == parent:
                    continue
                if parent is None and name.lower() in projects:
                    roots.setdefault(child, "prod")
                elif parent is not None:
                    result.add_edge(parent, child)
    result.roots = roots if projects else None
    return result


class DepsJsonSource:
    name = "*.deps.json"

    def matches(self, filename: str) -> bool:
        return filename.endswith(".deps.json") and len(filename) > len(".deps.json")

    def parse(self, text: str, sibling: SiblingReader) -> ParseResult:
        return parse(text, sibling)


SOURCE = DepsJsonSource()
