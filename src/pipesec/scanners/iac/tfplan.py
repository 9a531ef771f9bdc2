"""Terraform plans and states as JSON (``terraform show -json``) as scan input.

A plan holds what static evaluation cannot always know: module inputs, variables given on
the command line, values of functions. Its resources are turned into the same
:class:`~.hcl.Block` objects the HCL loader makes, one :class:`~.tfbase.ModuleView` per
module instance, and the same rules run on them. Values the plan marks as known only
after apply (``after_unknown``) are unknown (:class:`~.hcl.Expr`): they never fire.

Findings point at the ``.tf`` source when the plan's configuration and the scanned tree
let us find the resource block (the plan file's directory is the root module, local
module sources are followed): the attribute's line when the source sets it, else the
block's. Otherwise they point at the plan file, at the JSON line of the resource's
address or of the attribute, with the full resource address in the message.
"""

from __future__ import annotations

import bisect
import json
import posixpath
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pipesec.scanners.iac.hcl import Attr, Block, Expr

#: nesting of JSON values followed; deeper values are unknown
MAX_DEPTH = 64
AFTER_APPLY = Expr("(known after apply)")
#: references followed to resolve one expression (locals and outputs through each other)
MAX_FOLLOWED = 4_096
_MODULE = re.compile(r'module\.([A-Za-z0-9_-]+)(?:\[(?:[^\]"]|"(?:[^"\\]|\\.)*")*\])?')


class PlanError(ValueError):
    pass


@dataclass
class PlanResource:
    module: str  # "" for the root module, else "module.a.module.b[0]"
    mode: str  # "managed" or "data"
    type: str
    name: str
    address: str
    values: dict[str, Any]
    #: top-level attributes the plan marks sensitive (masked in snippets)
    sensitive: frozenset[str] = frozenset()


@dataclass
class Plan:
    path: str
    text: str
    resources: list[PlanResource] = field(default_factory=list)
    #: module call path (("a", "b") for module.a.module.b) -> its source, from configuration
    sources: dict[tuple[str, ...], str] = field(default_factory=dict)
    #: (call path, resource address) -> top-level attribute -> what its expression refers
    #: to, from configuration (``["module.s3.bucket_id", "module.s3"]``)
    refs: dict[tuple[tuple[str, ...], str], dict[str, list[str]]] = field(default_factory=dict)
    #: call path -> output -> what its value refers to, in that module
    outputs: dict[tuple[str, ...], dict[str, list[str]]] = field(default_factory=dict)
    #: call path -> input variable -> what the caller passes refers to, in the caller
    inputs: dict[tuple[str, ...], dict[str, list[str]]] = field(default_factory=dict)
    #: call path -> local value -> what its expression refers to; the configuration does
    #: not list locals, so these come from the module's .tf source when it is in the tree
    locals: dict[tuple[str, ...], dict[str, list[str]]] = field(default_factory=dict)


def parse_plan(path: str, text: str) -> Plan:
    """The resources of a plan (``planned_values``) or state (``values``); raises
    :class:`PlanError` for JSON that is not terraform's output."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise PlanError(f"invalid JSON: {str(exc)[:120]}") from None
    if not isinstance(data, dict) or "format_version" not in data:
        raise PlanError("not a terraform plan or state (no format_version)")
    version = str(data.get("format_version", ""))
    if not version.startswith("1."):
        raise PlanError(f"unsupported plan format_version {version[:20]!r} (1.x is read)")
    values = data.get("planned_values")
    if not isinstance(values, dict):
        values = data.get("values")
    if not isinstance(values, dict) or not isinstance(values.get("root_module"), dict):
        raise PlanError("neither planned_values nor values holds a root_module")
    plan = Plan(path, text)
    unknowns = _unknowns(data.get("resource_changes"))
    stack: list[tuple[dict[str, Any], int]] = [(values["root_module"], 0)]
    while stack:
        module, depth = stack.pop()
        address = module.get("address")
        module_address = address if isinstance(address, str) else ""
        for r in _dicts(module.get("resources")):
            resource = _resource(module_address, r, unknowns)
            if resource is not None:
                plan.resources.append(resource)
        if depth < MAX_DEPTH:
            stack.extend((m, depth + 1) for m in reversed(_dicts(module.get("child_modules"))))
    config = data.get("configuration")
    if isinstance(config, dict) and isinstance(config.get("root_module"), dict):
        _collect_sources(config["root_module"], (), plan.sources, 0)
        _collect_references(config["root_module"], (), plan, 0)
    return plan


def _references(expression: Any) -> list[str]:
    refs = expression.get("references") if isinstance(expression, dict) else None
    return [r for r in refs if isinstance(r, str)][:64] if isinstance(refs, list) else []


def _collect_references(module: dict[str, Any], at: tuple[str, ...], plan: Plan, d: int) -> None:
    """What the configuration's resource attributes, outputs and module inputs refer to."""
    if d > MAX_DEPTH:
        return
    for r in _dicts(module.get("resources")):
        expressions = r.get("expressions")
        if not isinstance(r.get("address"), str) or not isinstance(expressions, dict):
            continue
        got = {str(k): refs for k, e in expressions.items() if (refs := _references(e))}
        if got:
            plan.refs[(at, r["address"])] = got
    outputs = module.get("outputs")
    for name, out in outputs.items() if isinstance(outputs, dict) else ():
        if refs := _references(out.get("expression") if isinstance(out, dict) else None):
            plan.outputs.setdefault(at, {})[str(name)] = refs
    calls = module.get("module_calls")
    for name, call in calls.items() if isinstance(calls, dict) else ():
        if not isinstance(call, dict):
            continue
        path = (*at, str(name))
        expressions = call.get("expressions")
        for var, e in expressions.items() if isinstance(expressions, dict) else ():
            if refs := _references(e):
                plan.inputs.setdefault(path, {})[str(var)] = refs
        if isinstance(call.get("module"), dict):
            _collect_references(call["module"], path, plan, d + 1)


#: ``module.s3.bucket_id`` or, for a call with ``count``/``for_each``,
#: ``module.s3["logs"].bucket_id``: the call, its instance key, the output
_OUTPUT_REF = re.compile(
    r'module\.([A-Za-z0-9_-]+)(\[(?:[^\]"]|"(?:[^"\\]|\\.)*")*\])?\.([A-Za-z0-9_-]+)'
)
_VAR_REF = re.compile(r"var\.([A-Za-z0-9_-]+)")
_LOCAL_REF = re.compile(r"local\.([A-Za-z0-9_-]+)")
#: a managed resource (types hold an underscore: ``aws_s3_bucket.this[0].id``)
_RESOURCE_REF = re.compile(r"[a-z0-9]+_[a-z0-9_]+\.[A-Za-z0-9_-]+")


def resolved(plan: Plan, at: tuple[str, ...], refs: list[str]) -> list[tuple[tuple[str, ...], str]]:
    """The resources ``refs`` (made in module ``at``) come to, through module outputs
    (``module.s3.bucket_id``), the caller's inputs (``var.bucket``) and local values: (call
    path, the reference in that module's names, ``aws_s3_bucket.this.id``); the longest
    reference of each resource is kept."""
    found: dict[tuple[tuple[str, ...], str], str] = {}
    for where, _, ref in resolved_instances(plan, at, refs, None):
        key = (where, address_of(ref))
        if len(ref) > len(found.get(key, "")):
            found[key] = ref
    return [(where, ref) for (where, _), ref in found.items()]


def resolved_instances(
    plan: Plan, at: tuple[str, ...], refs: list[str], instance: str | None
) -> list[tuple[tuple[str, ...], str | None, str]]:
    """As :func:`resolved`, with the module instance each resource is in: ``instance`` is
    the address of the instance of ``at`` the references are made in (``module.s3[0]``;
    None when not known), a keyed output (``module.s3["logs"].bucket_id``) names its
    instance, ``var.x`` is the caller's. The instance is None when it cannot be told.
    Breadth first, each output, input or local followed once and at most 8 steps away, so
    locals or outputs that refer to each other many times over cost what their number
    does."""
    found: dict[tuple[tuple[str, ...], str | None, str], str] = {}
    seen: set[tuple[tuple[str, ...], str | None, str]] = set()
    queue: deque[tuple[tuple[str, ...], str | None, list[str], int]] = deque()
    queue.append((at, instance, refs, 0))
    while queue and len(seen) <= MAX_FOLLOWED:
        here, inst, todo, depth = queue.popleft()
        for ref in todo:
            if (m := _RESOURCE_REF.match(ref)) and not ref.startswith("data."):
                key = (here, inst, m.group(0))
                if len(ref) > len(found.get(key, "")):
                    found[key] = ref
                continue
            if depth >= 8 or (here, inst, ref) in seen:
                continue
            if m := _OUTPUT_REF.fullmatch(ref):
                where = (*here, m.group(1))
                step = f"module.{m.group(1)}{m.group(2) or ''}"
                below = None if inst is None else (f"{inst}.{step}" if inst else step)
                more = plan.outputs.get(where, {}).get(m.group(3), [])
            elif (m := _VAR_REF.fullmatch(ref)) and here:
                where, below = here[:-1], caller(inst)
                more = plan.inputs.get(here, {}).get(m.group(1), [])
            elif m := _LOCAL_REF.fullmatch(ref):
                where, below = here, inst
                more = plan.locals.get(here, {}).get(m.group(1), [])
            else:
                continue
            seen.add((here, inst, ref))
            queue.append((where, below, more, depth + 1))
    return [(where, inst, ref) for (where, inst, _), ref in found.items()]


def caller(instance: str | None) -> str | None:
    """The module instance that calls ``instance``: ``module.a[0].module.b`` ->
    ``module.a[0]``, ``module.a`` -> the root (``""``)."""
    if not instance:
        return None
    steps = [m.group(0) for m in _MODULE.finditer(instance)]
    return ".".join(steps[:-1])


#: references a local value's expression may hold, read from its source text (bounded: an
#: index holds no bracket, as in tfproject's module references)
_SOURCE_REF = re.compile(
    r"(?<![\w.])(?:module\.[A-Za-z0-9_-]+(?:\[[^\[\]\n]{0,200}\])?\.[A-Za-z0-9_-]+"
    r"|(?:var|local)\.[A-Za-z0-9_-]+"
    r"|[a-z0-9]+_[a-z0-9_]+\.[A-Za-z0-9_-]+(?:\[[^\[\]\n]{0,200}\])?(?:\.[A-Za-z0-9_-]+)?)"
)


def source_references(text: str) -> list[str]:
    """What an expression's source text refers to, as the configuration would list it
    (``module.s3.bucket_id``, ``var.x``, ``local.y``, ``aws_s3_bucket.b.id``); at most 64."""
    out: list[str] = []
    for m in _SOURCE_REF.finditer(text[:100_000]):
        if m.group(0) not in out:
            out.append(m.group(0))
        if len(out) >= 64:
            break
    return out


def address_of(ref: str) -> str:
    """``aws_s3_bucket.this[0].id`` -> ``aws_s3_bucket.this``."""
    m = _RESOURCE_REF.match(ref)
    return m.group(0) if m else ref


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _unknowns(changes: Any) -> dict[str, Any]:
    """address -> after_unknown of each resource change."""
    out: dict[str, Any] = {}
    for c in _dicts(changes):
        change = c.get("change")
        if isinstance(c.get("address"), str) and isinstance(change, dict):
            out[c["address"]] = change.get("after_unknown")
    return out


def _resource(module: str, r: dict[str, Any], unknowns: dict[str, Any]) -> PlanResource | None:
    address, rtype, name = r.get("address"), r.get("type"), r.get("name")
    if not (isinstance(address, str) and isinstance(rtype, str) and isinstance(name, str)):
        return None
    values = r.get("values")
    merged = _merge(values if isinstance(values, dict) else {}, unknowns.get(address), 0)
    mode = "data" if r.get("mode") == "data" else "managed"
    marks = r.get("sensitive_values")
    sensitive = frozenset(
        str(k) for k, v in (marks.items() if isinstance(marks, dict) else ()) if _marked(v, 0)
    )
    return PlanResource(module, mode, rtype, name, address, merged, sensitive)


def _marked(mark: Any, depth: int) -> bool:
    if mark is True:
        return True
    if depth > MAX_DEPTH:
        return False
    if isinstance(mark, dict):
        return any(_marked(v, depth + 1) for v in mark.values())
    if isinstance(mark, list):
        return any(_marked(v, depth + 1) for v in mark)
    return False


def _merge(value: Any, unknown: Any, depth: int) -> Any:
    """A planned value with the parts known only after apply made :class:`Expr`."""
    if unknown is True or depth > MAX_DEPTH:
        return AFTER_APPLY
    if isinstance(value, dict):
        marks = unknown if isinstance(unknown, dict) else {}
        out = {str(k): _merge(v, marks.get(k), depth + 1) for k, v in value.items()}
        for k, mark in marks.items():
            if mark is True and k not in out:
                out[str(k)] = AFTER_APPLY
        return out
    if isinstance(value, list):
        marks_list = unknown if isinstance(unknown, list) else []
        return [
            _merge(v, marks_list[i] if i < len(marks_list) else None, depth + 1)
            for i, v in enumerate(value)
        ]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return Expr(type(value).__name__)


def _collect_sources(
    module: dict[str, Any], at: tuple[str, ...], out: dict[tuple[str, ...], str], depth: int
) -> None:
    calls = module.get("module_calls")
    if not isinstance(calls, dict) or depth > MAX_DEPTH:
        return
    for name, call in calls.items():
        if not isinstance(call, dict):
            continue
        path = (*at, str(name))
        if isinstance(call.get("source"), str):
            out[path] = call["source"]
        if isinstance(call.get("module"), dict):
            _collect_sources(call["module"], path, out, depth + 1)


def module_calls(module_address: str) -> tuple[str, ...]:
    """``module.a[0].module.b`` -> ``("a", "b")``."""
    return tuple(m.group(1) for m in _MODULE.finditer(module_address))


# -- positions ---------------------------------------------------------------------------------


class JsonPositions:
    """Lines and columns of resources and attributes in the plan text, found by searching
    the text (terraform writes one line; a pretty-printed plan has one value per line).
    Every ``"address"`` is indexed once, so a plan of many resources stays linear."""

    _ADDRESS = re.compile(r'"address"\s*:\s*("(?:[^"\\]|\\.)*")')

    def __init__(self, text: str) -> None:
        self.text = text
        found = text.find('"planned_values"')
        start = max(found if found >= 0 else text.find('"values"'), 0)
        self.starts: list[int] = []
        self.offsets: dict[str, int] = {}
        for m in self._ADDRESS.finditer(text, start):
            self.starts.append(m.start())
            try:
                address = json.loads(m.group(1))
            except ValueError:
                continue
            if isinstance(address, str):
                self.offsets.setdefault(address, m.start())
        self._newlines: list[int] | None = None
        self._keys: dict[tuple[int, int], dict[str, int]] = {}

    def point(self, offset: int) -> tuple[int, int]:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(self._newlines, offset)
        line_start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - line_start + 1

    def resource(self, address: str) -> tuple[int, int]:
        """(start, end) offsets of the resource's object, by its ``"address"`` key."""
        start = self.offsets.get(address)
        if start is None:
            return 0, 0
        i = bisect.bisect_right(self.starts, start)
        return start, self.starts[i] if i < len(self.starts) else len(self.text)

    _KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:')

    def keys(self, start: int, end: int) -> dict[str, int]:
        """The first offset of each object key between ``start`` and ``end`` (one pass; a
        range is read once: resources that repeat an address share the first one's range,
        and 1,200 repeats after a 1 MB resource read it 1,200 times, 92 s of CPU)."""
        found = self._keys.get((start, end))
        if found is not None:
            return found
        out: dict[str, int] = {}
        for m in self._KEY.finditer(self.text, start, end):
            raw = m.group(1)
            name = raw if "\\" not in raw else _unescape(raw)
            out.setdefault(name, m.start())
        self._keys[(start, end)] = out
        return out


def masked_text(plan: Plan, where: JsonPositions) -> str:
    """The plan text with the values it marks sensitive, and every variable's value, as
    ``*`` (same length and lines): snippets quote the plan's lines, and a compact plan is
    one line."""
    text = plan.text
    decoder = json.JSONDecoder()
    ranges: list[tuple[int, int]] = []

    def value_at(key_offset: int) -> tuple[int, int] | None:
        colon = text.find(":", key_offset)
        if colon < 0:
            return None
        start = colon + 1
        while start < len(text) and text[start] in " \t\r\n":
            start += 1
        try:
            _value, end = decoder.raw_decode(text, start)
        except (ValueError, RecursionError):
            return None
        return start, end

    for r in plan.resources:
        if r.sensitive:
            start, end = where.resource(r.address)
            keys = where.keys(start, end)
            for name in r.sensitive:
                if name in keys and (found := value_at(keys[name])) is not None:
                    ranges.append(found)
    variables = re.search(r'"variables"\s*:', text)
    if variables is not None and (found := value_at(variables.start())) is not None:
        ranges.append(found)
    out: list[str] = []
    pos = 0
    for start, end in sorted(ranges):
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(re.sub(r"[^\n]", "*", text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _unescape(raw: str) -> str:
    try:
        value = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return value if isinstance(value, str) else raw


def to_block(
    r: PlanResource, path: str, where: JsonPositions | None, source: Block | None
) -> Block:
    """The resource as a block: positions from its ``.tf`` source block when known, else
    from the plan text (``where``)."""
    kind = "data" if r.mode == "data" else "resource"
    if source is not None:
        block = _build(kind, [r.type, r.name], r.values, path, (source.line, source.column), 0)
        _overlay(block, source)
        return block
    start, end = where.resource(r.address) if where is not None else (0, 0)
    line, column = where.point(start) if where is not None else (1, 1)
    block = _build(kind, [r.type, r.name], r.values, path, (line, column), 0)
    block.full_address = r.address
    if where is not None and end > start:
        _json_positions(block, where, start, end)
    return block


def _build(
    kind: str, labels: list[str], values: dict[str, Any], path: str, at: tuple[int, int], d: int
) -> Block:
    line, column = at
    block = Block(kind, labels, line, column, line, path)
    for k, v in values.items():
        if v is None or v == [] or d > MAX_DEPTH:
            continue  # null and an empty block list are absent, as in HCL
        if isinstance(v, list) and all(isinstance(x, dict) for x in v):
            block.blocks.extend(_build(k, [], x, path, at, d + 1) for x in v)
        else:
            block.attrs[k] = Attr(k, v, line, column, line)
    return block


def _overlay(block: Block, source: Block) -> None:
    """Positions of the source block's attributes and nested blocks (by type and order)."""
    for name, a in block.attrs.items():
        src = source.attrs.get(name)
        if src is not None:
            a.line, a.column, a.end_line = src.line, src.column, src.end_line
            if a.value == AFTER_APPLY and isinstance(src.value, Expr):
                # still unknown, but as written: `aws_s3_bucket.data.id` says which bucket
                # a versioning resource belongs to
                a.value = src.value
    block.end_line = source.end_line
    seen: dict[str, int] = {}
    for child in block.blocks:
        i = seen.get(child.type, 0)
        seen[child.type] = i + 1
        found = source.children(child.type)
        target = found[i] if i < len(found) else None
        if target is not None:
            child.line, child.column = target.line, target.column
            _overlay(child, target)
        else:
            _place(child, block.line, block.column)


def _place(block: Block, line: int, column: int) -> None:
    for b in block.walk():
        b.line, b.column, b.end_line = line, column, line
        for a in b.attrs.values():
            a.line, a.column, a.end_line = line, column, line


def _json_positions(block: Block, where: JsonPositions, start: int, end: int) -> None:
    keys = where.keys(start, end)
    for name, a in block.attrs.items():
        a.line, a.column = where.point(keys.get(name, start))
        a.end_line = a.line
    for child in block.blocks:
        line, column = where.point(keys.get(child.type, start))
        _place(child, line, column)


def resources_by_module(plan: Plan) -> Iterator[tuple[str, list[PlanResource]]]:
    """The plan's resources grouped per module instance, in the plan's order."""
    groups: dict[str, list[PlanResource]] = {}
    for r in plan.resources:
        groups.setdefault(r.module, []).append(r)
    yield from groups.items()


def module_dir(plan: Plan, root: str, module: str, dirs: set[str]) -> str | None:
    """The scanned directory that holds the source of ``module`` (a module address), or
    None for a remote source, a directory outside the tree or not scanned."""
    directory = root
    calls = module_calls(module)
    for i in range(len(calls)):
        source = plan.sources.get(calls[: i + 1])
        if source is None or not source.startswith(("./", "../")):
            return None
        directory = posixpath.normpath(posixpath.join(directory, source))
        if directory == ".":
            directory = ""
        if directory.startswith(".."):
            return None
    return directory if directory in dirs else None
