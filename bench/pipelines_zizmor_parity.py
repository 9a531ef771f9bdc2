"""Recall by audit family of pipesec and zizmor on hand-written workflow inputs
(bench/corpus/pipelines-parity), written from the kinds of input the peer's audit docs
describe, independently of pipesec's rules.

    .venv/bin/python bench/pipelines_zizmor_parity.py [--no-zizmor] [--misses] [--pedantic]

Labels are markers on the line a finding should point at: ``# expect: family[, family]``
(``// expect:`` inside JavaScript). A label is found when a finding of that family starts
within two lines of it (zizmor: a Primary location; pipesec: the finding's start line).
Families use zizmor's audit names; pipesec rules are mapped onto them below. Files and
lines without a label that a tool flags in a mapped family are listed as extra alarms
(``--misses`` prints every miss and every extra alarm). Families marked ``# expect:
family (pedantic)`` are only counted with ``--pedantic``, which runs pipesec with
``[scanners.pipelines] pedantic = true`` (zizmor runs with its auditor persona either way).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from _peers import ensure, version  # noqa: E402
from pipesec.core.peer_audits import ZIZMOR_AUDIT  # noqa: E402

CORPUS = Path(__file__).parent / "corpus" / "pipelines-parity"
TOLERANCE = 2
MARK = re.compile(r"(?:#|//)\s*expect:\s*([a-z0-9, -]+)(\(pedantic\))?")

#: pipesec rule -> the peer's audit family it stands for (kept beside the rules, which
#: also read it to honour `# zizmor: ignore[audit]` only for the audits it names)
FAMILY = dict(ZIZMOR_AUDIT)


def labels(pedantic: bool) -> dict[str, list[tuple[str, int]]]:
    out: dict[str, list[tuple[str, int]]] = {}
    for p in sorted(CORPUS.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(CORPUS).as_posix()
        items = []
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            m = MARK.search(line)
            if m and (pedantic or not m.group(2)):
                items += [(fam.strip(), n) for fam in m.group(1).split(",") if fam.strip()]
        out[rel] = items
    return out


def pipesec_findings(pedantic: bool) -> list[tuple[str, str, int]]:
    exe = ROOT / ".venv" / "bin" / "pipesec"
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "pipesec.toml"
        config.write_text(f"[scanners.pipelines]\npedantic = {str(pedantic).lower()}\n")
        cmd = [str(exe), "scan", str(CORPUS), "-s", "pipelines", "-f", "json", "-q"]
        proc = subprocess.run(
            [*cmd, "--no-progress", "-c", str(config)],
            capture_output=True,
            text=True,
            check=False,
        )
    data = json.loads(proc.stdout)
    for e in data.get("errors", []):
        print(f"  pipesec error: {e}", file=sys.stderr)
    out = []
    for f in data["findings"]:
        fam = FAMILY.get(f["rule_id"])
        if fam is not None:
            loc = f["location"]
            out.append((loc["path"], fam, loc["start_line"]))
    return out


def zizmor_findings(exe: Path) -> list[tuple[str, str, int]]:
    inputs = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
    proc = subprocess.run(
        [str(exe), "--offline", "--persona=auditor", "--format=json", "--no-exit-codes", *inputs],
        cwd=CORPUS,
        capture_output=True,
        text=True,
        check=False,
    )
    out = []
    for f in json.loads(proc.stdout or "[]"):
        for loc in f.get("locations", []):
            if loc["symbolic"].get("kind") != "Primary":
                continue
            key = loc["symbolic"]["key"]
            path = key.get("Local", {}).get("verbatim_path") if isinstance(key, dict) else None
            if not path:
                continue
            row = loc["concrete"]["location"]["start_point"]["row"] + 1
            out.append((path.removeprefix("./"), f["ident"], row))
    return out


def score(
    want: dict[str, list[tuple[str, int]]], found: list[tuple[str, str, int]]
) -> tuple[dict[str, list[int]], list[str], list[str]]:
    """Per family [found, labels]; the misses; the extra alarms (mapped families only)."""
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses, extra = [], []
    families = {fam for items in want.values() for fam, _ in items}
    used: set[int] = set()
    for path, items in want.items():
        for fam, n in items:
            stats[fam][1] += 1
            hit = next(
                (
                    i
                    for i, (p, f, line) in enumerate(found)
                    if p == path and f == fam and abs(line - n) <= TOLERANCE and i not in used
                ),
                None,
            )
            if hit is None:
                hit = next(
                    (
                        i
                        for i, (p, f, line) in enumerate(found)
                        if p == path and f == fam and abs(line - n) <= TOLERANCE
                    ),
                    None,
                )
            if hit is None:
                misses.append(f"{path}:{n} {fam}")
            else:
                used.add(hit)
                stats[fam][0] += 1
    for i, (p, f, line) in enumerate(found):
        if i in used or f not in families:
            continue
        near = any(f == fam and abs(n - line) <= TOLERANCE for fam, n in want.get(p, []))
        if not near:
            extra.append(f"{p}:{line} {f}")
    return stats, misses, sorted(set(extra))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-zizmor", action="store_true")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--pedantic", action="store_true")
    args = ap.parse_args()
    want = labels(args.pedantic)
    ours, our_miss, our_extra = score(want, pipesec_findings(args.pedantic))
    theirs: dict[str, list[int]] = {}
    zver = ""
    z_miss: list[str] = []
    z_extra: list[str] = []
    if not args.no_zizmor:
        exe = ensure("zizmor")
        zver = version(exe)
        theirs, z_miss, z_extra = score(want, zizmor_findings(exe))
    n = sum(len(v) for v in want.values())
    print(f"corpus: {len(want)} files, {n} labels (line +-{TOLERANCE})")
    if zver:
        print(f"peer: {zver} (--offline --persona auditor)")
    head = f"{'family':32} {'labels':>6} {'pipesec':>8}" + (f" {'zizmor':>8}" if zver else "")
    print(head)
    print("-" * len(head))
    tot = [0, 0, 0]
    for fam in sorted(ours):
        got, total = ours[fam]
        line = f"{fam:32} {total:>6} {got / total:>8.2f}"
        tot[0] += got
        tot[1] += total
        if zver:
            zgot = theirs.get(fam, [0, 0])[0]
            tot[2] += zgot
            line += f" {zgot / total:>8.2f}"
        print(line)
    print("-" * len(head))
    line = f"{'all':32} {tot[1]:>6} {tot[0] / tot[1]:>8.2f}"
    if zver:
        line += f" {tot[2] / tot[1]:>8.2f}"
    print(line)
    print(f"extra alarms in labelled families: pipesec {len(our_extra)}", end="")
    print(f", zizmor {len(z_extra)}" if zver else "")
    if args.misses:
        for name, miss, extra in (("pipesec", our_miss, our_extra), ("zizmor", z_miss, z_extra)):
            for m in miss:
                print(f"  {name} miss:  {m}")
            for e in extra:
                print(f"  {name} extra: {e}")


if __name__ == "__main__":
    main()
