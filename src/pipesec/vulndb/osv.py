"""Reading OSV records (https://ossf.github.io/osv-schema/) into the compact form the
store keeps. Lenient about optional fields, strict about the shape of the ones it uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pipesec.vulndb.ecosystems import canonical_ecosystem, normalize_name
from pipesec.vulndb.severity import Scored, score_record

#: event kinds in the order they sort when two events name the same version
EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")


class RecordShapeError(ValueError):
    """The document is not an OSV record (message says which field is wrong)."""


@dataclass(slots=True)
class AffectedEntry:
    ecosystem: str
    name: str  # normalised
    display_name: str
    #: [(range type, [(event kind, version), ...]), ...] for ECOSYSTEM/SEMVER ranges
    ranges: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    git_ranges: int = 0


@dataclass(slots=True)
class Record:
    id: str
    modified: float | None  # epoch seconds; None when empty or the zero date
    published: float | None
    withdrawn: str | None
    aliases: list[str]
    summary: str
    details: str
    references: list[str]
    cwe: list[str]
    scored: Scored
    affected: list[AffectedEntry]

    @property
    def ecosystems(self) -> list[str]:
        return sorted({a.ecosystem for a in self.affected})


def parse_time(value: Any) -> float | None:
    """RFC 3339 to epoch seconds; None for empty, unparseable or year-1 (zero) dates."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.year <= 1:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp()


def _str_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordShapeError(f"{where} must be a list of strings")
    return list(value)


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordShapeError(f"{where} must be a string")
    return value


def parse_record(doc: Any) -> Record:
    """One OSV record from its decoded JSON/YAML document."""
    if not isinstance(doc, Mapping):
        raise RecordShapeError("an OSV record is a JSON/YAML object")
    rid = doc.get("id")
    if not isinstance(rid, str) or not rid.strip():
        raise RecordShapeError("the record has no 'id'")
    rid = rid.strip()
    withdrawn = doc.get("withdrawn")
    refs = []
    raw_refs = doc.get("references")
    if raw_refs is not None and not isinstance(raw_refs, list):
        raise RecordShapeError("'references' must be a list")
    for i, ref in enumerate(raw_refs or ()):
        if not isinstance(ref, Mapping) or not isinstance(ref.get("url"), str):
            raise RecordShapeError(f"references[{i}] must be an object with a 'url'")
        refs.append(ref["url"])
    cwe: list[str] = []
    dbs = doc.get("database_specific")
    if isinstance(dbs, Mapping):
        raw = dbs.get("cwe_ids")
        if isinstance(raw, list):
            cwe = [c for c in raw if isinstance(c, str)]
    affected_raw = doc.get("affected")
    affected_raw = [] if affected_raw is None else affected_raw
    if not isinstance(affected_raw, list):
        raise RecordShapeError("'affected' must be a list")
    affected = [_parse_affected(a, f"affected[{i}]") for i, a in enumerate(affected_raw)]
    if doc.get("severity") is not None and not isinstance(doc.get("severity"), list):
        raise RecordShapeError("'severity' must be a list")
    return Record(
        id=rid,
        modified=parse_time(doc.get("modified")),
        published=parse_time(doc.get("published")),
        withdrawn=str(withdrawn) if withdrawn else None,
        aliases=[a for a in _str_list(doc.get("aliases"), "aliases") if a != rid],
        summary=_text(doc.get("summary"), "summary"),
        details=_text(doc.get("details"), "details"),
        references=refs,
        cwe=cwe,
        scored=score_record(doc),
        affected=[a for a in affected if a is not None],
    )


def _parse_affected(aff: Any, where: str) -> AffectedEntry | None:
    if not isinstance(aff, Mapping):
        raise RecordShapeError(f"{where} must be an object")
    pkg = aff.get("package")
    if pkg is None:
        return None  # affects a repository only (GIT ranges): nothing to match by name
    if not isinstance(pkg, Mapping):
        raise RecordShapeError(f"{where}.package must be an object")
    eco, name = pkg.get("ecosystem"), pkg.get("name")
    if not isinstance(eco, str) or not isinstance(name, str) or not eco or not name:
        raise RecordShapeError(f"{where}.package needs an 'ecosystem' and a 'name'")
    eco = canonical_ecosystem(eco)
    entry = AffectedEntry(eco, normalize_name(eco, name), name.strip())
    entry.versions = _str_list(aff.get("versions"), f"{where}.versions")
    ranges = aff.get("ranges")
    ranges = [] if ranges is None else ranges
    if not isinstance(ranges, list):
        raise RecordShapeError(f"{where}.ranges must be a list")
    for j, rng in enumerate(ranges):
        rwhere = f"{where}.ranges[{j}]"
        if not isinstance(rng, Mapping) or not isinstance(rng.get("events"), list):
            raise RecordShapeError(f"{rwhere} must be an object with 'events'")
        rtype = rng.get("type")
        if rtype == "GIT":
            entry.git_ranges += 1
            continue
        if rtype not in ("ECOSYSTEM", "SEMVER"):
            raise RecordShapeError(f"{rwhere}.type {rtype!r} is not ECOSYSTEM, SEMVER or GIT")
        events: list[tuple[str, str]] = []
        for k, ev in enumerate(rng["events"]):
            if not isinstance(ev, Mapping) or len(ev) != 1:
                raise RecordShapeError(f"{rwhere}.events[{k}] must hold exactly one event")
            ((kind, version),) = ev.items()
            if kind not in EVENT_KINDS or not isinstance(version, str):
                raise RecordShapeError(f"{rwhere}.events[{k}]: unknown event {kind!r}")
            events.append((kind, version))
        entry.ranges.append((str(rtype), events))
    return entry
