"""The iac scanner end to end on a realistic tree, through the engine."""

from __future__ import annotations

from pathlib import Path

from pipesec.core.engine import ScanRequest, run_scan
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner, kind_of

FIXTURE = Path(__file__).parents[2] / "fixtures" / "iac" / "project"


def _scan() -> list:  # type: ignore[type-arg]
    ws = Workspace(FIXTURE, use_git=False)
    return list(IacScanner().scan(ws, ScannerSettings()))


def test_routing() -> None:
    assert kind_of("Dockerfile") == "docker"
    assert kind_of("api.Dockerfile") == "docker"
    assert kind_of("Dockerfile.prod") == "docker"
    assert kind_of("Containerfile") == "docker"
    assert kind_of("docker-compose.prod.yml") == "compose"
    assert kind_of("compose.yaml") == "compose"
    assert kind_of("main.tf") == "tf"
    assert kind_of("deploy.yml") == "yaml"
    assert kind_of("README.md") == ""


def test_fixture_project() -> None:
    report = run_scan(ScanRequest(root=FIXTURE, scanners=["iac"]))
    got = {(f.rule_id, f.location.path, f.location.start_line) for f in report.findings}
    expected = {
        ("docker/root-user", "Dockerfile", 6),
        ("docker/image-no-digest", "Dockerfile", 1),
        ("docker/image-no-digest", "Dockerfile", 6),
        ("docker/apt-lists-not-removed", "Dockerfile", 7),
        ("docker/apt-install-recommends", "Dockerfile", 7),
        ("docker/copy-all-without-dockerignore", "Dockerfile", 3),
        ("k8s/default-namespace", "deploy/api.yaml", 5),
        ("k8s/image-latest", "deploy/api.yaml", 16),
        ("k8s/privilege-escalation", "deploy/api.yaml", 18),
        ("tf/aws-s3-public-acl", "infra/modules/bucket/main.tf", 7),
        ("compose/privileged", "docker-compose.yml", 8),
        ("compose/docker-socket-mount", "docker-compose.yml", 10),
        ("compose/image-latest", "docker-compose.yml", 7),
    }
    assert expected <= got, expected - got
    errors = {(e.path, e.line) for e in report.errors}
    assert {p for p, _ in errors} == {"broken/main.tf", "broken/app.yaml", "broken/Dockerfile"}
    assert all(line > 0 for _, line in errors)
    template_notes = [n for n in report.notes if n.path == "chart/templates/deployment.yaml"]
    assert template_notes and template_notes[0].kind == "template"
    # fingerprints are stable and distinct
    fps = [f.fingerprint for f in report.findings]
    assert len(set(fps)) == len(fps)


def test_disabled_rules() -> None:
    ws = Workspace(FIXTURE, use_git=False)
    items = list(
        IacScanner().scan(ws, ScannerSettings(disabled_rules=frozenset({"docker/root-user"})))
    )
    assert not [i for i in items if getattr(i, "rule_id", "") == "docker/root-user"]


def test_code_named_like_a_dockerfile_is_not_one(tmp_path: Path) -> None:
    assert kind_of("dockerfile.py") == ""
    assert kind_of("Dockerfile.md") == ""
    (tmp_path / "Dockerfile.notes").write_text("Build with make image\n")
    (tmp_path / "Dockerfile.dev").write_text("FROM python:latest\n")
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    assert {getattr(i, "location", None) and i.location.path for i in items} == {"Dockerfile.dev"}
    assert not [i for i in items if type(i).__name__ == "ScanError"]


def test_secret_identity_is_keyed_and_merges_with_the_secrets_scanner(tmp_path: Path) -> None:
    from pipesec.core.fingerprints import secret_identity

    value = "".join(["Sup3r", "-s3cret", "-v4lue"])
    (tmp_path / "docker-compose.yml").write_text(
        f"services:\n  db:\n    image: postgres:16@sha256:ab\n    environment:\n"
        f"      POSTGRES_PASSWORD: {value}\n"
    )
    items = list(
        IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings(fingerprint_key=b"k"))
    )
    hit = [i for i in items if getattr(i, "rule_id", "") == "compose/secret-in-environment"]
    assert hit and hit[0].identity == secret_identity(value, b"k")


def test_programs_of_other_languages_named_dockerfile_are_not_read(tmp_path: Path) -> None:
    """Mojolicious ships its Dockerfile generator as ``generate/dockerfile.pm``: read as a
    Dockerfile it gave 48 parse errors (exit 3) and an untagged-image finding (session 18)."""
    # (review18: the names alone no longer decide: ``Dockerfile.php`` names a PHP service's
    # image; a program is known by its first line, not ``FROM``/``ARG``)
    assert kind_of("Dockerfile.prod") == "docker"
    assert kind_of("app.dockerfile") == "docker"
    gen = tmp_path / "generate"
    gen.mkdir()
    (gen / "dockerfile.pm").write_text(
        "package Mojolicious::Command::Author::generate::dockerfile;\nuse Mojo::Base -base;\n"
        "__DATA__\n@@ dockerfile\nFROM perl\nWORKDIR /opt/<%= $name %>\n"
    )
    (gen / "Dockerfile.rb").write_text("require 'erb'\nTEMPLATE = <<~D\nFROM ruby\nD\n")
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    assert items == []
