"""The terminal table at fixed widths: nothing wider than the terminal, rule ids and
locations never squeezed into a one-character column, messages wrapped."""

from __future__ import annotations

import re

import pytest
from tests.conftest import finding

from pipesec.core.model import PostureCheck, ScanReport, Severity
from pipesec.report.table import render_rich

ANSI = re.compile(r"\x1b\[[0-9;]*m")
LONG = (
    "the workflow interpolates github.event.pull_request.title into a run: script, so "
    "anyone who opens a pull request can run commands with the job's token and secrets; "
    "move the expression into env: and quote the variable"
)


def _report() -> ScanReport:
    report = ScanReport(root=".")
    report.findings = [
        finding(
            "gha/template-injection-script",
            ".github/workflows/pull-request-preview-deployment.yml",
            24,
            Severity.CRITICAL,
            message=LONG,
        ),
        finding("secrets/generic-password", "src/app/settings/production.py", 3, message="short"),
        finding("bandit/B602", "tools/deploy.py", 118, Severity.MEDIUM, message=LONG[:90]),
    ]
    report.posture = [
        PostureCheck(p, g, present=(g == "sast"))
        for p in (".github/workflows", "services/api/.gitlab-ci.yml", "ops/.gitlab-ci.yml")
        for g in ("secret-scanning", "sast", "sca", "least-privilege-token")
    ]
    return report


@pytest.mark.parametrize("width", [80, 100, 119, 120, 160, 200])
def test_table_fits_and_keeps_columns_readable(width: int) -> None:
    out = ANSI.sub("", render_rich(_report(), width=width))
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width
    flat = "\n".join(lines)
    for rule in ("gha/template-injection-script", "secrets/generic-password", "bandit/B602"):
        assert rule in flat, f"{rule} broken across lines at width {width}"
    assert "tools/deploy.py:118" in flat
    # the long message is wrapped at word boundaries, not cut
    words = " ".join(line.strip(" │┃") for line in lines)
    for word in ("interpolates", "pull_request.title", "secrets;", "variable"):
        assert word in words
    # no column of single characters: no line holds only one visible character
    assert not [ln for ln in lines if len(ln.strip()) == 1 and ln.strip() not in "─━"]
    # the posture matrix, or its list form when the matrix would not fit
    assert "services/api/.gitlab-ci.yml" in flat


def test_narrow_terminal_lists_posture_instead_of_a_squeezed_matrix() -> None:
    out = ANSI.sub("", render_rich(_report(), width=80))
    assert "ops/.gitlab-ci.yml: secret-scanning, sca, least-privilege-token" in out
    wide = ANSI.sub("", render_rich(_report(), width=200))
    assert "Pipeline posture" in wide and "least-privilege-token" in wide
