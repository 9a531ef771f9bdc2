"""Passwords written into scripts and system configuration files (session 10).

Windows commands that take a password as an argument (``schtasks /rp``, ``net use … /user:``,
``cmdkey /pass:``), SQL statements that create an account with its password, Windows
answer files (``unattend.xml``: the administrator and auto-logon passwords, clear or in
their reversible base64 form), saved Remote Desktop connections (``password 51:b:`` is a
DPAPI blob of the password), ASP.NET ``<machineKey>`` keys (anyone holding the validation
key can forge view state) and Group Policy Preferences ``cpassword`` values (AES with a key
Microsoft published). Each rule reads its command or element, so prose that names the
command without a value does not match; a typed password goes through the generic filters
(templates, ``%VAR%``, ``*`` prompts are dropped; a weak value is reported medium).
"""

from __future__ import annotations

import base64
import random

from pipesec.core.model import Severity
from pipesec.scanners.secrets import filters
from pipesec.scanners.secrets.rules.base import SecretRule
from pipesec.scanners.secrets.rules.builders import (
    ALNUM,
    B64,
    DIGITS,
    HEXU,
    custom,
    password,
    rand,
)
from pipesec.scanners.secrets.rules.generic import KIND

H = Severity.HIGH

#: a command-line value: quoted (one word) or bare, never a switch (``/persistent:no``)
_ARG = r"([\"']?)([^\s\"'/][^\s\"']{0,127})\1(?=\s|$)"


def _pw(r: random.Random) -> str:
    # a typed password that is not a placeholder: letters, digits, a sign
    return rand(r, "bcdfghjkmnpqrstvwxz", 4) + rand(r, DIGITS, 3) + "#" + rand(r, ALNUM, 4)


def _utf16_b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-16-le")).decode()


RULES: list[SecretRule] = [
    password(
        "windows-schtasks-password",
        "Windows",
        "Password on a schtasks command line (/rp or /p)",
        r"(?im)\bschtasks(?:\.exe)?[ \t][^\n]{0,300}?[ \t]/r?p[ \t]+" + _ARG,
        secret_group=2,
        example=lambda r: (
            f'schtasks /create /tn "Backup" /tr "backup.bat" /sc daily /ru svc /rp {_pw(r)}\n'
        ),
        fixed=lambda r: 'schtasks /create /tn "Backup" /tr "backup.bat" /sc daily /ru SYSTEM\n',
        keywords=("schtasks",),
        severity=H,
    ),
    password(
        "windows-net-use-password",
        "Windows",
        "Password on a net use command line",
        r"(?im)\bnet[ \t]+use[ \t][^\n]{0,200}?[ \t]/user:\S+[ \t]+" + _ARG,
        secret_group=2,
        example=lambda r: f"net use Z: \\\\fs01\\share /user:CORP\\svc {_pw(r)}\n",
        fixed=lambda r: "net use Z: \\\\fs01\\share /user:CORP\\svc *\n",
        keywords=("net use",),
        severity=H,
    ),
    password(
        "windows-cmdkey-password",
        "Windows",
        "Password stored with cmdkey /pass:",
        r"(?im)\bcmdkey(?:\.exe)?[ \t]+/(?:add|generic):\S+[^\n]{0,200}?[ \t]/pass:" + _ARG,
        secret_group=2,
        example=lambda r: f"cmdkey /add:fs01 /user:svc /pass:{_pw(r)}\n",
        fixed=lambda r: "cmdkey /add:fs01 /user:svc /pass\n",
        keywords=("cmdkey",),
        severity=H,
    ),
    password(
        "sql-account-password",
        "Database",
        "Password in an SQL statement that creates or changes an account",
        r"(?i)\b(?:(?:CREATE|ALTER)[ \t]+(?:USER|LOGIN|ROLE)[ \t]|GRANT[ \t])[^\n;]{1,200}?"
        r"\b(?:IDENTIFIED[ \t]+BY|(?:ENCRYPTED[ \t]+|UNENCRYPTED[ \t]+)?PASSWORD)"
        r"[ \t]*=?[ \t]*(['\"])([^'\"\n]{3,128})\1",
        secret_group=2,
        example=lambda r: f"CREATE USER 'app'@'%' IDENTIFIED BY '{_pw(r)}';\n",
        fixed=lambda r: "CREATE USER 'app'@'%' IDENTIFIED WITH auth_socket;\n",
        keywords=("identified by", "password"),
        severity=H,
        # hashes, not passwords: MySQL's *<40 hex>, PostgreSQL's md5 and SCRAM verifiers
        allow_regexes=(r"^(?:\*[0-9A-Fa-f]{40}|md5[0-9a-f]{32}|SCRAM-SHA-256\$.*)$",),
    ),
    password(
        "windows-unattend-password",
        "Windows",
        "Administrator or auto-logon password in a Windows answer file (unattend.xml)",
        r"(?i)<(?:AdministratorPassword|Password)>\s{0,40}<Value>\s{0,20}([^<\s]{4,512})\s{0,20}"
        r"</Value>",
        example=lambda r: (
            "<UserAccounts>\n  <AdministratorPassword>\n"
            f"    <Value>{_utf16_b64(_pw(r) + 'AdministratorPassword')}</Value>\n"
            "    <PlainText>false</PlainText>\n  </AdministratorPassword>\n</UserAccounts>\n"
        ),
        fixed=lambda r: (
            "<UserAccounts>\n  <AdministratorPassword>\n"
            "    <Value>*SENSITIVE*DATA*DELETED*</Value>\n  </AdministratorPassword>\n"
            "</UserAccounts>\n"
        ),
        keywords=("<value>",),
        severity=H,
        allow_regexes=(r"SENSITIVE\*DATA\*DELETED",),
    ),
    custom(
        "rdp-file-password",
        "Windows",
        "Saved password in a Remote Desktop connection file (password 51:b:)",
        r"(?im)^[ \t]*password[ \t]+51:b:([0-9A-Fa-f]{32,4096})[ \t]*$",
        example=lambda r: (
            f"full address:s:rdp01.corp.test\npassword 51:b:01000000D08C9DDF{rand(r, HEXU, 96)}\n"
        ),
        fixed=lambda r: "full address:s:rdp01.corp.test\nprompt for credentials:i:1\n",
        keywords=("51:b:",),
        severity=H,
    ),
    custom(
        "aspnet-machine-key",
        "Microsoft",
        "ASP.NET machineKey validation or decryption key",
        r"(?i)\b(?:validationKey|decryptionKey)[ \t]*=[ \t]*[\"']([0-9A-Fa-f]{32,256})[\"']",
        example=lambda r: (
            f'<machineKey validationKey="{rand(r, HEXU, 128)}" '
            f'decryptionKey="{rand(r, HEXU, 48)}" validation="SHA1" />\n'
        ),
        fixed=lambda r: (
            '<machineKey validationKey="AutoGenerate,IsolateApps" '
            'decryptionKey="AutoGenerate,IsolateApps" />\n'
        ),
        keywords=("validationkey", "decryptionkey"),
        severity=H,
        generated=True,
        entropy=3.0,
    ),
    custom(
        "gpp-cpassword",
        "Windows",
        "Group Policy Preferences cpassword (AES with a key Microsoft published)",
        r"(?i)\bcpassword[ \t]*=[ \t]*[\"']([A-Za-z0-9+/]{16,512}={0,2})[\"']",
        example=lambda r: (
            f'<Properties action="U" userName="svc" cpassword="{rand(r, B64, 43)}" />\n'
        ),
        fixed=lambda r: '<Properties action="U" userName="svc" cpassword="" />\n',
        keywords=("cpassword",),
        severity=H,
        generated=True,
        entropy=3.0,
    ),
]


def _lftp_user_password() -> SecretRule:
    """The password of ``lftp -u user,password`` (FTP and SFTP deploys in CI scripts, an
    ``open -u`` inside ``-e '…'``): lftp joins the user and the password with a comma, which
    the URL and ``user:password`` rules do not read (session 15). A weak password there is
    the account's: reported at medium; ``$VAR`` and ``${{ … }}`` references are not values."""
    rule_id = "secrets/lftp-user-password"
    KIND[rule_id] = filters.Kind(filters.STORE, 2.5, 6, "secrets/generic-password-weak")
    return password(
        "lftp-user-password",
        "FTP",
        "Password on an lftp -u command line (the user and the password joined by a comma)",
        r"\blftp\b(?:[^\n]|\\\n){0,300}?\s(?:-u|--user)(?:=|[ \t]{1,3})"
        r"[\"']?[^\s,\"'<>$]{1,100},([^\s\"'$<>,]{4,200})[\"']?(?=[\s;]|$)",
        example=lambda r: (
            f"lftp -u deploy,{_pw(r)} -e 'mirror -R dist /www; quit' ftp.example.com\n"
        ),
        fixed=lambda r: (
            'lftp -u "deploy,$FTP_PASSWORD" -e "mirror -R dist /www; quit" ftp.example.com\n'
        ),
        keywords=("lftp",),
        severity=H,
    )


RULES.append(_lftp_user_password())


def _maven_master_password() -> SecretRule:
    """Maven's master password in ``settings-security.xml`` (``<master>{…}</master>``):
    Maven encrypts it with a fixed, published passphrase, so anyone holding the file reads
    the master password, and with it every ``{…}`` server password of ``settings.xml``
    (session 16: ripsecrets' test fixtures; no rule read the element)."""
    return custom(
        "maven-master-password",
        "Maven",
        "Maven master password in settings-security.xml (encrypted with a published key)",
        r"(?i)<master>[ \t]{0,20}\{([A-Za-z0-9+/]{16,256}={0,2})\\?\}[ \t]{0,20}</master>",
        example=lambda r: (
            f"<settingsSecurity>\n  <master>{{{rand(r, B64, 43)}=}}</master>\n</settingsSecurity>\n"
        ),
        fixed=lambda r: (
            "<settingsSecurity>\n  <relocation>/Volumes/key/security.xml"
            "</relocation>\n</settingsSecurity>\n"
        ),
        keywords=("<master>",),
        severity=H,
        generated=True,
        entropy=3.0,
    )


RULES.append(_maven_master_password())

#: the words before ``password`` in a sentence that states one: ``the``, ``the default``,
#: ``default``, ``initial``
_PROSE_LEAD = r"\b(?:the[ \t]+(?:default[ \t]+|initial[ \t]+)?|default[ \t]+|initial[ \t]+)"


def _prose_password() -> SecretRule:
    """A password stated in a sentence (``The default password is 'blooberry'``, ``the
    password for user 'postgres' is 'admin'``): READMEs, install scripts' ``echo`` lines and
    comments give a device's or a service's password that way (session 16: noseyparker's
    generic rules read it; no pipesec rule did). The value is quoted and one word; a weak
    one (``admin``) is reported weak, a ``$VAR``, ``%s`` or ``{name}`` is not a value."""
    rule_id = "secrets/prose-password"
    KIND[rule_id] = filters.Kind(filters.STORE, 3.0, 8, "secrets/generic-password-weak")
    return password(
        "prose-password",
        "Generic",
        "Password stated in a sentence (the password is '…')",
        rf"(?i){_PROSE_LEAD}password[ \t]+(?:for[ \t]+(?:the[ \t]+)?(?:user|username|account|"
        r"login)[ \t]+[\"'][^\"'\n]{1,40}[\"'][ \t]+)?is:?[ \t]+"
        r"[\"']([^\"'\s$%{}<>|\\]{3,64})[\"']",
        example=lambda r: f"echo \"The password is '{_pw(r)}'\"\n",
        fixed=lambda r: "echo \"The password is '$ADMIN_PASSWORD'\"\n",
        keywords=("password",),
        severity=Severity.MEDIUM,
        # a sentence about the password's state, not its value (``the password is 'invalid'``)
        allow_regexes=(
            r"(?i)^(?:(?:in)?(?:correct|valid)|wrong|required|missing|empty|blank|expired|"
            r"hidden|masked|none|null|nil|undefined|unset|set|changed|reset|weak|strong|"
            r"(?:in)?secure|saved|stored|encrypted|hashed|too[_-]?\w+)$",
        ),
    )


RULES.append(_prose_password())


def _symfony_default_secret() -> SecretRule:
    """Symfony's published default ``secret`` (``ThisTokenIsNotSoSecretChangeIt``, the value
    of the framework's ``parameters.yml.dist`` and of early ``.env`` recipes) left in a
    configuration: the kernel signs fragment URLs, login links and remember-me cookies with
    it, and everyone knows it (a signed ``/_fragment`` request runs code). The value is the
    same everywhere, so the placeholder checks (which drop self-describing values such as
    ``…NotSoSecretChangeIt``) do not apply: the rule reads that one value under the
    framework's names (session 16: trivy's symfony fixtures, the ninth sample's leftover)."""
    default = "ThisTokenIsNot" + "SoSecretChangeIt"
    return custom(
        "symfony-default-secret",
        "Symfony",
        "Symfony's published default secret (APP_SECRET / kernel secret) in use",
        r"(?i)\b(?:app_secret|secret|kernel\.secret)[\"']?[ \t]*(?:=|:)[ \t]*[\"']?"
        rf"({default})(?![A-Za-z0-9])",
        example=lambda r: f"APP_ENV=prod\nAPP_SECRET={default}\n",
        fixed=lambda r: "APP_ENV=prod\nAPP_SECRET=%env(APP_SECRET)%\n",
        keywords=("notsosecretchangeit",),
        severity=Severity.MEDIUM,
    )


RULES.append(_symfony_default_secret())
