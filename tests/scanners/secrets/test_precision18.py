"""Precision on a third real-code corpus nobody fitted (session 18: 354 Debian server and
tool packages, npm infrastructure CLIs and PyPI infrastructure sdists). Each false class
found there is a form, with the same line in a place or shape where it stays reported.
Values that must be reported are built at run time from a seeded generator."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.scanners.secrets.forms import ALNUM, Values, check_form

from pipesec.core.model import Finding
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.secrets import SecretsScanner, catalogues, docblocks
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.options import adapter

_V = Values(2026_12_18)
_r = _V.r
#: a strong password of the kind a person or a generator writes (reported high)
STRONG = _r(ALNUM, 14) + "#" + _r(ALNUM, 6)

#: (text, path, rule reported or None)
FORMS: list[tuple[str, str, str | None]] = [
    # -- translated labels of a user interface: message catalogues -------------------------
    ('\t"yourpassword": "Parool:",\n', "languages/i18n/et.json", None),
    ('\t"config-admin-password": "Password:",\n', "includes/installer/i18n/en.json", None),
    ('\t"apihelp-checktoken-param-token": "Token to test.",\n', "api/i18n/en-gb.json", None),
    ("$PALANG['password'] = 'Loyniorð';\n", "postfixadmin/languages/fo.lang", None),
    ("$labels['password'] = 'Wachtwoord';\n", "program/localization/nl_BE/labels.inc", None),
    ("$lang['user_pass']             = 'Jelszó';\n", "plugins/usermanager/lang/hu/lang.php", None),
    ("\t'Password' => 'পাসওয়ার্ড',\n", "adminer/lang/bn.inc.php", None),
    ("    'Password'              => 'Adgangskode',\n", "www/lang/dk_dk.php", None),
    ("  field_password: Contraseña\n", "config/locales/es.yml", None),
    ("  field_password_confirmation: Confirmación\n", "config/locales/pt-BR.yml", None),
    # the same lines where they configure something: reported
    (f'  "password": "{STRONG}",\n', "config/settings.json", "generic-password"),
    (f"$cfg['password'] = '{STRONG}';\n", "config/config.inc.php", "generic-password"),
    (f"  db_password: {STRONG}\n", "config/database.yml", "generic-password-unquoted"),
    # a translations directory's own settings file, or a file named like no language
    (f'  "password": "{STRONG}",\n', "locales/settings.json", "generic-password"),
    (f'  "password": "{STRONG}",\n', "i18n/db.json", "generic-password"),
    # -- a Zabbix user macro is a reference to the operator's value ------------------------
    ("          password: '{$VMWARE.PASSWORD}'\n", "templates/app/vmware/template.yaml", None),
    ("          password: '{$JMX.PASSWORD:\"ctx\"}'\n", "templates/app/jmx/template.yaml", None),
    ("ZBX_PASSWORD={$API.PASSWORD}\n", "zabbix/agent.env", None),
    # -- names qualified by :: (a Perl SOAP class's type map) ------------------------------
    (
        "        'Password' => 'SOAP::WSDL::XSD::Typelib::Builtin::string',\n",
        "ONVIF/PTZ/Types/EAPMethodConfiguration.pm",
        None,
    ),
    (
        "        'KerberosToken' => 'SOAP::WSDL::XSD::Typelib::Builtin::boolean',\n",
        "ONVIF/PTZ/Types/SecurityCapabilities.pm",
        None,
    ),
    # -- an editor's scope name ending in a number ----------------------------------------
    (
        "   { defaultToken: 'string.quoted.double.actionscript.2' } ] },\n",
        "ace/mode-actionscript.js",
        None,
    ),
    ("   token: 'punctuation.definition.string.begin.actionscript.2',\n", "ace/mode-as.js", None),
    ("    token: 'constant.begin..filter.slim',\n", "ace/mode-slim.js", None),
    ("  { token: 'comment.line.double-slash.actionscript.2',\n", "ace/mode-as.js", None),
    ("\t\t2) no_password='-nodes' ;; # LibreSSL Only\n", "easy-rsa/easyrsa", None),
    # -- OpenStack's policy files: a rule's check string -----------------------------------
    (
        '#"os_compute_api:os-admin-password": "rule:project_member_or_admin"\n',
        "etc/nova/policy.yaml",
        None,
    ),
    ('"identity:get_access_token": "role:admin or rule:owner",\n', "keystone/policy.json", None),
    # -- a CSS id selector, PHP's concatenation after a string, a path under a variable ----
    ("var pass = '#snmp_priv_passphrase';\n", "include/layout.js", None),
    ("\t$url .= '?pass='.$_SESSION['password'];\n", "www/includes/Event.php", None),
    ('$AM_PASS = "$AMANDA_HOME/.am_passphrase";\n', "usr/sbin/amcryptsimple", None),
    ('my $state_token = "$STATE_DIR/$which/$what";\n', "usr/sbin/a2query", None),
    (f'$AM_PASS = "{STRONG}";\n', "usr/sbin/amcryptsimple", "generic-password"),
    # -- a usage line's optional parts in a URL (RFC 3986 keeps [ ] for IPv6 hosts) --------
    ("# ftp://user[:password]@other.host[:port]/some_dir\n", "duplicity/commandline.py", None),
    ("ftp_proxy: 'ftp://[[user][:pass]@]host[:port]/'\n", "cloudinit/cc_apt_configure.py", None),
    (f"ftp_proxy: 'ftp://deploy:{STRONG}@files.corp.internal/'\n", "apt.yaml", "ftp-url-password"),
    # -- DokuWiki's settings descriptions, Tsonga's catalogue ------------------------------
    (
        "$lang['admin_password']        = '上記ユーザーのパスワード';\n",
        "plugins/authad/lang/ja/settings.php",
        None,
    ),
    ('\t"yourpassword": "Vito-mpfungulo:",\n', "languages/i18n/ts.json", None),
    # -- an angle-bracket placeholder with spaces, cut at its first space -------------------
    (
        "  - name: jira_password\n    value: '<PLACE PASSWORD OR TOKEN>'\n",
        "templates/media/jira/media_jira.yaml",
        None,
    ),
    (
        f"  - name: jira_password\n    value: '{STRONG}'\n",
        "templates/media/jira/media_jira.yaml",
        "generic-password",
    ),
]


@pytest.mark.parametrize(("text", "path", "rule_id"), FORMS)
def test_forms_of_the_third_corpus(
    engine: SecretEngine, text: str, path: str, rule_id: str | None
) -> None:
    check_form(engine, text, path, rule_id)


@pytest.mark.parametrize(
    ("path", "catalogue"),
    [
        ("languages/i18n/zh-hant.json", True),
        ("usr/share/mediawiki/languages/i18n/be-tarask.json", True),
        ("www/lang/dk_dk.php", True),
        ("program/localization/pt_BR/labels.inc", True),
        ("plugins/password/localization/zh_CN.inc", True),
        ("lib/plugins/usermanager/lang/th/lang.php", True),
        ("config/locales/en.yml", True),
        ("Locales/fr-FR.json", True),
        # no language in the name, or no translations directory
        ("locales/settings.json", False),
        ("i18n/db.json", False),
        ("config/en.yml", False),
        ("en.json", False),
        (None, False),
    ],
)
def test_message_catalogues(path: str | None, catalogue: bool) -> None:
    assert catalogues.is_message_catalogue(path) is catalogue


def test_provider_keys_in_a_catalogue_are_still_reported(engine: SecretEngine) -> None:
    """Only the generic keyword rules read a catalogue as labels: a private key pasted into
    one is still a private key."""
    body = _r(ALNUM, 64)
    text = (
        '"title": "Login",\n"key": "-----BEGIN OPENSSH PRIVATE KEY-----\\n'
        + body
        + '\\n-----END OPENSSH PRIVATE KEY-----"\n'
    )
    found = [m.rule.id for m in engine.scan_text(text, path="locales/en.json")]
    assert found == [m.rule.id for m in engine.scan_text(text, path="config/en.json")]


def _tags(root: Path) -> dict[str, tuple[str, ...]]:
    """path -> tags of the secrets scanner's generic-password findings under ``root``."""
    ws = Workspace(root, use_git=False)
    opts = adapter().dump_python(adapter().validate_python({"use-hyperscan": False}))
    out = {}
    for item in SecretsScanner().scan(ws, ScannerSettings(options=opts, fingerprint_key=b"k")):
        if isinstance(item, Finding) and item.rule_id == "secrets/generic-password":
            out[item.location.path] = item.tags
    return out


@pytest.mark.parametrize(
    ("path", "body", "docs"),
    [
        # PHPDoc and JSDoc examples (CakePHP's HttpSocket, WordPress's pluggable.php), Perl's
        # POD (Mojo::URL): documentation, as a Python docstring is
        ("lib/HttpSocket.php", "<?php\n/**\n * 'password' => '{pw}'\n */\nclass A {{}}\n", True),
        ("src/client.js", "/**\n * @example\n *   password = '{pw}';\n */\nf();\n", True),
        ("lib/Mojo/URL.pm", "package A;\n1;\n=head1 SYNOPSIS\n\n  $password = '{pw}';\n", True),
        # code after the comment closed, a plain /* */ comment, code after =cut: not docs
        ("lib/Db.php", "<?php\n/** Db. */\n$password = '{pw}';\n", False),
        ("src/old.js", "/*\n password = '{pw}';\n*/\n", False),
        ("lib/A.pm", "=head1 NAME\n\nA\n\n=cut\n\nmy $password = '{pw}';\n", False),
    ],
)
def test_documentation_comments_are_docs(tmp_path: Path, path: str, body: str, docs: bool) -> None:
    target = tmp_path / path
    target.parent.mkdir(parents=True)
    target.write_text(body.format(pw=STRONG))
    assert ("context:docs" in _tags(tmp_path)[path]) is docs


def test_doc_comment_scan_stops_at_its_end() -> None:
    text = "/** a */ x = 1;\n/** b\n * c"
    assert not docblocks.in_doc_comment(text, text.index("x"), pod=False)
    assert docblocks.in_doc_comment(text, text.index("c"), pod=False)
    assert not docblocks.in_doc_comment("my $x = 1;", 3, pod=True)
