"""Forms missed on the eighth unseen sample (issue 14, session 14): Skyscanner whispers'
fixtures (realistic configuration files), detect-secrets' plugin tests, ggshield's test
documents, earlybird's rule examples, values drawn from secrets-patterns-db. Values are
built at run time from a seeded generator; each row is a vulnerable or a safe example."""

from __future__ import annotations

import pytest
from tests.scanners.secrets.forms import ALNUM, Values, check_form

from pipesec.scanners.secrets.engine import SecretEngine

_V = Values(2026_12_14)
_r = _V.r


def _pw() -> str:
    return _r(ALNUM, 12) + "!"


#: (text, path, the rule that reports it, or None when nothing may be reported)
UNSEEN8_FORMS: list[tuple[str, str, str | None]] = [
    # a value named by a sibling field of its record (name/key + value)
    (f"env:\n  - name: DB_PASSWORD\n    value: {_pw()}\n", "deploy.yaml", "generic-password"),
    (
        f'env:\n  - name: "API_TOKEN"\n    value: "{_r(ALNUM, 32)}"\n',
        "deploy.yaml",
        "generic-token",
    ),
    (
        f'[{{"name": "DB_PASSWORD", "value": "{_pw()}"}}]\n',
        "task-definition.json",
        "generic-password",
    ),
    (
        f'{{\n  "ParameterKey": "MasterPassword",\n  "ParameterValue": "{_pw()}"\n}}\n',
        "params.json",
        "generic-password",
    ),
    (
        f"<entry>\n  <key>password</key>\n  <value>{_pw()}</value>\n</entry>\n",
        "integration.conf",
        "generic-password",
    ),
    (
        f"<property>\n  <name>fs.s3a.secret.key</name>\n  <value>{_r(ALNUM, 40)}</value>\n"
        "</property>\n",
        "core-site.xml",
        "generic-secret",
    ),
    # a name and a literal passed together: a default, a define, a property
    (f'pw = os.getenv("DB_PASSWORD", "{_pw()}")\n', "settings.py", "generic-password"),
    (f'pw = os.environ.get("pwd", "{_pw()}")\n', "settings.py", "generic-password"),
    (f'define("MAIL_PASSWORD", "{_pw()}");\n', "config.php", "generic-password"),
    (f'props.setProperty("api.token", "{_r(ALNUM, 32)}");\n', "Conf.java", "generic-token"),
    # NAME=value as one string (docker inspect's Env, a command's argument list)
    (
        f'{{"Config": {{"Env": ["PATH=/usr/bin", "DB_PASSWORD={_pw()}"]}}}}\n',
        "inspect.json",
        "generic-password",
    ),
    (
        f'cmd = ["docker", "run", "-e", "API_TOKEN={_r(ALNUM, 32)}", "app"]\n',
        "run.py",
        "generic-token",
    ),
    # the names say nothing secret, or the value is no literal: nothing is reported
    (f"env:\n  - name: LOG_LEVEL\n    value: {_r(ALNUM, 16)}\n", "deploy.yaml", None),
    (
        "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: db, key: pw}\n",
        "deploy.yaml",
        None,
    ),
    ("env:\n  - name: DB_PASSWORD_FILE\n    value: /run/secrets/db\n", "deploy.yaml", None),
    ('[{"name": "API_TOKEN", "value": "${API_TOKEN}"}]\n', "task-definition.json", None),
    ("<entry><key>password</key><value>${DB_PASSWORD}</value></entry>\n", "app.xml", None),
    ('pw = os.getenv("DB_PASSWORD", "")\n', "settings.py", None),
    ('label = config.get("password_label", "Password")\n', "ui.py", None),
    ('{"Env": ["PATH=/usr/bin", "DB_PASSWORD_FILE=/run/pw"]}\n', "inspect.json", None),
    # a list under a key that names its items in the plural
    (f"api_keys:\n  - {_r(ALNUM, 32)}\n  - {_r(ALNUM, 32)}\n", "app.yaml", "generic-api-key"),
    (f'passwords:\n  - "{_pw()}"\n', "users.yml", "generic-password"),
    (f'{{"auth_tokens": ["{_r(ALNUM, 32)}"]}}\n', "tokens.json", "generic-token"),
    (
        f'{{\n  "passwords": [\n    "{_pw()}",\n    "{_pw()}"\n  ]\n}}\n',
        "a.json",
        "generic-password",
    ),
    ("api_keys:\n  - ${PRIMARY_API_KEY}\n", "app.yaml", None),
    (f"ssh_keys:\n  - ssh-ed25519 {_r(ALNUM, 68)} ops@host\n", "users.yml", None),
    (f"keys:\n  - {_r(ALNUM, 24)}\n  - {_r(ALNUM, 24)}\n", "index.yml", None),
    ("tokens:\n  - name: deploy\n    scope: repo\n", "tokens.yml", None),
    # (in a program a literal list is data: a mock's DKIM tokens, a test's fixtures)
    (f'result = {{"DkimTokens": ["{_r(ALNUM, 42).lower()}"]}}\n', "responses.py", None),
    # a libpq connection string outside a connect() call
    (
        f'PGCONN="host=db.internal dbname=app user=app password={_pw()}"\n',
        ".env",
        "db-connect-dsn-password",
    ),
    (
        f"psql 'host=db port=5432 dbname=app password={_pw()}'\n",
        "ops.sh",
        "db-connect-dsn-password",
    ),
    ('PGCONN="host=db.internal dbname=app user=app password=$PGPASSWORD"\n', ".env", None),
    ('PGCONN="host=db.internal dbname=app user=app sslmode=require"\n', ".env", None),
    # a default value under the parameter or variable named for the secret
    (
        f'variable "db_password" {{\n  type    = string\n  default = "{_pw()}"\n}}\n',
        "variables.tf",
        "generic-password",
    ),
    (
        f"Parameters:\n  DBPassword:\n    Type: String\n    Default: {_pw()}\n",
        "stack.yaml",
        "generic-password",
    ),
    (
        f'{{\n  "parameters": {{\n    "adminPassword": {{\n      "type": "securestring",\n'
        f'      "defaultValue": "{_pw()}"\n    }}\n  }}\n}}\n',
        "azuredeploy.json",
        "generic-password",
    ),
    (
        f'{{\n  "Parameters": {{\n    "DBPassword": {{\n      "Type": "String",\n'
        f'      "Default": "{_pw()}"\n    }}\n  }}\n}}\n',
        "stack.json",
        "generic-password",
    ),
    ('variable "db_password" {\n  type    = string\n  default = ""\n}\n', "variables.tf", None),
    ('variable "region" {\n  default = "eu-west-1"\n}\n', "variables.tf", None),
    ("Parameters:\n  DBPassword:\n    Type: String\n    NoEcho: true\n", "stack.yaml", None),
    (f"LogLevel:\n  Type: String\n  Default: {_r(ALNUM, 16)}\n", "stack.yaml", None),
    # a comparison with a literal: the password the code accepts
    (f'if password == "{_pw()}":\n    grant()\n', "auth.py", "generic-password"),
    (f"if (token === '{_r(ALNUM, 32)}') {{ grant(); }}\n", "auth.js", "generic-token"),
    ('if password == "":\n    deny()\n', "auth.py", None),
    ('if auth_type == "password":\n    ask()\n', "auth.py", None),
    # New Relic's REST API key (the family's prefix that had no rule)
    (f"NEW_RELIC_REST_KEY=NRRA-{_r('0123456789abcdef', 42)}\n", ".env", "new-relic-rest-api-key"),
    # command-line flags that qualify the password (wget, curl, database clients)
    (
        f"wget --http-password={_r(ALNUM, 16)} https://files.corp\n",
        "fetch.sh",
        "generic-cli-secret-flag",
    ),
    (
        f"wget --ftp-password={_r(ALNUM, 16)} ftp://files.corp\n",
        "fetch.sh",
        "generic-cli-secret-flag",
    ),
    (
        f"curl --tlspassword {_r(ALNUM, 16)} https://api.corp\n",
        "call.sh",
        "generic-cli-secret-flag",
    ),
    (
        f"curl --proxy-tlspassword {_r(ALNUM, 16)} https://api.corp\n",
        "call.sh",
        "generic-cli-secret-flag",
    ),
    (
        f"curl -x proxy:3128 --proxy-user ops:{_r(ALNUM, 16)} https://api.corp\n",
        "call.sh",
        "curl-user-password",
    ),
    (f"curl -U ops:{_r(ALNUM, 16)} https://api.corp\n", "call.sh", "curl-user-password"),
    ("wget --user=ops --ask-password https://files.corp/archive.tar\n", "fetch.sh", None),
    ('wget --http-password="$HTTP_PASSWORD" https://files.corp\n', "fetch.sh", None),
    ("curl --proxy-user ops:$PROXY_PASSWORD https://api.corp\n", "call.sh", None),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    UNSEEN8_FORMS,
    ids=[str(i) for i, _ in enumerate(UNSEEN8_FORMS)],
)
def test_unseen8_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)


def test_name_value_finding_is_on_the_value(engine: SecretEngine) -> None:
    """The finding points at the value's line and covers the value, not the name's line."""
    value = _pw()
    text = f"containers:\n  - env:\n      - name: SMTP_PASSWORD\n        value: {value}\n"
    found = list(engine.scan_text(text, path="pod.yaml"))
    assert [m.rule.id for m in found] == ["secrets/generic-password"]
    assert text[found[0].start : found[0].end] == value
    assert found[0].line == 4


def test_name_value_does_not_repeat_a_provider_finding(engine: SecretEngine) -> None:
    """A provider's token under a secret name is reported once, by the provider's rule."""
    token = "ghp_" + _r(ALNUM, 36)
    text = f"env:\n  - name: GITHUB_TOKEN\n    value: {token}\n"
    found = [m.rule.id for m in engine.scan_text(text, path="job.yaml")]
    assert len(found) == 1 and "generic" not in found[0], found
