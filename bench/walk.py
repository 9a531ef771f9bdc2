"""Workspace discovery speed on a generated 100,000-file tree, beside `git ls-files`.

Run: .venv/bin/python bench/walk.py [--files N]
The tree is generated once under bench/.work/walk-N (git-ignored) and reused.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pipesec.core.workspace import Workspace

WORK = Path(__file__).resolve().parent / ".work"


def generate(root: Path, n: int) -> None:
    if (root / ".done").exists():
        return
    root.mkdir(parents=True, exist_ok=True)
    per_dir = 100
    for i in range(n):
        d = root / f"pkg{i // (per_dir * 20):03d}" / f"mod{(i // per_dir) % 20:02d}"
        if i % per_dir == 0:
            d.mkdir(parents=True, exist_ok=True)
        ext = (".py", ".js", ".yml", ".json", ".md")[i % 5]
        (d / f"file{i}{ext}").write_text(f"value_{i} = {i}\n")
    (root / ".gitignore").write_text("*.log\nbuild/\n")
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="b",
        GIT_AUTHOR_EMAIL="b@b",
        GIT_COMMITTER_NAME="b",
        GIT_COMMITTER_EMAIL="b@b",
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "tree"], cwd=root, check=True, env=env)
    (root / ".done").write_text("")


def best_of(fn, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=100_000)
    args = ap.parse_args()
    root = WORK / f"walk-{args.files}"
    t = time.perf_counter()
    generate(root, args.files)
    print(f"tree: {root} ({args.files} files, ready in {time.perf_counter() - t:.1f}s)")

    def git_ls() -> None:
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        )

    def ws_git() -> None:
        n = len(Workspace(root).files())
        assert n >= args.files, n

    def ws_walk() -> None:
        n = len(Workspace(root, use_git=False).files())
        assert n >= args.files, n

    rows = [
        ("git ls-files (listing only)", git_ls),
        ("pipesec workspace (git listing + stat)", ws_git),
        ("pipesec workspace (os.walk, no git)", ws_walk),
    ]
    print(f"{'what':<42} {'seconds':>8} {'files/s':>10}")
    for name, fn in rows:
        s = best_of(fn)
        print(f"{name:<42} {s:8.3f} {args.files / s:10.0f}")


if __name__ == "__main__":
    main()
