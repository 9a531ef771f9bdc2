"""conan.lock: Conan 2's lock file (``"version": "0.5"``: ``requires``, ``build_requires``,
``python_requires`` lists of references) and Conan 1's (``"version": "0.4"``, a
``graph_lock`` of numbered nodes with their ``requires``).

A reference is ``name/version[@user/channel][#recipe-revision[%timestamp]]``. Packages with
a user/channel come from another packager's recipe but build the same library: they are
matched as ConanCenter's (zlib 1.2.11 is zlib 1.2.11 whoever packaged it).
"""

from __future__ import annotations

import re

from pipesec.scanners.deps._util import (
    LineIndex,
    LockfileError,
    as_dict,
    as_list,
    as_str,
    jstr,
    load_json,
)
from pipesec.scanners.deps.ecosystems import CONAN
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)

_REF = re.compile(
    r"^(?P<name>[A-Za-z0-9_][A-Za-z0-9_+.\-]*)/(?P<version>[^@#/\s]+)"
    r"(?:@(?P<user>[^/#\s]+)/(?P<channel>[^#\s]+))?(?:#(?P<rev>[0-9a-f]+)(?:%[\d.]+)?)?$"
)


def parse_ref(ref: str) -> tuple[str, str, str] | None:
    """(name, version, user/channel or "") of a Conan reference, None when malformed."""
    m = _REF.match(ref.strip())
    if not m:
        return None
    user = m.group("user")
    uc = f"{user}/{m.group('channel')}" if user and user != "_" else ""
    return m.group("name"), m.group("version"), uc


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_json(text)
    if not isinstance(doc, dict):
        raise LockfileError("not a conan.lock: expected a JSON object", 1)
    version = as_str(doc.get("version"))
    if version == "0.4" or "graph_lock" in doc:
        return _v04(doc, text)
    if version != "0.5":
        raise LockfileError(f"unsupported conan.lock version {version!r}; expected 0.4 or 0.5", 1)
    idx = LineIndex(text)
    result = ParseResult()  # the 0.5 format is flat: no graph, no direct/transitive
    seen: set[str] = set()
    for fld, scope in (
        ("requires", "prod"),
        ("build_requires", "dev"),
        ("python_requires", "dev"),
    ):
        cursor = [max(text.find(jstr(fld)), 0)]
        for raw in as_list(doc.get(fld)):
            ref = as_str(raw)
            line = idx.find_forward(jstr(ref), cursor) if ref else 0
            pkg = _package(ref, line, result)
            if pkg is None or pkg.key in seen:
                continue
            seen.add(pkg.key)
            pkg.scope = scope
            result.packages.append(pkg)
    return result


def _package(ref: str, line: int, result: ParseResult) -> Package | None:
    parsed = parse_ref(ref)
    if parsed is None:
        result.problems.append(Problem(f"not a Conan reference: {ref[:120]!r}", line))
        return None
    name, ver, user_channel = parsed
    pkg = Package(CONAN, name, ver, line)
    if user_channel:  # another packager's recipe of the same library: same code, same flaws
        pkg.key = f"{name}@{ver}@{user_channel}"
    return pkg


def _v04(doc: dict[str, object], text: str) -> ParseResult:
    nodes = as_dict(as_dict(doc.get("graph_lock")).get("nodes"))
    if not nodes:
        raise LockfileError("conan.lock 0.4 without graph_lock.nodes", 1)
    idx = LineIndex(text)
    result = ParseResult()
    key_of: dict[str, str] = {}
    requires: dict[str, list[str]] = {}
    build: set[str] = set()
    for node_id, raw in nodes.items():
        node = as_dict(raw)
        ref = as_str(node.get("ref"))
        requires[node_id] = [as_str(r) for r in as_list(node.get("requires"))]
        for r in as_list(node.get("build_requires")):
            requires[node_id].append(as_str(r))
            build.add(as_str(r))
        if not ref or (node_id == "0" and "path" in node):
            continue  # the consumer (conanfile) itself
        pkg = _package(ref, idx.find_line(jstr(ref)), result)
        if pkg is None:
            continue
        key_of[node_id] = pkg.key
        if pkg.key not in {p.key for p in result.packages}:
            result.packages.append(pkg)
    roots: dict[str, str] = {}
    for node_id, children in requires.items():
        for c in children:
            child = key_of.get(c)
            if child is None:
                continue
            parent = key_of.get(node_id)
            if parent is None:
                roots.setdefault(child, "dev" if c in build else "prod")
            elif parent != child:
                result.add_edge(parent, child)
    result.roots = roots or None
    return result


SOURCE = SimpleSource("conan.lock", ("conan.lock",), parse)
