from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from pipesec.core.config import Config
from pipesec.core.engine import ScanRequest, run_scan
from pipesec.core.errors import ConfigError, ToolMissingError
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.adapters.checkov import CheckovScanner
from pipesec.scanners.adapters.semgrep import SemgrepScanner

SARIF = {
    "version": "2.1.0",
    "runs": [
        {
            "tool": {
                "driver": {
                    "name": "{tool}",
                    "rules": [{"id": "R1", "shortDescription": {"text": "Bad thing"}}],
                }
            },
            "results": [
                {
                    "ruleId": "R1",
                    "level": "error",
                    "message": {"text": "bad thing here"},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": "app.py"},
                                "region": {"startLine": 3},
                            }
                        }
                    ],
                }
            ],
        }
    ],
}


def _fake_tool(tmp_path: Path, tool: str) -> Path:
    """A stand-in executable that records its argv and writes a SARIF file where asked."""
    sarif = json.dumps(SARIF).replace("{tool}", tool)
    script = tmp_path / tool
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, pathlib, sys\n"
        "args = sys.argv[1:]\n"
        f"pathlib.Path({str(tmp_path)!r}, 'argv.json').write_text(json.dumps(args))\n"
        "if '--output' in args and '--sarif' in args:\n"
        "    out = pathlib.Path(args[args.index('--output') + 1])\n"
        "else:\n"
        "    out = pathlib.Path(args[args.index('--output-file-path') + 1])\n"
        "    out = out / 'results_sarif.sarif'\n"
        f"out.write_text({sarif!r})\n"
        "sys.exit(1)\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "app.py").write_text("import os\n\nos.system('x')\n")
    (root / "rules.yml").write_text("rules: []\n")
    return root


def test_semgrep_runs_pinned_and_imports(project: Path, tmp_path: Path) -> None:
    exe = _fake_tool(tmp_path, "semgrep")
    settings = ScannerSettings(options={"config": ["rules.yml"], "path": str(exe)})
    items = list(SemgrepScanner().scan(Workspace(project, use_git=False), settings))
    assert [(f.rule_id, f.scanner, f.location.path, f.location.start_line) for f in items] == [
        ("sarif/semgrep/R1", "semgrep", "app.py", 3)
    ]
    argv = json.loads((tmp_path / "argv.json").read_text())
    assert argv[:2] == ["scan", "--sarif"] and "--metrics=off" in argv
    assert argv[argv.index("--config") + 1] == str(project / "rules.yml")


def test_semgrep_needs_local_config(project: Path) -> None:
    ws = Workspace(project, use_git=False)
    with pytest.raises(ConfigError):
        list(SemgrepScanner().scan(ws, ScannerSettings()))
    with pytest.raises(ConfigError, match="registry"):
        list(SemgrepScanner().scan(ws, ScannerSettings(options={"config": ["p/python"]})))


def test_checkov_runs_pinned_and_imports(project: Path, tmp_path: Path) -> None:
    exe = _fake_tool(tmp_path, "checkov")
    items = list(
        CheckovScanner().scan(
            Workspace(project, use_git=False), ScannerSettings(options={"path": str(exe)})
        )
    )
    assert [f.rule_id for f in items] == ["sarif/checkov/R1"]
    argv = json.loads((tmp_path / "argv.json").read_text())
    assert "--skip-download" in argv and argv[argv.index("--output") + 1] == "sarif"


def test_missing_tool_says_how_to_install(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(project))
    with pytest.raises(ToolMissingError, match="pipx install checkov"):
        list(CheckovScanner().scan(Workspace(project, use_git=False), ScannerSettings()))
    # through the engine: an error, never a silent skip
    report = run_scan(ScanRequest(root=project, scanners=["checkov"], config=Config()))
    assert report.errors and "pipx install checkov" in report.errors[0].message


def test_adapters_are_not_default() -> None:
    assert SemgrepScanner.default is False and CheckovScanner.default is False


def test_settings_take_kebab_case_keys() -> None:
    from pipesec.scanners.adapters.checkov import CheckovSettings, build_argv

    opts = CheckovSettings.model_validate(
        {"skip-checks": ["CKV_K8S_35"], "frameworks": ["kubernetes"]}
    )
    argv = build_argv("checkov", Path("/src"), Path("/out"), opts)
    assert argv[argv.index("--skip-check") + 1] == "CKV_K8S_35"
    assert argv[argv.index("--framework") + 1] == "kubernetes"
