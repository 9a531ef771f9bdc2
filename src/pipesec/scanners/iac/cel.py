"""CEL conditions of the IaC data rules, evaluated with cel-python (``celpy``).

celpy and its parser load on the first condition that is evaluated, never at start-up.
Values a static scanner cannot know (Terraform references, function calls: :class:`Expr`)
enter CEL as *unknown*: any operation on one is an error, an error is never a finding.
``a || b`` and ``a && b`` still decide when the known side does (CEL's commutative
logic), and ``has(r.x)`` is true for an attribute that is set to an unknown value.

Helpers beyond standard CEL (documented in docs/iac-rules.md):

- ``world(x)``: a CIDR string, or a list of them, that holds 0.0.0.0/0 or ::/0
- ``lower(s)``: ``s`` in lower case
- ``int_or(x, d)``: ``x`` as an integer (a numeric string too), else ``d``
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pipesec.scanners.iac.hcl import Expr

WORLD = ("0.0.0.0/0", "::/0")


class CelError(ValueError):
    """A condition that does not compile."""


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _runtime() -> Any:
    """celpy's pieces, with an evaluator whose has() knows unknown values."""
    # imported by name: mypy does not follow cel-python (py.typed, but typed loosely)
    celpy = importlib.import_module("celpy")
    lark = importlib.import_module("lark")
    celtypes = importlib.import_module("celpy.celtypes")
    evaluation = importlib.import_module("celpy.evaluation")
    CELEvalError: Any = evaluation.CELEvalError
    Evaluator: Any = evaluation.Evaluator
    InterpretedRunner: Any = celpy.InterpretedRunner

    class Unknown(CELEvalError):  # type: ignore[misc]
        """A value the scanner cannot know."""

    class IacEvaluator(Evaluator):  # type: ignore[misc]
        def macro_has_eval(self, exprlist: Any) -> Any:
            node: Any = exprlist
            while isinstance(node, lark.Tree) and node.data != "member_dot":
                if len(node.children) != 1:
                    break
                node = node.children[0]
            if isinstance(node, lark.Tree) and node.data == "member_dot":
                obj = self.visit(node.children[0])
                if isinstance(obj, Unknown):
                    return obj  # has(r.a.b) where r.a is unknown: unknown
                if isinstance(obj, CELEvalError):
                    return celtypes.BoolType(False)
                if isinstance(obj, celtypes.MapType):
                    return celtypes.BoolType(celtypes.StringType(str(node.children[1])) in obj)
            return super().macro_has_eval(exprlist)

    class Runner(InterpretedRunner):  # type: ignore[misc]
        def evaluate(self, context: Any) -> Any:
            return IacEvaluator(ast=self.ast, activation=self.new_activation()).evaluate(context)

    return celpy, celtypes, CELEvalError, Unknown, Runner


@lru_cache(maxsize=1)
def _environment() -> Any:
    celpy, _, _, _, runner = _runtime()
    return celpy.Environment(runner_class=runner)


def _functions() -> dict[str, Any]:
    _, ct, error, _, _ = _runtime()

    def world(x: Any) -> Any:
        if isinstance(x, error):
            return x
        values = x if isinstance(x, list) else [x]
        for v in values:
            if isinstance(v, error):
                return v
        return ct.BoolType(any(isinstance(v, str) and v.strip() in WORLD for v in values))

    def lower(s: Any) -> Any:
        if isinstance(s, error):
            return s
        return ct.StringType(str(s).lower())

    def int_or(x: Any, default: Any) -> Any:
        if isinstance(x, error):
            return x
        if isinstance(x, bool):
            return default
        try:
            return ct.IntType(int(str(x).strip()))
        except ValueError:
            return default

    return {"world": world, "lower": lower, "int_or": int_or}


class Condition:
    """One CEL expression, compiled on first use; true means "violation"."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._program: Any = None

    def compile(self) -> None:
        if self._program is not None:
            return
        with _lock:
            env = _environment()
            _, _, error, _, _ = _runtime()
            try:
                ast = env.compile(self.text)
            except Exception as exc:  # lark's parse errors and celpy's own
                raise CelError(f"invalid CEL: {str(exc).splitlines()[0][:200]}") from None
            try:
                self._program = env.program(ast, functions=_functions())
            except error as exc:
                raise CelError(f"invalid CEL: {exc}") from None

    def matches(self, activation: Mapping[str, Any]) -> bool:
        """True when the condition holds; False on false, on unknown and on any error."""
        self.compile()
        _, ct, error, _, _ = _runtime()
        try:
            result = self._program.evaluate(dict(activation))
        except (error, TypeError, ValueError, KeyError, IndexError, RecursionError):
            return False
        return isinstance(result, ct.BoolType) and bool(result)


def to_cel(value: Any) -> Any:
    """A Python value (HCL or YAML) as CEL; :class:`Expr` becomes unknown, None absent."""
    _, ct, _, unknown, _ = _runtime()
    return _convert(value, ct, unknown, 0)


def _convert(value: Any, ct: Any, unknown: Any, depth: int) -> Any:
    if depth > 64:
        return unknown("nested too deep")
    if isinstance(value, Expr):
        return unknown(value.text)
    if isinstance(value, bool):
        return ct.BoolType(value)
    if isinstance(value, int):
        return ct.IntType(value)
    if isinstance(value, float):
        return ct.DoubleType(value)
    if isinstance(value, str):
        return ct.StringType(value)
    if isinstance(value, list | tuple):
        return ct.ListType([_convert(v, ct, unknown, depth + 1) for v in value])
    if isinstance(value, dict):
        return ct.MapType(
            {
                ct.StringType(str(k)): _convert(v, ct, unknown, depth + 1)
                for k, v in value.items()
                if v is not None
            }
        )
    if value is None:
        return ct.NullType()
    return unknown(type(value).__name__)
