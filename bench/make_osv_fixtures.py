"""Regenerate the vendored OSV samples from the shared real data (../shared/osv/).

    .venv/bin/python bench/make_osv_fixtures.py [--shared ../shared/osv]

Writes tests/fixtures/osv/{pypi,go}-sample.zip (a seeded random sample plus the records
with unusual shapes: withdrawn, last_affected, CVSS scores, several ranges, pseudo-version
fixes, stdlib) and examples/vulnerable-app/osv-snapshot.zip (every PyPI record naming a
package of the demo's requirements or their dependencies). The data is CC-BY-4.0 (see
tests/fixtures/osv/README.md).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPI_ZIP = "pypi-advisories-2024-10-10.zip"
GO_ZIP = "go-advisories-2026-08-21.zip"
DEMO_PACKAGES = {
    "flask",
    "jinja2",
    "requests",
    "pyyaml",
    "django",
    "urllib3",
    "cryptography",
    "werkzeug",
    "itsdangerous",
    "markupsafe",
    "click",
    "certifi",
    "idna",
    "chardet",
    "sqlparse",
    "pytz",
    "cffi",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def load(path: Path) -> dict[str, tuple[str, bytes, dict]]:
    out = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.filename.endswith(".json"):
                raw = zf.read(info)
                doc = json.loads(raw)
                out[doc["id"]] = (info.filename, raw, doc)
    return out


def write(path: Path, records: list[tuple[str, bytes, dict]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, raw, _doc in sorted(records, key=lambda r: r[0]):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, raw)
    print(f"{path.relative_to(ROOT)}: {len(records)} records")


def _special(doc: dict) -> bool:
    text = json.dumps(doc)
    ranges = [r for a in doc.get("affected", []) for r in a.get("ranges", [])]
    events = [e for r in ranges if r.get("type") != "GIT" for e in r["events"]]
    return bool(
        doc.get("withdrawn")
        or "last_affected" in text
        or sum(1 for e in events if "introduced" in e) > 1
        or ('"stdlib"' in text and "-rc" in text)
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "osv")
    ap.add_argument("--size", type=int, default=150)
    args = ap.parse_args()
    rng = random.Random(20241010)
    fixtures = ROOT / "tests" / "fixtures" / "osv"
    for zname, out in ((PYPI_ZIP, "pypi-sample.zip"), (GO_ZIP, "go-sample.zip")):
        recs = load(args.shared / zname)
        ids = sorted(recs)
        chosen = set(rng.sample(ids, args.size))
        special = [i for i in ids if _special(recs[i][2])]
        chosen |= set(rng.sample(special, min(40, len(special))))
        chosen |= {i for i in ids if recs[i][2].get("withdrawn")}
        scored = [i for i in ids if recs[i][2].get("severity")]
        chosen |= set(rng.sample(scored, min(15, len(scored))))
        write(fixtures / out, [recs[i] for i in sorted(chosen)])
    pypi = load(args.shared / PYPI_ZIP)
    demo = [
        rec
        for rec in pypi.values()
        if any(
            _norm(a.get("package", {}).get("name", "")) in DEMO_PACKAGES
            for a in rec[2].get("affected", [])
        )
    ]
    write(ROOT / "examples" / "vulnerable-app" / "osv-snapshot.zip", demo)


if __name__ == "__main__":
    main()
