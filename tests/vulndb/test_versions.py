"""Version order per ecosystem: known pairs from each ecosystem's documentation, and
properties (a total order, parse never fails with anything but ValueError)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipesec.vulndb.versions import canonical_version, parse_version, sort_versions

LESS = [
    ("PyPI", "1.0rc1", "1.0"),
    ("PyPI", "1.0.dev0", "1.0a1"),
    ("PyPI", "1.0", "1.0.post1"),
    ("PyPI", "2.9", "2.10"),
    ("PyPI", "1!0.1", "1!1.0"),
    ("npm", "1.0.0-alpha", "1.0.0-alpha.1"),
    ("npm", "1.0.0-alpha.1", "1.0.0-alpha.beta"),
    ("npm", "1.0.0-alpha.beta", "1.0.0-beta"),
    ("npm", "1.0.0-beta.2", "1.0.0-beta.11"),
    ("npm", "1.0.0-rc.1", "1.0.0"),
    ("npm", "1.9.0", "1.10.0"),
    ("crates.io", "0.1.9", "0.1.10"),
    ("Go", "v1.2.3", "v1.2.4-0.20191109021931-daa7c04131f5"),
    ("Go", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4"),
    ("Go", "v0.0.0-20190101000000-aaaaaaaaaaaa", "v0.0.0-20200101000000-000000000000"),
    ("Go", "1.21.0-rc.2", "1.21.0"),
    ("Go", "go1.21rc2", "go1.21.0"),
    ("Go", "go1.20.14", "1.21.0-0"),
    ("RubyGems", "1.0.a", "1.0"),
    ("RubyGems", "1.0.0.pre1", "1.0.0"),
    ("RubyGems", "1.9", "1.10"),
    ("RubyGems", "1.0.0-rc1", "1.0.0"),
    ("Maven", "1.0-alpha1", "1.0-beta1"),
    ("Maven", "1.0-beta1", "1.0-milestone1"),
    ("Maven", "1.0-rc1", "1.0-SNAPSHOT"),
    ("Maven", "1.0-SNAPSHOT", "1.0"),
    ("Maven", "1.0", "1.0-sp1"),
    ("Maven", "1.0", "1.0.1"),
    ("Maven", "2.0.9", "2.0.10"),
    ("Maven", "1.0.0.RELEASE", "1.0.1"),
    ("NuGet", "1.0.0-beta", "1.0.0"),
    ("NuGet", "1.0.0.1", "1.0.1"),
    ("Packagist", "1.0.0-dev", "1.0.0-alpha1"),
    ("Packagist", "1.0.0-alpha1", "1.0.0-beta1"),
    ("Packagist", "1.0.0-beta1", "1.0.0-RC1"),
    ("Packagist", "1.0.0-RC1", "1.0.0"),
    ("Packagist", "1.0.0", "1.0.0-p1"),
    ("Packagist", "v2.9.9", "v2.10.0"),
    ("Pub", "2.0.0-nullsafety.0", "2.0.0"),
]

EQUAL = [
    ("PyPI", "3.2", "3.2.0"),
    ("PyPI", "1.0RC1", "1.0rc1"),
    ("npm", "v1.2.3", "1.2.3"),
    ("npm", "1.2.3+build.5", "1.2.3"),
    ("Go", "v2.0.0+incompatible", "2.0.0"),
    ("RubyGems", "1.0", "1.0.0"),
    ("Maven", "1.0", "1.0.0"),
    ("Maven", "1.0.Final", "1.0"),
    ("Maven", "1.0-ga", "1"),
    ("NuGet", "1.0", "1.0.0.0"),
    ("NuGet", "1.0.0-Beta", "1.0.0-beta"),
    ("Packagist", "v1.2", "1.2.0.0"),
]


@pytest.mark.parametrize(("eco", "a", "b"), LESS)
def test_order(eco: str, a: str, b: str) -> None:
    ka, kb = parse_version(eco, a), parse_version(eco, b)
    assert ka < kb and kb > ka and ka != kb


@pytest.mark.parametrize(("eco", "a", "b"), EQUAL)
def test_equal(eco: str, a: str, b: str) -> None:
    assert parse_version(eco, a) == parse_version(eco, b)
    assert canonical_version(eco, a) == canonical_version(eco, b)


@pytest.mark.parametrize(
    ("eco", "bad"),
    [("PyPI", "not a version"), ("npm", "1.x"), ("Go", "latest"), ("NuGet", "abc")],
)
def test_invalid_versions_raise_value_error(eco: str, bad: str) -> None:
    with pytest.raises(ValueError, match="version"):
        parse_version(eco, bad)


def test_sort_versions_puts_unparseable_last() -> None:
    assert sort_versions("PyPI", ["2.0", "1.10", "1.9", "junk!", "1.9.0"]) == (
        "1.9",
        "1.10",
        "2.0",
        "junk!",
    )


ECOS = ["PyPI", "npm", "Go", "RubyGems", "Maven", "NuGet", "Packagist", "crates.io", "Hex2"]
_version_text = st.text(alphabet="0123456789.-+abcrvRCpeltSNAPHOT_", max_size=16)


@given(eco=st.sampled_from(ECOS), text=st.text(max_size=30))
def test_parse_never_crashes(eco: str, text: str) -> None:
    with contextlib.suppress(ValueError):
        parse_version(eco, text)


@given(
    eco=st.sampled_from(ECOS),
    vs=st.lists(_version_text, min_size=3, max_size=3),
)
def test_total_order(eco: str, vs: list[str]) -> None:
    keys = []
    for v in vs:
        try:
            keys.append(parse_version(eco, v))
        except ValueError:
            return
    a, b, c = keys
    assert (a < b) + (b < a) + (a == b) == 1  # exactly one holds
    if a < b and b < c:
        assert a < c
    if a == b:
        assert hash(a) == hash(b)
        assert canonical_version(eco, vs[0]) == canonical_version(eco, vs[1])


# The orderings and equalities of Maven's own ComparableVersionTest.
MAVEN_QUALIFIERS = [
    "1-alpha2snapshot",
    "1-alpha2",
    "1-alpha-123",
    "1-beta-2",
    "1-beta123",
    "1-m2",
    "1-m11",
    "1-rc",
    "1-cr2",
    "1-rc123",
    "1-SNAPSHOT",
    "1",
    "1-sp",
    "1-sp2",
    "1-sp123",
    "1-abc",
    "1-def",
    "1-pom-1",
    "1-1-snapshot",
    "1-1",
    "1-2",
    "1-123",
]
MAVEN_NUMBERS = [
    "2.0",
    "2.0.a",
    "2-1",
    "2.0.2",
    "2.0.123",
    "2.1.0",
    "2.1-a",
    "2.1b",
    "2.1-c",
    "2.1-1",
    "2.1.0.1",
    "2.2",
    "2.123",
    "11.a2",
    "11.a11",
    "11.b2",
    "11.b11",
    "11.m2",
    "11.m11",
    "11",
    "11.a",
    "11b",
    "11c",
    "11m",
]
MAVEN_EQUAL = [
    ("1", "1.0"),
    ("1", "1.0.0"),
    ("1", "1-0"),
    ("1", "1.0-0"),
    ("1a", "1-a"),
    ("1a", "1.0-a"),
    ("1a", "1.0.0-a"),
    ("1.0a", "1-a"),
    ("1x", "1-x"),
    ("1x", "1.0.0-x"),
    ("1cr", "1rc"),
    ("1m3", "1milestone3"),
    ("1final", "1"),
    ("1ga", "1"),
    ("1release", "1"),
    ("1a1", "1-alpha-1"),
    ("1b2", "1-beta-2"),
    ("1m3", "1-milestone-3"),
    ("1X", "1x"),
    ("1RC1", "1rc1"),
]


@pytest.mark.parametrize("chain", [MAVEN_QUALIFIERS, MAVEN_NUMBERS], ids=["qualifiers", "numbers"])
def test_maven_comparable_version_order(chain: list[str]) -> None:
    keys = [parse_version("Maven", v) for v in chain]
    for i, a in enumerate(keys):
        for j in range(i + 1, len(keys)):
            assert a < keys[j], (chain[i], chain[j])


@pytest.mark.parametrize(("a", "b"), MAVEN_EQUAL)
def test_maven_comparable_version_equal(a: str, b: str) -> None:
    assert parse_version("Maven", a) == parse_version("Maven", b)
