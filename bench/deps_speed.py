"""Vulnerability database speed, memory and correctness on the real OSV data.

    .venv/bin/python bench/deps_speed.py [--shared ../shared/osv] [--quick] [--no-check]

Prints:
- ``db import`` time for each shared zip (PyPI 2,661 and Go 4,291 records) and for both;
- matching time (one core, cold caches) of a generated 10,000-component SBOM against the
  full imported database plus synthetic records up to 200,000 advisories, for 1k/5k/10k
  components (should grow with components) and 7k/50k/100k/200k advisories (should not);
- the peak memory (max RSS) of each matching run, in its own process;
- with the check (default): the matcher against the brute-force reference
  (tests/vulndb/osv_reference.py) on the FULL shared data, at the boundary versions of
  every range: the number of cases and of mismatches (must be 0).

The synthetic advisories name the benchmark's own packages (``bench-pkg-N`` on PyPI,
``example.com/bench/modN`` on Go; five advisories per package, as dense as the real data)
with real-looking ranges and version lists, so the matcher does real work; four in five
SBOM components are such packages, one in five a real package of the shared data.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPI_ZIP = "pypi-advisories-2024-10-10.zip"
GO_ZIP = "go-advisories-2026-08-21.zip"
PER_PACKAGE = 5  # synthetic advisories per synthetic package (real data: 3 to 4)


_LAST_IMPORT_CPU = [0.0]


def _import(db: Path, *zips: Path) -> float:
    """Wall seconds of one import (its CPU seconds go to _LAST_IMPORT_CPU)."""
    from pipesec.vulndb.store import import_records

    t, cpu = time.perf_counter(), time.process_time()
    import_records(db, list(zips))
    _LAST_IMPORT_CPU[0] = time.process_time() - cpu
    return time.perf_counter() - t


def _packages(count: int) -> int:
    return max(1, count // PER_PACKAGE)


def _synthetic_zip(path: Path, count: int, packages: int = 0, seed: int = 7) -> None:
    rng = random.Random(seed)
    packages = packages or _packages(count)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for i in range(count):
            pkg = i % packages
            go = pkg % 2 == 1
            major = rng.randint(0, 5)
            lo, hi = sorted(rng.sample(range(0, 40), 2))
            if go:
                affected = {
                    "package": {"ecosystem": "Go", "name": f"example.com/bench/mod{pkg}"},
                    "ranges": [
                        {
                            "type": "SEMVER",
                            "events": [
                                {"introduced": f"{major}.{lo}.0"},
                                {"fixed": f"{major}.{hi}.{rng.randint(0, 9)}"},
                            ],
                        }
                    ],
                }
            else:
                versions = [f"{major}.{m}.{p}" for m in range(lo, min(hi, lo + 4)) for p in (0, 1)]
                affected = {
                    "package": {"ecosystem": "PyPI", "name": f"bench-pkg-{pkg}"},
                    "ranges": [
                        {
                            "type": "ECOSYSTEM",
                            "events": [
                                {"introduced": f"{major}.{lo}"},
                                {"fixed": f"{major}.{hi}.1"},
                            ],
                        }
                    ],
                    "versions": versions,
                }
            rec = {
                "id": f"BENCH-{i:06d}",
                "aliases": [f"CVE-2099-{i:06d}"],
                "modified": "2026-01-01T00:00:00Z",
                "summary": f"synthetic advisory {i}",
                "affected": [affected],
            }
            if i % 10 == 0:
                rec["severity"] = [
                    {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}
                ]
            zf.writestr(f"BENCH-{i:06d}.json", json.dumps(rec))


def _components(n: int, db: Path, packages: int, seed: int = 11) -> list[tuple[str, str, str]]:
    """A 'generated SBOM': bench packages plus real package names from the database."""
    import sqlite3

    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    real = conn.execute(
        "SELECT DISTINCT ecosystem, name FROM affected WHERE name NOT LIKE '%bench%'"
    ).fetchall()
    conn.close()
    out = []
    for i in range(n):
        if (i % 5 == 0 or packages == 0) and real:
            eco, name = rng.choice(real)
        else:
            pkg = rng.randrange(packages)
            eco, name = (
                ("Go", f"example.com/bench/mod{pkg}") if pkg % 2 else ("PyPI", f"bench-pkg-{pkg}")
            )
        major, minor, patch = rng.randint(0, 5), rng.randint(0, 45), rng.randint(0, 9)
        version = f"v{major}.{minor}.{patch}" if eco == "Go" else f"{major}.{minor}.{patch}"
        out.append((eco, name, version))
    return out


def _peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM; ru_maxrss would include the parent's
    peak, which Linux carries across fork and exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child_match(db: Path, n: int, packages: int) -> None:
    from pipesec.vulndb import open_db

    comps = _components(n, db, packages)
    before = _peak_rss_mb()
    t, cpu = time.perf_counter(), time.process_time()
    vdb = open_db(db)
    result = vdb.match_many(comps)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    hits = sum(len(v) for v in result.values())
    rss = _peak_rss_mb()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "hits": hits,
                "rss_mb": rss,
                "rss_before_mb": before,
                "components": n,
            }
        )
    )


def _match(db: Path, n: int, packages: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child-match", str(db), str(n), str(packages)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _check(shared: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "osv_reference", ROOT / "tests" / "vulndb" / "osv_reference.py"
    )
    assert spec and spec.loader
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    from pipesec.vulndb import open_db

    records = ref.load_records(shared / PYPI_ZIP, shared / GO_ZIP)
    ids = {r["id"] for r in records}
    by_name: dict[tuple[str, str], list] = {}
    for rec in records:
        for e in rec.get("affected") or ():
            p = e.get("package") or {}
            key = (p.get("ecosystem"), ref.norm_name(p.get("ecosystem"), p.get("name", "")))
            lst = by_name.setdefault(key, [])
            if rec not in lst:
                lst.append(rec)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "osv.sqlite"
        _import(db_path, shared / PYPI_ZIP, shared / GO_ZIP)
        db = open_db(db_path)
        for eco in ("PyPI", "Go"):
            items = [
                (eco, name, v)
                for name, vs in sorted(ref.boundary_versions(eco, records).items())
                for v in sorted(vs)
            ]
            t = time.perf_counter()
            ours = db.match_many(items)
            mismatches = 0
            for item in items:
                got = {i for a in ours[item] for i in a.ids if i in ids}
                recs = by_name.get((eco, ref.norm_name(eco, item[1])), [])
                if got != ref.affected_ids(recs, *item):
                    mismatches += 1
                    if mismatches <= 5:
                        print(f"  MISMATCH {item}: ours {sorted(got)}")
            print(
                f"reference check {eco}: {len(items)} boundary cases over the full data, "
                f"{mismatches} mismatches ({time.perf_counter() - t:.1f} s)"
            )


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child-match":
        _child_match(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "osv")
    ap.add_argument("--quick", action="store_true", help="only 50k synthetic advisories")
    ap.add_argument("--no-check", action="store_true", help="skip the reference check")
    args = ap.parse_args()
    shared: Path = args.shared
    if not (shared / PYPI_ZIP).exists():
        sys.exit(f"no shared OSV data at {shared}; pass --shared")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        print("== db import (fresh database each)")
        for z in (PYPI_ZIP, GO_ZIP):
            secs = _import(t / (z + ".sqlite"), shared / z)
            print(f"  {z}: {secs:.2f} s (CPU {_LAST_IMPORT_CPU[0]:.2f} s)")
        base = t / "base.sqlite"
        secs = _import(base, shared / PYPI_ZIP, shared / GO_ZIP)
        print(f"  both: {secs:.2f} s (CPU {_LAST_IMPORT_CPU[0]:.2f} s)")
        real = 2661 + 4291
        totals = [50_000] if args.quick else [50_000, 100_000, 200_000]
        print(f"== matching ({real} real advisories + synthetic; one process per run, cold)")
        results = {}
        base_bytes = base.read_bytes()
        for total in [real, *totals]:
            db = t / f"db{total}.sqlite"
            db.write_bytes(base_bytes)
            if total > real:
                syn = t / f"syn{total}.zip"
                _synthetic_zip(syn, total - real)
                secs = _import(db, syn)
                print(
                    f"  import {total - real} synthetic advisories: {secs:.1f} s "
                    f"(CPU {_LAST_IMPORT_CPU[0]:.1f} s)"
                )
            for n in (1_000, 5_000, 10_000):
                if n != 10_000 and total != [real, *totals][-1]:
                    continue
                r = _match(db, n, _packages(total - real) if total > real else 0)
                results[(total, n)] = r
                print(
                    f"  {total:>7} advisories, {n:>6} components: {r['seconds']:.2f} s "
                    f"(CPU {r['cpu']:.2f} s), "
                    f"{int(r['hits'])} matches, peak RSS {r['rss_mb']:.0f} MB "
                    f"(+{r['rss_mb'] - r['rss_before_mb']:.0f} MB while matching)"
                )
        biggest = max(totals)
        dense_pkgs = 8000
        dense = t / "dense.sqlite"
        dense.write_bytes(base_bytes)
        _synthetic_zip(t / "dense.zip", biggest - real, packages=dense_pkgs)
        _import(dense, t / "dense.zip")
        r = _match(dense, 10_000, dense_pkgs)
        print(
            f"  dense: {biggest} advisories on {dense_pkgs} packages "
            f"({(biggest - real) // dense_pkgs} per package, several times the real density), "
            f"10000 components: {r['seconds']:.2f} s (CPU {r['cpu']:.2f} s), "
            f"{int(r['hits'])} matches"
        )
        print(
            f"10,000 components x {biggest} advisories: "
            f"{results[(biggest, 10_000)]['seconds']:.2f} s wall, "
            f"{results[(biggest, 10_000)]['cpu']:.2f} s CPU (target < 2 s on one core)"
        )
    if not args.no_check:
        print("== correctness against the brute-force reference")
        _check(shared)


if __name__ == "__main__":
    main()
