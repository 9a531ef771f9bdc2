"""Registry modules whose inputs configure one resource each, read by the data rules.

``module "db" { source = "terraform-aws-modules/rds/aws"  publicly_accessible = true }``
writes an ``aws_db_instance`` through a module the scan does not have. For a few widely
used public modules whose inputs carry the resource's attribute names, the module call is
also read as that resource (:func:`registry_resources`): the data rules see the inputs the
caller wrote, at the caller's lines. An input the call leaves out takes the module's
default; where that default differs from the resource's (or changed between the module's
major versions: the RDS module's ``storage_encrypted``, the S3 module's public access
block, the EC2 module's ``metadata_options``) the attribute is *unknown*, so no rule
decides on it. The Python checks (companions, linked resources) do not see these
resources: what a module creates beside them is not known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pipesec.scanners.iac.hcl import Attr, Block, Expr

#: module (the registry name, or the repository in a git source) -> the resources its
#: inputs configure: (resource type, inputs read, inputs whose absence is unknown)
_S3_BLOCK = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)
MODULES: dict[str, tuple[tuple[str, frozenset[str] | None, frozenset[str]], ...]] = {
    "rds": (
        ("aws_db_instance", None, frozenset({"storage_encrypted", "manage_master_user_password"})),
    ),
    "rds-aurora": (
        ("aws_rds_cluster", None, frozenset({"storage_encrypted", "manage_master_user_password"})),
    ),
    "ec2-instance": (("aws_instance", None, frozenset({"metadata_options"})),),
    "s3-bucket": (
        (
            "aws_s3_bucket",
            frozenset({"bucket", "acl", "grant", "policy", "versioning", "website"}),
            frozenset({"acl"}),
        ),
        ("aws_s3_bucket_public_access_block", frozenset(_S3_BLOCK), frozenset(_S3_BLOCK)),
    ),
}
#: the inputs of a module call that are Terraform's own, never the resource's
_META = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})
_SOURCE = re.compile(
    r"^(?:registry\.terraform\.io/)?terraform-aws-modules/(?P<name>[a-z0-9-]+)/aws(?://.*)?$"
    r"|^(?:git::)?(?:https://|ssh://git@|git@)github\.com[/:]terraform-aws-modules/"
    r"terraform-aws-(?P<repo>[a-z0-9-]+?)(?:\.git)?(?://[^?]*)?(?:\?.*)?$"
)


def module_name(source: Any) -> str | None:
    """The registry module a ``source`` names (``rds``), None for any other source."""
    if not isinstance(source, str):
        return None
    m = _SOURCE.match(source.strip())
    if m is None:
        return None
    name = m.group("name") or m.group("repo")
    return name if name in MODULES else None


def _as_blocks(name: str, value: Any, line: Attr) -> list[Block] | None:
    """An object input (``metadata_options = {...}``), or a list of them, as nested blocks."""
    items = [value] if isinstance(value, dict) else value if isinstance(value, list) else None
    if items is None or not items or not all(isinstance(i, dict) for i in items):
        return None
    out = []
    for item in items:
        b = Block(name, [], line.line, line.column, line.end_line, "")
        for k, v in item.items():
            b.attrs[str(k)] = Attr(str(k), v, line.line, line.column, line.end_line)
        out.append(b)
    return out


def registry_resources(modules: Iterable[Block]) -> list[Block]:
    """The resources that the registry module calls among ``modules`` configure."""
    out: list[Block] = []
    for call in modules:
        name = module_name(call.value("source"))
        if name is None or not call.labels:
            continue
        for kind, inputs, unknown in MODULES[name]:
            res = Block(
                "resource",
                [kind, call.labels[0]],
                call.line,
                call.column,
                call.end_line,
                call.path,
                full_address=f"module.{call.labels[0]}",
            )
            for a in call.attrs.values():
                if a.name in _META or (inputs is not None and a.name not in inputs):
                    continue
                nested = _as_blocks(a.name, a.value, a) if a.name != "tags" else None
                if nested is not None:
                    for b in nested:
                        b.path = call.path
                    res.blocks.extend(nested)
                else:
                    res.attrs[a.name] = a
            for child in call.blocks:  # a block written in the call (not valid Terraform)
                if inputs is None or child.type in inputs:
                    res.blocks.append(child)
            for attr in unknown:
                if attr not in res.attrs and not res.children(attr):
                    res.attrs[attr] = Attr(
                        attr,
                        Expr(f"module.{call.labels[0]} default"),
                        call.line,
                        call.column,
                        call.line,
                    )
            out.append(res)
    return out
