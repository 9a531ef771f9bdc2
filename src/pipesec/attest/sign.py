"""Making signatures and attestations (the verifying side is ``verify``)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from pipesec.attest import keys as keys_mod
from pipesec.attest.dsse import IN_TOTO_PAYLOAD_TYPE, sign_envelope
from pipesec.attest.keys import PrivateKey
from pipesec.attest.statement import encode_statement, make_statement


def sign_file(path: Path, key: PrivateKey) -> bytes:
    """The raw signature of the file's bytes, as ``cosign sign-blob`` makes it."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

    from pipesec.attest.verify import file_sha256

    if isinstance(key, ec.EllipticCurvePrivateKey):
        digest = bytes.fromhex(file_sha256(path))
        return key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))
    return keys_mod.sign(key, path.read_bytes())


def attest(
    subject_name: str,
    digest: dict[str, str],
    key: PrivateKey,
    predicate_type: str,
    predicate: dict[str, Any],
) -> dict[str, Any]:
    """A DSSE envelope of an in-toto Statement v1 about one subject."""
    statement = make_statement([(subject_name, digest)], predicate_type, predicate)
    return sign_envelope(encode_statement(statement), IN_TOTO_PAYLOAD_TYPE, key)


def _predicate_type_of(envelope: dict[str, Any]) -> str:
    try:
        payload = json.loads(base64.b64decode(envelope["payload"]))
        return str(payload["predicateType"])
    except (ValueError, KeyError, TypeError):
        return ""


def merge_attestation(existing: str, envelope: dict[str, Any]) -> str:
    """JSON Lines of envelopes: ``existing`` with the line of the same predicate type
    replaced by ``envelope`` (the file ``pipesec attest`` keeps beside an artifact)."""
    kind = _predicate_type_of(envelope)
    kept = []
    for line in existing.splitlines():
        try:
            old = json.loads(line)
        except ValueError:
            continue
        if isinstance(old, dict) and _predicate_type_of(old) != kind:
            kept.append(line)
    kept.append(json.dumps(envelope, separators=(",", ":")))
    return "\n".join(kept) + "\n"
