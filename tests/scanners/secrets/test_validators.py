"""Offline validators: documented checksums and structures only."""

from __future__ import annotations

import base64
import functools
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


def _rsa_block(**change: int) -> str:
    """A PEM RSA key made at run time, with some of its numbers replaced (``d=…``)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    n = key.private_numbers()
    fields = {k: getattr(n, k) for k in ("p", "q", "d", "dmp1", "dmq1", "iqmp")}
    e, modulus = n.public_numbers.e, n.public_numbers.n
    fields.update({k: v for k, v in change.items() if k in fields})
    public = rsa.RSAPublicNumbers(change.get("e", e), change.get("n", modulus))
    edited = rsa.RSAPrivateNumbers(**fields, public_numbers=public)
    key = edited.private_key(unsafe_skip_rsa_key_validation=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return pem.decode()


def test_rsa_key_whose_numbers_do_not_fit_is_invalid() -> None:
    """The RSA check is made without OpenSSL's primality tests (session 19: 50 ms a
    2,048-bit key): a block whose numbers were edited still fails it, as it did."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    assert v.private_key(_rsa_block())
    base = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    other = base.private_numbers()
    for change in (
        {"d": other.d},
        {"dmp1": other.dmp1},
        {"dmq1": other.dmq1},
        {"iqmp": other.iqmp},
        {"e": 65539},
    ):  # (cryptography refuses to build a key whose p times q is not its modulus)
        assert not v.private_key(_rsa_block(**change)), change


@functools.cache
def _rsa_forms() -> tuple[str, ...]:
    """One RSA key made at run time, as PKCS#1, PKCS#8 and OpenSSH blocks."""
    from cryptography.hazmat.primitives import serialization as s
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    forms = (s.PrivateFormat.TraditionalOpenSSL, s.PrivateFormat.PKCS8, s.PrivateFormat.OpenSSH)
    return tuple(key.private_bytes(s.Encoding.PEM, f, s.NoEncryption()).decode() for f in forms)


@given(st.data())
def test_private_key_agrees_with_the_full_check(data: st.DataObject) -> None:
    """One character of a key block's body edited: the verdict is the one of ``cryptography``
    loading the block with OpenSSL's whole RSA check (primality tests included)."""
    from cryptography.hazmat.primitives import serialization

    block = data.draw(st.sampled_from([*_rsa_forms(), _pem("pkcs8"), _pem("openssh")]))
    lines = block.splitlines()
    i = data.draw(st.integers(1, len(lines) - 2))
    j = data.draw(st.integers(0, len(lines[i]) - 1))
    c = data.draw(st.sampled_from(string.ascii_letters + string.digits + "+/"))
    lines[i] = lines[i][:j] + c + lines[i][j + 1 :]
    edited = "\n".join(lines)
    raw = edited.encode()
    loader = (
        serialization.load_ssh_private_key
        if b"OPENSSH" in raw
        else serialization.load_pem_private_key
    )
    try:
        loader(raw, password=None)
        full = True
    except Exception:
        full = False
    assert v.private_key(edited) == full
