"""Terraform semantics of the static read: count/for_each instances, dynamic blocks,
locals and variables, JSON variable files, module instances, the cheap functions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.iac.helpers import errors, findings

from pipesec.scanners.iac.hcl import Expr, Scope, build_blocks, collect_definitions
from pipesec.scanners.iac.tfproject import load_file, load_var_json, scan_texts

SG_OPEN_SSH = "tf/aws-sg-open-ssh"


def _scan(files: dict[str, str]) -> list[Any]:
    return list(scan_texts(files))


def _lines(items: list[Any], rule: str) -> list[tuple[str, int]]:
    return [(f.location.path, f.location.start_line) for f in findings(items, rule)]


def _resource(text: str) -> Any:
    pf = load_file("x.tf", text)
    _vars, locs = collect_definitions([pf])
    blocks = build_blocks(pf, Scope({"on": True, "env": "prod", "n": 2}, locs))
    return next(b for b in blocks if b.type == "resource")


VOLUME = """\
resource "aws_ebs_volume" "v" {{
  {meta}
  size      = 10
  encrypted = {value}
}}
"""


def test_count_zero_means_no_resource() -> None:
    assert not _scan({"main.tf": VOLUME.format(meta="count = 0", value="false")})
    off = 'variable "on" {\n  default = false\n}\n' + VOLUME.format(
        meta="count = var.on ? 1 : 0", value="false"
    )
    assert not findings(_scan({"main.tf": off}), "tf/aws-ebs-unencrypted")


def test_counted_resource_is_reported_once_at_the_attribute() -> None:
    items = _scan({"main.tf": VOLUME.format(meta="count = 3", value="false")})
    assert _lines(items, "tf/aws-ebs-unencrypted") == [("main.tf", 4)]
    # an unknown count is one instance, as before
    items = _scan({"main.tf": VOLUME.format(meta="count = length(var.azs)", value="false")})
    assert _lines(items, "tf/aws-ebs-unencrypted") == [("main.tf", 4)]


def test_count_index_is_known_per_instance() -> None:
    items = _scan(
        {"main.tf": VOLUME.format(meta="count = 2", value="count.index == 1 ? false : true")}
    )
    assert _lines(items, "tf/aws-ebs-unencrypted") == [("main.tf", 4)]
    items = _scan({"main.tf": VOLUME.format(meta="count = 1", value="count.index == 0")})
    assert not findings(items, "tf/aws-ebs-unencrypted")


def test_for_each_values_are_checked() -> None:
    text = """\
locals {
  volumes = {
    logs = { encrypted = true }
    tmp  = { encrypted = false }
  }
}
resource "aws_ebs_volume" "v" {
  for_each  = local.volumes
  size      = 10
  encrypted = each.value.encrypted
}
"""
    assert _lines(_scan({"main.tf": text}), "tf/aws-ebs-unencrypted") == [("main.tf", 10)]
    safe = text.replace("encrypted = false", "encrypted = true")
    assert not findings(_scan({"main.tf": safe}), "tf/aws-ebs-unencrypted")
    empty = text.replace("for_each  = local.volumes", "for_each  = {}")
    assert not _scan({"main.tf": empty})
    unknown = text.replace("for_each  = local.volumes", "for_each  = var.volumes")
    assert not findings(_scan({"main.tf": unknown}), "tf/aws-ebs-unencrypted")


def test_for_each_over_a_set_of_strings() -> None:
    text = """\
resource "aws_security_group_rule" "in" {
  for_each          = toset(["22", "443"])
  type              = "ingress"
  from_port         = tonumber(each.key)
  to_port           = tonumber(each.value)
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = "sg-1"
}
"""
    # tonumber of a string stays unknown: no finding, and no error
    items = _scan({"main.tf": text})
    assert not errors(items)
    text = text.replace("tonumber(each.key)", "22").replace("tonumber(each.value)", "22")
    assert findings(_scan({"main.tf": text}))


DYNAMIC = """\
variable "ports" {
  default = [80, 22]
}
resource "aws_security_group" "web" {
  name = "web"
  dynamic "ingress" {
    for_each = var.ports
    %s
    content {
      from_port   = %s.value
      to_port     = %s.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
"""


def test_dynamic_block_expanded_over_a_known_list() -> None:
    items = _scan({"main.tf": DYNAMIC % ("", "ingress", "ingress")})
    assert _lines(items, SG_OPEN_SSH) == [("main.tf", 13)]
    items = _scan({"main.tf": DYNAMIC % ("iterator = rule", "rule", "rule")})
    assert _lines(items, SG_OPEN_SSH) == [("main.tf", 13)]
    safe = (DYNAMIC % ("", "ingress", "ingress")).replace("[80, 22]", "[80, 443]")
    assert not findings(_scan({"main.tf": safe}), SG_OPEN_SSH)


def test_dynamic_block_over_a_map_and_unknown_collections() -> None:
    text = (DYNAMIC % ("", "ingress", "ingress")).replace("[80, 22]", "{ http = 80, ssh = 22 }")
    assert _lines(_scan({"main.tf": text}), SG_OPEN_SSH) == [("main.tf", 13)]
    unknown = (DYNAMIC % ("", "ingress", "ingress")).replace(
        'variable "ports" {\n  default = [80, 22]\n}\n', 'variable "ports" {}\n'
    )
    assert not findings(_scan({"main.tf": unknown}), SG_OPEN_SSH)
    empty = (DYNAMIC % ("", "ingress", "ingress")).replace("[80, 22]", "[]")
    assert not findings(_scan({"main.tf": empty}), SG_OPEN_SSH)


def test_locals_chain_through_locals_and_variables() -> None:
    text = """\
variable "env" {
  default = "prod"
}
locals {
  public = local.is_prod ? false : true
  is_prod = var.env == "prod"
  tags = merge({ team = "a" }, { env = var.env })
}
resource "aws_db_instance" "db" {
  storage_encrypted   = true
  publicly_accessible = local.public
  tags                = local.tags
}
"""
    assert not findings(_scan({"main.tf": text}), "tf/aws-rds-public")
    dev = text.replace('default = "prod"', 'default = "dev"')
    assert _lines(_scan({"main.tf": dev}), "tf/aws-rds-public") == [("main.tf", 11)]


def test_functions_evaluated_when_cheap() -> None:
    r = _resource(
        """\
locals {
  m = { a = 1, b = "x" }
}
resource "r" "n" {
  l  = lookup(local.m, "b", "d")
  d  = lookup(local.m, "zz", "d")
  u  = lookup(var.unknown, "b", "d")
  m  = merge(local.m, { c = true })
  c  = concat([1], [2, 3])
  co = coalesce("", null, "first")
  cu = coalesce(var.unknown, "x")
  t  = try(local.m.a, 5)
  tu = try(var.unknown.x, 5)
  lo = lower("ABC")
  n  = length([1, 2])
  b  = var.on && !false
  e  = var.env != "dev"
  p  = var.n * 2 + 1
  g  = var.n >= 2
  s  = "${var.env}-${var.n}"
}
"""
    )
    assert r.value("l") == "x" and r.value("d") == "d"
    assert r.value("m") == {"a": 1, "b": "x", "c": True}
    assert r.value("c") == [1, 2, 3] and r.value("co") == "first"
    assert r.value("t") == 1 and r.value("lo") == "abc" and r.value("n") == 2
    assert r.value("b") is True and r.value("e") is True
    assert r.value("p") == 5 and r.value("g") is True and r.value("s") == "prod-2"
    for unknown in ("u", "cu", "tu"):
        assert isinstance(r.value(unknown), Expr), unknown


def test_tfvars_json_is_auto_loaded_in_terraform_order() -> None:
    main = """\
variable "public" {
  default = false
}
resource "aws_db_instance" "db" {
  storage_encrypted   = true
  publicly_accessible = var.public
}
"""
    files = {"env/main.tf": main, "env/terraform.tfvars.json": json.dumps({"public": True})}
    assert _lines(_scan(files), "tf/aws-rds-public") == [("env/main.tf", 6)]
    # *.auto.tfvars(.json) come after terraform.tfvars(.json): the last one wins
    files["env/z.auto.tfvars.json"] = json.dumps({"public": False})
    assert not findings(_scan(files), "tf/aws-rds-public")
    files["env/terraform.tfvars.json"] = "[1, 2]"
    (err,) = errors(_scan(files))
    assert err.path == "env/terraform.tfvars.json" and "JSON object" in err.message


def test_module_for_each_instances_pass_their_values() -> None:
    files = {
        "main.tf": """\
module "db" {
  for_each = { a = { open = false }, b = { open = true } }
  source   = "./modules/db"
  exposed  = each.value.open
  engine   = each.key == "a" ? "mysql" : "postgres"
}
""",
        "modules/db/main.tf": """\
variable "exposed" {}
variable "engine" {}
resource "aws_db_instance" "this" {
  engine              = var.engine
  storage_encrypted   = true
  publicly_accessible = var.exposed
}
""",
    }
    assert _lines(_scan(files), "tf/aws-rds-public") == [("modules/db/main.tf", 6)]
    files["main.tf"] = files["main.tf"].replace("open = true", "open = false")
    assert not findings(_scan(files), "tf/aws-rds-public")


def test_nested_counted_dynamic_blocks_stay_bounded() -> None:
    inner = 'content {\n from_port = 22\n to_port = 22\n protocol = "tcp"\n}'
    for _ in range(6):
        inner = f'dynamic "ingress" {{\n for_each = range(32)\n {inner}\n}}'
    text = 'resource "aws_security_group" "x" {\n count = 32\n' + inner + "\n}\n"
    items = _scan({"main.tf": text})  # range() is unknown: one block per level
    assert not errors(items)
    many = "[" + ", ".join(str(i) for i in range(32)) + "]"
    items = _scan({"main.tf": text.replace("range(32)", many)})  # 32^6 without the budget
    assert not errors(items)


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=6)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
        ),
        max_leaves=12,
    )
)
def test_fuzz_tfvars_json(value: Any) -> None:
    text = json.dumps(value)
    for candidate in (text, text[: len(text) // 2]):
        try:
            got = load_var_json(candidate)
        except Exception as exc:  # only the loader's own error
            assert type(exc).__name__ == "HclError"
            continue
        assert isinstance(got, dict)
    files = {"main.tf": 'variable "x" {}\n', "terraform.tfvars.json": text}
    list(scan_texts(files))


def test_locals_that_double_each_other_become_unknown() -> None:
    for first, step in (
        ('"abcdefgh"', '"${local.a%d}${local.a%d}"'),
        ('["x"]', "[local.a%d, local.a%d]"),
    ):
        lines = ["locals {", f"  a0 = {first}"]
        lines += [f"  a{i} = " + step % (i - 1, i - 1) for i in range(1, 48)]
        lines += ["}", 'resource "r" "n" {', "  v = local.a47", "  w = local.a3", "}"]
        r = _resource("\n".join(lines))
        assert isinstance(r.value("v"), Expr)  # 2**47 elements otherwise
        assert r.value("w") not in (None,) and not isinstance(r.value("w"), Expr)


def test_a_disabled_resource_still_has_its_credential_in_the_code() -> None:
    secret = "".join(["Zq8", "-wP3v", "-Lk92", "-xTe"])
    text = (
        'resource "aws_db_instance" "old" {\n  count               = 0\n'
        '  publicly_accessible = true\n  password            = "' + secret + '"\n}\n'
    )
    items = _scan({"main.tf": text})
    assert _lines(items, "tf/hardcoded-secret") == [("main.tf", 4)]
    assert not findings(items, "tf/aws-rds-public")
    assert all(secret not in f.snippet for f in findings(items))


_BUCKETS = """
resource "aws_s3_bucket" "data" {
  for_each = var.names
  bucket   = each.value
}
"""
_VERSIONING = """
resource "aws_s3_bucket_versioning" "data" {
  for_each = %s
  bucket   = %s
  versioning_configuration {
    status = "Enabled"
  }
}
"""


@pytest.mark.parametrize(
    ("for_each", "bucket", "linked"),
    [
        ("aws_s3_bucket.data", "each.value.id", True),  # one instance per bucket
        ("{ for k, b in aws_s3_bucket.data : k => b.id }", "each.value", True),
        ("var.names", "aws_s3_bucket.data[each.key].id", True),
        ("var.names", "each.value", True),  # the bucket's own name under the same for_each
        ("var.other", "each.value", False),  # another collection: another bucket
        ("var.names", "each.value.other", False),
    ],
)
def test_companion_resources_linked_through_for_each(
    for_each: str, bucket: str, linked: bool
) -> None:
    text = _BUCKETS + _VERSIONING % (for_each, bucket)
    hits = findings(scan_texts({"main.tf": text}), "tf/aws-s3-versioning-disabled")
    assert (not hits) is linked


def test_companion_resources_linked_by_the_same_variable() -> None:
    text = """
resource "aws_s3_bucket" "logs" {
  bucket = var.log_bucket
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = var.log_bucket
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = "acme-data"
  target_bucket = var.log_bucket
}

resource "aws_vpc" "main" {
  for_each   = var.vpcs
  cidr_block = each.value
}

resource "aws_flow_log" "main" {
  for_each     = aws_vpc.main
  vpc_id       = each.value.id
  traffic_type = "ALL"
}
"""
    items = scan_texts({"main.tf": text})
    assert not findings(items, "tf/aws-s3-versioning-disabled")
    # the logs bucket receives access logs: it is not asked to log itself
    assert not findings(items, "tf/aws-s3-access-logging-disabled")
    assert not findings(items, "tf/aws-vpc-no-flow-logs")
    other = text.replace(
        "bucket = var.log_bucket\n  versioning", "bucket = var.other\n  versioning"
    )
    assert findings(scan_texts({"main.tf": other}), "tf/aws-s3-versioning-disabled")


_S3_MODULE = """
variable "name" {
  type = string
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

output "id" {
  value = aws_s3_bucket.this.id
}

output "bucket_id" {
  value = try(aws_s3_bucket.this[0].id, "")
}

output "name" {
  value = var.name
}
"""
_ROOT_CALL = """
module "s3" {
  source = "./modules/s3"
  name   = "acme-data"
}
"""
_S3_COMPANIONS = {
    "tf/aws-s3-versioning-disabled": """
resource "aws_s3_bucket_versioning" "data" {
  bucket = %s
  versioning_configuration {
    status = "Enabled"
  }
}
""",
    "tf/aws-s3-no-public-access-block": """
resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = %s
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
""",
    "tf/aws-s3-unencrypted": """
resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = %s
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
""",
    "tf/aws-s3-access-logging-disabled": """
resource "aws_s3_bucket_logging" "data" {
  bucket        = %s
  target_bucket = "acme-access-logs"
}
""",
}


@pytest.mark.parametrize("rule", sorted(_S3_COMPANIONS))
@pytest.mark.parametrize(
    ("ref", "linked"),
    [
        ("module.s3.id", True),
        ("module.s3.bucket_id", True),  # try(aws_s3_bucket.this[0].id, "")
        ("module.s3.name", True),  # the output is the bucket's name, a literal here
        ('"${module.s3.id}"', True),
        ("module.s3.missing", False),  # no such output: links nothing
        ("module.other.id", False),  # another module call
    ],
)
def test_a_caller_companion_covers_a_bucket_made_in_a_local_module(
    rule: str, ref: str, linked: bool
) -> None:
    files = {
        "main.tf": _ROOT_CALL + _S3_COMPANIONS[rule] % ref,
        "modules/s3/main.tf": _S3_MODULE,
    }
    hits = findings(scan_texts(files), rule)
    assert [(f.location.path, f.location.start_line) for f in hits] == (
        [] if linked else [("modules/s3/main.tf", 6)]
    )


def test_only_the_caller_of_a_module_covers_its_bucket() -> None:
    """Two callers of one module: the one whose bucket has no versioning is reported (its
    walked instance), a companion in the other caller does not cover it."""
    versioning = _S3_COMPANIONS["tf/aws-s3-versioning-disabled"] % "module.s3.id"
    files = {
        "prod/main.tf": _ROOT_CALL.replace("./modules", "../modules") + versioning,
        "dev/main.tf": _ROOT_CALL.replace("./modules", "../modules").replace("data", "dev"),
        "modules/s3/main.tf": _S3_MODULE,
    }
    hits = findings(scan_texts(files), "tf/aws-s3-versioning-disabled")
    assert [(f.location.path, f.location.start_line) for f in hits] == [("modules/s3/main.tf", 6)]
    del files["dev/main.tf"]
    assert not findings(scan_texts(files), "tf/aws-s3-versioning-disabled")


def test_a_companion_in_a_called_module_covers_the_callers_bucket() -> None:
    root = """
resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

module "hardening" {
  source = "./modules/hardening"
  bucket = aws_s3_bucket.data.id
  vpc_id = aws_vpc.main.id
}
"""
    module = """
variable "bucket" {}
variable "vpc_id" {}

resource "aws_s3_bucket_versioning" "this" {
  bucket = var.bucket
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_flow_log" "this" {
  vpc_id       = var.vpc_id
  traffic_type = "ALL"
}
"""
    items = list(scan_texts({"main.tf": root, "modules/hardening/main.tf": module}))
    assert not findings(items, "tf/aws-s3-versioning-disabled")
    assert not findings(items, "tf/aws-vpc-no-flow-logs")
    assert findings(items, "tf/aws-s3-no-public-access-block")
    # a literal name passed in names the same bucket
    literal = root.replace("aws_s3_bucket.data.id", '"acme-data"')
    items = list(scan_texts({"main.tf": literal, "modules/hardening/main.tf": module}))
    assert not findings(items, "tf/aws-s3-versioning-disabled")
    # the module's own resource of the same address is not the caller's bucket
    own = module.replace("var.bucket", "aws_s3_bucket.data.id") + (
        'resource "aws_s3_bucket" "data" {\n  bucket = "acme-other"\n}\n'
    )
    items = list(scan_texts({"main.tf": root, "modules/hardening/main.tf": own}))
    hits = findings(items, "tf/aws-s3-versioning-disabled")
    assert [(f.location.path, f.location.start_line) for f in hits] == [("main.tf", 2)]


def test_flow_log_of_a_vpc_made_in_a_module_and_unresolved_outputs() -> None:
    vpc = (
        'variable "cidr" {}\nresource "aws_vpc" "this" {\n  cidr_block = var.cidr\n}\n'
        'output "vpc_id" {\n  value = aws_vpc.this.id\n}\n'
    )
    root = (
        'module "vpc" {\n  source = "./modules/vpc"\n  cidr   = "10.0.0.0/16"\n}\n'
        'module "remote" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
        'resource "aws_flow_log" "main" {\n  vpc_id       = %s\n  traffic_type = "ALL"\n}\n'
    )
    for ref, flagged in [("module.vpc.vpc_id", False), ("module.remote.vpc_id", True)]:
        items = list(scan_texts({"main.tf": root % ref, "modules/vpc/main.tf": vpc}))
        assert bool(findings(items, "tf/aws-vpc-no-flow-logs")) is flagged
        assert not errors(items)
