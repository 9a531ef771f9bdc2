"""Report writers: one module per format, each exposing ``WRITER`` (a :class:`ReportWriter`).

Writers only format; they never re-scan and never decide pass/fail.
"""

from __future__ import annotations

import importlib
import io
from typing import TYPE_CHECKING, BinaryIO, Protocol

from pipesec.core.errors import UsageError

if TYPE_CHECKING:  # the CLI imports FORMATS for its help: keep the model out of start-up
    from pipesec.core.model import ScanReport


class ReportWriter(Protocol):
    format: str

    def write(self, report: ScanReport, out: BinaryIO) -> None: ...


#: format name -> module (relative to this package) that defines WRITER, or "module:ATTR"
#: when one module serves several formats
FORMATS: dict[str, str] = {
    "table": "table",
    "json": "json_report",
    "sarif": "sarif",
    "markdown": "markdown",
    "junit": "junit",
    # pipesec:ignore[secrets/generic-secret] a format name and its writer, not a credential
    "gitlab-secret-detection": "gitlab:SECRET_DETECTION_WRITER",
    "gitlab-sast": "gitlab:SAST_WRITER",
    "gitlab-dependency-scanning": "gitlab:DEPENDENCY_SCANNING_WRITER",
    "gitlab-container-scanning": "gitlab:CONTAINER_SCANNING_WRITER",
    "gitlab-codequality": "gitlab:CODEQUALITY_WRITER",
    "cyclonedx-json": "cyclonedx_json",
    "cyclonedx-xml": "cyclonedx_xml",
}


class _Buffer(io.BytesIO):
    """Collects a writer's output; answers ``isatty`` for the stream it stands for."""

    def __init__(self, target: BinaryIO) -> None:
        super().__init__()
        self._target = target

    def isatty(self) -> bool:
        try:
            return self._target.isatty()
        except (AttributeError, ValueError):
            return False


class SafeWriter:
    """Wraps a writer: it writes a display-safe report (:mod:`pipesec.report.safe`) into
    memory, no line of the result may start a workflow command, and only a complete
    report reaches ``out`` (a writer that fails leaves nothing half-written)."""

    def __init__(self, inner: ReportWriter) -> None:
        self.inner = inner
        self.format = inner.format

    def write(self, report: ScanReport, out: BinaryIO) -> None:
        from pipesec.report.safe import display_safe, neutralise_lines

        buf = _Buffer(out)
        self.inner.write(display_safe(report), buf)
        out.write(neutralise_lines(buf.getvalue()))


def get_writer(fmt: str) -> ReportWriter:
    module = FORMATS.get(fmt)
    if module is None:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    module, _, attr = module.partition(":")
    writer: ReportWriter = getattr(
        importlib.import_module(f"{__name__}.{module}"), attr or "WRITER"
    )
    return SafeWriter(writer)
