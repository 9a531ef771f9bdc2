"""What the installed-package cataloguers share: building an InstalledPackage (with its
purl) and reading one file of the image within a size limit, as a problem line when not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pipesec.scanners.containers.interface import FileSource, FileTooLarge, InstalledPackage
from pipesec.scanners.deps.ecosystems import normalize_name, purl

MB = 1024 * 1024


def package(
    ecosystem: str, name: str, version: str, path: str, licenses: tuple[str, ...] = ()
) -> InstalledPackage:
    name = normalize_name(ecosystem, name)
    return InstalledPackage(
        ecosystem=ecosystem,
        name=name,
        version=version,
        path=path,
        purl=purl(ecosystem, name, version),
        licenses=tuple(lic[:200] for lic in licenses if lic)[:10],
    )


def read(fs: FileSource, path: str, limit: int, problems: list[str]) -> bytes | None:
    """The file's bytes, or None with a problem line (too large, unreadable)."""
    try:
        return fs.read(path, limit)
    except FileTooLarge:
        problems.append(f"{path}: larger than {limit // MB} MB; not read")
    except OSError as exc:
        problems.append(f"{path}: cannot read ({exc.strerror or type(exc).__name__})")
    return None


def text(fs: FileSource, path: str, limit: int, problems: list[str]) -> str | None:
    data = read(fs, path, limit, problems)
    return None if data is None else data.decode("utf-8", "replace")


def texts(
    fs: FileSource, paths: list[str], limit: int, problems: list[str]
) -> Iterator[tuple[str, str]]:
    """(path, text) of each file that can be read within ``limit``."""
    for path in paths:
        body = text(fs, path, limit, problems)
        if body is not None:
            yield path, body


def load_json(path: str, body: str, problems: list[str]) -> Any:
    """The JSON document, or None with a problem line."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        problems.append(f"{path}: not valid JSON; not read")
        return None
