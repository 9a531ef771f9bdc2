"""Follow-up of the eleventh unseen sample (issue 14, session 17): several ``key=value``
pairs on one line (a Dockerfile's ``ENV A=1 DB_PASSWORD=…``, a shell's ``export``/``env``
lines) are judged by the key that owns the value, as the one-pair form is; Mailgun's
``key-`` keys are base-36. Values are built at run time from a seeded generator; each row
is a vulnerable or a safe example."""

from __future__ import annotations

import pytest
from tests.scanners.secrets.forms import ALNUM, LOWER, Values, check_form

from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.placeholders import is_published_example

_V = Values(2026_12_1717)
_r = _V.r
_STRONG = _r(ALNUM, 18)
_TOKEN = _r(ALNUM, 28)
#: a Mailgun key with letters past ``f`` (base-36, as Mailgun issued them)
_MAILGUN = "key-" + "x" + _r(LOWER, 31)
#: Mailgun's documentation key (its v2 API docs' curl examples), built from parts
_MAILGUN_DOCS = "key-" + "3ax6xnjp29jd6fds" + "4gc373sgvjxteol0"

#: (text, path, the rule that reports it, or None when nothing may be reported)
SECENV_FORMS: list[tuple[str, str, str | None]] = [
    # several pairs on one ENV/ARG line: the same verdict as the one-pair form
    (f"ENV DB_PASSWORD={_STRONG}\n", "Dockerfile", "generic-password-unquoted"),
    (f"ENV APP_ENV=prod DB_PASSWORD={_STRONG}\n", "Dockerfile", "generic-password-unquoted"),
    (f"ENV A=1 B=2 GITHUB_TOKEN={_TOKEN}\n", "Dockerfile", "generic-token-unquoted"),
    (f"ARG VERSION=1.2 API_TOKEN={_TOKEN}\n", "Dockerfile", "generic-token-unquoted"),
    (f"ENV DB_PASSWORD={_STRONG} APP_ENV=prod\n", "Dockerfile", "generic-password-unquoted"),
    ("ENV APP_ENV=prod DB_PASSWORD=changeme\n", "Dockerfile", "generic-password-weak-unquoted"),
    # a shell's export and env lines, and prefix assignments
    (f"export A=1 DB_PASSWORD={_STRONG}\n", "deploy.sh", "generic-password-unquoted"),
    (f"env LANG=C DB_PASSWORD={_STRONG}\n", "run.sh", "generic-password-unquoted"),
    (f"env DB_PASSWORD={_STRONG}\n", "run.sh", "generic-password-unquoted"),
    (f"LANG=C DB_PASSWORD={_STRONG}\n", "run.sh", "generic-password-unquoted"),
    # safe: the value belongs to another key, or is a reference or a stand-in
    (f"ENV PASSWORD_FILE=/run/secrets/db APP_NAME={_STRONG}\n", "Dockerfile", None),
    ("ENV APP_ENV=prod DB_PASSWORD=${DB_PASSWORD}\n", "Dockerfile", None),
    ("ENV APP_ENV=prod DB_PASSWORD=$DB_PASSWORD\n", "Dockerfile", None),
    ("ENV A=1 PASSWORD_FILE=/run/secrets/db_password\n", "Dockerfile", None),
    ("ENV APP_ENV=prod DB_PASSWORD=your_password_here\n", "Dockerfile", None),
    (f"ENV TOKEN_URL=https://auth.example.com/token CLIENT_NAME={_STRONG}\n", "Dockerfile", None),
    (f"export A=1 B={_STRONG}\n", "deploy.sh", None),
    # Mailgun: key- and 32 base-36 characters
    (f"MAILGUN_API_KEY={_MAILGUN}\n", ".env", "mailgun-api-key"),
    (f'mailgun_key = "{_MAILGUN}"\n', "settings.py", "mailgun-private-key"),
    ("MAILGUN_API_KEY=${MAILGUN_API_KEY}\n", ".env", None),
    (f"curl --user api:{_MAILGUN_DOCS} https://api.mailgun.net/v2/x\n", "README.md", None),
    (f"MAILGUN_API_KEY={_MAILGUN_DOCS}\n", ".env", None),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    SECENV_FORMS,
    ids=[f"{i}-{r}" for i, (_t, _p, r) in enumerate(SECENV_FORMS)],
)
def test_secenv_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)


def test_mailgun_docs_key_is_a_published_example() -> None:
    assert is_published_example(_MAILGUN_DOCS)
    assert not is_published_example(_MAILGUN)
