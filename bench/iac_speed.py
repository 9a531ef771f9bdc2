"""Wall time of pipesec's IaC scan vs checkov on the corpus, on a 10x replicated copy, and
for a pre-commit run on one changed file.

    .venv/bin/python bench/iac_speed.py [--runs N] [--cfn-only | --one-file | --buckets N]

Both tools run as command lines (startup included), on the same frameworks (Terraform,
Kubernetes, Dockerfile; checkov has no Compose support), without network. CloudFormation
is timed apart (checkov --framework cloudformation) on templates written from our rules'
examples and test fixtures (bench/cfn_corpus.py), once and replicated 10x. checkov is
installed by this script into bench/.peers/checkov (its pins conflict with ours).
Targets: at least 10x faster than checkov on the replicated copy; one file under 0.5 s.
The one-file row is also timed with Python's bytecode cache (a temporary
PYTHONPYCACHEPREFIX filled by one run first), as an installed pipesec has it: an editable
install under PYTHONDONTWRITEBYTECODE=1 (this project's sessions) compiles every pipesec
module from source in every process. ``--one-file``: only pipesec's one-file rows.
``--buckets N``: only pipesec on one synthetic module of N S3 buckets, each with its
versioning, encryption, public access block and logging resources (the links between a
bucket and its companions were quadratic until session 16: 800 buckets took 11.5 s).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _peers import ensure, version

CORPUS = Path(__file__).parent / "corpus" / "iac"
PIPESEC = Path(sys.executable).parent / "pipesec"
ONE_FILE = "terraform/net-billing/ssh/main.tf"


def timed(argv: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(
            argv, capture_output=True, check=False, cwd=tempfile.gettempdir(), env=env
        )
        dt = time.perf_counter() - t
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{argv[0]} failed ({proc.returncode}): {proc.stderr[-400:]!r}")
        best = min(best, dt)
    return best


def pipesec_argv(path: Path) -> list[str]:
    return [str(PIPESEC), "scan", str(path), "--scanner", "iac", "--format", "json"]


def checkov_argv(
    exe: Path, path: Path, frameworks: tuple[str, ...] = ("terraform", "kubernetes", "dockerfile")
) -> list[str]:
    target = ["-f", str(path)] if path.is_file() else ["-d", str(path)]
    return [str(exe), *target, "-o", "json", "--quiet", "--compact", "--skip-download",
            "--download-external-modules", "false", "--framework", *frameworks]  # fmt: skip


def cloudformation(exe: Path, tmp: Path, runs: int) -> None:
    import cfn_corpus

    one = tmp / "cfn-one"
    pairs = cfn_corpus.write(one)
    ten = tmp / "cfn-ten"
    for i in range(10):
        shutil.copytree(one, ten / f"copy{i}")
    n = sum(1 for p in one.rglob("*") if p.is_file())
    print(f"\nCloudFormation ({len(pairs)} rule example pairs + fixture stacks)")
    print(f"{'':32} {'pipesec':>9} {'checkov':>9} {'ratio':>7}")
    for label, path, ck_runs in (
        (f"templates ({n} files)", one, runs),
        (f"10x templates ({10 * n} files)", ten, 1),
    ):
        p = timed(pipesec_argv(path), runs)
        c = timed(checkov_argv(exe, path, ("cloudformation",)), ck_runs)
        print(f"{label:32} {p:8.2f}s {c:8.2f}s {c / p:6.1f}x")


def one_file(runs: int) -> float:
    """pipesec's one-file row, without and with the bytecode cache; the uncached time."""
    with tempfile.TemporaryDirectory(prefix="pipesec-iac-one-") as tmp:
        path = Path(tmp) / "one" / ONE_FILE
        path.parent.mkdir(parents=True)
        shutil.copyfile(CORPUS / ONE_FILE, path)
        cached = dict(os.environ, PYTHONPYCACHEPREFIX=str(Path(tmp) / "pyc"))
        cached.pop("PYTHONDONTWRITEBYTECODE", None)
        timed(pipesec_argv(path), 1, cached)  # fill the cache
        plain = timed(pipesec_argv(path), runs)
        fast = timed(pipesec_argv(path), runs, cached)
    print(f"one changed file, pipesec only (best of {runs}): {plain:.2f} s; with bytecode cache:"
          f" {fast:.2f} s; target < 0.5 s: {'met' if plain < 0.5 else 'NOT met'}"
          f" ({'met' if fast < 0.5 else 'NOT met'} with the cache)")  # fmt: skip
    return plain


def bucket_module(n: int) -> str:
    """N buckets, each with the four companion resources of the split S3 forms."""
    out = []
    for i in range(n):
        out.append(
            f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "bucket-{i}"\n}}\n'
            f'resource "aws_s3_bucket_versioning" "b{i}" {{\n  bucket = aws_s3_bucket.b{i}.id\n'
            '  versioning_configuration {\n    status = "Enabled"\n  }\n}\n'
            f'resource "aws_s3_bucket_server_side_encryption_configuration" "b{i}" {{\n'
            f"  bucket = aws_s3_bucket.b{i}.id\n  rule {{\n"
            '    apply_server_side_encryption_by_default {\n      sse_algorithm = "aws:kms"\n'
            "    }\n  }\n}\n"
            f'resource "aws_s3_bucket_public_access_block" "b{i}" {{\n'
            f"  bucket = aws_s3_bucket.b{i}.id\n  block_public_acls = true\n"
            "  block_public_policy = true\n  ignore_public_acls = true\n"
            "  restrict_public_buckets = true\n}\n"
            f'resource "aws_s3_bucket_logging" "b{i}" {{\n  bucket = aws_s3_bucket.b{i}.id\n'
            f'  target_bucket = "logs-{i}"\n  target_prefix = "log/"\n}}\n'
        )
    return "".join(out)


def buckets(n: int, runs: int) -> float:
    """pipesec on one module of ``n`` buckets and their companions (startup included)."""
    with tempfile.TemporaryDirectory(prefix="pipesec-iac-buckets-") as tmp:
        path = Path(tmp) / "main.tf"
        path.write_text(bucket_module(n))
        t = timed(pipesec_argv(Path(tmp)), runs)
    print(f"one module of {n} buckets with 4 companions each ({5 * n} resources),"
          f" pipesec only (best of {runs}): {t:.2f} s")  # fmt: skip
    return t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3, help="best of N runs (checkov: 1 on 10x)")
    ap.add_argument("--cfn-only", action="store_true", help="only the CloudFormation rows")
    ap.add_argument("--one-file", action="store_true", help="only pipesec's one-file rows")
    ap.add_argument("--buckets", type=int, default=0, help="only the N-bucket module row")
    args = ap.parse_args()
    if args.buckets:
        buckets(args.buckets, args.runs)
        return
    if args.one_file:
        one_file(args.runs)
        return
    exe = ensure("checkov")
    print(f"checkov {version(exe)}; pipesec {PIPESEC}")
    with tempfile.TemporaryDirectory(prefix="pipesec-iac-speed-") as tmp:
        cloudformation(exe, Path(tmp), args.runs)
        if args.cfn_only:
            return
        one = Path(tmp) / "one"
        shutil.copytree(CORPUS, one)
        ten = Path(tmp) / "ten"
        for i in range(10):
            shutil.copytree(CORPUS, ten / f"copy{i}")
        n = sum(1 for p in one.rglob("*") if p.is_file())
        rows = []
        for label, path, ck_runs in (
            (f"corpus ({n} files)", one, args.runs),
            (f"10x corpus ({10 * n} files)", ten, 1),
            ("pre-commit: one changed file", one / ONE_FILE, args.runs),
        ):
            p = timed(pipesec_argv(path), args.runs)
            c = timed(checkov_argv(exe, path), ck_runs)
            rows.append((label, p, c))
        print(f"{'':32} {'pipesec':>9} {'checkov':>9} {'ratio':>7}")
        for label, p, c in rows:
            print(f"{label:32} {p:8.2f}s {c:8.2f}s {c / p:6.1f}x")
        ok_ratio = rows[1][2] / rows[1][1] >= 10
        ok_one = rows[2][1] < 0.5
        print(f"target >= 10x on 10x copy: {'met' if ok_ratio else 'NOT met'}")
        print(f"target one file < 0.5 s:   {'met' if ok_one else 'NOT met'}")
        one_file(args.runs)


if __name__ == "__main__":
    main()
