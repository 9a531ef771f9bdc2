"""Start-up time: `pipesec version` and a scan of an empty tree (target: under 0.25 s).

Run: .venv/bin/python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "pipesec"


def timed(cmd: list[str], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, check=False)
        samples.append(time.perf_counter() - t)
        if proc.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return statistics.median(samples), min(samples)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp)
        rows = [
            ("python -c pass (interpreter floor)", [sys.executable, "-c", "pass"]),
            ("pipesec version", [str(BIN), "version"]),
            ("pipesec scan <empty tree>", [str(BIN), "scan", str(empty), "--no-progress", "-q"]),
        ]
        print(f"{'command':<40} {'median s':>9} {'min s':>7}")
        for name, cmd in rows:
            med, best = timed(cmd, args.runs)
            flag = "" if "python -c" in name or med < 0.25 else "  (over the 0.25 s target)"
            print(f"{name:<40} {med:9.3f} {best:7.3f}{flag}")


if __name__ == "__main__":
    main()
