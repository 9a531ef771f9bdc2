"""Forms missed or misreported on the seventh unseen sample (issue 14, session 13): semgrep's
and secretlint's rule tests and Microsoft security-utilities' key formats. Values are built
at run time from a seeded generator; each row is a vulnerable or a safe example."""

from __future__ import annotations

import binascii

import pytest
from tests.scanners.secrets.forms import ALNUM, HEX, Values, check_form

from pipesec.scanners.secrets import placeholders
from pipesec.scanners.secrets.engine import SecretEngine

_V = Values(2026_12_13)
_r = _V.r
B64URL = ALNUM + "-_"


def _key44(sig: str, head: int = 33) -> str:
    """A 256-bit Azure identifiable key: 33 random, the signature, ``A``-``P``, 5, ``=``."""
    return f"{_r(ALNUM, head)}{sig}K{_r(ALNUM, 5)}="


def _cloudflare(prefix: str, crc: bool = True) -> str:
    """Cloudflare's scannable format: 40 characters, then their CRC32 in hex."""
    body = _r(ALNUM, 40)
    check = f"{binascii.crc32(body.encode()) & 0xFFFFFFFF:08x}" if crc else _r(HEX, 8)
    return f"{prefix}{body}{check}"


def _key88(sig: str, head: int = 76) -> str:
    """A 512-bit Azure identifiable key: 76 random, the signature, 5, ``AQgw``, ``==``."""
    return f"{_r(ALNUM, head)}{sig}{_r(ALNUM, 5)}g=="


#: (text, path, the rule that reports it, or None when nothing may be reported)
UNSEEN7_FORMS: list[tuple[str, str, str | None]] = [
    # Azure identifiable keys on their own (Microsoft's formats: a signature at a fixed offset)
    (f"{_key44('+AEh')}\n", "keys.txt", "azure-event-hub-identifiable-key"),
    (f"{_key44('+ASb')}\n", "keys.txt", "azure-service-bus-identifiable-key"),
    (f"{_key44('+ARm')}\n", "keys.txt", "azure-relay-identifiable-key"),
    (f'"primaryKey": "{_key44("AIoT")}",\n', "hub.json", "azure-iot-identifiable-key"),
    (f"REDIS_KEY={_key44('AzCa')}\n", ".env", "azure-cache-redis-identifiable-key"),
    (f"{_key44('AZEG')}\n", "keys.txt", "azure-event-grid-identifiable-key"),
    (f"{_key88('ACDb')}\n", "keys.txt", "azure-cosmos-db-identifiable-key"),
    (f"{_key88('+ABa')}\n", "keys.txt", "azure-batch-identifiable-key"),
    (f"{_key88('+AMC')}\n", "keys.txt", "azure-ml-identifiable-key"),
    (
        f"Ocp-Apim-Subscription-Key: {_key88('APIM')}\n",
        "a.http",
        "azure-apim-identifiable-key",
    ),
    (
        f"{_r(B64URL, 44)}AzFu{_r(ALNUM, 5)}A==\n",
        "keys.txt",
        "azure-functions-identifiable-key",
    ),
    (
        f"{_r(ALNUM, 42)}+ACRC{_r(ALNUM, 5)}\n",
        "keys.txt",
        "azure-container-registry-identifiable-key",
    ),
    # the signature one character off, or the key inside a longer base64 run: not these keys
    (f"{_key44('+AEh', head=34)}\n", "keys.txt", None),
    (f"{_key88('APIM', head=75)}\n", "keys.txt", None),
    (f"blob: {_r(ALNUM, 20)}{_key88('ACDb')}\n", "keys.txt", None),
    # Mailchimp keys carry their datacenter: the suffix names them without a key name
    (f"{_r(HEX, 32)}-us8\n", "notes.txt", "mailchimp-api-key"),
    (f"{_r(HEX, 32)}-us-east-1\n", "notes.txt", None),
    (f"build-{_r(HEX, 32)}-us12x\n", "notes.txt", None),
    # Kolide K2 API keys
    (f"KOLIDE_TOKEN={'k2sk' + '_v1_'}{_r(ALNUM, 24)}\n", ".env", "kolide-api-key"),
    (f"{'k2sk' + '_v1_'}{_r(ALNUM, 10)}\n", "notes.txt", None),
    # Composio keys under Composio's name; one of the wrong length is not reported at all
    (f"COMPOSIO_ORG_KEY=oak_{_r(B64URL, 20)}\n", ".env", "composio-api-key"),
    (f'COMPOSIO_API_KEY="ak_{_r(B64URL, 20)}"\n', ".env", "composio-api-key"),
    (f"COMPOSIO_API_KEY=ak_{_r(ALNUM, 19)}\n", ".env", None),
    # a Google API key's shape followed by base64 padding is a slice of a base64 blob
    (f"AIza{_r(B64URL, 35)}\n", "notes.txt", "gcp-api-key"),
    (f"AIza{_r(B64URL, 35)}==\n", "notes.txt", None),
    # "REPLACE_WITH_…" is a template's marker, in a URL as in a value
    (
        'DOC = "mysql://admin:REPLACE_WITH_PASSWORD@mysql.server.com:3306/db";\n',
        "a.js",
        None,
    ),
    (
        f'DB = "mysql://admin:{_r(ALNUM, 14)}@mysql.server.com:3306/db";\n',
        "a.js",
        "mysql-url-password",
    ),
    # second batch (a second draw, secretlint and semgrep remainders): Cloudflare's scannable
    # Global API Key, an Anthropic key of another format version
    (
        f"CLOUDFLARE_API_KEY={_cloudflare('cfk_')}\n",
        ".env",
        "cloudflare-global-api-key-scannable",
    ),
    (
        f"{_cloudflare('cfk_', crc=False)}\n",
        "k.txt",
        "cloudflare-global-api-key-scannable",
    ),
    (f"cfk_{_r(ALNUM, 20)}\n", "k.txt", None),
    (f"key = 'sk-ant-api04-{_r(B64URL, 93)}AA'\n", "a.py", "anthropic-api-key"),
    (f"key = 'sk-ant-apiv4-{_r(B64URL, 93)}AA'\n", "a.py", None),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    UNSEEN7_FORMS,
    ids=[str(i) for i, _ in enumerate(UNSEEN7_FORMS)],
)
def test_unseen7_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)


def test_replace_with_is_a_placeholder_marker() -> None:
    assert placeholders.is_placeholder("REPLACE_WITH_API_TOKEN_abc")
    assert placeholders.is_placeholder("replace-with-api-key")
    assert not placeholders.is_placeholder(_r(ALNUM, 32))


def test_cloudflare_checksum_sets_the_confidence() -> None:
    from pipesec.scanners.secrets import validators

    assert validators.cloudflare_checksum(_cloudflare("cfk_"))
    assert not validators.cloudflare_checksum(_cloudflare("cfk_", crc=False))
    assert not validators.cloudflare_checksum("cfk_" + _r(ALNUM, 40))
