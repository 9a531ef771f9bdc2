"""Applies the one redactor (:mod:`pipesec.core.redact`) to everything a report carries.

The engine runs :func:`redact_items` on what the scanners yield, before fingerprints, so a
credential quoted in a message, a snippet, an error line, a component's version or a rule's
example never enters the report whole, whatever scanner made it; the runner runs
:func:`redact_report` again after suppressions and baselines (their reasons come from the
scanned tree) and on warnings. One batch per call: the detectors run once over all texts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from pipesec.core.model import (
    Component,
    Finding,
    Note,
    Rule,
    ScanError,
    ScanReport,
)
from pipesec.core.redact import redact_text, redact_texts

T = TypeVar("T")

#: kept for callers of the old name
scrub_text = redact_text

_FINDING_FIELDS = ("title", "message", "snippet", "remediation")
_RULE_FIELDS = ("title", "rationale", "remediation", "vulnerable_example", "fixed_example")
_COMPONENT_FIELDS = ("name", "version", "purl")


class _Batch:
    """Collects texts, redacts them in one call, then hands back each text's redaction."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.done: dict[str, str] = {}

    def add(self, text: object) -> None:
        if isinstance(text, str) and text:
            self.texts.append(text)
        elif isinstance(text, Mapping):
            for v in text.values():
                self.add(v)
        elif isinstance(text, (list, tuple)):
            for v in text:
                self.add(v)

    def run(self) -> None:
        unique = list(dict.fromkeys(self.texts))
        self.done = dict(zip(unique, redact_texts(unique), strict=True))

    def get(self, value: Any) -> Any:
        if type(value) is str:
            return self.done.get(value, value)
        if isinstance(value, Mapping):
            return {k: self.get(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.get(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.get(v) for v in value)
        return value

    def changed(self, obj: T, names: Sequence[str]) -> T:
        """``obj`` with the fields ``names`` redacted (the same object when none changes)."""
        new = {n: self.get(getattr(obj, n)) for n in names}
        if all(new[n] is getattr(obj, n) or new[n] == getattr(obj, n) for n in names):
            return obj
        return replace(obj, **new)  # type: ignore[type-var]


def _finding_texts(batch: _Batch, f: Finding) -> None:
    for name in _FINDING_FIELDS:
        batch.add(getattr(f, name))
    if not f.identity.startswith("hmac:"):
        batch.add(f.identity)
    batch.add(f.properties)
    if f.component is not None:
        for name in _COMPONENT_FIELDS:
            batch.add(getattr(f.component, name))


def _finding(batch: _Batch, f: Finding) -> Finding:
    names = list(_FINDING_FIELDS)
    if not f.identity.startswith("hmac:"):
        names.append("identity")
    if f.properties:
        names.append("properties")
    out = batch.changed(f, names)
    if f.component is not None:
        component = batch.changed(f.component, _COMPONENT_FIELDS)
        if component is not f.component:
            out = replace(out, component=component)
    return out


def redact_items(
    findings: list[Finding],
    errors: list[ScanError],
    notes: list[Note],
    rules: dict[str, Rule],
    components: list[Component],
) -> tuple[list[Finding], list[ScanError], list[Note], dict[str, Rule], list[Component]]:
    """Redact every free-text field of what the scanners yielded (one batch).

    Of ``rules`` only those a finding names are redacted: a report writes the texts of the
    rules its findings (and suppressed findings, made from them) use and nothing more of
    the others than their ids (JUnit's passing test cases); redacting the ~1,800 rules a
    scan loads costs a one-file scan more than the scan itself."""
    batch = _Batch()
    for f in findings:
        _finding_texts(batch, f)
    for e in errors:
        batch.add(e.message)
    for n in notes:
        batch.add(n.message)
    used = {f.rule_id for f in findings}
    for rid in used:
        r = rules.get(rid)
        if r is not None:
            for name in _RULE_FIELDS:
                batch.add(getattr(r, name))
    for c in components:
        for name in _COMPONENT_FIELDS:
            batch.add(getattr(c, name))
    if not batch.texts:
        return findings, errors, notes, rules, components
    batch.run()
    return (
        [_finding(batch, f) for f in findings],
        [batch.changed(e, ("message",)) for e in errors],
        [batch.changed(n, ("message",)) for n in notes],
        {rid: batch.changed(r, _RULE_FIELDS) if rid in used else r for rid, r in rules.items()},
        [batch.changed(c, _COMPONENT_FIELDS) for c in components],
    )


def redact_report(report: ScanReport) -> None:
    """Redact suppressed findings with their reasons, errors, notes and warnings in place
    (what suppressions, baselines and the runner add after the engine)."""
    batch = _Batch()
    for s in report.suppressed:
        _finding_texts(batch, s.finding)
        batch.add(s.justification)
    for e in report.errors:
        batch.add(e.message)
    for n in report.notes:
        batch.add(n.message)
    batch.add(report.warnings)
    if not batch.texts:
        return
    batch.run()
    report.suppressed = [
        replace(s, finding=_finding(batch, s.finding), justification=batch.get(s.justification))
        for s in report.suppressed
    ]
    report.errors = [batch.changed(e, ("message",)) for e in report.errors]
    report.notes = [batch.changed(n, ("message",)) for n in report.notes]
    report.warnings = [batch.get(w) for w in report.warnings]
