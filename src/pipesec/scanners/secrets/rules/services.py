"""More providers: documented token prefixes, and keyword-anchored keys of APIs without one.

Each line of the tables is one provider's documented format. Keyword-anchored rules need the
provider's name in the variable (``SHODAN_API_KEY = "..."``) and a value of the documented
length and alphabet, so an unrelated hex string does not match.
"""

from __future__ import annotations

from pipesec.core.model import Severity
from pipesec.scanners.secrets.rules.base import SecretRule
from pipesec.scanners.secrets.rules.builders import (
    ALNUM,
    ALNUM_LOWER,
    ALNUM_UPPER,
    B64URL,
    DIGITS,
    HEX,
    custom,
    keyed,
    prefixed,
    rand,
)

H = Severity.HIGH
M = Severity.MEDIUM

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

#: (slug, provider, title, prefix, charset, length)
_PREFIXED: list[tuple[str, str, str, str, str, int | tuple[int, int]]] = [
    ("sourcegraph-pat", "Sourcegraph", "Sourcegraph access token", "sgp_", HEX, 40),
    ("fly-io-org-token", "Fly.io", "Fly.io organization token", "fo1_", B64URL, 43),
    ("intra42-client-secret", "42", "42 intra API client secret", "s-s4t2ud-", HEX, 64),
    ("intra42-app-secret", "42", "42 intra application secret", "s-s4t2af-", HEX, 64),
    ("together-api-key-v1", "Together AI", "Together AI API key", "tgp_v1_", B64URL, 43),
    ("apify-api-token", "Apify", "Apify API token", "apify_api_", ALNUM, 36),
    ("adafruit-io-key", "Adafruit", "Adafruit IO key", "aio_", ALNUM, 28),
    ("scalingo-api-token", "Scalingo", "Scalingo API token", "tk-us-", B64URL, 48),
    ("settlemint-pat", "SettleMint", "SettleMint personal access token", "sm_pat_", ALNUM, 16),
    ("settlemint-app-token", "SettleMint", "SettleMint application token", "sm_aat_", ALNUM, 16),
    ("settlemint-service-token", "SettleMint", "SettleMint service token", "sm_sat_", ALNUM, 16),
    (
        "slack-workspace-app-token",
        "Slack",
        "Slack workspace app token",
        "xoxa-2-",
        ALNUM + "-",
        (40, 120),
    ),
    (
        "slack-refresh-token",
        "Slack",
        "Slack token rotation refresh token",
        "xoxe-1-",
        ALNUM + "-",
        (60, 160),
    ),
    ("stripe-prod-secret-key", "Stripe", "Stripe secret key (prod)", "sk_prod_", ALNUM, (24, 99)),
    (
        "stripe-prod-restricted-key",
        "Stripe",
        "Stripe restricted key (prod)",
        "rk_prod_",
        ALNUM,
        (24, 99),
    ),
    (
        "stripe-test-restricted-key",
        "Stripe",
        "Stripe restricted key (test mode)",
        "rk_test_",
        ALNUM,
        (24, 99),
    ),
    ("posthog-project-secret", "PostHog", "PostHog feature-flag secure key", "phs_", ALNUM, 43),
    (
        "defined-networking-key",
        "Defined Networking",
        "Defined Networking API key",
        "dnkey-",
        ALNUM_UPPER + "-",
        (70, 90),
    ),
    (
        "infisical-service-token",
        "Infisical",
        "Infisical service token",
        "st.",
        B64URL + ".",
        (60, 140),
    ),
    ("linear-oauth-token", "Linear", "Linear OAuth access token", "lin_oauth_", HEX, 64),
    (
        "hashicorp-hcp-secret",
        "HashiCorp",
        "HCP service principal secret",
        "hcp_sp_",
        ALNUM,
        (40, 64),
    ),
    ("replit-token", "Replit", "Replit API token", "r8_", ALNUM, 37),
    ("gitea-access-token", "Gitea", "Gitea/Forgejo access token", "gta_", HEX, 40),
    ("sentry-dsn-secret", "Sentry", "Sentry user auth token", "sntryu_", HEX, 64),
    ("mailgun-private-key", "Mailgun", "Mailgun private API key", "key-", HEX, 32),
    ("mapbox-temp-token", "Mapbox", "Mapbox temporary token", "tk.eyJ", B64URL + ".", (80, 400)),
    ("contentful-pat", "Contentful", "Contentful personal access token", "CFPAT-", B64URL, 43),
    ("shopify-partner-token", "Shopify", "Shopify partner API token", "prtapi_", HEX, 32),
    ("deno-deploy-token", "Deno", "Deno Deploy access token", "ddp_", ALNUM, 36),
    ("deno-org-token", "Deno", "Deno Deploy organization token", "ddo_", ALNUM, 36),
    ("pulumi-org-token", "Pulumi", "Pulumi organization token", "pul-", HEX, 40),
    (
        "octopus-api-key-v2",
        "Octopus Deploy",
        "Octopus Deploy API key",
        "API-",
        ALNUM_UPPER,
        (25, 32),
    ),
    ("langfuse-secret-key", "Langfuse", "Langfuse secret key", "sk-lf-", HEX + "-", 36),
    ("tines-webhook-secret", "Tines", "Tines API token", "tines_", ALNUM, (40, 64)),
    (
        "grafana-cloud-access-policy",
        "Grafana",
        "Grafana Cloud access policy token",
        "glc_",
        B64URL + "=",
        (80, 200),
    ),
    ("dagger-cloud-token", "Dagger", "Dagger Cloud token", "dag_", ALNUM + "_", (40, 64)),
    ("zuplo-api-key", "Zuplo", "Zuplo API key", "zpka_", HEX + "_", (40, 80)),
]

#: (slug, provider, title, keywords, charset, length) keyword-anchored
_KEYED: list[tuple[str, str, str, tuple[str, ...], str, int | tuple[int, int]]] = [
    (
        "sumologic-access-id",
        "Sumo Logic",
        "Sumo Logic access ID",
        ("sumo_access_id", "sumologic_access_id"),
        ALNUM,
        14,
    ),
    ("shodan-api-key", "Shodan", "Shodan API key", ("shodan",), ALNUM, 32),
    (
        "virustotal-api-key",
        "VirusTotal",
        "VirusTotal API key",
        ("virustotal", "vt_api_key"),
        HEX,
        64,
    ),
    ("abuseipdb-api-key", "AbuseIPDB", "AbuseIPDB API key", ("abuseipdb",), HEX, 80),
    ("urlscan-api-key", "urlscan.io", "urlscan.io API key", ("urlscan",), HEX + "-", 36),
    (
        "browserstack-access-key",
        "BrowserStack",
        "BrowserStack access key",
        ("browserstack",),
        ALNUM,
        20,
    ),
    (
        "saucelabs-access-key",
        "Sauce Labs",
        "Sauce Labs access key",
        ("sauce_access_key", "saucelabs"),
        HEX + "-",
        36,
    ),
    ("pipedrive-api-token", "Pipedrive", "Pipedrive API token", ("pipedrive",), HEX, 40),
    ("finnhub-api-key", "Finnhub", "Finnhub API key", ("finnhub",), ALNUM_LOWER, 20),
    ("etsy-api-key", "Etsy", "Etsy API key", ("etsy",), ALNUM_LOWER, 24),
    ("flickr-api-key", "Flickr", "Flickr API key", ("flickr",), HEX, 32),
    (
        "nytimes-api-key",
        "New York Times",
        "New York Times API key",
        ("nytimes", "nyt_api_key"),
        ALNUM,
        32,
    ),
    ("kucoin-api-secret", "KuCoin", "KuCoin API secret", ("kucoin",), HEX + "-", 36),
    ("bittrex-api-secret", "Bittrex", "Bittrex API secret", ("bittrex",), HEX, 32),
    ("freshbooks-token", "FreshBooks", "FreshBooks access token", ("freshbooks",), HEX, 64),
    ("rapidapi-key", "RapidAPI", "RapidAPI key", ("rapidapi", "x-rapidapi-key"), ALNUM, 50),
    ("sendbird-api-token", "Sendbird", "Sendbird API token", ("sendbird",), HEX, 40),
    ("squarespace-api-key", "Squarespace", "Squarespace API key", ("squarespace",), HEX + "-", 36),
    (
        "privateai-api-key",
        "Private AI",
        "Private AI API key",
        ("privateai", "private_ai"),
        ALNUM,
        32,
    ),
    ("beamer-api-key", "Beamer", "Beamer API key", ("beamer",), B64URL, 44),
    ("freemius-secret-key", "Freemius", "Freemius secret key", ("freemius",), B64URL, 32),
    ("looker-client-secret", "Looker", "Looker API client secret", ("looker",), ALNUM, 24),
    ("bitly-access-token", "Bitly", "Bitly access token", ("bitly",), HEX, 40),
    ("uploadcare-secret-key", "Uploadcare", "Uploadcare secret key", ("uploadcare",), HEX, 20),
    ("weatherapi-key", "WeatherAPI", "WeatherAPI key", ("weatherapi", "weather_api_key"), HEX, 31),
    (
        "openweathermap-api-key",
        "OpenWeather",
        "OpenWeather API key",
        ("openweather", "owm_api_key"),
        HEX,
        32,
    ),
    ("ipstack-access-key", "ipstack", "ipstack access key", ("ipstack",), HEX, 32),
    ("positionstack-key", "positionstack", "positionstack access key", ("positionstack",), HEX, 32),
    ("currencylayer-key", "currencylayer", "currencylayer access key", ("currencylayer",), HEX, 32),
    (
        "fixer-api-key",
        "Fixer",
        "Fixer.io access key",
        ("fixer_api_key", "fixer_access_key"),
        HEX,
        32,
    ),
    ("newsapi-key", "NewsAPI", "NewsAPI key", ("newsapi", "news_api_key"), HEX, 32),
    ("unsplash-access-key", "Unsplash", "Unsplash access key", ("unsplash",), B64URL, 43),
    ("imgur-client-secret", "Imgur", "Imgur client secret", ("imgur",), HEX, 40),
    ("mapquest-api-key", "MapQuest", "MapQuest API key", ("mapquest",), ALNUM, 32),
    ("tomtom-api-key", "TomTom", "TomTom API key", ("tomtom",), ALNUM, 32),
    ("hunter-api-key", "Hunter", "Hunter.io API key", ("hunter_api_key", "hunterio"), HEX, 40),
    ("zerobounce-api-key", "ZeroBounce", "ZeroBounce API key", ("zerobounce",), HEX, 32),
    ("serpapi-key", "SerpApi", "SerpApi key", ("serpapi", "serp_api_key"), HEX, 64),
    (
        "scrapingbee-api-key",
        "ScrapingBee",
        "ScrapingBee API key",
        ("scrapingbee",),
        ALNUM_UPPER,
        80,
    ),
    ("pastebin-api-key", "Pastebin", "Pastebin API developer key", ("pastebin",), ALNUM + "_-", 32),
    ("printful-api-key", "Printful", "Printful API token", ("printful",), ALNUM, 40),
    ("webflow-api-token", "Webflow", "Webflow API token", ("webflow",), HEX, 64),
    ("wistia-api-token", "Wistia", "Wistia API token", ("wistia",), HEX, 64),
    ("yelp-api-key", "Yelp", "Yelp Fusion API key", ("yelp",), B64URL, 128),
    (
        "smartsheet-api-token",
        "Smartsheet",
        "Smartsheet API token",
        ("smartsheet",),
        ALNUM,
        (26, 37),
    ),
    ("gumroad-access-token", "Gumroad", "Gumroad access token", ("gumroad",), B64URL, 43),
    (
        "convertkit-api-secret",
        "ConvertKit",
        "ConvertKit API secret",
        ("convertkit", "kit_api_secret"),
        B64URL,
        43,
    ),
    (
        "getresponse-api-key",
        "GetResponse",
        "GetResponse API key",
        ("getresponse",),
        ALNUM_LOWER,
        32,
    ),
    ("lokalise-api-token", "Lokalise", "Lokalise API token", ("lokalise",), HEX, 40),
    ("pandadoc-api-key", "PandaDoc", "PandaDoc API key", ("pandadoc",), HEX, 40),
    (
        "ringcentral-client-secret",
        "RingCentral",
        "RingCentral client secret",
        ("ringcentral",),
        B64URL,
        22,
    ),
    (
        "eventbrite-token",
        "Eventbrite",
        "Eventbrite private token",
        ("eventbrite",),
        ALNUM_UPPER,
        20,
    ),
    ("jotform-api-key", "Jotform", "Jotform API key", ("jotform",), HEX, 32),
    ("delighted-api-key", "Delighted", "Delighted API key", ("delighted",), ALNUM, 32),
    ("disqus-secret-key", "Disqus", "Disqus API secret key", ("disqus",), ALNUM, 64),
    ("dwolla-secret", "Dwolla", "Dwolla application secret", ("dwolla",), ALNUM, 50),
    ("klaviyo-private-key", "Klaviyo", "Klaviyo private API key", ("klaviyo",), ALNUM, 37),
    (
        "harvest-access-token",
        "Harvest",
        "Harvest personal access token",
        ("harvest_access_token", "harvest_token"),
        ALNUM + ".-_",
        (80, 120),
    ),
    (
        "surveymonkey-token",
        "SurveyMonkey",
        "SurveyMonkey access token",
        ("surveymonkey",),
        ALNUM + "-.",
        (60, 100),
    ),
    (
        "pivotal-tracker-token",
        "Pivotal Tracker",
        "Pivotal Tracker API token",
        ("pivotal", "tracker_api_token"),
        HEX,
        32,
    ),
    ("pushover-token", "Pushover", "Pushover application token", ("pushover",), ALNUM_LOWER, 30),
    ("rebrandly-api-key", "Rebrandly", "Rebrandly API key", ("rebrandly",), HEX, 32),
    ("ngrok-api-key", "ngrok", "ngrok API key", ("ngrok_api_key",), ALNUM + "_", (40, 60)),
    ("edamam-api-key", "Edamam", "Edamam application key", ("edamam",), HEX, 32),
    ("coda-api-token", "Coda", "Coda API token", ("coda_api_token", "coda_token"), HEX + "-", 36),
    ("teamwork-api-key", "Teamwork", "Teamwork API key", ("teamwork",), ALNUM, (32, 40)),
    ("salesloft-api-key", "SalesLoft", "SalesLoft API key", ("salesloft",), ALNUM + "_-", (40, 80)),
    ("meraki-api-key", "Cisco Meraki", "Cisco Meraki Dashboard API key", ("meraki",), HEX, 40),
    ("marketo-client-secret", "Marketo", "Marketo client secret", ("marketo",), ALNUM, 32),
    ("kickbox-api-key", "Kickbox", "Kickbox API key", ("kickbox",), HEX, 64),
    ("mailerlite-api-key", "MailerLite", "MailerLite API key", ("mailerlite",), HEX, 32),
    (
        "youtube-api-key",
        "YouTube",
        "YouTube Data API key",
        ("youtube_api_key", "yt_api_key"),
        B64URL,
        39,
    ),
    (
        "twitch-oauth-token",
        "Twitch",
        "Twitch OAuth token",
        ("twitch_oauth", "twitch_token"),
        ALNUM_LOWER,
        30,
    ),
    (
        "hasura-admin-secret",
        "Hasura",
        "Hasura admin secret",
        ("hasura_graphql_admin_secret", "hasura_admin_secret"),
        ALNUM + "_-",
        (24, 64),
    ),
    ("keycloak-client-secret", "Keycloak", "Keycloak client secret", ("keycloak",), ALNUM, 32),
    (
        "crowdstrike-client-secret",
        "CrowdStrike",
        "CrowdStrike Falcon API client secret",
        ("falcon_client_secret", "crowdstrike"),
        ALNUM,
        40,
    ),
    ("wakatime-api-key", "WakaTime", "WakaTime API key", ("wakatime",), HEX + "-", (36, 40)),
]


def _facebook_app_token() -> SecretRule:
    return custom(
        "facebook-app-access-token",
        "Facebook",
        "Facebook app access token (app id | app secret)",
        r"(?<![0-9A-Za-z])([1-9][0-9]{13,16}\|[0-9a-f]{32})(?![0-9A-Za-z])",
        example=lambda r: (
            f'FB_APP_TOKEN = "{rand(r, "123456789", 1)}{rand(r, DIGITS, 14)}|{rand(r, HEX, 32)}"\n'
        ),
        fixed=lambda r: 'FB_APP_TOKEN = os.environ["FB_APP_TOKEN"]\n',
        keywords=("|",),
        severity=H,
        generated=True,
        references=(
            "https://developers.facebook.com/docs/facebook-login/guides/access-tokens#apptokens",
        ),
    )


def _facebook_graph_token() -> SecretRule:
    return prefixed(
        "facebook-graph-access-token",
        "Facebook",
        "Facebook Graph API access token (EAA...)",
        "EAA",
        ALNUM,
        (90, 400),
        prefix_regex="EAA[A-Z]",
        keywords=("eaa",),
        entropy=4.0,
        var="FB_ACCESS_TOKEN",
        references=("https://developers.facebook.com/docs/facebook-login/guides/access-tokens",),
    )


def _sourcegraph_v2() -> SecretRule:
    return custom(
        "sourcegraph-pat-v2",
        "Sourcegraph",
        "Sourcegraph access token (instance-bound)",
        r"(sgp_(?<![A-Za-z0-9_]sgp_)(?:local|[0-9a-f]{16})_[0-9a-f]{40})(?![A-Za-z0-9_])",
        example=lambda r: f'SRC_ACCESS_TOKEN = "sgp_{rand(r, HEX, 16)}_{rand(r, HEX, 40)}"\n',
        fixed=lambda r: 'SRC_ACCESS_TOKEN = os.environ["SRC_ACCESS_TOKEN"]\n',
        keywords=("sgp_",),
        severity=H,
        generated=True,
        prefix="sgp_",
    )


def _maxmind() -> SecretRule:
    return custom(
        "maxmind-license-key",
        "MaxMind",
        "MaxMind license key",
        r"(?<![A-Za-z0-9_])([A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk)(?![A-Za-z0-9_])",
        example=lambda r: f'MAXMIND_LICENSE_KEY = "{rand(r, ALNUM, 6)}_{rand(r, ALNUM, 29)}_mmk"\n',
        fixed=lambda r: 'MAXMIND_LICENSE_KEY = os.environ["MAXMIND_LICENSE_KEY"]\n',
        keywords=("_mmk",),
        severity=H,
        generated=True,
    )


def _slack_token_in_url() -> SecretRule:
    return custom(
        "slack-token-in-url",
        "Slack",
        "Slack token in a URL query string",
        r"[?&]token=(xox[abposre]-[0-9A-Za-z-]{10,250})(?=[&#\s\"'<>]|$)",
        example=lambda r: (
            "curl 'https://slack.com/api/chat.postMessage?token=xoxp-"
            f"{rand(r, DIGITS, 12)}-{rand(r, DIGITS, 13)}-{rand(r, ALNUM, 24)}&channel=C1'\n"
        ),
        fixed=lambda r: (
            'curl -H "Authorization: Bearer $SLACK_TOKEN" https://slack.com/api/auth.test\n'
        ),
        keywords=("token=xox",),
        severity=H,
        generated=True,
    )


RULES: list[SecretRule] = [
    *(
        prefixed(slug, prov, title, pre, cs, n, severity=H, entropy=None)
        for slug, prov, title, pre, cs, n in _PREFIXED
    ),
    *(keyed(slug, prov, title, kws, cs, n, severity=M) for slug, prov, title, kws, cs, n in _KEYED),
    _facebook_app_token(),
    _facebook_graph_token(),
    _sourcegraph_v2(),
    _maxmind(),
    _slack_token_in_url(),
]
