"""Jenkinsfiles (declarative and scripted): each rule's vulnerable and safe shapes, where
findings point, errors on hostile input, and the posture table."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipesec.core.model import PostureCheck
from pipesec.scanners.pipelines import jenkins
from pipesec.scanners.pipelines.files import classify

from .helpers import analyze, findings, scan_tree


def hits(text: str, rule: str) -> list[int]:
    res = analyze("Jenkinsfile", text)
    assert not res.errors, res.errors
    return [h.line for h in res.hits if h.rule.id == rule]


def declarative(steps: str, extra: str = "") -> str:
    return (
        "pipeline {\n  agent { label 'linux' }\n" + extra + "  stages {\n"
        "    stage('Build') {\n      steps {\n" + steps + "      }\n    }\n  }\n}\n"
    )


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("Jenkinsfile", "jenkins"),
        ("ci/Jenkinsfile.release", "jenkins"),
        ("jobs/deploy.jenkinsfile", "jenkins"),
        ("docs/Jenkinsfile.md", None),
        ("Jenkinsfile.yaml", None),
    ],
)
def test_classify(path: str, kind: str | None) -> None:
    assert classify(path) == kind


@pytest.mark.parametrize(
    ("step", "rule", "fires"),
    [
        ('        sh "make VERSION=${params.VERSION}"\n', "jenkins/script-injection", True),
        ('        bat "echo ${env.CHANGE_TITLE}"\n', "jenkins/script-injection", True),
        ('        sh(script: "git log ${BRANCH_NAME}")\n', "jenkins/script-injection", True),
        ("        sh 'git log \"$BRANCH_NAME\"'\n", "jenkins/script-injection", False),
        ('        sh "make -j${env.NPROC}"\n', "jenkins/script-injection", False),
        ('        sh "echo \\${params.X}"\n', "jenkins/script-injection", False),
        ("        sh 'curl -s https://x.example/i.sh | sh'\n", "jenkins/curl-pipe-shell", True),
        ("        sh 'curl -so i.sh https://x.example/i.sh'\n", "jenkins/curl-pipe-shell", False),
    ],
)
def test_shell_steps(step: str, rule: str, fires: bool) -> None:
    assert bool(hits(declarative(step), rule)) is fires


def test_secret_interpolation_from_environment_credentials() -> None:
    env = "  environment {\n    API = credentials('api')\n  }\n"
    bad = declarative('        sh "curl -H token:${API} https://x"\n', env)
    assert hits(bad, "jenkins/secret-interpolation") == [9]
    good = declarative("        sh 'curl -H token:$API https://x'\n", env)
    assert not hits(good, "jenkins/secret-interpolation")


def test_credentials_literal_in_environment_is_redacted() -> None:
    value = "Zq8" + "pL2mXv9Rt4"
    text = declarative(
        "        sh 'make'\n", f"  environment {{\n    DB_PASSWORD = '{value}'\n  }}\n"
    )
    res = analyze("Jenkinsfile", text)
    found = [h for h in res.hits if h.rule.id == "jenkins/hardcoded-credential"]
    assert [h.line for h in found] == [4]
    assert value not in found[0].snippet
    plain = text.replace("DB_PASSWORD", "APP_NAME")
    assert not hits(plain, "jenkins/hardcoded-credential")


def test_with_credentials_echoed() -> None:
    wrap = (
        "        withCredentials([string(credentialsId: 'a', variable: 'TOKEN')]) {\n{}        }\n"
    )
    bad = declarative(wrap.replace("{}", '          echo "t=${TOKEN}"\n'))
    assert hits(bad, "jenkins/credentials-echoed") == [7]
    good = declarative(wrap.replace("{}", "          sh 'curl -H \"A: $TOKEN\" https://x'\n"))
    assert not hits(good, "jenkins/credentials-echoed")


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("pipeline {\n  agent { label 'master' }\n  stages {}\n}\n", True),
        ("node('built-in') {\n  sh 'make'\n}\n", True),
        ("node {\n  sh 'make'\n}\n", True),
        ("node('linux') {\n  sh 'make'\n}\n", False),
        ("pipeline {\n  agent none\n  stages {}\n}\n", False),
    ],
)
def test_builtin_node(text: str, fires: bool) -> None:
    assert bool(hits(text, "jenkins/builtin-node")) is fires


@pytest.mark.parametrize(
    ("lib", "fires"),
    [("lib", True), ("lib@main", True), ("lib@v1.2.3", False), ("lib@" + "a1" * 20, False)],
)
def test_library_pinning(lib: str, fires: bool) -> None:
    text = f"@Library('{lib}') _\nnode('linux') {{\n  sh 'make'\n}}\n"
    assert bool(hits(text, "jenkins/library-unpinned")) is fires


@pytest.mark.parametrize(
    ("image", "fires"), [("node", True), ("node:latest", True), ("node:20.11.1", False)]
)
def test_docker_images(image: str, fires: bool) -> None:
    text = f"pipeline {{\n  agent {{ docker {{ image '{image}' }} }}\n  stages {{}}\n}}\n"
    assert bool(hits(text, "jenkins/docker-image-latest")) is fires
    scripted = f"node('x') {{\n  docker.image('{image}').inside {{ sh 'ls' }}\n}}\n"
    assert bool(hits(scripted, "jenkins/docker-image-latest")) is fires


def test_deploy_needs_input() -> None:
    stage = (
        "    stage('Deploy prod') {\n{}      steps {\n        sh './deploy.sh'\n      }\n    }\n"
    )
    base = "pipeline {\n  agent { label 'l' }\n  stages {\n{}  }\n}\n"
    bad = base.replace("{}", stage.replace("{}", ""))
    assert hits(bad, "jenkins/deploy-without-approval") == [4]
    gated = stage.replace("{}", "      input {\n        message 'ok?'\n      }\n")
    assert not hits(base.replace("{}", gated), "jenkins/deploy-without-approval")
    staging = bad.replace("Deploy prod", "Deploy staging")
    assert not hits(staging, "jenkins/deploy-without-approval")


def test_pr_builds_with_credentials() -> None:
    vuln = jenkins.PR_CREDENTIALS.vulnerable_example
    assert hits(vuln, "jenkins/pr-build-credentials") == [4]
    no_prs = vuln.replace("      when { changeRequest() }\n", "")
    assert not hits(no_prs, "jenkins/pr-build-credentials")


def test_errors_are_one_line_and_other_files_still_scan(tmp_path: Path) -> None:
    huge = "// x\n" * (jenkins.MAX_BYTES // 5 + 10)
    items = scan_tree(
        tmp_path,
        {
            "a/Jenkinsfile": huge,
            "b/Jenkinsfile": "node('master') {\n  sh 'make'\n}\n",
        },
    )
    errors = [i for i in items if type(i).__name__ == "ScanError"]
    assert len(errors) == 1 and "larger than" in errors[0].message  # type: ignore[attr-defined]
    assert any(f.rule_id == "jenkins/builtin-node" for f in findings(items))


def test_posture_table_has_jenkins(tmp_path: Path) -> None:
    items = scan_tree(tmp_path, {"Jenkinsfile": "node('linux') {\n  sh 'pipesec scan .'\n}\n"})
    checks = [i for i in items if isinstance(i, PostureCheck)]
    by_gate = {c.gate: c.present for c in checks if c.pipeline == "Jenkinsfile"}
    assert by_gate["sast"] is True and by_gate["signing"] is False


PIECES = st.sampled_from(
    [
        "pipeline {",
        "node('x') {",
        "stage('a') {",
        "steps {",
        "environment {",
        "withCredentials([string(credentialsId: 'c', variable: 'T')]) {",
        "}",
        'sh "${params.X}"',
        "sh '''",
        '"""',
        "@Library('l') _",
        "agent any",
        "input message: 'x'",
        "$",
        "${",
        "'",
        '"',
        "\\",
        "\n",
        " ",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES | st.text(max_size=8), max_size=40))
def test_fuzz_never_crashes(parts: list[str]) -> None:
    res = analyze("Jenkinsfile", "\n".join(parts))
    for h in res.hits:
        assert h.line >= 1 and h.col >= 1


def test_pipelines_that_dependencies_ship_are_not_this_repositorys(tmp_path: Path) -> None:
    """A workflow inside node_modules or vendor/ never runs for this repository."""
    from pipesec.core.model import Finding
    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.workspace import Workspace
    from pipesec.scanners.pipelines import PipelinesScanner

    wf = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: a/b@main\n"
    for where in ("", "node_modules/dep/", "vendor/github.com/x/y/"):
        (tmp_path / where / ".github/workflows").mkdir(parents=True)
        (tmp_path / where / ".github/workflows/ci.yml").write_text(wf)
    items = PipelinesScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings())
    paths = {i.location.path for i in items if isinstance(i, Finding)}
    assert ".github/workflows/ci.yml" in paths
    assert not any("node_modules" in p or "vendor" in p for p in paths), paths
