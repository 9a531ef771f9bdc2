"""Review 18's findings in the IaC scanner (each test fails before its fix)."""

from __future__ import annotations

from pathlib import Path

from tests.scanners.iac.helpers import errors, findings, scan_family

from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner

_API_STAGE = """
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "abc123"
  stage_name    = "prod"
}

resource "aws_wafv2_web_acl_association" "a" {
  resource_arn = "${local.apigw}/restapis/${aws_api_gateway_rest_api.api.id}/stages/prod"
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/1"
}
"""


def test_tf_apigateway_waf_association_naming_the_api_covers_its_stages() -> None:
    """``tf/aws-apigateway-stage-no-waf`` (iacunseen13) counted only an association that
    refers to the stage resource; its CloudFormation twin takes an association whose ARN
    names the API (the stage written by its name) as covering the API's stages. The
    Terraform form of that ARN was reported: the twins now agree."""
    items = scan_family("tf", _API_STAGE)
    assert not errors(items)
    assert not findings(items, "tf/aws-apigateway-stage-no-waf")
    other = _API_STAGE.replace("${aws_api_gateway_rest_api.api.id}", "other")
    assert findings(scan_family("tf", other), "tf/aws-apigateway-stage-no-waf")


def test_a_dockerfile_named_for_its_language_is_read(tmp_path: Path) -> None:
    """secprec18 (bf4e3f6) left every ``Dockerfile.<x>`` whose ``<x>`` is a program's suffix
    unread, whatever it held, to skip Mojolicious's ``generate/dockerfile.pm`` (a Perl
    program whose template holds a FROM line): ``Dockerfile.php`` and ``Dockerfile.java``,
    the images of a PHP or Java service, lost every Dockerfile finding (a piped install
    script is high: the gate passed). Such a file is read
    when its first instruction is FROM or ARG, as Docker requires of a Dockerfile."""
    body = (
        "# syntax=docker/dockerfile:1\nFROM php:8.2-apache\n"
        "RUN curl -fsSL https://x.example/i.sh | sh\n"
    )
    for name in ("Dockerfile.php", "Dockerfile.java", "dockerfile.rb"):
        (tmp_path / name).write_text(body)
    (tmp_path / "dockerfile.pm").write_text("package X;\n__DATA__\nFROM perl\nRUN curl -k x | sh\n")
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    piped = sorted(f.location.path for f in findings(items, "docker/curl-pipe-shell"))
    assert piped == ["Dockerfile.java", "Dockerfile.php", "dockerfile.rb"]
    assert not errors(items)
