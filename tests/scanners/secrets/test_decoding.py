"""The decoding stage: secrets inside base64 values, located on the encoded text.

Credential-shaped values are built from parts at run time."""

from __future__ import annotations

import base64
import json
import random
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.core.fingerprints import secret_identity
from pipesec.scanners.secrets import decoding
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.findings import make_finding

ALNUM = string.ascii_letters + string.digits


def _stripe() -> str:
    r = random.Random(11)
    return "sk_" + "live_" + "".join(r.choice(ALNUM) for _ in range(24))


def _b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


def test_kubernetes_secret_data_is_decoded_and_located_on_the_encoded_line(
    engine: SecretEngine,
) -> None:
    key = _stripe()
    enc = _b64(key)
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n"
        f"  LOG_LEVEL: {_b64('info')}\n  STRIPE_KEY: {enc}\n"
    )
    [m] = list(engine.scan_text(text, path="k8s/app-secret.yaml"))
    assert m.rule.id == "secrets/stripe-secret-key"
    assert m.value == key  # the decoded secret: identity and validators see the real value
    assert (m.line, m.column) == (7, 15)
    assert text[m.start : m.end] == enc
    line = text.splitlines()[6]
    f = make_finding(m, "k8s/app-secret.yaml", b"k", line_text=line)
    assert enc not in (f.snippet or "") and enc[4:12] not in (f.snippet or "")
    assert key not in f.message
    assert f.identity == secret_identity(key, b"k")  # the same secret as in plain text


def test_keyed_password_and_dockerconfigjson(engine: SecretEngine) -> None:
    pw = "Kangaroo" + "73#NV9x"
    auth = _b64("ci:" + pw)
    dcj = _b64(json.dumps({"auths": {"registry.corp.test": {"auth": auth}}}))
    text = (
        "kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n"
        f"  DB_PASSWORD: {_b64(pw)}\n  .dockerconfigjson: {dcj}\n"
    )
    found = {(m.line, m.rule.id) for m in engine.scan_text(text, path="regcred.yml")}
    assert (4, "secrets/generic-password-unquoted") in found
    assert (5, "secrets/docker-config-auth") in found


def test_not_a_secret_manifest_or_not_text_is_not_decoded(engine: SecretEngine) -> None:
    key = _stripe()
    # no "kind: Secret": a ConfigMap-like YAML is not decoded
    text = f"kind: ConfigMap\ndata:\n  STRIPE_KEY: {_b64(key)}\n"
    assert list(engine.scan_text(text, path="cm.yaml")) == []
    assert decoding.decode_base64(base64.b64encode(bytes(range(256))).decode()) is None


def test_depth_is_bounded(engine: SecretEngine) -> None:
    key = _stripe()
    doc = {"type": "service_account", "k": key}
    once = _b64(json.dumps(doc))
    assert [m.rule.id for m in engine.scan_text(f"x = {once}\n", path="a.txt")] == [
        "secrets/stripe-secret-key"
    ]
    nested = json.dumps({"type": "wrapped", "inner": once})
    twice = _b64(nested)
    thrice = _b64(json.dumps({"type": "wrapped", "inner": twice}))
    assert [m.rule.id for m in engine.scan_text(f"x = {twice}\n", path="a.txt")] == [
        "secrets/stripe-secret-key"
    ]
    assert list(engine.scan_text(f"x = {thrice}\n", path="a.txt")) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_decode_never_raises(value: str) -> None:
    out = decoding.decode_base64(value)
    assert out is None or (out and all(c.isprintable() or c in "\t\r\n" for c in out))
    keyed = decoding.decoded_text(decoding.BASE64_KEYED, value, "NAME")
    assert (keyed is None) == (out is None)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_engine_on_encoded_garbage_never_crashes(data: bytes) -> None:
    from pipesec.scanners.secrets.rules import all_rules

    if not _ENGINE:
        _ENGINE.append(SecretEngine(all_rules(), use_hyperscan=False))
    eng = _ENGINE[0]
    text = "kind: Secret\ndata:\n  K: " + base64.b64encode(data).decode() + "\n"
    list(eng.scan_text(text, path="s.yaml"))
    list(eng.scan_text("eyJhdXRocyI6" + base64.b64encode(data).decode(), path="s.txt"))


_ENGINE: list[SecretEngine] = []
