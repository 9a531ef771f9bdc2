from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from tests.conftest import FIXTURES, git
from typer.testing import CliRunner

from pipesec.cli.main import app

runner = CliRunner()
SARIF_SCHEMA = Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def empty_tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    (root / "README.md").write_text("# hello\n")
    return root


def test_version() -> None:
    code, out, _ = run("version")
    assert code == 0 and out.startswith("pipesec ")


def test_scan_passes_on_clean_tree(tmp_path: Path) -> None:
    code, out, _ = run("scan", str(empty_tree(tmp_path)), "--scanner", "imported", "--no-progress")
    assert code == 0
    assert "GATE PASSED" in out


def test_import_sarif_gate_fails_and_writes_outputs(tmp_path: Path) -> None:
    root = empty_tree(tmp_path)
    sarif_out = tmp_path / "out" / "r.sarif"
    json_out = tmp_path / "out" / "r.json"
    code, out, _ = run(
        "scan",
        str(root),
        "--scanner",
        "imported",
        "--import-sarif",
        str(FIXTURES / "sarif" / "bandit.sarif"),
        "--output",
        f"sarif={sarif_out}",
        "--output",
        f"json={json_out}",
        "--no-progress",
    )
    assert code == 1
    assert "GATE FAILED" in out and "sarif/bandit/B602" in out
    doc = json.loads(sarif_out.read_text())
    jsonschema.validate(doc, json.loads(SARIF_SCHEMA.read_text()))
    report = json.loads(json_out.read_text())
    assert report["gate"]["exit_code"] == 1
    assert report["summary"]["findings"] == 4


def test_fail_on_threshold(tmp_path: Path) -> None:
    root = empty_tree(tmp_path)
    args = [
        "scan",
        str(root),
        "--import-sarif",
        str(FIXTURES / "sarif" / "bandit.sarif"),
        "--scanner",
        "imported",
    ]
    assert run(*args, "--fail-on", "critical")[0] == 0
    assert run(*args, "--fail-on", "low")[0] == 1
    code, _, err = run(*args, "--fail-on", "severe")
    assert code == 2 and "--fail-on" in err


def test_malformed_import_is_exit_3_and_shows_verdict(tmp_path: Path) -> None:
    root = empty_tree(tmp_path)
    bad = tmp_path / "bad.sarif"
    bad.write_text("{ nope")
    code, out, _ = run(
        "scan", str(root), "--scanner", "imported", "--import-sarif", str(bad), "--format", "json"
    )
    assert code == 3
    report = json.loads(out)
    assert report["errors"][0]["path"] == str(bad)
    assert report["gate"]["exit_code"] == 3


def test_usage_errors_are_exit_2(tmp_path: Path) -> None:
    root = empty_tree(tmp_path)
    code, _, err = run("scan", str(root), "--scanner", "nope")
    assert code == 2 and "unknown scanner 'nope'" in err
    code, _, err = run("scan", str(root), "--output", "sarif")
    assert code == 2 and "FORMAT=FILE" in err
    code, _, err = run("scan", str(root), "--format", "html")
    assert code == 2 and "unknown format 'html'" in err
    code, _, err = run("scan", str(tmp_path / "missing"))
    assert code == 2 and "does not exist" in err


def test_config_error_is_one_line_exit_2(tmp_path: Path) -> None:
    root = empty_tree(tmp_path)
    (root / ".pipesec.toml").write_text("[gate]\nfail-on = 'sometimes'\n")
    code, _, err = run("scan", str(root))
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1
    assert ".pipesec.toml: gate.fail-on" in lines[0]
    assert "Traceback" not in err


def test_config_show_and_schemas(tmp_path: Path) -> None:
    root = empty_tree(tmp_path)
    (root / ".pipesec.toml").write_text("[gate]\nfail-on = 'low'\n")
    code, out, _ = run("config", "show", str(root))
    assert code == 0 and json.loads(out)["gate"]["fail-on"] == "low"
    code, out, _ = run("config", "schema")
    assert code == 0 and "properties" in json.loads(out)
    code, out, _ = run("report", "schema")
    schema = json.loads(out)
    assert code == 0 and "findings" in schema["properties"]


def test_json_report_validates_against_published_schema(tmp_path: Path) -> None:
    root = empty_tree(tmp_path)
    code, out, _ = run(
        "scan",
        str(root),
        "--scanner",
        "imported",
        "--import-sarif",
        str(FIXTURES / "sarif" / "semgrep.sarif"),
        "--format",
        "json",
    )
    assert code == 1
    _, schema, _ = run("report", "schema")
    jsonschema.validate(json.loads(out), json.loads(schema))
    assert json.loads(out)["suppressed"][0]["kind"] == "external"


def test_rules_explain_unknown() -> None:
    code, _, err = run("rules", "explain", "nope/nothing")
    assert code == 2 and "unknown rule" in err


def test_baseline_roundtrip_and_staged(make_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"README.md": "x\n"})
    sarif = str(FIXTURES / "sarif" / "bandit.sarif")
    base = tmp_path / "baseline.json"
    code, _, _ = run(
        "scan",
        str(root),
        "--scanner",
        "imported",
        "--import-sarif",
        sarif,
        "--write-baseline",
        str(base),
    )
    assert code == 0 and base.is_file()  # writing the baseline is the success
    code, out, _ = run(
        "scan",
        str(root),
        "--scanner",
        "imported",
        "--import-sarif",
        sarif,
        "--baseline",
        str(base),
        "--format",
        "json",
    )
    assert code == 0
    assert {s["kind"] for s in json.loads(out)["suppressed"]} == {"baseline"}
    code, _, _ = run("scan", str(root), "--scanner", "imported", "--staged")
    assert code == 0
    code, _, err = run("scan", str(root), "--diff-base", "does-not-exist")
    assert code == 2 and "revision not found" in err


def test_step_summary_appended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("previous step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    root = empty_tree(tmp_path)
    code, _, _ = run("scan", str(root), "--scanner", "imported")
    assert code == 0
    text = summary.read_text()
    assert text.startswith("previous step\n") and len(text) > len("previous step\n")
    summary.write_text("")
    run("scan", str(root), "--scanner", "imported", "--no-step-summary")
    assert summary.read_text() == ""


def test_diff_base_reports_only_changed_lines(make_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"app.py": "a\n" * 12})
    doc = json.loads((FIXTURES / "sarif" / "bandit.sarif").read_text())
    sarif = tmp_path / "b.sarif"
    sarif.write_text(json.dumps(doc))
    lines = (root / "app.py").read_text().splitlines()
    lines[5] = "changed"  # line 6 holds bandit's B602 result
    (root / "app.py").write_text("\n".join(lines) + "\n")
    code, out, _ = run(
        "scan",
        str(root),
        "--scanner",
        "imported",
        "--import-sarif",
        str(sarif),
        "--diff-base",
        "HEAD",
        "--format",
        "json",
    )
    found = [(f["rule_id"], f["location"]["start_line"]) for f in json.loads(out)["findings"]]
    assert found == [("sarif/bandit/B602", 6)]
    assert code == 1


@pytest.mark.skipif(shutil.which("git") is None, reason="git missing")
def test_real_process_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    root = empty_tree(tmp_path)
    git(root, "init", "-q")
    bad = tmp_path / "bad.sarif"
    bad.write_text("[1, 2")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipesec.cli.main",
            "scan",
            str(root),
            "--import-sarif",
            str(bad),
            "-s",
            "imported",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "GATE FAILED" in proc.stdout
    assert f"{bad}:1" in proc.stdout


def test_rules_explain_redacts_secret_examples() -> None:
    from pipesec.core.engine import all_rules

    rule = next(r for r in all_rules() if r.id == "secrets/github-pat")
    token = rule.vulnerable_example.split('"')[1]
    code, out, _ = run("rules", "explain", "secrets/github-pat")
    assert code == 0 and "Vulnerable:" in out
    assert token not in out and "*****" in out
    for i in range(len(token) - 8):
        assert token[i : i + 8] not in out
