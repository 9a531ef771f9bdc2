"""CycloneDX 1.6 JSON SBOM of the scan's components (``--output cyclonedx-json=FILE``)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from pipesec.core.model import ScanReport
from pipesec.report.safe import display_safe


def render(report: ScanReport, fmt: str) -> str:
    from pipesec.sbom.cyclonedx import build_bom, serialize

    bom = build_bom(
        report.components,
        project=Path(report.root).name or "project",
        tool_version=report.tool_version,
        findings=report.findings,
        suppressed=report.suppressed,
    )
    return serialize(bom, "json" if fmt == "json" else "xml")


class CycloneDxJsonWriter:
    format = "cyclonedx-json"

    def write(self, report: ScanReport, out: BinaryIO) -> None:
        report = display_safe(report)
        out.write(render(report, "json").encode("utf-8"))


WRITER = CycloneDxJsonWriter()
