"""IaC rules as data: every packaged rule file loads (tests/scanners/iac/test_rules.py runs
every rule's vulnerable and fixed examples, data rules among them); the CEL evaluation never
reports a finding on a value it cannot know."""

from __future__ import annotations

import dataclasses
import json
import logging
from importlib import resources
from pathlib import Path

import pytest
from tests.scanners.iac.helpers import findings, scan_family

from pipesec.scanners.iac import datarules
from pipesec.scanners.iac.cel import CelError, Condition, to_cel
from pipesec.scanners.iac.hcl import Expr

FILES = datarules.rule_files()


def test_every_file_loads_and_the_tree_holds_only_rule_files() -> None:
    root = resources.files("pipesec.scanners.iac") / "rules"
    on_disk = [
        f"{d.name}/{f.name}"
        for d in root.iterdir()
        if d.is_dir() and not d.name.startswith("__")
        for f in d.iterdir()
        if not f.name.startswith("__")
    ]
    assert {p.split("/")[0] for p in on_disk} <= set(datarules.FAMILIES)
    assert all(p.endswith(".yaml") for p in on_disk), on_disk
    assert len(FILES) == len(on_disk)
    assert len({rf.id for rf in FILES}) == len(FILES)


def test_cloudformation_target_validates() -> None:
    text = """\
id: aws-sqs-unencrypted
title: SQS queue without server-side encryption
severity: low
rationale: Messages are stored in clear.
remediation: Enable SSE.
cloudformation:
  resources: [AWS::SQS::Queue]
  condition: r.SqsManagedSseEnabled == false
  report: SqsManagedSseEnabled
  examples: {vulnerable: "a", fixed: "b"}
"""
    rf = datarules.parse_rule_file("aws/aws-sqs-unencrypted.yaml", text, "aws")
    assert rf.cloudformation is not None and rf.terraform is None
    assert rf.rule("cfn", rf.cloudformation).id == "cfn/aws-sqs-unencrypted"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("id: aws-x\ntitle: t\nseverity: high\nrationale: r\nremediation: m\n", "target"),
        ("- a list\n", "mapping"),
        ("id: aws-y\n", "differs"),
        ("id: aws-x\nseverity: urgent\n", "severity"),
        ("id: aws-x\ntitle: t\nseverity: high\nrationale: r\nremediation: m\nextra: 1\n", "extra"),
        ("{", "invalid YAML"),
    ],
)
def test_invalid_rule_files_are_rejected(text: str, error: str) -> None:
    with pytest.raises(datarules.RuleFileError, match=error):
        datarules.parse_rule_file("aws/aws-x.yaml", text, "aws")


def test_family_prefix_is_checked() -> None:
    text = """\
id: azure-x
title: t
severity: high
rationale: r
remediation: m
terraform:
  resources: [aws_s3_bucket]
  condition: "true"
  examples: {vulnerable: "a", fixed: "b"}
"""
    with pytest.raises(datarules.RuleFileError, match="starts with"):
        datarules.parse_rule_file("aws/azure-x.yaml", text, "aws")


def _holds(condition: str, r: object) -> bool:
    return Condition(condition).matches({"r": to_cel(r)})


UNKNOWN = Expr("aws_kms_key.main.arn")


@pytest.mark.parametrize(
    ("condition", "r", "expected"),
    [
        # plain values
        ("r.a == false", {"a": False}, True),
        ("r.a == false", {"a": True}, False),
        ("!has(r.a) || r.a != true", {}, True),
        # unknown values: never a finding, whatever the operator
        ("r.a == false", {"a": UNKNOWN}, False),
        ("r.a != true", {"a": UNKNOWN}, False),
        ("!(r.a == true)", {"a": UNKNOWN}, False),
        ('r.a in ["x", "y"]', {"a": UNKNOWN}, False),
        ("size(r.a) == 0", {"a": UNKNOWN}, False),
        ("r.a.b == 1", {"a": UNKNOWN}, False),
        # has() of an attribute set to an unknown value: it is set
        ("!has(r.a)", {"a": UNKNOWN}, False),
        ("has(r.a)", {"a": UNKNOWN}, True),
        ("!has(r.a.b)", {"a": UNKNOWN}, False),
        ("!has(r.a.b)", {}, True),
        ("!has(r.blk) || !has(r.blk[0].x)", {"blk": [{"y": 1}]}, True),
        ("!has(r.blk) || !has(r.blk[0].x)", {"blk": [{"x": UNKNOWN}]}, False),
        # the known side of || and && decides
        ("r.b == true || r.a == true", {"a": UNKNOWN, "b": True}, True),
        ("r.b == true && r.a == true", {"a": UNKNOWN, "b": False}, False),
        # lists with unknown elements
        ('r.l.exists(x, x == "a")', {"l": [UNKNOWN, "a"]}, True),
        ('r.l.exists(x, x == "b")', {"l": [UNKNOWN, "a"]}, False),
        # type mismatches are errors, not findings
        ("r.a == 5", {"a": "five"}, False),
        ('r.a == "x"', {"a": True}, False),
        # ... but Terraform converts the strings "true"/"false" for a bool argument
        # (enabled = "true"), so they compare equal to the boolean (session 16)
        ("r.a == false", {"a": "false"}, True),
        ("r.a != true", {"a": "TRUE"}, False),
        ("r.a != true", {"a": "yes"}, True),
        # helpers
        ("world(r.c)", {"c": ["10.0.0.0/8", "0.0.0.0/0"]}, True),
        ("world(r.c)", {"c": "::/0"}, True),
        ("world(r.c)", {"c": ["10.0.0.0/8"]}, False),
        ("world(r.c)", {"c": [UNKNOWN]}, False),
        ('lower(r.s) == "true"', {"s": "TRUE"}, True),
        ("int_or(r.n, 0) > 5", {"n": "7"}, True),
        ("int_or(r.n, 0) > 5", {"n": "x"}, False),
        # null is "not set", as in Terraform
        ("!has(r.a)", {"a": None}, True),
    ],
)
def test_cel_semantics(condition: str, r: object, expected: bool) -> None:
    assert _holds(condition, r) is expected


def test_invalid_condition_is_a_cel_error() -> None:
    with pytest.raises(CelError, match="invalid CEL"):
        Condition("r.a ==").compile()


def test_data_rule_reports_attribute_line_and_missing_block_line() -> None:
    text = """\
resource "aws_ebs_volume" "a" {
  availability_zone = "eu-west-1a"
  size              = 10
  encrypted         = false
}
resource "aws_ebs_volume" "b" {
  availability_zone = "eu-west-1a"
  size              = 10
}
resource "aws_ebs_volume" "c" {
  availability_zone = "eu-west-1a"
  size              = 10
  encrypted         = var.encrypted
}
"""
    hits = findings(scan_family("tf", text), "tf/aws-ebs-unencrypted")
    assert sorted((f.location.start_line, f.message) for f in hits) == [
        (4, "aws_ebs_volume.a: encrypted = false"),
        (6, "aws_ebs_volume.b: encrypted is not set"),
    ]


def test_a_reported_block_that_exists_is_pointed_at_not_called_unset() -> None:
    # `report` names a block (`environment`, `boot_disk`): when the block is there the
    # finding points at it and names the rule, instead of "environment is not set"
    text = """\
resource "aws_lambda_function" "billing" {
  function_name = "billing"
  role          = aws_iam_role.billing.arn
  handler       = "app.handler"
  runtime       = "python3.12"

  environment {
    variables = { STAGE = "prod" }
  }
}

resource "google_compute_instance" "web" {
  name         = "web"
  machine_type = "e2-small"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
}
"""
    items = scan_family("tf", text)
    env = findings(items, "tf/aws-lambda-env-no-cmk")
    disk = findings(items, "tf/gcp-instance-boot-disk-no-cmek")
    assert [(f.location.start_line, "not set" in f.message) for f in env] == [(7, False)]
    assert [(f.location.start_line, "not set" in f.message) for f in disk] == [(16, False)]


@pytest.mark.parametrize(
    ("text", "rule", "line", "message"),
    [
        # the standalone network-rules resource holds the settings at its top level
        (
            """\
resource "azurerm_storage_account_network_rules" "data" {
  storage_account_id = azurerm_storage_account.data.id
  default_action     = "Allow"
  bypass             = ["Logging"]
}
""",
            "tf/azure-storage-default-network-allow",
            3,
            'azurerm_storage_account_network_rules.data: default_action = "Allow"',
        ),
        (
            """\
resource "azurerm_storage_account_network_rules" "data" {
  storage_account_id = azurerm_storage_account.data.id
  default_action     = "Deny"
  bypass             = ["Logging"]
}
""",
            "tf/azure-storage-no-trusted-services-bypass",
            4,
            'azurerm_storage_account_network_rules.data: bypass = ["Logging"]',
        ),
        # an IAM binding lists `members`, not `member`
        (
            """\
resource "google_project_iam_binding" "viewers" {
  project = "acme-prod"
  role    = "roles/viewer"
  members = ["user:jane@acme.example"]
}
""",
            "tf/gcp-iam-role-granted-to-user",
            4,
            'google_project_iam_binding.viewers: members = ["user:jane@acme.example"]',
        ),
    ],
)
def test_report_alternatives_point_at_the_form_the_resource_uses(
    text: str, rule: str, line: int, message: str
) -> None:
    hits = findings(scan_family("tf", text), rule)
    assert [(f.location.start_line, f.message) for f in hits] == [(line, message)]


def test_cel_never_logs_the_values_it_evaluates(caplog: pytest.LogCaptureFixture) -> None:
    value = "".join(["AKIA", "ZV3D2X6L", "AMYZR3ND"])
    with caplog.at_level(logging.DEBUG):
        assert not _holds("r.a == 1", {"a": value})
        assert _holds("!has(r.b)", {"a": value})
    assert value not in caplog.text


def test_an_empty_sqs_queue_is_flagged() -> None:
    hits = findings(
        scan_family("tf", 'resource "aws_sqs_queue" "q" {}\n'), "tf/aws-sqs-unencrypted"
    )
    assert [f.location.start_line for f in hits] == [1]


def test_parsed_conditions_are_cached_signed_and_a_planted_cache_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipesec.scanners.iac import cel

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("PIPESEC_CACHE_KEY", "k1")
    text = 'has(r.a) && r.a.exists(x, x.b == "c")'
    cache = cel._AstCache()
    assert cache.get(text) is None
    cache.put(text, cel._environment().compile(text))
    cache.save()
    again = cel._AstCache()
    tree = again.get(text)
    assert tree == cel._environment().compile(text)
    # the cached tree evaluates like a parsed one
    monkeypatch.setattr(cel, "_ASTS", again)
    assert Condition(text).matches({"r": to_cel({"a": [{"b": "c"}]})})
    # each tree is kept as JSON text, decoded only when its condition is used
    assert isinstance(again._load()[text], str)
    # a planted cache (the condition's tree rewritten without the key) is not used
    path = cel._AstCache.path()
    data = json.loads(path.read_text())
    data[text] = data[text].replace("c", "d")
    path.write_text(json.dumps(data))
    assert cel._AstCache().get(text) is None
    monkeypatch.setenv("PIPESEC_CACHE_KEY", "k2")
    assert cel._AstCache().get(text) is None


def test_the_cel_cache_drops_the_conditions_used_least_recently_past_its_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edited rules leave their old conditions behind: the file does not grow for ever,
    and what this run used stays."""
    from pipesec.scanners.iac import cel

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("PIPESEC_CACHE_KEY", "k1")
    old, used, new = ["r.a == 1", "r.b == 2"], "r.c == 3", "r.d == 4"
    first = cel._AstCache()
    for text in [*old, used]:
        first.put(text, cel._environment().compile(text))
    first.save()
    second = cel._AstCache()
    assert second.get(used) is not None
    second.put(new, cel._environment().compile(new))
    trees = second._load()
    room = sum(len(t) + len(trees[t]) for t in (old[1], used, new))  # for three of the four
    monkeypatch.setattr(cel, "MAX_CACHE_BYTES", room)
    second.save()
    kept = json.loads(cel._AstCache.path().read_bytes())
    assert list(kept) == [old[1], used, new]  # least recently used first
    monkeypatch.setattr(cel, "MAX_CACHE_BYTES", 0)  # what this run used is always kept
    third = cel._AstCache()
    assert third.get(used) is not None and third.get(new) is not None
    third.put(old[0], cel._environment().compile(old[0]))
    third.save()
    assert sorted(json.loads(cel._AstCache.path().read_bytes())) == sorted([old[0], used, new])


def test_validated_rule_files_are_cached_signed_and_a_planted_cache_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import pipesec
    from pipesec.core import cachemac

    monkeypatch.setattr(pipesec, "IMPORTED_AT", time.time() + cachemac.TICK)  # see test_catalog
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("PIPESEC_CACHE_KEY", "k1")
    reads: list[int] = []
    read = datarules._read_and_validate

    def counted() -> tuple[datarules.RuleFile, ...]:
        reads.append(1)
        return read()

    def loaded() -> tuple[datarules.RuleFile, ...]:
        datarules.rule_files.cache_clear()
        return datarules.rule_files()

    monkeypatch.setattr(datarules, "_read_and_validate", counted)
    try:
        assert loaded() == FILES and len(reads) == 1
        [path] = (tmp_path / "pipesec" / "iac").glob("rulefiles-*.json")
        assert loaded() == FILES and len(reads) == 1  # from the cache: no YAML, no pydantic
        # a planted cache (rewritten without the key) is not used
        data = json.loads(path.read_text())
        data[0]["severity"] = "info"
        path.write_text(json.dumps(data))
        assert loaded() == FILES and len(reads) == 2
        # a changed file of the package names another cache; the older one is kept for
        # the version that wrote it (another checkout sharing the cache directory)
        real = cachemac.fingerprint()
        monkeypatch.setattr(cachemac, "fingerprint", lambda: real._replace(digest="0" * 32))
        assert loaded() == FILES and len(reads) == 3
        assert len(list(path.parent.glob("rulefiles-*.json"))) == 2
        monkeypatch.setattr(cachemac, "fingerprint", lambda: real)
        assert loaded() == FILES and len(reads) == 3
    finally:
        datarules.rule_files.cache_clear()


def test_every_rule_file_survives_the_cache() -> None:
    for rf in FILES:
        assert datarules.from_data(json.loads(json.dumps(dataclasses.asdict(rf)))) == rf


def test_the_cel_cache_names_cel_pythons_version_without_importlib_metadata() -> None:
    from importlib.metadata import version

    from pipesec.scanners.iac import cel

    assert cel._celpy_version() == version("cel-python")


def test_has_inside_macros_knows_unknown_values() -> None:
    r = {"sse": [{"enabled": True, "key": UNKNOWN}]}
    assert _holds("r.sse.exists(s, has(s.key))", r)
    assert not _holds("!r.sse.exists(s, s.enabled == true && has(s.key))", r)
    assert _holds("!r.sse.exists(s, has(s.other))", r)


def test_policy_documents_keep_their_known_parts() -> None:
    """jsonencode() of a policy whose Resource is a reference: Principal and Action known."""
    text = """\
resource "aws_sqs_queue_policy" "q" {
  queue_url = aws_sqs_queue.q.id
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.q.arn
    }]
  })
}
"""
    assert findings(scan_family("tf", text), "tf/aws-sqs-policy-public")


def test_aks_legacy_rbac_block_is_flagged() -> None:
    text = """\
resource "azurerm_kubernetes_cluster" "main" {
  name                = "main"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.main.name
  dns_prefix          = "main"
  role_based_access_control {
    enabled = false
  }
}
"""
    assert findings(scan_family("tf", text), "tf/azure-aks-rbac-disabled")


def test_rule_files_have_no_duplicate_keys() -> None:
    # YAML keeps the last of two equal keys without a word: a second `cloudformation:` or
    # `legacy:` would silently replace the first
    import yaml

    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader: Strict, node: yaml.MappingNode) -> dict[object, object]:
        keys = [loader.construct_object(k) for k, _ in node.value]
        dup = {k for k in keys if keys.count(k) > 1}
        assert not dup, f"duplicate keys {dup} at line {node.start_mark.line + 1}"
        return yaml.SafeLoader.construct_mapping(loader, node)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    root = Path(datarules.__file__).parent / "rules"
    files = sorted(root.rglob("*.yaml"))
    assert len(files) > 400
    for path in files:
        try:
            yaml.load(path.read_text(encoding="utf-8"), Loader=Strict)
        except AssertionError as exc:
            raise AssertionError(f"{path.relative_to(root)}: {exc}") from None
