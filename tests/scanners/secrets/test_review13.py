"""Session 13's review of the SDK-key and secret-id names (review13): names that hold no
credential are not reported; the secrets beside them still are. Values are built at run
time from a seeded generator."""

from __future__ import annotations

import pytest
from tests.scanners.secrets.forms import ALNUM, Values, check_form

from pipesec.scanners.secrets.engine import SecretEngine

_V = Values(131313)
_r, _uuid = _V.r, _V.uuid

REVIEW13_FORMS = [
    # Optimizely's SDK key names its datafile's URL (browser SDKs are given it too)
    (f"OPTIMIZELY_SDK_KEY={_r(ALNUM, 22)}\n", ".env", None),
    (f"  optimizelySdkKey: {_r(ALNUM, 22)}\n", "flags.yml", None),
    # a Bitwarden Secrets Manager secret id names a secret (its access token reads it)
    (f"BWS_SECRET_ID={_uuid()}\n", ".env", None),
    (f'bitwarden_secret_id = "{_uuid()}"\n', "main.tf", None),
    # Vault AppRole's secret id and Eppo's server-side SDK key still are secrets
    (f"VAULT_SECRET_ID={_uuid()}\n", ".env", "generic-secret-unquoted"),
    # (session 14: the long tail's Eppo rule names it)
    (f"EPPO_SDK_KEY={_r(ALNUM + '_-', 40)}\n", ".env", "eppo-api-key"),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"), REVIEW13_FORMS, ids=[str(i) for i, _ in enumerate(REVIEW13_FORMS)]
)
def test_review13_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)
