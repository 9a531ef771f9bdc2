"""Recall and precision per family group on the independent corpus, pipesec beside its peers.

    python bench/make_secrets_independent.py      # once: bench/corpus/independent
    python bench/secrets_independent.py [--skip-peers] [--misses] [--fail-on high]

The corpus (real-looking leaked files, line-level labels, negatives planted on purpose) is
written from file formats and providers' documented token formats, not from pipesec's rules.
A finding counts once per (file, line). Recall of a family = its labelled lines hit / its
labelled lines. A hit on an unlabelled line is a false alarm, charged to the family that
dominates its file (the family of most of the file's labels). Peers (betterleaks,
detect-secrets) are installed into bench/.peers/ by bench/secrets_accuracy.py's helper.
pipesec is also scored at the gate's failing level (``--fail-on``, default high: a line counts
when a finding at or above it starts there), which is what a pipeline fails on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from secrets_accuracy import run_betterleaks, run_detect_secrets  # noqa: E402
from secrets_leaky import run_pipesec  # noqa: E402

Hit = tuple[str, int]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "independent")
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--misses", action="store_true", help="list pipesec's misses and alarms")
    ap.add_argument("--fail-on", default="high", help="pipesec's gate level (default high)")
    a = ap.parse_args()
    from pipesec.core.model import Severity

    gate = Severity.parse(a.fail_on)
    files = a.corpus / "files"
    labels = json.loads((a.corpus / "labels.json").read_text())["files"]
    truth: dict[Hit, str] = {}
    owner: dict[str, str] = {}
    for rel, labs in labels.items():
        fams = Counter(str(lab["family"]) for lab in labs)
        owner[rel] = fams.most_common(1)[0][0] if fams else "negatives"
        for lab in labs:
            truth[(rel, int(lab["line"]))] = str(lab["family"])
    print(f"corpus: {len(labels)} files, {len(truth)} labelled lines\n")

    found = run_pipesec(files)
    tools: dict[str, dict[Hit, set[str]]] = {
        "pipesec": {h: {r for r, _ in fs} for h, fs in found.items()},
        f"{gate}+": {
            h: {r for r, _ in fs}
            for h, fs in found.items()
            if any(Severity(s).at_least(gate) for _, s in fs)
        },
    }
    if not a.skip_peers:
        tools["betterleaks"] = run_betterleaks(files)
        tools["detect-secrets"] = run_detect_secrets(files)

    families = sorted({*truth.values(), *owner.values()})
    head = "".join(f"{n + ' R':>18}{'P':>7}" for n in tools)
    print(f"{'family':<22}{'n':>5}{head}")
    totals = {n: [0, 0, 0] for n in tools}  # tp, fp, labelled
    for fam in families:
        lines = [h for h, f in truth.items() if f == fam]
        row = ""
        for name, hits in tools.items():
            tp = sum(1 for h in lines if h in hits)
            fp = sum(1 for h in hits if h not in truth and owner.get(h[0]) == fam)
            totals[name][0] += tp
            totals[name][1] += fp
            totals[name][2] += len(lines)
            rec = f"{tp / len(lines):.2f}" if lines else "-"
            prec = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
            row += f"{rec:>18}{prec:>7}"
        print(f"{fam:<22}{len(lines):>5}{row}")
    row = ""
    for tp, fp, n in totals.values():
        row += f"{tp / n:>18.3f}{(tp / (tp + fp) if tp + fp else 0):>7.3f}"
    print(f"{'all':<22}{len(truth):>5}{row}")
    if a.misses:
        hits = tools["pipesec"]
        print("\npipesec misses:")
        for h, fam in sorted(truth.items()):
            if h not in hits:
                text = (files / h[0]).read_text().splitlines()[h[1] - 1]
                print(f"  {fam:<20} {h[0]}:{h[1]}  {text[:90]}")
        print(f"\nfound, but below {gate}:")
        for h, fam in sorted(truth.items()):
            if h in hits and h not in tools[f"{gate}+"]:
                fs = ", ".join(f"{r} {s}" for r, s in found[h])
                print(f"  {fam:<20} {h[0]}:{h[1]}  {fs}")
        print("\npipesec false alarms:")
        for h, rules in sorted(hits.items()):
            if h not in truth:
                text = (files / h[0]).read_text().splitlines()[h[1] - 1]
                print(f"  {','.join(sorted(rules)):<30} {h[0]}:{h[1]}  {text[:80]}")


if __name__ == "__main__":
    main()
