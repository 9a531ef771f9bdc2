"""``pipesec sbom``: write the CycloneDX 1.6 SBOM of a tree (no vulnerability database
needed). Registered on the app in cli/main.py."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pipesec.cli.output import shown, write_atomic
from pipesec.core.errors import PipesecError, UsageError

FORMATS = ("cyclonedx-json", "cyclonedx-xml")


def sbom(
    path: Annotated[
        Path | None,
        typer.Argument(help="Directory (or lock file) to inventory (default: . without --image)"),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="cyclonedx-json or cyclonedx-xml")
    ] = "cyclonedx-json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Configuration file")
    ] = None,
    sbom_in: Annotated[
        list[Path] | None,
        typer.Option("--sbom", help="Include the components of another tool's SBOM (repeatable)"),
    ] = None,
    python_env: Annotated[
        list[Path] | None,
        typer.Option("--python-env", help="Include an installed Python environment (repeatable)"),
    ] = None,
    image: Annotated[
        list[str] | None,
        typer.Option("--image", help="Include a container image's packages (repeatable)"),
    ] = None,
    platform: Annotated[
        str | None, typer.Option("--platform", help="With --image: OS/ARCH of a multi-arch image")
    ] = None,
    pull: Annotated[
        bool, typer.Option("--pull", help="With --image: fetch a registry reference (network)")
    ] = False,
) -> None:
    """Write the CycloneDX SBOM of PATH: components with purls, hashes, licences and the
    dependency graph. Exit 3 when a dependency input could not be read (the SBOM is still
    written, without it)."""
    try:
        from pipesec.cli.images import image_inputs

        images = image_inputs(image, platform, pull)
        code = _run(path or Path(), fmt, output, config, sbom_in or [], python_env or [], images)
    except PipesecError as exc:
        typer.echo(f"pipesec: error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    raise typer.Exit(code)


def _run(
    path: Path,
    fmt: str,
    output: Path | None,
    config: Path | None,
    sbom_in: list[Path],
    python_env: list[Path],
    images: dict[str, list[str]] | None = None,
) -> int:
    from pipesec import __version__
    from pipesec.core import config as config_mod
    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.scrub import redact_items
    from pipesec.core.workspace import Workspace
    from pipesec.report.safe import safe_value
    from pipesec.sbom.cyclonedx import build_bom, serialize
    from pipesec.scanners.deps import DepsSettings, inventory

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if not path.exists():
        raise UsageError(f"{path}: path does not exist")
    for p in [*sbom_in, *python_env]:
        if not p.exists():
            raise UsageError(f"{p}: not found")
    loaded = config_mod.load(path if path.is_dir() else path.parent, config)
    cfg = loaded.config
    from pydantic import ValidationError

    try:
        opts = DepsSettings.model_validate(cfg.scanner("deps").options()).model_dump()
    except ValidationError as exc:
        raise UsageError(f"[scanners.deps]: {exc.errors()[0]['msg']}") from None
    settings = ScannerSettings(
        options=opts,
        inputs={
            "sbom": [str(p.resolve()) for p in sbom_in],
            "python_env": [str(p.resolve()) for p in python_env],
        },
    )
    if images:  # --image without a PATH: only the image
        ws = Workspace(path, files=[], mode="image")
    else:
        ws = Workspace(path, excludes=cfg.exclude_globs(), max_file_size=cfg.max_file_size)
    components, errors = inventory(ws, settings)
    project = ""
    if images:
        from pipesec.core.model import ScanError
        from pipesec.scanners.containers import IMAGE_INPUT, IMAGE_NAME_INPUT, PLATFORM_INPUT
        from pipesec.scanners.containers.scanner import inventory as image_inventory

        for local, name in zip(images[IMAGE_INPUT], images[IMAGE_NAME_INPUT], strict=True):
            found, problems = image_inventory(local, name, images[PLATFORM_INPUT][0])
            components += found
            errors += [ScanError("containers", name, p) for p in problems]
            project = project or name
    # names, versions and purls come from the tree: redacted and escaped like every report
    components = redact_items([], [], [], {}, components)[4]
    components = [safe_value(c) for c in components]
    project = project or (path.resolve() if path.is_dir() else path.resolve().parent).name
    bom = build_bom(components, project=project or "project", tool_version=__version__)
    data = serialize(bom, "json" if fmt == "cyclonedx-json" else "xml").encode("utf-8")
    try:
        if output is not None:
            write_atomic(output, lambda fh: fh.write(data))
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
    except OSError as exc:
        raise UsageError(f"{output or 'stdout'}: cannot write the SBOM: {exc.strerror}") from None
    for e in errors:
        typer.echo(f"pipesec: error: {shown(e.describe())}", err=True)
    typer.echo(
        f"pipesec: {len(components)} components" + (f" written to {output}" if output else ""),
        err=True,
    )
    return 3 if errors else 0


def deps_inputs(
    sbom_files: list[Path] | None, python_envs: list[Path] | None, vex_files: list[Path] | None
) -> dict[str, list[str]]:
    """The deps scanner's command-line inputs of ``pipesec scan`` (--sbom, --python-env,
    --vex), checked to exist and made absolute."""
    out: dict[str, list[str]] = {}
    for key, flag, paths in (
        ("sbom", "--sbom", sbom_files),
        ("python_env", "--python-env", python_envs),
        ("vex", "--vex", vex_files),
    ):
        for p in paths or []:
            if not p.exists():
                raise UsageError(f"{flag} {p}: not found")
            out.setdefault(key, []).append(str(p.resolve()))
    if vex_files:  # an operator's VEX that is no VEX is a usage error, not a silent no-op
        from pipesec.sbom import vex

        _, errors = vex.load(vex_files)
        if errors:
            raise UsageError(f"--vex {errors[0]}")
    return out
