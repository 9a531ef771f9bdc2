"""CEL conditions compiled to Python closures, with cel-python's semantics.

cel-python's :class:`Evaluator` walks the lark tree for every evaluation (a visitor call,
an activation clone and a name-container lookup per node): about 0.3 ms for one rule on
one resource, most of a Terraform scan. This module turns the same tree, once per
condition and process, into nested closures that call the same celpy operators and
functions (``_==_``, ``_||_``, ``size`` ...) in the same order, with the same exceptions
turned into error values, so a condition gives the result the interpreter gives
(``tests/scanners/iac/test_celprog.py`` compares both on every rule and on fuzzed
values). Constructs the rules do not use (protobuf messages, ``reduce``, ``min``,
package names) raise :class:`Unsupported` at compile time and that condition keeps the
interpreter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import reduce
from typing import Any

Env = dict[str, Any]
Fn = Callable[[Env], Any]

_RELATIONS = {
    "relation_lt": "_<_",
    "relation_le": "_<=_",
    "relation_ge": "_>=_",
    "relation_gt": "_>_",
    "relation_eq": "_==_",
    "relation_ne": "_!=_",
    "relation_in": "_in_",
}
_ADDITIONS = {"addition_add": "_+_", "addition_sub": "_-_"}
_MULTIPLICATIONS = {
    "multiplication_div": "_/_",
    "multiplication_mul": "_*_",
    "multiplication_mod": "_%_",
}
_MACROS = ("map", "filter", "all", "exists", "exists_one")


class Unsupported(Exception):
    """A construct this compiler leaves to cel-python's interpreter."""


def _either(a: Any, b: Any, error: Any) -> Any:
    """The error among two operands of ``||``/``&&`` neither of which is a bool (None when
    neither is an error). celpy's own answer is an error too, whose message holds both
    operands' reprs: folding an ``exists`` over a list of errors grew it at every item
    (review17; ``cel._bound_error_repr`` bounds the interpreter's)."""
    return a if isinstance(a, error) else b if isinstance(b, error) else None


class Compiler:
    """Compiles one parsed condition; ``names`` are the activation's variables."""

    def __init__(self, rt: Any, functions: Mapping[str, Any], names: Iterable[str]) -> None:
        self.lark, self.ct, self.error, self.unknown, self.literal_of, self.same = rt
        self.functions = functions
        self.names = frozenset(names)

    def compile(self, tree: Any) -> Fn:
        return self._node(tree, self.names)

    # -- helpers ---------------------------------------------------------------------------

    def _err(self, message: str, exc: BaseException | None) -> Any:
        if exc is None:
            return self.error(message, TypeError, ())
        value = self.error(message, exc.__class__, exc.args)
        value.__cause__ = exc
        return value

    def _function(self, name: str) -> Any:
        try:
            found = self.functions[name]
            return self.same.get(found, found)
        except KeyError:
            raise Unsupported(f"unknown function {name}") from None

    def _binary(self, tree: Any, scope: frozenset[str], ops: dict[str, str], catch: Any) -> Fn:
        left_op, right_tree = tree.children
        func = self._function(ops[left_op.data])
        if len(left_op.children) != 1:
            raise Unsupported(left_op.data)
        left = self._node(left_op.children[0], scope)
        right = self._node(right_tree, scope)
        err = self._err

        def run(env: Env) -> Any:
            a = left(env)
            b = right(env)
            try:
                return func(a, b)
            except catch as ex:
                return err("operator failed", ex)

        return run

    def _one(self, tree: Any, scope: frozenset[str]) -> Fn:
        if len(tree.children) != 1:
            raise Unsupported(str(tree.data))
        return self._node(tree.children[0], scope)

    # -- nodes -----------------------------------------------------------------------------

    def _node(self, tree: Any, scope: frozenset[str]) -> Fn:
        if not isinstance(tree, self.lark.Tree):
            raise Unsupported("token")
        data = str(tree.data)
        n = len(tree.children)
        if data in ("expr",) and n == 3:
            return self._ternary(tree, scope)
        if data in ("expr", "conditionalor", "conditionaland", "relation", "addition") and n == 1:
            return self._one(tree, scope)
        if data in ("multiplication", "unary", "member") and n == 1:
            return self._one(tree, scope)
        if data in ("conditionalor", "conditionaland") and n == 2:
            return self._logical(tree, scope, "_||_" if data == "conditionalor" else "_&&_")
        if data == "relation" and n == 2:
            return self._binary(tree, scope, _RELATIONS, TypeError)
        if data == "addition" and n == 2:
            return self._binary(tree, scope, _ADDITIONS, (TypeError, ValueError, OverflowError))
        if data == "multiplication" and n == 2:
            catch = (TypeError, ZeroDivisionError, ValueError, OverflowError)
            return self._binary(tree, scope, _MULTIPLICATIONS, catch)
        if data == "unary" and n == 2:
            return self._unary(tree, scope)
        if data == "member_dot" and n == 2:
            return self._member_dot(tree, scope)
        if data == "member_dot_arg":
            return self._member_dot_arg(tree, scope)
        if data == "member_index" and n == 2:
            return self._member_index(tree, scope)
        if data == "primary" and n == 1:
            return self._primary(tree.children[0], scope)
        raise Unsupported(data)

    def _ternary(self, tree: Any, scope: frozenset[str]) -> Fn:
        func = self._function("_?_:_")
        cond, yes, no = (self._node(c, scope) for c in tree.children)
        false = self.ct.BoolType(False)
        err = self._err

        def run(env: Env) -> Any:
            c = cond(env)
            left = right = false
            try:
                if c:
                    left = yes(env)
                else:
                    right = no(env)
                return func(c, left, right)
            except TypeError as ex:
                return err("no matching overload for _?_:_", ex)

        return run

    def _logical(self, tree: Any, scope: frozenset[str], op: str) -> Fn:
        func = self._function(op)
        left, right = (self._node(c, scope) for c in tree.children)
        err = self._err

        bool_t, error = self.ct.BoolType, self.error

        def run(env: Env) -> Any:
            a = left(env)
            b = right(env)  # both sides, always: CEL's || and && are commutative
            if not isinstance(a, bool_t) and not isinstance(b, bool_t):
                # an error either way; celpy's would quote both operands (see _either)
                return _either(a, b, error) or err(f"no matching overload for {op}", None)
            try:
                return func(a, b)
            except TypeError as ex:
                return err(f"no matching overload for {op}", ex)

        return run

    def _unary(self, tree: Any, scope: frozenset[str]) -> Fn:
        op_tree, right_tree = tree.children
        func = self._function({"unary_not": "!_", "unary_neg": "-_"}[str(op_tree.data)])
        right = self._node(right_tree, scope)
        err = self._err

        def run(env: Env) -> Any:
            v = right(env)
            try:
                return func(v)
            except (TypeError, ValueError) as ex:
                return err("unary operator failed", ex)

        return run

    def _member_dot(self, tree: Any, scope: frozenset[str]) -> Fn:
        member_tree, token = tree.children
        member = self._node(member_tree, scope)
        name = str(token.value)
        error, map_type, message_type = self.error, self.ct.MapType, self.ct.MessageType

        def run(env: Env) -> Any:
            m = member(env)
            if isinstance(m, error):
                return m
            if isinstance(m, message_type):
                return m.get(name)
            if isinstance(m, map_type):
                try:
                    return m[name]
                except KeyError:
                    return error(f"no such member in mapping: {name!r}", KeyError, None)
            return error(f"{type(m)} does not support field selection", TypeError, None)

        return run

    def _exprlist(self, tree: Any, scope: frozenset[str]) -> list[Fn]:
        if tree.data != "exprlist":
            raise Unsupported(str(tree.data))
        return [self._node(c, scope) for c in tree.children]

    def _member_dot_arg(self, tree: Any, scope: frozenset[str]) -> Fn:
        member_tree, token = tree.children[:2]
        name = str(token.value)
        if name in ("reduce", "min"):
            raise Unsupported(name)
        if name in _MACROS:
            return self._macro(tree, scope, name)
        if len(tree.children) not in (2, 3):
            raise Unsupported("member_dot_arg")
        member = self._node(member_tree, scope)
        args = self._exprlist(tree.children[2], scope) if len(tree.children) == 3 else None
        function = self.functions.get(name)
        error, list_type, err = self.error, self.ct.ListType, self._err

        def run(env: Env) -> Any:
            obj = member(env)
            values: Any = []
            if args is not None:
                evaluated = [a(env) for a in args]
                values = next((v for v in evaluated if isinstance(v, error)), None)
                if values is None:
                    values = list_type(evaluated)
            if function is None:
                return error(f"undeclared reference to {name!r}", KeyError, (name,))
            if isinstance(obj, error):
                return obj
            if isinstance(values, error):
                return values
            try:
                return function(obj, *values)
            except ValueError as ex:
                return err("return error for overflow", ex)
            except (TypeError, AttributeError) as ex:
                return err("no such overload", ex)

        return run

    def _macro(self, tree: Any, scope: frozenset[str], name: str) -> Fn:
        if len(tree.children) != 3 or len(tree.children[2].children) != 2:
            raise Unsupported(f"{name} macro shape")
        member = self._node(tree.children[0], scope)
        var_tree, expr_tree = tree.children[2].children
        idents = list(var_tree.find_data("ident"))
        if len(idents) != 1:
            raise Unsupported("macro variable")
        var = str(idents[0].children[0].value)
        body = self._node(expr_tree, scope | {var})
        ct, error = self.ct, self.error

        def strict(env: Env) -> Callable[[Any], Any]:
            # celpy evaluates the body with a sub-evaluator whose evaluate() raises an
            # error value: map, filter and exists_one let it escape the whole condition
            def sub(v: Any) -> Any:
                value = body({**env, var: v})
                if isinstance(value, error):
                    raise value
                return value

            return sub

        def lenient(env: Env) -> Callable[[Any], Any]:
            def sub(v: Any) -> Any:
                try:
                    return body({**env, var: v})
                except error as ex:  # a strict macro inside the body
                    return ex

            return sub

        op = ct.logical_and if name == "all" else ct.logical_or
        start = ct.BoolType(name == "all")

        bool_t = ct.BoolType

        def combine(a: Any, b: Any) -> Any:
            if not isinstance(a, bool_t) and not isinstance(b, bool_t):
                return _either(a, b, error) or self._err("no such overload", None)
            try:
                return op(a, b)
            except TypeError as ex:
                return self._err("no such overload", ex)

        def run(env: Env) -> Any:
            items = member(env)
            if isinstance(items, error):
                return items
            if name == "map":
                return ct.ListType(map(strict(env), items))
            if name == "filter":
                return ct.ListType(filter(strict(env), items))
            if name == "exists_one":
                sub = strict(env)
                return ct.BoolType(sum(1 for v in items if bool(sub(v))) == 1)
            return reduce(combine, map(lenient(env), items), start)

        return run

    def _member_index(self, tree: Any, scope: frozenset[str]) -> Fn:
        func = self._function("_[_]")
        member, index = (self._node(c, scope) for c in tree.children)
        err = self._err

        def run(env: Env) -> Any:
            m = member(env)
            i = index(env)
            try:
                return func(m, i)
            except TypeError as ex:
                return err("no matching overload for _[_]", ex)
            except KeyError as ex:
                return err("no such key", ex)
            except IndexError as ex:
                return err("invalid_argument", ex)

        return run

    def _primary(self, child: Any, scope: frozenset[str]) -> Fn:
        data = str(child.data)
        if data == "literal":
            value = self.literal_of(child)
            return lambda env: value
        if data == "paren_expr":
            return self._one(child, scope)
        if data == "list_lit":
            return self._list(child, scope)
        if data == "map_lit":
            return self._map(child, scope)
        if data == "ident_arg":
            return self._call(child, scope)
        if data == "ident":
            name = str(child.children[0].value)
            if name not in scope:
                raise Unsupported(f"free name {name}")
            return lambda env: env[name]
        raise Unsupported(data)

    def _list(self, child: Any, scope: frozenset[str]) -> Fn:
        list_type, error = self.ct.ListType, self.error
        if not child.children:
            return lambda env: list_type()
        items = self._exprlist(child.children[0], scope)

        def run(env: Env) -> Any:
            values = [f(env) for f in items]
            found = next((v for v in values if isinstance(v, error)), None)
            return found if found is not None else list_type(values)

        return run

    def _map(self, child: Any, scope: frozenset[str]) -> Fn:
        map_type, error = self.ct.MapType, self.error
        if not child.children:
            return lambda env: map_type()
        inits = child.children[0]
        if inits.data != "mapinits":
            raise Unsupported(str(inits.data))
        parts = [self._node(c, scope) for c in inits.children]

        def run(env: Env) -> Any:
            out = map_type()
            try:
                values = [f(env) for f in parts]
                for key, value in zip(values[0::2], values[1::2], strict=False):
                    if key in out:
                        raise ValueError(f"Duplicate key {key!r}")
                    out[key] = value
            except (ValueError, TypeError) as ex:
                return error(ex.args[0], ex.__class__, ex.args)
            return out

        return run

    def _call(self, child: Any, scope: frozenset[str]) -> Fn:
        if len(child.children) != 2:
            raise Unsupported("call without arguments")
        token, exprlist = child.children
        name = str(token.value)
        if name == "has":
            return self._has(exprlist, scope)
        args = self._exprlist(exprlist, scope)
        if name == "dyn":
            if len(args) != 1:
                raise Unsupported("dyn")
            return args[0]
        function = self.functions.get(name)
        error, err = self.error, self._err

        def run(env: Env) -> Any:
            values = [a(env) for a in args]
            if function is None:
                return error(f"undeclared reference to {name!r}", KeyError, (name,))
            for v in values:
                if isinstance(v, error):
                    return v
            try:
                return function(*values)
            except ValueError as ex:
                return err("return error for overflow", ex)
            except (TypeError, AttributeError) as ex:
                return err("no such overload", ex)

        return run

    def _has(self, exprlist: Any, scope: frozenset[str]) -> Fn:
        """``has()`` as cel.py's evaluator does it: an unknown object stays unknown."""
        args = self._exprlist(exprlist, scope)
        if len(args) != 1:
            raise Unsupported("has() arity")
        node: Any = exprlist
        while isinstance(node, self.lark.Tree) and node.data != "member_dot":
            if len(node.children) != 1:
                break
            node = node.children[0]
        ct, error, unknown = self.ct, self.error, self.unknown
        whole = args[0]

        def generic(env: Env) -> Any:
            return ct.BoolType(not isinstance(whole(env), error))

        if not (isinstance(node, self.lark.Tree) and node.data == "member_dot"):
            return generic
        obj_fn = self._node(node.children[0], scope)
        key = ct.StringType(str(node.children[1]))

        def run(env: Env) -> Any:
            obj = obj_fn(env)
            if isinstance(obj, unknown):
                return obj
            if isinstance(obj, error):
                return ct.BoolType(False)
            if isinstance(obj, ct.MapType):
                return ct.BoolType(key in obj)
            return generic(env)

        return run
