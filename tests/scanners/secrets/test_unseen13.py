"""Forms missed (or misread) on the thirteenth unseen sample (issue 14, session 19):
SonarSource sonar-text's secret rule specifications (their compliant and noncompliant
examples) and thoughtworks talisman's detector tests. Values are built at run time from a
seeded generator; each row is a vulnerable or a safe example."""

from __future__ import annotations

import pytest
from tests.scanners.secrets.forms import ALNUM, HEX, Values, check_form

from pipesec.scanners.secrets.engine import SecretEngine

_V = Values(2026_12_19)
_r = _V.r
_KEY = _r(ALNUM, 32)
_TOKEN = _r(ALNUM, 28)
_PW = _r(ALNUM, 18)
_B64URL = ALNUM + "_-"
#: an Azure Bot Service channel secret: 11 characters, a dot, 43
_BOT = f"{_r(_B64URL, 11)}.{_r(_B64URL, 43)}"
#: a RapidAPI key: hex runs joined by ``msh``, ``p`` and ``jsn``
_RAPID = f"{_r(HEX, 10)}msh{_r(HEX, 15)}p{_r(HEX, 6)}jsn{_r(HEX, 12)}"
#: a Vault batch token of Vault before 1.10: ``b.`` and the protobuf body (``AAAAAQ…``)
_VAULT_B = "b.AAAAAQ" + _r(_B64URL, 130)

#: (``apiKey: "…"``, the fallback's reading, is the API-key header rule's)
_HEADER = "http-header-api-key"

#: (text, path, the rule that reports it, or None when nothing may be reported)
UNSEEN13_FORMS: list[tuple[str, str, str | None]] = [
    # a literal fallback after an environment or settings lookup is what the name holds
    # when the lookup is unset: ``||`` and ``??`` (JavaScript, C#), ``?:`` (PHP, Kotlin),
    # ``or`` (Python); read as ``<name>: "<value>"``, every rule decides
    (f"const apiKey = process.env.PAY_API_KEY || '{_KEY}';\n", "app.js", _HEADER),
    (f'//   apiKey: Config.OPENAI_API_KEY || "sk-{_r(ALNUM, 48)}",\n', "chat.ts", _HEADER),
    (f'API_TOKEN = os.environ.get("API_TOKEN") or "{_TOKEN}"\n', "settings.py", "generic-token"),
    (f"$token = getenv('APP_TOKEN') ?: '{_TOKEN}';\n", "config.php", "generic-token"),
    (f'var secret = config["Secret"] ?? "{_TOKEN}";\n', "Startup.cs", "generic-secret"),
    # ... an empty or described fallback, a weak password in a program, a name, a comparison
    # and an arrow function are none
    ("const apiKey = process.env.API_KEY || '';\n", "app.js", None),
    ("const apiKey = process.env.API_KEY || 'your-api-key-1';\n", "app.js", None),
    ("const password = process.env.DB_PASSWORD || 'postgres';\n", "db.js", None),
    ("const tokenKey = options.tokenKey || 'x-auth-token-v2';\n", "auth.js", None),
    (f'if (apiKey === cfg.apiKey || "{_KEY}") {{\n', "check.js", None),
    (f'const pick = apiKey => apiKey || "{_KEY}";\n', "pick.js", None),
    # Vault before 1.10 wrote batch tokens as ``b.`` + the body the ``hvb.`` form carries
    (f"VAULT_TOKEN={_VAULT_B}\n", ".env", "vault-batch-token"),
    (f"{_VAULT_B}\n", "token", "vault-batch-token"),
    (f"x = lib.AAAAAQ{_r(_B64URL, 40)}\n", "a.py", None),
    (f"x = b.AAAAAB{_r(_B64URL, 130)}\n", "a.py", None),
    # a RapidAPI key under any name: its shape names the provider
    (f'{{"key": "token", "initialValue": "{_RAPID}"}}\n', "state.json", "rapidapi-key-format"),
    (f'{{"initialValue": "{_r(HEX, 50)}"}}\n', "state.json", None),
    # an Azure Bot Service channel secret in Microsoft's documented uses
    (f"Authorization: BotConnector {_BOT}\n", "requests.http", "azure-bot-framework-secret"),
    (
        f"xhr.setRequestHeader('Authorization', 'BotConnector ' + '{_BOT}');\n",
        "index.html",
        "azure-bot-framework-secret",
    ),
    (
        f"<iframe src='https://webchat.botframework.com/embed/mybot?s={_BOT}'></iframe>\n",
        "chat.html",
        "azure-bot-framework-secret",
    ),
    ("Authorization: BotConnector YOUR_SECRET_HERE\n", "README.md", None),
    ("Authorization: BotConnector ${DIRECT_LINE_SECRET}\n", "requests.http", None),
    # mysql's ``-p`` joins the password; ``-password`` (one dash) is another tool's long
    # option, not ``-p`` + ``assword``
    (f"mysqldump -u root -p{_PW} app > dump.sql\n", "backup.sh", "mysql-cli-password"),
    ('"opts": "-host mysql -user root -password \'123456\' -port 3306 ",\n', "c.json", None),
    ("mysql -h db -u root -passwd\n", "run.sh", None),
    # the JDK keystore's default ``changeit`` is a template's word as ``changeme`` is, and a
    # value that says it was hidden (``obfuscated``) is none
    ("db_url: mysql+pymysql://fed-mgr:changeit@db:3306/fed_mgr\n", "config.yaml", None),
    ("DSN = 'mysql://mmuser:obfuscated@localhost/mattermost_test'\n", "cfg.py", None),
    (f"db_url: mysql+pymysql://fed:{_PW}@db:3306/fed_mgr\n", "config.yaml", "mysql-url-password"),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    UNSEEN13_FORMS,
    ids=[f"{i}-{r}" for i, (_t, _p, r) in enumerate(UNSEEN13_FORMS)],
)
def test_unseen13_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)
