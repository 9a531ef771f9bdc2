"""``pipesec db``: the local OSV vulnerability database (import, sync, status)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from pipesec.core.errors import PipesecError, UsageError

db_app = typer.Typer(
    help="The local OSV vulnerability database the deps scanner matches against.",
    no_args_is_help=True,
)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Database file (default: $PIPESEC_DB, else osv.sqlite in the user cache dir)",
        show_default=False,
    ),
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging")]


def _setup(verbose: bool) -> None:
    from pipesec.cli.main import _setup_logging

    _setup_logging(verbose, False)


def _fail(exc: PipesecError) -> NoReturn:
    from pipesec.cli.main import _fail as fail

    fail(exc)


def _path(db: Path | None) -> Path:
    from pipesec.vulndb import default_db_path

    return db if db is not None else default_db_path()


@db_app.command("import")
def db_import(
    paths: Annotated[
        list[Path],
        typer.Argument(help="OSV data: an all.zip export, a folder of records, or record files"),
    ],
    db: DbOption = None,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Skip records that do not parse instead of failing"),
    ] = False,
    verbose: VerboseOption = False,
) -> None:
    """Import OSV records (offline). Records are added or replaced by id; the database is
    swapped in only when the whole import succeeded."""
    _setup(verbose)
    from pipesec.vulndb.store import import_records

    target = _path(db)
    try:
        result = import_records(target, paths, skip_invalid=skip_invalid)
    except PipesecError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(PipesecError(f"{target}: cannot write the database: {exc}"))
    per = ", ".join(f"{e} {n}" for e, n in sorted(result.by_ecosystem.items())) or "none"
    typer.echo(
        f"imported {result.records} records ({per}; {result.withdrawn} withdrawn, "
        f"ignored when matching) into {target} in {result.seconds:.1f} s"
    )
    if result.git_only:
        typer.echo(
            f"note: {result.git_only} affected entries have only GIT (commit) ranges; "
            "they cannot be matched against package versions and are skipped"
        )
    if result.unparseable:
        typer.echo(
            f"note: {result.unparseable} ranges hold versions the ecosystem's order does not "
            "accept; those ranges are skipped when matching"
        )
    for problem in result.invalid[:20]:
        typer.echo(f"skipped invalid record: {problem}", err=True)
    if len(result.invalid) > 20:
        typer.echo(f"... and {len(result.invalid) - 20} more invalid records", err=True)


@db_app.command("sync")
def db_sync(
    ecosystem: Annotated[
        list[str] | None,
        typer.Option(
            "--ecosystem",
            "-e",
            help="Ecosystem to download (repeatable; default: those already in the database, "
            "else PyPI, npm, Go, crates.io, RubyGems, Packagist, Maven, NuGet, Pub)",
        ),
    ] = None,
    db: DbOption = None,
    url: Annotated[
        str | None,
        typer.Option(
            "--url", help="Base URL of the exports (default: osv.dev's; $PIPESEC_OSV_URL)"
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Network timeout in seconds per request")
    ] = 60.0,
    eol: Annotated[
        bool | None,
        typer.Option(
            "--eol/--no-eol",
            help="Also refresh the base OS end-of-life table (default: when a distribution "
            "ecosystem such as Debian:12 or Alpine:v3.19 is synced; $PIPESEC_EOL_URL)",
        ),
    ] = None,
    auto: Annotated[
        bool,
        typer.Option(
            "--auto",
            help="Download only the ecosystems whose lock files or manifests are in PATH",
        ),
    ] = False,
    path: Annotated[
        Path, typer.Argument(help="Tree whose ecosystems --auto syncs", show_default=True)
    ] = Path("."),
    verbose: VerboseOption = False,
) -> None:
    """Download the official per-ecosystem OSV exports (uses the NETWORK). Each download
    is resumable, verified (complete zip, every record parses) and swapped in atomically:
    a failed sync leaves the database as it was. Incremental: an export that has not
    changed since the last sync is not downloaded again."""
    _setup(verbose)
    from pipesec.vulndb import VulnDB
    from pipesec.vulndb.ecosystems import SYNC_DEFAULT
    from pipesec.vulndb.errors import DatabaseError
    from pipesec.vulndb.sync import export_url, sync

    target = _path(db)
    ecos = list(ecosystem or [])
    if auto:
        if ecos:
            _fail(UsageError("db sync: give either --auto or --ecosystem, not both"))
        try:
            ecos = _tree_ecosystems(path)
        except PipesecError as exc:
            _fail(exc)
        if not ecos:
            typer.echo(f"{path}: no dependency manifests or lock files; nothing to sync")
            return
    elif path != Path("."):
        _fail(UsageError(f"db sync {path}: a PATH is read only with --auto"))
    if not ecos:
        try:
            with VulnDB.open(target) as existing:
                ecos = existing.ecosystems()
        except DatabaseError:
            ecos = []
        ecos = ecos or list(SYNC_DEFAULT)
    typer.echo(f"network: downloading OSV exports for {', '.join(ecos)}", err=True)
    show = sys.stderr.isatty()

    def progress(label: str, got: int, total: int | None) -> None:
        if show:
            of = f" of {total / 1e6:.1f}" if total else ""
            typer.echo(f"\r{label}: {got / 1e6:.1f}{of} MB", nl=False, err=True)

    try:
        results = sync(target, ecos, base_url=url, timeout=timeout, progress=progress)
    except PipesecError as exc:
        if show:
            typer.echo("", err=True)
        _fail(exc)
    except OSError as exc:
        _fail(PipesecError(f"{target}: cannot write the database or its downloads: {exc}"))
    if show:
        typer.echo("", err=True)
    for r in results:
        if r.imported is None:
            typer.echo(f"{r.ecosystem}: up to date (the export has not changed since the last)")
            continue
        resumed = f", resumed at {r.resumed_from} bytes" if r.resumed_from else ""
        typer.echo(
            f"{r.ecosystem}: {r.imported.records} records from {export_url(r.ecosystem, url)} "
            f"({r.bytes / 1e6:.1f} MB{resumed}) into {target}"
        )
    if eol is None:
        from pipesec.vulndb.ecosystems import DISTRO_FAMILIES, canonical_ecosystem

        eol = any(canonical_ecosystem(e).split(":", 1)[0] in DISTRO_FAMILIES for e in ecos)
    if eol:
        _refresh_eol(target, timeout)


def _refresh_eol(target: Path, timeout: float) -> None:
    """Refresh the base OS end-of-life table beside the database; a failure is a note
    (the previous table, or the one shipped with pipesec, stays in use)."""
    import datetime as dt

    from pipesec.scanners.containers.os.eol import refresh_table

    try:
        written = refresh_table(target, timeout=timeout, today=dt.datetime.now(dt.UTC).date())
    except (OSError, ValueError) as exc:
        typer.echo(
            f"note: base OS end-of-life table not refreshed ({str(exc)[:200]}); the previous "
            "one stays in use",
            err=True,
        )
        return
    typer.echo(f"base OS end-of-life table refreshed into {written}")


def _tree_ecosystems(path: Path) -> list[str]:
    """The OSV ecosystems of the dependencies declared in the tree at ``path`` (read by the
    deps scanner's parsers, offline)."""
    from pipesec.core import config as config_mod
    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.workspace import Workspace
    from pipesec.scanners.deps import inventory
    from pipesec.scanners.deps.ecosystems import WITHOUT_OSV

    if not path.exists():
        raise UsageError(f"{path}: path does not exist")
    root = path if path.is_dir() else path.parent
    cfg = config_mod.load(root, None).config
    ws = Workspace(path, excludes=cfg.exclude_globs(), max_file_size=cfg.max_file_size)
    components, _errors = inventory(ws, ScannerSettings())
    return sorted({c.ecosystem for c in components if c.ecosystem not in WITHOUT_OSV | {""}})


def _age(days: float) -> str:
    return f"{days:.1f} days" if days >= 1 else f"{days * 24:.1f} hours"


@db_app.command("status")
def db_status(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
    verbose: VerboseOption = False,
) -> None:
    """Show the database: advisories per ecosystem and how old the data is."""
    _setup(verbose)
    import datetime as dt

    from pipesec.vulndb import VulnDB

    target = _path(db)
    try:
        with VulnDB.open(target) as vdb:
            st = vdb.status()
            age = vdb.data_age_days()
    except PipesecError as exc:
        _fail(exc)

    def iso(ts: float | None) -> str | None:
        if ts is None:
            return None
        return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    if as_json:
        doc = {
            "path": str(st.path),
            "size": st.size,
            "advisories": st.advisories,
            "data_age_days": age,
            "ecosystems": [
                {
                    "ecosystem": e.ecosystem,
                    "advisories": e.advisories,
                    "packages": e.packages,
                    "withdrawn": e.withdrawn,
                    "newest_modified": iso(e.newest_modified),
                    "imported_at": iso(e.imported_at),
                    "age_days": e.age_days(),
                    "age_from": e.age_source,
                    "git_only_entries": e.git_only,
                    "unparseable_ranges": e.unparseable,
                    "source": e.source,
                }
                for e in st.ecosystems
            ],
        }
        typer.echo(json.dumps(doc, indent=2))
        return
    typer.echo(f"{st.path}: {st.advisories} advisories, {st.size / 1e6:.1f} MB")
    header = (
        f"{'ecosystem':<16}{'advisories':>11}{'packages':>10}{'withdrawn':>10}  {'as of':<22}age"
    )
    typer.echo(header)
    for e in st.ecosystems:
        src = "modified" if e.newest_modified is not None else "imported"
        as_of = f"{(iso(e.as_of) or '')[:10]} ({src})"
        typer.echo(
            f"{e.ecosystem:<16}{e.advisories:>11}{e.packages:>10}{e.withdrawn:>10}  "
            f"{as_of:<22}{_age(e.age_days())}"
        )
    if age is not None:
        typer.echo(
            f"data age: {_age(age)} (the oldest ecosystem's; from the newest 'modified' of its "
            "records, or the import time where the source leaves 'modified' empty)"
        )
    else:
        typer.echo("the database is empty: import or sync some data")
