"""File-level recall and pair separation on good/bad IaC pairs, pipesec beside checkov.

    .venv/bin/python bench/iac_pairs.py [--no-checkov] [-v] [CORPUS]

CORPUS (default bench/corpus/iac-pairs, written by bench/make_iac_pairs.py) holds
<family>/<check>/bad/<file> and <family>/<check>/good/<file>. Every directory is scanned on
its own. Figures per family and in total:

- recall: bad files with a finding at warning or above (medium+) / at any level;
- pairs told apart: pairs whose bad file has a warning+ finding (and, second figure, a
  finding at any level) of a rule that does not fire on the good file: the check itself is
  seen, not only the file's other flaws;
- good files flagged: at any level, at warning+ and at error (high+).

checkov reports no severities in its open-source output: every failed check counts at every
level for it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _peers import ensure, version
from pipesec.core.model import Finding
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner

WARN = {"critical", "high", "medium"}
ERROR = {"critical", "high"}

#: (rule, severity) per scanned directory, relative to the corpus: "aws/s3-versioning/bad"
Results = dict[str, list[tuple[str, str]]]


def example_dirs(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.glob("*/*/*") if p.is_dir() and p.name in ("bad", "good"))


def pipesec_results(corpus: Path) -> Results:
    out: Results = {}
    for d in example_dirs(corpus):
        items = IacScanner().scan(Workspace(d, use_git=False), ScannerSettings())
        out[d.relative_to(corpus).as_posix()] = [
            (i.rule_id, i.severity.value) for i in items if isinstance(i, Finding)
        ]
    return out


def checkov_results(exe: Path, corpus: Path) -> Results:
    out: Results = {d.relative_to(corpus).as_posix(): [] for d in example_dirs(corpus)}
    proc = subprocess.run(
        [
            str(exe),
            "-d",
            str(corpus.resolve()),
            "-o",
            "json",
            "--quiet",
            "--compact",
            "--skip-download",
            "--download-external-modules",
            "false",
            "--framework",
            "terraform",
            "kubernetes",
            "dockerfile",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tempfile.gettempdir(),
    )
    data = json.loads(proc.stdout or "[]")
    for run in data if isinstance(data, list) else [data]:
        for f in run.get("results", {}).get("failed_checks", []):
            key = Path(f["file_path"].lstrip("/")).parent.as_posix()
            if key in out:
                out[key].append((f["check_id"], "high"))
    return out


def figures(results: Results) -> dict[str, Counter[str]]:
    pairs: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(dict)
    for key, found in results.items():
        family, check, kind = key.split("/")
        pairs[f"{family}/{check}"][kind] = found
    fam: dict[str, Counter[str]] = defaultdict(Counter)
    for name, kinds in pairs.items():
        c = fam[name.split("/")[0]]
        bad, good = kinds.get("bad", []), kinds.get("good", [])
        c["pairs"] += 1
        c["bad_warn"] += any(s in WARN for _, s in bad)
        c["bad_any"] += bool(bad)
        c["good_any"] += bool(good)
        c["good_warn"] += any(s in WARN for _, s in good)
        c["good_error"] += any(s in ERROR for _, s in good)
        good_rules = {r for r, _ in good}
        c["apart"] += any(s in WARN and r not in good_rules for r, s in bad)
        c["apart_any"] += any(r not in good_rules for r, _ in bad)
    total: Counter[str] = Counter()
    for c in fam.values():
        total.update(c)
    fam["TOTAL"] = total
    return fam


def table(tool: str, fam: dict[str, Counter[str]]) -> None:
    print(f"\n{tool}")
    print(
        f"{'family':8} {'pairs':>5}  {'recall warn+':>12}  {'recall any':>10}  "
        f"{'told apart warn+/any':>20}  {'good flagged any/warn+/error':>28}"
    )
    for name in sorted(fam, key=lambda n: (n == "TOTAL", n)):
        c = fam[name]
        n = c["pairs"] or 1
        apart = f"{c['apart']}/{c['apart_any']}"
        flagged = f"{c['good_any']}/{c['good_warn']}/{c['good_error']}"
        print(
            f"{name:8} {c['pairs']:5}  {c['bad_warn'] / n:12.2f}  {c['bad_any'] / n:10.2f}  "
            f"{apart:>20}  {flagged:>28}"
        )


def misses(results: Results) -> None:
    for key, found in sorted(results.items()):
        if key.endswith("/bad") and not any(s in WARN for _, s in found):
            print("  missed at warning+:", key, sorted({r for r, _ in found}))


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    corpus = Path(args[0]) if args else Path(__file__).parent / "corpus" / "iac-pairs"
    t = time.perf_counter()
    mine = pipesec_results(corpus)
    took = time.perf_counter() - t
    print(f"corpus: {corpus} ({len(mine) // 2} pairs)")
    table(f"pipesec ({took:.1f} s)", figures(mine))
    if "-v" in sys.argv:
        misses(mine)
    if "--no-checkov" in sys.argv:
        return
    exe = ensure("checkov")
    t = time.perf_counter()
    peer = checkov_results(exe, corpus)
    took = time.perf_counter() - t
    table(f"checkov {version(exe)} ({took:.1f} s)", figures(peer))
    if "-v" in sys.argv:
        misses(peer)


if __name__ == "__main__":
    main()
