"""Sigstore bundles (v0.3, https://github.com/sigstore/protobuf-specs), through the
``sigstore-models`` types for key-based bundles and the ``sigstore`` library for keyless ones.

A key-based bundle carries the public key's id as ``verificationMaterial.publicKey.hint``
and no transparency-log entry (cosign verifies such a bundle with ``--key`` and
``--insecure-ignore-tlog``). A keyless bundle carries the Fulcio certificate and the Rekor
entry; it is verified against a trusted root and an identity policy.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from pipesec.attest import keys as keys_mod
from pipesec.attest.errors import VerificationError
from pipesec.attest.keys import PrivateKey, PublicKey

MEDIA_TYPE: Final = "application/vnd.dev.sigstore.bundle.v0.3+json"


def _material(key: PrivateKey) -> Any:
    from sigstore_models.bundle.v1 import VerificationMaterial
    from sigstore_models.common.v1 import PublicKeyIdentifier

    return VerificationMaterial(
        public_key=PublicKeyIdentifier(hint=keys_mod.keyid(key)), tlog_entries=[]
    )


def message_bundle(sha256: bytes, signature: bytes, key: PrivateKey) -> dict[str, Any]:
    """A bundle for a blob signature: SHA-256 of the blob and the raw signature."""
    from sigstore_models.bundle.v1 import Bundle
    from sigstore_models.common.v1 import HashAlgorithm, HashOutput, MessageSignature

    bundle = Bundle(
        media_type=MEDIA_TYPE,
        verification_material=_material(key),
        message_signature=MessageSignature(
            message_digest=HashOutput(
                algorithm=HashAlgorithm.SHA2_256, digest=base64.b64encode(sha256)
            ),
            signature=base64.b64encode(signature),
        ),
    )
    return dict(bundle.to_dict())


def dsse_bundle(envelope: dict[str, Any], key: PrivateKey) -> dict[str, Any]:
    """A bundle holding a DSSE envelope made by ``dsse.sign_envelope``."""
    from sigstore_models.bundle.v1 import Bundle
    from sigstore_models.intoto import Envelope

    bundle = Bundle(
        media_type=MEDIA_TYPE,
        verification_material=_material(key),
        dsse_envelope=Envelope.from_dict(envelope),
    )
    return dict(bundle.to_dict())


def _parse(document: Any) -> Any:
    from pydantic import ValidationError
    from sigstore_models.bundle.v1 import Bundle

    if not isinstance(document, dict):
        raise VerificationError("bundle: not a JSON object")
    try:
        return Bundle.from_json(json.dumps(document))
    except (ValidationError, ValueError) as exc:
        first = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        raise VerificationError(f"bundle: not a valid Sigstore bundle ({first[:120]})") from None


def is_keyless(document: Any) -> bool:
    material = document.get("verificationMaterial") if isinstance(document, dict) else None
    return isinstance(material, dict) and "publicKey" not in material


def verify_key_bundle(artifact: Path, document: Any, keys: Sequence[PublicKey]) -> None:
    """A key-based bundle of ``artifact`` signed by one of ``keys`` (message signature)."""
    from pipesec.attest.verify import file_sha256, verify_blob

    bundle = _parse(document)
    if bundle.message_signature is None:
        raise VerificationError("bundle: holds a DSSE envelope, not a signature of the artifact")
    digest = bundle.message_signature.message_digest
    actual = bytes.fromhex(file_sha256(artifact))
    if digest is not None and digest.digest != actual:
        raise VerificationError(f"bundle: message digest is not the digest of {artifact.name}")
    verify_blob(artifact, base64.b64encode(bundle.message_signature.signature), keys)


def _sigstore_verify(
    document: Any, identity: str, issuer: str, trusted_root: Path | None, artifact: bytes | None
) -> tuple[str, bytes]:
    """Verify a keyless bundle with the sigstore library: its certificate chains to the
    trusted root (the public-good one, fetched, when ``trusted_root`` is None), it is in the
    transparency log, and it was issued to ``identity`` by ``issuer``. For a message
    signature over ``artifact`` returns ("", b""); for a DSSE envelope its
    (payloadType, payload)."""
    from sigstore.errors import Error as SigstoreError
    from sigstore.models import Bundle, TrustedRoot
    from sigstore.verify import Verifier
    from sigstore.verify.policy import Identity

    _parse(document)
    try:
        bundle = Bundle.from_json(json.dumps(document))
        if trusted_root is None:
            verifier = Verifier.production()
        else:
            verifier = Verifier(trusted_root=TrustedRoot.from_file(str(trusted_root)))
        policy = Identity(identity=identity, issuer=issuer)
        if artifact is not None:
            verifier.verify_artifact(artifact, bundle, policy)
            return "", b""
        return verifier.verify_dsse(bundle, policy)
    except (SigstoreError, ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        # the library trusts parts of a bundle's shape (a log entry body of another kind
        # raises AttributeError): a malformed bundle is a failed verification
        raise VerificationError(f"bundle: {_one_line(str(exc))}") from None


def verify_keyless(
    artifact: Path, document: Any, identity: str, issuer: str, trusted_root: Path | None
) -> None:
    """A keyless bundle of ``artifact``: a message signature of it, or a DSSE envelope
    whose statement names its digest."""
    from pipesec.attest.verify import artifact_digest, check_statement

    if isinstance(document, dict) and document.get("dsseEnvelope") is not None:
        kind, payload = _sigstore_verify(document, identity, issuer, trusted_root, None)
        check_statement(kind, payload, artifact_digest(artifact), None)
        return
    _sigstore_verify(document, identity, issuer, trusted_root, artifact.read_bytes())


def verify_keyless_attestation(
    digest: dict[str, str],
    document: Any,
    identity: str,
    issuer: str,
    trusted_root: Path | None,
    predicate_type: str | None,
) -> dict[str, Any]:
    """The Statement of a keyless attestation bundle (DSSE) for ``digest``."""
    from pipesec.attest.verify import check_statement

    if not isinstance(document, dict) or document.get("dsseEnvelope") is None:
        raise VerificationError("attestation: a keyless attestation must be a Sigstore bundle")
    kind, payload = _sigstore_verify(document, identity, issuer, trusted_root, None)
    return check_statement(kind, payload, digest, predicate_type)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200] or "verification failed"
