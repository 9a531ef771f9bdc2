"""What the gate fails on (session 16, issue 14): the severity a finding gets from the file
or the key it stands in, and the lines of a file written into a program's string.

Every credential is built from parts at run time."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

from pipesec.core.model import Finding, Severity
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.secrets import SecretsScanner, validators
from pipesec.scanners.secrets.rules.builders import ALNUM, HEX, rand

R = random.Random(1607)
CRYPT = "./" + ALNUM
SHA512 = "$6$" + rand(R, CRYPT, 16) + "$" + rand(R, CRYPT, 86)
BCRYPT = "$2y$10$" + rand(R, CRYPT, 53)
MD5 = "$1$" + rand(R, CRYPT, 8) + "$" + rand(R, CRYPT, 22)
APR1 = "$apr1$" + rand(R, ALNUM, 8) + "$" + rand(R, ALNUM, 22)
HEX32 = rand(R, HEX, 32)
MYSQL = "*" + rand(R, HEX, 40).upper()
STRONG = "Zq8" + "mW4vT1pK9xR2" + "hN7cB5q"


def scan(tmp_path: Path, files: dict[str, str]) -> list[Finding]:
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    ws = Workspace(tmp_path, use_git=False)
    items = SecretsScanner().scan(ws, ScannerSettings(fingerprint_key=b"k"))
    return [i for i in items if isinstance(i, Finding)]


def severity_of(found: list[Finding], path: str, rule: str) -> Severity:
    return next(f.severity for f in found if f.location.path == path and f.rule_id == rule)


#: (path, text, rule, severity): a password hash in an account database or a dump is one
#: of a list of real accounts (high); one in a configuration or a program stays medium
HASHES = [
    ("etc/shadow", f"root:{SHA512}:19700:0:99999:7:::\n", "password-hash-sha512crypt", "high"),
    ("backup/shadow-", f"ops:{MD5}:19700:0:99999:7:::\n", "password-hash-md5crypt", "high"),
    (
        "srv/proftpdpasswd",
        f"ftp:{SHA512}:2001:2001::/srv:/bin/false\n",
        "password-hash-sha512crypt",
        "high",
    ),
    ("etc/ftpd.passwd", f"up:{MD5}:2001:2001::/srv:/bin/false\n", "password-hash-md5crypt", "high"),
    (
        "db/dump.sql",
        f"INSERT INTO `users` VALUES (1,'ops@corp.test','{BCRYPT}',NULL);\n",
        "password-hash-bcrypt",
        "high",
    ),
    ("www/.htpasswd", f"admin:{APR1}\n", "htpasswd-hash", "high"),
    (
        "group_vars/all.yml",
        f'users:\n  - name: ops\n    password: "{SHA512}"\n',
        "password-hash-sha512crypt",
        "medium",
    ),
    ("tools/passwd.py", f'DEFAULT = "{BCRYPT}"\n', "password-hash-bcrypt", "medium"),
    # MySQL's native hash (session 17): a mysql.user dump, a Terraform mysql_user
    (
        "backup/mysql.sql",
        f"VALUES ('%','app','{MYSQL}','N');\n",
        "password-hash-mysql-native",
        "high",
    ),
    ("db/main.tf", f'plaintext_password = "{MYSQL}"\n', "password-hash-mysql-native", "medium"),
]

#: a 32-hex value under a name that says API key, in a configuration file: high; under
#: ``access_key`` (an id in s3cmd and Wasabi) or in a program: medium
HEX_KEYS = [
    ("config/api.yml", f"rates:\n  api_key: {HEX32}\n", "high"),
    ("cloud/heroku.json", f'{{\n  "env": {{\n    "HEROKU_API_KEY": "{HEX32}"\n  }}\n}}\n', "high"),
    ("home/.tugboat", f"authentication:\n  api_key: {HEX32} # risk\n", "high"),
    ("conf/store.ini", f"[store]\naccess_key = {HEX32}\n", "medium"),
    ("app/client.py", f'api_key = "{HEX32}"\n', "medium"),
]


@pytest.mark.parametrize(("path", "text", "rule", "want"), HASHES)
def test_password_hash_is_high_in_an_account_database(
    tmp_path: Path, path: str, text: str, rule: str, want: str
) -> None:
    found = scan(tmp_path, {path: text})
    assert severity_of(found, path, f"secrets/{rule}") is Severity(want)


@pytest.mark.parametrize(("path", "text", "want"), HEX_KEYS)
def test_hex32_key_is_high_under_an_api_key_name_in_a_config_file(
    tmp_path: Path, path: str, text: str, want: str
) -> None:
    found = scan(tmp_path, {path: text})
    assert severity_of(found, path, "secrets/api-key-hex32") is Severity(want)


def test_a_strong_password_flag_is_high_other_secret_flags_stay_medium(tmp_path: Path) -> None:
    found = scan(
        tmp_path,
        {
            "docker-compose.yml": (
                f'services:\n  cache:\n    command: redis-server --requirepass "{STRONG}"\n'
            ),
            "ops/backup.sh": f"pg_dump --db-password={STRONG} app > a.sql\n",
            "ops/deploy.sh": f"deploy --api-key={STRONG} --env prod\n",
        },
    )
    rule = "secrets/generic-cli-secret-flag"
    assert severity_of(found, "docker-compose.yml", rule) is Severity.HIGH
    assert severity_of(found, "ops/backup.sh", rule) is Severity.HIGH
    assert severity_of(found, "ops/deploy.sh", rule) is Severity.MEDIUM


# -- a file written into a program's string (decoding.judged_path) -------------------------

EMBEDDED = [
    (
        "cmd/app/main.go",
        "package main\n\n"
        f'const defaults = "DB_HOST=db.internal\\nAPI_TOKEN={STRONG}\\nDEBUG=false"\n',
        "generic-token-unquoted",
    ),
    (
        "app/settings.py",
        f'DEFAULTS = "DB_HOST=db.internal\\nDB_PASSWORD={STRONG}\\nDEBUG=false"\n',
        "generic-password-unquoted",
    ),
    (
        "src/env.ts",
        f'export const env = "API_SECRET={STRONG}\\nLOG_LEVEL=info";\n',
        "generic-secret-unquoted",
    ),
]
#: code that writes such a file, not a literal credential
EMBEDDED_SAFE = [
    ("cmd/a.go", 'var a = fmt.Sprintf("API_TOKEN=%s\\nDEBUG=%v", tok, dbg)\n'),
    ("cmd/b.go", 'var b = "DB_PASSWORD=${DB_PASSWORD}\\nDEBUG=false"\n'),
    ("cmd/c.go", 'var c = "API_TOKEN=\\nDEBUG=false"\n'),
    ("cmd/d.go", 'var d = "API_TOKEN=<your-token>\\nDEBUG=false"\n'),
    ("gen/e.py", 'TPL = "password: {password}\\nuser: {user}"\n'),
    ("gen/f.py", 'X = "TOKEN=$(cat /run/secrets/t)\\necho ok"\n'),
]


@pytest.mark.parametrize(("path", "text", "rule"), EMBEDDED)
def test_lines_of_a_file_in_a_program_string_are_read_as_a_file(
    tmp_path: Path, path: str, text: str, rule: str
) -> None:
    found = scan(tmp_path, {path: text})
    assert [f.rule_id for f in found] == [f"secrets/{rule}"]
    f = found[0]
    line = text.splitlines()[f.location.start_line - 1]
    assert line[f.location.start_column - 1 :].startswith(STRONG)  # on the value itself


@pytest.mark.parametrize(("path", "text"), EMBEDDED_SAFE)
def test_code_building_such_a_file_is_not_reported(tmp_path: Path, path: str, text: str) -> None:
    assert scan(tmp_path, {path: text}) == []


# -- the independent corpus writes values the providers issue --------------------------------


def _generator() -> object:
    path = Path(__file__).parents[3] / "bench" / "make_secrets_independent.py"
    spec = importlib.util.spec_from_file_location("make_secrets_independent", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, mod)
    spec.loader.exec_module(mod)
    return mod


def test_independent_corpus_tokens_pass_their_checksum_and_its_key_parses() -> None:
    gen = _generator()
    r = random.Random(7)
    for kind in ("ghp", "ghs", "gho"):
        assert validators.github_checksum(gen.github_classic(r, kind))  # type: ignore[attr-defined]
    assert validators.npm_checksum(gen.npm(r))  # type: ignore[attr-defined]
    assert validators.private_key("\n".join(gen.pem(r)))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("slug", "want"),
    [
        # moving money or trading
        ("kucoin-api-secret", "critical"),
        ("bittrex-api-secret", "critical"),
        ("polymarket-api-secret", "critical"),
        ("dwolla-secret", "critical"),
        ("midtrans-server-key", "critical"),
        ("rainforest-api-key", "critical"),
        # infrastructure, sending in the owner's name, customers' and business records
        ("hasura-admin-secret", "high"),
        ("crowdstrike-client-secret", "high"),
        ("ringcentral-client-secret", "high"),
        ("klaviyo-private-key", "high"),
        ("pipedrive-api-token", "high"),
        ("pandadoc-api-key", "high"),
        ("meraki-api-key", "high"),
        # metered utilities and read-only data, ids
        ("openweathermap-api-key", "medium"),
        ("shodan-api-key", "medium"),
        ("sumologic-access-id", "medium"),
    ],
)
def test_keyed_table_severity_follows_what_the_key_can_do(slug: str, want: str) -> None:
    from pipesec.scanners.secrets.rules import all_rules

    rule = next(r for r in all_rules() if r.id == f"secrets/{slug}")
    assert rule.severity is Severity(want)


def test_a_kucoin_secret_in_a_program_fails_the_gate(tmp_path: Path) -> None:
    parts = (rand(R, HEX, 8), rand(R, HEX, 4), rand(R, HEX, 4), rand(R, HEX, 4), rand(R, HEX, 12))
    secret = "-".join(parts)
    found = scan(tmp_path, {"kucoin/kucoin.py": f"KUCOIN_API_SECRET = '{secret}'\n"})
    assert severity_of(found, "kucoin/kucoin.py", "secrets/kucoin-api-secret") is Severity.CRITICAL


def test_merakis_published_sandbox_key_is_not_reported_a_real_one_is_high(tmp_path: Path) -> None:
    """Cisco prints the DevNet sandbox's read-only key for anyone to try the API with (the
    Meraki Ansible collection's README holds it): a published example, not a leak."""
    sandbox = "6bec40cf957de430" + "a6f1f2baa056b99a4fac9ea0"
    found = scan(
        tmp_path,
        {
            "README.md": f"export MERAKI_DASHBOARD_API_KEY={sandbox}\n",
            "ops/env.sh": f"export MERAKI_DASHBOARD_API_KEY={rand(R, HEX, 40)}\n",
        },
    )
    assert [f.location.path for f in found if f.rule_id == "secrets/meraki-api-key"] == [
        "ops/env.sh"
    ]
    assert severity_of(found, "ops/env.sh", "secrets/meraki-api-key") is Severity.HIGH
