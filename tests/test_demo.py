"""The demo project: a full scan reports exactly the findings listed in expected.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipesec.cli.main import app

DEMO = Path(__file__).parents[1] / "examples" / "vulnerable-app"


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    db = tmp_path_factory.mktemp("db") / "osv.sqlite"
    runner = CliRunner()
    imported = runner.invoke(app, ["db", "import", str(DEMO / "osv-snapshot.zip"), "--db", str(db)])
    assert imported.exit_code == 0, imported.output
    mp = pytest.MonkeyPatch()
    mp.setenv("PIPESEC_DB", str(db))
    try:
        result = runner.invoke(app, ["scan", str(DEMO), "--format", "json", "--no-progress"])
    finally:
        mp.undo()
    assert result.exit_code == 1, result.output  # the demo fails its gate, on findings only
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_demo_findings_match_expected(demo_report: dict) -> None:  # type: ignore[type-arg]
    expected = json.loads((DEMO / "expected.json").read_text())
    want = {(f["rule"], f["path"], f["line"]) for f in expected["findings"]}
    got = {
        (f["rule_id"], f["location"]["path"], f["location"]["start_line"])
        for f in demo_report["findings"]
    }
    assert sorted(want - got) == [], "expected but not reported"
    assert sorted(got - want) == [], "reported but not in expected.json"


def test_demo_suppressions_are_visible(demo_report: dict) -> None:  # type: ignore[type-arg]
    expected = json.loads((DEMO / "expected.json").read_text())
    want = {(s["rule"], s["path"], s["line"], s["kind"]) for s in expected["suppressed"]}
    got = {
        (
            s["finding"]["rule_id"],
            s["finding"]["location"]["path"],
            s["finding"]["location"]["start_line"],
            s["kind"],
        )
        for s in demo_report["suppressed"]
    }
    assert got == want
    assert all(s["justification"] for s in demo_report["suppressed"])


def test_demo_covers_every_default_scanner(demo_report: dict) -> None:  # type: ignore[type-arg]
    scanners = {f["scanner"] for f in demo_report["findings"]}
    assert {"secrets", "pipelines", "deps", "iac", "sast"} <= scanners
    assert demo_report["errors"] == []
    assert demo_report["posture"], "the demo's pipelines have a posture table"


def test_demo_reports_redact_secrets(demo_report: dict) -> None:  # type: ignore[type-arg]
    config = (DEMO / "app" / "config.py").read_text()
    text = json.dumps(demo_report)
    for line in config.splitlines():
        if "=" in line and '"' in line:
            value = line.split('"')[1]
            if len(value) >= 16:
                assert value not in text
