"""Credentials in the files people leak whole: dotfiles, credential stores, app profiles
(issue 14). Every value is built from parts at run time."""

from __future__ import annotations

import random

import pytest

from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.rules.files import _nss

RAND = "Zq8" + "mW4vT1pK9xR2" + "hN7cB5"
PW = "pass"
HEX64 = "b146211568036ba2" + "f4be3f25f27556a376a0a2bb2b9b7c84790482a0ff2488f6"
NSS = _nss(random.Random(7))
B64 = "AAAAB3Nza" + "C1yc2EAAAABJQAAAQEA" + RAND * 3
PUTTY = (
    "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: dummy-key\nPublic-Lines: 1\n"
    f"{B64}\nPrivate-Lines: 2\n{RAND * 3}\n{RAND * 2}\nPrivate-MAC: {'0f' * 20}\n"
)

#: (path, text, the rule expected on it)
VULNERABLE = [
    # a user that is an e-mail address, '@', '#' and '!' in the password, unescaped
    (
        ".git-credentials",
        f"https://ops@corp.test:{RAND[:8]}!#@4" + "98@github.com",
        "git-credentials",
    ),
    ("home/.esmtprc", f'username "ops@mail.test"\npassword "{RAND}"', "mail-client-password"),
    ("home/.msmtprc", f"account ops\npassword {RAND}", "mail-client-password"),
    # a weak password in a credential store is a real one: reported, at medium
    ("home/.esmtprc", f'password "{PW}word"', "generic-password-weak"),
    (".pgpass", f"localhost:5432:app:root:{PW}word", "generic-password-weak"),
    (".pgpass", f"db.corp.test:5432:app:app:{RAND}", "pgpass-password"),
    ("profile/logins.json", f'  "encryptedUsername": "{NSS}",', "firefox-saved-logins"),
    ("profile/logins.json", f'  "encryptedPassword": "{NSS}",', "firefox-saved-logins"),
    # the comment is the person's, the private lines are the key
    ("keys/deploy.ppk", PUTTY, "private-key-putty"),
    # s3cmd: the secret key of any length is a secret
    (".s3cfg", f"secret_key = {RAND}", "generic-secret-unquoted"),
    # words and a number in a configuration file are a password someone typed
    (
        "srv/ventrilo_srv.ini",
        "AdminPassword=Admin" + "Password123",
        "generic-password-weak-unquoted",
    ),
    # an FTP client's settings: "pass" is the password
    (".ftpconfig", '{\n  "user": "deploy",\n  "pass": "hunter' + '22"\n}', "generic-password-weak"),
    # a Wi-Fi key, an SMB mount's password, a container's environment on its command line
    ("etc/wpa_supplicant.conf", f'network={{\n  ssid="corp"\n  psk="{RAND}"\n}}', "wifi-psk"),
    ("corp.nmconnection", f"[wifi-security]\nkey-mgmt=wpa-psk\npsk={RAND}", "wifi-psk"),
    (
        "etc/fstab",
        f"//fs/share /mnt/s cifs username=ops,password={RAND},uid=0 0 0",
        "cifs-mount-password",
    ),
    ("ops/run.sh", f"docker run -d -e POSTGRES_PASSWORD={RAND} postgres:16", "docker-env-secret"),
    ("ops/run.sh", f'docker run -e "API_TOKEN={RAND}" app', "docker-env-secret"),
    ("Dockerfile", f"FROM python:3.12\nENV DB_PASSWORD={RAND}", "generic-password-unquoted"),
    # a 64-hex token under a token's own key (DigitalOcean's .tugboat, many APIs)
    ("home/.tugboat", f"authentication:\n  access_token: {HEX64}", "generic-token-unquoted"),
    # credentials in a URL's query string, plain or with escapes
    (
        "ci/smoke.sh",
        f'curl "https://api.corp.test/in?user=ci&password={RAND}%21"',
        "url-query-credential",
    ),
    ("ci/smoke.sh", f"wget https://dl.corp.test/a.tgz?access_token={RAND}", "url-query-credential"),
    (
        "ci/smoke.sh",
        f'curl "https://api.corp.test/in?user=ci&pwd={PW}word1"',
        "generic-password-weak",
    ),
    # a plain .txt file (notes, a dump) is not a README: admin:admin there is the login
    (
        "notes/servers.txt",
        "orders db: https://" + "admin:" + "admin@db.corp-prod.io/orders",
        "basic-auth-url",
    ),
    # a connection string's Password= and an XML <password>: a weak value there is the
    # database's password (session 10), reported at medium
    (
        "web/Web.config",
        '<add name="Main" connectionString="Server=db01;Database=shop;User Id=sa;Password=my'
        + PW
        + 'word;" />',
        "generic-password-weak",
    ),
    (
        "appsettings.json",
        '"Default": "Server=db;Database=app;User ID=app;Password=' + PW + 'word123;"',
        "generic-password-weak",
    ),
    (
        "conf/datasource.xml",
        f"<datasource>\n  <user>app</user>\n  <password>{PW}word</password>\n</datasource>",
        "generic-password-weak",
    ),
    # passwords in Windows commands, SQL account statements and answer files (session 10)
    (
        "ops/backup.bat",
        f"schtasks /create /tn nightly /tr b.bat /ru svc /rp {RAND}",
        "windows-schtasks-password",
    ),
    (
        "ops/map.cmd",
        f"net use Z: \\\\fs01\\share /user:CORP\\svc {RAND}",
        "windows-net-use-password",
    ),
    (
        "ops/map.cmd",
        "net use Z: \\\\fs01\\share /user:CORP\\svc P@" + "ssw0rd",
        "generic-password-weak",
    ),
    ("ops/creds.bat", f'cmdkey /add:fs01 /user:svc /pass:"{RAND}"', "windows-cmdkey-password"),
    ("db/init.sql", f"CREATE USER 'app'@'%' IDENTIFIED BY '{RAND}';", "sql-account-password"),
    # MySQL's native hash (unsalted SHA1 of SHA1: an offline-cracking target, as every hash in
    # an SQL file is since session 16; it was "not reported" here before the hashes' policy)
    (
        "db/init.sql",
        "CREATE USER 'app'@'%' IDENTIFIED BY PASSWORD '*"
        + "A4B6157319038724E3560894F7F932C8886EBFCF';",
        "password-hash-mysql-native",
    ),
    ("db/init.sql", f"CREATE LOGIN app WITH PASSWORD = '{PW}word1';", "generic-password-weak"),
    ("db/roles.sql", f"CREATE ROLE app WITH LOGIN PASSWORD '{RAND}';", "sql-account-password"),
    (
        "sysprep/unattend.xml",
        f"<AutoLogon>\n  <Password>\n    <Value>{RAND}</Value>\n  </Password>\n</AutoLogon>",
        "windows-unattend-password",
    ),
]
SAFE = [
    ("home/.esmtprc", 'password "${SMTP_PASSWORD}"', None),
    ("home/.msmtprc", 'passwordeval "pass show mail/ops"', None),
    (".pgpass", "db.corp.test:5432:app:app:<password>", None),
    (".git-credentials", "https://git.corp.test", None),
    ("profile/logins.json", '  "encryptedPassword": "",', None),
    ("keys/deploy.ppk", PUTTY.replace("Encryption: none", "Encryption: aes256-cbc"), None),
    # s3cmd's access_key is the access key id: not a secret by itself
    (".s3cfg", f"access_key = {RAND}xy", None),
    ("docs/setup.md", "git clone https://" + "admin:" + "admin@git.corp-prod.io/app", None),
    # "pass" in a program is a keyword or a filter band; a described password is no password
    ("app/filters.py", 'settings = {"pass": "bandpass2"}', None),
    ("conf/app.ini", "password=MyNewPassword", None),
    ("etc/wpa_supplicant.conf", 'network={\n  ssid="corp"\n  key_mgmt=WPA-EAP\n}', None),
    ("etc/fstab", "//fs/share /mnt/s cifs credentials=/root/.smb,uid=0 0 0", None),
    ("ops/run.sh", "docker run -d -e POSTGRES_PASSWORD=$PGPASS -e TZ=UTC postgres:16", None),
    ("ops/run.sh", "docker run -d -e POSTGRES_PASSWORD_FILE=/run/secrets/pg postgres:16", None),
    ("Dockerfile", "FROM python:3.12\nENV DB_PASSWORD=${DB_PASSWORD}\nARG NPM_TOKEN", None),
    # a digest is not a token, a template is not a credential
    ("deps.lock", f"  checksum: {HEX64}", None),
    ("home/.tugboat", "  access_token: " + "0123456789abcdef" * 4, None),
    ("web/api.js", "fetch(`https://api.corp.test/in?token=${token}`)", None),
    ("web/api.py", 'url = f"https://api.corp.test/in?password={password}&user={user}"', None),
    ("web/page.html", '<a href="/login?next=/cart&bypass=1">log in</a>', None),
    # templates in a connection string; a weak password in documentation is an example
    ("web/Web.config", 'connectionString="Server=db;User Id=sa;Password=%DB_PASSWORD%;"', None),
    ("web/Web.config", 'connectionString="Server=db;User Id=sa;Password=${DB_PASSWORD};"', None),
    ("web/Web.config", 'connectionString="Server=db;User Id=sa;Password=***;"', None),
    ("docs/setup.md", "Server=db01;Database=shop;User Id=sa;Password=change" + "me;", None),
    ("ops/backup.bat", "schtasks /create /tn nightly /tr b.bat /ru svc /rp *", None),
    ("ops/backup.bat", "schtasks /create /tn nightly /tr b.bat /ru svc /rp %SVC_PASSWORD%", None),
    ("ops/map.cmd", "net use Z: \\\\fs01\\share /user:CORP\\svc /persistent:no", None),
    (
        "db/init.sql",
        "CREATE ROLE app WITH LOGIN PASSWORD 'md5" + "3f2a9c0e7b1d4e6f8a0b2c4d6e8f0a1b';",
        None,
    ),
    (
        "sysprep/unattend.xml",
        "<Password>\n  <Value>*SENSITIVE*DATA*DELETED*</Value>\n</Password>",
        None,
    ),
    ("web/Web.config", '<machineKey validationKey="AutoGenerate,IsolateApps" />', None),
]


def _ids(engine: SecretEngine, path: str, text: str) -> list[str]:
    return [m.rule.id for m in engine.scan_text(text + "\n", path=path)]


@pytest.mark.parametrize(("path", "text", "rule"), VULNERABLE, ids=lambda v: str(v)[:30])
def test_leaked_file_credentials_are_found(
    re_engine: SecretEngine, path: str, text: str, rule: str
) -> None:
    assert "secrets/" + rule in _ids(re_engine, path, text)


@pytest.mark.parametrize(("path", "text", "rule"), SAFE, ids=lambda v: str(v)[:30])
def test_templates_and_ids_in_leaked_files_are_not_reported(
    re_engine: SecretEngine, path: str, text: str, rule: None
) -> None:
    assert _ids(re_engine, path, text) == []


def test_both_engines_agree(re_engine: SecretEngine, hs_engine: SecretEngine) -> None:
    for path, text, _ in VULNERABLE + SAFE:
        assert _ids(re_engine, path, text) == _ids(hs_engine, path, text), text


def test_weak_store_password_is_medium(re_engine: SecretEngine) -> None:
    (m,) = re_engine.scan_text(f"localhost:5432:app:root:{PW}word\n", path="home/.pgpass")
    assert m.rule.severity.value == "medium"


def test_a_mailchimp_key_is_one_finding(re_engine: SecretEngine) -> None:
    line = 'export MAILCHIMP_API_KEY="' + "38c47f19e349" + "153fa963bb3b3212fe8e-us11" + '"'
    assert _ids(re_engine, "home/.bashrc", line) == ["secrets/mailchimp-api-key"]


_S3 = random.Random(2026_12_15)


def _s3_value(charset: str, n: int) -> str:
    while True:
        v = "".join(_S3.choice(charset) for _ in range(n))
        if any(c.isdigit() for c in v) and any(c.isalpha() for c in v):
            return v


_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_HEX = "0123456789abcdef"

#: S3-compatible stores configured through the AWS names, with secrets of their own
#: lengths (Cloudflare R2 64 hex, DigitalOcean Spaces 43 base64, IBM COS HMAC 48 hex, MinIO
#: what its operator set; leaky-repo's 38 characters, session 15)
S3_COMPATIBLE = [
    (
        "home/.aws/credentials",
        f"[r2]\naws_access_key_id = {_s3_value(_HEX, 32)}\n"
        f"aws_secret_access_key = {_s3_value(_HEX, 64)}",
    ),
    ("home/.bash_profile", f"export AWS_SECRET_ACCESS_KEY={_s3_value(_ALNUM, 38)}"),
    ("deploy/.env", f"AWS_SECRET_ACCESS_KEY='{_s3_value(_ALNUM + '+/', 43)}'"),
    ("conf/storage.yaml", f"  secret_access_key: {_s3_value(_HEX, 48)}"),
    ("conf/minio.json", f'{{"awsSecretKey": "{_s3_value(_ALNUM, 30)}"}}'),
]
S3_SAFE = [
    ("home/.aws/credentials", "[minio]\naws_secret_access_key = minio" + "admin"),
    ("deploy/.env", "AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}"),
    ("home/.bash_profile", "export S3_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY"),
    ("conf/storage.yaml", "  secret_access_key: " + "0" * 38),
    ("conf/storage.yaml", "  secret_access_key: <your-secret-access-key>"),
]


@pytest.mark.parametrize(("path", "text"), S3_COMPATIBLE, ids=lambda v: str(v)[:30])
def test_an_s3_compatible_secret_under_the_aws_names_is_found(
    engine: SecretEngine, path: str, text: str
) -> None:
    assert _ids(engine, path, text) == ["secrets/s3-compatible-secret-key"]


@pytest.mark.parametrize(("path", "text"), S3_SAFE, ids=lambda v: str(v)[:30])
def test_templates_under_the_aws_names_stay_unreported(
    engine: SecretEngine, path: str, text: str
) -> None:
    assert _ids(engine, path, text) == []


def test_an_aws_shaped_secret_stays_the_aws_rule(engine: SecretEngine) -> None:
    text = f"aws_secret_access_key = {_s3_value(_ALNUM + '+/', 40)}"
    found = _ids(engine, "conf/storage.ini", text)
    assert found == ["secrets/aws-secret-access-key"]


#: files and commands of session 15's probe of what people leak: an s3fs password file (no key
#: names the secret), an lftp deploy (user and password joined by a comma), a framework key
#: under a name whose last word is not a secret word (Phoenix's ``secret_key_base``, 64
#: base64 characters; Rails' in an .env)
_PW15 = _s3_value(_ALNUM, 10) + "#" + _s3_value(_ALNUM, 3)
LEAKED_15 = [
    (
        ".passwd-s3fs",
        f"{_s3_value(_ALNUM, 20)}:{_s3_value(_ALNUM + '/+', 40)}",
        "s3fs-password-file",
    ),
    (
        "etc/passwd-s3fs",
        f"backups:{_s3_value(_ALNUM, 12)}:{_s3_value(_ALNUM, 30)}",
        "s3fs-password-file",
    ),
    (
        "deploy/ftp.sh",
        f"lftp -u deploy,{_PW15} -e 'mirror -R dist /www; quit' ftp.corp.test",
        "lftp-user-password",
    ),
    (
        ".github/workflows/deploy.yml",
        f'      - run: lftp -u "deploy,{_PW15}" sftp://host.corp.test',
        "lftp-user-password",
    ),
    ("deploy/ftp.sh", "lftp -u deploy," + "hunter" + "22 ftp.corp.test", "generic-password-weak"),
    (
        "config/prod.exs",
        f'config :app, AppWeb.Endpoint,\n  secret_key_base: "{_s3_value(_ALNUM + "+/", 64)}"',
        "rails-secret-key-base",
    ),
    (".env", f"SECRET_KEY_BASE={_s3_value(_HEX, 128)}", "rails-secret-key-base"),
    (
        "config/initializers/secret_token.rb",
        f"Rails.application.config.secret_key_base = '{_s3_value(_ALNUM, 64)}'",
        "rails-secret-key-base",
    ),
]
LEAKED_15_SAFE = [
    (".passwd-s3fs", "# ACCESS_KEY_ID:SECRET_ACCESS_KEY"),
    ("deploy/ftp.sh", 'lftp -u "$FTP_USER,$FTP_PASSWORD" -e "mirror -R dist /www" ftp.corp.test'),
    (
        ".github/workflows/deploy.yml",
        "      - run: lftp -u ${{ secrets.FTP_USER }},${{ secrets.FTP_PASS }} ftp.corp.test",
    ),
    ("config/prod.exs", '  secret_key_base: System.get_env("SECRET_KEY_BASE")'),
    ("config/secrets.yml", '  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>'),
    (".env", "SECRET_KEY_BASE=" + "0" * 128),
]


@pytest.mark.parametrize(("path", "text", "rule"), LEAKED_15, ids=lambda v: str(v)[:30])
def test_session15_leaked_forms_are_found(
    engine: SecretEngine, path: str, text: str, rule: str
) -> None:
    assert "secrets/" + rule in _ids(engine, path, text)


@pytest.mark.parametrize(("path", "text"), LEAKED_15_SAFE, ids=lambda v: str(v)[:30])
def test_session15_templates_stay_unreported(engine: SecretEngine, path: str, text: str) -> None:
    assert _ids(engine, path, text) == []
