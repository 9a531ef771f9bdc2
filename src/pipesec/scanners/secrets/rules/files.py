"""Credentials in system files, dumps and application configuration formats.

Password hashes (``/etc/shadow``, SQL dumps, ``ftpd.passwd``: an offline cracking target),
PHP ``define()`` secrets and WordPress salts, .NET ``<add key=... value=...>``, FileZilla
``<Pass>``, JetBrains ``WebServers.xml``, login calls with literal arguments, Bundler and
Sidekiq credentials, HTTP headers and command lines, keyword-anchored legacy tokens (40-hex
GitHub tokens in ``HOMEBREW_GITHUB_API_TOKEN``, hub's ``oauth_token``; 32-hex API keys;
Rails ``master.key``) and JWK private keys.
"""

from __future__ import annotations

import base64
import json
import random
import re
from collections.abc import Callable

from pipesec.core.model import Confidence, Severity
from pipesec.scanners.secrets import decoding, filters
from pipesec.scanners.secrets.rules.base import SecretRule
from pipesec.scanners.secrets.rules.builders import (
    ALNUM,
    B64,
    B64URL,
    HEX,
    HEXU,
    custom,
    generic,
    public_by_key,
    rand,
    rand_uuid,
)

H = Severity.HIGH
M = Severity.MEDIUM
CRYPT = "./" + ALNUM

#: values that a person typed as a stand-in (templates, masks, the field's own name)
_TEMPLATE = (
    r"^(?:\$\{?\w.*|%\w+%|<[^>]*>|\{.*|.*\*{3}.*|x{3,}|\.{3,}|(?i:password|passwd|pass|pwd|secret"
    r"|changeme|your[_-]?\w*|example\w*|dummy\w*|placeholder\w*|put your unique phrase here))$"
)


#: a record's name for its value that says it is a secret (``DB_PASSWORD``, ``api.token``,
#: ``fs.s3a.secret.key``): the word anywhere in it (the rules that read the value judge it)
_RECORD_NAME = r"([A-Za-z_.-]?[\w.-]{0,60}?(?i:pass|pwd|secret|token|key|cred|auth)[\w.-]{0,60})"
#: (lookaheads) the value is no other key's name: ``("500px_api_key", "500px_consumer_key")``
#: in a table of keys, ``("token", "refresh_token")``: a secret's word as a whole word of a
#: value of name characters (Airtable's ``key…`` keys go on: a capital follows the word)
_NOT_A_KEY_NAME = (
    # (name characters up to the quote read once, then the word looked for: searched as
    # "after the word, name characters up to the quote" the lookahead read the rest of the
    # value again at each word, quadratic in a value that never closes; review18)
    r"(?!(?=[\w.-]*[\"'])[\w.-]*?(?<![A-Za-z0-9])(?i:pass|pwd|secret|token|key|cred|auth)"
    r"[a-z]*[0-9]*(?![A-Za-z0-9]))"
    # and it holds a digit: a pair of two names or words (``['password', 'principal-name']``,
    # ``lookup('…onepassword_raw', 'Wintermute')`` in Ansible, Django's
    # ``@sensitive_variables("password1", "password2")``) is no credential; a generated key
    # of 16 characters holds a digit 19 times in 20
    r"(?=[^\s\"'\\]*[0-9])"
)
_NAME_VALUE_DOC = (
    "A record that names its value with a sibling field (Kubernetes and ECS env entries "
    "name: / value:, <key>/<value> and Hadoop <name>/<value> XML properties, a call's name "
    'and literal such as getenv("PASSWORD", "...")) holds a credential when the name '
    "says so: the name is read as the value's key, every rule decides, and what it finds is "
    "reported on the value."
)


#: the files whose literal lists under a plural secret key are read (configuration: YAML,
#: JSON); in a program a literal list is data
_CONFIG_FILES = r"\.(?i:ya?ml|json[c5]?)$"
#: a mapping's name in a one-line mapping: quoted (JSON, anywhere on the line), or unquoted at
#: the line's start (YAML's flow form, ``adminPassword: {value: …}``)
_INLINE_NAME = r"(?:[\"']|(?m:^)[ \t]{0,40}(?:-[ \t]{1,4})?)" + _RECORD_NAME + r"[\"']?"
# a ``value:`` entry up to its value (decode-value-keyed's match and prefilter share it), and
# the one-line ``"<name>": {"value": `` form's head (decode-value-keyed-inline's)
_VALUE_ENTRY = r"[\"']?(?:value|Value)[\"']?[ \t]{0,3}:[ \t]{0,3}[\"']?"
_INLINE_VALUE_ENTRY = (
    _INLINE_NAME
    + r"[ \t]{0,3}:[ \t]{0,3}\{[ \t]{0,3}[\"']?"
    + r"(?:value|Value|defaultValue|DefaultValue|default|Default)[\"']?[ \t]{0,3}:[ \t]{0,3}"
    + r"[\"']?"
)
#: Terraform's and HCL's files (the heredoc and function forms are HCL's)
_HCL_FILES = r"\.(?i:tf|tfvars|hcl)$"

_LIST_KEYED_DOC = (
    "A list under a key that names its items in the plural (api_keys:, passwords:, "
    '"auth_tokens": [...]) holds one credential per item: each item is read with the key '
    "in the singular, every rule decides, and what it finds is reported on the item."
)


def _named(
    slug: str,
    title: str,
    regex: str,
    *,
    example: Callable[[random.Random], str],
    fixed: Callable[[random.Random], str],
    keywords: tuple[str, ...],
    decoder: str = decoding.NAME_VALUE,
    path_regex: str | None = None,
    prefilter: str | None = None,
) -> SecretRule:
    """A rule that reads a value with a key standing elsewhere (groups: the key, the value;
    see :data:`decoding.NAME_VALUE`, :data:`decoding.LIST_KEYED`): every rule decides."""
    return custom(
        slug,
        "Encoded",
        title,
        regex,
        example=example,
        fixed=fixed,
        keywords=keywords,
        secret_group=2,
        severity=H,
        description=_LIST_KEYED_DOC if decoder == decoding.LIST_KEYED else _NAME_VALUE_DOC,
        decoder=decoder,
        path_regex=path_regex,
        prefilter=prefilter,
    )


def _pw(r: random.Random) -> str:
    return rand(r, ALNUM, 10) + r.choice("!#%&*?") + rand(r, ALNUM, 3)


def _nss(r: random.Random) -> str:
    """An NSS-encrypted field as Firefox writes it: DER of the key id, the cipher (3DES-CBC,
    its IV) and the ciphertext, base64."""
    iv, body = bytes(r.randrange(256) for _ in range(8)), bytes(r.randrange(256) for _ in range(16))
    oid = bytes.fromhex("06082a864886f70d0307")
    cipher = b"\x30" + bytes([len(oid) + 10]) + oid + b"\x04\x08" + iv
    key_id = b"\x04\x10\xf8" + b"\x00" * 14 + b"\x01"
    inner = key_id + cipher + b"\x04" + bytes([len(body)]) + body
    return base64.b64encode(b"\x30" + bytes([len(inner)]) + inner).decode()


#: files that are account databases or dumps of one (session 16): ``/etc/shadow`` and its
#: backups, ``passwd``-named files (``ftpd.passwd``, ``proftpdpasswd``, ``.htpasswd``,
#: ``master.passwd``), SQL dumps and LDAP exports. A hash there is one of a list of real
#: accounts (high); a single hash in a configuration (an Ansible ``user`` task's
#: ``password:``, which Ansible asks for hashed) stays medium
_ACCOUNT_DB = re.compile(
    r"(?:^|/)(?:[^/]*(?:passwd|shadow)[^/]*|[^/]+\.(?:sql|dump|ldif))$", re.IGNORECASE
)


def account_db_severity(path: str, before: str) -> Severity | None:
    """High for a password hash in an account database or a dump (see ``_ACCOUNT_DB``); a
    program file is never one (``passwd.py``, ``shadow.go``)."""
    return H if _ACCOUNT_DB.search(path) and not filters.is_code_path(path) else None


#: the key of ``api-key-hex32`` when it names the API's secret key and nothing else
_HEX32_SECRET_NAME = re.compile(
    r"(?i:api_?key|api-key|api_token)[\"']?[ \t]{0,3}(?:=|:|=>)[ \t]{0,3}[\"']?$"
)


def hex32_severity(path: str, before: str) -> Severity | None:
    """High for a 32-hex value under ``api_key``/``apikey``/``api_token`` (any prefix:
    ``HEROKU_API_KEY``) in a configuration file (YAML, JSON, ``.env``, a dotfile); medium
    under ``access_key`` (s3cmd's and Wasabi's ``access_key`` is the key's id) and in
    program files, where such literals are also test vectors and SDK defaults."""
    if filters.is_code_path(path) or not _HEX32_SECRET_NAME.search(before):
        return None
    return H


def _hash(slug: str, title: str, regex: str, make: object, keyword: str) -> SecretRule:
    return custom(
        slug,
        "Password hash",
        title,
        regex,
        example=lambda r: f"root:{make(r)}:19700:0:99999:7:::\n",  # type: ignore[operator]
        fixed=lambda r: "root:*:19700:0:99999:7:::\n",
        keywords=(keyword,),
        severity=M,
        severity_at=account_db_severity,
        cwe=("CWE-798", "CWE-916"),
        description=(
            "A password hash in a committed file (a system account database, an SQL dump, an "
            "FTP server's password file) is an offline cracking target: whoever reads the "
            "repository can try passwords against it at their own pace, and people reuse "
            "passwords."
        ),
        remediation=(
            "Remove the file or dump from the repository and its history, rotate the passwords "
            "of the accounts it lists, and keep account databases and dumps out of version "
            "control."
        ),
        generated=True,
        tags=("password",),
    )


_C = "[./A-Za-z0-9]"
#: a secret's key on a container command line (``-e NAME=``) and a URL query's key
#: (``&password=``), each with the value's alphabet: the prefilter patterns end after the
#: value's first five characters, so the multi-pattern pass reports one hit per value where
#: the whole value (5 to 300 characters) reported one for every possible end
_DOCKER_ENV_KEY = (
    r"(?:(?<=-e )|(?<=--env )|(?<=--env=)|(?<=-e \")|(?<=-e '))"
    r"(?i:[A-Z_][A-Z0-9_]{0,60}(?:PASSWORD|PASSWD"
    r"|_PASS|SECRET|TOKEN|API_KEY|APIKEY|ACCESS_KEY))=[\"']?"
)
_DOCKER_ENV_VALUE = r"[^\s\"'$`]"
_QUERY_KEY = (
    r"(?<=[?&;])(?i:[\w.-]{0,30}(?:password|passwd|pwd|pass|token|secret|api_?key|apikey"
    r"|access_key))="
)
#: (not ``;``: it separates a connection string's fields, ``Password=%DB_PASSWORD%;``)
_QUERY_VALUE = r"[^&\s\"'`#<>{}()$\\;]"

RULES: list[SecretRule] = [
    _hash(
        "password-hash-bcrypt",
        "bcrypt password hash",
        rf"(\$2[abxy]?\$\d\d\${_C}{{53}})(?![./A-Za-z0-9])",
        lambda r: "$2y$10$" + rand(r, CRYPT, 53),
        "$2",
    ),
    _hash(
        "password-hash-cisco-type8",
        "Cisco type 8 password hash (PBKDF2-SHA256, $8$)",
        rf"(\$8\${_C}{{14}}\${_C}{{43}})(?![./A-Za-z0-9])",
        lambda r: "$8$" + rand(r, CRYPT, 14) + "$" + rand(r, CRYPT, 43),
        "$8$",
    ),
    _hash(
        "password-hash-cisco-type9",
        "Cisco type 9 password hash (scrypt, $9$)",
        rf"(\$9\${_C}{{14}}\${_C}{{43}})(?![./A-Za-z0-9])",
        lambda r: "$9$" + rand(r, CRYPT, 14) + "$" + rand(r, CRYPT, 43),
        "$9$",
    ),
    custom(
        "cisco-type7-password",
        "Cisco",
        "Cisco type 7 password (reversible encoding) in a device configuration",
        r"(?m)^[ \t]*(?:enable[ \t]+password|username[ \t]+\S{1,64}"
        r"(?:[ \t]+privilege[ \t]+\d{1,2})?[ \t]+password"
        r"|password|key[ \t]+\d{1,3}(?:[ \t]+key-string)?|key-string|authentication-key"
        r"|ip[ \t]+ospf[ \t]+message-digest-key[ \t]+\d{1,3}[ \t]+md5|tacacs-server[ \t]+key"
        r"|radius-server[ \t]+key)[ \t]+7[ \t]+([0-1][0-9][0-9A-Fa-f]{4,200})[ \t]*$",
        example=lambda r: (
            f"username netops privilege 15 password 7 0{r.randint(0, 9)}{rand(r, HEXU, 18)}\n"
        ),
        fixed=lambda r: (
            f"username netops privilege 15 secret 9 $9${rand(r, CRYPT, 14)}${rand(r, CRYPT, 43)}\n"
        ),
        keywords=(" 7 ",),
        severity=H,
        tags=("password",),
        description=(
            "Cisco type 7 is an encoding, not a hash: anyone who reads the configuration "
            "recovers the password in a second with public tools."
        ),
        references=(
            "https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/security/m1/sec-m1-cr-book.html",
        ),
    ),
    _hash(
        "password-hash-sha512crypt",
        "sha512crypt password hash ($6$)",
        rf"(\$6\$(?:rounds=\d{{1,9}}\$)?{_C}{{1,16}}\${_C}{{86}})(?![./A-Za-z0-9])",
        lambda r: "$6$" + rand(r, CRYPT, 16) + "$" + rand(r, CRYPT, 86),
        "$6$",
    ),
    _hash(
        "password-hash-sha256crypt",
        "sha256crypt password hash ($5$)",
        rf"(\$5\$(?:rounds=\d{{1,9}}\$)?{_C}{{1,16}}\${_C}{{43}})(?![./A-Za-z0-9])",
        lambda r: "$5$" + rand(r, CRYPT, 16) + "$" + rand(r, CRYPT, 43),
        "$5$",
    ),
    _hash(
        "password-hash-md5crypt",
        "md5crypt password hash ($1$)",
        rf"(\$1\${_C}{{1,8}}\${_C}{{22}})(?![./A-Za-z0-9])",
        lambda r: "$1$" + rand(r, CRYPT, 8) + "$" + rand(r, CRYPT, 22),
        "$1$",
    ),
    _hash(
        "password-hash-yescrypt",
        "yescrypt password hash ($y$)",
        rf"(\$y\${_C}{{1,12}}\${_C}{{1,86}}\${_C}{{43}})(?![./A-Za-z0-9])",
        lambda r: "$y$j9T$" + rand(r, CRYPT, 22) + "$" + rand(r, CRYPT, 43),
        "$y$",
    ),
    _hash(
        "password-hash-argon2",
        "Argon2 password hash",
        r"(\$argon2(?:id|i|d)\$v=\d{1,3}\$m=\d{1,9},t=\d{1,4},p=\d{1,4}\$[A-Za-z0-9+/]{11,86}"
        r"\$[A-Za-z0-9+/]{16,128})(?![A-Za-z0-9+/])",
        lambda r: "$argon2id$v=19$m=65536,t=3,p=4$" + rand(r, ALNUM, 22) + "$" + rand(r, ALNUM, 43),
        "$argon2",
    ),
    # session 17 (lead, on review17's find): MySQL's native password hash (``*`` and 40 hex,
    # SHA1(SHA1(password)), what ``mysql.user`` stores and dumps hold) is a hash to the generic
    # filters since secunseen11, so nothing reported it under ``password =``; it is the
    # hashes' family: medium in a configuration, high in a dump. The ``*`` must follow a
    # quote or an assignment (a ``*`` in code is a multiplication or a pointer)
    _hash(
        "password-hash-mysql-native",
        "MySQL native password hash (*SHA1(SHA1(password)))",
        r"(?:[\"'=:][ \t]{0,3})(\*[0-9A-Fa-f]{40})(?![0-9A-Za-z])",
        lambda r: "*" + rand(r, HEXU, 40),
        "*",
    ),
    # session 12: Kerberos AS-REP and TGS-REP hashes (what AS-REP roasting and Kerberoasting
    # print, in hashcat's format): crackable offline as any password hash
    _hash(
        "password-hash-krb5asrep",
        "Kerberos AS-REP hash ($krb5asrep$)",
        r"(\$krb5asrep\$(?:17|18|23)\$(?:[^:$\s]{1,200}:)?[0-9a-f]{24,32}\$[0-9a-f]{64,8000})"
        r"(?![0-9a-f])",
        lambda r: "$krb5asrep$23$svc@corp.local:" + rand(r, HEX, 32) + "$" + rand(r, HEX, 300),
        "$krb5asrep$",
    ),
    _hash(
        "password-hash-krb5tgs",
        "Kerberos TGS-REP hash ($krb5tgs$, Kerberoasting)",
        r"(\$krb5tgs\$(?:17|18|23)\$\*[^*\s]{1,200}\*\$[0-9a-f]{24,32}\$[0-9a-f]{64,8000})"
        r"(?![0-9a-f])",
        lambda r: (
            "$krb5tgs$23$*svc_sql$CORP.LOCAL$MSSQLSvc/db01*$"
            + rand(r, HEX, 32)
            + "$"
            + rand(r, HEX, 300)
        ),
        "$krb5tgs$",
    ),
    custom(
        "php-define-secret",
        "PHP",
        "Secret in a PHP define() (WordPress salts, database and mail passwords)",
        r"define\(\s{0,3}['\"](?:DB_PASSWORD|[A-Z0-9_]{0,30}(?:PASSWORD|PASSWD|_PASS|SECRET"
        r"|_TOKEN|API_KEY|_SALT)|(?:SECURE_)?AUTH_KEY|LOGGED_IN_KEY|NONCE_KEY)['\"]\s{0,3},"
        r"\s{0,20}'([^'\n]{4,200})'\s{0,3}\)",
        example=lambda r: f"define( 'AUTH_KEY', '{rand(r, ALNUM + '!#%&*-_[]{}<>;:', 64)}' );\n",
        fixed=lambda r: "define( 'AUTH_KEY', getenv('WP_AUTH_KEY') );\n",
        keywords=("define",),
        severity=H,
        allow_regexes=(_TEMPLATE,),
        references=("https://developer.wordpress.org/apis/wp-config-php/#security-keys",),
    ),
    custom(
        "xml-add-key-secret",
        ".NET configuration",
        'Secret in an <add key="...Password" value="..."/> setting',
        r"<add\s{1,5}key=\"[\w.:-]{0,40}(?i:password|passwd|pwd|secret|apikey|api_key|token)"
        r"[\w.:-]{0,20}\"\s{1,5}value=\"([^\"\n]{4,200})\"",
        example=lambda r: f'<add key="SmtpPassword" value="{_pw(r)}" />\n',
        fixed=lambda r: '<add key="SmtpPassword" value="%SMTP_PASSWORD%" />\n',
        keywords=("<add",),
        severity=H,
        allow_regexes=(_TEMPLATE,),
    ),
    custom(
        "filezilla-password",
        "FileZilla",
        "Saved FTP password in a FileZilla site manager file",
        r"<Pass(?:\s{1,3}encoding=\"base64\")?>([^<\n]{1,200})</Pass>",
        example=lambda r: (
            f'<Pass encoding="base64">{base64.b64encode(_pw(r).encode()).decode()}</Pass>\n'
        ),
        fixed=lambda r: "<Logontype>2</Logontype>\n",
        keywords=("<pass",),
        severity=H,
        allow_regexes=(_TEMPLATE,),
    ),
    custom(
        "jenkins-credential-secret",
        "Jenkins",
        "Encrypted secret in a Jenkins credentials file",
        # credentials.xml keeps each secret as {base64 of the ciphertext}, whose first bytes
        # (version 1, a 16-byte IV) encode as AQAAAB; anyone holding the controller's
        # master.key and hudson.util.Secret file decrypts it. (An f-string's
        # ``<token>{value}</token>`` has no such start.)
        r"<(?:secret|password|passphrase|privateKey|apiToken|token)>"
        r"\{([^{}<>$\n]{0,40}AQAAAB[A-Za-z0-9+/= ]{10,4000})\}"
        r"</(?:secret|password|passphrase|privateKey|apiToken|token)>",
        example=lambda r: f"<secret>{{AQAAABAAAAAw{rand(r, B64, 64)}=}}</secret>\n",
        fixed=lambda r: "<secret>${JENKINS_DEPLOY_TOKEN}</secret>\n",
        keywords=(
            "<secret>{",
            "<password>{",
            "<passphrase>{",
            "<privatekey>{",
            "<apitoken>{",
            "<token>{",
        ),
        severity=M,
    ),
    custom(
        "jetbrains-webservers-password",
        "JetBrains",
        "Saved deployment password in a JetBrains WebServers.xml",
        r"<fileTransfer\b[^>\n]{0,400}?\spassword=[\"]([0-9a-f]{4,400})[\"]",
        example=lambda r: (
            f'<fileTransfer host="stage.corp" port="22" login="deploy" '
            f'password="{rand(r, HEX, 24)}" />\n'
        ),
        fixed=lambda r: '<fileTransfer host="stage.corp" port="22" login="deploy" />\n',
        keywords=("<filetransfer",),
        severity=H,
    ),
    custom(
        "firefox-saved-logins",
        "Firefox",
        "Saved login in a Firefox profile's logins.json",
        # NSS encrypts each field with the profile's key4.db, which sits next to it and has
        # no primary password by default: a committed profile gives both away
        r"\"encrypted(?:Username|Password)\"\s{0,3}:\s{0,3}\"(M[A-Za-z0-9+/]{40,2000}={0,2})\"",
        example=lambda r: (
            f'{{"hostname": "https://git.corp.test", "encryptedUsername": "{_nss(r)}",\n'
            f' "encryptedPassword": "{_nss(r)}", "encType": 1}}\n'
        ),
        fixed=lambda r: '{"nextId": 1, "logins": [], "version": 3}\n',
        keywords=('"encrypted',),
        path_regex=r"(?:^|/)logins(?:-backup)?\.json$",
        severity=H,
        tags=("password",),
        references=("https://support.mozilla.org/kb/profiles-where-firefox-stores-user-data",),
    ),
    custom(
        "mail-client-password",
        "Mail client",
        "SMTP/POP/IMAP password in a mail client's rc file (esmtp, msmtp, fetchmail)",
        r"(?m)(?:^|[ \t])password[ \t]{1,10}(\"?)([^\s\"]{1,200})\1(?=[ \t\r]|$)",
        secret_group=2,
        example=lambda r: (
            f'hostname smtp.mail.test:587\nusername "ops@mail.test"\npassword "{_pw(r)}"\n'
        ),
        fixed=lambda r: (
            'hostname smtp.mail.test:587\nusername "ops@mail.test"\n'
            'passwordeval "pass show mail/ops"\n'
        ),
        keywords=("password",),
        path_regex=r"(?:^|/)\.?(?:esmtprc|msmtprc|fetchmailrc)$",
        severity=H,
        tags=("password",),
    ),
    custom(
        "wifi-psk",
        "Wi-Fi",
        "Wi-Fi pre-shared key in a wpa_supplicant or NetworkManager file",
        r"(?m)^[ \t]{0,20}psk[ \t]{0,3}=[ \t]{0,3}(\"?)([^\s\"]{8,64})\1[ \t\r]*$",
        secret_group=2,
        example=lambda r: f'network={{\n    ssid="corp-wifi"\n    psk="{_pw(r)}"\n}}\n',
        fixed=lambda r: 'network={\n    ssid="corp-wifi"\n    key_mgmt=WPA-EAP\n}\n',
        keywords=("psk",),
        path_regex=r"(?:^|/)(?:wpa_supplicant[\w.-]{0,40}\.conf|[^/]{1,100}\.nmconnection)$",
        severity=M,
        tags=("password",),
    ),
    custom(
        "cifs-mount-password",
        "SMB",
        "Password in a CIFS/SMB mount's options (fstab, mount -o)",
        r"\bcifs\b[^\n]{0,300}?[ \t,](?:password|pass)=([^,\s\"']{1,200})",
        example=lambda r: (
            f"//fs.corp.test/share /mnt/share cifs username=ops,password={_pw(r)},uid=1000 0 0\n"
        ),
        fixed=lambda r: (
            "//fs.corp.test/share /mnt/share cifs credentials=/root/.smbcredentials,uid=1000 0 0\n"
        ),
        keywords=("cifs",),
        severity=H,
        tags=("password",),
    ),
    generic(
        "docker-env-secret",
        "Docker",
        "Secret passed as an environment variable on a container command line (-e NAME=value)",
        # the key after `-e ` / `--env `: the filters read it like an assignment's
        f"{_DOCKER_ENV_KEY}({_DOCKER_ENV_VALUE}{{5,200}})",
        example=lambda r: f"docker run -d -e POSTGRES_PASSWORD={_pw(r)} postgres:16\n",
        fixed=lambda r: "docker run -d -e POSTGRES_PASSWORD_FILE=/run/secrets/pg postgres:16\n",
        keywords=("-e ", "--env"),
        severity=H,
        prefilter=f"{_DOCKER_ENV_KEY}{_DOCKER_ENV_VALUE}{{5}}",
    ),
    custom(
        "login-call-password",
        "Generic",
        "Password passed as a literal to a login() call",
        r"\.login\(\s{0,3}(['\"])[^'\"\n]{1,100}\1\s{0,3},\s{0,3}(['\"])([^'\"\n]{3,200})\2"
        r"\s{0,3}[,)]",
        secret_group=3,
        example=lambda r: f"conn.login('deploy', '{_pw(r)}')\n",
        fixed=lambda r: "conn.login('deploy', os.environ['FTP_PASSWORD'])\n",
        keywords=(".login(",),
        severity=H,
        allow_regexes=(_TEMPLATE,),
        tags=("password",),
    ),
    custom(
        "db-connect-password",
        "Generic",
        "Password passed as a literal to a database connect() call",
        # mysql_connect/mysqli_connect/DBI->connect("dsn", "user", "<password>")
        r"(?:mysqli?_p?connect|DBI(?:->|\.)connect)\(\s{0,3}(['\"])[^'\"\n]{1,200}\1\s{0,3},"
        r"\s{0,3}(['\"])[^'\"\n]{1,100}\2\s{0,3},\s{0,3}(['\"])([^'\"\n]{3,200})\3",
        secret_group=4,
        example=lambda r: f'$db = mysqli_connect("db.internal", "app", "{_pw(r)}", "shop");\n',
        fixed=lambda r: '$db = mysqli_connect("db.internal", "app", getenv("DB_PASSWORD"));\n',
        keywords=("connect(",),
        severity=H,
        allow_regexes=(_TEMPLATE,),
        tags=("password",),
    ),
    custom(
        "db-connect-password-argument",
        "Generic",
        "Password passed as a literal to a database driver's connect()",
        # password="..." of psycopg/pymysql/mysql.connector/cx_Oracle .connect()
        r"(?:psycopg2?|pymysql|MySQLdb|mysql\.connector|cx_Oracle|oracledb|pg8000)\.connect\("
        r"[^)\n]{0,300}?\b(?:password|passwd|pwd)\s{0,2}=\s{0,2}(['\"])([^'\"\n]{3,200})\1",
        secret_group=2,
        example=lambda r: f'conn = psycopg2.connect(host="db", user="app", password="{_pw(r)}")\n',
        fixed=lambda r: (
            'conn = psycopg2.connect(host="db", user="app", password=os.environ["PW"])\n'
        ),
        keywords=("connect(",),
        severity=H,
        allow_regexes=(_TEMPLATE,),
        tags=("password",),
    ),
    custom(
        "db-connect-dsn-password",
        "Generic",
        "Password in the connection string given to a database connect()",
        # the password= field of the string handed to pg_connect / psycopg2.connect, or of
        # a libpq conninfo string anywhere (space-separated keyword=value pairs that open
        # with host=, hostaddr= or dbname=: ``PGCONN="host=db dbname=app password=…"``)
        r"(?:(?:pg_p?connect|psycopg2?\.connect|pymysql\.connect)\(\s{0,3}['\"][^'\"\n]{0,300}?"
        # (a comma or a parenthesis ends a pair's value: ``host=None, port=None, password=None``
        # is a Python signature's keyword arguments, not a conninfo string)
        r"|\b(?i:host|hostaddr|dbname)=[^\s'\"=,()]{1,200}(?:[ \t]{1,4}[a-z_]{2,30}="
        r"[^\s'\"=,()]{1,200}){0,8}?[ \t]{1,4})\bpassword=([^'\"\s]{3,200})",
        example=lambda r: f'$c = pg_connect("host=db dbname=shop user=app password={_pw(r)}");\n',
        fixed=lambda r: '$c = pg_connect("host=db dbname=shop user=app");  # PGPASSFILE\n',
        keywords=("connect(", "password="),
        severity=H,
        allow_regexes=(_TEMPLATE,),
        tags=("password",),
    ),
    custom(
        "dotnet-network-credential",
        "Generic",
        "Password passed as a literal to .NET NetworkCredential",
        # (PowerShell's ``[Net.NetworkCredential]::new("user", 'password')`` too, either quote)
        r"(?i:\bNetworkCredential)(?:\]::new)?\(\s{0,3}([\"'])[^\"'\n]{1,100}\1\s{0,3},\s{0,3}"
        r"([\"'])([^\"'\n]{3,200})\2\s{0,3}[,)]",
        secret_group=3,
        example=lambda r: f'client.Credentials = new NetworkCredential("deploy", "{_pw(r)}");\n',
        fixed=lambda r: (
            'client.Credentials = new NetworkCredential("deploy", '
            'Environment.GetEnvironmentVariable("SMTP_PASSWORD"));\n'
        ),
        keywords=("networkcredential",),
        severity=H,
        allow_regexes=(_TEMPLATE,),
        tags=("password",),
        references=("https://learn.microsoft.com/en-us/dotnet/api/system.net.networkcredential",),
    ),
    custom(
        "powershell-securestring-plaintext",
        "Generic",
        "Password written in a PowerShell ConvertTo-SecureString -AsPlainText call",
        r"(?i:ConvertTo-SecureString)[ \t]+(?:-String[ \t]+)?([\"'])([^\"'\n$]{4,200})\1"
        r"[ \t]+(?i:-AsPlainText)",
        secret_group=2,
        example=lambda r: f'$secpasswd = ConvertTo-SecureString "{_pw(r)}" -AsPlainText -Force\n',
        fixed=lambda r: (
            "$secpasswd = ConvertTo-SecureString $env:SVC_PASSWORD -AsPlainText -Force\n"
        ),
        keywords=("converttosecurestring", "convertto-securestring"),
        severity=H,
        allow_regexes=(_TEMPLATE,),
        tags=("password",),
        references=(
            "https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.security/"
            "convertto-securestring",
        ),
    ),
    custom(
        "dotnet-directory-entry-password",
        "Generic",
        "Password passed as a literal to .NET DirectoryEntry (LDAP)",
        r"(?i:\bDirectoryEntry)\(\s{0,3}\"[^\"\n]{1,200}\"\s{0,3},\s{0,40}\"[^\"\n]{1,100}\"\s{0,3},"
        r"\s{0,40}\"([^\"\n]{3,200})\"\s{0,3}[,)]",
        example=lambda r: (
            f'var entry = new DirectoryEntry("LDAP://dc1.corp", "CORP\\\\svc", "{_pw(r)}");\n'
        ),
        fixed=lambda r: 'var entry = new DirectoryEntry("LDAP://dc1.corp");\n',
        keywords=("directoryentry(",),
        severity=H,
        allow_regexes=(_TEMPLATE,),
        tags=("password",),
        references=(
            "https://learn.microsoft.com/en-us/dotnet/api/system.directoryservices.directoryentry",
        ),
    ),
    custom(
        "bundler-credentials",
        "Bundler",
        "Gem source credentials in Bundler configuration (BUNDLE_<HOST>)",
        r"\bBUNDLE_(?:[A-Z0-9-]{1,60}__){1,6}[A-Z0-9-]{1,20}[\"']?\s{0,3}[:=]\s{0,3}[\"']?"
        r"([^\s:\"'@$]{1,100}:[^\s\"'@$]{3,200}|[A-Za-z0-9_-]{20,200})[\"']?(?=\s|$)",
        example=lambda r: f'BUNDLE_GEMS__CORP__EXAMPLE__NET: "deploy:{_pw(r)}"\n',
        fixed=lambda r: 'BUNDLE_PATH: "vendor/bundle"\n',
        keywords=("bundle_",),
        severity=H,
        allow_regexes=(_TEMPLATE, r"^(?:\$\{?\w+\}?|<\w+>):"),
        references=(
            "https://bundler.io/v2.5/man/bundle-config.1.html#CREDENTIALS-FOR-GEM-SOURCES",
        ),
    ),
    custom(
        "sidekiq-enterprise-credentials",
        "Sidekiq",
        "Sidekiq Pro/Enterprise gem server credentials",
        r"(?:(?:BUNDLE_ENTERPRISE__CONTRIBSYS__COM|BUNDLE_GEMS__CONTRIBSYS__COM)[\"']?\s{0,3}[:=]"
        r"\s{0,3}[\"']?|https?://)([0-9a-f]{8}:[0-9a-f]{8})(?:[\"'@]|\s|$)",
        example=lambda r: (
            f'BUNDLE_ENTERPRISE__CONTRIBSYS__COM: "{rand(r, HEX, 8)}:{rand(r, HEX, 8)}"\n'
        ),
        fixed=lambda r: "BUNDLE_ENTERPRISE__CONTRIBSYS__COM: ${SIDEKIQ_CREDENTIALS}\n",
        keywords=("contribsys", "://"),
        severity=H,
        references=("https://github.com/sidekiq/sidekiq/wiki/Sidekiq-Pro-Installation",),
    ),
    custom(
        "http-header-api-key",
        "Generic",
        "API key in an HTTP header (curl -H, HTTP files, client code)",
        r"(?i:\b(?:x-api-key|api-key|apikey|x-auth-token|private-token|x-access-token"
        r"|x-api-token|x-apikey))[\"']?:[ \t]{0,3}[\"']?([A-Za-z0-9_\-.=+/]{16,300})(?=[\"'\s]|$)",
        example=lambda r: f'curl -H "apikey: {rand(r, ALNUM, 32)}" https://api.partner.test\n',
        fixed=lambda r: 'curl -H "apikey: $PARTNER_API_KEY" https://api.partner.test\n',
        keywords=("api-key", "apikey", "auth-token", "private-token", "access-token", "api-token"),
        severity=H,
        entropy=3.0,
        generic_filters=True,
        confidence=Confidence.MEDIUM,
    ),
    generic(
        "url-query-credential",
        "Generic",
        "Credential in a URL's query string (?password=, &access_token=)",
        # the key after '?', '&' or ';' of a query: the filters read it like an assignment's
        f"{_QUERY_KEY}({_QUERY_VALUE}{{5,300}})" r"(?=[&\s\"'`#;)]|$)",
        example=lambda r: (
            f'curl "https://api.partner.test/v1/rates?user=ci&password={_pw(r)}%21"\n'
        ),
        fixed=lambda r: 'curl "https://api.partner.test/v1/rates" -u "ci:$PARTNER_PASSWORD"\n',
        keywords=("password=", "passwd=", "pwd=", "pass=", "token=", "secret=", "key="),
        severity=H,
        prefilter=f"{_QUERY_KEY}{_QUERY_VALUE}{{5}}",
    ),
    custom(
        "github-legacy-token-keyword",
        "GitHub",
        "GitHub token (40 hex, pre-2021 format) in a GitHub token variable",
        r"(?i:\b(?:homebrew_github_api_token|jekyll_github_token|github_api_token|github_token"
        r"|gh_token|github_oauth_token|github_access_token|gh_oauth_token|oauth_token"
        r"|github_pat|hub_token))[\"']?[ \t]{0,3}(?:=|:|=>)[ \t]{0,3}[\"']?([0-9a-f]{40})"
        r"(?![0-9A-Za-z])",
        example=lambda r: f"export HOMEBREW_GITHUB_API_TOKEN={rand(r, HEX, 40)}\n",
        fixed=lambda r: "export HOMEBREW_GITHUB_API_TOKEN=$(security find-generic-password)\n",
        keywords=("token",),
        severity=H,
        generated=True,
        references=(
            "https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/",
        ),
    ),
    custom(
        "api-key-hex32",
        "Generic",
        "32-hex API key in an api_key setting",
        r"(?i:[\"']?\b(?:[a-z0-9]{1,20}[_-])?(?:api_key|apikey|api-key|api_token|access_key))"
        # not the head of a Mailchimp key (``<32 hex>-us11``: its own rule reports it)
        r"[\"']?[ \t]{0,3}(?:=|:|=>)[ \t]{0,3}[\"']?([0-9a-f]{32}|[0-9A-F]{32})"
        r"(?![0-9A-Za-z]|-[a-z]{2}\d)",
        example=lambda r: f"  api_key: {rand(r, HEX, 32)}\n",
        fixed=lambda r: "  api_key: ${RATES_API_KEY}\n",
        keywords=("api_key", "apikey", "api-key", "api_token", "access_key"),
        severity=M,
        severity_at=hex32_severity,
        confidence=Confidence.MEDIUM,
        generated=True,
        public=public_by_key,
        # no provider's structure proves the value real: demoted in test and docs contexts
        tags=("keyword",),
    ),
    custom(
        "rails-master-key",
        "Ruby on Rails",
        "Rails master key file (decrypts config/credentials.yml.enc)",
        r"(?m:^([0-9a-f]{32})[ \t\r]*$)",
        example=lambda r: f"{rand(r, HEX, 32)}\n",
        fixed=lambda r: "\n",
        path_regex=r"(?:^|/)(?:master|credentials/[\w-]{1,40})\.key$",
        severity=H,
        generated=True,
        references=("https://guides.rubyonrails.org/security.html#custom-credentials",),
    ),
    custom(
        "jwk-private-key",
        "JSON Web Key",
        "Private JSON Web Key (the private exponent or symmetric key)",
        r"\"kty\"\s{0,3}:\s{0,3}\"(?:RSA|EC|OKP|oct)\"[^{}]{0,4000}?\"(?:d|k)\"\s{0,3}:\s{0,3}"
        r"\"([A-Za-z0-9_-]{32,1400})\"",
        example=lambda r: (
            f'{{"kty": "RSA", "e": "AQAB", "n": "{rand(r, B64URL, 342)}",\n'
            f' "d": "{rand(r, B64URL, 342)}"}}\n'
        ),
        fixed=lambda r: f'{{"kty": "RSA", "e": "AQAB", "n": "{rand(r, B64URL, 342)}"}}\n',
        keywords=('"kty"',),
        severity=H,
        cwe=("CWE-321",),
        references=("https://www.rfc-editor.org/rfc/rfc7517",),
    ),
    custom(
        "decode-kubernetes-secret-data",
        "Kubernetes",
        "Credential inside a Kubernetes Secret's base64 data",
        # the document's `kind: Secret` (a literal, cheap to find); the decoder reads the
        # `name: <base64>` entries of that YAML document
        r"(?m:^kind:[ \t]{0,3}([\"']?Secret[\"']?)[ \t\r]*$)",
        example=lambda r: (
            "apiVersion: v1\nkind: Secret\ndata:\n  STRIPE_KEY: "
            + base64.b64encode(("sk_" + "live_" + rand(r, ALNUM, 24)).encode()).decode()
            + "\n"
        ),
        fixed=lambda r: (
            "apiVersion: v1\nkind: Secret\ndata:\n  LOG_LEVEL: "
            + base64.b64encode(b"info").decode()
            + "\n"
        ),
        keywords=("secret",),
        severity=H,
        description=(
            "A Kubernetes Secret's data values are base64, not encrypted: the decoded value is "
            "scanned by every rule and what it holds is reported on the encoded line."
        ),
        decoder=decoding.K8S_MANIFEST,
    ),
    custom(
        "decode-base64-json",
        "Encoded",
        "Credential inside a base64-encoded JSON document",
        # base64 of a JSON object that opens with "auths" (Docker) or "type" (a cloud
        # service-account key), compact or indented: a literal start keeps this cheap
        r"(?<![A-Za-z0-9+/])((?:eyJhdXRocyI6|ewogICJhdXRocyI6|eyJ0eXBlIjoi|eyJ0eXBlIjogIn"
        r"|ewogICJ0eXBlIjog)[A-Za-z0-9+/]{8,8000}={0,2})(?![A-Za-z0-9+/=])",
        example=lambda r: (
            ".dockerconfigjson: "
            + base64.b64encode(
                json.dumps(
                    {"auths": {"r.example": {"password": rand(r, ALNUM, 20), "user": "ci"}}}
                ).encode()
            ).decode()
            + "\n"
        ),
        fixed=lambda r: (
            "config: " + base64.b64encode(json.dumps({"debug": True}).encode()).decode() + "\n"
        ),
        keywords=("eyjhdxrocyi6", "ewogicjhdxrocyi6", "eyj0exbl", "ewogicj0exbl"),
        severity=H,
        decoder=decoding.BASE64,
    ),
    custom(
        "decode-base64-pem",
        "Encoded",
        "Private key inside a base64-encoded PEM document",
        # base64 of "-----BEGIN": Kubernetes, Helm values and CI variables wrap PEM keys so;
        # on one line, or wrapped as `base64` and `openssl base64` write it (lines of 64 or
        # 76 characters: a YAML block under `key: |`, a quoted multi-line CI variable)
        r"(?<![A-Za-z0-9+/])(LS0tLS1CRUdJTi[A-Za-z0-9+/]{40,8000}"
        # (a line ends the value unless the next holds base64 alone: ``cert: |`` is a key;
        # up to 128 lines, what the decoder reads: an RSA 4096 key wrapped at 64 is 69)
        r"(?:\r?\n[ \t]{0,24}[A-Za-z0-9+/]{1,100}(?=[=\s\"']|$)){0,128}={0,2})"
        r"(?![A-Za-z0-9+/=])",
        example=lambda r: (
            "tls.key: "
            + base64.b64encode(
                (
                    "-----BEGIN "
                    + "PRIVATE KEY-----\n"
                    + "\n".join(rand(r, B64, 64) for _ in range(8))
                    + "\n-----END "
                    + "PRIVATE KEY-----\n"
                ).encode()
            ).decode()
            + "\n"
        ),
        fixed=lambda r: (
            "tls.crt: "
            + base64.b64encode(
                ("-----BEGIN CERTIFICATE-----\n" + rand(r, B64, 64) + "\n").encode()
            ).decode()
            + "\n"
        ),
        # (the wrapped form's nested repeats are too wide for Hyperscan: its literal start)
        prefilter=r"LS0tLS1CRUdJTi",
        keywords=("ls0tls1crudjti",),
        severity=H,
        decoder=decoding.BASE64,
    ),
    custom(
        "decode-k8s-secret-json",
        "Encoded",
        "Credential inside a Kubernetes Secret's base64 data (JSON manifest)",
        # the object's "kind": "Secret"; the decoder reads the "name": "<base64>" entries
        # around it (keys come in any order in JSON)
        r'"kind"\s{0,3}:\s{0,3}("Secret")',
        example=lambda r: (
            json.dumps(
                {
                    "apiVersion": "v1",
                    "kind": "Secret",
                    "data": {
                        "STRIPE_KEY": base64.b64encode(
                            ("sk_" + "live_" + rand(r, ALNUM, 24)).encode()
                        ).decode()
                    },
                },
                indent=2,
            )
            + "\n"
        ),
        fixed=lambda r: (
            json.dumps(
                {"kind": "Secret", "data": {"LOG_LEVEL": base64.b64encode(b"info").decode()}}
            )
            + "\n"
        ),
        keywords=("secret",),
        severity=H,
        description=(
            "A Kubernetes Secret's data values are base64, not encrypted, in a JSON manifest as "
            "in YAML: the decoded value is scanned by every rule and what it holds is reported on "
            "the encoded value."
        ),
        decoder=decoding.K8S_JSON,
    ),
    custom(
        "decode-parent-keyed",
        "Encoded",
        "Credential under a generic key whose parent key names the provider",
        # a generic secret key at a line's start (``api_key:``, ``"token": "``, ``secret =``);
        # the decoder reads the keys that enclose it (YAML or indented JSON parents, a TOML or
        # INI section) and the provider rules read ``<parents>_<key>: <value>``
        # (``c.api_key = …``: a Ruby configure block's receiver before the key)
        r"(?m:^)([ \t]{0,40})(?:[A-Za-z_]\w{0,19}\.)?[\"']?((?i:(?:(?:api|access|auth|secret|"
        r"private|client|app)[_-]?)?(?:key|token|secret|password)))[\"']?[ \t]{0,3}(?:=>|[:=])"
        r"[ \t]{0,3}[\"']?([^\s'\",;()\[\]{}<>$%]{8,400})",
        example=lambda r: (
            f"opsgenie:\n  url: https://api.opsgenie.com\n  api_key: {rand_uuid(r)}\n"
        ),
        fixed=lambda r: (
            f"monitoring:\n  url: https://status.example.com\n  api_key: {rand_uuid(r)}\n"
        ),
        keywords=("key", "token", "secret", "password"),
        secret_group=3,
        # (the value's shortest form: a tail of 8 to 400 ends at every offset)
        prefilter=(
            r"(?m:^)[ \t]{0,40}(?:[A-Za-z_]\w{0,19}\.)?[\"']?(?i:(?:(?:api|access|auth|secret|"
            r"private|client|app)[_-]?)?(?:key|token|secret|password))[\"']?[ \t]{0,3}"
            r"(?:=>|[:=])[ \t]{0,3}[\"']?[^\s'\",;()\[\]{}<>$%]{8}"
        ),
        severity=H,
        description=(
            "A value under a generic key (api_key, token, secret) in a block whose key names "
            "the provider (opsgenie: / api_key: in YAML, a [sentry] section in TOML or INI) is "
            "that provider's credential when it has the provider's shape: the enclosing keys "
            "are read with the value's own, and the provider's rule decides."
        ),
        decoder=decoding.PARENT_KEYED,
    ),
    custom(
        "decode-xml-name-keyed",
        "Encoded",
        "Credential in an XML element named by its name attribute",
        # an element whose name (or key) attribute is the key and whose text the value, with
        # other attributes before ``>`` (``<string name="opsgenie_key" translatable="false">``,
        # ``<item name=… type="string">``); the provider rules read ``<name>: <value>``
        r"<[A-Za-z][\w:.-]{0,40}[ \t][^<>]{0,200}?\b(?:name|key)=[\"']([A-Za-z][\w.-]{1,100})"
        r"[\"'][^<>]{0,200}>([^\s<>\"'&$%{}()\[\]]{8,400})</[A-Za-z][\w:.-]{0,40}>",
        example=lambda r: (
            '<resources>\n    <string name="opsgenie_key" translatable="false">'
            f"{rand_uuid(r)}</string>\n</resources>\n"
        ),
        # (the key kept out of the repository: Gradle's resValue reads it at build time)
        fixed=lambda r: (
            "<!-- opsgenie_key: resValue from local.properties (build.gradle) -->\n"
            '<resources>\n    <string name="app_name">Alerts</string>\n</resources>\n'
        ),
        keywords=("name=", "key="),
        secret_group=2,
        prefilter=(
            r"\b(?:name|key)=[\"'][A-Za-z][\w.-]{1,100}[\"'][^<>]{0,200}>"
            r"[^\s<>\"'&$%{}()\[\]]{8}"
        ),
        severity=H,
        description=(
            "An XML element whose name attribute names the provider and whose text is the "
            'value (Android string resources: <string name="opsgenie_key" '
            'translatable="false">, <item name=... type="string">; Java XML properties '
            "<entry key=...>) holds that provider's credential when the value has the "
            "provider's shape: the name is read as the value's key, and the provider's rule "
            "decides."
        ),
        decoder=decoding.NAME_KEYED,
    ),
    custom(
        "decode-flow-keyed",
        "Encoded",
        "Credential under a generic key in a one-line mapping whose key names the provider",
        # ``opsgenie: {api_key: …}``, ``"opsgenie": {"api_key": "…"}``: the key that opens the
        # mapping, then (no brace between: the nearest mapping) a generic secret key and its
        # value; the provider rules read ``<opening key>_<key>: <value>`` (the prefilter
        # starts at ``{``: the regex's leading boundary, which Hyperscan is given before it,
        # holds there; the lookbehind makes the search five times as fast as none)
        r"(?<![\w.-])[\"']?([A-Za-z][\w.-]{1,60})[\"']?[ \t]{0,3}[:=][ \t]{0,3}\{[^{}\n]{0,200}?"
        r"(?<![\w-])[\"']?((?i:(?:(?:api|access|auth|secret|private|client|app)[_-]?)?"
        r"(?:key|token|secret|password)))[\"']?[ \t]{0,3}[:=][ \t]{0,3}[\"']?"
        r"([^\s'\",;()\[\]{}<>$%]{8,400})",
        example=lambda r: f'alerts:\n  opsgenie: {{region: eu, api_key: "{rand_uuid(r)}"}}\n',
        fixed=lambda r: f'alerts:\n  monitoring: {{region: eu, api_key: "{rand_uuid(r)}"}}\n',
        keywords=("key", "token", "secret", "password"),
        secret_group=3,
        prefilter=(
            # (the opening key, optional: the windows reach back over it; the generic key
            # whole after a character its lookbehind allows, as the regex reads it: with
            # ``key`` anywhere, ``"publicKey": "…"`` in minified JSON made all 318 of the
            # speed corpus' windows, 1,025 characters each, 38 ms of regex, no match)
            r"(?:[\"']?[A-Za-z][\w.-]{1,60}[\"']?[ \t]{0,3}[:=][ \t]{0,3})?"
            r"\{(?:[^{}\n]{0,199}[^\w{}\n-])?[\"']?(?i:(?:(?:api|access|auth|secret|private|"
            r"client|app)[_-]?)?(?:key|token|secret|password))[\"']?[ \t]{0,3}[:=]"
            r"[ \t]{0,3}[\"']?[^\s'\",;()\[\]{}<>$%]{8}"
        ),
        severity=H,
        description=(
            "A value under a generic key (api_key, token) in a one-line mapping opened by a "
            "key that names the provider (a YAML flow mapping opsgenie: {api_key: ...}, a JSON "
            "object on one line) is that provider's credential when it has the provider's "
            "shape: the opening key is read with the value's own, and the provider's rule "
            "decides."
        ),
        decoder=decoding.FLOW_KEYED,
    ),
    _named(
        "decode-name-value-yaml",
        "Credential named by a sibling name/key field (YAML or indented JSON record)",
        # ``- name: DB_PASSWORD`` then ``value: …`` on the next line (Kubernetes env, ECS,
        # ``- key: … / value: …`` lists, pretty-printed JSON records): every rule reads
        # ``<name>: "<value>"``
        r"(?m:^)[ \t]{0,40}(?:-[ \t]{1,4})?[\"']?(?:name|key|Name|Key|ParameterKey)[\"']?"
        r"[ \t]{0,3}:[ \t]{0,3}[\"']?" + _RECORD_NAME + r"[\"']?,?[ \t]*\r?\n"
        r"[ \t]{0,44}[\"']?(?:value|Value|ParameterValue)[\"']?[ \t]{0,3}:[ \t]{0,3}[\"']?"
        r"([^\s\"'#,{}\[\]]{1,400})",
        example=lambda r: (
            "env:\n  - name: DB_PASSWORD\n    value: " + _pw(r) + "\n  - name: LOG_LEVEL\n"
            "    value: info\n"
        ),
        fixed=lambda r: (
            "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: db}\n"
            "  - name: LOG_LEVEL\n    value: info\n"
        ),
        keywords=("value",),
    ),
    _named(
        "decode-name-value-json",
        "Credential named by a sibling name/key field (JSON object)",
        # ``{"name": "DB_PASSWORD", "value": "…"}`` (ECS, Azure app settings, CloudFormation
        # ParameterKey/ParameterValue), on one line or over several
        r"[\"'](?:name|key|Name|Key|ParameterKey)[\"'][ \t]{0,3}:[ \t]{0,3}[\"']"
        + _RECORD_NAME
        + r"[\"'][ \t]{0,3},\s{0,60}[\"'](?:value|Value|ParameterValue)[\"'][ \t]{0,3}:"
        r"[ \t]{0,3}[\"']([^\s\"'\\]{1,400})[\"']",
        example=lambda r: (
            '{"environment": [{"name": "API_TOKEN", "value": "' + rand(r, ALNUM, 32) + '"}]}\n'
        ),
        fixed=lambda r: '{"environment": [{"name": "API_TOKEN", "value": "${API_TOKEN}"}]}\n',
        keywords=("value",),
    ),
    _named(
        "decode-name-value-xml",
        "Credential named by a sibling <name>/<key> element (XML record)",
        # ``<entry><key>password</key><value>…</value></entry>``, Hadoop's
        # ``<property><name>fs.s3a.secret.key</name><value>…</value></property>``
        r"<(?:name|key)>[ \t]{0,8}" + _RECORD_NAME + r"[ \t]{0,8}</(?:name|key)>\s{0,120}"
        r"<value>[ \t]{0,8}([^\s<>\"']{1,400})[ \t]{0,8}</value>",
        example=lambda r: (
            "<property>\n  <name>fs.s3a.secret.key</name>\n  <value>"
            + rand(r, ALNUM, 40)
            + "</value>\n</property>\n"
        ),
        fixed=lambda r: (
            "<property>\n  <name>fs.s3a.secret.key</name>\n  <value>${S3_SECRET}</value>\n"
            "</property>\n"
        ),
        keywords=("<value>",),
    ),
    _named(
        "decode-name-value-env-string",
        "Credential in a quoted NAME=value environment string",
        # an environment entry written as one string: ``"Env": ["DB_PASSWORD=…"]`` (docker
        # inspect, the Docker API, compose files in JSON), ``env=["API_TOKEN=…"]`` in code
        r"[\"']([A-Za-z_]\w{0,60}?(?i:pass|pwd|secret|token|key|cred|auth)\w{0,60})="
        r"([^\s\"'\\]{1,400})[\"']",
        example=lambda r: '{"Config": {"Env": ["PATH=/usr/bin", "DB_PASSWORD=' + _pw(r) + '"]}}\n',
        fixed=lambda r: '{"Config": {"Env": ["PATH=/usr/bin", "DB_PASSWORD_FILE=/run/pw"]}}\n',
        keywords=("=",),
    ),
    _named(
        "decode-list-keyed-yaml",
        "Credentials listed under a key that names them (YAML list)",
        # ``api_keys:`` / ``passwords:`` then a block of ``- …`` items: each item is read as
        # ``<key in the singular>: "<item>"`` by every rule
        r"(?m:^)[ \t]{0,40}[\"']?([\w.-]{0,60}?(?i:passwords|secrets|tokens|keys))[\"']?"
        r"[ \t]{0,3}:[ \t]{0,3}(?:#[^\n]{0,200})?\r?\n"
        r"((?:[ \t]{0,40}-[ \t]{1,4}[^\n]{1,400}\n?){1,20})",
        example=lambda r: f"api_keys:\n  - {rand(r, ALNUM, 32)}\n  - {rand(r, ALNUM, 32)}\n",
        fixed=lambda r: "api_keys:\n  - ${PRIMARY_API_KEY}\n  - ${SECONDARY_API_KEY}\n",
        keywords=("passwords", "secrets", "tokens", "keys"),
        decoder=decoding.LIST_KEYED,
        # configuration files only: in a program a literal list is data (a mock's
        # ``"DkimTokens": [...]``, a test's fixtures); the multi-pattern pass looks for the
        # key's line and the first item's dash only
        path_regex=_CONFIG_FILES,
        prefilter=r"(?m:^)[ \t]{0,40}[\"']?[\w.-]{0,60}?(?i:passwords|secrets|tokens|keys)[\"']?"
        r"[ \t]{0,3}:[ \t]{0,3}(?:#[^\n]{0,200})?\r?\n[ \t]{0,40}-",
    ),
    _named(
        "decode-list-keyed-json",
        "Credentials listed under a key that names them (JSON array)",
        # ``"passwords": ["…", "…"]`` on one line or over several; each item is followed by
        # a comma or the closing bracket (with the comma optional, a failing list could be
        # split into items in exponentially many ways: ``"a"   "a"   …`` twenty times, one
        # line of 140 bytes, took hours)
        r"[\"']([\w.-]{0,60}?(?i:passwords|secrets|tokens|keys))[\"'][ \t]{0,3}:[ \t]{0,3}\["
        r"((?:\s{0,40}[\"'][^\"'\n]{1,400}[\"'][ \t]{0,3}(?:,|(?=\s{0,40}\]))){1,20})"
        r"\s{0,40}\]",
        example=lambda r: f'{{"auth_tokens": ["{rand(r, ALNUM, 32)}", "{rand(r, ALNUM, 32)}"]}}\n',
        fixed=lambda r: '{"auth_tokens": ["${TOKEN_ONE}", "${TOKEN_TWO}"]}\n',
        keywords=("passwords", "secrets", "tokens", "keys"),
        decoder=decoding.LIST_KEYED,
        # (configuration files only, as for the YAML form; the multi-pattern pass looks for
        # the key and the bracket only)
        path_regex=_CONFIG_FILES,
        prefilter=r"[\"'][\w.-]{0,60}?(?i:passwords|secrets|tokens|keys)[\"']"
        r"[ \t]{0,3}:[ \t]{0,3}\[",
    ),
    custom(
        "decode-default-keyed",
        "Encoded",
        "Credential as the default value of a parameter or variable named for it",
        # ``Default: …`` / ``"defaultValue": "…"`` / ``default = "…"`` (groups: its
        # indentation, the value); the decoder reads the name of the mapping or block it
        # stands in (CloudFormation and ARM parameters, Terraform variables)
        r"(?m:^)([ \t]{1,40})[\"']?(?:default|Default|defaultValue|DefaultValue)[\"']?"
        r"[ \t]{0,3}[:=][ \t]{0,3}[\"']?([^\s\"',{}\[\]#]{1,400})",
        example=lambda r: (
            'variable "db_password" {\n  type    = string\n  default = "' + _pw(r) + '"\n}\n'
        ),
        fixed=lambda r: 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n',
        keywords=("default",),
        secret_group=2,
        severity=H,
        description=(
            "A parameter or variable named for a secret (CloudFormation DBPassword:, an ARM "
            "template's adminPassword, Terraform's variable \"db_password\") whose default "
            "value is a literal ships that credential with the template: the name is read as "
            "the value's key, every rule decides, and what it finds is reported on the value."
        ),
        decoder=decoding.DEFAULT_KEYED,
    ),
    custom(
        "decode-value-keyed",
        "Encoded",
        "Credential as the value entry of a mapping named for it",
        # ``adminPassword:`` / ``value: …`` (an ARM parameter file's ``"adminPassword": {`` /
        # ``"value": "…"``, an API gateway's ``proxy-password:`` / ``value: …`` property, a
        # Helm value's ``password:`` / ``value: …``): the mapping's name is the value's key,
        # read by the default-keyed decoder (the nearest less indented line above); session
        # 18's KICS draw missed a nested ``mock-proxy-password:`` / ``value: testpwd``
        # (groups: the indentation, the value; YAML and JSON files only, as the lists)
        r"(?m:^)([ \t]{1,40})" + _VALUE_ENTRY + r"([^\s\"',{}\[\]#!&*][^\s\"',{}\[\]#]{0,399})",
        example=lambda r: (
            '{\n  "parameters": {\n    "adminPassword": {\n      "value": "' + _pw(r) + '"\n'
            "    }\n  }\n}\n"
        ),
        fixed=lambda r: (
            '{\n  "parameters": {\n    "adminPassword": {\n      "reference": {"keyVault": '
            '{"id": "kv"}, "secretName": "admin"}\n    }\n  }\n}\n'
        ),
        keywords=("value",),
        secret_group=2,
        severity=H,
        description=(
            "A mapping named for a secret whose value sits in a value entry below it (an ARM "
            'parameter file\'s "adminPassword": {"value": ...}, a YAML password: / value: ...) '
            "holds that credential: the mapping's name is read as the value's key, every rule "
            "decides, and what it finds is reported on the value."
        ),
        decoder=decoding.DEFAULT_KEYED,
        path_regex=_CONFIG_FILES,
        # the multi-pattern pass looks for the entry and the value's first character only
        # (the value's every character ended a match of the whole pattern: a hostile file of
        # long values gave Hyperscan a callback per character)
        prefilter=r"(?m:^)[ \t]{1,40}" + _VALUE_ENTRY + r"[^\s\"',{}\[\]#!&*]",
    ),
    _named(
        "decode-value-keyed-inline",
        "Credential as the value entry of a one-line mapping named for it",
        # ``"adminPassword": {"value": "…"}`` and ``{"defaultValue": "…"}`` on one line (an ARM
        # parameter file written compactly, YAML's flow mapping ``password: {value: …}``)
        # (the name quoted, or unquoted at its line's start: a regex that may start anywhere
        # tried the name's lazy run at every character of a long value, ~6 s a hostile MB)
        _INLINE_VALUE_ENTRY + r"([^\s\"'\\,{}]{1,400})",
        # (the multi-pattern pass: up to the value's first character, as decode-value-keyed)
        prefilter=_INLINE_VALUE_ENTRY + r"[^\s\"'\\,{}]",
        example=lambda r: '{"parameters": {"adminPassword": {"value": "' + _pw(r) + '"}}}\n',
        fixed=lambda r: '{"parameters": {"adminUsername": {"value": "azureuser"}}}\n',
        keywords=("value", "default"),
        path_regex=_CONFIG_FILES,
    ),
    _named(
        "decode-hcl-heredoc",
        "Credential written as a one-line heredoc under a Terraform attribute named for it",
        # ``db_password = <<EOT`` / the value / ``EOT`` (``<<-EOT`` indents the lines): the
        # attribute's name is the value's key; a heredoc of several lines (a policy, a script,
        # a PEM block that the key rules read) is not this form (session 18)
        r"(?m:^)[ \t]{0,40}" + _RECORD_NAME + r"[ \t]{0,5}=[ \t]{0,5}<<-?[A-Z][A-Z0-9_]{0,20}"
        r"[ \t]*\r?\n[ \t]{0,40}([^\s\"'\\]{1,400})[ \t]*\r?\n[ \t]{0,40}[A-Z][A-Z0-9_]{0,20}"
        r"[ \t]*(?m:$)",
        example=lambda r: "locals {\n  db_password = <<EOT\n" + _pw(r) + "\nEOT\n}\n",
        fixed=lambda r: "locals {\n  db_password = var.db_password\n}\n",
        keywords=("<<",),
        path_regex=_HCL_FILES,
    ),
    _named(
        "decode-hcl-fallback",
        "Credential as the literal fallback of a Terraform function (try, coalesce, lookup)",
        # ``admin_password = try(var.p, "…")``, ``coalesce(var.p, "…")``, ``lookup(var.m, "k",
        # "…")``: the last literal argument is what the attribute holds when the variable is
        # unset (a ``null`` may follow it); read under the attribute's name (session 18: KICS's
        # ``try(each.value.admin_password, "…", null)``)
        r"(?m:^)[ \t]{0,40}" + _RECORD_NAME + r"[ \t]{0,5}=[ \t]{0,5}(?:try|coalesce|lookup)\("
        r"[^\n]{0,200}?\"([^\s\"'\\$]{1,400})\"[ \t]*(?:,[ \t]*null[ \t]*)?\)[ \t]*(?:#[^\n]*)?"
        r"(?m:$)",
        example=lambda r: (
            'resource "x" "db" {\n  admin_password = coalesce(var.pw, "' + _pw(r) + '")\n}\n'
        ),
        fixed=lambda r: (
            'resource "x" "db" {\n  admin_password = coalesce(var.pw, random_password.db.result)'
            "\n}\n"
        ),
        keywords=("try(", "coalesce(", "lookup("),
        path_regex=_HCL_FILES,
    ),
    _named(
        "decode-name-value-call",
        "Credential passed to a call with the name that says what it is",
        # ``os.getenv("PASSWORD", "…")`` (a default), ``define("DB_PASSWORD", "…")``,
        # ``props.setProperty("password", "…")``, ``os.Setenv("API_TOKEN", "…")``
        r"(?<![\w$])(?:getenv|Getenv|setenv|Setenv|putenv|get|fetch|setdefault|getProperty"
        r"|setProperty|define|set|Set|put|Put)[ \t]{0,2}\([ \t]{0,3}[\"']"
        + _RECORD_NAME
        + r"[\"'][ \t]{0,3},[ \t]{0,3}[\"']([^\s\"'\\]{1,400})[\"']",
        example=lambda r: 'db_pass = os.getenv("DB_PASSWORD", "' + _pw(r) + '")\n',
        fixed=lambda r: 'db_pass = os.getenv("DB_PASSWORD", "")\n',
        keywords=("getenv", "get(", "define", "set", "put", "fetch"),
    ),
    _named(
        "decode-fallback-default",
        "Credential as the literal fallback of a name read from the environment or a setting",
        # ``apiKey: process.env.API_KEY || "…"``, ``clientSecret: cfg.SECRET ?? '…'``, PHP's
        # ``$token = getenv('TOKEN') ?: '…'``, Python's ``os.environ.get("X") or "…"``: the
        # literal after ``||``, ``??``, ``?:`` or ``or`` is what the name holds when the
        # reference is unset, read as ``<name>: "<value>"`` (session 19's unseen sample:
        # an OpenAI key behind ``Config.OPENAI_API_KEY ||``; the peers read neither)
        r"(?<![\w.-])[\"']?"
        + _RECORD_NAME
        + r"[\"']?[ \t]{0,3}[:=](?![=>])[ \t]{0,3}\$?[A-Za-z_][\w$.]{0,80}"
        r"(?:[(\[][^()\[\]\n]{0,80}[)\]])?[ \t]{0,3}(?:\|\||\?\?|\?:|(?<=[ \t])or(?=[ \t]))"
        r"[ \t]{0,3}[\"']" + _NOT_A_KEY_NAME + r"([^\s\"'\\]{1,400})[\"']",
        example=lambda r: (
            "const apiKey = process.env.PAYMENTS_API_KEY || '" + rand(r, ALNUM, 32) + "';\n"
        ),
        fixed=lambda r: "const apiKey = process.env.PAYMENTS_API_KEY || '';\n",
        keywords=("||", "??", "?:", " or "),
        # (the multi-pattern pass: the operator and the quoted value up to a digit)
        prefilter=r"(?:\|\||\?\?|\?:|[ \t]or)[ \t]{0,3}[\"'][^\s\"'\\]{0,399}[0-9]",
    ),
    _named(
        "decode-name-value-pair",
        "Credential written as a literal pair with the name that says what it is",
        # a map's or a header's entry built from two literals, the name then the value:
        # ``Map.of("apiKey", "…")``, ``ImmutableMap.of(…)``, ``Map.entry(…)``, Kotlin
        # ``mapOf("password" to "…")``, ``new KeyValuePair<string, string>("ApiKey", "…")``,
        # ``conn.addHeader("X-Api-Key", "…")``, ``params.append("api_key", "…")``, Python's
        # ``[("X-Api-Key", "…")]``, C++'s ``{"token", "…"}`` (the peers' generic rules take
        # ``,`` as an assignment; session 18's unseen sample). The pair is the whole of its
        # brackets: the name opens them and they close after the value (a list of names,
        # ``['username', 'password', 'realm']`` or pygments' ``('PKPass', 'PKPassKit', …)``,
        # is no pair); the name then decides as a key does, the value as an assignment's
        r"[(\[{][ \t]{0,3}[\"']"
        + _RECORD_NAME
        + r"[\"'][ \t]{0,3}(?:,|[ \t]to[ \t])[ \t]{0,3}[\"']"
        + _NOT_A_KEY_NAME
        + r"([^\s\"'\\]{1,400})[\"'](?=[ \t]{0,3}[)\]}])",
        example=lambda r: (
            'Map<String, String> auth = Map.of("apiKey", "' + rand(r, ALNUM, 32) + '");\n'
        ),
        fixed=lambda r: 'Map<String, String> auth = Map.of("apiKey", System.getenv("API_KEY"));\n',
        keywords=("pass", "pwd", "secret", "token", "key", "cred", "auth"),
        # (the prefilter ends inside the match: at a digit of the value)
        prefilter=r"[\"'][ \t]{0,3}(?:,|[ \t]to[ \t])[ \t]{0,3}[\"'][^\s\"'\\]{0,399}[0-9]",
    ),
    custom(
        "decode-call-keyed",
        "Encoded",
        "Credential in a call's keyword argument or a PHP array whose name names the provider",
        # ``OpsGenie(api_key="…")``, ``opsgenie.Client(region=…, token=…)``, PHP
        # ``'opsgenie' => ['api_key' => '…']``: the callee (or the array's key), then in the
        # same brackets (none between) a generic secret key and its value; the provider rules
        # read ``<callee>_<key>: <value>`` (no leading lookbehind: the prefilter starts at
        # the bracket, and a boundary before it would fail after every callee's last letter)
        r"[\"']?([A-Za-z][\w.]{1,60})[\"']?(?:[ \t]{0,3}=>[ \t]{0,3}(?:\[|array[ \t]{0,3}\()|\()"
        r"[^(){}\[\]\n]{0,200}?(?<![\w-])[\"']?((?i:(?:(?:api|access|auth|secret|private|client|"
        r"app)[_-]?)?(?:key|token|secret|password)))[\"']?[ \t]{0,3}(?:=>|[:=])[ \t]{0,3}[\"']?"
        r"([^\s'\",;()\[\]{}<>$%]{8,400})",
        example=lambda r: f'alerts = OpsGenie(region="eu", api_key="{rand_uuid(r)}")\n',
        fixed=lambda r: f'alerts = Monitoring(region="eu", api_key="{rand_uuid(r)}")\n',
        keywords=("key", "token", "secret", "password"),
        secret_group=3,
        prefilter=(
            r"(?:[\"']?[A-Za-z][\w.]{1,60}[\"']?)?"
            r"(?:\(|=>[ \t]{0,3}(?:\[|array[ \t]{0,3}\())[^(){}\[\]\n]{0,200}"
            r"(?i:key|token|secret|password)[\"']?[ \t]{0,3}(?:=>|[:=])[ \t]{0,3}[\"']?"
            r"[^\s'\",;()\[\]{}<>$%]{8}"
        ),
        severity=H,
        description=(
            "A value under a generic keyword argument or array key (api_key, token) of a "
            "call or PHP array whose name names the provider (OpsGenie(api_key=...), "
            "'opsgenie' => ['api_key' => ...]) is that provider's credential when it has the "
            "provider's shape: the name is read with the key, and the provider's rule decides."
        ),
        decoder=decoding.FLOW_KEYED,
    ),
    custom(
        "decode-sibling-keyed",
        "Encoded",
        "Credential whose provider a sibling in the same mapping names",
        # a ``name``/``key``/``service``/``type`` entry, then (in the same mapping: no brace,
        # bracket or tag between; at most three lines between, checked in the decoder) a
        # ``value`` or a generic secret key: Kubernetes ``- name: X`` / ``value: …``, ECS
        # ``{"name": X, "value": …}``, ``<property name=X value=…/>``, ``- name: opsgenie`` /
        # ``token: …``; the provider rules read ``X: …`` or ``opsgenie_token: …``
        r"(?<![\w.-])[\"']?((?i:name|key|service|provider|type|vendor|integration|platform))"
        r"[\"']?[ \t]{0,3}[:=][ \t]{0,3}[\"']?([A-Za-z][\w.-]{1,100})[\"']?"
        r"(?:[^\w.\-\n{}\[\]<>][^\n{}\[\]<>]{0,200}?)?"
        r"(?:\r?\n[ \t]{1,40}[^\s{}\[\]<>#-][^\n{}\[\]<>]{0,200}){0,3}?(?:\r?\n[ \t]{0,40})?"
        r"(?<![\w-])[\"']?((?i:value|(?:(?:api|access|auth|secret|private|client|app)[_-]?)?"
        r"(?:key|token|secret|password)))[\"']?[ \t]{0,3}[:=][ \t]{0,3}[\"']?"
        r"([^\s'\",;()\[\]{}<>$%]{8,400})",
        example=lambda r: (
            f"      env:\n        - name: OPSGENIE_API_KEY\n          value: {rand_uuid(r)}\n"
        ),
        # (the value from a Secret; a name that names no provider over a UUID is tested in
        # tests/scanners/secrets/test_engine15.py)
        fixed=lambda r: (
            "      env:\n        - name: OPSGENIE_API_KEY\n          valueFrom:\n"
            "            secretKeyRef: {name: opsgenie, key: api-key}\n"
        ),
        keywords=("value", "key", "token", "secret", "password"),
        secret_group=4,
        # (a prefix of every match: the pair, anything but a brace, bracket or tag between,
        # and the value's first 8 characters)
        prefilter=(
            r"[\"']?(?i:name|key|service|provider|type|vendor|integration|platform)[\"']?"
            r"[ \t]{0,3}[:=][ \t]{0,3}[\"']?[A-Za-z][\w.-]{1,100}[^{}\[\]<>]{0,1100}?"
            r"(?i:value|key|token|secret|password)[\"']?[ \t]{0,3}[:=][ \t]{0,3}[\"']?"
            r"[^\s'\",;()\[\]{}<>$%]{8}"
        ),
        severity=H,
        description=(
            "A value whose key a sibling entry gives (Kubernetes env - name: OPSGENIE_API_KEY "
            "/ value: ..., ECS environment, Ant <property name=... value=.../>, .NET <add "
            "key=... value=.../>) or whose provider a sibling names (- name: opsgenie / "
            "token: ...) is that provider's credential when it has the provider's shape: the "
            "sibling is read as the value's key, and the provider's rule decides."
        ),
        decoder=decoding.SIBLING_KEYED,
    ),
    custom(
        "decode-plist-keyed",
        "Encoded",
        "Credential in a property list under a key that names the provider",
        # ``<key>OpsgenieApiKey</key>`` and the ``<string>`` after it (Info.plist,
        # GoogleService-Info.plist, any Apple property list): ``<key>: <string>``
        r"<key>[ \t]{0,3}([A-Za-z][\w.-]{1,100})[ \t]{0,3}</key>\s{0,40}<string>[ \t]{0,3}"
        r"([^\s<>\"'&$%{}()\[\]]{8,400})[ \t]{0,3}</string>",
        example=lambda r: (
            f"<dict>\n\t<key>OpsgenieApiKey</key>\n\t<string>{rand_uuid(r)}</string>\n</dict>\n"
        ),
        # (an Xcode build setting: the value lives in a configuration kept out of the
        # repository; a key that names no provider over a UUID is tested in test_engine15)
        fixed=lambda r: (
            "<dict>\n\t<key>OpsgenieApiKey</key>\n\t<string>$(OPSGENIE_API_KEY)</string>\n</dict>\n"
        ),
        keywords=("<key>",),
        secret_group=2,
        severity=H,
        description=(
            "A property list (Info.plist) keeps a value in the <string> after its <key>: "
            "under a key that names the provider (<key>OpsgenieApiKey</key>) it is that "
            "provider's credential when it has the provider's shape, and the provider's rule "
            "decides."
        ),
        decoder=decoding.NAME_KEYED,
    ),
    custom(
        "decode-url-encoded",
        "Encoded",
        "Credential inside URL-encoded text",
        # a run with at least two escapes of punctuation (%3D =, %22 ", %40 @, %7B {...):
        # a form body, query string or cookie whose separators hide a token's boundaries
        r"(?<![A-Za-z0-9._~!*+%\-])((?:[A-Za-z0-9._~!*+\-]{0,100}"
        r"%(?:2[0-9A-Fa-f]|3[A-Fa-f]|40|5[BbDd]|7[BbDd])){2,40}[A-Za-z0-9._~!*+\-]{0,200})",
        example=lambda r: (
            "curl -d 'payload=%7B%22client%22%3A%22ci%22%2C%22token%22%3A%22"
            + "sk_"
            + "live_"
            + rand(r, ALNUM, 24)
            + "%22%7D' https://hooks.example.com/in\n"
        ),
        fixed=lambda r: (
            "curl -d 'payload=%7B%22client%22%3A%22ci%22%2C%22level%22%3A%22info%22%7D' "
            "https://hooks.example.com/in\n"
        ),
        keywords=("%2", "%3", "%40", "%5b", "%5d", "%7b", "%7d"),
        severity=H,
        description=(
            "URL encoding hides a token's boundaries (%22 before it, %22 after it) from rules "
            "that read plain text: the run is decoded, scanned by every rule, and what it holds "
            "is reported on its own encoded characters."
        ),
        decoder=decoding.URL_ENCODED,
    ),
    custom(
        "decode-json-escaped",
        "Encoded",
        "Credential inside a JSON document escaped into a string",
        # a string that holds JSON (\"key\": \"value\"): from the first escaped quote of
        # the line to its last
        r'(\\"[^\n]{0,4000}\\")',
        example=lambda r: (
            '{"settings": "{\\"db_password\\": \\"' + _pw(r) + '\\", \\"pool\\": 5}"}\n'
        ),
        fixed=lambda r: '{"settings": "{\\"db_host\\": \\"db.internal\\", \\"pool\\": 5}"}\n',
        keywords=('\\"',),
        severity=H,
        description=(
            "A JSON document stored inside a JSON string has its quotes escaped "
            '(\\"password\\": ...), which hides key and value from rules that read plain '
            "text: the string is unescaped and scanned by every rule, and what it holds is "
            "reported on its own characters."
        ),
        decoder=decoding.JSON_ESCAPED,
    ),
    custom(
        "decode-escaped-lines",
        "Encoded",
        "Credential in a file written into a string with escaped line breaks",
        # a quoted string that opens with an assignment and goes on past a ``\n`` escape
        # (an .env or .ini file held in JSON, YAML or code: ``"A=1\nB=2"``)
        r'"([A-Za-z_][\w.-]{0,60}[ \t]{0,3}[=:][^"\\\n]{0,500}\\n(?:[^"\\\n]|\\[^\n]){0,4000})"',
        example=lambda r: (
            '{"config.ini": "DB_HOST=db.internal\\nDB_PASSWORD=' + _pw(r) + '\\nDEBUG=false"}\n'
        ),
        fixed=lambda r: '{"config.ini": "DB_HOST=db.internal\\nDB_PASSWORD=${DB_PASSWORD}"}\n',
        keywords=("\\n",),
        severity=H,
        description=(
            "A configuration file stored in one JSON or YAML string has its lines joined by "
            'escaped line breaks ("API_TOKEN=...\\nDEBUG=false"), so no line starts with the '
            "key and rules that read plain text miss it: the string is unescaped and scanned by "
            "every rule, and what it holds is reported on its own characters."
        ),
        decoder=decoding.ESCAPED_LINES,
    ),
    custom(
        "decode-xml-escaped",
        "Encoded",
        "Credential inside escaped XML or HTML",
        # markup or quotes written as entities (&lt;Pass&gt;, &quot;password&quot;)
        r"(&(?:quot|lt|#34|#x22);[^\n]{0,4000}&(?:quot|gt|#34|#x22);)",
        example=lambda r: f'<pre>&lt;add key="SmtpPassword" value="{_pw(r)}" /&gt;</pre>\n',
        fixed=lambda r: '<pre>&lt;add key="SmtpHost" value="mail.example.com" /&gt;</pre>\n',
        keywords=("&quot;", "&lt;", "&#34;", "&#x22;"),
        severity=H,
        description=(
            "Markup written as entities (&lt;add key=&quot;...&quot;/&gt;) in HTML, generated "
            "docs or XML inside XML hides keys and values from rules that read plain text: the "
            "entities are decoded and the text scanned by every rule, and what it holds is "
            "reported on its own characters."
        ),
        decoder=decoding.XML_ESCAPED,
    ),
]
