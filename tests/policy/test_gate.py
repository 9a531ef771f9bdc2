from __future__ import annotations

from tests.conftest import finding

from pipesec.core.config import Config, GateConfig, ScannerConfig
from pipesec.core.model import ScanError, ScanReport, Severity
from pipesec.policy import gate


def report(*findings, errors=()):  # type: ignore[no-untyped-def]
    return ScanReport(root=".", findings=list(findings), errors=list(errors))


def test_passes_below_threshold() -> None:
    r = gate.evaluate(report(finding(severity=Severity.MEDIUM)), Config())
    assert r.passed and r.exit_code == 0 and r.reasons == []


def test_fails_at_threshold_with_reason() -> None:
    f = finding(rule_id="secrets/aws", path="app.py", line=7, severity=Severity.HIGH)
    r = gate.evaluate(report(f, finding(severity=Severity.LOW)), Config())
    assert not r.passed and r.exit_code == 1
    assert r.reasons == ["1 finding of severity high or above: secrets/aws at app.py:7"]


def test_cli_threshold_beats_config() -> None:
    cfg = Config(gate=GateConfig(fail_on=Severity.CRITICAL))
    f = finding(severity=Severity.MEDIUM)
    assert gate.evaluate(report(f), cfg).passed
    assert not gate.evaluate(report(f), cfg, Severity.MEDIUM).passed


def test_per_scanner_threshold_and_max_findings() -> None:
    cfg = Config(scanners={"deps": ScannerConfig(fail_on=Severity.CRITICAL, max_findings=1)})
    high_dep = finding(scanner="deps", severity=Severity.HIGH)
    assert gate.evaluate(report(high_dep), cfg).passed
    r = gate.evaluate(report(high_dep, finding(scanner="deps", line=2, severity=Severity.LOW)), cfg)
    assert not r.passed
    assert "deps: 2 findings, more than its max-findings of 1" in r.reasons


def test_overall_max_findings() -> None:
    cfg = Config(gate=GateConfig(max_findings=0))
    r = gate.evaluate(report(finding(severity=Severity.INFO)), cfg)
    assert r.exit_code == 1 and "more than max-findings of 0" in r.reasons[0]


def test_errors_fail_closed_or_warn() -> None:
    err = ScanError("deps", "poetry.lock", "invalid TOML")
    r = gate.evaluate(report(finding(), errors=[err]), Config())
    assert r.exit_code == 3
    assert any("1 input could not be processed" in x for x in r.reasons)
    assert any("severity high" in x for x in r.reasons)  # both verdicts are shown
    r = gate.evaluate(report(errors=[err]), Config(gate=GateConfig(on_error="warn")))
    assert r.exit_code == 0 and r.warnings


def test_long_lists_are_cut() -> None:
    fs = [finding(line=i) for i in range(1, 9)]
    r = gate.evaluate(report(*fs), Config())
    assert r.reasons[0].endswith("and 3 more")
