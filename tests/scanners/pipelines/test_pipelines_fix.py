"""pipesec fix: text edits that remove the finding and leave every other line alone."""

from __future__ import annotations

import difflib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.core.errors import NetworkError
from pipesec.scanners.pipelines.analyze import all_rules
from pipesec.scanners.pipelines.fix import FIXABLE, fix_text, github_resolver

from .helpers import analyze, example_path, rule_ids

RULES = {r.id: r for r in all_rules()}


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


@pytest.mark.parametrize("rid", FIXABLE)
def test_fix_removes_finding_of_each_fixable_rule(rid: str) -> None:
    rule = RULES[rid]
    path = example_path(rule)
    before = rule.vulnerable_example
    ff = fix_text(path, before, rules={rid})
    assert ff.changed and rid in ff.fixed_rules
    res = analyze(path, ff.fixed)
    assert not res.errors
    assert rid not in rule_ids(res)
    removed, _added = _changed_lines(before, ff.fixed)
    assert len(removed) <= 2  # only the offending lines are rewritten


WORKFLOW = """# Triage new pull requests.
name: triage   # keep this name: branch protection refers to it

on:
  pull_request_target:
    types: [opened]

jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4   # shallow clone
        with:
          fetch-depth: 1
      - name: Greet
        run: |
          echo "Hello ${{ github.event.pull_request.user.login }}"
          echo 'Title: ${{ github.event.pull_request.title }}'
          echo "Body: ${{ github.event.pull_request.body }}"
        env:
          GREETING: hi
      - run: echo "${{ github.head_ref }}" && docker login -u bot -p "$REG_PASS" ghcr.io
"""


def test_fix_preserves_comments_order_and_quoting() -> None:
    ff = fix_text(".github/workflows/t.yml", WORKFLOW)
    removed, added = _changed_lines(WORKFLOW, ff.fixed)
    assert sorted(removed) == sorted(
        [
            '          echo "Body: ${{ github.event.pull_request.body }}"',
            '      - run: echo "${{ github.head_ref }}" && docker login -u bot -p "$REG_PASS"'
            " ghcr.io",
        ]
    )
    assert sorted(added) == sorted(
        [
            "permissions:",
            "  contents: read",
            "",
            "          persist-credentials: false",
            '          echo "Body: ${PULL_REQUEST_BODY}"',
            "          PULL_REQUEST_BODY: ${{ github.event.pull_request.body }}",
            '      - run: echo "${HEAD_REF}" && printf \'%s\' "$REG_PASS" | docker login -u bot'
            " --password-stdin ghcr.io",
            "        env:",
            "          HEAD_REF: ${{ github.head_ref }}",
        ]
    )
    # the expression inside single quotes is left alone (the shell would not expand $VAR)
    assert "echo 'Title: ${{ github.event.pull_request.title }}'" in ff.fixed
    res = analyze(".github/workflows/t.yml", ff.fixed)
    left = [(h.rule.id, h.line) for h in res.hits if h.rule.id == "gha/template-injection"]
    assert left == [("gha/template-injection", 22)]
    assert "gha/missing-permissions" not in rule_ids(res)
    assert "gha/docker-login-password-arg" not in rule_ids(res)


def test_rule_filter_limits_the_fix() -> None:
    ff = fix_text(".github/workflows/t.yml", WORKFLOW, rules={"gha/missing-permissions"})
    removed, added = _changed_lines(WORKFLOW, ff.fixed)
    assert removed == [] and sorted(added) == ["", "  contents: read", "permissions:"]


@pytest.fixture
def github_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    calls: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            calls.append(self.path)
            if self.path == "/repos/acme/build/commits/v2":
                body = json.dumps({"sha": "a" * 40}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_response(404)
                self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("PIPESEC_GITHUB_API", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    yield calls
    server.shutdown()


def test_resolve_pins_against_local_api(github_api: list[str]) -> None:
    text = (
        "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - uses: acme/build/sub@v2\n      - uses: 'acme/other@v1'  # keep\n"
    )
    ff = fix_text(
        ".github/workflows/a.yml", text, rules={"gha/unpinned-uses"}, resolver=github_resolver(5)
    )
    assert f"      - uses: acme/build/sub@{'a' * 40} # v2\n" in ff.fixed
    assert "      - uses: 'acme/other@v1'  # keep\n" in ff.fixed  # 404: left as it is
    assert "/repos/acme/build/commits/v2" in github_api


def test_resolve_pins_offline_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPESEC_GITHUB_API", "http://127.0.0.1:9")
    with pytest.raises(NetworkError, match="needs the network"):
        github_resolver(1)("acme/x", "v1")


def test_cli_dry_run_write_and_errors(tmp_path: Path) -> None:
    wf = tmp_path / ".github" / "workflows" / "t.yml"
    wf.parent.mkdir(parents=True)
    wf.write_text(WORKFLOW)
    runner = CliRunner()
    dry = runner.invoke(app, ["fix", "--dry-run", str(tmp_path)])
    assert dry.exit_code == 1 and "+permissions:" in dry.output
    assert wf.read_text() == WORKFLOW
    done = runner.invoke(app, ["fix", str(tmp_path)])
    assert done.exit_code == 0 and wf.read_text() != WORKFLOW
    again = runner.invoke(app, ["fix", "--dry-run", str(tmp_path)])
    assert again.exit_code == 0
    bad = runner.invoke(app, ["fix", "--rule", "gha/nope", str(tmp_path)])
    assert bad.exit_code == 2


def test_fix_reaches_into_gitlab_local_includes(tmp_path: Path) -> None:
    (tmp_path / "ci").mkdir()
    (tmp_path / ".gitlab-ci.yml").write_text("include:\n  - local: ci/build.yml\n")
    build = (
        "# build template\nbuild:\n  script:\n"
        '    - docker login -u ci -p "$REGISTRY_PASSWORD" registry.example.com  # login\n'
        "    - docker build .\n"
    )
    (tmp_path / "ci" / "build.yml").write_text(build)
    result = CliRunner().invoke(app, ["fix", str(tmp_path)])
    assert result.exit_code == 0, result.output
    fixed = (tmp_path / "ci" / "build.yml").read_text()
    removed, added = _changed_lines(build, fixed)
    assert removed == [
        '    - docker login -u ci -p "$REGISTRY_PASSWORD" registry.example.com  # login'
    ]
    assert added == [
        "    - printf '%s' \"$REGISTRY_PASSWORD\" | docker login -u ci --password-stdin"
        " registry.example.com  # login"
    ]


def test_fix_a_single_file_argument(tmp_path: Path) -> None:
    wf = tmp_path / ".github" / "workflows" / "t.yml"
    wf.parent.mkdir(parents=True)
    wf.write_text(WORKFLOW)
    runner = CliRunner()
    done = runner.invoke(app, ["fix", "--rule", "gha/missing-permissions", str(wf)])
    assert done.exit_code == 0, done.output
    assert "permissions:\n  contents: read\n" in wf.read_text()
    other = tmp_path / "notes.yml"
    other.write_text("a: 1\n")
    assert runner.invoke(app, ["fix", str(other)]).exit_code == 2


STALE = """on:
  schedule:
    - cron: "0 0 * * *"
jobs:
  stale:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/stale@v9
        with:
          days-before-stale: 30
{extra}"""


def test_permissions_fix_grants_what_the_actions_need() -> None:
    path = ".github/workflows/stale.yml"
    ff = fix_text(path, STALE.format(extra=""), rules={"gha/missing-permissions"})
    assert ff.fixed_rules == ["gha/missing-permissions"]
    assert ff.fixed.startswith("on:") and (
        "permissions:\n  contents: read\n  issues: write  # actions/stale\n"
        "  pull-requests: write  # actions/stale\n\njobs:" in ff.fixed
    )
    res = analyze(path, ff.fixed)
    # documented and not excessive: nothing new to report after the fix
    assert not {"gha/undocumented-permissions", "gha/excessive-permissions"} & set(rule_ids(res))


@pytest.mark.parametrize(
    "extra",
    [
        "      - uses: some-org/unknown-action@v1\n",  # an action we cannot see into
        "      - run: gh pr comment 1 --body hi\n        env:\n"
        "          GH_TOKEN: ${{ github.token }}\n",  # a script that uses the token
        "      - uses: ./.github/actions/local\n",  # a local action
    ],
)
def test_permissions_fix_is_not_offered_when_a_step_is_unknown(extra: str) -> None:
    path = ".github/workflows/stale.yml"
    text = STALE.format(extra=extra)
    assert "gha/missing-permissions" in rule_ids(analyze(path, text))  # still reported
    ff = fix_text(path, text, rules={"gha/missing-permissions"})
    assert not ff.changed and ff.fixed_rules == []


def test_reusable_workflow_job_gets_no_permissions_fix() -> None:
    path = ".github/workflows/call.yml"
    text = "on: push\njobs:\n  call:\n    uses: org/repo/.github/workflows/x.yml@v1\n"
    ff = fix_text(path, text, rules={"gha/missing-permissions"})
    assert not ff.changed
