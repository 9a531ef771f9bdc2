"""Posture findings are notes about a pipeline: one per pipeline, info, at the pipeline."""

from __future__ import annotations

from pathlib import Path

from pipesec.core.model import Severity

from .helpers import findings, scan_tree

WRITE = """on: push
permissions:
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
    permissions:
      contents: write{comment}
      issues: write{comment}
    steps:
      - run: gh release create "$GITHUB_REF_NAME" && gh issue close 1
"""


def test_undocumented_permissions_once_per_pipeline(tmp_path: Path) -> None:
    wf = ".github/workflows/"
    items = scan_tree(
        tmp_path,
        {
            wf + "a.yml": WRITE.format(comment=""),
            wf + "b.yml": WRITE.format(comment=""),
            wf + "c.yml": WRITE.format(comment="  # gh release / gh issue"),
        },
    )
    (undoc,) = [f for f in findings(items) if f.rule_id == "gha/undocumented-permissions"]
    assert undoc.severity is Severity.INFO
    assert undoc.location.path == ".github/workflows" and undoc.location.start_line == 0
    assert undoc.properties["places"] == [
        wf + "a.yml:8",
        wf + "a.yml:9",
        wf + "b.yml:8",
        wf + "b.yml:9",
    ]
    assert undoc.message.startswith("4 write permissions have no comment")


def test_documented_permissions_give_no_finding(tmp_path: Path) -> None:
    items = scan_tree(tmp_path, {".github/workflows/c.yml": WRITE.format(comment="  # why")})
    assert not [f for f in findings(items) if f.rule_id == "gha/undocumented-permissions"]


def test_missing_gates_one_info_finding_per_pipeline(tmp_path: Path) -> None:
    gitlab = "test:\n  image: python:3.12\n  script:\n    - pytest\n"
    items = scan_tree(
        tmp_path,
        {
            ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n"
            "      - run: make test\n",
            ".github/workflows/lint.yml": "on: push\njobs:\n  l:\n    runs-on: x\n    steps:\n"
            "      - run: make lint\n",
            ".gitlab-ci.yml": gitlab,
        },
    )
    gates = [f for f in findings(items) if f.rule_id.endswith("/missing-security-gate")]
    assert sorted((f.location.path, f.location.start_line) for f in gates) == [
        (".github/workflows", 0),
        (".gitlab-ci.yml", 0),
    ]
    assert all(f.severity is Severity.INFO for f in gates)
    gha = next(f for f in gates if f.rule_id.startswith("gha/"))
    assert "secret-scanning" in gha.properties["gates"] and "sast" in gha.properties["gates"]
