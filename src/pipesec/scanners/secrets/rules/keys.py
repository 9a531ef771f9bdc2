"""Private keys, JWTs, credentials in URLs and in tool configuration files."""

from __future__ import annotations

import base64
import json
import random

from pipesec.core.model import Confidence, Severity
from pipesec.scanners.secrets import filters, validators
from pipesec.scanners.secrets.rules.base import SecretRule
from pipesec.scanners.secrets.rules.builders import (
    ALNUM,
    B64,
    B64URL,
    HEX,
    custom,
    generic,
    password,
    rand,
)
from pipesec.scanners.secrets.rules.generic import KIND as _KIND

C = Severity.CRITICAL
H = Severity.HIGH
M = Severity.MEDIUM
L = Severity.LOW

#: the rule reporting what a URL rule judged a weak password (``app:mypassword@``,
#: ``guest:guest@localhost``): low, visible without failing the default gate
URL_WEAK = "secrets/url-password-weak"
#: how the generic filters judge the URL rules' matches (``generic.KIND``)
URL_KIND = filters.Kind(filters.URL, weak=URL_WEAK)
_KIND[URL_WEAK] = filters.Kind(filters.WEAK)

_KEY_CACHE: dict[str, str] = {}


def _pem(kind: str) -> str:
    """A freshly generated key of ``kind`` in PEM/OpenSSH form (cached per process)."""
    if kind in _KEY_CACHE:
        return _KEY_CACHE[kind]
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa

    enc = serialization.Encoding.PEM
    none = serialization.NoEncryption()
    if kind == "rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - a throwaway example
        out = key.private_bytes(enc, serialization.PrivateFormat.TraditionalOpenSSL, none)
    elif kind == "ec":
        eck = ec.generate_private_key(ec.SECP256R1())
        out = eck.private_bytes(enc, serialization.PrivateFormat.TraditionalOpenSSL, none)
    elif kind == "dsa":
        dk = dsa.generate_private_key(key_size=1024)  # noqa: S505 - a throwaway example
        out = dk.private_bytes(enc, serialization.PrivateFormat.TraditionalOpenSSL, none)
    elif kind == "openssh":
        ek = ed25519.Ed25519PrivateKey.generate()
        out = ek.private_bytes(enc, serialization.PrivateFormat.OpenSSH, none)
    elif kind == "encrypted":
        eck = ec.generate_private_key(ec.SECP256R1())
        out = eck.private_bytes(
            enc,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"correct horse battery"),
        )
    else:  # pkcs8
        eck = ec.generate_private_key(ec.SECP256R1())
        out = eck.private_bytes(enc, serialization.PrivateFormat.PKCS8, none)
    _KEY_CACHE[kind] = out.decode()
    return _KEY_CACHE[kind]


def _der_body(kind: str) -> str:
    """The base64 body of a generated key, its armour and line breaks taken off."""
    return "".join(line for line in _pem(kind).splitlines() if not line.startswith("-----"))


def _pgp(r: random.Random) -> str:
    body = bytes([0x95, 0x03]) + bytes(r.randrange(256) for _ in range(300))
    b64 = base64.b64encode(body).decode()
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return (
        "-----BEGIN "
        + "PGP PRIVATE KEY BLOCK-----\n\n"
        + "\n".join(lines)
        + "\n="
        + rand(r, B64, 4)
        + "\n-----END PGP PRIVATE KEY BLOCK-----\n"
    )


def _key_rule(
    slug: str, title: str, label: str, kind: str | None, example: object = None
) -> SecretRule:
    lab = label.replace(" ", "[ ]")
    begin = f"-----BEGIN[ ]{lab}-----"
    end = f"-----END[ ]{lab}-----"
    regex = f"({begin}(?:[^-]|-(?!----END)){{64,12000}}?{end})"

    def ex(_r: random.Random) -> str:
        if example is not None:
            return example(_r)  # type: ignore[operator,no-any-return]
        assert kind is not None
        return _pem(kind)

    def fx(_r: random.Random) -> str:
        return (
            f"# the deploy key is mounted at run time; never commit it\n"
            f"key_path = os.environ['DEPLOY_KEY_PATH']\n"
            f"header = '-----BEGIN {label}-----'\n"
        )

    return custom(
        slug,
        "Private key",
        title,
        regex,
        example=ex,
        fixed=fx,
        severity=C,
        keywords=(f"begin {label.lower()}",),
        validator=validators.private_key,
        prefilter=begin,
        cwe=("CWE-798", "CWE-321"),
        description=(
            f"A {title.lower()} committed to a repository lets anyone who can read it "
            "impersonate its owner: sign, decrypt or log in as them. The block is parsed "
            "with `cryptography`; a block that does not parse (truncated or a placeholder) "
            "is reported with low confidence."
        ),
    )


def _jwt(r: random.Random) -> str:
    def b64(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    head = b64({"alg": "HS256", "typ": "JWT"})
    body = b64({"sub": rand(r, HEX, 12), "name": "ci-bot", "iat": 1700000000 + r.randrange(9999)})
    return f'AUTH_TOKEN = "{head}.{body}.{rand(r, B64URL, 43)}"\n'


def _basic(r: random.Random) -> str:
    creds = base64.b64encode(f"deploy:{rand(r, ALNUM, 18)}".encode()).decode()
    return f'headers = {{"Authorization": "Basic {creds}"}}\n'


def basic_auth_value(value: str) -> bool:
    """RFC 7617: base64 of ``user-id:password``."""
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    user, sep, pw = raw.partition(":")
    # (a JSON object is a JWT's header cut at its first dot, not ``user:password``)
    return bool(sep and user and len(pw) >= 4 and raw.isprintable() and not user.startswith("{"))


_URL_VALUE = r"[^\s:@/\"'<>`$\\]{3,200}"
#: (empty in ``redis://:<password>@host``: Redis before 6 and Azure Cache have no user names)
_URL_USER = r"[^\s:@/\"'<>`]{0,100}"


def _url_rule(
    slug: str,
    provider: str,
    title: str,
    schemes: str,
    example_scheme: str,
    sev: Severity = C,
    keywords: tuple[str, ...] = (),
) -> SecretRule:
    regex = rf"(?i:\b(?:{schemes})://){_URL_USER}:({_URL_VALUE})@[A-Za-z0-9._\[\]-]{{1,253}}"

    def ex(r: random.Random) -> str:
        return (
            f'DATABASE_URL = "{example_scheme}://app:{rand(r, ALNUM, 16)}@db.internal:5432/app"\n'
        )

    def fx(r: random.Random) -> str:
        return f'DATABASE_URL = "{example_scheme}://app:${{DB_PASSWORD}}@db.internal:5432/app"\n'

    rule = custom(
        slug,
        provider,
        title,
        regex,
        example=ex,
        fixed=fx,
        severity=sev,
        keywords=keywords or (f"{example_scheme}://",),
        generic_filters=True,
        confidence=Confidence.HIGH,
        tags=("url",),
    )
    _KIND[rule.id] = URL_KIND
    return rule


#: stand-ins for a URL's password: templates, masks and the field's own name
URL_TEMPLATE = (
    r"^(?:[$%{<\[].*|.*[}>\]]|.*\*{3}.*|x{3,}|\.{3,}|(?i:passw(?:or)?d|pass|pwd|secret|token|pat"
    r"|changeme|change_me|your[_-]?\w*|example\w*|dummy\w*|placeholder\w*|redacted|none|null))$"
)

RULES: list[SecretRule] = [
    _key_rule("private-key-rsa", "RSA private key", "RSA PRIVATE KEY", "rsa"),
    _key_rule("private-key-ec", "EC private key", "EC PRIVATE KEY", "ec"),
    # the SEC1 key under the label some SDKs write (Coinbase's WaaS key files, Go's ecdsa)
    _key_rule(
        "private-key-ecdsa",
        "ECDSA private key",
        "ECDSA PRIVATE KEY",
        None,
        example=lambda _r: _pem("ec").replace("EC PRIVATE KEY", "ECDSA PRIVATE KEY"),
    ),
    _key_rule("private-key-dsa", "DSA private key", "DSA PRIVATE KEY", "dsa"),
    _key_rule("private-key-openssh", "OpenSSH private key", "OPENSSH PRIVATE KEY", "openssh"),
    _key_rule("private-key-pkcs8", "PKCS#8 private key", "PRIVATE KEY", "pkcs8"),
    _key_rule(
        "private-key-pkcs8-encrypted",
        "Encrypted PKCS#8 private key",
        "ENCRYPTED PRIVATE KEY",
        "encrypted",
    ),
    _key_rule(
        "private-key-pgp", "PGP private key block", "PGP PRIVATE KEY BLOCK", None, example=_pgp
    ),
    # a key's base64 body with no armour (one line of an env file or a CI variable): the DER
    # of an RSA PKCS#8 or PKCS#1 key, or an EC PKCS#8 key, and it must parse
    custom(
        "private-key-der-base64",
        "Private key",
        "Private key (base64 DER without PEM armour)",
        r"(?<![A-Za-z0-9+/])((?:MII[A-Za-z0-9+/]{3}IBA(?:DANBgkqhkiG9w0BAQEFAASC|AK[BC])"
        r"|MIG[A-Za-z0-9+/]AgEAMB[A-Za-z0-9+/]GByqGSM49AgEG)[A-Za-z0-9+/]{120,6000}={0,2})"
        r"(?![A-Za-z0-9+/=])",
        example=lambda _r: "SIGNING_KEY=" + _der_body("pkcs8") + "\n",
        fixed=lambda _r: "SIGNING_KEY=${SIGNING_KEY}\n",
        keywords=("ibadanbgkqhkig9w0baqefaasc", "ibaak", "gbyqgsm49ageg"),
        validator=validators.private_key_der,
        severity=C,
    ),
    custom(
        "private-key-putty",
        "Private key",
        "PuTTY private key file",
        # the private lines are the secret: the comment and the public lines are what a
        # person may write anything in (``Comment: dummy-key`` does not make the key a dummy)
        r"PuTTY-User-Key-File-[23]: [a-z0-9-]{3,40}\r?\nEncryption: none\r?\n[\s\S]{0,4000}?"
        r"Private-Lines: \d{1,3}\r?\n([A-Za-z0-9+/=\r\n]{40,4000})",
        example=lambda r: (
            "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n"
            "Comment: ci\nPublic-Lines: 2\n"
            + rand(r, B64, 64)
            + "\n"
            + rand(r, B64, 20)
            + "\nPrivate-Lines: 1\n"
            + rand(r, B64, 44)
            + "\n"
        ),
        fixed=lambda r: "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: aes256-cbc\n",
        keywords=("putty-user-key-file",),
        severity=C,
    ),
    custom(
        "jwt",
        "JWT",
        "JSON Web Token",
        # the literal first, the boundary as a lookbehind over it (`re` searches a leading
        # literal fast); the multi-pattern pass sees a fixed prefix, not the variable parts
        # that would end at thousands of offsets
        r"(eyJ(?<![A-Za-z0-9_-]eyJ)[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{8,8000}\."
        r"[A-Za-z0-9_-]{0,2000})(?![A-Za-z0-9_.-])",
        prefilter=r"eyJ[A-Za-z0-9_-]{10}",
        example=_jwt,
        keywords=("eyj",),
        severity=M,
        validator=validators.jwt,
        public=validators.public_jwt,
        fixed=lambda r: 'AUTH_TOKEN = os.environ["AUTH_TOKEN"]  # a JWT starts with eyJ\n',
        description="A signed token (JWT) in source: until it expires, whoever holds it is "
        "authenticated as its subject. The header and payload are decoded; a token that "
        "does not decode is reported with low confidence.",
    ),
    _url_rule(
        "postgres-url-password",
        "PostgreSQL",
        "PostgreSQL URL with password",
        "postgres|postgresql|postgis|pgsql|cockroachdb|redshift|timescaledb",
        "postgresql",
        keywords=("postgres", "cockroachdb", "redshift", "pgsql"),
    ),
    _url_rule(
        "mysql-url-password",
        "MySQL",
        "MySQL/MariaDB URL with password",
        r"mysql|mysql\+pymysql|mysql\+mysqldb|mysqlx|mariadb",
        "mysql",
        keywords=("mysql", "mariadb"),
    ),
    _url_rule(
        "mongodb-url-password",
        "MongoDB",
        "MongoDB URL with password",
        r"mongodb|mongodb\+srv",
        "mongodb",
        keywords=("mongodb",),
    ),
    _url_rule(
        "redis-url-password",
        "Redis",
        "Redis URL with password",
        "redis|rediss",
        "redis",
        H,
        keywords=("redis",),
    ),
    _url_rule(
        "amqp-url-password",
        "RabbitMQ",
        "AMQP URL with password",
        "amqp|amqps",
        "amqp",
        H,
        keywords=("amqp",),
    ),
    _url_rule(
        "mssql-url-password",
        "SQL Server",
        "SQL Server URL with password",
        r"mssql|mssql\+pyodbc|sqlserver",
        "mssql",
        keywords=("mssql", "sqlserver"),
    ),
    _url_rule(
        "jdbc-url-password",
        "JDBC",
        "JDBC URL with password",
        r"jdbc:[a-z0-9]{2,20}",
        "jdbc:postgresql",
        keywords=("jdbc:",),
    ),
    _url_rule(
        "oracle-url-password",
        "Oracle",
        "Oracle URL with password",
        r"oracle|oracle\+cx_oracle",
        "oracle",
        keywords=("oracle",),
    ),
    _url_rule(
        "clickhouse-url-password",
        "ClickHouse",
        "ClickHouse URL with password",
        "clickhouse|clickhouses",
        "clickhouse",
        H,
        keywords=("clickhouse",),
    ),
    _url_rule(
        "couchdb-url-password",
        "CouchDB",
        "CouchDB/neo4j/cassandra URL with password",
        r"couchdb|neo4j|neo4j\+s|bolt|cassandra|elasticsearch",
        "neo4j",
        H,
        keywords=("couchdb", "neo4j", "bolt", "cassandra", "elasticsearch"),
    ),
    _url_rule(
        "ldap-url-password",
        "LDAP",
        "LDAP URL with bind password",
        "ldap|ldaps",
        "ldap",
        H,
        keywords=("ldap",),
    ),
    _url_rule(
        "smtp-url-password",
        "SMTP",
        "SMTP URL with password",
        "smtp|smtps|submission",
        "smtp",
        H,
        keywords=("smtp", "submission"),
    ),
    _url_rule(
        "ftp-url-password",
        "FTP",
        "FTP/SFTP URL with password",
        "ftp|ftps|sftp",
        "ftp",
        H,
        keywords=("ftp",),
    ),
    # session 12: the schemes of Kingfisher's examples the URL rules above did not read
    _url_rule(
        "service-url-password",
        "Generic",
        "SMB, Solr, Snowflake, Trino/Presto, Vertica, DB2, InfluxDB or NATS URL with password",
        "smb|cifs|solr|snowflake|trino|presto|vertica|db2|influxdb|nats",
        "snowflake",
        H,
        keywords=(
            *("smb://", "cifs://", "solr://", "snowflake://", "trino://", "presto://"),
            *("vertica://", "db2://", "influxdb://", "nats://"),
        ),
    ),
    custom(
        "basic-auth-url",
        "HTTP",
        "Credentials in an HTTP(S) URL",
        rf"(?i:\b(?:https?|git|ssh|svn|wss?)://){_URL_USER}:({_URL_VALUE})@"
        r"[A-Za-z0-9._-]{1,253}",
        example=lambda r: (
            f'REPO = "https://deploy:{rand(r, ALNUM, 20)}@git.corp.internal/app.git"\n'
        ),
        fixed=lambda r: (
            'REPO = "https://git.corp.internal/app.git"  # token via credential helper\n'
        ),
        keywords=("://",),
        severity=H,
        # a person's password in a URL may be short or common (admin:admin is a real leak):
        # only templates and the field's own name are stand-ins here
        allow_regexes=(URL_TEMPLATE,),
        tags=("generic",),
        confidence=Confidence.MEDIUM,
    ),
    # never runs itself: reports what the URL rules above judged a weak password
    custom(
        "url-password-weak",
        "Generic",
        "Weak or default password in a URL",
        rf"(?i:\b[a-z][a-z0-9+.-]{{1,20}}(?::[a-z0-9]{{2,20}})?://){_URL_USER}:({_URL_VALUE})@"
        r"[A-Za-z0-9._\[\]-]{1,253}",
        example=lambda r: (
            f'DATABASE_URL = "postgresql://app:my{r.choice(("", "-", "_"))}password'
            f'@db.internal:5432/app"\n'
        ),
        fixed=lambda r: 'DATABASE_URL = "postgresql://app:${DB_PASSWORD}@db.internal:5432/app"\n',
        keywords=("://",),
        severity=L,
        tags=("generic", "weak-password"),
        confidence=Confidence.MEDIUM,
        description="A URL's password that describes itself (`mypassword`, `randompassword`) "
        "or a guessable one of a service on the machine itself (`guest:guest@localhost`): "
        "what someone typed into a template or a local default, but a password that works "
        "wherever the URL is used. Reported low (visible, not failing the default gate); "
        "not reported in documentation.",
    ),
    custom(
        "git-credentials",
        "Git",
        "Credential in .git-credentials",
        # written by hand, a user may be an e-mail address and a password may hold '@', '#'
        # or '!' unescaped: the host is what follows the last '@'
        r"(?m)^https?://[^\s:/]{1,100}:([^\s/]{4,200})@[^\s@/:]{1,253}(?::\d{1,5})?"
        r"(?:/\S{0,400})?$",
        example=lambda r: f"https://ci-bot@corp.example:{rand(r, ALNUM, 12)}!#@7@git.example.com\n",
        fixed=lambda r: "https://git.example.com\n",
        keywords=("://",),
        path_regex=r"(?:^|/)\.git-credentials$",
        severity=C,
        generic_filters=True,
    ),
    password(
        "netrc-password",
        "netrc",
        "Password in a .netrc entry",
        r"machine[ \t]+\S{1,200}\s{1,20}login[ \t]+\S{1,200}\s{1,20}password[ \t]+"
        r"([^\s\"']{4,200})",
        example=lambda r: f"machine api.example.com\n  login ci\n  password {rand(r, ALNUM, 20)}\n",
        fixed=lambda r: "machine api.example.com\n  login ci\n",
        keywords=("machine",),
        severity=H,
    ),
    custom(
        "kubeconfig-client-key",
        "Kubernetes",
        "Client private key in a kubeconfig",
        r"client-key-data:[ \t]{0,5}([A-Za-z0-9+/]{100,8000}={0,2})",
        example=lambda r: (
            "users:\n- name: admin\n  user:\n    client-key-data: "
            + base64.b64encode(_pem("ec").encode()).decode()
            + "\n"
        ),
        fixed=lambda r: "users:\n- name: admin\n  user:\n    exec:\n      command: aws\n",
        keywords=("client-key-data",),
        severity=C,
    ),
    custom(
        "kubeconfig-token",
        "Kubernetes",
        "Bearer token in a kubeconfig",
        r"(?m)^[ \t]{2,12}token:[ \t]{0,5}[\"']?([A-Za-z0-9_.~+/=-]{20,4000})[\"']?[ \t]*$",
        example=lambda r: "users:\n- name: ci\n  user:\n    token: " + rand(r, ALNUM, 40) + "\n",
        fixed=lambda r: "users:\n- name: ci\n  user:\n    tokenFile: /var/run/token\n",
        keywords=("token",),
        severity=C,
        generic_filters=True,
        path_regex=r"(?:^|/)(?:kubeconfig[^/]*|\.kube/config|[^/]*kubeconfig\.ya?ml)$",
    ),
    custom(
        "kubeconfig-password",
        "Kubernetes",
        "Basic-auth password in a kubeconfig",
        r"(?m)^[ \t]{2,12}password:[ \t]{0,5}[\"']?([^\s\"']{6,200})[\"']?[ \t]*$",
        example=lambda r: (
            "users:\n- name: ci\n  user:\n    username: admin\n    password: "
            + rand(r, ALNUM, 20)
            + "\n"
        ),
        fixed=lambda r: "users:\n- name: ci\n  user:\n    username: admin\n",
        keywords=("password",),
        severity=C,
        generic_filters=True,
        path_regex=r"(?:^|/)(?:kubeconfig[^/]*|\.kube/config|[^/]*kubeconfig\.ya?ml)$",
    ),
    custom(
        "docker-config-identity-token",
        "Docker",
        "Identity token in Docker config.json",
        r'"identitytoken"\s{0,5}:\s{0,5}"([A-Za-z0-9_.~+/=-]{20,4000})"',
        example=lambda r: (
            '{"auths": {"registry.example.com": {"identitytoken": "'
            + rand(r, B64URL, 48)
            + '"}}}\n'
        ),
        fixed=lambda r: '{"credHelpers": {"registry.example.com": "ecr-login"}}\n',
        keywords=("identitytoken",),
        severity=H,
    ),
    custom(
        "authorization-basic",
        "HTTP",
        "HTTP Basic credentials in an Authorization header",
        r"(?i:authorization)[\"']?\]?\s{0,5}[:=,]\s{0,5}[\"']?(?i:basic)[ \t]{1,5}"
        # (not the first part of a JWT: a dot and more base64 follow it)
        r"([A-Za-z0-9+/]{8,400}={0,2})(?![A-Za-z0-9+/=]|\.[A-Za-z0-9_-])",
        example=_basic,
        keywords=("basic",),
        severity=H,
        validator=basic_auth_value,
        fixed=lambda r: 'headers = {"Authorization": "Basic " + os.environ["CREDS_B64"]}\n',
        tags=("password",),  # a user name and password someone typed: demoted in tests
    ),
    generic(
        "authorization-bearer",
        "HTTP",
        "Bearer token in an Authorization header",
        # the header's name may be missing (``- Bearer <token>`` in a list of headers)
        r"(?:(?i:authorization)[\"']?\]?\s{0,5}[:=,]\s{0,5}[\"']?)?"
        r"(?<![A-Za-z])(?i:bearer)[ \t]{1,5}"
        r"([A-Za-z0-9_.~+/-]{20,2000}={0,2})(?![A-Za-z0-9_.~+/=-])",
        example=lambda r: f'curl -H "Authorization: Bearer {rand(r, B64URL, 40)}" https://api\n',
        fixed=lambda r: 'curl -H "Authorization: Bearer $API_TOKEN" https://api\n',
        keywords=("bearer",),
        severity=H,
        entropy=3.0,  # the header kind holds non-hex values to 3.5
    ),
    generic(
        "authorization-token",
        "HTTP",
        "Token in an Authorization header (Token/Api-Token scheme or none)",
        # a header (``Authorization: …``) or an assignment, not a list (``_authorization, …``)
        r"(?i:authorization)(?<![A-Za-z0-9]authorization)(?<![A-Za-z0-9]Authorization)"
        r"[\"']?\]?[ \t]{0,5}[:=][ \t]{0,5}[\"']?(?:(?i:token|api-token|apikey|api-key)[ \t]{1,5})?"
        r"(?!(?i:basic|bearer|digest|negotiate|ntlm|aws4-hmac-sha256|hmac|signature|sso-key)\b)"
        r"([A-Za-z0-9_.~+/-]{16,2000}={0,2})(?![A-Za-z0-9_.~+/=-])",
        example=lambda r: (
            f'curl -H "Authorization: Token {rand(r, HEX, 40)}" https://api.partner.test/v1/\n'
        ),
        fixed=lambda r: (
            'curl -H "Authorization: Token $PARTNER_TOKEN" https://api.partner.test/v1/\n'
        ),
        keywords=("authorization",),
        severity=H,
        entropy=3.5,
    ),
    password(
        "curl-user-password",
        "HTTP",
        "Credentials passed to curl -u",
        # the flag may sit on a continuation line of the command (``\`` + newline); the
        # user may be empty (``-u ":password"``); the proxy's credentials (``-U``,
        # ``--proxy-user``) are passed the same way
        r"\bcurl\b(?:[^\n]|\\\n){0,300}?\s(?:-u|--user|-U|--proxy-user)(?:=|[ \t]{1,3})"
        r"[\"']?[^\s:\"'<>]{0,100}:[\"']?([^\s\"'$<>]{4,200})[\"']?",
        example=lambda r: f"curl -u deploy:{rand(r, ALNUM, 16)} https://api.example.com\n",
        fixed=lambda r: 'curl -u "deploy:$DEPLOY_TOKEN" https://api.example.com\n',
        keywords=("curl",),
        severity=H,
    ),
    custom(
        "htpasswd-hash",
        "Apache",
        "Password hash in an htpasswd file",
        r"(?m)^[^:\s#]{1,100}:(\$apr1\$[./0-9A-Za-z]{1,8}\$[./0-9A-Za-z]{22}|\{SHA\}"
        r"[A-Za-z0-9+/]{27}=|\$2[aby]\$\d\d\$[./0-9A-Za-z]{53})$",
        example=lambda r: f"admin:$apr1${rand(r, ALNUM, 8)}${rand(r, ALNUM, 22)}\n",
        fixed=lambda r: "# users are provisioned from the identity provider\n",
        keywords=("$apr1$", "{sha}", "$2y$", "$2a$", "$2b$"),
        # an account database (session 16): high, as the crypt hashes in one
        # (files.account_db_severity); demoted in test and docs contexts like them
        severity=H,
        path_regex=r"(?:^|/)\.?htpasswd[^/]*$",
        cwe=("CWE-798", "CWE-916"),
        tags=("password",),
    ),
    password(
        "sshpass-password",
        "SSH",
        "Password passed to sshpass -p",
        r"\bsshpass[ \t]{1,5}-p[ \t]{0,3}[\"']?([^\s\"'$]{4,200})",
        example=lambda r: f"sshpass -p {rand(r, ALNUM, 14)} ssh deploy@host\n",
        fixed=lambda r: "sshpass -e ssh deploy@host  # password from SSHPASS\n",
        keywords=("sshpass",),
        severity=H,
    ),
    password(
        "mysql-cli-password",
        "MySQL",
        "Password on a mysql command line",
        # (``-p`` and the password joined; not a long option spelled with one dash:
        # ``-password '…'``, ``-passwd``, read as ``-p`` + ``assword`` before session 19)
        r"\bmysql(?:dump|admin)?\b[^\n]{0,200}?\s-p(?!ass(?:w(?:or)?d)?(?=[\s\"'=]|$))"
        r"[\"']?([^\s\"'$-][^\s\"'$]{3,200})",
        example=lambda r: f"mysqldump -u root -p{rand(r, ALNUM, 14)} app > dump.sql\n",
        fixed=lambda r: "mysqldump --defaults-extra-file=/run/secrets/my.cnf app > dump.sql\n",
        keywords=("mysql",),
        severity=H,
    ),
    password(
        "connection-string-password",
        "Database",
        "Password in a connection string",
        # the first key: the server, or (OLE DB, ODBC: ``Provider=…;User ID=…;Password=…;
        # Data Source=…``) the provider, driver, DSN or the user; the string may be written
        # as literals joined by ``&``, ``+`` or ``.`` (``"…User ID=u; " & "Password=…"``)
        r"(?i:(?:server|data source|host|provider|driver|dsn|user id|uid)[ \t]{0,3}="
        r"[^;\"'\n]{1,200};[^\"'\n]{0,300}?(?:[\"'][ \t]{0,3}[&+.][ \t]{0,3}[\"']"
        r"[^\"'\n]{0,300}?)?(?:password|pwd)[ \t]{0,3}=[ \t]{0,3})([^;\"'\s]{4,200})",
        example=lambda r: (
            f'CONN = "Server=db;Database=app;User Id=sa;Password={rand(r, ALNUM, 16)};"\n'
        ),
        fixed=lambda r: 'CONN = "Server=db;Database=app;Integrated Security=true;"\n',
        keywords=("password", "pwd"),
        severity=H,
    ),
    password(
        "pgpass-password",
        "PostgreSQL",
        "Password in a .pgpass file",
        r"(?m)^[^:\s#]{1,253}:(?:\d{1,5}|\*):[^:\s]{1,100}:[^:\s]{1,100}:([^\s]{4,200})$",
        example=lambda r: f"db.internal:5432:app:app:{rand(r, ALNUM, 16)}\n",
        fixed=lambda r: "# generated at deploy time\n",
        keywords=(":",),
        severity=H,
        path_regex=r"(?:^|/)\.pgpass$",
    ),
    custom(
        "s3cfg-secret",
        "AWS",
        "Secret key in an s3cmd configuration",
        r"(?m)^secret_key[ \t]*=[ \t]*([A-Za-z0-9/+]{40})[ \t]*$",
        example=lambda r: f"[default]\naccess_key = x\nsecret_key = {rand(r, ALNUM + '/+', 40)}\n",
        fixed=lambda r: "[default]\naccess_key =\nsecret_key =\n",
        keywords=("secret_key",),
        severity=C,
        path_regex=r"(?:^|/)\.s3cfg$",
    ),
    custom(
        "rclone-password",
        "rclone",
        "Obscured password in rclone.conf",
        r"(?m)^(?:pass|password2?|client_secret)[ \t]*=[ \t]*([A-Za-z0-9_-]{20,200})[ \t]*$",
        example=lambda r: f"[remote]\ntype = sftp\npass = {rand(r, B64URL, 40)}\n",
        fixed=lambda r: "[remote]\ntype = sftp\nkey_file = ~/.ssh/id_ed25519\n",
        keywords=("pass",),
        severity=H,
        path_regex=r"(?:^|/)rclone\.conf$",
    ),
    custom(
        "terraform-tfvars-secret",
        "Terraform",
        "Secret value in a .tfvars file",
        r"(?m)^[ \t]*(?i:[a-z0-9_]{0,40}(?:password|secret|token|api_key|access_key)"
        r"[a-z0-9_]{0,20})[ \t]*=[ \t]*\"([^\"\n]{8,200})\"",
        example=lambda r: f'db_password = "{rand(r, ALNUM, 18)}"\n',
        fixed=lambda r: "# db_password comes from TF_VAR_db_password\n",
        keywords=("password", "secret", "token", "api_key", "access_key"),
        severity=H,
        path_regex=r"\.tfvars(?:\.json)?$",
        generic_filters=True,
        entropy=2.5,
    ),
    custom(
        "sonar-properties-login",
        "SonarQube",
        "Token in sonar-project.properties",
        r"(?m)^sonar\.(?:login|token|password)[ \t]*=[ \t]*([^\s]{8,200})$",
        example=lambda r: f"sonar.projectKey=app\nsonar.login={rand(r, HEX, 40)}\n",
        fixed=lambda r: "sonar.projectKey=app\n",
        keywords=("sonar.",),
        severity=H,
        generic_filters=True,
        path_regex=r"(?:^|/)sonar-project\.properties$",
    ),
    custom(
        "gradle-properties-password",
        "Gradle",
        "Credential in gradle.properties",
        r"(?m)^[ \t]*[A-Za-z0-9_.]{0,60}(?i:password|secret|token|apikey|api_key)"
        r"[A-Za-z0-9_.]{0,20}[ \t]*=[ \t]*([^\s]{6,200})$",
        example=lambda r: f"ossrhUsername=ci\nossrhPassword={rand(r, ALNUM, 18)}\n",
        fixed=lambda r: "ossrhUsername=ci\n# ossrhPassword via ORG_GRADLE_PROJECT_ossrhPassword\n",
        keywords=("password", "secret", "token", "apikey", "api_key"),
        severity=H,
        path_regex=r"(?:^|/)gradle\.properties$",
        generic_filters=True,
        entropy=2.5,
    ),
    custom(
        "maven-settings-password",
        "Maven",
        "Password in Maven settings.xml",
        r"<password>([^<${}\s]{6,200})</password>",
        example=lambda r: (
            f"<server><id>ossrh</id><password>{rand(r, ALNUM, 18)}</password></server>\n"
        ),
        fixed=lambda r: (
            "<server><id>ossrh</id><password>${env.OSSRH_PASSWORD}</password></server>\n"
        ),
        keywords=("<password>",),
        severity=H,
        generic_filters=True,
    ),
    custom(
        "nuget-config-password",
        "NuGet",
        "Clear-text password in NuGet.Config",
        r"<add[ \t]+key=\"ClearTextPassword\"[ \t]+value=\"([^\"%$]{6,200})\"",
        example=lambda r: f'<add key="ClearTextPassword" value="{rand(r, ALNUM, 18)}" />\n',
        fixed=lambda r: '<add key="ClearTextPassword" value="%NUGET_PASSWORD%" />\n',
        keywords=("cleartextpassword",),
        severity=H,
        generic_filters=True,
    ),
    custom(
        "composer-auth-token",
        "Composer",
        "Token in Composer auth.json",
        r"\"(?:github-oauth|gitlab-token|bitbucket-oauth|http-basic|bearer)\"\s{0,5}:\s{0,5}\{"
        r"[^{}]{0,300}?\"(?:[a-z0-9.-]{1,253}|password|consumer-secret)\"\s{0,5}:\s{0,5}"
        r"\"([A-Za-z0-9_.~+/=-]{12,200})\"",
        example=lambda r: (
            '{"gitlab-token": {"gitlab.example.com": "' + rand(r, B64URL, 24) + '"}}\n'
        ),
        fixed=lambda r: '{"gitlab-token": {}}\n',
        keywords=("github-oauth", "gitlab-token", "bitbucket-oauth", "http-basic", "bearer"),
        severity=H,
        generic_filters=True,
    ),
    password(
        "ansible-become-password",
        "Ansible",
        "Plain-text Ansible become/SSH password",
        r"(?m)\bansible_(?:become_|ssh_|sudo_)?(?:pass|password)[ \t]*[:=][ \t]*[\"']?"
        r"([^\s\"'{}]{6,200})[\"']?",
        example=lambda r: f"ansible_become_password: {rand(r, ALNUM, 16)}\n",
        fixed=lambda r: 'ansible_become_password: "{{ vault_become_password }}"\n',
        keywords=("ansible_",),
        severity=H,
    ),
    custom(
        "wp-config-password",
        "WordPress",
        "Database password in wp-config.php",
        r"define\(\s{0,3}['\"]DB_PASSWORD['\"]\s{0,3},\s{0,3}['\"]([^'\"]{4,200})['\"]",
        example=lambda r: f"define( 'DB_PASSWORD', '{rand(r, ALNUM, 16)}' );\n",
        fixed=lambda r: "define( 'DB_PASSWORD', getenv('WORDPRESS_DB_PASSWORD') );\n",
        keywords=("db_password",),
        severity=H,
        generic_filters=True,
    ),
    custom(
        "django-secret-key",
        "Django",
        "Django SECRET_KEY",
        r"\bSECRET_KEY[ \t]*=[ \t]*[\"']((?:django-insecure-)?[^\"'\s]{40,100})[\"']",
        example=lambda r: f"SECRET_KEY = '{rand(r, ALNUM + '!@#%^&*(-_=+)', 50)}'\n",
        fixed=lambda r: "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n",
        keywords=("secret_key",),
        severity=H,
        generic_filters=True,
        entropy=3.5,
        tags=("framework-key",),
    ),
    custom(
        "rails-secret-key-base",
        "Rails",
        "secret_key_base of Rails or Phoenix",
        # Rails' is 128 hex (``rails secret``), Phoenix's 64 base64 (``mix phx.gen.secret``,
        # in config/*.exs); the name's last word is ``base``, so no generic rule reads it:
        # any case (``SECRET_KEY_BASE=`` in an .env), ``:``, ``=`` or ``=>`` (session 15)
        r"(?i:\bsecret_key_base)[\"']?[ \t]*(?:=>|[:=])[ \t]*[\"']?"
        r"([A-Za-z0-9+/]{64,256}={0,2})(?![A-Za-z0-9+/=_-])[\"']?",
        example=lambda r: f"production:\n  secret_key_base: {rand(r, HEX, 128)}\n",
        fixed=lambda r: "production:\n  secret_key_base: <%= ENV['SECRET_KEY_BASE'] %>\n",
        keywords=("secret_key_base",),
        severity=H,
        entropy=3.3,
        tags=("framework-key",),
    ),
    custom(
        "flask-secret-key",
        "Flask",
        "Flask SECRET_KEY",
        r"\b(?:app\.secret_key|app\.config\[[\"']SECRET_KEY[\"']\])[ \t]*=[ \t]*[bu]?[\"']"
        r"([^\"'\n]{12,200})[\"']",
        example=lambda r: f"app.config['SECRET_KEY'] = '{rand(r, ALNUM, 32)}'\n",
        fixed=lambda r: "app.config['SECRET_KEY'] = os.environ['FLASK_SECRET_KEY']\n",
        keywords=("secret_key",),
        severity=H,
        generic_filters=True,
        entropy=3.0,
        tags=("framework-key",),
    ),
    custom(
        "laravel-app-key",
        "Laravel",
        "Laravel APP_KEY",
        r"(?m)^APP_KEY[ \t]*=[ \t]*[\"']?(base64:[A-Za-z0-9+/]{43}=)[\"']?",
        example=lambda r: f"APP_ENV=production\nAPP_KEY=base64:{rand(r, B64, 43)}=\n",
        fixed=lambda r: "APP_ENV=production\nAPP_KEY=\n",
        keywords=("app_key",),
        severity=H,
        tags=("framework-key",),
    ),
    password(
        "jks-storepass",
        "Java",
        "Keystore password on a command line",
        r"-(?:storepass|keypass|srcstorepass|deststorepass)[ \t]{1,3}[\"']?([^\s\"'$]{6,200})",
        example=lambda r: f"keytool -list -keystore app.jks -storepass {rand(r, ALNUM, 16)}\n",
        fixed=lambda r: "keytool -list -keystore app.jks -storepass:env KEYSTORE_PASS\n",
        keywords=("storepass", "keypass"),
        severity=M,
    ),
    password(
        "openssl-passout",
        "OpenSSL",
        "Password given to openssl as pass:",
        r"-pass(?:out|in)?[ \t]{1,3}[\"']?pass:([^\s\"'$]{4,200})",
        example=lambda r: f"openssl pkcs12 -export -in c.pem -passout pass:{rand(r, ALNUM, 14)}\n",
        fixed=lambda r: "openssl pkcs12 -export -in c.pem -passout env:P12_PASS\n",
        keywords=("pass:",),
        severity=M,
    ),
    password(
        "docker-login-password",
        "Docker",
        "Password on a docker login command line",
        r"\b(?:docker|podman|buildah|helm registry)[ \t]+login\b[^\n]{0,200}?\s(?:-p|--password)"
        r"[ =]{1,3}[\"']?([^\s\"'$]{6,200})",
        example=lambda r: f"docker login -u ci -p {rand(r, ALNUM, 20)} registry.example.com\n",
        fixed=lambda r: 'echo "$REG_TOKEN" | docker login -u ci --password-stdin registry\n',
        keywords=("login",),
        severity=H,
    ),
    custom(
        "aws-json-secret-access-key",
        "AWS",
        "AWS secret key in a JSON credentials document",
        r"\"SecretAccessKey\"\s{0,5}:\s{0,5}\"([A-Za-z0-9/+]{40})\"",
        example=lambda r: (
            '{"Credentials": {"AccessKeyId": "x", "SecretAccessKey": "'
            + rand(r, ALNUM + "/+", 40)
            + '"}}\n'
        ),
        fixed=lambda r: '{"Credentials": {"AccessKeyId": "x", "SecretAccessKey": ""}}\n',
        keywords=("secretaccesskey",),
        severity=C,
        entropy=3.5,
    ),
]


def _s3fs_password_file() -> SecretRule:
    """The secret key in an s3fs-fuse password file (``~/.passwd-s3fs``, ``/etc/passwd-s3fs``).

    One line per credential, ``ACCESS_KEY_ID:SECRET_ACCESS_KEY``, or with the bucket first
    (``bucket:ACCESS_KEY_ID:SECRET_ACCESS_KEY``), for AWS or any S3-compatible store: no key
    names the secret, so no other rule reads it (session 15)."""
    return custom(
        "s3fs-password-file",
        "S3-compatible storage",
        "Secret access key in an s3fs password file",
        r"(?m)^(?:[^:\s#]{1,255}:)?[A-Za-z0-9]{3,128}:([A-Za-z0-9/+]{20,100})[ \t]*$",
        example=lambda r: f"{rand(r, ALNUM, 20)}:{rand(r, ALNUM + '/+', 40)}\n",
        fixed=lambda r: "# written at mount time from the secret store\n",
        keywords=(":",),
        severity=H,
        entropy=3.5,
        path_regex=r"(?:^|/)\.?passwd-s3fs$",
    )


RULES.append(_s3fs_password_file())
