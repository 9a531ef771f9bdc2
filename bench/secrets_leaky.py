"""Risky lines found and false alarms on a tree of realistic leaked files, labelled line by line.

    python bench/secrets_leaky.py [--root DIR --labels FILE [--counts CSV]] [--skip-peers] [--show]

Built for the public ``leaky-repo`` (dotfiles, dumps, application configs; MIT licence),
committed with its labels under bench/corpus/leaky-repo/ (the default), and for any tree
labelled the same way (docs/secrets-workflows.md "Session 15: leaky-repo, re-measured").

``--labels`` is a tab-separated file, one row per line of the tree: ``path``, ``line``,
``risky`` and ``why``. ``risky`` is ``yes`` (a credential a finding must reach), ``no`` (a
finding there is a false alarm), ``part`` (a line inside a multi-line secret such as the
body of a private key) or ``unsure`` (the labeller could not tell): neither counted nor an
alarm. Lines the file does not list count as
``no``. Rows starting with ``#`` are comments.

A tool finds a risky line when one of its findings starts on it (several findings on a line
count once). pipesec is also scored at the gate's failing level (``--fail-on``, default
``high``): only findings at or above it count, for the risky lines and for the alarms.

``--counts`` reads leaky-repo's ``.leaky-meta/secrets.csv`` (``name,num_risk,num_informative``
per file) and prints, per file, its count of risky lines next to the labelled ones, and the
recall against the counts' own total (a count can exceed the lines of its file that hold a
credential, or name a file that is not there).

Peers run on the same tree, each in its own virtual environment: ``--betterleaks EXE`` and
``--detect-secrets EXE`` use existing executables, otherwise they are installed once under
bench/.peers/ (never in the project's dependencies).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

from secrets_accuracy import Hit, run_betterleaks, run_detect_secrets

Labels = dict[Hit, tuple[str, str]]
LEAKY = Path(__file__).resolve().parent / "corpus" / "leaky-repo"


def read_labels(path: Path) -> Labels:
    labels: Labels = {}
    for row in path.read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        cols = row.split("\t")
        rel, line, risky = cols[0], int(cols[1]), cols[2].strip().lower()
        if risky not in {"yes", "no", "part", "unsure"}:
            raise SystemExit(
                f"{path}: {rel}:{line}: risky must be yes, no, part or unsure, not {risky!r}"
            )
        labels[(rel, line)] = (risky, cols[3] if len(cols) > 3 else "")
    return labels


def read_counts(path: Path) -> dict[str, int]:
    rows = [
        r
        for r in path.read_text(encoding="utf-8").splitlines()
        if r.strip() and not r.startswith("#")
    ]
    return {r[0]: int(r[1]) for r in csv.reader(rows)}


def run_pipesec(root: Path) -> dict[Hit, list[tuple[str, str]]]:
    """(path, line) -> [(rule id, severity)] of pipesec's secrets scanner."""
    from pipesec.core.model import Finding
    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.workspace import Workspace
    from pipesec.scanners.secrets import SecretsScanner

    hits: dict[Hit, list[tuple[str, str]]] = defaultdict(list)
    for item in SecretsScanner().scan(
        Workspace(root, use_git=False), ScannerSettings(fingerprint_key=b"k")
    ):
        if isinstance(item, Finding):
            loc = item.location
            hits[(loc.path, loc.start_line)].append((item.rule_id, str(item.severity)))
    return hits


def score(hits: set[Hit], labels: Labels) -> tuple[int, int, list[Hit], list[Hit]]:
    """(risky lines found, risky lines, misses, alarms)."""
    risky = {h for h, (r, _) in labels.items() if r == "yes"}
    alarms = sorted(h for h in hits if labels.get(h, ("no", ""))[0] == "no")
    return len(risky & hits), len(risky), sorted(risky - hits), alarms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=LEAKY / "files", help="the labelled tree")
    ap.add_argument(
        "--labels",
        type=Path,
        default=LEAKY / "labels.tsv",
        help="TSV: path, line, yes/no/part/unsure, why",
    )
    ap.add_argument(
        "--counts",
        type=Path,
        help="leaky-repo's .leaky-meta/secrets.csv (default with the default tree)",
    )
    ap.add_argument("--fail-on", default="high", help="pipesec's gate level (default high)")
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--betterleaks", type=Path, help="betterleaks executable (else bench/.peers)")
    ap.add_argument(
        "--detect-secrets", type=Path, help="detect-secrets executable (else bench/.peers)"
    )
    ap.add_argument("--show", action="store_true", help="list every miss and false alarm")
    a = ap.parse_args()

    from pipesec.core.model import Severity

    root = a.root.resolve()
    if a.counts is None and root == (LEAKY / "files").resolve():
        a.counts = LEAKY / "secrets.csv"
    labels = read_labels(a.labels)
    gate = Severity.parse(a.fail_on)
    found = run_pipesec(root)
    tools: dict[str, set[Hit]] = {
        "pipesec (any)": set(found),
        f"pipesec ({gate}+)": {
            h for h, fs in found.items() if any(Severity(s).at_least(gate) for _, s in fs)
        },
    }
    if not a.skip_peers:
        tools["betterleaks"] = set(run_betterleaks(root, a.betterleaks))
        tools["detect-secrets"] = set(run_detect_secrets(root, a.detect_secrets))

    n_risky = sum(1 for r, _ in labels.values() if r == "yes")
    print(f"tree: {root} ({len({p for p, _ in labels})} labelled files, {n_risky} risky lines)\n")
    print(f"{'tool':<18}{'risky found':>14}{'recall':>9}{'false alarms':>14}")
    results = {}
    for name, hits in tools.items():
        tp, total, misses, alarms = score(hits, labels)
        results[name] = (misses, alarms)
        print(
            f"{name:<18}{f'{tp} / {total}':>14}{tp / total if total else 0:>9.3f}{len(alarms):>14}"
        )

    if a.counts:
        counts = read_counts(a.counts)
        want = sum(counts.values())
        print(
            f"\nagainst the counts of {a.counts.name} ({want} risky lines in {len(counts)} files):"
        )
        for name, hits in tools.items():
            got = sum(1 for h in hits if h[0] in counts and labels.get(h, ("no", ""))[0] == "yes")
            print(f"  {name:<18}{got:>4} / {want}  ({got / want:.3f})")
        short = []
        for rel, n in sorted(counts.items()):
            mine = sum(1 for (p, _), (r, _) in labels.items() if p == rel and r == "yes")
            if mine != n:
                short.append(f"{rel} {n} counted, {mine} labelled")
        print("  counts above the labelled lines: " + ("; ".join(short) if short else "none"))

    if a.show:
        for name, (misses, alarms) in results.items():
            print(f"\n{name}: {len(misses)} missed, {len(alarms)} false alarms")
            for rel, line in misses:
                print(f"  missed {rel}:{line}  ({labels[(rel, line)][1]})")
            for rel, line in alarms:
                rules = (
                    ", ".join(f"{r} {s}" for r, s in found.get((rel, line), []))
                    if "pipesec" in name
                    else ""
                )
                print(f"  alarm  {rel}:{line}  {rules}")


if __name__ == "__main__":
    sys.exit(main())
