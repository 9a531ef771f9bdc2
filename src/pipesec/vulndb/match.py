"""Whether a version falls in an affected entry: OSV's evaluation of ``ECOSYSTEM`` and
``SEMVER`` ranges united with the explicit ``versions`` list.

OSV evaluates a range by walking its events sorted by version: ``introduced`` opens it at
that version, ``fixed`` closes it at that version, ``last_affected`` closes it just after
that version, ``limit`` bounds the whole range. The events that already apply at a version
are always a prefix of the sorted list, so the walk is done once, at import, into
intervals (``lo <= v < hi``, or ``<= hi``) stored as version strings; a lookup parses the
bounds (cached) and makes a few comparisons.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from pipesec.vulndb.versions import VersionKey, canonical_version, parse_version

log = logging.getLogger(__name__)

_ORDER = {"introduced": 0, "fixed": 1, "last_affected": 2, "limit": 3}

#: (low bound or None for "all versions", high bound or None, high bound inclusive)
Interval = tuple[VersionKey | None, VersionKey | None, bool]
#: the same with the version strings, as stored
StrInterval = tuple[str | None, str | None, bool]


def _contains(intervals: tuple[Interval, ...], v: VersionKey) -> bool:
    for lo, hi, inclusive in intervals:
        if lo is not None and v < lo:
            continue
        if hi is None or v < hi or (inclusive and v == hi):
            return True
    return False


@dataclass(frozen=True, slots=True)
class CompiledRange:
    """One range's intervals (already cut at its ``limit`` events)."""

    intervals: tuple[Interval, ...]
    bounds: tuple[StrInterval, ...]

    def contains(self, v: VersionKey) -> bool:
        return _contains(self.intervals, v)


class CompiledAffected:
    """One affected package entry of one advisory, ready to test versions against. What is
    only needed to report a match (fixed versions, descriptions, notes) is decoded lazily."""

    __slots__ = ("_info", "_info_raw", "intervals", "versions")

    def __init__(
        self, intervals: tuple[Interval, ...], versions: frozenset[str], info: str = ""
    ) -> None:
        self.intervals = intervals
        #: canonical forms (versions.canonical_version) of the listed versions
        self.versions = versions
        self._info_raw = info
        self._info: dict[str, list[str]] | None = None

    def contains(self, canonical: str, key: VersionKey | None) -> bool:
        """``canonical`` is versions.canonical_version() of the version, ``key`` its
        parse_version() key (None when it does not parse: only listed versions match)."""
        if canonical in self.versions:
            return True
        return key is not None and _contains(self.intervals, key)

    @property
    def has_info(self) -> bool:
        return bool(self._info_raw)

    def attach_info(self, info: str) -> None:
        """Give the entry its match-only details (the store fetches them for hits only)."""
        self._info_raw, self._info = info, None

    def _get(self, field: str) -> tuple[str, ...]:
        if self._info is None:
            self._info = json.loads(self._info_raw) if self._info_raw else {}
        return tuple(self._info.get(field, ()))

    @property
    def fixed(self) -> tuple[str, ...]:
        return self._get("f")

    @property
    def description(self) -> tuple[str, ...]:
        return self._get("d")

    @property
    def skipped(self) -> tuple[str, ...]:
        """Why some of the entry's ranges could not be evaluated."""
        return self._get("s")


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


_Bound = tuple[VersionKey, str]
_Span = tuple[_Bound | None, _Bound | None, bool]


class _Sortable:
    __slots__ = ("key", "order")

    def __init__(self, key: VersionKey, order: int) -> None:
        self.key = key
        self.order = order

    def __lt__(self, other: _Sortable) -> bool:
        if self.key == other.key:
            return self.order < other.order
        return bool(self.key < other.key)


def compile_range(ecosystem: str, events: list[tuple[str, str]]) -> CompiledRange:
    """Sort the events and sweep them into intervals, cut at the range's limits.
    Raises ValueError on a version the ecosystem does not accept."""
    opens_at_zero = False
    evs: list[tuple[VersionKey, int, str, str]] = []
    limits: list[tuple[VersionKey, str]] = []
    for kind, ver in events:
        if kind == "introduced" and ver == "0":
            opens_at_zero = True
            continue
        if kind == "limit":
            if ver != "*":
                limits.append((parse_version(ecosystem, ver), ver))
            continue
        evs.append((parse_version(ecosystem, ver), _ORDER[kind], kind, ver))
    evs.sort(key=lambda e: _Sortable(e[0], e[1]))
    spans: list[_Span] = []
    affected = opens_at_zero
    start: tuple[VersionKey, str] | None = None
    for key, _o, kind, ver in evs:
        if kind == "introduced":
            if not affected:
                affected, start = True, (key, ver)
        elif affected:  # fixed or last_affected closes the open interval
            spans.append((start, (key, ver), kind == "last_affected"))
            affected = False
    if affected:
        spans.append((start, None, False))
    if limits:
        lim = min(limits, key=lambda x: _Sortable(x[0], 0))
        cut: list[_Span] = []
        for lo, hi, inclusive in spans:
            if lo is not None and not lo[0] < lim[0]:
                continue  # starts at or above the limit: empty
            if hi is None or not hi[0] < lim[0]:
                hi, inclusive = lim, False
            cut.append((lo, hi, inclusive))
        spans = cut
    return CompiledRange(
        tuple(
            (lo[0] if lo else None, hi[0] if hi else None, inclusive) for lo, hi, inclusive in spans
        ),
        tuple(
            (lo[1] if lo else None, hi[1] if hi else None, inclusive) for lo, hi, inclusive in spans
        ),
    )


_FIELD = "\x1f"
_ITEM = "\x1e"


def compact_affected(
    ecosystem: str,
    ranges: list[tuple[str, list[tuple[str, str]]]],
    versions: list[str],
    display_name: str,
) -> tuple[str, str, str, list[str]]:
    """What the store keeps for one affected entry: its intervals and its listed versions
    (compact strings, decoded for every lookup), the JSON of what only a match needs, and
    the problems of its ranges (ranges the ecosystem's order cannot evaluate are left out)."""
    bounds: list[str] = []
    fixed: list[str] = []
    desc: list[str] = []
    skipped: list[str] = []
    for _rtype, events in ranges:
        try:
            if any(_FIELD in v or _ITEM in v for _k, v in events):
                raise ValueError("a version holds control characters")
            compiled = compile_range(ecosystem, events)
        except ValueError as exc:
            skipped.append(f"range {describe(events)!r} not evaluated: {exc}")
            continue
        for lo, hi, inc in compiled.bounds:
            bounds.append(_FIELD.join((lo or "", hi or "", "1" if inc else "")))
        fixed.extend(v for k, v in events if k == "fixed")
        desc.append(describe(events))
    if versions and not desc:
        desc.append(f"{len(versions)} listed versions")
    canon = sorted({canonical_version(ecosystem, v) for v in versions})
    listed = _FIELD.join(c for c in canon if c and _FIELD not in c and _ITEM not in c)
    info = {"f": fixed, "d": desc, "s": skipped, "n": display_name}
    return _ITEM.join(bounds), listed, json.dumps(info, separators=(",", ":")), skipped


def compile_affected(ecosystem: str, bounds: str, listed: str, info: str = "") -> CompiledAffected:
    """Load one stored entry (see compact_affected) for matching."""
    intervals: list[Interval] = []
    if bounds:
        for item in bounds.split(_ITEM):
            lo, hi, inc = item.split(_FIELD)
            try:
                intervals.append(
                    (
                        parse_version(ecosystem, lo) if lo else None,
                        parse_version(ecosystem, hi) if hi else None,
                        inc == "1",
                    )
                )
            except ValueError as exc:  # written under other version rules
                log.debug("skipping interval %s..%s: %s", lo, hi, exc)
    versions = frozenset(listed.split(_FIELD)) if listed else frozenset()
    return CompiledAffected(tuple(intervals), versions, info)
