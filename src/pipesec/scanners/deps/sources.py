"""Every dependency source, in one list (a new lockfile format is one new module + one line)."""

from __future__ import annotations

from pipesec.scanners.deps import (
    bun,
    cabal,
    cargo,
    composer,
    conan,
    conda,
    dotnet_deps,
    gemfile,
    golang,
    gradle,
    maven,
    mix,
    msbuild,
    npm,
    nuget,
    nuget_config,
    pdm,
    pipfile,
    pnpm,
    poetry,
    pubspec,
    pylock,
    pyproject,
    recognised,
    renv,
    requirements,
    stack,
    swift,
    uv,
    yarn,
)
from pipesec.scanners.deps.interface import DependencySource, ParseResult, SiblingReader


class _Requirements:
    name = "requirements.txt"

    def matches(self, filename: str) -> bool:
        return requirements.is_requirements_file(filename)

    def parse(self, text: str, sibling: SiblingReader) -> ParseResult:
        return requirements.parse(text, sibling)


class _Pyproject:
    """pyproject.toml counts only where no lock file sits next to it (the scanner checks)."""

    name = "pyproject.toml"

    def matches(self, filename: str) -> bool:
        return filename == "pyproject.toml"

    def parse(self, text: str, sibling: SiblingReader) -> ParseResult:
        return pyproject.parse(text, sibling)


SOURCES: tuple[DependencySource, ...] = (
    _Requirements(),
    poetry.SOURCE,
    pipfile.SOURCE,
    uv.SOURCE,
    pdm.SOURCE,
    pylock.SOURCE,
    _Pyproject(),
    npm.SOURCE,
    yarn.SOURCE,
    pnpm.SOURCE,
    golang.SOURCE,
    cargo.SOURCE,
    gemfile.SOURCE,
    composer.SOURCE,
    gradle.SOURCE,
    maven.SOURCE,
    nuget.SOURCE,
    pubspec.SOURCE,
    swift.SOURCE,
    bun.SOURCE,
    conan.SOURCE,
    mix.SOURCE,
    renv.SOURCE,
    cabal.SOURCE,
    stack.SOURCE,
    nuget_config.SOURCE,
    msbuild.PROJECT,
    msbuild.CENTRAL,
    dotnet_deps.SOURCE,
    conda.ENVIRONMENT,
    conda.LOCK,
    conda.EXPLICIT,
    *recognised.SOURCES,
)


def source_for(filename: str) -> DependencySource | None:
    for s in SOURCES:
        if s.matches(filename):
            return s
    return None
