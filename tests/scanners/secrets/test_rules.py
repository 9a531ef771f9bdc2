"""Every built-in rule fires on its generated example and not on its fixed example; provider
rules also on the neighbouring forms that samples of the peers' rule tests showed missed."""

from __future__ import annotations

import base64
import re

import pytest
from tests.scanners.secrets.forms import ALNUM, HEX, HX, LOWER, Values, b64, check_form, reported

from pipesec.core.model import Confidence
from pipesec.scanners.secrets import decoding, filters
from pipesec.scanners.secrets.engine import SecretEngine, max_width
from pipesec.scanners.secrets.rules import all_rules
from pipesec.scanners.secrets.rules.base import SecretRule
from pipesec.scanners.secrets.rules.generic import KIND

RULES = all_rules()
_PATHS = (
    "src/app.py",
    ".mcp.json",
    ".aws/credentials",
    ".pypirc",
    ".git-credentials",
    "deploy/kubeconfig",
    ".htpasswd",
    ".pgpass",
    ".s3cfg",
    "rclone.conf",
    "prod.tfvars",
    "sonar-project.properties",
    "gradle.properties",
    "conf/app.xml",
    "config/master.key",
    "k8s/secret.yaml",
    "profile/logins.json",
    "home/.esmtprc",
    "etc/wpa_supplicant/wpa_supplicant.conf",
    "certs/client.p12",
    "home/.passwd-s3fs",
)


def path_for(rule: SecretRule) -> str:
    kind = KIND.get(rule.id)
    if kind is not None and kind.kind == filters.WEAK:  # judged as its strong rule's match
        kind = next(k for k in KIND.values() if k.weak == rule.id)
    if kind is not None and kind.kind == filters.ASSIGN_UNQUOTED:
        return "deploy/app.env"  # unquoted assignments in a program are code
    if rule.decoder == decoding.LIST_KEYED:  # read in configuration files only
        return "config/app.json" if rule.id.endswith("-json") else "config/app.yaml"
    if rule.decoder == decoding.ESCAPED_LINES:  # a JSON file holding an .env file in a string
        return "config/app.json"
    if rule.path_regex is None:
        return "src/app.py"
    for p in _PATHS:
        if re.search(rule.path_regex, p):
            return p
    raise AssertionError(f"no sample path for {rule.id}")


def test_at_least_300_distinct_rules() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 300
    assert all(re.fullmatch(r"secrets/[a-z0-9][a-z0-9-]*", i) for i in ids)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_metadata(rule: SecretRule) -> None:
    core = rule.to_rule()
    assert core.vulnerable_example and core.fixed_example
    assert core.title and core.rationale and core.remediation
    assert rule.provider
    assert all(k == k.lower() for k in rule.keywords)
    assert max_width(rule.regex) < 20000  # bounded: linear time on hostile input
    re.compile(rule.regex)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_example_fires_and_fixed_does_not(rule: SecretRule, engine: SecretEngine) -> None:
    core = rule.to_rule()
    path = path_for(rule)
    every = engine.every_reading()  # (a rule may yield its span to another: session 17)
    hits = [m for m in every.scan_text(core.vulnerable_example, path=path) if m.rule is rule]
    if rule.decoder:  # a decoder reports what the decoded value holds, never itself
        assert not hits
        hits = list(engine.scan_text(core.vulnerable_example, path=path))
        fixed_hits = list(engine.scan_text(core.fixed_example, path=path))
        assert hits and not fixed_hits, f"{rule.id}: {hits} / {fixed_hits}"
        return
    assert hits, f"{rule.id} did not fire on its example"
    assert reported(engine, core.vulnerable_example, path, rule.id), f"{rule.id}: not reported"
    if rule.validator is not None:
        assert hits[0].confidence is Confidence.HIGH
    fixed = [m for m in every.scan_text(core.fixed_example, path=path) if m.rule is rule]
    assert not fixed, f"{rule.id} fired on its fixed example"


def test_examples_are_not_stored_whole() -> None:
    """Examples are generated: the rule modules hold no value that a rule matches."""
    from pathlib import Path

    import pipesec.scanners.secrets.rules as pkg

    engine = SecretEngine(RULES, use_hyperscan=False)
    for f in Path(pkg.__file__).parent.glob("*.py"):
        text = f.read_text()
        found = [m.rule.id for m in engine.scan_text(text, path=f"src/{f.name}")]
        assert not found, f"{f.name}: {found}"


def test_mandrill_rule_ignores_material_design_class_names(engine: SecretEngine) -> None:
    """``md-`` + 22 characters is also every Material Design class name; a generated key
    holds a digit or a capital letter."""
    css = ".md-search-result__article{padding:0}.md-typeset__scrollwrap{margin:0}\n"
    assert [m.rule.id for m in engine.scan_text(css, path="main.min.css")] == []
    key = "md-" + "Xq7vR2pLm9TzW4kN" + "a_b-c1"
    found = engine.scan_text(f'MANDRILL_KEY = "{key}"\n', path="app.py")
    assert "secrets/mandrill-api-key" in [m.rule.id for m in found]


def test_short_provider_prefix_fails_to_a_drop(engine: SecretEngine) -> None:
    """A NuGet key (``oy2`` + 43) of the wrong length is a fake: no generic rule reports it;
    a shared three-character prefix (``sk-``) does not make a generic value a fake."""
    body = "dgb333j35kjjybcf99yzxo7hjyloera4anxn4ivcvle"
    whole = [m.rule.id for m in engine.scan_text(f"NUGET_API_KEY=oy2{body}\n", path="a.env")]
    assert whole == ["secrets/nuget-api-key"]
    assert list(engine.scan_text(f"NUGET_API_KEY=oy2{body[:25]}\n", path="a.env")) == []
    other = "sk-" + "Qx7vR2pLm9TzW4kN8bYc"
    found = [m.rule.id for m in engine.scan_text(f'api_key = "{other}"\n', path="app.py")]
    assert found == ["secrets/generic-api-key"]


_V = Values(1407)
_r, _uuid, _digits = _V.r, _V.uuid, _V.digits
_SLACK = f"{_digits(13)}-{_digits(13)}-{_digits(13)}"
B64URL = ALNUM + "-_"
#: provider rules' forms found missing on samples of the peers' public rule tests (issue 14):
#: (text, path, the rule that reports it, or None when nothing may be reported)
PROVIDER_FORMS: list[tuple[str, str, str | None]] = [
    # provider shapes: lengths, case and prefixes the providers issue
    (f'GH = "ghr_{_r(ALNUM, 36)}"\n', "a.py", "github-refresh-token"),
    (f'GH = "ghr_{_r(ALNUM, 76)}"\n', "a.py", "github-refresh-token"),
    (f'GH = "ghr_{_r(ALNUM, 50)}"\n', "a.py", None),
    (f'S = "xoxp-{_SLACK}-{_r(LOWER, 32)}"\n', "a.py", "slack-user-token"),
    (
        f'u = "https://files.slack.com/x.png?t=xoxe-{_SLACK}-{_r(HEX, 32)}"\n',
        "a.py",
        "slack-user-token",
    ),
    (f'S = "xoxb-{_digits(12)}-{_digits(13)}-{_r(ALNUM, 27)}"\n', "a.py", "slack-bot-token"),
    (
        f'S = "xapp-1-A{_r("ABCDEFGHJK0123456789", 10)}-{_digits(13)}-{_r(LOWER, 64)}"\n',
        "a.py",
        "slack-app-token",
    ),
    (f'S = "xoxe.xoxp-1-{_r(ALNUM, 163)}"\n', "a.py", "slack-config-access-token"),
    (f'T = "sgp_{_r(HX, 16)}_{_r(HX, 40)}"\n', "a.py", "sourcegraph-token"),
    (f'T = "sgp_local_{_r(HX, 40)}"\n', "a.py", "sourcegraph-token"),
    (f'T = "dt0c01.{_r(LOWER, 24)}.{_r(LOWER, 64)}"\n', "a.py", "dynatrace-api-token"),
    (f'T = "NRAK-{_r(LOWER, 27)}"\n', "a.py", "new-relic-user-api-key"),
    (f'T = "sk-ant-ort01-{_r(ALNUM + "_-", 100)}"\n', "a.py", "anthropic-oauth-refresh-token"),
    (f'T = "sk-ant-oat01-{_r(ALNUM + "_-", 108)}"\n', "a.py", "claude-code-oauth-token"),
    (f"posthog token = 'phx_{_r(ALNUM, 48)}'\n", "a.py", "posthog-personal-api-key"),
    # provider keys named in any form: the value's shape says which credential it is
    (f"CLOUDFLARE_API_KEY: {_r(ALNUM, 40)}\n", "c.yml", "cloudflare-api-token"),
    (f'cloudflare: "{_r(HEX, 37)}"\n', "c.yml", "cloudflare-global-api-key"),
    (f'CLOUDFLARE_TOKEN += "{_r(HEX, 37)}"\n', "Makefile", "cloudflare-global-api-key"),
    (f'const HEROKU_KEY = "{_uuid()}"\n', "a.js", "heroku-api-key"),
    ('const HEROKU_KEY = "12345678-ABCD-ABCD-ABCD-1234567890AB"\n', "a.js", None),
    (f'HEROKU_APP_ID = "{_uuid()}"\n', "a.py", None),
    (f"token: s.{_r(ALNUM, 24)}\n", "login.txt", "vault-legacy-token"),
    ("s.AcceptanceTimeoutSeconds = 30\n", "a.txt", None),
    (f"sumoKey1 = '{_r(ALNUM, 64)}'\n", "a.py", "sumologic-access-key"),
    (f'DROPBOX_APP_SECRET = "{_r(LOWER, 15)}"\n', "a.py", "dropbox-app-secret"),
    (f'GROQ = "gsk_{_r(ALNUM, 48)}"\n', "a.py", "groq-api-key"),
    (f'bot = Telegraf("{_digits(9)}:AA{_r(ALNUM, 32)}")\n', "a.js", "telegram-bot-token"),
    (f"abstract api key = '{_r(ALNUM, 32)}'\n", "a.py", "generic-api-key"),
    ("sort key = 'Zx8q2LmN4pR7tV1wY3bD6fH9jK0cE5gA'\n", "a.py", None),
    # a provider's name as the key, alone or before a secret word; not before an id
    (f'DEEPGRAM_KEY = "{_r(HEX, 40)}"\n', "a.py", "deepgram-api-key"),
    (f"deepgram-api: {_r(HEX, 40)}\n", "a.yml", "deepgram-api-key"),
    (f'deepgram_project_id = "{_r(HEX, 40)}"\n', "a.py", None),
    ("okta_secret:  00" + "QCjAl4MlV-WPXM-" + "ABCDEFGHIJKL-0HmjFx-vbGua\n", "o.yml", None),
    (f"asana token = 0/{_r(HEX, 32)}\n", "a.txt", "asana-pat"),
    (
        f'BB = "ATBB{_r(ALNUM, 24)}{_r("0123456789ABCDEF", 8)}"\n',
        "a.py",
        "bitbucket-app-password-token",
    ),
    (f'DATABRICKS_CLIENT_SECRET="dose{_r(ALNUM, 32)}"\n', "a.env", "databricks-oauth-secret"),
    ("an overdose of caffeine is a dose too far\n", "a.md", None),
    # a service account file without its private key holds no credential
    (
        '{"type": "service_account", "private_key_id": "' + _r(HEX, 40) + '",\n'
        ' "client_email": "ci@p.iam.gserviceaccount.com"}\n',
        "sa.json",
        None,
    ),
    # an example key published in Firebase's public Android SDK
    ('apiKey: "AIza' + "SyAnLA7NfeLquW1tJFpx_" + 'eQCxoX-oo6YyIs"\n', "g.yml", None),
    # a provider's name and a secret word as two words before the colon (notes, READMEs)
    (f"Fastly token: {_r(LOWER, 32)}\n", "notes.txt", "fastly-api-token"),
    (f"mistral secret: {_r(ALNUM, 32)}\n", "notes.txt", "mistral-api-key"),
    ("Fastly token: see the vault entry for this service\n", "notes.txt", None),
    # older Netlify tokens: 64 hex under any netlify key
    (f"netlify_key={_r(HEX, 64)}\n", ".env", "netlify-token"),
    ("netlify_key=${NETLIFY_AUTH_TOKEN}\n", ".env", None),
    # Vault unseal keys as `vault operator init` prints them and as typed on a command line
    (f"Unseal Key 3: {_r(ALNUM + '+/', 44)}\n", "init.log", "vault-unseal-key"),
    (f"vault operator unseal {_r(ALNUM + '+/', 44)}\n", "run.sh", "vault-unseal-key"),
    ('vault operator unseal "$UNSEAL_KEY_1"\n', "run.sh", None),
    # an Android BuildConfig field (Groovy quotes either way; Kotlin DSL call)
    (
        f"buildConfigField 'String', 'API_KEY', '\"{_r(HEX, 32)}\"'\n",
        "build.gradle",
        "android-build-config-secret",
    ),
    (
        f'buildConfigField("String", "AUTH_TOKEN", "\\"{_r(ALNUM, 24)}\\"")\n',
        "build.gradle.kts",
        "android-build-config-secret",
    ),
    ('buildConfigField "String", "API_KEY", "\\"${apiKey}\\""\n', "build.gradle", None),
    (
        'buildConfigField "String", "BASE_URL", "\\"https://api.example.org\\""\n',
        "build.gradle",
        None,
    ),
    # GitLab's routable tokens (GitLab 17+): a longer payload, then the length and a CRC32
    (f"GL_TOKEN=glpat-{_r(ALNUM, 60)}.{_r(LOWER, 9)}\n", ".env", "gitlab-pat"),
    (f"GL_TOKEN=glpat-{_r(ALNUM, 40)}.01.{_r(LOWER, 9)}\n", ".env", "gitlab-pat"),
    (f"--token glrt-t1_{_r(ALNUM, 40)}.{_r(LOWER, 9)}\n", "run.sh", "gitlab-runner-token"),
    # a Plaid access token (the item's credential); a comment naming the form
    (f'"access_token": "access-production-{_uuid()}"\n', "a.json", "plaid-access-token"),
    ("PLAID_ENV=production  # access-production-<item uuid> tokens\n", ".env", None),
    # a Google OAuth client secret of the legacy 24-character form, after its client id
    (
        f"CLIENT_ID = '{_digits(12)}-{_r(LOWER, 32)}.apps.googleusercontent.com'\n"
        f"CLIENT_SECRET = '{_r(ALNUM, 11)}_{_r(ALNUM, 12)}'\n",
        "config.py",
        "google-oauth-client-secret-legacy",
    ),
    (
        f"CLIENT_ID = '{_digits(12)}-{_r(LOWER, 32)}.apps.googleusercontent.com'\n"
        "CLIENT_SECRET = os.environ['GOOGLE_CLIENT_SECRET']\n",
        "config.py",
        None,
    ),
    # a Dropbox long-lived token: ten A's in the middle are part of the format
    (
        f'dropbox_token = "{_r(LOWER, 11)}AAAAAAAAAA{_r(ALNUM, 43)}"\n',
        "a.py",
        "dropbox-long-lived-token",
    ),
    ('pad = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"\n', "a.py", None),
    # Slack browser session token and cookie, GitHub's stateless installation token
    (
        f"xoxc-{_digits(10)}-{_digits(13)}-{_digits(13)}-{_r(HEX, 64)}\n",
        "a.txt",
        "slack-session-token",
    ),
    (f'd = "xoxd-{_r(ALNUM, 70)}%2F{_r(ALNUM, 60)}%3D"\n', "c.py", "slack-session-cookie"),
    (
        f"ghs_{_digits(6)}_eyJ{_r(ALNUM, 30)}.eyJ{_r(ALNUM, 80)}.{_r(ALNUM, 43)}\n",
        "a.txt",
        "github-app-installation-jwt",
    ),
    # session 9: Cisco IOS configurations (a hash after `enable secret 5` is a secret too)
    (f"enable secret 0 {_r(ALNUM, 14)}\n", "router.cfg", "cisco-enable-secret"),
    (f"enable secret 5 $1${_r(ALNUM, 4)}${_r(ALNUM, 22)}\n", "r.cfg", "cisco-enable-secret"),
    ("enable secret <password>\n", "router.cfg", None),
    ("Use the enable secret command to set a password.\n", "notes.txt", None),
    (f"snmp-server community {_r(ALNUM, 10)} RW 99\n", "switch.cfg", "snmp-rw-community"),
    ("snmp-server community <string> RW\n", "switch.cfg", None),
    (f" pac key 7 {_r(HX, 16)}\n", "ise.cfg", "cisco-pac-key"),
    # Aiven service passwords: AVNS_ and 9 or more characters; shorter is not one
    (f"AVNS_{_r(ALNUM, 19)}\n", "a.txt", "aiven-service-password"),
    (f"AVNS_{_r(ALNUM, 6)}\n", "a.txt", None),
    (f"AVNS{_digits(8)}\n", "a.txt", None),
    # SignalR / Web PubSub / Redis / Functions connection values
    (
        f"Endpoint=https://hub1.service.signalr.net;AccessKey={_r(ALNUM, 43)}=;Version=1.0;\n",
        "appsettings.txt",
        "azure-signalr-access-key",
    ),
    (
        "Endpoint=https://hub1.webpubsub.azure.com;AccessKey=${WEBPUBSUB_KEY};Version=1.0;\n",
        "appsettings.txt",
        None,
    ),
    (
        f"c1.redis.cache.windows.net:6380,password={_r(ALNUM, 43)}=,ssl=True\n",
        "a.txt",
        "azure-redis-access-key",
    ),
    (
        f"https://fn1.azurewebsites.net/api/Trigger?code={_r(ALNUM, 54)}==\n",
        "a.txt",
        "azure-function-key-url",
    ),
    ("https://fn1.azurewebsites.net/api/Trigger?code=<function-key>\n", "a.txt", None),
    (f'AZURE_KEY = "{_r(ALNUM, 52)}JQQJ99{_r(ALNUM, 26)}"\n', "a.py", "azure-ai-services-key"),
    (
        f"Endpoint=sb://hub.servicebus.windows.net/;SharedAccessKeyName=Listen;"
        f"SharedAccessKey={_r(ALNUM, 47)}=\n",
        "a.txt",
        "azure-service-bus-key",
    ),
    # Coinbase CDP key file, Data Factory runtime key, Django's startproject key
    (
        f'{{"id": "{_uuid()}", "privateKey": "{_r(ALNUM, 86)}=="}}\n',
        "cdp_api_key.json",
        "coinbase-cdp-private-key",
    ),
    (
        f"IR@{_uuid()}@adf-prod-01@we@{_r(ALNUM, 43)}=\n",
        "a.txt",
        "azure-datafactory-shir-key",
    ),
    (
        f'SECRET_KEY = "django-insecure-{_r(ALNUM, 40)}!%^"\n',
        "settings.py",
        "django-insecure-secret-key",
    ),
    ('SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]  # not django-insecure-\n', "s.py", None),
    # Data Center PATs: base64 of "<12-digit id>:<random>"
    (
        f'confluence_pat: "{b64(_digits(12) + ":" + _r(ALNUM, 20))[:44]}"\n',
        "a.yaml",
        "atlassian-datacenter-pat",
    ),
    # Braintree: tokenization keys under the provider's name, sandbox access tokens
    (
        f'BRAINTREE_TOKENIZATION_KEY="sandbox_{_r(LOWER, 8)}_{_r(LOWER, 16)}"\n',
        ".env",
        "braintree-tokenization-key",
    ),
    (f"sandbox_{_r(LOWER, 8)}_{_r(LOWER, 16)}\n", "a.txt", None),
    (f'bt = "access_token$sandbox${_r(LOWER, 16)}"\n', "a.py", "braintree-sandbox-access-token"),
    # a bot URL writes "bot" right before a Telegram token
    (
        f"https://api.telegram.org/bot{_digits(9)}:AA{_r(ALNUM, 33)}/getMe\n",
        "a.txt",
        "telegram-bot-token",
    ),
    (f"DEEPSEEK = 'sk-{_r(HEX, 32)}'\n", "a.py", "deepseek-api-key-bare"),
    (f"x = 'disk-{_r(HEX, 32)}'\n", "a.py", None),
    # keyed values in either case; peers' wider alphabets for Typeform, Gitter, Yandex IAM
    (f'twitch_token = "{_r(ALNUM, 30)}"\n', "a.py", "twitch-oauth-token"),
    ('twitch_token = "${TWITCH_TOKEN}"\n', "a.py", None),
    (f"TYPEFORM_TOKEN=tfp_{_r(LOWER + '_.=-', 59)}\n", ".env", "typeform-pat"),
    (f'gitter_token = "{_r(ALNUM + "_-", 40)}"\n', "a.py", "gitter-token"),
    (
        f"yc_token = 't1.{_r(ALNUM, 24)}.{_r(ALNUM + '_-', 86)}'\n",
        "a.py",
        "yandex-cloud-iam-token",
    ),
    (f'apollo_api_key = "{_r(ALNUM, 22)}"\n', "a.py", "apollo-io-api-key"),
    (f"brandfetch_key={_r(ALNUM, 40)}\n", ".env", "brandfetch-api-key"),
    # session 10: keyed values after a YAML block indicator, an XML element's name, a Go type
    (f"circle_token: >\n  {_r(HX, 40)}\n", "ci.yml", "circleci-token"),
    (f"circle token = '{_r(HX, 40)}'\n", "a.txt", "circleci-token"),
    (f"circle_token = '{_r(HX, 38)}'\n", "a.txt", None),
    (
        f"<linenotifyToken>\n    {_r(ALNUM, 43)}\n</linenotifyToken>\n",
        "a.xml",
        "line-notify-token",
    ),
    (f"linenotifyToken,{_r(ALNUM, 43)},\n", "keys.csv", "line-notify-token"),
    (
        f'var moderationToken string = "{_r(ALNUM, 36)}.{_r(ALNUM, 115)}.{_r(ALNUM, 43)}"\n',
        "main.go",
        "moderation-api-key",
    ),
    (f"close token = 'api_{_r(ALNUM, 22)}.{_r(ALNUM, 22)}'\n", "a.txt", "close-api-key"),
    (f"close_api_key = 'api_{_r(ALNUM, 22)}'\n", "a.txt", None),
    (f"finage_key = 'API_KEY{_r(ALNUM.upper()[26:], 32)}'\n", "a.py", "finage-api-key"),
    ("finage_key = 'API_KEY_FOR_THE_MARKET_DATA_SERVICE'\n", "a.py", None),
    (f"DOPPLER_TOKEN=dp.ct.{_r(ALNUM, 44)}\n", ".env", "doppler-cli-token"),
    (
        f"<secret>{{aiven AQAAABAAA {_r(ALNUM + '+/', 120)}=}}</secret>\n",
        "credentials.xml",
        "jenkins-credential-secret",
    ),
    ('out = f"<token>{self.session_token_value}</token>"\n', "a.py", None),
    # a value a stray "?" splits is not a token (trufflehog's invalid patterns)
    (f"pushbulletapikey = '{_r(ALNUM, 17)}?{_r(ALNUM, 16)}'\n", "a.txt", None),
    (f"grafana = 'glc_{_r(ALNUM, 60)}?{_r(ALNUM, 40)}'\n", "a.txt", None),
    (f"grafana = 'glc_{_r(ALNUM, 60)}'\n", "a.txt", "grafana-cloud-token"),
    (f'GRAFANA_URL_PART = "glc_{_r(ALNUM, 60)}?region=us"\n', "a.sh", "grafana-cloud-token"),
    # Splunk Observability and Front tokens under their names, Typeform's 40-hex form
    (f'splunk_TOKEN = "{_r(ALNUM, 22)}"\n', "a.txt", "splunk-observability-token"),
    (
        f"front token = '{_r(ALNUM, 36)}.{_r(ALNUM + '._-', 200)}'\n",
        "a.txt",
        "front-api-token",
    ),
    (f"typeform_token = 'tfp_{_r(HEX, 40)}'\n", "a.py", "typeform-pat"),
    # session 10: the provider's name, a secret word or none, the value after blanks
    (f"clockify SECRET {_r(LOWER, 48)}\n", "notes.txt", "clockify-api-key"),
    (f"clockify {_r(LOWER, 48)}\n", "notes.txt", "clockify-api-key"),
    (f"deepgram api key {_r(HEX, 40)}\n", "notes.txt", "deepgram-api-key"),
    # the value's shape still decides: too short, or a word after the name
    (f"clockify SECRET {_r(LOWER, 40)}\n", "notes.txt", None),
    ("clockify workspace settings and the reports of last week\n", "notes.txt", None),
    (f"myclockify {_r(LOWER, 48)}\n", "notes.txt", None),
    # Vault's legacy tokens with no key: 24 random base62 characters after s.
    (f"vault login s.{_r(ALNUM, 22)}Q7\n", "run.sh", "vault-legacy-token-bare"),
    ("e = s.getElementsByTagName2Dx.length\n", "a.js", None),
    (f"x = obj.s.{_r(ALNUM, 22)}Q7\n", "a.js", None),
    (f"UNLEASH_API_TOKEN=default:development.{_r(HEX, 56)}\n", ".env", "unleash-api-token"),
    (f'unleash_pat: "user:{_r(HEX, 56)}"\n', "a.yml", "unleash-api-token"),
    (f"PUBNUB_PUBLISH_KEY=pub-c-{_uuid()}\n", ".env", "pubnub-publish-key"),
    (f"PUBNUB_SUBSCRIBE_KEY=sub-c-{_uuid()}\n", ".env", None),
    (f'onelogin secret: "secret_{_r(LOWER, 64)}"\n', "a.yml", "onelogin-client-secret"),
    (f"LIVEBLOCKS_SECRET_KEY=sk_dev_{_r(ALNUM + '_-', 64)}\n", ".env", "liveblocks-secret-key"),
    # session 11: a dash and quotes between the name and the value, a text table's "|"
    (f"roaring token - '{_r(ALNUM + '_-', 28)}'\n", "notes.txt", "roaring-client-secret"),
    (f"rownd token - '{_r(LOWER, 48)}'\n", "notes.txt", "rownd-app-secret"),
    (f"websitepulse '{_r(HEX, 32)}'\n", "notes.txt", "websitepulse-api-key"),
    ("roaring token - 'the-engine-started-up-loudly'\n", "notes.txt", None),
    (f"sanity auth token |sk{_r(ALNUM, 79)}\n", "api.md", "sanity-token"),
    (f"sanity auth token |sk{_r(ALNUM, 40)}\n", "api.md", None),
    (f'$paperformToken .= "{_r(ALNUM + "._-", 900)}";\n', "conf.php", "paperform-api-key"),
    (f"salesblink token = 'key-{_r(ALNUM, 64)}'\n", "a.txt", "salesblink-api-key"),
    (f"salesblink token = 'key-{_r(ALNUM, 40)}'\n", "a.txt", None),
    (f'bitmexSecret := " {_r(ALNUM + "_-", 48)} "\n', "main.go", "bitmex-api-secret"),
    (f'censys_key: "{_r(ALNUM, 32)}"\n', "config.yaml", "censys-api-secret"),
    (f'shutterstock_access_token = "v2/{_r(ALNUM, 400)}"\n', "a.py", "shutterstock-oauth-token"),
    (f"PORTAINER_TOKEN=ptr_{_r(ALNUM, 30)}-{_r(ALNUM, 20)}\n", ".env", "portainer-token"),
    (
        f"AZURE_API_MANAGEMENT_SUBSCRIPTION_KEY={_r(HEX, 32)}\n",
        ".env",
        "azure-apim-subscription-key",
    ),
    # a SAS query without its signature is no credential; a "?"-split value with a "="
    (
        "AZURE_BLOB_SAS_TOKEN=st=2025-03-04T07:24:52Z&se=2025-04-04T15:24:52Z&sv=2022-11-02&sr=c\n",
        ".env",
        None,
    ),
    (f"deploy_token = 'ptr_{_r(ALNUM, 8)}={_r(ALNUM, 12)}+AB?{_r(ALNUM, 20)}'\n", "a.txt", None),
    # session 11, second batch: Airtable OAuth, AYLIEN, Coinlib, OnePageCRM, Metabase under
    # their names
    (
        f"Using Key=oaa{_r(ALNUM, 14)}.v1.eyJ{_r(ALNUM, 120)}.{_r(HEX, 64)}\n",
        "debug.log",
        "airtable-oauth-token",
    ),
    (f"Using Key=oaa{_r(ALNUM, 14)}.v2.eyJ{_r(ALNUM, 120)}.{_r(HEX, 64)}\n", "debug.log", None),
    (f"aylien key: {_r(LOWER, 32)}\n", "notes.yml", "aylien-api-key"),
    (f"aylien key: {_r(LOWER, 20)}AB{_r(LOWER, 10)}\n", "notes.yml", None),
    (f"coinlibToken = '{_r(LOWER, 16)}'\n", "a.js", "coinlib-api-key"),
    (f"onepagecrm token - '{_r(ALNUM, 43)}='\n", "notes.txt", "onepagecrm-api-key"),
    (f"metabase '{_uuid()}'\n", "notes.txt", "metabase-session-token"),
    ("metabase 'prod-analytics-dashboard-public-link'\n", "notes.txt", None),
    (f'TWITTER_BEARER="AAAAAAAAAAAAAA{_r(ALNUM, 90)}"\n', ".env", "twitter-bearer-token-keyed"),
    (
        'TWITTER_BEARER="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"\n',
        ".env",
        None,
    ),
    # OpenVPN Cloud client secrets under openvpn's name, the dash form included (session 11)
    (f"openvpn token - '{_r(B64URL, 86)}'\n", "notes.txt", "openvpn-cloud-client-secret"),
    (f"OPENVPN_CLIENT_SECRET={_r(B64URL, 64)}\n", ".env", "openvpn-cloud-client-secret"),
    # its client id and the tenant URL are not secrets
    (f"openvpn token - '{_r(ALNUM, 23)}.{_r(ALNUM, 5)}'\n", "notes.txt", None),
    (f"openvpn token - 'https://{_r(ALNUM, 30)}.api.openvpn.com'\n", "notes.txt", None),
    # trufflehog's detector population (session 12): providers with no rule, forms missed
    (f'TOKEN = "thog-secret-{_r(HEX, 32)}"\n', "a.py", "trufflehog-enterprise-secret"),
    (f'TOKEN = "thog-secret-{_r(HEX, 30)}"\n', "a.py", None),
    (f"VF_KEY=VF.WS.{_r(HEX, 24)}.{_r(ALNUM, 16)}\n", ".env", "voiceflow-api-key"),
    (f"VERSION=VF.WS.{_r(HEX, 24)}\n", ".env", None),
    (f'cosmosdb key = "{_r(ALNUM + "+/", 86)}=="\n', "a.go", "azure-account-key-keyed"),
    ('COSMOSDB_KEY: "${COSMOSDB_KEY}"\n', "ci.yml", None),
    (f"alienvault_api_key: {_r(LOWER, 40)}{_r(HEX, 24)}\n", "a.yml", "alienvault-otx-api-key"),
    (f"planview_token: {_r(HEX, 128)}\n", "a.yml", "planview-leankit-api-token"),
    (f"fibery_token = '{_r(HEX, 8)}.{_r(HEX, 35)}'\n", "a.py", "fibery-api-token"),
    ("fibery_token = 'fibery.workspace.example'\n", "a.py", None),
    (f"POLONIEX_SECRET={_r(HEX, 128)}\n", ".env", "poloniex-api-secret"),
    (f"SCALR_TOKEN={_r(ALNUM, 40)}.{_r(ALNUM, 95)}\n", ".env", "scalr-api-token"),
    (f'SIMPLYNOTED_API_KEY="{_r(ALNUM, 350)}"\n', ".env", "simplynoted-api-key"),
    (f'SEGMENT_TOKEN="{_r(ALNUM, 43)}.{_r(ALNUM, 43)}"\n', ".env", "segment-access-token"),
    (
        f'viewneo token = "{_r(ALNUM, 130)}.{_r(ALNUM, 160)}.{_r(ALNUM, 610)}"\n',
        "a.go",
        "viewneo-api-token",
    ),
    (f'codemagic_token = "{_r(ALNUM, 30)}_{_r(ALNUM, 12)}"\n', "a.py", "codemagic-token"),
    (f"RECHARGE_TOKEN=sk_3x1_{_r(HEX, 64)}\n", ".env", "recharge-api-token"),
    (f"RECHARGE_TOKEN=sk_1x1_{'0' * 64}\n", ".env", None),
    # session 12: the peers' whole rule sets (gitleaks, betterleaks, Kingfisher), by family
    (f"csk-{_r(LOWER, 48)}\n", "notes.txt", "cerebras-api-key-prefixed"),
    (f"flp_{_r(ALNUM, 46)}\n", "notes.txt", "friendli-pat"),
    (f"wandb_v1_{_r(ALNUM + '_', 77)}\n", "notes.txt", "wandb-api-key-v1"),
    (f"ollama key = {_r(HEX, 32)}.{_r(B64URL, 24)}\n", "notes.txt", "ollama-cloud-api-key"),
    (f"baseten_key = {_r(ALNUM, 8)}.{_r(ALNUM, 32)}\n", ".env", "baseten-api-key"),
    (f"customerio_key = {_r(HEX, 20)}\n", ".env", "customerio-api-key"),
    (f"export ITERABLE_KEY={_r(HX, 32)}\n", ".env", "iterable-api-key"),
    (f'upstash management api key: "{_uuid()}"\n', "notes.txt", "upstash-management-api-key"),
    (f'sslmate_api_key = "k{_digits(5)}_{_r(LOWER, 26)}"\n', "a.py", "sslmate-api-key-numbered"),
    (f"GEMFURY_URL=https://{_r(ALNUM, 20)}:@pypi.fury.io/acme\n", ".env", "gemfury-url-token"),
    (f"index-url = https://{_r(B64URL, 32)}@repo.fury.io/acme/\n", "pip.conf", "gemfury-url-token"),
    (
        f"apk_{b64(f'org-{_r(HEX, 32)}:{_r(HEX, 32)}')}\n",
        "notes.txt",
        "devin-org-api-key",
    ),
    (
        f"DEVIN_API_KEY=apk_user_{b64(f'user-{_r(HEX, 32)}_org-{_r(HEX, 32)}:{_r(HEX, 32)}')}\n",
        ".env",
        "devin-api-key",
    ),
    (
        "sct_rwa_acme_"
        + base64.urlsafe_b64encode(f"{_uuid()}:{_uuid()}:{_r(HEX, 32)}".encode()).decode()
        + "\n",
        "notes.txt",
        "shortcut-api-token-scoped",
    ),
    (
        "admin token: p."
        + base64.urlsafe_b64encode(f'{{"u": "{_uuid()}", "id": "{_uuid()}"}}'.encode())
        .decode()
        .rstrip("=")
        + f".{_r(B64URL, 43)}\n",
        "notes.txt",
        "tinybird-token",
    ),
    (
        "AWS_BEARER_TOKEN_BEDROCK=bedrock-api-key-"
        + b64(f"bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Signature={_r(HEX, 64)}")
        + "\n",
        ".env",
        "aws-bedrock-short-term-api-key",
    ),
    (f"facebook {_digits(16)}|{_r(ALNUM, 27)}\n", "notes.txt", "facebook-app-access-token"),
    (f"| {_digits(16)}|{_r(LOWER, 27)} |\n", "table.md", None),
    # calls with literal passwords (PowerShell), Kerberos roasting hashes, Redis URLs
    (
        f'$p = ConvertTo-SecureString "{_r(ALNUM, 10)}!" -AsPlainText -Force\n',
        "deploy.ps1",
        "powershell-securestring-plaintext",
    ),
    ("$p = ConvertTo-SecureString $env:SVC_PASSWORD -AsPlainText -Force\n", "deploy.ps1", None),
    (
        f'$c = [Net.NetworkCredential]::new("svc", "{_r(ALNUM, 10)}!")\n',
        "deploy.ps1",
        "dotnet-network-credential",
    ),
    (
        f"$krb5asrep$23$svc@corp.local:{_r(HEX, 32)}${_r(HEX, 200)}\n",
        "roast.txt",
        "password-hash-krb5asrep",
    ),
    (
        f"$krb5tgs$23$*sql$CORP.LOCAL$MSSQLSvc/db*${_r(HEX, 32)}${_r(HEX, 200)}\n",
        "roast.txt",
        "password-hash-krb5tgs",
    ),
    (f"redis://:{_r(ALNUM, 24)}=@cache.prod-eu.internal:6380/0\n", "a.txt", "redis-url-password"),
    # fakes the peers write as negative examples: wrong structure, masks, published samples
    (f'telegram_api_token = "{_digits(4)}:A{_r(LOWER, 34)}"\n', "a.py", None),
    (f'telegram_api_token = "{_digits(17)}:A{_r(LOWER, 34)}"\n', "a.py", None),
    (f'telegram_api_token = "{_digits(9)}:A{_r(LOWER, 34)}"\n', "a.py", "generic-token"),
    # session 12, batch 2: Kingfisher's long tail
    (f"smb://alice:{_r(ALNUM, 12)}@fs01.corp.internal/share\n", "a.txt", "service-url-password"),
    (
        f'uri = "db:snowflake://etl:{_r(ALNUM, 14)}!@acme.snowflakecomputing.com/db"\n',
        "a.py",
        "service-url-password",
    ),
    ("solr://admin:${SOLR_PASSWORD}@solr.corp.internal:8983/solr\n", "a.txt", None),
    (f"bkct_{_r(HEX, 40)}\n", "notes.txt", "buildkite-registration-token"),
    (f"HONEYCOMB_API_KEY=hcxik_{_r(ALNUM, 58)}\n", ".env", "honeycomb-key-hcx"),
    (
        f"nessuscli agent link --key={_r(HEX, 64)} --host=scanner.corp.internal\n",
        "setup.sh",
        "nessus-agent-link-key",
    ),
    (f"BOOTSTRAP_TOKEN={_r(LOWER, 6)}.{_r(LOWER, 16)}\n", ".env", "kubernetes-bootstrap-token"),
    (f"coze-key: pat_{_r(ALNUM, 64)}\n", "c.yml", "coze-pat"),
    (f"dub_{_r(ALNUM, 24)}\n", "notes.txt", "dub-api-key"),
    (f"fileio_key = {_r(ALNUM[26:], 20)}.{_r(ALNUM[26:], 20)}\n", ".env", "fileio-api-key"),
    (f":gemstash_key: {_r(HEX, 32)}\n", "config.yml", "gemstash-key"),
    (f"HELPSCOUT_CLIENT_SECRET={_r(HX, 32)}\n", ".env", "helpscout-client-secret"),
    (
        f"mix hex.organization auth acme --key {_r(HEX, 32)}\n",
        "ci.sh",
        "hexpm-organization-auth-key",
    ),
    (f"KEEN_WRITE_KEY={_r(HEX, 64)}\n", ".env", "keen-io-key"),
    (f"owlbot SECRET {_r(HEX, 40)}\n", "notes.txt", "owlbot-api-token"),
    (f'pb = PushBullet("o.{_r(ALNUM, 32)}")\n', "a.py", "pushbullet-client-call"),
    (f'pagerduty: "Token token={_r(B64URL, 20)}"\n', "c.yml", "pagerduty-token-header"),
    (
        f"FCM_SERVER_KEY=AAAA{_r(B64URL, 7)}:APA91b{_r(B64URL, 134)}\n",
        ".env",
        "firebase-cloud-messaging-server-key",
    ),
    (
        '{"type": "service_account", "private_key_id": "' + _r(HEX, 40) + '", "private_key": '
        '"-----BEGIN PRIVATE KEY-----' + "X" * 1200 + '-----END PRIVATE KEY-----\\n"}\n',
        "sa.json",
        None,
    ),
]


# session 12: a sixth unseen sample (keyhog's detector specifications); its own values
_V6 = Values(1212)


def _der_key(*, private: bool) -> str:
    """The base64 DER body of a fresh EC key (private: PKCS#8; public: SubjectPublicKeyInfo)."""
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    if private:
        der = key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption())
    else:
        der = key.public_key().public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode()


_r6, _uuid6 = _V6.r, _V6.uuid
UNSEEN6_FORMS = [
    # a UUID under a key named an API key is the key; under another "...key" an id
    # (session 14: the long-tail provider rules name UMAMI_API_KEY and MAGIC_EDEN_API_KEY)
    (f"UMAMI_API_KEY={_uuid6()}\n", ".env", "umami-api-key"),
    (f'MAGIC_EDEN_API_KEY = "{_uuid6()}"\n', "nft.py", "magiceden-api-key"),
    (f'idempotency_key = "{_uuid6()}"\n', "pay.py", None),
    (f'partition_key: "{_uuid6()}"\n', "a.yml", None),
    (f'api_key = "{_uuid6()}"\n', "client.py", None),
    # Paddle keys: a lowercase id, "_", then mixed case
    (
        f"PADDLE_API_KEY=pdl_live_apikey_{_r6(LOWER, 26)}_{_r6(ALNUM, 27)}\n",
        ".env",
        "paddle-live-api-key",
    ),
    (f"PADDLE_API_KEY=pdl_live_apikey_{_r6(LOWER, 8)}\n", ".env", None),
    # UptimeRobot's read-only keys start "ur" (the rule's "[ur]" took one letter)
    (f'uptimerobot_api_key = "ur{_V6.digits(7)}-{_r6(HEX, 24)}"\n', "a.py", "uptimerobot-api-key"),
    (f"BING_MAPS_KEY={_r6(ALNUM, 64)}\n", ".env", "bing-maps-api-key"),
    (f"bing.maps.key={_r6(ALNUM + '_-', 64)}\n", "app.properties", "bing-maps-api-key"),
    ("BING_MAPS_KEY=${BING_MAPS_KEY}\n", ".env", None),
    (
        f'  proxy_set_header CF-Access-Client-Secret "{_r6(HEX, 64)}";\n',
        "nginx.conf",
        "cloudflare-access-client-secret",
    ),
    (
        f'-H "CF-Access-Client-Secret: {_r6(HEX, 64)}"\n',
        "probe.sh",
        "cloudflare-access-client-secret",
    ),
    ('-H "CF-Access-Client-Secret: ${CF_SECRET}"\n', "probe.sh", None),
    (
        f"      - CHROMA_SERVER_AUTHN_CREDENTIALS={_r6(ALNUM + '_-', 32)}\n",
        "docker-compose.yml",
        "chroma-auth-token",
    ),
    (
        f'curl -H "X-Chroma-Token: {_r6(ALNUM + "_-", 32)}" https://db\n',
        "q.sh",
        "chroma-auth-token",
    ),
    ("      - CHROMA_SERVER_AUTHN_CREDENTIALS=${CHROMA_TOKEN}\n", "docker-compose.yml", None),
    (
        f"POLYGON_RPC_URL=https://polygon-mainnet.g.alchemy.com/v2/{_r6(ALNUM + '_-', 32)}\n",
        ".env",
        "alchemy-rpc-url-key",
    ),
    ("POLYGON_RPC_URL=https://polygon-mainnet.g.alchemy.com/v2/demo\n", ".env", None),
    (f"    'ck_{_r6(HEX, 40)}',\n", "woo.php", "woocommerce-consumer-key"),
    (f"    'ck_{_r6(HEX, 12)}',\n", "woo.php", None),
    (f"  greynoise: {_r6(ALNUM, 30)}\n", "enrich.yml", "greynoise-api-key"),
    ("  greynoise: enabled\n", "enrich.yml", None),
    (
        "https://api.worldweatheronline.com/premium/v1/weather.ashx?key="
        f"{_r6(LOWER, 31)}&q=London\n",
        "weather.py",
        "worldweatheronline-api-key",
    ),
    (f"SMARTTHINGS_PAT={_uuid6()}\n", ".env", "smartthings-token"),
    (f'BRAZIL_CKAN_KEY: "{_uuid6()}"\n', "ckan.yml", "ckan-api-key"),
    ('BRAZIL_CKAN_KEY: "00000000-0000-0000-0000-000000000000"\n', "ckan.yml", None),
    # second batch (a second draw of 40): a properties file's dotted api.key, a key's base64
    # DER body with no armour, LocationIQ pk. tokens
    (f"here.api.key={_r6(ALNUM, 43)}\n", "maps.properties", "generic-api-key-unquoted"),
    (f"cache.key={_r6(ALNUM, 43)}\n", "app.properties", None),
    (f"SIGNING_KEY={_der_key(private=True)}\n", ".env", "private-key-der-base64"),
    (f"SIGNING_PUBLIC_KEY={_der_key(private=False)}\n", ".env", None),
    (f"LOCATIONIQ_KEY=pk.{_r6(HEX, 32)}\n", ".env", "locationiq-access-token"),
    (f"LOCATIONIQ_KEY=pk.{_r6(HEX, 12)}\n", ".env", None),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    PROVIDER_FORMS + UNSEEN6_FORMS,
    ids=[str(i) for i, _ in enumerate(PROVIDER_FORMS + UNSEEN6_FORMS)],
)
def test_provider_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)


def test_basic_scheme_holding_a_jwt_is_not_basic_credentials(engine: SecretEngine) -> None:
    """``Basic <JWT>`` (gitleaks' negative example): the part before the first dot decodes to
    the JWT's JSON header, not ``user:password`` (session 12)."""
    jwt = f"eyJhbGciOiJIUzI1NiJ9.eyJ{_r(ALNUM, 20)}.{_r(B64URL, 43)}"
    found = [m.rule.id for m in engine.scan_text(f'-H "Authorization: Basic {jwt}"\n', path="a.sh")]
    assert "secrets/authorization-basic" not in found
    creds = b64(f"deploy:{_r(ALNUM, 12)}")
    found = [
        m.rule.id for m in engine.scan_text(f'-H "Authorization: Basic {creds}"\n', path="a.sh")
    ]
    assert "secrets/authorization-basic" in found


_V13 = Values(1313)
_r13, _uuid13 = _V13.r, _V13.uuid
#: session 13 (the rest of trufflehog's population, keyhog's hold-out class): keys named an
#: SDK key or a secret id that are secrets, and keys named by the provider alone
POPULATION13_FORMS = [
    # Vault AppRole's secret_id, Consul's and Nomad's SecretID: a UUID there authenticates
    (f"VAULT_SECRET_ID={_uuid13()}\n", ".env", "generic-secret-unquoted"),
    (f"  secret_id: {_uuid13()}\n", "approle.yml", "generic-secret-unquoted"),
    (
        f'{{"AccessorID": "{_uuid13()}", "SecretID": "{_uuid13()}"}}\n',
        "token.json",
        "generic-secret",
    ),
    # an AWS Secrets Manager secret_id is a name; Azure's client_secret_id an id
    ('secret_id = "prod/app/db-credentials"\n', "main.tf", None),
    (f'{{"client_secret_id": "{_uuid13()}"}}\n', "app.json", None),
    (
        "SECRET_ID=arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-Ab12Cd\n",
        ".env",
        None,
    ),
    # a server-side SDK key (Split, Eppo, Optimizely); a client-side or mobile one is public
    (f"  splitio_sdk_key: {_r13(LOWER, 36)}\n", "flags.yml", "generic-api-key-unquoted"),
    (f"EPPO_SDK_KEY={_r13(ALNUM + '_-', 40)}\n", ".env", "eppo-api-key"),  # (session 14)
    (f"LD_MOBILE_SDK_KEY={_r13(ALNUM, 24)}\n", ".env", None),
    (f"NEXT_PUBLIC_FLAGS_CLIENT_SDK_KEY={_r13(ALNUM, 24)}\n", ".env", None),
    # GoDaddy's key (<13>_<22>) and secret (22), Demio's key (32), VBOUT's (25 digits)
    (f"GODADDY_KEY={_r13(ALNUM, 13)}_{_r13(ALNUM, 22)}\n", ".env", "godaddy-api-key"),
    (f"godaddy_secret: {_r13(ALNUM, 22)}\n", "dns.yml", "godaddy-api-key"),
    ("GODADDY_KEY=${GODADDY_KEY}\n", ".env", None),
    (f'demio_key = "{_r13(ALNUM, 32)}"\n', "webinar.py", "demio-api-key"),
    (f'demio_key = "{_r13(ALNUM, 12)}"\n', "webinar.py", None),
    (f"VBOUT_API_KEY={_V13.digits(25)}\n", ".env", "vbout-api-key"),
    ("VBOUT_API_KEY=1234567890123456789012345\n", ".env", None),
    # Smooch / Sunshine Conversations: the 86-character secret under the provider's name
    (f"SMOOCH_SECRET={_r13(ALNUM + '_-', 86)}\n", ".env", "smooch-api-key-secret"),
    (f"smooch token - '{_r13(ALNUM + '_-', 86)}'\n", "notes.cfg", "smooch-api-key-secret"),
    (f"SMOOCH_SECRET={_r13(ALNUM, 40)}\n", ".env", None),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    POPULATION13_FORMS,
    ids=[str(i) for i, _ in enumerate(POPULATION13_FORMS)],
)
def test_population13_forms(
    text: str, path: str, rule_id: str | None, engine: SecretEngine
) -> None:
    check_form(engine, text, path, rule_id)


# session 13: values drawn from betterleaks' rule patterns; where the prefix is the provider's
# own, the lengths, cases and alphabets the peer accepts (the family's tolerance) are reported;
# a value of the provider's prefix outside them is still a fake that nothing reports
_VB = Values(1331)
_rb, _uuidb, _db = _VB.r, _VB.uuid, _VB.digits
_HEXA = HEX + "ABCDEF"
BETTERLEAKS_FORMS: list[tuple[str, str, str | None]] = [
    (f'T = "apify_api_{_rb(ALNUM, 34)}"\n', "a.py", "apify-api-token"),
    (f'T = "apify_api_{_rb(ALNUM, 30)}"\n', "a.py", None),
    (f"ASAAS_KEY=$aact_prod_{_rb(B64URL, 30)}\n", ".env", "asaas-api-token"),
    (f'T = "BBDC-{_rb(ALNUM, 36)}"\n', "a.py", "bitbucket-workspace-token"),
    (f'T = "BBDC-{_rb(ALNUM, 20)}"\n', "a.py", None),
    (f'T = "bkua_{_rb(LOWER + "0123456789", 53)}"\n', "a.py", "buildkite-api-token"),
    (f'BUILDKITE_TOKEN = "bkua_{_rb(HEX, 45)}"\n', "a.py", None),
    (f'T = "AstraCS:{_rb(ALNUM, 24)}"\n', "a.py", "datastax-astra-token"),
    (f'T = "AstraCS:{_rb(ALNUM, 12)}"\n', "a.py", None),
    (
        f'T = "dnkey-{_rb(LOWER + "0123456789", 26)}-{_rb(LOWER + "_=", 52)}"\n',
        "a.py",
        "defined-networking-key",
    ),
    (f'T = "dvc_server_{_rb(ALNUM, 12)}"\n', "a.py", "devcycle-server-sdk-key"),
    (f'T = "dvc_server_{_rb(ALNUM, 5)}"\n', "a.py", None),
    (f'T = "duffel_test_{_rb(B64URL, 41)}=="\n', "a.py", "duffel-test-token"),
    (f'T = "duffel_live_{_rb(B64URL, 42)}="\n', "a.py", "duffel-live-token"),
    (f"ES_KEY=essu_{_rb(B64URL, 150)}==\n", ".env", "elastic-cloud-api-key-essu"),
    (f"ES_KEY=essu_{_rb(B64URL, 30)}\n", ".env", None),
    (f'T = "figd_{_rb(B64URL, 38)}"\n', "a.py", "figma-pat"),
    (f'FIGMA_TOKEN = "figd_{_rb(B64URL, 30)}"\n', "a.py", None),
    (f'T = "FLWSECK_TEST-{_rb(HEX, 12)}"\n', "a.py", "flutterwave-encryption-key"),
    (f'T = "FLWSECK_TEST-{_rb(HEX, 8)}"\n', "a.py", None),
    (f'H = "FlyV1 {_rb(B64URL + ",", 120)}"\n', "a.py", "fly-io-authorization-token"),
    (f'H = "FlyV1 {_rb(B64URL, 50)}"\n', "a.py", None),
    (f'T = "lsv2_pt_{_rb(_HEXA, 32)}_{_rb(_HEXA, 10)}"\n', "a.py", "langsmith-api-key"),
    (f'T = "lip_{_rb(ALNUM + "_", 16)}"\n', "a.py", "lichess-pat"),
    (f'T = "lip_{_rb(ALNUM, 10)}"\n', "a.py", None),
    (f'T = "mlsn.{_rb(ALNUM, 40)}"\n', "a.py", "mailersend-token"),
    (f'T = "mlsn.{_rb(ALNUM, 20)}"\n', "a.py", None),
    (f'T = "napi_{_rb(ALNUM, 64)}"\n', "a.py", "neon-api-key"),
    (f'T = "nvapi-{_rb(B64URL, 60)}"\n', "a.py", "nvidia-api-key"),
    (f'NVIDIA_API_KEY = "nvapi-{_rb(B64URL, 50)}"\n', "a.py", None),
    (f'T = "pina_{_rb(B64URL, 20)}"\n', "a.py", "pinterest-access-token"),
    (f'T = "pina_{_rb(B64URL, 10)}"\n', "a.py", None),
    (f'T = "polar_pat_{_rb(B64URL, 24)}"\n', "a.py", "polar-personal-access-token"),
    (f'T = "polar_oat_{_rb(B64URL, 10)}"\n', "a.py", None),
    (f'PROOF_API_KEY = "prf_cli_{_rb(B64URL, 60)}"\n', "a.py", "proof-api-key"),
    (f'T = "rnd_{_rb(ALNUM, 28)}"\n', "a.py", "render-api-key"),
    (f'T = "rnd_{_rb(ALNUM, 20)}"\n', "a.py", None),
    (f'T = "xkeysib-{_rb(_HEXA, 64)}-{_rb(ALNUM, 16)}"\n', "a.py", "brevo-api-key"),
    (f'T = "sntrys_eyJ{_rb(ALNUM + "+/", 200)}="\n', "a.py", "sentry-org-token"),
    (f'T = "shippo_test_{_rb(HEX, 40)}"\n', "a.py", "shippo-test-token"),
    (f'T = "shippo_live_{_rb(_HEXA, 40)}"\n', "a.py", "shippo-live-token"),
    (f'T = "shpat_{_rb(_HEXA, 32)}"\n', "a.py", "shopify-access-token"),
    (f'SHOPIFY_TOKEN = "shpat_{_rb(_HEXA, 31)}"\n', "a.py", None),
    (f'T = "xapp-1-{_rb(ALNUM, 20)}-{_db(18)}-{_rb(LOWER, 13)}"\n', "a.py", "slack-app-token"),
    (f'T = "xapp-1-{_rb(ALNUM, 2)}-{_db(2)}-{_rb(LOWER, 3)}"\n', "a.py", None),
    (f'T = "xoxb-{_db(13)}-{_db(13)}{_rb(ALNUM, 20)}"\n', "a.py", "slack-bot-token"),
    ("T = 'xoxb-12345-abcd234'\n", "a.py", None),
    (f'T = "xoxs-{_db(2)}-{_db(16)}-{_db(21)}-{_rb(HEX, 11)}"\n', "a.py", "slack-legacy-token"),
    (f'"access_token": "xoxa-1-{_rb(LOWER, 12)}"\n', "a.json", "slack-legacy-workspace-token"),
    (f'"refresh_token": "xoxr-{_rb(LOWER, 12)}"\n', "a.json", "slack-legacy-workspace-token"),
    ("https://github.com/xoxa-nyc/xoxa-nyc.github.io/blob/master/README.md\n", "a.md", None),
    (f'T = "sbp_{_rb(LOWER + "_-", 20)}{_rb(HEX, 20)}"\n', "a.py", "supabase-access-token"),
    (f'T = "sbp_{_rb(HEX, 30)}"\n', "a.py", None),
    (f'T = "tskey-api-{_rb(ALNUM + "_", 24)}"\n', "a.py", "tailscale-key"),
    (f'T = "tskey-api-{_rb(ALNUM, 12)}"\n', "a.py", None),
    (f'T = "xai-{_rb(B64URL, 75)}"\n', "a.py", "xai-api-key"),
    (f'XAI_API_KEY = "xai-{_rb(ALNUM, 60)}"\n', "a.py", None),
    (f'YANDEX_TOKEN = "t1.{_rb(ALNUM, 6)}.{_rb(B64URL, 86)}"\n', "a.py", "yandex-cloud-iam-token"),
    (f'T = "zpka_{_rb(LOWER, 32)}_{_rb(HEX, 8)}"\n', "a.py", "zuplo-api-key"),
    (f'T = "sq0atp-{_rb(B64URL, 43)}"\n', "a.py", "square-sandbox-token"),
    (f'T = "EAAA{_rb(B64URL, 40)}"\n', "a.py", "square-access-token"),
    # "EAAA" at the start of a line of a base64 blob runs on into "/" or "+"
    (f"EAAA{_rb(ALNUM, 30)}/{_rb(ALNUM, 30)}+{_rb(ALNUM, 11)}\n", "blob.txt", None),
    (f'T = "github_pat_{_rb(ALNUM, 40)}_{_rb(ALNUM, 41)}"\n', "a.py", "github-fine-grained-pat"),
    (f'GITHUB_TOKEN = "github_pat_{_rb(ALNUM, 80)}"\n', "a.py", None),
    (f'T = "{"A" * 23}D{_rb(ALNUM, 98)}"\n', "a.py", "twitter-bearer-token"),
    (
        f'WORKOS_API_KEY = "sk_live_a2V5X{_rb(ALNUM, 30)}+{_rb(ALNUM, 38)}="\n',
        "a.py",
        "workos-api-key",
    ),
    (f'PINECONE_API_KEY = "{_uuidb().upper()}"\n', "a.py", "pinecone-api-key"),
    (f'CONTENTFUL_TOKEN = "{_rb(B64URL, 41)}=="\n', "a.py", "contentful-delivery-token"),
    (f'T = "pscale_pw_{_rb(B64URL, 30)}=={_rb(ALNUM, 8)}"\n', "a.py", "planetscale-password"),
    (f'ASSEMBLYAI_API_KEY = "{_rb(LOWER, 28)}{_db(4)}"\n', "a.py", "assemblyai-api-key"),
    (f'DATADOG_API_KEY = "{_rb(LOWER, 28)}{_db(4)}"\n', "a.py", "datadog-api-key"),
    (f'DATADOG_APP_KEY = "{_rb(ALNUM + "-", 40)}"\n', "a.py", "datadog-app-key"),
    (f'HUBSPOT_API_KEY = "{_uuidb().upper()}"\n', "a.py", "hubspot-api-key"),
    (f'NETLIFY_TOKEN = "{_rb(B64URL, 40)}="\n', "a.py", "netlify-token"),
    (f'OPENWEATHER_API_KEY = "{_rb(LOWER, 28)}{_db(4)}"\n', "a.py", "openweathermap-api-key"),
    (f'LOB_API_KEY = "test_{_rb(HEX, 35)}"\n', "a.py", "lob-api-key"),
    (f'FULLSTORY_API_KEY = "na1.{_rb(ALNUM, 30)}"\n', "a.py", "fullstory-api-key"),
    (f'INSTANTLY_API_KEY = "{_rb(ALNUM + "+/", 66)}=="\n', "a.py", "instantly-api-key"),
    (f'AUTH0_CLIENT_SECRET = "{_rb(B64URL, 100)}"\n', "a.py", "auth0-client-secret"),
    # batch 2: Adobe's p8e- under any name, Codecov and Fastly and LaunchDarkly under theirs,
    # a Slack webhook written without its scheme
    (f'adobeClient := "p8e-{_rb(ALNUM, 32)}"\n', "a.go", "adobe-client-secret"),
    (f'ADOBE_SECRET = "p8e-{_rb(ALNUM, 20)}"\n', "a.py", None),
    (f"codecov_token: {_rb(LOWER, 28)}{_db(4)}\n", "c.yml", "codecov-token"),
    (f'fastly_TOKEN = "{_rb(B64URL, 20)}={_rb(ALNUM, 11)}"\n', "a.py", "fastly-api-token"),
    (f'launchdarkly_token = "{_rb(B64URL, 40)}"\n', "a.py", "launchdarkly-access-token-keyed"),
    ('launchdarkly_project = "checkout-service"\n', "a.py", None),
    (
        f"url: hooks.slack.com/services/T{_rb(ALNUM, 8)}/B{_rb(ALNUM, 8)}/{_rb(ALNUM, 24)}\n",
        "c.yml",
        "slack-webhook-url",
    ),
    ("url: hooks.slack.com/services/T0000/B0000\n", "c.yml", None),
    # batch 3 (a second fit part): Onfido, PostHog, IBM Cloud, Grafana and Bitrise ranges
    (f'T = "api_live.{_rb(B64URL, 30)}"\n', "a.py", "onfido-live-api-token"),
    (f'ONFIDO_TOKEN = "api_live.{_rb(ALNUM, 10)}"\n', "a.py", None),
    (f'T = "phx_{_rb(B64URL, 45)}"\n', "a.py", "posthog-personal-api-key"),
    (f'POSTHOG_KEY = "phx_{_rb(ALNUM, 30)}"\n', "a.py", None),
    (f"export IBM_API_KEY={_rb(LOWER + '_-', 30)}{_db(12)}\n", "a.sh", "ibm-cloud-api-key"),
    (
        f'T = "eyJrIjoi{_rb(ALNUM, 30)}+{_rb(ALNUM, 20)}/{_rb(ALNUM, 20)}="\n',
        "a.py",
        "grafana-api-key",
    ),
    (f'{{"bitrise_token": "{_rb(B64URL, 64)}"}}\n', "a.json", "bitrise-token"),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    BETTERLEAKS_FORMS,
    ids=[str(i) for i, _ in enumerate(BETTERLEAKS_FORMS)],
)
def test_betterleaks_pattern_forms(
    text: str, path: str, rule_id: str | None, engine: SecretEngine
) -> None:
    check_form(engine, text, path, rule_id)


# session 13: providers two or more of the peers (trufflehog, betterleaks, Kingfisher, keyhog)
# have a rule for and pipesec had none (the crosswalk); the value of the documented shape under
# the provider's name is reported, another shape or a placeholder there is not
_VX = Values(1341)
_rx, _dx = _VX.r, _VX.digits
ALNUM_UP = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#: ("!rule": that rule does not report it; a generic rule judges another shape under these keys
#: as before, since the peers' shapes may disagree: the keyed rules here are not exclusive)
CROSSWALK13_FORMS: list[tuple[str, str, str | None]] = [
    (f"MORALIS_API_KEY={_rx(ALNUM, 64)}\n", ".env", "moralis-api-key"),
    (f"MORALIS_API_KEY={_rx(ALNUM, 40)}\n", ".env", "!moralis-api-key"),
    (f'statuscake_api_token: "{_rx(ALNUM, 20)}"\n', "ci.yml", "statuscake-api-token"),
    ('statuscake_api_token: "${STATUSCAKE_API_TOKEN}"\n', "ci.yml", None),
    (f"AMADEUS_API_SECRET={_rx(ALNUM, 16)}\n", ".env", "amadeus-api-secret"),
    (f"AMADEUS_API_SECRET={_rx(ALNUM, 32)}\n", ".env", "!amadeus-api-secret"),
    (f'baremetrics_key = "{_rx(ALNUM, 25)}"\n', "a.py", "baremetrics-api-key"),
    ('baremetrics_key = "<your-baremetrics-key>"\n', "a.py", None),
    (f"BUTTERCMS_API_TOKEN={_rx(HEX, 40)}\n", ".env", "buttercms-api-token"),
    (f"BUTTERCMS_API_TOKEN={_rx(HEX, 30)}\n", ".env", "!buttercms-api-token"),
    (f'"chartmogul_api_key": "{_rx(ALNUM, 32)}"\n', "a.json", "chartmogul-api-key"),
    (f'"chartmogul_api_key": "{_rx(ALNUM, 24)}"\n', "a.json", "!chartmogul-api-key"),
    (f"CROWDIN_PERSONAL_TOKEN={_rx(ALNUM, 80)}\n", ".env", "crowdin-api-token"),
    (f"CROWDIN_PERSONAL_TOKEN={_rx(ALNUM, 64)}\n", ".env", "!crowdin-api-token"),
    (f"cryptocompare_api_key: {_rx(LOWER, 64)}\n", "a.yml", "cryptocompare-api-key"),
    ("cryptocompare_api_key: ${{ secrets.CRYPTOCOMPARE_API_KEY }}\n", "a.yml", None),
    (f'DIFFBOT_TOKEN = "{_rx(HEX, 32)}"\n', "a.py", "diffbot-token"),
    (f'DIFFBOT_TOKEN = "{_rx(HEX, 20)}"\n', "a.py", "!diffbot-token"),
    (f"DRONAHQ_API_TOKEN={_rx(ALNUM, 50)}\n", ".env", "dronahq-api-token"),
    (f"ERASER_API_KEY={_rx(ALNUM, 20)}\n", ".env", "eraser-api-key"),
    (f"ERASER_API_KEY={_rx(ALNUM, 12)}\n", ".env", None),
    (f'FOURSQUARE_CLIENT_SECRET = "{_rx(ALNUM_UP, 48)}"\n', "a.py", "foursquare-client-secret"),
    (f'FOURSQUARE_CLIENT_ID = "{_rx(ALNUM_UP, 48)}"\n', "a.py", None),
    (f"GEOAPIFY_API_KEY={_rx(HEX, 32)}\n", ".env", "geoapify-api-key"),
    (f"GEOCODIO_API_KEY={_rx(LOWER, 39)}\n", ".env", "geocodio-api-key"),
    (f"GEOCODIO_API_KEY={_rx(LOWER, 32)}\n", ".env", "!geocodio-api-key"),
    (f"HELLOSIGN_API_KEY={_rx(HEX, 64)}\n", ".env", "hellosign-api-key"),
    (f"NOVU_SECRET_KEY={_rx(HEX, 32)}\n", ".env", "novu-secret-key"),
    ("NOVU_SECRET_KEY=your-novu-secret-key\n", ".env", None),
    (
        f"?access_key={_rx(HEX, 32)}  # pdflayer_key: {_rx(HEX, 32)}\n",
        "a.sh",
        "pdflayer-access-key",
    ),
    (f"PEPIPOST_API_KEY={_rx(HEX, 32)}\n", ".env", "pepipost-api-key"),
    (f"PINGDOM_API_TOKEN={_rx(ALNUM + '_-', 64)}\n", ".env", "pingdom-api-token"),
    (f"PIPEDREAM_API_KEY={_rx(LOWER, 32)}\n", ".env", "pipedream-api-key"),
    (f"PODIO_CLIENT_SECRET={_rx(ALNUM, 64)}\n", ".env", "podio-client-secret"),
    (f"POLYGON_API_KEY={_rx(ALNUM, 32)}\n", ".env", "polygon-api-key"),
    (f"polygon_points: {_rx(ALNUM, 32)}\n", "a.yml", None),
    (f"SECURITYTRAILS_API_KEY={_rx(ALNUM, 32)}\n", ".env", "securitytrails-api-key"),
    (f"SMARTY_AUTH_TOKEN={_rx(ALNUM, 20)}\n", ".env", "smartystreets-auth-token"),
    (f"SMARTY_AUTH_ID={_VX.uuid()}\n", ".env", None),
    (f"TAXJAR_API_TOKEN={_rx(HEX, 32)}\n", ".env", "taxjar-api-token"),
    (f"YOUSIGN_API_KEY={_rx(HEX, 32)}\n", ".env", "yousign-api-key"),
    (f"ZENROWS_API_KEY={_rx(HEX, 40)}\n", ".env", "zenrows-api-key"),
    (f"COURIER_AUTH_TOKEN=dk_prod_{_rx(ALNUM_UP, 28)}\n", ".env", "courier-auth-token"),
    (f"COURIER_AUTH_TOKEN=pk_prod_{_rx(ALNUM_UP, 8)}\n", ".env", "!courier-auth-token"),
    (f"ACCUWEATHER_API_KEY={_rx(ALNUM, 32)}\n", ".env", "accuweather-api-key"),
    (f"BUDIBASE_API_KEY={_rx(HEX, 32)}-{_rx(HEX, 78)}\n", ".env", "budibase-api-key"),
    ("BUDIBASE_API_KEY=${BUDIBASE_API_KEY}\n", ".env", None),
    (f"CLEARBIT_API_KEY=sk_{_rx(HEX, 32)}\n", ".env", "clearbit-secret-key"),
    (f"CLEARBIT_API_KEY=pk_{_rx(HEX, 20)}\n", ".env", "!clearbit-secret-key"),
    (f"CODACY_PROJECT_TOKEN={_rx(ALNUM, 22)}\n", ".env", "codacy-api-token"),
    (f"IMAGEKIT_PRIVATE_KEY=private_{_rx(ALNUM + '+/', 27)}=\n", ".env", "imagekit-private-key"),
    (f"IMAGEKIT_PUBLIC_KEY=public_{_rx(ALNUM + '+/', 27)}=\n", ".env", None),
    (f"LIVEKIT_API_SECRET={_rx(ALNUM, 43)}\n", ".env", "livekit-api-secret"),
    (f"LIVEKIT_API_KEY=API{_rx(ALNUM, 12)}\n", ".env", None),
    (f"MOOSEND_API_KEY={_VX.uuid()}\n", ".env", "moosend-api-key"),
    ("MOOSEND_API_KEY=00000000-0000-0000-0000-000000000000\n", ".env", None),
    (f"OMNISEND_API_KEY={_rx(HEX, 24)}-{_rx(ALNUM, 50)}\n", ".env", "omnisend-api-key"),
    (f"PERCY_TOKEN={_rx(HEX, 64)}\n", ".env", "percy-token"),
    (f"PERCY_TOKEN=web_{_rx(HEX, 64)}\n", ".env", "percy-token"),
    (f"PIXABAY_API_KEY={_dx(8)}-{_rx(HEX, 25)}\n", ".env", "pixabay-api-key"),
    (f"STORYBLOK_TOKEN={_rx(ALNUM, 22)}tt\n", ".env", "storyblok-access-token"),
    (f"STORYBLOK_TOKEN={_rx(ALNUM, 22)}\n", ".env", "!storyblok-access-token"),
    (f'LLAMA_CLOUD_API_KEY = "llx-{_rx(ALNUM, 48)}"\n', "a.py", "llamacloud-api-key"),
    (f'LLAMA_CLOUD_API_KEY = "llx-{_rx(ALNUM, 20)}"\n', "a.py", None),
    (f'NIGHTFALL_API_KEY = "NF-{_rx(ALNUM, 32)}"\n', "a.py", "nightfall-api-key"),
    ('NIGHTFALL_API_KEY = "NF-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\n', "a.py", None),
    # providers of one peer with their own prefix
    (f'T = "bu_{_rx(B64URL, 44)}"\n', "a.py", "browser-use-api-key"),
    (f"def bu_{_rx(LOWER, 10)}_handler():\n", "a.py", None),
    (f"sv_licenseKey cfxk_{_rx(B64URL, 40)}\n", "server.cfg", "cfx-re-server-key"),
    (f'T = "cr-{_rx(HEX, 58)}"\n', "a.py", "coderabbit-api-key"),
    (f'T = "cr-{_rx(HEX, 40)}"\n', "a.py", None),
    (f'T = "dryrunsec_{_rx(ALNUM, 32)}"\n', "a.py", "dryrun-security-api-key"),
    (f'T = "sk-gamma-{_rx(B64URL, 40)}"\n', "a.py", "gamma-api-key"),
    (f'T = "gs_appsweep_{_rx(B64URL, 32)}"\n', "a.py", "guardsquare-appsweep-api-key"),
    (f'T = "hop_pat_{_rx(B64URL, 30)}"\n', "a.py", "hop-pat"),
    (f'T = "mis_{_rx(ALNUM, 51)}"\n', "a.py", "mappedin-api-secret"),
    (f'T = "mik_{_rx(ALNUM, 25)}"\n', "a.py", None),
    (f'T = "pts_{_rx(LOWER, 32)}"\n', "a.py", "pangea-service-token"),
    (f'T = "permit_key_{_rx(ALNUM, 86)}"\n', "a.py", "permit-io-api-key"),
    (f'T = "sk-pyx-{_rx(ALNUM, 64)}"\n', "a.py", "astral-pyx-user-key"),
    (f'T = "key_{_rx(HEX, 128)}"\n', "a.py", "runway-api-key"),
    (f'T = "key_{_rx(HEX, 64)}"\n', "a.py", None),
    (f'T = "tkcapi_{_rx(ALNUM, 40)}"\n', "a.py", "testkube-api-key"),
    (f'T = "tsec_{_rx(ALNUM + "_+-", 70)}"\n', "a.py", "tigris-secret-access-key"),
    (f'T = "tgpak_{_rx(LOWER, 50)}"\n', "a.py", "tolgee-project-api-key"),
    (f'T = "tgpat_{_rx(LOWER, 50)}"\n', "a.py", "tolgee-pat"),
    (f'T = "vk1.a.{_rx(B64URL, 140)}"\n', "a.py", "vk-access-token"),
    (f'T = "aks_{_rx(HEX, 64)}"\n', "a.py", "warpstream-api-key"),
    (f'T = "persona_production_{_rx(B64URL, 40)}"\n', "a.py", "persona-production-api-key"),
    (f'T = "persona_sandbox_{_rx(B64URL, 40)}"\n', "a.py", "persona-sandbox-api-key"),
    (f'T = "msk_{_rx(ALNUM, 48)}"\n', "a.py", "mastra-api-key"),
    (f'T = "RGAPI-{_VX.uuid()}"\n', "a.py", "riot-games-api-key"),
    ('T = "RGAPI-00000000-0000-0000-0000-000000000000"\n', "a.py", None),
    (f'T = "rh-api-{_VX.uuid()}"\n', "a.py", "robinhood-crypto-api-key"),
    (f'T = "isat_{_VX.uuid()}"\n', "a.py", "dvc-studio-access-token"),
    (
        f'MP_TOKEN = "APP_USR-{_dx(16)}-{_dx(6)}-{_rx(HEX, 32)}-{_dx(9)}"\n',
        "a.py",
        "mercadopago-access-token",
    ),
    (f'MP_TOKEN = "APP_USR-{_dx(16)}"\n', "a.py", None),
    (f'T = "ory_pat_{_rx(B64URL, 32)}"\n', "a.py", "ory-api-key"),
    (f'T = "ory_st_{_rx(B64URL, 32)}"\n', "a.py", "ory-api-key"),
    (f'T = "tmc1{_rx(ALNUM, 28)}:{_rx(ALNUM, 64)}"\n', "a.py", "trend-micro-cloud-one-api-key"),
    (f'T = "PRODUCTION_{_rx(HEX, 64)}"\n', "a.py", "wepay-access-token"),
    (f'T = "STAGE_{_rx(HEX, 62)}"\n', "a.py", "wepay-access-token"),
    ("ENV = 'PRODUCTION_DATABASE_URL'\n", "a.py", None),
    (f"CONTENTSTACK_MANAGEMENT_TOKEN=cs{_rx(HEX, 32)}\n", ".env", "contentstack-management-token"),
    (f"CONTENTSTACK_MANAGEMENT_TOKEN=cs{_rx(HEX, 20)}\n", ".env", "!contentstack-management-token"),
    (f"DIFY_API_KEY=app-{_rx(ALNUM, 24)}\n", ".env", "dify-api-key"),
    (f"SILICONFLOW_API_KEY=sk-{_rx(LOWER, 48)}\n", ".env", "siliconflow-api-key"),
    (f"AIRFLOW__CORE__FERNET_KEY={_rx(B64URL, 42)}A=\n", ".env", "fernet-key"),
    ("AIRFLOW__CORE__FERNET_KEY={{ var.value.fernet_key }}\n", ".env", None),
    # providers of one peer (trufflehog) under the provider's name
    (f"ZULIP_API_KEY={_rx(ALNUM, 32)}\n", ".env", "zulip-api-key"),
    ("ZULIP_API_KEY=<your-zulip-api-key>\n", ".env", None),
    (f"spoonacular_key: {_rx(LOWER, 32)}\n", "a.yml", "spoonacular-api-key"),
    (f"spoonacular_key: {_rx(LOWER, 20)}\n", "a.yml", "!spoonacular-api-key"),
    (f"TIINGO_API_KEY={_rx(LOWER, 40)}\n", ".env", "tiingo-api-token"),
    (f"TIINGO_API_KEY={_rx(LOWER, 30)}\n", ".env", "!tiingo-api-token"),
    (f'ticketmaster = "{_rx(ALNUM, 32)}"\n', "a.py", "ticketmaster-api-key"),
    ('ticketmaster = "TICKETMASTER_API_KEY"\n', "a.py", None),
    (f"TEXTMAGIC_API_KEY={_rx(ALNUM, 30)}\n", ".env", "textmagic-api-key"),
    (f"TEXTMAGIC_API_KEY={_rx(ALNUM, 20)}\n", ".env", "!textmagic-api-key"),
    (f"TRADIER_TOKEN={_rx(ALNUM, 28)}\n", ".env", "tradier-access-token"),
    ("TRADIER_TOKEN=${{ secrets.TRADIER_TOKEN }}\n", ".env", None),
    (f"IP2LOCATION_API_KEY={_rx(ALNUM_UP, 32)}\n", ".env", "ip2location-api-key"),
    (f"IP2LOCATION_API_KEY={_rx(ALNUM_UP, 16)}\n", ".env", "!ip2location-api-key"),
    (f"SHOTSTACK_API_KEY={_rx(ALNUM, 40)}\n", ".env", "shotstack-api-key"),
    (f"SHOTSTACK_API_KEY={_rx(ALNUM, 32)}\n", ".env", "!shotstack-api-key"),
    (f"SCRUTINIZER_TOKEN={_rx(HEX, 64)}\n", ".env", "scrutinizer-ci-token"),
    (f"SCRUTINIZER_TOKEN={_rx(HEX, 40)}\n", ".env", "!scrutinizer-ci-token"),
    (f"KNAPSACK_PRO_TEST_SUITE_TOKEN={_rx(HEX, 32)}\n", ".env", "knapsack-pro-test-suite-token"),
    ("KNAPSACK_PRO_TEST_SUITE_TOKEN=$KNAPSACK_TOKEN\n", ".env", None),
    (f"LOYVERSE_TOKEN={_rx(HEX, 32)}\n", ".env", "loyverse-access-token"),
    (f"LOYVERSE_TOKEN={_rx(HEX, 24)}\n", ".env", "!loyverse-access-token"),
    (f"TESTINGBOT_SECRET={_rx(ALNUM, 32)}\n", ".env", "testingbot-secret"),
    ("TESTINGBOT_SECRET=${TESTINGBOT_SECRET}\n", ".env", None),
    (f"CAPSULECRM_TOKEN={_rx(ALNUM + '.+=', 64)}\n", ".env", "capsule-crm-token"),
    (f"CAPSULECRM_TOKEN={_rx(ALNUM, 40)}\n", ".env", "!capsule-crm-token"),
    (f"IEXCLOUD_TOKEN=sk_{_rx(HEX, 32)}\n", ".env", "iex-cloud-secret-token"),
    (f"IEXCLOUD_TOKEN=pk_{_rx(HEX, 32)}\n", ".env", "!iex-cloud-secret-token"),
    (f"OANDA_API_KEY={_rx(HEX, 32)}-{_rx(HEX, 32)}\n", ".env", "oanda-api-token"),
    (f"OANDA_ACCOUNT_ID=101-004-{_dx(7)}-001\n", ".env", None),
    (f"PAYMONGO_SECRET_KEY=sk_test_{_rx(ALNUM, 24)}\n", ".env", "paymongo-secret-key"),
    (f"PAYMONGO_PUBLIC_KEY=pk_test_{_rx(ALNUM, 24)}\n", ".env", "!paymongo-secret-key"),
    (f"PAGARME_API_KEY=ak_test_{_rx(ALNUM, 30)}\n", ".env", "pagarme-api-key"),
    (f"PAGARME_ENCRYPTION_KEY=ek_test_{_rx(ALNUM, 30)}\n", ".env", "!pagarme-api-key"),
    (f"INSIGHTLY_API_KEY={_VX.uuid()}\n", ".env", "insightly-api-key"),
    ("INSIGHTLY_API_KEY=00000000-0000-0000-0000-000000000000\n", ".env", None),
    (f"USERFLOW_API_KEY=ak_{_rx(LOWER, 26)}\n", ".env", "userflow-api-key"),
    (f"USERFLOW_TOKEN=ct_{_rx(LOWER, 26)}\n", ".env", "!userflow-api-key"),
    (f"YNAB_TOKEN={_rx(B64URL, 43)}\n", ".env", "ynab-access-token"),
    ("YNAB_TOKEN=your-ynab-personal-access-token\n", ".env", None),
    # providers of one peer (keyhog)
    (f"PEXELS_API_KEY={_rx(ALNUM, 56)}\n", ".env", "pexels-api-key"),
    (f"PEXELS_API_KEY={_rx(ALNUM, 40)}\n", ".env", "!pexels-api-key"),
    (f"STRAPI_API_TOKEN={_rx(HEX, 256)}\n", ".env", "strapi-api-token"),
    (f"STRAPI_API_TOKEN={_rx(HEX, 128)}\n", ".env", "!strapi-api-token"),
    (f"MASTODON_ACCESS_TOKEN={_rx(B64URL, 43)}\n", ".env", "mastodon-access-token"),
    ("MASTODON_ACCESS_TOKEN=your_mastodon_access_token\n", ".env", None),
    (f"DEVTO_API_KEY={_rx(ALNUM, 24)}\n", ".env", "devto-api-key"),
    (f"DEVTO_API_KEY={_rx(ALNUM, 16)}\n", ".env", "!devto-api-key"),
    (f"STEAM_API_KEY={_rx(HX[:10] + 'ABCDEF', 32)}\n", ".env", "steam-web-api-key"),
    ("STEAM_API_KEY=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n", ".env", None),
    (
        f"BLUESKY_APP_PASSWORD={_rx(LOWER, 4)}-{_rx(LOWER, 4)}-{_rx(LOWER, 4)}-{_rx(LOWER, 4)}\n",
        ".env",
        "bluesky-app-password",
    ),
    ("BLUESKY_APP_PASSWORD=xxxx-xxxx-xxxx-xxxx\n", ".env", None),
    (
        f'H = "sk-helicone-{_rx(LOWER, 7)}-{_rx(LOWER, 7)}-{_rx(LOWER, 7)}-{_rx(LOWER, 7)}"\n',
        "a.py",
        "helicone-api-key",
    ),
    ('H = "sk-helicone-"\n', "a.py", None),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    CROSSWALK13_FORMS,
    ids=[str(i) for i, _ in enumerate(CROSSWALK13_FORMS)],
)
def test_crosswalk13_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    if rule_id is not None and rule_id.startswith("!"):
        found = [m.rule.id for m in engine.scan_text(text, path=path)]
        assert f"secrets/{rule_id[1:]}" not in found, (text, found)
    else:
        check_form(engine, text, path, rule_id)


# session 14 (trufflehog remainder, continued): a provider's name before ``credentials`` or
# ``creds`` names its key as ``<provider>_key`` does (``baremetrics credentials: <value>``, a
# trufflehog pattern test's line); the word must end the key, and the value's shape decides
_VC = Values(1441)
_rc = _VC.r
STEM_CREDENTIALS_FORMS: list[tuple[str, str, str | None]] = [
    (f"baremetrics credentials: {_rc(ALNUM, 25)}\n", "notes.txt", "baremetrics-api-key"),
    (f"BAREMETRICS_CREDS={_rc(ALNUM, 25)}\n", ".env", "baremetrics-api-key"),
    (f'deepgram_credentials = "{_rc(HEX, 40)}"\n', "a.py", "deepgram-api-key"),
    ("baremetrics credentials: <your-baremetrics-key>\n", "notes.txt", None),
    ('baremetrics_credentials_path = "/etc/baremetrics/creds.json"\n', "a.py", None),
    (f"baremetrics credentials_file: {_rc(ALNUM, 25)}\n", "a.yml", "!baremetrics-api-key"),
    (f"baremetrics credentials: {_rc(ALNUM, 24)}\n", "notes.txt", "!baremetrics-api-key"),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    STEM_CREDENTIALS_FORMS,
    ids=[str(i) for i, _ in enumerate(STEM_CREDENTIALS_FORMS)],
)
def test_stem_credentials_forms(
    text: str, path: str, rule_id: str | None, engine: SecretEngine
) -> None:
    test_crosswalk13_forms(text, path, rule_id, engine)
