"""The versioned JSON report. Its schema is published by ``pipesec report schema``."""

from __future__ import annotations

from typing import Any, BinaryIO, Literal

from pydantic import BaseModel, ConfigDict, Field

from pipesec.core.model import (
    Component,
    Finding,
    GateResult,
    Note,
    PostureCheck,
    Rule,
    ScanError,
    ScannerStats,
    ScanReport,
    SuppressedFinding,
)
from pipesec.report.safe import display_safe

SCHEMA_VERSION = "1.0"


class ToolInfo(BaseModel):
    name: Literal["pipesec"] = "pipesec"
    version: str


class Summary(BaseModel):
    findings: int
    by_severity: dict[str, int]
    suppressed: int
    errors: int
    notes: int


class JsonReport(BaseModel):
    """pipesec JSON report. Findings never hold secret values: snippets are redacted."""

    model_config = ConfigDict(arbitrary_types_allowed=False)

    schema_version: Literal["1.0"] = Field("1.0", description="Bumped on breaking changes")
    tool: ToolInfo
    root: str
    summary: Summary
    gate: GateResult | None
    findings: list[Finding]
    suppressed: list[SuppressedFinding]
    errors: list[ScanError]
    notes: list[Note]
    warnings: list[str]
    scanners: list[ScannerStats]
    components: list[Component]
    posture: list[PostureCheck]
    rules: list[Rule]


def summarize(report: ScanReport) -> Summary:
    from pipesec.report.common import severity_counts

    return Summary(
        findings=len(report.findings),
        by_severity={k.value: v for k, v in severity_counts(report.findings).items()},
        suppressed=len(report.suppressed),
        errors=len(report.errors),
        notes=len(report.notes),
    )


def build(report: ScanReport) -> JsonReport:
    used = {f.rule_id for f in report.findings} | {s.finding.rule_id for s in report.suppressed}
    rules = [report.rules[r] for r in sorted(used) if r in report.rules]
    return JsonReport(
        tool=ToolInfo(version=report.tool_version),
        root=".",
        summary=summarize(report),
        gate=report.gate,
        findings=report.findings,
        suppressed=report.suppressed,
        errors=report.errors,
        notes=report.notes,
        warnings=report.warnings,
        scanners=report.stats,
        components=report.components,
        posture=report.posture,
        rules=rules,
    )


def schema() -> dict[str, Any]:
    return JsonReport.model_json_schema()


class JsonWriter:
    format = "json"

    def write(self, report: ScanReport, out: BinaryIO) -> None:
        report = display_safe(report)
        out.write(build(report).model_dump_json(indent=2).encode("utf-8"))
        out.write(b"\n")


WRITER = JsonWriter()
