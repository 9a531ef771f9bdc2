"""JUnit XML: a test case per rule, a failure per finding, errors as <error>.

Validated against Jenkins' junit-10.xsd (vendored in tests/schemas/) with xmlschema, and
checked structurally with ElementTree.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace

import pytest
import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.report.reportdata import (
    SCHEMAS,
    empty_report,
    errors_only_report,
    full_report,
)

from pipesec.core.model import Finding, GateResult, Location, ScanReport, Severity

Write = Callable[[str, ScanReport], bytes]


@functools.cache
def junit_xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))


@pytest.fixture
def xsd() -> xmlschema.XMLSchema:
    return junit_xsd()


def parse(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # nosec B314: parses the writer's own output in a test


@pytest.mark.parametrize("make", [full_report, empty_report, errors_only_report])
def test_valid_against_junit_xsd(
    make: Callable[[], ScanReport], write: Write, xsd: xmlschema.XMLSchema
) -> None:
    data = write("junit", make())
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    xsd.validate(data.decode("utf-8"))


def test_a_test_case_per_rule_and_a_failure_per_finding(write: Write) -> None:
    report = full_report()
    root = parse(write("junit", report))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    rule_ids = {f.rule_id for f in report.findings} | set(report.rules)
    assert rule_ids <= set(cases)
    for rid in rule_ids:
        expected = sum(f.rule_id == rid for f in report.findings)
        assert len(cases[rid].findall("failure")) == expected, rid
    passing = cases["pipelines/passing-rule"]
    assert list(passing) == []  # a rule that found nothing passes
    failure = cases["deps/vulnerable-package"].find("failure")
    assert failure is not None
    assert failure.get("type") == "high"
    assert failure.get("message", "").startswith("requirements.txt:3:1: requests 2.19.0")
    assert "vulnerability: GHSA-x84v-xcm2-53pg, CVE-2018-18074" in (failure.text or "")
    assert "fixed in: 2.20.0" in (failure.text or "")
    lineless = cases["pipelines/no-secret-scanning"].find("failure")
    assert lineless is not None and lineless.get("message", "").startswith(".gitlab-ci.yml: ")


def test_suites_by_rule_family_with_consistent_counts(write: Write) -> None:
    root = parse(write("junit", full_report()))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {
        "pipesec.containers",
        "pipesec.deps",
        "pipesec.iac",
        "pipesec.sarif",
        "pipesec.pipelines",
        "pipesec.secrets",
        "pipesec.gate",
    }
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in suites.values():
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(cases)
        assert int(suite.get("failures", "-1")) == sum(
            1 for c in cases if c.find("failure") is not None
        )
        assert int(suite.get("errors", "-1")) == sum(
            1 for c in cases if c.find("error") is not None
        )
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        assert int(root.get(key, "-1")) == value
    assert suites["pipesec.secrets"].get("time") == "1.500"
    for suite in suites.values():  # a rule sits in its family's suite, found or not
        for case in suite.findall("testcase"):
            if case.find("error") is None:
                assert case.get("classname") == suite.get("name")
                assert suite.get("name") == "pipesec." + case.get("name", "").split("/")[0]


def test_errors_are_error_elements(write: Write) -> None:
    report = full_report()
    root = parse(write("junit", report))
    errors = list(root.iter("error"))
    assert len(errors) == len(report.errors)
    tf = next(e for e in errors if "infra/main.tf" in (e.text or ""))
    assert tf.get("type") == "ScanError"
    assert tf.text == "infra/main.tf:3:7: unexpected token '}' (expected an attribute)"
    case = next(c for c in root.iter("testcase") if c.find("error") is tf)
    assert case.get("classname") == "pipesec.iac.inputs"


def test_suppressed_and_notes_in_system_out(write: Write) -> None:
    root = parse(write("junit", full_report()))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    out = cases["secrets/aws-access-key-id"].find("system-out")
    assert out is not None
    assert "suppressed (inline): config/settings.py:9:22: test fixture" in (out.text or "")
    iac = next(s for s in root.findall("testsuite") if s.get("name") == "pipesec.iac")
    notes = iac.find("system-out")
    assert notes is not None and "Helm template" in (notes.text or "")


@pytest.mark.parametrize(
    ("gate", "failed", "skipped"),
    [
        (GateResult(False, 1, ["too many findings"]), True, False),
        (GateResult(True, 0, [], ["1 input could not be processed"]), False, False),
        (None, False, True),
    ],
)
def test_gate_suite(gate: GateResult | None, failed: bool, skipped: bool, write: Write) -> None:
    report = full_report()
    report.gate = gate
    root = parse(write("junit", report))
    suite = next(s for s in root.findall("testsuite") if s.get("name") == "pipesec.gate")
    case = suite.find("testcase")
    assert case is not None
    assert (case.find("failure") is not None) is failed
    assert (case.find("skipped") is not None) is skipped
    if failed:
        assert case.find("failure").get("message") == "gate failed: too many findings"  # type: ignore[union-attr]


def test_empty_report_has_only_the_gate(write: Write) -> None:
    root = parse(write("junit", empty_report()))
    assert [s.get("name") for s in root.findall("testsuite")] == ["pipesec.gate"]
    assert root.get("failures") == "0"


def test_control_characters_do_not_break_xml(write: Write, xsd: xmlschema.XMLSchema) -> None:
    report = full_report()
    report.findings = [replace(report.findings[0], message="bell\x07 nul\x00 esc\x1b vt\x0b ok")]
    data = write("junit", report)
    xsd.validate(data.decode())
    failure = next(parse(data).iter("failure"))
    assert r"bell\x07 nul\x00 esc\x1b vt\x0b ok" in failure.get("message", "")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    message=st.text(max_size=100),
    path=st.text(max_size=50),
    rule=st.text(min_size=1, max_size=30),
    why=st.text(max_size=50),
)
def test_any_text_gives_valid_xml(message: str, path: str, rule: str, why: str) -> None:
    from io import BytesIO

    from pipesec.report.junit import WRITER

    report = full_report()
    report.findings.append(
        Finding(rule, "imported", "t", message, Severity.LOW, Location(path, 2), snippet=why)
    )
    report.suppressed = [replace(report.suppressed[0], justification=why)]
    buf = BytesIO()
    WRITER.write(report, buf)
    junit_xsd().validate(buf.getvalue().decode("utf-8"))
