"""Registry modules whose inputs configure one resource each, read by the data rules.

``module "db" { source = "terraform-aws-modules/rds/aws"  publicly_accessible = true }``
writes an ``aws_db_instance`` through a module the scan does not have. For a few widely
used public modules whose inputs carry the resource's attribute names, the module call is
also read as that resource (:func:`registry_resources`): the data rules see the inputs the
caller wrote, at the caller's lines. An input the call leaves out takes the module's
default; where that default differs from the resource's (or changed between the module's
major versions: the RDS module's ``storage_encrypted``, the EC2 module's
``metadata_options``) the attribute is *unknown*, so no rule decides on it; where the call's
``version`` constraint says which side of the change it is on (the S3 module's public access
block: false before 3.9.0, true since) the default of that side applies. The Python checks
(companions, linked resources) do not see these resources: what a module creates beside
them is not known.
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
#: module -> resource -> (the first release with the new defaults, input -> (default before
#: it, default from it)): the S3 module's public access block settings were false until
#: 3.9.0 (April 2023, "Updated S3 Bucket Block Public Access ... defaults", its CHANGELOG),
#: true since; they apply only while attach_public_policy is true (its default)
VERSIONED_DEFAULTS: dict[str, dict[str, tuple[tuple[int, ...], dict[str, tuple[Any, Any]]]]] = {
    "s3-bucket": {
        "aws_s3_bucket_public_access_block": (
            (3, 9, 0),
            {name: (False, True) for name in _S3_BLOCK},
        ),
    },
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


_VERSION = re.compile(r"^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+(?:\.\d+){0,2})\s*$")


def _parts(text: str) -> tuple[int, ...]:
    nums = tuple(int(n) for n in text.split("."))
    return nums + (0,) * (3 - len(nums))


def version_side(constraint: Any, pivot: tuple[int, ...]) -> bool | None:
    """Whether every version a module call's ``version`` constraint allows is at or after
    ``pivot`` (True), every one before it (False), or it cannot be told (None: no
    constraint, one that allows both sides, or one this does not read)."""
    if not isinstance(constraint, str) or not constraint.strip():
        return None
    low: tuple[int, ...] | None = None  # every allowed version is >= low
    high: tuple[int, ...] | None = None  # every allowed version is < high
    for part in constraint.split(",")[:8]:
        m = _VERSION.match(part)
        if m is None:
            return None
        op, text = m.group(1) or "=", m.group(2)
        v = _parts(text)
        if op == "=":
            low, high = max(low or v, v), min(high or (*v[:2], v[2] + 1), (*v[:2], v[2] + 1))
        elif op in (">=", ">"):
            low = max(low or v, v)
        elif op == "<":
            high = min(high or v, v)
        elif op == "<=":
            high = min(high or (*v[:2], v[2] + 1), (*v[:2], v[2] + 1))
        elif op == "~>":
            low = max(low or v, v)
            dots = text.count(".")
            bump = (v[0] + 1, 0, 0) if dots <= 1 else (v[0], v[1] + 1, 0)
            high = min(high or bump, bump)
    if low is not None and low >= pivot:
        return True
    if high is not None and high <= pivot:
        return False
    return None


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
            pivot, defaults = VERSIONED_DEFAULTS.get(name, {}).get(kind, ((), {}))
            side = version_side(call.value("version"), pivot) if defaults else None
            if call.flag("attach_public_policy", True) is not True:
                side = None  # no public access block from the module: its settings say nothing
            for attr in unknown:
                if attr not in res.attrs and not res.children(attr):
                    value: Any = Expr(f"module.{call.labels[0]} default")
                    if attr in defaults and side is not None:
                        value = defaults[attr][1 if side else 0]
                    res.attrs[attr] = Attr(attr, value, call.line, call.column, call.line)
            out.append(res)
    return out
