"""Markdown for pull-request comments and GitHub's job summary (``$GITHUB_STEP_SUMMARY``).

The verdict comes first with the gate's reasons, then the counts by severity, the findings
table (severity, rule, location, message and redacted snippet), the pipeline posture when a
scanner filled it, and collapsible ``<details>`` for suppressed findings, errors and notes.

Everything that comes from the scanned tree or from another tool (messages, paths, snippets,
justifications, imported rule ids) is escaped: ``|`` would split a table cell, backticks
and ``*``/``_`` would change the formatting, HTML would be rendered and ``@name`` would
notify people. The output is capped to fit a GitHub comment (65,536 characters): rows that
do not fit are left out and a note says how many and where to find them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO
from urllib.parse import quote

from pipesec.core.model import Finding, PostureCheck, ScanReport, Severity
from pipesec.report.common import location_text, severity_counts
from pipesec.report.safe import display_safe

#: GitHub rejects comment bodies over 65,536 characters; the cap counts UTF-8 bytes (never
#: fewer than characters, however GitHub counts them) and keeps a margin for what CI adds.
MAX_BYTES = 65_000
#: a single message or justification longer than this is cut (the JSON report has it whole)
MAX_CELL = 600
#: notes and warnings are informative; show at most this many of each
MAX_NOTES = 50
MAX_WARNINGS = 20
#: invisible last line, so a CI job can find and update its earlier pull-request comment
MARKER = "<!-- pipesec:report -->"
#: up to this many pipelines the posture is a gate-by-pipeline matrix
MAX_POSTURE_COLUMNS = 4

ICON = {
    Severity.CRITICAL: "\U0001f534",  # red circle
    Severity.HIGH: "\U0001f7e0",  # orange circle
    Severity.MEDIUM: "\U0001f7e1",  # yellow circle
    Severity.LOW: "\U0001f535",  # blue circle
    Severity.INFO: "\u26aa",  # white circle
}
CHECK_MARK = "\u2705"  # check mark
CROSS_MARK = "\u274c"  # cross mark
QUESTION_MARK = "\u2754"  # question mark

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
#: ASCII punctuation that changes Markdown formatting; a backslash makes it literal
_MD_PUNCT = re.compile(r"([\\`*_\[\]{}()#+!|~])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
_SHA = re.compile(r"[0-9a-f]{7,64}")
_MENTION = re.compile(r"(?<!\w)@(?=\w)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def text(value: str, limit: int = MAX_CELL, *, mentions: bool = True) -> str:
    """Escape user-controlled ``value`` for inline Markdown (table cells, list items).

    HTML is entity-escaped, Markdown punctuation backslash-escaped (and a leading ``-`` or
    ``1.`` that would open a list), ``@name`` mentions broken with a zero-width space
    (unless ``mentions`` is false: GitHub ignores them in code), line breaks become
    ``<br>``, and the result is cut at ``limit``.
    """
    if limit and len(value) > limit:
        value = value[: limit - 1].rstrip() + "\u2026"
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = _CONTROL.sub("\ufffd", value)
    value = "".join(_HTML.get(ch, ch) for ch in value)
    value = _MD_PUNCT.sub(r"\\\1", value)
    if mentions:
        value = _MENTION.sub("@\u200b", value)
    value = "<br>".join(p for p in (part.strip() for part in value.split("\n")) if p)
    # text that opens a list item must not start a nested list ("- x", "1. x")
    if value.startswith("-"):
        value = "\\" + value
    return _ORDERED.sub(r"\1\\\2", value, count=1)


def code(value: str, limit: int = MAX_CELL) -> str:
    """``value`` shown in a code font, escaped like :func:`text` (never a raw code span)."""
    return f"<code>{text(value, limit, mentions=False)}</code>" if value else ""


def _link(label: str, href: str | None) -> str:
    return f"[{label}]({href})" if href else label


def github_blob_base(env: Mapping[str, str]) -> str | None:
    """``https://github.com/OWNER/REPO/blob/SHA/`` on GitHub Actions, else None."""
    server = env.get("GITHUB_SERVER_URL", "").rstrip("/")
    repo = env.get("GITHUB_REPOSITORY", "")
    sha = env.get("GITHUB_SHA", "")
    if not (server.startswith("https://") and re.fullmatch(r"[\w.-]+/[\w.-]+", repo)):
        return None
    if not _SHA.fullmatch(sha):
        return None
    return f"{server}/{repo}/blob/{sha}/"


def _size(line: str) -> int:
    """UTF-8 bytes of ``line`` and its newline."""
    return len(line.encode("utf-8")) + 1


@dataclass
class _Section:
    """A block whose rows may be cut to fit; ``what`` names the rows in the cut note."""

    what: str
    opening: list[str]
    rows: list[str]
    closing: list[str] = field(default_factory=list)
    #: how many items the rows stand for, when only the first ones are rows
    total: int | None = None


@dataclass
class _Doc:
    max_bytes: int
    lines: list[str] = field(default_factory=list)
    size: int = 0
    cut: dict[str, int] = field(default_factory=dict)

    def add(self, lines: Sequence[str]) -> None:
        self.lines.extend(lines)
        self.size += sum(_size(x) for x in lines)

    def fits(self, lines: Sequence[str], reserve: int) -> bool:
        return self.size + sum(_size(x) for x in lines) + reserve <= self.max_bytes

    def take_section(self, sec: _Section, reserve: int) -> list[str]:
        """Claim room for ``sec`` (cutting rows that do not fit) and return its lines."""
        more_note = 120  # room for "... and N more" under a cut section
        if not self.fits(sec.opening + sec.closing, reserve + more_note) and sec.rows:
            self.cut[sec.what] = self.cut.get(sec.what, 0) + len(sec.rows)
            return []
        budget = self.max_bytes - reserve - more_note - self.size
        budget -= sum(_size(x) for x in sec.opening + sec.closing)
        shown: list[str] = []
        for row in sec.rows:
            if _size(row) > budget:
                break
            shown.append(row)
            budget -= _size(row)
        if sec.rows and not shown:
            self.cut[sec.what] = self.cut.get(sec.what, 0) + len(sec.rows)
            return []
        if len(shown) < len(sec.rows):
            self.cut[sec.what] = self.cut.get(sec.what, 0) + len(sec.rows) - len(shown)
        left = (len(sec.rows) if sec.total is None else sec.total) - len(shown)
        closing = list(sec.closing)
        if left:
            note = f"_\u2026 and {left} more {sec.what} not shown: the JSON report has them all._"
            # keep the note inside a collapsible section
            at = closing.index("</details>") if "</details>" in closing else len(closing)
            closing[at:at] = ["", note, ""]
        lines = sec.opening + shown + closing
        self.size += sum(_size(x) for x in lines)
        return lines


class MarkdownRenderer:
    def __init__(self, report: ScanReport, max_bytes: int, blob_base: str | None) -> None:
        self.report = report
        self.max_bytes = max_bytes
        self.blob_base = blob_base

    # -- pieces -------------------------------------------------------------------------

    def location(self, f: Finding) -> str:
        label = code(location_text(f), 300)
        loc = f.location
        if not (self.blob_base and loc.path):
            return label
        base = self.blob_base
        if loc.commit:  # found in history: link the file as it was in that commit
            if not _SHA.fullmatch(loc.commit):
                return label
            base = base.rsplit("/blob/", 1)[0] + f"/blob/{loc.commit}/"
        href = base + quote(loc.path, safe="/")
        if loc.start_line:
            href += f"#L{loc.start_line}"
            if loc.end_line > loc.start_line:
                href += f"-L{loc.end_line}"
        return _link(label, href)

    def severity(self, sev: Severity) -> str:
        return f"{ICON[sev]}\u00a0{sev.value}"  # no-break space: the column stays narrow

    def message(self, f: Finding) -> str:
        cell = text(f.message or f.title)
        comp = f.component
        if comp is not None and f"{comp.name} {comp.version}" not in f.message:
            cell += "<br>" + code(f"{comp.name} {comp.version}", 200)
        if f.snippet:
            cell += "<br>" + code(f.snippet, 300)
        return cell

    def verdict(self) -> list[str]:
        gate = self.report.gate
        if gate is None:
            head = f"## {QUESTION_MARK} pipesec: gate not evaluated"
            reasons: list[str] = []
        elif gate.passed:
            head = f"## {CHECK_MARK} pipesec: gate passed"
            reasons = []
        else:
            why = " (inputs could not be processed)" if gate.exit_code == 3 else ""
            head = f"## {CROSS_MARK} pipesec: gate failed{why}"
            reasons = gate.reasons
        lines = [head, ""]
        if reasons:
            lines += [f"- {text(r)}" for r in reasons] + [""]
        warnings = (gate.warnings if gate else []) + self.report.warnings
        if warnings:
            shown = warnings[:MAX_WARNINGS]
            lines += [f"> \u26a0\ufe0f {text(w)}  " for w in shown]
            if len(warnings) > len(shown):
                lines.append(f"> \u2026 and {len(warnings) - len(shown)} more warnings")
            lines.append("")
        return lines

    def counts(self) -> list[str]:
        r = self.report
        by_sev = severity_counts(r.findings)
        head = [f"{ICON[s]} {s.value.capitalize()}" for s in Severity]
        head += ["Suppressed", "Errors", "Notes"]
        vals = [str(by_sev[s]) for s in Severity]
        vals += [str(len(r.suppressed)), str(len(r.errors)), str(len(r.notes))]
        noun = "finding" if len(r.findings) == 1 else "findings"
        return [
            f"**{len(r.findings)} {noun}**",
            "",
            "| " + " | ".join(head) + " |",
            "|" + "---:|" * len(head),
            "| " + " | ".join(vals) + " |",
            "",
        ]

    def findings(self) -> _Section:
        rows = [
            f"| {self.severity(f.severity)} | {code(f.rule_id, 200)} | {self.location(f)} "
            f"| {self.message(f)} |"
            for f in self.report.findings
        ]
        opening = [
            f"### Findings ({len(rows)})",
            "",
            "| Severity | Rule | Location | Finding |",
            "|---|---|---|---|",
        ]
        return _Section("findings", opening, rows, [""])

    def posture(self) -> _Section:
        """Which security gates each pipeline has: a gate-by-pipeline matrix for a few
        pipelines, one row per check beyond that."""
        checks: list[PostureCheck] = sorted(self.report.posture, key=lambda c: c.pipeline)
        pipelines = list(dict.fromkeys(c.pipeline for c in checks))
        matrix = len(pipelines) <= MAX_POSTURE_COLUMNS
        summary = []
        for p in pipelines:
            mine = [c for c in checks if c.pipeline == p]
            ok = sum(c.present for c in mine)
            missing = ", ".join(text(c.gate, 80) for c in mine if not c.present)
            line = f"- {code(p, 300)}: {ok} of {len(mine)} gates present"
            summary.append(line + (f"; missing: {missing}" if missing and not matrix else ""))
        opening = ["### Pipeline posture", "", *summary, ""]
        if matrix:
            by_key = {(c.pipeline, c.gate): c for c in checks}
            gates = list(dict.fromkeys(c.gate for c in checks))
            rows = [
                f"| {text(g, 200)} | "
                + " | ".join(_posture_cell(by_key.get((p, g))) for p in pipelines)
                + " |"
                for g in gates
            ]
            opening += [
                "| Gate | " + " | ".join(code(p, 300) for p in pipelines) + " |",
                "|---|" + "---|" * len(pipelines),
            ]
        else:
            rows = [
                f"| {code(c.pipeline, 300)} | {text(c.gate, 200)} | {_posture_cell(c)} |"
                for c in checks
            ]
            opening += ["| Pipeline | Gate | Status |", "|---|---|---|"]
        return _Section("posture checks", opening, rows, [""])

    def suppressed(self) -> _Section:
        rows = [
            f"| {self.severity(s.finding.severity)} | {code(s.finding.rule_id, 200)} "
            f"| {self.location(s.finding)} | {text(s.kind, 40)} | {text(s.justification)} "
            f"| {text(s.source or s.kind, 200)} |"
            for s in self.report.suppressed
        ]
        return _Section(
            "suppressed findings",
            [
                *_details(f"Suppressed findings ({len(rows)})"),
                "| Severity | Rule | Location | How | Justification | Source |",
                "|---|---|---|---|---|---|",
            ],
            rows,
            ["", "</details>", ""],
        )

    def errors(self) -> _Section:
        rows = [f"- {code(e.scanner, 60)} {text(e.describe())}" for e in self.report.errors]
        title = f"{CROSS_MARK} Errors: inputs that could not be processed ({len(rows)})"
        return _Section("errors", _details(title), rows, ["", "</details>", ""])

    def notes(self) -> _Section:
        notes = self.report.notes
        rows = [f"- {code(n.scanner, 60)} {text(n.describe())}" for n in notes[:MAX_NOTES]]
        title = f"Notes: inputs skipped on purpose ({len(notes)})"
        return _Section("notes", _details(title), rows, ["", "</details>", ""], len(notes))

    # -- assembly -----------------------------------------------------------------------

    def render(self) -> str:
        r = self.report
        doc = _Doc(self.max_bytes)
        footer = [
            f"<sub>pipesec {text(r.tool_version, 40)} \u00b7 full results in the SARIF "
            "and JSON reports</sub>"
            if r.tool_version
            else "<sub>pipesec \u00b7 full results in the SARIF and JSON reports</sub>",
            "",
            MARKER,
        ]
        reserve = sum(_size(x) for x in footer) + 300  # footer + the truncation note
        doc.add(self.verdict())
        doc.add(self.counts())
        # room is claimed in order of importance, then shown in reading order
        sections: dict[str, _Section] = {}
        if r.errors:
            sections["errors"] = self.errors()
        if r.findings:
            sections["findings"] = self.findings()
        if r.posture:
            sections["posture"] = self.posture()
        if r.suppressed:
            sections["suppressed"] = self.suppressed()
        if r.notes:
            sections["notes"] = self.notes()
        blocks = {name: doc.take_section(sec, reserve) for name, sec in sections.items()}
        for name in ("findings", "posture", "errors", "suppressed", "notes"):
            doc.lines.extend(blocks.get(name, []))
        if doc.cut:
            parts = ", ".join(f"{n} {what}" for what, n in doc.cut.items())
            doc.add(
                [
                    f"> **Report truncated** to stay within {self.max_bytes:,} bytes (a"
                    f" GitHub comment holds at most 65,536): {parts} not shown. The SARIF and"
                    " JSON reports hold everything.",
                    "",
                ]
            )
        doc.add(footer)
        return "\n".join(doc.lines) + "\n"


def _posture_cell(check: PostureCheck | None) -> str:
    if check is None:
        return "\u2014"  # em dash: not checked for this pipeline
    cell = CHECK_MARK + " present" if check.present else CROSS_MARK + " missing"
    return cell + (f"<br><sub>{text(check.detail, 300)}</sub>" if check.detail else "")


def _details(summary: str) -> list[str]:
    return ["<details>", f"<summary>{summary}</summary>", ""]


def render(report: ScanReport, *, max_bytes: int = MAX_BYTES, blob_base: str | None = None) -> str:
    return MarkdownRenderer(report, max_bytes, blob_base).render()


class MarkdownWriter:
    """Writes the Markdown report; on GitHub Actions locations link to the scanned commit."""

    format = "markdown"

    def __init__(self, max_bytes: int = MAX_BYTES, env: Mapping[str, str] | None = None) -> None:
        self.max_bytes = max_bytes
        self.env = env

    def write(self, report: ScanReport, out: BinaryIO) -> None:
        report = display_safe(report)
        env = os.environ if self.env is None else self.env
        body = render(report, max_bytes=self.max_bytes, blob_base=github_blob_base(env))
        out.write(body.encode("utf-8"))


WRITER = MarkdownWriter()
