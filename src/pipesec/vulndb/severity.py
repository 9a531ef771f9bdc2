"""Severity of an OSV record: a CVSS vector (v4, else v3.x, else v2) through the ``cvss``
package, else the record's own label, else None (the caller applies the unscored default).
Malicious-package records (``MAL-``) are always critical."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipesec.core.model import Severity

log = logging.getLogger(__name__)

_LABELS = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "important": Severity.HIGH,
    "moderate": Severity.MEDIUM,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "negligible": Severity.LOW,
    "unimportant": Severity.LOW,
    "none": Severity.INFO,
    "info": Severity.INFO,
}


@dataclass(frozen=True, slots=True)
class Scored:
    severity: Severity | None
    score: float | None = None
    vector: str = ""
    source: str = ""  # "cvss", "label", "malicious" or "" (unscored)


def from_score(score: float) -> Severity:
    """CVSS qualitative rating: 9.0+ critical, 7.0+ high, 4.0+ medium, >0 low, 0 info."""
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    if score > 0.0:
        return Severity.LOW
    return Severity.INFO


def cvss_base_score(kind: str, vector: str) -> float | None:
    """Base score of a CVSS vector, or None if the vector does not parse."""
    from cvss import CVSS2, CVSS3, CVSS4
    from cvss.exceptions import CVSSError

    try:  # some sources put the bare score where the vector belongs
        bare = float(vector)
    except ValueError:
        pass
    else:
        return bare if 0.0 <= bare <= 10.0 else None
    try:
        if kind == "CVSS_V4":
            return float(CVSS4(vector).base_score)
        if kind == "CVSS_V3":
            return float(CVSS3(vector).scores()[0])
        if kind == "CVSS_V2":
            return float(CVSS2(vector).scores()[0])
    except (CVSSError, ValueError, KeyError, IndexError) as exc:
        log.debug("unparseable %s vector %r: %s", kind, vector, exc)
    return None


def _label(value: Any) -> Severity | None:
    if isinstance(value, str):
        return _LABELS.get(value.strip().lower())
    return None


def score_record(record: Mapping[str, Any]) -> Scored:
    rid = str(record.get("id", ""))
    if rid.startswith("MAL-"):
        return Scored(Severity.CRITICAL, source="malicious")
    vectors: dict[str, str] = {}
    labels: list[Severity] = []
    entries = record.get("severity")
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, Mapping):
            continue
        kind, score = entry.get("type"), entry.get("score")
        if not isinstance(kind, str) or not isinstance(score, str):
            continue
        if kind.startswith("CVSS_"):
            vectors.setdefault(kind, score)
        elif (lab := _label(score)) is not None:
            labels.append(lab)
    for kind in ("CVSS_V4", "CVSS_V3", "CVSS_V2"):
        if kind in vectors and (s := cvss_base_score(kind, vectors[kind])) is not None:
            return Scored(from_score(s), s, vectors[kind], "cvss")
    dbs = record.get("database_specific")
    if isinstance(dbs, Mapping) and (lab := _label(dbs.get("severity"))) is not None:
        labels.append(lab)
    affected = record.get("affected")
    for aff in affected if isinstance(affected, list) else ():
        if not isinstance(aff, Mapping):
            continue
        for key in ("ecosystem_specific", "database_specific"):
            sub = aff.get(key)
            if isinstance(sub, Mapping) and (lab := _label(sub.get("severity"))) is not None:
                labels.append(lab)
    if labels:
        return Scored(max(labels, key=lambda s: s.rank), source="label")
    return Scored(None)
