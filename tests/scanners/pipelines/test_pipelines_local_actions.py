"""Taint through the repository's own composite actions (``uses: ./dir``) and through
branch names (``github.ref`` and friends)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import analyze, findings, scan_tree

ACTION = """name: title
description: normalises a title
inputs:
  title: {description: the title}
  label: {description: a label}
outputs:
  title:
    description: the normalised title
    value: ${{ steps.norm.outputs.title }}
  fixed:
    description: a constant
    value: ${{ steps.norm.outputs.fixed }}
  body:
    description: the issue body, read directly
    value: ${{ github.event.issue.body }}
runs:
  using: composite
  steps:
    - id: norm
      shell: bash
      env:
        TITLE: ${{ inputs.title }}
      run: |
        echo "title=${TITLE}" >> "$GITHUB_OUTPUT"
        echo "fixed=v1" >> "$GITHUB_OUTPUT"
"""


def _workflow(passed: str, used: str, uses: str = "./.github/actions/title") -> str:
    return (
        "name: triage\non: issues\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
        f"    steps:\n      - id: t\n        uses: {uses}\n        with:\n"
        f"          title: {passed}\n"
        f'      - run: echo "${{{{ steps.t.outputs.{used} }}}}"\n'
    )


def _injections(tmp_path: Path, workflow: str) -> list[tuple[int, str, str]]:
    items = scan_tree(
        tmp_path,
        {".github/actions/title/action.yml": ACTION, ".github/workflows/t.yml": workflow},
    )
    return [
        (f.location.start_line, str(f.severity), f.message)
        for f in findings(items)
        if f.rule_id == "gha/template-injection" and f.location.path.endswith("t.yml")
    ]


@pytest.mark.parametrize(
    ("passed", "used", "uses", "flagged"),
    [
        ("${{ github.event.issue.title }}", "title", "./.github/actions/title", True),
        ("${{ github.event.issue.title }}", "title", "$/.github/actions/title/", True),
        ("release notes", "title", "./.github/actions/title", False),
        ("${{ github.event.issue.title }}", "fixed", "./.github/actions/title", False),
        ("release notes", "body", "./.github/actions/title", True),
        ("${{ github.event.issue.title }}", "title", "./.github/actions/other", False),
    ],
)
def test_composite_action_outputs_carry_what_their_inputs_carry(
    tmp_path: Path, passed: str, used: str, uses: str, flagged: bool
) -> None:
    got = _injections(tmp_path, _workflow(passed, used, uses))
    assert bool(got) is flagged, got
    if flagged:
        ((line, severity, message),) = got
        assert line == 12 and severity == "critical"  # issues: an outsider, with secrets
        assert "steps.t.outputs." in message and "github.event.issue." in message


@pytest.mark.parametrize(
    ("expr", "severity"),
    [
        ("github.ref", "low"),
        ("github.ref_name", "low"),
        ("github.base_ref", "low"),
        ("github.head_ref", "medium"),  # a fork's branch name on pull_request
        ("github.sha", None),
        ("github.head_ref || github.ref_name", "medium"),  # the worse of the two
    ],
)
def test_branch_names_in_scripts(expr: str, severity: str | None) -> None:
    text = (
        "name: b\non: pull_request\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        f'    steps:\n      - run: echo "${{{{ {expr} }}}}"\n'
    )
    hits = [
        h for h in analyze(".github/workflows/b.yml", text).hits if h.rule.id.endswith("injection")
    ]
    assert [str(h.severity) for h in hits] == ([severity] if severity else [])
    assert all(h.line == 8 for h in hits)


def test_steps_of_a_parallel_group_are_audited() -> None:
    text = (
        "name: p\non: pull_request_target\npermissions: {}\njobs:\n  a:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - parallel:\n"
        '          - run: echo "${{ github.event.pull_request.title }}"\n'
        "          - run: echo done\n"
    )
    hits = analyze(".github/workflows/p.yml", text).hits
    assert [(h.rule.id, h.line) for h in hits if h.rule.id.endswith("injection")] == [
        ("gha/template-injection", 9)
    ]
    safe = text.replace("${{ github.event.pull_request.title }}", "$TITLE")
    assert not [
        h for h in analyze(".github/workflows/p.yml", safe).hits if "injection" in h.rule.id
    ]
