"""Start-up: `pipesec scan` builds only its own command and loads no scanner engine that an
empty tree does not need, nor pydantic (no configuration to validate), importlib.metadata
or the other commands' modules (the time is measured by bench/startup.py, not here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from pipesec.cli.main import _app_for, app


def test_a_leading_command_runs_alone() -> None:
    lean = _app_for(["scan", "."])
    assert lean is not app
    assert len(lean.registered_commands) == 1 and not lean.registered_groups
    assert len(app.registered_commands) > 1 and app.registered_groups  # the original is whole
    for args in ([], ["--version"], ["-h"], ["db", "list"], ["scna"]):
        assert _app_for(args) is app, args
    sbom = _app_for(["sbom", "."])  # a command of another CLI module
    assert [c.name for c in sbom.registered_commands] == ["sbom"] and not sbom.registered_groups
    names = [c.name or (c.callback and c.callback.__name__) for c in app.registered_commands]
    assert names[:2] == ["deploy-gate", "sbom"] and names[-2:] == ["version", "scan"]
    groups = [g.name for g in app.registered_groups]
    assert groups == ["config", "rules", "report", "db", "policy", "admission", "keys"]


def test_the_lean_app_says_what_the_whole_app_says(tmp_path: Path) -> None:
    runner = CliRunner()
    for args in (
        ["scan", "--help"],
        ["scan", "--no-such-flag"],
        ["scan", str(tmp_path / "missing"), "--no-progress"],
        ["version"],
    ):
        whole = runner.invoke(app, args)
        lean = runner.invoke(_app_for(args), args)
        assert (lean.exit_code, lean.output) == (whole.exit_code, whole.output), args


def test_scanning_an_empty_tree_loads_no_engine(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pipesec.cli.main import main\n"
        f"sys.argv = ['pipesec', 'scan', {str(tmp_path)!r}, '--no-progress', '-q']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
        "heavy = ['pipesec.scanners.secrets.engine', 'pipesec.scanners.secrets.rules.base',\n"
        "         'pipesec.core.gitsource', 'pipesec.core.baseline', 'pydantic',\n"
        "         'importlib.metadata', 'tomllib', 'pipesec.cli.attest', 'pipesec.cli.db',\n"
        "         'pipesec.cli.images', 'pipesec.cli.sbom', 'pipesec.scanners.sast.scanner']\n"
        "print('loaded:', *(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "loaded:", out.stdout


def test_a_configuration_loads_pydantic_and_reports_errors_precisely(tmp_path: Path) -> None:
    (tmp_path / ".pipesec.toml").write_text("[gate]\nfail-on = 'high'\nmax-findings = -1\n")
    code = (
        "import sys\n"
        "from pipesec.cli.main import main\n"
        f"sys.argv = ['pipesec', 'scan', {str(tmp_path)!r}, '--no-progress', '-q']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    print('exit', exc.code)\n"
        "print('pydantic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["exit", "2", "True"], out.stdout
    assert "gate.max-findings: Input should be greater than or equal to 0" in out.stderr
