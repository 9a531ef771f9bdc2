"""pnpm-lock.yaml: lockfileVersion 5.x, 6.x and 9.x.

Package keys are ``/name/1.0.0`` (v5), ``/name@1.0.0(peer@2)`` (v6) or ``name@1.0.0``
(v9, with the graph in ``snapshots``). Peer suffixes are dropped: one package, one version.
Importers (workspace projects) give the direct dependencies with their scope.
"""

from __future__ import annotations

import re
from typing import Any

from pipesec.scanners.deps._util import LDict, as_dict, as_str, load_yaml
from pipesec.scanners.deps.ecosystems import NPM
from pipesec.scanners.deps.interface import (
    LockfileError,
    Package,
    ParseResult,
    SiblingReader,
    SimpleSource,
)
from pipesec.scanners.deps.npm import integrity_hashes

_PEERS = re.compile(r"\(.*\)$")
_HOSTNAME = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?$")


def _host(key: str) -> tuple[str, str]:
    """(host, rest) of a host-prefixed key (``registry.example.com/foo/1.0.0``,
    ``github.com/user/repo/<commit>``); ("", key) for the registry's own ``/name/...``."""
    if key.startswith("/") or "/" not in key:
        return "", key
    first, rest = key.split("/", 1)
    if _HOSTNAME.match(first):
        return first, rest
    return "", key


def split_key(key: str, v5: bool) -> tuple[str, str]:
    """``/@scope/name@1.0.0(peer@1)`` -> (``@scope/name``, ``1.0.0``); v5's
    ``/@scope/name/1.0.0_peer@1`` and host-prefixed keys (``registry.example.com/name/1.0.0``)
    alike. A git or tarball key without a registry version gives its URL-ish remainder as
    the version (the entry's own ``name:``/``version:`` fields win in :func:`parse`)."""
    k = _PEERS.sub("", key.strip())
    host, k = _host(k)
    k = k.lstrip("/")
    at = k.find("@", 1)
    if not v5 and at > 0:
        return k[:at], k[at + 1 :]
    segs = [s for s in k.split("/") if s]
    if not segs:
        return k, ""
    if "-" in segs and segs[-1].endswith((".tgz", ".tar.gz")):  # name/-/name-1.0.0.tgz
        i = segs.index("-")
        name = "/".join(segs[:i])
        base = segs[-1].removesuffix(".tgz").removesuffix(".tar.gz")
        return name, base.removeprefix(name.rsplit("/", 1)[-1] + "-")
    if host and len(segs) == 3 and not segs[0].startswith("@"):
        return segs[1], segs[2]  # github.com/user/repo/<commit>: the repository's name
    name = "/".join(segs[:-1])
    version = segs[-1].split("_", 1)[0] if v5 else segs[-1]
    if not name:
        return version, ""
    return name, version


def _registry_version(version: str) -> bool:
    """A registry version (``1.2.3``), not a commit, URL or path spec."""
    return bool(re.match(r"^v?\d+(\.\d+)*([-+][0-9A-Za-z.\-+]*)?$", version))


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_yaml(text)
    if not isinstance(doc, dict):
        raise LockfileError("not a pnpm lock file: the top level must be a mapping", 1)
    raw_version = str(doc.get("lockfileVersion", ""))
    m = re.match(r"^'?(\d+)", raw_version)
    major = int(m.group(1)) if m else 0
    if major not in (5, 6, 7, 8, 9):
        raise LockfileError(
            f"unsupported lockfileVersion {raw_version!r}; this pipesec reads 5.x, 6.x and 9.x",
            doc.lines.get("lockfileVersion", 1) if isinstance(doc, LDict) else 1,
        )
    v5 = major == 5
    packages = as_dict(doc.get("packages"))
    plines = packages.lines if isinstance(packages, LDict) else {}
    result = ParseResult()
    seen: set[str] = set()
    #: every spelling of a package key (peer suffixes dropped) -> its Package key
    aliases: dict[str, str] = {}
    for key, raw in packages.items():
        entry = as_dict(raw)
        name, version = split_key(key, v5)
        name = as_str(entry.get("name")) or name
        version = str(entry.get("version") or version)
        git = not _registry_version(version)
        pkg = Package(
            NPM,
            name,
            "" if git else version,
            plines.get(key, 0),
            key=f"{name}@{version}",
            hashes=integrity_hashes(as_dict(entry.get("resolution")).get("integrity")),
        )
        if git:  # a git commit or tarball URL: no registry version to check
            pkg.spec = _PEERS.sub("", key.strip()).lstrip("/")
        stripped = _PEERS.sub("", key.strip()).lstrip("/")
        aliases[stripped] = pkg.key
        if v5:  # /name/1.0.0_peer@2 is also referred to as /name/1.0.0
            aliases.setdefault(stripped.split("_", 1)[0], pkg.key)
        if entry.get("dev") is True:
            pkg.scope = "dev"
        elif entry.get("optional") is True:
            pkg.scope = "optional"
        if pkg.key not in seen:
            seen.add(pkg.key)
            result.packages.append(pkg)
    graph_src = as_dict(doc.get("snapshots")) if major >= 9 else packages

    def ref(dep: str, value: Any) -> str | None:
        v = _PEERS.sub("", str(value))
        if v.startswith(("link:", "file:", "workspace:")):
            return None
        known = aliases.get(v.lstrip("/")) or aliases.get(f"{dep}/{v}" if v5 else f"{dep}@{v}")
        if known:
            return known
        if v5:
            known = aliases.get(f"{dep}/{v.split('_', 1)[0]}")
            if known:
                return known
        if v.startswith("/"):  # v5/v6 alias: /real-name/1.0.0 or /real@1.0.0
            n, ver = split_key(v, v5)
            return f"{n}@{ver}"
        if "@" in v.lstrip("@"):  # v9 alias: real-name@1.0.0
            n, ver = split_key(v, False)
            return f"{n}@{ver}"
        return f"{dep}@{v}"

    for key, raw in graph_src.items():
        entry = as_dict(raw)
        stripped = _PEERS.sub("", key.strip()).lstrip("/")
        name, version = split_key(key, v5)
        parent = aliases.get(stripped) or f"{name}@{version}"
        for fld in ("dependencies", "optionalDependencies"):
            for dep, val in as_dict(entry.get(fld)).items():
                child = ref(dep, val)
                if child and child != parent:
                    result.add_edge(parent, child)
    importers = as_dict(doc.get("importers"))
    if not importers:
        importers = {".": doc}
    roots: dict[str, str] = {}
    for imp in importers.values():
        for fld, scope in (
            ("dependencies", "prod"),
            ("optionalDependencies", "optional"),
            ("devDependencies", "dev"),
        ):
            for dep, val in as_dict(as_dict(imp).get(fld)).items():
                v = as_dict(val).get("version") if isinstance(val, dict) else val
                child = ref(dep, v)
                if child:
                    roots.setdefault(child, scope)
    result.roots = roots
    return result


SOURCE = SimpleSource("pnpm-lock.yaml", ("pnpm-lock.yaml",), parse)
