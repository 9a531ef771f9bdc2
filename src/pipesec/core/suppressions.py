"""Suppressions: inline ignores, peer tools' markers, config exceptions, baselines.

Suppressed findings stay visible (JSON, SARIF, Markdown, the table) with their reason and
where the suppression comes from, and are never counted by the gate.

Inline: ``pipesec:ignore[RULE-ID] reason`` inside a real comment of the file's language
(:mod:`pipesec.core.comments`; never inside a string literal) on the finding's line or the
line above. Several ids may be given comma-separated; an id may be a glob (``iac/*``), except
for secrets: a secret is suppressed only by its exact rule id. A reason is required: a marker
without one suppresses nothing and becomes a warning.

Peer tools' markers suppress the findings of the matching scanner on their line (checkov and
trivy: or the line above) with the reason ``peer: <tool>``: ``gitleaks:allow``,
``pragma: allowlist secret`` (detect-secrets), ``zizmor: ignore[audit]`` (only for the
rules that stand for the audits it names), ``checkov:skip=``,
``trivy:ignore:``; bandit reads ``# nosec`` itself.

In PR mode (the workspace carries changed lines) a suppression comment on a changed line that
hides a high or critical finding is itself a finding, ``policy/new-suppression``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from pipesec.core.config import ExceptionEntry
from pipesec.core.errors import InputError
from pipesec.core.model import Finding, ScanReport, Severity, SuppressedFinding
from pipesec.core.workspace import Workspace, decode, path_matches

if TYPE_CHECKING:  # read only with --baseline (core.runner imports it then)
    from pipesec.core.baseline import Baseline

INLINE = re.compile(r"\bpipesec:ignore\[(?P<ids>[^\]\n]*)\][ \t]*(?P<reason>[^\n]*)", re.IGNORECASE)
_CLOSERS = re.compile(r"\s*(?:\*/|-->)\s*$")
_RULE_ID = re.compile(r"^[a-z0-9*?._-]+(?:/[a-z0-9*?._/-]+)?$")
_GLOB = re.compile(r"[*?\[]")
MAX_REASON = 200


@dataclass(frozen=True, slots=True)
class InlineIgnore:
    rules: tuple[str, ...]
    reason: str

    def covers(self, rule_id: str) -> bool:
        rule_id = rule_id.lower()  # ids are written in any case: bandit/B105, sarif/x/Y
        return any(fnmatchcase(rule_id, pattern) for pattern in self.rules)

    def names(self, rule_id: str) -> bool:
        """The rule is named exactly (what a secret needs)."""
        return rule_id.lower() in self.rules


def parse_inline(line: str) -> InlineIgnore | None:
    """Parse an inline ignore from a comment (or a line), or None when it holds none.

    The reason may be empty here; :func:`apply` refuses such a marker."""
    m = INLINE.search(line)
    if m is None:
        return None
    ids = tuple(p.strip().lower() for p in m.group("ids").split(",") if p.strip())
    ids = tuple(i for i in ids if _RULE_ID.match(i))
    if not ids:
        return None
    reason = _CLOSERS.sub("", m.group("reason")).strip()
    return InlineIgnore(ids, reason)


@dataclass(frozen=True, slots=True)
class Peer:
    """Another tool's suppression marker, honoured for the findings of some scanners."""

    tool: str
    marker: re.Pattern[str]
    scanners: frozenset[str]
    above: bool = False  # also covers the next line (the comment stands above a block)


PEERS = (
    Peer("gitleaks", re.compile(r"gitleaks:allow", re.I), frozenset({"secrets"})),
    Peer(
        "detect-secrets",
        re.compile(r"pragma:\s*allowlist[ \t]+secret", re.I),
        frozenset({"secrets"}),
    ),
    # zizmor honours a marker anywhere in the finding's span: a step's `- name: ... #
    # zizmor: ignore[...]` line covers the `run:`/`uses:` line below it
    Peer("zizmor", re.compile(r"zizmor:\s*ignore\[", re.I), frozenset({"pipelines"}), True),
    Peer("checkov", re.compile(r"checkov:skip=", re.I), frozenset({"iac", "checkov"}), True),
    Peer("trivy", re.compile(r"trivy:ignore:", re.I), frozenset({"iac"}), True),
)
_MARKERS = (
    "pipesec:ignore",
    "gitleaks:allow",
    "allowlist",
    "zizmor",
    "checkov:skip",
    "trivy:ignore",
)
_MARKERS_B = tuple(m.encode() for m in _MARKERS)


def is_secret(f: Finding) -> bool:
    return f.scanner == "secrets" or f.rule_id.startswith(("secrets/", "gitleaks/"))


class _Lines:
    """Reads each file at most once, for the comments that hold a marker."""

    def __init__(self, workspace: Workspace) -> None:
        self._files = {f.path: f for f in workspace.all_files()}
        self._unmarked = workspace.unmarked
        self._marked: dict[str, dict[int, str]] = {}

    def marked(self, path: str) -> dict[int, str]:
        """The comments of ``path`` (by 1-based line) that hold a suppression marker."""
        found = self._marked.get(path)
        if found is None:
            found = self._marked[path] = self._find_marked(path)
        return found

    def _find_marked(self, path: str) -> dict[int, str]:
        from pipesec.core.comments import comments_by_line

        f = self._files.get(path)
        if f is None or f.size > 50 * 1024 * 1024 or path in self._unmarked:
            return {}
        try:
            data = f.read_bytes()
        except InputError:
            return {}
        low = data.lower()
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not any(
            m in low for m in _MARKERS_B
        ):
            return {}  # most files: no marker, so no decoding and no lexing
        return {
            n: c
            for n, c in comments_by_line(decode(data), path).items()
            if any(m in c.lower() for m in _MARKERS)
        }


@dataclass(frozen=True, slots=True)
class _Hit:
    kind: str  # "inline" | "peer"
    reason: str
    line: int  # where the marker stands
    source: str


def inline_for(
    finding: Finding, lines: _Lines, problems: dict[str, str] | None = None
) -> _Hit | None:
    """The comment marker that suppresses ``finding``, if any (refused markers are noted
    in ``problems``, keyed by place)."""
    loc = finding.location
    if not loc.path or loc.start_line <= 0 or loc.commit or finding.scanner == "policy":
        return None  # the gate's own policy findings are never suppressed by the tree
    marked = lines.marked(loc.path)
    if not marked:  # most files: no marker at all
        return None
    for n in (loc.start_line, loc.start_line - 1):
        comment = marked.get(n)
        if comment is None:
            continue
        where = f"{loc.path}:{n}"
        ignore = parse_inline(comment)
        if ignore is not None and ignore.covers(finding.rule_id):
            if is_secret(finding) and not ignore.names(finding.rule_id):
                _problem(
                    problems,
                    where,
                    "a secret is suppressed only by its exact rule id, "
                    f"not a pattern; write pipesec:ignore[{finding.rule_id}] and a reason",
                )
            elif not ignore.reason:
                _problem(
                    problems,
                    where,
                    "pipesec:ignore needs a reason after the rule ids; the marker is not applied",
                )
            else:
                return _Hit("inline", ignore.reason, n, f"pipesec:ignore comment at {where}")
        for peer in PEERS:
            if finding.scanner not in peer.scanners or (n != loc.start_line and not peer.above):
                continue
            if peer.marker.search(comment) and _peer_covers(peer, comment, finding.rule_id):
                return _Hit("peer", f"peer: {peer.tool}", n, f"{peer.tool} comment at {where}")
    return None


_ZIZMOR_IDS = re.compile(r"zizmor:\s*ignore\[([^\]\n]*)\]", re.I)


def _peer_covers(peer: Peer, comment: str, rule_id: str) -> bool:
    """A ``zizmor: ignore[a, b]`` comment covers only the findings of the audits it names."""
    if peer.tool != "zizmor":
        return True
    from pipesec.core.peer_audits import zizmor_audit

    audit = zizmor_audit(rule_id)
    named = {
        a.strip().lower() for m in _ZIZMOR_IDS.finditer(comment) for a in m.group(1).split(",")
    }
    return audit is not None and audit in named


def _problem(problems: dict[str, str] | None, where: str, text: str) -> None:
    if problems is not None:
        problems.setdefault(where, f"{where}: {text}")


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


def _reason(text: str) -> str:
    """Reasons come from the tree: redacted and kept short before any report sees them."""
    from pipesec.core.redact import redact_text

    text = redact_text(" ".join(text.split()))
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 3] + "..."


def apply(
    report: ScanReport,
    workspace: Workspace,
    exceptions: list[ExceptionEntry],
    baseline: Baseline | None = None,
    today: dt.date | None = None,
    *,
    exceptions_source: str = "the configuration",
) -> None:
    """Move suppressed findings from ``report.findings`` to ``report.suppressed``."""
    today = today or dt.date.today()
    report.warnings.extend(expired_warnings(exceptions, today))
    lines = _Lines(workspace)
    problems: dict[str, str] = {}
    kept: list[Finding] = []
    added: list[Finding] = []
    for f in report.findings:
        why = f.properties.get("suppressed") if f.properties else None
        if why:
            kind = str(f.properties.get("suppressed_by") or "external")
            source = f"{f.scanner} scanner"
            if f.scanner == "sast":  # bandit's own # nosec
                kind, why, source = "peer", f"peer: bandit ({why})", f"# nosec at {_at(f)}"
                if _new(f, f.location.start_line, workspace):
                    added.append(_new_suppression(f, f.location.start_line, "# nosec"))
            report.suppressed.append(SuppressedFinding(f, kind, _reason(str(why)), source))
            continue
        hit = inline_for(f, lines, problems)
        if hit is not None:
            report.suppressed.append(
                SuppressedFinding(f, hit.kind, _reason(hit.reason), hit.source)
            )
            if _new(f, hit.line, workspace):
                marker = "pipesec:ignore" if hit.kind == "inline" else hit.reason
                added.append(_new_suppression(f, hit.line, marker))
            continue
        exc = exception_for(f, exceptions, today)
        if exc is not None:
            until = f" (until {exc.expires.isoformat()})" if exc.expires else ""
            report.suppressed.append(
                SuppressedFinding(
                    f,
                    "exception",
                    _reason(exc.reason) + until,
                    f"[[exceptions]] in {exceptions_source}",
                )
            )
            continue
        if baseline is not None:
            entry = baseline.match(f)
            if entry is not None:
                report.suppressed.append(
                    SuppressedFinding(
                        f,
                        "baseline",
                        f"in the {baseline.source} baseline",
                        f"baseline ({baseline.source})",
                    )
                )
                continue
        kept.append(f)
    for f in added:  # accepted only by an exception of the (trusted) configuration
        exc = exception_for(f, exceptions, today)
        if exc is None:
            kept.append(f)
        else:
            report.suppressed.append(
                SuppressedFinding(
                    f, "exception", _reason(exc.reason), f"[[exceptions]] in {exceptions_source}"
                )
            )
    report.warnings.extend(_reason(p) for _, p in sorted(problems.items()))
    report.findings = sorted(kept, key=Finding.sort_key)
    report.suppressed.sort(key=lambda s: s.finding.sort_key())


def _at(f: Finding) -> str:
    return f"{f.location.path}:{f.location.start_line}"


def _new(f: Finding, marker_line: int, workspace: Workspace) -> bool:
    """PR mode: a marker on a changed line hides a high or critical finding."""
    if workspace.changed_lines is None or not f.severity.at_least(Severity.HIGH):
        return False
    return workspace.in_changed_lines(f.location.path, marker_line)


def _new_suppression(f: Finding, line: int, marker: str) -> Finding:
    from pipesec.core.engine import assign_fingerprints
    from pipesec.core.trust import NEW_SUPPRESSION, policy_finding

    message = (
        f"{marker} added on a changed line suppresses {f.rule_id} ({f.severity.value}) "
        f"at {_at(f)}; a reviewer must accept it"
    )
    made = policy_finding(
        NEW_SUPPRESSION, f.location.path, line, message, f"{f.rule_id}:{f.fingerprint}"
    )
    return assign_fingerprints([made])[0]
