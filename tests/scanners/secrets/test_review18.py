"""Review 18's findings in the secrets scanner (each test fails before its fix).
Credential-shaped values are built at run time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.secrets.forms import ALNUM, Values

from pipesec.core.model import Severity
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.findings import make_finding

_V = Values(2026_12_18)
_r = _V.r
_B64URL = ALNUM + "_-"


def _reported(engine: SecretEngine, text: str, path: str) -> list[tuple[str, Severity]]:
    out = []
    for m in engine.scan_text(text, path=path):
        line = text.splitlines()[m.line - 1]
        finding = make_finding(m, path, b"k", line_text=line)
        out.append((m.rule.id, finding.severity))
    return out


@pytest.mark.parametrize(
    ("text", "rule_id", "severity"),
    [
        # the identifiable Functions key under its header name: the keyed rule
        # (azure-function-key, medium) read the same span and, named by the header, won
        (
            "x-functions-key: {a}AzFu{b}w==\n",
            "azure-functions-identifiable-key",
            Severity.CRITICAL,
        ),
        (
            "AZURE_FUNCTION_KEY={a}AzFu{b}w==\n",
            "azure-functions-identifiable-key",
            Severity.CRITICAL,
        ),
        # an identifiable storage account key under an Azure name (azure-account-key-keyed, high)
        ("AZURE_STORAGE_KEY={c}+ASt{d}==\n", "azure-storage-key-identifiable", Severity.CRITICAL),
        # an AI Search admin key (AzSe signature) under the name the admin-or-query rule reads
        ("AZURE_SEARCH_KEY={e}AzSe{d}\n", "azure-search-admin-key", Severity.HIGH),
    ],
)
def test_one_providers_readings_of_a_span_keep_the_higher_grade(
    engine: SecretEngine, text: str, rule_id: str, severity: Severity
) -> None:
    """``_one_per_span`` ranked a rule whose keyword stands before the value over one that
    reads the value's own signature, whatever their grades: an identifiable Azure key under
    its usual name was reported by that provider's keyed rule, a grade or two lower (the
    Functions key critical -> medium: under the default ``fail-on = high`` the gate passed;
    before session 17 both readings were reported). Between two rules of one provider the
    higher grade now reports the span."""
    filled = text.format(
        a=_r(_B64URL, 44), b=_r(ALNUM, 5), c=_r(ALNUM, 76), d=_r(ALNUM, 6), e=_r(ALNUM, 42)
    )
    every = {m.rule.id for m in engine.every_reading().scan_text(filled, path="app/.env")}
    assert len(every) >= 2, every  # (the span is read by two rules of one provider)
    assert _reported(engine, filled, "app/.env") == [(f"secrets/{rule_id}", severity)]


def test_a_named_provider_still_keeps_its_grade_over_another_providers_shape(
    engine: SecretEngine,
) -> None:
    """The documented cross-provider policy is unchanged: a geocoding key under its
    provider's name is that provider's (medium), not ``api-key-hex32`` (high)."""
    text = f"GEOAPIFY_API_KEY={_r('0123456789abcdef', 32)}\n"
    assert [r for r, _ in _reported(engine, text, "deploy/.env")] == ["secrets/geoapify-api-key"]


@pytest.mark.parametrize(
    ("line", "values"),
    [
        # a later pair the rule reads but the filters drop (a path, a stand-in) hid the
        # password before it: the match was that pair, and the search went on after the line
        ("export DB_PASSWORD={s} PASSWORD_FILE=/run/secrets/db\n", ["{s}"]),
        ("ENV DB_PASSWORD={s} REDIS_PASSWORD=xxxxxxxx\n", ["{s}"]),
        ("ENV APP_TOKEN={s} A=1 TOKEN_FILE=/run/secrets/token\n", ["{s}"]),
        # two passwords on one line: only the second was reported
        ("ENV DB_PASSWORD={s} REDIS_PASSWORD={t}\n", ["{s}", "{t}"]),
        ("env A=1 DB_PASSWORD={s} B=2 REDIS_PASSWORD={t} C=3\n", ["{s}", "{t}"]),
        # unchanged: one password among other pairs, and a stand-in alone
        ("ENV A=1 DB_PASSWORD={s} B=2\n", ["{s}"]),
        ("ENV DB_PASSWORD=xxxxxxxx PASSWORD_FILE=/run/secrets/db\n", []),
    ],
)
def test_every_password_among_pairs_on_a_line_is_read(
    engine: SecretEngine, line: str, values: list[str]
) -> None:
    """``rules.generic._UNQ`` skips up to 8 ``key=value`` pairs before the key greedily
    (secenv, session 17): a line's match was its last pair with a secret's key, and a
    dropped last pair hid every secret before it (a tree could hide a password by writing
    ``REDIS_PASSWORD=xxxxxxxx`` after it). Each earlier key is now read too."""
    s, t = _r(ALNUM, 18), _r(ALNUM, 20)
    text = line.format(s=s, t=t)
    got = sorted(m.value for m in engine.scan_text(text, path="Dockerfile"))
    assert got == sorted(v.format(s=s, t=t) for v in values)


def test_each_secret_inside_one_encoded_value_is_reported(engine: SecretEngine) -> None:
    """A decoder's secrets all lie on the encoded value's span, and ``_one_per_span`` kept
    one of them: a base64 ``.dockerconfigjson`` holding a registry password (high) and a
    geocoding key (medium, a named provider, ranked first) was one medium finding, so a
    tree could pass the gate (``fail-on = high``) by adding a medium key beside the
    password. Each secret in the value is one finding again; one secret read by two rules
    stays one."""
    import base64
    import json

    password = _r(ALNUM, 20) + "!x"
    geo = _r("0123456789abcdef", 32)
    auths = {"r.example": {"password": password, "user": "ci", "geoapify_api_key": geo}}
    blob = base64.b64encode(json.dumps({"auths": auths}).encode()).decode()
    text = f".dockerconfigjson: {blob}\n"
    found = _reported(engine, text, "k8s/secret.yaml")
    assert sorted(found) == [
        ("secrets/generic-password", Severity.HIGH),
        ("secrets/geoapify-api-key", Severity.MEDIUM),
    ]


def test_a_base64_pem_key_of_more_than_64_wrapped_lines_is_found(engine: SecretEngine) -> None:
    """``decode-base64-pem`` (secmiss, session 17) read at most 64 wrapped lines after the
    first: an RSA 4096 key base64-encoded by ``openssl base64`` (64 characters a line) is
    69 lines, and the value cut at 65 decoded to a PEM block with no end: nothing was
    reported. The rule now reads up to 128 lines (the decoder takes 8,000 characters)."""
    import base64

    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    pem = key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption())
    enc = base64.b64encode(pem).decode()
    wrapped = "\n    ".join(enc[i : i + 64] for i in range(0, len(enc), 64))
    assert wrapped.count("\n") > 64
    text = f"tls:\n  key: |\n    {wrapped}\n"
    assert _reported(engine, text, "chart/values.yaml") == [
        ("secrets/private-key-pkcs8", Severity.CRITICAL)
    ]


#: ``decode-name-value-pair``'s lookahead as secunseen12 landed it (e61851b): after each
#: secret word it read the rest of the value again, quadratic in a value that never closes
#: (a 128 KB ``user_data`` line cost the IaC scanner's engine, which runs without Hyperscan,
#: 24 s of CPU; review18)
_OLD_NOT_A_KEY_NAME = (
    r"(?![\w.-]*?(?<![A-Za-z0-9])(?i:pass|pwd|secret|token|key|cred|auth)[a-z]*[0-9]*"
    r"(?![A-Za-z0-9])[\w.-]*[\"'])"
)


@given(
    st.lists(
        st.sampled_from(["key", "token", "Pass", "auth", "_", ".", "-", "a", "Z", "1", "'", '"']),
        max_size=30,
    ).map("".join)
)
@settings(max_examples=400, deadline=None)
def test_the_pair_rules_key_name_test_reads_as_before(value: str) -> None:
    """The new form of the lookahead accepts and refuses what the old one did (its cost:
    a 128 KB value 24 s -> 0.16 s of CPU without Hyperscan, docs/precision.md)."""
    import re

    from pipesec.scanners.secrets.rules.files import _NOT_A_KEY_NAME

    new = re.compile(_NOT_A_KEY_NAME.split("(?=[^")[0])
    old = re.compile(_OLD_NOT_A_KEY_NAME)
    for at in range(len(value) + 1):
        assert bool(new.match(value, at)) == bool(old.match(value, at))


# (``i18n/de.ini``: a ``.env`` there is configuration since secprec19, not a catalogue)
@pytest.mark.parametrize("path", ["config/locales/en.yml", "i18n/de.ini", "lang/fr/lang.php"])
def test_a_generated_password_in_a_message_catalogue_is_reported(
    engine: SecretEngine, path: str
) -> None:
    """secprec18 (496d76a) drops every generic keyword match in a file it reads as a
    translation catalogue (a language-tag name under ``locales/``, ``i18n/``, ``lang/``): the
    labels of a login form are no passwords, but a real password there went too. A value no
    language writes (one word of letters of both cases and digits) is still reported; the
    labels stay quiet."""
    secret = _r(ALNUM, 18) + "Q7q"
    text = f"db_password: {secret}\nfield_password: Passwort\n"
    if path.endswith(".ini"):
        text = f"DB_PASSWORD={secret}\nFIELD_PASSWORD=Passwort\n"
    elif path.endswith(".php"):
        text = f"$lang['db_password'] = '{secret}';\n$lang['password'] = 'Mot de passe';\n"
    assert [m.value for m in engine.scan_text(text, path=path)] == [secret]


def _old_in_pod(text: str, at: int) -> bool:
    """secprec18's d47aaeb: the POD blocks searched again for each finding."""
    import re

    start = -1
    for m in re.compile(r"^=(?!cut\b)[a-zA-Z]", re.MULTILINE).finditer(text, 0, at):
        start = m.start()
    return start >= 0 and re.compile(r"^=cut\b", re.MULTILINE).search(text, start, at) is None


@given(
    st.lists(
        st.sampled_from(["=head1 X\n", "=cut\n", "=item p\n", "pw = 1;\n", "=pod\n", "x\n"]),
        max_size=12,
    ).map("".join)
)
@settings(max_examples=300, deadline=None)
def test_pod_blocks_found_once_read_as_before(text: str) -> None:
    """The POD marks of a Perl file are found once (a file of many findings cost the square
    of its size: 0.8 MB 26 s of CPU); whether a place lies in a block is unchanged."""
    from pipesec.scanners.secrets.docblocks import in_doc_comment

    for at in range(len(text) + 1):
        if text[text.rfind("\n", 0, at) + 1 :].startswith("="):
            continue  # (a finding starts at a value, not inside a mark's line)
        assert in_doc_comment(text, at, pod=True) == _old_in_pod(text, at), at
