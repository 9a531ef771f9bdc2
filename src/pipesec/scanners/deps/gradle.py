"""gradle.lockfile (and per-configuration ``*.lockfile`` under gradle/dependency-locks):
``group:artifact:version=configuration,...``. No graph; test-only configurations are dev."""

from __future__ import annotations

from pipesec.core.lines import split_lines
from pipesec.scanners.deps.ecosystems import MAVEN
from pipesec.scanners.deps.interface import (
    LockfileError,
    Package,
    ParseResult,
    Problem,
    SiblingReader,
)


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    result = ParseResult()
    seen: set[str] = set()
    for i, raw in enumerate(split_lines(text), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        coord, _, confs = line.partition("=")
        if coord == "empty":
            continue
        parts = coord.split(":")
        if len(parts) != 3 or not all(parts):
            if i == 1 and "=" not in line:
                raise LockfileError("not a Gradle lock file: expected group:artifact:version", i)
            result.problems.append(Problem(f"expected group:artifact:version, found {coord!r}", i))
            continue
        group, artifact, version = parts
        configurations = [c.strip() for c in confs.split(",") if c.strip()]
        test_only = bool(configurations) and all(c.startswith("test") for c in configurations)
        pkg = Package(MAVEN, f"{group}:{artifact}", version, i, scope="dev" if test_only else None)
        if pkg.key in seen:
            continue
        seen.add(pkg.key)
        result.packages.append(pkg)
    return result


class GradleSource:
    name = "gradle.lockfile"

    def matches(self, filename: str) -> bool:
        # gradle.lockfile, buildscript-gradle.lockfile, settings-gradle.lockfile, and the
        # per-configuration files of Gradle < 6.8 (gradle/dependency-locks/*Classpath.lockfile)
        return filename.endswith(("gradle.lockfile", "Classpath.lockfile"))

    def parse(self, text: str, sibling: SiblingReader) -> ParseResult:
        return parse(text, sibling)


SOURCE = GradleSource()
