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
import re
from collections.abc import Iterator

MAX_DEPTH = 2
MAX_ENCODED = 8000

BASE64 = "base64"
#: ``name: <base64>`` (YAML key/value): the key name is kept as context for the decoded
#: value, so ``DB_PASSWORD: <base64 of a password>`` reads as ``DB_PASSWORD: password``
BASE64_KEYED = "base64-keyed"
#: the rule matches a Kubernetes Secret's ``kind: Secret``: every ``name: <base64>`` entry
#: of the same YAML document (between ``---`` lines, 64 KB either side) is decoded as keyed
K8S_MANIFEST = "k8s-manifest"
#: how far from ``kind: Secret`` the entries of its document are looked for
K8S_REACH = 65536
_K8S_ENTRY = re.compile(
    r"(?m)^[ \t]{1,12}(?P<name>[\w.-]{1,100}):[ \t]{1,3}"
    r"(?P<value>(?:[A-Za-z0-9+/]{4}){2,2000}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)[ \t\r]*$"
)
_DOC_SEP = re.compile(r"(?m)^---[ \t]*$")


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


def encoded_values(
    kind: str, text: str, m: re.Match[str], group: int | str
) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, name, encoded value) of each value a decoder rule's match stands for."""
    if kind != K8S_MANIFEST:
        s, e = m.span(group)
        if s >= 0:
            yield s, e, (m.groupdict().get("name") or ""), m.group(group)
        return
    lo = max(0, m.start() - K8S_REACH)
    hi = min(len(text), m.end() + K8S_REACH)
    before = [x.end() for x in _DOC_SEP.finditer(text, lo, m.start())]
    start = before[-1] if before else lo
    after = _DOC_SEP.search(text, m.end(), hi)
    end = after.start() if after else hi
    for x in _K8S_ENTRY.finditer(text, start, end):
        yield x.start("value"), x.end("value"), x.group("name"), x.group("value")


def decoded_text(kind: str, value: str, name: str = "") -> str | None:
    """The text to scan for an encoded ``value`` found by a decoder rule of ``kind``."""
    text = decode_base64(value)
    if text is None:
        return None
    if kind in (BASE64_KEYED, K8S_MANIFEST) and name and "\n" not in text.strip():
        return f"{name}: {text.strip()}\n"
    return text
