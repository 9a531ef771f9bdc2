from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import finding

from pipesec.core import suppressions
from pipesec.core.baseline import Baseline, BaselineEntry
from pipesec.core.config import ExceptionEntry
from pipesec.core.engine import assign_fingerprints
from pipesec.core.model import ScanReport
from pipesec.core.workspace import Workspace


def test_parse_inline_all_comment_syntaxes() -> None:
    cases = {
        "x = 1  # pipesec:ignore[secrets/generic-password] test fixture": "test fixture",
        "let a = 1; // pipesec:ignore[sast/x] because": "because",
        "SELECT 1 -- pipesec:ignore[sql/raw] legacy": "legacy",
        "int a; /* pipesec:ignore[c/x] generated */": "generated",
        "<!-- pipesec:ignore[html/x] vendor -->": "vendor",
        "key = v ; pipesec:ignore[ini/x] ok": "ok",
    }
    for line, reason in cases.items():
        ig = suppressions.parse_inline(line)
        assert ig is not None, line
        assert ig.reason == reason


def test_parse_inline_multiple_and_globs() -> None:
    ig = suppressions.parse_inline("# pipesec:ignore[secrets/*, gha/template-injection]")
    assert ig is not None
    assert ig.covers("secrets/aws-access-key")
    assert ig.covers("gha/template-injection")
    assert not ig.covers("gha/unpinned-uses")
    assert ig.reason == ""


def test_rule_ids_match_in_any_case() -> None:
    ig = suppressions.parse_inline("x = yaml.load(s)  # pipesec:ignore[bandit/B506] trusted input")
    assert ig is not None and ig.covers("bandit/B506") and ig.reason == "trusted input"


def test_not_a_comment_or_empty_ids(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('print("pipesec:ignore[x/y] in a string")\n')
    lines = suppressions._Lines(Workspace(tmp_path, use_git=False))
    assert lines.marked("a.py") == {}
    assert suppressions.parse_inline("# pipesec:ignore[] nothing") is None
    assert suppressions.parse_inline("# pipesec:ignore[has space/x]") is None
    assert suppressions.parse_inline("# nothing to see") is None


@given(st.text(max_size=200))
def test_fuzz_inline_parser_never_raises(line: str) -> None:
    ig = suppressions.parse_inline(line)
    if ig is not None:
        assert ig.rules and "\n" not in ig.reason


@given(
    st.from_regex(r"[a-z]{1,8}/[a-z-]{1,12}", fullmatch=True),
    st.from_regex(r"[a-z ]{0,20}", fullmatch=True),
)
def test_fuzz_inline_roundtrip(rule: str, reason: str) -> None:
    ig = suppressions.parse_inline(f"    # pipesec:ignore[{rule}] {reason}")
    assert ig is not None and ig.covers(rule) and ig.reason == reason.strip()


def _report(*fs):  # type: ignore[no-untyped-def]
    return ScanReport(root=".", findings=assign_fingerprints(list(fs)))


def test_apply_inline_exception_baseline_external(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        "ok = 1\n# pipesec:ignore[test/rule] reviewed in PR 12\n"
        "bad = 2\nbad = 3  # pipesec:ignore[other/x] not this rule\n"
    )
    (tmp_path / "b.py").write_text("x\n")
    ws = Workspace(tmp_path, use_git=False)
    inline = finding(path="a.py", line=3)
    wrong_rule = finding(path="a.py", line=4)
    excepted = finding(rule_id="gha/x", path="b.py", line=1)
    expired = finding(rule_id="old/x", path="b.py", line=1)
    external = finding(path="b.py", line=1, properties={"suppressed": "nosec"})
    baselined = finding(rule_id="base/x", path="b.py", line=1)
    report = _report(inline, wrong_rule, excepted, expired, external, baselined)
    base_fp = next(f.fingerprint for f in report.findings if f.rule_id == "base/x")
    exceptions = [
        ExceptionEntry(
            rule="gha/*", path="b.py", reason="accepted risk", expires=dt.date(2030, 1, 1)
        ),
        ExceptionEntry(rule="old/x", reason="was fine", expires=dt.date(2020, 1, 1)),
    ]
    suppressions.apply(
        report,
        ws,
        exceptions,
        Baseline([BaselineEntry(fingerprint=base_fp)], "pipesec"),
        dt.date(2026, 1, 1),
    )
    kinds = {
        (s.finding.rule_id, s.finding.location.start_line): (s.kind, s.justification)
        for s in report.suppressed
    }
    assert kinds[("test/rule", 3)] == ("inline", "reviewed in PR 12")
    assert kinds[("gha/x", 1)] == ("exception", "accepted risk (until 2030-01-01)")
    assert kinds[("test/rule", 1)] == ("external", "nosec")
    sources = {s.finding.rule_id: s.source for s in report.suppressed}
    assert sources["test/rule"] in ("pipesec:ignore comment at a.py:2", "test scanner")
    assert kinds[("base/x", 1)] == ("baseline", "in the pipesec baseline")
    assert {(f.rule_id, f.location.start_line) for f in report.findings} == {
        ("test/rule", 4),
        ("old/x", 1),
    }
    assert any("expired on 2020-01-01" in w for w in report.warnings)


def test_baseline_place_entries() -> None:
    b = Baseline(
        [BaselineEntry(path="a.py", line=3, rule="secrets/*", source="detect-secrets")],
        "detect-secrets",
    )
    assert b.match(finding(rule_id="secrets/x", path="a.py", line=3)) is not None
    assert b.match(finding(rule_id="secrets/x", path="a.py", line=4)) is None
    assert b.match(finding(rule_id="gha/x", path="a.py", line=3)) is None


def test_inline_ignores_found_in_any_case_and_only_in_marked_files(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1  # PIPESEC:IGNORE[test/rule] upper case\ny = 2\n")
    (tmp_path / "b.py").write_text("x = 1\n")
    lines = suppressions._Lines(Workspace(tmp_path, use_git=False))
    assert lines.marked("a.py") == {1: "# PIPESEC:IGNORE[test/rule] upper case"}
    assert lines.marked("b.py") == {}
    assert lines.marked("missing.py") == {}
    hit = suppressions.inline_for(finding(path="a.py", line=2), lines)
    assert hit is not None and hit.reason == "upper case"  # the line above counts
    assert suppressions.inline_for(finding(path="b.py", line=1), lines) is None


def test_peer_markers_each_suppress_their_scanner(tmp_path: Path) -> None:
    (tmp_path / "ci.yml").write_text(
        "steps:\n  - run: echo ${{ github.event.issue.title }}"
        "  # zizmor: ignore[template-injection]\n"
    )
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "b" {\n  #checkov:skip=CKV_AWS_18:logs elsewhere\n'
        '  acl = "public-read"\n  # trivy:ignore:AVD-AWS-0086\n  block = false\n}\n'
    )
    (tmp_path / "s.env").write_text("K=abc  # pragma: allowlist secret\nJ=x  # gitleaks:allow\n")
    ws = Workspace(tmp_path, use_git=False)
    cases = [
        finding(rule_id="gha/template-injection", path="ci.yml", line=2, scanner="pipelines"),
        finding(rule_id="tf/s3-public", path="main.tf", line=3, scanner="iac"),
        finding(rule_id="tf/x", path="main.tf", line=5, scanner="iac"),
        finding(rule_id="secrets/x", path="s.env", line=1, scanner="secrets"),
        finding(rule_id="secrets/y", path="s.env", line=2, scanner="secrets"),
        # a peer marker covers only its own scanner's findings
        finding(rule_id="gha/other", path="s.env", line=1, scanner="pipelines"),
    ]
    report = _report(*cases)
    suppressions.apply(report, ws, [])
    got = {(s.finding.rule_id, s.justification) for s in report.suppressed}
    assert got == {
        ("gha/template-injection", "peer: zizmor"),
        ("tf/s3-public", "peer: checkov"),
        ("tf/x", "peer: trivy"),
        ("secrets/x", "peer: detect-secrets"),
        ("secrets/y", "peer: gitleaks"),
    }
    assert [f.rule_id for f in report.findings] == ["gha/other"]
    assert all(s.kind == "peer" for s in report.suppressed)


def test_zizmor_marker_covers_only_the_audits_it_names(tmp_path: Path) -> None:
    (tmp_path / "ci.yml").write_text(
        "steps:\n  - if: ${{ false }} lol  # zizmor: ignore[obfuscation]\n"
        "  - uses: acme/a@v1  # zizmor: ignore[unpinned-uses, artipacked]\n"
    )
    ws = Workspace(tmp_path, use_git=False)
    report = _report(
        finding(rule_id="gha/obfuscated-expression", path="ci.yml", line=2, scanner="pipelines"),
        finding(rule_id="gha/unsound-condition", path="ci.yml", line=2, scanner="pipelines"),
        finding(rule_id="gha/unpinned-uses", path="ci.yml", line=3, scanner="pipelines"),
        # no zizmor audit stands for this rule: a zizmor comment cannot be about it
        finding(rule_id="gha/missing-security-gate", path="ci.yml", line=3, scanner="pipelines"),
    )
    suppressions.apply(report, ws, [])
    assert {s.finding.rule_id for s in report.suppressed} == {
        "gha/obfuscated-expression",
        "gha/unpinned-uses",
    }
    assert [f.rule_id for f in report.findings] == [
        "gha/unsound-condition",
        "gha/missing-security-gate",
    ]


def test_glob_and_reasonless_markers_are_refused_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        "a = 1  # pipesec:ignore[secrets/*] fixture\nb = 2  # pipesec:ignore[iac/*]\n"
        "c = 3  # pipesec:ignore[iac/*] reviewed\n"
    )
    ws = Workspace(tmp_path, use_git=False)
    report = _report(
        finding(rule_id="secrets/x", path="a.py", line=1, scanner="secrets"),
        finding(rule_id="iac/x", path="a.py", line=2, scanner="iac"),
        finding(rule_id="iac/y", path="a.py", line=3, scanner="iac"),
    )
    suppressions.apply(report, ws, [])
    assert [s.finding.rule_id for s in report.suppressed] == ["iac/y"]
    assert len(report.warnings) == 2


def test_zizmor_marker_on_the_step_name_covers_the_line_below(tmp_path: Path) -> None:
    """zizmor honours a marker anywhere in the finding's span: the step's ``- name:``
    line stands above the ``run:`` line the finding points at; two lines down it does not."""
    (tmp_path / "ci.yml").write_text(
        "steps:\n  - name: publish  # zizmor: ignore[use-trusted-publishing]\n"
        "    run: cargo publish\n    env:\n      X: y\n"
    )
    ws = Workspace(tmp_path, use_git=False)
    report = _report(
        finding(rule_id="gha/publish-long-lived-token", path="ci.yml", line=3, scanner="pipelines"),
        finding(rule_id="gha/other", path="ci.yml", line=4, scanner="pipelines"),
    )
    suppressions.apply(report, ws, [])
    assert [s.finding.rule_id for s in report.suppressed] == ["gha/publish-long-lived-token"]
    assert [f.rule_id for f in report.findings] == ["gha/other"]
