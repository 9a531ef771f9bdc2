"""Whether a version falls in an affected entry: OSV's evaluation of ``ECOSYSTEM`` and
``SEMVER`` ranges united with the explicit ``versions`` list.

OSV evaluates a range by walking its events sorted by version: ``introduced`` opens it at
that version, ``fixed`` closes it at that version, ``last_affected`` closes it just after
that version, ``limit`` bounds the whole range. The events that already apply at a version
are always a prefix of the sorted list, so the walk is compiled once into half-open
intervals and a lookup is a few comparisons.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from pipesec.vulndb.versions import VersionKey, parse_version

log = logging.getLogger(__name__)

_ORDER = {"introduced": 0, "fixed": 1, "last_affected": 2, "limit": 3}

#: (low bound or None for "all versions", high bound or None, high bound inclusive)
Interval = tuple[VersionKey | None, VersionKey | None, bool]


@dataclass(frozen=True, slots=True)
class CompiledRange:
    intervals: tuple[Interval, ...]
    limits: tuple[VersionKey, ...]

    def contains(self, v: VersionKey) -> bool:
        for lim in self.limits:
            if not v < lim:
                return False
        for lo, hi, inclusive in self.intervals:
            if lo is not None and v < lo:
                continue
            if hi is None or v < hi or (inclusive and v == hi):
                return True
        return False


@dataclass(frozen=True, slots=True)
class CompiledAffected:
    ecosystem: str
    ranges: tuple[CompiledRange, ...]
    #: canonical forms (versions.canonical_version) of the listed versions
    versions: frozenset[str]
    #: the evaluable ranges' events, as the record gives them
    events: tuple[tuple[tuple[str, str], ...], ...]
    listed: int
    skipped: tuple[str, ...]  # why some ranges could not be evaluated

    def contains(self, canonical: str, key: VersionKey | None) -> bool:
        """``canonical`` is versions.canonical_version() of the version, ``key`` its
        parse_version() key (None when it does not parse: only listed versions match)."""
        if canonical in self.versions:
            return True
        if key is None:
            return False
        for r in self.ranges:  # noqa: SIM110  (a loop is faster than any() here)
            if r.contains(key):
                return True
        return False

    @property
    def fixed(self) -> tuple[str, ...]:
        return tuple(v for evs in self.events for k, v in evs if k == "fixed")

    @property
    def description(self) -> tuple[str, ...]:
        desc = [describe(list(evs)) for evs in self.events]
        if self.listed and not self.events:
            desc.append(f"{self.listed} listed versions")
        return tuple(desc)


def describe(events: list[tuple[str, str]]) -> str:
    parts = []
    for kind, ver in events:
        if kind == "introduced":
            parts.append("all versions" if ver == "0" else f">={ver}")
        elif kind == "fixed":
            parts.append(f"<{ver}")
        elif kind == "last_affected":
            parts.append(f"<={ver}")
        else:
            parts.append(f"limit <{ver}")
    return ", ".join(parts)


def compile_affected(ecosystem: str, data: str) -> CompiledAffected:
    doc = json.loads(data)
    ranges: list[CompiledRange] = []
    events: list[tuple[tuple[str, str], ...]] = []
    skipped: list[str] = []
    for _rtype, evs in doc["r"]:
        try:
            ranges.append(compile_range(ecosystem, evs))
        except ValueError as exc:
            skipped.append(f"range {describe(evs)!r} not evaluated: {exc}")
            log.debug("skipping range %s: %s", evs, exc)
            continue
        events.append(tuple((k, v) for k, v in evs))
    return CompiledAffected(
        ecosystem,
        tuple(ranges),
        frozenset(doc["c"]),
        tuple(events),
        len(doc["v"]),
        tuple(skipped),
    )


def compile_range(ecosystem: str, events: list[tuple[str, str]]) -> CompiledRange:
    """Sort the events and sweep them into intervals (raises ValueError on a version the
    ecosystem does not accept)."""
    opens_at_zero = False
    evs: list[tuple[VersionKey, int, str]] = []
    limits: list[VersionKey] = []
    for kind, ver in events:
        if kind == "introduced" and ver == "0":
            opens_at_zero = True
            continue
        if kind == "limit":
            if ver != "*":
                limits.append(parse_version(ecosystem, ver))
            continue
        evs.append((parse_version(ecosystem, ver), _ORDER[kind], kind))
    evs.sort(key=_sort_key)
    intervals: list[Interval] = []
    affected = opens_at_zero
    start: VersionKey | None = None
    for key, _o, kind in evs:
        if kind == "introduced":
            if not affected:
                affected, start = True, key
        elif affected:  # fixed or last_affected closes the open interval
            intervals.append((start, key, kind == "last_affected"))
            affected = False
    if affected:
        intervals.append((start, None, False))
    return CompiledRange(tuple(intervals), tuple(limits))


class _Sortable:
    __slots__ = ("key", "order")

    def __init__(self, key: VersionKey, order: int) -> None:
        self.key = key
        self.order = order

    def __lt__(self, other: _Sortable) -> bool:
        if self.key == other.key:
            return self.order < other.order
        return bool(self.key < other.key)


def _sort_key(item: tuple[VersionKey, int, str]) -> _Sortable:
    return _Sortable(item[0], item[1])
