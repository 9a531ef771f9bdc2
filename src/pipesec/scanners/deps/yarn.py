"""yarn.lock, classic (v1, yarn's own format) and berry (v2+, YAML with ``__metadata``).

Entries are keyed by the descriptors (``name@range``) that resolved to them; dependencies
are resolved through those descriptors. Direct dependencies come from the package.json
next to the lock (classic) or from the workspace entries (berry).
"""

from __future__ import annotations

import json
import re
from typing import Any

from pipesec.core.lines import split_lines
from pipesec.scanners.deps._util import LDict, as_dict, as_str, load_yaml, sibling_json
from pipesec.scanners.deps.ecosystems import NPM
from pipesec.scanners.deps.interface import (
    LockfileError,
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)
from pipesec.scanners.deps.npm import integrity_hashes


def split_descriptor(desc: str) -> tuple[str, str]:
    """``@scope/name@^1.0`` -> (``@scope/name``, ``^1.0``)."""
    desc = desc.strip().strip('"')
    at = desc.find("@", 1)
    if at < 0:
        return desc, ""
    return desc[:at], desc[at + 1 :]


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        try:
            v = json.loads(s)
            return v if isinstance(v, str) else s[1:-1]
        except json.JSONDecodeError:
            return s[1:-1]
    return s


def parse_classic(text: str) -> tuple[list[tuple[list[str], dict[str, Any], int]], list[Problem]]:
    """Entries as (descriptors, fields, line); fields hold strings and nested dicts."""
    entries: list[tuple[list[str], dict[str, Any], int]] = []
    problems: list[Problem] = []
    current: dict[str, Any] | None = None
    sub: dict[str, str] | None = None
    for i, raw in enumerate(split_lines(text), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        line = raw.strip()
        if indent == 0:
            if not line.endswith(":"):
                raise LockfileError(f"expected an entry header ending with ':', found {line!r}", i)
            descs = [_unquote(d) for d in _split_header(line[:-1])]
            if not any(descs):
                raise LockfileError("entry header without a package descriptor", i)
            current = {}
            sub = None
            entries.append((descs, current, i))
            continue
        if current is None:
            raise LockfileError("indented line before any entry", i)
        if indent <= 2:
            sub = None
            if line.endswith(":"):
                sub = {}
                current[_unquote(line[:-1])] = sub
                continue
            key, _, value = line.partition(" ")
            current[_unquote(key)] = _unquote(value)
        else:
            if sub is None:
                problems.append(Problem("unexpected indentation", i))
                continue
            key, _, value = _split_kv(line)
            sub[_unquote(key)] = _unquote(value)
    return entries, problems


def _split_header(header: str) -> list[str]:
    out: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            out.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
    if buf:
        out.append("".join(buf).strip())
    return [o for o in out if o]


def _split_kv(line: str) -> tuple[str, str, str]:
    if line.startswith('"'):
        end = line.find('"', 1)
        if end > 0:
            return line[: end + 1], " ", line[end + 1 :].strip()
    return line.partition(" ")


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    if re.search(r"^__metadata:", text, re.MULTILINE):
        return _parse_berry(text, sibling)
    entries, problems = parse_classic(text)
    result = ParseResult(problems=problems)
    by_desc: dict[str, str] = {}
    fields_of: dict[str, dict[str, Any]] = {}
    for descs, fields, line in entries:
        name, rng = split_descriptor(descs[0])
        if rng.startswith("npm:") and "@" in rng[5:]:  # an alias: alias@npm:real@^1.0
            name, _ = split_descriptor(rng[4:])
        version = as_str(fields.get("version"))
        pkg = Package(
            NPM,
            name,
            version,
            line,
            hashes=integrity_hashes(fields.get("integrity")),
        )
        if not version:
            pkg.pinned = False
            pkg.spec = descs[0]
            result.problems.append(Problem(f"{descs[0]} has no version", line))
        for d in descs:
            by_desc[d] = pkg.key
        if pkg.key not in fields_of:
            result.packages.append(pkg)
            fields_of[pkg.key] = fields
    for key, fields in fields_of.items():
        for fld in ("dependencies", "optionalDependencies"):
            for dep, rng in as_dict(fields.get(fld)).items():
                child = by_desc.get(f"{dep}@{rng}")
                if child:
                    result.add_edge(key, child)
    manifest = sibling_json(sibling, "package.json")
    if manifest is not None:
        roots: dict[str, str] = {}
        for fld, scope in (
            ("dependencies", "prod"),
            ("optionalDependencies", "optional"),
            ("devDependencies", "dev"),
        ):
            for dep, rng in as_dict(manifest.get(fld)).items():
                child = by_desc.get(f"{dep}@{rng}")
                if child:
                    roots.setdefault(child, scope)
        result.roots = roots
    return result


def _parse_berry(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_yaml(text)
    if not isinstance(doc, dict):
        raise LockfileError("not a yarn lock file: the top level must be a mapping", 1)
    lines = doc.lines if isinstance(doc, LDict) else {}
    result = ParseResult()
    by_desc: dict[str, str] = {}
    fields_of: dict[str, dict[str, Any]] = {}
    workspaces: list[dict[str, Any]] = []
    for header, raw in doc.items():
        if header == "__metadata":
            continue
        fields = as_dict(raw)
        descs = [d.strip() for d in header.split(",") if d.strip()]
        line = lines.get(header, 0)
        resolution = as_str(fields.get("resolution"))
        name, ref = split_descriptor(resolution or descs[0])
        if ref.startswith(("workspace:", "link:", "portal:")):
            workspaces.append(fields)
            for d in descs:
                by_desc[d] = ""
            continue
        version = str(fields.get("version", "")) if fields.get("version") is not None else ""
        pkg = Package(NPM, name, version, line)
        checksum = as_str(fields.get("checksum"))
        if re.fullmatch(r"(\d+/)?[0-9a-f]{128}", checksum):
            pkg.hashes = (f"sha512:{checksum.rsplit('/', 1)[-1]}",)
        for d in descs:
            by_desc[d] = pkg.key
        if pkg.key not in fields_of:
            result.packages.append(pkg)
            fields_of[pkg.key] = fields

    def lookup(dep: str, rng: Any) -> str:
        r = str(rng)
        for cand in (f"{dep}@{r}", f"{dep}@npm:{r}"):
            if cand in by_desc:
                return by_desc[cand]
        return ""

    for key, fields in fields_of.items():
        for fld in ("dependencies", "optionalDependencies"):
            for dep, rng in as_dict(fields.get(fld)).items():
                child = lookup(dep, rng)
                if child:
                    result.add_edge(key, child)
    roots: dict[str, str] = {}
    for ws in workspaces:
        for fld, scope in (
            ("dependencies", "prod"),
            ("optionalDependencies", "optional"),
            ("devDependencies", "dev"),
        ):
            for dep, rng in as_dict(ws.get(fld)).items():
                child = lookup(dep, rng)
                if child:
                    roots.setdefault(child, scope)
    # berry folds devDependencies into the workspace's dependencies: package.json tells them
    manifest = sibling_json(sibling, "package.json")
    if manifest is not None and roots:
        dev = as_dict(manifest.get("devDependencies"))
        for ws in workspaces:
            for dep, rng in as_dict(ws.get("dependencies")).items():
                child = lookup(dep, rng)
                if dep in dev and child in roots and roots[child] == "prod":
                    roots[child] = "dev"
    result.roots = roots if workspaces else None
    return result


SOURCE = SimpleSource("yarn.lock", ("yarn.lock",), parse)
