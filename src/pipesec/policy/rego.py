"""Rego policies over the whole report, evaluated in-process with regorus (conftest rules).

regorus (Microsoft's Rego interpreter in Rust, published on PyPI as ``gordon-to-regorus``)
runs Rego v1 and, per file, the older v0 syntax; ``with`` and ``opa test``-style ``test_*``
rules work as in OPA. It is imported lazily (in the evaluating process only).

An evaluation runs in a forked child process: regorus holds the GIL while it evaluates, so
only another process can enforce the time budget. A child that runs past it is killed and
the policy fails closed (:class:`PolicyBudgetError`, exit 3). The child's stdout and stderr
go to /dev/null (a policy's ``print`` cannot corrupt a report written to stdout).

conftest's conventions: in each evaluated package the rules ``deny``, ``violation``,
``warn`` and ``deny_<name>`` / ``violation_<name>`` / ``warn_<name>`` produce results
(strings, or objects with ``msg`` and optionally ``severity``, ``rule_id``, ``location``);
``exception`` results name the ``<name>`` of rules whose deny/violation results are excepted
(``""`` excepts plain ``deny`` / ``violation``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pipesec.core.errors import PipesecError, UsageError

DEFAULT_NAMESPACE = "main"
DEFAULT_TIMEOUT = 30.0
MEMORY_BUDGET = 4 * 2**30  # bytes an evaluation may allocate
Kind = Literal["deny", "warn"]

#: conftest's rule names: deny / violation / warn, optionally with a _suffix
RESULT_RULE = re.compile(r"^(deny|violation|warn)(?:_([A-Za-z0-9_]+))?$")
TEST_RULE = re.compile(r"^test_[A-Za-z0-9_]*$")
_LOCATED = re.compile(r"-->\s*(?P<file>.+?):(?P<line>\d+):(?P<col>\d+)\s*$", re.M)
_ERROR_LINE = re.compile(r"^error:\s*(?P<msg>.+)$", re.M)


class PolicyError(UsageError):
    """A policy cannot be loaded or evaluated (syntax, undefined name, runtime error): exit 2,
    naming the file and line."""


class PolicyBudgetError(PipesecError):
    """A policy ran past its time budget or crashed the evaluator: fails closed (exit 3)."""

    exit_code = 3


@dataclass(frozen=True, slots=True)
class Module:
    """One Rego file: ``name`` is how errors cite it (a path, or ``builtin:NAME``)."""

    name: str
    text: str


@dataclass(frozen=True, slots=True)
class Result:
    """One conftest result: ``kind`` decides the gate (deny fails it, warn never does)."""

    package: str
    rule: str
    kind: Kind
    value: Any
    excepted: bool = False
    #: made by pipesec's own library only (its messages quote only the redacted report)
    builtin: bool = False


@dataclass(slots=True)
class Outcome:
    results: list[Result] = field(default_factory=list)
    prints: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TestResult:
    package: str
    name: str
    passed: bool
    error: str = ""


def policy_error(raw: str, fallback: str = "") -> PolicyError:
    """A regorus error text (file:line:col, the source line, ``error: what``) as one line."""
    text = raw.split("Stack backtrace:", 1)[0]
    where = _LOCATED.search(text)
    what = _ERROR_LINE.search(text)
    message = (what.group("msg") if what else " ".join(text.split())) or "policy error"
    if where:
        loc = f"{where.group('file')}:{where.group('line')}:{where.group('col')}"
        return PolicyError(f"{loc}: {message.strip()}")
    return PolicyError(f"{fallback}: {message.strip()}" if fallback else message.strip())


def _regorus() -> Any:
    try:
        import regorus
    except ImportError:  # pragma: no cover - it is a dependency
        raise UsageError(
            "Rego policies need regorus: pip install gordon-to-regorus (a pipesec dependency)"
        ) from None
    return regorus


def _add_module(engine: Any, module: Module) -> None:
    """Rego v1 first; a file that only parses as v0 (``deny[msg] { ... }``) is read as v0.

    The v1 error is kept as its text: the exception itself, held by a local of this frame,
    made a reference cycle with its traceback (which holds the frame), and the engine
    (a local of the caller's frame) was freed by the cyclic collector on whichever thread
    ran it next; regorus' Engine may be dropped only on the thread that made it, and
    dropped elsewhere it raised "regoruspy::Engine is unsendable" (review19)."""
    try:
        engine.add_policy(module.name, module.text)
        return
    except RuntimeError as v1_error:
        first = str(v1_error)
    engine.set_rego_v0(True)
    try:
        engine.add_policy(module.name, module.text)
    except RuntimeError:
        raise policy_error(first, module.name) from None
    finally:
        engine.set_rego_v0(False)


def _package_of(node: Any) -> str:
    """The dotted name of a package ref in regorus' AST."""
    if "Var" in node:
        return str(node["Var"]["value"])
    if "RefDot" in node:
        inner = node["RefDot"]
        return _package_of(inner["refr"]) + "." + str(inner["field"][1])
    if "RefBrack" in node:
        inner = node["RefBrack"]
        index = inner["index"]
        key = index.get("String", {}).get("value", "?") if isinstance(index, dict) else "?"
        return _package_of(inner["refr"]) + "." + str(key)
    return "?"


def _head_name(rule: Any) -> str | None:
    spec = rule.get("Spec") if isinstance(rule, dict) else None
    if not spec:
        return None
    head = spec["head"]
    for kind in ("Set", "Compr", "Func"):
        if kind in head:
            ref = head[kind]["refr"]
            while "RefDot" in ref or "RefBrack" in ref:
                ref = ref.get("RefDot", ref.get("RefBrack"))["refr"]
            return str(ref["Var"]["value"]) if "Var" in ref else None
    return None


def rules_by_package(engine: Any) -> dict[str, set[str]]:
    """Every package of the loaded modules with the names of the rules it defines."""
    return {p: names for p, (names, _) in _packages(engine).items()}


def _packages(engine: Any) -> dict[str, tuple[set[str], set[str]]]:
    """package -> (rule names, files defining it)."""
    out: dict[str, tuple[set[str], set[str]]] = {}
    for module in json.loads(engine.get_ast_as_json()):
        ast = module["ast"]
        names, files = out.setdefault(_package_of(ast["package"]["refr"]), (set(), set()))
        files.add(str(module["source"]["file"]))
        for rule in ast.get("rules", []):
            name = _head_name(rule)
            if name:
                names.add(name)
    return out


def _query_json(engine: Any, ref: str) -> str:
    try:
        return str(engine.eval_query_as_json(ref))
    except RuntimeError as exc:
        raise policy_error(str(exc), ref) from None


def _value(raw_json: str) -> Any:
    results = json.loads(raw_json).get("result") or []
    if not results:
        return None  # undefined
    return results[0]["expressions"][0]["value"]


def _query(engine: Any, ref: str) -> Any:
    return _value(_query_json(engine, ref))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        # a v1 reading of `deny[msg] if {...}` is a partial object {msg: true}
        return list(value)
    return [value]


def _exceptions(engine: Any, package: str, names: set[str]) -> set[str]:
    if "exception" not in names:
        return set()
    excepted: set[str] = set()
    for item in _as_list(_query(engine, f"data.{package}.exception")):
        for name in item if isinstance(item, list) else [item]:
            if isinstance(name, str):
                excepted.add(name)
    return excepted


#: one rule's results as the evaluator returned them: (package, rule, kind, excepted,
#: builtin, JSON); parsed in the parent (cheaper than pickling the parsed values)
RawResults = tuple[str, str, Kind, bool, bool, str]


def _evaluate(
    modules: Sequence[Module], data: Sequence[Any], input_json: str, namespaces: Sequence[str]
) -> tuple[list[RawResults], list[str]]:
    """In the evaluating process: load, then collect every conftest rule's results."""
    engine = _load(modules, data)
    engine.set_input_json(input_json)
    packages = _packages(engine)
    out: list[RawResults] = []
    for package in namespaces:
        names, files = packages.get(package, (set(), set()))
        own = bool(files) and all(f.startswith("builtin:") for f in files)
        excepted = _exceptions(engine, package, names)
        for rule in sorted(names):
            m = RESULT_RULE.match(rule)
            if not m:
                continue
            kind: Kind = "warn" if m.group(1) == "warn" else "deny"
            skip = kind == "deny" and (m.group(2) or "") in excepted
            out.append(
                (package, rule, kind, skip, own, _query_json(engine, f"data.{package}.{rule}"))
            )
    return out, list(engine.take_prints())


def _load(modules: Sequence[Module], data: Sequence[Any]) -> Any:
    engine = _regorus().Engine()
    engine.set_gather_prints(True)
    for module in modules:
        _add_module(engine, module)
    for doc in data:
        try:
            engine.add_data_json(json.dumps(doc))
        except RuntimeError as exc:  # conflicting documents
            raise PolicyError(f"policy data: {' '.join(str(exc).split()[:30])}") from None
    return engine


def _run_tests(
    modules: Sequence[Module], data: Sequence[Any], namespaces: Sequence[str] | None
) -> list[TestResult]:
    engine = _load(modules, data)
    engine.set_input_json("{}")
    out: list[TestResult] = []
    for package, names in sorted(rules_by_package(engine).items()):
        if namespaces and package not in namespaces:
            continue
        for name in sorted(n for n in names if TEST_RULE.match(n)):
            try:
                value = _query(engine, f"data.{package}.{name}")
            except PolicyError as exc:
                out.append(TestResult(package, name, False, str(exc)))
                continue
            out.append(TestResult(package, name, value is True))
    return out


def _cap_memory() -> None:
    """The evaluator may grow by MEMORY_BUDGET beyond what the process holds at the fork;
    past it an allocation fails, the child dies and the policy fails closed."""
    try:
        import resource

        with open("/proc/self/statm") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + MEMORY_BUDGET, size + MEMORY_BUDGET))
    except (ImportError, OSError, ValueError):  # not Linux: the time budget still holds
        pass


def _in_child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    import faulthandler

    faulthandler.disable()  # an evaluator that dies says so through the parent, once
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    _cap_memory()
    try:
        conn.send(("ok", fn(*args)))
    except PipesecError as exc:
        conn.send(("error", (type(exc).__name__, str(exc))))
    except BaseException as exc:
        conn.send(("error", ("PolicyError", f"policy evaluation failed: {exc}")))
    finally:
        conn.close()


def _isolated(fn: Callable[..., Any], args: tuple[Any, ...], timeout: float, what: str) -> Any:
    """``fn(*args)`` in a forked child within ``timeout`` seconds (fails closed past it)."""
    import multiprocessing

    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork (Windows): no budget either
        return fn(*args)
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_in_child, args=(sender, fn, args), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise PolicyBudgetError(
                f"{what} ran past its budget of {timeout:g} s; the policy fails closed"
            )
        status, payload = receiver.recv()
    except EOFError:
        raise PolicyBudgetError(
            f"{what}: the Rego evaluator died (exit {child.exitcode}: out of its "
            f"{MEMORY_BUDGET / 2**30:g} GiB memory budget, or a crash); the policy fails closed"
        ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if status == "error":
        name, message = payload
        if name == "PolicyBudgetError":
            raise PolicyBudgetError(message)
        raise PolicyError(message)
    return payload


def evaluate(
    modules: Sequence[Module],
    data: Sequence[Any],
    input_doc: Any,
    namespaces: Sequence[str] = (DEFAULT_NAMESPACE,),
    timeout: float = DEFAULT_TIMEOUT,
) -> Outcome:
    """Every conftest result of ``modules`` over ``input_doc`` (a JSON string or a value)."""
    input_json = input_doc if isinstance(input_doc, str) else json.dumps(input_doc)
    args = (tuple(modules), tuple(data), input_json, tuple(dict.fromkeys(namespaces)))
    raw, prints = _isolated(_evaluate, args, timeout, "policy evaluation")
    outcome = Outcome(prints=prints)
    for package, rule, kind, skip, own, text in raw:
        for value in _as_list(_value(text)):
            outcome.results.append(Result(package, rule, kind, value, skip, own))
    return outcome


def run_tests(
    modules: Sequence[Module],
    data: Sequence[Any] = (),
    namespaces: Sequence[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[TestResult]:
    """Run every ``test_*`` rule (of ``namespaces``, default all packages) like ``opa test``."""
    args = (tuple(modules), tuple(data), tuple(namespaces) if namespaces else None)
    result: list[TestResult] = _isolated(_run_tests, args, timeout, "policy test")
    return result


def check(modules: Sequence[Module]) -> dict[str, set[str]]:
    """Parse ``modules`` (raising PolicyError with file and line) and list their rules."""
    result: dict[str, set[str]] = _isolated(
        lambda ms: rules_by_package(_load(ms, ())), (tuple(modules),), DEFAULT_TIMEOUT, "policy"
    )
    return result
