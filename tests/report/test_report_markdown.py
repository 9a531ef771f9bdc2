"""Markdown report: verdict first, tables that hold whatever text a scanned file contains,
collapsible sections, pipeline posture, and a size cap for GitHub comments.

The output is parsed with markdown-it-py (CommonMark + GFM tables, raw HTML allowed as on
GitHub) to check structure rather than strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from tests.report.reportdata import (
    HOSTILE,
    empty_report,
    errors_only_report,
    full_report,
    hostile_finding,
)

from pipesec.core.model import (
    Finding,
    GateResult,
    Location,
    PostureCheck,
    ScanReport,
    Severity,
)
from pipesec.report.markdown import MAX_BYTES, MarkdownWriter, github_blob_base, render, text

Write = Callable[[str, ScanReport], bytes]
MD = MarkdownIt("commonmark", {"html": True}).enable("table")
ALLOWED_INLINE_HTML = {"<code>", "</code>", "<br>", "<sub>", "</sub>"}
ENV = {
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "acme/shop",
    "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
}


def tokens(md: str) -> list[Token]:
    out: list[Token] = []

    def walk(ts: list[Token]) -> None:
        for t in ts:
            out.append(t)
            if t.children:
                walk(t.children)

    walk(MD.parse(md))
    return out


def tables(md: str) -> list[list[list[str]]]:
    """Each table as rows of cell source texts (header row first)."""
    result: list[list[list[str]]] = []
    rows: list[list[str]] = []
    row: list[str] | None = None
    for t in MD.parse(md):
        if t.type == "table_open":
            rows = []
        elif t.type == "tr_open":
            row = []
        elif t.type == "inline" and row is not None:
            row.append(t.content)
        elif t.type == "tr_close" and row is not None:
            rows.append(row)
            row = None
        elif t.type == "table_close":
            result.append(rows)
    return result


def raw_html(md: str) -> tuple[list[str], list[str]]:
    ts = tokens(md)
    inline = [t.content for t in ts if t.type == "html_inline"]
    blocks = [t.content.strip() for t in ts if t.type == "html_block"]
    return inline, blocks


def assert_safe(md: str) -> None:
    inline, blocks = raw_html(md)
    assert set(inline) <= ALLOWED_INLINE_HTML, set(inline) - ALLOWED_INLINE_HTML
    for b in blocks:
        assert re.fullmatch(
            r"(</?details>|<details>\n<summary>[^<>]*</summary>|<!-- pipesec:report -->)", b
        ), b
    html = MD.render(md)
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert 'href="javascript:' not in html


def md(report: ScanReport, **kw: Any) -> str:
    return render(report, **kw)


def test_verdict_first_with_reasons() -> None:
    out = md(full_report())
    lines = out.splitlines()
    assert lines[0] == "## \u274c pipesec: gate failed"
    assert lines[2].startswith("- 2 findings of severity high or above")
    assert out.index("gate failed") < out.index("| 1 | 2 | 3 | 2 | 1 | 3 | 3 | 2 |")


@pytest.mark.parametrize(
    ("gate", "head"),
    [
        (GateResult(True, 0), "## \u2705 pipesec: gate passed"),
        (GateResult(False, 3, ["1 input could not be processed"]), "gate failed (inputs could"),
        (None, "gate not evaluated"),
    ],
)
def test_verdicts(gate: GateResult | None, head: str) -> None:
    r = full_report()
    r.gate = gate
    assert head in md(r).splitlines()[0]


def test_counts_table() -> None:
    counts = tables(md(full_report()))[0]
    assert [c.split()[-1] for c in counts[0][:5]] == ["Critical", "High", "Medium", "Low", "Info"]
    assert counts[1] == ["1", "2", "3", "2", "1", "3", "3", "2"]


def test_findings_table_one_row_per_finding() -> None:
    report = full_report()
    findings = tables(md(report))[1]
    assert findings[0] == ["Severity", "Rule", "Location", "Finding"]
    assert len(findings) == 1 + len(report.findings)
    for row, f in zip(findings[1:], report.findings, strict=True):
        assert len(row) == 4
        assert f.severity.value in row[0]
    secret_row = findings[1]
    assert "secrets/aws-access-key-id" in secret_row[1]
    assert "config/settings.py:4:22" in secret_row[2]
    assert "AKIA\\*\\*\\*\\*\\*" in secret_row[3]  # the redacted snippet, escaped
    lineless = next(r for r in findings if "no-secret-scanning" in r[1])
    assert lineless[2] == "<code>.gitlab-ci.yml</code>"
    dep = next(r for r in findings if "vulnerable-package" in r[1])
    assert "<code>requests 2.19.0</code>" not in dep[3]  # the message names it already
    container = next(r for r in findings if "os-package" in r[1])
    assert "<code>openssl 3.0.11-1\\~deb12u1</code>" not in container[3]
    r = full_report()
    r.findings = [replace(r.findings[2], message="vulnerable package")]
    assert "<code>requests 2.19.0</code>" in tables(md(r))[1][1][3]


def test_hostile_text_is_escaped() -> None:
    out = md(full_report())
    assert_safe(out)
    html = MD.render(out)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, not run
    assert "@octocat" not in html  # no notification
    assert "@\u200boctocat" in html
    assert "\x1b" not in out
    row = next(r for r in tables(out)[1] if "weird" in r[1])
    assert len(row) == 4  # the | in the rule id, path and message did not split cells
    cell = MD.renderInline(row[3])
    assert "<em>" not in cell and "<strong>" not in cell and "<a " not in cell
    assert "*bold* _it_ [link](javascript:alert(1))" in cell


def test_text_escaping_unit() -> None:
    assert text("a|b") == "a\\|b"
    assert text("`x`") == "\\`x\\`"
    assert text("<b>") == "&lt;b&gt;"
    assert text("hi @team") == "hi @\u200bteam"
    assert text("user@example.com") == "user@example.com"
    assert text("one\ntwo") == "one<br>two"
    assert text("x" * 50, limit=10) == "x" * 9 + "\u2026"
    assert text("- x") == "\\- x"
    assert text("  1. x") == "1\\. x"
    assert text("12) x") == "12\\) x"
    assert text("a - b 1. c") == "a - b 1. c"


@pytest.mark.parametrize("reason", ["- nested", "1. ordered", "---", "# heading", "> quote"])
def test_list_items_stay_flat(reason: str) -> None:
    r = full_report()
    assert r.gate is not None
    r.gate.reasons = [reason]
    html = MD.render(md(r))
    first_list = html[html.index("<ul>") : html.index("</ul>")]
    assert "<ol" not in first_list and "<ul" not in first_list[4:]
    assert "<hr" not in first_list and "<h1" not in first_list and "<blockquote" not in first_list


def test_details_sections() -> None:
    out = md(full_report())
    assert out.count("<details>") == out.count("</details>") == 3
    assert "<summary>Suppressed findings (3)</summary>" in out
    assert "Errors: inputs that could not be processed (3)</summary>" in out
    assert "<summary>Notes: inputs skipped on purpose (2)</summary>" in out
    suppressed = tables(out)[3]
    assert suppressed[0] == ["Severity", "Rule", "Location", "How", "Justification", "Source"]
    assert [r[3] for r in suppressed[1:]] == ["inline", "baseline", "exception"]
    assert "&lt;b&gt;legacy&lt;/b&gt;" in suppressed[3][4]
    assert "infra/main.tf:3:7: unexpected token" in out


def test_posture_matrix() -> None:
    out = md(full_report())
    assert "### Pipeline posture" in out
    assert "- <code>.github/workflows/ci.yml</code>: 1 of 2 gates present\n" in out
    assert "- <code>.gitlab-ci.yml</code>: 0 of 1 gates present\n" in out
    posture = tables(out)[2]
    assert posture[0] == [
        "Gate",
        "<code>.github/workflows/ci.yml</code>",
        "<code>.gitlab-ci.yml</code>",
    ]
    rows = {r[0]: r[1:] for r in posture[1:]}
    assert rows["secret scanning"] == ["\u2705 present<br><sub>pipesec scan</sub>", "\u2014"]
    assert rows["dependency scanning"][0] == "\u274c missing<br><sub>no SCA step</sub>"
    assert rows["SAST"] == ["\u2014", "\u274c missing<br><sub>no sast job | include</sub>"]
    assert_safe(out)


def test_posture_rows_for_many_pipelines() -> None:
    r = full_report()
    r.posture = [
        PostureCheck(f"ci/{n}.yml", gate, n % 2 == 0, "")
        for n in range(6)
        for gate in ("sast", "sca")
    ]
    out = md(r)
    posture = tables(out)[2]
    assert posture[0] == ["Pipeline", "Gate", "Status"]
    assert len(posture) == 1 + 12
    assert posture[1] == ["<code>ci/0.yml</code>", "sast", "\u2705 present"]
    assert "- <code>ci/1.yml</code>: 0 of 2 gates present; missing: sast, sca" in out


def test_no_posture_section_without_checks() -> None:
    r = full_report()
    r.posture = []
    assert "Pipeline posture" not in md(r)


def test_empty_and_errors_only() -> None:
    out = md(empty_report())
    assert out.startswith("## \u2705 pipesec: gate passed")
    assert "**0 findings**" in out
    assert "### Findings" not in out and "<details>" not in out
    out = md(errors_only_report())
    assert "gate failed (inputs could not be processed)" in out
    assert "### Findings" not in out
    assert "Errors: inputs that could not be processed (3)" in out


def many(n: int, message: str = "m" * 300) -> ScanReport:
    r = full_report()
    base = r.findings[0]
    r.findings = [
        replace(
            base,
            rule_id=f"iac/rule-{i % 40}",
            scanner="iac",
            snippet="",
            message=f"{message} {i}",
            location=Location(f"infra/module-{i}/main.tf", i + 1),
            fingerprint=f"{i:032x}",
        )
        for i in range(n)
    ]
    r.suppressed = r.suppressed * 200
    r.notes = r.notes * 500
    return r


def test_size_cap_truncates_with_a_note() -> None:
    r = many(3000)
    out = md(r)
    assert len(out.encode("utf-8")) <= MAX_BYTES
    assert out.startswith("## \u274c pipesec: gate failed")
    assert "**Report truncated** to stay within 65,000 bytes" in out
    m = re.search(r"\u2026 and (\d+) more findings not shown: the JSON report", out)
    assert m
    shown = len(tables(out)[1]) - 1
    assert shown + int(m.group(1)) == 3000
    assert out.count("<details>") == out.count("</details>")
    assert out.rstrip().endswith("JSON reports</sub>\n\n<!-- pipesec:report -->")
    assert_safe(out)


def test_cap_counts_bytes_of_multibyte_text() -> None:
    out = md(many(2000, message="\u5bc6\U0001f511" * 150))
    assert len(out.encode("utf-8")) <= MAX_BYTES
    assert len(out.encode("utf-16-le")) // 2 <= MAX_BYTES
    assert "Report truncated" in out


@pytest.mark.parametrize("limit", [1500, 4000, 20_000])
def test_small_caps_still_hold(limit: int) -> None:
    out = md(many(500), max_bytes=limit)
    assert len(out.encode("utf-8")) <= limit
    assert out.startswith("## \u274c pipesec: gate failed")
    assert "Report truncated" in out
    assert out.count("<details>") == out.count("</details>")


def test_marker_for_sticky_comments() -> None:
    for r in (full_report(), empty_report(), many(3000)):
        assert md(r).splitlines()[-1] == "<!-- pipesec:report -->"


def test_no_truncation_note_when_it_fits() -> None:
    assert "truncated" not in md(full_report())


def test_links_on_github_actions() -> None:
    base = github_blob_base(ENV)
    assert base == "https://github.com/acme/shop/blob/0123456789abcdef0123456789abcdef01234567/"
    out = md(full_report(), blob_base=base)
    assert f"]({base}config/settings.py#L4)" in out
    assert f"]({base}.gitlab-ci.yml)" in out  # no line, no anchor
    assert f"]({base}dir%20with%20space/we%7Cird%60file%3Cx%3E.py#L7)" in out
    html = MD.render(out)
    assert f'href="{base}requirements.txt#L3"' in html
    assert_safe(out)


def test_links_for_findings_from_history() -> None:
    base = github_blob_base(ENV)
    r = full_report()
    sha = "f00dfeed" * 5
    r.findings = [
        replace(r.findings[0], location=Location("old/creds.env", 2, commit=sha)),
        replace(r.findings[0], location=Location("odd.env", 2, commit="not-a-sha")),
    ]
    out = md(r, blob_base=base)
    assert f"](https://github.com/acme/shop/blob/{sha}/old/creds.env#L2)" in out
    assert "<code>odd.env:2 @not-a-sha</code> |" in out  # shown, not linked


@pytest.mark.parametrize(
    "env",
    [
        {},
        {**ENV, "GITHUB_SHA": "main; rm -rf"},
        {**ENV, "GITHUB_SERVER_URL": "javascript:alert(1)//"},
        {**ENV, "GITHUB_REPOSITORY": "acme/shop)(x"},
    ],
)
def test_no_links_without_a_sane_github_env(env: dict[str, str]) -> None:
    assert github_blob_base(env) is None


def test_writer_reads_env(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in ENV.items():
        monkeypatch.setenv(k, v)
    assert b"https://github.com/acme/shop/blob/" in write("markdown", full_report())
    from io import BytesIO

    buf = BytesIO()
    MarkdownWriter(env={}).write(full_report(), buf)
    assert b"https://github.com/acme/shop/blob/" not in buf.getvalue()


def test_hostile_fixture_is_really_hostile() -> None:
    assert "|" in HOSTILE and "`" in HOSTILE and "<script>" in HOSTILE
    assert "|" in hostile_finding().location.path


printable = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=200)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(message=printable, path=printable, snippet=printable, rule=printable, why=printable)
def test_any_text_keeps_the_structure(
    message: str, path: str, snippet: str, rule: str, why: str
) -> None:
    r = full_report()
    f = Finding(
        rule_id=rule or "x/y",
        scanner="imported",
        title="t",
        message=message,
        severity=Severity.HIGH,
        location=Location(path, 3),
        snippet=snippet,
    )
    r.findings = [f, *r.findings]
    r.suppressed = [replace(r.suppressed[0], justification=why)]
    assert r.gate is not None
    r.gate.reasons = [why, message]
    r.errors = [replace(r.errors[0], path=path, message=message)]
    out = md(r, blob_base=github_blob_base(ENV))
    ts = tables(out)
    assert len(ts[0]) == 2  # the counts table is still where it was
    assert len(ts[1]) == 1 + len(r.findings)
    assert all(len(row) == 4 for row in ts[1])
    assert all(len(row) == 6 for row in ts[3])
    assert_safe(out)
    html = MD.render(out)
    reasons = html[html.index("<ul>") : html.index("</ul>") + 5]
    assert reasons.count("<li>") == 2 and reasons.count("<ul>") == 1
    assert "<ol" not in reasons and "<h" not in reasons and "<hr" not in reasons


def test_blank_lines_never_become_a_lone_line_break() -> None:
    assert text("\n") == ""
    assert text("a\n\nb") == "a<br>b"
    assert not text("\nreason").startswith("<br>")
