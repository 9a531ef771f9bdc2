from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import FIXTURES

from pipesec.core.model import Finding, ScanError, Severity
from pipesec.scanners.imported import import_file, normalize_uri, severity_from_score, tool_slug

SARIF = FIXTURES / "sarif"


def load(name: str, root: Path = Path("/src")) -> list[Finding]:
    items = list(import_file(SARIF / name, root))
    assert all(isinstance(i, Finding) for i in items), items
    return [i for i in items if isinstance(i, Finding)]


def test_bandit_real_output() -> None:
    fs = load("bandit.sarif")
    by_rule = {f.rule_id: f for f in fs}
    assert set(by_rule) == {
        "sarif/bandit/B404",
        "sarif/bandit/B403",
        "sarif/bandit/B602",
        "sarif/bandit/B301",
    }
    b602 = by_rule["sarif/bandit/B602"]
    assert b602.severity is Severity.HIGH  # level error
    assert (b602.location.path, b602.location.start_line) == ("app.py", 6)
    assert by_rule["sarif/bandit/B404"].severity is Severity.LOW  # level note


def test_zizmor_real_output() -> None:
    fs = load("zizmor.sarif")
    ids = {f.rule_id for f in fs}
    assert "sarif/zizmor/template-injection" in ids
    ti = next(f for f in fs if f.rule_id.endswith("template-injection"))
    assert ti.location.path == ".github/workflows/ci.yml"
    assert ti.location.start_line == 11


def test_gitleaks_output_keeps_no_snippet() -> None:
    fs = load("gitleaks.sarif")
    assert [f.rule_id for f in fs] == [
        "sarif/gitleaks/aws-access-token",
        "sarif/gitleaks/generic-api-key",
    ]
    raw = (SARIF / "gitleaks.sarif").read_text()
    secret = json.loads(raw)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"][
        "snippet"
    ]["text"]
    for f in fs:
        assert f.snippet == ""
        assert secret not in repr(f)
    assert fs[0].location.start_column == 20
    assert fs[1].identity.startswith("sarif:")


def test_semgrep_suppressions_and_fingerprints() -> None:
    fs = load("semgrep.sarif")
    shell = fs[0]
    assert (
        shell.rule_id
        == "sarif/semgrep-oss/"
        + "python.lang.security.audit.subprocess-shell-true.subprocess-shell-true"
    )
    assert shell.location.path == "app/views.py"
    assert shell.severity is Severity.HIGH
    assert shell.references[0].startswith("https://semgrep.dev/")
    assert "suppressed" in fs[1].properties
    assert fs[1].severity is Severity.MEDIUM  # from the rule's default level


def test_checkov_absolute_paths_relative_to_root() -> None:
    fs = load("checkov.sarif", root=Path("/src"))
    assert [f.location.path for f in fs] == ["terraform/s3.tf", "k8s/deploy.yaml"]
    assert fs[0].title.startswith("S3 Bucket has an ACL")


def test_security_severity_wins_over_level(tmp_path: Path) -> None:
    doc = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "CodeQL",
                        "rules": [{"id": "js/xss", "properties": {"security-severity": "9.3"}}],
                    }
                },
                "results": [{"ruleId": "js/xss", "level": "note", "message": {"text": "XSS"}}],
            }
        ],
    }
    p = tmp_path / "c.sarif"
    p.write_text(json.dumps(doc))
    [f] = list(import_file(p, tmp_path))
    assert isinstance(f, Finding)
    assert f.severity is Severity.CRITICAL
    assert f.location.path == ""


@pytest.mark.parametrize(
    ("score", "sev"),
    [
        (9.0, Severity.CRITICAL),
        (7.0, Severity.HIGH),
        (6.9, Severity.MEDIUM),
        (0.5, Severity.LOW),
        (0.0, Severity.INFO),
    ],
)
def test_score_bands(score: float, sev: Severity) -> None:
    assert severity_from_score(score) is sev


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "invalid JSON"),
        ('{"version": "2.1.0"}', "runs: missing"),
        ('{"version": "1.0", "runs": []}', "unsupported SARIF version"),
        ('{"runs": [{"tool": {}}]}', "runs[0].tool.driver"),
        (
            '{"runs": [{"tool": {"driver": {"name": "x"}}, "results": {}}]}',
            "runs[0].results: expected an array",
        ),
        (
            '{"runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {}}]}]}',
            "ruleId: missing",
        ),
        ("[]", "expected an object"),
    ],
)
def test_malformed_files_are_scan_errors(tmp_path: Path, text: str, message: str) -> None:
    p = tmp_path / "bad.sarif"
    p.write_text(text)
    [err] = list(import_file(p, tmp_path))
    assert isinstance(err, ScanError)
    assert message in err.message
    assert err.path == str(p)


def test_invalid_json_reports_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.sarif"
    p.write_text('{\n  "runs": [\n    oops\n')
    [err] = list(import_file(p, tmp_path))
    assert isinstance(err, ScanError) and err.line == 3


def test_uri_normalisation(tmp_path: Path) -> None:
    root = Path("/repo")
    assert normalize_uri("file:///repo/src/a%20b.py", "", root) == "src/a b.py"
    assert normalize_uri("./src/a.py", "", root) == "src/a.py"
    assert normalize_uri("a.py", "file:///repo/sub/", root) == "sub/a.py"
    assert normalize_uri("/elsewhere/x.py", "", root) == "/elsewhere/x.py"
    assert tool_slug("Semgrep OSS") == "semgrep-oss"


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_fuzz_bytes_never_crash(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "f.sarif"
    p.write_bytes(data)
    for item in import_file(p, tmp_path):
        assert isinstance(item, Finding | ScanError)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "runs",
                    "tool",
                    "driver",
                    "name",
                    "results",
                    "ruleId",
                    "locations",
                    "level",
                    "rules",
                    "physicalLocation",
                    "artifactLocation",
                    "uri",
                    "region",
                    "startLine",
                    "message",
                    "text",
                    "version",
                    "properties",
                    "security-severity",
                    "suppressions",
                    "ruleIndex",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(json_values)
def test_fuzz_structured_json_never_crash(tmp_path: Path, doc: object) -> None:
    p = tmp_path / "f.sarif"
    p.write_text(json.dumps(doc))
    for item in import_file(p, tmp_path):
        assert isinstance(item, Finding | ScanError)
