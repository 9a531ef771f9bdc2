"""Last line of defence against leaks through messages.

Scanner error and note messages sometimes quote the input they could not read (a
malformed line, an unknown token). Such a line can hold a credential, so before a report
is written every message is run through the secrets engine and any credential it
recognises is replaced by its redacted preview. Only messages are scanned (short texts);
findings' snippets are already redacted by the scanners that made them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from pipesec.core.model import ScanReport
from pipesec.core.redact import preview

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _scrubber() -> Callable[[str], str] | None:
    try:
        from pipesec.scanners.secrets import engine_for
    except ImportError:  # the secrets scanner is not installed
        return None
    engine = engine_for()

    def scrub(text: str) -> str:
        spans = sorted({(m.start, m.end) for m in engine.scan_text(text)}, reverse=True)
        for start, end in spans:
            text = text[:start] + preview(text[start:end]) + text[end:]
        return text

    return scrub


def scrub_text(text: str) -> str:
    scrub = _scrubber()
    return scrub(text) if scrub is not None and text else text


def scrub_report(report: ScanReport) -> None:
    """Redact credentials quoted in errors, notes and warnings of ``report`` in place."""
    if not (report.errors or report.notes or report.warnings):
        return
    report.errors = [replace(e, message=scrub_text(e.message)) for e in report.errors]
    report.notes = [replace(n, message=scrub_text(n.message)) for n in report.notes]
    report.warnings = [scrub_text(w) for w in report.warnings]
