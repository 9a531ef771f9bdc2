"""conda: ``environment.yml`` (what an environment asks for), conda-lock's
``conda-lock.yml`` (what was solved, per platform) and explicit lock files
(``conda-linux-64.lock``: ``@EXPLICIT`` then one package URL a line).

conda packages have no OSV ecosystem: they are listed as components (ecosystem ``conda``,
``pkg:conda/...`` purls) and never matched against advisories, and a note says so. The pip
packages of either file are PyPI packages and are checked like a requirements file's.
"""

from __future__ import annotations

import re

from pipesec.scanners.deps import requirements
from pipesec.scanners.deps._util import (
    LDict,
    LineIndex,
    LockfileError,
    as_dict,
    as_list,
    as_str,
    load_yaml,
)
from pipesec.scanners.deps.ecosystems import CONDA, PYPI, normalize_name
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)

NO_OSV = (
    "{n} conda package(s) listed as components only: conda has no OSV ecosystem, so they "
    "are not checked for advisories"
)
# name[=|==|>=...]version[=build], channel::name, name[version='>=1']
_SPEC = re.compile(
    r"^(?:(?P<channel>[^:\s]+)::)?(?P<name>[A-Za-z0-9_.\-]+)\s*(?P<op>==|=|>=|<=|>|<|!=|~=)?\s*"
    r"(?P<version>[^\s=,|*]+)?(?P<star>\*)?(?:=(?P<build>\S+))?$"
)


def _conda_package(spec: str, line: int) -> Package | None:
    m = _SPEC.match(spec.strip())
    if not m:
        return None
    name, op, version = m.group("name").lower(), m.group("op"), m.group("version") or ""
    # "=1.21" is a prefix match (1.21.x) unless a build string pins it; "==" is exact
    exact = version and not m.group("star") and (op == "==" or (op == "=" and m.group("build")))
    if exact:
        return Package(CONDA, name, version, line, direct=True)
    pkg = Package(CONDA, name, "", line, direct=True, pinned=False, spec=spec.strip())
    pkg.key = f"spec:{spec.strip()}"
    return pkg


def _pip_packages(
    items: list[object], line: int, result: ParseResult, sibling: SiblingReader
) -> None:
    """The ``pip:`` list, read as a requirements file (``-r file`` next to it included)."""
    text = "\n".join(str(i) for i in items if isinstance(i, (str, int, float)))
    sub = requirements.parse(text, sibling)
    for pkg in sub.packages:
        pkg.line = line + pkg.line if pkg.line else line
        result.packages.append(pkg)
    for prob in sub.problems:
        result.problems.append(Problem(f"pip: {prob.message}", line))


def parse_environment(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_yaml(text)
    if doc is None:
        return ParseResult(roots={})
    if not isinstance(doc, dict):
        raise LockfileError("not a conda environment file: the top level must be a mapping", 1)
    result = ParseResult()
    deps = doc.get("dependencies")
    base = doc.lines.get("dependencies", 0) if isinstance(doc, LDict) else 0
    idx = LineIndex(text)
    cursor = [idx.starts[base - 1] if 0 < base <= len(idx.starts) else 0]
    conda = 0
    for item in as_list(deps):
        if isinstance(item, dict):
            pip = item.get("pip")
            if isinstance(pip, list):
                at = item.lines.get("pip", base) if isinstance(item, LDict) else base
                _pip_packages(pip, at, result, sibling)
            continue
        spec = str(item) if isinstance(item, (str, int, float)) else ""
        line = idx.find_forward(spec, cursor) if spec else 0
        pkg = _conda_package(spec, line)
        if pkg is None:
            result.problems.append(Problem(f"unreadable conda package spec {spec[:80]!r}", line))
            continue
        conda += 1
        result.packages.append(pkg)
    if conda:
        result.notes.append(NO_OSV.format(n=conda))
    return result


def parse_lock(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_yaml(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("package"), list):
        raise LockfileError("not a conda-lock file: expected a package list", 1)
    if doc.get("version") not in (1, None):
        raise LockfileError(f"unsupported conda-lock version {doc.get('version')!r}", 1)
    result = ParseResult()
    seen: set[str] = set()
    conda = 0
    for raw in doc["package"]:
        entry = as_dict(raw)
        line = entry.line if isinstance(entry, LDict) else 0
        name, version = as_str(entry.get("name")), str(entry.get("version") or "")
        manager = as_str(entry.get("manager")) or "conda"
        if not name or not version:
            result.problems.append(Problem("package without a name or version", line))
            continue
        eco = PYPI if manager == "pip" else CONDA
        name = normalize_name(PYPI, name) if eco == PYPI else name.lower()
        pkg = Package(eco, name, version, line)
        sha = as_str(as_dict(entry.get("hash")).get("sha256"))
        if re.fullmatch(r"[0-9a-f]{64}", sha):
            pkg.hashes = (f"sha256:{sha}",)
        if as_str(entry.get("category")) not in ("", "main"):
            pkg.scope = "dev" if entry.get("category") == "dev" else "optional"
        if pkg.key in seen:
            continue  # the same package for another platform
        seen.add(pkg.key)
        conda += eco == CONDA
        result.packages.append(pkg)
    if conda:
        result.notes.append(NO_OSV.format(n=conda))
    return result


_EXPLICIT_URL = re.compile(
    r"^(?:https?|file)://\S+/(?P<file>[^/\s#]+?)\.(?:conda|tar\.bz2)(?:#(?P<hash>[0-9a-f]+))?$"
)


def parse_explicit(text: str, sibling: SiblingReader) -> ParseResult:
    from pipesec.core.lines import split_lines

    lines = split_lines(text)
    if not any(line.strip() == "@EXPLICIT" for line in lines):
        raise LockfileError("not an explicit conda lock file: no @EXPLICIT line", 1)
    result = ParseResult()
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith(("#", "@")):
            continue
        m = _EXPLICIT_URL.match(line)
        parts = m.group("file").rsplit("-", 2) if m else []
        if len(parts) != 3:
            result.problems.append(Problem(f"not a conda package URL: {line[:120]!r}", n))
            continue
        pkg = Package(CONDA, parts[0].lower(), parts[1], n)
        digest = (m.group("hash") or "") if m else ""
        if len(digest) in (32, 64):
            pkg.hashes = (f"{'md5' if len(digest) == 32 else 'sha256'}:{digest}",)
        result.packages.append(pkg)
    if result.packages:
        result.notes.append(NO_OSV.format(n=len(result.packages)))
    return result


class _Explicit:
    name = "conda-<platform>.lock"

    def matches(self, filename: str) -> bool:
        return filename.startswith("conda-") and filename.endswith(".lock")

    def parse(self, text: str, sibling: SiblingReader) -> ParseResult:
        return parse_explicit(text, sibling)


EXPLICIT = _Explicit()
ENVIRONMENT = SimpleSource(
    "environment.yml", ("environment.yml", "environment.yaml"), parse_environment
)


class _Lock:
    name = "conda-lock.yml"

    def matches(self, filename: str) -> bool:
        return filename in ("conda-lock.yml", "conda-lock.yaml") or filename.endswith(
            (".conda-lock.yml", ".conda-lock.yaml")
        )

    def parse(self, text: str, sibling: SiblingReader) -> ParseResult:
        return parse_lock(text, sibling)


LOCK = _Lock()
