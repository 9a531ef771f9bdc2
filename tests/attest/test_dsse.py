"""DSSE envelopes: both directions with securesystemslib (the reference implementation),
tampering with every part, and malformed envelopes as failures, never crashes."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner, SSlibKey

from pipesec.attest import dsse, keys
from pipesec.attest.errors import VerificationError

PAYLOAD = json.dumps({"_type": "https://in-toto.io/Statement/v1", "subject": []}).encode()


@pytest.mark.parametrize("payload_type", ["application/vnd.in-toto+json", "", "tÿpe with spaces"])
@pytest.mark.parametrize("payload", [b"", PAYLOAD, "é".encode() * 40])
def test_pae_matches_securesystemslib(payload_type: str, payload: bytes) -> None:
    reference = Envelope(payload=payload, payload_type=payload_type, signatures={})
    assert dsse.pae(payload_type, payload) == reference.pae()


@pytest.mark.parametrize("kind", ["ec_key", "ed_key"])
def test_our_envelope_verifies_with_securesystemslib(
    kind: str, request: pytest.FixtureRequest
) -> None:
    key = request.getfixturevalue(kind)
    envelope = dsse.sign_envelope(PAYLOAD, dsse.IN_TOTO_PAYLOAD_TYPE, key)
    ssl_key = SSlibKey.from_crypto(key.public_key())
    verified = Envelope.from_dict(copy.deepcopy(envelope)).verify([ssl_key], 1)
    assert ssl_key.keyid in verified
    assert envelope["signatures"][0]["keyid"] == ssl_key.keyid


@pytest.mark.parametrize("kind", ["ec_key", "ed_key"])
def test_securesystemslib_envelope_verifies_with_us(
    kind: str, request: pytest.FixtureRequest
) -> None:
    key = request.getfixturevalue(kind)
    signer = CryptoSigner(key)
    envelope = Envelope(payload=PAYLOAD, payload_type=dsse.IN_TOTO_PAYLOAD_TYPE, signatures={})
    envelope.sign(signer)
    assert dsse.verify_envelope(envelope.to_dict(), [key.public_key()]) == (
        dsse.IN_TOTO_PAYLOAD_TYPE,
        PAYLOAD,
    )


def _b64_flip(text: str) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[len(raw) // 2] ^= 1
    return base64.b64encode(bytes(raw)).decode()


TAMPERS = {
    "payload": lambda e: e.update(payload=_b64_flip(e["payload"])),
    "payload type": lambda e: e.update(payloadType="text/plain"),
    "signature": lambda e: e["signatures"][0].update(sig=_b64_flip(e["signatures"][0]["sig"])),
    "no signatures": lambda e: e.update(signatures=[]),
    "signature not base64": lambda e: e["signatures"][0].update(sig="!!not base64!!"),
    "payload not base64": lambda e: e.update(payload="%%%"),
    "payload missing": lambda e: e.pop("payload"),
    "signatures not a list": lambda e: e.update(signatures={"sig": "x"}),
}


@pytest.mark.parametrize("tamper", sorted(TAMPERS))
def test_tampered_envelope_fails(tamper: str, ec_key: keys.PrivateKey) -> None:
    envelope = dsse.sign_envelope(PAYLOAD, dsse.IN_TOTO_PAYLOAD_TYPE, ec_key)
    TAMPERS[tamper](envelope)
    with pytest.raises(VerificationError, match=r"^envelope: "):
        dsse.verify_envelope(envelope, [ec_key.public_key()])


def test_wrong_key_fails(ec_key: keys.PrivateKey, other_key: keys.PrivateKey) -> None:
    envelope = dsse.sign_envelope(PAYLOAD, dsse.IN_TOTO_PAYLOAD_TYPE, ec_key)
    with pytest.raises(VerificationError, match="no signature verifies with a trusted key"):
        dsse.verify_envelope(envelope, [other_key.public_key()])
    # one trusted key among several is enough; the keyid hint is not trusted
    envelope["signatures"][0]["keyid"] = "someone-else"
    keys_given = [other_key.public_key(), ec_key.public_key()]
    assert dsse.verify_envelope(envelope, keys_given)[1] == PAYLOAD


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


_FUZZ_KEY = keys.generate("ed25519")


@settings(max_examples=50, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "payload": st.text(max_size=30) | json_values,
            "payloadType": st.text(max_size=30) | json_values,
            "signatures": st.lists(
                st.fixed_dictionaries({}, optional={"sig": st.text(max_size=40) | json_values})
                | json_values,
                max_size=3,
            )
            | json_values,
        },
    )
)
def test_fuzz_verify_envelope(envelope: dict[str, Any]) -> None:
    with pytest.raises(VerificationError):
        dsse.verify_envelope(envelope, [_FUZZ_KEY.public_key()])
