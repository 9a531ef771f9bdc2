"""Licence policy over SPDX expressions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.scanners.deps.licenses import evaluate, normalise


@pytest.mark.parametrize(
    ("licenses", "allow", "deny", "denied"),
    [
        (["MIT"], [], ["GPL-*"], False),
        (["GPL-3.0-only"], [], ["GPL-*"], True),
        (["MIT OR GPL-3.0-only"], [], ["GPL-*"], False),
        (["MIT AND GPL-3.0-only"], [], ["GPL-*"], True),
        (["(MIT OR Apache-2.0) AND BSD-3-Clause"], ["MIT", "BSD-3-Clause"], [], False),
        (["Apache-2.0 AND BSD-3-Clause"], ["MIT", "BSD-3-Clause"], [], True),
        (["GPL-2.0-only WITH Classpath-exception-2.0"], [], ["GPL-2.0-only"], True),
        (["mit"], ["MIT"], [], False),  # case does not matter
        (["MIT License"], ["MIT"], [], False),  # a well-known free-text name
        (["Proprietary EULA"], ["MIT"], [], True),  # free text is not on an allow list
        (["MIT", "ISC"], [], ["ISC"], True),  # several entries all apply
    ],
)
def test_policy(licenses: list[str], allow: list[str], deny: list[str], denied: bool) -> None:
    assert evaluate(licenses, allow, deny).denied is denied


def test_unknown() -> None:
    assert evaluate([], ["MIT"], []).unknown
    assert evaluate(["NOASSERTION"], [], []).unknown
    assert not evaluate(["MIT"], [], []).unknown


def test_normalise() -> None:
    assert normalise("Apache 2.0") == ("Apache-2.0", True)
    assert normalise("mit or apache-2.0") == ("MIT OR Apache-2.0", True)
    assert normalise("see LICENSE file")[1] is False


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(max_size=40), max_size=3),
    st.lists(st.sampled_from(["MIT", "GPL-*", "*", "Apache-2.0", ""]), max_size=3),
    st.lists(st.sampled_from(["AGPL-*", "MIT", "[", "LicenseRef-*"]), max_size=3),
)
def test_never_crashes(licenses: list[str], allow: list[str], deny: list[str]) -> None:
    verdict = evaluate(licenses, allow, deny)
    assert isinstance(verdict.denied, bool)
