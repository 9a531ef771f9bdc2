"""Session 19 (iacleft19): Terraform semantics left by session 18 (issue 16).

- ``.terraform.lock.hcl``: the provider versions a root module locks decide the defaults that
  changed across provider versions (Redshift's ``publicly_accessible`` before AWS provider 6);
  without a lock file the rules read as before. The lock file is the tree's: hostile input.
- ``dynamic "statement"`` in ``aws_iam_policy_document``: one statement per element of a
  known collection; over an unknown collection the statement may not exist and decides no
  finding.
- ``keys()``/``values()`` of known maps, so that a module fed by its caller's map is read
  with the caller's values.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.iac.helpers import errors, findings

from pipesec.scanners.iac.files import kind_of
from pipesec.scanners.iac.hcl import Expr, HclError, Scope, build_blocks, collect_definitions
from pipesec.scanners.iac.tfproject import load_file, locked_providers, scan_texts

REDSHIFT_PUBLIC = "tf/aws-redshift-public"
CLUSTER = (
    'resource "aws_redshift_cluster" "dw" {\n  cluster_identifier = "dw"\n'
    '  node_type = "ra3.xlplus"\n  master_username = "etl"\n  database_name = "orders"\n}\n'
)


def _lock(*providers: tuple[str, str]) -> str:
    return "".join(
        f'provider "{source}" {{\n  version     = "{version}"\n  constraints = "~> 5.0"\n'
        '  hashes = [\n    "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",\n  ]\n}\n'
        for source, version in providers
    )


def _lines(texts: dict[str, str], rule: str) -> list[tuple[str, int]]:
    return sorted(
        (f.location.path, f.location.start_line) for f in findings(list(scan_texts(texts)), rule)
    )


def test_the_lock_file_is_read_as_terraform() -> None:
    assert kind_of(".terraform.lock.hcl") == "tf"


def test_redshift_left_public_by_an_old_locked_aws_provider() -> None:
    old = _lock(("registry.terraform.io/hashicorp/aws", "5.100.0"))
    new = _lock(("registry.terraform.io/hashicorp/aws", "6.2.0"))
    assert _lines({"main.tf": CLUSTER, ".terraform.lock.hcl": old}, REDSHIFT_PUBLIC) == [
        ("main.tf", 1)
    ]
    assert _lines({"main.tf": CLUSTER, ".terraform.lock.hcl": new}, REDSHIFT_PUBLIC) == []
    assert _lines({"main.tf": CLUSTER}, REDSHIFT_PUBLIC) == []  # no lock file: as before
    explicit = CLUSTER.replace('"orders"\n', '"orders"\n  publicly_accessible = false\n')
    assert _lines({"main.tf": explicit, ".terraform.lock.hcl": old}, REDSHIFT_PUBLIC) == []


def test_a_module_below_runs_with_its_root_lock_file() -> None:
    """A module in a folder below the root reads the root's lock file, on its own and when
    the root calls it; a module beside the root (no lock file above it) reads none."""
    old = _lock(("registry.terraform.io/hashicorp/aws", "4.67.0"))
    texts = {
        "live/.terraform.lock.hcl": old,
        "live/main.tf": 'module "dw" {\n  source = "../modules/dw"\n  name = "dw"\n}\n',
        "live/modules/inner/main.tf": CLUSTER,
        "modules/dw/main.tf": 'variable "name" {\n  default = "x"\n}\n' + CLUSTER,
    }
    assert _lines(texts, REDSHIFT_PUBLIC) == [
        ("live/modules/inner/main.tf", 1),
        ("modules/dw/main.tf", 4),
    ]


def test_a_lock_file_of_another_shape_changes_nothing() -> None:
    cases = [
        _lock(("registry.terraform.io/acme/aws", "4.0.0")),  # not HashiCorp's provider
        _lock(("registry.terraform.io/hashicorp/aws", "latest")),
        _lock(("registry.terraform.io/hashicorp/aws", "4.0")),
        _lock(("hashicorp/aws", "4.0.0")),
        _lock(  # locked twice with different majors: not known
            ("registry.terraform.io/hashicorp/aws", "4.0.0"),
            ("registry.opentofu.org/hashicorp/aws", "6.0.0"),
        ),
        'provider "registry.terraform.io/hashicorp/aws" {\n  version = var.v\n}\n',
        'resource "aws_s3_bucket" "x" {\n  acl = "public-read"\n}\n',  # not a module file
        "",
    ]
    for lock in cases:
        items = list(scan_texts({"main.tf": CLUSTER, ".terraform.lock.hcl": lock}))
        assert findings(items, REDSHIFT_PUBLIC) == [], lock
        assert findings(items, "tf/aws-s3-public-acl") == [], lock
        assert errors(items) == [], lock


def test_a_broken_lock_file_is_an_error_at_it_and_the_module_is_checked() -> None:
    items = list(
        scan_texts({"main.tf": CLUSTER, ".terraform.lock.hcl": 'provider "x" {\n  version = \n'})
    )
    assert [e.path for e in errors(items)] == [".terraform.lock.hcl"]
    assert findings(items, "tf/aws-redshift-logging-disabled")


def test_locked_providers_reads_hashicorp_majors() -> None:
    text = _lock(
        ("registry.terraform.io/hashicorp/aws", "5.31.0"),
        ("registry.terraform.io/hashicorp/google", "6.0.0-beta2"),
        ("registry.terraform.io/hashicorp/random", "3.6.0"),
        ("registry.terraform.io/integrations/github", "6.2.1"),
    )
    assert locked_providers(load_file(".terraform.lock.hcl", text)) == {
        "aws": 5,
        "google": 6,
        "random": 3,
    }


_LABELS = st.sampled_from(
    [
        "registry.terraform.io/hashicorp/aws",
        "registry.opentofu.org/hashicorp/aws",
        "registry.terraform.io/hashicorp/google",
        "hashicorp/aws",
        "a/b/c/d",
        "registry.terraform.io/hashicorp/",
        "registry.terraform.io/hashicorp/a-b",
    ]
)
_PIECES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            'provider "',
            '" {\n',
            "}\n",
            "version = ",
            '"5.1.0"',
            '"6.0.0"',
            "hashes = [",
            "]",
            "${",
            "%{",
            "<<EOT\n",
            "EOT\n",
            "#",
            "\n",
            '"',
            "{",
            "}",
            "=",
            "999999999999.0.0",
        ]
    ),
    _LABELS,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_locked_providers_never_raises_on_any_text(parts: list[str]) -> None:
    text = "".join(parts)
    try:
        pf = load_file(".terraform.lock.hcl", text)
    except HclError:
        return
    found = locked_providers(pf)
    assert all(isinstance(k, str) and k.isidentifier() for k in found)
    assert all(isinstance(v, int) and 0 <= v < 10**6 for v in found.values())


@settings(max_examples=100, deadline=None)
@given(st.lists(_PIECES, max_size=30))
def test_a_scan_with_any_lock_file_keeps_the_module_findings(parts: list[str]) -> None:
    """Whatever the lock file holds, the module's other findings are kept and nothing
    raises: at most an error at the lock file."""
    items = list(scan_texts({"main.tf": CLUSTER, ".terraform.lock.hcl": "".join(parts)}))
    assert {e.path for e in errors(items)} <= {".terraform.lock.hcl"}
    assert findings(items, "tf/aws-redshift-logging-disabled")


POLICY = (
    'resource "aws_iam_policy" "p" {\n  name = "p"\n'
    "  policy = data.aws_iam_policy_document.p.json\n}\n"
)


def test_dynamic_statements_of_a_known_collection_are_read() -> None:
    text = (
        "locals {\n  statements = [\n"
        '    { actions = ["s3:GetObject"], resources = ["arn:aws:s3:::b/*"] },\n'
        '    { actions = ["*"], resources = ["*"] },\n  ]\n}\n'
        'data "aws_iam_policy_document" "p" {\n  dynamic "statement" {\n'
        "    for_each = local.statements\n    content {\n"
        "      actions   = statement.value.actions\n"
        "      resources = statement.value.resources\n    }\n  }\n}\n" + POLICY
    )
    assert findings(list(scan_texts({"main.tf": text})), "tf/aws-iam-wildcard-policy")


def test_a_dynamic_statement_over_an_unknown_collection_decides_nothing() -> None:
    """``for_each = var.admin ? [1] : []``: the statement may not exist, so its literal
    ``*`` on ``*`` is no finding; the known statement beside it is still read."""
    dynamic = (
        'variable "admin" {}\n'
        'data "aws_iam_policy_document" "p" {\n  dynamic "statement" {\n'
        "    for_each = var.admin ? [1] : []\n    content {\n"
        '      actions   = ["*"]\n      resources = ["*"]\n    }\n  }\n'
        "  statement {\n    actions = [{known}]\n"
        '    resources = ["*"]\n  }\n}\n' + POLICY
    )
    quiet = dynamic.replace("{known}", '"s3:GetObject"')
    loud = dynamic.replace("{known}", '"iam:PassRole", "ec2:RunInstances"')
    rules = ("tf/aws-iam-wildcard-policy", "tf/aws-iam-privilege-escalation")
    got = {r: findings(list(scan_texts({"main.tf": quiet})), r) for r in rules}
    assert got == {r: [] for r in rules}
    assert findings(list(scan_texts({"main.tf": loud})), "tf/aws-iam-privilege-escalation")


SQL_MODULE = """
variable "ip_configuration" {
  type    = any
  default = {}
}
locals {
  enabled = length(keys(var.ip_configuration)) > 0 ? true : false
  configurations = {
    enabled  = var.ip_configuration
    disabled = {}
  }
}
resource "google_sql_database_instance" "default" {
  name             = "pg"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    dynamic "ip_configuration" {
      for_each = [local.configurations[local.enabled ? "enabled" : "disabled"]]
      content {
        ipv4_enabled = lookup(ip_configuration.value, "ipv4_enabled", null)
        dynamic "authorized_networks" {
          for_each = lookup(ip_configuration.value, "authorized_networks", [])
          content {
            name  = lookup(authorized_networks.value, "name", null)
            value = lookup(authorized_networks.value, "value", null)
          }
        }
      }
    }
  }
}
"""


def test_a_module_fed_by_its_callers_map_through_keys_and_lookup() -> None:
    """terraform-google-sql-db's form (session 18, iacprec): the module picks the caller's
    map by ``length(keys(var.m)) > 0`` and reads it with ``lookup(m, "k", default)``."""
    caller = (
        'module "pg" {\n  source = "./modules/pg"\n  ip_configuration = {\n'
        "    ipv4_enabled = true\n"
        '    authorized_networks = [{ name = "all", value = "0.0.0.0/0" }]\n  }\n}\n'
    )
    private = caller.replace('"0.0.0.0/0"', '"10.0.0.0/8"')
    rule = "tf/gcp-sql-public"
    module = {"modules/pg/main.tf": SQL_MODULE}
    # at the authorized network's value, the caller's 0.0.0.0/0
    assert _lines({"main.tf": caller, **module}, rule) == [("modules/pg/main.tf", 26)]
    assert _lines({"main.tf": private, **module}, rule) == []
    assert _lines(module, rule) == []  # on its own: the caller's map is not known


def test_keys_and_values_of_a_known_map_in_terraform_order() -> None:
    text = (
        'locals {\n  m = { b = "2", a = "1" }\n}\n'
        'resource "aws_s3_bucket" "x" {\n'
        "  tags = { k = keys(local.m)[0], v = values(local.m)[0], n = length(values(var.u)) }\n}\n"
    )
    pf = load_file("main.tf", text)
    _, local_nodes = collect_definitions([pf])
    bucket = next(b for b in build_blocks(pf, Scope({}, local_nodes)) if b.type == "resource")
    tags = bucket.value("tags")
    assert (tags["k"], tags["v"]) == ("a", "1")
    assert isinstance(tags["n"], Expr)  # the values of an unknown map are not known
