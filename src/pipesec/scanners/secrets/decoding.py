"""The decoding stage: rules see what an encoded value holds.

A *decoder rule* (``SecretRule.decoder``) finds an encoded value (a Kubernetes Secret's
``data:`` entry, a base64 JSON document such as a ``.dockerconfigjson``); the engine decodes
it here and scans the decoded text with every rule, one level deeper. A secret found inside
is reported by the rule that found it, located on the encoded text (so the finding points at
the line a person must change, and the whole encoded value is redacted), with the decoded
secret as its value (identity and checksum validators see the real value).

Bounded: at most :data:`MAX_DEPTH` levels, encoded values of at most :data:`MAX_ENCODED`
characters, and only decodings that are printable UTF-8 text go on.
"""

from __future__ import annotations

import base64
import binascii

MAX_DEPTH = 2
MAX_ENCODED = 8000

BASE64 = "base64"
#: ``name: <base64>`` (YAML key/value): the key name is kept as context for the decoded
#: value, so ``DB_PASSWORD: <base64 of a password>`` reads as ``DB_PASSWORD: password``
BASE64_KEYED = "base64-keyed"


def decode_base64(value: str) -> str | None:
    """The text a base64 (standard or URL-safe) value encodes, or None if it is not text."""
    v = value.strip()
    if not v or len(v) > MAX_ENCODED:
        return None
    v = v.replace("-", "+").replace("_", "/")
    v += "=" * (-len(v) % 4)
    try:
        raw = base64.b64decode(v, validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    if not text or not all(c.isprintable() or c in "\t\r\n" for c in text):
        return None
    return text


def decoded_text(kind: str, value: str, name: str = "") -> str | None:
    """The text to scan for an encoded ``value`` found by a decoder rule of ``kind``."""
    text = decode_base64(value)
    if text is None:
        return None
    if kind == BASE64_KEYED and name and "\n" not in text.strip():
        return f"{name}: {text.strip()}\n"
    return text
