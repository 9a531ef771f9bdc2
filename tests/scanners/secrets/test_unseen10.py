"""Forms missed on the tenth unseen sample (issue 14, session 16): praetorian-inc's
noseyparker rule examples and sirwart/ripsecrets' test files, and the ninth sample's
leftovers. Values are built at run time from a seeded generator; each row is a vulnerable
or a safe example."""

from __future__ import annotations

import pytest
from tests.scanners.secrets.forms import ALNUM, Values, check_form

from pipesec.scanners.secrets import placeholders
from pipesec.scanners.secrets.engine import SecretEngine

_V = Values(2026_12_16)
_r = _V.r
_B64 = ALNUM + "+/"
_PW = _r(ALNUM, 10) + "#"
#: Symfony's published default secret, from two parts (the whole is no credential, but
#: the tests keep the habit)
_SYMFONY = "ThisTokenIsNot" + "SoSecretChangeIt"
_FGPAT = "github_" + "pat_" + _r(ALNUM, 22) + "_" + _r(ALNUM, 59)

#: (text, path, the rule that reports it, or None when nothing may be reported)
UNSEEN10_FORMS: list[tuple[str, str, str | None]] = [
    # a password stated in a sentence
    (f"echo \"The password is '{_PW}'\"\n", "install.sh", "prose-password"),
    (f'The default password is "{_PW}".\n', "NOTES.txt", "prose-password"),
    (f"Ensure the password for user 'postgres' is '{_PW}'.\n", "setup.txt", "prose-password"),
    (f"Initial password is '{_PW}'\n", "notes.txt", "prose-password"),
    ("The default Password is 'blooberry'\n", "notes.txt", "generic-password-weak"),
    ("echo \"The password is '$ADMIN_PASSWORD'\"\n", "install.sh", None),
    ("print(\"The password is '%s'\" % pw)\n", "tool.py", None),
    ("raise ValueError(f\"the password is '{pw}'\")\n", "tool.py", None),
    ("# the password is 'incorrect'\n", "notes.txt", None),
    ("The password is 'required' for this step\n", "notes.txt", None),
    ("Enter a password that is 'strong'\n", "notes.txt", None),
    # Maven's master password (encrypted with a published passphrase)
    (f"<master>{{{_r(_B64, 43)}=}}</master>\n", "settings-security.xml", "maven-master-password"),
    (f"<master>{{{_r(_B64, 64)}\\}}</master>\n", "security.xml", "maven-master-password"),
    ("<relocation>/Volumes/key/security.xml</relocation>\n", "settings-security.xml", None),
    ("<master>{" + "A" * 43 + "=}</master>\n", "settings-security.xml", None),
    # Symfony's published default secret
    (f"APP_ENV=prod\nAPP_SECRET={_SYMFONY}\n", ".env", "symfony-default-secret"),
    (f"parameters:\n    secret: {_SYMFONY}\n", "parameters.yml", "symfony-default-secret"),
    ("APP_SECRET=%env(APP_SECRET)%\n", ".env", None),
    (f"# never keep {_SYMFONY} in production\n", "README.md", None),
    # an OLE DB / ODBC connection string: the provider, driver or user first, the server
    # after the password, literals joined by ``&``
    (
        f'conn.Open("Provider=SQLOLEDB.1;User ID=app; " & "Password={_PW[:-1]};Data Source=db")\n',
        "db.vb",
        "connection-string-password",
    ),
    (
        f"Driver={{ODBC Driver 17}};Uid=app;Pwd={_PW[:-1]};\n",
        "odbc.ini",
        "connection-string-password",
    ),
    ('conn.Open("Provider=SQLOLEDB.1;User ID=app;Password=" & pw & ";")\n', "db.vb", None),
    ("Provider=SQLNCLI;Server=db;Uid=myUsername;Pwd=myPassword;\n", "README.txt", None),
    # a fine-grained GitHub token glued to a word
    (f"ourgithub_{_FGPAT[7:]}\n", "wrapped.txt", "github-fine-grained-pat"),
    (f"x{_FGPAT}\n", "wrapped.txt", "github-fine-grained-pat"),
    (f"x{_FGPAT}a\n", "wrapped.txt", None),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    UNSEEN10_FORMS,
    ids=[f"{i}-{r}" for i, (_t, _p, r) in enumerate(UNSEEN10_FORMS)],
)
def test_unseen10_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)


def test_marker_word_with_digits_between_letters_is_a_placeholder() -> None:
    # trivy's fixture: "example" with digits typed between its letters
    assert placeholders.is_placeholder("ey" + "E1x2a3MpLe")
    assert placeholders.is_placeholder("s4a9m2p1le" + _r(ALNUM, 20))
    # a random token keeps its digits' meaning: no marker word appears when they go
    assert not placeholders.is_placeholder(_r(ALNUM, 40))


def test_the_value_builder_refuses_a_charset_that_cannot_hold_both_kinds() -> None:
    """``Values.r`` draws until a value holds a digit and a letter: with a charset of one kind
    it looped forever (secunseen10's first draft of this module hung on it)."""
    with pytest.raises(ValueError, match="never hold both"):
        Values(1).r("abcdef", 8)
    with pytest.raises(ValueError, match="never hold both"):
        Values(1).r("0123456789", 8)
    v = Values(1).r("ab12", 6)
    assert any(c.isdigit() for c in v) and any(c.isalpha() for c in v)
