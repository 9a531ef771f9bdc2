"""Keys: cosign's encrypted format, both directions, checked with an independent
implementation of go-securesystemslib's documented algorithm (hashlib's scrypt + NaCl
secretbox, Go's JSON field names and base64 byte slices)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
from pathlib import Path

import nacl.secret
import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.attest import keys
from pipesec.attest.errors import KeyFileError


def reference_encrypt(der: bytes, password: bytes, n: int = 65536) -> bytes:
    """What cosign writes: encrypted.Encrypt(PKCS8 DER, pass) in a PEM block."""
    salt, nonce = os.urandom(32), os.urandom(24)
    key = hashlib.scrypt(password, salt=salt, n=n, r=8, p=1, dklen=32, maxmem=256 * 1024 * 1024)
    sealed = nacl.secret.SecretBox(key).encrypt(der, nonce).ciphertext
    body = json.dumps(
        {
            "kdf": {
                "name": "scrypt",
                "params": {"N": n, "r": 8, "p": 1},
                "salt": base64.b64encode(salt).decode(),
            },
            "cipher": {"name": "nacl/secretbox", "nonce": base64.b64encode(nonce).decode()},
            "ciphertext": base64.b64encode(sealed).decode(),
        }
    ).encode()
    kind = "ENCRYPTED SIGSTORE PRIVATE KEY"
    text = base64.encodebytes(body).decode()
    return f"-----BEGIN {kind}-----\n{text}-----END {kind}-----\n".encode()


def reference_decrypt(pem: bytes, password: bytes) -> bytes:
    lines = pem.decode().strip().splitlines()
    assert lines[0] == "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"
    assert lines[-1] == "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----"
    doc = json.loads(base64.b64decode("".join(lines[1:-1])))
    assert doc["kdf"]["name"] == "scrypt" and doc["cipher"]["name"] == "nacl/secretbox"
    params = doc["kdf"]["params"]
    key = hashlib.scrypt(
        password,
        salt=base64.b64decode(doc["kdf"]["salt"]),
        n=params["N"],
        r=params["r"],
        p=params["p"],
        dklen=32,
        maxmem=256 * 1024 * 1024,
    )
    return nacl.secret.SecretBox(key).decrypt(
        base64.b64decode(doc["ciphertext"]), base64.b64decode(doc["cipher"]["nonce"])
    )


def der(key: keys.PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def test_our_key_decrypts_with_the_reference_algorithm(ed_key: keys.PrivateKey) -> None:
    key = ed_key
    pem = keys.encrypt_private_key(key, b"s3cret")
    assert reference_decrypt(pem, b"s3cret") == der(key)


@pytest.mark.parametrize("n", [32768, 65536])  # cosign's legacy and current scrypt cost
def test_reference_key_loads(n: int, tmp_path: Path, ec_key: keys.PrivateKey) -> None:
    path = tmp_path / "cosign.key"
    path.write_bytes(reference_encrypt(der(ec_key), b"pw", n))
    loaded = keys.load_private_key(path, b"pw")
    assert der(loaded) == der(ec_key)


def test_empty_password_round_trip(tmp_path: Path, ed_key: keys.PrivateKey) -> None:
    path = tmp_path / "k.key"
    path.write_bytes(keys.encrypt_private_key(ed_key, b""))
    assert der(keys.load_private_key(path, None)) == der(ed_key)


def test_wrong_password_and_tampering(tmp_path: Path, ec_key: keys.PrivateKey) -> None:
    pem = keys.encrypt_private_key(ec_key, b"pw")
    path = tmp_path / "k.key"
    path.write_bytes(pem)
    with pytest.raises(KeyFileError, match="wrong password"):
        keys.load_private_key(path, b"other")
    doc = json.loads(base64.b64decode("".join(pem.decode().splitlines()[1:-1])))
    sealed = bytearray(base64.b64decode(doc["ciphertext"]))
    sealed[-1] ^= 1
    doc["ciphertext"] = base64.b64encode(bytes(sealed)).decode()
    path.write_bytes(keys._pem("ENCRYPTED SIGSTORE PRIVATE KEY", json.dumps(doc).encode()))
    with pytest.raises(KeyFileError, match="wrong password or corrupted"):
        keys.load_private_key(path, b"pw")


def test_costly_scrypt_parameters_refused_before_deriving(
    tmp_path: Path, ec_key: keys.PrivateKey
) -> None:
    pem = keys.encrypt_private_key(ec_key, b"pw")
    doc = json.loads(base64.b64decode("".join(pem.decode().splitlines()[1:-1])))
    doc["kdf"]["params"]["N"] = 2**30
    path = tmp_path / "k.key"
    path.write_bytes(keys._pem("ENCRYPTED SIGSTORE PRIVATE KEY", json.dumps(doc).encode()))
    with pytest.raises(KeyFileError, match="unsupported scrypt parameters"):
        keys.load_private_key(path, b"pw")


def test_plain_pem_keys_and_unsupported_types(tmp_path: Path, ec_key: keys.PrivateKey) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    path = tmp_path / "plain.pem"
    path.write_bytes(
        ec_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    assert der(keys.load_private_key(path, None)) == der(ec_key)
    p384 = ec.generate_private_key(ec.SECP384R1())
    path.write_bytes(
        p384.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(KeyFileError, match="unsupported key type"):
        keys.load_private_key(path, None)
    pub = tmp_path / "k.pub"
    pub.write_bytes(keys.public_pem(p384.public_key()))  # type: ignore[arg-type]
    with pytest.raises(KeyFileError, match="unsupported key type"):
        keys.load_public_key(pub)
    with pytest.raises(KeyFileError, match="cannot read"):
        keys.load_public_key(tmp_path / "missing.pub")


def test_password_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PIPESEC_KEY_PASSWORD", raising=False)
    monkeypatch.delenv("COSIGN_PASSWORD", raising=False)
    assert keys.password_from_env() == b""
    monkeypatch.setenv("COSIGN_PASSWORD", "c")
    assert keys.password_from_env() == b"c"
    monkeypatch.setenv("PIPESEC_KEY_PASSWORD", "")
    assert keys.password_from_env() == b""


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=600))
def test_fuzz_private_key_parser(data: bytes) -> None:
    """Any bytes: a key or a KeyFileError, never another exception."""
    for blob in (
        data,
        b"-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
        + base64.encodebytes(data)
        + b"-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n",
    ):
        with contextlib.suppress(KeyFileError):
            keys.parse_private_key(blob, b"pw", Path("fuzz.key"))
