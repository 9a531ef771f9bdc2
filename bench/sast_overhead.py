"""pipesec's in-process SAST scanner (bandit as a library) vs the bandit CLI on the same
Python tree. The in-process run must not be slower.

    .venv/bin/python bench/sast_overhead.py [--runs N] [TREE]

The default tree is a copy of a few installed packages (rich, click, yaml, typer) and
pipesec's src/: about 60k lines of real Python. Runs alternate between the tools and the
best of N is kept, so load from other processes hits both alike. The bandit CLI
is installed by this script into bench/.peers/bandit.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
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


def timed(argv: list[str], runs: int) -> tuple[float, bytes]:
    best, out = float("inf"), b""
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(argv, capture_output=True, check=False, cwd=tempfile.gettempdir())
        dt = time.perf_counter() - t
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{argv[0]} failed ({proc.returncode}): {proc.stderr[-400:]!r}")
        best, out = min(best, dt), proc.stdout
    return best, out


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
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    bandit = ensure("bandit")
    with tempfile.TemporaryDirectory(prefix="pipesec-sast-") as tmp:
        tree = args.tree or build_tree(Path(tmp) / "tree")
        files = list(tree.rglob("*.py"))
        lines = sum(len(p.read_bytes().splitlines()) for p in files)
        print(f"tree: {len(files)} Python files, {lines} lines; {version(bandit)}")
        b = p = float("inf")
        b_out = p_out = b""
        for _ in range(args.runs):
            bt, b_out = timed([str(bandit), "-r", str(tree), "-f", "json", "-q"], 1)
            pt, p_out = timed(
                [str(PIPESEC), "scan", str(tree), "--scanner", "sast", "--format", "json"], 1
            )
            b, p = min(b, bt), min(p, pt)
        b_count = len(json.loads(b_out or b"{}").get("results", []))
        doc = json.loads(p_out or b"{}")
        p_count = len(doc.get("findings", [])) + len(doc.get("suppressed", []))
        lib, lib_count = in_process(tree, args.runs)
        print(f"{'bandit CLI':34} {b:7.2f}s  {b_count} results (nosec excluded)")
        print(
            f"{'pipesec scan --scanner sast (CLI)':34} {p:7.2f}s  {p_count} findings (with nosec)"
        )
        print(f"{'pipesec sast scanner in-process':34} {lib:7.2f}s  {lib_count} findings")
        print(
            f"CLI ratio pipesec/bandit: {p / b:.2f} ({'not slower' if p <= b * 1.05 else 'SLOWER'})"
        )


if __name__ == "__main__":
    main()
