"""The seam between image reading and package cataloguers (issue 17).

Images (helper "images") build a merged read-only filesystem of an image and hand it to the
OS package cataloguers (``containers/os``) and the language package cataloguers
(``containers/installed``) as a :class:`FileSource`; each returns :class:`InstalledPackage`
records and one-line problems. :class:`DirectorySource` serves a plain directory (tests).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


class FileSource(Protocol):
    """A read-only filesystem: a merged image rootfs, or a directory (tests)."""

    def paths(self) -> Iterable[str]: ...  # every regular file, POSIX, absolute ("/usr/...")
    def size(self, path: str) -> int: ...
    def read(self, path: str, limit: int) -> bytes: ...  # raises FileTooLarge if size > limit
    def origin(self, path: str) -> str: ...  # layer digest ("sha256:...") or "" for a directory


class FileTooLarge(Exception): ...


@dataclass(frozen=True, slots=True)
class InstalledPackage:
    ecosystem: str  # OSV ecosystem as stored: "PyPI", "npm", "Go", "crates.io", "Maven", "NuGet",
    # "RubyGems", "Packagist", "Debian:12", "Ubuntu:22.04", "Alpine:v3.19",
    # "AlmaLinux:9", "Rocky Linux:9"
    name: str  # binary package name
    version: str
    path: str  # the file it was read from (inside the image)
    purl: str  # e.g. pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12
    source_name: str = ""  # OS packages: source package (Debian/Ubuntu advisories are keyed by it)
    source_version: str = ""
    licenses: tuple[str, ...] = ()


class Cataloguer(Protocol):
    def __call__(self, fs: FileSource) -> tuple[list[InstalledPackage], list[str]]: ...

    # (packages, problems: one-line messages about unreadable inputs; never raise)


class DirectorySource:
    """A directory as a FileSource. Symlinks are never followed (in or out of the root)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self._root = os.path.realpath(os.fspath(root))

    def _host(self, path: str) -> str:
        parts = [p for p in path.split("/") if p not in ("", ".")]
        if ".." in parts:
            raise FileNotFoundError(path)
        host = os.path.join(self._root, *parts)
        # no component below the root may be a symlink: it could lead out of the root
        cur = self._root
        for part in parts:
            cur = os.path.join(cur, part)
            if os.path.islink(cur):
                raise FileNotFoundError(path)
        return host

    def paths(self) -> Iterable[str]:
        for dirpath, dirnames, filenames in os.walk(self._root, followlinks=False):
            dirnames.sort()
            rel = os.path.relpath(dirpath, self._root)
            prefix = "" if rel == "." else "/" + rel.replace(os.sep, "/")
            for name in sorted(filenames):
                st = os.lstat(os.path.join(dirpath, name))
                if stat.S_ISREG(st.st_mode):
                    yield f"{prefix}/{name}"

    def size(self, path: str) -> int:
        st = os.lstat(self._host(path))
        if not stat.S_ISREG(st.st_mode):
            raise FileNotFoundError(path)
        return st.st_size

    def read(self, path: str, limit: int) -> bytes:
        host = self._host(path)
        fd = os.open(host, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise FileNotFoundError(path)
            data = f.read(limit + 1)
        if len(data) > limit:
            raise FileTooLarge(f"{path}: larger than {limit} bytes")
        return data

    def origin(self, path: str) -> str:
        return ""
