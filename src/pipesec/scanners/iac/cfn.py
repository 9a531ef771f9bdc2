"""CloudFormation templates: YAML (short-form intrinsic tags) and JSON, with positions.

Both forms load into the same :class:`~pipesec.core.yamlpos.YNode` tree, intrinsic
functions in their long form (``!Ref X`` is ``{"Ref": "X"}``, ``!GetAtt A.B`` is
``{"Fn::GetAtt": ["A", "B"]}``), every key and value with its line. :meth:`Template.resolve`
turns a property into plain values for the rules: ``Ref`` to a parameter with a default
is the default, ``AWS::NoValue`` removes the property, ``Fn::Sub``/``Join``/``Select``/
``Split``/``FindInMap`` are computed when their inputs are known, ``Fn::If`` when its
condition is decidable from literals alone (or both branches agree). Everything else
(resource attributes, imports, pseudo parameters, parameters without a default) is an
unknown :class:`~pipesec.scanners.iac.hcl.Expr`, which no rule condition turns into a
finding. Strings ``"true"``/``"false"`` and integers written as strings become booleans
and integers, as CloudFormation converts them for typed properties.

A hostile template cannot stall the scan: the YAML loader counts alias expansion (a
"billion laughs" stops with an error) and refuses deep nesting; the JSON reader is bounded
in depth and in nodes; invalid input is one :class:`CfnError` with its line.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pipesec.core.yamlpos import MAX_DEPTH, Limits, TagHook, YamlError, iter_documents
from pipesec.core.yamlpos import YNode as Y
from pipesec.scanners.iac.hcl import Expr

#: short-form tags whose long form is not ``Fn::<tag>``
_TAG_NAMES = {"Ref": "Ref", "Condition": "Condition"}
_TAGS = frozenset(
    {
        *("Ref", "Sub", "GetAtt", "Join", "If", "Select", "Split", "FindInMap", "GetAZs"),
        *("ImportValue", "Base64", "Cidr", "Equals", "And", "Or", "Not", "Condition"),
        *("Transform", "ToJsonString", "Length", "ForEach"),
    }
)
#: the cheap look before a parse: a template names its format version or an AWS:: type (or
#: Alexa::ASK::Skill, the one resource type outside AWS:: that CloudFormation itself ships)
_MARKER = re.compile(
    r"AWSTemplateFormatVersion|(?<![\w:])(?:AWS::[A-Za-z0-9]+|Alexa::ASK)::[A-Za-z0-9]"
)
_SAM = "AWS::Serverless"
#: resource type prefixes that make a Resources map a template
_TEMPLATE_TYPES = ("AWS::", "Custom::", "Alexa::ASK::")
_NUMERIC = re.compile(r"-?\d{1,18}")
NO_VALUE = object()
_NODE_BUDGET = Limits().nodes


class CfnError(YamlError):
    """A template that cannot be read (invalid YAML or JSON, a bomb), with its position."""


# -- loading --------------------------------------------------------------------------------


def _long_form(node: Y) -> Y:
    """A short-form intrinsic (``!Ref X``, ``!GetAtt A.B``) as its long form."""
    name = node.tag[1:]
    inner = node
    if name == "GetAtt" and node.is_scalar:
        head, _, tail = str(node.value).partition(".")
        parts = [Y(head, node.line, node.column)]
        parts += [Y(tail, node.line, node.column)] if tail else []
        inner = Y(parts, node.line, node.column)
    elif node.is_scalar and not isinstance(node.value, str):
        inner = Y(node.raw, node.line, node.column)
    inner.key_line, inner.key_column = node.line, node.column
    return Y({_TAG_NAMES.get(name, f"Fn::{name}"): inner}, node.line, node.column)


_TAG_HOOKS: dict[str, TagHook] = {f"!{t}": _long_form for t in _TAGS}


def load_yaml(text: str) -> Y | None:
    """The template's first YAML document (CloudFormation reads one)."""
    try:
        for doc in iter_documents("template", text, Limits(), _TAG_HOOKS):
            return doc.root
    except YamlError as exc:
        raise CfnError(exc.message, exc.line, exc.column) from None
    return None


_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}


class _Json:
    """A JSON reader that keeps the line and column of every key and value."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.nodes = 0

    def pos(self, i: int) -> tuple[int, int]:
        n = bisect.bisect_right(self.starts, i)
        return n, i - self.starts[n - 1] + 1

    def fail(self, message: str, i: int) -> CfnError:
        line, col = self.pos(min(i, len(self.text)))
        return CfnError(f"invalid JSON: {message}", line, col)

    def ws(self, i: int) -> int:
        m = _WS.match(self.text, i)
        return m.end() if m else i

    def string(self, i: int) -> tuple[str, int]:
        try:
            return json.decoder.scanstring(self.text, i + 1, True)  # type: ignore[attr-defined,no-any-return]
        except json.JSONDecodeError as exc:
            raise self.fail(exc.msg, exc.pos) from None

    def value(self, i: int, depth: int) -> tuple[Y, int]:
        self.nodes += 1
        if self.nodes > _NODE_BUDGET:
            raise self.fail(f"more than {_NODE_BUDGET} values; not scanned", i)
        if depth > MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} levels deep; not scanned", i)
        i = self.ws(i)
        line, col = self.pos(i)
        c = self.text[i : i + 1]
        if c == "{":
            out: dict[str, Y] = {}
            i = self.ws(i + 1)
            if self.text[i : i + 1] == "}":
                return Y(out, line, col), i + 1
            while True:
                i = self.ws(i)
                if self.text[i : i + 1] != '"':
                    raise self.fail("expected a quoted key", i)
                kline, kcol = self.pos(i)
                key, i = self.string(i)
                i = self.ws(i)
                if self.text[i : i + 1] != ":":
                    raise self.fail("expected ':'", i)
                child, i = self.value(i + 1, depth + 1)
                child.key_line, child.key_column = kline, kcol
                out[key] = child
                i = self.ws(i)
                c = self.text[i : i + 1]
                if c == "}":
                    return Y(out, line, col), i + 1
                if c != ",":
                    raise self.fail("expected ',' or '}'", i)
                i += 1
        if c == "[":
            items: list[Y] = []
            i = self.ws(i + 1)
            if self.text[i : i + 1] == "]":
                return Y(items, line, col), i + 1
            while True:
                item, i = self.value(i, depth + 1)
                items.append(item)
                i = self.ws(i)
                c = self.text[i : i + 1]
                if c == "]":
                    return Y(items, line, col), i + 1
                if c != ",":
                    raise self.fail("expected ',' or ']'", i)
                i += 1
        if c == '"':
            s, i = self.string(i)
            return Y(s, line, col), i
        for word, lit in _LITERALS.items():
            if self.text.startswith(word, i):
                return Y(lit, line, col), i + len(word)
        m = _NUMBER.match(self.text, i)
        if m:
            t = m.group(0)
            num: int | float = float(t) if any(ch in t for ch in ".eE") else int(t)
            return Y(num, line, col), m.end()
        raise self.fail("expected a value" if c else "unexpected end of input", i)


def load_json(text: str) -> Y:
    reader = _Json(text)
    doc, end = reader.value(0, 0)
    if reader.ws(end) != len(text):
        raise reader.fail("extra data after the document", reader.ws(end))
    return doc


# -- the template ---------------------------------------------------------------------------


@dataclass
class Resource:
    name: str  # the logical id
    type: str
    node: Y  # the resource's mapping; ``node.at`` is the logical id's line
    props: Y | None
    template: Template
    _cel: Any = None
    _resolved: dict[str, Any] | None = None

    def resolved(self) -> dict[str, Any]:
        """The properties as plain values (SAM ``Globals`` merged under the resource's own),
        computed once: treat the result as read-only."""
        if self._resolved is None:
            own = self.template.resolve(self.props) if self.props is not None else {}
            own = own if isinstance(own, dict) else {}
            glob = self.template.globals_for(self.type)
            self._resolved = {**glob, **own} if glob else own
        return self._resolved

    def cel(self) -> Any:
        if self._cel is None:
            from pipesec.scanners.iac.cel import to_cel

            self._cel = to_cel(self.resolved())
        return self._cel


@dataclass
class Template:
    path: str
    root: Y
    text: str = ""
    parameters: dict[str, Y] = field(default_factory=dict)
    conditions: dict[str, Y] = field(default_factory=dict)
    resources: list[Resource] = field(default_factory=list)
    #: literal values (parameter defaults, mapping values, SAM Globals) by node, computed once:
    #: a value used many times costs its size once
    _memo: dict[int, Any] = field(default_factory=dict, repr=False)

    def _once(self, y: Y, compute: Any) -> Any:
        key = id(y)
        if key not in self._memo:
            self._memo[key] = compute(y)
        return self._memo[key]

    @property
    def sam(self) -> bool:
        t = self.root.get("Transform")
        names = [t] if t is None or not isinstance(t.value, list) else t.value
        return any(isinstance(n, Y) and str(n.value).startswith(_SAM) for n in names)

    def of_types(self, types: frozenset[str] | set[str]) -> list[Resource]:
        return [r for r in self.resources if r.type in types]

    def globals_for(self, rtype: str) -> dict[str, Any]:
        if not rtype.startswith("AWS::Serverless::"):
            return {}
        section = self.root.get("Globals", rtype.rsplit("::", 1)[-1])
        got = self._once(section, self.resolve) if section is not None else {}
        return got if isinstance(got, dict) else {}

    # -- intrinsic functions

    def resolve(self, y: Y, depth: int = 0, literal_only: bool = False) -> Any:
        """``y`` as plain values; unknowns are :class:`Expr`. ``literal_only``: parameters
        count as unknown (the condition of an ``Fn::If`` is decided on literals only)."""
        if depth > MAX_DEPTH:
            return Expr("nested too deep")
        v = y.value
        if isinstance(v, list):
            items = [self.resolve(i, depth + 1, literal_only) for i in v]
            return [i for i in items if i is not NO_VALUE]
        if isinstance(v, dict):
            if len(v) == 1:
                ((name, arg),) = v.items()
                if name == "Ref" or name.startswith("Fn::") or name == "Condition":
                    return self._intrinsic(name, arg, depth + 1, literal_only)
            out = {}
            for k, child in v.items():
                got = self.resolve(child, depth + 1, literal_only)
                if got is not NO_VALUE:
                    out[k] = got
            return out
        return _normal(v)

    def _intrinsic(self, name: str, arg: Y, depth: int, literal_only: bool) -> Any:
        fn = name.removeprefix("Fn::")
        if fn == "Ref":
            return self._ref(str(arg.value), literal_only)
        if fn == "If":
            return self._if(arg, depth, literal_only)
        if fn in ("Equals", "And", "Or", "Not", "Condition"):
            got = self.condition_of(Y({name: arg}, arg.line, arg.column), set())
            return Expr(name) if got is None else got
        a = self.resolve(arg, depth, literal_only)
        if _unknown(a):
            return Expr(f"{name} of an unknown value")
        if fn == "Sub":
            return _sub(a, self, literal_only)
        if fn == "Join" and _shape(a, str, list) and all(_scalar(x) for x in a[1]):
            return a[0].join(_text(x) for x in a[1])
        if fn == "Select" and _shape(a, int, list) and 0 <= a[0] < len(a[1]):
            return a[1][a[0]]
        if fn == "Split" and _shape(a, str, str) and a[0]:
            return [_normal(s) for s in a[1].split(a[0])]
        if fn == "FindInMap" and isinstance(a, list) and len(a) >= 3:
            found = self.root.get("Mappings", *(_text(k) for k in a[:3]))
            return self._once(found, _literal) if found is not None else Expr(name)
        if fn == "Base64" and isinstance(a, str):
            import base64

            return base64.b64encode(a.encode()).decode()
        return Expr(name)  # GetAtt, GetAZs, ImportValue, Cidr, Transform ...

    def _ref(self, target: str, literal_only: bool) -> Any:
        if target == "AWS::NoValue":
            return NO_VALUE
        p = self.parameters.get(target)
        if p is None or literal_only:
            return Expr(f"Ref {target}")
        default = p.get("Default")
        if default is None or isinstance(default.value, dict):
            return Expr(f"Ref {target}")
        ptype = str(p.scalar("Type") or "")
        if isinstance(default.value, str) and (
            ptype.startswith("List<") or ptype == "CommaDelimitedList"
        ):
            return [_normal(s.strip()) for s in default.value.split(",")]
        return self._once(default, _literal)

    def _if(self, arg: Y, depth: int, literal_only: bool) -> Any:
        parts = arg.items()
        if len(parts) != 3:
            return Expr("Fn::If")
        decided = self.condition_of(
            Y({"Condition": parts[0]}, parts[0].line, parts[0].column), set(), True
        )
        if decided is not None:
            return self.resolve(parts[1] if decided else parts[2], depth, literal_only)
        a, b = (self.resolve(p, depth, literal_only) for p in parts[1:])
        return a if a == b and not _unknown(a) and a is not NO_VALUE else Expr("Fn::If")

    def condition_of(self, y: Y, seen: set[str], literal_only: bool = True) -> bool | None:
        """A condition's truth when literals decide it, else None."""
        v = y.value
        if isinstance(v, bool):
            return v
        if not isinstance(v, dict) or len(v) != 1:
            return None
        ((name, arg),) = v.items()
        if name == "Condition":
            ref = str(arg.value)
            target = self.conditions.get(ref)
            if target is None or ref in seen:
                return None
            return self.condition_of(target, seen | {ref}, literal_only)
        if name == "Fn::Equals":
            sides = arg.items()
            if len(sides) != 2:
                return None
            a, b = (self.resolve(s, len(seen) + 1, literal_only) for s in sides)
            if _unknown(a) or _unknown(b) or a is NO_VALUE or b is NO_VALUE:
                return None
            return _text(a) == _text(b)
        subs = [self.condition_of(s, seen, literal_only) for s in arg.items()]
        if name == "Fn::Not" and len(subs) == 1:
            return None if subs[0] is None else not subs[0]
        if name == "Fn::And":
            return False if False in subs else (True if None not in subs else None)
        if name == "Fn::Or":
            return True if True in subs else (False if None not in subs else None)
        return None


def _literal(y: Y) -> Any:
    """A mapping value or a parameter default: literals only (CloudFormation allows no
    functions there; resolving them would let a value refer to itself)."""
    value = y.plain()
    return (
        Expr("a function where only literals are allowed")
        if _has_map(value, 0)
        else _normalized(value)
    )


def _has_map(v: Any, depth: int) -> bool:
    if isinstance(v, dict) or depth > MAX_DEPTH:
        return True
    return isinstance(v, list) and any(_has_map(x, depth + 1) for x in v)


def _normalized(v: Any) -> Any:
    return [_normal(x) for x in v] if isinstance(v, list) else _normal(v)


def _normal(v: Any) -> Any:
    """Typed values as CloudFormation converts strings for boolean and integer properties."""
    if isinstance(v, str):
        low = v.strip().lower()
        if low in ("true", "false"):
            return low == "true"
        if _NUMERIC.fullmatch(v.strip()):
            return int(v)
    return v


def _unknown(v: Any) -> bool:
    if isinstance(v, Expr):
        return True
    if isinstance(v, list):
        return any(_unknown(x) for x in v)
    if isinstance(v, dict):
        return any(_unknown(x) for x in v.values())
    return False


def _scalar(v: Any) -> bool:
    return isinstance(v, str | int | float | bool)


def _text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _shape(v: Any, *types: type) -> bool:
    return (
        isinstance(v, list)
        and len(v) == len(types)
        and all(isinstance(x, t) and not isinstance(x, bool) for x, t in zip(v, types, strict=True))
    )


_SUB_VAR = re.compile(r"\$\{(!?)([^}]*)\}")


def _sub(a: Any, t: Template, literal_only: bool) -> Any:
    """``Fn::Sub``: every ``${X}`` known (a parameter's default, a variable), else unknown."""
    text, variables = (a[0], a[1]) if isinstance(a, list) and len(a) == 2 else (a, {})
    if not isinstance(text, str) or not isinstance(variables, dict):
        return Expr("Fn::Sub")
    unknown = False

    def one(m: re.Match[str]) -> str:
        nonlocal unknown
        if m.group(1):
            return "${" + m.group(2) + "}"
        name = m.group(2).strip()
        got = variables[name] if name in variables else t._ref(name, literal_only)
        if not _scalar(got):
            unknown = True
            return ""
        return _text(got)

    out = _SUB_VAR.sub(one, text)
    return Expr("Fn::Sub") if unknown else out


# -- detection ------------------------------------------------------------------------------


def might_be_template(text: str) -> bool:
    """A cheap look: could this file be a template (before parsing it)?"""
    return "Resources" in text and bool(_MARKER.search(text))


def is_json(path: str, text: str) -> bool:
    return path.lower().endswith(".json") or text.lstrip()[:1] == "{"


def parse(path: str, text: str, overrides: dict[str, Any] | None = None) -> Template | None:
    """The template in ``text``, or None when the document is not a CloudFormation template.
    ``overrides``: parameter values a parent stack passes (a nested stack's Parameters).

    Raises :class:`CfnError` for invalid YAML or JSON."""
    root = load_json(text) if is_json(path, text) else load_yaml(text)
    if root is None or not isinstance(root.value, dict):
        return None
    resources = root.get("Resources")
    if resources is None or not isinstance(resources.value, dict):
        return None
    t = Template(path, root, text)
    t.parameters = dict((root.get("Parameters") or Y({}, 0, 0)).mapping())
    for name, value in (overrides or {}).items():
        declared = t.parameters.get(name)
        if declared is not None:
            ptype = declared.get("Type") or Y("String", 0, 0)
            t.parameters[name] = Y({"Type": ptype, "Default": Y(value, 0, 0)}, 0, 0)
    t.conditions = (root.get("Conditions") or Y({}, 0, 0)).mapping()
    typed = list(_typed(t, resources, [MAX_FOREACH_RESOURCES], 0))
    aws = any(str(n.scalar("Type")).startswith(_TEMPLATE_TYPES) for _, n, _ in typed)
    if not aws and root.get("AWSTemplateFormatVersion") is None:
        return None
    for name, node, scope in typed:
        cond = node.get("Condition")
        if cond is not None and scope.condition_of(Y({"Condition": cond}, 0, 0), set()) is False:
            continue  # never created
        t.resources.append(
            Resource(name, str(node.scalar("Type")), node, node.get("Properties"), scope)
        )
    t.resources.extend(
        stage
        for res in t.of_types({"AWS::ApiGateway::Deployment"})
        if (stage := _deployment_stage(res)) is not None
    )
    return t


#: a Deployment's StageDescription settings that apply to every method of the stage (on an
#: AWS::ApiGateway::Stage they are written in MethodSettings, for ``/*`` and ``*``)
_STAGE_WIDE = frozenset(
    {
        "CacheDataEncrypted",
        "CacheTtlInSeconds",
        "CachingEnabled",
        "DataTraceEnabled",
        "LoggingLevel",
        "MetricsEnabled",
        "ThrottlingBurstLimit",
        "ThrottlingRateLimit",
    }
)


def _deployment_stage(res: Resource) -> Resource | None:
    """The stage an ``AWS::ApiGateway::Deployment`` with a ``StageName`` creates, as the
    ``AWS::ApiGateway::Stage`` its ``StageDescription`` describes (the stage-wide method
    settings become a ``/*`` ``*`` MethodSettings entry), so the stage rules check it; a
    Deployment without a StageName creates no stage."""
    props = res.props
    if props is None or not props.is_map or props.get("StageName") is None:
        return None
    desc = props.get("StageDescription")
    base = desc if desc is not None and desc.is_map else props
    own = desc.mapping() if desc is not None and desc.is_map else {}
    stage = {k: v for k, v in own.items() if k not in _STAGE_WIDE}
    wide = {k: v for k, v in own.items() if k in _STAGE_WIDE}
    if wide:
        everything = {"ResourcePath": Y("/*", base.line, base.column)}
        everything["HttpMethod"] = Y("*", base.line, base.column)
        entry = Y({**everything, **wide}, base.line, base.column)
        listed = own.get("MethodSettings")
        items = list(listed.value) if listed is not None and listed.is_seq else []
        where = listed if listed is not None else base
        stage["MethodSettings"] = Y([*items, entry], where.line, where.column)
    node = Y(stage, base.line, base.column)
    return Resource(res.name, "AWS::ApiGateway::Stage", res.node, node, res.template)


#: resources ``Fn::ForEach`` loops may add to one template, and loops inside loops
MAX_FOREACH_RESOURCES = 2_000
MAX_FOREACH_DEPTH = 5
_LOOP_KEY = re.compile(r"[$&]\{([^}]*)\}")


def _typed(
    t: Template, section: Y, budget: list[int], depth: int
) -> Iterator[tuple[str, Y, Template]]:
    """(logical id, resource node, the template its values resolve in) of a Resources
    section, ``Fn::ForEach::Name: [Identifier, [values], {OutputKey: resource}]`` loops
    (AWS::LanguageExtensions) expanded when the values are known: each instance resolves
    the identifier to its value (``Ref``, ``${Identifier}``), and the output key's
    ``${Identifier}``/``&{Identifier}`` become the logical id."""
    if not isinstance(section.value, dict):
        return
    for name, node in section.value.items():
        if name.startswith("Fn::ForEach::"):
            if depth < MAX_FOREACH_DEPTH:
                yield from _for_each(t, node, budget, depth)
            continue
        if isinstance(node.value, dict) and isinstance(node.scalar("Type"), str):
            yield name, node, t


def _for_each(
    t: Template, loop: Y, budget: list[int], depth: int
) -> Iterator[tuple[str, Y, Template]]:
    parts = loop.value if isinstance(loop.value, list) else []
    if len(parts) != 3 or not isinstance(parts[0].value, str):
        return
    ident = parts[0].value
    values = t.resolve(parts[1])
    if not isinstance(values, list) or _unknown(values):
        return  # a collection the scan cannot know: the loop's resources stay unchecked
    for value in values:
        if not _scalar(value):
            continue
        text = _text(value)
        default = Y({"Type": Y("String", 0, 0), "Default": Y(text, 0, 0)}, 0, 0)
        scope = Template(t.path, t.root, t.text, {**t.parameters, ident: default}, t.conditions)

        def key(m: re.Match[str], text: str = text) -> str:
            if m.group(1).strip() != ident:
                return m.group(0)
            return text if m.group(0)[0] == "$" else re.sub(r"[^A-Za-z0-9]", "", text)

        for name, node, inner in _typed(scope, parts[2], budget, depth + 1):
            if budget[0] <= 0:
                return
            budget[0] -= 1
            yield _LOOP_KEY.sub(key, name), node, inner
