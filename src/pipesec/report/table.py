"""Human-readable report: Rich table on a terminal, plain aligned text elsewhere."""

from __future__ import annotations

import io
import re
from typing import BinaryIO

from pipesec.core.model import ScanReport, Severity, count
from pipesec.report.common import location_text, severity_counts
from pipesec.report.safe import display_safe

STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
MAX_NOTES_SHOWN = 10
#: terminals at least this wide get the four-column table, narrower ones a block per finding
WIDE = 120
MAX_RULE_WIDTH = 34
MIN_LOCATION_WIDTH = 18
MIN_MESSAGE_WIDTH = 36
#: terminal control characters (ESC starts colour and cursor sequences) in scanned text could
#: rewrite or hide lines of the report in a terminal or CI log; they are shown as U+FFFD
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _safe(text: str) -> str:
    return _CONTROL.sub("\ufffd", text.replace("\r\n", "\n").replace("\t", " "))


def _summary_lines(report: ScanReport) -> list[str]:
    counts = severity_counts(report.findings)
    parts = [f"{n} {s.value}" for s, n in counts.items() if n]
    lines = [
        count(len(report.findings), "finding")
        + (f" ({', '.join(parts)})" if parts else "")
        + f", {len(report.suppressed)} suppressed, {count(len(report.errors), 'error')},"
        + f" {count(len(report.notes), 'note')}"
    ]
    if report.stats:
        lines.append(
            "scanners: "
            + ", ".join(
                f"{s.name} {s.findings} in {s.seconds:.2f}s"
                + (f" ({s.commits} commits, {s.blobs} blobs read)" if s.commits else "")
                for s in report.stats
            )
        )
    return lines


def _suppressed_lines(report: ScanReport) -> list[str]:
    """Every suppressed finding: rule, place, reason and where the suppression comes from."""
    return [
        f"{s.finding.rule_id}  {location_text(s.finding)}  {s.kind}: {s.justification}"
        + (f"  (from {s.source})" if s.source else "")
        for s in report.suppressed
    ]


def _verdict(report: ScanReport) -> tuple[str, list[str]]:
    gate = report.gate
    if gate is None:
        return "GATE NOT EVALUATED", []
    if gate.passed:
        return "GATE PASSED", gate.warnings
    return "GATE FAILED", gate.reasons + gate.warnings


def _posture_matrix(report: ScanReport) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Pipelines (columns) and, per gate, "yes"/"NO"/"" cells (small: one row per gate)."""
    pipelines = sorted({c.pipeline for c in report.posture})
    gates: list[str] = []
    cell: dict[tuple[str, str], str] = {}
    for c in report.posture:
        if c.gate not in gates:
            gates.append(c.gate)
        cell[(c.gate, c.pipeline)] = "yes" if c.present else "NO"
    return pipelines, [(g, [cell.get((g, p), "") for p in pipelines]) for g in gates]


def _posture_plain(report: ScanReport) -> list[str]:
    pipelines, rows = _posture_matrix(report)
    if not pipelines:
        return []
    widths = [max(len(p), 3) for p in pipelines]
    gw = max(len(g) for g, _ in rows)
    out = ["== PIPELINE POSTURE (security gates each pipeline runs)"]
    for first, cells in [("gate", pipelines), *rows]:
        line = "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
        out.append(f"  {first.ljust(gw)}  {line}".rstrip())
    return out


def render_plain(report: ScanReport) -> str:
    out: list[str] = []
    for sev in Severity:
        group = [f for f in report.findings if f.severity is sev]
        if not group:
            continue
        out.append(f"== {sev.value.upper()} ({len(group)})")
        for f in group:
            out.append(f"  {f.rule_id}  {location_text(f)}  {f.message}")
            if f.snippet:
                out.append(f"      {f.snippet}")
    if report.suppressed:
        out.append(f"== SUPPRESSED ({len(report.suppressed)}; not counted by the gate)")
        out.extend(f"  {line}" for line in _suppressed_lines(report))
    if report.errors:
        out.append(f"== ERRORS ({len(report.errors)})")
        out.extend(f"  [{e.scanner}] {e.describe()}" for e in report.errors)
    if report.notes:
        out.append(f"== NOTES ({len(report.notes)})")
        out.extend(f"  [{n.scanner}] {n.describe()}" for n in report.notes[:MAX_NOTES_SHOWN])
        if len(report.notes) > MAX_NOTES_SHOWN:
            out.append(
                f"  ... and {len(report.notes) - MAX_NOTES_SHOWN} more (see the JSON report)"
            )
    out.extend(_posture_plain(report))
    out.extend(f"warning: {w}" for w in report.warnings)
    out.extend(_summary_lines(report))
    verdict, reasons = _verdict(report)
    out.append(verdict)
    out.extend(f"  - {r}" for r in reasons)
    return _safe("\n".join(out)) + "\n"


def render_rich(report: ScanReport, width: int | None = None) -> str:
    from rich import box
    from rich.console import Console
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=width, highlight=False)
    if report.findings and console.width >= WIDE:
        # wide terminals: four columns; rule and location never shrink to a sliver
        rule_w = min(max(len(f.rule_id) for f in report.findings), MAX_RULE_WIDTH)
        table = Table(box=box.SIMPLE_HEAVY, show_lines=False, expand=True)
        table.add_column("Severity", no_wrap=True, min_width=8)
        table.add_column("Rule", overflow="fold", min_width=rule_w, max_width=MAX_RULE_WIDTH)
        table.add_column(
            "Location",
            overflow="fold",
            min_width=MIN_LOCATION_WIDTH,
            max_width=max(MIN_LOCATION_WIDTH, console.width // 4),
        )
        table.add_column("Finding", ratio=1, overflow="fold", min_width=MIN_MESSAGE_WIDTH)
        for f in report.findings:
            detail = Text(_safe(f.message))
            if f.snippet:
                detail.append("\n" + _safe(f.snippet), style="dim")
            table.add_row(
                Text(f.severity.value.upper(), style=STYLE[f.severity]),
                Text(_safe(f.rule_id)),
                Text(_safe(location_text(f))),
                detail,
            )
        console.print(table)
    elif report.findings:
        # narrow terminals: one block per finding, the message wrapped under its heading
        for f in report.findings:
            head = Text(f"{f.severity.value.upper():<8}", style=STYLE[f.severity])
            head.append(f" {_safe(f.rule_id)}", style="bold")
            head.append(f"  {_safe(location_text(f))}")
            console.print(head, overflow="fold")
            body = Text(_safe(f.message))
            if f.snippet:
                body.append("\n" + _safe(f.snippet), style="dim")
            console.print(Padding(body, (0, 0, 1, 4)), overflow="fold")
    for line in _suppressed_lines(report):
        console.print(Text(_safe(f"suppressed {line}"), style="dim"))
    for e in report.errors:
        console.print(Text(_safe(f"error [{e.scanner}] {e.describe()}"), style="red"))
    for n in report.notes[:MAX_NOTES_SHOWN]:
        console.print(Text(_safe(f"note [{n.scanner}] {n.describe()}"), style="dim"))
    if len(report.notes) > MAX_NOTES_SHOWN:
        console.print(
            Text(
                f"... and {len(report.notes) - MAX_NOTES_SHOWN} more notes (see the JSON report)",
                style="dim",
            )
        )
    pipelines, rows = _posture_matrix(report)
    gate_w = max((len(g) for g, _ in rows), default=4)
    fits = gate_w + sum(max(len(p), 3) + 3 for p in pipelines) + 4 <= console.width
    if pipelines and not fits:
        console.print(Text("Pipeline posture (gates each pipeline lacks)", style="italic"))
        for i, p in enumerate(pipelines):
            lacking = [g for g, cells in rows if cells[i] == "NO"]
            console.print(
                Text(_safe(f"  {p}: " + (", ".join(lacking) if lacking else "all gates present"))),
                overflow="fold",
            )
    elif pipelines:
        posture = Table(title="Pipeline posture", box=box.SIMPLE, title_justify="left")
        posture.add_column("Gate", no_wrap=True)
        for p in pipelines:
            posture.add_column(_safe(p), overflow="fold")
        for g, cells in rows:
            posture.add_row(
                g, *(Text(c, style="green" if c == "yes" else "bold red") for c in cells)
            )
        console.print(posture)
    for w in report.warnings:
        console.print(Text(_safe(f"warning: {w}"), style="yellow"))
    for line in _summary_lines(report):
        console.print(line)
    verdict, reasons = _verdict(report)
    ok = report.gate is not None and report.gate.passed
    console.print(Text(verdict, style="bold green" if ok else "bold red"))
    for r in reasons:
        console.print(Text(_safe(f"  - {r}")))
    return buf.getvalue()


class TableWriter:
    format = "table"

    def write(self, report: ScanReport, out: BinaryIO) -> None:
        report = display_safe(report)
        tty = False
        try:
            tty = out.isatty()
        except (AttributeError, ValueError):
            tty = False
        text = render_rich(report) if tty else render_plain(report)
        out.write(text.encode("utf-8", "replace"))


WRITER = TableWriter()
