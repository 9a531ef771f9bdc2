"""Issue 12 item 17 (the parts about reports and command-line values): reports are
written whole or not at all, stdout write errors are one-line errors (exit 2), and bad
command-line values are usage errors (exit 2) instead of scanning nothing and passing."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO

import pytest
from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.core.model import ScanReport
from pipesec.report import sarif

PIPESEC = Path(sys.executable).parent / "pipesec"


def _clean_tree(root: Path) -> Path:
    root.mkdir()
    (root / "app.py").write_text("print('hello')\n")
    return root


def _scan(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["scan", "--no-progress", "--no-step-summary", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_failed_write_keeps_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clean_tree(tmp_path / "repo")
    target = tmp_path / "pipesec.sarif"
    code, _, err = _scan(str(root), "-q", "--output", f"sarif={target}")
    assert code == 0, err
    good = target.read_bytes()
    json.loads(good)

    def full_disk(self: object, report: ScanReport, out: BinaryIO) -> None:
        out.write(b'{"version": "2.1.0", "ru')
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(sarif.SarifWriter, "write", full_disk)
    code, _, err = _scan(str(root), "-q", "--output", f"sarif={target}")
    assert code == 2
    assert "No space left on device" in err and "Traceback" not in err
    assert target.read_bytes() == good, "the previous good report is kept whole"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipesec.sarif", "repo"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_on_a_full_device_is_a_one_line_error(tmp_path: Path) -> None:
    root = _clean_tree(tmp_path / "repo")
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [str(PIPESEC), "scan", str(root), "--no-progress", "-f", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
        )
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert err.strip().count("\n") == 0 and "standard output" in err


@pytest.mark.parametrize(
    "args",
    [
        ["--history", "--since", "not a date"],
        ["--history", "--range", "--output=x"],
        ["--history", "--range=-x..HEAD"],
    ],
)
def test_bad_history_values_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    root = _clean_tree(tmp_path / "repo")
    code, _, err = _scan(str(root), "-s", "secrets", *args)
    assert code == 2, err
    assert err.startswith("pipesec: error: --")


@pytest.mark.parametrize("since", ["2024-01-31", "2024-01-31T12:00:00", "2 weeks ago", "yesterday"])
def test_good_since_values_pass_validation(since: str) -> None:
    from pipesec.cli.main import _check_since

    _check_since(since)


def test_a_fifo_or_a_device_as_scan_root_is_a_usage_error(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for root in (str(fifo), "/dev/zero"):
        code, _, err = _scan(root)
        assert code == 2, err
        assert "neither a directory nor a regular file" in err


def test_a_single_file_stays_a_valid_scan_root(tmp_path: Path) -> None:
    root = _clean_tree(tmp_path / "repo")
    code, _, err = _scan(str(root / "app.py"))
    assert code == 0, err


def test_a_vex_that_is_no_vex_is_a_usage_error(tmp_path: Path) -> None:
    root = _clean_tree(tmp_path / "repo")
    for content in ('{"a": 1}', "[]", "not json"):
        vex = tmp_path / "vex.json"
        vex.write_text(content)
        code, _, err = _scan(str(root), "--vex", str(vex))
        assert code == 2, (content, err)
        assert err.startswith("pipesec: error: --vex")
    vex.write_text('{"@context": "https://openvex.dev/ns/v0.2.0", "statements": []}')
    code, _, err = _scan(str(root), "--vex", str(vex))
    assert code == 0, err


def test_a_config_error_does_not_echo_a_token(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0" + "K1l2M3n4O5p6Q7r8"
    (root / ".pipesec.toml").write_text(f'[gate]\nfail-on = "{token}"\n{token} = 1\n')
    code, out, err = _scan(str(root))
    assert code == 2
    assert token not in err + out and token[:12] not in err + out
    assert "fail-on" in err


def test_config_show_masks_the_fingerprint_key(tmp_path: Path) -> None:
    root = _clean_tree(tmp_path / "repo")
    key = "k3y" + "-of-the-" + "fingerprints-42"
    (root / ".pipesec.toml").write_text(f'fingerprint-key = "{key}"\n')
    result = CliRunner().invoke(app, ["config", "show", str(root)])
    assert result.exit_code == 0, result.output
    assert key not in result.output and "fingerprint-key" in result.stdout


def test_sbom_is_written_whole_and_escaped(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "requirements.txt").write_text("requests==2.19.0\n")
    target = tmp_path / "sbom.json"
    target.write_text("previous")
    result = CliRunner().invoke(app, ["sbom", str(root), "--output", str(target)])
    assert result.exit_code == 0, result.output
    doc = json.loads(target.read_text())
    assert any(c["name"] == "requests" for c in doc["components"])
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
