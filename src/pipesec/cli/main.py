"""The ``pipesec`` command. Thin: it parses arguments, calls the library and maps errors
to exit codes (0 passed, 1 gate failed, 2 usage/configuration, 3 input error).
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from pipesec import __version__
from pipesec.cli.output import shown as _shown
from pipesec.cli.output import write_atomic
from pipesec.core.errors import PipesecError, UsageError
from pipesec.report import FORMATS

if TYPE_CHECKING:
    from pipesec.core.model import ScanReport, Severity
    from pipesec.core.runner import ScanOptions
    from pipesec.report import ReportWriter

#: the app with this module's commands and groups; the other modules' join it in
#: ``_whole()`` (``app``, the whole app, is this object once they have)
_app = typer.Typer(
    name="pipesec",
    help="Security gate for CI/CD pipelines: may this change ship, and why.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
config_app = typer.Typer(help="Show and validate configuration.", no_args_is_help=True)
rules_app = typer.Typer(help="List and explain rules.", no_args_is_help=True)
report_app = typer.Typer(help="Report formats.", no_args_is_help=True)
_app.add_typer(config_app, name="config")
_app.add_typer(rules_app, name="rules")
_app.add_typer(report_app, name="report")
_whole_registered = False


def _whole() -> typer.Typer:
    """The whole app: the commands and groups of the other CLI modules (attest, db, deploy,
    fix, init, policy, sbom) join ``_app``, imported on first use (a `pipesec scan` or
    `pipesec version` never compiles them). They come before this module's own commands
    and after its groups, as help has always listed them."""
    global _whole_registered
    if not _whole_registered:
        from pipesec.cli.attest import attest, keys_app, sign, verify
        from pipesec.cli.db import db_app
        from pipesec.cli.deploy import admission_app, deploy_gate
        from pipesec.cli.fix import fix
        from pipesec.cli.init import init
        from pipesec.cli.policy import policy_app
        from pipesec.cli.sbom import sbom

        others = typer.Typer()
        others.add_typer(db_app, name="db")
        others.add_typer(policy_app, name="policy")
        others.add_typer(admission_app, name="admission")
        others.command("deploy-gate")(deploy_gate)
        others.command("sbom")(sbom)
        others.command("fix")(fix)
        others.command("init")(init)
        others.add_typer(keys_app, name="keys")
        others.command("sign")(sign)
        others.command("attest")(attest)
        others.command("verify")(verify)
        _app.registered_commands[:0] = others.registered_commands
        _app.registered_groups += others.registered_groups
        _whole_registered = True
    return _app


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # the whole app (tests and embedders use it)
        return _whole()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


log = logging.getLogger("pipesec")
_VERBOSE = False


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"pipesec {__version__}")
        raise typer.Exit(0)


@_app.callback()
def _main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the pipesec version and exit",
            is_eager=True,
            callback=_print_version,
        ),
    ] = False,
) -> None:
    """Security gate for CI/CD pipelines: may this change ship, and why."""


class _SafeFormatter(logging.Formatter):
    """Log lines quote paths and text from the scanned tree: credentials are masked and
    newlines, controls and bidi characters escaped, so a line cannot forge another (or a
    workflow command); tracebacks keep their line breaks, escaped line by line."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return _shown(super().formatMessage(record))

    def formatException(self, ei: Any) -> str:
        return _shown(super().formatException(ei), keep_newlines=True)


def _setup_logging(verbose: bool, quiet: bool) -> None:
    global _VERBOSE
    _VERBOSE = verbose
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_SafeFormatter("pipesec: %(levelname)s: %(message)s"))
    root = logging.getLogger("pipesec")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    # libraries' warnings (deprecations in cryptography, bandit ...) are not the user's
    # business: they go to the log, shown with -v only
    logging.captureWarnings(True)
    pywarnings = logging.getLogger("py.warnings")
    pywarnings.handlers[:] = [handler] if verbose else [logging.NullHandler()]
    pywarnings.propagate = False


def _fail(exc: PipesecError) -> NoReturn:
    if _VERBOSE:
        log.debug("error details", exc_info=exc)
    typer.echo(f"pipesec: error: {_shown(str(exc))}", err=True)
    raise typer.Exit(exc.exit_code)


@_app.command()
def version() -> None:
    """Print the pipesec version."""
    typer.echo(f"pipesec {__version__}")


def _parse_outputs(values: list[str]) -> list[tuple[str, Path]]:
    from pipesec.report import FORMATS

    out = []
    for v in values:
        fmt, sep, file = v.partition("=")
        if not sep or not fmt or not file:
            raise UsageError(
                f"--output {v!r}: write it as FORMAT=FILE, e.g. --output sarif=pipesec.sarif"
            )
        if fmt not in FORMATS:
            raise UsageError(
                f"--output {v!r}: unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}"
            )
        out.append((fmt, Path(file)))
    return out


@_app.command()
def scan(
    path: Annotated[
        Path | None,
        typer.Argument(help="Directory or file to scan (default: . unless --image is given)"),
    ] = None,
    scanner: Annotated[
        list[str] | None,
        typer.Option("--scanner", "-s", help="Scanner to run (repeatable); default: built-ins"),
    ] = None,
    image: Annotated[
        list[str] | None,
        typer.Option(
            "--image",
            help="Container image: OCI layout dir, OCI/docker-save tar, a local Docker/Podman "
            "image, or a registry reference with --pull (repeatable)",
        ),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option("--platform", help="With --image: OS/ARCH of a multi-arch image"),
    ] = None,
    pull: Annotated[
        bool,
        typer.Option("--pull", help="With --image: fetch a registry reference (network)"),
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help=f"Format written to standard output: {', '.join(FORMATS)}"
        ),
    ] = "table",
    output: Annotated[
        list[str] | None,
        typer.Option("--output", "-o", help="FORMAT=FILE in addition to stdout (repeatable)"),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Configuration file")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option("--fail-on", help="Fail at or above: critical, high, medium, low, info"),
    ] = None,
    import_sarif: Annotated[
        list[Path] | None,
        typer.Option("--import-sarif", help="SARIF file of another tool to gate (repeatable)"),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Suppress the findings in this baseline (ours or others')"),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option("--write-baseline", help="Write the current findings as a baseline"),
    ] = None,
    diff_base: Annotated[
        str | None,
        typer.Option(
            "--diff-base", help="Report only findings on lines changed since this git ref"
        ),
    ] = None,
    staged: Annotated[
        bool,
        typer.Option(
            "--staged",
            help="Scan the git index (what will be committed); report only findings on "
            "lines the index adds or changes",
        ),
    ] = False,
    whole_index: Annotated[
        bool,
        typer.Option("--whole-index", help="With --staged: report findings anywhere in the index"),
    ] = False,
    trust_tree_config: Annotated[
        bool,
        typer.Option(
            "--trust-tree-config",
            help="With --diff-base: use the tree's own policy files, not the base's",
        ),
    ] = False,
    no_step_summary: Annotated[
        bool, typer.Option("--no-step-summary", help="Do not append to $GITHUB_STEP_SUMMARY")
    ] = False,
    verify: Annotated[
        bool,
        typer.Option("--verify", help="Ask providers whether found secrets are live (network)"),
    ] = False,
    online: Annotated[
        bool,
        typer.Option(
            "--online",
            help="Pipelines: also ask GitHub's API about `uses:` refs (impostor commits, ref"
            " confusion, stale or mismatched version comments; network, cached for a day)",
        ),
    ] = False,
    verify_endpoint: Annotated[
        list[str] | None,
        typer.Option("--verify-endpoint", help="PROVIDER=URL used by --verify (repeatable)"),
    ] = None,
    history: Annotated[
        bool, typer.Option("--history", help="Secrets: scan the git history (all refs)")
    ] = False,
    since: Annotated[
        str | None, typer.Option("--since", help="With --history: only commits after DATE")
    ] = None,
    rev_range: Annotated[
        str | None, typer.Option("--range", help="With --history: only commits in A..B")
    ] = None,
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Secrets: scan standard input (e.g. a CI log)")
    ] = False,
    gitleaks_config: Annotated[
        Path | None, typer.Option("--gitleaks-config", help="gitleaks TOML rules to load")
    ] = None,
    var_file: Annotated[
        list[Path] | None,
        typer.Option(
            "--var-file",
            help="IaC: Terraform variable values (.tfvars or .tfvars.json) that override the"
            " tree's, as terraform's -var-file (repeatable)",
        ),
    ] = None,
    sbom: Annotated[
        list[Path] | None,
        typer.Option("--sbom", help="Deps: check the components of an SBOM (repeatable)"),
    ] = None,
    python_env: Annotated[
        list[Path] | None,
        typer.Option("--python-env", help="Deps: check an installed Python environment"),
    ] = None,
    vex: Annotated[
        list[Path] | None,
        typer.Option("--vex", help="OpenVEX / CycloneDX VEX: not_affected suppresses"),
    ] = None,
    policy: Annotated[
        list[str] | None,
        typer.Option("--policy", help="Rego policy file, directory or builtin:NAME (repeatable)"),
    ] = None,
    policy_data: Annotated[
        list[str] | None,
        typer.Option("--policy-data", help="JSON/YAML data document for policies (repeatable)"),
    ] = None,
    namespace: Annotated[
        list[str] | None,
        typer.Option("--namespace", help="Policy package to evaluate (default main; repeatable)"),
    ] = None,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress display")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Debug logging and tracebacks")
    ] = False,
) -> None:
    """Scan PATH and decide whether the change may ship.

    Exit codes: 0 gate passed, 1 gate failed, 2 usage or configuration error,
    3 an input could not be processed (the policy fails closed).
    """
    _setup_logging(verbose, quiet)
    from pipesec.core.runner import ScanOptions

    try:
        if whole_index and not staged:
            raise UsageError("--whole-index goes with --staged")
        extra, scanner = _secrets_inputs(
            scanner or [],
            verify,
            verify_endpoint or [],
            history,
            since,
            rev_range,
            stdin,
            gitleaks_config,
            staged,
            quiet,
        )
        if sbom or python_env or vex:
            from pipesec.cli.sbom import deps_inputs

            extra.update(deps_inputs(sbom, python_env, vex))
        for vf in var_file or []:
            if not vf.is_file():
                raise UsageError(f"{vf}: --var-file file not found")
            extra.setdefault("tf-var-file", []).append(str(vf.resolve()))
        if online:
            from pipesec.scanners.pipelines import ONLINE_INPUT

            extra[ONLINE_INPUT] = ["on"]
        if image or platform or pull:
            from pipesec.cli.images import image_inputs

            extra.update(image_inputs(image, platform, pull))
        if image and scanner and "containers" not in scanner:
            scanner = [*scanner, "containers"]  # --image names the containers scanner's input
        options = ScanOptions(
            path=path if path is not None else Path("."),
            image_only=bool(image) and path is None,
            config_file=config,
            scanners=scanner or [],
            network=verify,
            extra_inputs=extra,
            import_sarif=import_sarif or [],
            fail_on=_severity_option(fail_on),
            baseline=baseline,
            write_baseline=write_baseline,
            diff_base=diff_base,
            staged=staged,
            policies=policy or [],
            policy_data=policy_data or [],
            namespaces=namespace or [],
            whole_index=whole_index,
            trust_tree_config=trust_tree_config,
        )
        code = _scan(options, fmt, output or [], no_progress or quiet, no_step_summary)
    except PipesecError as exc:
        _fail(exc)
    raise typer.Exit(code)


def _secrets_inputs(
    scanners: list[str],
    verify: bool,
    endpoints: list[str],
    history: bool,
    since: str | None,
    rev_range: str | None,
    stdin: bool,
    gitleaks_config: Path | None,
    staged: bool,
    quiet: bool,
) -> tuple[dict[str, list[str]], list[str]]:
    """The secrets scanner's command-line inputs (--history, --stdin, --verify ...)."""
    extra: dict[str, list[str]] = {}
    if (since or rev_range) and not history:
        raise UsageError("--since and --range go with --history")
    if endpoints and not verify:
        raise UsageError("--verify-endpoint goes with --verify")
    if history and (stdin or staged):
        raise UsageError("--history cannot be combined with --stdin or --staged")
    if stdin:
        if staged or any(s != "secrets" for s in scanners):
            raise UsageError("--stdin is read by the secrets scanner only: --scanner secrets")
        scanners = ["secrets"]
        extra["stdin"] = ["-"]
        if sys.stdin.isatty() and not quiet:
            typer.echo("pipesec: reading standard input (end it with Ctrl-D)", err=True)
    if since is not None:
        _check_since(since)
    if rev_range is not None:
        from pipesec.scanners.secrets.history import HistoryError, validate_range

        try:
            validate_range(rev_range)
        except HistoryError as exc:
            raise UsageError(str(exc)) from None
    if history:
        extra["history"] = ["1"]
        extra["since"] = [since] if since else []
        extra["range"] = [rev_range] if rev_range else []
    if gitleaks_config is not None:
        if not gitleaks_config.is_file():
            raise UsageError(f"{gitleaks_config}: --gitleaks-config file not found")
        extra["gitleaks-config"] = [str(gitleaks_config.resolve())]
    if verify:
        from pipesec.scanners.secrets.verify import ENDPOINT_INPUT, NOTICE, Endpoints

        try:
            Endpoints.from_inputs(endpoints)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        extra[ENDPOINT_INPUT] = endpoints
        if not quiet:
            typer.echo(NOTICE, err=True)
    return extra, scanners


_RELATIVE_DATE = re.compile(
    r"(?i)(?:(?:\d+|an?|one)\s*(?:second|minute|hour|day|week|month|year)s?[\s,]*)+(?:ago)?"
    r"|yesterday|today|now|last\s+(?:week|month|year)"
)


def _check_since(value: str) -> None:
    """``--since`` takes a date (ISO 8601) or a relative time; git itself would silently read
    anything else as some date, and scan the wrong commits."""
    import datetime as dt

    v = value.strip()
    try:
        dt.datetime.fromisoformat(v)
        return
    except ValueError:
        pass
    if _RELATIVE_DATE.fullmatch(v):
        return
    raise UsageError(
        f"--since {value!r}: give a date (2024-01-31, 2024-01-31T12:00:00) "
        "or a relative time (2 weeks ago, yesterday)"
    )


def _severity_option(value: str | None) -> Severity | None:
    from pipesec.core.model import Severity

    try:
        return Severity.parse(value) if value else None
    except ValueError as exc:
        raise UsageError(f"--fail-on: {exc}") from None


def _scan(options: ScanOptions, fmt: str, outputs: list[str], quiet: bool, no_summary: bool) -> int:
    from pipesec.core.runner import scan as run
    from pipesec.report import get_writer

    stdout_writer = get_writer(fmt)
    writers = [(get_writer(f), p) for f, p in _parse_outputs(outputs)]
    show_progress = not quiet and sys.stderr.isatty()
    report = _with_progress(options) if show_progress else run(options)

    from pipesec.report.safe import display_safe

    shown_report = display_safe(report)  # one escaped copy for every format
    for writer, target in writers:
        _write_file(writer, shown_report, target)
    if not no_summary:
        _append_step_summary(shown_report)
    _write_stdout(stdout_writer, shown_report)
    assert report.gate is not None
    code = report.gate.exit_code
    if options.write_baseline is not None and code == 1:
        # the findings are now the baseline: writing it is the success
        log.info("gate failed on %d findings, all written to the baseline", len(report.findings))
        return 0
    reason = exit_reason(report, machine_stdout=fmt != "table")
    if reason:
        typer.echo(f"pipesec: {_shown(reason)}", err=True)  # it quotes paths from the tree
    return code


def exit_reason(report: ScanReport, machine_stdout: bool) -> str:
    """One line on stderr saying why the exit code is not 0: always for 3 (its cause is
    easy to miss in a long table), for 1 when stdout carries a machine format."""
    gate = report.gate
    if gate is None or gate.exit_code == 0:
        return ""
    if gate.exit_code == 3:
        n = len(report.errors)
        first = report.errors[0] if report.errors else None
        detail = f"; first: [{first.scanner}] {first.describe()}" if first else ""
        noun = "input" if n == 1 else "inputs"
        return (f'exit 3: {n} {noun} could not be processed and [gate] on-error is "fail"{detail}')[
            :500
        ]
    if gate.exit_code == 1 and machine_stdout:
        return f"gate failed: {gate.reasons[0] if gate.reasons else 'see the report'}"[:500]
    return ""


def _write_stdout(writer: ReportWriter, report: ScanReport) -> None:
    """The report on standard output; a write error (a full disk, a closed pipe) is a
    one-line error, never a traceback."""
    try:
        writer.write(report, sys.stdout.buffer)
        sys.stdout.flush()
    except OSError as exc:
        # the interpreter flushes stdout again at exit: point it where it cannot fail
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        reason = exc.strerror or type(exc).__name__
        raise UsageError(
            f"cannot write the {writer.format} report to standard output: {reason}"
        ) from None


def _write_file(writer: ReportWriter, report: ScanReport, target: Path) -> None:
    try:
        write_atomic(target, lambda fh: writer.write(report, fh))
    except OSError as exc:
        raise UsageError(f"{target}: cannot write {writer.format} report: {exc.strerror}") from None
    log.info("wrote %s report to %s", writer.format, target)


def _append_step_summary(report: ScanReport) -> None:
    """On GitHub Actions, append the Markdown report to the job's step summary."""
    import os

    from pipesec.report import FORMATS, get_writer

    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary or "markdown" not in FORMATS:
        return
    try:
        with Path(summary).open("ab") as fh:
            get_writer("markdown").write(report, fh)
    except OSError as exc:
        log.warning("cannot append to $GITHUB_STEP_SUMMARY (%s): %s", summary, exc.strerror)


def _with_progress(options: ScanOptions) -> ScanReport:
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from pipesec.core.runner import scan as run

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True) as progress:
        task = progress.add_task("scanning ...", total=None)

        def tick(name: str, done: int, total: int) -> None:
            progress.update(task, description=f"scanning: {name} done ({done}/{total})")

        options.progress = tick
        return run(options)


@config_app.command("show")
def config_show(
    path: Annotated[Path, typer.Argument(help="Scan root whose configuration to show")] = Path(),
    config: Annotated[Path | None, typer.Option("--config", "-c")] = None,
) -> None:
    """Print the effective, validated configuration as JSON."""
    from pipesec.core import config as cfg_mod

    try:
        loaded = cfg_mod.load(path, config)
    except PipesecError as exc:
        _fail(exc)
    for w in loaded.warnings:
        typer.echo(f"pipesec: warning: {_shown(w)}", err=True)
    source = str(loaded.source) if loaded.source else "(defaults: no configuration file found)"
    typer.echo(f"# source: {_shown(source)}", err=True)
    cfg = loaded.config
    if cfg.fingerprint_key:  # the HMAC key of secret fingerprints is itself a secret
        from dataclasses import replace

        from pipesec.core.redact import preview

        cfg = replace(cfg, fingerprint_key=preview(cfg.fingerprint_key))
    typer.echo(json.dumps(cfg_mod.dump(cfg), indent=2, ensure_ascii=False))


@config_app.command("schema")
def config_schema() -> None:
    """Print the JSON Schema of the configuration."""
    from pipesec.core.config import schema

    typer.echo(json.dumps(schema(), indent=2))


@report_app.command("schema")
def report_schema() -> None:
    """Print the JSON Schema of the JSON report."""
    from pipesec.report.json_report import schema

    typer.echo(json.dumps(schema(), indent=2))


@report_app.command("formats")
def report_formats() -> None:
    """List the report formats."""
    from pipesec.report import FORMATS

    for name in FORMATS:
        typer.echo(name)


@rules_app.command("list")
def rules_list(
    family: Annotated[
        str | None, typer.Option("--family", help="Only rules of this family, e.g. secrets")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False,
) -> None:
    """List every rule of the installed scanners."""
    from pipesec.core.engine import all_rules

    rules = [r for r in all_rules() if family is None or r.family == family]
    if as_json:
        typer.echo(
            json.dumps(
                [{"id": r.id, "severity": r.severity.value, "title": r.title} for r in rules],
                indent=2,
            )
        )
        return
    width = max((len(r.id) for r in rules), default=10)
    for r in rules:
        typer.echo(f"{r.id:<{width}}  {r.severity.value:<8}  {r.title}")
    typer.echo(f"{len(rules)} rules", err=True)


def render_markdown(text: str, width: int | None = None) -> str:
    """``text`` (Markdown) rendered for a terminal: emphasis, lists and code blocks drawn
    with the terminal's colours and ``width`` (default: the terminal's)."""
    from rich.console import Console
    from rich.markdown import Markdown

    console = Console(width=width, force_terminal=True, highlight=False)
    with console.capture() as cap:
        console.print(Markdown(text))
    return cap.get().rstrip("\n")


@rules_app.command("explain")
def rules_explain(
    rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. gha/template-injection")],
) -> None:
    """Explain one rule: why it matters, how to fix it, and examples."""
    from pipesec.core.engine import all_rules
    from pipesec.report.common import help_markdown

    for r in all_rules():
        if r.id == rule_id:
            from dataclasses import replace

            from pipesec.docs_gen import safe_examples_for

            vulnerable, fixed = safe_examples_for([r])[r.id]  # credentials shown redacted
            text = help_markdown(replace(r, vulnerable_example=vulnerable, fixed_example=fixed))
            typer.echo(f"{r.id}  [{r.severity.value}]")
            # Markdown rendered for a terminal; kept as Markdown for a pipe or a file
            typer.echo(render_markdown(text) if sys.stdout.isatty() else text)
            return
    _fail(UsageError(f"unknown rule {rule_id!r}; 'pipesec rules list' shows the rules"))


@rules_app.command("docs")
def rules_docs(
    out: Annotated[Path, typer.Option("--out", help="Directory of the rule reference")] = Path(
        "docs/rules"
    ),
    check: Annotated[
        bool, typer.Option("--check", help="Only report stale pages (exit 1 when any)")
    ] = False,
) -> None:
    """Generate the rule reference (docs/rules/) from rule metadata."""
    from pipesec import docs_gen

    if check:
        stale = docs_gen.check(out)
        for name in stale:
            typer.echo(f"stale: {out / name}")
        if stale:
            typer.echo("run 'pipesec rules docs' to regenerate", err=True)
            raise typer.Exit(1)
        return
    for p in docs_gen.write(out):
        typer.echo(f"updated {p}")


def _app_for(args: list[str]) -> typer.Typer:
    """The app to run for ``args``: when they start with a command (not a group), a copy of
    the app that holds that command alone (Typer builds the Click command of every
    registered command and group before it parses, evaluating each one's annotations: a
    third of `pipesec scan`'s start-up); else the whole app (help, --version, a group, a
    misspelt command). This module's own commands need no other CLI module imported."""
    if not args or args[0].startswith("-"):
        return _whole()
    for loaded in (False, True):
        if loaded:
            _whole()
        for info in _app.registered_commands:
            if info.callback is None:
                continue
            if (info.name or typer.main.get_command_name(info.callback.__name__)) == args[0]:
                lean = copy.copy(_app)
                lean.registered_commands = [info]
                lean.registered_groups = []
                return lean
    return _app


def main() -> None:
    try:
        _app_for(sys.argv[1:])()
    except KeyboardInterrupt:
        typer.echo("pipesec: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
