"""`pipesec init`: every template is a complete hardened pipeline. Each one is written
into a fresh repository, scanned with pipesec itself (zero findings, every posture gate
present) and validated against the published workflow / GitLab CI schemas."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipesec import __version__
from pipesec.cli.main import app
from pipesec.scanners.pipelines.posture import GATES

from .conftest import load_yaml_documents, scan_tree, schema_errors

CASES = [
    ("github", None, [".github/workflows/pipesec.yml"]),
    ("github", "kubernetes", [".github/workflows/pipesec.yml", ".github/workflows/deploy.yml"]),
    ("gitlab", None, [".gitlab-ci.yml"]),
    ("gitlab", "kubernetes", [".gitlab-ci.yml"]),
    ("pre-commit", None, [".pre-commit-config.yaml"]),
]


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def _init(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["init", *args, "--dir", str(root)])
    return result.exit_code, result.output


@pytest.mark.parametrize(("provider", "deploy", "files"), CASES)
def test_init_writes_a_pipeline_pipesec_passes(
    tmp_path: Path, provider: str, deploy: str | None, files: list[str]
) -> None:
    root = _repo(tmp_path)
    code, out = _init(root, provider, *(["--deploy", deploy] if deploy else []))
    assert code == 0, out
    for name in files:
        text = (root / name).read_text("utf-8")
        assert name in out
        assert "{{PIPESEC_VERSION}}" not in text
        if "pip install" in text:  # the pipesec it installs is this one, pinned
            assert f"{__version__}" in text
    report = scan_tree(root)
    assert [f"{f.rule_id} {f.location.path}:{f.location.start_line}" for f in report.findings] == []
    assert report.errors == []
    if provider != "pre-commit":
        posture = {(p.gate, p.present) for p in report.posture}
        assert {g for g, present in posture if not present} == set()
        assert {g for g, _ in posture} == set(GATES)


@pytest.mark.parametrize(("provider", "deploy", "files"), CASES[:4])
def test_init_output_is_valid_for_the_platform_schema(
    tmp_path: Path, provider: str, deploy: str | None, files: list[str]
) -> None:
    root = _repo(tmp_path)
    assert _init(root, provider, *(["--deploy", deploy] if deploy else []))[0] == 0
    schema = "github-workflows.json" if provider == "github" else "gitlab-ci.json"
    for name in files:
        (doc,) = load_yaml_documents((root / name).read_text("utf-8"))
        assert schema_errors(schema, doc) == []


def test_github_pipeline_has_every_gate_of_the_requirements(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    assert _init(root, "github", "--deploy", "kubernetes")[0] == 0
    (gate,) = load_yaml_documents((root / ".github/workflows/pipesec.yml").read_text())
    (deploy,) = load_yaml_documents((root / ".github/workflows/deploy.yml").read_text())
    assert gate["permissions"] == {} and deploy["permissions"] == {}
    # diff mode on pull requests, full scan on the default branch
    scan_step = next(s for s in gate["jobs"]["gate"]["steps"] if s.get("name") == "Scan")
    assert "--diff-base" in scan_step["run"] and "BASE_REF" in scan_step["env"]
    assert set(gate["on"]) == {"pull_request", "push"}
    # production behind an environment (approval), OIDC instead of keys, verify first
    prod = deploy["jobs"]["production"]
    assert prod["environment"] == "production"
    assert prod["permissions"]["id-token"] == "write"
    assert "verify" in prod["needs"]
    verify_runs = " ".join(s.get("run", "") for s in deploy["jobs"]["verify"]["steps"])
    assert "cosign verify" in verify_runs and "gh attestation verify" in verify_runs
    rollout = prod["steps"][-1]["run"]
    assert "rollout undo" in rollout and "canary" in rollout
    for workflow in (gate, deploy):
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                uses = step.get("uses", "")
                if uses:
                    assert len(uses.partition("@")[2]) == 40, uses  # pinned to a commit


def test_existing_file_is_a_usage_error_unless_forced(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    target = root / ".gitlab-ci.yml"
    target.write_text("mine: {script: [echo]}\n")
    code, out = _init(root, "gitlab")
    assert code == 2
    assert "already exists" in out and "--force" in out
    assert target.read_text() == "mine: {script: [echo]}\n"
    code, _ = _init(root, "gitlab", "--force")
    assert code == 0
    assert "pipesec scan" in target.read_text()


def test_force_replaces_a_symlink_instead_of_writing_through_it(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    outside = tmp_path / "outside.yml"
    outside.write_text("keep\n")
    (root / ".gitlab-ci.yml").symlink_to(outside)
    assert _init(root, "gitlab", "--force")[0] == 0
    assert outside.read_text() == "keep\n"
    assert not (root / ".gitlab-ci.yml").is_symlink()


@pytest.mark.parametrize(
    "args",
    [["circleci"], ["github", "--deploy", "lambda"], ["pre-commit", "--deploy", "kubernetes"]],
)
def test_unknown_provider_or_target_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    root = _repo(tmp_path)
    code, out = _init(root, *args)
    assert code == 2
    assert "pipesec: error: init" in out
    assert not any(root.iterdir()) or [p.name for p in root.iterdir()] == [".git"]
