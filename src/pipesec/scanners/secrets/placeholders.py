"""One placeholder detector for every secret rule, and the allowlist of published examples.

A value that a provider rule matches by shape (``glpat-`` + 20 characters) may still be a
stand-in written by a person: ``glpat-xxxxxxxxxxxxxxxxxxxx``, ``AKIA1234567890ABCDEF``,
``hvs.EXAMPLEEXAMPLE…``. :func:`is_placeholder` looks at the part after the provider's
prefix (the *body*) for what people type and random generators do not:

* a run of one character (``xxxx``, ``0000000``, ``******``);
* an ascending or descending sequence (``123456``, ``abcdef``, ``ZYXWVU``);
* a marker word (EXAMPLE, SAMPLE, DUMMY, PLACEHOLDER, REDACTED, CHANGEME, ``your_``);
* a short group repeated (``abcabcabcabc``, ``1a2b1a2b1a2b``);
* very few distinct characters for the length (``abababab…``).

The thresholds are set so that a random token of the provider's alphabet meets one by
chance rarely (a run of 6 in 36 base62 characters: below 1e-7). Long values (key blocks,
JWTs, base64 documents) are only tested for markers and near-constant bodies: encoded
binary holds runs of ``A`` legitimately.

:func:`is_published_example` recognises credentials that providers print in their own
documentation or ship in public SDKs; they are stored as SHA-256 digests (with the page
that publishes each) so this module holds no credential-shaped text.
"""

from __future__ import annotations

import hashlib
import re

#: the leading provider prefix of a token (``glpat-``, ``sk_live_``, ``hvs.``, ``sha256~``)
_PREFIX = re.compile(r"^(?:[A-Za-z][A-Za-z0-9]{0,11}[_\-.~]){1,3}(?=[A-Za-z0-9])")
_MARKERS = re.compile(
    r"example|sample|dummy|placeholder|redacted|changeme|change_me|replace_?me|your[_-]"
    r"|insert[_-]|fake[_-]?(?:key|token|secret)|notreal|not_real|xxxx|\*\*\*",
    re.IGNORECASE,
)
#: runs of these length or more are typed, not generated
_RUN = 6
_MASK_RUN = 4
_SEQ = 6
#: bodies longer than this are encoded documents: markers and near-constant bodies only
_LONG = 120
_SEQUENCES = (
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "qwertyuiop",
    "QWERTYUIOP",
)


def body_of(value: str) -> str:
    """``value`` without a leading provider prefix (``glpat-``, ``xoxb-``, ``AKIA``)."""
    m = _PREFIX.match(value)
    body = value[m.end() :] if m else value
    if body[:4] in ("AKIA", "ASIA", "ABIA", "ACCA"):
        body = body[4:]
    return body


def _longest_run(s: str) -> tuple[int, str]:
    best, best_c, run, prev = 0, "", 0, ""
    for c in s:
        run = run + 1 if c == prev else 1
        prev = c
        if run > best:
            best, best_c = run, c
    return best, best_c


def _windows() -> str:
    parts = []
    for seq in _SEQUENCES:
        for i in range(len(seq) - _SEQ + 1):
            part = seq[i : i + _SEQ]
            parts += [re.escape(part), re.escape(part[::-1])]
    return "|".join(sorted(set(parts)))


#: one compiled test per shape (C speed: the detector runs on every provider match)
_RUN_RE = re.compile(rf"(.)\1{{{_RUN - 1},}}|([xX*#•.])\2{{{_MASK_RUN - 1},}}", re.DOTALL)
_SEQ_RE = re.compile(_windows())
#: a group of 2..8 characters repeated back to back over at least 12 characters
_GROUP_RE = re.compile(r"(..)\1{5,}|(...)\2{3,}|(.{4,8})\3{2,}", re.DOTALL)


def _has_sequence(s: str) -> bool:
    return _SEQ_RE.search(s) is not None


def _repeated_group(s: str) -> bool:
    return _GROUP_RE.search(s) is not None


def is_placeholder(value: str, prefix: str = "", *, full: bool = True) -> bool:
    """True when ``value`` (a whole token, ``prefix`` included) looks typed by a person.

    ``full`` is for values a provider generates at random; without it (passwords, URLs,
    key blocks: people type those, and ``admin:admin`` is a real leak) only markers and
    masks count, and only in values of at most 120 characters."""
    v = value.strip().strip("\"'`")
    if not v:
        return True
    if not full:
        return len(v) <= _LONG and (
            _MARKERS.search(v) is not None or _longest_run(v)[0] == len(v) > 3
        )
    if _MARKERS.search(v):
        return True
    body = v[len(prefix) :] if prefix and v.startswith(prefix) else body_of(v)
    if len(body) < 6:
        return False
    if len(body) > _LONG:
        return _longest_run(body)[0] * 3 >= len(body) or len(set(body)) <= 4
    if _RUN_RE.search(body):
        return True
    if len(set(body)) <= max(3, len(body) // 8):
        return True
    return _has_sequence(body) or _repeated_group(body)


_AWS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html"
_STRIPE = "https://docs.stripe.com/api/authentication"
_JWT_IO = "https://jwt.io/"
#: SHA-256 of credentials that providers publish as examples (docs, public SDK samples),
#: each with the page that prints it: the values themselves are not stored here
PUBLISHED_EXAMPLES: dict[str, str] = {
    # AWS documentation: the example access key id and secret access key
    "1a5d44a2dca19669d72edf4c4f1c27c4c1ca4b4408fbb17f6ce4ad452d78ddb3": _AWS,
    "78314b11be2e581549ac1c4f616563fad3fdf0c3b71678f6e2299182080e0598": _AWS,
    # Stripe documentation: the test-mode keys printed in the API reference and guides
    "2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326": _STRIPE,
    "b1471f544ceeea31333bde7e1ecbaad6eac0d4a749412ad29bd66ef895b81c6b": _STRIPE,
    "f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397": _STRIPE,
    "5895b89c8fb33402a5bfc23aad5aaf863fbb438a51e1a0bb02b0ce618c8fdf9d": _STRIPE,
    # jwt.io: the HS256 token its debugger opens with (secret "your-256-bit-secret")
    "7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606": _JWT_IO,
}


def is_published_example(value: str) -> bool:
    digest = hashlib.sha256(value.strip().encode("utf-8", "surrogatepass")).hexdigest()
    return digest in PUBLISHED_EXAMPLES
