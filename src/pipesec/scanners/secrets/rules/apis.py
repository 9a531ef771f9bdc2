"""Provider APIs added for parity with the peers' public rule lists (session 6).

IoT and device clouds (Blynk, particle.io, ThingsBoard), CI and code-quality services
(CodeClimate, Dependency-Track, StackHawk), AI and search APIs (Jina, Tavily), storage
appliances (TrueNAS), streaming (Twitch stream keys), public data APIs (NASA) and remote
administration commands whose passwords are written on the command line (PsExec,
PowerCLI ``Connect-VIServer``). Every rule starts from a literal the prefilter can use.
"""

from __future__ import annotations

import base64
import binascii
import random
import re

from pipesec.core.model import Severity
from pipesec.scanners.secrets import validators
from pipesec.scanners.secrets.rules.base import SecretRule
from pipesec.scanners.secrets.rules.builders import (
    ALNUM,
    ALNUM_LOWER,
    ALNUM_UPPER,
    B64,
    B64URL,
    DIGITS,
    HEX,
    UUID_RE,
    custom,
    keyed,
    prefixed,
    rand,
    rand_uuid,
)

H = Severity.HIGH
M = Severity.MEDIUM


def _cloudflare(r: random.Random, prefix: str) -> str:
    body = rand(r, ALNUM, 40)
    return f"{prefix}{body}{binascii.crc32(body.encode()) & 0xFFFFFFFF:08x}"


_END_OF_WORD = r"(?![A-Za-z0-9_-])"


def _pw(r: random.Random) -> str:
    # a typed-looking password that is not a placeholder: word, digits, sign
    return rand(r, "bcdfghjkmnpqrstvwxz", 5) + rand(r, DIGITS, 3) + "!"


def _blynk_device(r: random.Random) -> str:
    token = rand(r, B64URL, 32)
    return f'curl "https://fra1.blynk.cloud/external/api/get?token={token}&V1"\n'


def _blynk_client(r: random.Random) -> str:
    cid = "oa2-client-id_" + rand(r, B64URL, 32)
    return (
        "curl -X POST https://fra1.blynk.cloud/oauth2/token?grant_type=client_credentials"
        f" -u {cid}:{rand(r, B64URL, 40)}\n"
    )


def _particle(r: random.Random) -> str:
    return (
        "curl https://api.particle.io/v1/devices \\\n"
        f'  -H "Authorization: Bearer {rand(r, HEX, 40)}"\n'
    )


#: PKCS#12 keystores (a private key with its certificate chain). The scanner hands a binary
#: ``.p12``/``.pfx`` file to the engine as its base64 text (``PKCS12_NAME``), so one rule
#: covers the binary file and a base64 copy committed under the same name.
PKCS12_NAME = r"\.(?i:p12|pfx)$"


def _pkcs12(r: random.Random) -> str:
    body = bytes([0x30, 0x82, 0x0A, 0x1C, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0xE2])
    body += bytes(r.randrange(256) for _ in range(120))
    return base64.b64encode(body).decode("ascii") + "\n"


def _truenas(r: random.Random) -> str:
    key = f"{r.randint(1, 99)}-{rand(r, ALNUM, 64)}"
    return f'{{"msg": "method", "method": "auth.login_with_api_key", "params": ["{key}"]}}\n'


#: data APIs that issue one opaque key per account, recognised by the provider's name in the
#: key (``WEATHERSTACK_ACCESS_KEY = "<32 hex>"``, ``coinmarketcap api key: <uuid>``)
_DATA_APIS: list[tuple[str, str, tuple[str, ...], str, int]] = [
    ("coinlayer-access-key", "coinlayer", ("coinlayer",), HEX, 32),
    ("aviationstack-access-key", "aviationstack", ("aviationstack",), HEX, 32),
    ("marketstack-access-key", "marketstack", ("marketstack",), HEX, 32),
    ("numverify-access-key", "numverify", ("numverify",), HEX, 32),
    ("mailboxlayer-access-key", "mailboxlayer", ("mailboxlayer",), HEX, 32),
    ("weatherstack-access-key", "weatherstack", ("weatherstack",), HEX, 32),
    ("screenshotlayer-access-key", "screenshotlayer", ("screenshotlayer",), HEX, 32),
    ("userstack-access-key", "userstack", ("userstack",), HEX, 32),
    ("ipgeolocation-api-key", "ipgeolocation.io", ("ipgeolocation",), HEX, 32),
    ("abstractapi-api-key", "Abstract API", ("abstractapi", "abstract_api"), HEX, 32),
    ("opencage-api-key", "OpenCage", ("opencage",), HEX, 32),
    ("scraperapi-api-key", "ScraperAPI", ("scraperapi", "scraper_api"), HEX, 32),
    ("twelvedata-api-key", "Twelve Data", ("twelvedata", "twelve_data"), HEX, 32),
    ("detectify-api-key", "Detectify", ("detectify",), HEX, 36),
    ("coinmarketcap-api-key", "CoinMarketCap", ("coinmarketcap", "cmc_pro_api_key"), HEX, 36),
]


def _data_api(slug: str, provider: str, kws: tuple[str, ...], cs: str, n: int) -> SecretRule:
    uuid = n == 36
    return keyed(
        slug,
        provider,
        f"{provider} API key",
        kws,
        cs,
        n,
        severity=M,
        var=f"{kws[0].upper()}_API_KEY",
        value_regex=UUID_RE if uuid else None,
        make_value=rand_uuid if uuid else None,
    )


# session 12 (issue 14): the peers' whole rule sets (gitleaks' generators, betterleaks' rule
# list, Kingfisher's examples) scored on main, then swept by family


def _b64_text(value: str, *, urlsafe: bool = False) -> str:
    """The printable text a base64 value decodes to, or "" (a fake or a random string)."""
    pad = value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4)
    try:
        raw = (base64.urlsafe_b64decode if urlsafe else base64.b64decode)(pad)
        text = raw.decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return ""
    return text if text.isprintable() else ""


_HEX32 = r"[0-9a-f]{32}"
_UUID_ANY = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _devin_org_key(value: str) -> bool:
    """Devin organisation keys: base64 of ``org-<32 hex>:<32 hex>``."""
    return re.fullmatch(rf"org-{_HEX32}:{_HEX32}", _b64_text(value[4:])) is not None


def _shortcut_token(value: str) -> bool:
    """Shortcut API tokens: ``sct_<scope>_<workspace>_`` + base64url of two UUIDs and a hex
    secret, colon-separated."""
    body = value.rsplit("_", 1)[-1] if len(value.rsplit("_", 1)[-1]) >= 100 else value[-142:]
    text = _b64_text(body, urlsafe=True)
    return re.match(rf"{_UUID_ANY}:{_UUID_ANY}:[0-9a-f]{{16,64}}$", text) is not None


def _tinybird_token(value: str) -> bool:
    """Tinybird tokens: ``p.`` + base64url JSON naming the user (``u``) and token (``id``)."""
    payload = value[2:].split(".", 1)[0]
    text = _b64_text(payload, urlsafe=True)
    return text.startswith("{") and '"u"' in text and '"id"' in text


def _dev_value(r: random.Random, prefix: str, text: str) -> str:
    return prefix + base64.b64encode(text.encode()).decode()


RULES: list[SecretRule] = [
    *(_data_api(*row) for row in _DATA_APIS),
    # -- Kingfisher's rule list: prefixed tokens ------------------------------------------
    prefixed("arcjet-api-key", "Arcjet", "Arcjet site key", "ajkey_", ALNUM_LOWER, 26, severity=H),
    prefixed("builderio-private-key", "Builder.io", "Builder.io private API key", "bpk-", HEX, 32),
    prefixed("calcom-api-key", "Cal.com", "Cal.com live API key", "cal_live_", ALNUM, 32),
    prefixed("cartesia-api-key", "Cartesia", "Cartesia API key", "sk_car_", ALNUM + "_", 20),
    prefixed("branchio-live-key", "Branch", "Branch.io live key", "key_live_", ALNUM, 32),
    prefixed(
        "branchio-test-key",
        "Branch",
        "Branch.io test key",
        "key_test_",
        ALNUM,
        32,
        severity=Severity.LOW,
    ),
    custom(
        "browserbase-api-key",
        "Browserbase",
        "Browserbase API key",
        rf"(bb_(?<![A-Za-z0-9_-]bb_)(?:live|test)_[A-Za-z0-9_-]{{27}}){_END_OF_WORD}",
        example=lambda r: f'BROWSERBASE_API_KEY = "bb_live_{rand(r, ALNUM, 27)}"\n',
        keywords=("bb_live_", "bb_test_"),
        severity=H,
        generated=True,
    ),
    custom(
        "blockprotocol-api-key",
        "Block Protocol",
        "Block Protocol API key",
        rf"(b10ck5\.(?<![A-Za-z0-9_-]b10ck5\.)[A-Za-z0-9]{{32}}\.[A-Za-z0-9]{{36}}){_END_OF_WORD}",
        example=lambda r: (
            f'BLOCK_PROTOCOL_API_KEY = "b10ck5.{rand(r, ALNUM, 32)}.{rand(r, ALNUM, 36)}"\n'
        ),
        keywords=("b10ck5.",),
        severity=H,
        generated=True,
        prefix="b10ck5.",
    ),
    prefixed("e2b-api-key", "E2B", "E2B API key", "e2b_", HEX, 40, severity=H),
    custom(
        "rapidapi-key-format",
        "RapidAPI",
        "RapidAPI key (its own format, under any name)",
        # 50 characters: hex runs of 10, 15, 6 and 12 joined by ``msh``, ``p`` and ``jsn``,
        # letters no hex run holds: the shape names the provider without a key naming it
        # (``"initialValue": "…"``; the keyed rapidapi-key reads it under RapidAPI's names)
        r"(?<![A-Za-z0-9_-])([0-9a-f]{10}msh[0-9a-f]{15}p[0-9a-f]{6}jsn[0-9a-f]{12})"
        r"(?![A-Za-z0-9_-])",
        example=lambda r: (
            f'"initialValue": "{rand(r, HEX, 10)}msh{rand(r, HEX, 15)}p{rand(r, HEX, 6)}jsn'
            f'{rand(r, HEX, 12)}"\n'
        ),
        fixed=lambda r: '"initialValue": ""\n',
        keywords=("msh",),
        severity=H,
        generated=True,
    ),
    custom(
        "azure-bot-framework-secret",
        "Microsoft",
        "Azure Bot Service Direct Line / Web Chat secret",
        # Microsoft's documented uses of a channel secret (11 characters, a dot, 43): the
        # ``BotConnector`` authorization scheme (``Authorization: BotConnector <secret>``,
        # or the scheme and the secret as two literals joined by ``+``) and the Web Chat
        # embed URL's ``s=`` parameter; ``Bearer <secret>`` and named keys are the generic
        # rules' (session 19's unseen sample)
        r"(?:\bBotConnector(?:[ \t]{1,3}|[ \t]{0,3}[\"'][ \t]{0,3}\+[ \t]{0,3}[\"'])"
        r"|\bbotframework\.(?:com|azure\.us)/embed/[^\s?\"'<>]{1,100}\?(?:[^\s\"'<>#]{0,200}&)?s=)"
        r"([A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])",
        example=lambda r: (
            f"Authorization: BotConnector {rand(r, B64URL[:-2], 11)}.{rand(r, B64URL[:-2], 43)}\n"
        ),
        fixed=lambda r: "Authorization: BotConnector ${DIRECT_LINE_SECRET}\n",
        keywords=("botconnector", "botframework."),
        severity=H,
        entropy=3.5,
    ),
    custom(
        "docker-swarm-join-token",
        "Docker",
        "Docker Swarm join token",
        r"(SWMTKN-1-(?<![A-Za-z0-9_-]SWMTKN-1-)[a-z0-9]{50,60}-[a-z0-9]{24,30})(?![A-Za-z0-9_-])",
        example=lambda r: (
            "docker swarm join --token SWMTKN-1-"
            f"{rand(r, ALNUM_LOWER, 50)}-{rand(r, ALNUM_LOWER, 25)} 10.0.0.1:2377\n"
        ),
        fixed=lambda r: 'docker swarm join --token "$(cat /run/secrets/join)" 10.0.0.1:2377\n',
        keywords=("swmtkn-1-",),
        severity=H,
        generated=True,
        prefix="SWMTKN-1-",
    ),
    custom(
        "docker-swarm-unlock-key",
        "Docker",
        "Docker Swarm unlock key",
        r"(SWMKEY-1-(?<![A-Za-z0-9_-]SWMKEY-1-)[A-Za-z0-9+/]{40,50})(?![A-Za-z0-9+/_-])",
        example=lambda r: f"docker swarm unlock --key SWMKEY-1-{rand(r, ALNUM, 43)}\n",
        fixed=lambda r: "docker swarm unlock  # key read from the vault\n",
        keywords=("swmkey-1-",),
        severity=H,
        generated=True,
        prefix="SWMKEY-1-",
    ),
    prefixed(
        "cloudflare-user-api-token",
        "Cloudflare",
        "Cloudflare user API token (cfut_)",
        "cfut_",
        B64URL,
        (41, 64),
        severity=H,
    ),
    prefixed(
        # Cloudflare's scannable Global API Key: 40 characters and their CRC32 in hex
        # (developers.cloudflare.com, "Token formats"); a checksum that does not match
        # lowers the finding's confidence
        "cloudflare-global-api-key-scannable",
        "Cloudflare",
        "Cloudflare Global API Key (scannable format, cfk_)",
        "cfk_",
        ALNUM,
        40,
        suffix_regex="[0-9a-f]{8}",
        severity=Severity.CRITICAL,
        validator=validators.cloudflare_checksum,
        make_value=lambda r: _cloudflare(r, "cfk_"),
    ),
    custom(
        "azure-storage-key-identifiable",
        "Azure",
        "Azure storage account key (identifiable format, +ASt)",
        r"(?<![A-Za-z0-9+/])([A-Za-z0-9+/]{76}\+ASt[A-Za-z0-9+/]{6}==)",
        example=lambda r: (
            f'"AZURE_STORAGE_ACCOUNT_KEY": "{rand(r, ALNUM, 76)}+ASt{rand(r, ALNUM, 6)}=="\n'
        ),
        keywords=("+ast",),
        severity=Severity.CRITICAL,
        entropy=4.0,
        generated=True,
    ),
    custom(
        "azure-logic-apps-sas-url",
        "Azure",
        "Azure Logic Apps trigger URL with its SAS signature",
        r"logic\.azure\.com(?::\d{1,5})?/workflows/[^\s\"'<>]{0,300}?[?&]sig="
        r"([A-Za-z0-9_%/+=-]{20,120})",
        example=lambda r: (
            "URL = 'https://prod-01.westeurope.logic.azure.com:443/workflows/"
            f"{rand(r, HEX, 32)}/triggers/manual/paths/invoke?api-version=2016-10-01"
            f"&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={rand(r, B64URL, 43)}'\n"
        ),
        fixed=lambda r: "URL = os.environ['LOGIC_APP_TRIGGER_URL']\n",
        keywords=("logic.azure.com",),
        severity=H,
        generated=True,
    ),
    # -- Kingfisher's rule list: values under the provider's own keys --------------------
    keyed(
        "falai-api-key",
        "fal.ai",
        "fal.ai API key (key id and secret)",
        ("fal",),
        HEX,
        69,
        severity=H,
        var="FAL_KEY",
        key_regex=r"fal(?:[_.-]?ai)?[\w. -]{0,20}?(?:key|token|secret)|fal-api",
        value_regex=rf"{UUID_RE}:[0-9a-f]{{32}}",
        make_value=lambda r: f"{rand_uuid(r)}:{rand(r, HEX, 32)}",
    ),
    keyed(
        "ghost-api-key",
        "Ghost",
        "Ghost CMS admin or content API key",
        ("ghost",),
        HEX,
        26,
        severity=H,
        var="GHOST_ADMIN_API_KEY",
        key_regex=r"ghost[\w. -]{0,20}?(?:key|token|secret)",
        entropy=2.5,
        value_regex=r"[0-9a-f]{24}:[0-9a-f]{64}|[0-9a-f]{26}",
    ),
    keyed(
        "flagsmith-key",
        "Flagsmith",
        "Flagsmith organisation API key or environment key",
        ("flagsmith",),
        HEX,
        40,
        severity=H,
        var="FLAGSMITH_API_KEY",
        key_regex=r"flagsmith[\w. -]{0,20}?(?:key|token|secret)",
        value_regex=r"[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}|[0-9a-f]{40}|ser\.[A-Za-z0-9]{22}",
    ),
    keyed(
        "exa-api-key",
        "Exa",
        "Exa AI API key",
        ("exa_api_key", "exa_key"),
        HEX,
        36,
        severity=H,
        var="EXA_API_KEY",
        key_regex=r"exa[_.-]?(?:api[_.-]?)?key",
        value_regex=UUID_RE,
        make_value=rand_uuid,
    ),
    # keys named by the provider alone (session 13, the rest of trufflehog's population and
    # keyhog's hold-out): the generic rules do not read ``GODADDY_KEY`` or ``demio_key`` as a
    # secret's name (a bare ``<name>_key`` is as often an id), and vbout's key is 25 digits
    keyed(
        "godaddy-api-key",
        "GoDaddy",
        "GoDaddy API key or secret",
        ("godaddy_key", "godaddy_api_key", "godaddy_secret", "godaddy_api_secret"),
        ALNUM + "_",
        (22, 40),
        severity=H,
        var="GODADDY_KEY",
        # the key: 30-40 letters, digits and "_" (``<13>_<22>``); the secret: 22 letters/digits
        value_regex=r"[A-Za-z0-9_]{30,40}|[A-Za-z0-9]{22}",
        make_value=lambda r: rand(r, ALNUM, 13) + "_" + rand(r, ALNUM, 22),
        generated=True,
    ),
    keyed(
        "demio-api-key",
        "Demio",
        "Demio API key",
        ("demio_key", "demio_api_key"),
        ALNUM,
        32,
        severity=H,
        var="DEMIO_API_KEY",
    ),
    keyed(
        "vbout-api-key",
        "VBOUT",
        "VBOUT API key",
        ("vbout_key", "vbout_api_key", "vbout"),
        DIGITS,
        25,
        severity=H,
        var="VBOUT_API_KEY",
        # 25 random digits carry about 3.1 bits a character
        entropy=2.8,
    ),
    # Smooch (Zendesk Sunshine Conversations): an API key id (``act_``/``app_`` + 24) and its
    # 86-character secret; the secret under the provider's name
    keyed(
        "smooch-api-key-secret",
        "Smooch",
        "Smooch (Sunshine Conversations) API key secret",
        ("smooch_secret", "smooch_key_secret", "smooch_api_secret", "smooch"),
        ALNUM + "_-",
        86,
        severity=H,
        var="SMOOCH_SECRET",
    ),
    custom(
        "godaddy-api-credentials",
        "GoDaddy",
        "GoDaddy API key and secret (sso-key header)",
        r"(?i:sso-key)\s{1,3}([A-Za-z0-9_]{30,40}:[A-Za-z0-9]{20,24})(?![A-Za-z0-9_-])",
        example=lambda r: (
            f'headers = {{"Authorization": "sso-key {rand(r, ALNUM, 35)}:{rand(r, ALNUM, 22)}"}}\n'
        ),
        fixed=lambda r: 'headers = {"Authorization": f"sso-key {KEY}:{SECRET}"}\n',
        keywords=("sso-key",),
        severity=H,
        generated=True,
    ),
    keyed(
        "azure-apim-subscription-key",
        "Azure",
        "Azure API Management subscription key",
        (
            "ocp-apim-subscription-key",
            "apim_subscription_key",
            "apim_key",
            "api_management_subscription_key",
        ),
        HEX,
        32,
        severity=H,
        key_regex=(
            r"ocp-apim-subscription-key|apim[_.-]?(?:subscription[_.-]?)?key"
            r"|api[_.-]?management[_.-]?subscription[_.-]?key"
        ),
    ),
    keyed(
        "cloudflare-service-key",
        "Cloudflare",
        "Cloudflare Origin CA service key",
        ("x-auth-user-service-key", "cloudflare_service_key"),
        HEX,
        180,
        severity=H,
        var="CLOUDFLARE_SERVICE_KEY",
        key_regex=r"x-auth-user-service-key|cloudflare[\w.-]{0,20}?service[_.-]?key",
        value_regex=r"v1\.0-[a-f0-9-]{160,400}",
        make_value=lambda r: f"v1.0-{rand(r, HEX, 64)}-{rand(r, HEX, 128)}",
    ),
    keyed(
        "figma-pat-legacy",
        "Figma",
        "Figma personal access token (legacy format)",
        ("figma",),
        HEX,
        41,
        severity=H,
        var="FIGMA_TOKEN",
        key_regex=r"figma[\w. -]{0,20}?(?:token|key|secret)",
        value_regex=rf"[0-9a-f]{{4,6}}-{UUID_RE}",
        make_value=lambda r: f"{rand(r, DIGITS, 4)}-{rand_uuid(r)}",
    ),
    keyed(
        "cielo-client-secret",
        "Cielo",
        "Cielo client secret or merchant key",
        ("cielo",),
        ALNUM,
        (20, 64),
        severity=H,
        var="CIELO_CLIENT_SECRET",
        key_regex=r"cielo[\w.-]{0,20}?(?:secret|merchant[_.-]?key|api[_.-]?key|token)",
    ),
    keyed(
        "clockwork-sms-api-key",
        "Clockwork SMS",
        "Clockwork SMS API key",
        ("clockwork",),
        HEX,
        40,
        severity=M,
        var="CLOCKWORK_API_KEY",
        key_regex=r"clockwork(?:sms)?[\w. -]{0,30}?(?:key|token|secret)",
    ),
    custom(
        "crossmint-api-key",
        "Crossmint",
        "Crossmint server or client API key",
        r"(?<![A-Za-z0-9_-])([sc]k_(?:staging|production)_[A-Za-z0-9]{24,48})(?![A-Za-z0-9_-])",
        example=lambda r: f'CROSSMINT_SECRET_KEY = "sk_production_{rand(r, ALNUM, 32)}"\n',
        keywords=("k_staging_", "k_production_"),
        severity=H,
        generated=True,
    ),
    keyed(
        "cypress-record-key",
        "Cypress",
        "Cypress Cloud record key",
        ("cypress_record_key",),
        HEX,
        36,
        severity=M,
        key_regex=r"cypress[_.-]?record[_.-]?key|--record\s+--key",
        value_regex=UUID_RE,
        make_value=rand_uuid,
    ),
    custom(
        "deepl-api-key",
        "DeepL",
        "DeepL API key (free plan)",
        rf"(?<![A-Za-z0-9-])({UUID_RE}:fx)(?![A-Za-z0-9_-])",
        example=lambda r: f'DEEPL_AUTH_KEY = "{rand_uuid(r)}:fx"\n',
        keywords=(":fx",),
        severity=H,
        generated=True,
    ),
    keyed(
        "deepl-pro-api-key",
        "DeepL",
        "DeepL API key (pro plan)",
        ("deepl",),
        HEX,
        36,
        severity=H,
        var="DEEPL_AUTH_KEY",
        key_regex=r"deepl[\w.-]{0,20}?(?:key|token|secret)",
        value_regex=UUID_RE,
        make_value=rand_uuid,
    ),
    keyed(
        "agora-app-certificate",
        "Agora",
        "Agora app certificate",
        ("agora",),
        HEX,
        32,
        severity=H,
        var="AGORA_APP_CERTIFICATE",
        key_regex=r"agora[\w.-]{0,20}?(?:app|customer)[_.-]?(?:certificate|secret)",
    ),
    keyed(
        "ai21-api-key",
        "AI21",
        "AI21 Studio API key",
        ("ai21",),
        HEX,
        36,
        severity=H,
        key_regex=r"ai21(?:[_.-]?(?:api|studio))?(?:[_.-]?(?:key|token|secret))?",
        value_regex=UUID_RE,
        make_value=rand_uuid,
    ),
    keyed(
        "anypoint-client-secret",
        "MuleSoft",
        "MuleSoft Anypoint client secret or API key",
        ("anypoint",),
        HEX,
        32,
        severity=H,
        var="ANYPOINT_CLIENT_SECRET",
        key_regex=r"anypoint[\w. -]{0,30}?(?:secret|key|token)",
        value_regex=rf"[0-9A-Fa-f]{{32}}|{UUID_RE}",
    ),
    keyed(
        "bamboo-pat",
        "Atlassian",
        "Bamboo Data Center personal access token",
        ("bamboo",),
        ALNUM,
        44,
        severity=H,
        var="BAMBOO_PAT",
        key_regex=r"bamboo[\w. -]{0,30}?(?:token|pat)",
        value_regex=r"[MNO][A-Za-z0-9+/]{15}O[g-v][A-Za-z0-9+/]{26}",
        make_value=lambda r: "M" + rand(r, ALNUM, 15) + "Ok" + rand(r, ALNUM, 26),
    ),
    keyed(
        "clay-api-key",
        "Clay",
        "Clay API key",
        ("clay_api_key", "clay_key", "clay_token"),
        HEX,
        20,
        severity=M,
        key_regex=r"clay[_.-]?(?:api[_.-]?)?(?:key|token)",
    ),
    custom(
        "pkcs12-file",
        "PKCS#12",
        "PKCS#12 keystore file (.p12/.pfx) committed",
        r"(?m)^(MI[A-Za-z0-9+/]{60,2000})",
        example=_pkcs12,
        fixed=lambda r: "# the keystore is read from the CI secret store at deploy time\n",
        keywords=(),
        validator=validators.pkcs12_der,
        path_regex=PKCS12_NAME,
        severity=Severity.CRITICAL,
        description=(
            "A PKCS#12 keystore holds a private key and its certificates; its password is "
            "often empty, a default, or committed next to it, and offline guessing is cheap."
        ),
        remediation=(
            "Remove the keystore from the repository and its history, revoke its certificate, "
            "issue a new key pair, and load the keystore from a secret store at deploy time."
        ),
        tags=("key-file",),
    ),
    custom(
        "okta-api-token-in-context",
        "Okta",
        "Okta API token in a file about Okta",
        r"(?<![A-Za-z0-9_-])(00[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])",
        example=lambda r: (
            f'variable "okta_api_token" {{\n  default = "00{rand(r, B64URL, 40)}"\n}}\n'
        ),
        fixed=lambda r: 'variable "okta_api_token" {\n  sensitive = true\n}\n',
        keywords=("okta",),
        entropy=3.5,
        severity=H,
        generated=True,
    ),
    custom(
        "new-relic-license-key-legacy",
        "New Relic",
        "New Relic license key (40 hex) in a New Relic agent configuration",
        r"(?i:license_key)[\"']?\s{0,3}[:=]\s{0,3}[\"']?([0-9a-f]{40})(?![0-9A-Za-z])",
        example=lambda r: f"# New Relic agent\nlicense_key: {rand(r, HEX, 40)}\n",
        fixed=lambda r: "# New Relic agent\nlicense_key: <%= ENV['NEW_RELIC_LICENSE_KEY'] %>\n",
        keywords=("new relic", "newrelic", "new_relic"),
        severity=H,
        generated=True,
    ),
    keyed(
        "codeclimate-reporter-id",
        "CodeClimate",
        "CodeClimate test reporter id (repository token)",
        ("cc_test_reporter_id", "codeclimate_repo_token"),
        HEX,
        64,
        severity=M,
    ),
    prefixed(
        "dependency-track-api-key",
        "Dependency-Track",
        "Dependency-Track API key",
        "odt_",
        ALNUM,
        (32, 64),
        severity=H,
    ),
    prefixed("jina-api-key", "Jina AI", "Jina AI API key", "jina_", ALNUM, 60, severity=H),
    custom(
        "tavily-api-key",
        "Tavily",
        "Tavily API key",
        rf"(tvly-(?<![A-Za-z0-9_-]tvly-)(?:(?:dev|prod)-)?[A-Za-z0-9]{{32}}){_END_OF_WORD}",
        example=lambda r: f'TAVILY_API_KEY = "tvly-{rand(r, ALNUM, 32)}"\n',
        keywords=("tvly-",),
        severity=H,
        generated=True,
        prefix="tvly-",
    ),
    custom(
        "stackhawk-api-key",
        "StackHawk",
        "StackHawk API key",
        rf"(hawk\.(?<![A-Za-z0-9_-]hawk\.)[A-Za-z0-9_-]{{20}}\.[A-Za-z0-9_-]{{20}}){_END_OF_WORD}",
        example=lambda r: f'HAWK_API_KEY = "hawk.{rand(r, ALNUM, 20)}.{rand(r, ALNUM, 20)}"\n',
        keywords=("hawk.",),
        severity=H,
        generated=True,
        prefix="hawk.",
    ),
    custom(
        "twitch-stream-key",
        "Twitch",
        "Twitch stream key",
        rf"(live_(?<![A-Za-z0-9_-]live_)\d{{8,12}}_[A-Za-z0-9]{{30,36}}){_END_OF_WORD}",
        example=lambda r: f'STREAM_KEY = "live_{rand(r, DIGITS, 9)}_{rand(r, ALNUM, 30)}"\n',
        keywords=("live_",),
        severity=H,
        generated=True,
    ),
    custom(
        "blynk-device-token",
        "Blynk",
        "Blynk device auth token in an API URL",
        r"blynk\.cloud/external/api/[\w/]{0,60}\?(?:[\w.=-]{0,60}&)?token="
        rf"([A-Za-z0-9_-]{{32}}){_END_OF_WORD}",
        example=_blynk_device,
        fixed=lambda r: 'curl "https://fra1.blynk.cloud/external/api/get?token=$BLYNK_TOKEN"\n',
        keywords=("blynk.cloud",),
        severity=H,
        generated=True,
    ),
    custom(
        "blynk-client-secret",
        "Blynk",
        "Blynk organization OAuth client secret",
        r"oa2-client-id_[A-Za-z0-9_-]{32}(?::|&client_secret=)"
        rf"([A-Za-z0-9_-]{{40}}){_END_OF_WORD}",
        example=_blynk_client,
        keywords=("oa2-client-id_",),
        severity=H,
        generated=True,
    ),
    custom(
        "particle-access-token",
        "particle.io",
        "particle.io access token",
        r"(?:api\.particle\.io/v1/[\w\s/\"\\?=&.-]{0,100}?(?:access_token=|Authorization:\s{0,3}"
        r"Bearer\s{1,3})|(?:access_token=|Authorization:\s{0,3}Bearer\s{1,3})"
        r"(?=[A-Za-z0-9]{40}[\s\"\\]{0,8}https://api\.particle\.io/v1))"
        r"([A-Za-z0-9]{40})(?![A-Za-z0-9])",
        example=_particle,
        fixed=lambda r: (
            'curl https://api.particle.io/v1/devices -H "Authorization: Bearer $PARTICLE_TOKEN"\n'
        ),
        keywords=("api.particle.io",),
        prefilter=r"api\.particle\.io/v1/|(?:access_token=|Bearer\s{1,3})[A-Za-z0-9]{40}",
        severity=H,
        generated=True,
    ),
    custom(
        "thingsboard-access-token",
        "ThingsBoard",
        "ThingsBoard device access token in an API URL",
        r"thingsboard\.cloud/api/v1/([a-z0-9]{20})(?![A-Za-z0-9])",
        example=lambda r: (
            f'URL = "https://thingsboard.cloud/api/v1/{rand(r, ALNUM_LOWER, 20)}/telemetry"\n'
        ),
        fixed=lambda r: 'URL = f"https://thingsboard.cloud/api/v1/{TOKEN}/telemetry"\n',
        keywords=("thingsboard.cloud",),
        severity=H,
        generated=True,
    ),
    custom(
        "thingsboard-provision-secret",
        "ThingsBoard",
        "ThingsBoard device provisioning key or secret",
        r"\"provisionDevice(?:Key|Secret)\"\s{0,3}:\s{0,3}\"([a-z0-9]{20})\"",
        example=lambda r: (
            f'{{"provisionDeviceKey": "{rand(r, ALNUM_LOWER, 20)}", '
            f'"provisionDeviceSecret": "{rand(r, ALNUM_LOWER, 20)}"}}\n'
        ),
        fixed=lambda r: '{"provisionDeviceKey": "${PROVISION_KEY}"}\n',
        keywords=('"provisiondevice',),
        severity=H,
        generated=True,
    ),
    custom(
        "truenas-api-key",
        "TrueNAS",
        "TrueNAS API key",
        r"(?:login_with_api_key\"[\s\S]{0,40}?\"params\"\s{0,3}:\s{0,3}\[\s{0,20}\"|Bearer\s{1,3})"
        r"(\d{1,4}-[A-Za-z0-9]{64})(?![A-Za-z0-9])",
        example=_truenas,
        fixed=lambda r: (
            '{"method": "auth.login_with_api_key", "params": [os.environ["TRUENAS_KEY"]]}\n'
        ),
        keywords=("login_with_api_key", "bearer"),
        severity=H,
        generated=True,
        prefilter=r"(?:login_with_api_key|Bearer)[\s\S]{0,80}?\d{1,4}-[A-Za-z0-9]{64}",
    ),
    custom(
        "nasa-api-key",
        "NASA",
        "NASA open APIs key in a URL",
        r"api\.nasa\.gov/[^\s\"'<>]{0,200}?[?&]api_key=([A-Za-z0-9]{40})(?![A-Za-z0-9])",
        example=lambda r: (
            f"requests.get('https://api.nasa.gov/planetary/apod?api_key={rand(r, ALNUM, 40)}')\n"
        ),
        fixed=lambda r: (
            "requests.get('https://api.nasa.gov/planetary/apod', "
            "params={'api_key': os.environ['NASA_KEY']})\n"
        ),
        keywords=("api.nasa.gov",),
        severity=M,
        generated=True,
    ),
    custom(
        "psexec-password",
        "Windows",
        "Password on a PsExec command line",
        r"(?i:psexec)[^\n]{0,100}?\s-u\s{0,3}\S{1,60}\s{1,5}-p\s{0,3}"
        r"([^\s\"'%${<][^\s\"']{2,60})(?=[\s\"']|$)",
        example=lambda r: f"psexec \\\\10.0.0.5 -u Administrator -p {_pw(r)} cmd /c ipconfig\n",
        fixed=lambda r: "psexec \\\\10.0.0.5 -u Administrator -p %ADMIN_PASSWORD% cmd\n",
        keywords=("psexec",),
        severity=H,
        tags=("password",),
    ),
    custom(
        "powercli-viserver-password",
        "VMware",
        "Password in a PowerCLI Connect-VIServer command",
        r"(?i:connect-viserver)[^\n]{0,120}?(?i:-password)\s{1,5}(['\"]?)"
        r"([^\s'\"${<][^\s'\"]{2,60})\1(?=[\s;|]|$)",
        secret_group=2,
        example=lambda r: (
            f"Connect-VIServer -Server vc01 -User administrator@vsphere.local -Password {_pw(r)}\n"
        ),
        fixed=lambda r: "Connect-VIServer -Server vc01 -User $user -Password $env:VI_PASSWORD\n",
        keywords=("connect-viserver",),
        severity=H,
        tags=("password",),
    ),
]

#: session 10: Kingfisher's long tail (providers whose values only their name identifies,
#: and formats with a prefix of their own), each read from the provider's documentation
RULES += [
    keyed(
        "clockify-api-key",
        "Clockify",
        "Clockify API key",
        ("clockify_api_key", "clockify_key", "clockify_token", "clockify_secret"),
        ALNUM,
        48,
        severity=M,
    ),
    keyed(
        "onelogin-client-secret",
        "OneLogin",
        "OneLogin API client secret",
        ("onelogin_client_secret", "onelogin_secret", "onelogin_api_secret"),
        ALNUM_LOWER,
        64,
        severity=H,
        value_regex=r"(?:secret_)?[a-z0-9]{64}",
        make_value=lambda r: rand(r, ALNUM_LOWER, 64),
        generated=True,
    ),
    keyed(
        "unleash-api-token",
        "Unleash",
        "Unleash client, admin or personal API token",
        ("unleash_api_token", "unleash_token", "unleash_client_key", "unleash_pat"),
        HEX,
        56,
        severity=H,
        # ``<project>:<environment>.<56 hex>`` (``*`` or ``[]`` for all projects) or a
        # personal ``user:<56 hex>``
        value_regex=r"(?:\*|\[\]|[a-z][a-z0-9-]{0,40}):[a-z][a-z0-9-]{0,40}\.[0-9a-f]{56}"
        r"|user:[0-9a-f]{56}",
        make_value=lambda r: "default:production." + rand(r, HEX, 56),
        generated=True,
    ),
    prefixed(
        "liveblocks-secret-key",
        "Liveblocks",
        "Liveblocks secret key",
        "sk_prod_",
        B64URL,
        64,
        prefix_regex=r"sk_(?:prod|dev)_",
        keywords=("sk_prod_", "sk_dev_"),
    ),
    custom(
        "pubnub-publish-key",
        "PubNub",
        "PubNub publish key",
        # ``pub-c-`` and a UUID (``sub-c-`` subscribe keys ship inside clients: not secret)
        r"(pub-c-(?<![A-Za-z0-9_-]pub-c-)[a-z0-9]{8}(?:-[a-z0-9]{4}){3}-[a-z0-9]{12})"
        r"(?![A-Za-z0-9_-])",
        example=lambda r: f'PUBNUB_PUBLISH_KEY = "pub-c-{rand_uuid(r)}"\n',
        fixed=lambda r: 'PUBNUB_PUBLISH_KEY = os.environ["PUBNUB_PUBLISH_KEY"]\n',
        keywords=("pub-c-",),
        severity=M,
        generated=True,
        prefix="pub-c-",
    ),
    keyed(
        "nango-secret-key",
        "Nango",
        "Nango secret key",
        ("nango_secret_key", "nango_api_key", "nango_secret", "nango_key"),
        HEX,
        36,
        severity=H,
        value_regex=UUID_RE,
        make_value=rand_uuid,
        generated=True,
    ),
    custom(
        "modal-token-secret",
        "Modal",
        "Modal token secret",
        r"(?i:modal_token_secret|--token-secret)[ \t\"'=:]{1,4}(as-[A-Za-z0-9]{22})(?![A-Za-z0-9])",
        example=lambda r: (
            f"modal token set --token-id ak-{rand(r, ALNUM, 22)}"
            f" --token-secret as-{rand(r, ALNUM, 22)}\n"
        ),
        fixed=lambda r: (
            "modal token set --token-id $MODAL_TOKEN_ID --token-secret $MODAL_TOKEN_SECRET\n"
        ),
        keywords=("token-secret", "token_secret"),
        severity=H,
        generated=True,
    ),
    prefixed(
        "trigger-dev-secret-key",
        "Trigger.dev",
        "Trigger.dev secret key or personal access token",
        "tr_prod_",
        ALNUM,
        20,
        prefix_regex=r"tr_(?:dev|prod|stg|pat)_",
        keywords=("tr_dev_", "tr_prod_", "tr_stg_", "tr_pat_"),
    ),
    prefixed(
        "firecrawl-api-key",
        "Firecrawl",
        "Firecrawl API key",
        "fc-",
        HEX,
        32,
        severity=M,
    ),
    prefixed("xata-api-key", "Xata", "Xata API key", "xau_", ALNUM, 33),
    prefixed(
        "inngest-signing-key",
        "Inngest",
        "Inngest signing key",
        "signkey-",
        HEX,
        64,
        prefix_regex=r"signkey-[a-z0-9_]{1,20}-",
        make_value=lambda r: "signkey-prod-" + rand(r, HEX, 64),
    ),
    prefixed(
        "ubidots-api-token",
        "Ubidots",
        "Ubidots API token",
        "BBUS-",
        ALNUM,
        (28, 40),
        prefix_regex=r"BB(?:US|FF)-",
        keywords=("bbus-", "bbff-"),
    ),
    prefixed(
        "mintlify-api-key",
        "Mintlify",
        "Mintlify API key",
        "mint_",
        ALNUM,
        (24, 44),
        prefix_regex=r"mint_(?:dsc_)?",
        keywords=("mint_",),
        severity=M,
    ),
    keyed(
        "pirsch-access-key",
        "Pirsch",
        "Pirsch Analytics access key or client secret",
        (
            "pirsch_access_key",
            "pirsch_client_secret",
            "pirsch_secret",
            "pirsch_token",
            "pirsch_key",
        ),
        ALNUM,
        35,
        severity=M,
        value_regex=r"pa_[A-Za-z0-9]{32,48}",
        make_value=lambda r: "pa_" + rand(r, ALNUM, 40),
        generated=True,
    ),
    prefixed(
        "fleetbase-api-key",
        "Fleetbase",
        "Fleetbase API key",
        "flb_live_",
        ALNUM,
        (20, 64),
        prefix_regex=r"flb_(?:live|test)_",
        keywords=("flb_live_", "flb_test_"),
    ),
    prefixed(
        "hack-club-ai-api-key",
        "Hack Club",
        "Hack Club AI API key",
        "sk-hc-v1-",
        HEX,
        64,
    ),
    prefixed(
        "saladcloud-api-key",
        "SaladCloud",
        "SaladCloud user API key",
        "salad_cloud_user_",
        ALNUM,
        49,
    ),
    keyed(
        "volcengine-ark-api-key",
        "VolcEngine",
        "VolcEngine Ark (Doubao) API key",
        ("ark_api_key", "volcengine_ark_api_key", "volcengine_api_key", "doubao_api_key"),
        HEX,
        36,
        severity=H,
        value_regex=UUID_RE,
        make_value=rand_uuid,
        generated=True,
    ),
    prefixed(
        "heartland-portico-api-key",
        "Heartland",
        "Heartland Portico secret API key",
        "skapi_prod_",
        ALNUM,
        (34, 42),
        prefix_regex=r"skapi_(?:prod|cert)_",
        keywords=("skapi_prod_", "skapi_cert_"),
    ),
    keyed(
        "vast-ai-api-key",
        "Vast.ai",
        "Vast.ai API key",
        ("vastai_api_key", "vastai_access_key", "vastai_key"),
        HEX,
        64,
        severity=H,
    ),
    keyed(
        "strava-access-token",
        "Strava",
        "Strava access token",
        ("strava_access_token", "strava_auth_token", "strava_token"),
        HEX,
        40,
        severity=M,
    ),
    keyed(
        "todoist-api-token",
        "Todoist",
        "Todoist API token",
        ("todoist_api_token", "todoist_token", "todoist_api_key"),
        HEX,
        40,
        severity=M,
    ),
    keyed(
        "loops-api-key",
        "Loops",
        "Loops email API key",
        ("loops_api_key", "loops_key", "loops_token"),
        HEX,
        32,
        severity=M,
    ),
    keyed(
        "lacework-api-secret",
        "Lacework",
        "Lacework API secret",
        ("lacework_api_secret", "lacework_secret"),
        ALNUM_LOWER,
        32,
        severity=H,
        value_regex=r"_[a-z0-9]{31}",
        make_value=lambda r: "_" + rand(r, ALNUM_LOWER, 31),
        generated=True,
    ),
    prefixed(
        "vault-legacy-token-bare",
        "HashiCorp",
        "HashiCorp Vault token (legacy s. format, with no key)",
        "s.",
        ALNUM,
        24,
        severity=M,
        # Vault's legacy tokens are 24 random base62 characters: two digits, two capitals
        # and two small letters at least (``s.Validate`` or a 24-letter property is not one)
        prefix_regex=r"s\.(?=(?:[A-Za-z]*[0-9]){2})(?=(?:[a-z0-9]*[A-Z]){2})"
        r"(?=(?:[A-Z0-9]*[a-z]){2})",
        keywords=("s.",),
        entropy=3.8,
        var="VAULT_SESSION",
    ),
    # session 12 (issue 14): providers with no rule in the peers' rule sets, scored whole
    prefixed(
        "cerebras-api-key-prefixed",
        "Cerebras",
        "Cerebras API key (csk- prefix, with no key name)",
        "csk-",
        ALNUM_LOWER,
        48,
        severity=H,
        entropy=3.5,
        references=("https://inference-docs.cerebras.ai/api-reference/authentication",),
    ),
    prefixed(
        "friendli-pat",
        "FriendliAI",
        "FriendliAI personal access token",
        "flp_",
        ALNUM,
        46,
        severity=H,
        entropy=3.5,
    ),
    prefixed(
        "wandb-api-key-v1",
        "Weights & Biases",
        "Weights & Biases API key (wandb_v1_ format)",
        "wandb_v1_",
        ALNUM + "_",
        77,
        severity=H,
        entropy=3.5,
    ),
    custom(
        "shortcut-api-token-scoped",
        "Shortcut",
        "Shortcut scoped API token (sct_<scope>_<workspace>_…)",
        r"(?<![A-Za-z0-9_])(sct_(?:rwa|rs|r|w)_[a-z0-9]{1,40}(?:-[a-z0-9]{1,40}){0,5}_"
        r"[A-Za-z0-9_-]{142})(?![A-Za-z0-9_-])",
        example=lambda r: (
            "SHORTCUT_API_TOKEN=sct_r_acme_"
            + base64.urlsafe_b64encode(
                f"{rand_uuid(r)}:{rand_uuid(r)}:{rand(r, HEX, 32)}".encode()
            ).decode()
            + "\n"
        ),
        fixed=lambda r: 'SHORTCUT_API_TOKEN="${SHORTCUT_API_TOKEN}"\n',
        keywords=("sct_",),
        severity=H,
        validator=_shortcut_token,
        prefix="sct_",
    ),
    custom(
        "tinybird-token",
        "Tinybird",
        "Tinybird workspace or user token",
        r"(?<![A-Za-z0-9_.-])(p\.eyJ1I[A-Za-z0-9_-]{80,260}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])",
        example=lambda r: (
            "TB_TOKEN="
            + "p."
            + base64.urlsafe_b64encode(
                f'{{"u": "{rand_uuid(r)}", "id": "{rand_uuid(r)}", "host": "gcp-eu"}}'.encode()
            )
            .decode()
            .rstrip("=")
            + "."
            + rand(r, B64URL, 43)
            + "\n"
        ),
        fixed=lambda r: 'TB_TOKEN="${TB_TOKEN}"\n',
        keywords=("p.eyj1i",),
        severity=H,
        validator=_tinybird_token,
        prefix="p.eyJ1I",
    ),
    prefixed(
        "devin-org-api-key",
        "Devin",
        "Devin organisation API key (apk_ + base64 of org-…:…)",
        "apk_",
        B64URL + "+/",
        (80, 100),
        severity=H,
        suffix_regex="={0,2}",
        validator=_devin_org_key,
        make_value=lambda r: _dev_value(r, "apk_", f"org-{rand(r, HEX, 32)}:{rand(r, HEX, 32)}"),
    ),
    custom(
        "gemfury-url-token",
        "Gemfury",
        "Gemfury token in a repository URL (https://<token>@repo.fury.io/…)",
        r"https://([A-Za-z0-9_-]{16,36}):?@(?i:repo|push|pypi|npm|gem|nuget|maven|go)\.fury\.io/",
        example=lambda r: f"extra-index-url = https://{rand(r, B64URL, 32)}@repo.fury.io/acme/\n",
        fixed=lambda r: "extra-index-url = https://${GEMFURY_TOKEN}@repo.fury.io/acme/\n",
        keywords=("fury.io",),
        severity=H,
        entropy=3.0,
    ),
    keyed(
        "ollama-cloud-api-key",
        "Ollama",
        "Ollama cloud API key (32 hex . 24 characters)",
        ("ollama_api_key", "ollama_key", "ollama_token"),
        HEX,
        57,
        severity=H,
        value_regex=rf"{_HEX32}\.[A-Za-z0-9_-]{{24}}",
        make_value=lambda r: rand(r, HEX, 32) + "." + rand(r, B64URL, 24),
    ),
    keyed(
        "baseten-api-key",
        "Baseten",
        "Baseten API key (8 . 32 characters)",
        ("baseten_api_key", "baseten_key", "baseten_token"),
        ALNUM,
        41,
        severity=H,
        value_regex=r"[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}",
        make_value=lambda r: rand(r, ALNUM, 8) + "." + rand(r, ALNUM, 32),
    ),
    keyed(
        "customerio-api-key",
        "Customer.io",
        "Customer.io tracking (20 hex) or app (32 hex) API key",
        ("customerio_api_key", "customerio_key", "customerio_tracking_api_key", "customerio_token"),
        HEX,
        20,
        severity=M,
        value_regex=r"[0-9a-f]{32}|[0-9a-f]{20}",
        make_value=lambda r: rand(r, HEX, 20),
    ),
    keyed(
        "iterable-api-key",
        "Iterable",
        "Iterable API key",
        ("iterable_api_key", "iterable_key", "iterable_token"),
        HEX,
        32,
        severity=M,
    ),
    keyed(
        "upstash-management-api-key",
        "Upstash",
        "Upstash management API key (a UUID under Upstash's name)",
        # (``UPSTASH_API_KEY`` is read through the provider's name: other Upstash keys go by
        # it too, so it is not registered as holding only UUIDs)
        ("upstash_management_api_key", "upstash_mgmt_api_key"),
        HEX,
        36,
        severity=H,
        value_regex=_UUID_ANY,
        make_value=rand_uuid,
    ),
    prefixed(
        "aws-bedrock-short-term-api-key",
        "AWS",
        "Amazon Bedrock short-term API key (a presigned bedrock.amazonaws.com URL)",
        "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t",
        B64 + "=",
        (40, 4000),
        severity=H,
        keywords=("bedrock-api-key-",),
        make_value=lambda r: (
            "bedrock-api-key-"
            + base64.b64encode(
                b"bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Credential=ASIA"
                + rand(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16).encode()
                + b"&X-Amz-Signature="
                + rand(r, HEX, 64).encode()
            ).decode()
        ),
        prefilter="bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t",
    ),
]

# session 12: SSLMate keys in the documented k<account>_<26> form (the older rule reads 36)
RULES += [
    keyed(
        "sslmate-api-key-numbered",
        "SSLMate",
        "SSLMate API key (k<account>_<26 characters>)",
        ("sslmate_api_key", "sslmate_key", "sslmate_token"),
        ALNUM_LOWER,
        33,
        severity=M,
        value_regex=r"k[0-9]{4,8}_[a-z0-9]{26}",
        make_value=lambda r: "k" + rand(r, DIGITS, 5) + "_" + rand(r, ALNUM_LOWER, 26),
    ),
]

# session 12, batch 2: Kingfisher's long tail (providers with no rule, read under their names)
RULES += [
    prefixed(
        "buildkite-registration-token",
        "Buildkite",
        "Buildkite agent registration or cluster token (bkar_/bkct_)",
        "bk",
        HEX,
        40,
        severity=H,
        prefix_regex=r"bk(?:ar|ct)_",
        keywords=("bkar_", "bkct_"),
        make_value=lambda r: "bkar_" + rand(r, HEX, 40),
    ),
    prefixed(
        "honeycomb-key-hcx",
        "Honeycomb",
        "Honeycomb ingest or management key (hcxik_/hcxmk_, the mixed-case form)",
        "hcx",
        ALNUM,
        (50, 64),
        severity=H,
        prefix_regex=r"hcx[im]k_",
        keywords=("hcxik_", "hcxmk_"),
        entropy=3.5,
        make_value=lambda r: "hcxik_" + rand(r, ALNUM_LOWER, 58),
    ),
    custom(
        "nessus-agent-link-key",
        "Tenable",
        "Nessus agent linking key on a nessuscli command line",
        r"nessuscli[ \t]+agent[ \t]+link\b[^\n]{0,300}?--key[= ]([0-9a-f]{64})(?![0-9a-f])",
        example=lambda r: (
            f"/opt/nessus_agent/sbin/nessuscli agent link --key={rand(r, HEX, 64)} "
            "--host=scanner.corp.test --port=8834\n"
        ),
        fixed=lambda r: (
            '/opt/nessus_agent/sbin/nessuscli agent link --key="$NESSUS_KEY" '
            "--host=scanner.corp.test\n"
        ),
        keywords=("nessuscli",),
        severity=H,
    ),
    custom(
        "firebase-cloud-messaging-server-key",
        "Firebase",
        "Firebase Cloud Messaging legacy server key (AAAA…:APA91b…)",
        r"(?<![A-Za-z0-9_-])(AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{120,160})(?![A-Za-z0-9_-])",
        example=lambda r: f"FCM_SERVER_KEY=AAAA{rand(r, B64URL, 7)}:APA91b{rand(r, B64URL, 134)}\n",
        fixed=lambda r: "FCM_SERVER_KEY=${FCM_SERVER_KEY}\n",
        keywords=(":apa91b",),
        severity=H,
        entropy=3.5,
    ),
    keyed(
        "kubernetes-bootstrap-token",
        "Kubernetes",
        "Kubernetes bootstrap token (kubeadm join)",
        ("bootstrap_token", "kubeadm_token"),
        ALNUM_LOWER,
        23,
        severity=H,
        value_regex=r"[a-z0-9]{6}\.[a-z0-9]{16}",
        make_value=lambda r: rand(r, ALNUM_LOWER, 6) + "." + rand(r, ALNUM_LOWER, 16),
    ),
    keyed(
        "coze-pat",
        "Coze",
        "Coze personal access token",
        ("coze_api_key", "coze_key", "coze_token", "coze_pat"),
        ALNUM,
        68,
        severity=H,
        value_regex=r"pat_[A-Za-z0-9]{64}",
        make_value=lambda r: "pat_" + rand(r, ALNUM, 64),
    ),
    prefixed(
        "dub-api-key",
        "Dub",
        "Dub.co API key",
        "dub_",
        ALNUM,
        24,
        severity=M,
        entropy=3.5,
    ),
    keyed(
        "fileio-api-key",
        "file.io",
        "file.io API key (20 . 20 characters)",
        ("fileio_api_key", "fileio_key", "fileio_secret"),
        ALNUM_UPPER,
        41,
        severity=M,
        value_regex=r"[A-Z0-9]{20}\.[A-Z0-9]{20}",
        make_value=lambda r: rand(r, ALNUM_UPPER, 20) + "." + rand(r, ALNUM_UPPER, 20),
    ),
    keyed(
        "gemstash-key",
        "Gemstash",
        "Gemstash private gem server key",
        ("gemstash_key", "gemstash_api_key"),
        HEX,
        32,
        severity=M,
    ),
    keyed(
        "helpscout-client-secret",
        "Help Scout",
        "Help Scout OAuth client secret",
        ("helpscout_client_secret", "helpscout_secret", "helpscout_app_secret"),
        HEX,
        32,
        severity=H,
    ),
    keyed(
        "hexpm-organization-key",
        "Hex.pm",
        "Hex.pm organization key",
        ("hex_organization_key", "hex_org_key", "hexpm_organization_key"),
        HEX,
        32,
        severity=H,
    ),
    custom(
        "hexpm-organization-auth-key",
        "Hex.pm",
        "Hex.pm organization key on a mix hex.organization auth command line",
        r"mix[ \t]+hex\.organization[ \t]+auth\b[^\n]{0,200}?--key[= ]([0-9a-f]{32})(?![0-9a-f])",
        example=lambda r: f"mix hex.organization auth acme --key {rand(r, HEX, 32)}\n",
        fixed=lambda r: "mix hex.organization auth acme --key $HEX_ORGANIZATION_KEY\n",
        keywords=("hex.organization",),
        severity=H,
    ),
    keyed(
        "keen-io-key",
        "Keen",
        "Keen.io read, write or master key",
        ("keen_read_key", "keen_write_key", "keen_master_key", "keen_api_key"),
        HEX,
        64,
        severity=M,
    ),
    keyed(
        "owlbot-api-token",
        "OwlBot",
        "OwlBot dictionary API token",
        ("owlbot_token", "owlbot_api_token", "owlbot_secret"),
        HEX,
        40,
        severity=M,
    ),
    keyed(
        "pushbullet-access-token",
        "Pushbullet",
        "Pushbullet access token (o. + 32)",
        ("pushbullet_access_token", "pushbullet_token", "pushbullet_api_key"),
        ALNUM,
        34,
        severity=H,
        value_regex=r"o\.[A-Za-z0-9]{32}",
        make_value=lambda r: "o." + rand(r, ALNUM, 32),
    ),
    custom(
        "pushbullet-client-call",
        "Pushbullet",
        "Pushbullet access token passed to the client library",
        r"\bPushBullet\(\s{0,3}[\"'](o\.[A-Za-z0-9]{32})[\"']",
        example=lambda r: f'pb = PushBullet("o.{rand(r, ALNUM, 32)}")\n',
        fixed=lambda r: 'pb = PushBullet(os.environ["PUSHBULLET_TOKEN"])\n',
        keywords=("pushbullet(",),
        severity=H,
        entropy=3.5,
    ),
    custom(
        "pagerduty-token-header",
        "PagerDuty",
        "PagerDuty API key in a Token token= header value",
        r"(?i:pagerduty|\bpd)[^\n]{0,40}?Token[ \t]+token=([A-Za-z0-9_+-]{20})(?![A-Za-z0-9_+-])",
        example=lambda r: f'pagerduty: "Token token={rand(r, B64URL + "+", 20)}"\n',
        fixed=lambda r: 'pagerduty: "Token token=${PAGERDUTY_TOKEN}"\n',
        keywords=("token token=",),
        severity=H,
        entropy=3.0,
    ),
    prefixed(
        "midtrans-server-key-prefixed",
        "Midtrans",
        "Midtrans server key (Mid-server- prefix; the Mid-client- key is public)",
        "Mid-server-",
        B64URL,
        (10, 40),
        severity=H,
        keywords=("mid-server-",),
        entropy=3.0,
    ),
    prefixed(
        "ai71-api-key",
        "AI71",
        "AI71 API key (ai71-api- + UUID)",
        "ai71-api-",
        HEX + "-",
        36,
        severity=H,
        suffix_regex="",
        make_value=lambda r: "ai71-api-" + rand_uuid(r),
    ),
]
