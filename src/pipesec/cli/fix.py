"""``pipesec fix``: apply the safe, local fixes of pipeline rules in place (or show them).
Registered on the app in cli/main.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipesec.core.errors import PipesecError, UsageError


def fix(
    path: Annotated[Path, typer.Argument(help="Repository or pipeline file to fix")] = Path(),
    rule: Annotated[
        list[str] | None,
        typer.Option("--rule", "-r", help="Only fix this rule id (repeatable)"),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print a unified diff instead of writing")
    ] = False,
    resolve_pins: Annotated[
        bool,
        typer.Option(
            "--resolve-pins",
            help="Pin actions to commit SHAs through the GitHub API (needs the network)",
        ),
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Network timeout in seconds for --resolve-pins")
    ] = 10.0,
) -> None:
    """Fix pipeline findings whose fix is local and safe: add `permissions: contents: read`,
    move attacker-controlled expressions into `env:`, `persist-credentials: false`,
    `docker login --password-stdin`; with --resolve-pins, pin `uses:` to commit SHAs.
    Comments, key order and formatting are kept. Exit 0 when nothing is left to fix
    (or with --dry-run when nothing would change), 1 when --dry-run would change files."""
    try:
        code = _run(path, rule or [], dry_run, resolve_pins, timeout)
    except PipesecError as exc:
        typer.echo(f"pipesec: error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    raise typer.Exit(code)


def _run(path: Path, rules: list[str], dry_run: bool, resolve_pins: bool, timeout: float) -> int:
    import difflib

    from pipesec.scanners.pipelines.fix import FIXABLE, PIN_RULE, fix_tree, github_resolver

    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    known = (*FIXABLE, PIN_RULE)
    for r in rules:
        if r not in known:
            raise UsageError(f"--rule {r}: not fixable; fixable rules: {', '.join(known)}")
    selected = set(rules) if rules else None
    if resolve_pins and selected is not None:
        selected.add(PIN_RULE)
    resolver = github_resolver(timeout) if resolve_pins else None
    fixes = fix_tree(path, rules=selected, resolver=resolver)
    root = path if path.is_dir() else path.parent
    changed = 0
    for ff in fixes:
        for rid in ff.skipped:
            typer.echo(f"{ff.path}: {rid}: fix skipped (it would not leave valid YAML)", err=True)
        if not ff.changed:
            continue
        changed += 1
        if dry_run:
            diff = difflib.unified_diff(
                ff.original.splitlines(keepends=True),
                ff.fixed.splitlines(keepends=True),
                fromfile=f"a/{ff.path}",
                tofile=f"b/{ff.path}",
            )
            typer.echo("".join(diff), nl=False)
        else:
            (ff.dest or root / ff.path).write_text(ff.fixed, encoding="utf-8", newline="")
            typer.echo(f"fixed {ff.path}: {', '.join(ff.fixed_rules)}", err=True)
    if not changed:
        typer.echo("nothing to fix", err=True)
    return 1 if dry_run and changed else 0
