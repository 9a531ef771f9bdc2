"""Credentials in EC2 boot scripts (user_data) go through the secrets engine and the
NAME=value heuristics, one finding per value under tf/hardcoded-secret, redacted."""

from __future__ import annotations

import base64

from tests.scanners.iac.helpers import findings, scan_family

#: built from parts: no whole fake credential in test code
SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYzEXAMPLEKEY"
SCRIPT = (
    "#!/bin/bash\n"
    "export AWS_REGION=eu-west-1\n"
    f"export AWS_SECRET_ACCESS_KEY={SECRET}\n"
    'export GREETING="Hello there"\n'
)


def _instance(user_data: str) -> str:
    return (
        'resource "aws_instance" "web" {\n  ami           = "ami-0c55b159cbfafe1f0"\n'
        f'  instance_type = "t3.micro"\n{user_data}}}\n'
    )


def test_secret_in_a_heredoc_boot_script_is_one_redacted_finding_at_its_line() -> None:
    text = _instance(f"  user_data     = <<EOF\n{SCRIPT}EOF\n")
    hits = findings(scan_family("tf", text), "tf/hardcoded-secret")
    assert [(f.location.start_line, f.message) for f in hits] == [
        (7, "aws_instance.web: user_data holds a credential")
    ]
    assert SECRET not in hits[0].snippet and "*****" in hits[0].snippet


def test_secret_in_base64_user_data_is_found_and_the_encoded_form_redacted() -> None:
    encoded = base64.b64encode(SCRIPT.encode()).decode()
    text = _instance(f'  user_data_base64 = "{encoded}"\n')
    hits = findings(scan_family("tf", text), "tf/hardcoded-secret")
    assert [f.location.start_line for f in hits] == [4]
    assert encoded not in hits[0].snippet and SECRET not in hits[0].snippet


def test_boot_script_without_credentials_is_clean() -> None:
    text = _instance('  user_data     = <<EOF\nexport GREETING="Hello there"\nEOF\n')
    assert not findings(scan_family("tf", text), "tf/hardcoded-secret")
    templated = _instance('  user_data     = templatefile("boot.sh", { token = var.token })\n')
    assert not findings(scan_family("tf", templated), "tf/hardcoded-secret")
