"""Whether a version falls in an affected entry: OSV's evaluation of ``ECOSYSTEM`` and
``SEMVER`` ranges (events sorted by version; ``introduced`` opens, ``fixed`` closes at the
version, ``last_affected`` closes after it, ``limit`` bounds the whole range) united with
the explicit ``versions`` list."""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from pipesec.vulndb.versions import VersionKey, parse_version

log = logging.getLogger(__name__)

_ORDER = {"introduced": 0, "fixed": 1, "last_affected": 2, "limit": 3}


@dataclass(frozen=True, slots=True)
class CompiledRange:
    #: (version key, kind) sorted by version; an "introduced: 0" is ``opens_at_zero``
    events: tuple[tuple[VersionKey, str], ...]
    opens_at_zero: bool
    limits: tuple[VersionKey, ...]

    def contains(self, v: VersionKey) -> bool:
        for lim in self.limits:
            if not v < lim:
                return False
        affected = self.opens_at_zero
        for key, kind in self.events:
            if kind == "introduced":
                if not v < key:
                    affected = True
            elif kind == "fixed":
                if not v < key:
                    affected = False
            elif v > key:  # last_affected
                affected = False
        return affected


@dataclass(frozen=True, slots=True)
class CompiledAffected:
    ecosystem: str
    ranges: tuple[CompiledRange, ...]
    versions: frozenset[Any]
    raw_versions: frozenset[str]
    fixed: tuple[str, ...]
    description: tuple[str, ...]
    skipped: tuple[str, ...]  # why some ranges could not be evaluated

    def contains(self, version: str, key: VersionKey | None) -> bool:
        if version in self.raw_versions:
            return True
        if key is None:
            return False
        if key in self.versions:
            return True
        return any(r.contains(key) for r in self.ranges)


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
    fixed: list[str] = []
    desc: list[str] = []
    skipped: list[str] = []
    for _rtype, events in doc["r"]:
        try:
            ranges.append(_compile_range(ecosystem, events))
        except ValueError as exc:
            skipped.append(f"range {describe(events)!r} not evaluated: {exc}")
            log.debug("skipping range %s: %s", events, exc)
            continue
        fixed.extend(v for k, v in events if k == "fixed")
        desc.append(describe(events))
    keys: set[Any] = set()
    for v in doc["v"]:
        with contextlib.suppress(ValueError):
            keys.add(parse_version(ecosystem, v))
    if doc["v"] and not doc["r"]:
        desc.append(f"{len(doc['v'])} listed versions")
    return CompiledAffected(
        ecosystem,
        tuple(ranges),
        frozenset(keys),
        frozenset(doc["v"]),
        tuple(fixed),
        tuple(desc),
        tuple(skipped),
    )


def _compile_range(ecosystem: str, events: list[tuple[str, str]]) -> CompiledRange:
    zero = False
    evs: list[tuple[VersionKey, int, str]] = []
    limits: list[VersionKey] = []
    for kind, ver in events:
        if kind == "introduced" and ver == "0":
            zero = True
            continue
        key = parse_version(ecosystem, ver)
        if kind == "limit":
            if ver != "*":
                limits.append(key)
            continue
        evs.append((key, _ORDER[kind], kind))
    evs.sort(key=_sort_key)
    return CompiledRange(tuple((k, kind) for k, _o, kind in evs), zero, tuple(limits))


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
