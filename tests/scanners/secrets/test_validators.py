"""Offline validators: documented checksums and structures only."""

from __future__ import annotations

import base64
import json
import random
import string

from hypothesis import given
from hypothesis import strategies as st

from pipesec.scanners.secrets import validators as v
from pipesec.scanners.secrets.rules.keys import _pem, basic_auth_value

ALNUM = string.ascii_letters + string.digits


def _token(prefix: str, seed: int) -> str:
    r = random.Random(seed)
    body = "".join(r.choice(ALNUM) for _ in range(30))
    return prefix + body + v.crc32_base62(body)


def test_base62_alphabet_and_padding() -> None:
    assert v.base62(0) == "0"
    assert v.base62(61) == "z" and v.base62(62) == "10"
    assert len(v.crc32_base62("x" * 30)) == 6


def test_github_and_npm_checksums() -> None:
    for seed in range(20):
        gh = _token("ghp_", seed)
        assert v.github_checksum(gh)
        broken = gh[:-1] + ("0" if gh[-1] != "0" else "1")
        assert not v.github_checksum(broken)
        npm = _token("npm_", seed)
        assert v.npm_checksum(npm) and not v.npm_checksum(
            npm[:-2] + "zz" if npm[-2:] != "zz" else npm[:-2] + "yy"
        )
    assert not v.github_checksum("ghp_short")


def _macaroon(location: bytes, sig_len: int = 32) -> str:
    ident = b'{"nonce": "abc", "version": 1}'
    raw = (
        b"\x02\x01"
        + bytes([len(location)])
        + location
        + b"\x02"
        + bytes([len(ident)])
        + ident
        + b"\x00\x02\x05hello\x00\x00\x06"
        + bytes([sig_len])
        + b"\x11" * sig_len
    )
    return "pypi-" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_pypi_macaroon_structure() -> None:
    assert v.pypi_macaroon(_macaroon(b"pypi.org"))
    assert v.pypi_macaroon(_macaroon(b"test.pypi.org"))
    assert not v.pypi_macaroon(_macaroon(b"evil.example"))
    assert not v.pypi_macaroon(_macaroon(b"pypi.org", sig_len=16))
    assert not v.pypi_macaroon("pypi-AgEIcHlwaS5vcmc" + "A" * 60)
    assert not v.pypi_macaroon("pypi-")


def test_jwt_structure() -> None:
    def enc(o: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(o).encode()).decode().rstrip("=")

    good = f"{enc({'alg': 'HS256'})}.{enc({'sub': '1'})}.{'s' * 43}"
    assert v.jwt(good)
    assert not v.jwt(f"{enc({'typ': 'JWT'})}.{enc({'sub': '1'})}.{'s' * 43}")  # no alg
    assert not v.jwt(f"{enc({'alg': 'HS256'})}.{enc([1, 2])}.{'s' * 43}")  # not an object
    assert not v.jwt("eyJhbGciOi.eyJzdWIi.abc")


def test_private_keys_parse_or_not() -> None:
    for kind in ("rsa", "ec", "dsa", "openssh", "pkcs8", "encrypted"):
        block = _pem(kind)
        assert v.private_key(block), kind
        assert v.private_key(block.replace("\n", "\\n")), kind  # quoted on one line
        lines = block.splitlines()
        truncated = "\n".join(lines[:2] + lines[-1:])
        assert not v.private_key(truncated), kind


def test_basic_auth_value() -> None:
    assert basic_auth_value(base64.b64encode(b"deploy:s3cr3t-value").decode())
    assert not basic_auth_value(base64.b64encode(b"no-colon-here").decode())
    assert not basic_auth_value("!!!not base64")


@given(st.text(max_size=300))
def test_validators_never_raise(text: str) -> None:
    for fn in (v.github_checksum, v.npm_checksum, v.pypi_macaroon, v.jwt, v.private_key):
        assert fn(text) in (True, False)
        assert fn("pypi-" + text) in (True, False)


def test_grafana_keys_are_json_with_key_name_and_org() -> None:
    doc = {"k": "Zq8mW4vT1pK9xR2hN7cB5" + "tQ7vX2mK9pL4", "n": "ci", "id": 1}
    good = base64.b64encode(json.dumps(doc).encode()).decode()
    other = base64.b64encode(json.dumps({"k": "x", "t": "y", "c": 5}).encode()).decode()
    assert v.grafana_key(good)
    assert not v.grafana_key(other)
    assert not v.grafana_key("eyJrIjoi" + "%%%")
