"""Recall of pipesec on the peer auditor's own integration inputs, with zizmor's findings
on them as the labels.

    .venv/bin/python bench/pipelines_zizmor_inputs.py [--misses] [--family NAME]

zizmor ships its integration test inputs (``crates/zizmor/tests/integration/test-data``,
hundreds of workflows, composite actions, Dependabot and pre-commit files written by its
authors for its own tests) in its source distribution on PyPI. This bench installs zizmor
in bench/.peers/zizmor, downloads the source distribution of the same version (network,
once; kept under bench/.peers/), runs zizmor on every input (``--offline``, ``--persona``:
regular by default) and takes its primary locations as the labels, then scans the same files with
pipesec and counts a label as found when a pipesec rule of the same family (the map in
bench/pipelines_zizmor_parity.py) starts within two lines of it. Inputs pipesec reports
in a mapped family where zizmor has nothing within two lines are listed as extra alarms
(``--misses`` prints every miss and extra alarm).

These inputs were written by the peer's authors, not by us: pipesec's figure here is the
recall an outside check of the peer's corpus sees.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _peers import PEERS, ensure, version
from pipelines_zizmor_parity import FAMILY, TOLERANCE

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "crates/zizmor/tests/integration/test-data/"
#: inputs that exist to test the peer's configuration and CLI, not an audit
SKIP = re.compile(r"(^|/)(config-scenarios|invalid)(/|$)|zizmor\.ya?ml$")


def corpus(zizmor_version: str) -> Path:
    """bench/.peers/zizmor-inputs/<version>: the test-data of that zizmor release."""
    dest = PEERS / "zizmor-inputs" / zizmor_version
    if dest.exists():
        return dest
    meta_url = "https://pypi.org/pypi/zizmor/json"
    print(f"downloading zizmor {zizmor_version}'s source distribution (once) ...", file=sys.stderr)
    with urllib.request.urlopen(meta_url, timeout=60) as r:
        meta = json.load(r)
    files = meta.get("releases", {}).get(zizmor_version) or meta["urls"]
    url = next(
        u["url"]
        for u in files
        if u["packagetype"] == "sdist" and f"-{zizmor_version}.tar.gz" in u["url"]
    )
    with urllib.request.urlopen(urllib.parse.urljoin(meta_url, url), timeout=120) as r:
        data = r.read()
    tmp = dest.with_suffix(".tmp")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for m in tar.getmembers():
            _, _, inner = m.name.partition("/")
            if not m.isfile() or not inner.startswith(PREFIX):
                continue
            rel = inner[len(PREFIX) :]
            if ".." in rel.split("/") or SKIP.search(rel):
                continue
            out = tmp / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(m)
            if src is not None:
                out.write_bytes(src.read())
    tmp.rename(dest)
    return dest


#: zizmor severities that SARIF shows as "warning" or "error"
WARNING_UP = {"Medium", "High"}
#: pipesec severities at "warning" and above in SARIF
PIPESEC_WARNING_UP = {"medium", "high", "critical"}


def zizmor_labels(exe: Path, inputs: Path, persona: str) -> list[tuple[str, str, int, str]]:
    out = []
    for p in sorted(inputs.rglob("*")):
        if not p.is_file() or p.suffix not in (".yml", ".yaml"):
            continue
        rel = p.relative_to(inputs).as_posix()
        proc = subprocess.run(
            [
                str(exe),
                "--offline",
                f"--persona={persona}",
                "--format=json",
                "--no-exit-codes",
                rel,
            ],
            cwd=inputs,
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            found = json.loads(proc.stdout or "[]")
        except json.JSONDecodeError:
            continue
        for f in found:
            for loc in f.get("locations", []):
                if loc["symbolic"].get("kind") != "Primary":
                    continue
                row = loc["concrete"]["location"]["start_point"]["row"] + 1
                out.append((rel, f["ident"], row, f["determinations"]["severity"]))
    return out


def _staged_name(rel: str, text: str) -> str:
    """Where a file of the peer's corpus goes in a tree pipesec reads as a repository:
    zizmor is told what each file is, pipesec recognises files by their place."""
    name = rel.rsplit("/", 1)[-1]
    if name in ("action.yml", "action.yaml", ".pre-commit-config.yaml", ".pre-commit-config.yml"):
        return name
    if re.search(r"(?m)^updates:", text) and re.search(r"(?m)^version:\s*2", text):
        return ".github/dependabot.yml"
    return ".github/workflows/" + name


def pipesec_findings(inputs: Path, work: Path, pedantic: bool) -> list[tuple[str, str, int, str]]:
    """pipesec on every input, each staged alone in a directory of its own where pipesec
    recognises it (a workflow under .github/workflows/, a dependabot.yml under .github/)."""
    exe = ROOT / ".venv" / "bin" / "pipesec"
    staged: dict[str, str] = {}
    if work.exists():
        shutil.rmtree(work)
    for i, p in enumerate(sorted(inputs.rglob("*"))):
        if not p.is_file() or p.suffix not in (".yml", ".yaml"):
            continue
        rel = p.relative_to(inputs).as_posix()
        text = p.read_text(encoding="utf-8", errors="replace")
        dest = f"{i:04d}/{_staged_name(rel, text)}"
        (work / dest).parent.mkdir(parents=True, exist_ok=True)
        (work / dest).write_text(text, encoding="utf-8")
        staged[dest] = rel
    config = work / "pipesec.toml"
    config.write_text(f"[scanners.pipelines]\npedantic = {str(pedantic).lower()}\n")
    proc = subprocess.run(
        [str(exe), "scan", str(work), "-s", "pipelines", "-f", "json", "-q", "-c", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode not in (0, 1, 3):
        print(proc.stderr[-2000:], file=sys.stderr)
    data = json.loads(proc.stdout)
    out = []
    for f in data["findings"]:
        fam = FAMILY.get(f["rule_id"])
        rel = staged.get(f["location"]["path"])
        if fam is not None and rel is not None:
            out.append((rel, fam, f["location"]["start_line"], f["severity"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--family", help="only this peer family")
    ap.add_argument(
        "--persona",
        default="regular",
        choices=["regular", "pedantic", "auditor"],
        help="zizmor's persona for the labels; pipesec runs pedantic for the other two",
    )
    a = ap.parse_args()
    exe = ensure("zizmor")
    ver = version(exe).split()[-1]
    inputs = corpus(ver)
    labels = zizmor_labels(exe, inputs, a.persona)
    found = pipesec_findings(inputs, PEERS / "zizmor-inputs" / "staged", a.persona != "regular")
    print(f"{version(exe)}: {len(labels)} findings ({a.persona} persona)")
    report(labels, found, a.family, a.misses)
    strong = [lab for lab in labels if lab[3] in WARNING_UP]
    print(f"\n--- zizmor's warning-and-above findings only (medium, high): {len(strong)} ---")
    report(strong, found, a.family, False, quiet=True)
    medium_up = [f for f in found if f[3] in PIPESEC_WARNING_UP]
    print("... counting only pipesec's warning-and-above findings (medium and up):")
    report(strong, medium_up, a.family, False, quiet=True)


def report(
    labels: list[tuple[str, str, int, str]],
    found: list[tuple[str, str, int, str]],
    family: str | None,
    show_misses: bool,
    quiet: bool = False,
) -> None:
    mapped = set(FAMILY.values())
    want: dict[str, list[tuple[str, int]]] = defaultdict(list)
    unmapped: Counter[str] = Counter()
    for path, fam, row, _sev in labels:
        if family and fam != family:
            continue
        if fam in mapped:
            want[path].append((fam, row))
        else:
            unmapped[fam] += 1
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses, extra = [], []
    for path, items in want.items():
        for fam, n in items:
            stats[fam][1] += 1
            if any(
                p == path and f == fam and abs(line - n) <= TOLERANCE for p, f, line, _ in found
            ):
                stats[fam][0] += 1
            else:
                misses.append(f"{path}:{n} {fam}")
    for p, f, line, _sev in found:
        if family and f != family:
            continue
        if not any(f == fam and abs(n - line) <= TOLERANCE for fam, n in want.get(p, [])):
            extra.append(f"{p}:{line} {f}")
    total = sum(v[1] for v in stats.values())
    hit = sum(v[0] for v in stats.values())
    if not quiet:
        print(f"labels in families pipesec maps: {total}; outside them: {sum(unmapped.values())}")
        print(f"\n{'family':32} {'pipesec':>9} {'labels':>7}")
        for fam in sorted(stats, key=lambda k: -stats[k][1]):
            f, n = stats[fam]
            print(f"{fam:32} {f:>9} {n:>7}  {f / n:5.2f}")
    print(f"pipesec recall: {hit}/{total} = {hit / max(total, 1):.2f} (category and line +-2)")
    if not quiet:
        print(
            f"extra alarms in mapped families (no zizmor finding within 2 lines): {len(set(extra))}"
        )
        if unmapped:
            print(
                "families with no pipesec rule mapped: "
                + ", ".join(f"{k} {v}" for k, v in unmapped.most_common())
            )
    if show_misses:
        print("\nmisses:\n  " + "\n  ".join(misses))
        print("\nextra alarms:\n  " + "\n  ".join(sorted(set(extra))))


if __name__ == "__main__":
    main()
