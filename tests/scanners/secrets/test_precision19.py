"""Precision on a fourth real-code corpus nobody fitted (session 19: web applications and
deployable projects from Debian, PyPI and npm), and the review of session 18's trust
boundaries: what a hostile tree could hide behind them. Values that must be reported are
built at run time from a seeded generator."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.secrets.forms import ALNUM, Values, check_form
from tests.scanners.secrets.test_precision18 import _tags

from pipesec.core.config import Config
from pipesec.core.engine import context_of
from pipesec.scanners.secrets import catalogues, docblocks
from pipesec.scanners.secrets.engine import SecretEngine

_V = Values(2026_12_19)
_r = _V.r
#: a strong password of the kind a person or a generator writes (reported high)
STRONG = _r(ALNUM, 14) + "#" + _r(ALNUM, 6)
TOKEN = _r(ALNUM, 32)

#: (text, path, rule reported or None)
FORMS: list[tuple[str, str, str | None]] = [
    # -- labels in a language outside any catalogue path: a bundle's chunk, a generator's
    # templates of ``i18n/<lang>/login.json`` (not a catalogue name) ---------------------
    ('{"password":"Contraseña","save":"Guardar"}\n', "build/static/js/es.DSbY4msi.chunk.js", None),
    ('  "password": "Пароль",\n', "templates/webapp/i18n/ru/login.json", None),
    ('{password:"<0>重要提示</0>没有密码<3>且</3>"}\n', "build/zh-Hans.Corl3yeO.chunk.js", None),
    ('  "password": "Lösenord",\n', "templates/webapp/i18n/sv/global.json", None),
    # a password with a letter outside ASCII and a digit, or a generated one: reported
    (f'  "password": "Contraseña{_V.digits(4)}x!",\n', "config/settings.json", "generic-password"),
    (f'  "password": "{STRONG}ñ",\n', "config/settings.json", "generic-password"),
    # -- a JavaScript type name compared with typeof (strapi's users-permissions) -----------
    ("if (typeof config?.validatePassword === 'function') {\n", "dist/server/auth.js", None),
    (f"  validatePassword: '{STRONG}',\n", "config/plugins.js", "generic-password"),
    # -- the token types of bundled editors (Monaco in mlflow, Ace in OCS Inventory) ---------
    ('{token : "constant.datatype!", regex : "a"},\n', "libraries/ace/js/mode-red.js", None),
    ('rdRules["start"][i].token += ".virtual-comment";\n', "ace/js/mode-r.js", None),
    ('[{token: "@brackets.directive"}, {token: "comment.keyword.$2"}]\n', "js/889.chunk.js", None),
    (f'{{token: "{TOKEN}"}}\n', "src/client.js", "generic-token"),
    # -- minified code after a string that held the keyword (yarn's bundled release) --------
    ('(e="Input new password: "),E=n.limitMessage;!S;)n.limit=h,x="a";\n', "yarn.cjs", None),
    (f'const login = {{password: "{STRONG}"}};\n', "src/yarn-login.cjs", "generic-password"),
    # -- dbconfig-common's marker in a Debian package's template ---------------------------
    ("[database]\npassword = _DBC_DBPASS_\n", "usr/share/puppetdb/database.ini.template", None),
    (f"[db]\npassword = Dbc_Pass_{_V.digits(4)}\n", "etc/app/db.ini", "generic-password-unquoted"),
    # -- an Authorization header's value that is a program's variable ------------------------
    ("    Authorization: liteLLMAuthorizationHeader,\n", "src/ai/litellm.ts", None),
    ("  'Authorization': this.authorizationHeaderValue,\n", "src/client.js", None),
    # a token written into the program's string, or a header in a request file: reported
    (f'  "Authorization": "Token {TOKEN}",\n', "src/client.ts", "authorization-token"),
    (f"  headers: {{Authorization: '{TOKEN}'}},\n", "src/client.js", "authorization-token"),
]


@pytest.mark.parametrize(("text", "path", "rule_id"), FORMS)
def test_forms_of_the_fourth_corpus(
    engine: SecretEngine, text: str, path: str, rule_id: str | None
) -> None:
    check_form(engine, text, path, rule_id)


@pytest.mark.parametrize(
    ("path", "context"),
    [
        # a package's one test module (django-environ's ``environ/test.py``) reads as a test
        ("environ/test.py", "test"),
        # the same name holding no test is code (a name the tree chose does not demote)
        ("app/test.py", None),
    ],
)
def test_python_test_module(tmp_path: Path, path: str, context: str | None) -> None:
    body = {"environ/test.py": "import unittest\n\nclass T(unittest.TestCase):\n    pass\n"}
    reads = {p: "unittest" in body.get(p, "print(1)\n") for p in (path,)}
    assert context_of(path, Config(), reads.__getitem__) == context


# -- session 18's documentation comments: a ``/**`` that opens no comment -------------------
@pytest.mark.parametrize(
    ("path", "body", "docs"),
    [
        # a glob in a string or a line comment opened "a doc comment" that hid every later
        # password of the file (a build file's ``src/**/*.js`` is common, not only hostile)
        ("src/gulpfile.js", 'const files = ["src/**/*.js"];\nconst password = "{pw}";\n', False),
        ("src/app.php", "<?php\n$glob = 'lib/**';\n$password = '{pw}';\n", False),
        ("src/Main.java", 'class A {{ // see /** docs\n  String password = "{pw}";\n}}\n', False),
        # a docblock whose later line is code, not ``*`` text (a string that held ``/**``)
        ("src/x.ts", 'const s = `\n/**`;\nconst password = "{pw}";\n', False),
        # real documentation comments stay docs: indented, one-line, with blank lines
        ("src/client.js", "  /**\n   * @example\n   *   password = '{pw}';\n   */\n", True),
        ("src/one.php", "<?php\n/** @example $password = '{pw}'; */\n", True),
        ("src/Blank.java", '/**\n * Example:\n\n * password = "{pw}";\n */\n', True),
    ],
)
def test_doc_comments_open_a_line(tmp_path: Path, path: str, body: str, docs: bool) -> None:
    target = tmp_path / path
    target.parent.mkdir(parents=True)
    target.write_text(body.format(pw=STRONG))
    assert ("context:docs" in _tags(tmp_path)[path]) is docs


_PIECES = ["/**", "*/", "\n", " * ", "  ", "x = 1;", '"a/**"', "// c", "\t"]


@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
@settings(max_examples=300, deadline=None)
def test_doc_comment_needs_star_lines(text: str) -> None:
    """Whatever the text, a place is documentation only after a ``/**`` that opens its
    line, with no ``*/`` since and only ``*`` lines between."""
    for at in range(len(text) + 1):
        got = docblocks.in_doc_comment(text, at, pod=False)
        if not got:
            continue
        opened = text.rfind("/**", 0, at)
        assert opened >= 0 and "*/" not in text[opened + 3 : at]
        assert not text[text.rfind("\n", 0, opened) + 1 : opened].strip()
        for line in text[opened:at].split("\n")[1:]:
            assert not line.strip() or line.lstrip().startswith("*")


# -- session 18's message catalogues: only the formats catalogues are written in -----------
@pytest.mark.parametrize(
    ("path", "catalogue"),
    [
        ("i18n/prd.env", False),
        ("locales/de.conf", False),
        ("lang/en/settings.sh", False),
        ("translations/uat.cfg", False),
        ("i18n/de.ini", True),
        ("locale/fr.po", True),
        ("config/locales/pt-BR.yml", True),
        ("src/i18n/nl.ts", True),
        ("l10n/de/messages.properties", True),
        # a language's directory under a translations directory, whatever the file's name
        # (a generator's ``webapp/i18n/en/register.json``, Laravel's ``lang/en/auth.php``)
        ("templates/webapp/i18n/en/register.json", True),
        ("resources/lang/en/passwords.php", True),
        ("i18n/en/prd.env", False),
        ("config/en/register.json", False),
    ],
)
def test_catalogue_formats(path: str, catalogue: bool) -> None:
    assert catalogues.is_message_catalogue(path) is catalogue


def test_dotenv_under_i18n_is_reported(tmp_path: Path) -> None:
    """A deployment's dotenv named like a language under ``i18n/`` is configuration: its
    password is reported as anywhere else (it was read as a label and dropped)."""
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "prd.env").write_text(f'DB_PASSWORD="{STRONG}"\n')
    (tmp_path / "i18n" / "prd.json").write_text(f'{{"password": "{STRONG}"}}\n')
    found = _tags(tmp_path)
    assert "i18n/prd.env" in found


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    [
        # a password with a letter outside ASCII and no digit: a sign no label writes, a
        # capital inside a word (secprec19's label filter dropped each, high before)
        ('DB_PASSWORD="Ölscheich#Kaffee!"\n', "deploy/.env", "generic-password"),
        ('DB_PASSWORD="kQpZrXwVtYmNbLcHøJ"\n', "deploy/.env", "generic-password"),
        ('password: "Über@Sicherheit"\n', "config/app.yaml", "generic-password"),
        # labels stay quiet: words, a sentence's signs, markup and placeholders
        ('  "password": "Mot de passe oublié ?",\n', "templates/i18n/fr/login.json", None),
        ('{password:"Contraseña *","hint":"Введите пароль"}\n', "build/es.Ab12.chunk.js", None),
        ('  "password": "{field} \u2013 Пароль (обязательно)",\n', "templates/ru/form.json", None),
    ],
)
def test_a_password_with_a_letter_outside_ascii_is_no_label(
    engine: SecretEngine, text: str, path: str, rule_id: str | None
) -> None:
    """secprec19's label filter (a value holding a letter outside ASCII and no digit is a
    label in a language) also dropped passwords a person types or a generator makes with
    such a letter; a label writes words and a sentence's signs only."""
    check_form(engine, text, path, rule_id)
