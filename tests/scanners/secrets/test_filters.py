"""The false-positive filters of generic secret candidates, and the cheap guards in front of
their regexes: a guard may only skip a regex that could not have matched."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.scanners.secrets import filters

# a value shaped like a real credential, built at run time
REALISTIC = "Zq8" + "mW4vT1pK9xR2" + "hN7cB5"


@pytest.mark.parametrize(
    "value",
    [
        "${DB_PASSWORD}",
        "$(cat /run/secrets/db)",
        "{{ secrets.DEPLOY_TOKEN }}",
        "os.environ['API_KEY']",
        "process.env.STRIPE_KEY",
        'System.getenv("TOKEN")',
        "<your-api-key>",
        "%(password)s",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
        "vault:secret/data/app#password",
        "changeme",
        "xxxxxxxxxxxx",
        "********",
        "get_password()",
        "DATABASE_PASSWORD",
        "https://example.invalid/path",
        r"^[A-Za-z0-9]{32}\d",
    ],
)
def test_references_placeholders_and_code_are_false_positives(value: str) -> None:
    assert filters.is_false_positive(value, f'password = "{value}"')


@pytest.mark.parametrize("value", [REALISTIC, REALISTIC + "/+=", "p" + REALISTIC[::-1]])
def test_credential_shaped_values_are_kept(value: str) -> None:
    assert not filters.is_false_positive(value, f'password = "{value}"')


_PIECES = st.sampled_from(
    [
        "$",
        "{",
        "}",
        "<",
        ">",
        "%",
        "[",
        "]",
        "#",
        "@",
        "(",
        ")",
        "?",
        ":",
        "*",
        "\\",
        "/",
        ".",
        "_",
        "-",
        "OS.ENVIRON",
        "GetEnv(",
        "Process.Env",
        "ENV[",
        "env(",
        "Secrets.",
        "VAULT:",
        "ssm:",
        "ARN:AWS",
        "abc",
        "Xy9",
        "https://",
        "(?:",
        "\\d",
        "s",
    ]
)
_VALUES = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(_VALUES)
def test_reference_guard_never_skips_a_match(value: str) -> None:
    if filters._REFERENCE.search(value):
        assert filters._may_reference(value)


@settings(max_examples=400, deadline=None)
@given(_VALUES)
def test_regex_or_glob_guard_and_anchored_code_match_the_full_search(value: str) -> None:
    if filters._REGEX_OR_GLOB.search(value):
        assert "://" in value or "(?" in value or "\\" in value or "*" in value
    assert bool(filters._CODE.search(value)) == bool(filters._CODE.match(value))


_DOC_PIECES = st.sampled_from(
    ["EXAMPLE", "EXAMPLEKEY", "KEY", "\n", "AKIAI", "O", "0", "SFODNN7", "wJalrXUtnFEMI/K7MDENG"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_DOC_PIECES, st.text(max_size=3)), max_size=6).map("".join))
def test_documented_example_test_is_the_documented_regex(value: str) -> None:
    # the string tests answer what the reference regex answers, trailing newline included
    assert filters.is_documented_example(value) == bool(filters._DOCUMENTED.search(value))
