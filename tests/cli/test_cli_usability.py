"""The first hour of use: version, help, stderr reasons for exit codes, config typos,
baselines, SARIF paths from the repository root, no library warnings."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from tests.conftest import FIXTURES, git
from typer.testing import CliRunner

from pipesec.cli.main import _setup_logging, app
from pipesec.core.errors import UsageError
from pipesec.core.gitsource import verify_ref
from pipesec.report import FORMATS

runner = CliRunner()
BANDIT = str(FIXTURES / "sarif" / "bandit.sarif")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def tree(tmp_path: Path, config: str = "") -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    (root / "app.txt").write_text("hello\n")
    if config:
        (root / ".pipesec.toml").write_text(config)
    return root


def test_version_flag_and_format_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("pipesec ")
    code, out, _ = run("scan", "--help")
    flat = " ".join(out.split())
    for name in ("json", "sarif", "markdown", "gitlab-sast", "cyclonedx-json"):
        assert name in flat
    assert "besides" not in flat and "in addition to stdout" in flat
    assert set(FORMATS) >= {"table", "json", "sarif"}


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("[scanners.secretz]\nenabled = true\n", "scanners.secretz: unknown scanner"),
        ("[scanners.sast]\nfoo = 1\n", "scanners.sast.foo: unknown key"),
        ("[scanners.secrets]\nfoo = 1\n", "foo: unknown key"),
        ("[gate]\nunknown-severity = 'bad'\n", "unknown severity"),
        ("[gate.context-paths]\nvendor = ['x/']\n", "vendor: unknown key"),
    ],
)
def test_unknown_config_keys_fail_at_load_and_in_config_show(
    tmp_path: Path, config: str, expected: str
) -> None:
    root = tree(tmp_path, config)
    code, _, err = run("scan", str(root), "-s", "secrets", "--no-progress")
    assert code == 2 and expected in err
    code, _, err = run("config", "show", str(root))
    assert code == 2 and expected in err


def test_known_scanner_options_still_load(tmp_path: Path) -> None:
    root = tree(tmp_path, "[scanners.secrets]\nenabled = true\n[scanners.sast]\nfail-on = 'low'\n")
    code, out, _ = run("config", "show", str(root))
    assert code == 0 and json.loads(out)["scanners"]["sast"]["fail-on"] == "low"


def test_machine_format_gets_a_one_line_reason_on_stderr(tmp_path: Path) -> None:
    root = tree(tmp_path)
    args = ["scan", str(root), "-s", "imported", "--import-sarif", BANDIT, "--no-progress"]
    code, out, err = run(*args, "-f", "json")
    assert code == 1
    json.loads(out)  # stdout stays pure JSON
    lines = [ln for ln in err.splitlines() if ln.startswith("pipesec:")]
    assert len(lines) == 1 and lines[0].startswith("pipesec: gate failed: ")
    # the table says it on stdout already
    code, out, err = run(*args)
    assert code == 1 and "GATE FAILED" in out and "gate failed" not in err
    # passing: nothing on stderr
    code, _, err = run(*args, "-f", "json", "--fail-on", "critical")
    assert code == 0 and "pipesec:" not in err


def test_exit_3_says_why_on_stderr(tmp_path: Path) -> None:
    root = tree(tmp_path)
    (root / "package-lock.json").write_text("{not json")
    code, _, err = run("scan", str(root), "-s", "deps", "--no-progress", "-f", "sarif")
    assert code == 3
    (line,) = [ln for ln in err.splitlines() if ln.startswith("pipesec:")]
    assert line.startswith("pipesec: exit 3: 1 input could not be processed")
    assert "package-lock.json:1:2: cannot read package-lock.json: invalid JSON" in line
    # the table shows the error, and stderr still says why the exit code is 3
    code, out, err = run("scan", str(root), "-s", "deps", "--no-progress")
    assert code == 3 and "== ERRORS (1)" in out and "pipesec: exit 3:" in err


def test_singular_counts(tmp_path: Path) -> None:
    root = tree(tmp_path, "[gate]\nmax-findings = 0\n")
    sarif = tmp_path / "one.sarif"
    doc = json.loads(Path(BANDIT).read_text())
    doc["runs"][0]["results"] = doc["runs"][0]["results"][:1]
    sarif.write_text(json.dumps(doc))
    code, out, _ = run("scan", str(root), "-s", "imported", "--import-sarif", str(sarif))
    assert code == 1
    assert "1 finding (" in out and "1 findings" not in out
    assert "1 finding, more than max-findings of 0" in out
    assert "0 errors, 0 notes" in out


def test_write_baseline_exits_0_and_the_baseline_passes(tmp_path: Path) -> None:
    root = tree(tmp_path)
    base = tmp_path / "baseline.json"
    args = ["scan", str(root), "-s", "imported", "--import-sarif", BANDIT, "--no-progress"]
    code, _, _ = run(*args, "--write-baseline", str(base))
    assert code == 0 and base.is_file()
    assert run(*args, "--baseline", str(base))[0] == 0
    assert run(*args)[0] == 1


def test_sarif_uris_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    sub = repo / "services" / "api"
    sub.mkdir(parents=True)
    git(repo, "init", "-q")
    (sub / "settings.py").write_text("import subprocess\nsubprocess.call(cmd, shell=True)\n")
    out = tmp_path / "r.sarif"
    code, _, _ = run("scan", str(sub), "-s", "sast", "--no-progress", "-o", f"sarif={out}")
    assert code in (0, 1)
    doc = json.loads(out.read_text())
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in doc["runs"][0]["results"]
        for loc in r["locations"]
    }
    assert uris == {"services/api/settings.py"}
    base = doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == repo.resolve().as_uri() + "/"


def test_fetch_hint_splits_remote_and_branch(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    git(tmp_path, "remote", "add", "origin", "https://example.invalid/x.git")
    with pytest.raises(UsageError) as exc:
        verify_ref(tmp_path, "origin/feature-x")
    assert "'git fetch origin feature-x'" in str(exc.value)
    assert "origin origin/" not in str(exc.value)
    with pytest.raises(UsageError) as exc:
        verify_ref(tmp_path, "main")
    assert "'git fetch origin main'" in str(exc.value)


def test_imported_zizmor_rule_ids_are_not_doubled(tmp_path: Path) -> None:
    root = tree(tmp_path)
    zizmor = str(FIXTURES / "sarif" / "zizmor.sarif")
    _, out, _ = run("scan", str(root), "-s", "imported", "--import-sarif", zizmor, "-f", "json")
    ids = {f["rule_id"] for f in json.loads(out)["findings"]}
    assert "sarif/zizmor/template-injection" in ids
    assert not [i for i in ids if i.startswith("sarif/zizmor/zizmor/")]


def test_library_warnings_go_to_the_log_not_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    _setup_logging(False, False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn("a library deprecation", UserWarning, stacklevel=1)
        assert "deprecation" not in capsys.readouterr().err
    finally:
        logging.captureWarnings(False)


def test_verbose_logs_discovery_timing_and_the_cause_of_exit_3(tmp_path: Path) -> None:
    root = tree(tmp_path)
    (root / "package-lock.json").write_text("{not json")
    proc = subprocess.run(
        [sys.executable, "-m", "pipesec.cli.main", "scan", str(root), "-s", "deps", "-v",
         "--no-progress", "-f", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 3
    assert "discovered 2 files" in proc.stderr
    assert "scanner deps: 0 findings, 1 errors, 0 notes in " in proc.stderr
    assert "could not process package-lock.json:1:2" in proc.stderr
    assert "Warning" not in proc.stderr.replace("WARNING", "")
