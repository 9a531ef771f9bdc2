"""OS packages matched against real Ubuntu, AlmaLinux and Alpine OSV records and synthetic
Debian and Rocky Linux ones (tests/fixtures/distro/osv): planted vulnerable versions are
found with their fix, fixed versions are not, source-keyed distributions match through the
source package, unfixed flaws come with no fix version."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipesec.scanners.containers.interface import DirectorySource
from pipesec.scanners.containers.os import catalog_os
from pipesec.scanners.containers.os.match import ecosystem_variants, match_os_packages
from pipesec.vulndb import VulnDB, open_db
from pipesec.vulndb.store import import_records

FIX = Path(__file__).parents[2] / "fixtures" / "distro"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VulnDB]:
    path = tmp_path_factory.mktemp("distro-db") / "osv.sqlite"
    result = import_records(path, [FIX / "osv"])
    assert result.invalid == [] and result.records == 16
    with open_db(path) as handle:
        yield handle


def _matches(db: VulnDB, fixture: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """package name -> {advisory id: fixed versions}."""
    _os, pkgs, problems = catalog_os(DirectorySource(FIX / fixture))
    assert problems == []
    return {
        p.name: {a.id: a.fixed_versions for a in advs}
        for p, advs in match_os_packages(db, pkgs).items()
    }


def test_ubuntu_source_keyed_across_lts_variants(db: VulnDB) -> None:
    found = _matches(db, "ubuntu2204")
    # libc6 and libc-bin come from glibc 2.35-0ubuntu3.8, fixed in 2.35-0ubuntu3.9
    for binary in ("libc6", "libc-bin"):
        assert set(found[binary]) == {"USN-7259-1", "UBUNTU-CVE-2025-0395"}
        assert "2.35-0ubuntu3.9" in found[binary]["USN-7259-1"]
    assert found["sudo"] == {}  # installed at the fixed version


def test_debian_source_keyed_unfixed_and_not_affected(db: VulnDB) -> None:
    found = _matches(db, "debian12")
    assert set(found["libssl3"]) == {"DEBIAN-SYNTH-0001"}  # via Source: openssl
    assert found["libssl3"]["DEBIAN-SYNTH-0001"] == ("3.0.99-1~deb12u1",)  # Debian:12's fix only
    assert found["libc6"] == {"DEBIAN-SYNTH-0002": ()}  # unfixed: matched, no fix version
    assert found["zlib1g"] == {}  # fixed (with epoch) before the installed version
    assert found["perl-base"] == {}  # the record affects Debian:11 only
    assert all("DEBIAN-SYNTH-0005" not in v for v in found.values())  # binary-name record


def test_alpine_origin_keyed(db: VulnDB) -> None:
    found = _matches(db, "alpine311")
    for binary in ("libssl1.1", "libcrypto1.1"):
        assert found[binary] == {"ALPINE-CVE-2019-1551": ("1.1.1d-r3",)}
    assert found["musl"] == {} and found["busybox"] == {}


def test_almalinux_binary_keyed_with_epoch(db: VulnDB) -> None:
    _os, pkgs, _ = catalog_os(DirectorySource(FIX / "alma9"))
    result = {p.name: (p, advs) for p, advs in match_os_packages(db, pkgs).items()}
    pkg, advs = result["openssl-libs"]
    assert [a.id for a in advs] == ["ALSA-2024:6783"]
    assert advs[0].smallest_fix_above(pkg.version) == "1:3.0.7-28.el9_4"
    assert [a.id for a in result["curl"][1]] == ["ALSA-2024:1129"]
    assert result["glibc"][1] == []  # at ALSA-2026:42952's fixed version


def test_rocky_linux(db: VulnDB) -> None:
    found = _matches(db, "rocky8")
    assert set(found["openssl-libs"]) == {"RLSA-SYNTH-0001"}
    assert found["glibc"] == {}


def test_unknown_os_packages_are_not_matched(db: VulnDB, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FIX / "alpine311" / "lib", tmp_path / "lib")
    _os, pkgs, _ = catalog_os(DirectorySource(tmp_path))
    assert match_os_packages(db, pkgs) == {p: [] for p in pkgs}


def test_ecosystem_variants() -> None:
    stored = ["Ubuntu:22.04:LTS", "Ubuntu:Pro:22.04:LTS", "Ubuntu:24.04:LTS", "Debian:12"]
    assert ecosystem_variants("Ubuntu:22.04", stored) == [
        "Ubuntu:22.04",
        "Ubuntu:22.04:LTS",
        "Ubuntu:Pro:22.04:LTS",
    ]
    assert ecosystem_variants("Debian:12", stored) == ["Debian:12"]
