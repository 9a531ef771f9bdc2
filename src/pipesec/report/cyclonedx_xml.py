"""CycloneDX 1.6 XML SBOM of the scan's components (``--output cyclonedx-xml=FILE``)."""

from __future__ import annotations

from typing import BinaryIO

from pipesec.core.model import ScanReport
from pipesec.report.cyclonedx_json import render
from pipesec.report.safe import display_safe


class CycloneDxXmlWriter:
    format = "cyclonedx-xml"

    def write(self, report: ScanReport, out: BinaryIO) -> None:
        report = display_safe(report)
        out.write(render(report, "xml").encode("utf-8"))


WRITER = CycloneDxXmlWriter()
