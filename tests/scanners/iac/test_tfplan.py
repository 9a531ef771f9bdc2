"""``terraform show -json`` plans and states as input (fixtures written from Terraform's
documented JSON output format; no terraform binary is installable here)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.iac.helpers import errors, findings

from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.iac import IacScanner
from pipesec.scanners.iac.files import looks_like_plan
from pipesec.scanners.iac.tfplan import PlanError, module_calls, parse_plan
from pipesec.scanners.iac.tfproject import scan_texts

ROOT_TF = """\
variable "acl" {
  default = "private"
}
variable "public" {}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
  acl    = var.acl
  count  = var.acl == "private" ? 0 : 1
}

module "db" {
  source = "../../modules/db"
  public = var.public
}

module "cache" {
  source  = "terraform-aws-modules/elasticache/aws"
  version = "1.0.0"
}
"""
MODULE_TF = """\
variable "public" {}

resource "aws_db_instance" "this" {
  engine              = "postgres"
  storage_encrypted   = true
  publicly_accessible = var.public
}
"""


def _resource(address: str, rtype: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": address,
        "mode": "managed",
        "type": rtype,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "schema_version": 0,
        "values": values,
        "sensitive_values": {},
    }


def plan_doc() -> dict[str, Any]:
    bucket = _resource("aws_s3_bucket.logs[0]", "aws_s3_bucket", "logs", {"bucket": "acme-logs"})
    bucket["index"] = 0  # counted: statically the default ("private") makes it count = 0
    bucket["values"]["acl"] = "public-read"
    db = _resource(
        "module.db.aws_db_instance.this",
        "aws_db_instance",
        "this",
        {"engine": "postgres", "publicly_accessible": True},
    )
    volume = _resource(
        "aws_ebs_volume.scratch[0]",
        "aws_ebs_volume",
        "scratch",
        {"availability_zone": "eu-west-1a", "size": 10, "encrypted": False},
    )
    volume["index"] = 0
    cache = _resource(
        "module.cache.aws_elasticache_replication_group.this",
        "aws_elasticache_replication_group",
        "this",
        {"at_rest_encryption_enabled": False, "transit_encryption_enabled": True},
    )
    return {
        "format_version": "1.2",
        "terraform_version": "1.7.5",
        "variables": {"acl": {"value": "public-read"}, "public": {"value": True}},
        "planned_values": {
            "root_module": {
                "resources": [bucket, volume],
                "child_modules": [
                    {"address": "module.db", "resources": [db]},
                    {"address": "module.cache", "resources": [cache]},
                ],
            }
        },
        "resource_changes": [
            {
                "address": "module.db.aws_db_instance.this",
                "module_address": "module.db",
                "mode": "managed",
                "type": "aws_db_instance",
                "name": "this",
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": db["values"],
                    # storage_encrypted comes from a KMS lookup: known only after apply
                    "after_unknown": {"storage_encrypted": True, "arn": True},
                },
            }
        ],
        "configuration": {
            "root_module": {
                "resources": [
                    {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket"}
                ],
                "module_calls": {
                    "db": {"source": "../../modules/db", "module": {"resources": []}},
                    "cache": {"source": "terraform-aws-modules/elasticache/aws"},
                },
            }
        },
    }


def _files(plan_text: str) -> dict[str, str]:
    return {"envs/prod/main.tf": ROOT_TF, "modules/db/main.tf": MODULE_TF}


def _where(items: list[Any], rule: str) -> list[tuple[str, int]]:
    return [(f.location.path, f.location.start_line) for f in findings(items, rule)]


def test_static_scan_alone_cannot_know_the_values() -> None:
    items = list(scan_texts(_files("")))
    assert not findings(items, "tf/aws-rds-public")
    assert not findings(items, "tf/aws-s3-public-acl")


def test_plan_values_are_checked_and_located_in_the_tf_source() -> None:
    text = json.dumps(plan_doc(), indent=2)
    items = list(scan_texts(_files(text), plans=[("envs/prod/plan.json", text)]))
    assert not errors(items)
    # module input resolved by the plan, reported at the attribute in the module's file
    assert _where(items, "tf/aws-rds-public") == [("modules/db/main.tf", 6)]
    assert _where(items, "tf/aws-s3-public-acl") == [("envs/prod/main.tf", 8)]
    # after_unknown: storage_encrypted is known only after apply, it never fires
    assert not findings(items, "tf/aws-rds-unencrypted")


def test_resource_without_source_points_at_the_plan_line() -> None:
    text = json.dumps(plan_doc(), indent=2)
    items = list(scan_texts(_files(text), plans=[("envs/prod/plan.json", text)]))
    hits = findings(items, "tf/aws-ebs-unencrypted")
    assert len(hits) == 1 and hits[0].location.path == "envs/prod/plan.json"
    line = text.splitlines()[hits[0].location.start_line - 1]
    assert '"encrypted": false' in line
    assert "aws_ebs_volume.scratch[0]" in hits[0].message
    # a remote module's resources are checked too, located in the plan
    cache = findings(items, "tf/aws-elasticache-no-at-rest-encryption")
    assert [f.location.path for f in cache] == ["envs/prod/plan.json"]


def test_compact_plan_on_one_line_gives_columns() -> None:
    text = json.dumps(plan_doc(), separators=(",", ":"))
    items = list(scan_texts({}, plans=[("plan.json", text)]))
    (hit,) = findings(items, "tf/aws-ebs-unencrypted")
    assert hit.location.start_line == 1
    assert text[hit.location.start_column - 1 :].startswith('"encrypted":false')


def test_plan_and_source_findings_are_not_doubled() -> None:
    tf = 'resource "aws_ebs_volume" "scratch" {\n  size      = 10\n  encrypted = false\n}\n'
    doc = plan_doc()
    doc["planned_values"]["root_module"]["child_modules"] = []
    text = json.dumps(doc)
    items = list(scan_texts({"main.tf": tf}, plans=[("plan.json", text)]))
    assert _where(items, "tf/aws-ebs-unencrypted") == [("main.tf", 3)]


def test_state_json_is_read_like_a_plan() -> None:
    doc = plan_doc()
    state = {
        "format_version": "1.0",
        "terraform_version": "1.7.5",
        "values": doc["planned_values"],
    }
    text = json.dumps(state)
    items = list(scan_texts({}, plans=[("state.json", text)]))
    assert findings(items, "tf/aws-rds-public")


def test_detection_by_content() -> None:
    assert looks_like_plan(json.dumps(plan_doc()))
    assert looks_like_plan('{\n  "format_version": "1.0",\n  "terraform_version": "1.5.0"}')
    assert not looks_like_plan('{"name": "pkg", "version": "1.0.0"}')
    assert not looks_like_plan('{"AWSTemplateFormatVersion": "2010-09-09"}')


def test_bad_plans_are_one_line_errors() -> None:
    for text, why in (
        ('{"format_version": "1.0", "terraform_version": "1.5"', "invalid JSON"),
        ('{"format_version": "2.0", "planned_values": {}}', "unsupported"),
        ('{"format_version": "1.0", "terraform_version": "1.5"}', "root_module"),
    ):
        items = list(scan_texts({}, plans=[("p.json", text)]))
        (err,) = errors(items)
        assert why in err.message and "\n" not in err.message


def test_module_calls() -> None:
    assert module_calls('module.a[0].module.b["x.y"]') == ("a", "b")
    assert module_calls("") == ()


def test_scanner_finds_the_plan_by_content(tmp_path: Path) -> None:
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "tfplan.json").write_text(json.dumps(plan_doc()))
    (tmp_path / "package.json").write_text('{"name": "x", "format": "y"}')
    items = list(IacScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    rules = {f.rule_id for f in findings(items)}
    assert {"tf/aws-rds-public", "tf/aws-s3-public-acl", "tf/aws-ebs-unencrypted"} <= rules
    assert {f.location.path for f in findings(items)} == {"infra/tfplan.json"}
    assert not errors(items)


_KEYS = ["address", "type", "name", "mode", "values", "resources", "child_modules"]
_KEYS += ["root_module", "after_unknown", "change", "module_calls", "source", "module"]
_KEYS += ["encrypted", "ingress", "acl"]
_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(_KEYS), inner, max_size=4),
    ),
    max_leaves=20,
)


_RESOURCE = st.fixed_dictionaries(
    {
        "address": st.sampled_from(["aws_ebs_volume.v", "aws_s3_bucket.b", 'x.y["k"]', ""]),
        "type": st.sampled_from(["aws_ebs_volume", "aws_s3_bucket", "aws_security_group"]),
        "name": st.sampled_from(["v", "b", "logs"]),
        "mode": st.sampled_from(["managed", "data", 3]),
        "values": _JSON,
    }
)
_VALUES = st.one_of(
    _JSON,
    st.fixed_dictionaries(
        {
            "root_module": st.fixed_dictionaries(
                {
                    "resources": st.lists(_RESOURCE, max_size=3),
                    "child_modules": st.lists(
                        st.fixed_dictionaries(
                            {
                                "address": st.sampled_from(["module.db", "module.x[0]", 1]),
                                "resources": st.lists(_RESOURCE, max_size=2),
                            }
                        ),
                        max_size=2,
                    ),
                }
            )
        }
    ),
)


@settings(max_examples=120, deadline=None)
@given(_VALUES, _JSON, _JSON)
def test_fuzz_plan_parser_never_raises(values: Any, changes: Any, config: Any) -> None:
    doc = {
        "format_version": "1.2",
        "terraform_version": "1.7.5",
        "planned_values": values,
        "resource_changes": changes,
        "configuration": config,
    }
    for text in (json.dumps(doc), json.dumps(doc)[: len(json.dumps(doc)) // 2]):
        with contextlib.suppress(PlanError):
            parse_plan("p.json", text)
        list(scan_texts({}, plans=[("envs/prod/p.json", text)]))


def test_sensitive_values_and_variables_are_masked_in_snippets() -> None:
    doc = plan_doc()
    hidden = "".join(["do-not", "-print-", "me"])
    volume = doc["planned_values"]["root_module"]["resources"][1]
    volume["values"]["tags"] = {"owner": hidden}
    volume["sensitive_values"] = {"tags": {"owner": True}}
    doc["variables"]["acl"]["value"] = hidden
    text = json.dumps(doc, separators=(",", ":"))
    items = list(scan_texts({}, plans=[("plan.json", text)]))
    (hit,) = findings(items, "tf/aws-ebs-unencrypted")
    assert '"encrypted":false' in hit.snippet and '"tags":' in hit.snippet
    assert all(hidden not in f.snippet for f in findings(items))
    assert all("-print-" not in f.snippet for f in findings(items))


def test_unknown_after_apply_values_keep_what_the_source_refers_to() -> None:
    # two buckets named by bucket_prefix (names known only after apply); only `data` has
    # a versioning resource, whose `bucket` is unknown in the plan too
    source = """\
resource "aws_s3_bucket" "data" {
  bucket_prefix = "acme-data-"
}

resource "aws_s3_bucket" "tmp" {
  bucket_prefix = "acme-tmp-"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}
"""
    versioning = {"versioning_configuration": [{"status": "Enabled"}]}
    resources = [
        _resource(f"aws_s3_bucket.{n}", "aws_s3_bucket", n, {"bucket_prefix": f"acme-{n}-"})
        for n in ("data", "tmp")
    ] + [_resource("aws_s3_bucket_versioning.data", "aws_s3_bucket_versioning", "data", versioning)]
    doc = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": [
            {"address": r["address"], "change": {"after_unknown": {"bucket": True}}}
            for r in resources
        ],
    }
    text = json.dumps(doc, indent=2)
    items = list(scan_texts({"main.tf": source}, plans=[("plan.json", text)]))
    assert [f.message for f in findings(items, "tf/aws-s3-versioning-disabled")] == [
        "aws_s3_bucket.tmp: s3 bucket without versioning"
    ]


def _module_plan(
    root_refs: list[str],
    child: dict[str, Any],
    root: list[dict[str, Any]],
    calls: dict[str, Any],
    unknown: dict[str, Any],
) -> str:
    return json.dumps(
        {
            "format_version": "1.2",
            "planned_values": {
                "root_module": {
                    "resources": root,
                    "child_modules": [child],
                }
            },
            "resource_changes": [
                {"address": a, "change": {"after_unknown": u}} for a, u in unknown.items()
            ],
            "configuration": {"root_module": {**calls, "resources": root_refs}},
        },
        indent=2,
    )


_S3_MODULE_CALL = {
    "module_calls": {
        "s3": {
            "source": "terraform-aws-modules/s3-bucket/aws",
            "expressions": {"name": {"constant_value": "acme-data"}},
            "module": {
                "outputs": {
                    "bucket_id": {
                        "expression": {
                            "references": [
                                "aws_s3_bucket.this[0].id",
                                "aws_s3_bucket.this[0]",
                                "aws_s3_bucket.this",
                            ]
                        }
                    }
                },
                "resources": [{"address": "aws_s3_bucket.this", "mode": "managed"}],
            },
        }
    }
}


def _bucket_in_module(index: Any = 0) -> dict[str, Any]:
    suffix = f"[{index}]" if index is not None else ""
    bucket = _resource(
        f"module.s3.aws_s3_bucket.this{suffix}", "aws_s3_bucket", "this", {"bucket": "acme-data"}
    )
    if index is not None:
        bucket["index"] = index
    return bucket


def _root_versioning(reference: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A root aws_s3_bucket_versioning and its configuration: bucket = <reference>."""
    versioning = _resource(
        "aws_s3_bucket_versioning.data",
        "aws_s3_bucket_versioning",
        "data",
        {"versioning_configuration": [{"status": "Enabled"}]},
    )
    refs = [
        {
            "address": "aws_s3_bucket_versioning.data",
            "mode": "managed",
            "expressions": {"bucket": {"references": [reference, "module.s3"]}},
        }
    ]
    return versioning, refs


def test_plan_companion_in_the_root_covers_a_bucket_of_a_child_module() -> None:
    # bucket = module.s3.bucket_id: unknown in the plan (the id is known after apply); the
    # configuration says what it refers to, through the module's output
    versioning, refs = _root_versioning("module.s3.bucket_id")
    text = _module_plan(
        refs,
        {"address": "module.s3", "resources": [_bucket_in_module()]},
        [versioning],
        _S3_MODULE_CALL,
        {"aws_s3_bucket_versioning.data": {"bucket": True}},
    )
    items = list(scan_texts({}, plans=[("plan.json", text)]))
    assert not findings(items, "tf/aws-s3-versioning-disabled")
    # without the configuration's references the bucket is judged alone, as before
    bare = json.loads(text)
    del bare["configuration"]
    items = list(scan_texts({}, plans=[("plan.json", json.dumps(bare, indent=2))]))
    assert [f.message for f in findings(items, "tf/aws-s3-versioning-disabled")] == [
        "module.s3.aws_s3_bucket.this[0]: s3 bucket without versioning"
    ]


def _ver_call(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """module "ver" writes an aws_s3_bucket_versioning for the bucket its caller passes in
    (bucket = aws_s3_bucket.data.id, var.bucket inside)."""
    return {
        "module_calls": {
            "ver": {
                "source": "./modules/ver",
                **(extra or {}),
                "expressions": {
                    "bucket": {"references": ["aws_s3_bucket.data.id", "aws_s3_bucket.data"]}
                },
                "module": {
                    "resources": [
                        {
                            "address": "aws_s3_bucket_versioning.this",
                            "mode": "managed",
                            "expressions": {"bucket": {"references": ["var.bucket"]}},
                        }
                    ]
                },
            }
        }
    }


def test_plan_companion_in_a_child_module_covers_the_callers_bucket() -> None:
    # the module writes the versioning for a bucket the caller passes in (var.bucket)
    bucket = _resource("aws_s3_bucket.data", "aws_s3_bucket", "data", {"bucket": "acme-data"})
    versioning = _resource(
        "module.ver.aws_s3_bucket_versioning.this",
        "aws_s3_bucket_versioning",
        "this",
        {"versioning_configuration": [{"status": "Enabled"}]},
    )
    calls = _ver_call()
    text = _module_plan(
        [{"address": "aws_s3_bucket.data", "mode": "managed"}],
        {"address": "module.ver", "resources": [versioning]},
        [bucket],
        calls,
        {"module.ver.aws_s3_bucket_versioning.this": {"bucket": True}},
    )
    items = list(scan_texts({}, plans=[("plan.json", text)]))
    assert not findings(items, "tf/aws-s3-versioning-disabled")


def _two_instances(reference: str, refs_extra: list[str], keys: tuple[str, str]) -> str:
    """module "s3" called twice (count or for_each: instance keys ``keys``) and a root
    versioning whose bucket is ``reference`` (its configuration's references as terraform
    lists them: the keyed output, then the keyed call)."""
    versioning, refs = _root_versioning(reference)
    refs[0]["expressions"]["bucket"]["references"] = [reference, *refs_extra]
    doc = json.loads(
        _module_plan(
            refs,
            {"address": f"module.s3{keys[0]}", "resources": [_bucket_in_module(None)]},
            [versioning],
            _S3_MODULE_CALL,
            {"aws_s3_bucket_versioning.data": {"bucket": True}},
        )
    )
    first = doc["planned_values"]["root_module"]["child_modules"][0]
    first["resources"][0]["address"] = f"module.s3{keys[0]}.aws_s3_bucket.this"
    second = {"address": f"module.s3{keys[1]}", "resources": [_bucket_in_module(None)]}
    second["resources"][0]["address"] = f"module.s3{keys[1]}.aws_s3_bucket.this"
    doc["planned_values"]["root_module"]["child_modules"].append(second)
    return json.dumps(doc, indent=2)


def _unversioned(text: str) -> list[str]:
    items = list(scan_texts({}, plans=[("plan.json", text)]))
    return [f.message for f in findings(items, "tf/aws-s3-versioning-disabled")]


def test_plan_companions_of_counted_module_calls_link_the_instance_they_name() -> None:
    # module "s3" { count = 2 }; bucket = module.s3[0].bucket_id: only module.s3[0] is covered
    text = _two_instances("module.s3[0].bucket_id", ["module.s3[0]"], ("[0]", "[1]"))
    assert _unversioned(text) == ["module.s3[1].aws_s3_bucket.this: s3 bucket without versioning"]
    # for_each: module.s3["logs"].bucket_id covers that instance only
    text = _two_instances(
        'module.s3["logs"].bucket_id', ['module.s3["logs"]'], ('["logs"]', '["web"]')
    )
    assert _unversioned(text) == [
        'module.s3["web"].aws_s3_bucket.this: s3 bucket without versioning'
    ]


def test_plan_references_to_every_instance_of_a_counted_call_link_nothing() -> None:
    # bucket = module.s3[each.key].bucket_id (or a splat): terraform lists only the call,
    # which does not say which instance is meant; each bucket is judged alone
    text = _two_instances("module.s3", [], ("[0]", "[1]"))
    assert len(_unversioned(text)) == 2


def test_plan_companion_in_each_instance_of_a_counted_module_covers_the_callers_bucket() -> None:
    # module "ver" { count = 2, bucket = aws_s3_bucket.data.id }: each instance writes a
    # versioning for the caller's one bucket
    bucket = _resource("aws_s3_bucket.data", "aws_s3_bucket", "data", {"bucket": "acme-data"})
    children = []
    for i in (0, 1):
        versioning = _resource(
            f"module.ver[{i}].aws_s3_bucket_versioning.this",
            "aws_s3_bucket_versioning",
            "this",
            {"versioning_configuration": [{"status": "Enabled"}]},
        )
        children.append({"address": f"module.ver[{i}]", "resources": [versioning]})
    calls = _ver_call({"count_expression": {"constant_value": 2}})
    doc = json.loads(
        _module_plan(
            [{"address": "aws_s3_bucket.data", "mode": "managed"}],
            children[0],
            [bucket],
            calls,
            {f"module.ver[{i}].aws_s3_bucket_versioning.this": {"bucket": True} for i in (0, 1)},
        )
    )
    doc["planned_values"]["root_module"]["child_modules"].append(children[1])
    assert _unversioned(json.dumps(doc, indent=2)) == []


def test_plan_companion_through_a_local_value_of_the_source() -> None:
    # locals { data_bucket = module.s3.bucket_id }; bucket = local.data_bucket: terraform
    # lists only local.data_bucket; the root module's source says what the local is
    versioning, refs = _root_versioning("local.data_bucket")
    refs[0]["expressions"]["bucket"]["references"] = ["local.data_bucket"]
    text = _module_plan(
        refs,
        {"address": "module.s3", "resources": [_bucket_in_module()]},
        [versioning],
        _S3_MODULE_CALL,
        {"aws_s3_bucket_versioning.data": {"bucket": True}},
    )
    source = """
locals {
  data_bucket = module.s3.bucket_id
  unrelated   = "${var.prefix}-x"
}

module "s3" {
  source = "terraform-aws-modules/s3-bucket/aws"
  name   = "acme-data"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = local.data_bucket
  versioning_configuration {
    status = "Enabled"
  }
}
"""
    items = list(scan_texts({"main.tf": source}, plans=[("plan.json", text)]))
    assert not findings(items, "tf/aws-s3-versioning-disabled")
    # without the source, the local says nothing: the bucket is judged alone
    assert _unversioned(text) == ["module.s3.aws_s3_bucket.this[0]: s3 bucket without versioning"]


def test_locals_that_refer_to_each_other_are_followed_once() -> None:
    from pipesec.scanners.iac import tfplan

    plan = parse_plan(
        "plan.json",
        _module_plan([], {"address": "module.s3", "resources": []}, [], _S3_MODULE_CALL, {}),
    )

    class Counting(dict):  # type: ignore[type-arg]
        looked = 0

        def get(self, *args: Any) -> Any:
            Counting.looked += 1
            return super().get(*args)

    # 60 locals, each naming all the others: 60^8 paths if each were followed every time;
    # the one naming the module's output is 8 steps deep along some of them, 2 along others
    names = [f"l{i}" for i in range(60)]
    plan.locals[()] = Counting({n: [f"local.{m}" for m in names] for n in names})
    plan.locals[()]["l59"] = [*names, "module.s3.bucket_id"]
    assert tfplan.resolved(plan, (), ["local.l0"]) == [(("s3",), "aws_s3_bucket.this[0].id")]
    assert Counting.looked <= 61


def test_local_value_references_are_read_from_source_text() -> None:
    from pipesec.scanners.iac.tfplan import source_references

    text = (
        'merge(module.s3["logs"].bucket_id, var.x, local.y, aws_s3_bucket.b[0].arn,'
        " data.aws_iam_policy_document.p.json)"
    )
    assert source_references(text) == [
        'module.s3["logs"].bucket_id',
        "var.x",
        "local.y",
        "aws_s3_bucket.b[0].arn",
    ]
    assert source_references("module.a[" * 40_000) == []


def test_plan_references_resolve_through_outputs_and_inputs() -> None:
    from pipesec.scanners.iac.tfplan import resolved

    plan = parse_plan(
        "plan.json",
        _module_plan([], {"address": "module.s3", "resources": []}, [], _S3_MODULE_CALL, {}),
    )
    assert resolved(plan, (), ["module.s3.bucket_id", "module.s3"]) == [
        (("s3",), "aws_s3_bucket.this[0].id")
    ]
    assert resolved(plan, (), ["module.s3.missing", "var.x", "data.aws_caller_identity.me"]) == []
