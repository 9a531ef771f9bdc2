"""OS package cataloguers over a FileSource (issue 17): dpkg (``status``, distroless
``status.d/``), apk (``lib/apk/db/installed``), rpm (sqlite ``rpmdb.sqlite`` and Berkeley DB
``Packages``), and the OS itself from ``os-release``.

``catalog_os(fs) -> (OsInfo | None, packages, problems)``: packages carry their OSV
ecosystem (``Debian:12``, ``Ubuntu:22.04``, ``Alpine:v3.19``, ``AlmaLinux:9``,
``Rocky Linux:9``), source package, licences and a distro purl; problems are one-line
messages about databases that exist but cannot be read. Never raises on image content.
"""

from __future__ import annotations

from typing import Any

from pipesec.scanners.containers.interface import InstalledPackage
from pipesec.scanners.containers.os.release import OsInfo, detect_os

__all__ = ["OsInfo", "catalog_os"]


def catalog_os(fs: Any) -> tuple[OsInfo | None, list[InstalledPackage], list[str]]:
    from pipesec.scanners.containers.os.apk import catalog_apk
    from pipesec.scanners.containers.os.dpkg import STATUS_D, catalog_dpkg
    from pipesec.scanners.containers.os.rpm import catalog_rpm

    problems: list[str] = []
    os_info = detect_os(fs, problems)
    try:
        status_d = [p for p in fs.paths() if p.startswith(STATUS_D)]
    except OSError as exc:
        problems.append(f"cannot list the image's files ({type(exc).__name__})")
        status_d = []
    packages = catalog_dpkg(fs, os_info, status_d, problems)
    packages += catalog_apk(fs, os_info, problems)
    packages += catalog_rpm(fs, os_info, problems)
    if os_info is not None and packages and not os_info.ecosystem:
        problems.append(
            f"OS {os_info.id} {os_info.version_id}: no vulnerability data source for its "
            "packages (listed without matching)"
        )
    return os_info, packages, problems
