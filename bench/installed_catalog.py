"""Speed and yield of the installed-package cataloguers (containers/installed) over real
directories, read as an image's merged filesystem would be (DirectorySource).

Run: .venv/bin/python bench/installed_catalog.py [DIR ...]
(default: this checkout's .venv, /usr/lib and /usr/bin)

Prints, per directory, the files listed, the packages found per ecosystem, the problem
lines and the seconds taken. Figures only: no peer tool (syft, trivy) is installable here.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pipesec.scanners.containers.installed import catalog_installed
from pipesec.scanners.containers.interface import DirectorySource


def main() -> None:
    here = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", default=[str(here / ".venv"), "/usr/lib", "/usr/bin"])
    args = ap.parse_args()
    for d in args.dirs:
        fs = DirectorySource(d)
        files = sum(1 for _ in fs.paths())
        start = time.perf_counter()
        pkgs, problems = catalog_installed(fs)
        took = time.perf_counter() - start
        per = dict(sorted(collections.Counter(p.ecosystem for p in pkgs).items()))
        found = f"{len(pkgs)} packages {per}, {len(problems)} problems"
        print(f"{d}: {files} files, {found}, {took:.1f} s")
        for p in problems[:5]:
            print(f"  problem: {p}")


if __name__ == "__main__":
    main()
