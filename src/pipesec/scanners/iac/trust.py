"""What a role's trust policy statement lets another AWS account do (CEL ``account_trust``).

A statement that lets a whole other account assume the role (its 12-digit id, or its
``arn:aws:iam::<id>:root``) delegates the choice of who may assume it to that account's
administrators. Unless the statement asks for an ``sts:ExternalId`` (the confused-deputy guard
a third party's service must send), for MFA, or for a caller inside the organisation, anyone
the other account lets call ``sts:AssumeRole`` gets the role.

Values a static read cannot know are :data:`UNKNOWN`: a principal given by a variable or by
``data.aws_caller_identity`` (often the role's own account) is never judged, and a condition
whose value is unknown counts as the guard it names.
"""

from __future__ import annotations

import re
from typing import Any

from pipesec.scanners.iac.common import matches_anything

#: a part of a statement that a static read cannot know
UNKNOWN = object()

#: a whole account as a principal: its id, or its root ARN (any partition)
_WHOLE_ACCOUNT = re.compile(r"^(?:\d{12}|arn:aws[a-z-]*:iam::\d{12}:root)$")
_ASSUME = frozenset({"sts:assumerole", "sts:*", "*"})
#: the condition keys that can guard a trust statement (lower case)
_GUARDS = frozenset(
    {
        "sts:externalid",
        "aws:multifactorauthpresent",
        "aws:multifactorauthage",
        "aws:principalorgid",
        "aws:principalorgpaths",
    }
)


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statement(st: dict[str, Any]) -> dict[str, Any]:
    """A statement in JSON's shape; an ``aws_iam_policy_document`` block (``effect``,
    ``actions``, ``principals`` and ``condition`` blocks) is turned into one."""
    if "Effect" in st or "Principal" in st or "Action" in st:
        return st
    principal: dict[str, Any] = {}
    for p in _items(st.get("principals", [])):
        if not isinstance(p, dict) or not isinstance(p.get("type"), str):
            return {"Effect": UNKNOWN}
        principal.setdefault(p["type"], []).extend(_items(p.get("identifiers", [])))
    condition: dict[str, Any] = {}
    for c in _items(st.get("condition", [])):
        if not isinstance(c, dict):
            return {"Effect": UNKNOWN}
        test, variable = c.get("test"), c.get("variable")
        if not isinstance(test, str) or not isinstance(variable, str):
            return {"Effect": UNKNOWN}
        condition.setdefault(test, {})[variable] = c.get("values", [])
    return {
        "Effect": st.get("effect", "Allow"),
        "Action": st.get("actions", []),
        "Principal": principal,
        "Condition": condition,
    }


def _whole_account(principal: Any) -> bool:
    """A 12-digit account id (CloudFormation reads a quoted one as a number) or a root ARN."""
    if isinstance(principal, int) and not isinstance(principal, bool):
        return 0 <= principal < 10**12
    return isinstance(principal, str) and bool(_WHOLE_ACCOUNT.match(principal.strip()))


def _guarded(condition: Any) -> bool | None:
    """The condition asks for an external id, MFA or a caller of the organisation (True),
    asks for none of them (False), or cannot be read (None). ``...IfExists`` operators pass a
    request without the key (AssumeRole with an IAM user's access key has no MFA key), so
    they guard nothing."""
    if condition is None or condition == {}:
        return False
    if not isinstance(condition, dict):
        return None
    for operator, tests in condition.items():
        if not isinstance(operator, str) or not isinstance(tests, dict):
            return None
        op = operator.lower()
        if op.endswith("ifexists") or op.startswith("null") or "not" in op:
            continue
        for key, value in tests.items():
            if not isinstance(key, str):
                return None
            k = key.lower()
            if k not in _GUARDS:
                continue
            values = _items(value)
            known = [v for v in values if v is not UNKNOWN]
            if any(matches_anything(operator, v) for v in known):
                continue  # a pattern that matches any value (StringLike "*"): values are ORed
            if len(known) < len(values):
                return True  # a guard whose value is a variable: assume it is set
            if k == "sts:externalid" and any(isinstance(v, str) and v.strip() for v in known):
                return True
            if (
                k == "aws:multifactorauthpresent"
                and op.startswith("bool")
                and any(str(v).lower() == "true" for v in known)
            ):
                return True
            if k == "aws:multifactorauthage" and op.startswith("numeric") and known:
                return True
            if k in ("aws:principalorgid", "aws:principalorgpaths") and any(
                isinstance(v, str) and v.strip() and v.strip() != "*" for v in known
            ):
                return True
    return False


def account_trust(statement: Any) -> bool | None:
    """The statement Allows a whole other account (a literal id or root ARN) to assume the
    role with no external id, MFA or organisation condition. None when unknown parts
    decide it."""
    if not isinstance(statement, dict):
        return None
    st = _statement(statement)
    effect = st.get("Effect")
    if effect is UNKNOWN or not isinstance(effect, str):
        return None
    if effect != "Allow":
        return False
    actions = _items(st.get("Action", []))
    if not any(isinstance(a, str) and a.lower() in _ASSUME for a in actions):
        return None if UNKNOWN in actions else False
    principal = st.get("Principal")
    if not isinstance(principal, dict):
        return None if principal is UNKNOWN else False
    if not any(_whole_account(p) for p in _items(principal.get("AWS", []))):
        return False
    guarded = _guarded(st.get("Condition"))
    return None if guarded is None else not guarded
