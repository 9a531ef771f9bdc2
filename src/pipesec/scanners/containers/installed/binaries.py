"""Compiled binaries: Go build info and cargo-auditable dependency data, read from one copy
of each executable-looking file (ELF, PE or Mach-O)."""

from __future__ import annotations

import posixpath

from pipesec.scanners.containers.installed import binfmt, golang, rust
from pipesec.scanners.containers.installed._common import MB, package, read
from pipesec.scanners.containers.interface import FileSource, InstalledPackage
from pipesec.scanners.deps.ecosystems import CARGO, GO

LIMIT = 512 * MB
MIN_SIZE = 1024
#: directories whose files are data, headers, scripts or package databases, not programs
_SKIP_DIRS = (
    "/usr/share/",
    "/usr/include/",
    "/usr/lib/python",
    "/usr/local/lib/python",
    "/var/lib/dpkg/",
    "/var/lib/apk/",
    "/var/lib/rpm/",
    "/var/cache/",
    "/etc/",
    "/proc/",
    "/sys/",
    "/dev/",
    "/node_modules/",
    "/site-packages/",
    "/dist-packages/",
)
_EXTS = ("", ".exe", ".bin", ".out")


def wants(path: str) -> bool:
    """Files that may be programs: no extension (or .exe), outside data directories."""
    if any(d in path for d in _SKIP_DIRS):
        return False
    base = posixpath.basename(path)
    ext = posixpath.splitext(base)[1].lower()
    return ext in _EXTS or (base.startswith(".") and base.count(".") == 1)


def catalog(fs: FileSource, paths: list[str]) -> tuple[list[InstalledPackage], list[str]]:
    pkgs: list[InstalledPackage] = []
    problems: list[str] = []
    for path in paths:
        try:
            if fs.size(path) < MIN_SIZE:
                continue
        except OSError:
            continue
        data = read(fs, path, LIMIT, problems)
        if data is None or not binfmt.kind(data):
            continue
        try:
            info = golang.read_buildinfo(data)
        except ValueError as exc:
            problems.append(f"{path}: Go build info unreadable ({exc})")
            info = None
        if info is not None:
            std = golang.stdlib_version(info.go_version)
            if std:
                pkgs.append(package(GO, "stdlib", std, path))
            if info.main and info.main[1] and info.main[1] != "(devel)":
                pkgs.append(package(GO, info.main[0], info.main[1], path))
            for mod, version in info.deps:
                pkgs.append(package(GO, mod, version, path))
        try:
            crates = rust.read_auditable(data)
        except ValueError as exc:
            problems.append(f"{path}: {exc}")
            crates = None
        for name, version in crates or ():
            pkgs.append(package(CARGO, name, version, path))
    return pkgs, problems


__all__ = ["MB", "catalog", "wants"]
