"""pipesec's in-process SAST scanner (bandit as a library) vs the bandit CLI on the same
Python tree. The in-process run must not be slower.

    .venv/bin/python bench/sast_overhead.py [--runs N] [TREE]

The default tree is a copy of a few installed packages (rich, click, yaml, typer) and
pipesec's src/: about 100k lines of real Python. Runs alternate between the tools; wall and
CPU time (min and median of N) are printed, CPU time being the steadier measure on a shared
machine. The bandit CLI is installed by this script into bench/.peers/bandit.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _peers import ensure, version

PIPESEC = Path(sys.executable).parent / "pipesec"
PACKAGES = ("rich", "click", "yaml", "typer")


def build_tree(dest: Path) -> Path:
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            src = Path(next(iter(spec.submodule_search_locations)))
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(
        Path(__file__).parents[1] / "src" / "pipesec",
        dest / "pipesec",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return dest


def timed(argv: list[str]) -> tuple[float, float, bytes]:
    """Wall time and CPU time (user + system of the child) of one run, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, check=False, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[0]} failed ({proc.returncode}): {proc.stderr[-400:]!r}")
    return wall, cpu, proc.stdout


def in_process(tree: Path, runs: int) -> tuple[float, int]:
    from pipesec.core.model import Finding
    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.workspace import Workspace
    from pipesec.scanners.sast import SastScanner

    best, count = float("inf"), 0
    for _ in range(runs):
        t = time.perf_counter()
        items = list(SastScanner().scan(Workspace(tree, use_git=False), ScannerSettings()))
        best = min(best, time.perf_counter() - t)
        count = sum(isinstance(i, Finding) for i in items)
    return best, count


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("tree", nargs="?", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    bandit = ensure("bandit")
    with tempfile.TemporaryDirectory(prefix="pipesec-sast-") as tmp:
        tree = args.tree or build_tree(Path(tmp) / "tree")
        files = list(tree.rglob("*.py"))
        lines = sum(len(p.read_bytes().splitlines()) for p in files)
        print(f"tree: {len(files)} Python files, {lines} lines; {version(bandit)}")
        b_runs: list[tuple[float, float]] = []
        p_runs: list[tuple[float, float]] = []
        b_out = p_out = b""
        for _ in range(args.runs):  # alternate, so load from other processes hits both alike
            bw, bc, b_out = timed([str(bandit), "-r", str(tree), "-f", "json", "-q"])
            pw, pc, p_out = timed(
                [str(PIPESEC), "scan", str(tree), "--scanner", "sast", "--format", "json"]
            )
            b_runs.append((bw, bc))
            p_runs.append((pw, pc))
        b_count = len(json.loads(b_out or b"{}").get("results", []))
        doc = json.loads(p_out or b"{}")
        p_count = len(doc.get("findings", [])) + len(doc.get("suppressed", []))
        lib, lib_count = in_process(tree, 1)

        def stats(runs: list[tuple[float, float]]) -> str:
            walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
            return (
                f"wall min {min(walls):6.2f}s median {statistics.median(walls):6.2f}s"
                f"  cpu min {min(cpus):6.2f}s median {statistics.median(cpus):6.2f}s"
            )

        print(f"{'bandit CLI':20} {stats(b_runs)}  {b_count} results (nosec excluded)")
        print(f"{'pipesec (CLI)':20} {stats(p_runs)}  {p_count} findings (with nosec)")
        print(f"{'pipesec in-process':20} wall {lib:6.2f}s  {lib_count} findings")
        b_cpu = statistics.median(r[1] for r in b_runs)
        p_cpu = statistics.median(r[1] for r in p_runs)
        verdict = "not slower" if p_cpu <= b_cpu * 1.05 else "SLOWER"
        print(f"median CPU time ratio pipesec/bandit: {p_cpu / b_cpu:.2f} ({verdict})")


if __name__ == "__main__":
    main()
