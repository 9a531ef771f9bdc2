"""``pipesec deploy-gate`` and ``pipesec admission serve``.

deploy-gate exit codes: 0 deploy, 1 one line per failed requirement, 2 usage or
configuration error.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pipesec.core.errors import PipesecError, UsageError

if TYPE_CHECKING:
    from pipesec.deploy.gate import Decision

admission_app = typer.Typer(
    help="Kubernetes admission webhook: verify every image before it runs.",
    no_args_is_help=True,
)


def _fail(exc: PipesecError) -> typer.Exit:
    from pipesec.cli.output import shown

    typer.echo(f"pipesec: error: {shown(str(exc))}", err=True)
    return typer.Exit(exc.exit_code)


def deploy_gate(
    artifact: Annotated[Path, typer.Argument(help="File or OCI image layout directory to deploy")],
    config: Annotated[Path, typer.Option("--config", "-c", help="Configuration with [deploy]")],
    now: Annotated[
        str | None,
        typer.Option("--now", help="Decide as of this ISO-8601 time (default: the clock)"),
    ] = None,
    attestation: Annotated[
        list[Path] | None,
        typer.Option("--attestation", help="Attestation file (DSSE envelopes; repeatable)"),
    ] = None,
    record: Annotated[
        Path | None, typer.Option("--record", help="Write the signed decision record here")
    ] = None,
    record_key: Annotated[
        Path | None,
        typer.Option(
            "--record-key",
            help="Private key signing the record (password: PIPESEC_KEY_PASSWORD)",
        ),
    ] = None,
) -> None:
    """The decision in front of production: exit 0 to deploy, 1 with one line per failed
    requirement, 2 for usage errors."""
    from pipesec.cli.output import shown

    try:
        decision = _decide(artifact, config, now, attestation or [], record, record_key)
    except PipesecError as exc:
        raise _fail(exc) from None
    if decision.allowed:
        typer.echo(
            f"deploy: {shown(decision.subject)} sha256:{decision.digest.get('sha256', '')}: "
            f"{len(decision.checks)} requirement(s) hold"
        )
        return
    for line in decision.failures:
        typer.echo(shown(line))
    typer.echo(f"pipesec: deploy refused: {len(decision.failures)} requirement(s) failed", err=True)
    raise typer.Exit(1)


def _decide(
    artifact: Path,
    config: Path,
    now_text: str | None,
    attestations: list[Path],
    record: Path | None,
    record_key: Path | None,
) -> Decision:
    from pipesec.deploy import evidence, gate, settings
    from pipesec.deploy.window import parse_now

    if not artifact.exists():
        raise UsageError(f"{artifact}: artifact not found")
    if not config.is_file():
        raise UsageError(f"{config}: configuration file not found")
    for path in attestations:
        if not path.is_file():
            raise UsageError(f"--attestation {path}: file not found")
    if record is not None and record_key is None:
        raise UsageError("--record needs --record-key (the key that signs the decision record)")
    try:
        now = parse_now(now_text) if now_text else dt.datetime.now(dt.UTC)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    key = None
    if record_key is not None:
        from pipesec.attest.keys import load_private_key, password_from_env

        key = load_private_key(record_key, password_from_env())
    loaded = settings.load(config)
    subject = evidence.for_artifact(artifact, attestations)
    decision = gate.evaluate(
        subject,
        loaded.config,
        loaded.keys,
        now,
        policies=loaded.policies,
        trusted_root=loaded.trusted_root,
    )
    if record is not None:
        _write_record(decision, config, record, key)
    return decision


def _write_record(decision: Decision, config: Path, target: Path, key: Any) -> None:
    from pipesec.cli.output import write_atomic
    from pipesec.deploy import record as record_mod

    envelope = record_mod.signed(record_mod.statement(decision, config), key)
    data = (json.dumps(envelope, indent=2) + "\n").encode()
    try:
        write_atomic(target, lambda fh: fh.write(data))
    except OSError as exc:
        raise UsageError(f"--record {target}: cannot write: {exc.strerror or exc}") from None


@admission_app.command("serve")
def admission_serve(
    config: Annotated[Path, typer.Option("--config", "-c", help="Configuration with [deploy]")],
    tls_cert: Annotated[Path, typer.Option("--tls-cert", help="PEM certificate (chain)")],
    tls_key: Annotated[Path, typer.Option("--tls-key", help="PEM private key of the certificate")],
    store: Annotated[
        Path,
        typer.Option(
            "--store",
            help="Directory of OCI image layouts (signatures inside) and their "
            "NAME.att.json attestations",
        ),
    ],
    host: Annotated[str, typer.Option("--host", help="Address to listen on")] = "0.0.0.0",  # noqa: S104
    port: Annotated[int, typer.Option("--port", help="Port to listen on")] = 8443,
    cache_ttl: Annotated[
        float, typer.Option("--cache-ttl", help="Seconds a verdict per digest is reused")
    ] = 300.0,
    max_body: Annotated[
        int, typer.Option("--max-body", help="Largest AdmissionReview accepted (bytes)")
    ] = 3 * 2**20,
) -> None:
    """Serve a ValidatingAdmissionWebhook (AdmissionReview v1 over HTTPS) that refuses
    pods whose images fail the [deploy] requirements. Fail-closed: any error denies."""
    from pipesec.deploy import admission, settings

    try:
        loaded = settings.load(config)
        server = admission.make_server(
            loaded,
            store,
            host=host,
            port=port,
            cert=tls_cert,
            key=tls_key,
            cache_ttl=cache_ttl,
            max_body=max_body,
        )
    except PipesecError as exc:
        raise _fail(exc) from None
    import logging
    import sys

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("pipesec admission: %(levelname)s: %(message)s"))
    logger = logging.getLogger("pipesec")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    typer.echo(f"pipesec admission: listening on https://{host}:{server.server_port}", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
