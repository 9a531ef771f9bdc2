"""``pipesec init``: write a complete hardened pipeline (GitHub Actions, GitLab CI) or a
pre-commit configuration into a directory. Registered on the app in cli/main.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipesec.core.errors import PipesecError, UsageError


def init(
    provider: Annotated[str, typer.Argument(help="github, gitlab or pre-commit")],
    deploy: Annotated[
        str | None,
        typer.Option(
            "--deploy",
            help="Also write the deployment pipeline for this target (kubernetes)",
            show_default=False,
        ),
    ] = None,
    directory: Annotated[Path, typer.Option("--dir", help="Repository root to write into")] = Path(
        "."
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files")] = False,
) -> None:
    """Write a hardened pipeline into DIR: every security gate (secrets, SAST, SCA and IaC
    scans in diff mode on pull requests and full scans on the default branch, container
    image scan, SBOM, signing and attestation, verification before deploy, manual approval
    for production, OIDC cloud credentials), actions and images pinned, least-privilege
    tokens. An existing file is a usage error unless --force is given (exit 2)."""
    try:
        written = write(provider, deploy, directory, force=force)
    except PipesecError as exc:
        typer.echo(f"pipesec: error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    for path in written:
        typer.echo(f"wrote {path}")


def write(provider: str, deploy: str | None, directory: Path, *, force: bool) -> list[Path]:
    from pipesec.templates import DEPLOY_TARGETS, PROVIDERS, render, templates_for

    if provider not in PROVIDERS:
        raise UsageError(
            f"init: unknown provider {provider!r}; choose one of: {', '.join(PROVIDERS)}"
        )
    if deploy is not None and deploy not in DEPLOY_TARGETS:
        raise UsageError(
            f"init: unknown --deploy target {deploy!r}; choose one of: {', '.join(DEPLOY_TARGETS)}"
        )
    try:
        templates = templates_for(provider, deploy)
    except KeyError:
        raise UsageError(f"init {provider}: --deploy is not available for this provider") from None
    if not directory.is_dir():
        raise UsageError(f"init: {directory} is not a directory")
    targets = [(t, directory / t.target) for t in templates]
    existing = [p for _, p in targets if p.exists() or p.is_symlink()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise UsageError(f"init: {names} already exists; pass --force to overwrite")
    written = []
    for template, path in targets:
        if path.is_symlink():  # never write through a link into another place
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".pipesec-tmp")
        tmp.write_text(render(provider, template), encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written
