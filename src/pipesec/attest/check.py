"""``pipesec verify``: every requirement the operator named, each failure one line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipesec.attest import oci
from pipesec.attest.errors import VerificationError
from pipesec.attest.keys import PublicKey
from pipesec.core.errors import UsageError


@dataclass(slots=True)
class Request:
    artifact: Path
    keys: list[PublicKey] = field(default_factory=list)
    identity: str = ""
    issuer: str = ""
    trusted_root: Path | None = None
    signature: Path | None = None
    bundle: Path | None = None
    attestations: list[Path] = field(default_factory=list)
    attestation_types: list[str] = field(default_factory=list)
    remote: bool = False  # artifact is registry/repo[:tag|@digest] (network)


def _validate(request: Request) -> None:
    if request.remote:
        if not request.keys or request.signature or request.bundle:
            raise UsageError("--registry verifies the image's cosign signature with --key")
    elif not request.artifact.exists():
        raise UsageError(f"{request.artifact}: no such artifact")
    keyless = bool(request.identity or request.issuer)
    if keyless and not (request.identity and request.issuer):
        raise UsageError("--certificate-identity and --certificate-oidc-issuer go together")
    if keyless and request.keys:
        raise UsageError("use either --key or --certificate-identity/--certificate-oidc-issuer")
    if not keyless and not request.keys:
        raise UsageError("name a trusted --key, or --certificate-identity with its issuer")
    if request.signature and request.bundle:
        raise UsageError("use either --signature or --bundle")
    if keyless and request.signature:
        raise UsageError("keyless verification needs a --bundle (the certificate is in it)")
    for path in [request.signature, request.bundle, *request.attestations]:
        if path is not None and not path.is_file():
            raise UsageError(f"{path}: no such file")


def _signature(request: Request) -> None:
    from pipesec.attest import bundle as bundle_mod
    from pipesec.attest.files import read_document
    from pipesec.attest.verify import verify_blob, verify_image

    artifact = request.artifact
    if request.remote:
        from pipesec.attest.registry import verify_remote

        verify_remote(str(artifact), request.keys)
        return
    if request.bundle is not None:
        document = read_document(request.bundle, "bundle")
        if request.keys:
            if bundle_mod.is_keyless(document):
                raise VerificationError("bundle: has a certificate, not a key (verify keyless)")
            bundle_mod.verify_key_bundle(artifact, document, request.keys)
        else:
            bundle_mod.verify_keyless(
                artifact, document, request.identity, request.issuer, request.trusted_root
            )
        return
    if request.signature is None and oci.is_layout(artifact):
        verify_image(artifact, request.keys)
        return
    path = request.signature or artifact.with_name(artifact.name + ".sig")
    if not path.is_file():
        raise VerificationError(f"signature: no {path.name} beside the artifact")
    verify_blob(artifact, path.read_bytes()[: 1024 * 1024], request.keys)


def _attestations(request: Request) -> list[str]:
    from pipesec.attest.bundle import verify_keyless_attestation
    from pipesec.attest.verify import artifact_digest, load_envelopes, verify_attestation

    paths = request.attestations
    if not paths and request.remote:
        return ["attestation: name the --attestation files of a registry image"]
    if not paths:
        default = request.artifact.with_name(request.artifact.name + ".att.json")
        if not default.is_file():
            return [f"attestation: no {default.name} beside the artifact"]
        paths = [default]
    if request.remote:
        from pipesec.attest.registry import resolve

        digest = {"sha256": resolve(str(request.artifact)).removeprefix("sha256:")}
    else:
        digest = artifact_digest(request.artifact)
    envelopes: list[dict[str, Any]] = []
    failures = []
    for path in paths:
        try:
            envelopes.extend(load_envelopes(path))
        except VerificationError as exc:
            failures.append(str(exc))

    def check(envelope: dict[str, Any], kind: str | None) -> None:
        if request.keys:
            verify_attestation(digest, envelope, request.keys, kind)
        else:
            verify_keyless_attestation(
                digest, envelope, request.identity, request.issuer, request.trusted_root, kind
            )

    if not request.attestation_types:
        # no type named: every attestation given must verify
        for envelope in envelopes:
            try:
                check(envelope, None)
            except VerificationError as exc:
                failures.append(str(exc))
        return failures
    for kind in request.attestation_types:
        errors = []
        for envelope in envelopes:
            try:
                check(envelope, kind)
                break
            except VerificationError as exc:
                errors.append(str(exc))
        else:
            # the most telling reason: a signature or digest problem over a type mismatch
            relevant = [e for e in errors if "predicate type is" not in e]
            failures.append(relevant[0] if relevant else f"attestation: none of type {kind}")
    return failures


def run(request: Request) -> list[str]:
    """The failed requirements of ``request`` (empty: all hold). UsageError for bad usage."""
    _validate(request)
    failures = []
    try:
        _signature(request)
    except VerificationError as exc:
        failures.append(str(exc))
    if request.attestations or request.attestation_types:
        failures.extend(_attestations(request))
    return failures
