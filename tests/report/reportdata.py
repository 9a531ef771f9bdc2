"""Synthetic scan reports holding findings of every kind, for the report writer tests.

The fake credential is built from parts at run time so the repository's own secrets scan
stays clean; scanners redact before a Finding exists, and so does this fixture.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipesec.core.fingerprints import DEFAULT_KEY, compute, secret_identity, text_identity
from pipesec.core.model import (
    Component,
    Confidence,
    Finding,
    GateResult,
    Location,
    Note,
    PostureCheck,
    Rule,
    ScanError,
    ScannerStats,
    ScanReport,
    Severity,
    SuppressedFinding,
    Vulnerability,
)
from pipesec.core.redact import redact_line

SCHEMAS = Path(__file__).parent.parent / "schemas"

#: a well-formed but fake AWS access key id, assembled so no file holds it whole
FAKE_SECRET = "AKIA" + "Z7QX" + "M3KD" + "P6RT" + "W2LN"  # base32, as AWS key ids are
SECRET_LINE = f'aws_access_key_id = "{FAKE_SECRET}"  # prod'

HOSTILE = (
    "evil | pipe `tick` ``double`` <script>alert(1)</script> <img src=x onerror=alert(1)> "
    "*bold* _it_ [link](javascript:alert(1)) @octocat #1 \x1b[31m\r\nsecond line & more"
)


def _fp(f: Finding, occurrence: int = 0) -> Finding:
    from dataclasses import replace

    return replace(f, fingerprint=compute(f.rule_id, f.location.path, f.identity, occurrence))


RULES = {
    "secrets/aws-access-key-id": Rule(
        id="secrets/aws-access-key-id",
        title="AWS access key id",
        severity=Severity.CRITICAL,
        rationale="An AWS access key id in source lets anyone holding the repository call AWS.",
        remediation="Revoke the key, move it to a secret store and read it from the environment.",
        cwe=("CWE-798",),
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
        ),
    ),
    "deps/vulnerable-package": Rule(
        id="deps/vulnerable-package",
        title="Dependency with a known vulnerability",
        severity=Severity.HIGH,
        rationale="A pinned dependency has a published vulnerability.",
        remediation="Upgrade to a fixed version.",
        cwe=("CWE-1395",),
    ),
    "iac/dockerfile-user-root": Rule(
        id="iac/dockerfile-user-root",
        title="Container runs as root",
        severity=Severity.MEDIUM,
        rationale="A process running as root in a container eases container escapes.",
        remediation="Add a USER instruction with an unprivileged user.",
        vulnerable_example="FROM python:3.12\nCMD python app.py\n",
        fixed_example="FROM python:3.12\nUSER app\nCMD python app.py\n",
        cwe=("CWE-250",),
    ),
    "pipelines/unpinned-action": Rule(
        id="pipelines/unpinned-action",
        title="Action not pinned to a commit",
        severity=Severity.MEDIUM,
        rationale="A tag can be moved to malicious code.",
        remediation="Pin the action to a full commit SHA.",
        references=("https://docs.github.com/en/actions/security-guides",),
    ),
    "pipelines/passing-rule": Rule(
        id="pipelines/passing-rule",
        title="A rule that found nothing",
        severity=Severity.LOW,
        rationale="Shows up as a passing test case.",
        remediation="Nothing to do.",
    ),
}


def secret_finding(line: int = 4) -> Finding:
    start = SECRET_LINE.index(FAKE_SECRET)
    return _fp(
        Finding(
            rule_id="secrets/aws-access-key-id",
            scanner="secrets",
            title="AWS access key id",
            message="AWS access key id in source",
            severity=Severity.CRITICAL,
            location=Location("config/settings.py", line, start + 1, line, start + 21),
            snippet=redact_line(SECRET_LINE, start, start + len(FAKE_SECRET)),
            cwe=("CWE-798",),
            identity=secret_identity(FAKE_SECRET, DEFAULT_KEY),
        )
    )


def dependency_finding() -> Finding:
    comp = Component(
        ecosystem="PyPI",
        name="requests",
        version="2.19.0",
        purl="pkg:pypi/requests@2.19.0",
        location=Location("requirements.txt", 3),
    )
    vuln = Vulnerability(
        id="GHSA-x84v-xcm2-53pg",
        aliases=("CVE-2018-18074",),
        summary="Requests sends the Authorization header to http URLs after a redirect.",
        severity=Severity.HIGH,
        cvss_score=7.5,
        fixed_versions=("2.20.0",),
        references=("https://github.com/advisories/GHSA-x84v-xcm2-53pg",),
    )
    return _fp(
        Finding(
            rule_id="deps/vulnerable-package",
            scanner="deps",
            title="Dependency with a known vulnerability",
            message="requests 2.19.0 is affected by GHSA-x84v-xcm2-53pg (fixed in 2.20.0)",
            severity=Severity.HIGH,
            location=Location("requirements.txt", 3, 1, 3, 18),
            snippet="requests==2.19.0",
            component=comp,
            vulnerability=vuln,
            identity="requests@2.19.0:GHSA-x84v-xcm2-53pg",
        )
    )


def unpinned_dependency_finding() -> Finding:
    return _fp(
        Finding(
            rule_id="deps/unpinned-requirement",
            scanner="deps",
            title="Requirement not pinned",
            message="flask has no pinned version",
            severity=Severity.LOW,
            location=Location("requirements.txt", 5, 1, 5, 6),
            snippet="flask",
            identity="flask",
        )
    )


def container_finding() -> Finding:
    comp = Component(
        ecosystem="deb",
        name="openssl",
        version="3.0.11-1~deb12u1",
        purl="pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=debian-12",
    )
    return _fp(
        Finding(
            rule_id="containers/vulnerable-os-package",
            scanner="containers",
            title="OS package with a known vulnerability",
            message="openssl 3.0.11-1~deb12u1 is affected by CVE-2024-0727",
            severity=Severity.MEDIUM,
            location=Location("Dockerfile", 1),
            component=comp,
            vulnerability=Vulnerability(id="CVE-2024-0727", fixed_versions=("3.0.13-1~deb12u1",)),
            identity="openssl:CVE-2024-0727",
            properties={
                "image": "registry.example.com/shop/web:1.4.2",
                "operating_system": "debian 12",
            },
        )
    )


def iac_finding() -> Finding:
    return _fp(
        Finding(
            rule_id="iac/dockerfile-user-root",
            scanner="iac",
            title="Container runs as root",
            message="The final stage has no USER instruction and runs as root",
            severity=Severity.MEDIUM,
            location=Location("Dockerfile", 1, 1, 1, 17),
            snippet="FROM python:3.12",
            cwe=("CWE-250",),
            identity=text_identity("FROM python:3.12"),
        )
    )


def pipeline_finding() -> Finding:
    return _fp(
        Finding(
            rule_id="pipelines/unpinned-action",
            scanner="pipelines",
            title="Action not pinned to a commit",
            message="actions/checkout@v4 is pinned to a tag, not a commit",
            severity=Severity.MEDIUM,
            location=Location(".github/workflows/ci.yml", 12, 15, 12, 34),
            snippet="- uses: actions/checkout@v4",
            identity="actions/checkout@v4",
        )
    )


def imported_finding() -> Finding:
    return _fp(
        Finding(
            rule_id="sarif/semgrep/python.lang.security.audit.eval-detected",
            scanner="imported",
            title="eval detected",
            message="Detected the use of eval(). eval() can be dangerous if used on user input.",
            severity=Severity.HIGH,
            confidence=Confidence.MEDIUM,
            location=Location("app/views.py", 42, 12, 42, 30),
            cwe=("CWE-95",),
            references=("https://semgrep.dev/r/python.lang.security.audit.eval-detected",),
            identity="eval(request.args['q'])",
        )
    )


def lineless_finding() -> Finding:
    return _fp(
        Finding(
            rule_id="pipelines/no-secret-scanning",
            scanner="pipelines",
            title="No secret scanning in the pipeline",
            message="The pipeline has no secret scanning step",
            severity=Severity.LOW,
            location=Location(".gitlab-ci.yml"),
            identity=".gitlab-ci.yml",
        )
    )


def hostile_finding() -> Finding:
    return _fp(
        Finding(
            rule_id="sarif/other/weird|rule`id",
            scanner="imported",
            title="Weird <b>title</b>",
            message=HOSTILE,
            severity=Severity.INFO,
            location=Location("dir with space/we|ird`file<x>.py", 7, 1, 7, 2),
            snippet="x = `$(rm -rf /)` | <svg onload=alert(1)>",
            identity="weird",
        )
    )


def all_findings() -> list[Finding]:
    fs = [
        secret_finding(),
        dependency_finding(),
        unpinned_dependency_finding(),
        container_finding(),
        iac_finding(),
        pipeline_finding(),
        imported_finding(),
        lineless_finding(),
        hostile_finding(),
    ]
    return sorted(fs, key=Finding.sort_key)


def full_report(gate: GateResult | None = None) -> ScanReport:
    suppressed_secret = secret_finding(line=9)
    return ScanReport(
        root=".",
        findings=all_findings(),
        suppressed=[
            SuppressedFinding(suppressed_secret, "inline", "test fixture, not a real key"),
            SuppressedFinding(
                _fp(pipeline_finding(), 1), "baseline", "accepted in baseline.json | 2024"
            ),
            SuppressedFinding(
                _fp(iac_finding(), 1), "exception", "<b>legacy</b> image, expires 2030-01-01"
            ),
        ],
        errors=[
            ScanError("iac", "infra/main.tf", "unexpected token '}' (expected an attribute)", 3, 7),
            ScanError("secrets", "data/dump.sql", "cannot read file: Permission denied"),
            ScanError("deps", "poetry.lock", "invalid TOML: unterminated string", 12, 1),
        ],
        notes=[
            Note("secrets", "static/logo.png", "binary file skipped", "binary"),
            Note(
                "iac", "charts/web/templates/deploy.yaml", "Helm template, not YAML until rendered"
            ),
        ],
        stats=[
            ScannerStats("deps", findings=2, files=3, seconds=0.25),
            ScannerStats("iac", findings=1, errors=1, files=4, seconds=0.5),
            ScannerStats("imported", findings=2, seconds=0.01),
            ScannerStats("pipelines", findings=2, files=2, seconds=0.125),
            ScannerStats("secrets", findings=1, errors=1, notes=1, files=20, seconds=1.5),
        ],
        components=[dependency_finding().component],  # type: ignore[list-item]
        posture=[
            PostureCheck(".github/workflows/ci.yml", "secret scanning", True, "pipesec scan"),
            PostureCheck(".github/workflows/ci.yml", "dependency scanning", False, "no SCA step"),
            PostureCheck(".gitlab-ci.yml", "SAST", False, "no sast job | include"),
        ],
        rules=dict(RULES),
        gate=gate
        or GateResult(
            passed=False,
            exit_code=1,
            reasons=[
                "2 findings of severity high or above: secrets/aws-access-key-id at "
                "config/settings.py:4, deps/vulnerable-package at requirements.txt:3"
            ],
            warnings=['3 inputs could not be processed (on-error = "warn": not failing)'],
        ),
        warnings=["exception for iac/dockerfile-user-root in Dockerfile expired on 2024-01-01"],
        tool_version="0.1.0",
    )


def empty_report() -> ScanReport:
    return ScanReport(root=".", gate=GateResult(passed=True, exit_code=0), tool_version="0.1.0")


def errors_only_report() -> ScanReport:
    r = full_report(GateResult(False, 3, reasons=["3 inputs could not be processed"]))
    r.findings = []
    r.suppressed = []
    return r


def load_json_schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return data
