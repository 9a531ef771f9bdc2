"""Installed .NET applications: ``*.deps.json`` beside the application (the NuGet
``package`` libraries it loads), read by the lock file parser of the deps scanner."""

from __future__ import annotations

from pipesec.scanners.containers.installed._common import MB, package, texts
from pipesec.scanners.containers.interface import FileSource, InstalledPackage
from pipesec.scanners.deps import dotnet_deps
from pipesec.scanners.deps.interface import LockfileError

LIMIT = 64 * MB


def wants(path: str) -> bool:
    return dotnet_deps.SOURCE.matches(path.rsplit("/", 1)[-1])


def catalog(fs: FileSource, paths: list[str]) -> tuple[list[InstalledPackage], list[str]]:
    pkgs: list[InstalledPackage] = []
    problems: list[str] = []
    for path, body in texts(fs, paths, LIMIT, problems):
        try:
            result = dotnet_deps.parse(body, lambda _: None)
        except (LockfileError, RecursionError) as exc:
            problems.append(f"{path}: {getattr(exc, 'message', 'nested too deeply')}")
            continue
        for p in result.packages:
            pkgs.append(package(p.ecosystem, p.name, p.version, path))
    return pkgs, problems
