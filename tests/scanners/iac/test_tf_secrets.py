"""Credentials in EC2 boot scripts (user_data) go through the secrets engine and the
NAME=value heuristics: one redacted finding per value, under the secrets rule that
recognises it (the generic rule its NAME says when no detector does)."""

from __future__ import annotations

import base64
from pathlib import Path

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
