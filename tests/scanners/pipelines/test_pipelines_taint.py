"""Template injection: sources, sinks, hops, and the safe contexts that must stay quiet."""

from __future__ import annotations

import pytest

from pipesec.core.model import Severity

from .helpers import analyze

HEAD = "name: t\non: {on}\npermissions: {{}}\njobs:\n  j:\n    runs-on: ubuntu-latest\n"


def wf(on: str, body: str) -> str:
    return HEAD.format(on=on) + body


def injections(text: str) -> list[tuple[str, int, int]]:
    res = analyze(".github/workflows/t.yml", text)
    assert not res.errors
    return [
        (h.rule.id, h.line, h.col)
        for h in res.hits
        if h.rule.id.startswith(("gha/template-injection", "gha/github-env"))
    ]


@pytest.mark.parametrize(
    "expr",
    [
        "github.event.pull_request.head.sha",
        "github.event.pull_request.number",
        "github.sha",
        "github.run_id",
        "steps.build.outcome",
        "needs.test.result",
        "github.event.pull_request.user.login",
        "contains(github.event.pull_request.title, 'wip')",
        "github.event.pull_request.title == 'x'",
        "startsWith(github.head_ref, 'dependabot/')",
        "github.event.pull_request.draft",
        "secrets.TOKEN",
        "hashFiles('**/package-lock.json')",
        "matrix.os",
        "runner.os",
        "github.event.pull_request.labels.*.name != ''",
    ],
)
def test_safe_contexts_are_quiet(expr: str) -> None:
    text = wf("pull_request_target", f"    steps:\n      - run: echo ${{{{ {expr} }}}}\n")
    assert injections(text) == []


@pytest.mark.parametrize(
    ("on", "expr"),
    [
        ("pull_request_target", "github.event.pull_request.title"),
        ("pull_request_target", "github.head_ref"),
        ("pull_request", "github.event.pull_request.head.ref"),
        ("issues", "github.event.issue.body"),
        ("issue_comment", "github.event.comment.body"),
        ("pull_request_review", "github.event.review.body"),
        ("push", "github.event.head_commit.message"),
        ("push", "github.event.commits[0].author.email"),
        ("workflow_run", "github.event.workflow_run.head_branch"),
        ("discussion", "github.event.discussion.title"),
        ("gollum", "github.event.pages[0].page_name"),
        ("pull_request_target", "format('{0}', github.event.pull_request.body)"),
        ("pull_request_target", "github.event.pull_request.title || 'none'"),
        ("pull_request_target", "toJSON(github.event.pull_request)"),
        ("issues", "fromJSON(toJSON(github.event.issue)).title"),
    ],
)
def test_attacker_contexts_fire_at_the_expression(on: str, expr: str) -> None:
    text = wf(
        on, f"    steps:\n      - run: |\n          set -e\n          echo ${{{{ {expr} }}}}\n"
    )
    assert injections(text) == [("gha/template-injection", 10, 16)]


def test_source_not_populated_by_trigger_is_low() -> None:
    # reported (the peer auditor does too) but low: it is code the day a trigger feeds it
    text = wf("push", "    steps:\n      - run: echo ${{ github.event.issue.title }}\n")
    hits = [
        h for h in analyze(".github/workflows/t.yml", text).hits if h.rule.id.startswith("gha/t")
    ]
    assert [(h.line, h.severity) for h in hits] == [(8, Severity.LOW)]


def test_severity_depends_on_trigger() -> None:
    for on, sev in (
        ("pull_request_target", Severity.CRITICAL),
        ("pull_request", Severity.MEDIUM),
    ):
        res = analyze(
            ".github/workflows/t.yml",
            wf(on, "    steps:\n      - run: echo ${{ github.head_ref }}\n"),
        )
        assert [h.severity for h in res.hits if h.rule.id == "gha/template-injection"] == [sev]


def test_env_hop_step_output_hop_and_job_output_hop() -> None:
    text = """name: t
on: issues
permissions: {}
env:
  TITLE: ${{ github.event.issue.title }}
jobs:
  a:
    runs-on: ubuntu-latest
    outputs:
      title: ${{ steps.meta.outputs.t }}
      number: ${{ steps.meta.outputs.n }}
    steps:
      - id: meta
        run: |
          echo "t=$T" >> "$GITHUB_OUTPUT"
          echo "n=${{ github.event.issue.number }}" >> "$GITHUB_OUTPUT"
        env:
          T: ${{ github.event.issue.title }}
      - run: echo "${{ env.TITLE }} ${{ steps.meta.outputs.t }} ${{ steps.meta.outputs.n }}"
  b:
    needs: a
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ needs.a.outputs.title }} ${{ needs.a.outputs.number }}"
"""
    res = analyze(".github/workflows/t.yml", text)
    hits = [(h.line, h.col, h.message) for h in res.hits if h.rule.id == "gha/template-injection"]
    assert [(line, col) for line, col, _ in hits] == [(19, 20), (19, 37), (24, 20)]
    assert "via env.TITLE" in hits[0][2]
    assert "via steps.meta.outputs.t -> env.T" in hits[1][2]
    assert "needs.a.outputs.title" in hits[2][2]


def test_env_variable_in_shell_is_the_fix_not_a_finding() -> None:
    text = wf(
        "pull_request_target",
        '    steps:\n      - run: echo "$TITLE"\n        env:\n'
        "          TITLE: ${{ github.event.pull_request.title }}\n",
    )
    assert injections(text) == []


def test_github_script_and_inputs() -> None:
    text = """name: t
on:
  workflow_dispatch:
    inputs:
      tag:
        type: string
      dry:
        type: boolean
      env:
        type: choice
        options: [a, b]
permissions: {}
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: echo ${{ inputs.tag }} ${{ inputs.dry }} ${{ inputs.env }} ${{ github.event.inputs.tag }}
"""  # noqa: E501
    assert injections(text) == [
        ("gha/template-injection-input", 17, 19),
        ("gha/template-injection-input", 17, 73),
    ]


def test_github_env_write() -> None:
    text = wf(
        "pull_request_target",
        '    steps:\n      - run: echo "REF=${{ github.head_ref }}" >> $GITHUB_ENV\n',
    )
    ids = [i[0] for i in injections(text)]
    assert "gha/github-env-injection" in ids and "gha/template-injection" in ids


def test_composite_action_inputs() -> None:
    text = """name: x
description: y
inputs:
  version:
    description: v
runs:
  using: composite
  steps:
    - run: ./install.sh ${{ inputs.version }}
      shell: bash
"""
    res = analyze("action.yml", text)
    assert [(h.rule.id, h.line) for h in res.hits if "injection" in h.rule.id] == [
        ("gha/template-injection-input", 9)
    ]


def test_pwn_request_through_an_exported_ref() -> None:
    text = """name: alt text bot
on:
  pull_request_target:
    types: [opened, synchronize]
permissions:
  contents: write  # commit fixes
jobs:
  fix:
    runs-on: ubuntu-latest
    steps:
      - name: Set ref for checkout
        run: |
          echo "REF=${{ github.event.pull_request.head.ref }}" >> $GITHUB_ENV
      - uses: actions/checkout@v4
        with:
          ref: ${{ env.REF }}
      - run: python fix_alt_text.py
"""
    res = analyze(".github/workflows/t.yml", text)
    got = {(h.rule.id, h.line) for h in res.hits}
    assert {
        ("gha/template-injection", 13),
        ("gha/github-env-injection", 13),
        ("gha/pwn-request", 16),
    } <= got


@pytest.mark.parametrize(
    ("expr", "fires"),
    [
        ("github.event.pull_request.title && 'has title'", False),
        ("github.event_name == 'pull_request_target' && github.head_ref || 'main'", True),
        ("github.head_ref || 'main'", True),
        ("'prefix' && github.head_ref", True),
        ("github.event_name == 'push' && 'a' || 'b'", False),
    ],
)
def test_and_or_values(expr: str, fires: bool) -> None:
    text = wf("pull_request_target", f"    steps:\n      - run: echo ${{{{ {expr} }}}}\n")
    assert bool(injections(text)) is fires


def test_github_env_export_and_github_script_outputs_are_followed() -> None:
    text = """name: t
on: issues
permissions: {}
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: echo "TITLE=${{ github.event.issue.title }}" >> "$GITHUB_ENV"
      - id: meta
        uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1
        with:
          script: |
            core.setOutput('body', context.payload.issue.body);
            core.setOutput('number', context.payload.issue.number);
      - run: |
          echo "${{ env.TITLE }}"
          echo "${{ steps.meta.outputs.body }}"
          echo "${{ steps.meta.outputs.number }}"
"""
    res = analyze(".github/workflows/t.yml", text)
    hits = [(h.line, h.message) for h in res.hits if h.rule.id == "gha/template-injection"]
    assert [line for line, _ in hits] == [8, 16, 17]
    assert "$GITHUB_ENV" in hits[1][1] and "github-script output" in hits[2][1]
