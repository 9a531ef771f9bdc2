"""Precision on real code nobody fitted (issue 14, session 14): the false-alarm classes of a
second real-code corpus (popular npm packages, a broad Python environment, checkov's
environment) and the public keys that provider rules took for secrets. Values are built at
run time from a seeded generator; each row is a vulnerable or a safe example."""

from __future__ import annotations

import base64
import json

import pytest
from tests.scanners.secrets.forms import ALNUM, HEX, Values, check_form

from pipesec.scanners.secrets import docblocks, filters
from pipesec.scanners.secrets.engine import SecretEngine

_V = Values(2026_12_14)
_r = _V.r
B64URL = ALNUM + "-_"


def _b64url(obj: dict[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def _jwt(role: str) -> str:
    head = _b64url({"alg": "HS256", "typ": "JWT"})
    body = _b64url({"iss": "supabase", "ref": _r(ALNUM, 20).lower(), "role": role})
    return f"{head}.{body}.{_r(B64URL, 43)}"


#: public values that provider rules took for secrets (note 13, item 5, and the same class
#: across the rules), with the secret of the same provider that stays reported
PUBLIC_FORMS: list[tuple[str, str, str | None]] = [
    # Algolia: the search-only key is sent by every InstantSearch page
    (f"ALGOLIA_SEARCH_KEY={_r(HEX, 32)}\n", ".env", None),
    (f"ALGOLIA_SEARCH_ONLY_API_KEY={_r(HEX, 32)}\n", ".env", None),
    (f"const algoliaSearchKey = '{_r(HEX, 32)}';\n", "search.js", None),
    (f"ALGOLIA_ADMIN_KEY={_r(HEX, 32)}\n", ".env", "algolia-admin-key"),
    (f"ALGOLIASEARCH_API_KEY={_r(HEX, 32)}\n", ".env", "algolia-admin-key"),
    # Pusher: the app key is the channel client's id (the secret is 20 hex too)
    (f"PUSHER_APP_KEY={_r(HEX, 20)}\n", ".env", None),
    (f"VITE_PUSHER_APP_KEY={_r(HEX, 20)}\n", ".env", None),
    (f"PUSHER_KEY={_r(HEX, 20)}\n", ".env", None),
    (f"PUSHER_APP_SECRET={_r(HEX, 20)}\n", ".env", "pusher-secret"),
    # Facebook: the client token is built into apps
    (f"FACEBOOK_CLIENT_TOKEN={_r(HEX, 32)}\n", ".env", None),
    (
        f'<string name="facebook_client_token">{_r(HEX, 32)}</string>\n',
        "app/src/main/res/values/strings.xml",
        None,
    ),
    (f"FACEBOOK_APP_SECRET={_r(HEX, 32)}\n", ".env", "facebook-app-secret"),
    # the same class in other rules: public, client and search-only keys, project tokens
    (f"PLAID_PUBLIC_KEY={_r(HEX, 30)}\n", ".env", None),
    (f"PLAID_SECRET={_r(HEX, 30)}\n", ".env", "plaid-secret"),
    (f"ROLLBAR_CLIENT_TOKEN={_r(HEX, 32)}\n", ".env", None),
    (f"ROLLBAR_ACCESS_TOKEN={_r(HEX, 32)}\n", ".env", "rollbar-access-token"),
    (f"TYPESENSE_SEARCH_ONLY_API_KEY={_r(ALNUM, 32)}\n", ".env", None),
    (f"TYPESENSE_API_KEY={_r(ALNUM, 32)}\n", ".env", "typesense-api-key"),
    (f"MIXPANEL_TOKEN={_r(HEX, 32)}\n", ".env", None),
    (f"MIXPANEL_API_SECRET={_r(HEX, 32)}\n", ".env", "mixpanel-api-secret"),
    (f"AMPLITUDE_API_KEY={_r(HEX, 32)}\n", ".env", None),
    (f"AMPLITUDE_SECRET_KEY={_r(HEX, 32)}\n", ".env", "amplitude-api-key"),
    # Supabase: the anon key is public (row-level security guards the data)
    (f"SUPABASE_ANON_KEY={_jwt('anon')}\n", ".env", None),
    (f"SUPABASE_SERVICE_ROLE_KEY={_jwt('service_role')}\n", ".env", "jwt"),
    # what already held: publishable keys and public DSNs are not reported
    (f"STRIPE_PUBLISHABLE_KEY=pk_live_{_r(ALNUM, 24)}\n", ".env", None),
    (f"MAPBOX_TOKEN=pk.eyJ1Ijoi{_r(ALNUM, 50)}.{_r(ALNUM, 22)}\n", ".env", None),
    (f"SENTRY_DSN=https://{_r(HEX, 32)}@o12345.ingest.sentry.io/678\n", ".env", None),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"), PUBLIC_FORMS, ids=[str(i) for i in range(len(PUBLIC_FORMS))]
)
def test_public_values_are_not_secrets(
    text: str, path: str, rule_id: str | None, engine: SecretEngine
) -> None:
    check_form(engine, text, path, rule_id)


def test_a_vendor_of_many_products_names_no_provider(engine: SecretEngine) -> None:
    """``google`` is no stem of a keyed rule: a reCAPTCHA key under GOOGLE_RECAPTCHA_KEY is no
    Cloud Storage HMAC secret, a Maps key no Gemini key (the Google API key rule says it)."""
    captcha = f"GOOGLE_RECAPTCHA_KEY=6L{_r(B64URL, 38)}\n"
    assert "secrets/gcp-hmac-secret" not in [m.rule.id for m in engine.scan_text(captcha)]
    maps = f"GOOGLE_MAPS_API_KEY=AIza{_r(B64URL, 35)}\n"
    found = [m.rule.id for m in engine.scan_text(maps, path=".env")]
    assert "secrets/google-gemini-api-key" not in found
    assert "secrets/gcp-api-key" in found


def test_public_key_names() -> None:
    assert filters.names_public_value("STRIPE_PUBLISHABLE_KEY")
    assert filters.names_public_value("recaptchaSiteKey")
    assert filters.names_public_value("facebook_client_token")
    assert not filters.names_public_value("facebook_client_secret")
    assert not filters.names_public_value("FACEBOOK_APP_SECRET")
    # a rule's own key words never count (a rule keyed on ``okta_client_token``)
    assert not filters.names_public_value("OKTA_CLIENT_TOKEN", ("okta_client_token",))


#: false-alarm classes of the second real-code corpus (docs/precision.md, session 14)
CORPUS_FORMS: list[tuple[str, str, str | None]] = [
    # a provider's key word inside a longer word (``packaging`` holds ``kagi``)
    (f"  packaging: {_r(ALNUM, 44)}\n", "conf.yml", None),
    (f"kagi_api_key: {_r(ALNUM, 44)}\n", "conf.yml", "kagi-api-key"),
    (f"const cfg = {{ myPusherSecret: '{_r(HEX, 20)}' }};\n", "a.js", "pusher-secret"),
    # a program's names as a keyed rule's value: a type, a dotted constant
    ("  static readonly REDDIT: OAuth2CredentialProviderVendor;\n", "vendor.d.ts", None),
    ("kagi: cloud_assembly_schema.FileAssetPackaging.FILE\n", "a.yml", None),
    # a digest of a token is no token
    (f'{{"token_last_eight": "x", "hashed_token": "{_r(HEX, 64)}"}}\n', "api.json", None),
    (f'{{"token": "{_r(ALNUM, 32)}"}}\n', "api.json", "generic-token"),
    # labels of a program: the key's own words, field names, words around its noun
    ("  EMAIL_PASSWORD: 'password',\n", "auth.js", None),
    ("  MISSING_PASSWORD = 'missing-password',\n", "errors.ts", None),
    ('    "ansible_ssh_pass": "passwd",\n', "roster.py", None),
    ("'certificate_password' = 'certificate'\n", "source.ps1", None),
    ("obfuscatedArgs['password'] = 'password-set';\n", "cli.js", None),
    ('password: "PASSWORD"\n', "rulebook.yml", None),
    # ... while a configuration's weak password stays reported, a call's too, and a
    # password may start with any sign
    ('password: "password"\n', "config.yml", "generic-password-weak"),
    ('db.connect(user="app", password="password")\n', "app.py", "generic-password-weak"),
    ('{"NewPassword": "]35d/{pB9Fo9wJ"}\n', "examples.json", "generic-password"),
    # a render or compile pass, a comparison, code between two strings, types and versions
    ('this.renderPass="translucent",draw(e)\n', "core.js", None),
    ("r.alias===n.alias&&r.ownPass===n.ownPass&&f(r)\n", "babel.cjs", None),
    (
        'this.log_("Failed to get token: "+e),t||(this.repo.admin&&w(e),o())}}}go(e){"Next"\n',
        "db.js",
        None,
    ),
    ('{"devDependencies": {"pbkdf2-password": "1.2.1"}}\n', "package.json", None),
    ('export declare const id_at_challengePassword = "1.2.840.113549.1.9.7";\n', "a.d.ts", None),
    ('authFlows:{adminUserPassword:"boolean",userPassword:"boolean"}\n', "classes.js", None),
    ("vcenter_password: @VMWARE_PASSWORD\n", "cloud.ini.template", None),
    # not a secret a person or a provider made: a regex, an e-mail, a marker, an API path
    ("secret = r'([a-z0-9]{64})'\n", "plugin.py", None),
    ('password="guest@ftp.mirror.net",\n', "ftp.py", None),
    ('password = "__generate__"\n', "driver.py", None),
    ('CREATE_ENCRYPTION_KEY = "v1/objects/encryption-keys"\n', "gateway.py", None),
    # a provider's prefix inside an inlined base64 blob; a name a program calls
    (f'x="AAAAq+EAAG{_r(ALNUM, 120)}+LW5Bp"\n', "flow.js", None),
    (f"FB_ACCESS_TOKEN=EAAG{_r(ALNUM, 120)}\n", ".env", "facebook-graph-access-token"),
    (
        "{Authorization:convertCfnOriginEndpointAuthorizationPropertyToCloudFormation(p.a)}\n",
        "mediapackage.generated.js",
        None,
    ),
    # URLs: the Oracle demo account, a local service's guessable default, syntax templates,
    # a password that says what goes there (session 15: the last two reported low, by
    # url-password-weak, instead of dropped; test_weak15.py)
    ('create_engine("postgresql://scott:tiger@db.internal/test")\n', "app.py", None),
    ('url = "amqp://guest:guest@localhost:5672//"\n', "app.py", "url-password-weak"),
    ('url = "amqp://guest:guest@rabbit.internal:5672//"\n', "app.py", "amqp-url-password"),
    (f'url = "postgres://app:{_r(ALNUM, 16)}@localhost/db"\n', "app.py", "postgres-url-password"),
    ("redis://[[username]:[password]]@localhost:6379/0\n", "client.py", None),
    (
        'return"mongodb+srv://root:randompassword@cluster0.ab1cd.mongodb.net/mydb"\n',
        "cli.js",
        "url-password-weak",
    ),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"), CORPUS_FORMS, ids=[str(i) for i in range(len(CORPUS_FORMS))]
)
def test_corpus14_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)


def test_published_examples_are_not_reported(engine: SecretEngine) -> None:
    """The storage emulator's well-known key and the OAuth RFCs' examples (built from parts)."""
    azurite = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq" + "/K1SZFPTOtr"
    azurite += "/KBHBeksoGMGw=="
    conn = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
    assert list(engine.scan_text(f'c = "{conn}{azurite};"\n', path="c.js")) == []
    real = f'c = "{conn}{_r(ALNUM, 86)}==;"\n'
    assert "secrets/azure-storage-account-key" in [m.rule.id for m in engine.scan_text(real)]
    client = base64.b64encode(("s6BhdRkqt3" + ":" + "gX1fBat3bV").encode()).decode()
    assert list(engine.scan_text(f"Authorization: Basic {client}\n", path="grant.py")) == []
    rfc = '{"access_token":"2YotnFZFEjr1zCsicMWpAA", "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA"}'
    assert list(engine.scan_text(rfc + "\n", path="token.py")) == []


def test_docstrings_and_ansible_documentation_lines() -> None:
    source = (
        '"""Module.\n\npassword: s3cretPass123\n"""\n'
        "import os\n"
        "DOCUMENTATION = r'''\nmodule: x\n'''\n"
        "EXAMPLES = r'''\n- x:\n    password: s3cretPass123\n'''\n"
        "def f():\n    '''Doc.'''\n    password = 's3cretPass123'\n"
    )
    spans = docblocks.doc_lines(source)
    assert docblocks.in_spans(3, spans)  # the module docstring
    assert docblocks.in_spans(11, spans)  # EXAMPLES
    assert docblocks.in_spans(14, spans)  # the function's docstring
    assert not docblocks.in_spans(15, spans)  # the function's code
    assert docblocks.doc_lines("def broken(:\n") == []
    # the cheap test before a parse: inside a triple-quoted string or not
    assert docblocks.in_triple_quotes(source, source.index("password"))
    assert not docblocks.in_triple_quotes(source, source.index("import os"))
    sidecar = "DOCUMENTATION:\n  module: user\nEXAMPLES: |\n  - password: x\nRETURN:\n  a: 1\n"
    assert docblocks.yaml_doc_lines(sidecar) == [(1, 2), (3, 4), (5, 6)]
    assert docblocks.yaml_doc_lines("password: x\nother: 1\n") == []


def test_severity_follows_what_a_key_can_do() -> None:
    """Crosswalk rules by impact (docs/secrets-workflows.md, session 14): payments and
    trading critical; sending, records, code and posting high; read-only data medium."""
    from pipesec.scanners.secrets.rules.catalog import RULES

    sev = {r.id.removeprefix("secrets/"): r.severity.value for r in RULES}
    assert sev["paymongo-secret-key"] == sev["tradier-access-token"] == "critical"
    assert sev["pepipost-api-key"] == sev["hellosign-api-key"] == "high"
    assert sev["codacy-api-token"] == sev["mastodon-access-token"] == "high"
    assert sev["accuweather-api-key"] == sev["polygon-api-key"] == "medium"
    # a public key id is reported at low (Checkout pages send it)
    assert sev["razorpay-key-id"] == "low"
