"""A parser for the GitHub Actions expression language (``${{ ... }}``).

Grammar (precedence from low to high): ``||``, ``&&``, ``== !=``, ``< <= > >=``, ``!``,
then postfix property access (``.name``, ``.*``), index access (``[expr]``) and calls
(``name(args)``) on primaries: literals (``null``, ``true``, ``false``, numbers including
hex and exponents, ``'single-quoted'`` strings with ``''`` escapes), context names and
parenthesised expressions. Names are case-insensitive and may hold ``-`` and ``_``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MAX_EXPR_LEN = 20_000
MAX_DEPTH = 100


class ExprError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"{message} (at offset {offset})")
        self.message = message
        self.offset = offset


class ExprBudgetError(ExprError):
    """An expression over the parser's length or nesting budget: GitHub may still accept it,
    so it must not be skipped like a syntax error (see :func:`budget_errors`)."""


@dataclass(frozen=True, slots=True)
class Literal:
    value: str | float | bool | None


@dataclass(frozen=True, slots=True)
class Context:
    name: str  # lower-cased


@dataclass(frozen=True, slots=True)
class Prop:
    obj: Expr
    name: str  # lower-cased; "*" for the object filter


@dataclass(frozen=True, slots=True)
class Index:
    obj: Expr
    index: Expr


@dataclass(frozen=True, slots=True)
class Call:
    name: str  # lower-cased
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Unary:
    op: str
    operand: Expr


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Expr
    right: Expr


Expr = Literal | Context | Prop | Index | Call | Unary | Binary

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>0x[0-9a-fA-F]+|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<str>'(?:[^']|'')*')
  | (?P<op>==|!=|<=|>=|&&|\|\||[<>!()\[\].,*])
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # num, str, op, name, end
    text: str
    offset: int


def tokenize(src: str) -> list[Token]:
    if len(src) > MAX_EXPR_LEN:
        raise ExprBudgetError(f"expression longer than {MAX_EXPR_LEN} characters", 0)
    tokens: list[Token] = []
    pos = 0
    n = len(src)
    while pos < n:
        m = _TOKEN.match(src, pos)
        if m is None:
            if src[pos] == "'":
                raise ExprError("unterminated string literal", pos)
            raise ExprError(f"unexpected character {src[pos]!r}", pos)
        kind = m.lastgroup or ""
        if kind != "ws":
            text = m.group()
            # a sign belongs to a number only where an operand is expected
            if kind == "num" and text[0] in "+-":
                prev = tokens[-1] if tokens else None
                if prev is not None and (
                    prev.kind in ("num", "str", "name") or prev.text in (")", "]", "*")
                ):
                    raise ExprError(f"unexpected character {text[0]!r}", pos)
            tokens.append(Token(kind, text, pos))
        pos = m.end()
    tokens.append(Token("end", "", n))
    return tokens


class _Parser:
    def __init__(self, src: str) -> None:
        self.tokens = tokenize(src)
        self.i = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> Token:
        tok = self.next()
        if tok.text != text or tok.kind not in ("op",):
            found = tok.text or "end of expression"
            raise ExprError(f"expected {text!r}, found {found!r}", tok.offset)
        return tok

    def parse(self) -> Expr:
        expr = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise ExprError(f"unexpected {tok.text!r}", tok.offset)
        return expr

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprBudgetError(
                f"expression nested more than {MAX_DEPTH} levels deep", self.peek().offset
            )

    def or_(self) -> Expr:
        left = self.and_()
        while self.peek().text == "||" and self.peek().kind == "op":
            self.next()
            left = Binary("||", left, self.and_())
        return left

    def and_(self) -> Expr:
        left = self.eq()
        while self.peek().text == "&&" and self.peek().kind == "op":
            self.next()
            left = Binary("&&", left, self.eq())
        return left

    def eq(self) -> Expr:
        left = self.cmp()
        while self.peek().kind == "op" and self.peek().text in ("==", "!="):
            op = self.next().text
            left = Binary(op, left, self.cmp())
        return left

    def cmp(self) -> Expr:
        left = self.unary()
        while self.peek().kind == "op" and self.peek().text in ("<", "<=", ">", ">="):
            op = self.next().text
            left = Binary(op, left, self.unary())
        return left

    def unary(self) -> Expr:
        if self.peek().kind == "op" and self.peek().text == "!":
            self.next()
            self._enter()
            try:
                return Unary("!", self.unary())
            finally:
                self.depth -= 1
        return self.postfix()

    def postfix(self) -> Expr:
        expr = self.primary()
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.text == ".":
                self.next()
                name = self.next()
                if name.kind == "name":
                    expr = Prop(expr, name.text.lower())
                elif name.kind == "op" and name.text == "*":
                    expr = Prop(expr, "*")
                else:
                    raise ExprError("expected a property name after '.'", name.offset)
            elif tok.kind == "op" and tok.text == "[":
                self.next()
                self._enter()
                try:
                    if self.peek().kind == "op" and self.peek().text == "*":
                        self.next()
                        expr = Prop(expr, "*")
                        self.expect("]")
                        continue
                    index: Expr = self.or_()
                finally:
                    self.depth -= 1
                self.expect("]")
                expr = Index(expr, index)
            else:
                return expr

    def primary(self) -> Expr:
        tok = self.next()
        if tok.kind == "num":
            text = tok.text
            try:
                value = float(int(text, 16)) if text.lower().startswith("0x") else float(text)
            except ValueError:
                raise ExprError(f"bad number {text!r}", tok.offset) from None
            return Literal(value)
        if tok.kind == "str":
            return Literal(tok.text[1:-1].replace("''", "'"))
        if tok.kind == "name":
            low = tok.text.lower()
            if low == "true":
                return Literal(True)
            if low == "false":
                return Literal(False)
            if low == "null":
                return Literal(None)
            if self.peek().kind == "op" and self.peek().text == "(":
                self.next()
                args: list[Expr] = []
                self._enter()
                try:
                    if not (self.peek().kind == "op" and self.peek().text == ")"):
                        args.append(self.or_())
                        while self.peek().kind == "op" and self.peek().text == ",":
                            self.next()
                            args.append(self.or_())
                finally:
                    self.depth -= 1
                self.expect(")")
                return Call(low, tuple(args))
            return Context(low)
        if tok.kind == "op" and tok.text == "(":
            self._enter()
            try:
                inner = self.or_()
            finally:
                self.depth -= 1
            self.expect(")")
            return inner
        found = tok.text or "end of expression"
        raise ExprError(f"unexpected {found!r}", tok.offset)


@lru_cache(maxsize=4096)
def parse(src: str) -> Expr:
    """Parse the inside of one ``${{ }}`` (or an ``if:`` condition); raises ExprError.

    Results are cached: expressions repeat a lot across workflows and the AST is immutable.
    """
    return _Parser(src).parse()


@dataclass(frozen=True, slots=True)
class Fenced:
    """One ``${{ ... }}`` inside a string: offsets of the whole fence and its inner text."""

    start: int
    end: int
    inner: str

    @property
    def raw(self) -> str:
        return "${{" + self.inner + "}}"


def budget_errors(text: str) -> list[tuple[int, str]]:
    """(line, message) for each ``${{ }}`` of ``text`` that is over the parser's budget.
    The rules skip expressions they cannot parse; these must fail the scan instead."""
    out: list[tuple[int, str]] = []
    if "${{" not in text:
        return out
    for f in find_fenced(text):
        try:
            parse(f.inner)
        except ExprBudgetError as exc:
            out.append((text.count("\n", 0, f.start) + 1, f"{exc}; not analysed"))
        except ExprError:
            continue  # a syntax error: GitHub refuses the workflow too
    return out


def find_fenced(text: str) -> list[Fenced]:
    """Every ``${{ ... }}`` in ``text``; a ``}}`` inside a string literal does not close it."""
    out: list[Fenced] = []
    pos = text.find("${{")
    n = len(text)
    while pos >= 0:
        i = pos + 3
        in_str = False
        close = -1
        while i < n:
            c = text[i]
            if in_str:
                if c == "'":
                    if i + 1 < n and text[i + 1] == "'":
                        i += 2
                        continue
                    in_str = False
            elif c == "'":
                in_str = True
            elif c == "}" and i + 1 < n and text[i + 1] == "}":
                close = i
                break
            i += 1
        if close < 0:
            break
        out.append(Fenced(pos, close + 2, text[pos + 3 : close]))
        pos = text.find("${{", close + 2)
    return out


def context_path(expr: Expr) -> tuple[str, ...] | None:
    """``github.event.issue.title`` -> ("github", "event", "issue", "title"); None otherwise.

    Index access with a string literal is a property; any other index becomes ``*``.
    """
    parts: list[str] = []
    node: Expr = expr
    while True:
        if isinstance(node, Prop):
            parts.append(node.name)
            node = node.obj
        elif isinstance(node, Index):
            idx = node.index
            if isinstance(idx, Literal) and isinstance(idx.value, str):
                parts.append(idx.value.lower())
            else:
                parts.append("*")
            node = node.obj
        elif isinstance(node, Context):
            parts.append(node.name)
            return tuple(reversed(parts))
        else:
            return None


def walk(expr: Expr) -> list[Expr]:
    """Every sub-expression, outermost first."""
    out: list[Expr] = []
    stack: list[Expr] = [expr]
    while stack:
        e = stack.pop()
        out.append(e)
        if isinstance(e, Prop):
            stack.append(e.obj)
        elif isinstance(e, Index):
            stack.extend((e.index, e.obj))
        elif isinstance(e, Call):
            stack.extend(reversed(e.args))
        elif isinstance(e, Unary):
            stack.append(e.operand)
        elif isinstance(e, Binary):
            stack.extend((e.right, e.left))
    return out


def context_paths(expr: Expr) -> list[tuple[str, ...]]:
    """Every maximal context access in an expression (``a.b[c.d]`` gives both)."""
    out: list[tuple[str, ...]] = []
    stack: list[Expr] = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, Prop | Index | Context):
            path = context_path(e)
            if path is not None:
                out.append(path)
                # the indexes inside may hold contexts of their own
                node: Expr = e
                while isinstance(node, Prop | Index):
                    if isinstance(node, Index):
                        stack.append(node.index)
                    node = node.obj
                continue
            if isinstance(e, Prop):
                stack.append(e.obj)
            elif isinstance(e, Index):
                stack.extend((e.index, e.obj))
        elif isinstance(e, Call):
            stack.extend(e.args)
        elif isinstance(e, Unary):
            stack.append(e.operand)
        elif isinstance(e, Binary):
            stack.extend((e.left, e.right))
    return out


def render(expr: Expr) -> str:
    """Canonical text of an expression (for messages and identities)."""
    if isinstance(expr, Literal):
        v = expr.value
        if v is None:
            return "null"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, float):
            return str(int(v)) if v.is_integer() else str(v)
        return "'" + v.replace("'", "''") + "'"
    if isinstance(expr, Context):
        return expr.name
    if isinstance(expr, Prop):
        return f"{_postfix_base(expr.obj)}.{expr.name}"
    if isinstance(expr, Index):
        return f"{_postfix_base(expr.obj)}[{render(expr.index)}]"
    if isinstance(expr, Call):
        return f"{expr.name}({', '.join(render(a) for a in expr.args)})"
    if isinstance(expr, Unary):
        return f"!{render(expr.operand)}"
    return f"({render(expr.left)} {expr.op} {render(expr.right)})"


def _postfix_base(expr: Expr) -> str:
    text = render(expr)
    if isinstance(expr, Context | Prop | Index | Call) or text.startswith("("):
        return text
    return f"({text})"
