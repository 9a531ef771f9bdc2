"""Forms missed on the eleventh unseen sample (issue 14, session 17): Checkmarx KICS's
'Passwords And Secrets' query fixtures and ZupIT horusec's leak samples. Values are built
at run time from a seeded generator; each row is a vulnerable or a safe example."""

from __future__ import annotations

import pytest
from tests.scanners.secrets.forms import ALNUM, Values, check_form

from pipesec.scanners.secrets.engine import SecretEngine

_V = Values(2026_12_17)
_r = _V.r
_STRONG = _r(ALNUM, 18)
_TOKEN = _r(ALNUM, 28)
#: MySQL's native password hash: ``*`` and 40 upper-case hex digits
_MYSQL_HASH = "*" + _r("0123456789ABCDEF", 40)

#: (text, path, the rule that reports it, or None when nothing may be reported)
UNSEEN11_FORMS: list[tuple[str, str, str | None]] = [
    # a Dockerfile's ENV <key> <value>: the form without '='
    (
        "FROM base\nENV ARTEMIS_USER artemis\nENV ARTEMIS_PASSWORD artemis\n",
        "Dockerfile",
        "dockerfile-env-password-weak",
    ),
    (f"ENV DB_PASSWORD {_STRONG}\n", "Dockerfile", "dockerfile-env-password"),
    (f'ENV DB_PASSWORD "{_STRONG}"\n', "build/app.dockerfile", "dockerfile-env-password"),
    (f"ENV OAUTH_CLIENT_SECRET {_STRONG}\n", "Containerfile", "dockerfile-env-secret"),
    (f"ENV GITHUB_TOKEN {_TOKEN}\n", "Dockerfile", "dockerfile-env-token"),
    (f"ENV SERVICE_API_KEY {_TOKEN}\n", "Dockerfile", "dockerfile-env-token"),
    # the '=' form stays the unquoted rules'
    (f"ENV DB_PASSWORD={_STRONG}\n", "Dockerfile", "generic-password-unquoted"),
    ("ENV DB_PASSWORD ${DB_PASSWORD}\n", "Dockerfile", None),
    ("ENV DB_PASSWORD $DB_PASSWORD\n", "Dockerfile", None),
    ("ENV PASSWORD_FILE /run/secrets/db_password\n", "Dockerfile", None),
    ("ENV DB_PASSWORD your_password_here\n", "Dockerfile", None),
    (f"ENV JAVA_OPTS -Ddb.password={_STRONG} -Xmx1g\n", "Dockerfile", None),
    # a multi-word secret key in PascalCase or camelCase (a CloudFormation property)
    (f"Properties:\n  PrivateKey: {_STRONG}\n", "template.yaml", "generic-secret-unquoted"),
    (f'const encryptionKey = "{_STRONG}";\n', "src/crypto.js", "generic-secret"),
    (f'signingKey: "{_STRONG}"\n', "config.yaml", "generic-secret"),
    (f"app.master.key={_STRONG}\n", "app.properties", "generic-secret-unquoted"),
    ("Properties:\n  PrivateKey: !Ref ApnsPrivateKey\n", "template.yaml", None),
    ("const encryptionKey = process.env.ENCRYPTION_KEY;\n", "src/crypto.js", None),
    # a secret's key spelled again as its value is a map of names (the noise corpus: an
    # IAM action list, a field-alias table), not a secret; a password stays the weak rules'
    ('{"getkmsencryptionkey":"GetKMSEncryptionKey","getlabels":"GetLabels"}\n', "iam.json", None),
    ('    "ClientEncryptionKey": ".client_encryption_key",\n', "types.py", None),
    ('    "client_signing_key": ".client_signing_key",\n', "types.py", None),
    ('db_password = "password"\n', "app.yaml", "generic-password-weak"),
    # a MySQL native password hash is not the password: the hashes' rule reports it (review17:
    # dropped by the generic filters, it was reported by nothing); '*' in code is no hash
    (f'plaintext_password = "{_MYSQL_HASH}"\n', "main.tf", "password-hash-mysql-native"),
    (
        f"INSERT INTO `user` VALUES ('%','app','{_MYSQL_HASH}');\n",
        "db.sql",
        "password-hash-mysql-native",
    ),
    (f"total = price *{_MYSQL_HASH[1:]}\n", "calc.py", None),
    (f'password = "{_STRONG}"\n', "main.tf", "generic-password"),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    UNSEEN11_FORMS,
    ids=[f"{i}-{r}" for i, (_t, _p, r) in enumerate(UNSEEN11_FORMS)],
)
def test_unseen11_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)
