"""Forms missed on the twelfth unseen sample (issue 14, session 18): daffainfo's
all-about-apikey provider pages (each page's example key under ``<PROVIDER>_API_KEY=`` in a
``.env``) and boostsecurityio bagel's detector tests. Values are built at run time from a
seeded generator; each row is a vulnerable or a safe example."""

from __future__ import annotations

import pytest
from tests.scanners.secrets.forms import ALNUM, Values, check_form

from pipesec.scanners.secrets import filters
from pipesec.scanners.secrets.engine import SecretEngine

_V = Values(2026_12_18)
_r = _V.r
_KEY = _r(ALNUM, 32)
_TOKEN = _r(ALNUM, 28)
_PW = _r(ALNUM, 18)

#: (text, path, the rule that reports it, or None when nothing may be reported)
UNSEEN12_FORMS: list[tuple[str, str, str | None]] = [
    # a provider's key words name a key only where a word of the key starts: the tail of
    # another word (``NOWNODES_API_KEY``, ``EXCHANGE_RATES_API_KEY`` end in Elasticsearch's
    # ``es_api_key``) does not make a generic value a fake of that provider's shape
    (f"NOWNODES_API_KEY={_KEY}\n", ".env", "generic-api-key-unquoted"),
    (f"HIRAK_EXCHANGE_RATES_API_KEY={_KEY}\n", ".env", "generic-api-key-unquoted"),
    (f'SERVICES_API_KEY = "{_KEY}"\n', "settings.py", "generic-api-key"),
    # ... while the provider's own key keeps the fake-format policy (Elasticsearch's API
    # keys are base64: 32 letters and digits under ES_API_KEY are no key of it)
    (f"ES_API_KEY={_KEY}\n", ".env", None),
    (f"settings.es_api_key: {_KEY}\n", "config.yml", None),
    # a key word that lacks its provider's word (Azure AI Search's ``search_api_key``,
    # Elastic's ``es_api_key``) names a key only as its whole name or with the provider's
    # word: ``CHARITY_SEARCH_API_KEY`` is a charity search's key (the follow-up of session 18)
    (f"CHARITY_SEARCH_API_KEY={_KEY}\n", ".env", "generic-api-key-unquoted"),
    (f"MY_ES_API_KEY={_KEY}\n", ".env", "generic-api-key-unquoted"),
    (f"SEARCH_API_KEY={_KEY}\n", ".env", None),
    (f"AZURE_COGNITIVE_SEARCH_API_KEY={_KEY}\n", ".env", None),
    (f"MY_ELASTIC_ES_API_KEY={_KEY}\n", ".env", None),
    # "public" names a public value only where it qualifies the key itself
    (f"ABSTRACT_PUBLIC_HOLIDAYS_API_KEY={_KEY}\n", ".env", "generic-api-key-unquoted"),
    (f'PUBLIC_TRANSPORT_TOKEN = "{_TOKEN}"\n', "settings.py", "generic-token"),
    (f"NEXT_PUBLIC_STRIPE_KEY={_KEY}\n", ".env", None),
    (f"SUPABASE_ANON_API_KEY={_KEY}\n", ".env", None),
    (f'publicApiKey: "{_KEY}"\n', "config.ts", None),
    # a random key holding a dot is no dotted code name (all-about-apikey's Blitapp page)
    (f"BLITAPP_API_KEY={_r(ALNUM, 21)}.{_r(ALNUM, 16)}\n", ".env", "generic-api-key-unquoted"),
    ('api_key = "com.example.AppConfigV2Handler"\n', "settings.py", None),
    ('secret = "string.quoted.double.actionscript.2"\n', "grammar.py", None),
    # a secret's name and its value as two literals of a map's, a pair's or a header's
    # entry (the peers read ``,`` as an assignment)
    # (``apiKey: "…"``, the pair's reading, is the API-key header rule's, as on main)
    (f'auth = Map.of("apiKey", "{_KEY}");\n', "Auth.java", "http-header-api-key"),
    (f'ImmutableMap.of("client_secret", "{_TOKEN}")\n', "Client.java", "generic-secret"),
    (f'Map.entry("api_key", "{_KEY}")\n', "Client.java", "generic-api-key"),
    (f'val creds = mapOf("password" to "{_PW}")\n', "Creds.kt", "generic-password"),
    (f'conn.addHeader("auth_token", "{_TOKEN}");\n', "Http.java", "generic-token"),
    (f'params = (("api_key", "{_KEY}"),)\n', "client.py", "generic-api-key"),
    (
        f'std::map<std::string, std::string> m = {{{{"token", "{_TOKEN}"}}}};\n',
        "a.cc",
        "generic-token",
    ),
    # names, words, templates and values with blanks stay unread
    ('s = s.replace("password", "passwordConfirmation")\n', "form.py", None),
    ('label = t("api_key", "API key")\n', "i18n.py", None),
    ('opts = {"auth_type", "oauth2_client_credentials"}\n', "a.cc", None),
    ('("secret_key", "django.core.signing.TimestampSigner")\n', "settings.py", None),
    ('Map.of("apiKey", System.getenv("API_KEY"))\n', "Auth.java", None),
    ('Map.of("apiKey", "${API_KEY}")\n', "Auth.java", None),
    # a list of names is no pair (the bench's first draft: setuptools, pygments), nor a
    # table of key names
    ("d = dict.fromkeys(['username', 'password', 'realm'], '')\n", "package_index.py", None),
    ("names = ('PKPass', 'PKPassLibrary', 'PKPassKit')\n", "_cocoa_builtins.py", None),
    ('("500px_api_key", "500px_consumer_key"),\n', "rules.py", None),
    ('KEYS = [("token", "refresh_token")]\n', "oauth.py", None),
    # ... nor two names or words (the second corpus: Ansible's choices, Django's decorator)
    ("choices=['password1', 'password2']\n", "module.py", None),
    ("'ldap-mode': {'choices': ['password', 'principal-name'], 'type': 'str'},\n", "m.py", None),
    ("var: lookup('community.general.onepassword_raw', 'Wintermute')\n", "lookup.py", None),
    ('@sensitive_variables("password1", "password2")\n', "forms.py", None),
]


@pytest.mark.parametrize(
    ("text", "path", "rule_id"),
    UNSEEN12_FORMS,
    ids=[f"{i}-{r}" for i, (_t, _p, r) in enumerate(UNSEEN12_FORMS)],
)
def test_unseen12_forms(text: str, path: str, rule_id: str | None, engine: SecretEngine) -> None:
    check_form(engine, text, path, rule_id)


def test_provider_key_words_start_a_word() -> None:
    assert filters._holds_word("es_api_key", "es_api_key")
    assert filters._holds_word("my_es_api_key", "es_api_key")
    assert filters._holds_word("cfg.es_api_key", "es_api_key")
    assert not filters._holds_word("nownodes_api_key", "es_api_key")
    assert not filters._holds_word("exchange_rates_api_key", "es_api_key")
    # a later occurrence at a word's start counts
    assert filters._holds_word("nodes_api_key_es_api_key", "es_api_key")


def test_random_dotted_value_is_no_code_name() -> None:
    assert not filters._dotted_name("jWksobI15SXxc7_s8vPtr.NX0bD2OvFFcBWG6P")
    assert filters._dotted_name("tokenize.generate_tokens")
    assert filters._dotted_name("com.example.AppConfigV2Handler")


def test_public_word_qualifies_the_key() -> None:
    assert filters.names_public_value("PLAID_PUBLIC_KEY")
    assert filters.names_public_value("NEXT_PUBLIC_FIREBASE_CONFIG")
    assert not filters.names_public_value("ABSTRACT_PUBLIC_HOLIDAYS_API_KEY")
