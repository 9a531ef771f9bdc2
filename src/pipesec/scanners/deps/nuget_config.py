"""packages.config (NuGet's pre-PackageReference format): one ``<package id version>`` per
package, all of them (the transitive ones too). ``developmentDependency="true"`` marks
build-time packages. DTDs and entities are refused (the Maven reader's XML rules)."""

from __future__ import annotations

from pipesec.scanners.deps.ecosystems import NUGET
from pipesec.scanners.deps.interface import (
    LockfileError,
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)
from pipesec.scanners.deps.maven import parse_xml


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    root = parse_xml(text)
    if root.tag != "packages":
        raise LockfileError(f"not a packages.config: root element is <{root.tag}>", root.line)
    result = ParseResult()
    seen: set[str] = set()
    for node in root.findall("package"):
        name = node.attrs.get("id", "").strip()
        version = node.attrs.get("version", "").strip()
        if not name or not version:
            result.problems.append(Problem("<package> without an id or version", node.line))
            continue
        pkg = Package(NUGET, name, version, node.line)
        if node.attrs.get("developmentDependency", "").lower() == "true":
            pkg.scope = "dev"
        if pkg.key.lower() not in seen:
            seen.add(pkg.key.lower())
            result.packages.append(pkg)
    return result


SOURCE = SimpleSource("packages.config", ("packages.config",), parse)
