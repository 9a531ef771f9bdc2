"""Forms missed on the ninth unseen sample (issue 14, session 15): aquasecurity/trivy's
secret-scanner fixtures and Checkmarx 2ms's rule tests. Values are built at run time from a
seeded generator; each row is a vulnerable or a safe example."""

from __future__ import annotations

import base64
import json

import pytest
from tests.scanners.secrets.forms import ALNUM, HEX, Values, check_form

from pipesec.scanners.secrets import validators
from pipesec.scanners.secrets.engine import SecretEngine

_V = Values(2026_12_15)
_r = _V.r
_TOK = _r(ALNUM, 32)
_PW = _r(ALNUM, 14) + "!"
#: Private Packagist's user update token: its prefix, then 68 hex characters
_UUT = "packagist_" + "uut_" + _r(HEX, 68)


def _sentry(secret_len: int) -> str:
    claims = json.dumps({"iat": 1700000000, "url": "https://sentry.io", "org": "acme"})
    head = base64.b64encode(claims.encode()).decode().rstrip("=")
    return "sntrys_" + head + "_" + _r(ALNUM, secret_len)


#: (text, path, the rule that reports it, or None when nothing may be reported)
UNSEEN9_FORMS: list[tuple[str, str, str | None]] = [
    # GNU make's assignments: ``::=`` and ``:::=`` (POSIX), ``:=``, ``?=``, ``+=``
    (f'API_TOKEN ::= "{_TOK}"\n', "Makefile", "generic-token"),
    (f'API_TOKEN :::= "{_TOK}"\n', "Makefile", "generic-token"),
    (f"API_TOKEN ::= {_TOK}\n", "Makefile", "generic-token-unquoted"),
    (f"API_TOKEN := {_TOK}\n", "Makefile", "generic-token-unquoted"),
    (f"API_TOKEN ?= {_TOK}\n", "config.mk", "generic-token-unquoted"),
    (f"DB_PASSWORD += {_PW}\n", "Makefile", "generic-password-unquoted"),
    ("API_TOKEN := $(shell cat token.txt)\n", "Makefile", None),
    ("API_TOKEN ::= ${API_TOKEN}\n", "Makefile", None),
    # a configuration file written into one string, its lines joined by ``\n`` escapes
    (
        f'{{"config.ini": "API_TOKEN={_TOK}\\nBACKUP_ENABLED=true"}}\n',
        "settings.json",
        "generic-token-unquoted",
    ),
    (
        f'env_file: "HOST=db.internal\\nDB_PASSWORD={_PW}\\nDEBUG=false"\n',
        "values.yaml",
        "generic-password-unquoted",
    ),
    ('{"config.ini": "API_TOKEN=${API_TOKEN}\\nBACKUP_ENABLED=true"}\n', "settings.json", None),
    ('{"usage": "tool key=value\\nrun it again"}\n', "messages.json", None),
    # Private Packagist's user update token
    (f"USER_TOKEN={_UUT}\n", ".env", "packagist-user-update-token"),
    (f"see {_UUT[:-8]} in the docs\n", "notes.md", None),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    UNSEEN9_FORMS,
    ids=[f"{i}-{r}" for i, (_t, _p, r) in enumerate(UNSEEN9_FORMS)],
)
def test_unseen9_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)


def test_escaped_lines_finding_is_on_the_string(engine: SecretEngine) -> None:
    text = f'{{\n  "name": "svc",\n  "config.ini": "HOST=db\\nAPI_TOKEN={_TOK}\\nDEBUG=0"\n}}\n'
    found = [m for m in engine.scan_text(text, path="settings.json")]
    assert [m.rule.id for m in found] == ["secrets/generic-token-unquoted"]
    assert found[0].line == 3  # the string's own line


def test_sentry_org_token_secret_is_43_characters() -> None:
    assert validators.sentry_org_token(_sentry(43))
    # 2ms's fixtures: a secret one character short or long is no token Sentry issued
    assert not validators.sentry_org_token(_sentry(42))
    assert not validators.sentry_org_token(_sentry(44))
    assert not validators.sentry_org_token("sntrys_" + _r(ALNUM, 120))


def test_sentry_org_token_of_the_wrong_shape_is_low_confidence(engine: SecretEngine) -> None:
    good = [m.rule.id for m in engine.scan_text(f"token: {_sentry(43)}\n", path="a.yml")]
    assert "secrets/sentry-org-token" in good
    bad = engine.scan_text(f"token: {_sentry(44)}\n", path="a.yml")
    assert [m.confidence.name for m in bad if m.rule.id == "secrets/sentry-org-token"] == ["LOW"]
