"""Installed Python distributions: ``*.dist-info/METADATA`` (wheels, pip) and
``*.egg-info/PKG-INFO`` or a ``*.egg-info`` file (setuptools, Debian's python3-* packages).
Both are RFC 822 headers: ``Name``, ``Version``, ``License-Expression`` / ``License``."""

from __future__ import annotations

from pipesec.core.lines import split_lines
from pipesec.scanners.containers.installed._common import MB, package, texts
from pipesec.scanners.containers.interface import FileSource, InstalledPackage
from pipesec.scanners.deps.ecosystems import PYPI

LIMIT = 4 * MB


def wants(path: str) -> bool:
    return (
        path.endswith(".dist-info/METADATA")
        or path.endswith(".egg-info/PKG-INFO")
        or path.endswith(".egg-info")
    )


def headers(body: str) -> dict[str, str]:
    """The first occurrence of each header (continuation lines joined), up to the blank line."""
    out: dict[str, str] = {}
    last = ""
    for line in split_lines(body):
        if not line.strip():
            break
        if line[:1] in (" ", "\t") and last:
            out[last] += " " + line.strip()
            continue
        key, sep, value = line.partition(":")
        if not sep:
            continue
        last = key.strip()
        out.setdefault(last, value.strip())
    return out


def catalog(fs: FileSource, paths: list[str]) -> tuple[list[InstalledPackage], list[str]]:
    pkgs: list[InstalledPackage] = []
    problems: list[str] = []
    for path, body in texts(fs, paths, LIMIT, problems):
        h = headers(body)
        name, version = h.get("Name", ""), h.get("Version", "")
        if not name or not version:
            problems.append(f"{path}: no Name or Version header; not a package's metadata")
            continue
        lic = h.get("License-Expression") or h.get("License", "")
        licenses = (lic,) if lic and len(lic) <= 100 and lic.upper() != "UNKNOWN" else ()
        pkgs.append(package(PYPI, name, version, path, licenses))
    return pkgs, problems
