"""`pipesec scan` with the deps scanner: configuration keys, --vex, --sbom, the SBOM output,
and the exit codes (1 vulnerable, 3 no database)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.sbom.cyclonedx import validate

from .conftest import FIXTURES

runner = CliRunner()


def _tree(tmp_path: Path, db: Path, extra_config: str = "") -> Path:
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "npm-v3", root)
    (root / ".pipesec.toml").write_text(
        f'[scanners.deps]\ndb = "{db}"\nmax-db-age-days = 100000\n{extra_config}'
    )
    return root


def test_scan_gates_on_vulnerable_packages(tmp_path: Path, deps_db: Path) -> None:
    root = _tree(tmp_path, deps_db, 'deny-licenses = ["MIT"]\ninclude-dev = false\n')
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "scan", str(root), "--scanner", "deps", "--no-progress", "-f", "json",
            "--vex", str(FIXTURES / "vex" / "openvex.json"),
            "--output", f"cyclonedx-json={out / 'sbom.json'}",
            "--output", f"cyclonedx-xml={out / 'sbom.xml'}",
        ],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    rules = {f["rule_id"] for f in report["findings"]}
    assert rules >= {"deps/vulnerable-package", "deps/license-denied"}
    assert not any(c["scope"] == "dev" for c in report["components"])
    suppressed = report["suppressed"]
    assert [s["finding"]["component"]["name"] for s in suppressed] == ["lodash"]
    assert validate((out / "sbom.json").read_text()) is None
    assert validate((out / "sbom.xml").read_text(), "xml") is None


def test_scan_without_database_exits_3_with_the_fix(tmp_path: Path) -> None:
    root = _tree(tmp_path, tmp_path / "missing" / "osv.sqlite")
    result = runner.invoke(app, ["scan", str(root), "--scanner", "deps", "--no-progress"])
    assert result.exit_code == 3, result.output
    # one command to run, not a choice; stderr says why the exit code is 3
    assert f"run 'pipesec db sync --db {tmp_path / 'missing' / 'osv.sqlite'}'" in result.stdout
    assert "db import" not in result.stdout
    (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith("pipesec: exit 3:")]
    assert "1 input could not be processed" in line and "pipesec db sync" in line


def test_unscored_advisory_is_medium_by_default_and_tagged(tmp_path: Path, deps_db: Path) -> None:
    root = _tree(tmp_path, deps_db)
    (root / "package-lock.json").unlink()
    (root / "requirements.txt").write_text("flask==0.12.2\n")
    result = runner.invoke(app, ["scan", str(root), "-s", "deps", "--no-progress", "-f", "json"])
    findings = json.loads(result.stdout)["findings"]
    unscored = [f for f in findings if "severity:unscored" in f["tags"]]
    assert unscored
    for f in findings:  # the tag marks exactly the advisories whose severity was assumed
        if f["rule_id"] == "deps/vulnerable-package":
            assumed = f["properties"]["severity_assumed"]
            assert assumed == ("severity:unscored" in f["tags"])
    assert {f["severity"] for f in unscored} == {"medium"}
    assert all("unknown-severity" in f["message"] for f in unscored)
    (root / ".pipesec.toml").write_text(
        (root / ".pipesec.toml").read_text() + '\n[gate]\nunknown-severity = "low"\n'
    )
    result = runner.invoke(app, ["scan", str(root), "-s", "deps", "--no-progress", "-f", "json"])
    findings = json.loads(result.stdout)["findings"]
    assert {f["severity"] for f in findings if "severity:unscored" in f["tags"]} == {"low"}


def test_bad_option_is_a_config_error(tmp_path: Path, deps_db: Path) -> None:
    root = _tree(tmp_path, deps_db, "max-paths = 0\n")
    result = runner.invoke(app, ["scan", str(root), "--scanner", "deps", "--no-progress"])
    assert result.exit_code == 2
    assert "max-paths" in result.output or "max_paths" in result.output


def test_missing_input_files_are_usage_errors(tmp_path: Path, deps_db: Path) -> None:
    root = _tree(tmp_path, deps_db)
    for flag in ("--sbom", "--vex", "--python-env"):
        result = runner.invoke(
            app, ["scan", str(root), flag, str(tmp_path / "nope"), "--no-progress"]
        )
        assert result.exit_code == 2, (flag, result.output)


def test_scan_with_foreign_sbom(tmp_path: Path, deps_db: Path) -> None:
    root = _tree(tmp_path, deps_db)
    (root / "package-lock.json").unlink()
    result = runner.invoke(
        app,
        [
            "scan", str(root), "--scanner", "deps", "--no-progress", "-f", "json",
            "--sbom", str(FIXTURES / "sbom" / "worker.spdx.json"),
        ],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert any(
        f["component"]["name"] == "urllib3" and f["location"]["path"].endswith("worker.spdx.json")
        for f in report["findings"]
        if f["rule_id"] == "deps/vulnerable-package"
    )


def test_bad_unscored_severity_is_a_config_error(tmp_path: Path, deps_db: Path) -> None:
    root = _tree(tmp_path, deps_db, 'unscored-severity = "catastrophic"\n')
    result = runner.invoke(app, ["scan", str(root), "--scanner", "deps", "--no-progress"])
    assert result.exit_code == 2, result.output
    assert "unscored" in result.output
