"""The table, JSON and SARIF writers on synthetic findings of every kind.

SARIF is validated against the official SARIF 2.1.0 schema (vendored in tests/schemas/).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.report.reportdata import (
    HOSTILE,
    empty_report,
    errors_only_report,
    full_report,
    load_json_schema,
)

from pipesec.core.model import Finding, Location, ScanReport
from pipesec.core.redact import escape_text
from pipesec.report import json_report
from pipesec.report.table import render_plain, render_rich
from pipesec.scanners.imported import import_file

Write = Callable[[str, ScanReport], bytes]


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = load_json_schema("sarif-schema-2.1.0.json")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    # draft 4 knows no "uri-reference"; the draft 7 checker does, so artifact URIs are checked
    return cls(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("make", [full_report, empty_report, errors_only_report])
def test_sarif_valid_against_official_schema(
    make: Callable[[], ScanReport], write: Write, sarif_validator: Any
) -> None:
    doc = json.loads(write("sarif", make()))
    errors = sorted(sarif_validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_sarif_content(write: Write) -> None:
    report = full_report()
    run = json.loads(write("sarif", report))["runs"][0]
    results = run["results"]
    assert len(results) == len(report.findings) + len(report.suppressed)
    suppressed = [r for r in results if r.get("suppressions")]
    assert len(suppressed) == 3
    kinds = {r["suppressions"][0]["kind"] for r in suppressed}
    assert kinds == {"inSource", "external"}
    assert all(r["suppressions"][0]["justification"] for r in suppressed)
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids == sorted(rule_ids)
    for r in results:
        assert r["ruleId"] == rule_ids[r["ruleIndex"]]
        assert r["partialFingerprints"]["pipesecFingerprint/v1"]
    for rule in run["tool"]["driver"]["rules"]:
        assert float(rule["properties"]["security-severity"]) >= 0
    lineless = next(r for r in results if r["ruleId"] == "pipelines/no-secret-scanning")
    assert "region" not in lineless["locations"][0]["physicalLocation"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert sum(n["level"] == "error" for n in notes) == len(report.errors)
    assert sum(n["level"] == "note" for n in notes) == len(report.notes)
    assert run["invocations"][0]["executionSuccessful"] is False
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert all(not u.startswith("/") for u in uris)


def test_json_report_matches_its_schema(write: Write) -> None:
    report = full_report()
    doc = json.loads(write("json", report))
    jsonschema.validate(doc, json_report.schema())
    assert doc["summary"]["findings"] == len(report.findings)
    assert doc["summary"]["suppressed"] == 3
    assert doc["summary"]["errors"] == 3
    assert doc["summary"]["notes"] == 2
    assert doc["summary"]["by_severity"]["critical"] == 1
    assert {s["kind"] for s in doc["suppressed"]} == {"inline", "baseline", "exception"}
    assert doc["gate"]["passed"] is False
    assert len(doc["posture"]) == 3
    dep = next(f for f in doc["findings"] if f["rule_id"] == "deps/vulnerable-package")
    assert dep["component"]["name"] == "requests"
    assert dep["vulnerability"]["aliases"] == ["CVE-2018-18074"]
    hostile = next(f for f in doc["findings"] if f["severity"] == "info")
    # controls from the tree are shown as escapes in every format (issue 12, output safety)
    assert hostile["message"] == escape_text(HOSTILE)
    assert "\n" not in hostile["message"] and r"\x1b" in hostile["message"]


def test_json_round_trips_through_the_model(write: Write) -> None:
    doc = json.loads(write("json", full_report()))
    again = json_report.JsonReport.model_validate(doc)
    assert len(again.findings) == 9


def test_json_writer_writes_what_the_model_would(write: Write) -> None:
    """The writer builds the document without pydantic: byte for byte the model's dump."""
    from pipesec.report.safe import display_safe

    report = full_report()
    report.stats[0].seconds = 0.0001  # a float as small as the report rounds to
    model = json_report.JsonReport.model_validate(json_report.document(display_safe(report)))
    assert write("json", report) == (model.model_dump_json(indent=2) + "\n").encode()


def test_table_plain() -> None:
    report = full_report()
    out = render_plain(report)
    assert "GATE FAILED" in out
    lines = out.splitlines()
    assert lines.index("GATE FAILED") > lines.index("== NOTES (2)")  # the verdict closes it
    assert lines[lines.index("GATE FAILED") + 1].startswith("  - 2 findings of severity high")
    assert "== CRITICAL (1)" in out
    assert "== ERRORS (3)" in out
    assert "== NOTES (2)" in out
    assert "9 findings (1 critical, 2 high, 3 medium, 2 low, 1 info), 3 suppressed" in out
    assert ".gitlab-ci.yml  The pipeline" in out  # a finding without a line
    assert "warning: exception for iac/dockerfile-user-root" in out


def test_table_plain_passed_and_not_evaluated() -> None:
    assert "GATE PASSED" in render_plain(empty_report())
    r = empty_report()
    r.gate = None
    assert "GATE NOT EVALUATED" in render_plain(r)


def test_table_rich() -> None:
    out = render_rich(full_report(), width=160)
    assert "GATE FAILED" in out
    assert "deps/vulnerable-package" in out
    assert "\x1b[" in out  # styled for a terminal


def test_table_writer_plain_on_files(write: Write) -> None:
    out = write("table", full_report()).decode()
    assert "\x1b" not in out


def test_table_rich_neutralises_terminal_escapes_and_markup() -> None:
    report = full_report()
    out = render_rich(report, width=300)
    assert "#1 \x1b[31m" not in out  # the ESC from the scanned text is gone ...
    assert "#1 \ufffd[31m" in out  # ... shown as a replacement character
    assert "weird|rule`id" in out  # rule ids are text, not Rich markup


def test_sarif_uris_are_encoded_and_import_back(write: Write, tmp_path: Path) -> None:
    """Paths with spaces, %, # and : become valid URI references, and pipesec's own SARIF
    importer reads them back to the same paths."""
    report = full_report()
    odd = ["dir with space/a#b%c.py", "c:weird/file.py", "ünïcode/ß.py", "a/b?c.py"]
    report.findings = [replace(report.findings[0], location=Location(p, 3)) for p in odd]
    report.suppressed = []
    report.root = str(tmp_path)
    sarif = tmp_path / "out.sarif"
    sarif.write_bytes(write("sarif", report))
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(sarif.read_text())["runs"][0]["results"]
    ]
    assert uris[0] == "dir%20with%20space/a%23b%25c.py"
    assert uris[1] == "c%3Aweird/file.py"
    assert all(jsonschema.Draft7Validator.FORMAT_CHECKER.conforms(u, "uri-reference") for u in uris)
    back = [i for i in import_file(sarif, tmp_path) if isinstance(i, Finding)]
    assert sorted(f.location.path for f in back) == sorted(odd)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.text(min_size=1, max_size=40), message=st.text(max_size=80))
def test_sarif_any_text_valid(path: str, message: str) -> None:
    from io import BytesIO

    from pipesec.report.sarif import WRITER

    schema = load_json_schema("sarif-schema-2.1.0.json")
    report = full_report()
    report.findings.append(replace(report.findings[0], message=message, location=Location(path, 1)))
    buf = BytesIO()
    WRITER.write(report, buf)
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    errors = list(validator.iter_errors(json.loads(buf.getvalue())))
    assert not errors, errors[0].message


_JSON_SCALARS = (
    st.text()
    | st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
)
_JSON_KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats()


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        _JSON_SCALARS,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.lists(inner, max_size=3).map(tuple)
            | st.dictionaries(_JSON_KEYS, inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_json_dumps_writes_what_the_standard_library_writes(doc: object) -> None:
    """The report's own encoder: json.dumps(indent=2, ensure_ascii=False, allow_nan=False),
    text and errors alike."""
    try:
        expected: object = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
    except (ValueError, TypeError) as exc:
        expected = type(exc)
    try:
        got: object = json_report.dumps(doc)
    except (ValueError, TypeError) as exc:
        got = type(exc)
    assert got == expected
