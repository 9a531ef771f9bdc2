"""Verification the deploy gate, the admission webhook and ``pipesec verify`` share.

Every function raises VerificationError whose message is one line naming the failed
requirement; malformed input is a failed requirement, never a crash.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from pipesec.attest import oci
from pipesec.attest.dsse import IN_TOTO_PAYLOAD_TYPE, verify_envelope
from pipesec.attest.errors import VerificationError
from pipesec.attest.keys import PublicKey
from pipesec.attest.statement import parse_statement, resolve_predicate_type
from pipesec.core.errors import UsageError

_CHUNK = 1024 * 1024
_MAX_SIGNATURE = 64 * 1024


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return digest.hexdigest()


def artifact_digest(path: Path) -> dict[str, str]:
    """{"sha256": hex} of a file; for an OCI image layout directory, of its image manifest."""
    if oci.is_layout(path):
        return {"sha256": oci.image_digest(path).removeprefix("sha256:")}
    if path.is_dir():
        raise UsageError(f"{path}: a directory that is not an OCI image layout")
    return {"sha256": file_sha256(path)}


def decode_signature(signature: bytes) -> bytes:
    """The raw signature from the base64 text of a ``.sig`` file (cosign's format)."""
    if len(signature) > _MAX_SIGNATURE:
        raise VerificationError("signature: larger than any signature")
    try:
        return base64.b64decode(b"".join(signature.split()), validate=True)
    except (binascii.Error, ValueError):
        raise VerificationError("signature: not base64 (cosign's .sig format)") from None


def _verify_file(key: PublicKey, raw: bytes, path: Path, sha256: bytes) -> bool:
    try:
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(raw, path.read_bytes())
        else:
            key.verify(raw, sha256, ec.ECDSA(Prehashed(hashes.SHA256())))
    except (InvalidSignature, ValueError):
        return False
    return True


def verify_blob(artifact: Path, signature: bytes, keys: Sequence[PublicKey]) -> None:
    """``signature`` (base64, as ``pipesec sign`` and ``cosign sign-blob`` write it) is a
    signature of the file ``artifact`` by one of ``keys``."""
    if oci.is_layout(artifact):
        raise UsageError(f"{artifact}: an OCI image layout: use verify_image")
    if not keys:
        raise VerificationError("signature: no trusted key to verify it with")
    raw = decode_signature(signature)
    sha256 = bytes.fromhex(file_sha256(artifact))
    if not any(_verify_file(key, raw, artifact, sha256) for key in keys):
        raise VerificationError(f"signature: does not verify {artifact.name} with a trusted key")


def verify_image(layout: Path, keys: Sequence[PublicKey]) -> str:
    """The image digest when the layout holds a cosign signature of it by one of ``keys``."""
    if not keys:
        raise VerificationError("signature: no trusted key to verify it with")
    return oci.verify_layout(layout, tuple(keys))


def dsse_from(document: Any) -> dict[str, Any]:
    """The DSSE envelope of a DSSE JSON document or of a Sigstore bundle holding one."""
    if isinstance(document, dict) and isinstance(document.get("dsseEnvelope"), dict):
        return dict(document["dsseEnvelope"])
    if isinstance(document, dict):
        return document
    raise VerificationError("attestation: not a DSSE envelope or Sigstore bundle")


def subject_matches(statement: dict[str, Any], digest: dict[str, str]) -> bool:
    for subject in statement.get("subject", []):
        for algorithm, value in subject.get("digest", {}).items():
            expected = digest.get(algorithm)
            if (
                expected
                and isinstance(value, str)
                and hmac.compare_digest(value.lower().encode(), expected.lower().encode())
            ):
                return True
    return False


def verify_attestation(
    artifact_digest: dict[str, str],
    envelope: dict[str, Any],
    keys: Sequence[PublicKey],
    predicate_type: str | None,
) -> dict[str, Any]:
    """The in-toto Statement of ``envelope`` (a DSSE envelope or a Sigstore bundle holding
    one) when it is signed by one of ``keys``, has the predicate type ``predicate_type``
    (URI or short name; None: any) and names ``artifact_digest``."""
    kind, payload = verify_envelope(dsse_from(envelope), keys)
    return check_statement(kind, payload, artifact_digest, predicate_type)


def check_statement(
    payload_type: str, payload: bytes, digest: dict[str, str], predicate_type: str | None
) -> dict[str, Any]:
    """The Statement of a verified DSSE payload, when it is in-toto, of ``predicate_type``
    (None: any) and about ``digest``."""
    wanted = resolve_predicate_type(predicate_type) if predicate_type else None
    if payload_type != IN_TOTO_PAYLOAD_TYPE:
        raise VerificationError(f"attestation: payloadType {payload_type[:80]!r} is not in-toto")
    statement = parse_statement(payload)
    if wanted is not None and statement["predicateType"] != wanted:
        found = str(statement["predicateType"])[:120]
        raise VerificationError(f"attestation: predicate type is {found}, not {wanted}")
    if not subject_matches(statement, digest):
        shown = ", ".join(f"{k}:{v}" for k, v in sorted(digest.items()))
        raise VerificationError(f"attestation: no subject has the artifact's digest {shown}")
    return statement


def load_envelopes(path: Path) -> list[dict[str, Any]]:
    """The attestations of a file: one JSON document (DSSE envelope or Sigstore bundle), or
    JSON Lines of them (in-toto's bundle format, what ``pipesec attest`` keeps beside an
    artifact: one line per predicate type). VerificationError when malformed."""
    import json

    from pipesec.attest.files import read_document

    try:
        document = read_document(path, "attestation")
    except VerificationError:
        document = None
    if isinstance(document, dict):
        return [document]
    if document is not None:
        raise VerificationError(f"attestation: {path.name} is not a JSON object")
    envelopes: list[dict[str, Any]] = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle.read(8 * 1024 * 1024).splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except (ValueError, UnicodeDecodeError):
                item = None
            if not isinstance(item, dict):
                raise VerificationError(f"attestation: {path.name} line {number} is not JSON")
            envelopes.append(item)
    if not envelopes:
        raise VerificationError(f"attestation: {path.name} holds no envelope")
    return envelopes
