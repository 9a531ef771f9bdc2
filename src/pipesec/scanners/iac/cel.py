"""CEL conditions of the IaC data rules, evaluated with cel-python (``celpy``).

celpy and its parser load on the first condition that is evaluated, never at start-up.
Values a static scanner cannot know (Terraform references, function calls: :class:`Expr`)
enter CEL as *unknown*: any operation on one is an error, an error is never a finding.
``a || b`` and ``a && b`` still decide when the known side does (CEL's commutative
logic), and ``has(r.x)`` is true for an attribute that is set to an unknown value.

Helpers beyond standard CEL (documented in docs/iac-rules.md):

- ``world(x)``: a CIDR string, or a list of them, that lets in anyone: 0.0.0.0/0, ::/0
  (any spelling of a /0), a bare 0.0.0.0, ``*``, ``Internet``, ``Any``
- ``leaves_internet(cidr, except)``: the whole-internet ``cidr`` minus the ``except``
  ranges (a Kubernetes ipBlock) still admits internet addresses (excepting private ranges
  does not close it); an except that is not a literal CIDR is unknown
- ``lower(s)``: ``s`` in lower case
- ``int_or(x, d)``: ``x`` as an integer (a numeric string too), else ``d``
- ``from_json(s)``: a JSON document (a policy in a heredoc) as a value (a trailing comma
  before ``}`` or ``]`` is tolerated); a value that ``jsonencode()`` made, or a JSON heredoc
  with unknown interpolations (whose strings that hold one are unknown), arrives decoded
  and is passed through
- ``from_yaml(s)``: a YAML (or JSON) document held in a string (an SSM document's
  ``content`` heredoc) as a value, with the YAML loader's budgets (aliases counted, at most
  100,000 nodes, one document); a value that is a map or list already is passed through
- ``as_list(x)``: ``x`` when it is a list, else ``[x]`` (IAM's "Action": "s3:*" or [...])
- ``unscoped(c)``: a statement's ``Condition`` tests only keys that do not narrow who may use
  it (``aws:SecureTransport``, ``aws:username``, request tags ...): the statement stays open
- ``iam_escalation(x)``: the IAM actions in ``x`` (an action, a list, or a list of lists:
  every action a policy allows on every resource) let the principal escalate its rights
- ``ended(version, calendar)``: ``calendar`` maps versions (``"11"``, ``"1.29"``,
  ``"5.7.mysql_aurora"``) to the ISO date their support ends; true when the longest key that
  is a prefix of ``version`` by whole dot-separated parts has a date before the scan's date
  (a version the calendar does not name is not ended)
- ``past(day)``: the scan's date is after ``day`` (ISO ``YYYY-MM-DD``)

The scan's date is today (UTC) unless the operator sets it: ``[scanners.iac] as-of`` or the
``PIPESEC_AS_OF`` environment variable (tests pin it, so dated rules stay deterministic).
"""

from __future__ import annotations

import atexit
import contextvars
import datetime as dt
import hashlib
import importlib
import json
import logging
import operator
import os
import threading
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pipesec.core import yamlpos
from pipesec.scanners.iac import trust
from pipesec.scanners.iac.common import escalates, is_world, leaves_internet, unscoped_condition
from pipesec.scanners.iac.hcl import Expr, as_bool, heredoc_policy, loads_policy

log = logging.getLogger(__name__)


class CelError(ValueError):
    """A condition that does not compile."""


_lock = threading.Lock()

#: the date the operator set for the scan being evaluated (``[scanners.iac] as-of``): set
#: only in a scan's own context (:func:`in_scan`), so two scans in one process (threads, or
#: one scan's generator paused while another runs) never see each other's
_as_of: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar(
    "pipesec_iac_as_of", default=None
)

T = TypeVar("T")


def in_scan(day: dt.date | None, items: Iterator[T]) -> Iterator[T]:
    """``items`` (a scan's generator), each step run in a context of its own in which the
    scan's date is ``day`` (None: ``PIPESEC_AS_OF``, else today)."""
    context = contextvars.copy_context()
    context.run(_as_of.set, day)
    try:
        while True:
            try:
                item = context.run(next, items)
            except StopIteration:
                return
            yield item
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            context.run(close)


def scan_date() -> dt.date:
    """The date dated rules are judged at: the scan's ``as-of`` (:func:`in_scan`), else
    ``PIPESEC_AS_OF``, else today in UTC."""
    day = _as_of.get()
    if day is not None:
        return day
    pinned = os.environ.get("PIPESEC_AS_OF", "").strip()
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            log.warning("PIPESEC_AS_OF is not an ISO date (YYYY-MM-DD): %r; using today", pinned)
    return dt.datetime.now(dt.UTC).date()


def version_ended(version: str, calendar: Mapping[str, str], today: dt.date) -> bool | None:
    """Whether ``version`` is past the end date the calendar gives its longest matching key
    (whole dot-separated parts: ``"1.2"`` is no prefix of ``"1.29"``); None when the calendar
    does not name it or its date is not an ISO date."""
    parts = version.strip().lower().removeprefix("v").split(".")
    best: tuple[int, str] | None = None
    for key, day in calendar.items():
        want = str(key).strip().lower().split(".")
        if parts[: len(want)] == want and (best is None or len(want) > best[0]):
            best = (len(want), str(day))
    if best is None:
        return None
    try:
        return today > dt.date.fromisoformat(best[1])
    except ValueError:
        return None


#: the longest repr of a CEL error value (see :func:`_bound_error_repr`)
ERROR_REPR = 1000


def _bound_error_repr(error_class: Any) -> None:
    """Cut the repr of celpy's error values at :data:`ERROR_REPR` characters. celpy's ``||``
    and ``&&`` (and the ``exists``/``all`` macros, which fold with them) make an error of
    two operands neither of which is a bool, with both operands' reprs in its message, and
    an error's repr holds its message quoted once more: folding a list whose every item is
    an error (a policy of 30 statements whose ``Principal`` a rule compares as a string)
    doubled the backslashes at each item, 2^n characters. A 30-statement SNS topic policy
    took 23 GB and the scan was killed (review17). The message only ever says why a value
    is an error; nothing reads past its start."""
    if getattr(error_class, "_pipesec_bounded", False):
        return
    full = error_class.__repr__

    def bounded(self: Any) -> str:
        text: str = full(self)
        return text if len(text) <= ERROR_REPR else text[:ERROR_REPR] + "…"

    error_class.__repr__ = bounded
    error_class._pipesec_bounded = True


@lru_cache(maxsize=1)
def _runtime() -> Any:
    """celpy's pieces, with an evaluator whose has() knows unknown values."""
    # celpy logs every evaluation step with the values at DEBUG: a -v run would write the
    # scanned attributes (credentials among them) to the log, and slowly
    for name in ("celpy", "lark"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    # imported by name: mypy does not follow cel-python (py.typed, but typed loosely)
    celpy = importlib.import_module("celpy")
    lark = importlib.import_module("lark")
    celtypes = importlib.import_module("celpy.celtypes")
    evaluation = importlib.import_module("celpy.evaluation")
    CELEvalError: Any = evaluation.CELEvalError
    Evaluator: Any = evaluation.Evaluator
    InterpretedRunner: Any = celpy.InterpretedRunner

    _bound_error_repr(CELEvalError)

    class Unknown(CELEvalError):  # type: ignore[misc]
        """A value the scanner cannot know."""

    class IacEvaluator(Evaluator):  # type: ignore[misc]
        def sub_evaluator(self, ast: Any) -> Any:  # macros (exists, all ...) evaluate with it
            return IacEvaluator(ast, activation=self.activation)

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
def _prog_runtime() -> tuple[Any, ...]:
    """What :class:`.celprog.Compiler` needs: lark, celtypes, the error and unknown classes,
    and celpy's own literal conversion."""
    _, celtypes, error, unknown, _ = _runtime()
    evaluation = importlib.import_module("celpy.evaluation")

    def literal_of(tree: Any) -> Any:
        return evaluation.Evaluator(tree, activation=None).literal(tree)

    # celpy's comparison functions build their wrapper on every call (functools.wraps):
    # the same wrapper, built once
    ev = evaluation
    same = {
        ev.bool_lt: ev.boolean(operator.lt),
        ev.bool_le: ev.boolean(operator.le),
        ev.bool_gt: ev.boolean(operator.gt),
        ev.bool_ge: ev.boolean(operator.ge),
        ev.bool_eq: ev.boolean(operator.eq),
        ev.bool_ne: ev.boolean(operator.ne),
    }
    return _lark(), celtypes, error, unknown, literal_of, same


@lru_cache(maxsize=1)
def _environment() -> Any:
    celpy, _, _, _, runner = _runtime()
    return celpy.Environment(runner_class=runner)


#: what a YAML document inside one attribute may cost (a file's own budget is far larger)
_YAML_IN_STRING = yamlpos.Limits(nodes=100_000, expanded=1_000_000, documents=1)


_INVALID = object()


@lru_cache(maxsize=8)
def _document(kind: str, text: str) -> Any:
    """The JSON (``kind`` "json") or YAML document in ``text`` as a CEL value, or
    :data:`_INVALID`: parsed once per text, since many resources may name one local or
    variable (50 SSM documents whose content is one 0.7 MB YAML local were parsed and
    converted twice each, 86 s of CPU; review16). CEL values are never changed in place."""
    _, ct, _, unknown, _ = _runtime()
    try:
        if kind == "json":
            return _convert(loads_policy(text), ct, unknown, 0)
        doc = yamlpos.load("<string>", text, _YAML_IN_STRING)
    except (yamlpos.YamlError, ValueError, RecursionError):
        return _INVALID
    return _convert(doc.root.plain() if doc.root is not None else None, ct, unknown, 0)


def _functions() -> dict[str, Any]:
    _, ct, error, _, _ = _runtime()

    def world(x: Any) -> Any:
        if isinstance(x, error):
            return x
        values = x if isinstance(x, list) else [x]
        for v in values:
            if isinstance(v, error):
                return v
        return ct.BoolType(any(is_world(str(v)) for v in values if isinstance(v, str)))

    def leaves(cidr: Any, excepts: Any) -> Any:
        for v in (cidr, excepts):
            if isinstance(v, error):
                return v
        if isinstance(excepts, list) and any(isinstance(e, error) for e in excepts):
            return error("leaves_internet() of an unknown except")
        got = leaves_internet(str(cidr), list(excepts) if isinstance(excepts, list) else excepts)
        return error("leaves_internet() of an unknown except") if got is None else ct.BoolType(got)

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

    def from_json(x: Any) -> Any:
        if isinstance(x, error | ct.MapType | ct.ListType):
            return x  # jsonencode() values arrive decoded already
        if not isinstance(x, str):
            return error("from_json() of a non-string")
        got = _document("json", str(x))
        return error("from_json() of invalid JSON") if got is _INVALID else got

    def from_yaml(x: Any) -> Any:
        if isinstance(x, error | ct.MapType | ct.ListType):
            return x  # a CloudFormation property, or jsonencode()/yamlencode() decoded
        if not isinstance(x, str):
            return error("from_yaml() of a non-string")
        got = _document("yaml", str(x))
        return error("from_yaml() of invalid YAML") if got is _INVALID else got

    def as_list(x: Any) -> Any:
        if isinstance(x, error | ct.ListType):
            return x
        return ct.ListType([x])

    def iam_escalation(x: Any) -> Any:
        actions: list[str] = []
        for v in x if isinstance(x, list) else [x]:
            for a in v if isinstance(v, list) else [v]:
                if isinstance(a, error):
                    return a
                if isinstance(a, str):
                    actions.append(str(a))
        return ct.BoolType(escalates(actions))

    def unscoped(x: Any) -> Any:
        if isinstance(x, error):
            return x
        plain = _plain(x)
        return (
            error("unscoped() of an unknown")
            if plain is None
            else ct.BoolType(unscoped_condition(plain))
        )

    def account_trust(x: Any) -> Any:
        if isinstance(x, error):
            return x
        got = trust.account_trust(_marked(x))
        return error("account_trust() of an unknown") if got is None else ct.BoolType(got)

    def ended(x: Any, calendar: Any) -> Any:
        for v in (x, calendar):
            if isinstance(v, error):
                return v
        if isinstance(x, bool) or not isinstance(x, str | int | float):
            return error("ended() of a value that is not a version")
        if not isinstance(calendar, ct.MapType):
            return error("ended() needs a calendar map")
        got = version_ended(str(x), {str(k): str(d) for k, d in calendar.items()}, scan_date())
        return ct.BoolType(bool(got))

    def past(day: Any) -> Any:
        if isinstance(day, error):
            return day
        try:
            return ct.BoolType(scan_date() > dt.date.fromisoformat(str(day)))
        except ValueError:
            return error("past() of a value that is not an ISO date")

    evaluation = importlib.import_module("celpy.evaluation")
    # (celpy's own bool_eq/bool_ne build their wrapper on every call: built once below)
    str_t, bool_t = ct.StringType, ct.BoolType

    def _as_bool(s: Any) -> Any:
        # Terraform converts the strings "true"/"false" and "1"/"0" to a boolean argument's
        # value, so `enabled = "true"` compares equal to true (hcl.as_bool; review17:
        # `publicly_accessible = "1"` was not public)
        got = as_bool(str(s))
        return s if got is None else bool_t(got)

    def coercing(base: Any) -> Any:
        def op(a: Any, b: Any) -> Any:
            if type(a) is not type(b):
                if isinstance(b, bool_t) and isinstance(a, str_t):
                    a = _as_bool(a)
                elif isinstance(a, bool_t) and isinstance(b, str_t):
                    b = _as_bool(b)
            return base(a, b)

        return op

    eq = coercing(evaluation.boolean(operator.eq))
    ne = coercing(evaluation.boolean(operator.ne))

    return {
        "_==_": eq,
        "_!=_": ne,
        "account_trust": account_trust,
        "ended": ended,
        "past": past,
        "unscoped": unscoped,
        "world": world,
        "leaves_internet": leaves,
        "lower": lower,
        "int_or": int_or,
        "from_json": from_json,
        "from_yaml": from_yaml,
        "as_list": as_list,
        "iam_escalation": iam_escalation,
    }


class Condition:
    """One CEL expression, compiled on first use; true means "violation"."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._program: Any = None
        self._ast: Any = None
        #: the condition as closures (:mod:`.celprog`) for one set of variable names, or
        #: None when it uses something only the interpreter does
        self._fast: tuple[frozenset[str], Any] | None = None

    def compile(self) -> None:
        if self._program is not None:
            return
        with _lock:
            celpy, _, error, _, runner = _runtime()
            ast = _ASTS.get(self.text)
            if ast is None:
                try:
                    ast = _environment().compile(self.text)
                except Exception as exc:  # lark's parse errors and celpy's own
                    first = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
                    raise CelError(f"invalid CEL: {first}") from None
                _ASTS.put(self.text, ast)
            try:
                self._program = runner(_BareEnvironment(celpy), ast, _functions())
            except error as exc:
                raise CelError(f"invalid CEL: {exc}") from None
            self._ast = ast

    def _compiled(self, names: frozenset[str]) -> Any:
        """The closures for an activation with ``names`` (built once per process)."""
        if self._fast is None or self._fast[0] != names:
            from pipesec.scanners.iac.celprog import Compiler, Unsupported

            try:
                functions = self._program.new_activation().functions
                fn = Compiler(_prog_runtime(), functions, names).compile(self._ast)
            except Unsupported:
                log.debug("CEL condition left to the interpreter: %s", self.text)
                fn = None
            self._fast = (names, fn)
        return self._fast[1]

    def matches(self, activation: Mapping[str, Any]) -> bool:
        """True when the condition holds; False on false, on unknown and on any error."""
        self.compile()
        _, ct, error, _, _ = _runtime()
        fn = self._compiled(frozenset(activation))
        try:
            if fn is not None:
                result = fn(dict(activation))
                if isinstance(result, error):
                    return False
            else:
                result = self._program.evaluate(dict(activation))
        except (error, TypeError, ValueError, KeyError, IndexError, RecursionError):
            return False
        return isinstance(result, ct.BoolType) and bool(result)

    def interpreted(self, activation: Mapping[str, Any]) -> bool:
        """:meth:`matches` through cel-python's interpreter (the reference, for tests)."""
        self.compile()
        _, ct, error, _, _ = _runtime()
        try:
            result = self._program.evaluate(dict(activation))
        except (error, TypeError, ValueError, KeyError, IndexError, RecursionError):
            return False
        return isinstance(result, ct.BoolType) and bool(result)


class _BareEnvironment:
    """What a celpy runner needs of its environment, without building the CEL parser
    (0.3 s): conditions parsed in an earlier run come from the cache."""

    def __init__(self, celpy: Any) -> None:
        self.package = None
        self.annotations = dict(celpy.googleapis)


class _AstCache:
    """Parsed conditions (lark trees, each as a JSON string decoded on use) in the user
    cache directory, keyed by the condition's text and cel-python's version. Like the
    secrets scanner's Hyperscan cache it is not trusted as found: an HMAC digest
    (``$PIPESEC_CACHE_KEY``, else a key kept outside the cache) is checked on load, a
    mismatch means parsing again. A rule edited leaves its old condition behind, so the
    file is bounded: past :data:`MAX_CACHE_BYTES`, the conditions that runs writing it
    used least recently are dropped (never one this run used)."""

    def __init__(self) -> None:
        self._trees: dict[str, Any] | None = None
        self._used: set[str] = set()
        self._dirty = False

    @staticmethod
    def path() -> Path:
        import platformdirs

        tag = hashlib.sha256(f"{_FORMAT}-{_celpy_version()}".encode()).hexdigest()[:16]
        return Path(platformdirs.user_cache_dir("pipesec")) / "iac" / f"cel-{tag}.json"

    def _load(self) -> dict[str, Any]:
        if self._trees is not None:
            return self._trees
        from pipesec.core.cachemac import read_signed

        self._trees = {}
        raw = read_signed(self.path(), "CEL conditions")
        if raw is None:
            return self._trees
        try:
            data = json.loads(raw)
            if isinstance(data, dict):
                self._trees = data
        except (ValueError, RecursionError):
            log.debug("ignoring unreadable CEL cache", exc_info=True)
        return self._trees

    def get(self, text: str) -> Any:
        found = self._load().get(text)
        if not isinstance(found, str):
            return None
        self._used.add(text)
        try:  # each tree is kept as its own JSON text: a scan decodes only the few it uses
            return _tree_from_json(json.loads(found))
        except (ValueError, TypeError, IndexError, KeyError, RecursionError):
            return None

    def put(self, text: str, ast: Any) -> None:
        self._used.add(text)
        self._load()[text] = json.dumps(_tree_to_json(ast), separators=(",", ":"))
        if not self._dirty:
            self._dirty = True
            atexit.register(self.save)

    def save(self) -> None:
        from pipesec.core.cachemac import write_kept

        if not self._dirty or self._trees is None:
            return
        self._dirty = False
        # least recently used first: those of earlier runs in their order, then this run's
        trees = {t: v for t, v in self._trees.items() if t not in self._used}
        trees.update((t, v) for t, v in self._trees.items() if t in self._used)
        size = sum(len(t) + len(v) for t, v in trees.items())
        for text in list(trees):
            if size <= MAX_CACHE_BYTES or text in self._used:
                break
            size -= len(text) + len(trees.pop(text))
        path = self.path()
        try:
            write_kept(path, json.dumps(trees, separators=(",", ":")).encode(), "cel-")
        except OSError:
            log.debug("cannot write the CEL cache %s", path, exc_info=True)


@lru_cache(maxsize=1)
def _celpy_version() -> str:
    """cel-python's version: the name of its ``.dist-info`` directory beside the package,
    else :mod:`importlib.metadata` (whose import is a tenth of a one-file scan)."""
    import os

    site = Path(importlib.import_module("celpy").__file__ or "").parent.parent
    try:
        names = [n for n in os.listdir(site) if n.startswith("cel_python-")]
    except OSError:
        names = []
    if len(names) == 1 and names[0].endswith(".dist-info"):
        return names[0].removeprefix("cel_python-").removesuffix(".dist-info")
    from importlib.metadata import version

    return version("cel-python")


_FORMAT = "pipesec-cel-2"  # 2: each tree a JSON string, decoded on use
#: about the most the CEL cache keeps (the conditions of today's rules take about 2 MB):
#: every scan reads all of it
MAX_CACHE_BYTES = 4 << 20
_ASTS = _AstCache()


def _tree_to_json(node: Any) -> Any:
    """A lark tree as JSON: a token is [type, value], a tree {"d": rule, "c": children}."""
    lark = _lark()
    if isinstance(node, lark.Token):
        return [node.type, str(node)]
    return {"d": str(node.data), "c": [_tree_to_json(c) for c in node.children]}


def _tree_from_json(data: Any) -> Any:
    lark = _lark()
    if isinstance(data, list):
        kind, value = data
        return lark.Token(str(kind), str(value), line=1, column=1)
    tree = lark.Tree(lark.Token("RULE", str(data["d"])), [_tree_from_json(c) for c in data["c"]])
    tree.meta.line = tree.meta.column = 1  # celpy's errors read a position
    return tree


def _lark() -> Any:
    return importlib.import_module("lark")


def to_cel(value: Any, *, shared: dict[int, Any] | None = None) -> Any:
    """A Python value (HCL or YAML) as CEL; :class:`Expr` becomes unknown, None absent.
    ``shared``: by ``id``, dicts converted once and shared (their CEL value, or None until
    converted); the caller keeps those dicts alive and never changes them."""
    _, ct, _, unknown, _ = _runtime()
    return _convert(value, ct, unknown, 0, shared)


def _plain(value: Any, depth: int = 0) -> Any:
    """A CEL value as plain Python (maps, lists, strings, numbers, booleans); None when any
    part of it is unknown or an error."""
    if depth > 16:
        return None
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            pv = _plain(v, depth + 1)
            if pv is None:
                return None
            out[str(k)] = pv
        return out
    if isinstance(value, list):
        items = [_plain(v, depth + 1) for v in value]
        return None if any(i is None for i in items) else items
    if isinstance(value, bool | int | float | str):
        return value
    return None


def _marked(value: Any, depth: int = 0) -> Any:
    """A CEL value as plain Python, its unknown or erroneous parts :data:`trust.UNKNOWN`."""
    if depth > 16:
        return trust.UNKNOWN
    if isinstance(value, Mapping):
        return {str(k): _marked(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_marked(v, depth + 1) for v in value]
    if isinstance(value, bool | int | float | str):
        return value
    return trust.UNKNOWN


@lru_cache(maxsize=8)
def _heredoc(text: str, depth: int) -> Any:
    """A JSON heredoc with unknown interpolations as CEL (None when it is not JSON): once
    per text, as :func:`_document`."""
    doc = heredoc_policy(text)
    if doc is None:
        return None
    _, ct, _, unknown, _ = _runtime()
    return _convert(doc, ct, unknown, depth + 1)


#: the range of CEL's int
_INT64 = (-(2**63), 2**63 - 1)


def _convert(
    value: Any, ct: Any, unknown: Any, depth: int, shared: dict[int, Any] | None = None
) -> Any:
    if shared is not None and isinstance(value, dict) and id(value) in shared:
        key = id(value)
        got = shared[key]
        if got is None:  # converted once, out of the table while it is
            del shared[key]
            got = shared[key] = _convert(value, ct, unknown, depth, shared)
        return got
    if depth > 64:
        return unknown("nested too deep")
    if isinstance(value, Expr):
        # a JSON heredoc with "${aws_x.y.arn}" in it (a policy) keeps its known parts
        got = _heredoc(value.text, depth) if value.text.startswith("<<") else None
        return unknown(value.text) if got is None else got
    if isinstance(value, bool):
        return ct.BoolType(value)
    if isinstance(value, int):
        if _INT64[0] <= value <= _INT64[1]:
            return ct.IntType(value)
        # CEL's int is 64 bits (celpy raises "overflow"): a larger literal is read as a
        # double, as Terraform's numbers and YAML's are of any size; before, every CEL rule
        # of the resource failed (review17: `tags = { n = 123456789012345678901234 }`)
        try:
            return ct.DoubleType(float(value))
        except OverflowError:
            return unknown("a number out of range")
    if isinstance(value, float):
        return ct.DoubleType(value)
    if isinstance(value, str):
        return ct.StringType(value)
    if isinstance(value, list | tuple):
        return ct.ListType([_convert(v, ct, unknown, depth + 1, shared) for v in value])
    if isinstance(value, dict):
        return ct.MapType(
            {
                ct.StringType(str(k)): _convert(v, ct, unknown, depth + 1, shared)
                for k, v in value.items()
                if v is not None
            }
        )
    if value is None:
        return ct.NullType()
    return unknown(type(value).__name__)
