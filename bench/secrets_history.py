"""Git-history throughput of the secrets scanner on a generated repository.

    .venv/bin/python bench/secrets_history.py [--commits 10000] [--files 300] [--keep DIR]

Generates (with ``git fast-import``, seeded, in a temporary directory) a repository of
``--commits`` commits over ``--files`` source/config files: each commit edits one to three
files, a feature branch is merged every 500 commits, and every 250th commit plants a
credential built from its provider's documented format (AWS key pair, Stripe, GitLab,
Slack, npm) that a later commit removes again, so it lives only in history. Then prints:

- pipesec ``scan_history`` (the ``--history`` code path; Hyperscan engine built first):
  wall time, commits/s, distinct blobs scanned, MB of blob text scanned and MB/s, and the
  planted secrets found (recall sanity check);
- the same through the CLI (``pipesec scan --history -s secrets``), start-up included;
- the alternative design, ``git log -p`` parsing (scanning only added lines of every
  commit), for comparison: time to produce and parse the patch text, MB scanned, time;
- with ``--peer``: betterleaks (the gitleaks engine) in ``git`` mode on the same repository
  when installed in bench/.peers/betterleaks (GOMAXPROCS=1).

Everything runs pinned to one core (sched_setaffinity; git and the peer inherit it); each
measurement is the best of ``--repeat`` runs (default 3) on a shared machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
WORDS = [
    "request",
    "response",
    "handler",
    "session",
    "config",
    "value",
    "result",
    "client",
    "server",
    "cache",
    "token",
    "user",
    "account",
    "order",
    "payment",
    "invoice",
    "record",
    "stream",
    "buffer",
    "queue",
    "worker",
    "job",
    "retry",
    "timeout",
]


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def _rs(r: random.Random, charset: str, n: int) -> str:
    return "".join(r.choice(charset) for _ in range(n))


def planted_secret(r: random.Random, k: int) -> tuple[str, list[str]]:
    """A config snippet with a credential in its provider's documented format, and the
    values a scanner should report."""
    kind = k % 5
    if kind == 0:
        key_id = "AKIA" + _rs(r, B32, 16)
        secret = _rs(r, ALNUM + "/+", 40)
        return (
            f"[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n",
            [key_id, secret],
        )
    if kind == 1:
        v = "sk_" + "live_" + _rs(r, ALNUM, 24)
        return f'STRIPE_API_KEY = "{v}"\n', [v]
    if kind == 2:
        v = "glpat" + "-" + _rs(r, ALNUM + "_-", 20)
        return f"GITLAB_TOKEN: {v}\n", [v]
    if kind == 3:
        v = "xox" + "b-" + _rs(r, "0123456789", 12) + "-" + _rs(r, "0123456789", 13) + "-"
        v += _rs(r, ALNUM, 24)
        return f'slack_token = "{v}"\n', [v]
    v = "npm" + "_" + _rs(r, ALNUM, 36)
    return f"//registry.npmjs.org/:_authToken={v}\n", [v]


def source_file(r: random.Random, i: int) -> list[str]:
    kind = i % 4
    lines: list[str] = []
    n = r.randint(60, 180)
    for j in range(n):
        a, b = r.choice(WORDS), r.choice(WORDS)
        if kind == 0:
            lines.append(f"    {a}_{j} = compute_{b}({a}, retries={j % 7})  # {b} step")
        elif kind == 1:
            lines.append(f"  {a}_{j}: {{ enabled: {str(j % 2 == 0).lower()}, {b}: {j * 13} }}")
        elif kind == 2:
            lines.append(
                f'  "{a}_{j}": {{"{b}": {j}, "hash": "{_rs(r, "0123456789abcdef", 16)}"}},'
            )
        else:
            lines.append(f"export function {a}{j}({b}) {{ return {b}.{a} ?? {j}; }}")
    return lines


def generate(path: Path, commits: int, files: int, seed: int = 1) -> list[str]:
    """Write the repository with git fast-import; return the planted secret values."""
    r = random.Random(seed)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    names = []
    for i in range(files):
        ext = (".py", ".yaml", ".json", ".ts")[i % 4]
        names.append(f"{('src', 'config', 'data', 'web')[i % 4]}/mod{i // 4:03d}/file{i}{ext}")
    content = {n: source_file(r, i) for i, n in enumerate(names)}
    planted: list[str] = []
    live: dict[str, str] = {}  # path -> planted file to remove later
    out: list[bytes] = []
    mark = 0
    t0 = 1_600_000_000

    def blob_cmd(p: str, text: str) -> None:
        data = text.encode()
        out.append(f"M 100644 inline {p}\ndata {len(data)}\n".encode() + data + b"\n")

    def commit(ref: str, n: int, changes: list[tuple[str, str | None]], merge: int = 0) -> int:
        nonlocal mark
        mark += 1
        author = f"Dev{n % 17} <dev{n % 17}@example.invalid>"
        msg = f"change {n}".encode()
        out.append(f"commit {ref}\nmark :{mark}\n".encode())
        out.append(f"author {author} {t0 + n * 600} +0000\n".encode())
        out.append(f"committer {author} {t0 + n * 600} +0000\n".encode())
        out.append(f"data {len(msg)}\n".encode() + msg + b"\n")
        if merge:
            out.append(f"merge :{merge}\n".encode())
        for p, text in changes:
            if text is None:
                out.append(f"D {p}\n".encode())
            else:
                blob_cmd(p, text)
        return mark

    main_head = commit("refs/heads/main", 0, [(n, "\n".join(c) + "\n") for n, c in content.items()])
    branch_head = 0
    for n in range(1, commits):
        on_branch = (n // 50) % 10 == 9  # every 500 commits, 50 on a feature branch
        ref = "refs/heads/feature" if on_branch else "refs/heads/main"
        changes: list[tuple[str, str | None]] = []
        for _ in range(r.randint(1, 3)):
            p = r.choice(names)
            lines = content[p]
            j = r.randrange(len(lines))
            lines[j] = lines[j] + f"  # rev {n}"
            if r.random() < 0.3:
                lines.insert(j, lines[j].replace("step", "extra"))
            changes.append((p, "\n".join(lines) + "\n"))
        if n % 250 == 0:
            text, values = planted_secret(r, n // 250)
            secret_path = f"deploy/env{n}.cfg"
            changes.append((secret_path, text))
            planted.extend(values)
            live[secret_path] = text
        elif n % 250 == 40 and live:
            p = sorted(live)[0]
            del live[p]
            changes.append((p, None))
        if on_branch and branch_head == 0:
            out.append(f"reset refs/heads/feature\nfrom :{main_head}\n".encode())
        head = commit(ref, n, changes)
        if on_branch:
            branch_head = head
        else:
            main_head = head
            if branch_head and (n // 50) % 10 == 0:
                main_head = commit("refs/heads/main", n, [], merge=branch_head)
                branch_head = 0
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=b"".join(out), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=path, check=True)
    return planted


def bench_pipesec(repo: Path, planted: list[str], repeat: int = 3) -> None:
    from pipesec.scanners.secrets import engine_for
    from pipesec.scanners.secrets.history import scan_history

    t = time.perf_counter()
    engine = engine_for()
    print(f"engine ready in {time.perf_counter() - t:.2f} s (hyperscan={engine.uses_hyperscan})")
    n_commits = int(
        subprocess.run(
            ["git", "rev-list", "--all", "--count"], cwd=repo, capture_output=True, text=True
        ).stdout
    )
    scanned = [0, 0]
    values: set[str] = set()

    def scan_blob(text: str, path: str):  # type: ignore[no-untyped-def]
        scanned[0] += 1
        scanned[1] += len(text)
        found = list(engine.scan_text(text, path=path))
        values.update(m.value for m in found)
        return found

    dt = float("inf")
    for _ in range(repeat):
        scanned[:] = [0, 0]
        t = time.perf_counter()
        items = list(scan_history(repo, scan_blob, b"bench"))
        dt = min(dt, time.perf_counter() - t)
    findings = [i for i in items if type(i).__name__ == "Finding"]
    mb = scanned[1] / 1e6
    found_planted = sum(1 for v in planted if v in values)
    print(
        f"pipesec history: {n_commits} commits in {dt:.2f} s = {n_commits / dt:,.0f} commits/s; "
        f"{scanned[0]:,} distinct blobs, {mb:.1f} MB scanned = {mb / dt:.1f} MB/s"
    )
    print(f"  {len(findings)} findings; planted secrets found: {found_planted}/{len(planted)}")


def bench_cli(repo: Path, repeat: int = 3) -> None:
    exe = Path(sys.executable).parent / "pipesec"
    dt = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        proc = _run_cli(exe, repo)
        dt = min(dt, time.perf_counter() - t)
    print(f"pipesec scan --history (CLI, start-up included): {dt:.2f} s, exit {proc.returncode}")


def _run_cli(exe: Path, repo: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [
            str(exe),
            "scan",
            str(repo),
            "--history",
            "-s",
            "secrets",
            "-f",
            "json",
            "--no-progress",
            "--no-step-summary",
        ],
        capture_output=True,
    )


def bench_log_p(repo: Path) -> None:
    """The alternative design: scan the added lines of every commit's patch."""
    from pipesec.scanners.secrets import engine_for

    engine = engine_for()
    t = time.perf_counter()
    proc = subprocess.run(
        [
            "git",
            "log",
            "-p",
            "--all",
            "--no-renames",
            "--no-color",
            "--format=commit %H",
            "--reverse",
            "--diff-merges=first-parent",
        ],
        cwd=repo,
        capture_output=True,
        check=True,
    )
    t_git = time.perf_counter() - t
    text = proc.stdout.decode("utf-8", "replace")
    added: list[str] = []
    scanned = 0
    found = 0
    path = ""

    def flush() -> None:
        nonlocal scanned, found
        if added:
            chunk = "\n".join(added)
            scanned += len(chunk)
            found += sum(1 for _ in engine.scan_text(chunk, path=path))
            added.clear()

    for line in text.split("\n"):
        if line.startswith("+++ "):
            flush()
            path = line[6:] if line.startswith("+++ b/") else ""
        elif line.startswith("+"):
            added.append(line[1:])
        elif line.startswith(("diff --git", "commit ", "@@")):
            flush()
    flush()
    dt = time.perf_counter() - t
    print(
        f"git log -p design: {dt:.2f} s ({t_git:.2f} s in git log -p, {len(text) / 1e6:.1f} MB "
        f"of patch), {scanned / 1e6:.1f} MB of added lines scanned, {found} raw matches"
    )


def bench_peer(repo: Path, repeat: int = 3) -> None:
    exe = ROOT / "bench" / ".peers" / "betterleaks" / "bin" / "betterleaks"
    if not exe.exists():
        print("betterleaks: not installed in bench/.peers/betterleaks (skipped)")
        return
    report = repo.parent / "betterleaks.json"
    env = dict(os.environ, GOMAXPROCS="1")
    t = time.perf_counter()
    proc = subprocess.run(
        [
            str(exe),
            "git",
            str(repo),
            "-o",
            str(report),
            "--exit-code",
            "0",
            "--no-banner",
            "--log-opts=--all",
            "-l",
            "error",
        ],
        capture_output=True,
        env=env,
    )
    dt = time.perf_counter() - t
    try:
        import json

        doc = json.loads(report.read_text())
        found = len(doc["findings"] if isinstance(doc, dict) else doc)
    except (OSError, ValueError):
        found = -1
    print(
        f"betterleaks git --log-opts=--all (GOMAXPROCS=1, same core): {dt:.2f} s, "
        f"{found} findings, exit {proc.returncode}"
    )
    if proc.returncode:
        print("  " + proc.stderr.decode(errors="replace")[-300:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--commits", type=int, default=10_000)
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--keep", type=Path, help="generate the repository here and keep it")
    ap.add_argument("--peer", action="store_true", help="also run betterleaks if installed")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    args = ap.parse_args()
    _pin()
    tmp = Path(tempfile.mkdtemp(prefix="pipesec-history-"))
    repo = args.keep or tmp / "repo"
    try:
        t = time.perf_counter()
        if repo.exists() and (repo / ".git").exists():
            planted: list[str] = []
            print(f"reusing {repo} (planted secrets unknown)")
        else:
            planted = generate(repo, args.commits, args.files)
            print(f"generated {args.commits} commits in {time.perf_counter() - t:.1f} s at {repo}")
        bench_pipesec(repo, planted, args.repeat)
        bench_cli(repo, args.repeat)
        bench_log_p(repo)
        if args.peer:
            bench_peer(repo, args.repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
