"""Terraform (HCL) loading with tree-sitter and the tree-sitter-hcl grammar.

Every block and attribute keeps its exact position. Expressions are evaluated as far as
a static scanner can: literals, lists, objects, string templates, ``var.*`` (from literal
defaults or from the arguments a calling module passes), ``local.*``, ``jsonencode()``
and indexing into them. Anything else (resource references, functions, conditionals)
becomes an :class:`Expr` holding its source text, which rules treat as "unknown".

A directory of ``.tf`` files is one module; ``module`` blocks with a local ``source``
(``./x``, ``../x``) inside the scanned tree are followed with the arguments they pass.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # tree-sitter is imported on first parse: rules load without it
    from tree_sitter import Language, Node, Parser, Tree

MAX_DEPTH = 64
#: tree-sitter-hcl holds about 300 bytes of memory per byte parsed, for as long as the tree
#: lives (a project's trees live together): larger files, and files past the scan's total,
#: are ScanErrors (bench/iac_hcl_memory.py measures it)
MAX_PARSE_BYTES = 2 * 1024 * 1024
MAX_TOTAL_PARSE_BYTES = 8 * 1024 * 1024
#: a parse (error recovery included) that runs longer is cancelled and is a ScanError
PARSE_SECONDS = 20.0
MAX_MODULE_DEPTH = 8
#: ``count``/``for_each``/``dynamic`` instances evaluated per block (findings of instances
#: that share a line are one finding, so more would only cost time)
MAX_INSTANCES = 32
#: bytes of source that instance expansion may evaluate again in one module instance (a
#: nest of counted dynamic blocks would otherwise grow exponentially); past it, a block's
#: instances are one instance with unknown ``count``/``each`` values
EXPANSION_BYTES = 4 * 1024 * 1024


class HclError(Exception):
    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


#: the strings Terraform converts to a bool argument's value (cty's conversion takes exactly
#: "true"/"1" and "false"/"0"; CloudFormation's and Kubernetes' "True"/"FALSE" are read too)
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


def as_bool(value: Any) -> bool | None:
    """``value`` as a bool argument receives it: a bool, or a string Terraform converts
    (``enabled = "true"``, ``"0"``); None for anything else (an unknown, another string).
    A rule that tested ``value is True`` read ``allow_nested_items_to_be_public = "true"``
    as not public (review17)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        low = value.lower()
        return True if low in _TRUE else False if low in _FALSE else None
    return None


@dataclass(frozen=True, slots=True)
class Expr:
    """A value a static scanner cannot know (a reference, a function call ...)."""

    text: str

    def refers_to(self, address: str) -> bool:
        return _reference(address).search(self.text) is not None


@lru_cache(maxsize=4096)
def _reference(address: str) -> re.Pattern[str]:
    """``address`` written as a whole reference (not ``xaws_s3_bucket.b`` nor ``.b2``),
    compiled once per address (``re``'s own cache holds 512 patterns: a module with more
    addresses than that compiled one per call)."""
    return re.compile(rf"(?<![\w.]){re.escape(address)}(?![\w-])")


@dataclass(slots=True)
class Attr:
    name: str
    value: Any
    line: int
    column: int
    end_line: int


@dataclass(slots=True)
class Block:
    type: str
    labels: list[str]
    line: int
    column: int
    end_line: int
    path: str
    attrs: dict[str, Attr] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    #: the resource's address when known whole (a plan's ``module.x.aws_s3_bucket.b[0]``)
    full_address: str = ""
    #: made by a ``dynamic`` block whose collection is not known: it may stand for no block
    #: at all (an empty collection), so what it says must not decide a finding alone
    maybe: bool = False

    @property
    def address(self) -> str:
        if self.full_address:
            return self.full_address
        if self.type == "resource" and len(self.labels) >= 2:
            return f"{self.labels[0]}.{self.labels[1]}"
        if self.type == "data" and len(self.labels) >= 2:
            return f"data.{self.labels[0]}.{self.labels[1]}"
        return ".".join([self.type, *self.labels])

    @property
    def kind(self) -> str:
        """The resource/data type (``aws_s3_bucket``) or the block type."""
        return self.labels[0] if self.type in ("resource", "data") and self.labels else self.type

    def attr(self, dotted: str) -> Attr | None:
        """An attribute, following nested blocks: ``metadata_options.http_tokens``."""
        *blocks, name = dotted.split(".")
        cur: Block | None = self
        for b in blocks:
            if cur is None:
                return None
            found = cur.children(b)
            cur = found[0] if found else None
        return cur.attrs.get(name) if cur is not None else None

    def block(self, dotted: str) -> Block | None:
        """The first nested block at ``dotted`` (``boot_disk``, ``settings.ip_configuration``)."""
        cur: Block | None = self
        for b in dotted.split("."):
            found = cur.children(b) if cur is not None else []
            cur = found[0] if found else None
        return cur

    def value(self, dotted: str, default: Any = None) -> Any:
        a = self.attr(dotted)
        return a.value if a is not None else default

    def flag(self, dotted: str, default: bool | None = None) -> bool | None:
        """A bool argument's value (:func:`as_bool`: ``"true"`` is true, as Terraform
        converts it); ``default`` when it is not set, None when it is not a bool."""
        a = self.attr(dotted)
        return as_bool(a.value) if a is not None else default

    def children(self, block_type: str) -> list[Block]:
        return [b for b in self.blocks if b.type == block_type]

    def walk(self) -> Iterator[Block]:
        yield self
        for b in self.blocks:
            yield from b.walk()


@lru_cache(maxsize=1)
def _language() -> Language:
    import tree_sitter_hcl
    from tree_sitter import Language

    return Language(tree_sitter_hcl.language())


def new_parser() -> Parser:
    from tree_sitter import Parser

    return Parser(_language())


def parse_tree(source: bytes, parser: Parser | None = None) -> Tree:
    """Parse HCL source; raise :class:`HclError` at the first syntax error, or when the
    source is over the memory budget (:data:`MAX_PARSE_BYTES`) or the parse takes longer
    than :data:`PARSE_SECONDS` (tree-sitter's error recovery has no bound of its own)."""
    if len(source) > MAX_PARSE_BYTES:
        raise HclError(
            f"{len(source) / 1e6:.1f} MB of HCL is over the {MAX_PARSE_BYTES / 1e6:.0f} MB"
            " parse budget (tree-sitter needs 100-300 bytes of memory per byte); not parsed"
        )
    parser = parser or new_parser()
    parser.included_ranges = _without_blank_runs(source)
    deadline = time.monotonic() + PARSE_SECONDS
    view = memoryview(source)

    def read(offset: int, _point: object) -> bytes:
        return bytes(view[offset : offset + 65536])

    def over_budget(_offset: int, _has_error: bool) -> bool:
        return time.monotonic() > deadline

    try:
        tree: Tree | None = parser.parse(read, progress_callback=over_budget)
    except ValueError:  # "Parsing failed": the callback cancelled it
        tree = None
    if tree is None:
        parser.reset()
        raise HclError(f"parsing took longer than the {PARSE_SECONDS:.0f} s budget; not parsed")
    root = tree.root_node
    if not root.has_error:
        # parsed through a callback (for the budget), node.text reads the source back
        # through it from the start: an incremental parse of the bytes over the finished
        # tree reuses every node and gives text slices in constant time
        tree = parser.parse(source, old_tree=tree)
        root = tree.root_node
    if root.has_error:
        bad = _first_error(root)
        line, col = (bad.start_point[0] + 1, bad.start_point[1] + 1) if bad else (0, 0)
        what = "missing " + bad.type if bad is not None and bad.is_missing else "syntax error"
        snippet = ""
        if bad is not None and bad.text:
            snippet = _safe_snippet(bad.text.decode("utf-8", "replace"))
        raise HclError(
            f"invalid HCL: {what}" + (f" near {snippet!r}" if snippet else ""), line, col
        )
    return tree


#: what an error message may quote of the text at a syntax error: a name (letters, ``_``,
#: ``.``, ``-``; no digits) or a few punctuation marks. The scanned tree is hostile and an
#: error message is not redacted: a value (``password = 0 s3cr3tV4lue``) is never quoted.
_QUOTABLE = re.compile(r"[A-Za-z_][A-Za-z_.-]{0,23}|[^\w\s]{1,3}")


def _safe_snippet(text: str) -> str:
    first = text.split(None, 1)[0] if text.split() else ""
    return first if _QUOTABLE.fullmatch(first) else ""


#: whitespace runs this long are hidden from tree-sitter (it holds ~300 bytes of memory per
#: byte it lexes, blanks included); the first newline of a run stays, it ends a statement
_BLANK_RUN = re.compile(rb"[ \t\r\n]{64,}")


def _without_blank_runs(source: bytes) -> list[Any]:
    """tree-sitter ranges covering ``source`` except long runs of blanks, positions kept."""
    from tree_sitter import Point, Range

    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BLANK_RUN.finditer(source):
        nl = source.find(b"\n", m.start(), m.end())
        keep = nl + 1 if nl >= 0 else m.start() + 1
        spans.append((pos, keep))
        pos = m.end()
    spans.append((pos, len(source)))
    out: list[Any] = []
    row, last_nl, counted = 0, -1, 0

    def point(offset: int) -> Any:
        nonlocal row, last_nl, counted
        row += source.count(b"\n", counted, offset)
        found = source.rfind(b"\n", counted, offset)
        if found >= 0:
            last_nl = found
        counted = offset
        return Point(row, offset - last_nl - 1)

    for start, end in spans:
        if end > start or not out:
            out.append(Range(point(start), point(end), start, end))
    return out


def _first_error(node: Node) -> Node | None:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            return n
        if n.has_error:
            stack.extend(reversed(n.children))
    return None


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text else ""


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(s: str) -> str:
    if "\\" not in s:
        return s.replace("$${", "${").replace("%%{", "%{")
    out = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), s)
    return out.replace("$${", "${").replace("%%{", "%{")


class Scope:
    """Evaluates expressions of one module instance (its variables and locals), and inside
    a ``count``/``for_each`` instance or a ``dynamic`` block, ``count.index``,
    ``each.key``/``each.value`` and the iterator (``extra``)."""

    def __init__(
        self,
        variables: dict[str, Any],
        local_nodes: dict[str, Node],
        extra: dict[str, Any] | None = None,
        base: Scope | None = None,
    ) -> None:
        self.variables = variables
        self.local_nodes = local_nodes
        self.locals: dict[str, Any] = {}
        self._resolving: set[str] = set()
        self.extra = extra or {}
        self._base = base
        self._budget: list[int] = base._budget if base is not None else [EXPANSION_BYTES]

    def afford(self, node: Node, instances: int) -> bool:
        """Whether ``instances`` evaluations of ``node`` fit the module's expansion budget
        (charged when they do)."""
        cost = max(instances - 1, 0) * (node.end_byte - node.start_byte)
        if cost > self._budget[0]:
            return False
        self._budget[0] -= cost
        return True

    def child(self, **extra: Any) -> Scope:
        """A scope that also knows ``extra`` names; locals stay the module's."""
        return Scope(self.variables, self.local_nodes, {**self.extra, **extra}, self._base or self)

    def local(self, name: str) -> Any:
        if self._base is not None:  # locals never see count/each
            return self._base.local(name)
        if name in self.locals:
            return self.locals[name]
        node = self.local_nodes.get(name)
        if node is None or name in self._resolving:
            return Expr(f"local.{name}")
        self._resolving.add(name)
        try:
            value = self.eval(node)
        finally:
            self._resolving.discard(name)
        if _too_big(value):  # locals that double each other: a value bomb
            value = Expr(f"local.{name}")
        self.locals[name] = value
        return value

    def eval(self, node: Node, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            return Expr(_text(node))
        t = node.type
        if t == "expression":
            named = node.named_children
            if not named:
                return Expr(_text(node))
            first = named[0]
            if first.type == "variable_expr":
                return self._traverse(node, named, depth)
            if len(named) == 1:
                return self.eval(first, depth + 1)
            return self._postfix(self.eval(first, depth + 1), named[1:], node, depth)
        if t == "literal_value":
            return self.eval(node.named_children[0], depth + 1) if node.named_children else None
        if t == "numeric_lit":
            s = _text(node)
            try:
                return int(s)
            except ValueError:
                try:
                    return float(s)
                except ValueError:
                    return Expr(s)
        if t == "bool_lit":
            return _text(node) == "true"
        if t == "null_lit":
            return None
        if t in ("string_lit", "quoted_template"):
            return self._template(node, depth)
        if t == "template_expr":
            return self.eval(node.named_children[0], depth + 1) if node.named_children else ""
        if t == "heredoc_template":
            return self._heredoc(node, depth)
        if t == "collection_value":
            return self.eval(node.named_children[0], depth + 1) if node.named_children else None
        if t == "tuple":
            return [self.eval(c, depth + 1) for c in node.named_children if c.type == "expression"]
        if t == "object":
            out: dict[str, Any] = {}
            for elem in node.named_children:
                if elem.type != "object_elem":
                    continue
                k = elem.child_by_field_name("key")
                v = elem.child_by_field_name("val")
                if k is None or v is None:
                    continue
                key = self._object_key(k, depth)
                if isinstance(key, str):
                    out[key] = self.eval(v, depth + 1)
            return out
        if t == "function_call":
            return self._call(node, depth)
        if t == "operation":
            inner = node.named_children[0] if node.named_children else None
            if inner is not None and inner.type == "unary_operation":
                ops = [c for c in inner.children if not c.is_named]
                val = self._operand(inner.named_children, depth)
                if ops and _text(ops[0]) == "-" and _number(val):
                    return -val
                if ops and _text(ops[0]) == "!" and isinstance(val, bool):
                    return not val
            if inner is not None and inner.type == "binary_operation":
                return self._binary(inner, depth)
            return Expr(_text(node))
        if t == "conditional":
            parts = [c for c in node.named_children if c.type == "expression"]
            if len(parts) == 3:
                cond = self.eval(parts[0], depth + 1)
                if isinstance(cond, bool):
                    return self.eval(parts[1] if cond else parts[2], depth + 1)
            return Expr(_text(node))
        return Expr(_text(node))

    def _operand(self, nodes: list[Node], depth: int) -> Any:
        """One side of an operator: tree-sitter-hcl inlines ``var.x`` as its pieces."""
        if len(nodes) == 1:
            return self.eval(nodes[0], depth + 1)
        if nodes and nodes[0].type == "variable_expr":
            text = " ".join(_text(n) for n in nodes)
            return self._traverse_parts(nodes, text, depth)
        return Expr(" ".join(_text(n) for n in nodes))

    def _binary(self, node: Node, depth: int) -> Any:
        op_at = next((i for i, c in enumerate(node.children) if not c.is_named), None)
        if op_at is None:
            return Expr(_text(node))
        op = _text(node.children[op_at])
        left = self._operand([c for c in node.children[:op_at] if c.is_named], depth)
        right = self._operand([c for c in node.children[op_at + 1 :] if c.is_named], depth)
        value = _apply(op, left, right)
        return Expr(_text(node)) if value is _UNKNOWN else value

    def _object_key(self, k: Node, depth: int) -> Any:
        named = k.named_children
        if len(named) == 1 and named[0].type == "variable_expr":
            return _text(named[0])
        return self.eval(k, depth + 1)

    def _template(self, node: Node, depth: int) -> Any:
        parts: list[str] = []
        for c in node.named_children:
            if c.type == "template_literal":
                parts.append(_unescape(_text(c)))
            elif c.type == "template_interpolation":
                inner = [x for x in c.named_children if x.type == "expression"]
                val = self.eval(inner[0], depth + 1) if inner else Expr(_text(c))
                if isinstance(val, Expr | dict | list) or val is None:
                    return Expr(_text(node))
                parts.append(_scalar_str(val))
            elif c.type in ("quoted_template_start", "quoted_template_end"):
                continue
            elif c.type in ("template_directive", "template_for", "template_if"):
                return Expr(_text(node))
        return "".join(parts)

    def _heredoc(self, node: Node, depth: int) -> Any:
        strip = "<<-" in _text(node)[:4]
        parts: list[str] = []
        raw = node.text or b""
        # the grammar leaves the white space around a literal out of it (a first line's
        # indentation, the blanks beside an interpolation): read it back from the source,
        # so an indented YAML document or `a = ${x} b` keeps its spaces
        prev = -1
        for c in node.named_children:
            if c.type in ("template_literal", "template_interpolation"):
                start = c.start_byte - node.start_byte
                if prev < 0:  # the first line's indentation, after the opening line
                    gap = raw[raw.rfind(b"\n", 0, start) + 1 : start]
                else:
                    gap = raw[prev - node.start_byte : start]
                if gap.strip(b" \t\r\n") == b"":
                    parts.append(gap.decode("utf-8", "replace"))
                prev = c.end_byte
            if c.type == "template_literal":
                parts.append(_text(c))
            elif c.type == "template_interpolation":
                inner = [x for x in c.named_children if x.type == "expression"]
                val = self.eval(inner[0], depth + 1) if inner else Expr(_text(c))
                if isinstance(val, Expr | dict | list) or val is None:
                    return Expr(_text(node))
                parts.append(_scalar_str(val))
        text = "".join(parts)
        if strip:
            lines = text.split("\n")
            indents = [len(x) - len(x.lstrip()) for x in lines if x.strip()]
            cut = min(indents) if indents else 0
            text = "\n".join(x[cut:] for x in lines)
        return text

    def _call(self, node: Node, depth: int) -> Any:
        name_node = node.named_children[0] if node.named_children else None
        name = _text(name_node) if name_node is not None else ""
        args_node = next((c for c in node.named_children if c.type == "function_arguments"), None)
        args = (
            [self.eval(a, depth + 1) for a in args_node.named_children if a.type == "expression"]
            if args_node is not None
            else []
        )
        if name == "jsonencode" and len(args) == 1 and (_known(args[0]) or _container(args[0])):
            # a policy document whose Resource refers to another resource keeps its known
            # parts (Effect, Principal, Action): rules read those, the unknowns never fire
            return args[0]
        if name == "tostring" and len(args) == 1 and isinstance(args[0], str):
            return args[0]
        if name == "tolist" and len(args) == 1 and isinstance(args[0], list):
            return args[0]
        if name == "toset" and len(args) == 1 and isinstance(args[0], list):
            return args[0]
        if name == "tonumber" and len(args) == 1 and isinstance(args[0], int | float):
            return args[0]
        if name == "tobool" and len(args) == 1 and isinstance(args[0], bool):
            return args[0]
        value = _function(name, args)
        return Expr(_text(node)) if value is _UNKNOWN else value

    def _traverse(self, node: Node, named: list[Node], depth: int) -> Any:
        return self._traverse_parts(named, _text(node), depth)

    def _traverse_parts(self, named: list[Node], text: str, depth: int) -> Any:
        root = _text(named[0])
        rest = named[1:]
        value: Any
        if root in self.extra:  # count, each, a dynamic block's iterator
            value = self.extra[root]
        elif root in ("True", "False") and not rest:
            # not HCL (Terraform rejects it), but the author's intent is plain; other
            # scanners read it as the boolean, so do we
            return root == "True"
        elif root == "var" and rest and rest[0].type == "get_attr":
            name = _text(rest[0].named_children[0]) if rest[0].named_children else ""
            value = self.variables.get(name, Expr(f"var.{name}"))
            rest = rest[1:]
        elif root == "local" and rest and rest[0].type == "get_attr":
            name = _text(rest[0].named_children[0]) if rest[0].named_children else ""
            value = self.local(name)
            rest = rest[1:]
        else:
            return Expr(text)
        return self._postfix(value, rest, text, depth)

    def _postfix(self, value: Any, rest: list[Node], node: Node | str, depth: int) -> Any:
        text = node if isinstance(node, str) else _text(node)
        for op in rest:
            if isinstance(value, Expr):
                return Expr(text)
            if op.type == "get_attr":
                key = _text(op.named_children[0]) if op.named_children else ""
                if not isinstance(value, dict) or key not in value:
                    return Expr(text)
                value = value[key]
            elif op.type == "index":
                inner = op.named_children[0] if op.named_children else None
                exprs = [
                    x for x in (inner.named_children if inner else []) if x.type == "expression"
                ]
                if inner is None or inner.type == "legacy_index":
                    digits = re.findall(r"\d+", _text(op))
                    idx: Any = int(digits[0]) if digits else Expr(_text(op))
                elif exprs:
                    idx = self.eval(exprs[0], depth + 1)
                else:
                    return Expr(text)
                try:
                    value = value[idx]
                except (KeyError, IndexError, TypeError):
                    return Expr(text)
            else:
                return Expr(text)
        return value


_UNKNOWN = object()
#: a local's value larger than this (elements, or characters / 64) is unknown: locals that
#: refer to each other twice would otherwise double a value per local
MAX_VALUE_SIZE = 65_536


def _too_big(value: Any) -> bool:
    """Whether ``value`` is over :data:`MAX_VALUE_SIZE`, counted without walking more."""
    budget = MAX_VALUE_SIZE
    stack = [value]
    while stack:
        v = stack.pop()
        budget -= 1 + (len(v) // 64 if isinstance(v, str) else 0)
        if budget < 0:
            return True
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _apply(op: str, a: Any, b: Any) -> Any:
    """A binary operator on known values (``_UNKNOWN`` when either is not known)."""
    if not (_known(a) and _known(b)):
        return _UNKNOWN
    if op == "==":
        return bool(a == b and type(a) is type(b)) or (_number(a) and _number(b) and a == b)
    if op == "!=":
        return not _apply("==", a, b)
    if op in ("&&", "||") and isinstance(a, bool) and isinstance(b, bool):
        return (a and b) if op == "&&" else (a or b)
    if _number(a) and _number(b):
        if op in ("<", ">", "<=", ">="):
            return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
        if op in ("+", "-", "*"):
            return {"+": a + b, "-": a - b, "*": a * b}[op] if abs(a) < 1e15 > abs(b) else _UNKNOWN
    return _UNKNOWN


def _function(name: str, args: list[Any]) -> Any:
    """The Terraform functions a static read can evaluate cheaply (``_UNKNOWN`` otherwise)."""
    if name == "lookup" and len(args) in (2, 3) and isinstance(args[0], dict):
        if isinstance(args[1], str) and args[1] in args[0]:
            return args[0][args[1]]
        return args[2] if len(args) == 3 and isinstance(args[1], str) else _UNKNOWN
    if name in ("keys", "values") and len(args) == 1 and isinstance(args[0], dict):
        ordered = sorted(args[0].items(), key=lambda kv: str(kv[0]))  # Terraform's order
        return [k if name == "keys" else v for k, v in ordered]
    if name == "merge" and args and all(isinstance(a, dict) for a in args):
        merged: dict[str, Any] = {}
        for a in args:
            merged.update(a)
        return merged
    if name == "concat" and args and all(isinstance(a, list) for a in args):
        return [x for a in args for x in a]
    if name == "coalesce":
        for a in args:
            if isinstance(a, Expr):
                return _UNKNOWN
            if a is not None and a != "":
                return a
        return _UNKNOWN
    if name == "try" and args:
        return args[0] if _known(args[0]) else _UNKNOWN
    if name in ("lower", "upper") and len(args) == 1 and isinstance(args[0], str):
        return args[0].lower() if name == "lower" else args[0].upper()
    if name == "length" and len(args) == 1 and isinstance(args[0], list | dict | str):
        return len(args[0])
    if name == "tomap" and len(args) == 1 and isinstance(args[0], dict):
        return args[0]
    return _UNKNOWN


def _container(value: Any) -> bool:
    return isinstance(value, dict | list)


def _known(value: Any) -> bool:
    if isinstance(value, Expr):
        return False
    if isinstance(value, dict):
        return all(_known(v) for v in value.values())
    if isinstance(value, list):
        return all(_known(v) for v in value)
    return True


def _scalar_str(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


#: a string (taken whole, possessively: an unclosed one runs to the end, read once, not
#: tried again from each of its quotes), or a comma before a closing bracket
_TRAILING_COMMA = re.compile(r'("(?:[^"\\]|\\.)*+"?)|,(\s*[}\]])')


def loads_policy(text: str) -> Any:
    """JSON of a hand-written policy document; a trailing comma before ``}`` or ``]`` (which
    JSON forbids and AWS rejects, but which says what the author meant) is tolerated.
    Raises ValueError (or RecursionError) when the text is not JSON even so."""
    try:
        return json.loads(text)
    except ValueError:
        fixed = _TRAILING_COMMA.sub(lambda m: m.group(1) or m.group(2), text)
        if fixed == text:
            raise
        return json.loads(fixed)


_HOLE = "\u2063pipesec-unknown\u2063"
_INTERPOLATION = re.compile(r"\$\{[^{}]*\}")


def heredoc_policy(text: str) -> Any:
    """The JSON document of a heredoc whose interpolations are unknown (``"Resource":
    "${aws_sns_topic.t.arn}"``), with every string that held one as :class:`Expr`; None when
    the heredoc is not JSON once the interpolations are holes (one outside a string, a
    ``%{`` directive)."""
    head, _, rest = text.partition("\n")
    if not head.startswith("<<") or "%{" in rest:
        return None
    body = rest.rsplit("\n", 1)[0]
    holes: list[str] = []

    def hole(m: re.Match[str]) -> str:
        holes.append(m.group(0))
        return _HOLE

    try:
        doc = loads_policy(_INTERPOLATION.sub(hole, body))
    except (ValueError, RecursionError):
        return None
    if not holes or "${" in json.dumps(doc):
        return None

    def unknowns(v: Any) -> Any:
        if isinstance(v, str):
            return Expr(v.replace(_HOLE, "${...}")) if _HOLE in v else v
        if isinstance(v, list):
            return [unknowns(x) for x in v]
        if isinstance(v, dict):
            return {k: unknowns(x) for k, x in v.items()}
        return v

    return unknowns(doc)


def as_json(value: Any) -> Any:
    """A policy document given as a JSON string (heredoc, file()) or as an object; a heredoc
    with unknown interpolations keeps its known parts (:func:`heredoc_policy`)."""
    if isinstance(value, str):
        try:
            return loads_policy(value)
        except (ValueError, RecursionError):
            return None
    if isinstance(value, Expr):
        return heredoc_policy(value.text)
    return value


@dataclass
class ParsedFile:
    path: str
    tree: Tree
    lines: list[str]


def _body_items(root: Node) -> list[Node]:
    body = next((c for c in root.named_children if c.type == "body"), None)
    return list(body.named_children) if body is not None else []


def attr_name_expr(node: Node) -> tuple[str, Node | None]:
    ident = node.named_children[0] if node.named_children else None
    expr = next((c for c in node.named_children if c.type == "expression"), None)
    return (_text(ident) if ident is not None else ""), expr


def _block_head(node: Node) -> tuple[str, list[str]]:
    ident = node.named_children[0] if node.named_children else None
    labels = []
    for c in node.named_children[1:]:
        if c.type == "string_lit":
            labels.append(
                "".join(_text(x) for x in c.named_children if x.type == "template_literal")
            )
        elif c.type == "identifier":
            labels.append(_text(c))
        elif c.type in ("block_start", "body", "block_end"):
            break
    return (_text(ident) if ident is not None else ""), labels


def collect_definitions(files: list[ParsedFile]) -> tuple[dict[str, Node | None], dict[str, Node]]:
    """Variables (name -> default expression) and locals (name -> expression)."""
    variables: dict[str, Node | None] = {}
    local_nodes: dict[str, Node] = {}
    for pf in files:
        for item in _body_items(pf.tree.root_node):
            if item.type != "block":
                continue
            btype, labels = _block_head(item)
            body = next((c for c in item.named_children if c.type == "body"), None)
            if btype == "variable" and labels:
                default = None
                for a in body.named_children if body is not None else []:
                    if a.type == "attribute":
                        name, expr = attr_name_expr(a)
                        if name == "default":
                            default = expr
                variables[labels[0]] = default
            elif btype == "locals" and body is not None:
                for a in body.named_children:
                    if a.type == "attribute":
                        name, expr = attr_name_expr(a)
                        if expr is not None:
                            local_nodes[name] = expr
    return variables, local_nodes


@dataclass(frozen=True)
class BlockFailure:
    """A top-level block the reader failed on (an evaluation bug a hostile or unusual file
    triggers): it is left out, the file's other blocks and the other files are read."""

    path: str
    line: int
    head: str  # ``resource "aws_s3_bucket" "logs"``
    error: str  # the exception's type name


def build_blocks(
    pf: ParsedFile,
    scope: Scope,
    dormant: list[Block] | None = None,
    failed: list[BlockFailure] | None = None,
) -> list[Block]:
    """The top-level blocks of a file, attributes evaluated in ``scope``; a resource, data
    source or module with ``count``/``for_each`` once per instance (none for ``count = 0``
    or an empty collection, one with unknown ``count.index``/``each`` when the count or
    collection is not known). Blocks with no instance go to ``dormant``: a credential
    written in one is in the code all the same. With ``failed``, a block whose evaluation
    raises is left out and recorded there (without it, the exception propagates)."""
    out: list[Block] = []
    for item in _body_items(pf.tree.root_node):
        if item.type != "block":
            continue
        btype, labels = _block_head(item)
        try:
            scopes = _instances(item, scope) if btype in ("resource", "data", "module") else [scope]
            built = [_build_block(item, pf.path, s, 0) for s in scopes]
            if not scopes and dormant is not None:
                dormant.append(_build_block(item, pf.path, scope, 0))
        except Exception as exc:
            if failed is None:
                raise
            log.debug("evaluating a block of %s failed", pf.path, exc_info=True)
            line, head = item.start_point[0] + 1, block_head(btype, labels)
            failed.append(BlockFailure(pf.path, line, head, type(exc).__name__))
            continue
        out.extend(built)
    return out


def block_head(btype: str, labels: list[str]) -> str:
    """How a block starts, for a message: ``resource "aws_s3_bucket" "logs"``."""
    return " ".join([btype, *(f'"{x[:60]}"' for x in labels[:2])])


def declared_blocks(pf: ParsedFile, failed: list[BlockFailure] | None = None) -> list[Block]:
    """Every top-level block as written, once (count and for_each ignored), for positions;
    with ``failed``, a block whose evaluation raises is left out and recorded there."""
    scope = Scope({}, {})
    out = []
    for item in _body_items(pf.tree.root_node):
        if item.type != "block":
            continue
        try:
            out.append(_build_block(item, pf.path, scope, 0))
        except Exception as exc:
            if failed is None:
                raise
            log.debug("reading a block of %s failed", pf.path, exc_info=True)
            line, head = item.start_point[0] + 1, block_head(*_block_head(item))
            failed.append(BlockFailure(pf.path, line, head, type(exc).__name__))
    return out


def _attr_nodes(node: Node) -> dict[str, Node]:
    body = next((c for c in node.named_children if c.type == "body"), None)
    out: dict[str, Node] = {}
    for a in body.named_children if body is not None else []:
        if a.type == "attribute":
            name, expr = attr_name_expr(a)
            if expr is not None:
                out[name] = expr
    return out


def _instances(node: Node, scope: Scope) -> list[Scope]:
    attrs = _attr_nodes(node)
    if "count" in attrs:
        n = scope.eval(attrs["count"])
        if _number(n) and float(n).is_integer():
            count = max(min(int(n), MAX_INSTANCES), 0)
            if scope.afford(node, count):
                return [scope.child(count={"index": i}) for i in range(count)]
        return [scope]
    if "for_each" in attrs:
        items = _each(scope.eval(attrs["for_each"]))
        if items is None or not scope.afford(node, len(items)):
            return [scope]
        return [scope.child(each={"key": k, "value": v}) for k, v in items]
    return [scope]


def _each(collection: Any) -> list[tuple[Any, Any]] | None:
    """The (key, value) pairs of a known ``for_each`` map or set of strings, at most
    :data:`MAX_INSTANCES`; None when they cannot be known."""
    if isinstance(collection, dict):
        return list(collection.items())[:MAX_INSTANCES]
    if isinstance(collection, list) and all(isinstance(x, str) for x in collection):
        return [(x, x) for x in dict.fromkeys(collection)][:MAX_INSTANCES]
    return None


def _build_block(node: Node, path: str, scope: Scope, depth: int) -> Block:
    btype, labels = _block_head(node)
    block = Block(
        btype,
        labels,
        node.start_point[0] + 1,
        node.start_point[1] + 1,
        node.end_point[0] + 1,
        path,
    )
    body = next((c for c in node.named_children if c.type == "body"), None)
    if body is None or depth > MAX_DEPTH:
        return block
    for c in body.named_children:
        if c.type == "attribute":
            name, expr = attr_name_expr(c)
            value = scope.eval(expr) if expr is not None else None
            block.attrs[name] = Attr(
                name, value, c.start_point[0] + 1, c.start_point[1] + 1, c.end_point[0] + 1
            )
        elif c.type == "block":
            ctype, clabels = _block_head(c)
            if ctype == "dynamic" and clabels:
                block.blocks.extend(_dynamic(c, clabels[0], path, scope, depth + 1))
                continue
            block.blocks.append(_build_block(c, path, scope, depth + 1))
    return block


def _dynamic(node: Node, label: str, path: str, scope: Scope, depth: int) -> list[Block]:
    """``dynamic "ingress" { for_each = ...; content { ... } }`` as the ``ingress`` blocks it
    generates: one per element of a known collection (the iterator, ``ingress`` or the
    ``iterator`` attribute's name, bound to its key and value), none for an empty one, and
    one whose iterator values are unknown when the collection is not known (marked
    :attr:`Block.maybe`: the collection may be empty)."""
    attrs = _attr_nodes(node)
    name = label
    if "iterator" in attrs:
        it = _text(attrs["iterator"]).strip()
        name = it if re.fullmatch(r"[A-Za-z_][\w-]*", it) else label
    collection = scope.eval(attrs["for_each"]) if "for_each" in attrs else Expr("")
    items: list[tuple[Any, Any]] | None
    if isinstance(collection, list):
        items = list(enumerate(collection))[:MAX_INSTANCES]
    else:
        items = _each(collection)
    maybe = items is None  # over the budget below, a known collection still has elements
    if items is not None and not scope.afford(node, len(items)):
        items = None  # over the expansion budget: one block with unknown iterator values
    scopes = (
        [scope]
        if items is None
        else [scope.child(**{name: {"key": k, "value": v}}) for k, v in items]
    )
    body = next((c for c in node.named_children if c.type == "body"), None)
    contents = [
        c
        for c in (body.named_children if body is not None else [])
        if c.type == "block" and _block_head(c)[0] == "content"
    ]
    out = []
    for s in scopes:
        for c in contents:
            content = _build_block(c, path, s, depth + 1)
            content.type = label
            content.line = node.start_point[0] + 1
            content.maybe = maybe
            out.append(content)
    return out
