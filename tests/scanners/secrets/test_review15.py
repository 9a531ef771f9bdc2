"""Session 15's review (review15, on d3edb33): hostile input for the list-keyed JSON decoder
and for the weak-password filter's described-password words. Values are built at run time."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.secrets.forms import ALNUM, Values

from pipesec.scanners.secrets import filters
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.rules import all_rules

_V = Values(151515)


def _regex(rule_id: str) -> re.Pattern[str]:
    return re.compile(next(r.regex for r in all_rules() if r.id == rule_id))


def test_list_keyed_json_items_are_split_one_way_only() -> None:
    """With the comma after an item optional, the characters between two items could be an
    item of their own (``"a"   "a"``: ``"   "`` is one), and a list that fails to close was
    split in exponentially many ways: one line of twenty ``"a"   `` items (140 bytes) took
    hours of CPU on d3edb33, in any file (the regex runs before the file kind is judged).
    Each item is now followed by a comma or the closing bracket."""
    list_json = _regex("secrets/decode-list-keyed-json")
    assert list_json.search('"passwords": ["a" "b"]') is None  # no commas: no JSON list
    for text in (
        '{"auth_tokens": ["abc1", "def2"]}',
        '{"auth_tokens": ["abc1", "def2",\n]}',  # a trailing comma (JSON5, code)
        '"keys": [\n  "abc1",\n  "def2"\n]',
    ):
        found = list_json.search(text)
        assert found is not None and "abc1" in found.group(2) and "def2" in found.group(2)


@pytest.mark.parametrize("path", ["app.js", "config.json"])
def test_a_list_that_never_closes_scans_at_once(engine: SecretEngine, path: str) -> None:
    """The line that took hours (an exponential regex, so no timing needed: before the fix
    this test did not end)."""
    body = 'x = {"passwords": [' + '"a"   ' * 20 + " x\n"
    assert list(engine.scan_text(body * 3, path=path)) == []


def test_list_keyed_json_still_reads_each_item(engine: SecretEngine) -> None:
    tokens = [_V.r(ALNUM, 32), _V.r(ALNUM, 32)]
    text = '{"auth_tokens": [\n  "' + tokens[0] + '",\n  "' + tokens[1] + '",\n]}\n'
    found = {text[f.start : f.end] for f in engine.scan_text(text, path="config.json")}
    assert set(tokens) <= found


#: filters._DESCRIBED's long-word alternative as session 14 wrote it (the reference)
_OLD_DESCRIBED = re.compile(
    r"example|(?=(?:.*[a-z]){12})[a-z]*password|^(?:my|your|new|the|some)[-_]?(?:new[-_]?)?pass",
    re.IGNORECASE,
)


@settings(max_examples=400)
@given(
    st.lists(
        st.sampled_from(["a", "Z", "password", "PassWord", "my", "example", "-", "1", "<", "\n"]),
        max_size=30,
    )
)
def test_described_password_words_match_as_before(parts: list[str]) -> None:
    """``(?=(?:.*[a-z]){12})`` tried at every position of a value read the rest of it each
    time: one 1,000-character unquoted value cost 75 ms in ``weak_false_positive`` (a 1 MB
    .env of ``DB_PASSWORD=a<ba<b…`` lines: 86 s of CPU). The same matches, found linearly."""
    v = "".join(parts)
    old, new = _OLD_DESCRIBED.search(v), filters._DESCRIBED.search(v)
    assert (old and old.span()) == (new and new.span())
    assert bool(filters._DESCRIBED_IN_STORE.search(v)) == bool(
        re.search(_OLD_DESCRIBED.pattern.replace("my|your", "your"), v, re.IGNORECASE)
    )


def test_long_unquoted_values_scan_at_once(engine: SecretEngine) -> None:
    body = ("DB_PASSWORD=" + "a<b" * 340 + "\n") * 40
    assert len(list(engine.scan_text(body, path=".env"))) == 40


#: a base64 password that starts with "/" (built from parts)
_SLASHED = "/x8Kq" + "2mP9vLw3nRt7wZ/bQ4s"


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (f"DB_PASSWORD={_SLASHED}\n", ".env"),
        (f"ENV DB_PASSWORD={_SLASHED}\n", "Dockerfile"),
        (f'password: "{_SLASHED}"\n', "config.yaml"),
    ],
)
def test_a_password_that_starts_with_a_slash_is_no_path(
    engine: SecretEngine, text: str, path: str
) -> None:
    """``filters._CODE`` read every value of word characters and ``/`` that starts with ``/``
    as a path, whatever the rule: about one base64 password in a hundred was dropped."""
    assert [m.value for m in engine.scan_text(text, path=path)] == [_SLASHED]


@pytest.mark.parametrize(
    "value", ["/etc/ssl/private/server.key", "/run/secrets/db_password", "/Users/John/key.pem"]
)
def test_paths_under_password_names_stay_quiet(engine: SecretEngine, value: str) -> None:
    assert list(engine.scan_text(f"DB_PASSWORD={value}\n", path=".env")) == []
