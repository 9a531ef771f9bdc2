"""Session 17 (secmiss): one finding per secret span, base64 PEM keys wrapped over lines or
with a flawed byte, published examples and stand-ins (issue 14's misses with a general
cause). Credential-shaped values are built at run time."""

from __future__ import annotations

import base64

import pytest
from tests.scanners.secrets.forms import HEX, Values

from pipesec.core.model import Confidence, Severity
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.findings import make_finding

_V = Values(2026_12_17)
_r = _V.r


def _ec_pem() -> str:
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption()).decode()


def _found(engine: SecretEngine, text: str, path: str) -> list[tuple[str, str]]:
    return [(m.rule.id, m.value) for m in engine.scan_text(text, path=path)]


# -- one finding per span ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "path", "rule_id", "readers"),
    [
        # a provider named by its key over the generic 32-hex shape (speed corpus: 63 pairs)
        ("DD_API_KEY={v}\n", "deploy/.env", "datadog-api-key", 2),
        # two rules of one provider reading the same ``key-`` token (speed corpus: 32 pairs)
        ("MAILGUN_KEY=key-{v}\n", "deploy/.env", "mailgun-private-key", 2),
    ],
)
def test_rules_reading_one_span_report_it_once(
    engine: SecretEngine, text: str, path: str, rule_id: str, readers: int
) -> None:
    """Every rule still reads the span (``every_reading``); the scan reports it once, by the
    most specific rule (fails before: two findings on one value)."""
    filled = text.format(v=_r(HEX, 32))
    assert [r for r, _ in _found(engine, filled, path)] == [f"secrets/{rule_id}"]
    every = {m.rule.id for m in engine.every_reading().scan_text(filled, path=path)}
    assert len(every) == readers and f"secrets/{rule_id}" in every


def test_a_named_provider_keeps_its_grade_over_a_generic_shape(engine: SecretEngine) -> None:
    """A geocoding key graded medium by the impact policy is reported as that provider's,
    not as ``api-key-hex32`` (high in a configuration file): the provider's grade says what
    the key can do."""
    text = f"GEOAPIFY_API_KEY={_r(HEX, 32)}\n"
    found = list(engine.scan_text(text, path="deploy/.env"))
    assert [m.rule.id for m in found] == ["secrets/geoapify-api-key"]


def test_a_password_attribute_is_one_high_finding(engine: SecretEngine) -> None:
    """``generic-password`` (high) and ``generic-xml-password`` (medium) both reported a strong
    password attribute; the XML rule now grades a password-named attribute high and, bound
    to the file's kind, reports it alone. A token attribute stays medium."""
    secret = _r("abcdefghijkLMNOPQ0123456789", 16)
    text = f'<dataSource url="jdbc:h2:mem:app" password="{secret}"/>\n'
    found = list(engine.scan_text(text, path="conf/datasource.xml"))
    assert [m.rule.id for m in found] == ["secrets/generic-xml-password"]
    finding = make_finding(found[0], "conf/datasource.xml", b"k", line_text=text.rstrip("\n"))
    assert finding.severity is Severity.HIGH
    token = f'<widget apiToken="{secret}"/>\n'
    found = list(engine.scan_text(token, path="conf/widget.xml"))
    assert [m.rule.id for m in found] == ["secrets/generic-xml-password"]
    finding = make_finding(found[0], "conf/widget.xml", b"k", line_text=token.rstrip("\n"))
    assert finding.severity is Severity.MEDIUM


def test_equally_specific_rules_keep_the_higher_severity(engine: SecretEngine) -> None:
    """Two Twitch rules read a client secret under a Twitch key: the higher-graded one
    reports it (between equally specific rules the gate never weakens)."""
    text = f"TWITCH_CLIENT_SECRET={_r('abcdefghijklmnopqrstuvwxyz0123456789', 30)}\n"
    every = list(engine.every_reading().scan_text(text, path="deploy/.env"))
    found = list(engine.scan_text(text, path="deploy/.env"))
    assert len(found) == 1
    assert found[0].rule.severity.rank == max(m.rule.severity.rank for m in every)


# -- base64 PEM keys -----------------------------------------------------------------------


def test_a_base64_pem_key_wrapped_over_lines_is_found(engine: SecretEngine) -> None:
    """``base64 key.pem`` writes 76 characters a line and ``openssl base64`` 64: pasted under
    ``key: |`` or into a quoted CI variable the wrapped value was not read (one-line
    ``LS0tLS1CRUdJTi…`` was). The key is found and located on the encoded lines."""
    pem = _ec_pem()
    enc = base64.b64encode(pem.encode()).decode()
    for width, indent in ((76, "  "), (64, "    ")):
        lines = [enc[i : i + width] for i in range(0, len(enc), width)]
        text = "tls:\n  key: |\n" + "".join(f"{indent}{x}\n" for x in lines)
        found = list(engine.scan_text(text, path="deploy/values.yaml"))
        assert [m.rule.id for m in found] == ["secrets/private-key-pkcs8"], text
        assert found[0].confidence is Confidence.HIGH
        assert (found[0].line, found[0].end_line) == (3, 2 + len(lines))
    quoted = 'variables:\n  SIGNING_KEY_B64: "' + "\n    ".join(
        enc[i : i + 76] for i in range(0, len(enc), 76)
    )
    assert [r for r, _ in _found(engine, quoted + '"\n', ".gitlab-ci.yml")] == [
        "secrets/private-key-pkcs8"
    ]


def test_a_base64_pem_key_with_a_flawed_byte_is_found_low(engine: SecretEngine) -> None:
    """A base64 PEM document with one character changed by hand decodes to a byte that is
    not text; the key block unencoded is reported (low: it does not parse), the encoded one
    was not reported at all (noseyparker's ``PRIVATE_KEY_B64=`` example)."""
    pem = _ec_pem()
    raw = bytearray(pem.encode())
    raw[60] = 0xA1  # inside the key's body: invalid UTF-8
    enc = base64.b64encode(bytes(raw)).decode()
    found = list(engine.scan_text(f"PRIVATE_KEY_B64={enc}\n", path="deploy/.env"))
    assert [m.rule.id for m in found] == ["secrets/private-key-pkcs8"]
    assert found[0].confidence is Confidence.LOW


def test_base64_that_is_not_a_pem_document_stays_unread(engine: SecretEngine) -> None:
    """Binary behind a PEM header, a certificate, a truncated key: nothing to report."""
    junk = base64.b64encode(b"-----BEGIN PRIVATE KEY-----\n" + bytes(range(256)) * 2).decode()
    cert = base64.b64encode(f"-----BEGIN CERTIFICATE-----\n{_r(HEX, 64)}\n".encode()).decode()
    head = base64.b64encode(_ec_pem().encode()).decode()[:120]
    for value in (junk, cert, head):
        assert _found(engine, f"KEY_B64={value}\n", "deploy/.env") == [], value


# -- published examples, an AWS key id alone, the keyed table's grades ---------------------


def test_published_basic_auth_and_connection_string_examples_are_not_reported(
    engine: SecretEngine,
) -> None:
    """RFC 7617's ``Aladdin`` / ``open sesame`` (and its UTF-8 example) and MongoDB's
    connection-string page's ``D1fficultP%40ssw0rd`` are printed for everyone (sources in
    ``placeholders.PUBLISHED_EXAMPLES``): an ``Authorization: Basic`` header of them and the
    documented password on a real-looking host were reported (high, critical)."""
    pair = "Aladdin" + ":" + "open " + "sesame"
    utf8 = "test" + ":" + "123\u00a3"
    for user_pass in (pair, utf8):
        header = "Authorization: Basic " + base64.b64encode(user_pass.encode()).decode()
        assert _found(engine, header + "\n", "client/http.py") == [], header
    password = "D1fficultP" + "%40" + "ssw0rd"
    url = f"mongodb+srv://myDatabaseUser:{password}@cluster0.{_r(HEX, 5)}.mongodb.net/\n"
    assert _found(engine, url, "config/app.yaml") == []
    # another password in the same places is still reported
    other = base64.b64encode(f"Aladdin:{_r(HEX, 12)}".encode()).decode()
    assert _found(engine, f"Authorization: Basic {other}\n", "client/http.py")
    assert _found(engine, url.replace(password, _r(HEX, 14)), "config/app.yaml")


def test_an_aws_access_key_id_alone_is_reported_and_a_fake_one_is_not(
    engine: SecretEngine,
) -> None:
    """An access key id alone is reported at its rule's grade (decided: kept; the id is the
    surest sign that its pair leaked); an id outside the base32 alphabet AWS issues them in
    (ripsecrets' ``AKIAN95B87AWHT6U0699``) is a stand-in."""
    b32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    for prefix, rule in (("AKIA", "aws-access-key-id"), ("ASIA", "aws-temporary-access-key-id")):
        key_id = prefix + _r(b32, 16)
        found = _found(engine, f'{{"aws_access_key": "{key_id}"}}\n', "api/reply.json")
        assert [r for r, _ in found] == [f"secrets/{rule}"]
    fake = "AKIA" + _r("ABCDEFGHIJKLMNOPQRSTUVWXYZ0189", 16)
    assert _found(engine, f'{{"aws_access_key": "{fake}"}}\n', "api/reply.json") == []


@pytest.mark.parametrize(
    "rule_id",
    [
        *("wistia-api-token", "delighted-api-key", "lokalise-api-token"),
        *("wakatime-api-key", "cursor-api-key"),
    ],
)
def test_keyed_rows_that_change_or_send_are_high(rule_id: str) -> None:
    """The keyed table's rows whose provider docs say the key changes or deletes the
    account's content, emails people, or reads a person's private data were medium
    ("exposes no one's data" did not hold): high, by the impact policy."""
    from pipesec.scanners.secrets.rules import all_rules

    rule = next(r for r in all_rules() if r.id == f"secrets/{rule_id}")
    assert rule.severity is Severity.HIGH


# -- a random value under a bare key name ----------------------------------------------------

_B62 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _random62(n: int) -> str:
    while True:  # the rule's own test of randomness (two of each class, no word-like run)
        v = _r(_B62, n)
        if (
            sum(c.isdigit() for c in v) >= 2
            and sum(c.isupper() for c in v) >= 2
            and sum(c.islower() for c in v) >= 2
            and not any(
                all(c.islower() for c in v[i : i + 7]) or all(c.isupper() for c in v[i : i + 7])
                for i in range(len(v) - 6)
            )
        ):
            return v


@pytest.mark.parametrize(
    ("template", "path"),
    [
        ('"key": "{v}"\n', "config/app.json"),
        ("'key': \"{v}\"\n", "settings/local.py"),
        ("['dict_key'] = \"{v}\"\n", "app/conf.py"),
        ("const conf = {{'signKey': '{v}'}};\n", "src/app.js"),
    ],
)
def test_a_random_value_under_a_bare_key_is_reported(
    engine: SecretEngine, template: str, path: str
) -> None:
    """ripsecrets' ``random`` forms (30 random characters under ``key``): not read before (the
    generic rules want a secret word before ``key``)."""
    text = template.format(v=_random62(30))
    assert [r for r, _ in _found(engine, text, path)] == ["secrets/generic-key-random"], text


@pytest.mark.parametrize(
    "text",
    [
        '"key": "HomePageTitleLabelNoDigits"\n',  # a word, no digits
        'monkey = "{v}"\n',  # not a key name
        '"publicKey": "{v}"\n',  # a public value
        '"Sec-WebSocket-Key": "{v}=="\n',  # a handshake nonce
        '"cacheKey": "{v}"\n',
        '"key": "{u}"\n',  # a UUID
        '"key": "{h}"\n',  # a digest
        '"key": "{v}"\n'.replace("{v}", "LicenseRef-scancode-aardvark-py-2014"),
        '"key": "U2FsdGVkX1{v}"\n',  # an OpenSSL ciphertext
        '"key": "{short}"\n',  # too short to be judged random
        "sort key = '{v}'\n",  # a variable of a program, not a data key
        '"unitKey": "heightOfGeoidAboveWGS84Units"\n',  # a camel-case identifier (Twisted)
        "keys:\n  - {v}\n  - {v}\n",  # a YAML list of keys (an index)
    ],
)
def test_bare_key_values_that_are_not_random_secrets(engine: SecretEngine, text: str) -> None:
    filled = text.format(v=_random62(24), u=_V.uuid(), h=_r(HEX, 40), short=_random62(16))
    assert _found(engine, filled, "config/app.json") == [], filled
