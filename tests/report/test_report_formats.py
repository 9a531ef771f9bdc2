"""Every registered format: found by name, deterministic where it should be, and never leaks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.report.reportdata import FAKE_SECRET, empty_report, errors_only_report, full_report

from pipesec.core.errors import UsageError
from pipesec.core.model import ScanReport
from pipesec.core.runner import ScanOptions, scan
from pipesec.report import FORMATS, get_writer

Write = Callable[[str, ScanReport], bytes]

OWN_FORMATS = [
    "markdown",
    "junit",
    "gitlab-secret-detection",
    "gitlab-sast",
    "gitlab-dependency-scanning",
    "gitlab-container-scanning",
    "gitlab-codequality",
]


def test_formats_registered() -> None:
    for name in ["table", "json", "sarif", *OWN_FORMATS]:
        assert name in FORMATS
        assert get_writer(name).format == name


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown format"):
        get_writer("nope")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("make", [full_report, empty_report, errors_only_report])
def test_every_format_writes_every_report(
    fmt: str, make: Callable[[], ScanReport], write: Write
) -> None:
    out = write(fmt, make())
    assert out
    out.decode("utf-8")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_writers_do_not_change_the_report(fmt: str, write: Write) -> None:
    report = full_report()
    before = repr(report)
    write(fmt, report)
    assert repr(report) == before


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_fake_secret_never_appears(fmt: str, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    """A known fake credential, redacted by core.redact as scanners do, never reaches any
    format: no 8-character piece of it appears in the output."""
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/shop")
    monkeypatch.setenv("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567")
    text = write(fmt, full_report()).decode("utf-8")
    pieces = {FAKE_SECRET[i : i + 8] for i in range(len(FAKE_SECRET) - 7)}
    leaked = sorted(p for p in pieces if p in text)
    assert not leaked, f"{fmt} leaks parts of the secret: {leaked}"
    # the redacted preview is there, so the test exercises the snippet path
    if fmt in ("markdown", "sarif", "json", "table", "gitlab-secret-detection", "junit"):
        assert FAKE_SECRET[:4] + "*****" in text.replace("\\*", "*")


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in ("table",)])
def test_deterministic_output(fmt: str, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert write(fmt, full_report()) == write(fmt, full_report())


def test_real_secrets_scan_never_leaks_through_any_format(
    tmp_path: Path, write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: the secrets scanner finds credentials (built from parts here), and no
    format lets an 8-character piece of any of them through."""
    secrets = [
        FAKE_SECRET,
        "ghp_" + "R8kT2mQ9wX4vL7nB3cZ6" + "pJ1sD5fH0gY2aE8u",
        "xoxb-" + "2871034598-" + "4817260539127-" + "Qm8ZtR4kLp2XcV7nB9wS3dFh",
    ]
    (tmp_path / "settings.py").write_text(
        f'AWS_ACCESS_KEY_ID = "{secrets[0]}"\n'
        f'GITHUB_TOKEN = "{secrets[1]}"\n'
        f'SLACK_BOT_TOKEN = "{secrets[2]}"\n',
        encoding="utf-8",
    )
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text(
        "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    env:\n"
        f"      TOKEN: {secrets[1]}\n    steps:\n      - run: echo hi\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    report = scan(ScanOptions(path=tmp_path, scanners=["secrets", "pipelines"]))
    secret_findings = [f for f in report.findings if f.scanner == "secrets"]
    assert (
        len({f.location.start_line for f in secret_findings if f.location.path == "settings.py"})
        == 3
    )
    for fmt in sorted(FORMATS):
        text = write(fmt, report).decode("utf-8")
        for secret in secrets:
            pieces = {secret[i : i + 8] for i in range(len(secret) - 7)}
            leaked = sorted(p for p in pieces if p in text)
            assert not leaked, f"{fmt} leaks parts of a secret: {leaked}"
