from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.iac.helpers import errors, findings

from pipesec.scanners.iac.hcl import Expr, HclError, Scope, build_blocks
from pipesec.scanners.iac.tfproject import load_file, scan_texts

FAKE_VALUE = "".join(
    ["S3cure", "-Pa55", "-2024"]
)  # built from parts: no whole fake secret in test code


def _scan(files: dict[str, str]) -> list:  # type: ignore[type-arg]
    return list(scan_texts(files))


def test_variables_locals_and_exact_lines() -> None:
    items = _scan(
        {
            "main.tf": """\
variable "admin_cidr" {
  default = "0.0.0.0/0"
}
locals {
  ssh = 22
  ranges = [var.admin_cidr]
}
resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = local.ssh
    to_port     = local.ssh
    protocol    = "tcp"
    cidr_blocks = local.ranges
  }
}
"""
        }
    )
    hits = findings(items, "tf/aws-sg-open-ssh")
    assert [(f.location.path, f.location.start_line) for f in hits] == [("main.tf", 14)]


def test_unknown_values_never_fire() -> None:
    items = _scan(
        {
            "main.tf": """\
variable "cidr" {}
resource "aws_security_group" "x" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}
"""
        }
    )
    assert not findings(items, "tf/aws-sg-open-ssh")


def test_local_module_followed_with_inputs() -> None:
    items = _scan(
        {
            "envs/prod/main.tf": (
                'module "db" {\n  source = "../../modules/db"\n  public = true\n}\n'
            ),
            "modules/db/main.tf": """\
variable "public" {
  default = false
}
resource "aws_db_instance" "this" {
  storage_encrypted   = true
  publicly_accessible = var.public
}
""",
        }
    )
    hits = findings(items, "tf/aws-rds-public")
    assert [(f.location.path, f.location.start_line) for f in hits] == [("modules/db/main.tf", 6)]


def test_module_outside_tree_or_cycle_ignored() -> None:
    items = _scan(
        {
            "a/main.tf": (
                'module "b" {\n  source = "../b"\n  x = 1\n}\n'
                'module "out" {\n  source = "../../x"\n  y = 1\n}\n'
            ),
            "b/main.tf": 'variable "x" {}\nmodule "a" {\n  source = "../a"\n  z = 2\n}\n',
        }
    )
    assert not errors(items)


def test_heredoc_policy_and_attribute_line() -> None:
    items = _scan(
        {
            "iam.tf": """\
resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow",
    "Action": "*",
    "Resource": "*"}]
}
EOF
}
"""
        }
    )
    assert [f.location.start_line for f in findings(items, "tf/aws-iam-wildcard-policy")] == [7]


def test_missing_attribute_points_at_block() -> None:
    items = _scan({"main.tf": '\n\nresource "aws_instance" "web" {\n  ami = "ami-1"\n}\n'})
    assert [f.location.start_line for f in findings(items, "tf/aws-imdsv1-allowed")] == [3]


def test_malformed_hcl_is_an_error_with_position_and_others_go_on() -> None:
    items = _scan(
        {
            "bad.tf": 'resource "aws_s3_bucket" "b" {\n  acl = \n}\n',
            "good.tf": 'resource "aws_ebs_volume" "v" {\n  size = 1\n}\n',
        }
    )
    errs = errors(items)
    assert len(errs) == 1 and errs[0].path == "bad.tf" and errs[0].line >= 1
    assert findings(items, "tf/aws-ebs-unencrypted")


def test_unknown_resource_types_are_fine() -> None:
    items = _scan(
        {
            "main.tf": (
                'resource "acme_widget" "w" {\n  size = 3\n  dynamic "x" {\n'
                "    for_each = []\n    content {}\n  }\n}\n"
            )
        }
    )
    assert items == []


def test_dynamic_block_content_is_checked() -> None:
    items = _scan(
        {
            "main.tf": """\
resource "aws_security_group" "x" {
  dynamic "ingress" {
    for_each = [1]
    content {
      from_port   = 3389
      to_port     = 3389
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
"""
        }
    )
    assert [f.location.start_line for f in findings(items, "tf/aws-sg-open-rdp")] == [8]


def test_expression_evaluation() -> None:
    pf = load_file(
        "x.tf",
        'locals {\n  a = { b = [1, "x${var.n}"] }\n}\nresource "r" "n" {\n'
        '  v = local.a.b[1]\n  w = -3\n  u = upper("x")\n  j = jsonencode({ k = true })\n'
        "  t = timestamp()\n}\n",
    )
    from pipesec.scanners.iac.hcl import collect_definitions

    _vars, locs = collect_definitions([pf])
    blocks = build_blocks(pf, Scope({"n": 2}, locs))
    r = next(b for b in blocks if b.type == "resource")
    assert r.value("v") == "x2"
    assert r.value("w") == -3
    assert r.value("u") == "X"
    assert isinstance(r.value("t"), Expr)
    assert r.value("j") == {"k": True}


def test_load_file_raises_hcl_error() -> None:
    try:
        load_file("x.tf", "resource {{{")
    except HclError as exc:
        assert exc.line == 1
    else:
        raise AssertionError("expected HclError")


def test_hcl_error_message_never_quotes_a_value() -> None:
    """A syntax error's message names the text near it only when that is a plain name: the
    scanned tree is hostile and errors are not redacted (a password after a stray token was
    written whole into the JSON report's errors; session 12)."""
    value = "dc" + "PnIed1dH2XKe"
    try:
        load_file("main.tf", f"enable secret 0 {value}\n")
    except HclError as exc:
        assert value not in exc.message
    else:
        raise AssertionError("expected HclError")
    try:
        load_file("x.tf", "resource {{{")
    except HclError as exc:
        assert exc.message.startswith("invalid HCL")


_PIECES = st.sampled_from(
    [
        'resource "aws_s3_bucket" "b" {',
        "}",
        'acl = "public-read"',
        "x = var.y",
        "locals {",
        "a = local.a",
        'variable "y" {',
        'default = "0.0.0.0/0"',
        "<<EOF",
        "EOF",
        "${",
        "[",
        "]",
        "{",
        'module "m" {',
        'source = "./m"',
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=25))
def test_fuzz_hcl_loader_never_raises(parts: list[str]) -> None:
    text = "\n".join(parts)
    _scan({"main.tf": text, "m/main.tf": text})


def test_auto_loaded_tfvars_override_defaults() -> None:
    items = _scan(
        {
            "env/main.tf": """\
variable "db_public" {
  default = false
}
resource "aws_db_instance" "main" {
  storage_encrypted   = true
  publicly_accessible = var.db_public
}
""",
            "env/terraform.tfvars": "db_public = true\n",
        }
    )
    hits = findings(items, "tf/aws-rds-public")
    assert [(f.location.path, f.location.start_line) for f in hits] == [("env/main.tf", 6)]


def test_secret_variable_default_reported_where_written() -> None:
    items = _scan(
        {
            "main.tf": 'variable "db_password" {\n  type    = string\n'
            '  default = "' + FAKE_VALUE + '"\n}\n'
            'resource "aws_db_instance" "x" {\n  storage_encrypted = true\n'
            "  password = var.db_password\n}\n"
        }
    )
    hits = findings(items, "tf/hardcoded-secret")
    assert [f.location.start_line for f in hits] == [3]
    assert FAKE_VALUE not in hits[0].snippet
