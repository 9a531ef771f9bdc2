"""MSBuild project files: ``<PackageReference>`` in ``*.csproj`` / ``*.fsproj`` / ``*.vbproj``
and central package management's ``Directory.Packages.props`` (``<PackageVersion>``,
``<GlobalPackageReference>``).

What a project file states, without a restore: ``Version="1.2.3"`` (NuGet resolves the
lowest version that satisfies it: that one) and ``[1.2.3]`` are pins; ranges and floating
versions (``1.*``) are reported unpinned. ``$(Property)`` values come from the file's own
``<PropertyGroup>``. A reference without a version whose version is managed centrally is
left to ``Directory.Packages.props`` (scanned on its own), so each package is reported once.
A project with a ``packages.lock.json`` beside it is left to that lock file (the scanner).
"""

from __future__ import annotations

import re

from pipesec.scanners.deps.ecosystems import NUGET
from pipesec.scanners.deps.interface import (
    LockfileError,
    Package,
    ParseResult,
    Problem,
    SiblingReader,
)
from pipesec.scanners.deps.maven import Node, parse_xml, resolve

PROJECT_SUFFIXES = (".csproj", ".fsproj", ".vbproj")
MAX_PARENT_DIRS = 16
_PROP = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.\-]*)\)")


def _walk(node: Node, tag: str, depth: int = 0) -> list[Node]:
    """Every descendant named ``tag`` (MSBuild nests items in ItemGroups, Choose/When ...)."""
    if depth > 32:
        return []
    out: list[Node] = []
    for c in node.children:
        if c.tag == tag:
            out.append(c)
        out.extend(_walk(c, tag, depth + 1))
    return out


def _props(root: Node) -> dict[str, str]:
    props: dict[str, str] = {}
    for group in _walk(root, "PropertyGroup"):
        for p in group.children:
            props[p.tag] = p.text.strip()
    return props


def _value(node: Node, attr: str) -> str:
    return (node.attrs.get(attr) or node.get(attr)).strip()


def _package(name: str, declared: str, line: int, props: dict[str, str]) -> tuple[Package, str]:
    """The package a reference declares, and a problem message ("" when none)."""
    version = resolve(declared, props, _PROP)
    pkg = Package(NUGET, name, version, line, direct=True)
    exact = re.fullmatch(r"\[\s*([^\[\](),\s]+)\s*\]", version)
    if exact:
        pkg.version = exact.group(1)
        pkg.key = f"{name}@{pkg.version}"
        return pkg, ""
    if "$(" in version:
        pkg.pinned, pkg.version, pkg.spec, pkg.key = False, "", version, f"spec:{name}:{version}"
        return pkg, f"{name}: cannot resolve version {version!r} from this file's properties"
    if re.search(r"[\[\](),*]", version) or not version:
        pkg.pinned, pkg.version = False, ""
        pkg.spec = version or "no version"
        pkg.key = f"spec:{name}:{version}"
    return pkg, ""


def _scope(ref: Node) -> str:
    private = _value(ref, "PrivateAssets").lower()
    return "dev" if private == "all" else "prod"


def parse_project(text: str, sibling: SiblingReader) -> ParseResult:
    root = parse_xml(text)
    if root.tag != "Project":
        raise LockfileError(f"not an MSBuild project: root element is <{root.tag}>", root.line)
    props = _props(root)
    central = props.get("ManagePackageVersionsCentrally", "").lower() == "true" or (
        _central_props(sibling) is not None
    )
    result = ParseResult()
    seen: set[str] = set()
    for ref in _walk(root, "PackageReference"):
        name = (ref.attrs.get("Include") or "").strip()
        if not name:
            continue  # Update=/Remove= items change references made elsewhere
        declared = _value(ref, "VersionOverride") or _value(ref, "Version")
        if not declared and central:
            continue  # versioned in Directory.Packages.props, reported from there
        pkg, problem = _package(name, declared, ref.line, props)
        pkg.scope = _scope(ref)
        _add(result, pkg, problem, seen)
    return result


def _add(result: ParseResult, pkg: Package, problem: str, seen: set[str]) -> None:
    if problem:
        result.problems.append(Problem(problem, pkg.line))
    if pkg.key.lower() not in seen:  # NuGet ids are case-insensitive
        seen.add(pkg.key.lower())
        result.packages.append(pkg)


def _central_props(sibling: SiblingReader) -> str | None:
    """The nearest Directory.Packages.props at or above the project's directory."""
    for up in range(MAX_PARENT_DIRS):
        text = sibling("../" * up + "Directory.Packages.props")
        if text is not None:
            return text
    return None


def parse_central(text: str, sibling: SiblingReader) -> ParseResult:
    root = parse_xml(text)
    if root.tag != "Project":
        raise LockfileError(
            f"not a Directory.Packages.props: root element is <{root.tag}>", root.line
        )
    props = _props(root)
    result = ParseResult()
    seen: set[str] = set()
    for tag in ("PackageVersion", "GlobalPackageReference"):
        for item in _walk(root, tag):
            name = (item.attrs.get("Include") or "").strip()
            if not name:
                continue
            pkg, problem = _package(name, _value(item, "Version"), item.line, props)
            if tag == "GlobalPackageReference":
                pkg.scope = "dev"  # analyzers and build tools, private to every project
            _add(result, pkg, problem, seen)
    return result


class ProjectSource:
    name = "*.csproj"

    def matches(self, filename: str) -> bool:
        return filename.endswith(PROJECT_SUFFIXES)

    def parse(self, text: str, sibling: SiblingReader) -> ParseResult:
        return parse_project(text, sibling)


class CentralSource:
    name = "Directory.Packages.props"

    def matches(self, filename: str) -> bool:
        return filename == "Directory.Packages.props"

    def parse(self, text: str, sibling: SiblingReader) -> ParseResult:
        return parse_central(text, sibling)


PROJECT = ProjectSource()
CENTRAL = CentralSource()
