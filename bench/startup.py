"""Start-up time: `pipesec version` and a scan of an empty tree (target: under 0.25 s).

Run: .venv/bin/python bench/startup.py [--runs N]

The last row runs the scan with Python's bytecode cache (in a temporary
PYTHONPYCACHEPREFIX, filled by one run first), as an installed pipesec has it: an editable
install under PYTHONDONTWRITEBYTECODE=1 (this project's sessions) compiles every pipesec
module from source in every process, which the other rows include.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "pipesec"


def timed(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, check=False, env=env)
        samples.append(time.perf_counter() - t)
        if proc.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return statistics.median(samples), min(samples)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as pyc:
        empty = Path(tmp)
        rows = [
            ("python -c pass (interpreter floor)", [sys.executable, "-c", "pass"]),
            ("pipesec version", [str(BIN), "version"]),
            ("pipesec scan <empty tree>", [str(BIN), "scan", str(empty), "--no-progress", "-q"]),
        ]
        cached = dict(os.environ, PYTHONPYCACHEPREFIX=pyc)
        cached.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(rows[-1][1], capture_output=True, check=False, env=cached)  # fill it
        envs: list[dict[str, str] | None] = [None] * len(rows) + [cached]
        rows.append(("pipesec scan <empty tree>, bytecode cached", rows[-1][1]))
        print(f"{'command':<44} {'median s':>9} {'min s':>7}")
        for (name, cmd), env in zip(rows, envs, strict=True):
            med, best = timed(cmd, args.runs, env)
            flag = "" if "python -c" in name or med < 0.25 else "  (over the 0.25 s target)"
            print(f"{name:<44} {med:9.3f} {best:7.3f}{flag}")
        if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
            print("(PYTHONDONTWRITEBYTECODE is not set: every row may use the bytecode cache)")


if __name__ == "__main__":
    main()
