"""package-lock.json (lockfileVersion 1, 2, 3) and npm-shrinkwrap.json.

v2/v3 are read from ``packages`` (install paths); dependencies resolve the way Node does,
from the nearest ``node_modules`` upwards. v1 is read from the nested ``dependencies``
tree with its ``requires``. Workspaces (links) are roots, not components.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from pipesec.scanners.deps._util import (
    LineIndex,
    LockfileError,
    as_dict,
    as_list,
    as_str,
    jstr,
    load_json,
    sibling_json,
)
from pipesec.scanners.deps.ecosystems import NPM
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)

SUPPORTED = (1, 2, 3)
_ALGS = {"sha512": "sha512", "sha384": "sha384", "sha256": "sha256", "sha1": "sha1"}


def integrity_hashes(value: Any) -> tuple[str, ...]:
    """SRI strings (``sha512-<base64>``) as ``alg:hex``."""
    out = []
    for part in as_str(value).split():
        alg, _, b64 = part.partition("-")
        if alg not in _ALGS or not b64:
            continue
        try:
            out.append(f"{alg}:{base64.b64decode(b64, validate=True).hex()}")
        except (binascii.Error, ValueError):
            continue
    return tuple(out)


def _scope(entry: dict[str, Any]) -> str | None:
    if entry.get("dev") is True or entry.get("devOptional") is True:
        return "dev"
    if entry.get("optional") is True:
        return "optional"
    return "prod"


def _name_from_path(path: str) -> str:
    return path.rsplit("node_modules/", 1)[-1]


def manifest_roots(manifest: dict[str, Any]) -> dict[str, str]:
    roots: dict[str, str] = {}
    for fld, scope in (
        ("dependencies", "prod"),
        ("optionalDependencies", "optional"),
        ("peerDependencies", "prod"),
        ("devDependencies", "dev"),
    ):
        for name in as_dict(manifest.get(fld)):
            roots.setdefault(name, scope)
    return roots


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_json(text)
    if not isinstance(doc, dict):
        raise LockfileError("not an npm lock file: the top level must be an object", 1)
    version = doc.get("lockfileVersion")
    if version not in SUPPORTED:
        raise LockfileError(
            f"unsupported lockfileVersion {version!r}; this pipesec reads 1, 2 and 3", 1
        )
    idx = LineIndex(text)
    if isinstance(doc.get("packages"), dict):
        return _parse_v2(doc["packages"], idx)
    return _parse_v1(doc, idx, sibling)


def _parse_v2(packages: dict[str, Any], idx: LineIndex) -> ParseResult:
    result = ParseResult()
    entries = {k: as_dict(v) for k, v in packages.items()}
    links = {k: as_str(v.get("resolved")) for k, v in entries.items() if v.get("link") is True}
    members = set([""] + [k for k in entries if k and "node_modules/" not in k])
    cursor = [0]
    for path, entry in entries.items():
        if not path or path in links or "node_modules/" not in path:
            continue
        if entry.get("inBundle") is True and not entry.get("version"):
            continue
        line = idx.find_forward(jstr(path) + ":", cursor)
        name = as_str(entry.get("name")) or _name_from_path(path)
        version = as_str(entry.get("version"))
        pkg = Package(
            NPM,
            name,
            version,
            line,
            key=path,
            scope=_scope(entry),
            hashes=integrity_hashes(entry.get("integrity")),
            licenses=_licenses(entry.get("license")),
        )
        if not version:
            pkg.pinned = False
            pkg.spec = as_str(entry.get("resolved")) or "no version"
            result.problems.append(Problem(f"{path} has no version", line))
        result.packages.append(pkg)

    def resolve(from_path: str, dep: str) -> str | None:
        base = from_path
        while True:
            cand = f"{base}/node_modules/{dep}" if base else f"node_modules/{dep}"
            if cand in entries:
                target = links.get(cand)
                return target if target is not None else cand
            if not base:
                return None
            cut = base.rfind("/node_modules/")
            base = base[:cut] if cut >= 0 else ""

    roots: dict[str, str] = {}
    for path, entry in entries.items():
        if path in links:
            continue
        for fld, scope in (
            ("dependencies", "prod"),
            ("optionalDependencies", "optional"),
            ("peerDependencies", "prod"),
            ("devDependencies", "dev"),
        ):
            for dep in as_dict(entry.get(fld)):
                target = resolve(path, dep)
                if target is None or target not in entries:
                    continue
                if path in members:
                    if target in members:
                        continue
                    if fld != "devDependencies" or target not in roots:
                        roots.setdefault(target, scope)
                elif fld != "devDependencies":
                    result.add_edge(path, target)
    result.roots = roots
    # workspace members depend on each other through links; their deps are roots as well
    return result


def _licenses(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) and value:
        return (value,)
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        return (value["type"],)
    return ()


def _parse_v1(doc: dict[str, Any], idx: LineIndex, sibling: SiblingReader) -> ParseResult:
    result = ParseResult()
    cursor = idx.find(jstr("dependencies") + ":")[1]
    # (install path, entry); pre-order, as the JSON text lists them
    order: list[tuple[str, str, dict[str, Any]]] = []

    def walk(deps: Any, prefix: str, depth: int) -> None:
        nonlocal cursor
        if depth > 200:
            raise LockfileError("dependencies nested too deeply")
        for name, raw in as_dict(deps).items():
            entry = as_dict(raw)
            path = f"{prefix}node_modules/{name}"
            line, cursor = idx.find(jstr(name) + ":", cursor)
            order.append((path, name, entry))
            version = as_str(entry.get("version"))
            if version.startswith("npm:"):  # an alias: npm:real-name@1.2.3
                real, _, version = version[4:].rpartition("@")
                name = real or name
            pkg = Package(
                NPM,
                name,
                version,
                line,
                key=path,
                scope=_scope(entry),
                hashes=integrity_hashes(entry.get("integrity")),
            )
            if not version or version.startswith(("file:", "git", "http")):
                pkg.pinned = False
                pkg.spec = version or "no version"
                pkg.version = ""
            if not entry.get("bundled"):
                result.packages.append(pkg)
            walk(entry.get("dependencies"), path + "/", depth + 1)

    walk(doc.get("dependencies"), "", 0)
    paths = {p for p, _, _ in order}
    for path, _, entry in order:
        for dep in as_dict(entry.get("requires")):
            base = path
            while True:
                cand = f"{base}/node_modules/{dep}"
                if cand in paths:
                    result.add_edge(path, cand)
                    break
                cut = base.rfind("/node_modules/")
                if cut < 0:
                    if f"node_modules/{dep}" in paths:
                        result.add_edge(path, f"node_modules/{dep}")
                    break
                base = base[:cut]
    manifest = sibling_json(sibling, "package.json")
    if manifest is not None:
        result.roots = {
            f"node_modules/{n}": s
            for n, s in manifest_roots(manifest).items()
            if f"node_modules/{n}" in paths
        }
    return result


_ = as_list

SOURCE = SimpleSource("package-lock.json", ("package-lock.json", "npm-shrinkwrap.json"), parse)
