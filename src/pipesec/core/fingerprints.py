"""Stable fingerprints.

A fingerprint survives moving a finding to another line (it hashes the rule, the path
and the finding's identity, never the line number) and stays distinct for distinct
findings (the engine adds an occurrence number when the same identity repeats in a file).
Secret identities are keyed HMAC-SHA256 digests, so a fingerprint never lets anyone
brute-force a weak password without the key.
"""

from __future__ import annotations

import functools
import hashlib
import os

DEFAULT_KEY = b"pipesec-fingerprint-v1"
KEY_ENV = "PIPESEC_FINGERPRINT_KEY"


def fingerprint_key(configured: str | None = None) -> bytes:
    """The HMAC key: the environment wins over configuration, which wins over the default."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8")
    if configured:
        return configured.encode("utf-8")
    return DEFAULT_KEY


def secret_identity(value: str, key: bytes) -> str:
    """Keyed digest of a secret value; the only form in which a secret's identity is kept."""
    # HMAC-SHA256 (RFC 2104) from the key's inner and outer hash states, worked out once per
    # key: OpenSSL's one-shot HMAC sets the key up again for every value (about twice the
    # work for a short secret)
    inner, outer = _hmac_states(key)
    h = inner.copy()
    h.update(value.encode("utf-8", "surrogatepass"))
    o = outer.copy()
    o.update(h.digest())
    return "hmac:" + o.hexdigest()


_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))


@functools.lru_cache(maxsize=8)
def _hmac_states(key: bytes) -> tuple[hashlib._Hash, hashlib._Hash]:
    """SHA-256 states after the key's inner and outer pads (the first block of HMAC)."""
    if len(key) > 64:  # SHA-256's block size: a longer key is hashed first
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return hashlib.sha256(key.translate(_IPAD)), hashlib.sha256(key.translate(_OPAD))


def text_identity(text: str) -> str:
    """Identity of a non-secret finding from its (already redacted) offending text."""
    return " ".join(text.split())


def compute(rule_id: str, path: str, identity: str, occurrence: int = 0) -> str:
    data = f"{rule_id}\x00{path}\x00{identity}\x00"
    if occurrence:
        data += str(occurrence)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:32]
