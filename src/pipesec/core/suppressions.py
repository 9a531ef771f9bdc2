"""Suppressions: inline ignores, config exceptions, baselines.

Suppressed findings stay visible (JSON, SARIF, Markdown) with their justification and are
never counted by the gate.

Inline: ``pipesec:ignore[RULE-ID] reason`` in a comment of any syntax (``#``, ``//``,
``--``, ``/* */``, ``<!-- -->``, ``;``) on the finding's line or the line above. Several ids
may be given comma-separated; an id may be a glob (``secrets/*``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase

from pipesec.core.baseline import Baseline
from pipesec.core.config import ExceptionEntry
from pipesec.core.errors import InputError
from pipesec.core.model import Finding, ScanReport, SuppressedFinding
from pipesec.core.workspace import Workspace, decode, path_matches

_COMMENT_OPENERS = r"(?:#|//|--|/\*|<!--|;)"
INLINE = re.compile(
    _COMMENT_OPENERS + r"[^\n]*?\bpipesec:ignore\[(?P<ids>[^\]\n]*)\][ \t]*(?P<reason>[^\n]*)",
    re.IGNORECASE,
)
_CLOSERS = re.compile(r"\s*(?:\*/|-->)\s*$")
_RULE_ID = re.compile(r"^[a-z0-9*?._-]+(?:/[a-z0-9*?._/-]+)?$")


@dataclass(frozen=True, slots=True)
class InlineIgnore:
    rules: tuple[str, ...]
    reason: str

    def covers(self, rule_id: str) -> bool:
        rule_id = rule_id.lower()  # ids are written in any case: bandit/B105, sarif/x/Y
        return any(fnmatchcase(rule_id, pattern) for pattern in self.rules)


def parse_inline(line: str) -> InlineIgnore | None:
    """Parse an inline ignore from one line of source, or None when it holds none."""
    m = INLINE.search(line)
    if m is None:
        return None
    ids = tuple(p.strip().lower() for p in m.group("ids").split(",") if p.strip())
    ids = tuple(i for i in ids if _RULE_ID.match(i))
    if not ids:
        return None
    reason = _CLOSERS.sub("", m.group("reason")).strip()
    return InlineIgnore(ids, reason)


class _Lines:
    """Reads each file at most once, for its marked lines."""

    def __init__(self, workspace: Workspace) -> None:
        self._files = {f.path: f for f in workspace.all_files()}
        self._unmarked = workspace.unmarked
        self._marked: dict[str, dict[int, str]] = {}

    def marked(self, path: str) -> dict[int, str]:
        """The lines of ``path`` (by 1-based number) that mention ``pipesec:ignore``."""
        found = self._marked.get(path)
        if found is None:
            found = self._marked[path] = self._find_marked(path)
        return found

    def _find_marked(self, path: str) -> dict[int, str]:
        f = self._files.get(path)
        if f is None or f.size > 50 * 1024 * 1024 or path in self._unmarked:
            return {}
        try:
            data = f.read_bytes()
        except InputError:
            return {}
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and _MARKER_B not in data.lower():
            return {}  # most files: no marker, so no decoding and no line split
        return {n: t for n, t in enumerate(decode(data).splitlines(), 1) if _MARKER in t.lower()}


_MARKER = "pipesec:ignore"
_MARKER_B = _MARKER.encode()


def inline_for(finding: Finding, lines: _Lines) -> InlineIgnore | None:
    loc = finding.location
    if not loc.path or loc.start_line <= 0 or loc.commit:
        return None
    marked = lines.marked(loc.path)
    if not marked:  # most files: no inline ignore at all
        return None
    for n in (loc.start_line, loc.start_line - 1):
        line = marked.get(n)
        if line is not None:
            ignore = parse_inline(line)
            if ignore is not None and ignore.covers(finding.rule_id):
                return ignore
    return None


def exception_for(
    finding: Finding, exceptions: Iterable[ExceptionEntry], today: dt.date
) -> ExceptionEntry | None:
    for exc in exceptions:
        if exc.expires is not None and exc.expires < today:
            continue
        if not fnmatchcase(finding.rule_id, exc.rule):
            continue
        if exc.path in ("**", "*", "") or path_matches(exc.path, finding.location.path):
            return exc
    return None


def expired_warnings(exceptions: Iterable[ExceptionEntry], today: dt.date) -> list[str]:
    return [
        f"exception for {e.rule} on {e.path} expired on {e.expires.isoformat()} and no longer "
        f"applies (reason was: {e.reason})"
        for e in exceptions
        if e.expires is not None and e.expires < today
    ]


def apply(
    report: ScanReport,
    workspace: Workspace,
    exceptions: list[ExceptionEntry],
    baseline: Baseline | None = None,
    today: dt.date | None = None,
) -> None:
    """Move suppressed findings from ``report.findings`` to ``report.suppressed``."""
    today = today or dt.date.today()
    report.warnings.extend(expired_warnings(exceptions, today))
    lines = _Lines(workspace)
    kept: list[Finding] = []
    for f in report.findings:
        why = f.properties.get("suppressed") if f.properties else None
        if why:
            report.suppressed.append(SuppressedFinding(f, "external", str(why)))
            continue
        ignore = inline_for(f, lines)
        if ignore is not None:
            reason = ignore.reason or "no reason given"
            report.suppressed.append(SuppressedFinding(f, "inline", reason))
            continue
        exc = exception_for(f, exceptions, today)
        if exc is not None:
            until = f" (until {exc.expires.isoformat()})" if exc.expires else ""
            report.suppressed.append(SuppressedFinding(f, "exception", exc.reason + until))
            continue
        if baseline is not None:
            entry = baseline.match(f)
            if entry is not None:
                report.suppressed.append(
                    SuppressedFinding(f, "baseline", f"in the {baseline.source} baseline")
                )
                continue
        kept.append(f)
    report.findings = kept
    report.suppressed.sort(key=lambda s: s.finding.sort_key())
