"""Base OS end-of-life: an offline table of release and end-of-life dates (``eol.json``,
shipped with pipesec; ``pipesec db sync`` writes a fresher ``os-eol.json`` beside the
database) and :func:`eol`, which says whether an image's OS still gets security updates.

A release the table does not list counts as end-of-life when a newer release of the same
distribution already is (Alpine 3.5 is older than 3.9, past its end); otherwise its status
is unknown and no finding is made.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import urllib.request
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pipesec.core.model import Finding, Location, Rule, Severity
from pipesec.scanners.containers.os.release import OsInfo

TABLE_FILE = "os-eol.json"
EOL_URL_ENV = "PIPESEC_EOL_URL"
DEFAULT_EOL_URL = "https://endoflife.date/api"
#: our table's product -> endoflife.date's product
PRODUCTS = {
    "debian": "debian",
    "ubuntu": "ubuntu",
    "alpine": "alpine",
    "almalinux": "almalinux",
    "rocky": "rocky-linux",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_TABLE = 4 * 1024 * 1024

Table = dict[str, dict[str, dict[str, str]]]

BASE_OS_EOL = Rule(
    id="image/base-os-eol",
    title="Image base OS is past its end of life",
    severity=Severity.MEDIUM,
    rationale=(
        "A distribution release past its end of life gets no more security updates: "
        "every flaw found in its packages from then on stays unfixed in the image, and "
        "vulnerability data for it stops being published."
    ),
    remediation=(
        "Rebuild the image on a supported release of the distribution (or a newer base "
        "image tag) and keep the base image on a schedule of updates."
    ),
    vulnerable_example="FROM debian:10\n",
    fixed_example="FROM debian:12\n",
    cwe=("CWE-1104",),
    references=("https://endoflife.date/",),
    tags=("image", "os", "eol"),
)


@dataclass(frozen=True, slots=True)
class EolStatus:
    product: str  # "debian", "ubuntu", "alpine", "almalinux", "rocky"
    release: str  # "12", "22.04", "3.19", "9"
    state: str  # "eol", "supported" or "unknown"
    eol: str = ""  # ISO date of the end of free security updates ("" when unknown)
    extended: str = ""  # ISO date of the end of paid extended support, if any
    released: str = ""
    source: str = ""  # "shipped table (as of ...)" or the refreshed file

    @property
    def is_eol(self) -> bool:
        return self.state == "eol"


def _release_key(os_info: OsInfo) -> tuple[str, str] | None:
    product = os_info.id
    if product not in PRODUCTS:
        return None
    v = os_info.version_id
    if product == "alpine":
        parts = v.split(".")
        return (product, ".".join(parts[:2])) if len(parts) >= 2 else None
    if product in ("debian", "almalinux", "rocky"):
        major = v.split(".", 1)[0]
        return (product, major) if major.isdigit() else None
    return (product, v) if v else None


def _num(release: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", release))


def validate_table(data: Any) -> Table:
    """The products of a table document; ValueError when its shape is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("products"), dict):
        raise ValueError("no products")
    out: Table = {}
    for product, releases in data["products"].items():
        if not isinstance(product, str) or not isinstance(releases, dict):
            raise ValueError("products must map names to releases")
        rows: dict[str, dict[str, str]] = {}
        for release, row in releases.items():
            if not isinstance(release, str) or not isinstance(row, dict):
                raise ValueError(f"{product}: bad release entry")
            clean = {k: v for k, v in row.items() if k in ("released", "eol", "extended")}
            if not all(isinstance(v, str) and _DATE.match(v) for v in clean.values()):
                raise ValueError(f"{product} {release}: dates must be YYYY-MM-DD")
            rows[release[:20]] = clean
        out[product[:40]] = rows
    return out


def shipped_table() -> tuple[Table, str]:
    raw = resources.files("pipesec.scanners.containers.os").joinpath("eol.json").read_text()
    data = json.loads(raw)
    return validate_table(data), f"shipped table (as of {data.get('as_of', '?')})"


def load_table(db_path: Path | None = None) -> tuple[Table, str]:
    """The refreshed table beside the database when there is a valid one, else the
    shipped table. Returns (table, where it came from)."""
    if db_path is not None:
        refreshed = Path(db_path).expanduser().parent / TABLE_FILE
        try:
            if refreshed.is_file() and refreshed.stat().st_size <= _MAX_TABLE:
                data = json.loads(refreshed.read_text(encoding="utf-8"))
                return validate_table(data), f"{refreshed} (as of {data.get('as_of', '?')})"
        except (OSError, ValueError):
            pass
    return shipped_table()


def eol(
    os_info: OsInfo | None, today: dt.date, table: Table | None = None, source: str = ""
) -> EolStatus | None:
    """Whether the OS is past its end of life on ``today``; None for an OS the table
    does not cover at all (or no OS)."""
    if os_info is None:
        return None
    key = _release_key(os_info)
    if key is None:
        return None
    if table is None:
        table, source = shipped_table()
    product, release = key
    rows = table.get(product, {})
    row = rows.get(release)
    if row is None:
        # unlisted: older than a listed release that is already past its end -> eol
        older_than_eol = [
            r
            for r, info in rows.items()
            if _num(release) < _num(r) and info.get("eol", "9999") < today.isoformat()
        ]
        state = "eol" if older_than_eol and _num(release) else "unknown"
        return EolStatus(product, release, state, source=source)
    end = row.get("eol", "")
    state = "unknown" if not end else ("eol" if end < today.isoformat() else "supported")
    return EolStatus(
        product, release, state, end, row.get("extended", ""), row.get("released", ""), source
    )


def eol_finding(status: EolStatus, os_info: OsInfo, location: Location) -> Finding | None:
    """The ``image/base-os-eol`` finding for an end-of-life status (None otherwise)."""
    if not status.is_eol:
        return None
    name = os_info.pretty_name or f"{os_info.id} {os_info.version_id}"
    when = f" on {status.eol}" if status.eol else " (older than a release already past it)"
    extended = f"; paid extended support runs to {status.extended}" if status.extended else ""
    return Finding(
        rule_id=BASE_OS_EOL.id,
        scanner="containers",
        title=BASE_OS_EOL.title,
        message=f"{name} reached its end of life{when}{extended} (per the {status.source})",
        severity=BASE_OS_EOL.severity,
        location=location,
        cwe=BASE_OS_EOL.cwe,
        references=BASE_OS_EOL.references,
        remediation=BASE_OS_EOL.remediation,
        tags=BASE_OS_EOL.tags,
        identity=f"{status.product}:{status.release}",
        properties={"os": status.product, "release": status.release, "eol": status.eol},
    )


# --------------------------------------------------------------------------- refresh


def _cycle_rows(product: str, cycles: Any) -> dict[str, dict[str, str]]:
    """endoflife.date's ``[{cycle, releaseDate, eol, extendedSupport, ...}]`` as rows.
    For Debian the free LTS (``extendedSupport``) is the end of security updates."""
    if not isinstance(cycles, list):
        raise ValueError(f"{product}: not a list of release cycles")
    rows: dict[str, dict[str, str]] = {}
    for c in cycles[:500]:
        if not isinstance(c, dict) or not isinstance(c.get("cycle"), str | int | float):
            raise ValueError(f"{product}: a release cycle without 'cycle'")
        row: dict[str, str] = {}
        released, end, extended = c.get("releaseDate"), c.get("eol"), c.get("extendedSupport")
        if isinstance(released, str) and _DATE.match(released):
            row["released"] = released
        if product == "debian" and isinstance(extended, str) and _DATE.match(extended):
            end, extended = extended, None
        if isinstance(end, str) and _DATE.match(end):
            row["eol"] = end
        if isinstance(extended, str) and _DATE.match(extended):
            row["extended"] = extended
        rows[str(c["cycle"])[:20]] = row
    return rows


def refresh_table(
    db_path: Path, *, base_url: str | None = None, timeout: float = 30.0, today: dt.date
) -> Path:
    """Download every product's cycles and write ``os-eol.json`` beside the database
    (atomically). Raises ValueError/OSError (the old table is kept)."""
    base = (base_url or os.environ.get(EOL_URL_ENV) or DEFAULT_EOL_URL).rstrip("/")
    products: Table = {}
    for ours, theirs in PRODUCTS.items():
        url = f"{base}/{theirs}.json"
        if not url.startswith(("https://", "http://")):
            raise ValueError(f"{url}: not an http(s) URL")
        req = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
            raw = resp.read(_MAX_TABLE + 1)
        if len(raw) > _MAX_TABLE:
            raise ValueError(f"{url}: larger than {_MAX_TABLE} bytes")
        products[ours] = _cycle_rows(ours, json.loads(raw))
    doc = {
        "format": 1,
        "as_of": today.isoformat(),
        "source": base,
        "products": products,
    }
    validate_table(doc)
    target = Path(db_path).expanduser().parent / TABLE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.write_text(json.dumps(doc, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, target)
    return target


__all__ = [
    "BASE_OS_EOL",
    "EolStatus",
    "eol",
    "eol_finding",
    "load_table",
    "refresh_table",
    "shipped_table",
]
