"""``pipesec policy``: Rego policies (conftest conventions) -- list, schema, test, eval.

Exit codes: ``test`` 0 all pass, 1 a test fails, 2 a policy error; ``eval`` 0 no deny,
1 a deny, 2 a policy error; 3 when a policy runs past its budget (fails closed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from pipesec.core.errors import PipesecError, UsageError

policy_app = typer.Typer(
    help="Rego policies over the report (conftest conventions).", no_args_is_help=True
)

PathsArg = Annotated[list[str], typer.Argument(help=".rego files, directories, or builtin:NAME")]
DataOpt = Annotated[
    list[str] | None,
    typer.Option("--data", "-d", "--policy-data", help="JSON/YAML data document (repeatable)"),
]
NamespaceOpt = Annotated[
    list[str] | None, typer.Option("--namespace", "-n", help="Package to evaluate (repeatable)")
]
TimeoutOpt = Annotated[float, typer.Option("--timeout", help="Budget in seconds (exit 3 past it)")]


def _fail(exc: PipesecError) -> typer.Exit:
    from pipesec.cli.output import shown

    typer.echo(f"pipesec: error: {shown(str(exc))}", err=True)
    return typer.Exit(exc.exit_code)


def _load(paths: list[str], data: list[str] | None, tests: bool = False) -> Any:
    from pipesec.policy import rego_sources

    if not paths:
        raise UsageError("name at least one policy file, directory or builtin:NAME")
    return rego_sources.load(paths, data or [], rego_sources.OperatorFS(), tests=tests)


@policy_app.command("list")
def policy_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False,
) -> None:
    """List the built-in policies (use them as builtin:NAME)."""
    from pipesec.policy.rego_sources import library

    entries = []
    for name, text in library().items():
        first = next((ln for ln in text.splitlines() if ln.startswith("# ")), "# ")
        package = next(
            (ln.split()[1] for ln in text.splitlines() if ln.startswith("package ")), "?"
        )
        entries.append({"name": f"builtin:{name}", "package": package, "summary": first[2:]})
    if as_json:
        typer.echo(json.dumps(entries, indent=2))
        return
    width = max(len(e["name"]) for e in entries)
    for e in entries:
        typer.echo(f"{e['name']:<{width}}  {e['summary']}")


@policy_app.command("schema")
def policy_schema() -> None:
    """Print the JSON Schema of the policies' input document."""
    from pipesec.policy.rego_input import schema

    typer.echo(json.dumps(schema(), indent=2))


@policy_app.command("test")
def policy_test(
    paths: PathsArg,
    data: DataOpt = None,
    namespace: NamespaceOpt = None,
    timeout: TimeoutOpt = 30.0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every test")] = False,
) -> None:
    """Run the test_* rules of the policies, like ``opa test``.

    Exit codes: 0 all pass, 1 a test fails, 2 a policy error, 3 past the budget.
    """
    from pipesec.cli.output import shown
    from pipesec.policy import rego

    try:
        loaded = _load(paths, data, tests=True)
        results = rego.run_tests(loaded.modules, loaded.data, namespace, timeout)
    except PipesecError as exc:
        raise _fail(exc) from None
    failed = [r for r in results if not r.passed]
    for r in results:
        if verbose or not r.passed:
            status = "PASS" if r.passed else ("ERROR" if r.error else "FAIL")
            line = f"data.{r.package}.{r.name}: {status}"
            typer.echo(shown(line + (f" ({r.error})" if r.error else "")))
    if not results:
        typer.echo("no test_* rules found", err=True)
    typer.echo("-" * 40)
    typer.echo(f"PASS: {len(results) - len(failed)}/{len(results)}")
    if failed:
        typer.echo(f"FAIL: {len(failed)}/{len(results)}")
        errors = [r for r in failed if r.error]
        raise typer.Exit(2 if errors else 1)  # a policy error outranks a failing test


@policy_app.command("eval")
def policy_eval(
    paths: PathsArg,
    input_file: Annotated[
        Path,
        typer.Option(
            "--input", "-i", help="A saved pipesec JSON report (or any JSON); - for stdin"
        ),
    ],
    data: DataOpt = None,
    namespace: NamespaceOpt = None,
    timeout: TimeoutOpt = 30.0,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
) -> None:
    """Evaluate policies over a saved report. Exit 0 no deny, 1 a deny, 2 a policy error."""
    from pipesec.policy import rego, rego_gate, rego_input

    try:
        if fmt not in ("table", "json"):
            raise UsageError(f"--format {fmt!r}: choose table or json")
        loaded = _load(paths, data)
        try:
            if str(input_file) == "-":
                import sys

                doc = json.loads(sys.stdin.buffer.read().decode("utf-8"))
            else:
                doc = json.loads(input_file.read_text("utf-8"))
        except OSError as exc:
            raise UsageError(f"{input_file}: cannot read: {exc.strerror}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"{input_file}: not JSON: {exc}") from None
        namespaces = rego_gate.namespaces(loaded.modules, namespace or [])
        settings = rego_input.GateSettings(
            fail_on="high", policies=list(paths), namespace=namespaces[0]
        )
        doc = rego_input.from_saved_report(doc, rego_input.context_from_env(), settings)
        outcome = rego.evaluate(loaded.modules, loaded.data, doc, namespaces, timeout)
    except PipesecError as exc:
        raise _fail(exc) from None
    findings = [rego_gate.to_finding(r) for r in outcome.results]
    denies = [
        f
        for f, r in zip(findings, outcome.results, strict=True)
        if f.properties[rego_gate.KIND] == "deny" and not r.excepted
    ]
    if fmt == "json":
        rows = [
            {
                "rule_id": f.rule_id,
                "kind": f.properties[rego_gate.KIND],
                "excepted": r.excepted,
                "msg": f.message,
                "severity": f.severity.value,
                "location": {"path": f.location.path, "start_line": f.location.start_line},
                "result": r.value,
            }
            for f, r in zip(findings, outcome.results, strict=True)
        ]
        typer.echo(json.dumps({"results": rows, "denied": bool(denies)}, indent=2))
    else:
        from pipesec.cli.output import shown

        # a policy's message (and a tree's path) may hold anything: masked and escaped
        for f, r in zip(findings, outcome.results, strict=True):
            kind = "EXCEPTION" if r.excepted else f.properties[rego_gate.KIND].upper()
            where = f" ({f.location.path}:{f.location.start_line})" if f.location.path else ""
            typer.echo(shown(f"{kind} - {f.rule_id} - {f.message}{where}"))
        n = len(findings)
        typer.echo(f"{n} result{'s' if n != 1 else ''}, {len(denies)} denied", err=True)
    raise typer.Exit(1 if denies else 0)
