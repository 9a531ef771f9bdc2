"""Fixtures of the report writer tests (synthetic reports live in reportdata.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipesec.core.model import ScanReport


@pytest.fixture
def write() -> Callable[[str, ScanReport], bytes]:
    from io import BytesIO

    from pipesec.report import get_writer

    def run(fmt: str, report: ScanReport) -> bytes:
        buf = BytesIO()
        get_writer(fmt).write(report, buf)
        return buf.getvalue()

    return run
