"""rpm's database: the sqlite ``rpmdb.sqlite`` (RHEL 9, AlmaLinux, Rocky Linux, Fedora) and
the Berkeley DB ``Packages`` of older releases (read by :mod:`.bdb`). Both hold one header
blob per package; :func:`parse_header` reads the tags we need from it.

Header blob (as the database stores it, without the lead magic): ``il`` and ``dl``
(big-endian int32: index entries, data bytes), ``il`` index entries of four big-endian
int32 (tag, type, offset, count), then ``dl`` bytes of data."""

from __future__ import annotations

import sqlite3
import struct
from dataclasses import dataclass
from typing import Any

from pipesec.scanners.containers.interface import InstalledPackage
from pipesec.scanners.containers.os.common import MAX_DB_BYTES, MAX_PACKAGES, clean, make_package
from pipesec.scanners.containers.os.files import read_bytes
from pipesec.scanners.containers.os.release import OsInfo

SQLITE_PATHS = ("/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite")
BDB_PATHS = ("/var/lib/rpm/Packages", "/usr/lib/sysimage/rpm/Packages")

TAG_NAME, TAG_VERSION, TAG_RELEASE, TAG_EPOCH = 1000, 1001, 1002, 1003
TAG_LICENSE, TAG_ARCH, TAG_SOURCERPM = 1014, 1022, 1044
_STRING, _INT32, _STRING_ARRAY, _I18NSTRING = 6, 4, 8, 9
_WANTED = {TAG_NAME, TAG_VERSION, TAG_RELEASE, TAG_EPOCH, TAG_LICENSE, TAG_ARCH, TAG_SOURCERPM}
_MAX_INDEX = 100_000
_MAX_BLOB = 64 * 1024 * 1024


class HeaderError(ValueError):
    """The blob is not an rpm header (message says why)."""


@dataclass(frozen=True, slots=True)
class RpmHeader:
    name: str
    version: str
    release: str
    epoch: int | None
    arch: str
    license: str
    sourcerpm: str

    @property
    def evr(self) -> str:
        """``[epoch:]version-release`` as OSV's rpm ecosystems spell fixed versions."""
        vr = f"{self.version}-{self.release}" if self.release else self.version
        return f"{self.epoch}:{vr}" if self.epoch else vr


def _string_at(data: bytes, offset: int) -> str:
    end = data.find(b"\0", offset)
    if end < 0:
        raise HeaderError("string runs past the data")
    return data[offset:end].decode("utf-8", "replace")


def parse_header(blob: bytes) -> RpmHeader:
    if len(blob) < 8:
        raise HeaderError("shorter than a header")
    il, dl = struct.unpack_from(">II", blob, 0)
    if il < 1 or il > _MAX_INDEX or dl > _MAX_BLOB:
        raise HeaderError(f"implausible header sizes ({il} entries, {dl} bytes)")
    start = 8 + 16 * il
    if start + dl > len(blob):
        raise HeaderError("header larger than its blob")
    data = blob[start : start + dl]
    values: dict[int, str | int] = {}
    for i in range(il):
        tag, typ, offset, count = struct.unpack_from(">iIiI", blob, 8 + 16 * i)
        if tag not in _WANTED or tag in values:
            continue
        if offset < 0 or offset >= dl:
            raise HeaderError(f"tag {tag} points outside the data")
        if typ == _INT32:
            if count < 1 or offset + 4 > dl:
                raise HeaderError(f"tag {tag}: bad INT32")
            values[tag] = struct.unpack_from(">I", data, offset)[0]
        elif typ in (_STRING, _STRING_ARRAY, _I18NSTRING):
            values[tag] = _string_at(data, offset)
        else:
            raise HeaderError(f"tag {tag} has type {typ}")
    name = values.get(TAG_NAME)
    version = values.get(TAG_VERSION)
    if not isinstance(name, str) or not isinstance(version, str) or not name or not version:
        raise HeaderError("no name or version")
    epoch = values.get(TAG_EPOCH)

    def text(tag: int) -> str:
        v = values.get(tag, "")
        return clean(v) if isinstance(v, str) else ""

    return RpmHeader(
        name=clean(name),
        version=clean(version),
        release=text(TAG_RELEASE),
        epoch=epoch if isinstance(epoch, int) else None,
        arch=text(TAG_ARCH),
        license=text(TAG_LICENSE),
        sourcerpm=text(TAG_SOURCERPM),
    )


def source_of(sourcerpm: str) -> tuple[str, str]:
    """``openssl-3.0.7-24.el9.src.rpm`` -> ("openssl", "3.0.7-24.el9")."""
    base = sourcerpm.removesuffix(".rpm")
    for suffix in (".src", ".nosrc"):
        base = base.removesuffix(suffix)
    name_ver, dash, release = base.rpartition("-")
    name, dash2, version = name_ver.rpartition("-")
    if not dash or not dash2 or not name:
        return "", ""
    return name, f"{version}-{release}"


def sqlite_blobs(data: bytes) -> list[bytes]:
    """The header blobs of an rpmdb.sqlite image (read in memory, read-only, bounded)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(data)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        steps = [0]

        def budget() -> int:
            steps[0] += 1
            return 1 if steps[0] > 20_000 else 0  # x1000 VM instructions

        conn.set_progress_handler(budget, 1000)
        kind = conn.execute("SELECT type FROM sqlite_master WHERE name = 'Packages'").fetchone()
        if kind is None or kind[0] != "table":
            raise HeaderError("no Packages table")
        rows = conn.execute(
            "SELECT blob FROM Packages WHERE typeof(blob) = 'blob' ORDER BY hnum LIMIT ?",
            (MAX_PACKAGES + 1,),
        ).fetchall()
        return [bytes(r[0]) for r in rows]
    except sqlite3.Error as exc:
        raise HeaderError(f"not a readable rpm sqlite database ({exc})") from None
    finally:
        conn.close()


def _packages(
    blobs: list[bytes], path: str, os_info: OsInfo | None, problems: list[str]
) -> list[InstalledPackage]:
    out: list[InstalledPackage] = []
    bad = 0
    first_error = ""
    for blob in blobs[:MAX_PACKAGES]:
        try:
            h = parse_header(blob)
        except HeaderError as exc:
            bad += 1
            first_error = first_error or str(exc)
            continue
        if h.name == "gpg-pubkey":  # imported signing keys, not software
            continue
        src_name, src_version = source_of(h.sourcerpm)
        out.append(
            make_package(
                os_info,
                "rpm",
                name=h.name,
                version=h.evr,
                path=path,
                arch=h.arch,
                source_name=src_name,
                source_version=src_version,
                licenses=(h.license,) if h.license else (),
                epoch=str(h.epoch) if h.epoch else "",
            )
        )
    if bad:
        problems.append(f"{path}: {bad} package header(s) not readable ({first_error})")
    if len(blobs) > MAX_PACKAGES:
        problems.append(f"{path}: more than {MAX_PACKAGES} packages, the rest not read")
    return out


def catalog_rpm(fs: Any, os_info: OsInfo | None, problems: list[str]) -> list[InstalledPackage]:
    from pipesec.scanners.containers.os.bdb import BdbError, hash_values

    for path in SQLITE_PATHS:
        data = read_bytes(fs, path, MAX_DB_BYTES, problems)
        if data is None:
            continue
        wal = read_bytes(fs, path + "-wal", MAX_DB_BYTES, problems)
        if wal:
            problems.append(
                f"{path}-wal: {len(wal)} bytes of changes not checkpointed into the database "
                "(packages installed last may be missing from the list)"
            )
        try:
            return _packages(sqlite_blobs(data), path, os_info, problems)
        except HeaderError as exc:
            problems.append(f"{path}: {exc}")
    for path in BDB_PATHS:
        data = read_bytes(fs, path, MAX_DB_BYTES, problems)
        if data is None:
            continue
        try:
            blobs = hash_values(data, limit=MAX_PACKAGES + 1)
        except BdbError as exc:
            problems.append(f"{path}: not a readable Berkeley DB hash database ({exc})")
            continue
        return _packages(blobs, path, os_info, problems)
    return []
