"""Distro version order (dpkg, rpm, apk) against the tools' own implementations:
``dpkg --compare-versions``, rpm's ``rpm.vercmp`` (the ``rpm`` package), and apk-tools'
published test vectors (tests/fixtures/distro/apk-version.data)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipesec.vulndb.osversions import ApkVersion, apk_compare, apk_key, dpkg_key, rpm_key
from pipesec.vulndb.versions import parse_version, sort_versions

FIXTURES = Path(__file__).parent.parent / "fixtures" / "distro"
DPKG = shutil.which("dpkg")
RPM = shutil.which("rpm")
needs_dpkg = pytest.mark.skipif(DPKG is None, reason="dpkg is not installed: no reference order")
needs_rpm = pytest.mark.skipif(
    RPM is None, reason="rpm is not installed (apt-get install rpm): no reference rpmvercmp"
)


def _sign(x: int) -> int:
    return (x > 0) - (x < 0)


def _cmp(a: object, b: object) -> int:
    return int(a > b) - int(a < b)  # type: ignore[operator]


# ------------------------------------------------------------------ apk vectors


def _apk_vectors() -> list[tuple[str, str, str]]:
    out = []
    for line in (FIXTURES / "apk-version.data").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            a, op, b = line.split()
            out.append((a, op, b))
    return out


def test_apk_published_vectors() -> None:
    vectors = _apk_vectors()
    assert len(vectors) > 700
    wrong = [
        (a, op, b) for a, op, b in vectors if apk_compare(a, b) != {"<": -1, "=": 0, ">": 1}[op]
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("1.2.3_alpha", "1.2.3_beta"),
        ("1.2.3_beta", "1.2.3_pre"),
        ("1.2.3_pre", "1.2.3_rc1"),
        ("1.2.3_rc1", "1.2.3"),
        ("1.2.3", "1.2.3_p1"),
        ("1.2.3_p1", "1.2.3_p1-r1"),
        ("1.1.1d-r2", "1.1.1d-r3"),
        ("1.1.1c-r9", "1.1.1d-r0"),
    ],
)
def test_apk_order(lower: str, higher: str) -> None:
    assert parse_version("Alpine:v3.19", lower) < parse_version("Alpine:v3.19", higher)


def test_wolfi_and_chainguard_use_apk_order() -> None:
    for eco in ("Wolfi", "Chainguard"):
        assert parse_version(eco, "3.0.8_rc1-r0") < parse_version(eco, "3.0.8-r0")


def test_apk_invalid_is_refused() -> None:
    for bad in ("", "1.0-x", "abc", "1.0_foo", "1.0\x00"):
        with pytest.raises(ValueError):
            apk_key(bad)
    assert apk_key("1.0-r0") == ApkVersion("1.0-r0")
    assert hash(apk_key("1.0")) == hash(apk_key("1.0"))


_apk_versions = st.from_regex(
    r"\A[0-9]{1,3}(\.[0-9]{1,3}){0,3}[a-d]?(_(alpha|beta|pre|rc|p|git)[0-9]{0,2}){0,2}(-r[0-9]{1,2})?\Z"
)


@settings(max_examples=150, deadline=None)
@given(_apk_versions, _apk_versions, _apk_versions)
def test_apk_order_is_consistent(a: str, b: str, c: str) -> None:
    ka, kb, kc = apk_key(a), apk_key(b), apk_key(c)
    assert _cmp(ka, kb) == -_cmp(kb, ka)
    assert (ka == kb) == (apk_compare(a, b) == 0)
    if ka == kb:
        assert hash(ka) == hash(kb)
    if ka < kb and kb < kc:
        assert ka < kc


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_apk_fuzz(text: str) -> None:
    with contextlib.suppress(ValueError):
        apk_key(text)
    apk_compare(text, "1.0")


# ------------------------------------------------------------------ dpkg

_DPKG_EXAMPLES = [
    ("1.0~rc1", "1.0"),
    ("1.0", "1.0+b1"),
    ("1.0-1", "1.0-1ubuntu1"),
    ("2.35-0ubuntu3.8", "2.35-0ubuntu3.9"),
    ("3.0.11-1~deb12u2", "3.0.11-1~deb12u3"),
    ("3.0.11-1~deb12u2", "3.0.11-1"),
    ("9:1.0", "10:0.1"),
    ("1.0", "1:0.1"),
    ("1.0a", "1.0+"),
    ("1.0~", "1.0"),
    ("1.0~~", "1.0~"),
    ("0~", "0"),
    ("1.0-0~", "1.0-0"),
    ("00~a", "0"),
]


@pytest.mark.parametrize(("lower", "higher"), _DPKG_EXAMPLES)
def test_dpkg_order(lower: str, higher: str) -> None:
    assert dpkg_key(lower) < dpkg_key(higher)
    assert parse_version("Debian:12", lower) < parse_version("Ubuntu:22.04:LTS", higher)


def test_dpkg_equal_forms() -> None:
    assert dpkg_key("1.0") == dpkg_key("0:1.0")
    assert dpkg_key("1.0") == dpkg_key("1.0-0")
    assert dpkg_key("1.01") == dpkg_key("1.1")
    for bad in ("", "a b", "1:", "x:1.0", "1.0-", "1.0\t1"):
        with pytest.raises(ValueError):
            dpkg_key(bad)


_dpkg_versions = st.from_regex(r"\A([0-9]{1,2}:)?[0-9][0-9a-zA-Z.+~]{0,6}(-[0-9a-zA-Z.+~]{1,5})?\Z")


def _dpkg_ref(a: str, b: str) -> int:
    assert DPKG is not None
    for op, value in (("lt", -1), ("eq", 0)):
        r = subprocess.run([DPKG, "--compare-versions", a, op, b], capture_output=True)
        if r.returncode == 0:
            return value
    return 1


@needs_dpkg
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_dpkg_versions, _dpkg_versions)
def test_dpkg_matches_dpkg(a: str, b: str) -> None:
    assert _cmp(dpkg_key(a), dpkg_key(b)) == _dpkg_ref(a, b)


@needs_dpkg
def test_dpkg_examples_match_dpkg() -> None:
    for lower, higher in _DPKG_EXAMPLES:
        assert _dpkg_ref(lower, higher) == -1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_dpkg_fuzz(text: str) -> None:
    try:
        key = dpkg_key(text)
    except ValueError:
        return
    assert key == dpkg_key(text)


# ------------------------------------------------------------------ rpm

_RPM_EXAMPLES = [
    ("1.0~rc1", "1.0"),
    ("1.0", "1.0^post1"),
    ("1.0^post1", "1.0.1"),
    ("1.0a", "1.0.1"),
    ("1.0", "1.0-1"),
    ("3.0.7-27.el9", "3.0.7-28.el9"),
    ("3.0.7-28.el9", "1:3.0.7-1.el9"),
    ("7.76.1-29.el9_4", "7.76.1-29.el9_4.1"),
    ("2.34-100.el9", "2.34-100.el9_4.2"),
    ("1.el9", "1.el9_1"),
    ("a", "1"),
]


@pytest.mark.parametrize(("lower", "higher"), _RPM_EXAMPLES)
def test_rpm_order(lower: str, higher: str) -> None:
    assert rpm_key(lower) < rpm_key(higher)
    assert parse_version("AlmaLinux:9", lower) < parse_version("Rocky Linux:9", higher)


def test_rpm_equal_forms() -> None:
    assert rpm_key("1.0") == rpm_key("1_0") == rpm_key("1..0") == rpm_key("0:1.0")
    assert rpm_key("1.01") == rpm_key("1.1")
    for bad in ("", "x:1", "1 0", ":1.0"):
        with pytest.raises(ValueError):
            rpm_key(bad)


def _rpm_ref(pairs: list[tuple[str, str]]) -> list[int]:
    assert RPM is not None
    lua = "".join(f'print(rpm.vercmp("{a}", "{b}")) print(" ")\n' for a, b in pairs)
    out = subprocess.run(
        [RPM, "--eval", "%{lua:" + lua + "}"], capture_output=True, text=True, check=True
    ).stdout.split()
    return [_sign(int(x)) for x in out]


_rpm_versions = st.from_regex(r"\A([0-9]:)?[0-9a-zA-Z.~^_+]{1,7}(-[0-9a-zA-Z.~^_+]{0,6})?\Z")


@needs_rpm
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_rpm_versions, _rpm_versions), min_size=10, max_size=20))
def test_rpm_matches_rpmvercmp(pairs: list[tuple[str, str]]) -> None:
    ours = [_cmp(rpm_key(a), rpm_key(b)) for a, b in pairs]
    assert ours == _rpm_ref(pairs)


@needs_rpm
def test_rpm_examples_match_rpm() -> None:
    assert _rpm_ref(_RPM_EXAMPLES) == [-1] * len(_RPM_EXAMPLES)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_rpm_fuzz(text: str) -> None:
    with contextlib.suppress(ValueError):
        rpm_key(text)


def test_sort_versions_uses_distro_order() -> None:
    assert sort_versions("Debian:12", ["1.0", "1.0~rc1", "1.0+b1"]) == ("1.0~rc1", "1.0", "1.0+b1")
    assert sort_versions("Alpine:v3.19", ["1.0-r1", "1.0_rc1-r0", "1.0-r0"]) == (
        "1.0_rc1-r0",
        "1.0-r0",
        "1.0-r1",
    )
