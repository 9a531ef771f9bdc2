"""Every registered format: found by name, deterministic where it should be, and never leaks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.report.reportdata import FAKE_SECRET, empty_report, errors_only_report, full_report

from pipesec.core.errors import UsageError
from pipesec.core.model import ScanReport
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
