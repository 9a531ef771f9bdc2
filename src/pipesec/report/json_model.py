"""The pydantic models of the JSON report: its published schema (``pipesec report schema``)
and the reader of saved reports (``policy eval --input``). Building them costs a small scan
more than writing the report, so :mod:`.json_report` writes without them."""

from __future__ import annotations

from typing import Literal

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
    SuppressedFinding,
)


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
