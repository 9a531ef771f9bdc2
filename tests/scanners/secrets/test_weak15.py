"""Weak passwords and precision leftovers (issue 14, session 15): a URL's weak password is
reported low instead of dropped, the eighth sample's hold-out forms (password elements,
``NAME=value`` in an element's text, a quoted ``AccountKey``), and the second real-code
corpus's leftovers (maps of field names, Python signatures read as conninfo strings,
Firebase Storage download URLs). Values are built at run time; each row is a vulnerable or
a safe example."""

from __future__ import annotations

import pytest
from tests.scanners.secrets.forms import ALNUM, Values, check_form

from pipesec.core.model import Severity
from pipesec.scanners.secrets.engine import SecretEngine

_V = Values(2026_12_15)
_r = _V.r
B64 = ALNUM + "+/"
#: a word people use as a password, and one that says what goes there (built from parts)
_GUEST = "gu" + "est"
_MY = "my" + "password"

URL_FORMS: list[tuple[str, str, str | None]] = [
    # a guessable password of a service on the machine itself: a local default, but a
    # password that works wherever the URL is used (reported low, dropped in documentation)
    (f"Connect to https://admin:hard{'coded'}@localhost:8000/admin now\n", "notes.txt", "url"),
    (f'url = "amqp://{_GUEST}:{_GUEST}@localhost:5672//"\n', "app.py", "url"),
    ('DB = "postgres://postgres:postgres@127.0.0.1:5432/app"\n', "settings.py", "url"),
    (f'url = "amqp://{_GUEST}:{_GUEST}@localhost:5672//"\n', "docs/setup.md", None),
    # a password that describes itself: what someone typed into a template, still a login
    (f"DATABASE_URL=postgresql://myusername:{_MY}@db.postgres.azure.com/app\n", ".env", "url"),
    (f"mysql://joeblow:{_MY}@foo.bar.baz/\n", "notes.txt", "url"),
    (
        f'return"mongodb+srv://root:random{"password"}@cluster0.ab1cd.mongodb.net/x"\n',
        "a.js",
        "url",
    ),
    (f"DATABASE_URL=postgresql://app:{_MY}@db/app\n", "docs/install.md", None),
    # templates stay out; a guessable password on another host stays the URL rule's
    ("DATABASE_URL=postgresql://app:your" + "password@db/app\n", ".env", None),
    ("redis://[[username]:[password]]@localhost:6379/0\n", "client.py", None),
    (f'url = "amqp://{_GUEST}:{_GUEST}@rabbit.internal:5672//"\n', "app.py", "amqp-url-password"),
    (f'url = "postgres://app:{_r(ALNUM, 16)}@localhost/db"\n', "app.py", "postgres-url-password"),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"), URL_FORMS, ids=[str(i) for i in range(len(URL_FORMS))]
)
def test_url_weak_passwords(
    text: str, path: str, rule_id: str | None, engine: SecretEngine
) -> None:
    check_form(engine, text, path, "url-password-weak" if rule_id == "url" else rule_id)


def test_url_weak_password_is_low(engine: SecretEngine) -> None:
    """Visible, not failing the default gate; the strong URL rule does not report it too."""
    found = list(engine.scan_text(f"mysql://joeblow:{_MY}@foo.bar.baz/\n", path="n.txt"))
    assert [m.rule.id for m in found] == ["secrets/url-password-weak"]
    assert found[0].rule.severity is Severity.LOW
    assert found[0].value == _MY


#: the real-code corpus's leftovers: a map of field names, Python signatures read as a
#: libpq conninfo string, Firebase Storage download URLs
CODE_FORMS: list[tuple[str, str, str | None]] = [
    # ``password: "password"`` among other entries that map a name to itself: field names
    ('const Grant = {\n    username: "username",\n    password: "password",\n};\n', "a.cjs", None),
    ('_ALIASES = {\n    "username": "username",\n    "password": "password",\n}\n', "m.py", None),
    (
        'key_map = {\n  "username": "userName",\n  "password": "password",\n'
        '  "enable_password": "enablePassword",\n}\n',
        "inventory.py",
        None,
    ),
    ("x={username:'username',password:'password'};\n", "bundle.min.js", None),
    ('class K:\n    protocol = "protocol"\n    password = "password"\n', "consts.py", None),
    # the weakest password there is, passed or defaulted: still reported
    ('login(user="admin", password="password")\n', "client.py", "generic-password-weak"),
    (
        'def __init__(\n    self,\n    username="salt",\n    password="password",\n',
        "helper.py",
        "generic-password-weak",
    ),
    # in configuration the same pair is a login (issue 14's data-source file)
    (
        "username: username\npassword: password\n",
        "datasource.yml",
        "generic-password-weak-unquoted",
    ),
    # a Python signature's keyword arguments are no conninfo string; a conninfo string is
    ("def f(host=None, port=None, password=None, runas=None):\n", "pg.py", None),
    (
        "    cmd, host=None, port=None, maintenance_db=None, password=None, runas=None\n",
        "pg.py",
        None,
    ),
    (
        f'PGCONN="host=db dbname=app user=app password={_r(ALNUM, 14)}"\n',
        "run.sh",
        "db-connect-dsn-password",
    ),
    # a Firebase Storage download URL: a link to one object made to be shared
    (
        'imageUrl: "https://firebasestorage.googleapis.com/v0/b/demo.appspot.com/o/m%2Fa.jpeg'
        f'?alt=media&token={_V.uuid()}",\n',
        "seed_data.gql",
        None,
    ),
    (
        f'img = "https://demo.firebasestorage.app/v0/b/demo.firebasestorage.app/o/a.png?alt=media&token={_V.uuid()}"\n',
        "page.js",
        None,
    ),
    (
        f'url = "https://api.partner.internal/v1/files?alt=media&token={_r(ALNUM, 32)}"\n',
        "client.js",
        "url-query-credential",
    ),
    (
        f'url = "https://evil.test/firebasestorage/v0/b/x/o/y?alt=media&token={_r(ALNUM, 32)}"\n',
        "client.js",
        "url-query-credential",
    ),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"), CODE_FORMS, ids=[str(i) for i in range(len(CODE_FORMS))]
)
def test_corpus_leftovers(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)


_PW = _r(ALNUM, 16)
_KEY = _r(B64, 86) + "=="

#: the eighth unseen sample's hold-out forms, written generally
HOLDOUT_FORMS: list[tuple[str, str, str | None]] = [
    # password elements other than <password> (maven-settings-password's)
    (f"<db>\n  <pwd>{_PW}</pwd>\n</db>\n", "app.config", "generic-xml-element-password"),
    (f"<db><passwd>{_PW}</passwd></db>\n", "conf/db.xml", "generic-xml-element-password"),
    (
        f"<ftp><adminPassword>{_PW}</adminPassword></ftp>\n",
        "conf/ftp.xml",
        "generic-xml-element-password",
    ),
    (f"<db><pwd>hard{'coded'}1</pwd></db>\n", "conf/db.xml", "generic-password-weak"),
    ("<db><pwd>${DB_PASSWORD}</pwd></db>\n", "conf/db.xml", None),
    (f"<policy><pwdPolicy>{_PW}</pwdPolicy></policy>\n", "conf/db.xml", None),
    # NAME=value lines in an element's text (Jenkins EnvInject's propertiesContent)
    (f"<inlist>DB_PASSWORD={_PW}</inlist>\n", "jobs/config.xml", "generic-password-unquoted"),
    (
        f"<inlist>DB_PASSWORD=hard{'coded'}4</inlist>\n",
        "jobs/config.xml",
        "generic-password-weak-unquoted",
    ),
    ("<inlist>DB_PASSWORD=${DB_PASSWORD}</inlist>\n", "jobs/config.xml", None),
    # an account key under its name in any assignment, quoted or not
    (f"AccountKey='{_KEY}'\n", "notes.txt", "azure-storage-account-key"),
    (f'"accountKey": "{_KEY}",\n', "local.settings.json", "azure-storage-account-key"),
    (
        f"az storage blob list --account-name x --account-key {_KEY}\n",
        "ci.sh",
        "azure-storage-account-key",
    ),
    (f"AccountKey={_KEY[:-2]}A==\n", "notes.txt", None),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"), HOLDOUT_FORMS, ids=[str(i) for i in range(len(HOLDOUT_FORMS))]
)
def test_holdout_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)


def test_element_text_value_stops_at_the_closing_tag(engine: SecretEngine) -> None:
    """``DB_PASSWORD=<v></propertiesContent>``: the value is ``<v>``, not the closing tag
    (it was the whole rest of the line), on the first line of the element and the last."""
    for text in (
        f"<propertiesContent>DB_USER=app\nDB_PASSWORD={_PW}</propertiesContent>\n",
        f"<propertiesContent>DB_PASSWORD={_PW}\nDB_USER=app</propertiesContent>\n",
    ):
        found = [(m.rule.id, m.value) for m in engine.scan_text(text, path="config.xml")]
        assert found == [("secrets/generic-password-unquoted", _PW)], text
