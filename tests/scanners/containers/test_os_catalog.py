"""OS package cataloguers over a directory FileSource: dpkg (status, status.d), apk, rpm
(sqlite and Berkeley DB), os-release; hostile databases give one-line problems."""

from __future__ import annotations

import contextlib
import shutil
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.scanners.containers.interface import DirectorySource, InstalledPackage
from pipesec.scanners.containers.os import catalog_os
from pipesec.scanners.containers.os.bdb import BdbError, hash_values
from pipesec.scanners.containers.os.dpkg import paragraphs
from pipesec.scanners.containers.os.release import OsInfo, parse_os_release
from pipesec.scanners.containers.os.rpm import HeaderError, parse_header, source_of, sqlite_blobs

FIX = Path(__file__).parents[2] / "fixtures" / "distro"


def _by_name(root: Path) -> tuple[OsInfo | None, dict[str, InstalledPackage], list[str]]:
    os_info, pkgs, problems = catalog_os(DirectorySource(root))
    return os_info, {p.name: p for p in pkgs}, problems


def test_debian_status() -> None:
    os_info, pkgs, problems = _by_name(FIX / "debian12")
    assert problems == []
    assert os_info is not None and os_info.ecosystem == "Debian:12"
    assert "libssl1.1" not in pkgs  # deinstall ok config-files
    ssl = pkgs["libssl3"]
    assert ssl.ecosystem == "Debian:12"
    assert ssl.source_name == "openssl"
    assert ssl.source_version == ssl.version
    assert ssl.path == "/var/lib/dpkg/status"
    assert ssl.purl.startswith("pkg:deb/debian/libssl3@3.0.")
    assert "arch=amd64" in ssl.purl and "distro=debian-12" in ssl.purl
    assert "upstream=openssl" in ssl.purl
    bash = pkgs["bash"]  # "Source: bash (5.2.15-2)", binary 5.2.15-2+b8
    assert (bash.source_name, bash.source_version) == ("bash", "5.2.15-2")
    assert bash.version.endswith("+b8")
    zlib = pkgs["zlib1g"]
    assert zlib.version.startswith("1:")
    assert "Zlib" in zlib.licenses  # from its DEP-5 copyright
    assert pkgs["tzdata"].source_name == "tzdata"


def test_distroless_status_d() -> None:
    os_info, pkgs, problems = _by_name(FIX / "distroless12")
    assert problems == []
    assert os_info is not None and os_info.pretty_name == "Distroless"
    assert set(pkgs) == {"libssl3", "libc6", "base-files"}  # md5sums files are not packages
    assert pkgs["libc6"].source_name == "glibc"
    assert pkgs["libc6"].path == "/var/lib/dpkg/status.d/libc6"


def test_alpine_installed() -> None:
    os_info, pkgs, problems = _by_name(FIX / "alpine311")
    assert problems == []
    assert os_info is not None and os_info.ecosystem == "Alpine:v3.11"
    ssl = pkgs["libssl1.1"]
    assert (ssl.source_name, ssl.version) == ("openssl", "1.1.1d-r2")
    assert ssl.licenses == ("OpenSSL",)
    assert ssl.purl == (
        "pkg:apk/alpine/libssl1.1@1.1.1d-r2?arch=x86_64&distro=alpine-3.11.6&upstream=openssl"
    )
    assert pkgs["musl"].source_name == "musl"


def test_alma_sqlite_rpmdb() -> None:
    os_info, pkgs, problems = _by_name(FIX / "alma9")
    assert problems == []
    assert os_info is not None and os_info.ecosystem == "AlmaLinux:9"
    libs = pkgs["openssl-libs"]
    assert libs.version == "1:3.0.7-27.el9"
    assert (libs.source_name, libs.source_version) == ("openssl", "3.0.7-27.el9")
    assert libs.licenses == ("Apache-2.0",)
    assert libs.purl == (
        "pkg:rpm/almalinux/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=almalinux-9.3&epoch=1"
    )
    assert pkgs["curl-minimal"].version == "7.76.1-26.el9_3.2"
    assert len(pkgs) == 6


def test_rpm_wal_left_over_is_a_problem(tmp_path: Path) -> None:
    shutil.copytree(FIX / "alma9", tmp_path / "alma9")
    (tmp_path / "alma9" / "var/lib/rpm/rpmdb.sqlite-wal").write_bytes(b"\x37\x7f\x06\x82" * 8)
    _os, pkgs, problems = catalog_os(DirectorySource(tmp_path / "alma9"))
    assert len(pkgs) == 6
    assert len(problems) == 1 and "rpmdb.sqlite-wal: 32 bytes" in problems[0]


def test_rocky_bdb_packages() -> None:
    os_info, pkgs, problems = _by_name(FIX / "rocky8")
    assert problems == []
    assert os_info is not None and os_info.ecosystem == "Rocky Linux:8"
    assert pkgs["glibc"].version == "2.34-274.el9_8"
    assert pkgs["openssl-libs"].path == "/var/lib/rpm/Packages"
    assert "pkg:rpm/rocky/glibc@" in pkgs["glibc"].purl


def test_bdb_btree_with_overflow_chains() -> None:
    values = hash_values((FIX / "bdb" / "Packages.btree").read_bytes())
    names = sorted(parse_header(v).name for v in values)
    assert names == sorted(
        ["openssl", "openssl-libs", "glibc", "glibc-common", "curl", "curl-minimal"]
    )


def test_os_release_fallbacks(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "alpine-release").write_text("3.19.1\n")
    os_info, pkgs, problems = catalog_os(DirectorySource(tmp_path))
    assert os_info is not None and os_info.ecosystem == "Alpine:v3.19"
    assert pkgs == [] and problems == []
    (tmp_path / "etc" / "alpine-release").unlink()
    (tmp_path / "etc" / "debian_version").write_text("11.9\n")
    debian = catalog_os(DirectorySource(tmp_path))[0]
    assert debian is not None and debian.ecosystem == "Debian:11"
    (tmp_path / "etc" / "os-release").write_text('ID=ubuntu\nVERSION_ID="22.04"\n')
    ubuntu = catalog_os(DirectorySource(tmp_path))[0]
    assert ubuntu is not None and ubuntu.ecosystem == "Ubuntu:22.04"
    assert ubuntu.distro_qualifier == "ubuntu-22.04"


def test_empty_tree_is_no_os(tmp_path: Path) -> None:
    assert catalog_os(DirectorySource(tmp_path)) == (None, [], [])


def test_packages_without_os_have_no_ecosystem(tmp_path: Path) -> None:
    shutil.copytree(FIX / "alpine311" / "lib", tmp_path / "lib")
    os_info, pkgs, _ = catalog_os(DirectorySource(tmp_path))
    assert os_info is None and pkgs
    assert all(p.ecosystem == "" and "distro=" not in p.purl for p in pkgs)


# ----------------------------------------------------------------- hostile databases


@pytest.mark.parametrize(
    ("path", "content", "expected"),
    [
        ("var/lib/rpm/rpmdb.sqlite", b"SQLite format 3\x00" + b"\xff" * 200, "rpmdb.sqlite"),
        ("var/lib/rpm/rpmdb.sqlite", b"not sqlite at all", "rpmdb.sqlite"),
        ("var/lib/rpm/Packages", b"\x00" * 4096, "Berkeley DB"),
    ],
)
def test_broken_databases_are_one_line_problems(
    tmp_path: Path, path: str, content: bytes, expected: str
) -> None:
    target = tmp_path / path
    target.parent.mkdir(parents=True)
    target.write_bytes(content)
    _os, pkgs, problems = catalog_os(DirectorySource(tmp_path))
    assert pkgs == []
    assert len(problems) == 1 and expected in problems[0] and "\n" not in problems[0]


def test_bdb_loop_and_bounds() -> None:
    data = bytearray((FIX / "bdb" / "Packages.btree").read_bytes())  # 512-byte pages
    pagesize = struct.unpack_from("<I", data, 20)[0]
    # point every overflow page's next-page link at itself: a loop, not a hang
    for pgno in range(1, len(data) // pagesize):
        if data[pgno * pagesize + 25] == 7:
            struct.pack_into("<I", data, pgno * pagesize + 16, pgno)
    with pytest.raises(BdbError):
        hash_values(bytes(data))


def test_header_parser_rejects_bad_blobs() -> None:
    for blob in (b"", b"\x00" * 8, struct.pack(">II", 1, 10**9), struct.pack(">II", 2, 4) + b"x"):
        with pytest.raises(HeaderError):
            parse_header(blob)
    assert source_of("openssl-3.0.7-27.el9.src.rpm") == ("openssl", "3.0.7-27.el9")
    assert source_of("garbage") == ("", "")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_fuzz_rpm_header(blob: bytes) -> None:
    with contextlib.suppress(HeaderError):
        parse_header(blob)


_REAL_BLOB = sqlite_blobs((FIX / "alma9" / "var" / "lib" / "rpm" / "rpmdb.sqlite").read_bytes())[0]


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(_REAL_BLOB) - 1), st.binary(min_size=1, max_size=8))
def test_fuzz_rpm_header_mutations(pos: int, junk: bytes) -> None:
    blob = _REAL_BLOB[:pos] + junk + _REAL_BLOB[pos + len(junk) :]
    with contextlib.suppress(HeaderError):
        parse_header(blob)


_BDB = (FIX / "bdb" / "Packages.btree").read_bytes()


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(_BDB) - 1), st.binary(min_size=1, max_size=4))
def test_fuzz_bdb_mutations(pos: int, junk: bytes) -> None:
    data = _BDB[:pos] + junk + _BDB[pos + len(junk) :]
    with contextlib.suppress(BdbError):
        hash_values(data)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2048))
def test_fuzz_bdb_bytes(data: bytes) -> None:
    with contextlib.suppress(BdbError):
        hash_values(b"\x00" * 12 + struct.pack("<II", 0x061561, 9) + data)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_fuzz_text_parsers(text: str) -> None:
    for par in paragraphs(text):
        assert all(isinstance(v, str) for v in par.values())
    parse_os_release(text)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="PVAoLF:\n xyz019.-_r", max_size=300), st.text(max_size=200))
def test_fuzz_catalog_from_files(
    tmp_path_factory: pytest.TempPathFactory, apk: str, dpkg: str
) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "lib" / "apk" / "db").mkdir(parents=True)
    (root / "lib" / "apk" / "db" / "installed").write_text(apk, encoding="utf-8", errors="replace")
    (root / "var" / "lib" / "dpkg").mkdir(parents=True)
    (root / "var" / "lib" / "dpkg" / "status").write_text(dpkg, encoding="utf-8", errors="replace")
    (root / "etc").mkdir()
    (root / "etc" / "os-release").write_text(dpkg, encoding="utf-8", errors="replace")
    _os, pkgs, problems = catalog_os(DirectorySource(root))
    for p in pkgs:
        assert p.name and p.version and not any(c.isspace() for c in p.name + p.version)
    assert all("\n" not in x for x in problems)
