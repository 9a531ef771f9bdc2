"""The posture section of the table report."""

from __future__ import annotations

from pipesec.core.model import PostureCheck, ScanReport
from pipesec.report.table import render_plain, render_rich


def _report() -> ScanReport:
    return ScanReport(
        root=".",
        posture=[
            PostureCheck(".github/workflows", "sast", False, "no job runs such a tool"),
            PostureCheck(".github/workflows", "secret-scanning", True, "found `gitleaks`"),
            PostureCheck(".gitlab-ci.yml", "sast", True, "found `Jobs/SAST`"),
        ],
    )


def test_plain_posture_matrix() -> None:
    text = render_plain(_report())
    lines = text.splitlines()
    i = lines.index("== PIPELINE POSTURE (security gates each pipeline runs)")
    assert lines[i + 1].split() == ["gate", ".github/workflows", ".gitlab-ci.yml"]
    assert lines[i + 2].split() == ["sast", "NO", "yes"]
    assert lines[i + 3].split() == ["secret-scanning", "yes"]


def test_rich_posture_table() -> None:
    text = render_rich(_report(), width=120)
    assert "Pipeline posture" in text and "secret-scanning" in text


def test_no_posture_no_section() -> None:
    assert "POSTURE" not in render_plain(ScanReport(root="."))
