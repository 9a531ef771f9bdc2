"""What the OS package cataloguers share: package records with purls."""

from __future__ import annotations

from packageurl import PackageURL

from pipesec.scanners.containers.interface import InstalledPackage
from pipesec.scanners.containers.os.release import OsInfo

#: at most this many packages are read from one database (a hostile one could list millions)
MAX_PACKAGES = 50_000
#: a package database is read whole up to this size
MAX_DB_BYTES = 128 * 1024 * 1024


def clean(value: str, limit: int = 200) -> str:
    """One printable line (database fields are written by whoever built the image)."""
    return "".join(c for c in value.strip() if c.isprintable())[:limit]


def make_package(
    os_info: OsInfo | None,
    ptype: str,
    *,
    name: str,
    version: str,
    path: str,
    arch: str = "",
    source_name: str = "",
    source_version: str = "",
    licenses: tuple[str, ...] = (),
    epoch: str = "",
) -> InstalledPackage:
    """A package of type ``ptype`` ("deb", "apk", "rpm") of the image's OS: its OSV
    ecosystem and its purl (``pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&
    distro=debian-12``) come from the detected OS when that OS uses this package type."""
    ours = os_info is not None and os_info.purl_type == ptype
    ecosystem = os_info.ecosystem if ours and os_info is not None else ""
    namespace = os_info.purl_namespace if ours and os_info is not None else None
    qualifiers: dict[str, str] = {}
    if arch:
        qualifiers["arch"] = arch
    if epoch and epoch != "0":
        qualifiers["epoch"] = epoch
    if ours and os_info is not None:
        qualifiers["distro"] = os_info.distro_qualifier
    purl_version = version
    if ptype == "rpm" and ":" in version:
        purl_version = version.split(":", 1)[1]  # the epoch is a qualifier in rpm purls
    if source_name and source_name != name and ptype != "rpm":
        qualifiers["upstream"] = source_name
    try:
        purl = PackageURL(
            type=ptype,
            namespace=namespace,
            name=name,
            version=purl_version or None,
            qualifiers=qualifiers,
        ).to_string()
    except (ValueError, TypeError):
        purl = ""
    return InstalledPackage(
        ecosystem=ecosystem,
        name=name,
        version=version,
        path=path,
        purl=purl,
        source_name=source_name,
        source_version=source_version,
        licenses=licenses,
    )
