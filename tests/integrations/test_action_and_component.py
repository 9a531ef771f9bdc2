"""The GitHub Action (action.yml at the repository root) and the GitLab CI component
(templates/pipesec.yml) pass pipesec's own pipeline audit and the platforms' schemas; the
action's scan driver builds its command from inputs without a shell and reports outputs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pipesec.cli import github_action

from .conftest import load_yaml_documents, scan_tree, schema_errors

REPO = Path(__file__).resolve().parents[2]


def _copy_into_repo(tmp_path: Path, *names: str) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, root / name)
    return root


def test_action_and_component_have_zero_findings(tmp_path: Path) -> None:
    root = _copy_into_repo(tmp_path, "action.yml", "templates/pipesec.yml")
    report = scan_tree(root)
    assert [f"{f.rule_id} {f.location.path}:{f.location.start_line}" for f in report.findings] == []
    assert report.errors == []


def test_component_template_is_audited_as_a_gitlab_pipeline(tmp_path: Path) -> None:
    root = _copy_into_repo(tmp_path, "templates/pipesec.yml")
    text = (root / "templates/pipesec.yml").read_text()
    (root / "templates/pipesec.yml").write_text(
        text.replace("  script:\n", "  script:\n    - curl -sSL https://get.example.com | sh\n", 1)
    )
    report = scan_tree(root, "pipelines")
    assert any(f.rule_id.startswith("gitlab/") for f in report.findings)
    # a component is a piece of pipelines: no posture of its own
    assert report.posture == []


def test_helm_templates_are_not_read_as_gitlab_components(tmp_path: Path) -> None:
    root = tmp_path / "chart"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "job.yml").write_text(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\n"
        "spec:\n  template: {spec: {containers: [{name: a, image: 'alpine'}]}}\n"
    )
    report = scan_tree(root, "pipelines")
    assert report.findings == [] and report.posture == []


def test_action_and_component_match_the_published_schemas() -> None:
    (action,) = load_yaml_documents((REPO / "action.yml").read_text("utf-8"))
    assert schema_errors("github-actions.json", action) == []
    spec, jobs = load_yaml_documents((REPO / "templates/pipesec.yml").read_text("utf-8"))
    assert set(spec["spec"]["inputs"]) >= {"stage", "path", "fail-on", "image", "version"}
    assert schema_errors("gitlab-ci.json", jobs) == []
    reports = jobs["pipesec"]["artifacts"]["reports"]
    assert set(reports) == {
        "secret_detection",
        "sast",
        "dependency_scanning",
        "container_scanning",
        "codequality",
    }


def test_action_pins_every_action_and_exposes_outputs() -> None:
    (action,) = load_yaml_documents((REPO / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        if "uses" in step:
            assert len(step["uses"].partition("@")[2]) == 40, step["uses"]
        # inputs reach scripts only through env, never interpolated into the script
        assert "${{" not in step.get("run", "")
    assert {"verdict", "exit-code", "findings", "critical", "high", "sarif", "json"} <= set(
        action["outputs"]
    )


def test_driver_builds_arguments_without_a_shell() -> None:
    args, reports = github_action.build_command(
        {
            "SCAN_PATH": "src dir",
            "SCANNERS": "secrets, deps",
            "FAIL_ON": "medium",
            "FORMATS": "sarif=out/p.sarif json=p.json",
            "BASE_REF": "main; rm -rf /",
        }
    )
    assert args[3:] == [
        "scan",
        "src dir",
        "--scanner",
        "secrets",
        "--scanner",
        "deps",
        "--fail-on",
        "medium",
        "--output",
        "sarif=out/p.sarif",
        "--output",
        "json=p.json",
        "--diff-base",
        "origin/main; rm -rf /",
        "--no-progress",
    ]
    assert reports == {"sarif": "out/p.sarif", "json": "p.json"}


@pytest.mark.parametrize(
    "env",
    [{"SCAN_PATH": "--config=x"}, {"DIFF_BASE": "--output=x"}, {"FORMATS": "sarif"}],
)
def test_driver_refuses_option_injection(env: dict[str, str]) -> None:
    with pytest.raises(github_action.InputError):
        github_action.build_command(env)


def test_driver_runs_the_scan_and_writes_outputs(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "ok.py").write_text("print('hello')\n")
    out_file = tmp_path / "github_output"
    code = github_action.main(
        {
            "SCAN_PATH": str(tree),
            "SCANNERS": "sast",
            "FORMATS": f"json={tmp_path / 'r.json'}",
            "RUNNER_TEMP": str(tmp_path),
            "GITHUB_OUTPUT": str(out_file),
        }
    )
    assert code == 0
    values = dict(line.split("=", 1) for line in out_file.read_text().splitlines())
    assert values["exit-code"] == "0" and values["verdict"] == "passed"
    assert values["findings"] == "0" and values["critical"] == "0"
    assert values["json"] == str(tmp_path / "r.json") and values["sarif"] == ""
    assert json.loads((tmp_path / "r.json").read_text())["gate"]["passed"] is True
