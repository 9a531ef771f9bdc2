"""apk's database, ``/lib/apk/db/installed``: blocks of ``X:value`` lines separated by
blank lines (``P`` name, ``V`` version, ``A`` arch, ``L`` licence, ``o`` origin: the aport
that Alpine's advisories name)."""

from __future__ import annotations

import re
from typing import Any

from pipesec.scanners.containers.interface import InstalledPackage
from pipesec.scanners.containers.os.common import MAX_DB_BYTES, MAX_PACKAGES, clean, make_package
from pipesec.scanners.containers.os.files import read_bytes
from pipesec.scanners.containers.os.release import OsInfo

INSTALLED = "/lib/apk/db/installed"
_WANTED = frozenset("PVAoL")


def catalog_apk(fs: Any, os_info: OsInfo | None, problems: list[str]) -> list[InstalledPackage]:
    data = read_bytes(fs, INSTALLED, MAX_DB_BYTES, problems)
    if data is None:
        return []
    out: list[InstalledPackage] = []
    cur: dict[str, str] = {}

    def flush() -> None:
        name, version = clean(cur.get("P", "")), clean(cur.get("V", ""))
        if name and version and not any(c.isspace() for c in name + version):
            origin = clean(cur.get("o", "")) or name
            lic = clean(cur.get("L", ""))
            out.append(
                make_package(
                    os_info,
                    "apk",
                    name=name,
                    version=version,
                    path=INSTALLED,
                    arch=clean(cur.get("A", ""), 40),
                    source_name=origin,
                    source_version=version,
                    licenses=(lic,) if lic else (),
                )
            )
        cur.clear()

    for line in re.split(r"\r\n|\n|\r", data.decode("utf-8", "replace")):
        if not line.strip():
            if cur:
                flush()
                if len(out) >= MAX_PACKAGES:
                    problems.append(
                        f"{INSTALLED}: more than {MAX_PACKAGES} packages, the rest not read"
                    )
                    return out
            continue
        if len(line) >= 2 and line[1] == ":" and line[0] in _WANTED:
            cur.setdefault(line[0], line[2:])
    if cur:
        flush()
    return out
