"""Gemfile.lock: the GEM/GIT/PATH ``specs`` with their dependencies, and DEPENDENCIES
(the direct ones). Platform suffixes (``1.13.1-x86_64-linux``) are not part of the version.
"""

from __future__ import annotations

import re

from pipesec.core.lines import split_lines
from pipesec.scanners.deps.ecosystems import RUBYGEMS
from pipesec.scanners.deps.interface import (
    LockfileError,
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)

_SECTIONS = {
    "GEM",
    "GIT",
    "PATH",
    "PLUGIN SOURCE",
    "PLATFORMS",
    "DEPENDENCIES",
    "RUBY VERSION",
    "BUNDLED WITH",
    "CHECKSUMS",
}
_SPEC = re.compile(r"^([A-Za-z0-9_.\-]+) \(([^)]+)\)$")
_CHECKSUM = re.compile(r"^([A-Za-z0-9_.\-]+) \(([^)]+)\) sha256=([0-9a-fA-F]{64})")
_DEP = re.compile(r"^([A-Za-z0-9_.\-]+)(?: \(([^)]*)\))?!?$")
_PLATFORM = re.compile(
    r"-(x86|x64|x86_64|aarch64|arm64|arm|universal|java|mingw|mswin|darwin|linux|"
    r"i386|i686|ruby|jruby)[\w.-]*$"
)


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    result = ParseResult()
    section = ""
    in_specs = False
    by_name: dict[str, str] = {}
    parent: str | None = None
    pending: list[tuple[str, str]] = []
    direct: list[tuple[str, int]] = []
    checksums: dict[tuple[str, str], str] = {}
    saw_section = False
    for i, raw in enumerate(split_lines(text), 1):
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        line = raw.strip()
        if indent == 0:
            section = line
            saw_section = saw_section or line in _SECTIONS
            in_specs = False
            continue
        if section in ("GEM", "GIT", "PATH", "PLUGIN SOURCE"):
            if indent == 2:
                in_specs = line == "specs:"
                continue
            if not in_specs:
                continue
            if indent == 4:
                m = _SPEC.match(line)
                if not m:
                    result.problems.append(Problem(f"cannot read gem spec {line!r}", i))
                    parent = None
                    continue
                version = _PLATFORM.sub("", m.group(2))
                pkg = Package(RUBYGEMS, m.group(1), version, i)
                if section == "PATH":
                    pkg.spec = "path"
                if m.group(1) in by_name:
                    parent = by_name[m.group(1)]
                    continue
                by_name[m.group(1)] = pkg.key
                parent = pkg.key
                result.packages.append(pkg)
            elif indent == 6 and parent:
                m = _DEP.match(line)
                if m:
                    pending.append((parent, m.group(1)))
        elif section == "CHECKSUMS" and indent == 2:
            m = _CHECKSUM.match(line)
            if m:
                checksums[(m.group(1), _PLATFORM.sub("", m.group(2)))] = m.group(3).lower()
        elif section == "DEPENDENCIES" and indent == 2:
            m = _DEP.match(line)
            if m:
                direct.append((m.group(1), i))
    if not saw_section:
        raise LockfileError("not a Gemfile.lock: no GEM/DEPENDENCIES sections", 1)
    for pkg in result.packages:
        digest = checksums.get((pkg.name, pkg.version))
        if digest:
            pkg.hashes = (f"sha256:{digest}",)
    for p, child in pending:
        if child in by_name:
            result.add_edge(p, by_name[child])
    result.roots = {by_name[n]: "prod" for n, _ in direct if n in by_name}
    return result


SOURCE = SimpleSource("Gemfile.lock", ("Gemfile.lock", "gems.locked"), parse)
