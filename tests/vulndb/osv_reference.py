"""A brute-force OSV matcher written separately from pipesec.vulndb (it imports nothing of
it), used to check the real matcher: PEP 440 through ``packaging`` for PyPI and a SemVer
comparison written here for Go.

Semantics (OSV schema, "Evaluation"): a version is affected by a package entry when it is
one of the listed ``versions`` or when, within some ECOSYSTEM/SEMVER range, the greatest
event that already "applies" at that version opens the range. ``introduced: X`` applies
when X <= v ("0" always), ``fixed: X`` when X <= v, ``last_affected: X`` when X < v; on a
tie between an opening and a closing event at the same version, the closing one wins.
"""

from __future__ import annotations

import functools
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version


def pep503(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _go_cmp(a: str, b: str) -> int:
    """Compare two SemVer strings (optional v prefix, +build ignored) the long way."""

    def split(v: str) -> tuple[list[int], list[str] | None]:
        v = v[1:] if v.startswith("v") else v
        v = v.split("+", 1)[0]
        if "-" in v:
            core, pre = v.split("-", 1)
            pre_ids: list[str] | None = pre.split(".")
        else:
            core, pre_ids = v, None
        nums = [int(x) for x in core.split(".")]
        while len(nums) < 3:
            nums.append(0)
        return nums, pre_ids

    (na, pa), (nb, pb) = split(a), split(b)
    for x, y in zip(na, nb, strict=True):
        if x != y:
            return -1 if x < y else 1
    if pa is None or pb is None:
        if pa is None and pb is None:
            return 0
        return 1 if pa is None else -1
    for i in range(max(len(pa), len(pb))):
        if i >= len(pa):
            return -1
        if i >= len(pb):
            return 1
        x, y = pa[i], pb[i]
        if x == y:
            continue
        xd, yd = x.isdigit(), y.isdigit()
        if xd and yd:
            return -1 if int(x) < int(y) else 1
        if xd != yd:
            return -1 if xd else 1
        return -1 if x < y else 1
    return 0


@functools.cache
def _pv(v: str) -> Version:
    return Version(v)


def compare(ecosystem: str, a: str, b: str) -> int:
    if ecosystem == "PyPI":
        va, vb = _pv(a), _pv(b)
        return (va > vb) - (va < vb)
    if ecosystem == "Go":
        return _go_cmp(a, b)
    raise NotImplementedError(ecosystem)


def valid(ecosystem: str, v: str) -> bool:
    try:
        compare(ecosystem, v, v)
    except (InvalidVersion, ValueError, IndexError):
        return False
    return True


def _range_affects(ecosystem: str, events: list[dict[str, str]], v: str) -> bool:
    best: tuple[str, str] | None = None  # (version, kind) of the greatest applying event
    for ev in events:
        ((kind, x),) = ev.items()
        if kind == "introduced":
            applies = x == "0" or compare(ecosystem, x, v) <= 0
        elif kind == "fixed":
            applies = compare(ecosystem, x, v) <= 0
        elif kind == "last_affected":
            applies = compare(ecosystem, x, v) < 0
        else:
            continue
        if not applies:
            continue
        if best is None:
            best = (x, kind)
            continue
        bx = best[0]
        if x == "0" and kind == "introduced":
            continue  # the lowest possible event never beats another one
        c = -1 if bx == "0" and best[1] == "introduced" else compare(ecosystem, bx, x)
        if c < 0 or (c == 0 and kind != "introduced"):
            best = (x, kind)
    return best is not None and best[1] == "introduced"


def entry_affects(ecosystem: str, entry: dict[str, Any], v: str) -> bool:
    for listed in entry.get("versions") or ():
        if listed == v:
            return True
        if valid(ecosystem, listed) and compare(ecosystem, listed, v) == 0:
            return True
    for rng in entry.get("ranges") or ():
        if rng.get("type") not in ("ECOSYSTEM", "SEMVER"):
            continue
        events = rng["events"]
        if not all(
            (k == "introduced" and x == "0") or valid(ecosystem, x)
            for e in events
            for k, x in e.items()
        ):
            continue
        if _range_affects(ecosystem, events, v):
            return True
    return False


def load_records(*zips: Path) -> list[dict[str, Any]]:
    out = []
    for z in zips:
        with zipfile.ZipFile(z) as zf:
            for n in zf.namelist():
                if n.endswith(".json"):
                    out.append(json.loads(zf.read(n)))
    return out


def norm_name(ecosystem: str, name: str) -> str:
    return pep503(name) if ecosystem == "PyPI" else name


def affected_ids(
    records: list[dict[str, Any]], ecosystem: str, name: str, version: str
) -> set[str]:
    """Ids of the (not withdrawn) records that affect ``name`` at ``version``."""
    hits = set()
    for rec in records:
        if rec.get("withdrawn"):
            continue
        for entry in rec.get("affected") or ():
            pkg = entry.get("package") or {}
            if pkg.get("ecosystem") != ecosystem:
                continue
            if norm_name(ecosystem, pkg.get("name", "")) != norm_name(ecosystem, name):
                continue
            if entry_affects(ecosystem, entry, version):
                hits.add(rec["id"])
    return hits


def boundary_versions(ecosystem: str, records: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Per package: every event version, just below and just above it, and listed ones."""
    out: dict[str, set[str]] = {}
    for rec in records:
        for entry in rec.get("affected") or ():
            pkg = entry.get("package") or {}
            if pkg.get("ecosystem") != ecosystem:
                continue
            vs = out.setdefault(pkg["name"], set())
            vs.update(v for v in entry.get("versions") or () if valid(ecosystem, v))
            for rng in entry.get("ranges") or ():
                if rng.get("type") == "GIT":
                    continue
                for ev in rng["events"]:
                    ((_kind, x),) = ev.items()
                    if x == "0" or not valid(ecosystem, x):
                        vs.add("0.0.1")
                        continue
                    vs.update(neighbours(ecosystem, x))
    return out


def neighbours(ecosystem: str, x: str) -> set[str]:
    """x itself, versions just below it and just above it."""
    if ecosystem == "PyPI":
        v = Version(x)
        rel = list(v.release)
        out = {x, f"{v.base_version}.post1", f"{v.base_version}rc1", f"{v.base_version}.dev0"}
        up = [*rel[:-1], rel[-1] + 1]
        out.add(".".join(map(str, up)))
        if rel[-1] > 0:
            out.add(".".join(map(str, [*rel[:-1], rel[-1] - 1])))
        out.add(".".join(map(str, [*rel, 1])))  # 1.2 -> 1.2.1, just above
        return out
    core = x.split("-", 1)[0].split("+", 1)[0]
    nums = [int(n) for n in core.split(".")]
    while len(nums) < 3:
        nums.append(0)
    a, b, c = nums
    out = {x, f"{a}.{b}.{c + 1}", f"{a}.{b}.{c}-0.20200101000000-abcdefabcdef"}
    if c > 0:
        out.add(f"{a}.{b}.{c - 1}")
        out.add(f"{a}.{b}.{c - 1}-0.20200101000000-abcdefabcdef")
    elif b > 0:
        out.add(f"{a}.{b - 1}.99")
    if "-" in x:
        out.add(x + ".1")
    return out
