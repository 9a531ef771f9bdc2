"""GitLab security reports (v15) and Code Quality.

Validated against schemas written from GitLab's documentation (tests/schemas/gitlab/, each
naming its source: GitLab's published schemas are not obtainable through PyPI, npm or
Debian), then checked field by field.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable
from dataclasses import replace
from io import BytesIO
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource
from tests.report.reportdata import (
    SCHEMAS,
    all_findings,
    container_finding,
    dependency_finding,
    empty_report,
    errors_only_report,
    full_report,
    imported_finding,
    lineless_finding,
    pipeline_finding,
    secret_finding,
)

from pipesec.core.model import (
    Component,
    Finding,
    GateResult,
    Location,
    ScanReport,
    Severity,
    Vulnerability,
)
from pipesec.report import gitlab

Write = Callable[[str, ScanReport], bytes]
FORMAT_TYPE = {
    "gitlab-secret-detection": "secret_detection",
    "gitlab-sast": "sast",
    "gitlab-dependency-scanning": "dependency_scanning",
    "gitlab-container-scanning": "container_scanning",
}
SCHEMA_OF = gitlab.SCHEMA_FILE
FIXED = dt.datetime(2024, 5, 17, 10, 30, 5, tzinfo=dt.UTC)


@functools.cache
def validator(name: str) -> Any:
    resources = []
    for path in sorted((SCHEMAS / "gitlab").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    registry: Registry[Any] = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / "gitlab" / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


def check(doc: Any, name: str) -> None:
    errors = sorted(validator(name).iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def build(report: ScanReport, rtype: str) -> dict[str, Any]:
    return gitlab.build(report, rtype, clock=lambda: FIXED)


@pytest.mark.parametrize("fmt", sorted(FORMAT_TYPE))
@pytest.mark.parametrize("make", [full_report, empty_report, errors_only_report])
def test_valid_against_schema(fmt: str, make: Callable[[], ScanReport], write: Write) -> None:
    doc = json.loads(write(fmt, make()))
    rtype = FORMAT_TYPE[fmt]
    check(doc, SCHEMA_OF[rtype])
    assert doc["scan"]["type"] == rtype
    assert doc["version"] == gitlab.SCHEMA_VERSION
    assert doc["schema"].endswith(SCHEMA_OF[rtype])


def test_schemas_reject_what_gitlab_rejects() -> None:
    """The hand-written schemas are not vacuous."""
    good = build(full_report(), "sast")
    bad_severity = json.loads(json.dumps(good))
    bad_severity["vulnerabilities"][0]["severity"] = "high"
    bad_time = json.loads(json.dumps(good))
    bad_time["scan"]["end_time"] = "2024-05-17T10:30:05Z"
    no_line = json.loads(json.dumps(good))
    del no_line["vulnerabilities"][0]["location"]["start_line"]
    no_ident = json.loads(json.dumps(good))
    no_ident["vulnerabilities"][0]["identifiers"] = []
    raw = json.loads(json.dumps(good))
    raw["vulnerabilities"][0]["raw_source_code_extract"] = "x"
    for doc in (bad_severity, bad_time, no_line, no_ident, raw):
        assert list(validator("sast-report-format.json").iter_errors(doc))
    ds = build(full_report(), "dependency_scanning")
    del ds["vulnerabilities"][0]["location"]["dependency"]
    assert list(validator("dependency-scanning-report-format.json").iter_errors(ds))
    cs = build(full_report(), "container_scanning")
    del cs["vulnerabilities"][0]["location"]["operating_system"]
    assert list(validator("container-scanning-report-format.json").iter_errors(cs))


def test_routing_puts_every_finding_in_exactly_one_report() -> None:
    report = full_report()
    seen = 0
    for rtype in gitlab.REPORT_TYPES:
        seen += len(build(report, rtype)["vulnerabilities"])
    assert seen == len(report.findings)
    kinds = {f.rule_id: gitlab.report_type(f) for f in all_findings()}
    assert kinds["secrets/aws-access-key-id"] == "secret_detection"
    assert kinds["deps/vulnerable-package"] == "dependency_scanning"
    assert kinds["deps/unpinned-requirement"] == "sast"  # about a file line, not a package
    assert kinds["containers/vulnerable-os-package"] == "container_scanning"
    assert kinds["iac/dockerfile-user-root"] == "sast"
    assert kinds["pipelines/unpinned-action"] == "sast"
    assert kinds["sarif/semgrep/python.lang.security.audit.eval-detected"] == "sast"
    gitleaks = replace(imported_finding(), rule_id="sarif/gitleaks/aws-access-token")
    assert gitlab.report_type(gitleaks) == "secret_detection"


def test_secret_detection_shape() -> None:
    doc = build(full_report(), "secret_detection")
    (vuln,) = doc["vulnerabilities"]
    assert vuln["severity"] == "Critical"
    assert vuln["location"] == {
        "file": "config/settings.py",
        "start_line": 4,
        "end_line": 4,
        "commit": {"sha": "0000000"},
    }
    assert vuln["identifiers"][0]["value"] == "secrets/aws-access-key-id"
    assert {"type": "cwe", "name": "CWE-798", "value": "798"}.items() <= vuln["identifiers"][
        1
    ].items()
    assert "AKIA*****" in vuln["description"]
    assert "raw_source_code_extract" not in vuln
    history = replace(secret_finding(), location=Location("a.env", 2, commit="f00dfeed" * 5))
    loc = gitlab.location(history, "secret_detection")
    assert loc["commit"] == {"sha": "f00dfeed" * 5}


def test_dependency_scanning_shape() -> None:
    doc = build(full_report(), "dependency_scanning")
    (vuln,) = doc["vulnerabilities"]
    assert vuln["location"] == {
        "file": "requirements.txt",
        "dependency": {"package": {"name": "requests"}, "version": "2.19.0", "direct": True},
    }
    assert vuln["severity"] == "High"
    idents = [(i["type"], i["value"]) for i in vuln["identifiers"]]
    assert idents[0] == ("ghsa", "GHSA-x84v-xcm2-53pg")  # primary: the advisory
    assert ("cve", "CVE-2018-18074") in idents
    assert ("pipesec_rule_id", "deps/vulnerable-package") in idents
    assert vuln["solution"].startswith("Upgrade requests to 2.20.0 or later.")
    assert vuln["name"].startswith("GHSA-x84v-xcm2-53pg in requests")
    assert doc["dependency_files"] == [
        {
            "path": "requirements.txt",
            "package_manager": "pip",
            "dependencies": [{"package": {"name": "requests"}, "version": "2.19.0"}],
        }
    ]


def test_two_advisories_on_one_package_stay_distinct() -> None:
    report = full_report()
    first = dependency_finding()
    second = replace(
        first,
        vulnerability=Vulnerability(id="CVE-2023-32681", severity=Severity.MEDIUM),
        fingerprint="f" * 32,
    )
    report.findings = [first, second]
    vulns = build(report, "dependency_scanning")["vulnerabilities"]
    assert len({v["id"] for v in vulns}) == 2
    assert vulns[0]["identifiers"][0] != vulns[1]["identifiers"][0]
    check(build(report, "dependency_scanning"), SCHEMA_OF["dependency_scanning"])


def merged_by_gitlab(a: dict[str, Any], b: dict[str, Any], rtype: str) -> bool:
    """GitLab's rule: same location fingerprint and an identifier in common (not CWE/WASC)."""
    if gitlab._location_key(a["location"], rtype) != gitlab._location_key(b["location"], rtype):
        return False
    ids = {(i["type"], i["value"]) for i in a["identifiers"] if i["type"] not in ("cwe", "wasc")}
    return any((i["type"], i["value"]) in ids for i in b["identifiers"])


def test_findings_of_one_rule_at_one_place_stay_apart() -> None:
    report = full_report()
    base = lineless_finding()
    gates = ("sast", "sca", "secret-scanning")
    report.findings = [
        replace(base, message=f"pipeline has no {g} gate", fingerprint=f"{n:032x}")
        for n, g in enumerate(gates)
    ] + [pipeline_finding()]
    doc = build(report, "sast")
    check(doc, SCHEMA_OF["sast"])
    vulns = doc["vulnerabilities"]
    assert not any(merged_by_gitlab(a, b, "sast") for a in vulns for b in vulns if a is not b)
    assert [v["name"] for v in vulns[:3]] == [f"pipeline has no {g} gate" for g in gates]
    assert vulns[0]["identifiers"][0] == {
        "type": "pipesec_finding",
        "name": f"pipesec pipelines/no-secret-scanning ({'0' * 12})",
        "value": f"pipelines/no-secret-scanning:{'0' * 32}",
    }
    # a finding alone at its place keeps the rule as its primary identifier
    assert vulns[3]["identifiers"][0]["type"] == "pipesec_rule_id"
    assert vulns[3]["name"] == "Action not pinned to a commit"


def test_two_advisories_on_one_package_are_not_merged() -> None:
    report = full_report()
    first = dependency_finding()
    second = replace(
        first,
        vulnerability=Vulnerability(id="CVE-2023-32681", severity=Severity.MEDIUM),
        fingerprint="f" * 32,
    )
    report.findings = [first, second]
    a, b = build(report, "dependency_scanning")["vulnerabilities"]
    assert not merged_by_gitlab(a, b, "dependency_scanning")
    assert a["identifiers"][0]["value"] == "GHSA-x84v-xcm2-53pg"  # primary: the advisory
    assert b["identifiers"][0]["value"] == "CVE-2023-32681"
    # the same advisory twice for one package is a true duplicate: GitLab may merge it
    twin = replace(first, fingerprint="e" * 32)
    report.findings = [first, twin]
    a, b = build(report, "dependency_scanning")["vulnerabilities"]
    assert merged_by_gitlab(a, b, "dependency_scanning")


def test_container_scanning_shape() -> None:
    doc = build(full_report(), "container_scanning")
    (vuln,) = doc["vulnerabilities"]
    assert vuln["location"] == {
        "image": "registry.example.com/shop/web:1.4.2",
        "operating_system": "debian 12",
        "dependency": {"package": {"name": "openssl"}, "version": "3.0.11-1~deb12u1"},
    }
    assert vuln["identifiers"][0] == {
        "type": "cve",
        "name": "CVE-2024-0727",
        "value": "CVE-2024-0727",
        "url": "https://nvd.nist.gov/vuln/detail/CVE-2024-0727",
    }
    bare = replace(container_finding(), properties={})
    loc = gitlab.location(bare, "container_scanning")
    assert loc["operating_system"] == "debian-12"  # from the purl's distro qualifier
    assert loc["image"] == "Dockerfile"


def test_sast_shape_and_lineless_findings() -> None:
    doc = build(full_report(), "sast")
    by_rule = {v["identifiers"][0]["value"]: v for v in doc["vulnerabilities"]}
    assert by_rule["pipelines/unpinned-action"]["location"] == {
        "file": ".github/workflows/ci.yml",
        "start_line": 12,
        "end_line": 12,
    }
    # GitLab needs a line: a whole-file finding points at line 1
    assert by_rule["pipelines/no-secret-scanning"]["location"] == {
        "file": ".gitlab-ci.yml",
        "start_line": 1,
    }
    sev = {v["identifiers"][0]["value"]: v["severity"] for v in doc["vulnerabilities"]}
    assert sev["sarif/semgrep/python.lang.security.audit.eval-detected"] == "High"
    assert sev["iac/dockerfile-user-root"] == "Medium"
    assert sev["deps/unpinned-requirement"] == "Low"
    assert sev["sarif/other/weird|rule`id"] == "Info"
    imported = by_rule["sarif/semgrep/python.lang.security.audit.eval-detected"]
    assert {"type": "cwe", "name": "CWE-95", "value": "95"}.items() <= imported["identifiers"][
        1
    ].items()
    assert imported["links"] == [
        {"url": "https://semgrep.dev/r/python.lang.security.audit.eval-detected"}
    ]


def test_severity_mapping_is_total() -> None:
    assert set(gitlab.SEVERITY) == set(Severity)
    assert set(gitlab.SEVERITY.values()) <= {"Critical", "High", "Medium", "Low", "Info"}


def test_ids_unique_and_stable() -> None:
    a = build(full_report(), "sast")
    b = build(full_report(), "sast")
    assert [v["id"] for v in a["vulnerabilities"]] == [v["id"] for v in b["vulnerabilities"]]
    ids = [v["id"] for v in a["vulnerabilities"]]
    assert len(ids) == len(set(ids))
    twins = full_report()
    f = replace(lineless_finding(), fingerprint="")
    twins.findings = [f, f]
    ids = [v["id"] for v in build(twins, "sast")["vulnerabilities"]]
    assert len(set(ids)) == 2


def test_scan_fields() -> None:
    scan = build(full_report(), "sast")["scan"]
    assert scan["end_time"] == "2024-05-17T10:30:05"
    assert scan["start_time"] == "2024-05-17T10:30:03"  # minus the longest scanner (1.5 s)
    assert scan["analyzer"]["id"] == scan["scanner"]["id"] == "pipesec"
    assert scan["analyzer"]["version"] == "0.1.0"
    assert scan["status"] == "success"
    values = [m["value"] for m in scan["messages"]]
    assert "could not process infra/main.tf:3:7: unexpected token '}' (expected an attribute)" in (
        values
    )
    assert any("charts/web/templates/deploy.yaml" in v for v in values)
    assert any("2 suppressed findings are not reported" in v for v in values)


def test_status_failure_when_errors_fail_the_gate() -> None:
    report = errors_only_report()
    assert report.gate is not None and report.gate.exit_code == 3
    assert build(report, "sast")["scan"]["status"] == "failure"  # iac error
    assert build(report, "container_scanning")["scan"]["status"] == "success"  # none of its own


def test_suppressed_findings_are_left_out() -> None:
    report = full_report()
    ids = {
        v["location"].get("start_line")
        for v in build(report, "secret_detection")["vulnerabilities"]
    }
    assert ids == {4}  # the inline-suppressed copy on line 9 is not there


def test_source_date_epoch(monkeypatch: pytest.MonkeyPatch, write: Write) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    doc = json.loads(write("gitlab-sast", full_report()))
    assert doc["scan"]["end_time"] == "2023-11-14T22:13:20"


def test_long_text_is_cut_to_gitlab_limits() -> None:
    report = full_report()
    report.findings = [
        replace(lineless_finding(), title="t" * 1000, remediation="r" * 10_000, message="m" * 10)
    ]
    doc = build(report, "sast")
    vuln = doc["vulnerabilities"][0]
    assert len(vuln["name"]) == 255
    assert len(vuln["solution"]) == 7000
    check(doc, SCHEMA_OF["sast"])


def test_unknown_report_type() -> None:
    with pytest.raises(ValueError, match="unknown GitLab report type"):
        gitlab.build(full_report(), "dast")


# -- Code Quality ---------------------------------------------------------------------------


def test_codequality_valid_and_complete(write: Write) -> None:
    report = full_report()
    doc = json.loads(write("gitlab-codequality", report))
    check(doc, "codequality-report-format.json")
    assert len(doc) == len(report.findings)
    fps = [i["fingerprint"] for i in doc]
    assert len(fps) == len(set(fps))
    by = {i["check_name"]: i for i in doc}
    assert by["secrets/aws-access-key-id"]["severity"] == "blocker"
    assert by["deps/vulnerable-package"]["severity"] == "critical"
    assert by["iac/dockerfile-user-root"]["severity"] == "major"
    assert by["deps/unpinned-requirement"]["severity"] == "minor"
    assert by["sarif/other/weird|rule`id"]["severity"] == "info"
    assert by["pipelines/no-secret-scanning"]["location"] == {
        "path": ".gitlab-ci.yml",
        "lines": {"begin": 1},
    }
    assert by["pipelines/unpinned-action"]["location"]["lines"] == {"begin": 12}
    assert by["pipelines/unpinned-action"]["fingerprint"] == report.findings[3].fingerprint
    assert json.loads(write("gitlab-codequality", empty_report())) == []


def test_codequality_fingerprints_unique_even_without_engine_fingerprints() -> None:
    report = full_report()
    f = replace(lineless_finding(), fingerprint="")
    report.findings = [f, f, replace(f, fingerprint="abc"), replace(f, fingerprint="abc")]
    fps = [i["fingerprint"] for i in gitlab.codequality(report)]
    assert len(set(fps)) == 4
    assert re.fullmatch(r"[0-9a-f]{32}", fps[0])


def test_codequality_paths_are_relative_as_the_schema_wants() -> None:
    # imported SARIF can carry "/", "./x" or an absolute path: the schema forbids a leading
    # "/" or "./" (found by the fuzz test below)
    report = full_report()
    f = lineless_finding()
    paths = ["/", "./src/app.py", "/abs/x.tf", ".//y", "", "a/./b"]
    report.findings = [replace(f, location=replace(f.location, path=p)) for p in paths]
    doc = gitlab.codequality(report)
    assert [i["location"]["path"] for i in doc] == [
        ".",
        "src/app.py",
        "abs/x.tf",
        "y",
        ".",
        "a/./b",
    ]
    check(doc, "codequality-report-format.json")


# -- any text -------------------------------------------------------------------------------

texts = st.text(max_size=80)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    message=texts,
    path=texts,
    title=texts,
    name=st.text(min_size=0, max_size=30),
    version=texts,
    line=st.integers(min_value=0, max_value=10**6),
)
def test_any_input_gives_valid_reports(
    message: str, path: str, title: str, name: str, version: str, line: int
) -> None:
    report = full_report()
    comp = Component("npm", name or "x", version, location=Location(path, line))
    report.findings += [
        Finding("sast/x", "sast", title, message, Severity.HIGH, Location(path, line)),
        Finding(
            "deps/vulnerable-package",
            "deps",
            title,
            message,
            Severity.LOW,
            Location(path, line),
            component=comp,
            vulnerability=Vulnerability(id=name or "OSV-1"),
        ),
        Finding(
            "secrets/generic", "secrets", title, message, Severity.MEDIUM, Location(path, line)
        ),
    ]
    for rtype, schema in SCHEMA_OF.items():
        check(build(report, rtype), schema)
    buf = BytesIO()
    gitlab.CODEQUALITY_WRITER.write(report, buf)
    check(json.loads(buf.getvalue()), "codequality-report-format.json")


def test_gate_none_is_fine() -> None:
    report = full_report(GateResult(True, 0))
    report.gate = None
    for rtype, schema in SCHEMA_OF.items():
        check(build(report, rtype), schema)
