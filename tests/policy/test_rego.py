"""Rego policies (conftest conventions) over the report: eval, test, scan, library."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from tests.conftest import FIXTURES, finding, git
from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.core.model import (
    Component,
    PostureCheck,
    ScanReport,
    Severity,
    SuppressedFinding,
    Vulnerability,
)
from pipesec.policy import rego, rego_gate, rego_input, rego_sources
from pipesec.report.json_report import WRITER as JSON_WRITER

POLICIES = FIXTURES / "policy"
STYLE = POLICIES / "conftest_style"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def sample_report() -> ScanReport:
    vuln = Vulnerability("GHSA-1234", severity=Severity.HIGH, fixed_versions=("2.3.3",))
    flask = Component("PyPI", "flask", "0.12", purl="pkg:pypi/flask@0.12", licenses=("BSD-3",))
    return ScanReport(
        root=".",
        findings=[
            finding("bandit/B602", "app/run.py", 4, Severity.HIGH, "sast"),
            finding("bandit/B602", "tools/run.py", 9, Severity.HIGH, "sast"),
            finding("gha/unpinned-uses", ".github/workflows/ci.yml", 12, Severity.MEDIUM),
            finding(
                "deps/vulnerable-package",
                "requirements.txt",
                1,
                Severity.HIGH,
                "deps",
                component=flask,
                vulnerability=vuln,
            ),
        ],
        suppressed=[
            SuppressedFinding(
                finding("secrets/generic-password", "app/a.py", 2, Severity.LOW, "secrets"),
                "baseline",
                "accepted in 2024",
            )
        ],
        components=[flask],
        posture=[PostureCheck(".github/workflows", "manual-approval", False, "no environment")],
        tool_version="0.1.0",
    )


def saved_report(tmp_path: Path, report: ScanReport | None = None) -> Path:
    out = tmp_path / "report.json"
    with out.open("wb") as fh:
        JSON_WRITER.write(report or sample_report(), fh)
    return out


def eval_json(*args: str) -> tuple[int, dict[str, object], str]:
    code, out, err = run("policy", "eval", "--format", "json", *args)
    return code, (json.loads(out) if out.strip() else {}), err


def test_deny_by_rule_id_and_path_fails_eval(tmp_path: Path) -> None:
    code, doc, _ = eval_json(
        "--input", str(saved_report(tmp_path)), str(STYLE), "--data", str(STYLE / "data.yaml")
    )
    assert code == 1
    rows = doc["results"]
    assert isinstance(rows, list)
    denies = [r for r in rows if r["kind"] == "deny" and not r["excepted"]]
    messages = sorted(r["msg"] for r in denies)
    # bandit/B602 in app/ is denied, the one in tools/ is not; the unpinned action too
    assert messages == [
        "bandit/B602 is not allowed in app/ (app/run.py:4)",
        "pin .github/workflows/ci.yml to a commit",
    ]
    ids = {r["rule_id"] for r in denies}
    assert ids == {"policy/main/deny", "policy/main/deny_unpinned_actions"}
    named = next(r for r in denies if r["rule_id"].endswith("deny_unpinned_actions"))
    assert named["severity"] == "medium"
    assert named["location"] == {"path": ".github/workflows/ci.yml", "start_line": 12}


def test_warn_by_severity_never_fails(tmp_path: Path) -> None:
    code, doc, _ = eval_json("--input", str(saved_report(tmp_path)), str(STYLE / "warn.rego"))
    assert code == 0
    assert [(r["kind"], r["msg"]) for r in doc["results"]] == [  # type: ignore[union-attr]
        ("warn", "medium finding gha/unpinned-uses at .github/workflows/ci.yml")
    ]


def test_exception_rule_excepts_a_named_deny(tmp_path: Path) -> None:
    report = sample_report()
    report.findings = [
        finding("gha/unpinned-uses", ".github/workflows/release.yml", 3, Severity.MEDIUM)
    ]
    code, doc, _ = eval_json(
        "--input", str(saved_report(tmp_path, report)), str(STYLE), "-d", str(STYLE / "data.yaml")
    )
    assert code == 0
    rows = doc["results"]
    assert [(r["rule_id"], r["excepted"]) for r in rows if r["kind"] == "deny"] == [  # type: ignore[union-attr]
        ("policy/main/deny_unpinned_actions", True)
    ]


def test_data_documents_json_and_yaml_are_merged(tmp_path: Path) -> None:
    data = tmp_path / "more.json"
    data.write_text(json.dumps({"blocked": {"rules": ["gha/unpinned-uses"]}}))
    report = sample_report()
    report.findings = [finding("gha/unpinned-uses", "app/x.yml", 2, Severity.LOW)]
    code, doc, _ = eval_json(
        "--input", str(saved_report(tmp_path, report)), str(STYLE / "deny.rego"), "-d", str(data)
    )
    assert code == 1
    assert "gha/unpinned-uses is not allowed in app/ (app/x.yml:2)" in [
        r["msg"]
        for r in doc["results"]  # type: ignore[union-attr]
    ]


def test_older_v0_syntax_is_read(tmp_path: Path) -> None:
    report = sample_report()
    report.findings[0] = finding("secrets/aws", "app/k.py", 1, Severity.CRITICAL, "secrets")
    code, doc, _ = eval_json("--input", str(saved_report(tmp_path, report)), str(POLICIES / "v0"))
    assert code == 1
    assert [r["msg"] for r in doc["results"]] == ["critical: secrets/aws"]  # type: ignore[union-attr]


def test_namespace_selects_the_package(tmp_path: Path) -> None:
    pol = tmp_path / "p.rego"
    pol.write_text('package team.rules\nimport rego.v1\ndeny contains "no" if true\n')
    report = str(saved_report(tmp_path))
    assert eval_json("--input", report, str(pol))[0] == 0  # main: nothing there
    code, doc, _ = eval_json("--input", report, str(pol), "--namespace", "team.rules")
    assert code == 1
    assert doc["results"][0]["rule_id"] == "policy/team.rules/deny"  # type: ignore[index]


def test_policy_test_exit_codes() -> None:
    data = str(STYLE / "data.yaml")
    code, out, _ = run("policy", "test", str(STYLE), "-d", data)
    assert code == 0 and "PASS: 3/3" in out
    code, out, _ = run("policy", "test", str(POLICIES / "failing"))
    assert code == 1
    assert "data.main.test_fails: FAIL" in out and "test_passes" not in out
    code, _, err = run("policy", "test", str(POLICIES / "broken"))
    assert code == 2
    assert "broken/syntax.rego:6:" in err


def test_syntax_error_is_a_usage_error_naming_file_and_line(tmp_path: Path) -> None:
    code, _, err = run(
        "policy", "eval", "--input", str(saved_report(tmp_path)), str(POLICIES / "broken")
    )
    assert code == 2
    assert err.startswith("pipesec: error: ") and "syntax.rego:6:9: expecting" in err
    assert len(err.strip().splitlines()) == 1


def test_runtime_error_names_file_and_line(tmp_path: Path) -> None:
    code, _, err = run(
        "policy", "eval", "--input", str(saved_report(tmp_path)), str(POLICIES / "runtime")
    )
    assert code == 2
    assert "runtime/divide.rego:7:" in err and "divide by zero" in err


def test_undefined_function_is_a_policy_error(tmp_path: Path) -> None:
    pol = tmp_path / "u.rego"
    pol.write_text("package main\nimport rego.v1\ndeny contains m if {\n  m := nope(1)\n}\n")
    code, _, err = run("policy", "eval", "--input", str(saved_report(tmp_path)), str(pol))
    assert code == 2
    assert "u.rego:4:" in err and "nope" in err


def test_policy_past_its_budget_fails_closed(tmp_path: Path) -> None:
    code, _, err = run(
        "policy",
        "eval",
        "--timeout",
        "0.5",
        "--input",
        str(saved_report(tmp_path)),
        str(POLICIES / "slow"),
    )
    assert code == 3
    assert "budget" in err


def test_print_in_a_policy_cannot_corrupt_stdout(tmp_path: Path) -> None:
    pol = tmp_path / "p.rego"
    pol.write_text('package main\nimport rego.v1\ndeny contains "x" if { print("NOISE") }\n')
    code, doc, _ = eval_json("--input", str(saved_report(tmp_path)), str(pol))
    assert code == 1 and doc["denied"] is True


def test_library_tests_pass_and_cover_every_policy() -> None:
    loaded = rego_sources.load([rego_sources.ALL], [], rego_sources.OperatorFS(), tests=True)
    results = rego.run_tests(loaded.modules)
    assert results and all(r.passed for r in results), [r for r in results if not r.passed]
    per_package: dict[str, int] = {}
    for r in results:
        per_package[r.package] = per_package.get(r.package, 0) + 1
    for name in rego_sources.library():
        # each built-in has a denied (vulnerable) and a passing (safe) case
        assert per_package.get(f"builtin.{name.replace('-', '_')}_test", 0) >= 2, name


def test_policy_list_names_every_builtin() -> None:
    code, out, _ = run("policy", "list", "--json")
    assert code == 0
    names = {e["name"] for e in json.loads(out)}
    assert {
        "builtin:no-critical",
        "builtin:no-fixable-high",
        "builtin:licenses",
        "builtin:no-secrets",
        "builtin:deploy-controls",
        "builtin:exceptions-owner-expiry",
        "builtin:vulndb-fresh",
        "builtin:signed-artifacts",
    } <= names


def test_input_document_matches_its_schema() -> None:
    code, out, _ = run("policy", "schema")
    assert code == 0
    schema = json.loads(out)
    ctx = rego_input.context_from_env({"GITHUB_ACTIONS": "true", "GITHUB_REF_NAME": "main"})
    settings = rego_input.GateSettings(fail_on="high")
    doc = rego_input.build(sample_report(), settings, ctx).model_dump(mode="json")
    jsonschema.validate(doc, schema)
    assert doc["input_version"] == "1"
    assert doc["context"]["ci_provider"] == "github-actions"
    assert doc["context"]["branch"] == "main"
    assert doc["vulnerabilities"][0]["fixable"] is True
    assert doc["vulnerabilities"][0]["package"]["name"] == "flask"


def test_builtin_library_over_a_report(tmp_path: Path) -> None:
    code, doc, _ = eval_json(
        "--input",
        str(saved_report(tmp_path)),
        "builtin:no-fixable-high",
        "builtin:no-secrets",
        "builtin:deploy-controls",
        "builtin:no-critical",
    )
    assert code == 1
    ids = sorted(r["rule_id"] for r in doc["results"])  # type: ignore[union-attr]
    assert ids == [
        "policy/builtin.deploy_controls/deny",  # no manual approval
        "policy/builtin.no_fixable_high/deny",  # flask 0.12, fixed in 2.3.3
        "policy/builtin.no_secrets/deny",  # the baselined password
    ]


def test_scan_deny_fails_gate_whatever_fail_on_says(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    (root / "policy").mkdir(parents=True)
    (root / "policy" / "gate.rego").write_text(
        "package main\nimport rego.v1\n"
        'deny contains "a README is required" if {\n'
        '  not "README.md" in input.context.changed_files\n}\n'
        'warn contains "just saying" if true\n'
    )
    (root / ".pipesec.toml").write_text('[gate]\npolicies = ["policy/"]\nfail-on = "critical"\n')
    out_json = tmp_path / "r.json"
    code, out, _ = run(
        "scan", str(root), "--scanner", "imported", "--no-progress", "-o", f"json={out_json}"
    )
    assert code == 1
    assert "1 policy denial: policy/main/deny: a README is required" in out
    report = json.loads(out_json.read_text())
    kinds = sorted((f["rule_id"], f["properties"]["policy_kind"]) for f in report["findings"])
    assert kinds == [("policy/main/deny", "deny"), ("policy/main/warn", "warn")]
    rules = {r["id"]: r for r in report["rules"]}
    assert "fail the gate whatever fail-on says" in rules["policy/main/deny"]["rationale"]
    assert "never fail the gate" in rules["policy/main/warn"]["rationale"]


def test_scan_warn_only_passes(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    pol = tmp_path / "w.rego"
    pol.write_text(
        'package main\nimport rego.v1\nwarn contains {"msg": "w", "severity": "critical"} if true\n'
    )
    code, out, _ = run(
        "scan", str(root), "--scanner", "imported", "--no-progress", "--policy", str(pol)
    )
    assert code == 0, out
    assert "1 policy warning" in out


def test_tree_policy_paths_stay_inside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    (tmp_path / "outside.rego").write_text("package main\n")
    fs = rego_sources.TreeFS(root)
    with pytest.raises(rego.UsageError, match="inside the scan root"):
        rego_sources.load(["../outside.rego"], [], fs)
    (root / "link.rego").symlink_to(tmp_path / "outside.rego")
    with pytest.raises(rego.UsageError, match="symlink"):
        rego_sources.load(["link.rego"], [], fs)
    (root / "pol").mkdir()
    (root / "pol" / "ok.rego").write_text("package main\n")
    (root / "pol" / "evil.rego").symlink_to(tmp_path / "outside.rego")
    assert [m.name for m in rego_sources.load(["pol"], [], fs).modules] == ["pol/ok.rego"]


def test_policy_messages_are_redacted(tmp_path: Path) -> None:
    key = "AKIA" + "Z7QXW2PLMN4RT6YB"
    outcome = rego.Outcome([rego.Result("main", "deny", "deny", f"leaked {key}")])
    report = ScanReport(root=".")
    rego_gate.add_results(report, outcome)
    assert key not in report.findings[0].message


def test_owner_field_on_exceptions(tmp_path: Path) -> None:
    from pipesec.core.config import validate

    cfg = validate({"exceptions": [{"rule": "a/b", "reason": "r", "owner": "team-x"}]}, "test")
    assert cfg.exceptions[0].owner == "team-x"


DENY_ALWAYS = 'package main\nimport rego.v1\ndeny contains "base policy denies" if true\n'


def test_pr_mode_reads_tree_policies_from_the_base_revision(make_repo: Any) -> None:
    root = make_repo(
        {
            ".pipesec.toml": '[gate]\npolicies = ["policy/"]\n',
            "policy/gate.rego": DENY_ALWAYS,
            "README.md": "# x\n",
        }
    )
    # the pull request rewrites the policy so that it denies nothing, and adds a symlink
    (root / "policy" / "gate.rego").write_text("package main\n")
    args = ("scan", str(root), "--scanner", "imported", "--no-progress")
    code, out, _ = run(*args)
    assert code == 0, out  # a plain scan reads the working tree
    code, out, _ = run(*args, "--diff-base", "HEAD")
    assert code == 1, out
    assert "policy/main/deny: base policy denies" in out


def test_pr_mode_policy_missing_at_base_is_a_usage_error(make_repo: Any) -> None:
    # in PR mode the configuration, too, comes from the base revision
    root = make_repo({"README.md": "# x\n", ".pipesec.toml": '[gate]\npolicies = ["policy/"]\n'})
    (root / "policy").mkdir()
    (root / "policy" / "gate.rego").write_text(DENY_ALWAYS)
    code, _, err = run("scan", str(root), "--scanner", "imported", "--diff-base", "HEAD")
    assert code == 2
    assert "policy/: not found at HEAD" in err


def test_git_ref_fs_skips_symlinks(make_repo: Any, tmp_path: Path) -> None:
    root = make_repo({"policy/ok.rego": "package main\n"})
    (tmp_path / "outside.rego").write_text(DENY_ALWAYS)
    (root / "policy" / "evil.rego").symlink_to(tmp_path / "outside.rego")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "link")
    fs = rego_sources.GitRefFS(root, "HEAD")
    loaded = rego_sources.load(["policy"], [], fs)
    assert [m.name for m in loaded.modules] == ["policy/ok.rego"]
    assert loaded.modules[0].text == "package main\n"


def test_memory_hungry_policy_fails_closed(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(rego, "MEMORY_BUDGET", 256 * 2**20)  # the forked child inherits it
    pol = tmp_path / "big.rego"
    pol.write_text(
        "package main\nimport rego.v1\n"
        "big := [x | some x in numbers.range(1, 400000000)]\n"
        'deny contains "x" if { count(big) > 0 }\n'
    )
    code, _, err = run("policy", "eval", "--input", str(saved_report(tmp_path)), str(pol))
    assert code == 3
    assert "memory budget" in err


def test_a_tree_policy_reaches_no_network(tmp_path: Path) -> None:
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        pol = tmp_path / "leak.rego"
        url = f"http://127.0.0.1:{server.server_address[1]}/leak"
        pol.write_text(
            "package main\nimport rego.v1\n"
            f'deny contains "sent" if {{ http.send({{"method": "get", "url": "{url}"}}) }}\n'
        )
        code, doc, _ = eval_json("--input", str(saved_report(tmp_path)), str(pol))
    finally:
        server.shutdown()
    assert hits == []
    assert code == 0 and doc["results"] == []


def test_eval_of_a_saved_scan_gives_the_scans_results(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    pol = tmp_path / "every.rego"
    pol.write_text(
        "package main\nimport rego.v1\n"
        'warn contains sprintf("%s", [f.rule_id]) if { some f in input.findings }\n'
        'deny contains "always" if true\n'
    )
    saved = tmp_path / "r.json"
    args = ("scan", str(root), "--scanner", "imported", "--no-progress", "-q")
    code, _, _ = run(*args, "--policy", str(pol), "-o", f"json={saved}")
    assert code == 1
    # the saved report holds the policy's own results; they are not input to it again
    code, doc, _ = eval_json("--input", str(saved), str(pol))
    assert code == 1
    assert [(r["kind"], r["msg"]) for r in doc["results"]] == [("deny", "always")]  # type: ignore[union-attr]


def test_a_policy_named_in_config_and_on_the_command_line_reports_once(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    (root / ".pipesec.toml").write_text(
        '[gate]\npolicies = ["builtin:signed-artifacts", "p.rego"]\n'
    )
    (root / "p.rego").write_text(DENY_ALWAYS)
    out_json = tmp_path / "r.json"
    code, _, _ = run(
        "scan",
        str(root),
        "--scanner",
        "imported",
        "--no-progress",
        "-q",
        "--policy",
        str(root / "p.rego"),
        "-o",
        f"json={out_json}",
    )
    assert code == 1
    ids = [f["rule_id"] for f in json.loads(out_json.read_text())["findings"]]
    assert ids == ["policy/main/deny"]


def test_eval_reads_standard_input(tmp_path: Path) -> None:
    text = saved_report(tmp_path).read_text()
    result = runner.invoke(
        app, ["policy", "eval", "--input", "-", str(STYLE / "warn.rego")], input=text
    )
    assert result.exit_code == 0
    assert "WARN - policy/main/warn - medium finding gha/unpinned-uses" in result.stdout


def test_eval_output_escapes_control_characters(tmp_path: Path) -> None:
    pol = tmp_path / "forge.rego"
    pol.write_text(
        'package main\nimport rego.v1\ndeny contains "x\\n\\u001b[2KGATE PASSED" if true\n'
    )
    code, out, _ = run("policy", "eval", "--input", str(saved_report(tmp_path)), str(pol))
    assert code == 1
    assert "\x1b" not in out
    assert not any(line.startswith("GATE PASSED") for line in out.splitlines())
