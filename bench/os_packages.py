"""OS package cataloguing and matching speed: a root filesystem with N dpkg packages (from
the real Debian 12 status in tests/fixtures, repeated under new names), N apk packages and
N rpm headers (the real rpm 4.18 blobs of the AlmaLinux fixture, renamed) is catalogued by
``catalog_os`` and matched by ``match_os_packages`` against the AlmaLinux 9 and Alpine
records imported from ../shared/osv when present (else the test fixtures' records).

Run: .venv/bin/python bench/os_packages.py [--packages 500]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from pipesec.scanners.containers.interface import DirectorySource
from pipesec.scanners.containers.os import catalog_os
from pipesec.scanners.containers.os.match import match_os_packages
from pipesec.scanners.containers.os.rpm import sqlite_blobs
from pipesec.vulndb import open_db
from pipesec.vulndb.store import import_records

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "distro"
SHARED = ROOT.parent / "shared" / "osv"


def _rename_blob(blob: bytes, old: bytes, new: bytes) -> bytes:
    # same length keeps every offset of the header valid
    assert len(old) == len(new)
    return blob.replace(old + b"\0", new + b"\0", 1)


def build(root: Path, n: int) -> None:
    status = (FIX / "debian12" / "var" / "lib" / "dpkg" / "status").read_text()
    pars = [p for p in status.strip().split("\n\n") if "config-files" not in p]
    out = []
    for i in range(n):
        p = pars[i % len(pars)]
        name = p.split("\n", 1)[0].removeprefix("Package: ")
        out.append(p.replace(f"Package: {name}", f"Package: {name}-b{i}", 1))
    (root / "var/lib/dpkg").mkdir(parents=True)
    (root / "var/lib/dpkg/status").write_text("\n\n".join(out) + "\n")
    apk = (FIX / "alpine311" / "lib/apk/db/installed").read_text().strip().split("\n\n")
    (root / "lib/apk/db").mkdir(parents=True)
    (root / "lib/apk/db/installed").write_text(
        "\n\n".join(apk[i % len(apk)].replace("\nP:", f"\nP:x{i}", 1) for i in range(n)) + "\n\n"
    )
    blobs = sqlite_blobs((FIX / "alma9" / "var/lib/rpm/rpmdb.sqlite").read_bytes())
    (root / "var/lib/rpm").mkdir(parents=True)
    conn = sqlite3.connect(root / "var/lib/rpm/rpmdb.sqlite")
    conn.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB)")
    conn.executemany(
        "INSERT INTO Packages (blob) VALUES (?)", [(blobs[i % len(blobs)],) for i in range(n)]
    )
    conn.commit()
    conn.close()
    (root / "etc").mkdir()
    (root / "etc/os-release").write_text('ID=almalinux\nVERSION_ID="9.3"\n')


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--packages", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "rootfs"
        build(root, args.packages)
        db_path = Path(tmp) / "osv.sqlite"
        zips = sorted(SHARED.glob("almalinux-osv-*.zip")) + sorted(SHARED.glob("alpine-*.zip"))
        import_records(db_path, zips or [FIX / "osv"])
        t = time.perf_counter()
        os_info, pkgs, problems = catalog_os(DirectorySource(root))
        t_cat = time.perf_counter() - t
        with open_db(db_path) as db:
            t = time.perf_counter()
            found = match_os_packages(db, pkgs)
            t_match = time.perf_counter() - t
        hits = sum(len(v) for v in found.values())
        data = [z.name for z in zips] or "the test fixtures' records"
        print(f"os: {os_info.ecosystem if os_info else None}; data: {data}")
        print(
            f"pipesec: catalogued {len(pkgs)} packages (dpkg+apk+rpm, {args.packages} each) "
            f"in {t_cat:.3f} s; matched in {t_match:.3f} s ({hits} advisories); "
            f"problems: {len(problems)}"
        )
        print("peers (syft/grype/trivy) are not installable here: no peer figure")


if __name__ == "__main__":
    main()
