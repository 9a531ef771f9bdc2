"""An independent labelled corpus of real-looking leaked files, for bench/secrets_independent.py.

Written from the file formats and the providers' documented credential formats (prefix,
alphabet, length), not from pipesec's rules: this module imports nothing from pipesec. Each
file is a whole realistic document (SQL dump, /etc/shadow, wp-config.php, FileZilla XML,
.dockercfg, Kubernetes Secret, shell history with curl, dotfiles, CI files, notebooks, app
configs in several languages). Every line that holds a credential is labelled with its
family group; every other line is a negative (templates, environment references, example
keys, placeholders, commit hashes, checksums, UUIDs and plain settings are planted on
purpose).

    python bench/make_secrets_independent.py [--out DIR] [--seed 7] [--copies 4]

Labels: ``labels.json`` = {"files": {relpath: [{"line": n, "family": group}, ...]}}.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import math
import random
import string
import urllib.parse
from collections.abc import Callable
from pathlib import Path

ALNUM = string.ascii_letters + string.digits
LOWER = string.ascii_lowercase
LOWER_ALNUM = string.ascii_lowercase + string.digits
HEX = "0123456789abcdef"
DIGITS = string.digits
UPNUM = string.ascii_uppercase + string.digits
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
CRYPT = "./" + string.digits + string.ascii_uppercase + string.ascii_lowercase
PRINTABLE = ALNUM + "!#%&()*+,-./:;<=>?@[]^_{|}~"

#: family groups reported by the bench
HASHES = "password-hashes"
CONFIG = "config-passwords"
ENCODED = "encoded-values"
CLI = "http-command-lines"
HEXTOK = "keyword-hex-tokens"
PROVIDER = "provider-tokens"
KEYS = "private-keys"

Line = tuple[str, str | None]
Doc = Callable[[random.Random], list[Line]]


def uuid4(r: random.Random) -> str:
    return f"{rs(r, HEX, 8)}-{rs(r, HEX, 4)}-4{rs(r, HEX, 3)}-8{rs(r, HEX, 3)}-{rs(r, HEX, 12)}"


def rs(r: random.Random, charset: str, n: int) -> str:
    return "".join(r.choice(charset) for _ in range(n))


def word(r: random.Random) -> str:
    return r.choice(
        ["alice", "bob", "deploy", "jenkins", "svc_app", "mkovacs", "tanaka", "ops", "www-data"]
    )


def password(r: random.Random) -> str:
    """A password a person chose (mixed classes, 10-16 characters)."""
    base = r.choice(["Summer", "Tr0ub4dor", "Kangaroo", "Blue", "Moonlight", "Harbor", "Velvet"])
    return base + rs(r, string.digits, r.randint(2, 4)) + r.choice("!#%&*?") + rs(r, ALNUM, 3)


def b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


# -- documented formats (from each provider's docs) ------------------------------------------


def crc32_base62(body: str) -> str:
    """The 6-character base62 CRC32 that GitHub's and npm's tokens end with (GitHub's
    token-format post: 30 random base62 characters, then the checksum of those)."""
    n, out = binascii.crc32(body.encode()) & 0xFFFFFFFF, ""
    b62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
    while n:
        n, d = divmod(n, 62)
        out = b62[d] + out
    return out.rjust(6, "0")


def checksummed(prefix: str, drawn: str) -> str:
    """``prefix`` + the first 30 drawn characters + their checksum (36 are drawn, as before
    session 16, so every later value of the corpus stays the same)."""
    return prefix + drawn[:30] + crc32_base62(drawn[:30])


def github_classic(r: random.Random, kind: str = "ghp") -> str:
    return checksummed(f"{kind}_", rs(r, ALNUM, 36))


def github_hex40(r: random.Random) -> str:  # pre-2021 OAuth/personal tokens: 40 hex
    return rs(r, HEX, 40)


def gitlab_pat(r: random.Random) -> str:
    return "glpat-" + rs(r, B64URL, 20)


def aws_pair(r: random.Random) -> tuple[str, str]:
    return "AKIA" + rs(r, string.ascii_uppercase + "234567", 16), rs(r, B64, 40)


def slack(r: random.Random, kind: str) -> str:
    return f"{kind}-{rs(r, string.digits, 12)}-{rs(r, string.digits, 13)}-{rs(r, ALNUM, 24)}"


def stripe(r: random.Random, kind: str) -> str:
    return f"{kind}_" + rs(r, ALNUM, 24)


def sourcegraph(r: random.Random) -> str:
    return "sgp_" + rs(r, HEX, 16) + "_" + rs(r, HEX, 40)


def facebook_app(r: random.Random) -> str:
    return rs(r, "123456789", 1) + rs(r, string.digits, 14) + "|" + rs(r, HEX, 32)


def facebook_user(r: random.Random) -> str:
    return "EAA" + rs(r, "BCDEFGIJ", 1) + rs(r, ALNUM, 150)


def fly(r: random.Random) -> str:
    return "fo1_" + rs(r, B64URL, 43)


def onepassword(r: random.Random) -> str:
    head = b64('{"signInAddress":"my.1password.com","userAuth":{"method":"SRPg-4096"}')
    return "ops_" + head.rstrip("=") + rs(r, B64URL, 420)


def intra42(r: random.Random) -> str:
    return "s-s4t2ud-" + rs(r, HEX, 64)


def vault_legacy(r: random.Random) -> str:
    return "s." + rs(r, ALNUM, 24)


def cloudflare_token(r: random.Random) -> str:
    return rs(r, B64URL, 40)


def nuget(r: random.Random) -> str:
    return "oy2" + rs(r, LOWER_ALNUM, 43)


def posthog_personal(r: random.Random) -> str:
    return "phx_" + rs(r, ALNUM, 43)


def together(r: random.Random) -> str:
    return "tgp_v1_" + rs(r, B64URL, 43)


def npm(r: random.Random) -> str:
    return checksummed("npm_", rs(r, ALNUM, 36))


def sendgrid(r: random.Random) -> str:
    return "SG." + rs(r, B64URL, 22) + "." + rs(r, B64URL, 43)


def openai(r: random.Random) -> str:
    return "sk-proj-" + rs(r, B64URL, 74) + "T3BlbkFJ" + rs(r, B64URL, 74)


def jwt(r: random.Random) -> str:
    head = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    body = json.dumps({"sub": rs(r, string.digits, 8), "role": "service", "iat": 1733000000})
    pay = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
    return f"{head}.{pay}.{rs(r, B64URL, 43)}"


def bcrypt(r: random.Random, v: str = "2y") -> str:
    return f"${v}${r.choice(['10', '12'])}$" + rs(r, CRYPT, 53)


def sha512crypt(r: random.Random) -> str:
    return "$6$" + rs(r, CRYPT, 16) + "$" + rs(r, CRYPT, 86)


def md5crypt(r: random.Random) -> str:
    return "$1$" + rs(r, CRYPT, 8) + "$" + rs(r, CRYPT, 22)


def yescrypt(r: random.Random) -> str:
    return "$y$j9T$" + rs(r, CRYPT, 22) + "$" + rs(r, CRYPT, 43)


def _prime(r: random.Random, bits: int) -> int:
    """A random probable prime (Miller-Rabin, 32 rounds) drawn from ``r``."""
    while True:
        n = r.getrandbits(bits) | (1 << (bits - 1)) | (1 << (bits - 2)) | 1
        if any(n % p == 0 for p in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)):
            continue
        d, s = n - 1, 0
        while d % 2 == 0:
            d, s = d // 2, s + 1
        for _ in range(32):
            x = pow(r.randrange(2, n - 1), d, n)
            if x in (1, n - 1):
                continue
            for _ in range(s - 1):
                x = pow(x, 2, n)
                if x == n - 1:
                    break
            else:
                break
        else:
            return n


def rsa_pem(r: random.Random) -> list[str]:
    """A real 2048-bit RSA key in PKCS#1 PEM, built from ``r``'s primes (a key whose body
    is random characters does not parse and is reported with low confidence: no leaked
    key file looks like that)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    e = 65537
    while True:
        p, q = _prime(r, 1024), _prime(r, 1024)
        phi = (p - 1) * (q - 1)
        if p != q and math.gcd(e, phi) == 1:
            break
    d = pow(e, -1, phi)
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, p * q)
    )
    key = numbers.private_key().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return key.decode().splitlines()


def pem(r: random.Random, kind: str = "RSA PRIVATE KEY") -> list[str]:
    drawn = "MIIEowIBAAKCAQEA" + rs(r, B64, 48)
    rest = [rs(r, B64, 64) for _ in range(20)] + [rs(r, B64, 40) + "=="]
    if kind == "RSA PRIVATE KEY":  # a key of its own RNG: the corpus' stream is unchanged
        return rsa_pem(random.Random(drawn + "".join(rest)))
    return [f"-----BEGIN {kind}-----", drawn, *rest, f"-----END {kind}-----"]


# -- documents -----------------------------------------------------------------------------


def sql_dump(r: random.Random) -> list[Line]:
    out: list[Line] = [
        ("-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)", None),
        ("-- Host: localhost    Database: shop", None),
        ("/*!40101 SET NAMES utf8mb4 */;", None),
        ("DROP TABLE IF EXISTS `users`;", None),
        ("CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),", None),
        ("  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;", None),
        ("LOCK TABLES `users` WRITE;", None),
    ]
    for i in range(1, 5):
        h = bcrypt(r, r.choice(["2y", "2a", "2b"])) if i % 2 else md5crypt(r)
        out.append(
            (f"INSERT INTO `users` VALUES ({i},'{word(r)}{i}@shop.test','{h}',NULL);", HASHES)
        )
    out += [
        ("INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);", None),
        ("UNLOCK TABLES;", None),
        ("INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');", None),
        (
            "INSERT INTO `files` VALUES (1,'logo.png','" + rs(r, HEX, 64) + "');",
            None,
        ),  # a checksum column
    ]
    return out


def shadow(r: random.Random) -> list[Line]:
    return [
        (f"root:{sha512crypt(r)}:19700:0:99999:7:::", HASHES),
        ("daemon:*:19700:0:99999:7:::", None),
        ("bin:*:19700:0:99999:7:::", None),
        ("sshd:!:19700::::::", None),
        (f"{word(r)}:{yescrypt(r)}:19800:0:99999:7:::", HASHES),
        ("nobody:*:19700:0:99999:7:::", None),
        (f"backup:{md5crypt(r)}:19701:0:99999:7:::", HASHES),
        ("postgres:!*:19702::::::", None),
    ]


def proftpd(r: random.Random) -> list[Line]:
    return [
        (f"{word(r)}:{md5crypt(r)}:2001:2001::/srv/ftp/a:/bin/false", HASHES),
        (f"upload:{sha512crypt(r)}:2002:2002::/srv/ftp/up:/bin/false", HASHES),
        ("anonymous:!:2003:2003::/srv/ftp/pub:/bin/false", None),
    ]


def wp_config(r: random.Random) -> list[Line]:
    out: list[Line] = [
        ("<?php", None),
        ("/** The name of the database for WordPress */", None),
        ("define( 'DB_NAME', 'wordpress' );", None),
        ("define( 'DB_USER', 'wp_admin' );", None),
        (f"define( 'DB_PASSWORD', '{password(r)}' );", CONFIG),
        ("define( 'DB_HOST', 'localhost' );", None),
        ("define( 'DB_CHARSET', 'utf8mb4' );", None),
    ]
    for k in ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT"):
        val = rs(r, PRINTABLE.replace("'", "").replace("\\", ""), 64)
        out.append((f"define('{k}',         '{val}');", CONFIG))
    out += [
        ("define( 'NONCE_SALT', 'put your unique phrase here' );", None),
        ("$table_prefix = 'wp_';", None),
        ("define( 'WP_DEBUG', false );", None),
        ("if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }", None),
    ]
    return out


def web_config(r: random.Random) -> list[Line]:
    return [
        ('<?xml version="1.0" encoding="utf-8"?>', None),
        ("<configuration>", None),
        ("  <appSettings>", None),
        ('    <add key="Environment" value="Production" />', None),
        (f'    <add key="SmtpPassword" value="{password(r)}" />', CONFIG),
        (f'    <add key="ApiSecret" value="{rs(r, ALNUM, 32)}" />', CONFIG),
        ('    <add key="PageSize" value="50" />', None),
        ('    <add key="AdminPassword" value="" />', None),
        ("  </appSettings>", None),
        ("  <connectionStrings>", None),
        (
            '    <add name="Main" connectionString="Server=sql01;Database=erp;User Id=erp;'
            f'Password={password(r)};" />',
            CONFIG,
        ),
        ("  </connectionStrings>", None),
        ("</configuration>", None),
    ]


def nuget_config(r: random.Random) -> list[Line]:
    return [
        ('<?xml version="1.0" encoding="utf-8"?>', None),
        ("<configuration>", None),
        ("  <packageSources>", None),
        ('    <add key="corp" value="https://nuget.corp.test/v3/index.json" />', None),
        ("  </packageSources>", None),
        ("  <packageSourceCredentials>", None),
        ("    <corp>", None),
        ('      <add key="Username" value="builder" />', None),
        (f'      <add key="ClearTextPassword" value="{password(r)}" />', CONFIG),
        ("    </corp>", None),
        ("  </packageSourceCredentials>", None),
        ("  <apikeys>", None),
        (f'    <add key="https://www.nuget.org" value="{nuget(r)}" />', PROVIDER),
        ("  </apikeys>", None),
        ("</configuration>", None),
    ]


def filezilla(r: random.Random) -> list[Line]:
    return [
        ('<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>', None),
        ('<FileZilla3 version="3.66.4" platform="windows">', None),
        ("  <Servers>", None),
        ("    <Server>", None),
        ("      <Host>ftp.customer.test</Host>", None),
        ("      <Port>21</Port>", None),
        ("      <Protocol>0</Protocol>", None),
        ("      <User>webmaster</User>", None),
        (f'      <Pass encoding="base64">{b64(password(r))}</Pass>', CONFIG),
        ("      <Name>customer live</Name>", None),
        ("    </Server>", None),
        ("    <Server>", None),
        ("      <Host>10.0.3.7</Host>", None),
        ("      <User>backup</User>", None),
        (f"      <Pass>{password(r)}</Pass>", CONFIG),
        ("      <Logontype>1</Logontype>", None),
        ("    </Server>", None),
        ("  </Servers>", None),
        ("</FileZilla3>", None),
    ]


def webservers_xml(r: random.Random) -> list[Line]:
    scrambled = rs(r, "dfce0123456789ab", 24)
    return [
        ('<?xml version="1.0" encoding="UTF-8"?>', None),
        ("<application>", None),
        ('  <component name="WebServers">', None),
        ('    <option name="servers">', None),
        ('      <webServer id="1b6c" name="staging" url="https://staging.test">', None),
        (
            '        <fileTransfer host="staging.test" port="22" rootFolder="/var/www" '
            f'accessType="SFTP" login="deploy" password="{scrambled}" />',
            CONFIG,
        ),
        ("      </webServer>", None),
        ("    </option>", None),
        ("  </component>", None),
        ("</application>", None),
    ]


def dockercfg(r: random.Random) -> list[Line]:
    auth = b64(f"{word(r)}:{password(r)}")
    return [
        ("{", None),
        ('  "https://index.docker.io/v1/": {', None),
        (f'    "auth": "{auth}",', ENCODED),
        ('    "email": "ci@corp.test"', None),
        ("  }", None),
        ("}", None),
    ]


def docker_config(r: random.Random) -> list[Line]:
    auth = b64(f"{word(r)}:{password(r)}")
    return [
        ("{", None),
        ('  "auths": {', None),
        (f'    "registry.corp.test": {{"auth": "{auth}"}},', ENCODED),
        ('    "ghcr.io": {}', None),
        ("  },", None),
        ('  "credsStore": "desktop",', None),
        ('  "currentContext": "default"', None),
        ("}", None),
    ]


def git_credentials(r: random.Random) -> list[Line]:
    user = urllib.parse.quote(f"{word(r)}@corp.test", safe="")
    return [
        (f"https://{user}:{password(r)}@git.corp.test", CONFIG),
        (f"https://oauth2:{gitlab_pat(r)}@gitlab.com", PROVIDER),
        (f"https://{word(r)}:{github_classic(r)}@github.com", PROVIDER),
    ]


def k8s_secret(r: random.Random) -> list[Line]:
    dcj = json.dumps({"auths": {"registry.corp.test": {"auth": b64(f"ci:{password(r)}")}}})
    return [
        ("apiVersion: v1", None),
        ("kind: Secret", None),
        ("metadata:", None),
        ("  name: app-credentials", None),
        ("  namespace: shop", None),
        ("type: Opaque", None),
        ("data:", None),
        (f"  DB_PASSWORD: {b64(password(r))}", ENCODED),
        (f"  STRIPE_KEY: {b64(stripe(r, 'sk_live'))}", ENCODED),
        (f"  LOG_LEVEL: {b64('info')}", None),
        (f"  DB_HOST: {b64('postgres.shop.svc.cluster.local')}", None),
        ("---", None),
        ("apiVersion: v1", None),
        ("kind: Secret", None),
        ("metadata:", None),
        ("  name: regcred", None),
        ("type: kubernetes.io/dockerconfigjson", None),
        ("data:", None),
        (f"  .dockerconfigjson: {b64(dcj)}", ENCODED),
    ]


def http_snippets(r: random.Random) -> list[Line]:
    return [
        ("GET /api/v2/orders HTTP/1.1", None),
        ("Host: api.shop.test", None),
        (f"Authorization: Basic {b64(word(r) + ':' + password(r))}", ENCODED),
        ("Accept: application/json", None),
        ("", None),
        ("GET /api/v2/health HTTP/1.1", None),
        ("Authorization: Basic $BASIC_AUTH", None),
    ]


def shell_history(r: random.Random) -> list[Line]:
    key = stripe(r, "sk_live")
    return [
        ("cd ~/src/shop && git pull", None),
        (
            f'curl -s -H "Authorization: Bearer {rs(r, B64URL, 40)}" https://api.shop.test/v1/me',
            CLI,
        ),
        (f'curl -H "apikey: {rs(r, ALNUM, 32)}" https://api.partner.test/rates', CLI),
        (f"curl --user {word(r)}:'{password(r)}' https://jenkins.corp.test/api/json", CLI),
        (f'curl https://api.stripe.com/v1/charges -u "{key}:"', PROVIDER),
        ('curl -H "Authorization: Bearer $TOKEN" https://api.shop.test/v1/me', None),
        ('curl -u "$JENKINS_USER:$JENKINS_TOKEN" https://jenkins.corp.test/api/json', None),
        ("curl -fsSL https://get.docker.com | sh", None),
        (f"mysql -u root -p'{password(r)}' shop < dump.sql", CONFIG),
        ("kubectl get pods -n shop", None),
        (
            "curl -X POST "
            f"'https://slack.com/api/chat.postMessage?token={slack(r, 'xoxp')}&channel=C024'",
            PROVIDER,
        ),
    ]


def dotfiles(r: random.Random) -> list[Line]:
    return [
        ("# ~/.zshrc", None),
        ('export PATH="$HOME/.local/bin:$PATH"', None),
        ("export EDITOR=vim", None),
        (f"export HOMEBREW_GITHUB_API_TOKEN={github_hex40(r)}", HEXTOK),
        (f'export JEKYLL_GITHUB_TOKEN="{github_hex40(r)}"', HEXTOK),
        (f"export GIT_COMMIT={rs(r, HEX, 40)}", None),
        (f"export NPM_TOKEN={npm(r)}", PROVIDER),
        ('export OPENAI_API_KEY="${OPENAI_API_KEY:-}"', None),
        ("alias k=kubectl", None),
        (f"export VAULT_TOKEN={vault_legacy(r)}", PROVIDER),
    ]


def hub_config(r: random.Random) -> list[Line]:
    return [
        ("github.com:", None),
        (f"- user: {word(r)}", None),
        (f"  oauth_token: {github_hex40(r)}", HEXTOK),
        ("  protocol: https", None),
    ]


def api_yaml(r: random.Random) -> list[Line]:
    return [
        ("service:", None),
        ("  name: rates", None),
        (f"  api_key: {rs(r, HEX, 32)}", HEXTOK),
        (f"  checksum: {rs(r, HEX, 32)}", None),
        ("  timeout: 30", None),
        (f"  build_sha: {rs(r, HEX, 40)}", None),
    ]


def heroku_json(r: random.Random) -> list[Line]:
    return [
        ("{", None),
        (f'  "api_key": "{rs(r, HEX, 32)}",', HEXTOK),
        ('  "app": "shop-prod",', None),
        (
            f'  "release_id": "{uuid4(r)}"',
            None,
        ),
        ("}", None),
    ]


def master_key(r: random.Random) -> list[Line]:
    return [(rs(r, HEX, 32), HEXTOK)]


def python_app(r: random.Random) -> list[Line]:
    return [
        ("import ftplib", None),
        ("import os", None),
        ("", None),
        ("def upload(path):", None),
        ("    conn = ftplib.FTP('ftp.partner.test')", None),
        (f"    conn.login('{word(r)}', '{password(r)}')", CONFIG),
        ("    with open(path, 'rb') as fh:", None),
        ("        conn.storbinary('STOR ' + os.path.basename(path), fh)", None),
        ("", None),
        ("def upload_safe(path, user, pw):", None),
        ("    conn = ftplib.FTP('ftp.partner.test')", None),
        ("    conn.login(user, os.environ['FTP_PASSWORD'])", None),
        (
            'SLACK_WEBHOOK = "https://hooks.slack.com/services/'
            f'T{rs(r, UPNUM, 8)}/B{rs(r, UPNUM, 10)}/{rs(r, ALNUM, 24)}"',
            PROVIDER,
        ),
        (f'SENDGRID_API_KEY = "{sendgrid(r)}"', PROVIDER),
        ('OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")', None),
    ]


def node_config(r: random.Random) -> list[Line]:
    return [
        ("module.exports = {", None),
        ("  port: process.env.PORT || 3000,", None),
        (f"  stripeKey: '{stripe(r, 'rk_live')}',", PROVIDER),
        (f"  slackToken: '{slack(r, 'xoxb')}',", PROVIDER),
        ("  sessionSecret: process.env.SESSION_SECRET,", None),
        (f"  sourcegraphToken: '{sourcegraph(r)}',", PROVIDER),
        (f"  jwt: '{jwt(r)}',", PROVIDER),
        ("  placeholderKey: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',", None),
        ("};", None),
    ]


def env_file(r: random.Random) -> list[Line]:
    ak, sk = aws_pair(r)
    return [
        ("APP_ENV=production", None),
        (f"AWS_ACCESS_KEY_ID={ak}", PROVIDER),
        (f"AWS_SECRET_ACCESS_KEY={sk}", PROVIDER),
        ("AWS_REGION=eu-west-1", None),
        (f"FACEBOOK_APP_TOKEN={facebook_app(r)}", PROVIDER),
        (f"FB_ACCESS_TOKEN={facebook_user(r)}", PROVIDER),
        (f"FLY_API_TOKEN={fly(r)}", PROVIDER),
        (f"OP_SERVICE_ACCOUNT_TOKEN={onepassword(r)}", PROVIDER),
        (f"FT_CLIENT_SECRET={intra42(r)}", PROVIDER),
        (f"CLOUDFLARE_API_TOKEN={cloudflare_token(r)}", PROVIDER),
        (f"POSTHOG_PERSONAL_API_KEY={posthog_personal(r)}", PROVIDER),
        (f"TOGETHER_API_KEY={together(r)}", PROVIDER),
        (f"SUMO_ACCESS_ID=su{rs(r, ALNUM, 12)}", PROVIDER),
        (f"SUMO_ACCESS_KEY={rs(r, ALNUM, 64)}", PROVIDER),
        (
            f"SLACK_APP_TOKEN=xoxa-2-{rs(r, DIGITS, 12)}-{rs(r, DIGITS, 13)}-{rs(r, HEX, 32)}",
            PROVIDER,
        ),
        (f"OPENAI_API_KEY={openai(r)}", PROVIDER),
        ("GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", None),
        ("GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx", None),
        ("AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX", None),
        (
            "VAULT_TOKEN=hvs.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            None,
        ),
        ("DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app", None),
        ("SENTRY_DSN=", None),
    ]


def bundler_config(r: random.Random) -> list[Line]:
    return [
        ("---", None),
        ('BUNDLE_PATH: "vendor/bundle"', None),
        (f'BUNDLE_ENTERPRISE__CONTRIBSYS__COM: "{rs(r, HEX, 8)}:{rs(r, HEX, 8)}"', PROVIDER),
        (f'BUNDLE_GEMS__CORP__TEST: "{word(r)}:{password(r)}"', CONFIG),
        ('BUNDLE_JOBS: "4"', None),
    ]


def spring_props(r: random.Random) -> list[Line]:
    return [
        ("server.port=8080", None),
        ("spring.datasource.url=jdbc:postgresql://db:5432/orders", None),
        ("spring.datasource.username=orders", None),
        (f"spring.datasource.password={password(r)}", CONFIG),
        ("spring.mail.password=${MAIL_PASSWORD}", None),
        ("spring.jpa.hibernate.ddl-auto=validate", None),
    ]


def gha_workflow(r: random.Random) -> list[Line]:
    return [
        ("name: deploy", None),
        ("on: [push]", None),
        ("jobs:", None),
        ("  deploy:", None),
        ("    runs-on: ubuntu-latest", None),
        ("    env:", None),
        ("      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}", None),
        (f"      NETLIFY_AUTH_TOKEN: nfp_{rs(r, ALNUM, 36)}", PROVIDER),
        ("    steps:", None),
        (f"      - uses: actions/checkout@{rs(r, HEX, 40)}", None),
        ("      - run: npm ci && npm run build", None),
        (
            f"      - run: curl -H 'Authorization: Bearer {github_classic(r, 'ghs')}' https://api.github.com/repos/o/r/dispatches",
            PROVIDER,
        ),
    ]


def notebook(r: random.Random) -> list[Line]:
    src = ["import openai\\n", f'openai.api_key = \\"{openai(r)}\\"\\n']
    return [
        ("{", None),
        (' "cells": [', None),
        ("  {", None),
        ('   "cell_type": "code",', None),
        ('   "execution_count": 1,', None),
        ('   "metadata": {},', None),
        ('   "source": [', None),
        (f'    "{src[0]}",', None),
        (f'    "{src[1]}"', PROVIDER),
        ("   ]", None),
        ("  }", None),
        (" ],", None),
        (' "nbformat": 4,', None),
        (' "nbformat_minor": 5', None),
        ("}", None),
    ]


def jwk(r: random.Random) -> list[Line]:
    f = lambda n: rs(r, B64URL, n)  # noqa: E731
    return [
        ("{", None),
        ('  "kty": "RSA",', None),
        ('  "kid": "signing-2024",', None),
        ('  "use": "sig",', None),
        (f'  "n": "{f(342)}",', None),
        ('  "e": "AQAB",', None),
        (f'  "d": "{f(342)}",', KEYS),
        (f'  "p": "{f(171)}",', None),  # the same key as "d": one finding
        (f'  "q": "{f(171)}"', None),
        ("}", None),
    ]


def pem_file(r: random.Random) -> list[Line]:
    lines = pem(r)
    return [(lines[0], KEYS), *[(x, None) for x in lines[1:]]]


def url_creds(r: random.Random) -> list[Line]:
    return [
        ('[remote "origin"]', None),
        (f"\turl = https://{'admin'}:{'admin'}@git.corp.test/shop/backend.git", CONFIG),
        ("\tfetch = +refs/heads/*:refs/remotes/origin/*", None),
        ('[remote "docs"]', None),
        ("\turl = https://git.corp.test/shop/docs.git", None),
        (
            f"\turl = https://{word(r)}:{urllib.parse.quote(password(r))}@git.corp.test/x.git",
            CONFIG,
        ),
    ]


def docs_readme(r: random.Random) -> list[Line]:
    return [
        ("# Configuration", None),
        ("Set `AWS_ACCESS_KEY_ID` to your key, e.g. `AKIAIOSFODNN7EXAMPLE`.", None),
        ("```", None),
        ("export GITHUB_TOKEN=<your-token>", None),
        ("export STRIPE_KEY=sk_live_...", None),
        ('curl -H "Authorization: Bearer YOUR_TOKEN" https://api.shop.test', None),
        ("```", None),
        (f"The integrity hash is sha512-{rs(r, B64, 86)}==.", None),
        (
            f"Request id: {uuid4(r)}",
            None,
        ),
    ]


# -- session 5: more kinds of real-looking files ----------------------------------------------


def wireguard_key(r: random.Random) -> str:
    """A Curve25519 private key as wg genkey prints it (32 random bytes, clamped)."""
    raw = bytearray(r.getrandbits(8) for _ in range(32))
    raw[0] &= 248
    raw[31] = (raw[31] & 127) | 64
    return base64.b64encode(bytes(raw)).decode()


def netrc(r: random.Random) -> list[Line]:
    return [
        ("machine api.heroku.com", None),
        (f"  login {word(r)}@corp.test", None),
        (f"  password {uuid4(r)}", CONFIG),
        (f"machine github.com login {word(r)} password {github_classic(r)}", PROVIDER),
        (f"machine ftp.partner.test login upload password {password(r)}", CONFIG),
        ("machine mirror.test login anonymous password", None),
        ("default login anonymous", None),
    ]


def rails_database_yml(r: random.Random) -> list[Line]:
    return [
        ("default: &default", None),
        ("  adapter: postgresql", None),
        ('  pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>', None),
        ("development:", None),
        ("  <<: *default", None),
        ("  database: shop_development", None),
        ("  password:", None),
        ("production:", None),
        ("  <<: *default", None),
        ("  database: shop_production", None),
        ("  username: shop", None),
        (f"  password: {password(r)}", CONFIG),
        ("staging:", None),
        ("  <<: *default", None),
        ('  password: <%= ENV["SHOP_DATABASE_PASSWORD"] %>', None),
    ]


def rails_credentials(r: random.Random) -> list[Line]:
    ak, sk = aws_pair(r)
    return [
        ("# rails credentials:show > tmp/creds.yml (never commit this)", None),
        ("aws:", None),
        (f"  access_key_id: {ak}", PROVIDER),
        (f"  secret_access_key: {sk}", PROVIDER),
        ("  region: eu-central-1", None),
        (f"secret_key_base: {rs(r, HEX, 128)}", HEXTOK),
        ("stripe:", None),
        (f"  secret_key: {stripe(r, 'sk_live')}", PROVIDER),
        ("  publishable_key: pk_live_" + rs(r, ALNUM, 24), None),
    ]


def pgpass(r: random.Random) -> list[Line]:
    return [
        (f"db.prod.corp.test:5432:orders:orders:{password(r)}", CONFIG),
        (f"*:*:*:replicator:{password(r)}", CONFIG),
        ("# localhost:5432:*:postgres:", None),
    ]


def my_cnf(r: random.Random) -> list[Line]:
    return [
        ("[client]", None),
        ("user=backup", None),
        (f"password={password(r)}", CONFIG),
        ("host=db01.corp.test", None),
        ("[mysqldump]", None),
        ("quick", None),
        ("max_allowed_packet=64M", None),
    ]


def npmrc(r: random.Random) -> list[Line]:
    return [
        ("registry=https://registry.npmjs.org/", None),
        (f"//registry.npmjs.org/:_authToken={npm(r)}", PROVIDER),
        ("@corp:registry=https://npm.corp.test/", None),
        (f"//npm.corp.test/:_auth={b64(word(r) + ':' + password(r))}", ENCODED),
        ("//npm.pkg.github.com/:_authToken=${GITHUB_TOKEN}", None),
        ("save-exact=true", None),
    ]


def aws_credentials(r: random.Random) -> list[Line]:
    ak, sk = aws_pair(r)
    sess = "IQoJb3JpZ2luX2VjE" + rs(r, B64, 300)
    return [
        ("[default]", None),
        (f"aws_access_key_id = {ak}", PROVIDER),
        (f"aws_secret_access_key = {sk}", PROVIDER),
        ("region = eu-west-1", None),
        ("[sso-dev]", None),
        ("sso_start_url = https://corp.awsapps.com/start", None),
        ("sso_account_id = 123456789012", None),
        ("[temp]", None),
        (f"aws_session_token = {sess}", PROVIDER),
        ("[example]", None),
        ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", None),
    ]


def tfvars(r: random.Random) -> list[Line]:
    return [
        ('region         = "eu-west-1"', None),
        ('instance_type  = "t3.medium"', None),
        (f'db_password    = "{password(r)}"', CONFIG),
        (f'datadog_api_key = "{rs(r, HEX, 32)}"', HEXTOK),
        ("admin_password = var.admin_password", None),
        (f'ami            = "ami-{rs(r, HEX, 17)}"', None),
        (f'kms_key_id     = "{uuid4(r)}"', None),
    ]


def ansible_vars(r: random.Random) -> list[Line]:
    return [
        ("---", None),
        ("app_user: deploy", None),
        (f"ansible_become_pass: {password(r)}", CONFIG),
        (f'mysql_root_password: "{password(r)}"', CONFIG),
        ('smtp_password: "{{ vault_smtp_password }}"', None),
        ("vault_api_key: !vault |", None),
        ("  $ANSIBLE_VAULT;1.1;AES256", None),
        ("  " + rs(r, "0123456789", 64), None),
        ("  " + rs(r, "0123456789", 64), None),
        ("nginx_worker_processes: 4", None),
    ]


def django_settings(r: random.Random) -> list[Line]:
    key = "django-insecure-" + rs(r, LOWER_ALNUM + "!@#$%^&*(-_=+)", 50)
    return [
        ("from pathlib import Path", None),
        ("import os", None),
        ("BASE_DIR = Path(__file__).resolve().parent.parent", None),
        ("# SECURITY WARNING: keep the secret key used in production secret!", None),
        (f"SECRET_KEY = '{key}'", CONFIG),
        ("DEBUG = False", None),
        ('EMAIL_HOST = "smtp.corp.test"', None),
        ('EMAIL_HOST_USER = "noreply@corp.test"', None),
        (f'EMAIL_HOST_PASSWORD = "{password(r)}"', CONFIG),
        ('DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]', None),
        ('AUTH_PASSWORD_VALIDATORS = [{"NAME": "UserAttributeSimilarityValidator"}]', None),
    ]


def appsettings_json(r: random.Random) -> list[Line]:
    return [
        ("{", None),
        ('  "Logging": { "LogLevel": { "Default": "Information" } },', None),
        ('  "ConnectionStrings": {', None),
        (
            '    "Default": "Server=tcp:sql.corp.test,1433;Database=crm;User ID=crm;'
            f'Password={password(r)};"',
            CONFIG,
        ),
        ("  },", None),
        ('  "Jwt": {', None),
        (f'    "Secret": "{rs(r, ALNUM, 48)}",', CONFIG),
        ('    "Issuer": "crm.corp.test"', None),
        ("  },", None),
        ('  "AllowedHosts": "*"', None),
        ("}", None),
    ]


def router_cfg(r: random.Random) -> list[Line]:
    t7 = "0" + str(r.randint(0, 9)) + rs(r, "0123456789ABCDEF", 18)
    return [
        ("hostname edge-rtr-01", None),
        (f"enable secret 9 $9${rs(r, CRYPT, 14)}${rs(r, CRYPT, 43)}", HASHES),
        (f"username netops privilege 15 password 7 {t7}", CONFIG),
        ("username monitor privilege 1 secret 9 $9$", None),
        ("interface GigabitEthernet0/0", None),
        (" ip address 192.0.2.1 255.255.255.0", None),
        ("line vty 0 4", None),
        (" transport input ssh", None),
    ]


def wg_conf(r: random.Random) -> list[Line]:
    return [
        ("[Interface]", None),
        ("Address = 10.8.0.2/24", None),
        (f"PrivateKey = {wireguard_key(r)}", KEYS),
        ("DNS = 10.8.0.1", None),
        ("[Peer]", None),
        (f"PublicKey = {wireguard_key(r)}", None),
        ("Endpoint = vpn.corp.test:51820", None),
        ("AllowedIPs = 0.0.0.0/0", None),
    ]


def compose_yml(r: random.Random) -> list[Line]:
    return [
        ("services:", None),
        ("  db:", None),
        ("    image: postgres:16", None),
        ("    environment:", None),
        (f"      POSTGRES_PASSWORD: {password(r)}", CONFIG),
        ("      POSTGRES_USER: shop", None),
        ("  cache:", None),
        ("    image: redis:7", None),
        (f'    command: redis-server --requirepass "{password(r)}"', CONFIG),
        ("  app:", None),
        ("    environment:", None),
        ("      - DATABASE_PASSWORD=${POSTGRES_PASSWORD}", None),
        (f"      - MYSQL_ROOT_PASSWORD={password(r)}", CONFIG),
    ]


def gitlab_ci(r: random.Random) -> list[Line]:
    return [
        ("stages: [build, deploy]", None),
        ("variables:", None),
        ("  DOCKER_DRIVER: overlay2", None),
        (f"  SONAR_TOKEN: squ_{rs(r, HEX, 40)}", PROVIDER),
        ("deploy:", None),
        ("  stage: deploy", None),
        ("  script:", None),
        (f"    - docker login -u ci -p '{password(r)}' registry.corp.test", CONFIG),
        ('    - docker login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" $CI_REGISTRY', None),
        (
            f"    - curl --header 'PRIVATE-TOKEN: {gitlab_pat(r)}' https://gitlab.com/api/v4/projects",
            PROVIDER,
        ),
    ]


def go_main(r: random.Random) -> list[Line]:
    return [
        ("package main", None),
        ('import "database/sql"', None),
        ("func open() (*sql.DB, error) {", None),
        (
            f'\treturn sql.Open("postgres", "postgres://orders:{password(r)}@db.corp.test:5432/orders")',
            CONFIG,
        ),
        ("}", None),
        ("func openSafe(pw string) (*sql.DB, error) {", None),
        (
            '\treturn sql.Open("postgres", "postgres://orders:"+pw+"@db.corp.test:5432/orders")',
            None,
        ),
        ("}", None),
        (f'const githubToken = "{github_classic(r)}"', PROVIDER),
    ]


def s3cfg(r: random.Random) -> list[Line]:
    ak, sk = aws_pair(r)
    return [
        ("[default]", None),
        (f"access_key = {ak}", PROVIDER),
        (f"secret_key = {sk}", PROVIDER),
        ("host_base = s3.amazonaws.com", None),
        ("use_https = True", None),
    ]


def weak_password(r: random.Random) -> str:
    """A password a person typed in a hurry (a word and a number)."""
    return r.choice(["hunter", "dragon", "welcome", "letmein", "monkey", "shadow"]) + rs(
        r, string.digits, r.randint(2, 3)
    )


def nss_field(r: random.Random) -> str:
    """A field of Firefox's logins.json: DER(key id, 3DES-CBC + IV, ciphertext), base64."""
    key_id = bytes([0x04, 0x10, 0xF8]) + bytes(14) + bytes([0x01])
    oid = bytes.fromhex("06082a864886f70d0307")
    algo = bytes([0x30, len(oid) + 10]) + oid + bytes([0x04, 0x08]) + r.randbytes(8)
    body = r.randbytes(r.choice([8, 16, 32]))
    inner = key_id + algo + bytes([0x04, len(body)]) + body
    return base64.b64encode(bytes([0x30, len(inner)]) + inner).decode()


def firefox_logins(r: random.Random) -> list[Line]:
    out: list[Line] = [("{", None), ('  "nextId": 4,', None), ('  "logins": [', None)]
    for i, host in enumerate(("https://git.corp.test", "https://mail.corp.test"), 1):
        out += [
            ("    {", None),
            (f'      "id": {i},', None),
            (f'      "hostname": "{host}",', None),
            ('      "formSubmitURL": "",', None),
            ('      "usernameField": "user",', None),
            ('      "passwordField": "password",', None),
            (f'      "encryptedUsername": "{nss_field(r)}",', CONFIG),
            (f'      "encryptedPassword": "{nss_field(r)}",', CONFIG),
            (f'      "guid": "{{{uuid4(r)}}}",', None),
            ('      "encType": 1,', None),
            (f'      "timeCreated": {1733000000000 + r.randint(0, 10**9)},', None),
            ("    }" + ("," if i == 1 else ""), None),
        ]
    return [*out, ("  ],", None), ('  "version": 3', None), ("}", None)]


def mail_rc(r: random.Random) -> list[Line]:
    return [
        ("# ~/.msmtprc", None),
        ("defaults", None),
        ("auth on", None),
        ("tls on", None),
        ("account work", None),
        ("host smtp.corp.test", None),
        (f"user {word(r)}@corp.test", None),
        (f"password {password(r)}", CONFIG),
        ("account home", None),
        ("host smtp.mail.test", None),
        ('passwordeval "pass show mail/home"', None),
        ("account backup", None),
        (f'password "{weak_password(r)}"', CONFIG),
        ("account default : work", None),
    ]


def putty_key(r: random.Random) -> list[Line]:
    pub = [rs(r, B64, 64) for _ in range(5)] + [rs(r, B64, 20) + "=="]
    priv = [rs(r, B64, 64) for _ in range(13)] + [rs(r, B64, 40)]
    return [
        ("PuTTY-User-Key-File-2: ssh-rsa", None),
        ("Encryption: none", None),
        ("Comment: imported-openssh-key", None),
        ("Public-Lines: 6", None),
        *[(x, None) for x in pub],
        ("Private-Lines: 14", None),
        (priv[0], KEYS),
        *[(x, None) for x in priv[1:]],
        (f"Private-MAC: {rs(r, HEX, 40)}", None),
    ]


def editor_sftp(r: random.Random) -> list[Line]:
    """An editor's deployment settings (the SFTP/FTP sync plug-ins keep these in the repo)."""
    return [
        ("{", None),
        ('    "type": "sftp",', None),
        ('    "upload_on_save": true,', None),
        ('    "host": "www.shop.test",', None),
        ('    "user": "deploy",', None),
        (f'    "password": "{password(r)}",', CONFIG),
        ('    "port": "22",', None),
        ('    "remote_path": "/srv/www/shop/",', None),
        (f'    "passphrase": "{weak_password(r)}",', CONFIG),
        ('    "ssh_key_file": "~/.ssh/id_ed25519",', None),
        ('    "ignore_regexes": ["\\\\.git/", "node_modules/"],', None),
        ('    "connect_timeout": 30', None),
        ("}", None),
    ]


def robo3t(r: random.Random) -> list[Line]:
    return [
        ("{", None),
        ('    "connections" : [', None),
        ("     {", None),
        ('      "connectionName" : "orders-prod",', None),
        ('      "credentials" : [', None),
        ("       {", None),
        ('        "databaseName" : "orders",', None),
        ('        "userName" : "orders_ro",', None),
        (f'        "userPassword" : "{password(r)}"', CONFIG),
        ("       }", None),
        ("      ],", None),
        ('      "serverHost" : "mongo-1.corp.test",', None),
        ('      "sshHost" : "bastion.corp.test",', None),
        ('      "sshUserName" : "ops",', None),
        (f'      "sshUserPassword" : "{password(r)}",', CONFIG),
        ('      "sshPrivateKey" : "",', None),
        ('      "sslEnabled" : true', None),
        ("     }", None),
        ("    ],", None),
        ('    "version" : "1.4"', None),
        ("}", None),
    ]


def mongoid_yml(r: random.Random) -> list[Line]:
    return [
        ("production:", None),
        ("  clients:", None),
        ("    default:", None),
        (
            f'      uri: "mongodb+srv://shop:{password(r)}@cluster0.ab1cd.mongodb.net/shop"',
            CONFIG,
        ),
        ("      options:", None),
        ("        server_selection_timeout: 5", None),
        ("development:", None),
        ("  clients:", None),
        ("    default:", None),
        ('      uri: "mongodb://localhost:27017/shop_dev"', None),
        ("test:", None),
        ("  clients:", None),
        ("    default:", None),
        ("      uri: <%= ENV['MONGODB_URI'] %>", None),
    ]


def laravel_env(r: random.Random) -> list[Line]:
    return [
        ("APP_NAME=Shop", None),
        ("APP_ENV=production", None),
        (f"APP_KEY=base64:{b64(rs(r, ALNUM, 32))}", CONFIG),
        ("APP_DEBUG=false", None),
        ("DB_CONNECTION=mysql", None),
        ("DB_HOST=127.0.0.1", None),
        ("DB_USERNAME=shop", None),
        (f"DB_PASSWORD={weak_password(r)}", CONFIG),
        ("REDIS_PASSWORD=null", None),
        ("MAIL_MAILER=smtp", None),
        (f"MAIL_PASSWORD={password(r)}", CONFIG),
        ('MAIL_FROM_ADDRESS="shop@corp.test"', None),
        ("PUSHER_APP_SECRET=", None),
    ]


def php_config(r: random.Random) -> list[Line]:
    return [
        ("<?php", None),
        ("$dbms = 'mysql';", None),
        ("$dbhost = 'db.corp.test';", None),
        ("$dbname = 'forum';", None),
        ("$dbuser = 'forum';", None),
        (f"$dbpasswd = '{password(r)}';", CONFIG),
        ("$table_prefix = 'phpbb_';", None),
        ("$acm_type = 'phpbb\\cache\\driver\\file';", None),
        ("@define('PHPBB_INSTALLED', true);", None),
    ]


def tugboat(r: random.Random) -> list[Line]:
    return [
        ("---", None),
        ("authentication:", None),
        (f"  access_token: {rs(r, HEX, 64)}", HEXTOK),
        ("ssh:", None),
        ("  ssh_user: root", None),
        ("  ssh_key_path: ~/.ssh/id_rsa", None),
        ("  ssh_port: '22'", None),
        ("defaults:", None),
        ("  region: ams3", None),
        ("  image: ubuntu-24-04-x64", None),
        ("  size: s-1vcpu-1gb", None),
    ]


def htpasswd(r: random.Random) -> list[Line]:
    return [
        (f"admin:$apr1${rs(r, CRYPT, 8)}${rs(r, CRYPT, 22)}", HASHES),
        (f"{word(r)}:{bcrypt(r)}", HASHES),
        (f"ci:{{SHA}}{b64(rs(r, ALNUM, 20))[:28]}", HASHES),
    ]


def dbeaver_sources(r: random.Random) -> list[Line]:
    return [
        ('<?xml version="1.0" encoding="UTF-8"?>', None),
        ("<data-sources>", None),
        (
            '\t<data-source id="postgres-jdbc-18c" provider="postgresql" driver="postgres-jdbc"'
            ' name="orders" save-password="true">',
            None,
        ),
        (
            '\t\t<connection host="db.corp.test" port="5432" database="orders" user="orders"'
            f' password="{password(r)}"/>',
            CONFIG,
        ),
        ("\t</data-source>", None),
        ('\t<data-source id="sqlite-1" provider="generic" name="local">', None),
        ('\t\t<connection database="/tmp/local.db"/>', None),
        ("\t</data-source>", None),
        ("</data-sources>", None),
    ]


def js_login(r: random.Random) -> list[Line]:
    return [
        ("const jsforce = require('jsforce');", None),
        ("", None),
        ("async function query(soql) {", None),
        (
            "  const conn = new jsforce.Connection({ loginUrl: 'https://login.salesforce.com' });",
            None,
        ),
        (f"  await conn.login('integration@corp.test', '{password(r)}');", CONFIG),
        ("  return conn.query(soql);", None),
        ("}", None),
        ("", None),
        ("async function queryFromEnv(soql) {", None),
        ("  const conn = new jsforce.Connection();", None),
        ("  await conn.login(process.env.SF_USER, process.env.SF_PASSWORD);", None),
        ("  return conn.query(soql);", None),
        ("}", None),
    ]


def pypirc(r: random.Random) -> list[Line]:
    return [
        ("[distutils]", None),
        ("index-servers =", None),
        ("    pypi", None),
        ("    internal", None),
        ("", None),
        ("[pypi]", None),
        ("username = __token__", None),
        ("password = pypi-AgEIcHlwaS5vcmcC" + rs(r, B64URL, 120), PROVIDER),
        ("", None),
        ("[internal]", None),
        ("repository = https://pypi.corp.test/", None),
        ("username = deploy", None),
        (f"password = {password(r)}", CONFIG),
    ]


def maven_settings(r: random.Random) -> list[Line]:
    return [
        ("<settings>", None),
        ("  <servers>", None),
        ("    <server>", None),
        ("      <id>corp-releases</id>", None),
        ("      <username>deploy</username>", None),
        (f"      <password>{password(r)}</password>", CONFIG),
        ("    </server>", None),
        ("    <server>", None),
        ("      <id>corp-snapshots</id>", None),
        ("      <username>${env.NEXUS_USER}</username>", None),
        ("      <password>${env.NEXUS_PASSWORD}</password>", None),
        ("    </server>", None),
        ("  </servers>", None),
        ("</settings>", None),
    ]


def composer_auth(r: random.Random) -> list[Line]:
    return [
        ("{", None),
        ('    "http-basic": {', None),
        ('        "repo.packagist.com": {', None),
        ('            "username": "token",', None),
        (f'            "password": "{rs(r, HEX, 40)}"', HEXTOK),
        ("        }", None),
        ("    },", None),
        ('    "github-oauth": {', None),
        (f'        "github.com": "{github_classic(r, "gho")}"', PROVIDER),
        ("    }", None),
        ("}", None),
    ]


def wpa_supplicant(r: random.Random) -> list[Line]:
    return [
        ("ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev", None),
        ("update_config=1", None),
        ("country=DE", None),
        ("network={", None),
        ('    ssid="shop-office"', None),
        (f'    psk="{password(r)}"', CONFIG),
        ("    key_mgmt=WPA-PSK", None),
        ("}", None),
        ("network={", None),
        ('    ssid="corp-8021x"', None),
        ("    key_mgmt=WPA-EAP", None),
        ('    identity="ops@corp.test"', None),
        ('    ca_cert="/etc/ssl/certs/corp-ca.pem"', None),
        ("}", None),
    ]


def fstab(r: random.Random) -> list[Line]:
    return [
        ("# <file system> <mount point> <type> <options> <dump> <pass>", None),
        ("UUID=" + uuid4(r) + " /               ext4    errors=remount-ro 0       1", None),
        ("UUID=" + uuid4(r) + " none            swap    sw              0       0", None),
        (
            f"//nas.corp.test/backup /mnt/backup cifs username=backup,password={password(r)},"
            "uid=1000,vers=3.0 0 0",
            CONFIG,
        ),
        ("//nas.corp.test/media /mnt/media cifs credentials=/root/.smbcred,uid=1000 0 0", None),
        ("tmpfs /tmp tmpfs defaults,noatime,size=2G 0 0", None),
    ]


def dockerfile(r: random.Random) -> list[Line]:
    return [
        ("FROM node:20-alpine AS build", None),
        ("WORKDIR /app", None),
        (f"ARG NPM_TOKEN={npm(r)}", PROVIDER),
        ('RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci', None),
        ("COPY . .", None),
        ("FROM node:20-alpine", None),
        ("ENV NODE_ENV=production", None),
        (f"ENV DB_PASSWORD={password(r)}", CONFIG),
        ("ENV DB_PASSWORD_FILE=/run/secrets/db_password", None),
        ("ARG SENTRY_AUTH_TOKEN", None),
        ('CMD ["node", "server.js"]', None),
    ]


def ops_script(r: random.Random) -> list[Line]:
    return [
        ("#!/usr/bin/env bash", None),
        ("set -euo pipefail", None),
        (f"docker run -d --name pg -e POSTGRES_PASSWORD={password(r)} postgres:16", CLI),
        ('docker run -d --name cache -e REDIS_PASSWORD="$REDIS_PASSWORD" redis:7', None),
        (f"docker login -u ci -p '{password(r)}' registry.corp.test", CLI),
        ('echo "$CI_REGISTRY_PASSWORD" | docker login -u ci --password-stdin registry', None),
        (f"sshpass -p '{password(r)}' rsync -a dist/ deploy@web1.corp.test:/srv/www/", CLI),
        (f"mysql -h db.corp.test -u shop -p'{password(r)}' shop < migrate.sql", CLI),
        ("mysql --defaults-extra-file=/run/secrets/my.cnf shop < migrate.sql", None),
    ]


def tomcat_users(r: random.Random) -> list[Line]:
    return [
        ('<?xml version="1.0" encoding="UTF-8"?>', None),
        ('<tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">', None),
        ('  <role rolename="manager-gui"/>', None),
        (f'  <user username="admin" password="{password(r)}" roles="manager-gui"/>', CONFIG),
        (
            '  <user username="deployer" password="${tomcat.deployer.password}"'
            ' roles="manager-script"/>',
            None,
        ),
        ("</tomcat-users>", None),
    ]


def muttrc(r: random.Random) -> list[Line]:
    return [
        ('set realname = "Ops Team"', None),
        ('set from = "ops@corp.test"', None),
        ('set imap_user = "ops@corp.test"', None),
        (f'set imap_pass = "{password(r)}"', CONFIG),
        ('set smtp_url = "smtps://ops@corp.test@smtp.corp.test:465/"', None),
        ('set smtp_pass = "`pass show mail/ops`"', None),
        ('set folder = "imaps://imap.corp.test:993"', None),
    ]


def odbc_ini(r: random.Random) -> list[Line]:
    return [
        ("[shop]", None),
        ("Driver = PostgreSQL Unicode", None),
        ("Servername = db.corp.test", None),
        ("Port = 5432", None),
        ("Database = shop", None),
        ("UserName = report", None),
        (f"Password = {password(r)}", CONFIG),
        ("[local]", None),
        ("Driver = SQLite3", None),
        ("Database = /var/lib/app/local.db", None),
    ]


def ansible_inventory(r: random.Random) -> list[Line]:
    return [
        ("[web]", None),
        (f"web1.corp.test ansible_user=deploy ansible_password={password(r)}", CONFIG),
        ("web2.corp.test ansible_user=deploy ansible_ssh_private_key_file=~/.ssh/deploy", None),
        ("[db]", None),
        (f"db1.corp.test ansible_become_pass={password(r)}", CONFIG),
        ("[all:vars]", None),
        ("ansible_python_interpreter=/usr/bin/python3", None),
    ]


DOCS: dict[str, Doc] = {
    "db/dump.sql": sql_dump,
    "etc/shadow": shadow,
    "etc/proftpd/ftpd.passwd": proftpd,
    "wordpress/wp-config.php": wp_config,
    "dotnet/web.config": web_config,
    "dotnet/nuget.config": nuget_config,
    "filezilla/sitemanager.xml": filezilla,
    ".idea/WebServers.xml": webservers_xml,
    "home/.dockercfg": dockercfg,
    "home/.docker/config.json": docker_config,
    "home/.git-credentials": git_credentials,
    "k8s/secret.yaml": k8s_secret,
    "http/requests.http": http_snippets,
    "home/.bash_history": shell_history,
    "home/.zshrc": dotfiles,
    "home/.config/hub": hub_config,
    "config/api.yml": api_yaml,
    "heroku.json": heroku_json,
    "config/master.key": master_key,
    "app/ftp_upload.py": python_app,
    "web/config.js": node_config,
    "deploy/.env": env_file,
    ".bundle/config": bundler_config,
    "src/main/resources/application.properties": spring_props,
    ".github/workflows/deploy.yml": gha_workflow,
    "notebooks/explore.ipynb": notebook,
    "keys/jwk.json": jwk,
    "keys/server.key": pem_file,
    "mirror/shop.git/config": url_creds,
    "docs/README.md": docs_readme,
    "home/.netrc": netrc,
    "rails/config/database.yml": rails_database_yml,
    "rails/tmp/credentials.yml": rails_credentials,
    "home/.pgpass": pgpass,
    "home/.my.cnf": my_cnf,
    "home/.npmrc": npmrc,
    "home/.aws/credentials": aws_credentials,
    "terraform/prod.tfvars": tfvars,
    "ansible/group_vars/all.yml": ansible_vars,
    "django/shop/settings.py": django_settings,
    "dotnet/appsettings.json": appsettings_json,
    "network/edge-rtr-01.cfg": router_cfg,
    "vpn/wg0.conf": wg_conf,
    "docker-compose.yml": compose_yml,
    ".gitlab-ci.yml": gitlab_ci,
    "go/cmd/orders/main.go": go_main,
    "home/.s3cfg": s3cfg,
    "home/.mozilla/firefox/x1y2.default/logins.json": firefox_logins,
    "home/.msmtprc": mail_rc,
    "keys/deploy.ppk": putty_key,
    "sftp-config.json": editor_sftp,
    "home/.3T/robo-3t/robo3t.json": robo3t,
    "rails/config/mongoid.yml": mongoid_yml,
    "laravel/.env": laravel_env,
    "forum/config.php": php_config,
    "home/.tugboat": tugboat,
    "www/.htpasswd": htpasswd,
    "home/.local/share/DBeaverData/data-sources.xml": dbeaver_sources,
    "web/salesforce.js": js_login,
    "home/.pypirc": pypirc,
    "home/.m2/settings.xml": maven_settings,
    "home/.composer/auth.json": composer_auth,
    "etc/wpa_supplicant/wpa_supplicant.conf": wpa_supplicant,
    "etc/fstab": fstab,
    "docker/Dockerfile": dockerfile,
    "ops/bootstrap.sh": ops_script,
    "tomcat/conf/tomcat-users.xml": tomcat_users,
    "home/.muttrc": muttrc,
    "etc/odbc.ini": odbc_ini,
    "ansible/inventory/hosts.ini": ansible_inventory,
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "corpus" / "independent")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--copies", type=int, default=4, help="variants of each document")
    a = ap.parse_args()
    r = random.Random(a.seed)
    files = a.out / "files"
    labels: dict[str, list[dict[str, object]]] = {}
    for copy in range(a.copies):
        for rel, doc in DOCS.items():
            path = Path(f"v{copy}") / rel
            lines = doc(r)
            (files / path).parent.mkdir(parents=True, exist_ok=True)
            (files / path).write_text("\n".join(t for t, _ in lines) + "\n")
            labels[path.as_posix()] = [
                {"line": i, "family": fam} for i, (_, fam) in enumerate(lines, 1) if fam
            ]
    (a.out / "labels.json").write_text(json.dumps({"files": labels}, indent=1, sort_keys=True))
    n = sum(len(v) for v in labels.values())
    print(f"wrote {len(labels)} files, {n} labelled lines to {a.out}")


if __name__ == "__main__":
    main()
