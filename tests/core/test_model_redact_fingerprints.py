from __future__ import annotations

import hmac
from dataclasses import FrozenInstanceError

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import finding

from pipesec.core import fingerprints, redact
from pipesec.core.engine import assign_fingerprints, merge_duplicates
from pipesec.core.model import Location, Severity


def test_severity_order_and_parse() -> None:
    assert Severity.CRITICAL.at_least(Severity.HIGH)
    assert not Severity.LOW.at_least(Severity.MEDIUM)
    assert Severity.parse(" High ") is Severity.HIGH
    with pytest.raises(ValueError, match="expected one of critical"):
        Severity.parse("severe")


def test_finding_is_frozen() -> None:
    f = finding()
    with pytest.raises(FrozenInstanceError):
        f.rule_id = "x"  # type: ignore[misc]


@given(st.text(min_size=1, max_size=200))
def test_preview_never_shows_more_than_a_quarter_or_four(value: str) -> None:
    shown = redact.preview(value)
    assert shown.endswith(redact.MASK)
    visible = shown[: -len(redact.MASK)]
    assert len(visible) <= 4
    assert len(visible) <= len(value) // 4
    assert value.startswith(visible)


def test_redact_line_hides_the_span() -> None:
    secret = "ghp_" + "Zx9" * 12
    line = f'token = "{secret}"  # deploy'
    start = line.index(secret)
    out = redact.redact_line(line, start, start + len(secret))
    assert secret not in out
    assert out.startswith('token = "ghp_*****"')
    assert out.endswith("# deploy")


def test_redact_values_replaces_all() -> None:
    s1, s2 = "abcd" * 5, "wxyz" * 4
    text = f"{s1} and {s2} and {s1}"
    out = redact.redact_values(text, [s1, s2])
    assert s1 not in out and s2 not in out


def test_trim_snippet_keeps_focus() -> None:
    line = "x" * 500 + "NEEDLE" + "y" * 500
    out = redact.trim_snippet(line, focus=500, max_len=100)
    assert "NEEDLE" in out
    assert out.startswith("...") and out.endswith("...")


def test_secret_identity_is_keyed() -> None:
    a = fingerprints.secret_identity("hunter2", b"k1")
    b = fingerprints.secret_identity("hunter2", b"k2")
    assert a != b and a.startswith("hmac:")
    assert "hunter2" not in a


@given(st.text(), st.binary(max_size=150))
def test_secret_identity_is_hmac_sha256(value: str, key: bytes) -> None:
    # worked out from the key's pad states: the same digest as the standard library's HMAC,
    # keys longer than a SHA-256 block included
    raw = hmac.digest(key, value.encode("utf-8", "surrogatepass"), "sha256")
    assert fingerprints.secret_identity(value, key) == "hmac:" + raw.hex()


def test_fingerprint_key_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fingerprints.fingerprint_key(None) == fingerprints.DEFAULT_KEY
    assert fingerprints.fingerprint_key("cfg") == b"cfg"
    monkeypatch.setenv(fingerprints.KEY_ENV, "env")
    assert fingerprints.fingerprint_key("cfg") == b"env"


def test_fingerprint_stable_across_line_moves_and_distinct_for_repeats() -> None:
    f1 = finding(line=3, identity="same")
    moved = finding(line=40, identity="same")
    [a] = assign_fingerprints([f1])
    [b] = assign_fingerprints([moved])
    assert a.fingerprint == b.fingerprint
    twice = assign_fingerprints(
        [finding(line=3, identity="same"), finding(line=9, identity="same")]
    )
    assert len({f.fingerprint for f in twice}) == 2
    other_rule = assign_fingerprints([finding(rule_id="x/y", identity="same")])
    assert other_rule[0].fingerprint != a.fingerprint


def test_same_secret_from_two_scanners_merges() -> None:
    ident = fingerprints.secret_identity("value", b"k")
    a = finding(
        rule_id="secrets/generic", scanner="secrets", identity=ident, severity=Severity.MEDIUM
    )
    b = finding(
        rule_id="gha/hardcoded", scanner="pipelines", identity=ident, severity=Severity.HIGH
    )
    merged = merge_duplicates(assign_fingerprints([a, b]))
    assert len(merged) == 1
    assert merged[0].severity is Severity.HIGH


def test_secret_seen_by_iac_keeps_the_secrets_rule_id() -> None:
    ident = fingerprints.secret_identity("value", b"k")
    iac = finding(rule_id="tf/hardcoded-secret", scanner="iac", identity=ident)
    sec = finding(
        rule_id="secrets/generic-password",
        scanner="secrets",
        identity=ident,
        severity=Severity.MEDIUM,
    )
    for order in ([iac, sec], [sec, iac]):
        [merged] = merge_duplicates(assign_fingerprints(order))
        assert merged.rule_id == "secrets/generic-password"
        assert merged.scanner == "secrets"
        assert merged.severity is Severity.HIGH  # the merge never weakens the gate


def test_different_rules_on_one_line_do_not_merge() -> None:
    a = finding(rule_id="k8s/privileged", identity="same text")
    b = finding(rule_id="k8s/run-as-root", identity="same text")
    assert len(merge_duplicates(assign_fingerprints([a, b]))) == 2


def test_location_sort_key() -> None:
    assert Location("a", 2, 1).sort_key() < Location("a", 10, 1).sort_key()
