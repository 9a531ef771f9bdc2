"""Per-rule precision and recall of the pipelines scanner on the labelled corpus
(bench/corpus/pipelines, built by pipelines_make_corpus.py), and zizmor's on the GitHub
part of it (offline, default persona), side by side.

    .venv/bin/python bench/pipelines_accuracy.py [--no-zizmor]

Matching: a finding matches a label with the same rule on the same line, give or take one
line (zizmor: a label line inside a Primary location of a finding whose audit maps to that
rule). Findings of
rules that are file-level by nature (missing permissions) match anywhere in the file.
Duplicate findings on a matched label are not counted; unmatched findings are false
positives. zizmor audits without a pipesec equivalent are left out, and pipesec's posture
findings (missing-security-gate) are not part of the corpus labels.
"""

from __future__ import annotations

import argparse
import json
import posixpath
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))

from _peers import ensure, version  # noqa: E402
from pipesec.scanners.pipelines.analyze import analyze_text  # noqa: E402
from pipesec.scanners.pipelines.files import classify  # noqa: E402

CORPUS = Path(__file__).parent / "corpus" / "pipelines"
FILE_LEVEL = {"gha/missing-permissions"}
#: tools anchor a finding on the key or on its value (e.g. `uses:` vs `secrets: inherit` of
#: the same job): a finding one line away from its label still counts, for both tools
TOLERANCE = 1

# zizmor audit -> the pipesec rules it corresponds to
ZIZMOR_MAP: dict[str, set[str]] = {
    "template-injection": {
        "gha/template-injection",
        "gha/template-injection-script",
        "gha/template-injection-input",
    },
    "dangerous-triggers": {"gha/dangerous-trigger"},
    "excessive-permissions": {
        "gha/missing-permissions",
        "gha/write-all-permissions",
        "gha/excessive-permissions",
    },
    "undocumented-permissions": {"gha/undocumented-permissions"},
    "unpinned-uses": {"gha/unpinned-uses"},
    "unpinned-images": {"gha/unpinned-image"},
    "artipacked": {"gha/artipacked", "gha/checkout-persist-credentials"},
    "cache-poisoning": {"gha/cache-poisoning"},
    "self-hosted-runner": {"gha/self-hosted-public-trigger"},
    "secrets-inherit": {"gha/secrets-inherit"},
    "overprovisioned-secrets": {"gha/overprovisioned-secrets"},
    "unredacted-secrets": {"gha/unredacted-secrets"},
    "hardcoded-container-credentials": {"gha/hardcoded-container-credentials"},
    "insecure-commands": {"gha/unsecure-commands"},
    "github-env": {"gha/github-env-injection"},
    "bot-conditions": {"gha/bot-condition"},
    "unsound-condition": {"gha/unsound-condition"},
    "unsound-contains": {"gha/unsound-contains"},
    "use-trusted-publishing": {"gha/publish-long-lived-token"},
    "obfuscation": {"gha/obfuscated-uses"},
    "archived-uses": {"gha/archived-uses"},
    "known-vulnerable-actions": {"gha/known-vulnerable-action"},
    "dependabot-execution": {"gha/dependabot-external-code-execution"},
    "dependabot-cooldown": {"gha/dependabot-cooldown"},
    "anonymous-definition": {"gha/anonymous-definition"},
}


def load_labels() -> dict[str, list[tuple[str, int]]]:
    raw = json.loads((CORPUS / "labels.json").read_text())
    return {path: [(x["rule"], x["line"]) for x in items] for path, items in raw.items()}


def pipesec_findings() -> list[tuple[str, str, int, int]]:
    """(path, rule, start line, end line) of every pipesec finding on the corpus."""
    files = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file())

    def read(rel: str) -> str | None:
        p = CORPUS / rel
        return p.read_text(encoding="utf-8") if p.is_file() else None

    out = []
    for rel in files:
        kind = classify(rel)
        if kind is None:
            continue
        if kind != "gitlab" and rel.startswith("gitlab/"):
            continue
        base = posixpath.dirname(rel) if kind == "gitlab" else ""
        res = analyze_text(
            rel,
            read(rel) or "",
            kind,
            read=read,
            list_files=lambda b=base: [f for f in files if f.startswith(b + "/")],
        )
        for err in res.errors:
            print(f"  error: {err.describe()}", file=sys.stderr)
        for h in res.hits:
            out.append((h.path, h.rule.id, h.line, h.end_line))
    return out


def zizmor_findings(exe: Path) -> list[tuple[str, str, int, int, str]]:
    """(path, audit, start, end, severity) of zizmor's Primary locations."""
    cases = sorted(p.name for p in (CORPUS / "github").iterdir() if p.is_dir())
    proc = subprocess.run(
        [str(exe), "--offline", "--format", "json", "--no-exit-codes", *cases],
        cwd=CORPUS / "github",
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode not in (0, 10, 11, 12, 13, 14):
        print(proc.stderr[-2000:], file=sys.stderr)
    data = json.loads(proc.stdout or "[]")
    out = []
    for f in data:
        for loc in f.get("locations", []):
            if loc["symbolic"].get("kind") != "Primary":
                continue
            key = loc["symbolic"]["key"]
            path = key.get("Local", {}).get("verbatim_path") if isinstance(key, dict) else None
            if not path:
                continue
            c = loc["concrete"]["location"]
            out.append(
                (
                    "github/" + path,
                    f["ident"],
                    c["start_point"]["row"] + 1,
                    c["end_point"]["row"] + 1,
                    f["determinations"]["severity"],
                )
            )
    return out


def score(
    labels: dict[str, list[tuple[str, int]]],
    found: list[tuple[str, set[str], int, int]],
    rules: set[str],
) -> dict[str, list[int]]:
    """Per rule [tp, fp, fn]; ``found`` items carry the set of rules they may stand for."""
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    matched: set[tuple[str, str, int]] = set()
    by_file: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for path, items in labels.items():
        for r, n in items:
            if r in rules:
                by_file[path].append((r, n))
    for path, cand, start, end in found:
        hit = None
        best = None
        for r, n in by_file.get(path, []):
            if r not in cand:
                continue
            if r in FILE_LEVEL or start <= n <= end:
                dist = 0
            elif start - TOLERANCE <= n <= end + TOLERANCE:
                dist = 1
            else:
                continue
            # prefer an unmatched label, then the closest one
            rank = ((path, r, n) in matched, dist)
            if best is None or rank < best[0]:
                best = (rank, (path, r, n))
        if best is not None:
            hit = best[1]
        if hit is None:
            rid = sorted(cand)[0] if len(cand) == 1 else _best(cand, path, by_file)
            stats[rid][1] += 1
        elif hit not in matched:
            matched.add(hit)
            stats[hit[1]][0] += 1
    for path, items in by_file.items():
        for r, n in items:
            if (path, r, n) not in matched:
                stats[r][2] += 1
    return stats


def _best(cand: set[str], path: str, by_file: dict[str, list[tuple[str, int]]]) -> str:
    return sorted(cand)[0]


def pr(tp: int, fp: int, fn: int) -> tuple[str, str]:
    p = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
    r = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
    return p, r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-zizmor", action="store_true")
    args = ap.parse_args()
    labels = load_labels()
    all_rules = {r for items in labels.values() for r, _ in items}
    ours = [(p, {r}, s, e) for p, r, s, e in pipesec_findings()]
    our_rules = all_rules | {next(iter(c)) for _, c, _, _ in ours}
    mine = score(labels, ours, our_rules)

    theirs: dict[str, list[int]] = {}
    mapped_rules: set[str] = set()
    zver = ""
    if not args.no_zizmor:
        exe = ensure("zizmor")
        zver = version(exe)
        zf = zizmor_findings(exe)
        for _audit, rs in ZIZMOR_MAP.items():
            mapped_rules |= rs
        zfound = [(p, ZIZMOR_MAP[a], s, e) for p, a, s, e, _sev in zf if a in ZIZMOR_MAP]
        theirs = score(
            {k: v for k, v in labels.items() if k.startswith("github/")}, zfound, mapped_rules
        )

    n_gh = sum(1 for k in labels if k.startswith("github/"))
    n_gl = len({k.split("/")[1] for k in labels if k.startswith("gitlab/")})
    print(
        f"corpus: {n_gh} GitHub files, {n_gl} GitLab pipelines, "
        f"{sum(len(v) for v in labels.values())} labels"
    )
    if zver:
        print(f"peer: {zver} (--offline, default persona)")
    head = f"{'rule':44} {'labels':>6}  {'pipesec P':>9} {'R':>5}"
    if theirs:
        head += f"   {'zizmor P':>8} {'R':>5}"
    print(head)
    print("-" * len(head))
    tot = {"gh": [0, 0, 0], "gl": [0, 0, 0], "z": [0, 0, 0], "ghm": [0, 0, 0]}
    for rid in sorted(set(mine) | set(theirs)):
        tp, fp, fn = mine.get(rid, [0, 0, 0])
        n = tp + fn
        p, r = pr(tp, fp, fn)
        line = f"{rid:44} {n:>6}  {p:>9} {r:>5}"
        fam = "gh" if rid.startswith("gha/") else "gl"
        for i, v in enumerate((tp, fp, fn)):
            tot[fam][i] += v
        if theirs:
            if rid in mapped_rules:
                ztp, zfp, zfn = theirs.get(rid, [0, 0, 0])
                zp, zr = pr(ztp, zfp, zfn)
                line += f"   {zp:>8} {zr:>5}"
                for i, v in enumerate((ztp, zfp, zfn)):
                    tot["z"][i] += v
                for i, v in enumerate((tp, fp, fn)):
                    tot["ghm"][i] += v
            else:
                line += f"   {'(none)':>8} {'':>5}"
        print(line)
    print("-" * len(head))
    p, r = pr(*tot["gh"])
    print(f"{'GitHub Actions, all rules':44} {tot['gh'][0] + tot['gh'][2]:>6}  {p:>9} {r:>5}")
    if theirs:
        p, r = pr(*tot["ghm"])
        zp, zr = pr(*tot["z"])
        print(
            f"{'GitHub Actions, rules zizmor also has':44} {tot['ghm'][0] + tot['ghm'][2]:>6}"
            f"  {p:>9} {r:>5}   {zp:>8} {zr:>5}"
        )
    p, r = pr(*tot["gl"])
    print(f"{'GitLab CI, all rules':44} {tot['gl'][0] + tot['gl'][2]:>6}  {p:>9} {r:>5}")


if __name__ == "__main__":
    main()
