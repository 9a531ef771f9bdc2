"""A known (fake) secret goes through every report format, -v logging and error paths;
no 8-character substring of it may appear anywhere pipesec writes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.report import FORMATS

# built from parts at run time: no literal credential lives in this repository's code
AWS_KEY_ID = "AKIA" + "Q3EGRT5YVJ2M" + "ZXHP"
SECRETS = [AWS_KEY_ID]


def substrings(value: str, n: int = 8) -> set[str]:
    return {value[i : i + n] for i in range(len(value) - n + 1)}


def tree(root: Path) -> Path:
    root.mkdir()
    (root / "settings.py").write_text(f'AWS_ACCESS_KEY_ID = "{AWS_KEY_ID}"\n')
    # error paths: malformed inputs that hold the secret on the offending line
    (root / "Dockerfile").write_text(f"FROM python:3.12\n{AWS_KEY_ID} --oops\n")
    (root / "deploy.yaml").write_text(f"apiVersion: v1\nkind: Secret\ndata: [{AWS_KEY_ID}\n")
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text(f"on: push\njobs: {{{AWS_KEY_ID}\n")
    (root / "package-lock.json").write_text('{"lockfileVersion": 3, "packages": {"' + AWS_KEY_ID)
    (root / "broken.sarif").write_text('{"runs": [' + AWS_KEY_ID)
    return root


def test_secret_never_leaks(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = tree(tmp_path / "repo")
    out = tmp_path / "out"
    outputs = []
    for fmt in FORMATS:
        outputs += ["--output", f"{fmt}={out / ('report.' + fmt)}"]
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(
        app,
        [
            "scan",
            str(root),
            "-v",
            "--no-progress",
            "--import-sarif",
            str(root / "broken.sarif"),
            "--write-baseline",
            str(out / "baseline.json"),
            "--format",
            "json",
            *outputs,
        ],
    )
    assert result.exit_code in (1, 3), result.output
    assert "secrets/" in result.stdout, "the planted secret must be found"
    written = [p.read_text(errors="replace") for p in out.iterdir()]
    assert len(written) == len(FORMATS) + 1
    haystacks = [result.stdout, result.stderr, caplog.text, *written]
    for secret in SECRETS:
        for piece in substrings(secret):
            for text in haystacks:
                assert piece not in text, f"secret fragment {piece[:2]}... leaked"
