"""The one placeholder detector every rule uses, and the published-examples allowlist.

Credential-shaped values are built from parts at run time (no whole fake token in tests)."""

from __future__ import annotations

import random
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.scanners.secrets import placeholders
from pipesec.scanners.secrets.engine import SecretEngine

ALNUM = string.ascii_letters + string.digits


def _rand(n: int, seed: int, charset: str = ALNUM) -> str:
    r = random.Random(seed)
    return "".join(r.choice(charset) for _ in range(n))


B32 = string.ascii_uppercase + "234567"
_CASES = [
    ("secrets/gitlab-pat", 'GITLAB_TOKEN = "glpat-{}"', 20, "x" * 20),
    ("secrets/gitlab-pat", 'GITLAB_TOKEN = "glpat-{}"', 20, "1234567890" * 2),
    ("secrets/gitlab-pat", 'GITLAB_TOKEN = "glpat-{}"', 20, "abcd" * 5),
    ("secrets/gitlab-pat", 'GITLAB_TOKEN = "glpat-{}"', 20, "EXAMPLE" + _rand(13, 1)),
    (
        "secrets/github-fine-grained-pat",
        'T = "github_pat_{}"',
        82,
        "11" + "0" * 20 + "_" + "x" * 59,
    ),
    ("secrets/aws-access-key-id", 'aws_access_key_id = "AKIA{}"', 16, "X" * 16),
    ("secrets/vault-service-token", 'VAULT_TOKEN = "hvs.{}"', 90, "x" * 90),
    ("secrets/openshift-token", 'oc login --token="sha256~{}"', 43, "X" * 43),
    ("secrets/prefect-api-key", 'PREFECT_API_KEY = "pnu_{}"', 36, "X" * 36),
]


@pytest.mark.parametrize(("rule_id", "template", "n", "body"), _CASES)
def test_placeholders_are_dropped_by_every_provider_rule(
    rule_id: str, template: str, n: int, body: str, engine: SecretEngine
) -> None:
    assert rule_id in {r.id for r in engine.rules}
    text = template.format(body) + "\n"
    assert [m.rule.id for m in engine.scan_text(text, path="app.py")] == []
    # the same shape with a random body is found
    real = _rand(n, n, B32)
    if rule_id == "secrets/github-fine-grained-pat":
        real = real[:22] + "_" + _rand(59, 59, B32)
    found = engine.scan_text(template.format(real) + "\n", path="app.py")
    assert rule_id in [m.rule.id for m in found]


def test_fake_provider_shape_does_not_fall_through_to_a_generic_rule(engine: SecretEngine) -> None:
    short = "ghp_" + _rand(20, 3)  # 20 characters where GitHub's format has 36
    found = [m.rule.id for m in engine.scan_text(f'token = "{short}"\n', path="app.py")]
    assert found == []
    # an unprefixed value of the same length is still a generic finding
    found = [m.rule.id for m in engine.scan_text(f'token = "{_rand(24, 3)}"\n', path="app.py")]
    assert found == ["secrets/generic-token"]


def test_a_body_written_twice_is_a_placeholder(engine: SecretEngine) -> None:
    half = "DEAD" + "BEEF"
    text = f'aws_access_key_id = "AKIA{half}{half}"\n'
    assert [m.rule.id for m in engine.scan_text(text, path="app.py")] == []
    assert not placeholders.is_placeholder("AKIA" + _rand(16, 7, string.ascii_uppercase))


def _jwt(key: str, bits: int = 256) -> str:
    import base64
    import hmac

    def b64(b: bytes) -> str:
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

    head = b64(b'{"alg":"HS%d","typ":"JWT"}' % bits)
    body = b64(b'{"sub":"' + _rand(12, 11).encode() + b'","iat":1700000000}')
    sig = hmac.new(key.encode(), f"{head}.{body}".encode(), f"sha{bits}").digest()
    return f"{head}.{body}.{b64(sig)}"


def test_demo_jwts_of_every_hmac_algorithm() -> None:
    for bits in (256, 384, 512):
        demo = _jwt(f"your-{bits}-bit-" + "sec" + "ret", bits)
        assert placeholders.is_demo_jwt(demo), bits
        assert not placeholders.is_demo_jwt(demo[:-1])  # a signature of another length
        assert not placeholders.is_demo_jwt(_jwt(_rand(32, bits), bits))


def test_demo_jwt_needs_the_signature_as_a_signer_writes_it() -> None:
    """A signature whose last character carries stray low bits decodes to the demo key's
    MAC but is no token a signer wrote (the comparison is on the written signature)."""
    import base64

    demo = _jwt("sec" + "ret")  # HS256: 43 characters, the last one's 2 low bits unused
    head, body, sig = demo.split(".")
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    odd = sig[:-1] + alphabet[alphabet.index(sig[-1]) ^ 1]
    assert base64.urlsafe_b64decode(odd + "=") == base64.urlsafe_b64decode(sig + "=")
    assert placeholders.is_demo_jwt(demo)
    assert not placeholders.is_demo_jwt(f"{head}.{body}.{odd}")


def test_jwts_signed_with_a_documented_key_are_examples(engine: SecretEngine) -> None:
    demo, real = _jwt("sec" + "ret"), _jwt(_rand(32, 12))
    assert placeholders.is_demo_jwt(demo) and not placeholders.is_demo_jwt(real)
    assert not placeholders.is_demo_jwt("eyJ" + "x.y.z")
    ids = [m.rule.id for m in engine.scan_text(f"token: {demo}\n", path="README.txt")]
    assert "secrets/jwt" not in ids
    ids = [m.rule.id for m in engine.scan_text(f"token: {real}\n", path="README.txt")]
    assert "secrets/jwt" in ids


def test_published_examples_are_allowlisted() -> None:
    stripe_doc = "sk_" + "test_" + "4eC39HqLyjWDarjtT1zdp7dc"
    assert placeholders.is_published_example(stripe_doc)
    assert not placeholders.is_published_example("sk_" + "test_" + _rand(24, 5))
    assert all(src.startswith("https://") for src in placeholders.PUBLISHED_EXAMPLES.values())
    # the nuget.config reference's ClearTextPassword values (gitleaks' negatives; session 12)
    assert placeholders.is_published_example("33f!!" + "lloppa")
    assert placeholders.is_published_example("hal+9ooo" + "_da!sY")


def test_a_key_block_masked_with_one_character_is_a_placeholder() -> None:
    """``-----BEGIN PRIVATE KEY-----XXXX…-----END PRIVATE KEY-----`` (session 12): a mask, as
    ``***`` is for a password; a block of base64 is not."""
    begin, end = "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----"
    assert placeholders.is_placeholder(begin + "X" * 1500 + end, full=False)
    assert placeholders.is_placeholder(begin + "\\n" + "x" * 64 + "\\n" + end, full=False)
    assert not placeholders.is_placeholder(begin + "\n" + _rand(64, 3) + "\n" + end, full=False)


def test_typed_passwords_are_not_placeholders_for_password_rules() -> None:
    assert not placeholders.is_placeholder("admin", full=False)
    assert not placeholders.is_placeholder("Qw3rTy7" * 3, full=False)
    assert placeholders.is_placeholder("your-password", full=False)
    assert placeholders.is_placeholder("********", full=False)
    assert placeholders.is_placeholder("Qw3rTy7" * 3)  # a repeated group in a token


@pytest.mark.parametrize(
    "body",
    ["x" * 30, "0" * 30, "123456" + _rand(24, 9), _rand(10, 2) + "ZYXWVU" + _rand(10, 4)],
)
def test_detector_shapes(body: str) -> None:
    assert placeholders.is_placeholder("tok_" + body)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALNUM, min_size=30, max_size=40))
def test_random_base62_tokens_are_rarely_placeholders(body: str) -> None:
    """Hypothesis draws adversarially, so this checks the detector never crashes and is
    consistent; the rate on truly random tokens is checked below."""
    assert placeholders.is_placeholder("tok_" + body) in (True, False)


def test_false_placeholder_rate_on_random_tokens() -> None:
    r = random.Random(0)
    flagged = sum(
        placeholders.is_placeholder("ghp_" + "".join(r.choice(ALNUM) for _ in range(36)))
        for _ in range(20000)
    )
    assert flagged <= 2
    hexes = sum(
        placeholders.is_placeholder("".join(r.choice("0123456789abcdef") for _ in range(32)))
        for _ in range(20000)
    )
    assert hexes <= 20


#: the shapes as plain regular expressions, written here independently of the module's
#: integer-XOR implementation, as the reference it must agree with
_REF_SEQ = "|".join(
    re.escape(w)
    for seq in ("0123456789", string.ascii_lowercase, string.ascii_uppercase, "qwertyuiop")
    for s in (seq, seq.upper())
    for i in range(len(s) - 5)
    for w in (s[i : i + 6], s[i : i + 6][::-1])
)
_REF = re.compile(
    r"(.)\1{5,}|([xX*#\u2022.])\2{3,}|(..)\3{5,}|(...)\4{3,}|(.{4,8})\5{2,}|" + _REF_SEQ,
    re.DOTALL,
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet="abcdefxyz0123456789XYZqwerty*.#", min_size=1, max_size=9),
            st.text(min_size=1, max_size=4),
        ),
        max_size=8,
    ).map("".join)
)
def test_shape_detector_agrees_with_the_regular_expressions(s: str) -> None:
    assert placeholders._shapes(s) == (_REF.search(s) is not None)


def test_shape_detector_examples() -> None:
    shapes = ("aaaaaa", "ab" * 6, "abc" * 4, "wxyz" * 3, "x4Yz9q" * 3, "uvwxyz", "QWERTY", "ytrewq")
    for s in shapes:
        assert placeholders._shapes("K9" + s + "pT"), s
    for s in ("aaaaa", "ab" * 5, "abc" * 3 + "ab", "uvwxy", "qwert", "89:;<=", "ZYXWV"):
        assert not placeholders._shapes(s), s


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet="abcdefxyz0123456789XYZqwertyuiop*.#\x01\x02", min_size=1, max_size=9),
            st.text(alphabet=st.characters(min_codepoint=1, max_codepoint=127), max_size=4),
        ),
        max_size=8,
    ).map("".join)
)
def test_shape_prefilter_lets_every_shape_through(s: str) -> None:
    # _may_shape is the cheap necessary condition before the exact test: whatever the
    # regular expressions call a shape (masks aside: _shapes tests them first), it passes
    masked = any(m in s for m in placeholders._MASKS)
    if placeholders._shapes_re(s) and not masked:
        assert placeholders._may_shape(s.encode("ascii"))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(placeholders._MARKER_WORDS).map(lambda w: w[: len(w) - 1]),
            st.sampled_from(placeholders._MARKER_WORDS),
            st.text(alphabet="acdefilmnoprstuxy_-*", max_size=5),
        ),
        max_size=6,
    ).map("".join)
)
def test_marker_search_finds_exactly_the_marker_words(s: str) -> None:
    # the alternation grouped by first character finds what the plain one finds
    assert (placeholders._MARKER_RE.search(s) is not None) == any(
        w in s for w in placeholders._MARKER_WORDS
    )


def test_masks_spelled_out_in_the_shape_test() -> None:
    # _shapes tests these four-character masks one by one, spelled out
    assert placeholders._MASKS == ("xxxx", "XXXX", "****", "####", "....", "\u2022" * 4)
