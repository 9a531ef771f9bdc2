"""Generate a labeled secrets corpus for bench/secrets_accuracy.py and bench/secrets_speed.py.

Values are built from each provider's *documented* token format (prefix, alphabet, length,
checksum where the provider documents one), written here independently of pipesec's rules:
this module imports nothing from pipesec, so the corpus does not just echo our regexes.

Files mix realistic source, configuration, CI definitions, lockfiles, minified JS, base64
blobs and notebooks. Every planted secret's line is labeled; look-alikes that are not
secrets (environment references, templates, placeholders, documented example keys,
hashes, UUIDs, lockfile integrity strings) are planted unlabeled.

    python bench/secrets_corpus.py [--out bench/corpus/secrets] [--files 6000] [--seed 1]
    python bench/secrets_corpus.py --speed-mb 500 --out bench/corpus/secrets-speed

Labels: ``labels.json`` = {"files": {relpath: [{"line": n, "provider": id}, ...]}}.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import random
import string
from collections.abc import Callable
from pathlib import Path

ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
BASE32 = string.ascii_uppercase + "234567"
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase

Gen = Callable[[random.Random], str]


def s(r: random.Random, alphabet: str, n: int) -> str:
    return "".join(r.choice(alphabet) for _ in range(n))


def tok(prefix: str, alphabet: str, n: int | tuple[int, int], suffix: str = "") -> Gen:
    def g(r: random.Random) -> str:
        k = r.randint(*n) if isinstance(n, tuple) else n
        return prefix + s(r, alphabet, k) + suffix

    return g


def uuid(r: random.Random) -> str:
    return "-".join(s(r, HEX, k) for k in (8, 4, 4, 4, 12))


def crc_b62(body: str) -> str:
    n = binascii.crc32(body.encode()) & 0xFFFFFFFF
    out = ""
    while n:
        n, m = divmod(n, 62)
        out = B62[m] + out
    return out.rjust(6, "0")


def github(prefix: str) -> Gen:
    """GitHub's 2021 format: prefix + 30 base62 + 6-char base62 CRC32 of the 30."""

    def g(r: random.Random) -> str:
        body = s(r, ALNUM, 30)
        return prefix + body + crc_b62(body)

    return g


def pypi(r: random.Random) -> str:
    ident = b'{"nonce": "' + s(r, HEX, 32).encode() + b'", "version": 1}'
    caveat = b'{"version": 1, "permissions": "user"}'
    raw = (
        b"\x02\x01\x08pypi.org\x02"
        + bytes([len(ident)])
        + ident
        + b"\x00"
        + b"\x02"
        + bytes([len(caveat)])
        + caveat
        + b"\x00\x00\x06\x20"
        + bytes(r.randrange(256) for _ in range(32))
    )
    return "pypi-" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def jwt(r: random.Random) -> str:
    def enc(o: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(o).encode()).decode().rstrip("=")

    return (
        enc({"alg": "HS256", "typ": "JWT"})
        + "."
        + enc({"sub": s(r, HEX, 10), "iat": 1700000000 + r.randrange(10**6), "role": "svc"})
        + "."
        + s(r, B64URL, 43)
    )


def slack_bot(r: random.Random) -> str:
    return f"xoxb-{s(r, string.digits, 12)}-{s(r, string.digits, 13)}-{s(r, ALNUM, 24)}"


def slack_user(r: random.Random) -> str:
    return (
        f"xoxp-{s(r, string.digits, 12)}-{s(r, string.digits, 12)}-{s(r, string.digits, 12)}-"
        f"{s(r, HEX, 32)}"
    )


def slack_webhook(r: random.Random) -> str:
    return (
        f"https://hooks.slack.com/services/T{s(r, UPPER_ALNUM, 10)}/B{s(r, UPPER_ALNUM, 10)}/"
        f"{s(r, ALNUM, 24)}"
    )


def discord_webhook(r: random.Random) -> str:
    return f"https://discord.com/api/webhooks/{s(r, string.digits, 18)}/{s(r, B64URL, 68)}"


def telegram(r: random.Random) -> str:
    return f"{s(r, string.digits, 10)}:AA{s(r, B64URL, 33)}"


def sendgrid(r: random.Random) -> str:
    return f"SG.{s(r, B64URL, 22)}.{s(r, B64URL, 43)}"


def openai_proj(r: random.Random) -> str:
    return f"sk-proj-{s(r, B64URL, 74)}T3BlbkFJ{s(r, B64URL, 74)}"


def openai_legacy(r: random.Random) -> str:
    return f"sk-{s(r, ALNUM, 20)}T3BlbkFJ{s(r, ALNUM, 20)}"


def tfc(r: random.Random) -> str:
    return f"{s(r, ALNUM, 14)}.atlasv1.{s(r, ALNUM, 67)}"


def azure_ad(r: random.Random) -> str:
    return s(r, ALNUM, 3) + r.choice(string.digits) + "Q~" + s(r, ALNUM + "_~.-", 34)


def mailchimp(r: random.Random) -> str:
    return f"{s(r, HEX, 32)}-us{r.randint(1, 21)}"


def dynatrace(r: random.Random) -> str:
    return f"dt0c01.{s(r, UPPER_ALNUM, 24)}.{s(r, UPPER_ALNUM, 64)}"


def grafana_sa(r: random.Random) -> str:
    return f"glsa_{s(r, ALNUM, 32)}_{s(r, HEX, 8)}"


def postman(r: random.Random) -> str:
    return f"PMAK-{s(r, HEX, 24)}-{s(r, HEX, 34)}"


def shopify(prefix: str) -> Gen:
    return tok(prefix, HEX, 32)


def password(r: random.Random) -> str:
    return s(r, ALNUM, r.randint(10, 18)) + s(r, "!@#%^&*_-", 2) + s(r, ALNUM, 3)


#: (provider label, variable name, generator, context) -- context: how it is usually written
#: "assign" = NAME = "value"; "keyed" = the provider name must be in the variable (the value
#: alone is opaque, as the provider documents it)
PROVIDERS: list[tuple[str, str, Gen]] = [
    ("aws-access-key-id", "AWS_ACCESS_KEY_ID", tok("AKIA", BASE32, 16)),
    ("aws-sts-key-id", "AWS_ACCESS_KEY_ID", tok("ASIA", BASE32, 16)),
    ("aws-secret-access-key", "aws_secret_access_key", tok("", ALNUM + "/+", 40)),
    ("gcp-api-key", "GOOGLE_API_KEY", tok("AIza", B64URL, 35)),
    ("gcp-oauth-client-secret", "GOOGLE_CLIENT_SECRET", tok("GOCSPX-", B64URL, 28)),
    ("azure-ad-client-secret", "AZURE_CLIENT_SECRET", azure_ad),
    ("digitalocean-pat", "DIGITALOCEAN_TOKEN", tok("dop_v1_", HEX, 64)),
    ("digitalocean-oauth", "DO_OAUTH_TOKEN", tok("doo_v1_", HEX, 64)),
    ("alibaba-access-key-id", "ALIBABA_ACCESS_KEY_ID", tok("LTAI", ALNUM, 20)),
    ("tencent-secret-id", "TENCENTCLOUD_SECRET_ID", tok("AKID", ALNUM, 32)),
    ("github-pat", "GITHUB_TOKEN", github("ghp_")),
    ("github-oauth", "GH_OAUTH_TOKEN", github("gho_")),
    ("github-app-user", "GH_USER_TOKEN", github("ghu_")),
    ("github-app-install", "GH_INSTALL_TOKEN", github("ghs_")),
    (
        "github-fine-grained",
        "GITHUB_PAT",
        lambda r: f"github_pat_{s(r, ALNUM, 22)}_{s(r, ALNUM, 59)}",
    ),
    ("gitlab-pat", "GITLAB_TOKEN", tok("glpat-", B64URL, 20)),
    ("gitlab-runner", "RUNNER_TOKEN", tok("glrt-", B64URL, 20)),
    ("gitlab-deploy", "GITLAB_DEPLOY_TOKEN", tok("gldt-", B64URL, 20)),
    ("gitlab-trigger", "TRIGGER_TOKEN", tok("glptt-", B64URL, 40)),
    ("npm", "NPM_TOKEN", github("npm_")),
    ("pypi", "TWINE_PASSWORD", pypi),
    ("rubygems", "GEM_HOST_API_KEY", tok("rubygems_", HEX, 48)),
    ("nuget", "NUGET_API_KEY", tok("oy2", LOWER_ALNUM, 43)),
    ("dockerhub-pat", "DOCKERHUB_TOKEN", tok("dckr_pat_", B64URL, 27)),
    ("jfrog", "ARTIFACTORY_API_KEY", tok("AKCp", ALNUM, 69)),
    ("stripe-live", "STRIPE_SECRET_KEY", tok("sk_live_", ALNUM, (24, 99))),
    ("stripe-restricted", "STRIPE_RESTRICTED_KEY", tok("rk_live_", ALNUM, (24, 99))),
    ("square", "SQUARE_OAUTH_SECRET", tok("sq0csp-", B64URL, 43)),
    ("shopify-access", "SHOPIFY_ACCESS_TOKEN", shopify("shpat_")),
    ("shopify-shared-secret", "SHOPIFY_SHARED_SECRET", shopify("shpss_")),
    ("slack-bot", "SLACK_BOT_TOKEN", slack_bot),
    ("slack-user", "SLACK_USER_TOKEN", slack_user),
    ("slack-webhook", "SLACK_WEBHOOK_URL", slack_webhook),
    ("discord-webhook", "DISCORD_WEBHOOK", discord_webhook),
    ("telegram", "TELEGRAM_BOT_TOKEN", telegram),
    ("twilio-api-key", "TWILIO_API_KEY", tok("SK", HEX, 32)),
    ("twilio-auth-token", "TWILIO_AUTH_TOKEN", tok("", HEX, 32)),
    ("sendgrid", "SENDGRID_API_KEY", sendgrid),
    ("mailgun", "MAILGUN_API_KEY", tok("key-", HEX, 32)),
    ("mailchimp", "MAILCHIMP_API_KEY", mailchimp),
    ("brevo", "BREVO_API_KEY", lambda r: f"xkeysib-{s(r, HEX, 64)}-{s(r, ALNUM, 16)}"),
    ("atlassian", "JIRA_API_TOKEN", tok("ATATT3", B64URL, 186)),
    ("datadog-api-key", "DD_API_KEY", tok("", HEX, 32)),
    ("datadog-app-key", "DD_APP_KEY", tok("", HEX, 40)),
    ("newrelic-user-key", "NEW_RELIC_API_KEY", tok("NRAK-", UPPER_ALNUM, 27)),
    ("newrelic-license", "NEW_RELIC_LICENSE_KEY", tok("", HEX, 36, "NRAL")),
    ("sentry-user", "SENTRY_AUTH_TOKEN", tok("sntryu_", HEX, 64)),
    ("grafana-cloud", "GRAFANA_CLOUD_TOKEN", tok("glc_", B64, 80)),
    ("grafana-sa", "GRAFANA_SA_TOKEN", grafana_sa),
    ("dynatrace", "DT_API_TOKEN", dynatrace),
    ("vault-service", "VAULT_TOKEN", tok("hvs.", B64URL, 95)),
    ("terraform-cloud", "TFE_TOKEN", tfc),
    ("doppler", "DOPPLER_TOKEN", tok("dp.pt.", ALNUM, 43)),
    ("pulumi", "PULUMI_ACCESS_TOKEN", tok("pul-", HEX, 40)),
    ("openai-project", "OPENAI_API_KEY", openai_proj),
    ("openai-legacy", "OPENAI_API_KEY", openai_legacy),
    ("anthropic", "ANTHROPIC_API_KEY", tok("sk-ant-api03-", B64URL, 93, "AA")),
    ("huggingface", "HF_TOKEN", tok("hf_", ALNUM, 34)),
    ("groq", "GROQ_API_KEY", tok("gsk_", ALNUM, 52)),
    ("replicate", "REPLICATE_API_TOKEN", tok("r8_", ALNUM, 37)),
    ("perplexity", "PPLX_API_KEY", tok("pplx-", ALNUM, 48)),
    ("openrouter", "OPENROUTER_API_KEY", tok("sk-or-v1-", HEX, 64)),
    ("databricks", "DATABRICKS_TOKEN", tok("dapi", HEX, 32)),
    ("linear", "LINEAR_API_KEY", tok("lin_api_", ALNUM, 40)),
    ("notion", "NOTION_TOKEN", tok("ntn_", ALNUM, 46)),
    ("figma", "FIGMA_TOKEN", tok("figd_", B64URL, 40)),
    ("postman", "POSTMAN_API_KEY", postman),
    ("sonarqube", "SONAR_TOKEN", tok("squ_", HEX, 40)),
    ("buildkite", "BUILDKITE_API_TOKEN", tok("bkua_", HEX, 40)),
    ("supabase", "SUPABASE_ACCESS_TOKEN", tok("sbp_", HEX, 40)),
    ("planetscale", "PLANETSCALE_TOKEN", tok("pscale_tkn_", B64URL, 43)),
    ("render", "RENDER_API_KEY", tok("rnd_", ALNUM, 32)),
    ("fly", "FLY_API_TOKEN", tok("fm2_", B64, 200)),
    ("netlify", "NETLIFY_AUTH_TOKEN", tok("nfp_", ALNUM, 36)),
    ("age", "SOPS_AGE_KEY", tok("AGE-SECRET-KEY-1", "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)),
    ("easypost", "EASYPOST_API_KEY", tok("EZAK", ALNUM, 54)),
    ("shippo", "SHIPPO_TOKEN", tok("shippo_live_", HEX, 40)),
    ("flutterwave", "FLW_SECRET_KEY", tok("FLWSECK-", HEX, 32, "-X")),
    ("razorpay", "RAZORPAY_KEY_ID", tok("rzp_live_", ALNUM, 14)),
    ("readme", "README_API_KEY", tok("rdme_", LOWER_ALNUM, 70)),
    ("prefect", "PREFECT_API_KEY", tok("pnu_", ALNUM, 36)),
    ("posthog", "POSTHOG_PERSONAL_API_KEY", tok("phx_", ALNUM, 43)),
    ("contentful", "CONTENTFUL_MANAGEMENT_TOKEN", tok("CFPAT-", B64URL, 43)),
    ("clojars", "CLOJARS_TOKEN", tok("CLOJARS_", HEX, 60)),
    ("jwt", "AUTH_TOKEN", jwt),
    (
        "postgres-url",
        "DATABASE_URL",
        lambda r: f"postgresql://app:{s(r, ALNUM, 16)}@db.internal:5432/app",
    ),
    ("mysql-url", "DB_URL", lambda r: f"mysql://root:{s(r, ALNUM, 14)}@mysql:3306/shop"),
    (
        "mongodb-url",
        "MONGO_URI",
        lambda r: f"mongodb+srv://svc:{s(r, ALNUM, 18)}@cluster0.ab1cd.mongodb.net/app",
    ),
    ("redis-url", "REDIS_URL", lambda r: f"redis://default:{s(r, ALNUM, 20)}@cache:6379/0"),
    ("amqp-url", "BROKER_URL", lambda r: f"amqp://worker:{s(r, ALNUM, 16)}@rabbit:5672//"),
    (
        "basic-auth-url",
        "REPO_URL",
        lambda r: f"https://deploy:{s(r, ALNUM, 22)}@git.internal.example/app.git",
    ),
]

#: generic credentials: (label, variable, generator)
GENERIC: list[tuple[str, str, Gen]] = [
    ("generic-password", "db_password", password),
    ("generic-password", "ADMIN_PASSWORD", password),
    ("generic-secret", "client_secret", lambda r: s(r, ALNUM, 32)),
    ("generic-api-key", "api_key", lambda r: s(r, ALNUM, 32)),
    ("generic-token", "auth_token", lambda r: s(r, B64URL, 40)),
]


#: look-alikes that are real weak passwords (issue 14: a guessable password in an
#: application's configuration is a credential, reported at medium by the -weak rules);
#: they stay in the look-alike list so the corpus itself does not change, only its labels
WEAK_PASSWORDS = {f'password = "{w}"' for w in ("change" + "me", "pass" + "word")}
#: a bcrypt hash committed in an application's configuration is an offline cracking target
#: (issue 14: password hashes are reported, medium); labelled, the corpus itself unchanged
HASHED_PASSWORD = 'password_hash = "$2b$'


#: look-alikes that are not secrets (never labeled, but for WEAK_PASSWORDS)
def lookalikes(r: random.Random) -> list[str]:
    fake_aws = "AKIA" + "IOSFODNN7" + "EXAMPLE"
    return [
        'API_KEY = os.environ["API_KEY"]',
        "password = os.getenv('DB_PASSWORD')",
        'token: "${{ secrets.DEPLOY_TOKEN }}"',
        "DB_PASSWORD=${DB_PASSWORD}",
        'password = "' + "change" + 'me"',
        'api_key = "<your-api-key>"',
        'secret = "xxxxxxxxxxxxxxxxxxxxxxxx"',
        'client_secret = "************************"',
        f'aws_access_key_id = "{fake_aws}"',
        f'commit = "{s(r, HEX, 40)}"',
        f'checksum = "sha256:{s(r, HEX, 64)}"',
        f'request_id = "{uuid(r)}"',
        f'password_hash = "$2b$12${s(r, ALNUM + "./", 53)}"',
        "token = get_token(session)",
        "password: {{ .Values.db.password }}",
        "secret_key = settings.SECRET_KEY",
        'api_key = self.config["api_key"]',
        f'image = "registry.example.com/app@sha256:{s(r, HEX, 64)}"',
        f'"integrity": "sha512-{s(r, B64, 86)}=="',
        "PASSWORD_MIN_LENGTH = 12",
        'token_url = "https://oauth2.googleapis.com/token"',
        "export GITHUB_TOKEN=$(gh auth token)",
        f'cache_key = "{s(r, HEX, 32)}"',
        f'session_id = "{s(r, HEX, 16)}"',
        'api_key = "YOUR_API_KEY_HERE"',
        'password = "' + "pass" + 'word"',
        'secret = "test"',
        "// the token is read from the keychain",
        f'etag = "W/\\"{s(r, HEX, 32)}\\""',
        f'color = "#{s(r, HEX, 6)}"',
        f'version_hash = "{s(r, HEX, 7)}"',
    ]


FILLER_PY = [
    "import os",
    "import logging",
    "from pathlib import Path",
    "",
    "log = logging.getLogger(__name__)",
    "def handler(event, context):",
    "    items = event.get('items', [])",
    "    return {'count': len(items)}",
    "class Config:",
    "    debug = False",
    "    timeout = 30",
    "# TODO: retry with backoff",
    "RETRIES = 3",
]
FILLER_YAML = [
    "version: 2",
    "services:",
    "  web:",
    "    image: app:latest",
    "    ports:",
    '      - "8080:8080"',
    "    environment:",
    "      LOG_LEVEL: info",
    "jobs:",
    "  build:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v4",
]
FILLER_JS = [
    "const express = require('express');",
    "const app = express();",
    "app.get('/health', (req, res) => res.json({ ok: true }));",
    "module.exports = app;",
    "export function sum(a, b) { return a + b; }",
    "let retries = 0;",
]


def render(kind: str, name: str, value: str) -> str:
    if kind == "py":
        return f'{name} = "{value}"'
    if kind == "env":
        return f"{name.upper()}={value}"
    if kind == "yaml":
        return f"      {name.upper()}: {value}"
    if kind == "json":
        return f'  "{name}": "{value}",'
    if kind == "js":
        return f"const {name} = '{value}';"
    if kind == "tf":
        return f'  {name.lower()} = "{value}"'
    if kind == "sh":
        return f'export {name.upper()}="{value}"'
    return f"{name} = {value}"


KINDS = {
    "py": ".py",
    "env": ".env",
    "yaml": ".yml",
    "json": ".json",
    "js": ".js",
    "tf": ".tf",
    "sh": ".sh",
    "ini": ".ini",
}
FILLER = {"py": FILLER_PY, "yaml": FILLER_YAML, "js": FILLER_JS}


#: share of source lines that hold a planted secret (the speed corpus lowers it)
DENSITY = {"provider": 0.10, "generic": 0.03, "lookalike": 0.15}


def source_file(r: random.Random, idx: int) -> tuple[str, str, list[dict[str, object]]]:
    kind = r.choice(list(KINDS))
    filler = FILLER.get(kind, FILLER_PY if kind != "env" else ["DEBUG=false", "PORT=8080"])
    lines: list[str] = []
    labels: list[dict[str, object]] = []
    for _ in range(r.randint(5, 40)):
        roll = r.random()
        if roll < DENSITY["provider"]:
            label, name, gen = r.choice(PROVIDERS)
            lines.append(render(kind, name, gen(r)))
            labels.append({"line": len(lines), "provider": label})
        elif roll < DENSITY["provider"] + DENSITY["generic"]:
            label, name, gen = r.choice(GENERIC)
            lines.append(render(kind, name, gen(r)))
            labels.append({"line": len(lines), "provider": label})
        elif roll < DENSITY["provider"] + DENSITY["generic"] + DENSITY["lookalike"]:
            lines.append(r.choice(lookalikes(r)))
            if lines[-1] in WEAK_PASSWORDS:
                labels.append({"line": len(lines), "provider": "weak-password"})
            elif lines[-1].startswith(HASHED_PASSWORD):
                labels.append({"line": len(lines), "provider": "password-hash"})
        else:
            lines.append(r.choice(filler))
    return f"src/m{idx // 100:03d}/f{idx:05d}{KINDS[kind]}", "\n".join(lines) + "\n", labels


def lockfile(r: random.Random, idx: int) -> tuple[str, str, list[dict[str, object]]]:
    out = ["{", '  "lockfileVersion": 3,', '  "packages": {']
    for i in range(r.randint(20, 80)):
        out.append(f'    "node_modules/pkg-{i}": {{')
        out.append(f'      "version": "1.{i}.{r.randint(0, 9)}",')
        out.append(f'      "resolved": "https://registry.npmjs.org/pkg-{i}/-/pkg-{i}.tgz",')
        out.append(f'      "integrity": "sha512-{s(r, B64, 86)}=="')
        out.append("    },")
    out.append("  }\n}")
    return f"locks/l{idx:05d}/package-lock.json", "\n".join(out) + "\n", []


def minified(r: random.Random, idx: int) -> tuple[str, str, list[dict[str, object]]]:
    parts = []
    label: list[dict[str, object]] = []
    for i in range(r.randint(200, 800)):
        parts.append(f"function a{i}(b,c){{return b.{s(r, string.ascii_lowercase, 4)}(c)}}")
        parts.append(f'var k{i}="{s(r, B64URL, r.randint(8, 30))}";')
    if r.random() < 0.5:
        lab, name, gen = r.choice(PROVIDERS)
        parts.insert(r.randrange(len(parts)), f'var cfg={{{name}:"{gen(r)}"}};')
        label = [{"line": 1, "provider": lab}]
    return f"dist/b{idx:05d}.min.js", "".join(parts) + "\n", label


def blob(r: random.Random, idx: int) -> tuple[str, str, list[dict[str, object]]]:
    raw = bytes(r.randrange(256) for _ in range(r.randint(2000, 20000)))
    b = base64.b64encode(raw).decode()
    body = "\n".join(b[i : i + 76] for i in range(0, len(b), 76))
    return f"assets/img{idx:05d}.b64", body + "\n", []


def notebook(r: random.Random, idx: int) -> tuple[str, str, list[dict[str, object]]]:
    lab, name, gen = r.choice(PROVIDERS)
    cell1 = ["import pandas as pd\\n", "df = pd.read_csv('data.csv')\\n"]
    secret_line = f'{name} = "{gen(r)}"\n'
    cells = {
        "cells": [
            {"cell_type": "code", "source": cell1},
            {"cell_type": "code", "source": [secret_line]},
        ]
    }
    text = json.dumps(cells, indent=1)
    lines = text.split("\n")
    line = next(i for i, ln in enumerate(lines, 1) if name in ln)
    return f"notebooks/n{idx:05d}.ipynb", text + "\n", [{"line": line, "provider": lab}]


def private_key(r: random.Random, idx: int) -> tuple[str, str, list[dict[str, object]]]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    if r.random() < 0.5:
        k = ec.generate_private_key(ec.SECP256R1())
        pem = k.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ).decode()
        label = "private-key-ec"
    else:
        e = ed25519.Ed25519PrivateKey.generate()
        pem = e.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        ).decode()
        label = "private-key-openssh"
    return f"keys/k{idx:05d}/id_key", pem, [{"line": 1, "provider": label}]


def public_key(r: random.Random, idx: int) -> tuple[str, str, list[dict[str, object]]]:
    body = base64.b64encode(bytes(r.randrange(256) for _ in range(270))).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    text = "-----BEGIN PUBLIC KEY-----\n" + "\n".join(lines) + "\n-----END PUBLIC KEY-----\n"
    return f"keys/p{idx:05d}/key.pub", text, []


MAKERS = [
    (source_file, 0.70),
    (lockfile, 0.05),
    (minified, 0.06),
    (blob, 0.05),
    (notebook, 0.06),
    (private_key, 0.04),
    (public_key, 0.04),
]


def generate(out: Path, files: int, seed: int) -> dict[str, list[dict[str, object]]]:
    r = random.Random(seed)
    labels: dict[str, list[dict[str, object]]] = {}
    makers = [m for m, _ in MAKERS]
    weights = [w for _, w in MAKERS]
    for idx in range(files):
        maker = r.choices(makers, weights)[0]
        rel, text, lab = maker(r, idx)
        p = out / "files" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        labels[rel] = lab
    (out / "labels.json").write_text(json.dumps({"seed": seed, "files": labels}, indent=0))
    return labels


def generate_speed(out: Path, megabytes: int, seed: int) -> None:
    """A large corpus for throughput: realistic files up to ``megabytes`` MB in total."""
    r = random.Random(seed)
    # a real tree: few secrets and few look-alikes per file
    DENSITY.update(provider=0.004, generic=0.002, lookalike=0.02)
    makers = [m for m, _ in MAKERS if m is not private_key]
    weights = [w for m, w in MAKERS if m is not private_key]
    total = 0
    idx = 0
    target = megabytes * 1_000_000
    pool: list[tuple[str, str]] = []
    for idx in range(400):  # a pool of distinct files, then copies of them with new names
        rel, text, _ = r.choices(makers, weights)[0](r, idx)
        pool.append((rel, text))
    while total < target:
        rel, text = pool[idx % len(pool)]
        p = out / "files" / f"c{idx // 1000:04d}" / f"{idx}_{Path(rel).name}"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        total += len(text.encode())
        idx += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("bench/corpus/secrets"))
    ap.add_argument("--files", type=int, default=6000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--speed-mb", type=int, default=0, help="generate a throughput corpus")
    a = ap.parse_args()
    if a.speed_mb:
        generate_speed(a.out, a.speed_mb, a.seed)
        print(f"wrote a {a.speed_mb} MB corpus to {a.out}")
        return
    labels = generate(a.out, a.files, a.seed)
    n = sum(len(v) for v in labels.values())
    print(f"wrote {len(labels)} files with {n} labeled secrets to {a.out}")


if __name__ == "__main__":
    main()
