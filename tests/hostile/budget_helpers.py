"""Helpers of the hostile-input tests of parser budgets, symlinks, git, caches and imports."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pipesec.cli.main import app

_runner = CliRunner()


def scan(root: Path, *args: str) -> tuple[int, dict[str, object], str]:
    """``pipesec scan ROOT ARGS --format json``: exit code, the JSON report, stderr."""
    result = _runner.invoke(
        app, ["scan", str(root), "--no-progress", "--no-step-summary", "--format", "json", *args]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    try:
        report = json.loads(result.stdout) if result.stdout.strip() else {}
    except json.JSONDecodeError:
        report = {}
    return result.exit_code, report, result.stderr


def errors_of(report: dict[str, object]) -> list[dict[str, str]]:
    return list(report.get("errors", []))  # type: ignore[call-overload]


def findings_of(report: dict[str, object]) -> list[dict[str, object]]:
    return list(report.get("findings", []))  # type: ignore[call-overload]


def planted_secret_line() -> str:
    """A line holding a credential the secrets scanner reports (the github-pat rule's own
    example, generated at run time: no whole credential is stored in the repository)."""
    from pipesec.scanners.secrets.rules import all_rules

    rule = next(r for r in all_rules() if r.id == "secrets/github-pat").to_rule()
    return rule.vulnerable_example.splitlines()[0] + "\n"
