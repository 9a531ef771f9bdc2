"""bun.lock (bun >= 1.1.39, lockfileVersion 0 and 1): the text lock file, JSON with comments
and trailing commas (JSONC).

``packages`` maps a node_modules key (``name`` or ``parent/name`` for a nested copy) to
``[ident, registry, info, integrity]``, where ``ident`` is ``name@version`` (or
``name@github:o/r#commit``, ``name@workspace:path``, ``name@file:path`` ...). ``workspaces``
gives every workspace's direct dependencies with their scope. The binary ``bun.lockb`` is a
separate, recognised-but-unread format (see :mod:`.recognised`).
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
from pipesec.scanners.deps.ecosystems import NPM
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)
from pipesec.scanners.deps.npm import integrity_hashes

# a string, a // comment or the start of a /* comment (its end is found with str.find, so
# an unterminated one costs one scan, not one per "/*"); then strings and trailing commas
_COMMENTS = re.compile(r'"(?:[^"\\\n]++|\\.)*+"|//[^\n]*+|/\*')
_TRAILING = re.compile(r'"(?:[^"\\\n]++|\\.)*+"|,(?=\s*+[\]}])')
_LOCAL = ("workspace:", "file:", "link:", "root:")


def strip_jsonc(text: str) -> str:
    """JSONC to JSON: comments and trailing commas become spaces (line numbers stay)."""
    out: list[str] = []
    pos = 0
    while (m := _COMMENTS.search(text, pos)) is not None:
        token = m.group(0)
        if token.startswith('"'):
            out.append(text[pos : m.end()])
            pos = m.end()
            continue
        stop = m.end() if token.startswith("//") else text.find("*/", m.end())
        stop = len(text) if stop < 0 else stop + (0 if token.startswith("//") else 2)
        out.append(text[pos : m.start()])
        out.append(_blank(text[m.start() : stop]))
        pos = stop
    out.append(text[pos:])
    return _TRAILING.sub(lambda t: t.group(0) if t.group(0).startswith('"') else " ", "".join(out))


def _blank(s: str) -> str:
    return re.sub(r"[^\n]", " ", s)


def split_ident(ident: str) -> tuple[str, str]:
    """``@scope/name@1.0.0`` -> (``@scope/name``, ``1.0.0``)."""
    at = ident.find("@", 1)
    if at < 0:
        return ident, ""
    return ident[:at], ident[at + 1 :]


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_json(strip_jsonc(text))
    if not isinstance(doc, dict) or not isinstance(doc.get("packages", {}), dict):
        raise LockfileError("not a bun.lock: expected an object with a packages object", 1)
    version = doc.get("lockfileVersion")
    if version not in (0, 1):
        raise LockfileError(f"unsupported bun.lock lockfileVersion {version!r}; expected 0 or 1", 1)
    idx = LineIndex(text)
    cursor = [max(text.find('"packages"'), 0)]
    result = ParseResult()
    by_path: dict[str, str] = {}  # node_modules key -> package key
    deps_of: list[tuple[str, str, list[str]]] = []
    seen: set[str] = set()
    for path, raw in as_dict(doc.get("packages")).items():
        entry = as_list(raw)
        line = idx.find_forward(jstr(path) + ": [", cursor) or idx.find_line(jstr(path) + ":")
        ident = as_str(entry[0]) if entry else ""
        name, ver = split_ident(ident)
        if not name or not ver:
            result.problems.append(Problem(f"{path}: no name@version in {ident!r}", line))
            continue
        if ver.startswith(_LOCAL):
            continue  # the workspace's own packages
        info = next((as_dict(e) for e in entry[1:] if isinstance(e, dict)), {})
        integrity = entry[-1] if len(entry) >= 3 and isinstance(entry[-1], str) else None
        key = f"{name}@{ver}"
        pkg = Package(NPM, name, ver, line, key=key, hashes=integrity_hashes(integrity))
        if not re.match(r"^\d", ver):  # github:o/r#commit, a tarball URL, git+...
            pkg.version = ""
            pkg.spec = ver
        by_path[path] = key
        if key not in seen:
            seen.add(key)
            result.packages.append(pkg)
        names = [
            n
            for fld in ("dependencies", "optionalDependencies", "peerDependencies")
            for n in as_dict(info.get(fld))
        ]
        deps_of.append((path, key, names))
    for path, key, names in deps_of:
        for n in names:
            child = _resolve(path, n, by_path)
            if child and child != key:
                result.add_edge(key, child)
    roots: dict[str, str] = {}
    for ws in as_dict(doc.get("workspaces")).values():
        for fld, scope in (
            ("dependencies", "prod"),
            ("optionalDependencies", "optional"),
            ("peerDependencies", "prod"),
            ("devDependencies", "dev"),
        ):
            for n in as_dict(as_dict(ws).get(fld)):
                child = by_path.get(n)
                if child:
                    roots.setdefault(child, scope)
    result.roots = roots
    return result


def _resolve(path: str, name: str, by_path: dict[str, str]) -> str | None:
    """The copy of ``name`` that ``path`` sees: nested first, then each parent's, then the
    top level (node_modules resolution over bun's ``parent/child`` keys)."""
    parts = path.split("/")
    # scoped names take two parts: rebuild the package boundaries
    chain: list[str] = []
    i = 0
    while i < len(parts):
        if parts[i].startswith("@") and i + 1 < len(parts):
            chain.append(f"{parts[i]}/{parts[i + 1]}")
            i += 2
        else:
            chain.append(parts[i])
            i += 1
    for depth in range(len(chain), -1, -1):
        cand = "/".join([*chain[:depth], name])
        if cand in by_path:
            return by_path[cand]
    return None


SOURCE = SimpleSource("bun.lock", ("bun.lock",), parse)
