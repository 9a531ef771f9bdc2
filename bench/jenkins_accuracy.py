"""Recall by rule and extra alarms of the Jenkins rules on hand-written Jenkinsfiles
(bench/corpus/jenkins), shaped after the kinds of scenario a deliberately vulnerable CI/CD
environment uses (poisoned pipeline execution direct and indirect, builds on the controller,
remote scripts, unpinned libraries and images, literal credentials, unapproved production
deploys, echoed credentials, parameter injection). No peer tool reads Jenkinsfiles.

    .venv/bin/python bench/jenkins_accuracy.py [--misses]

Labels are ``// expect: rule`` markers on the line a finding should point at (+-1 line).
The `safe/` pipeline has no label: everything reported there is an extra alarm.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pipesec.scanners.pipelines.analyze import analyze_text  # noqa: E402

CORPUS = Path(__file__).parent / "corpus" / "jenkins"
MARK = re.compile(r"//\s*expect:\s*([a-z0-9/, -]+)")
SKIP = {"jenkins/missing-security-gate"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args()
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[str] = []
    extra: list[str] = []
    files = sorted(CORPUS.rglob("Jenkinsfile"))
    for p in files:
        rel = p.relative_to(CORPUS).as_posix()
        text = p.read_text(encoding="utf-8")
        want = [
            (r.strip(), n)
            for n, line in enumerate(text.splitlines(), 1)
            for m in [MARK.search(line)]
            if m
            for r in m.group(1).split(",")
        ]
        res = analyze_text(rel, text, "jenkins")
        for e in res.errors:
            print(f"  error: {e.describe()}", file=sys.stderr)
        found = [(h.rule.id, h.line) for h in res.hits if h.rule.id not in SKIP]
        used: set[int] = set()
        for r, n in want:
            stats[r][1] += 1
            hit = next(
                (i for i, (fr, fl) in enumerate(found) if fr == r and abs(fl - n) <= 1), None
            )
            if hit is None:
                misses.append(f"{rel}:{n} {r}")
            else:
                used.add(hit)
                stats[r][0] += 1
        for i, (fr, fl) in enumerate(found):
            if i not in used and not any(r == fr and abs(fl - n) <= 1 for r, n in want):
                extra.append(f"{rel}:{fl} {fr}")
    total = sum(v[1] for v in stats.values())
    got = sum(v[0] for v in stats.values())
    print(f"corpus: {len(files)} Jenkinsfiles, {total} labels (line +-1)")
    print(f"{'rule':36} {'labels':>6} {'recall':>7}")
    for r in sorted(stats):
        print(f"{r:36} {stats[r][1]:>6} {stats[r][0] / stats[r][1]:>7.2f}")
    print(f"{'all':36} {total:>6} {got / total:>7.2f}")
    print(f"extra alarms: {len(extra)}")
    if args.misses:
        for m in misses:
            print(f"  miss:  {m}")
        for e in extra:
            print(f"  extra: {e}")


if __name__ == "__main__":
    main()
