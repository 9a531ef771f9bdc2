"""``pipesec keys generate``, ``sign``, ``attest`` and ``verify``: the chain of custody.

Thin: options in, library calls (pipesec.attest) out. Exit codes: 0 ok, 1 a failed
requirement (``verify``: one line each), 2 usage (missing files, unreadable keys).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pipesec.core.errors import PipesecError, UsageError

if TYPE_CHECKING:
    from pipesec.attest.keys import PrivateKey

keys_app = typer.Typer(help="Signing key pairs (cosign's format).", no_args_is_help=True)


def _fail(exc: PipesecError) -> typer.Exit:
    from pipesec.cli.output import shown

    typer.echo(f"pipesec: error: {shown(str(exc))}", err=True)
    return typer.Exit(exc.exit_code)


def _write(path: Path, data: bytes, *, private: bool = False) -> None:
    from pipesec.cli.output import write_atomic

    try:
        if private:
            # the key never exists with wider permissions, not even for a moment
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        else:
            write_atomic(path, lambda fh: fh.write(data))
    except OSError as exc:
        raise UsageError(f"{path}: cannot write ({exc.strerror or exc})") from None


@keys_app.command("generate")
def keys_generate(
    key_type: Annotated[
        str, typer.Option("--type", help="ecdsa-p256 (cosign's default) or ed25519")
    ] = "ecdsa-p256",
    out: Annotated[str, typer.Option("--out", help="Write PREFIX.key and PREFIX.pub")] = "pipesec",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing key pair")] = False,
) -> None:
    """Generate a key pair: PREFIX.key (encrypted with PIPESEC_KEY_PASSWORD, or
    COSIGN_PASSWORD; empty allowed) and PREFIX.pub, in the formats cosign reads."""
    from pipesec.attest import keys

    try:
        private, public = Path(out + ".key"), Path(out + ".pub")
        for path in (private, public):
            if path.exists() and not force:
                raise UsageError(f"{path}: exists (use --force to replace it)")
            if force:
                path.unlink(missing_ok=True)
        key = keys.generate(key_type)
        _write(private, keys.encrypt_private_key(key, keys.password_from_env()), private=True)
        _write(public, keys.public_pem(key))
    except PipesecError as exc:
        raise _fail(exc) from None
    typer.echo(f"Private key written to {private}\nPublic key written to {public}")


def _load_key(path: Path) -> PrivateKey:
    from pipesec.attest import keys

    return keys.load_private_key(path, keys.password_from_env())


KeyOpt = Annotated[Path | None, typer.Option("--key", help="Private key (cosign format or PEM)")]


def sign(
    file: Annotated[Path | None, typer.Argument(help="File to sign")] = None,
    key: KeyOpt = None,
    output_signature: Annotated[
        Path | None, typer.Option("--output-signature", help="Signature file (default FILE.sig)")
    ] = None,
    bundle: Annotated[
        Path | None, typer.Option("--bundle", help="Also write a Sigstore bundle here")
    ] = None,
    image: Annotated[
        str | None,
        typer.Option(
            "--image", help="An OCI image layout directory (or with --push a registry image)"
        ),
    ] = None,
    push: Annotated[
        bool,
        typer.Option("--push", help="--image names registry/repo[:tag|@digest]: sign there"),
    ] = False,
    reference: Annotated[
        str, typer.Option("--reference", help="With --image: the docker-reference to sign")
    ] = "",
    keyless: Annotated[
        bool, typer.Option("--keyless", help="Sign with Sigstore (Fulcio, Rekor): network")
    ] = False,
    trust_config: Annotated[
        Path | None,
        typer.Option("--trust-config", help="Keyless: Sigstore client trust config (custom URLs)"),
    ] = None,
) -> None:
    """Sign FILE (base64 signature that `cosign verify-blob --key` accepts, and a Sigstore
    bundle with --bundle), or an OCI image layout with --image (the signature is stored in
    the layout under cosign's sha256-<digest>.sig tag)."""
    try:
        if keyless:
            if file is None or bundle is None or image is not None:
                raise UsageError("--keyless signs FILE into a --bundle")
            from pipesec.attest.keyless import sign_file_keyless

            _write(bundle, sign_file_keyless(file, trust_config).encode())
            typer.echo(f"Sigstore bundle written to {bundle}")
            return
        if key is None:
            raise UsageError("--key is required (or --keyless)")
        if push and image is None:
            raise UsageError("--push signs an --image in its registry")
        if (file is None) == (image is None):
            raise UsageError("sign either FILE or --image LAYOUT")
        private = _load_key(key)
        if image is not None and push:
            from pipesec.attest.registry import sign_remote

            digest, where = sign_remote(image, private)
            typer.echo(f"Signed {digest}: pushed {where}")
            return
        if image is not None:
            from pipesec.attest.oci import sign_layout

            digest, tag = sign_layout(Path(image), private, reference)
            typer.echo(f"Signed {digest}: stored as {tag} in {image}")
            return
        assert file is not None
        _sign_file(file, private, output_signature, bundle)
    except PipesecError as exc:
        raise _fail(exc) from None


def _sign_file(file: Path, private: PrivateKey, output: Path | None, bundle: Path | None) -> None:
    import base64

    from pipesec.attest.sign import sign_file
    from pipesec.attest.verify import file_sha256

    if not file.is_file():
        raise UsageError(f"{file}: no such file")
    raw = sign_file(file, private)
    target = output or file.with_name(file.name + ".sig")
    _write(target, base64.b64encode(raw))
    typer.echo(f"Signature written to {target}")
    if bundle is not None:
        from pipesec.attest.bundle import message_bundle

        document = message_bundle(bytes.fromhex(file_sha256(file)), raw, private)
        _write(bundle, json.dumps(document, indent=2).encode() + b"\n")
        typer.echo(f"Sigstore bundle written to {bundle}")


def _predicate(kind: str, path: Path | None) -> dict[str, Any]:
    from pipesec.attest import statement

    if path is None:
        if kind == statement.SLSA_PROVENANCE:
            return statement.slsa_provenance(os.environ)
        raise UsageError("--predicate FILE is required for this predicate type")
    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except (ValueError, UnicodeDecodeError):
        raise UsageError(f"{path}: the predicate is not JSON") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: the predicate is not a JSON object")
    if kind == statement.PIPESEC_SCAN and "passed" not in data:
        finished = datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return statement.scan_predicate(data, finished)
    return data


def attest(
    subject: Annotated[Path, typer.Argument(help="File or OCI image layout the claim is about")],
    key: KeyOpt = None,
    predicate_type: Annotated[
        str,
        typer.Option(
            "--predicate-type",
            "--type",
            help="URI, or slsaprovenance, cyclonedx, vuln, pipesec-scan",
        ),
    ] = "",
    predicate: Annotated[
        Path | None,
        typer.Option("--predicate", help="Predicate JSON (slsaprovenance: from the CI if omitted)"),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Envelope file (default: SUBJECT.att.json, a line per type)"),
    ] = None,
    bundle: Annotated[
        Path | None, typer.Option("--bundle", help="Also write the envelope as a Sigstore bundle")
    ] = None,
    keyless: Annotated[
        bool, typer.Option("--keyless", help="Sign with Sigstore into --bundle: network")
    ] = False,
    trust_config: Annotated[
        Path | None,
        typer.Option("--trust-config", help="Keyless: Sigstore client trust config (custom URLs)"),
    ] = None,
) -> None:
    """Attest SUBJECT: an in-toto Statement v1 in a DSSE envelope, signed with --key.

    Without --output the envelope joins SUBJECT.att.json (JSON Lines, one envelope per
    predicate type), where `pipesec verify` and `pipesec deploy-gate` look for it."""
    from pipesec.attest import statement
    from pipesec.attest.sign import attest as make_attestation
    from pipesec.attest.sign import merge_attestation
    from pipesec.attest.statement import encode_statement, make_statement
    from pipesec.attest.verify import artifact_digest

    try:
        if key is None and not keyless:
            raise UsageError("--key is required (or --keyless with --bundle)")
        if keyless and (bundle is None or key is not None):
            raise UsageError("--keyless writes a --bundle and takes no --key")
        if not predicate_type:
            raise UsageError("--predicate-type is required")
        kind = statement.resolve_predicate_type(predicate_type)
        if not subject.exists():
            raise UsageError(f"{subject}: no such file")
        digest = artifact_digest(subject)
        body = _predicate(kind, predicate)
        if keyless:
            from pipesec.attest.keyless import attest_keyless

            made = make_statement([(subject.name, digest)], kind, body)
            assert bundle is not None
            _write(bundle, attest_keyless(encode_statement(made), trust_config).encode())
            typer.echo(f"Sigstore bundle ({kind}) written to {bundle}")
            return
        assert key is not None
        private = _load_key(key)
        envelope = make_attestation(subject.name, digest, private, kind, body)
        if output is not None:
            _write(output, json.dumps(envelope, indent=2).encode() + b"\n")
            target = output
        else:
            target = subject.with_name(subject.name + ".att.json")
            existing = target.read_text("utf-8", "replace") if target.is_file() else ""
            _write(target, merge_attestation(existing, envelope).encode())
        typer.echo(f"Attestation ({kind}) written to {target}")
        if bundle is not None:
            from pipesec.attest.bundle import dsse_bundle

            _write(bundle, json.dumps(dsse_bundle(envelope, private), indent=2).encode() + b"\n")
            typer.echo(f"Sigstore bundle written to {bundle}")
    except PipesecError as exc:
        raise _fail(exc) from None


def verify(
    artifact: Annotated[Path, typer.Argument(help="File or OCI image layout to verify")],
    key: Annotated[
        list[Path] | None, typer.Option("--key", help="Trusted public key (repeatable)")
    ] = None,
    identity: Annotated[
        str, typer.Option("--certificate-identity", help="Keyless: the signer's identity")
    ] = "",
    issuer: Annotated[
        str, typer.Option("--certificate-oidc-issuer", help="Keyless: the identity's issuer")
    ] = "",
    trusted_root: Annotated[
        Path | None,
        typer.Option("--trusted-root", help="Keyless: verify offline against this trusted root"),
    ] = None,
    signature: Annotated[
        Path | None, typer.Option("--signature", help="Signature file (default ARTIFACT.sig)")
    ] = None,
    bundle: Annotated[
        Path | None, typer.Option("--bundle", help="Sigstore bundle instead of --signature")
    ] = None,
    attestation: Annotated[
        list[Path] | None,
        typer.Option("--attestation", help="Envelope / bundle / JSON Lines file (repeatable)"),
    ] = None,
    attestation_type: Annotated[
        list[str] | None,
        typer.Option("--attestation-type", help="Required predicate type (repeatable)"),
    ] = None,
    registry: Annotated[
        bool,
        typer.Option("--registry", help="ARTIFACT is registry/repo[:tag|@digest] (network)"),
    ] = False,
) -> None:
    """Verify ARTIFACT: exit 0 when every requirement holds, 1 with one line per failed
    requirement, 2 for usage errors (missing files, unreadable keys)."""
    from pipesec.attest import check, keys
    from pipesec.cli.output import shown

    try:
        if trusted_root is not None and not trusted_root.is_file():
            raise UsageError(f"{trusted_root}: no such file")
        request = check.Request(
            artifact=artifact,
            keys=[keys.load_public_key(p) for p in key or []],
            identity=identity,
            issuer=issuer,
            trusted_root=trusted_root,
            signature=signature,
            bundle=bundle,
            attestations=list(attestation or []),
            attestation_types=list(attestation_type or []),
            remote=registry,
        )
        failures = check.run(request)
    except PipesecError as exc:
        raise _fail(exc) from None
    if failures:
        for failure in failures:
            typer.echo(f"FAILED {shown(failure)}", err=True)
        raise typer.Exit(1)
    typer.echo(f"Verified OK: {artifact}")
