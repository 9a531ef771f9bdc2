"""Offline checks of token formats whose provider documents a checksum or a structure.

Only documented schemes are implemented:

* GitHub tokens: the last 6 characters are the CRC32 of the random part, in base62
  (https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/).
* npm tokens: the same scheme (https://github.blog/2021-09-23-announcing-npms-new-access-token-format/).
* PyPI API tokens: ``pypi-`` + a base64url macaroon v2 (https://pypi.org/help/#apitoken,
  macaroon v2 binary format of libmacaroons).
* Grafana API keys: base64 of a JSON object with ``k``, ``n`` and ``id``.
* JWT: three base64url parts, JSON header with ``alg`` and JSON object payload (RFC 7519).
* Private keys: the PEM/OpenSSH block parses with ``cryptography``.

A validator returns True (valid: high confidence) or False (invalid: low confidence).
"""

from __future__ import annotations

import base64
import binascii
import functools
import inspect
import json
import logging
import math
import re
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = _B62[r] + out
    return out or "0"


def crc32_base62(random_part: str) -> str:
    return base62(binascii.crc32(random_part.encode("ascii")) & 0xFFFFFFFF).rjust(6, "0")


def github_checksum(token: str) -> bool:
    """``gh?_`` + 30 random base62 + 6-character base62 CRC32 of the random part."""
    if len(token) != 40 or token[3] != "_":
        return False
    body = token[4:]
    try:
        return crc32_base62(body[:-6]) == body[-6:]
    except UnicodeEncodeError:
        return False


def cloudflare_checksum(token: str) -> bool:
    """Cloudflare's scannable credentials (``cfk_``, ``cfut_``, ``cfat_``): 40 characters,
    then the CRC32 of those 40 as 8 lowercase hex digits."""
    body = token.partition("_")[2]
    if len(body) != 48:
        return False
    try:
        return f"{binascii.crc32(body[:40].encode('ascii')) & 0xFFFFFFFF:08x}" == body[40:]
    except UnicodeEncodeError:
        return False


def npm_checksum(token: str) -> bool:
    """``npm_`` + 30 random base62 + 6-character base62 CRC32 (npm's documented format)."""
    if len(token) != 40 or not token.startswith("npm_"):
        return False
    body = token[4:]
    try:
        return crc32_base62(body[:-6]) == body[-6:]
    except UnicodeEncodeError:
        return False


def _b64url(data: str) -> bytes:
    data = data.strip()
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        if i >= len(buf) or shift > 63:
            raise ValueError("truncated varint")
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, i
        shift += 7


def macaroon_v2_fields(raw: bytes) -> list[list[tuple[int, bytes]]]:
    """Sections of a binary v2 macaroon: [[(field type, data)...], ...] up to the signature.

    Layout: version byte 2; header section (optional location=1, identifier=2, EOS=0);
    caveat sections (each ends with EOS); an empty section (EOS); signature field (6).
    """
    if not raw or raw[0] != 2:
        raise ValueError("not a v2 macaroon")
    i = 1
    sections: list[list[tuple[int, bytes]]] = []
    current: list[tuple[int, bytes]] = []
    while i < len(raw):
        ftype = raw[i]
        i += 1
        if ftype == 0:
            sections.append(current)
            if not current and len(sections) > 1:  # end of caveats: the signature follows
                if i >= len(raw) or raw[i] != 6:
                    raise ValueError("missing signature")
                n, j = _varint(raw, i + 1)
                sig = raw[j : j + n]
                if n != 32 or len(sig) != 32:
                    raise ValueError("bad signature length")
                sections.append([(6, sig)])
                return sections
            current = []
            continue
        if ftype not in (1, 2, 4):
            raise ValueError(f"unknown field type {ftype}")
        n, i = _varint(raw, i)
        if i + n > len(raw):
            raise ValueError("truncated field")
        current.append((ftype, raw[i : i + n]))
        i += n
    raise ValueError("truncated macaroon")


def pypi_macaroon(token: str) -> bool:
    """A PyPI API token: ``pypi-`` + base64url of a v2 macaroon located at (test.)pypi.org."""
    if not token.startswith("pypi-"):
        return False
    try:
        sections = macaroon_v2_fields(_b64url(token[5:]))
    except (ValueError, binascii.Error):
        return False
    header = dict(sections[0])
    return header.get(1, b"") in (b"pypi.org", b"test.pypi.org") and 2 in header


def grafana_key(token: str) -> bool:
    """A Grafana API key is base64 of ``{"k": <key>, "n": <name>, "id": <org>}``."""
    try:
        doc = json.loads(_b64url(token.rstrip("=")))
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(doc, dict) and isinstance(doc.get("k"), str) and "n" in doc and "id" in doc


_SENTRY_SECRET = re.compile(r"[A-Za-z0-9+/-]{43}")


def sentry_org_token(token: str) -> bool:
    """A Sentry organization token is ``sntrys_``, base64 of its JSON claims, ``_`` and a
    43-character secret (32 random bytes): a last part one character short or long is a
    fixture's variant, not a token Sentry issued."""
    head, sep, secret = token.rpartition("_")
    return (
        bool(sep) and head.startswith("sntrys_eyJ") and _SENTRY_SECRET.fullmatch(secret) is not None
    )


def jwt(token: str) -> bool:
    """Header and payload decode to JSON objects and the header names an algorithm."""
    parts = token.split(".")
    if len(parts) not in (3, 5):
        return False
    try:
        header = json.loads(_b64url(parts[0]))
        payload = json.loads(_b64url(parts[1])) if len(parts) == 3 else {"enc": True}
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return False
    if not isinstance(header, dict) or not isinstance(payload, dict) or not payload:
        return False
    alg = header.get("alg")
    if not isinstance(alg, str) or not alg:
        return False
    if alg.lower() == "none":
        return True  # unsigned but structurally a token
    return len(parts) == 5 or len(parts[2]) >= 16


def public_jwt(_key: str, token: str) -> bool:
    """A JWT whose payload's role is ``anon``: a Supabase (PostgREST) anonymous key, which
    the project's web pages and apps send with every request (row-level security, not the
    key, guards the data; the ``service_role`` key is the secret one)."""
    parts = token.split(".")
    if len(parts) != 3:
        return False
    try:
        payload = json.loads(_b64url(parts[1]))
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(payload, dict) and payload.get("role") == "anon"


_PEM_BODY = re.compile(r"[^A-Za-z0-9+/=]")


def private_key(block: str) -> bool:
    """True when the key block parses (PEM, PKCS#8, OpenSSH) or is a well-formed PGP block.

    Encrypted keys count as valid (they are still keys); placeholders and truncated blocks
    do not parse and are reported with low confidence.
    """
    text = block.replace("\\n", "\n").replace("\r\n", "\n").strip().strip('"').strip()
    # a block quoted on one line (JSON, env files) has had its newlines escaped
    data = text.encode("ascii", "replace")
    # "ECDSA PRIVATE KEY" (some SDKs' label) holds the SEC1 structure of "EC PRIVATE KEY"
    data = data.replace(b"ECDSA PRIVATE KEY", b"EC PRIVATE KEY")
    if b"PGP PRIVATE KEY BLOCK" in data:
        return _pgp_block(text)
    try:
        from cryptography.hazmat.primitives import serialization
    except ImportError:  # pragma: no cover - cryptography is a dependency
        return True
    loaders = (
        (serialization.load_ssh_private_key if b"OPENSSH" in data else None),
        serialization.load_pem_private_key,
    )
    for loader in loaders:
        if loader is None:
            continue
        try:
            return _consistent(loader(data, password=None, **_skip_rsa_check(loader)))
        except TypeError:  # "private key is encrypted" and no password: a real key
            return True
        except Exception as exc:  # any parse failure: truncated, placeholder, garbage
            log.debug("key block does not parse: %s", type(exc).__name__)
    return False


@functools.cache
def _skip_rsa_check(loader: Callable[..., Any]) -> dict[str, bool]:
    """The keyword that has ``loader`` leave out OpenSSL's RSA key check (:func:`_consistent`
    makes it, but its primality tests), when this version of ``cryptography`` has it."""
    if "unsafe_skip_rsa_key_validation" in inspect.signature(loader).parameters:
        return {"unsafe_skip_rsa_key_validation": True}
    return {}


def _consistent(key: object) -> bool:
    """Whether a parsed key's numbers fit together: for RSA what OpenSSL's key check
    (``RSA_check_key``, which ``cryptography`` runs on every RSA key it loads) tests but
    the primality of the two primes: n = pq, e odd and above 1, de = 1 mod lcm(p - 1, q - 1),
    and the CRT values derived from d, p and q. The primality tests were nearly all of the
    check's cost (50 ms a 2,048-bit key, 370 ms a 4,096-bit one, one core), which every
    key block in a scanned tree paid once per finding: a tree of big keys made the gate
    slow at will. A block whose numbers were edited (a "redacted" digit run) still fails
    here; a key whose factors are not prime but fit together is no edit a person makes.
    Other kinds of keys: as loaded (their checks are cheap)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    if not isinstance(key, rsa.RSAPrivateKey):
        return True
    numbers = key.private_numbers()
    p, q, d = numbers.p, numbers.q, numbers.d
    n, e = numbers.public_numbers.n, numbers.public_numbers.e
    if p < 3 or q < 3 or p * q != n or e < 3 or e % 2 == 0:
        return False
    return (
        d * e % math.lcm(p - 1, q - 1) == 1
        and numbers.dmp1 == d % (p - 1)
        and numbers.dmq1 == d % (q - 1)
        and numbers.iqmp * q % p == 1
    )


def private_key_der(value: str) -> bool:
    """True when a base64 body with no PEM armour (``MIIEvQIBADAN…`` on one line of an env
    file) decodes to a private key that parses (PKCS#8, PKCS#1 or SEC1 DER)."""
    body = _PEM_BODY.sub("", value)
    try:
        der = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        from cryptography.hazmat.primitives import serialization
    except ImportError:  # pragma: no cover - cryptography is a dependency
        return True
    try:
        loader = serialization.load_der_private_key
        return _consistent(loader(der, password=None, **_skip_rsa_check(loader)))
    except TypeError:  # an encrypted key and no password: a real key
        return True
    except Exception as exc:  # truncated, a placeholder, random bytes after a real header
        log.debug("key body does not parse: %s", type(exc).__name__)
        return False


def _pgp_block(text: str) -> bool:
    lines = [ln.strip() for ln in text.splitlines()]
    body = [ln for ln in lines[1:-1] if ln and ":" not in ln and not ln.startswith("=")]
    joined = "".join(body)
    if len(joined) < 200 or _PEM_BODY.search(joined):
        return False
    try:
        raw = base64.b64decode(joined + "=" * (-len(joined) % 4))
    except (binascii.Error, ValueError):
        return False
    return bool(raw) and raw[0] & 0x80 != 0  # an OpenPGP packet header


def pkcs12_der(value: str) -> bool:
    """A PKCS#12 file (RFC 7292) is a DER SEQUENCE whose first element is INTEGER 3: the
    base64 of its first bytes shows the outer tag, a length and ``02 01 03``."""
    head = value[:24]
    try:
        der = base64.b64decode(head + "=" * (-len(head) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    if len(der) < 5 or der[0] != 0x30:
        return False
    n = der[1]
    off = 2 if n < 0x80 else 2 + (n & 0x7F)
    return der[off : off + 3] == b"\x02\x01\x03"
