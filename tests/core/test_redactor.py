"""The one redactor: credential shapes core knows, detectors scanners register, escaping."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.core import redact
from pipesec.core.redact import escape_text, redact_text, redact_texts

SECRET = "Qw3" + "rTy7uIo9" + "PaSd"


@pytest.mark.parametrize(
    "template",
    [
        "RUN curl -u admin:{} https://x/i.sh | sh",
        "curl --user=admin:{} https://x",
        "ADD https://user:{}@host/f /f",
        "git clone https://{}{}@github.com/o/r",
        "docker login -u me -p {} registry",
        "mysqladmin --password={} status",
        'curl -H "Authorization: Bearer {}" https://x',
        "https://x/y?access_token={}&a=1",
        "DB_PASSWORD={}",
        'env: {{API_TOKEN: "{}"}}',
    ],
)
def test_credential_shapes_are_masked(template: str) -> None:
    text = template.format(SECRET, SECRET)
    out = redact_text(text)
    assert SECRET not in out
    assert redact.MASK in out


@pytest.mark.parametrize(
    "text",
    [
        "password: ${{ secrets.DB_PASSWORD }}",
        "permissions: {id-token: write}",
        "ssh://git@github.com/o/r",
        "token = settings.API_TOKEN",
        ".pipesec.toml: scanners.secretz: unknown scanner",
        "scanners.secrets: verify-endpoint: unknown key",
        "plain message without credentials",
    ],
)
def test_no_credential_no_change(text: str) -> None:
    assert redact_text(text) == text


#: one text per credential shape, by the shape's name
_SHAPE_EXAMPLES = {
    "url-userinfo": "ADD https://user:{}@host/f /f",
    "user-flag": "RUN curl -u admin:{} https://x/i.sh",
    "secret-flag": "mysqladmin --password {} status",
    "login-p": "docker login -u me -p {} registry",
    "auth-header": "Private-Token: {}",
    "query-parameter": "https://x/y?sig={}&a=1",
    "assignment": "DB_PASSWORD={}",
}


@pytest.mark.parametrize("name", sorted(_SHAPE_EXAMPLES))
def test_each_shape_carries_its_own_literals(name: str) -> None:
    """A shape's literals sit beside its pattern: its own example holds one of each group
    (in lower case, as the prefilter compares) and the pattern finds the secret there."""
    pattern, needs = redact._shapes()[name]
    text = _SHAPE_EXAMPLES[name].format(SECRET)
    assert all(word == word.lower() for group in needs for word in group)
    assert redact._may_match(text.lower(), needs)
    assert any(m.group(m.lastindex or 0) == SECRET for m in pattern.finditer(text))


def test_every_shape_has_an_example() -> None:
    assert sorted(redact._shapes()) == sorted(_SHAPE_EXAMPLES)


#: pieces of the shapes (keywords in both cases, separators, quotes, non-ASCII look-alikes
#: that ``(?i)`` matches as ASCII letters) to build texts near a shape's edges
_PIECES = [
    *("password", "PASSWD", "pwd", "Token", "secret", "api_key", "API-KEY", "apikey"),
    *("access_key", "private-key", "credentials", "auth", "authorization", "private-token"),
    *("job-token", "x-auth-token", "x-api-key", "login", "-p", "-u", "-U", "--user"),
    *(
        "--password",
        "--api-key",
        "--Secret",
        "://",
        "https://u:",
        "@",
        "?",
        "&",
        ";",
        "=",
        ":",
        " ",
        "\n",
        "'",
        '"',
    ),
    *("$", "{{", "(", ".", "-", "_", "x", "Qw3rTy7uIo9", "pa\u017f\u017fword", "\u212aey"),
    *("\u0130", "\u00e9", "\u017fecret", "TO\u212aEN"),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=12))
def test_the_shape_prefilter_changes_no_span(pieces: list[str]) -> None:
    """Skipping a shape for a text without its literals finds exactly the same spans."""
    text = "".join(pieces)
    assert redact._shape_spans(text) == redact._shape_spans(text, prefilter=False)


def test_the_shape_prefilter_changes_no_span_for_any_three_pieces() -> None:
    for a, b in itertools.product(_PIECES, repeat=2):
        for c in ("", "=", ":", " ", "me:"):
            text = a + c + b + SECRET
            assert redact._shape_spans(text) == redact._shape_spans(text, prefilter=False), text


@pytest.mark.parametrize(
    "text",
    [
        "pa\u017f\u017fword=" + SECRET,  # (?i) matches the long s as an s
        "API_\u212aEY=" + SECRET,  # ... and the Kelvin sign as a k
        "curl -U me:" + SECRET + " https://x",
        "Private-Token: " + SECRET,
    ],
)
def test_the_shape_prefilter_keeps_case_and_look_alike_forms(text: str) -> None:
    assert redact._shape_spans(text) == redact._shape_spans(text, prefilter=False) != []
    assert SECRET not in redact_text(text)


def test_registered_detector_is_applied_across_a_batch() -> None:
    def find(text: str) -> list[tuple[int, int]]:
        out = []
        start = text.find("xyzzy-")
        while start != -1:
            out.append((start, start + 16))
            start = text.find("xyzzy-", start + 1)
        return out

    redact.register_detector("test-xyzzy", find)
    try:
        texts = ["a xyzzy-0123456789 b", "", "none here", "xyzzy-abcdefghij"]
        out = redact_texts(texts)
        assert out[1] == "" and out[2] == "none here"
        assert "0123456789" not in out[0] and out[0].startswith("a ")
        assert "abcdefghij" not in out[3]
    finally:
        redact.unregister_detector("test-xyzzy")


def test_a_failing_detector_does_not_stop_redaction() -> None:
    def broken(text: str) -> list[tuple[int, int]]:
        raise RuntimeError("boom")

    redact.register_detector("test-broken", broken)
    try:
        assert SECRET not in redact_text(f"--token {SECRET}")
    finally:
        redact.unregister_detector("test-broken")


def test_secrets_scanner_registers_its_detector() -> None:
    key = "AKIA" + "Q3EGRT5YVJ2M" + "ZXHP"
    assert key not in redact_text(f"an error quoting {key} in a config line")


def test_core_does_not_import_a_scanner() -> None:
    import ast
    from pathlib import Path

    core = Path(redact.__file__).parent
    for path in core.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("pipesec.scanners"), path.name


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\n\nGATE PASSED\n::warning::x.py", "a\\n\\nGATE PASSED\\n::warning::x.py"),
        ("x\udcff.py", "x\\xff.py"),
        ("abc\u202edef\u2066", "abc\\u202edef\\u2066"),
        ("\x1b[2Jcr\rnul\x00c1\x85", "\\x1b[2Jcr\\rnul\\x00c1\\x85"),
        ("::error::forged", "\\::error::forged"),
        ("  ::error::forged", "\\  ::error::forged"),
        ("plain text", "plain text"),
    ],
)
def test_escape_text(raw: str, shown: str) -> None:
    assert escape_text(raw) == shown


def test_escape_text_keeps_newlines_when_asked() -> None:
    assert escape_text("one\n::two\u202e", keep_newlines=True) == "one\n\\::two\\u202e"
