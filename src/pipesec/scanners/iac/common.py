"""Shared pieces of the IaC rule families: a rule registry, hits and finding construction.

A check is a function registered with its :class:`~pipesec.core.model.Rule`; it yields
:class:`Hit` objects (a line, a column and an optional message). The format module turns
hits into findings with the offending source line as snippet (redacted for secret rules).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pipesec.core.fingerprints import fingerprint_key, secret_identity
from pipesec.core.model import Confidence, Finding, Rule, Severity
from pipesec.core.redact import preview, redact_line, trim_snippet
from pipesec.core.scanner import finding_from_rule
from pipesec.core.shapes import generated_segment

SCANNER = "iac"

#: names of settings that hold credentials (ENV keys, env var names, attribute names)
SECRET_NAME = re.compile(
    r"(?i)(?:^|[_.-])(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key"
    r"|private[_-]?key|client[_-]?secret|credentials?|auth[_-]?key"
    r"|(?:vault|encryption|signing|master|license|session|jwt|hmac|app|secret)[_-]?key)(?:$|[_.-])"
)
#: values that are obviously not literal secrets (placeholders, references)
_PLACEHOLDER = re.compile(
    r"(?i)^(?:|changeme|change[_-]?me|xxx+|\*+|<[^>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?"
    r"|\{\{.*\}\}|true|false|none|null|yes|no|dummy|example|placeholder|redacted)$"
)


#: name endings that describe a secret without holding one (API_KEY_HEADER, TOKEN_TTL ...)
_NOT_SECRET_SUFFIX = re.compile(
    r"(?i)[_.-](?:file|path|dir|ref|name|arn|id|length|len|header|ttl|expiry|expires|timeout"
    r"|seconds|minutes|hours|days|age|type|format|prefix|suffix|algorithm|alg|version|size"
    r"|count|enabled|disabled|required|url|uri|endpoint|host|port|env|var|key_?name)$"
)


#: sources that mean "anyone": the IPv4/IPv6 default routes, a bare 0.0.0.0 (Azure SQL and
#: Alibaba Cloud whitelists), and the wildcard and service tags of Azure NSG rules
_WORLD = frozenset({"0.0.0.0/0", "::/0", "0.0.0.0", "*", "internet", "any"})  # noqa: S104


def is_world(value: object) -> bool:
    """``value`` (a CIDR string) lets in the whole internet: ``0.0.0.0/0``, ``::/0`` and
    other spellings of a /0 (``0::0/0``, ``0.0.0.0/00``), ``0.0.0.0``, ``*``, ``Internet``."""
    if not isinstance(value, str):
        return False
    v = value.strip().lower()
    if v in _WORLD:
        return True
    address, slash, bits = v.partition("/")
    if not slash or not bits.isdigit() or int(bits) != 0:
        return False
    import ipaddress

    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


#: address space that is not the internet: "this network", private (RFC 1918), shared
#: (RFC 6598), loopback, link-local, IETF protocol assignments, benchmarking, multicast and
#: reserved; IPv6 unspecified/loopback, unique-local, link-local and multicast
_NOT_INTERNET = {
    4: (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "224.0.0.0/3",
    ),
    6: ("::/127", "fc00::/7", "fe80::/10", "ff00::/8"),
}


def leaves_internet(cidr: object, excepts: object) -> bool | None:
    """A whole-internet ``cidr`` (``is_world``) minus the ``excepts`` ranges (a Kubernetes
    ipBlock's ``except``) still admits internet addresses. Excepting the private ranges
    (``10.0.0.0/8`` ...) or a few public ones leaves the internet in; only excepts that cover
    every public address close it. None when an except is not a literal CIDR (unknown)."""
    import ipaddress

    if not isinstance(excepts, list):
        return None
    version = 6 if ":" in str(cidr) else 4
    nets: list[Any] = [ipaddress.ip_network(n) for n in _NOT_INTERNET[version]]
    for e in excepts:
        if not isinstance(e, str):
            return None
        try:
            net = ipaddress.ip_network(e.strip(), strict=False)
        except ValueError:
            return None
        if net.version == version:
            nets.append(net)
    covered = sum(int(n.num_addresses) for n in ipaddress.collapse_addresses(nets))
    return bool(covered < 2 ** (32 if version == 4 else 128))


#: IAM actions that let a principal give itself (or a principal it controls) more rights,
#: from the published privilege-escalation paths: a new policy version, access keys or a
#: console password for another user, attaching or writing policies, joining a group,
#: rewriting a role's trust policy, or replacing the code that runs under a stronger role
_ESCALATION = frozenset(
    a.lower()
    for a in (
        "iam:CreatePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:CreateAccessKey",
        "iam:CreateLoginProfile",
        "iam:UpdateLoginProfile",
        "iam:AttachUserPolicy",
        "iam:AttachGroupPolicy",
        "iam:AttachRolePolicy",
        "iam:PutUserPolicy",
        "iam:PutGroupPolicy",
        "iam:PutRolePolicy",
        "iam:AddUserToGroup",
        "iam:UpdateAssumeRolePolicy",
        "glue:UpdateDevEndpoint",
        "lambda:UpdateFunctionCode",
    )
)
#: services that start something under a role the caller passes (iam:PassRole + one of these)
_PASS_ROLE_TO = frozenset(
    a.lower()
    for a in (
        "ec2:RunInstances",
        "lambda:CreateFunction",
        "glue:CreateDevEndpoint",
        "cloudformation:CreateStack",
        "datapipeline:CreatePipeline",
    )
)


def _grants(pattern: str, actions: frozenset[str]) -> bool:
    p = pattern.strip().lower()
    if p == "*" or p.endswith(":*") or ":" not in p:
        return False  # all actions, or all of a service's: the wildcard rules report those
    return any(fnmatch.fnmatchcase(a, p) for a in actions)


def escalates(actions: Iterable[object]) -> bool:
    """The actions a policy allows on every resource let the principal escalate: one of
    :data:`_ESCALATION` (``iam:Put*`` counts), or ``iam:PassRole`` with a service that runs
    something under the passed role. ``*`` and ``iam:*`` are left to the wildcard rules."""
    names = [a for a in actions if isinstance(a, str)]
    if any(_grants(a, _ESCALATION) for a in names):
        return True
    return any(_grants(a, frozenset({"iam:passrole"})) for a in names) and any(
        _grants(a, _PASS_ROLE_TO) for a in names
    )


#: condition keys that do not narrow who may use a policy statement: a name that any account
#: can have (``aws:username``), the transport, the time, the request's own tags or headers
_NOT_SCOPING = re.compile(
    r"(?i)^(aws:(SecureTransport|username|CurrentTime|EpochTime|MultiFactorAuth(Present|Age)"
    r"|RequestedRegion|UserAgent|Referer|TokenIssueTime|TagKeys|ViaAWSService)"
    r"|aws:(PrincipalTag|RequestTag|ResourceTag)/.*"
    r"|s3:(x-amz-acl|x-amz-server-side-encryption.*|signatureversion|TlsVersion))$"
)


#: condition operators whose values are patterns (``*``, ``?``): ``StringLike`` and both ARN
#: operators (``ArnEquals`` takes wildcards in each part of an ARN as ``ArnLike`` does), with
#: a set prefix (``ForAnyValue:``) or ``IfExists``; ``StringEquals`` takes ``*`` literally
_PATTERN_OPERATOR = re.compile(
    r"(?i)^(ForAllValues:|ForAnyValue:)?(StringLike|ArnLike|ArnEquals)(IfExists)?$"
)
#: the ARN partitions (an ``arn:aws:*`` pattern matches every ARN of the partition)
_PARTITIONS = frozenset({"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "*"})


def _matches_anything(value: object) -> bool:
    """A condition value that, as a pattern, matches every value of its key: ``*`` (``**``),
    or an ARN pattern whose parts past ``arn`` and the partition are all ``*``
    (``arn:aws:*``, ``arn:*:*:*:*:*``)."""
    if not isinstance(value, str):
        return False
    v = value.strip()
    if v and not v.strip("*"):
        return True
    parts = v.split(":")
    return (
        len(parts) >= 3
        and parts[0].lower() in ("arn", "*")
        and parts[1].lower() in _PARTITIONS
        and all(p and not p.strip("*") for p in parts[2:])
    )


def matches_anything(operator: object, value: object) -> bool:
    """Whether a condition test's value, under ``operator``, lets any value of its key
    through: a pattern operator (``StringLike``, ``ArnLike``, ``ArnEquals``) and a value
    that matches anything (:func:`_matches_anything`)."""
    return (
        isinstance(operator, str)
        and _PATTERN_OPERATOR.match(operator) is not None
        and _matches_anything(value)
    )


def _scopes(operator: object, key: object, value: object) -> bool:
    """Whether one test of a condition narrows who may use the statement: its key is not one
    of :data:`_NOT_SCOPING` and, for a pattern operator, no value of it (values are ORed)
    matches anything."""
    if not isinstance(key, str):
        return True
    if _NOT_SCOPING.match(key):
        return False
    values = value if isinstance(value, list) else [value]
    return not any(matches_anything(operator, v) for v in values)


def unscoped_condition(condition: object) -> bool:
    """A policy statement's ``Condition`` that leaves the statement open to anyone its
    principal names: every key it tests is one of :data:`_NOT_SCOPING` (``{"Bool":
    {"aws:SecureTransport": "true"}}``, ``{"StringEquals": {"aws:username": "ci"}}``) or is
    matched against a pattern that matches anything (``{"StringLike": {"aws:SourceAccount":
    "*"}}``, ``{"ArnLike": {"aws:SourceArn": "arn:aws:*"}}``; under ``StringEquals`` a ``*``
    is a literal, which no account id or ARN equals). An empty or absent condition is
    unscoped; anything not a plain map of maps (a reference, a variable) counts as scoping,
    so an unknown never reports."""
    if condition is None or condition == {}:
        return True
    if not isinstance(condition, dict):
        return False
    for operator, tests in condition.items():
        if not isinstance(tests, dict) or not tests:
            return False
        if any(_scopes(operator, k, v) for k, v in tests.items()):
            return False
    return True


def looks_like_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name)) and not _NOT_SECRET_SUFFIX.search(name)


_URL_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^\s:/@]+:(?P<pw>[^\s@/]+)@", re.I)


def url_password(value: str) -> str:
    """The password of a ``scheme://user:password@host`` value, when it is a literal."""
    m = _URL_PASSWORD.match(value.strip().strip("'\""))
    pw = m.group("pw") if m else ""
    return pw if pw and looks_like_literal_secret(pw) else ""


def secret_value(name: str, value: str) -> str:
    """The credential a NAME=value setting holds (the whole value, or a URL's password)."""
    pw = url_password(value)
    if pw:
        return pw
    if looks_like_secret_name(name) and looks_like_literal_secret(value):
        return value
    return ""


#: a file path (``/credentials/sa.json``, ``./app/key.pem``, ``~/.aws/config``): what a
#: ``*_CREDENTIALS`` or ``*_KEY`` setting names is where the secret is, not the secret
_FILE_PATH = re.compile(r"^(?:~|\.{1,2})?(?:/[\w.@-]+)+/?$")
_FILE_EXT = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,5}$")


def looks_like_file_path(value: str) -> bool:
    """A value written as a path: two or more segments, or one that ends in a file extension,
    none of them a generated value (base64 secrets hold ``/``: ``/x8Kq2mP9vLw3/bQ4s`` is a
    secret, and was read as a path)."""
    v = value.strip().strip("'\"")
    return (
        bool(_FILE_PATH.match(v))
        and (v.strip("/").count("/") >= 1 or bool(_FILE_EXT.search(v)))
        and not any(generated_segment(seg) for seg in v.split("/"))
    )


def looks_like_literal_secret(value: str) -> bool:
    v = value.strip().strip("'\"")
    return (
        len(v) >= 6
        and not _PLACEHOLDER.match(v)
        and "$(" not in v
        and "${" not in v
        and not looks_like_file_path(v)
    )


#: the longest value a default message quotes
SHOW_MAX = 60


def show_value(value: Any) -> str:
    """How a rule's default message shows an attribute's value: a short one-line scalar as
    written (``"HTTP"``, ``true``, ``8080``, an expression's source), a short flat list or
    map of them (``["*"]``), anything else only by its kind. A long or multi-line string, a
    nested or long list or map can be a container definition, a policy document or a boot
    script, whose credentials a message must never carry (messages are redacted like every
    text of a report, but a secret that redaction does not recognise would be printed)."""
    shown = _short(value, flat=False)
    if shown is not None:
        return shown
    text = value if isinstance(value, str) else _text(value)
    if text is not None:
        kind = "a string" if isinstance(value, str) else "an expression"
        if "\n" in text or "\r" in text:
            n = len(text.splitlines())
            return f"({kind} of {n} line{'s' * (n != 1)})"
        return f"({kind} of {len(text)} characters)"
    if isinstance(value, list | tuple | dict):
        n = len(value)
        kind, unit = ("map", "key") if isinstance(value, dict) else ("list", "item")
        return f"(a {kind} of {n} {unit}{'s' * (n != 1)})"
    return f"(a {type(value).__name__})"


def _text(value: Any) -> str | None:
    """A string as quoted, an expression (``hcl.Expr``, ``!Ref``) as written."""
    if isinstance(value, str):
        return f'"{value}"'
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else None


def _short(value: Any, *, flat: bool = True) -> str | None:
    """``value`` written out when that is one line of at most SHOW_MAX characters (a list or
    a map only when not ``flat``, and then only of scalars)."""
    if isinstance(value, bool) or value is None:
        shown = "null" if value is None else "true" if value else "false"
    elif isinstance(value, int | float):
        shown = str(value)
    elif isinstance(value, list | tuple) and not flat:
        items = [_short(v) for v in value]
        if None in items:
            return None
        shown = "[" + ", ".join(str(i) for i in items) + "]"
    elif isinstance(value, dict) and not flat:
        pairs = [(_short(str(k)), _short(v)) for k, v in value.items()]
        if any(k is None or v is None for k, v in pairs):
            return None
        shown = "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    else:
        text = _text(value)
        if text is None:
            return None
        shown = text
    if len(shown) > SHOW_MAX or "\n" in shown or "\r" in shown:
        return None
    return shown


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a check fired: 1-based line and column, and an optional specific message."""

    line: int
    column: int = 1
    message: str = ""
    #: a secret value on that line: redacted in the snippet, never stored whole
    secret: str = ""
    #: extra text that makes this hit itself (when several hits share a line)
    key: str = ""
    #: the rule the finding is reported under, when not the check's own (a credential in a
    #: boot script is reported under the secrets rule that recognises it)
    rule: Rule | None = None


@dataclass(frozen=True)
class Check:
    rule: Rule
    fn: Callable[..., Iterator[Any]]


def make_rule(
    rule_id: str,
    title: str,
    severity: Severity,
    rationale: str,
    remediation: str,
    vulnerable: str,
    fixed: str,
    cwe: tuple[str, ...] = (),
    references: tuple[str, ...] = (),
    confidence: Confidence = Confidence.HIGH,
    tags: tuple[str, ...] = ("iac",),
) -> Rule:
    return Rule(
        id=rule_id,
        title=title,
        severity=severity,
        rationale=rationale,
        remediation=remediation,
        vulnerable_example=vulnerable.strip("\n") + "\n",
        fixed_example=fixed.strip("\n") + "\n",
        cwe=cwe,
        references=references,
        confidence=confidence,
        tags=tags,
    )


class Registry:
    """The checks of one format, in registration order."""

    def __init__(self) -> None:
        self.checks: list[Check] = []

    def rule(
        self, rule: Rule
    ) -> Callable[[Callable[..., Iterator[Any]]], Callable[..., Iterator[Any]]]:
        def register(fn: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Hit]]:
            self.checks.append(Check(rule, fn))
            return fn

        return register

    def rules(self) -> list[Rule]:
        return [c.rule for c in self.checks]


#: a base64 run long enough to encode a credential
_ENCODED = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")


def snippet_for(lines: list[str], hit: Hit) -> str:
    if not 1 <= hit.line <= len(lines):
        return ""
    text = lines[hit.line - 1]
    if hit.secret:
        idx = text.find(hit.secret)
        if idx >= 0:
            return redact_line(text, idx, idx + len(hit.secret))
        # the secret is not on the line as written (base64 user_data): its encoded form is
        text = _ENCODED.sub(lambda m: preview(m.group(0)), text)
        return trim_snippet(text.replace(hit.secret, preview(hit.secret)))
    return trim_snippet(text, focus=max(0, hit.column - 1))


def to_finding(
    rule: Rule, path: str, lines: list[str], hit: Hit, key: bytes = b"", **extra: Any
) -> Finding:
    """A finding for ``hit``. A secret's identity is its keyed HMAC (``key``, else the
    default key), so the same credential found by the secrets scanner merges with it."""
    snippet = snippet_for(lines, hit)
    if hit.secret:
        identity = secret_identity(hit.secret, key or fingerprint_key())
    else:
        identity = " ".join(snippet.split())
        if hit.key:
            identity += "|" + hit.key
    return finding_from_rule(
        hit.rule or rule,
        SCANNER,
        path=path,
        line=hit.line,
        column=hit.column,
        message=hit.message or rule.title,
        snippet=snippet,
        identity=identity,
        **extra,
    )


def port_number(value: Any) -> int | None:
    """A port given as a number or a string of digits (CloudFormation's ``"443"``); None
    when it is not known."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 6 else None
