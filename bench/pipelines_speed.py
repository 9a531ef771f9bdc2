"""Speed of the pipelines scanner vs zizmor on generated GitHub Actions workflows.

    .venv/bin/python bench/pipelines_speed.py [--files 2000] [--runs 3]

Generates N workflows (the corpus scenarios with varied names, triggers and job counts)
into a temporary repository, then times, in the same run:
  * `pipesec scan --scanner pipelines` (whole command: start-up, discovery, analysis,
    posture, report) and the analysis alone in-process;
  * `zizmor --offline` (installed by the benchmark into bench/.peers/zizmor).
Prints wall time, files per second and the ratio. Medians of --runs runs.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))

import pipelines_corpus_gha as gha  # noqa: E402
from _peers import ensure, version  # noqa: E402
from pipelines_make_corpus import VARIANTS, render  # noqa: E402

PIPESEC = Path(sys.executable).parent / "pipesec"


def generate(root: Path, n: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    names = list(gha.SCENARIOS)
    names.remove("composite-action")
    wf_dir = root / ".github" / "workflows"
    wf_dir.mkdir(parents=True)
    out = []
    for i in range(n):
        name = rng.choice(names)
        variant = dict(rng.choice(VARIANTS))
        variant["%PROJ%"] = f"{variant['%PROJ%']}{i}"
        text, _ = render(gha.SCENARIOS[name], variant)
        # more jobs in some files: duplicate the jobs block under new ids
        if rng.random() < 0.3 and "\njobs:\n" in text:
            head, jobs = text.split("\njobs:\n", 1)
            extra = jobs.replace("\n  ", "\n  x", 0)
            text = (
                head
                + "\njobs:\n"
                + jobs
                + "".join("\n" + _rename_jobs(extra, k) for k in range(rng.randint(1, 3)))
            )
        p = wf_dir / f"{i:04d}-{name}.yml"
        p.write_text(text, encoding="utf-8")
        out.append(p)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    return out


def _rename_jobs(jobs: str, k: int) -> str:
    lines = []
    for line in jobs.splitlines():
        if line.startswith("  ") and not line.startswith("   ") and line.rstrip().endswith(":"):
            line = f"  {line.strip()[:-1]}-copy{k}:"
        lines.append(line)
    return "\n".join(lines)


def timed(cmd: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system, children included)."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode not in (0, 1, 10, 11, 12, 13, 14):
            sys.exit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-800:]}")
    return statistics.median(walls), statistics.median(cpus)


def in_process(files: list[Path], root: Path, runs: int) -> float:
    """CPU seconds of the analysis alone (parse + all rules), one process."""
    from pipesec.scanners.pipelines.analyze import analyze_text

    texts = [(p.relative_to(root).as_posix(), p.read_text()) for p in files]
    analyze_text(*texts[0], "workflow", many=True)
    samples = []
    for _ in range(runs):
        t = time.process_time()
        for rel, text in texts:
            analyze_text(rel, text, "workflow", many=True)
        samples.append(time.process_time() - t)
    return statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    zizmor = ensure("zizmor")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        files = generate(root, args.files)
        size = sum(p.stat().st_size for p in files)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"{len(files)} workflows, {size / 1e6:.1f} MB; median of {args.runs} runs")
        print(f"load average before: {load} ({os.cpu_count()} cores)")
        t_lib = in_process(files, root, args.runs)
        timed([str(PIPESEC), "scan", "--scanner", "pipelines", "--no-progress", "."], root, 1)
        t_ours, c_ours = timed(
            [
                str(PIPESEC),
                "scan",
                "--scanner",
                "pipelines",
                "--format",
                "json",
                "--no-progress",
                "--fail-on",
                "critical",
                ".",
            ],
            root,
            args.runs,
        )
        t_z, c_z = timed(
            [str(zizmor), "--offline", "--format", "json", "--no-exit-codes", "."], root, args.runs
        )
        n = len(files)
        print(f"{'tool':36} {'wall s':>7} {'files/s':>8} {'CPU s':>7}")
        print(f"{'pipesec analysis (1 process)':36} {t_lib:7.2f} {n / t_lib:8.0f} {t_lib:7.2f}")
        print(f"{'pipesec scan (whole command)':36} {t_ours:7.2f} {n / t_ours:8.0f} {c_ours:7.2f}")
        print(f"{version(zizmor) + ' --offline':36} {t_z:7.2f} {n / t_z:8.0f} {c_z:7.2f}")
        print(
            f"whole command, per file: pipesec is {t_z / t_ours:.2f}x zizmor's speed in wall"
            f" time, {c_z / c_ours:.2f}x in CPU time"
        )
        print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
