"""Key pairs in the formats cosign reads and writes.

The private key is PKCS#8 DER encrypted as go-securesystemslib's ``encrypted`` package does
(scrypt key derivation, NaCl secretbox), the JSON of that wrapped in an
``ENCRYPTED SIGSTORE PRIVATE KEY`` PEM block; the public key is a PKIX ``PUBLIC KEY`` PEM.
Plain PKCS#8 / SEC1 PEM private keys are read too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from pipesec.attest.errors import KeyFileError
from pipesec.attest.files import read_bounded

PrivateKey = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
PublicKey = ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey

KEY_TYPES = ("ecdsa-p256", "ed25519")
ENCRYPTED_PEM_TYPES = ("ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY")
_PEM_TYPE = ENCRYPTED_PEM_TYPES[0]
# go-securesystemslib accepts exactly these scrypt parameter sets (legacy, standard, OWASP);
# anything else is refused before deriving, so a crafted key file cannot cost minutes of CPU.
_SCRYPT_PARAMS = ((32768, 8, 1), (65536, 8, 1), (131072, 8, 1))
_SCRYPT_WRITE = _SCRYPT_PARAMS[1]
_SALT_SIZE = 32
_NONCE_SIZE = 24
_MAX_KEY_FILE = 64 * 1024


def password_from_env() -> bytes:
    """The key password: ``PIPESEC_KEY_PASSWORD``, else ``COSIGN_PASSWORD``, else empty."""
    for name in ("PIPESEC_KEY_PASSWORD", "COSIGN_PASSWORD"):
        value = os.environ.get(name)
        if value is not None:
            return value.encode()
    return b""


def generate(key_type: str = "ecdsa-p256") -> PrivateKey:
    if key_type == "ecdsa-p256":
        return ec.generate_private_key(ec.SECP256R1())
    if key_type == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise KeyFileError(f"unknown key type {key_type!r}: use one of {', '.join(KEY_TYPES)}")


def _scrypt(password: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(password)


def encrypt_private_key(key: PrivateKey, password: bytes) -> bytes:
    """The cosign-format encrypted PEM of ``key``."""
    from nacl.secret import SecretBox

    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    n, r, p = _SCRYPT_WRITE
    salt = os.urandom(_SALT_SIZE)
    nonce = os.urandom(_NONCE_SIZE)
    sealed = SecretBox(_scrypt(password, salt, n, r, p)).encrypt(der, nonce).ciphertext
    document = {
        "kdf": {
            "name": "scrypt",
            "params": {"N": n, "r": r, "p": p},
            "salt": base64.b64encode(salt).decode(),
        },
        "cipher": {"name": "nacl/secretbox", "nonce": base64.b64encode(nonce).decode()},
        "ciphertext": base64.b64encode(sealed).decode(),
    }
    return _pem(_PEM_TYPE, json.dumps(document, separators=(",", ":")).encode())


def decrypt_private_key(blob: bytes, password: bytes) -> bytes:
    """PKCS#8 DER from the JSON body of a cosign encrypted key; KeyFileError when it fails."""
    from nacl.exceptions import CryptoError
    from nacl.secret import SecretBox

    try:
        document = json.loads(blob)
        kdf, cipher = document["kdf"], document["cipher"]
        params = kdf["params"]
        n, r, p = int(params["N"]), int(params["r"]), int(params["p"])
        salt = base64.b64decode(kdf["salt"], validate=True)
        nonce = base64.b64decode(cipher["nonce"], validate=True)
        sealed = base64.b64decode(document["ciphertext"], validate=True)
        names = (kdf["name"], cipher["name"])
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise KeyFileError(f"not a cosign encrypted key ({type(exc).__name__})") from None
    if names != ("scrypt", "nacl/secretbox"):
        raise KeyFileError(f"unsupported key encryption {names[0]}/{names[1]}")
    if (n, r, p) not in _SCRYPT_PARAMS:
        raise KeyFileError(f"unsupported scrypt parameters N={n} r={r} p={p}")
    if len(nonce) != _NONCE_SIZE:
        raise KeyFileError("bad secretbox nonce size")
    try:
        return SecretBox(_scrypt(password, salt, n, r, p)).decrypt(sealed, nonce)
    except CryptoError:
        raise KeyFileError("wrong password or corrupted key (decryption failed)") from None


def _pem(kind: str, body: bytes) -> bytes:
    b64 = base64.b64encode(body).decode()
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return ("\n".join([f"-----BEGIN {kind}-----", *lines, f"-----END {kind}-----"]) + "\n").encode()


def _unpem(data: bytes) -> tuple[str, bytes]:
    text = data.decode("ascii", "replace").strip()
    first, _, rest = text.partition("\n")
    if not (first.startswith("-----BEGIN ") and first.endswith("-----")):
        raise KeyFileError("not a PEM file")
    kind = first[len("-----BEGIN ") : -len("-----")]
    body, end, _ = rest.partition(f"-----END {kind}-----")
    if not end:
        raise KeyFileError(f"PEM block {kind} has no END line")
    try:
        return kind, base64.b64decode("".join(body.split()), validate=True)
    except binascii.Error:
        raise KeyFileError("bad base64 in PEM block") from None


def _read(path: Path) -> bytes:
    try:
        data = read_bounded(path, _MAX_KEY_FILE)
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read key ({exc.strerror or exc})") from None
    if data is None:
        raise KeyFileError(f"{path}: too large for a key file")
    return data


def _checked_private(key: object, path: Path) -> PrivateKey:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return key
    raise KeyFileError(f"{path}: unsupported key type (ECDSA P-256 and Ed25519 are supported)")


def parse_private_key(data: bytes, password: bytes | None, path: Path) -> PrivateKey:
    """``data`` (cosign encrypted PEM, PKCS#8 or SEC1 PEM) as a private key."""
    kind, body = _unpem(data) if data.lstrip().startswith(b"-----BEGIN ") else ("", b"")
    try:
        if kind in ENCRYPTED_PEM_TYPES:
            der = decrypt_private_key(body, password or b"")
            key: object = serialization.load_der_private_key(der, None)
        elif kind in ("PRIVATE KEY", "EC PRIVATE KEY"):
            key = serialization.load_pem_private_key(data, None)
        elif kind == "ENCRYPTED PRIVATE KEY":
            key = serialization.load_pem_private_key(data, password or None)
        else:
            raise KeyFileError(f"{path}: not a private key (PEM type {kind or 'none'})")
    except KeyFileError as exc:
        message = str(exc)
        raise KeyFileError(
            message if message.startswith(str(path)) else f"{path}: {message}"
        ) from None
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"{path}: unreadable private key ({exc})") from None
    return _checked_private(key, path)


def load_private_key(path: Path, password: bytes | None) -> PrivateKey:
    return parse_private_key(_read(path), password, path)


def parse_public_key(data: bytes, path: Path) -> PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyFileError(f"{path}: not a PEM public key") from None
    if isinstance(key, ed25519.Ed25519PublicKey):
        return key
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return key
    raise KeyFileError(f"{path}: unsupported key type (ECDSA P-256 and Ed25519 are supported)")


def load_public_key(path: Path) -> PublicKey:
    return parse_public_key(_read(path), path)


def public_pem(key: PrivateKey | PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def sign(key: PrivateKey, data: bytes) -> bytes:
    """ECDSA P-256 over SHA-256 (ASN.1 DER), or pure Ed25519: what cosign makes and checks."""
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(data)
    return key.sign(data, ec.ECDSA(hashes.SHA256()))


def verify(key: PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, data)
        else:
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True


def _olpc_canonical(value: Any) -> str:
    """securesystemslib's canonical JSON (only ``"`` and ``\\`` escaped), for key ids."""
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ",".join(f"{_olpc_canonical(k)}:{_olpc_canonical(v)}" for k, v in items) + "}"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def keyid(key: PrivateKey | PublicKey) -> str:
    """The key id securesystemslib computes for this key (the DSSE ``keyid`` hint)."""
    public = key.public_key() if isinstance(key, PrivateKey) else key
    if isinstance(public, ed25519.Ed25519PublicKey):
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        meta = {"keytype": "ed25519", "scheme": "ed25519", "keyval": {"public": raw.hex()}}
    else:
        meta = {
            "keytype": "ecdsa",
            "scheme": "ecdsa-sha2-nistp256",
            "keyval": {"public": public_pem(public).decode()},
        }
    return hashlib.sha256(_olpc_canonical(meta).encode()).hexdigest()
