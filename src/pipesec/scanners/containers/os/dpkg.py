"""dpkg's database: ``/var/lib/dpkg/status`` and distroless ``/var/lib/dpkg/status.d/*``
(one file per package). Each installed package with its source package (``Source: src``
or ``Source: src (version)``) and the licences of its DEP-5 ``copyright`` file."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from pipesec.scanners.containers.interface import InstalledPackage
from pipesec.scanners.containers.os.common import (
    MAX_DB_BYTES,
    MAX_PACKAGES,
    clean,
    make_package,
)
from pipesec.scanners.containers.os.files import read_bytes
from pipesec.scanners.containers.os.release import OsInfo

STATUS = "/var/lib/dpkg/status"
STATUS_D = "/var/lib/dpkg/status.d/"
_SOURCE = re.compile(r"^(\S+)(?:\s*\(([^)]*)\))?\s*$")
_FIELD = re.compile(r"^([!-9;-~][!-9;-~]*):(.*)$")
_LICENSE = re.compile(r"^License:[ \t]*(\S[^\n]*)$", re.MULTILINE)
_MAX_COPYRIGHT = 512 * 1024


def paragraphs(text: str) -> Iterator[dict[str, str]]:
    """deb822 paragraphs: ``Field: value`` lines, continuation lines starting with a
    blank, paragraphs separated by blank lines. Field names are case-insensitive
    (returned in the case dpkg writes them: as found, first occurrence wins)."""
    cur: dict[str, str] = {}
    last = ""
    for line in re.split(r"\r\n|\n|\r", text):
        if not line.strip():
            if cur:
                yield cur
            cur, last = {}, ""
            continue
        if line[0] in " \t":
            if last:
                cur[last] += "\n" + line.strip()
            continue
        m = _FIELD.match(line)
        if not m:
            last = ""
            continue
        name = m.group(1).lower()
        last = name if name not in cur else ""
        if last:
            cur[name] = m.group(2).strip()
    if cur:
        yield cur


def _installed(par: dict[str, str], default: bool) -> bool:
    status = par.get("status")
    if status is None:
        return default
    words = status.split()
    return len(words) == 3 and words[2] in (
        "installed",
        "half-configured",
        "triggers-awaited",
        "triggers-pending",
        "unpacked",
        "half-installed",
    )


def _licenses(fs: Any, name: str, problems: list[str]) -> tuple[str, ...]:
    data = read_bytes(fs, f"/usr/share/doc/{name}/copyright", _MAX_COPYRIGHT, problems)
    if not data:
        return ()
    text = data.decode("utf-8", "replace")
    if "Format:" not in text[:2000]:  # not machine-readable (DEP-5): no reliable field
        return ()
    found = dict.fromkeys(clean(m.group(1), 100) for m in _LICENSE.finditer(text))
    return tuple(x for x in found if x)[:20]


def _package(
    par: dict[str, str], path: str, os_info: OsInfo | None, fs: Any, problems: list[str]
) -> InstalledPackage | None:
    name = clean(par.get("package", ""), 200)
    version = clean(par.get("version", ""), 200)
    if not name or not version or any(c.isspace() for c in name + version):
        return None
    arch = clean(par.get("architecture", ""), 40)
    src_name, src_version = name, version
    source = par.get("source", "").strip()
    if source:
        m = _SOURCE.match(source)
        if m:
            src_name = clean(m.group(1), 200)
            if m.group(2) and m.group(2).strip():
                src_version = clean(m.group(2), 200)
    return make_package(
        os_info,
        "deb",
        name=name,
        version=version,
        path=path,
        arch=arch,
        source_name=src_name,
        source_version=src_version,
        licenses=_licenses(fs, name, problems),
    )


def catalog_dpkg(
    fs: Any, os_info: OsInfo | None, all_paths: Iterable[str], problems: list[str]
) -> list[InstalledPackage]:
    files: list[tuple[str, bool]] = [(STATUS, False)]
    files += sorted(
        (p, True)
        for p in all_paths
        if p.startswith(STATUS_D) and "/" not in p[len(STATUS_D) :] and not p.endswith(".md5sums")
    )
    out: list[InstalledPackage] = []
    seen: set[tuple[str, str]] = set()
    for path, is_dir_entry in files:
        data = read_bytes(fs, path, MAX_DB_BYTES, problems)
        if data is None:
            continue
        for par in paragraphs(data.decode("utf-8", "replace")):
            if not _installed(par, default=is_dir_entry):
                continue
            pkg = _package(par, path, os_info, fs, problems)
            if pkg is None:
                continue
            key = (pkg.name, pkg.purl)
            if key in seen:
                continue
            seen.add(key)
            out.append(pkg)
            if len(out) >= MAX_PACKAGES:
                problems.append(f"{path}: more than {MAX_PACKAGES} packages, the rest not read")
                return out
    return out
