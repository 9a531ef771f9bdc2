"""One placeholder detector for every secret rule, and the allowlist of published examples.

A value that a provider rule matches by shape (``glpat-`` + 20 characters) may still be a
stand-in written by a person: ``glpat-xxxxxxxxxxxxxxxxxxxx``, ``AKIA1234567890ABCDEF``,
``hvs.EXAMPLEEXAMPLE…``. :func:`is_placeholder` looks at the part after the provider's
prefix (the *body*) for what people type and random generators do not:

* a run of one character (``xxxx``, ``0000000``, ``******``);
* an ascending or descending sequence (``123456``, ``abcdef``, ``ZYXWVU``);
* a marker word (EXAMPLE, SAMPLE, DUMMY, PLACEHOLDER, REDACTED, CHANGEME, ``your_``);
* a short group repeated (``abcabcabcabc``, ``1a2b1a2b1a2b``), or a body that is one half
  written twice (``DEADBEEFDEADBEEF``);
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

import base64
import functools
import hashlib
import hmac
import itertools
import json
import re

#: the leading provider prefix of a token (``glpat-``, ``sk_live_``, ``hvs.``, ``sha256~``)
_PREFIX = re.compile(r"^(?:[A-Za-z][A-Za-z0-9]{0,11}[_\-.~]){1,3}(?=[A-Za-z0-9])")
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


def _step_table(sequences: tuple[str, ...]) -> bytes:
    """A bytes.translate table mapping each character of ``sequences`` to the next one in
    its sequence, and every other byte to NUL."""
    table = bytearray(256)
    for seq in sequences:
        for a, b in itertools.pairwise(seq):
            table[ord(a)] = ord(b)
    return bytes(table)


_ALPHABETS = _SEQUENCES[:3]
_QWERTY = _SEQUENCES[3:]
#: successor and predecessor of each character in its sequence (ascending, descending)
_STEPS = tuple(
    _step_table(seqs)
    for seqs in (
        _ALPHABETS,
        tuple(q[::-1] for q in _ALPHABETS),
        _QWERTY,
        tuple(q[::-1] for q in _QWERTY),
    )
)
_MASKS = (*(c * _MASK_RUN for c in "xX*#."), "\u2022" * _MASK_RUN)


def _zeros(x: int, width: int, need: int) -> bool:
    """Whether the ``width``-byte big-endian form of ``x`` holds ``need`` NUL bytes in a row."""
    return b"\0" * need in x.to_bytes(width, "big")


#: the fewest equal characters in a row that any shape of :func:`_shapes` needs in one of
#: its comparisons (a run of 6: 5 pairs; a sequence of 6: 5 steps; a repeated group: more)
_MIN_ZEROS = min(_RUN, _SEQ) - 1


#: ascending alphabets and ascending qwerty rows (a descending step is an ascending one read
#: backwards: ``a[j] == ASC[a[j + 1]]``)
_ASC, _QWERTY_ASC = _STEPS[0], _STEPS[2]


def _may_shape(a: bytes) -> bool:
    """A necessary condition for :func:`_shapes` on ASCII ``a`` without NUL, tested with one
    XOR: every comparison it makes (``a[j]`` against ``a[j + k]`` for k = 1..8, and a
    step of a sequence, up or down, between ``a[j]`` and ``a[j + 1]``) is laid side by
    side, and no run of ``_MIN_ZEROS`` equal bytes means no shape. Random tokens, the
    common case, stop here.

    ``left`` holds ``a`` eight times in blocks of ``n + 1`` bytes and ``right`` holds it in
    blocks of ``n + 2`` after one byte, so block ``k - 1`` compares ``a[j]`` with
    ``a[j - k]``; then ``t``, ``a``, ``q``, ``a`` against ``a``, ``t``, ``a``, ``q`` one
    byte further on (``t``, ``q``: the successors of ``a``'s characters in the alphabets
    and the qwerty rows, NUL elsewhere). The filler bytes (1 on the left, 2 on the right)
    and the comparisons of a block's edges with its neighbour's can only add equal bytes:
    more texts go on to the exact test, none is let off."""
    t = a.translate(_ASC)
    q = a.translate(_QWERTY_ASC)
    left = (a + b"\1") * 8 + b"\1" * 10 + b"\1".join((t, a, q, a))
    right = b"\2" + (a + b"\2\2") * 8 + b"\2".join((a, t, a, q)) + b"\2"
    diff = int.from_bytes(left, "big") ^ int.from_bytes(right, "big")
    return _zeros(diff, len(left), _MIN_ZEROS)


def _shapes(s: str) -> bool:
    """A run of one character, an ascending or descending sequence, or a short group
    repeated back to back (see the module docstring). The string is read as one integer
    ``x``: ``(x >> 8k) ^ (x & mask)`` has a NUL byte where character ``j`` equals character
    ``j + k``, so a shape is a long enough run of NULs, found at C speed (the regular
    expressions below are the reference, and the fallback for non-ASCII text)."""
    if (  # _MASKS, spelled out (a loop over them costs half as much again)
        "xxxx" in s
        or "XXXX" in s
        or "****" in s
        or "####" in s
        or "...." in s
        or "\u2022\u2022\u2022\u2022" in s
    ):
        return True
    if not s.isascii() or "\0" in s:
        return _shapes_re(s)
    a = s.encode("ascii")
    n = len(a)
    if n < min(_RUN, _SEQ):
        return False
    if not _may_shape(a):
        return False
    x = int.from_bytes(a, "big")
    tail = x & ((1 << 8 * (n - 1)) - 1)  # a[1:]
    if _zeros((x >> 8) ^ tail, n - 1, _RUN - 1):  # (.)\1{5,}
        return True
    for table in _STEPS:  # abcdef, 654321, qwerty, ytrewq: a[j] steps to a[j + 1]
        if _zeros(int.from_bytes(a[:-1].translate(table), "big") ^ tail, n - 1, _SEQ - 1):
            return True
    # (..)\1{5,}, (...)\2{3,}, (.{4,8})\3{2,}: a group of k repeated over 12 or 3k characters
    for k in range(2, 9):
        need = max(12, 3 * k) - k
        if n - k < need:
            break
        if _zeros((x >> 8 * k) ^ (x & ((1 << 8 * (n - k)) - 1)), n - k, need):
            return True
    return False


#: the same shapes as regular expressions: for text that is not plain ASCII
_RUN_RE = re.compile(rf"(.)\1{{{_RUN - 1},}}|([xX*#\u2022.])\2{{{_MASK_RUN - 1},}}", re.DOTALL)
_SEQ_RE = re.compile(
    "|".join(
        sorted(
            {
                re.escape(w)
                for seq in _SEQUENCES
                for i in range(len(seq) - _SEQ + 1)
                for w in (seq[i : i + _SEQ], seq[i : i + _SEQ][::-1])
            }
        )
    )
)
_GROUP_RE = re.compile(r"(..)\1{5,}|(...)\2{3,}|(.{4,8})\3{2,}", re.DOTALL)


def _shapes_re(s: str) -> bool:
    return any(rx.search(s) is not None for rx in (_RUN_RE, _SEQ_RE, _GROUP_RE))


#: marker words, matched in the lowered value
_MARKER_WORDS = (
    "example",
    "sample",
    "dummy",
    "placeholder",
    "redacted",
    "changeme",
    "change_me",
    "replaceme",
    "replace_me",
    "replace_with",
    "replace-with",
    "your_",
    "your-",
    "insert_",
    "insert-",
    "notreal",
    "not_real",
    "deadbeef",
    "***",
    *(f"fake{sep}{what}" for sep in ("", "_", "-") for what in ("key", "token", "secret")),
)


def _by_first_character(words: tuple[str, ...]) -> str:
    """An alternation of ``words`` grouped by their first character (``d(?:ummy|eadbeef)``):
    the same words, but a search tries one branch per first character at each position
    instead of every word."""
    groups: dict[str, list[str]] = {}
    for w in sorted(set(words)):
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join(f"{re.escape(c)}(?:{'|'.join(rests)})" for c, rests in groups.items())


#: the marker words as one search (lower-cased value)
_MARKER_RE = re.compile(_by_first_character(_MARKER_WORDS))


#: deletes the digits: a marker word with digits typed between its letters
#: (``eyE1x2a3MpLe``: a fixture's "example") is still the word
_NO_DIGITS = str.maketrans("", "", "0123456789")


def _has_marker(v: str) -> bool:
    # ``xxxx`` in one case only: ``xXXx`` turns up in random base62 (1 in 12,000 tokens)
    if "xxxx" in v or "XXXX" in v:
        return True
    low = v.lower()
    return (
        _MARKER_RE.search(low) is not None
        or _MARKER_RE.search(low.translate(_NO_DIGITS)) is not None
    )


_PEM_LINES = re.compile(r"-----(?:BEGIN|END)[ A-Z0-9]{0,40}-----|\\n|\s")


def _masked_block(block: str) -> bool:
    """A key block whose body is one character repeated (``-----BEGIN PRIVATE KEY-----XXXX…``):
    a mask a person typed in place of the key, as ``***`` is for a password."""
    body = _PEM_LINES.sub("", block)
    return len(body) >= 16 and _longest_run(body)[0] * 3 >= len(body) * 2


def is_placeholder(value: str, prefix: str = "", *, full: bool = True) -> bool:
    """True when ``value`` (a whole token, ``prefix`` included) looks typed by a person.

    ``full`` is for values a provider generates at random; without it (passwords, URLs,
    key blocks: people type those, and ``admin:admin`` is a real leak) only markers and
    masks count, and only in values of at most 120 characters."""
    v = value.strip().strip("\"'`")
    if not v:
        return True
    if not full:
        if v.startswith("-----BEGIN"):
            return _masked_block(v)
        return len(v) <= _LONG and (_has_marker(v) or _longest_run(v)[0] == len(v) > 3)
    if _has_marker(v):
        return True
    body = v[len(prefix) :] if prefix and v.startswith(prefix) else body_of(v)
    if len(body) < 6:
        return False
    if len(body) > _LONG:
        return _longest_run(body)[0] * 3 >= len(body) or len(set(body)) <= 4
    if len(set(body)) <= max(3, len(body) // 8):
        return True
    half = len(body) // 2
    if len(body) >= 12 and body[:half] == body[half : 2 * half]:
        return True  # one half typed twice
    return _shapes(body)


_AWS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html"
_STRIPE = "https://docs.stripe.com/api/authentication"
_JWT_IO = "https://jwt.io/"
_AWS_CLI = "https://github.com/aws/aws-cli/tree/develop/awscli/examples"
#: test and sample API keys committed in Firebase's public Android SDK (its test resources
#: and sample apps; allowlisted by gitleaks' gcp-api-key rule for the same reason)
_FIREBASE = "https://github.com/firebase/firebase-android-sdk"
#: the passwords of the nuget.config reference page's credential examples
_NUGET = "https://learn.microsoft.com/en-us/nuget/reference/nuget-config-file"
#: the storage emulator's fixed account key (``devstoreaccount1``), the same in every install
_AZURITE = "https://learn.microsoft.com/en-us/azure/storage/common/storage-use-azurite"
#: the example tokens and client credentials of the OAuth RFCs, which OAuth libraries copy
#: into their docstrings and tests
_RFC6749 = "https://www.rfc-editor.org/rfc/rfc6749"
_RFC6750 = "https://www.rfc-editor.org/rfc/rfc6750"
_RFC5849 = "https://www.rfc-editor.org/rfc/rfc5849"
#: Cisco DevNet's always-on Meraki sandbox: a read-only Dashboard API key that Cisco prints
#: for anyone to try the API with (the Meraki Ansible collection's README, shipped on PyPI)
_MERAKI_SANDBOX = "https://github.com/meraki/dashboard-api-ansible#readme"
#: HTTP Basic authentication's examples, copied into HTTP libraries' docs and tests: user
#: "Aladdin", password "open sesame" (RFC 7617 section 2, as in RFC 2617) and the UTF-8
#: example "test" / "123£" (section 2.1)
_RFC7617 = "https://www.rfc-editor.org/rfc/rfc7617#section-2"
#: the connection-string page's example user's password (``myDatabaseUser:D1fficultP%40ssw0rd``
#: on ``mongodb0.example.com``), copied into drivers' docs and tutorials
_MONGODB_DOCS = "https://www.mongodb.com/docs/manual/reference/connection-string/"
#: Mailgun's API documentation (v2): the private API key of its curl examples
#: (a `key-` key, base 36, whose digest is below), copied into tutorials and client READMEs
_MAILGUN_DOCS = "https://documentation.mailgun.net/api-intro.html"
#: SHA-256 of credentials that providers publish as examples (docs, public SDK samples),
#: each with the page that prints it: the values themselves are not stored here
PUBLISHED_EXAMPLES: dict[str, str] = {
    # AWS documentation: the example access key id and secret access key
    "1a5d44a2dca19669d72edf4c4f1c27c4c1ca4b4408fbb17f6ce4ad452d78ddb3": _AWS,
    "78314b11be2e581549ac1c4f616563fad3fdf0c3b71678f6e2299182080e0598": _AWS,
    # AWS CLI documentation (shipped in every awscli install): the access key ids inside
    # the presigned URLs of ecr/get-download-url-for-layer.rst and
    # ssm/get-deployable-patch-snapshot-for-instance.rst
    "05b9f5d960901639fef471f294de3e654936487c91e5f9cd019b24dc48ad7984": _AWS_CLI,
    "04fba2c05f91ad4be0d4459fdd0899910cfd97bf564bbfe45c5f42f23f43b857": _AWS_CLI,
    # and the LoRaWAN AppKey and NwkKey of iotwireless/create-wireless-device.rst and
    # get-wireless-device.rst (session 14: the long tail's LoRaWAN rule reads them)
    "e0a33b21e05584f770e104084eedbc8d2dbe42f1029addcf0bfda4942d44dd76": _AWS_CLI,
    "907e94c34ddc2cd46d6eb42fb44fbb8ad22659507afc61c8d982d1d0a5d8f23c": _AWS_CLI,
    # Stripe documentation: the test-mode keys printed in the API reference and guides
    "2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326": _STRIPE,
    "b1471f544ceeea31333bde7e1ecbaad6eac0d4a749412ad29bd66ef895b81c6b": _STRIPE,
    "f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397": _STRIPE,
    "5895b89c8fb33402a5bfc23aad5aaf863fbb438a51e1a0bb02b0ce618c8fdf9d": _STRIPE,
    # jwt.io: the HS256 token its debugger opens with (secret "your-256-bit-secret")
    "7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606": _JWT_IO,
    # Firebase Android SDK: the example Google API keys of its tests and samples
    "f56e323494a6ffc2064e7a955908957d84f0755e5f975dabd64328d0359a8f7c": _FIREBASE,
    "2037abcaffb2b77785da716cf7ccff4ff4d00c4ea930db0167b7d71f50af7eb4": _FIREBASE,
    "3f370c9dd8225c63b5c77de1f785edc9712958f18bb612d5fa2e0ae33aeca682": _FIREBASE,
    "e4a5542bb7fd7b67e943c71ad29c34b5972c9840597e7eda53e666f44d5da0b9": _FIREBASE,
    "a19f89ab3555eac10c40741f6df79ecf0935998f15569f8db9d67bce0181fff6": _FIREBASE,
    "0b476bdf9acf2123d547b5ae76f1e59884d8ec9553ee0c47e9f31fd4768f3f3c": _FIREBASE,
    "eb540d2b6ee2a0a47c5779bc8a0141784c6b753840d4c6f4e2428a6e86e9e0b1": _FIREBASE,
    "37f8f09bdf12c2f2eae4ead7273a62ddb0c23459cbf902892f282b57f7ed6619": _FIREBASE,
    "8731261cb72d86267a32a532ebd3df429e2144e5e4ced7e13568bc9e6c8fb1b1": _FIREBASE,
    "49f777db995e8260da7ca9ffdf0c08d66f0453e97ec967018baf2cdfe3b582d0": _FIREBASE,
    "27a9a42931dff7eb2f8434e20a9bce976ea364e7bee49187f19d5cfeca9c7045": _FIREBASE,
    "dc0fcf046c61640cbd1e8b999ada3262d722c2ca4bf42dceac999020ffdbb614": _FIREBASE,
    "4c98242dcadc8b29005c6b4aad526552d5ea1842149154c0694adeec75847583": _FIREBASE,
    "ea9bb1082cf95663f5faca23b8b15ef2aa0fce0a5c6df9c32dcb85b2e0a4513d": _FIREBASE,
    "3a8b61d0f636b007840c0d40ba12bcf48465dc054cdc1a68704a33521d84b665": _FIREBASE,
    "a6c814bc555ae62c7bd8b58ec07bf559c7ed3a009976a1e0acc9cef0d4473b41": _FIREBASE,
    # NuGet: the ClearTextPassword values of the nuget.config reference's packageSourceCredentials
    "dba72c00f41f4e4c435e2491a5e1ce0140c7b5a6a498dc4847396b5e6368970c": _NUGET,
    "a0702bc91d699f600970f4dc4992b13ede1a29d49fa0942dd4bed2b5e4b1016e": _NUGET,
    # Azurite / the Azure storage emulator: the well-known account key of devstoreaccount1
    "0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059": _AZURITE,
    # RFC 6749: the access, refresh and code examples, the client's Basic credentials
    # (s6BhdRkqt3:gX1fBat3bV, as base64 and its secret) and the MAC token id of 7.1
    "6c96130f130ab0d6d158397e24d2bcc1c9a5e73ae081f6e983f1c7b545d24a4c": _RFC6749,
    "00cf4c781dc37003f7c7dd7d4c9a6ef1e0f4c62d9a291aa8bc398774e3fefd32": _RFC6749,
    "a35b81a7d7927b70ec99270dd2362b88580a28574af812f2c02f56469579186f": _RFC6749,
    "ca7459e2b26776de081b9a07e40227fd6cff232a1e3233ff6b6aa6d036ca9981": _RFC6749,
    "53f5da0aaa93d64cd5772c554cbf940f0539e689dddbeb8f923eec3f72c02ea9": _RFC6749,
    "a71b359a87afde133e6d9731de69f8823d62b012072d43749f5dc976505403f5": _RFC6749,
    # RFC 6750: the bearer token of its examples
    "b8e148545b13c78bc74da2f1a7275dd71e56ddece129d7d2f7b3ecc06f7994da": _RFC6750,
    # RFC 5849 (OAuth 1.0): the consumer keys, secrets, tokens and verifier of sections 1.2,
    # 3.4.1 and 3.5.1
    "293257ab6495ebb11cf9e4aee0686ca30df8de2ab8d251f2cbbcf177bdfcae91": _RFC5849,
    "cb87c87e4a138d9a72259d2a01bab15623c9846e568c1509b287721645a6ea53": _RFC5849,
    "4c20e6f5cc11b93731e74cbe20739821d61c3563c9f50ecb884a27cd369f01fb": _RFC5849,
    "6aa14267d94944e6b6483c81f5ad37f87bbc7e88aa368d4aba1e71e0b79cd8c4": _RFC5849,
    "5586407997f5e8492fa0d6d310460386c80cc3542de6c876f75582bc219d4b82": _RFC5849,
    "bb9b1163338b2a51495834ad5c65420443d6327381cf0f94ebf92b117f209d72": _RFC5849,
    "649e1f5c769e718ba10d1a702a36499a731441d960b06da91c4c97786bf84595": _RFC5849,
    "80f8b7c904d4a43f3b7036db73247daafe15b3f647b337d19031ff67b7c1a177": _RFC5849,
    "2ff8b0fb93aca981c78f1e94355c298c23435461f1072ef4674848e620371787": _RFC5849,
    "c20fbc2b96183894fb46187909d02afbef5b1b56398ece2a653745dbfb407553": _RFC5849,
    "b87dad10a32a2d81aa2e36e31e258b36ac0c3b07d1c1d5837185e206e17e3a06": _RFC5849,
    "8d567eb88afff34f31ab97fbb2731e582703bdeaf3c92b989cf568e0b23cef31": _RFC5849,
    "9d03b692e941d5ace207a9f8048834439f6de98e5c6c1590c22c4f4577c88a42": _RFC5849,
    # the DevNet sandbox's Meraki Dashboard API key
    "d9c3482af2ba6590401884b4e15dea6dc4b08ab69bd1600930d9688e3fb08250": _MERAKI_SANDBOX,
    # RFC 7617: the password, the user-pass pair and its base64 (an ``Authorization: Basic``
    # header), and the UTF-8 example's pair and base64 (session 17)
    "41ef4bb0b23661e66301aac36066912dac037827b4ae63a7b1165a5aa93ed4eb": _RFC7617,
    "e30592c37ff33ddbcf5bca999e379f4a73dcab070892bddee33aae1d4a02e413": _RFC7617,
    "cf4d418ed3de92d71f767db5391d5a2dacd40e1ce49e75d1137e2ecf4982d844": _RFC7617,
    "0189a906c33080d302451050e2d34562d49d4e6feb2d31ee82f4239f8347ba0a": _RFC7617,
    "687da00b09c83361bf3a2853b3a0c7d63ca5da870c8d3cdc20905c7aa546840a": _RFC7617,
    # MongoDB's connection-string reference: the example password, URL-encoded and decoded
    "412a54cd6f4c7f2859ec2a6988a79bbd6e64d17733f4b021f3253d9ed6ab57da": _MONGODB_DOCS,
    "d179a5dc9a45dfa90720ea2fffc2f39c9df65d245da6f9c3130b2a5b4ed83076": _MONGODB_DOCS,
    # Mailgun's documented private API key (session 17: the Mailgun rules read base-36 keys)
    "9c846fdf0fa8955c377d0301542ee20ecd4585c5f359aa0a4cf15d44424f573d": _MAILGUN_DOCS,
}


#: the keys that libraries' READMEs and tutorials sign their example JWTs with
_DEMO_JWT_KEYS = (
    *("secret", "your-256-bit-secret", "your-384-bit-secret", "your-512-bit-secret"),
    *("your-secret-key", "your-secret", "secret-key", "secretkey", "my-secret", "mysecret"),
    *("my_secret", "key", "changeme", "password", "test", "shhhhh", "s3cr3t"),
)
_DEMO_JWT_KEY_BYTES = tuple(k.encode() for k in _DEMO_JWT_KEYS)
#: digest and the length of its unpadded base64url form, per HMAC algorithm
_HMAC_ALGS = {"HS256": ("sha256", 43), "HS384": ("sha384", 64), "HS512": ("sha512", 86)}


def is_demo_jwt(value: str) -> bool:
    """A JWT signed (HS256/384/512) with a key printed in documentation (``secret``,
    ``your-256-bit-secret``): an example whose signature anybody can make, not a session."""
    parts = value.strip().split(".")
    if len(parts) != 3 or not value.startswith("eyJ"):
        return False
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except (ValueError, UnicodeDecodeError):
        return False
    alg = _HMAC_ALGS.get(header.get("alg", "")) if isinstance(header, dict) else None
    if alg is None:
        return False
    digest, width = alg
    sig = parts[2].rstrip("=").encode("utf-8", "surrogatepass")
    if len(sig) != width:  # no key's signature has this length: no HMAC to compute
        return False
    try:
        raw = base64.urlsafe_b64decode(sig + b"=" * (-len(sig) % 4))
    except ValueError:
        return False
    if base64.urlsafe_b64encode(raw).rstrip(b"=") != sig:
        return False  # not the one encoding of a signature that every signer writes
    signed = f"{parts[0]}.{parts[1]}".encode()
    for keyed in _demo_macs(digest):
        mac = keyed.copy()  # the key's HMAC state, worked out once
        mac.update(signed)
        if hmac.compare_digest(mac.digest(), raw):
            return True
    return False


@functools.lru_cache(maxsize=len(_HMAC_ALGS))
def _demo_macs(digest: str) -> tuple[hmac.HMAC, ...]:
    """An HMAC of no message yet under each documented key (copied for each token)."""
    return tuple(hmac.new(key, digestmod=digest) for key in _DEMO_JWT_KEY_BYTES)


def is_published_example(value: str) -> bool:
    digest = hashlib.sha256(value.strip().encode("utf-8", "surrogatepass")).hexdigest()
    return digest in PUBLISHED_EXAMPLES or is_demo_jwt(value)
