"""``data.aws_iam_policy_document`` sources read as the JSON policy they render.

A resource's policy argument is often a reference to a policy document data source
(``policy = data.aws_iam_policy_document.topic.json``, ``...topic[0].json`` under ``count``)
rather than a JSON string or ``jsonencode()``. The data rules read policies with
``from_json(r.policy)``; :func:`render_documents` puts the document the reference names in
the reference's place, in the shape the AWS provider renders it (``Statement`` entries with
``Effect``, ``Action``, ``Principal`` ...), so that every policy rule reads the three forms
alike. Values the scanner cannot know stay unknown (:class:`~pipesec.scanners.iac.hcl.Expr`),
as in a ``jsonencode()`` document: rules read the known parts and never fire on unknowns.
"""

from __future__ import annotations

import re
from typing import Any

from pipesec.scanners.iac.hcl import Block, Expr

#: the whole expression is one document's ``json`` (interpolated or not, with an index)
_REFERENCE = re.compile(
    r'^\s*"?(?:\$\{\s*)?data\.aws_iam_policy_document\.([A-Za-z_][\w-]*)(?:\[[^\]]{1,40}\])?'
    r'\.json\s*\}?"?\s*$'
)
#: statement block arguments -> policy JSON keys
_KEYS = (
    ("sid", "Sid"),
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
)


def _principals(blocks: list[Block]) -> Any:
    """``principals { type, identifiers }`` blocks as a ``Principal`` value: ``"*"`` for
    ``type = "*"`` (the provider writes the wildcard principal that way), else a map of
    type to identifiers."""
    out: dict[str, Any] = {}
    for p in blocks:
        kind, ids = p.value("type"), p.value("identifiers", [])
        if kind == "*":
            return "*"
        if not isinstance(kind, str):
            return Expr("principals")
        out.setdefault(kind, []).extend(ids if isinstance(ids, list) else [ids])
    return out


def _statement(st: Block) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": st.value("effect", "Allow")}
    for arg, key in _KEYS:
        if (a := st.attrs.get(arg)) is not None:
            out[key] = a.value
    if principals := st.children("principals"):
        out["Principal"] = _principals(principals)
    if not_principals := st.children("not_principals"):
        out["NotPrincipal"] = _principals(not_principals)
    condition: dict[str, Any] = {}
    for c in st.children("condition"):
        test, variable = c.value("test"), c.value("variable")
        if not isinstance(test, str) or not isinstance(variable, str):
            condition["?"] = Expr("condition")  # a condition that cannot be read still guards
            continue
        condition.setdefault(test, {})[variable] = c.value("values", [])
    if condition:
        out["Condition"] = condition
    return out


def document(block: Block) -> dict[str, Any]:
    """The policy a data source renders (its ``statement`` blocks; documents merged in from
    ``source_policy_documents`` and the like are not seen). A statement of a ``dynamic``
    block whose collection is not known is an unknown entry: rules read the other
    statements and never fire on it."""
    return {
        "Version": block.value("version", "2012-10-17"),
        "Statement": [
            Expr("dynamic statement") if st.maybe else _statement(st)
            for st in block.children("statement")
        ],
    }


def known_statements(block: Block) -> list[Block]:
    """The document's ``statement`` blocks that exist whatever the variables hold (a
    ``dynamic "statement"`` over a known collection gives one per element; over an unknown
    one, none is known)."""
    return [st for st in block.children("statement") if not st.maybe]


def document_address(value: Expr) -> str:
    """The data source address a whole-reference ``value`` names (``""`` if none)."""
    m = _REFERENCE.match(value.text)
    return f"data.aws_iam_policy_document.{m.group(1)}" if m else ""


def render_documents(
    value: Any,
    documents: dict[str, Block],
    rendered: dict[str, dict[str, Any]] | None = None,
    depth: int = 0,
) -> Any:
    """``value`` (a block's attribute map) with every reference to a document of
    ``documents`` (data source name -> block) replaced by the document; ``rendered``: the
    documents rendered so far (name -> document), shared by every reference to one (never
    changed in place: review17, one document of 1,000 statements named by 250 policies was
    rendered 250 times)."""
    if isinstance(value, Expr):
        if "aws_iam_policy_document" not in value.text:
            return value
        m = _REFERENCE.match(value.text)
        found = documents.get(m.group(1)) if m else None
        if found is None or m is None:
            return value
        if rendered is None:
            return document(found)
        doc = rendered.get(m.group(1))
        if doc is None:
            doc = rendered[m.group(1)] = document(found)
        return doc
    if depth > 8:
        return value
    if isinstance(value, dict):
        return {k: render_documents(v, documents, rendered, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [render_documents(v, documents, rendered, depth + 1) for v in value]
    return value
