"""More providers: documented token prefixes, and keyword-anchored keys of APIs without one.

Each line of the tables is one provider's documented format. Keyword-anchored rules need the
provider's name in the variable (``SHODAN_API_KEY = "..."``) and a value of the documented
length and alphabet, so an unrelated hex string does not match.
"""

from __future__ import annotations

import base64

from pipesec.core.model import Confidence, Severity
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
L = Severity.LOW


#: (slug, provider, title, prefix, charset, length)
_PREFIXED: list[tuple[str, str, str, str, str, int | tuple[int, int]]] = [
    ("fly-io-org-token", "Fly.io", "Fly.io organization token", "fo1_", B64URL, 43),
    ("intra42-client-secret", "42", "42 intra API client secret", "s-s4t2ud-", HEX, 64),
    ("intra42-app-secret", "42", "42 intra application secret", "s-s4t2af-", HEX, 64),
    ("together-api-key-v1", "Together AI", "Together AI API key", "tgp_v1_", B64URL, 43),
    ("apify-api-token", "Apify", "Apify API token", "apify_api_", ALNUM, (34, 38)),
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
    # 43 characters, up to 48 in keys issued since 2024 (as phx_)
    (
        "posthog-project-secret",
        "PostHog",
        "PostHog feature-flag secure key",
        "phs_",
        ALNUM,
        (43, 48),
    ),
    (
        "posthog-oauth-access-token",
        "PostHog",
        "PostHog OAuth access token",
        "pha_",
        ALNUM,
        (40, 43),
    ),
    (
        "posthog-oauth-refresh-token",
        "PostHog",
        "PostHog OAuth refresh token",
        "phr_",
        ALNUM,
        (40, 43),
    ),
    ("elevenlabs-api-key-v2", "ElevenLabs", "ElevenLabs API key (sk_)", "sk_", HEX, 48),
    ("vercel-integration-token", "Vercel", "Vercel integration token", "vci_", B64URL, (56, 60)),
    ("vercel-app-access-token", "Vercel", "Vercel app access token", "vca_", B64URL, (56, 60)),
    ("vercel-app-refresh-token", "Vercel", "Vercel app refresh token", "vcr_", B64URL, (56, 60)),
    ("vercel-ai-gateway-key", "Vercel", "Vercel AI Gateway API key", "vck_", B64URL, (56, 60)),
    (
        "mongodb-atlas-service-account-secret",
        "MongoDB",
        "MongoDB Atlas service account secret",
        "mdb_sa_sk_",
        B64URL,
        40,
    ),
    (
        "notion-oauth-refresh-token",
        "Notion",
        "Notion OAuth refresh token",
        "nrt_",
        B64URL,
        (40, 55),
    ),
    ("redirect-pizza-api-token", "redirect.pizza", "redirect.pizza API token", "rpa_", ALNUM, 30),
    ("rootly-api-key", "Rootly", "Rootly API key", "rootly_", HEX, 64),
    ("samsara-api-token", "Samsara", "Samsara API token", "samsara_api_", ALNUM, (26, 32)),
    ("unkey-root-key", "Unkey", "Unkey root key", "unkey_", ALNUM, (20, 32)),
    (
        "xendit-production-key",
        "Xendit",
        "Xendit production secret key",
        "xnd_production_",
        ALNUM,
        (56, 72),
    ),
    (
        "packagist-org-read-token",
        "Packagist",
        "Private Packagist organization read token",
        "packagist_ort_",
        HEX,
        68,
    ),
    (
        "packagist-org-update-token",
        "Packagist",
        "Private Packagist organization update token",
        "packagist_out_",
        HEX,
        68,
    ),
    (
        # (trivy's fixtures: a user's update token, ``USER_TOKEN=packagist_uut_…``)
        "packagist-user-update-token",
        "Packagist",
        "Private Packagist user update token",
        "packagist_uut_",
        HEX,
        68,
    ),
    (
        "packagist-user-secret",
        "Packagist",
        "Private Packagist secret",
        "packagist_acs_",
        HEX,
        (64, 96),
    ),
    (
        "packagist-api-key",
        "Packagist",
        "Private Packagist API key",
        "packagist_ack_",
        HEX,
        (28, 32),
    ),
    ("postman-collection-token", "Postman", "Postman collection access token", "PMAT-", ALNUM, 26),
    ("upcloud-api-token", "UpCloud", "UpCloud API token", "ucat_", ALNUM, (24, 32)),
    ("nylas-api-key-v3", "Nylas", "Nylas API key (nyk_)", "nyk_", ALNUM + "_", (60, 72)),
    (
        "cloudflare-account-api-token",
        "Cloudflare",
        "Cloudflare account API token",
        "cfat_",
        B64URL,
        (41, 64),
    ),
    (
        "onfido-live-api-token-ca",
        "Onfido",
        "Onfido live API token (Canada)",
        "api_live_ca.",
        B64URL + ".",
        (20, 80),
    ),
    (
        "onfido-live-api-token-us",
        "Onfido",
        "Onfido live API token (United States)",
        "api_live_us.",
        B64URL + ".",
        (20, 80),
    ),
    ("devin-service-user-token", "Devin", "Devin service user token", "cog_", ALNUM_LOWER, 52),
    ("woocommerce-consumer-secret", "WooCommerce", "WooCommerce consumer secret", "cs_", HEX, 40),
    (
        "gcp-express-mode-api-key",
        "Google Cloud",
        "Google Cloud express-mode API key",
        "AQ.Ab8R",
        B64URL,
        46,
    ),
    (
        "defined-networking-key",
        "Defined Networking",
        "Defined Networking API key",
        "dnkey-",
        ALNUM + "-_=",
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
    ("gitea-access-token", "Gitea", "Gitea/Forgejo access token", "gta_", HEX, 40),
    # (key- + 32 base-36 characters: Mailgun's own API docs print key-3ax6xnjp…, letters past
    # f; session 17's eleventh sample held two such keys out)
    ("mailgun-private-key", "Mailgun", "Mailgun private API key", "key-", ALNUM_LOWER, 32),
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
    ("zuplo-api-key", "Zuplo", "Zuplo API key", "zpka_", ALNUM_LOWER + "_", (40, 80)),
    (
        "devcycle-server-sdk-key",
        "DevCycle",
        "DevCycle server SDK key",
        "dvc_server_",
        B64URL,
        (8, 80),
    ),
    (
        "devcycle-client-sdk-key",
        "DevCycle",
        "DevCycle client SDK key",
        "dvc_client_",
        B64URL,
        (8, 80),
    ),
    (
        "devcycle-mobile-sdk-key",
        "DevCycle",
        "DevCycle mobile SDK key",
        "dvc_mobile_",
        B64URL,
        (8, 80),
    ),
    (
        "paddle-live-api-key",
        "Paddle",
        "Paddle live API key",
        "pdl_live_apikey_",
        ALNUM + "_",
        (40, 90),
    ),
    (
        "paddle-sandbox-api-key",
        "Paddle",
        "Paddle sandbox API key",
        "pdl_sdbx_apikey_",
        ALNUM + "_",
        (40, 90),
    ),
    (
        "polar-personal-access-token",
        "Polar",
        "Polar personal access token",
        "polar_pat_",
        B64URL,
        (20, 100),
    ),
    (
        "polar-organization-token",
        "Polar",
        "Polar organization access token",
        "polar_oat_",
        B64URL,
        (20, 100),
    ),
    ("ramp-client-secret", "Ramp", "Ramp client secret", "ramp_sec_", ALNUM, (40, 60)),
    ("pinterest-access-token", "Pinterest", "Pinterest access token", "pina_", B64URL, (20, 200)),
    ("lichess-pat", "Lichess", "Lichess personal access token", "lip_", ALNUM + "_", (16, 60)),
    ("ionic-pat", "Ionic", "Ionic personal access token", "ion_", ALNUM, 42),
    ("jumpcloud-api-key", "JumpCloud", "JumpCloud API key", "jca_", ALNUM, 40),
    ("upstage-api-key", "Upstage", "Upstage API key", "up_", ALNUM, 29),
    (
        "datastax-astra-token",
        "DataStax",
        "DataStax Astra application token",
        "AstraCS:",
        ALNUM + ":",
        (20, 100),
    ),
    (
        "onesignal-rich-auth-token",
        "OneSignal",
        "OneSignal REST API key",
        "os_v2_app_",
        ALNUM_LOWER,
        (100, 120),
    ),
    ("asaas-api-token", "Asaas", "Asaas API token", "$aact_", B64URL + "$:=", (25, 200)),
    (
        "mercury-production-token",
        "Mercury",
        "Mercury production API token",
        "secret-token:mercury_production_",
        ALNUM + "_",
        (40, 90),
    ),
    (
        "onfido-live-api-token",
        "Onfido",
        "Onfido live API token",
        "api_live.",
        B64URL + ".",
        (20, 80),
    ),
    ("endorlabs-api-key", "Endor Labs", "Endor Labs API key", "endr+", ALNUM, (16, 40)),
    (
        "cockroachlabs-cloud-api-key",
        "Cockroach Labs",
        "CockroachDB Cloud API key",
        "CCDB1_",
        ALNUM + "_",
        (50, 70),
    ),
    ("devin-api-key", "Devin", "Devin API key", "apk_user_", B64URL + "+/=", (40, 200)),
    # session 9 (issue 14): prefixes the peers' rule files document and pipesec lacked
    ("aiven-service-password", "Aiven", "Aiven service user password", "AVNS_", B64URL, (9, 40)),
    (
        "aikido-secret-key",
        "Aikido",
        "Aikido API client secret (AIK_SECRET_)",
        "AIK_SECRET_",
        ALNUM,
        64,
    ),
    ("aikido-ci-token", "Aikido", "Aikido CI token", "AIK_CI_", ALNUM, (20, 44)),
    ("canva-connect-secret", "Canva", "Canva Connect client secret (cnvca)", "cnvca", B64URL, 51),
    (
        "pinecone-api-key-v2",
        "Pinecone",
        "Pinecone API key (pcsk_)",
        "pcsk_",
        ALNUM + "_",
        (66, 78),
    ),
]

#: (slug, provider, title, keywords, charset, length) keyword-anchored
_KEYED: list[tuple[str, str, str, tuple[str, ...], str, int | tuple[int, int]]] = [
    ("sslmate-api-key", "SSLMate", "SSLMate API key", ("sslmate_api_key",), ALNUM, 36),
    (
        "instantly-api-key",
        "Instantly",
        "Instantly API key",
        ("instantly_api_key",),
        B64 + "=",
        (66, 68),
    ),
    (
        "mux-token-secret",
        "Mux",
        "Mux access token secret",
        ("mux_token_secret", "mux_access_token_secret", "mux_secret_key"),
        B64,
        75,
    ),
    (
        "hcp-client-secret",
        "HashiCorp",
        "HCP service principal client secret",
        ("hcp_client_secret",),
        B64URL + ".~",
        64,
    ),
    (
        "wiz-client-secret",
        "Wiz",
        "Wiz service account client secret",
        ("wiz_client_secret",),
        ALNUM,
        64,
    ),
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
    # b_ and 44 characters (the prefix is part of the key)
    ("beamer-api-key", "Beamer", "Beamer API key", ("beamer",), B64URL + "=", 46),
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
        ALNUM_LOWER,
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
    (
        "aikido-client-secret",
        "Aikido",
        "Aikido API client secret",
        ("aikido",),
        ALNUM + "_-",
        (32, 80),
    ),
    (
        "brave-search-api-key",
        "Brave",
        "Brave Search API key",
        ("brave_api_key", "brave_search"),
        ALNUM + "_-",
        (27, 40),
    ),
    (
        "notify-api-key",
        "GC Notify",
        "Canadian Digital Service Notify API key",
        ("notify_api_key", "gc_notify"),
        ALNUM + "_-",
        (74, 100),
    ),
    (
        "canva-client-secret",
        "Canva",
        "Canva client secret",
        ("canva_client_secret", "canva_secret"),
        B64URL + "=",
        (40, 80),
    ),
    (
        "couchbase-capella-key",
        "Couchbase",
        "Couchbase Capella API key",
        ("capella", "couchbase"),
        ALNUM + "+/=",
        (64, 100),
    ),
    ("cursor-api-key", "Cursor", "Cursor API key", ("cursor_api_key",), ALNUM + "_", (40, 80)),
    ("databento-api-key", "Databento", "Databento API key", ("databento",), ALNUM + "-", 32),
    ("datagov-api-key", "data.gov", "data.gov API key", ("datagov", "data_gov"), ALNUM, 40),
    ("ebay-client-secret", "eBay", "eBay client secret", ("ebay",), ALNUM + "-", (36, 40)),
    ("finicity-client-secret", "Finicity", "Finicity client secret", ("finicity",), ALNUM, 20),
    (
        "fullstory-api-key",
        "FullStory",
        "FullStory API key",
        ("fullstory",),
        # or the short "na1."/"eu1." + 20 and more that peers accept
        ALNUM + "/+=:.",
        (24, 120),
    ),
    ("greptile-api-key", "Greptile", "Greptile API key", ("greptile",), ALNUM + "_-", (40, 80)),
    ("highnote-api-key", "Highnote", "Highnote secret key", ("highnote",), ALNUM + "_", (40, 90)),
    (
        "infomaniak-api-token",
        "Infomaniak",
        "Infomaniak API token",
        ("infomaniak",),
        ALNUM + "_-",
        (64, 80),
    ),
    ("kagi-api-key", "Kagi", "Kagi API key", ("kagi",), ALNUM + "._-", (40, 80)),
    (
        "kimi-api-key",
        "Moonshot",
        "Kimi (Moonshot AI) API key",
        ("kimi_api_key", "moonshot_api_key"),
        ALNUM + "-",
        (40, 64),
    ),
    (
        "lark-app-secret",
        "Lark",
        "Lark/Feishu app secret",
        ("lark_app_secret", "feishu_app_secret"),
        ALNUM,
        32,
    ),
    (
        "lighton-api-key",
        "LightOn",
        "LightOn Paradigm API key",
        ("lighton", "paradigm_api_key"),
        ALNUM + "_-",
        (40, 80),
    ),
    (
        "mergify-application-key",
        "Mergify",
        "Mergify application key",
        ("mergify",),
        ALNUM + "_-",
        (40, 80),
    ),
    (
        "midtrans-server-key",
        "Midtrans",
        "Midtrans server key",
        ("midtrans",),
        ALNUM + "-_",
        (30, 60),
    ),
    ("minimax-api-key", "MiniMax", "MiniMax API key", ("minimax",), B64URL + ".", (60, 400)),
    (
        "miro-access-token",
        "Miro",
        "Miro access token",
        ("miro_access_token", "miro_token"),
        B64URL,
        (27, 60),
    ),
    ("ollama-api-key", "Ollama", "Ollama API key", ("ollama_api_key",), ALNUM + "._-", (40, 80)),
    (
        "polymarket-api-secret",
        "Polymarket",
        "Polymarket API secret",
        ("polymarket",),
        B64URL + "=",
        (40, 64),
    ),
    ("proof-api-key", "Proof", "Proof API key", ("proof_api_key",), B64URL, (24, 88)),
    (
        "rainforest-api-key",
        "Rainforest Pay",
        "Rainforest Pay API key",
        ("rainforest",),
        ALNUM + "_",
        (40, 80),
    ),
    (
        "zai-api-key",
        "Z.ai",
        "Z.ai (Zhipu) API key",
        ("zai_api_key", "zhipu_api_key", "zhipuai"),
        ALNUM + ".",
        (40, 60),
    ),
    # session 9 (issue 14): keys named after the provider, values of its documented shape
    (
        "configcat-sdk-key-legacy",
        "ConfigCat",
        "ConfigCat SDK key (the form without the configcat-sdk-1/ prefix)",
        ("configcat_sdk_key", "configcat_key"),
        B64URL + "/",
        45,
    ),
    (
        "azure-search-key",
        "Azure",
        "Azure AI Search admin or query key",
        ("azure_search_key", "azure_search_api_key", "azure_search_admin_key", "search_api_key"),
        ALNUM,
        52,
    ),
    ("cloudsight-api-key", "CloudSight", "CloudSight API key", ("cloudsight_api_key",), HEX, 22),
    (
        "apollo-io-api-key",
        "Apollo.io",
        "Apollo.io API key",
        ("apollo_api_key", "apollo_io_key"),
        B64URL,
        22,
    ),
    (
        "brandfetch-api-key",
        "Brandfetch",
        "Brandfetch API key",
        ("brandfetch_key", "brandfetch_api_key"),
        ALNUM,
        40,
    ),
]


def _facebook_app_token() -> SecretRule:
    return custom(
        "facebook-app-access-token",
        "Facebook",
        "Facebook app access token (app id | app secret)",
        # (or ``<app id>|<27 characters>``, the app token the Graph API's oauth/access_token
        # returns: mixed case and a digit, so that a table row's words are not one)
        r"(?<![0-9A-Za-z])([1-9][0-9]{13,16}\|(?:[0-9a-f]{32}|(?=[\w-]{0,26}[A-Z])"
        r"(?=[\w-]{0,26}[a-z])(?=[\w-]{0,26}[0-9])[A-Za-z0-9_-]{27}))(?![0-9A-Za-z_-])",
        example=lambda r: (
            f'FB_APP_TOKEN = "{rand(r, "123456789", 1)}{rand(r, DIGITS, 14)}|{rand(r, HEX, 32)}"\n'
        ),
        fixed=lambda r: 'FB_APP_TOKEN = os.environ["FB_APP_TOKEN"]\n',
        keywords=("|",),
        # Hyperscan is given the app id and the bar: the secret's alternatives after it (a
        # class of 27 or 32 with no literal) were ~40% of the database's time on ordinary text
        prefilter=r"[1-9][0-9]{13,16}\|",
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


def _runpod_api_key() -> SecretRule:
    # rpa_ + 40 upper-case/digits + 6 checksum-like characters (redirect.pizza's are 30)
    return prefixed(
        "runpod-api-key",
        "RunPod",
        "RunPod API key",
        "rpa_",
        ALNUM_UPPER,
        0,
        suffix_regex=r"[A-Z0-9]{40}[A-Za-z0-9]{6}",
        make_value=lambda r: f"rpa_{rand(r, ALNUM_UPPER, 40)}{rand(r, ALNUM, 6)}",
        references=("https://docs.runpod.io/get-started/api-keys",),
    )


def _word_tailed(slug: str, provider: str, title: str, prefix: str) -> SecretRule:
    """A prefix + a URL-safe tail of 20-80: an identifier can look the same, so high entropy."""
    return prefixed(slug, provider, title, prefix, B64URL, (20, 80), entropy=4.0)


def _workato_token() -> SecretRule:
    return prefixed(
        "workato-developer-api-token",
        "Workato",
        "Workato developer API token",
        "wrka",
        DIGITS,
        0,
        prefix_regex=r"wrka(?:[a-z]{2})?-",
        suffix_regex=r"eyJ[A-Za-z0-9_-]{8,400}\.[A-Za-z0-9_-]{16,1200}\.[A-Za-z0-9_-]{64,600}",
        keywords=("wrka",),
        make_value=lambda r: (
            f"wrka-eyJ{rand(r, B64URL, 30)}.{rand(r, B64URL, 60)}.{rand(r, B64URL, 86)}"
        ),
    )


def _gc_notify_key() -> SecretRule:
    # GC Notify (Canadian Digital Service): the key's name, the service id, then the secret
    return prefixed(
        "gc-notify-api-key",
        "GC Notify",
        "GC Notify API key",
        "gcntfy-",
        DIGITS,
        0,
        suffix_regex=rf"[a-z0-9_]{{1,64}}-{UUID_RE}-{UUID_RE}",
        make_value=lambda r: f"gcntfy-ci_key-{rand_uuid(r)}-{rand_uuid(r)}",
    )


def _tableau_pat() -> SecretRule:
    # a Tableau personal access token secret: 22 base64 + "==:" + 32 alphanumerics
    return custom(
        "tableau-pat-secret",
        "Tableau",
        "Tableau personal access token secret",
        r"(?<![A-Za-z0-9+/])([A-Za-z0-9+/]{22}==:[A-Za-z0-9]{32})(?![A-Za-z0-9])",
        example=lambda r: f'TABLEAU_PAT_SECRET = "{rand(r, B64, 22)}==:{rand(r, ALNUM, 32)}"\n',
        fixed=lambda r: 'TABLEAU_PAT_SECRET = os.environ["TABLEAU_PAT_SECRET"]\n',
        keywords=("==:",),
        entropy=4.0,
        generated=True,
    )


def _slack_session_token() -> SecretRule:
    return prefixed(
        "slack-session-token",
        "Slack",
        "Slack browser session token (xoxc)",
        "xoxc-",
        DIGITS,
        0,
        suffix_regex=r"[0-9]{9,15}-[0-9]{9,15}-[0-9]{9,15}-[a-f0-9]{64}",
        make_value=lambda r: (
            f"xoxc-{rand(r, DIGITS, 10)}-{rand(r, DIGITS, 13)}-{rand(r, DIGITS, 13)}-"
            f"{rand(r, HEX, 64)}"
        ),
        references=("https://api.slack.com/authentication/token-types",),
    )


def _slack_session_cookie() -> SecretRule:
    # the ``d`` cookie of a signed-in Slack client: URL-encoded base64 (``%2F``, ``%3D``)
    return prefixed(
        "slack-session-cookie",
        "Slack",
        "Slack browser session cookie (xoxd)",
        "xoxd-",
        ALNUM + "%/+_-",
        (100, 400),
        entropy=4.0,
        make_value=lambda r: "xoxd-" + rand(r, ALNUM, 60) + "%2F" + rand(r, ALNUM, 80) + "%3D",
        references=("https://slack.engineering/catching-compromised-cookies/",),
    )


def _github_stateless_installation_token() -> SecretRule:
    # ``ghs_<app id>_<JWT>``: the stateless form of an installation token
    return prefixed(
        "github-app-installation-jwt",
        "GitHub",
        "GitHub App installation token (stateless JWT form)",
        "ghs_",
        DIGITS,
        0,
        suffix_regex=r"[0-9]{1,12}_eyJ[A-Za-z0-9_-]{10,400}\.eyJ[A-Za-z0-9_-]{10,1200}\.[A-Za-z0-9_-]{20,600}",
        keywords=("ghs_",),
        make_value=lambda r: (
            f"ghs_{rand(r, DIGITS, 6)}_eyJ{rand(r, B64URL, 30)}.eyJ{rand(r, B64URL, 90)}."
            f"{rand(r, B64URL, 43)}"
        ),
        references=(
            "https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app",
        ),
    )


def _vault_unseal_key() -> SecretRule:
    # a Shamir share of Vault's root key: 33 bytes, base64 without padding, after "unseal"
    return custom(
        "vault-unseal-key",
        "HashiCorp",
        "HashiCorp Vault unseal key",
        r"(?i:unseal(?:[ \t]+key[ \t]*[0-9]{0,2})?)[ \t]*[:=]?[ \t]*['\"]?"
        r"(?<![A-Za-z0-9+/])([A-Za-z0-9+/]{44})(?![A-Za-z0-9+/=])",
        example=lambda r: f"Unseal Key 1: {rand(r, B64, 44)}\n",
        fixed=lambda r: 'vault operator unseal "$VAULT_UNSEAL_KEY"\n',
        keywords=("unseal",),
        entropy=4.0,
        severity=Severity.CRITICAL,
        generated=True,
        references=("https://developer.hashicorp.com/vault/docs/concepts/seal",),
    )


def _android_build_config_field() -> SecretRule:
    # Gradle's buildConfigField bakes the value into every APK built (Groovy and Kotlin DSL)
    return custom(
        "android-build-config-secret",
        "Android",
        "Secret compiled into an Android BuildConfig field",
        r"buildConfigField\s*\(?\s*['\"]String['\"]\s*,\s*['\"]"
        r"\w*(?i:key|token|secret|passw(?:or)?d)\w*['\"]\s*,\s*['\"]\\?\""
        r"([^\"'\\\s$]{8,200})\\?\"['\"]",
        example=lambda r: (
            f'buildConfigField "String", "MAPS_API_KEY", "\\"{rand(r, ALNUM, 32)}\\""\n'
        ),
        fixed=lambda r: (
            'buildConfigField "String", "MAPS_API_KEY", "\\"${localProps["mapsApiKey"]}\\""\n'
        ),
        keywords=("buildconfigfield",),
        severity=M,
        confidence=Confidence.MEDIUM,
        generic_filters=True,
        entropy=3.0,
        references=(
            "https://developer.android.com/build/gradle-tips#share-custom-fields-and-resource-values-with-your-app-code",
        ),
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


# -- session 9 (issue 14): shapes of the peers' rule files that pipesec lacked ---------------


def _azure_access_key_connection() -> SecretRule:
    """SignalR and Web PubSub connection strings: ``Endpoint=https://…;AccessKey=<base64>``."""
    return custom(
        "azure-signalr-access-key",
        "Azure",
        "Azure SignalR / Web PubSub connection string access key",
        r"(?i:Endpoint=https://[a-z0-9-]{1,63}\.(?:service\.signalr\.net|webpubsub\.azure\.com)"
        r"[^;\s]{0,80};\s{0,4}AccessKey=)([A-Za-z0-9+/]{40,86}={0,2})(?![A-Za-z0-9+/=])",
        example=lambda r: (
            f"Endpoint=https://chat-{rand(r, ALNUM_LOWER, 6)}.service.signalr.net;"
            f"AccessKey={rand(r, B64, 43)}=;Version=1.0;\n"
        ),
        fixed=lambda r: 'SIGNALR_CONNECTION = os.environ["AZURE_SIGNALR_CONNECTION_STRING"]\n',
        keywords=("accesskey=",),
        entropy=3.5,
        generated=True,
        references=(
            "https://learn.microsoft.com/en-us/azure/azure-signalr/concept-connection-string",
        ),
    )


def _azure_ai_services_key() -> SecretRule:
    """The 84-character Azure AI services (OpenAI, Cognitive) key, which carries ``JQQJ99``."""
    return custom(
        "azure-ai-services-key",
        "Azure",
        "Azure AI services / Azure OpenAI API key (84-character form)",
        r"(?<![A-Za-z0-9+/])([A-Za-z0-9]{50,56}JQQJ99[A-Za-z0-9]{20,30})(?![A-Za-z0-9+/])",
        example=lambda r: (
            f'AZURE_OPENAI_API_KEY = "{rand(r, ALNUM, 52)}JQQJ99{rand(r, ALNUM, 3)}AC'
            f'{rand(r, ALNUM, 17)}"\n'
        ),
        fixed=lambda r: 'AZURE_OPENAI_API_KEY = os.environ["AZURE_OPENAI_API_KEY"]\n',
        keywords=("jqqj99",),
        entropy=3.5,
        generated=True,
        references=("https://learn.microsoft.com/en-us/azure/ai-services/authentication",),
    )


def _coinbase_cdp_ed25519_key() -> SecretRule:
    """A Coinbase Developer Platform key file: an id and a 64-byte Ed25519 ``privateKey``."""
    return custom(
        "coinbase-cdp-private-key",
        "Coinbase",
        "Coinbase Developer Platform API private key (Ed25519)",
        r"\"privateKey\"\s{0,8}:\s{0,8}\"([A-Za-z0-9+/]{86}==)\"",
        example=lambda r: f'{{"id": "{rand_uuid(r)}", "privateKey": "{rand(r, B64, 86)}=="}}\n',
        fixed=lambda r: f'{{"id": "{rand_uuid(r)}", "privateKey": "${{CDP_PRIVATE_KEY}}"}}\n',
        keywords=('"privatekey"',),
        entropy=4.0,
        generated=True,
        references=("https://docs.cdp.coinbase.com/get-started/docs/cdp-api-keys",),
    )


def _datafactory_shir_key() -> SecretRule:
    """An Azure Data Factory self-hosted integration runtime authentication key."""
    return custom(
        "azure-datafactory-shir-key",
        "Azure",
        "Azure Data Factory self-hosted integration runtime key",
        r"(?<![A-Za-z0-9])(IR@[0-9a-zA-Z-]{36}@[^@\s\"']{1,90}@[0-9a-zA-Z=-]{1,30}@"
        r"[A-Za-z0-9+/]{43}=)",
        example=lambda r: (
            f'IR_KEY = "IR@{rand_uuid(r)}@adf-{rand(r, ALNUM_LOWER, 6)}@we@{rand(r, B64, 43)}="\n'
        ),
        fixed=lambda r: 'IR_KEY = os.environ["ADF_IR_AUTH_KEY"]\n',
        keywords=("ir@",),
        generated=False,
        references=(
            "https://learn.microsoft.com/en-us/azure/data-factory/create-self-hosted-integration-runtime",
        ),
    )


def _django_insecure_secret_key() -> SecretRule:
    """The ``SECRET_KEY`` ``django-admin startproject`` writes (``django-insecure-…``)."""
    return custom(
        "django-insecure-secret-key",
        "Django",
        "Django SECRET_KEY generated by startproject (django-insecure-)",
        r"[\"'](django-insecure-[^\"'\s]{20,250})[\"']",
        example=lambda r: f'SECRET_KEY = "django-insecure-{rand(r, ALNUM + "!%&*^()-_=+", 50)}"\n',
        fixed=lambda r: 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n',
        keywords=("django-insecure-",),
        severity=M,
        references=("https://docs.djangoproject.com/en/stable/ref/settings/#secret-key",),
    )


def _atlassian_dc_pat() -> SecretRule:
    """A Jira/Confluence/Bitbucket Data Center personal access token: base64 of
    ``<12-digit id>:<random>`` (44 characters), named by the product."""
    return keyed(
        "atlassian-datacenter-pat",
        "Atlassian",
        "Jira / Confluence Data Center personal access token",
        (
            "confluence_pat",
            "confluence_token",
            "wiki_pat",
            "jira_pat",
            "jira_personal_access_token",
            "confluence_personal_access_token",
        ),
        B64,
        44,
        severity=H,
        value_regex=r"[MNO][A-Za-z0-9+/]{15}O[g-v][A-Za-z0-9+/]{26}",
        make_value=lambda r: base64.b64encode(
            f"{rand(r, DIGITS, 12)}:".encode() + bytes(r.randrange(256) for _ in range(20))
        ).decode(),
        generated=True,
    )


def _braintree_tokenization_key() -> SecretRule:
    return keyed(
        "braintree-tokenization-key",
        "PayPal",
        "Braintree tokenization key",
        ("braintree_tokenization_key", "braintree_token", "braintree_key", "braintree_client"),
        ALNUM_LOWER,
        0,
        severity=L,
        value_regex=r"(?:sandbox|production)_[a-z0-9]{6,10}_[a-z0-9]{14,20}",
        make_value=lambda r: f"production_{rand(r, ALNUM_LOWER, 8)}_{rand(r, ALNUM_LOWER, 16)}",
        generated=True,
        description=(
            "A Braintree tokenization key authorises a client to tokenize payment methods for the "
            "merchant; Braintree lets it ship in client code, but a leaked one in a repository "
            "is still the merchant's and worth rotating."
        ),
    )


def _braintree_sandbox_access_token() -> SecretRule:
    return prefixed(
        "braintree-sandbox-access-token",
        "PayPal",
        "Braintree sandbox access token",
        "access_token$sandbox$",
        ALNUM_LOWER,
        0,
        severity=L,
        suffix_regex=r"[0-9a-z]{16}(?:\$[0-9a-f]{32})?",
        keywords=("access_token$sandbox$",),
        make_value=lambda r: f"access_token$sandbox${rand(r, ALNUM_LOWER, 16)}${rand(r, HEX, 32)}",
    )


#: session 10 (issue 14): keyed families of a fourth unseen sample (trufflehog's detectors)
_KEYED_S10: list[tuple[str, str, str, tuple[str, ...], str, int | tuple[int, int]]] = [
    ("line-notify-token", "LINE", "LINE Notify access token", ("linenotify_token",), ALNUM, 43),
    ("envoy-api-key", "Envoy", "Envoy workplace API key", ("envoy_api_key",), ALNUM, 220),
    (
        "splunk-observability-token",
        "Splunk",
        "Splunk Observability Cloud (SignalFx) access token",
        ("splunk_observability_token", "signalfx_access_token", "sfx_access_token"),
        B64URL,
        22,
    ),
]

#: session 11 (issue 14): families a fifth unseen sample (trufflehog's detectors) lacked;
#: (slug, provider, title, keywords, charset, length) under the provider's name
_KEYED_S11: list[tuple[str, str, str, tuple[str, ...], str, int | tuple[int, int]]] = [
    (
        "censys-api-secret",
        "Censys",
        "Censys API secret",
        ("censys_api_secret", "censys_secret", "censys_key"),
        ALNUM,
        32,
    ),
    (
        "websitepulse-api-key",
        "WebSitePulse",
        "WebSitePulse API key",
        ("websitepulse_key", "websitepulse_api_key"),
        HEX,
        32,
    ),
    (
        "convertapi-secret",
        "ConvertAPI",
        "ConvertAPI secret",
        ("convertapi_secret", "convertapi_key"),
        ALNUM,
        16,
    ),
    (
        "bugherd-api-key",
        "BugHerd",
        "BugHerd API key",
        ("bugherd_api_key", "bugherd_token", "bugherd_key"),
        ALNUM_LOWER,
        22,
    ),
    (
        "bitcoinaverage-api-key",
        "BitcoinAverage",
        "BitcoinAverage API key",
        ("bitcoinaverage_api_key", "bitcoinaverage_key", "bitcoinaverage_secret"),
        ALNUM,
        43,
    ),
    (
        "roaring-client-secret",
        "Roaring",
        "Roaring API client secret",
        ("roaring_client_secret", "roaring_secret"),
        B64URL,
        28,
    ),
    # (read after the first batch: the fifth sample's hold-out)
    (
        "coinlib-api-key",
        "Coinlib",
        "Coinlib API key",
        ("coinlib_key", "coinlib_token", "coinlib_api_key"),
        ALNUM_LOWER,
        16,
    ),
]


def _keyed_s11_shaped() -> list[SecretRule]:
    """Session 11: keyed rules whose value has a fixed shape of its own."""
    return [
        keyed(
            "salesblink-api-key",
            "SalesBlink",
            "SalesBlink API key",
            ("salesblink_api_key", "salesblink_key", "salesblink_token"),
            ALNUM,
            68,
            severity=M,
            value_regex=r"key-[A-Za-z0-9]{64}",
            make_value=lambda r: "key-" + rand(r, ALNUM, 64),
        ),
        keyed(
            "conversiontools-api-token",
            "Conversion Tools",
            "Conversion Tools API token",
            ("conversiontools_api_token", "conversiontools_token", "conversiontools_key"),
            B64URL,
            161,
            severity=M,
            # a JWT: ``ey`` and 157-165 characters of its alphabet with the dots
            value_regex=r"ey[A-Za-z0-9_.]{157,165}",
            make_value=lambda r: (
                f"eyJ{rand(r, ALNUM, 35)}.eyJ{rand(r, ALNUM, 80)}.{rand(r, ALNUM, 40)}"
            ),
        ),
        keyed(
            "paperform-api-key",
            "Paperform",
            "Paperform API key",
            ("paperform_api_key", "paperform_token", "paperform_key"),
            B64URL,
            900,
            severity=M,
            # a long JWT (850-1000 characters)
            value_regex=r"[A-Za-z0-9._-]{850,1000}",
            make_value=lambda r: (
                f"eyJ{rand(r, ALNUM, 33)}.eyJ{rand(r, ALNUM, 540)}.{rand(r, B64URL, 342)}"
            ),
        ),
        keyed(
            "lendflow-api-key",
            "Lendflow",
            "Lendflow API key",
            ("lendflow_api_key", "lendflow_token", "lendflow_key"),
            B64URL,
            955,
            severity=M,
            # a JWT whose signature part holds dashes: 36.235.32-47-162-42-40-66-59-7-220
            value_regex=(
                r"[A-Za-z0-9]{36}\.[A-Za-z0-9]{235}\.[A-Za-z0-9]{32}-[A-Za-z0-9]{47}"
                r"-[A-Za-z0-9_]{162}-[A-Za-z0-9]{42}-[A-Za-z0-9_]{40}-[A-Za-z0-9_]{66}"
                r"-[A-Za-z0-9_]{59}-[A-Za-z0-9]{7}-[A-Za-z0-9_]{220}"
            ),
            make_value=lambda r: (
                f"{rand(r, ALNUM, 36)}.{rand(r, ALNUM, 235)}."
                + "-".join(rand(r, ALNUM, n) for n in (32, 47, 162, 42, 40, 66, 59, 7, 220))
            ),
        ),
        keyed(
            "shutterstock-oauth-token",
            "Shutterstock",
            "Shutterstock OAuth access token",
            (
                "shutterstock_access_token",
                "shutterstockoauth",
                "shutterstock_oauth_token",
            ),
            B64URL,
            440,
            severity=M,
            value_regex=r"v2/[A-Za-z0-9+/_-]{300,700}",
            make_value=lambda r: "v2/" + rand(r, ALNUM, 437),
        ),
        keyed(
            "bitmex-api-secret",
            "BitMEX",
            "BitMEX API secret",
            ("bitmex_api_secret", "bitmex_secret", "bitmex_api_key", "bitmex_key"),
            B64URL,
            48,
            severity=H,
            # the key id is 24 characters, the secret 48: the secret is the credential
            value_regex=r"[A-Za-z0-9_-]{48}",
            make_value=lambda r: rand(r, B64URL, 48),
        ),
        keyed(
            "aylien-api-key",
            "AYLIEN",
            "AYLIEN API key",
            ("aylien_key", "aylien_api_key"),
            ALNUM_LOWER,
            32,
            severity=M,
            # lowercase letters and digits as issued (an uppercase letter is a fake)
            value_regex=r"[a-z0-9]{32}",
            make_value=lambda r: rand(r, ALNUM_LOWER, 32),
        ),
        keyed(
            "onepagecrm-api-key",
            "OnePageCRM",
            "OnePageCRM API key",
            ("onepagecrm_api_key", "onepagecrm_token", "onepagecrm_key"),
            ALNUM,
            44,
            severity=M,
            value_regex=r"[A-Za-z0-9=]{44}",
            make_value=lambda r: rand(r, ALNUM, 43) + "=",
        ),
        keyed(
            "metabase-session-token",
            "Metabase",
            "Metabase session token",
            ("metabase_session", "metabase_session_token", "metabase_token"),
            HEX,
            36,
            severity=M,
            value_regex=UUID_RE,
            make_value=rand_uuid,
        ),
        prefixed(
            "airtable-oauth-token",
            "Airtable",
            "Airtable OAuth access token",
            "oaa",
            ALNUM,
            14,
            severity=H,
            # oaa + 14, ".v1.", a base64url payload and 64 hex of signature
            suffix_regex=r"\.v1\.[A-Za-z0-9_-]{40,600}\.[a-f0-9]{64}",
            keywords=("oaa",),
            make_value=lambda r: (
                f"oaa{rand(r, ALNUM, 14)}.v1.eyJ{rand(r, B64URL, 120)}.{rand(r, HEX, 64)}"
            ),
        ),
        keyed(
            "rownd-app-secret",
            "Rownd",
            "Rownd application secret",
            ("rownd_app_secret", "rownd_secret", "rownd_app_key"),
            ALNUM_LOWER,
            48,
            severity=M,
            value_regex=r"[a-z0-9]{48}",
            make_value=lambda r: rand(r, ALNUM_LOWER, 48),
        ),
    ]


#: severity by what the key can do, for the keyed table (session 16). The table was medium
#: as a whole, older than the impact policy of ``crosswalk._IMPACT`` (docs/secrets-workflows.md,
#: "Session 14: what a leaked key can do"): moving money or trading is critical; cloud and
#: infrastructure, source code and CI, sending mail, SMS or notifications in the owner's
#: name, customers' and business records and posting as a user are high; read-only data and
#: metered utility APIs (weather, geocoding, search, enrichment, AI inference, threat
#: intelligence look-ups) stay medium, as do ids (Sumo Logic's access id) and keys that may be
#: a query key (Azure AI Search). (Meraki's: high; the DevNet sandbox key Cisco prints is a
#: published example, ``placeholders.PUBLISHED_EXAMPLES``)
_KEYED_IMPACT: dict[str, Severity] = {
    **dict.fromkeys(
        (
            # crypto exchanges and prediction markets that trade, payments, card issuing
            *("kucoin-api-secret", "bittrex-api-secret", "polymarket-api-secret"),
            *("dwolla-secret", "midtrans-server-key", "rainforest-api-key", "highnote-api-key"),
        ),
        Severity.CRITICAL,
    ),
    **dict.fromkeys(
        (
            # cloud, infrastructure, identity and security platforms, CI and code
            *("sslmate-api-key", "mux-token-secret", "hcp-client-secret", "wiz-client-secret"),
            *("browserstack-access-key", "saucelabs-access-key", "ngrok-api-key"),
            *("hasura-admin-secret", "keycloak-client-secret", "crowdstrike-client-secret"),
            *("aikido-client-secret", "couchbase-capella-key", "infomaniak-api-token"),
            *("mergify-application-key", "meraki-api-key"),
            # sending mail, SMS, chat and notifications in the owner's name
            *("instantly-api-key", "sendbird-api-token", "beamer-api-key", "pushover-token"),
            *("convertkit-api-secret", "getresponse-api-key", "klaviyo-private-key"),
            *("mailerlite-api-key", "ringcentral-client-secret", "notify-api-key"),
            *("lark-app-secret", "twitch-oauth-token"),
            # customers' and business records: CRM, accounting, commerce, CMS, documents
            *("pipedrive-api-token", "freshbooks-token", "squarespace-api-key"),
            *("freemius-secret-key", "looker-client-secret", "uploadcare-secret-key"),
            *("printful-api-key", "webflow-api-token", "smartsheet-api-token"),
            *("gumroad-access-token", "pandadoc-api-key", "eventbrite-token", "jotform-api-key"),
            *("harvest-access-token", "surveymonkey-token", "pivotal-tracker-token"),
            *("coda-api-token", "teamwork-api-key", "salesloft-api-key", "marketo-client-secret"),
            *("ebay-client-secret", "finicity-client-secret", "fullstory-api-key"),
            *("miro-access-token", "proof-api-key", "apollo-io-api-key"),
            # session 17, each provider's docs read: a Wistia token reads, updates and
            # deletes every media of the account (the default master token has every
            # permission); a Delighted key lists and deletes people and emails them surveys;
            # a Lokalise read-write token changes the translations an app ships; a WakaTime
            # key reads its owner's private coding activity; a Cursor admin key manages a
            # team's members and spend (all were medium: "exposes no one's data" did not hold)
            *("wistia-api-token", "delighted-api-key", "lokalise-api-token"),
            *("wakatime-api-key", "cursor-api-key"),
        ),
        H,
    ),
}

RULES: list[SecretRule] = [
    *(
        prefixed(slug, prov, title, pre, cs, n, severity=H, entropy=None)
        for slug, prov, title, pre, cs, n in _PREFIXED
    ),
    *(
        keyed(slug, prov, title, kws, cs, n, severity=_KEYED_IMPACT.get(slug, M))
        for slug, prov, title, kws, cs, n in _KEYED
    ),
    _facebook_app_token(),
    _facebook_graph_token(),
    _maxmind(),
    _slack_token_in_url(),
    _runpod_api_key(),
    _word_tailed("thunderstore-api-token", "Thunderstore", "Thunderstore API token", "tss_"),
    _word_tailed("val-town-api-token", "Val Town", "Val Town API token", "vtwn_"),
    _workato_token(),
    _gc_notify_key(),
    _tableau_pat(),
    keyed(
        "mem0-api-key",
        "Mem0",
        "Mem0 API key",
        ("mem0_api_key",),
        ALNUM,
        (24, 44),
        value_regex=r"m0-[A-Za-z0-9]{24,44}",
        make_value=lambda r: "m0-" + rand(r, ALNUM, 40),
        generated=True,
    ),
    keyed(
        "retell-api-key",
        "Retell AI",
        "Retell AI API key",
        ("retell_api_key",),
        HEX,
        28,
        value_regex=r"key_[a-f0-9]{28}",
        make_value=lambda r: "key_" + rand(r, HEX, 28),
        generated=True,
    ),
    keyed(
        "telnyx-api-key-v2",
        "Telnyx",
        "Telnyx API v2 key",
        ("telnyx_api_key",),
        B64URL,
        55,
        value_regex=r"KEY[0-9A-Za-z_-]{55}",
        make_value=lambda r: "KEY" + rand(r, ALNUM, 55),
        generated=True,
    ),
    custom(
        "plaid-access-token",
        "Plaid",
        "Plaid access token",
        rf"(?<![A-Za-z0-9_-])(access-(?:sandbox|development|production)-{UUID_RE})(?![A-Za-z0-9_-])",
        example=lambda r: f'PLAID_ACCESS_TOKEN = "access-production-{rand_uuid(r)}"\n',
        fixed=lambda r: 'PLAID_ACCESS_TOKEN = os.environ["PLAID_ACCESS_TOKEN"]\n',
        keywords=("access-sandbox-", "access-development-", "access-production-"),
        generated=True,
        references=("https://plaid.com/docs/api/tokens/",),
    ),
    custom(
        "dropbox-long-lived-token",
        "Dropbox",
        "Dropbox long-lived access token",
        # 11 characters, ten A's (the token's fixed part), 43 more: the run is not a stand-in
        r"(?<![A-Za-z0-9_=-])([a-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_=-]{43})(?![A-Za-z0-9_=-])",
        example=lambda r: (
            f'DROPBOX_TOKEN = "{rand(r, ALNUM_LOWER, 11)}AAAAAAAAAA{rand(r, B64URL, 43)}"\n'
        ),
        fixed=lambda r: 'DROPBOX_TOKEN = os.environ["DROPBOX_TOKEN"]\n',
        keywords=("aaaaaaaaaa",),
        entropy=3.5,
        references=("https://www.dropbox.com/developers/documentation/http/documentation",),
    ),
    custom(
        "google-oauth-client-secret-legacy",
        "Google",
        "Google OAuth client secret (legacy 24-character form, beside its client id)",
        # the secret issued before GOCSPX- is 24 URL-safe characters: read only after a
        # client id of the same app (client_secrets.json, a config block, two assignments)
        r"[0-9]{6,}-[a-z0-9_]{32}\.apps\.googleusercontent\.com[\s\S]{0,400}?"
        r"(?i:client[_.-]?secret)[\"']?\s{0,8}[:=]{1,2}>?\s{0,8}[\"']?"
        r"(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{24})(?![A-Za-z0-9_-])",
        example=lambda r: (
            '{"installed": {"client_id": "'
            f"{rand(r, DIGITS, 12)}-{rand(r, ALNUM_LOWER, 32)}.apps.googleusercontent.com"
            '", "project_id": "ci", "client_secret": "'
            f'{rand(r, ALNUM, 10)}_{rand(r, ALNUM, 13)}"}}}}\n'
        ),
        fixed=lambda r: (
            '{"installed": {"client_id": "'
            f"{rand(r, DIGITS, 12)}-{rand(r, ALNUM_LOWER, 32)}.apps.googleusercontent.com"
            '", "client_secret": "${GOOGLE_CLIENT_SECRET}"}}\n'
        ),
        keywords=("apps.googleusercontent.com",),
        entropy=3.5,
        generated=True,
        references=("https://developers.google.com/identity/protocols/oauth2",),
    ),
    _slack_session_token(),
    _slack_session_cookie(),
    _github_stateless_installation_token(),
    _vault_unseal_key(),
    _android_build_config_field(),
    _azure_access_key_connection(),
    _azure_ai_services_key(),
    _coinbase_cdp_ed25519_key(),
    _datafactory_shir_key(),
    _django_insecure_secret_key(),
    _atlassian_dc_pat(),
    _braintree_tokenization_key(),
    _braintree_sandbox_access_token(),
    prefixed(
        "flutterwave-test-secret-key",
        "Flutterwave",
        "Flutterwave test secret key",
        "FLWSECK_TEST-",
        HEX,
        0,
        severity=L,
        suffix_regex="[a-h0-9]{32}-X",
        keywords=("flwseck_test-",),
        make_value=lambda r: f"FLWSECK_TEST-{rand(r, HEX, 32)}-X",
    ),
    prefixed(
        "deepseek-api-key-bare",
        "DeepSeek",
        "DeepSeek API key (sk- and 32 hex, without the provider's name)",
        "sk-",
        HEX,
        32,
        severity=M,
        keywords=("sk-",),
        prefix_regex="sk-(?=[a-f0-9]{32}(?![A-Za-z0-9_-]))",
        prefilter=r"sk-[a-f0-9]{32}",
        var="LLM_API_KEY",
    ),
    custom(
        "azure-redis-access-key",
        "Azure",
        "Azure Cache for Redis access key in a connection string",
        r"(?i:\.redis\.cache\.windows\.net(?::\d{2,5})?,[^\n]{0,80}?password=)"
        r"([A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])",
        example=lambda r: (
            f"cache-{rand(r, ALNUM_LOWER, 5)}.redis.cache.windows.net:6380,"
            f"password={rand(r, B64, 43)}=,ssl=True,abortConnect=False\n"
        ),
        fixed=lambda r: 'REDIS_URL = os.environ["AZURE_REDIS_CONNECTION_STRING"]\n',
        keywords=("redis.cache.windows.net",),
        entropy=3.5,
        generated=True,
    ),
    custom(
        "azure-function-key-url",
        "Azure",
        "Azure Functions key in a function URL (?code=)",
        r"(?i:https://[a-z0-9-]{1,60}\.azurewebsites\.net/api/[A-Za-z0-9_/-]{1,80}\?"
        r"(?:[^\s\"'#]{0,100}&)?code=)([A-Za-z0-9_/+-]{30,100}={0,2})(?![A-Za-z0-9_/+=-])",
        example=lambda r: (
            f'FUNC_URL = "https://fn-{rand(r, ALNUM_LOWER, 6)}.azurewebsites.net/api/HttpTrigger'
            f'?code={rand(r, B64URL, 54)}=="\n'
        ),
        fixed=lambda r: 'FUNC_URL = os.environ["AZURE_FUNCTION_URL"]\n',
        keywords=(".azurewebsites.net/api/",),
        entropy=3.5,
        generated=True,
    ),
    prefixed(
        "razorpay-test-key-id",
        "Razorpay",
        "Razorpay test key id",
        "rzp_test_",
        ALNUM,
        14,
        severity=L,
    ),
    # session 11 (issue 14): a fifth unseen sample's families
    *(
        keyed(slug, prov, title, kws, cs, n, severity=M)
        for slug, prov, title, kws, cs, n in _KEYED_S11
    ),
    *_keyed_s11_shaped(),
    # session 10 (issue 14): families a fourth unseen sample (trufflehog's detectors) lacked
    *(
        keyed(slug, prov, title, kws, cs, n, severity=M)
        for slug, prov, title, kws, cs, n in _KEYED_S10
    ),
    keyed(
        "cloudconvert-api-key",
        "CloudConvert",
        "CloudConvert API key",
        ("cloudconvert_api_key", "cloudconvert_token"),
        B64URL,
        0,
        severity=H,
        # an RS256 JWT: the 36-character header, a payload and a signature of some hundreds
        value_regex=r"ey[A-Za-z0-9_-]{34}\.ey[A-Za-z0-9_-]{200,700}\.[A-Za-z0-9_-]{200,900}",
        make_value=lambda r: (
            f"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.ey{rand(r, B64URL, 410)}.{rand(r, B64URL, 683)}"
        ),
    ),
    keyed(
        "reallysimplesystems-api-key",
        "Really Simple Systems",
        "Really Simple Systems CRM API key",
        ("reallysimplesystems_api_key", "reallysimplesystems_token"),
        B64URL,
        0,
        severity=M,
        value_regex=r"ey[A-Za-z0-9_-]{153}\.ey[A-Za-z0-9_.-]{800,1100}",
        make_value=lambda r: f"ey{rand(r, B64URL, 153)}.ey{rand(r, B64URL, 950)}",
    ),
    keyed(
        "front-api-token",
        "Front",
        "Front API token",
        ("front_api_token", "frontapp_token", "front_token"),
        B64URL,
        0,
        severity=M,
        # a JWT's header (36) and the rest of the token after a dot
        value_regex=r"[0-9a-zA-Z]{36}\.[0-9a-zA-Z._-]{188,244}",
        make_value=lambda r: f"{rand(r, ALNUM, 36)}.{rand(r, B64URL, 80)}.{rand(r, B64URL, 130)}",
    ),
    keyed(
        "moderation-api-key",
        "Moderation API",
        "Moderation API key",
        ("moderation_api_key", "moderationapi_key"),
        ALNUM,
        0,
        severity=M,
        value_regex=r"[A-Za-z0-9]{36}\.[A-Za-z0-9]{115}\.[A-Za-z0-9_]{43}",
        make_value=lambda r: f"{rand(r, ALNUM, 36)}.{rand(r, ALNUM, 115)}.{rand(r, ALNUM, 43)}",
    ),
    keyed(
        "close-api-key",
        "Close",
        "Close CRM API key",
        ("close_api_key", "closecrm_api_key", "close_token"),
        ALNUM,
        0,
        severity=M,
        # api_ + 22 + "." + 22 as issued; 45 characters of that alphabet in peers' fixtures
        value_regex=r"api_[A-Za-z0-9.]{45}",
        make_value=lambda r: f"api_{rand(r, ALNUM, 22)}.{rand(r, ALNUM, 22)}",
    ),
    prefixed(
        "finage-api-key",
        "Finage",
        "Finage API key",
        "API_KEY",
        ALNUM_UPPER,
        32,
        severity=M,
        entropy=3.5,
        keywords=("api_key",),
    ),
    custom(
        "openvpn-cloud-client-secret",
        "OpenVPN",
        "OpenVPN Cloud (CloudConnexa) API client secret",
        # 64+ characters of [A-Za-z0-9_-] under openvpn's name (trufflehog's detector): an
        # assignment or the "openvpn token - '<value>'" form; the client id (x.y) and the
        # tenant's api.openvpn.com URL are identifiers, not secrets
        r"(?i:openvpn(?:[ _.-]?(?:cloud|connexa|access|connect|client|api)){0,3}[ _.-]?"
        r"(?:secret|token))\w{0,8}['\"]?[ \t]*(?:=>|:=|[=:]|-)[ \t]*['\"]?"
        r"([A-Za-z0-9_-]{64,128})(?![A-Za-z0-9_.-])",
        example=lambda r: f'OPENVPN_CLIENT_SECRET = "{rand(r, B64URL, 86)}"\n',
        fixed=lambda r: 'OPENVPN_CLIENT_SECRET = os.environ["OPENVPN_CLIENT_SECRET"]\n',
        keywords=("openvpn",),
        entropy=4.0,
        confidence=Confidence.MEDIUM,
        generic_filters=True,
        generated=True,
    ),
    # -- session 12: providers of trufflehog's detector population with no rule ------------
    prefixed(
        "trufflehog-enterprise-secret",
        "TruffleHog",
        "TruffleHog Enterprise API secret",
        "thog-secret-",
        HEX,
        32,
        severity=H,
        keywords=("thog-secret-",),
        prefix_regex="thog-secret-(?=[a-f0-9]{32}(?![A-Za-z0-9_-]))",
    ),
    custom(
        "voiceflow-api-key",
        "Voiceflow",
        "Voiceflow Dialog Manager or workspace API key",
        # VF.DM. (Dialog Manager) or VF.WS. (workspace), 24 hex of the id, 16 of the secret
        r"(?<![A-Za-z0-9_.-])(VF\.(?:DM|WS)\.[a-fA-F0-9]{24}\.[A-Za-z0-9]{16})(?![A-Za-z0-9_-])",
        example=lambda r: f'VOICEFLOW_API_KEY = "VF.DM.{rand(r, HEX, 24)}.{rand(r, ALNUM, 16)}"\n',
        fixed=lambda r: 'VOICEFLOW_API_KEY = os.environ["VOICEFLOW_API_KEY"]\n',
        keywords=("vf.dm.", "vf.ws."),
        entropy=3.0,
        generated=True,
        references=("https://docs.voiceflow.com/reference/authentication",),
    ),
    keyed(
        "alienvault-otx-api-key",
        "AlienVault",
        "AlienVault OTX API key",
        ("alienvault_api_key", "alienvault_otx_key", "alienvault_key", "otx_api_key"),
        ALNUM_LOWER,
        64,
        severity=M,
        entropy=3.5,
    ),
    keyed(
        "viewneo-api-token",
        "viewneo",
        "viewneo API token",
        ("viewneo_token", "viewneo_api_token", "viewneo_api_key"),
        ALNUM,
        0,
        severity=M,
        value_regex=r"[A-Za-z0-9]{120,140}\.[A-Za-z0-9]{150,170}\.[A-Za-z0-9_-]{600,620}",
        make_value=lambda r: f"{rand(r, ALNUM, 128)}.{rand(r, ALNUM, 160)}.{rand(r, B64URL, 610)}",
        generated=True,
    ),
    keyed(
        "scalr-api-token",
        "Scalr",
        "Scalr API token",
        ("scalr_token", "scalr_api_token", "scalr_api_key"),
        ALNUM,
        0,
        severity=M,
        value_regex=r"[A-Za-z0-9._]{136}",
        make_value=lambda r: f"{rand(r, ALNUM, 40)}.{rand(r, ALNUM, 95)}",
        entropy=4.0,
        generated=True,
    ),
    keyed(
        "planview-leankit-api-token",
        "Planview",
        "Planview LeanKit API token",
        ("planview_token", "planview_api_token", "leankit_token", "leankit_api_token"),
        HEX,
        128,
        severity=M,
        entropy=3.5,
    ),
    keyed(
        "fibery-api-token",
        "Fibery",
        "Fibery API token",
        ("fibery_token", "fibery_api_token", "fibery_api_key"),
        HEX,
        0,
        severity=M,
        value_regex=r"[0-9a-f]{8}\.[0-9a-f]{35}",
        make_value=lambda r: f"{rand(r, HEX, 8)}.{rand(r, HEX, 35)}",
        generated=True,
    ),
    keyed(
        "poloniex-api-secret",
        "Poloniex",
        "Poloniex API secret",
        ("poloniex_secret", "poloniex_api_secret", "poloniex_secret_key"),
        HEX,
        128,
        severity=H,
        entropy=3.5,
    ),
    keyed(
        "simplynoted-api-key",
        "Simply Noted",
        "Simply Noted API key",
        ("simplynoted_token", "simplynoted_api_key", "simplynoted_key"),
        ALNUM,
        0,
        severity=M,
        value_regex=r"[A-Za-z0-9]{340,360}",
        make_value=lambda r: rand(r, ALNUM, 350),
        entropy=4.0,
        generated=True,
    ),
    keyed(
        "segment-access-token",
        "Segment",
        "Segment (Twilio) access token, two parts of 43",
        ("segment_token", "segment_api_key", "segment_access_token", "segment_api_token"),
        B64URL,
        0,
        severity=M,
        value_regex=r"[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}",
        make_value=lambda r: f"{rand(r, B64URL, 43)}.{rand(r, B64URL, 43)}",
        entropy=4.0,
        generated=True,
    ),
    custom(
        "recharge-api-token",
        "Recharge",
        "Recharge (subscriptions) API token",
        # sk_ (test_), a scope size of 1/2/3/5/10 x the version, then 64 hex
        r"(?<![A-Za-z0-9_])(sk_(?:test_)?(?:1|2|3|5|10)x[123]_[0-9a-fA-F]{64})(?![A-Za-z0-9_])",
        example=lambda r: f'RECHARGE_API_TOKEN = "sk_1x1_{rand(r, HEX, 64)}"\n',
        fixed=lambda r: 'RECHARGE_API_TOKEN = os.environ["RECHARGE_API_TOKEN"]\n',
        keywords=("sk_1x", "sk_2x", "sk_3x", "sk_5x", "sk_10x", "sk_test_"),
        entropy=3.0,
        generated=True,
    ),
]
