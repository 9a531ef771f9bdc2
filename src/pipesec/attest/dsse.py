"""DSSE envelopes (https://github.com/secure-systems-lab/dsse, protocol v1).

The signature covers PAE(payloadType, payload) =
``"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`` with lengths as ASCII decimals.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from pipesec.attest import keys as keys_mod
from pipesec.attest.errors import VerificationError
from pipesec.attest.keys import PrivateKey, PublicKey

IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"
_MAX_SIGNATURES = 16


def pae(payload_type: str, payload: bytes) -> bytes:
    kind = payload_type.encode()
    return b"DSSEv1 %d %b %d %b" % (len(kind), kind, len(payload), payload)


def sign_envelope(payload: bytes, payload_type: str, key: PrivateKey) -> dict[str, Any]:
    signature = keys_mod.sign(key, pae(payload_type, payload))
    return {
        "payloadType": payload_type,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [{"keyid": keys_mod.keyid(key), "sig": base64.b64encode(signature).decode()}],
    }


def _b64(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        raise VerificationError(f"envelope: {what} is not a base64 string")
    try:
        # DSSE allows standard or URL-safe base64; padding optional
        text = value.replace("-", "+").replace("_", "/")
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise VerificationError(f"envelope: {what} is not valid base64") from None


def verify_envelope(envelope: dict[str, Any], keys: Sequence[PublicKey]) -> tuple[str, bytes]:
    """(payloadType, payload) when a signature of ``envelope`` verifies with one of ``keys``.

    Key ids are hints only: every signature is tried with every key.
    """
    if not isinstance(envelope, dict):
        raise VerificationError("envelope: not a JSON object")
    payload_type = envelope.get("payloadType")
    if not isinstance(payload_type, str):
        raise VerificationError("envelope: payloadType missing or not a string")
    payload = _b64(envelope.get("payload"), "payload")
    signatures = envelope.get("signatures")
    if not isinstance(signatures, list) or not signatures:
        raise VerificationError("envelope: no signatures")
    if len(signatures) > _MAX_SIGNATURES:
        raise VerificationError(f"envelope: more than {_MAX_SIGNATURES} signatures")
    if not keys:
        raise VerificationError("envelope: no trusted key to verify it with")
    message = pae(payload_type, payload)
    for entry in signatures:
        if not isinstance(entry, dict):
            raise VerificationError("envelope: a signature entry is not an object")
        signature = _b64(entry.get("sig"), "signature")
        if any(keys_mod.verify(key, signature, message) for key in keys):
            return payload_type, payload
    raise VerificationError("envelope: no signature verifies with a trusted key")
