"""The scanner end to end: discovery, findings on a realistic repository, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipesec.core.model import Finding, PostureCheck, ScanError, Severity

from .helpers import findings, scan_tree

FIXTURE = Path(__file__).parents[2] / "fixtures" / "pipelines" / "gha-app"


def test_realistic_repository(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "r")
    items = scan_tree(tmp_path / "r")
    assert not [i for i in items if isinstance(i, ScanError)]
    got = {
        (f.rule_id, f.location.path, f.location.start_line)
        for f in findings(items)
        if f.rule_id != "gha/missing-security-gate"
    }
    wf = ".github/workflows/"
    assert got == {
        ("gha/template-injection-input", ".github/actions/setup/action.yml", 10),
        ("gha/curl-pipe-shell", ".github/actions/setup/action.yml", 10),
        ("gha/dependabot-cooldown", ".github/dependabot.yml", 9),
        ("gha/template-injection-script", wf + "pr-preview.yml", 24),
        ("gha/checkout-persist-credentials", wf + "pr-preview.yml", 13),
        # a note about the pipeline, once, at its directory
        ("gha/undocumented-permissions", ".github/workflows", 0),
        ("gha/dangerous-trigger", wf + "pr-preview.yml", 4),
        ("gha/pwn-request", wf + "pr-preview.yml", 15),
        ("gha/template-injection", wf + "release.yml", 29),
        ("gha/checkout-persist-credentials", wf + "release.yml", 16),
        ("gha/write-all-permissions", wf + "release.yml", 7),
        ("gha/unpinned-uses", wf + "release.yml", 24),
        ("gha/unpinned-uses", wf + "release.yml", 16),
        ("gha/unpinned-uses", wf + "release.yml", 17),
        ("gha/unpinned-uses", wf + "pr-preview.yml", 13),
        ("gha/unpinned-uses", wf + "pr-preview.yml", 16),
        ("gha/unpinned-uses", wf + "pr-preview.yml", 21),
        ("gha/known-vulnerable-action", wf + "release.yml", 27),
        ("gha/unpinned-uses", wf + "release.yml", 27),
        ("gha/cache-poisoning", wf + "release.yml", 17),
        ("gha/workflow-level-secrets", wf + "release.yml", 10),
        ("gha/publish-long-lived-token", wf + "release.yml", 26),
        ("gha/curl-pipe-shell", wf + "release.yml", 22),
    }
    # the clean CI workflow has nothing, not even for its safe expressions
    assert not [
        f
        for f in findings(items)
        if f.location.path.endswith("ci.yml") and f.rule_id != "gha/missing-security-gate"
    ]
    pwn = next(f for f in findings(items) if f.rule_id == "gha/pwn-request")
    assert pwn.severity is Severity.CRITICAL and pwn.location.start_column == 16
    unpinned = [f for f in findings(items) if f.rule_id == "gha/unpinned-uses"]
    assert {f.severity for f in unpinned} == {Severity.HIGH, Severity.MEDIUM}  # branch vs tag
    posture = {p.gate: p for p in items if isinstance(p, PostureCheck)}
    assert set(posture) >= {"secret-scanning", "sast", "manual-approval", "pinned-tools"}
    assert posture["manual-approval"].present and not posture["pinned-tools"].present
    (gates,) = [f for f in findings(items) if f.rule_id == "gha/missing-security-gate"]
    missing = {g for g, p in posture.items() if not p.present}
    assert set(gates.properties["gates"]) == missing
    assert gates.severity is Severity.INFO
    assert (gates.location.path, gates.location.start_line) == (".github/workflows", 0)
    assert f"lacks {len(missing)} security gates" in gates.message
    assert "pipesec scan" in gates.properties["job_snippets"]["sast"]
    (undoc,) = [f for f in findings(items) if f.rule_id == "gha/undocumented-permissions"]
    assert undoc.severity is Severity.INFO
    assert undoc.properties["places"] == [wf + "pr-preview.yml:11"]
    assert "1 write permission has no comment" in undoc.message


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("on: push\njobs: [1\n", 3, "invalid YAML"),
        ("on: push\njobs: {}\non: pull_request\n", 3, "duplicate key"),
        ("- on: push\n- jobs: {}\n", 1, "must be a mapping"),
        ("", 0, "must be a mapping"),
        (
            "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
            0,
            "YAML bomb",
        ),
    ],
)
def test_bad_workflows_give_precise_errors(
    tmp_path: Path, text: str, line: int, needle: str
) -> None:
    items = scan_tree(
        tmp_path,
        {
            ".github/workflows/bad.yml": text,
            ".github/workflows/good.yml": "on: push\njobs:\n  a:\n    runs-on: x\n"
            "    steps:\n      - run: curl https://x.sh | sh\n",
        },
    )
    errors = [i for i in items if isinstance(i, ScanError)]
    assert len(errors) == 1
    assert errors[0].path == ".github/workflows/bad.yml" and needle in errors[0].message
    if line:
        assert errors[0].line == line
    # the good file is still scanned
    assert any(f.rule_id == "gha/curl-pipe-shell" for f in findings(items))


def test_unknown_keys_and_odd_shapes_do_not_crash(tmp_path: Path) -> None:
    items = scan_tree(
        tmp_path,
        {
            ".github/workflows/odd.yml": "on: [push]\nfoo: bar\njobs:\n  a: 3\n  b:\n"
            "    steps: notalist\n  c:\n    steps:\n      - 7\n      - uses: 5\n      - run: [1]\n"
            "    runs-on: {labels: [self-hosted]}\n    permissions: 12\n",
            ".gitlab-ci.yml": "- just\n- a list\n",
            "action.yml": "not: an action\n",
        },
    )
    errors = [i for i in items if isinstance(i, ScanError)]
    assert [e.path for e in errors] == [".gitlab-ci.yml"]


def test_enormous_file_is_fast_enough_to_finish(tmp_path: Path) -> None:
    steps = "".join(f"      - run: echo {i} ${{{{ github.sha }}}}\n" for i in range(5000))
    items = scan_tree(
        tmp_path,
        {
            ".github/workflows/big.yml": "on: push\npermissions: {}\njobs:\n  a:\n"
            "    runs-on: ubuntu-latest\n    steps:\n" + steps
        },
    )
    assert not [i for i in items if isinstance(i, ScanError)]


def test_disabled_rules_and_options(tmp_path: Path) -> None:
    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.workspace import Workspace
    from pipesec.scanners.pipelines import PipelinesScanner, PipelinesSettings

    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / ".github/workflows/a.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - uses: acme/tool@v1\n"
    )
    opts = PipelinesSettings.model_validate({"trusted-owners": ["acme"], "posture": False})
    items = list(
        PipelinesScanner().scan(
            Workspace(tmp_path, use_git=False),
            ScannerSettings(
                options=opts.model_dump(), disabled_rules=frozenset({"gha/missing-permissions"})
            ),
        )
    )
    ids = {i.rule_id for i in items if isinstance(i, Finding)}
    assert "gha/missing-permissions" not in ids
    units = [i for i in items if isinstance(i, Finding) and i.rule_id == "gha/unpinned-uses"]
    assert [u.location.start_line for u in units] == [6]  # actions/ is not trusted, acme/ is
    assert not [i for i in items if isinstance(i, PostureCheck)]


def test_process_pool_gives_the_same_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipesec.scanners.pipelines import analyze

    files = {
        f".github/workflows/w{i}.yml": "name: w\non: pull_request_target\njobs:\n  a:\n"
        f"    runs-on: x\n    steps:\n      - run: echo ${{{{ github.head_ref }}}} {i}\n"
        for i in range(6)
    }
    sequential = scan_tree(tmp_path / "a", files)
    monkeypatch.setattr(analyze, "POOL_FILES", 2)
    monkeypatch.setenv("PIPESEC_PIPELINE_WORKERS", "2")
    pooled = scan_tree(tmp_path / "b", files)

    def key(items: list[object]) -> list[tuple[str, str, int]]:
        return sorted((f.rule_id, f.location.path, f.location.start_line) for f in findings(items))

    assert key(pooled) == key(sequential)
    assert len([i for i in pooled if isinstance(i, PostureCheck)]) == 11


def test_local_osv_database_adds_github_actions_advisories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json as _json

    from pipesec.vulndb.store import import_records

    records = tmp_path / "osv"
    records.mkdir()
    (records / "GHSA-test-0001.json").write_text(
        _json.dumps(
            {
                "schema_version": "1.6.0",
                "id": "GHSA-test-0001",
                "modified": "2025-01-01T00:00:00Z",
                "summary": "acme/deploy-action leaks the deploy key",
                "affected": [
                    {
                        "package": {"ecosystem": "GitHub Actions", "name": "acme/deploy-action"},
                        "ranges": [
                            {
                                "type": "ECOSYSTEM",
                                "events": [{"introduced": "0"}, {"fixed": "2.0.0"}],
                            }
                        ],
                    }
                ],
            }
        )
    )
    db = tmp_path / "osv.sqlite"
    import_records(db, [records])
    monkeypatch.setenv("PIPESEC_DB", str(db))
    items = scan_tree(
        tmp_path / "repo",
        {
            ".github/workflows/d.yml": "on: push\npermissions: {}\njobs:\n  d:\n    runs-on: x\n"
            "    steps:\n      - uses: acme/deploy-action@v1.4.0\n"
            "      - uses: acme/deploy-action@v2.1.0\n"
            "      - uses: tj-actions/changed-files@v45\n",
        },
    )
    vulns = [f for f in findings(items) if f.rule_id == "gha/known-vulnerable-action"]
    got = sorted((f.location.start_line, f.properties.get("source", "shipped")) for f in vulns)
    assert got == [(7, "osv-database"), (9, "shipped")]


def test_no_process_pool_on_two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipesec.scanners.pipelines import analyze

    monkeypatch.delenv("PIPESEC_PIPELINE_WORKERS", raising=False)
    monkeypatch.setattr(analyze.os, "cpu_count", lambda: 2)
    assert analyze._workers(5000) == 1
    monkeypatch.setattr(analyze.os, "cpu_count", lambda: 8)
    assert analyze._workers(5000) == 4
    assert analyze._workers(10) == 1
    monkeypatch.setattr(analyze.os, "cpu_count", lambda: 2)
    monkeypatch.setenv("PIPESEC_PIPELINE_WORKERS", "2")
    assert analyze._workers(5000) == 2


def test_is_prod_deploy_is_computed_once_per_job() -> None:
    from pipesec.core.yamlpos import load
    from pipesec.scanners.pipelines import gha_hygiene
    from pipesec.scanners.pipelines.gha_model import build

    doc = load(
        "w.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: x\n    environment: production\n"
        "    steps:\n      - run: ./deploy.sh\n",
    )
    wf = build(doc, "workflow")
    job = wf.jobs[0]
    assert job.prod_deploy is None
    assert gha_hygiene.is_prod_deploy(job) is True
    assert job.prod_deploy is True


_EVIDENCE_WORDS = [
    "checkov",
    "xcheckov",
    "Trivy  Config .",
    "trivy image",
    "tfsec_",
    "KICS",
    "run pipesec scan .",
    "pipesecscan",
    "gitleaks",
    "secret-detection",
    "Secret-Detection",
    "iac-sast",
    "SAST-IaC",
    "echo",
    "\n",
    " ",
    "-",
    "é",
]


@given(st.lists(st.sampled_from(_EVIDENCE_WORDS), max_size=12))
def test_keyword_led_evidence_search_is_the_plain_search(words: list[str]) -> None:
    from pipesec.scanners.pipelines import posture

    assert {"iac-scan", "secret-scanning"} <= posture._KEYWORD_LED
    blob = "".join(words)
    for gate, rx in posture.EVIDENCE.items():
        want = rx.search(blob)
        got = posture._first_match(gate, blob, blob.lower())
        assert (got and (got.span(), got.group())) == (want and (want.span(), want.group()))


def test_regex_not_led_by_keywords_is_recognised() -> None:
    import re

    from pipesec.scanners.pipelines import posture

    assert not posture._keyword_led(re.compile(r"npm\s+audit|\bbandit\b"), ("audit", "bandit"))
    assert not posture._keyword_led(re.compile(r"abc"), ("abc",))  # no alternation
    assert posture._keyword_led(re.compile(r"\bab\b|cd\s+x", re.I), ("ab", "cd"))
