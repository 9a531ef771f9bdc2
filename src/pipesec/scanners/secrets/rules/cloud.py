"""Cloud providers: AWS, Google Cloud, Azure, DigitalOcean, Alibaba and other hosts."""

from __future__ import annotations

import random

from pipesec.core.model import Severity
from pipesec.scanners.secrets.rules.base import SecretRule
from pipesec.scanners.secrets.rules.builders import (
    ALNUM,
    ALNUM_LOWER,
    ALNUM_UPPER,
    B64,
    B64URL,
    BASE32,
    DIGITS,
    HEX,
    LOWER,
    custom,
    keyed,
    prefixed,
    rand,
)

C = Severity.CRITICAL
H = Severity.HIGH
M = Severity.MEDIUM


def _uuid(r: random.Random) -> str:
    h = rand(r, HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


UUID_RE = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


def _aws_pair(r: random.Random) -> str:
    return (
        "[default]\naws_access_key_id = AKIA"
        + rand(r, BASE32, 16)
        + "\naws_secret_access_key = "
        + rand(r, ALNUM + "/+", 40)
        + "\n"
    )


def _sas(r: random.Random) -> str:
    return (
        "https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=co&sp=rl"
        "&se=2030-01-01T00:00:00Z&sig=" + rand(r, ALNUM, 43) + "%3D\n"
    )


def _storage(r: random.Random) -> str:
    return (
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey="
        + rand(r, B64, 86)
        + "==;EndpointSuffix=core.windows.net\n"
    )


def _cosmos(r: random.Random) -> str:
    return (
        "AccountEndpoint=https://db.documents.azure.com:443/;AccountKey="
        + rand(r, B64, 86)
        + "==;\n"
    )


def _sb(r: random.Random) -> str:
    return (
        "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
        "SharedAccessKey=" + rand(r, B64, 43) + "=\n"
    )


def _gsa(r: random.Random) -> str:
    return (
        '{\n  "type": "service_account",\n  "project_id": "demo-project",\n'
        f'  "private_key_id": "{rand(r, HEX, 40)}",\n'
        f'  "private_key": "-----BEGIN {_PK}-----\\n{rand(r, B64, 64)}\\n-----END {_PK}-----\\n",\n'
        '  "client_email": "ci@demo-project.iam.gserviceaccount.com"\n}\n'
    )


_PK = "PRIVATE KEY"


def _azure_ad(r: random.Random) -> str:
    return rand(r, ALNUM, 3) + rand(r, DIGITS, 1) + "Q~" + rand(r, ALNUM + "_~.-", 34)


def _tfc(r: random.Random) -> str:
    return rand(r, ALNUM, 14) + ".atlasv1." + rand(r, ALNUM + "_-", 67)


#: Azure's identifiable keys (Microsoft's security-utilities formats): a fixed signature at a
#: fixed offset of a random base64 body; the 256-bit keys are 44 characters (33, the
#: signature, one of ``A``-``P``, 5, ``=``), the 512-bit ones 88 (76, the signature, 5, one of
#: ``AQgw``, ``==``). Storage (``+ASt``) and AI Search (``AzSe``) have their own rules.
#: (slug, service, signature)
_IDENTIFIABLE_256 = (
    ("azure-event-hub-identifiable-key", "Event Hubs", "+AEh"),
    ("azure-service-bus-identifiable-key", "Service Bus", "+ASb"),
    ("azure-relay-identifiable-key", "Relay", "+ARm"),
    ("azure-iot-identifiable-key", "IoT Hub, Device Provisioning or device", "AIoT"),
    ("azure-cache-redis-identifiable-key", "Cache for Redis", "AzCa"),
    ("azure-event-grid-identifiable-key", "Event Grid", "AZEG"),
)
_IDENTIFIABLE_512 = (
    ("azure-cosmos-db-identifiable-key", "Cosmos DB", "ACDb"),
    ("azure-batch-identifiable-key", "Batch", "+ABa"),
    ("azure-ml-identifiable-key", "Machine Learning web service", "+AMC"),
    ("azure-apim-identifiable-key", "API Management", "APIM"),
)
_B64_EDGE = "A-Za-z0-9+/_-"


def _identifiable(slug: str, service: str, sig: str, wide: bool) -> SecretRule:
    if wide:
        head, tail, pad = 76, "[A-Za-z0-9+/]{5}[AQgw]==", "=="
    else:
        head, tail, pad = 33, "[A-P][A-Za-z0-9+/]{5}=", "="
    esc = sig.replace("+", r"\+")

    def value(r: random.Random, at: int = head) -> str:
        body = rand(r, ALNUM, at) + sig
        return body + (rand(r, ALNUM, 5) + "Q" if wide else "K" + rand(r, ALNUM, 5)) + pad

    return custom(
        slug,
        "Azure",
        f"Azure {service} key (identifiable format, {sig})",
        rf"(?<![{_B64_EDGE}])([A-Za-z0-9+/]{{{head}}}{esc}{tail})(?![={_B64_EDGE}])",
        example=lambda r: f"{value(r)}\n",
        # the signature one character early: not a key of this format
        fixed=lambda r: f"KEY={value(r, head - 1)}\n",
        keywords=(sig.lower(),),
        severity=C,
        entropy=3.5,
        generated=True,
    )


#: the names an AWS SDK, CLI or tool reads a secret access key from; S3-compatible stores
#: are configured through the same names
AWS_SECRET_NAMES = (
    "aws_secret_access_key",
    "aws_secret_key",
    "secret_access_key",
    "secretaccesskey",
    "aws_secret",
    "awssecretkey",
)

RULES: list[SecretRule] = [
    prefixed(
        "aws-access-key-id",
        "AWS",
        "AWS access key ID",
        "AKIA",
        BASE32,
        16,
        severity=C,
        prefix_regex="(?:AKIA|A3T[A-Z0-9])",
        keywords=("akia", "a3t"),
        var="AWS_ACCESS_KEY_ID",
    ),
    prefixed(
        "aws-temporary-access-key-id",
        "AWS",
        "AWS temporary (STS) access key ID",
        "ASIA",
        BASE32,
        16,
        severity=H,
        var="AWS_ACCESS_KEY_ID",
    ),
    prefixed(
        "aws-iam-identity-center-key-id",
        "AWS",
        "AWS key ID (ABIA/ACCA)",
        "ABIA",
        BASE32,
        16,
        severity=H,
        prefix_regex="(?:ABIA|ACCA)",
        keywords=("abia", "acca"),
    ),
    keyed(
        "aws-secret-access-key",
        "AWS",
        "AWS secret access key",
        AWS_SECRET_NAMES,
        ALNUM + "/+",
        40,
        severity=C,
        entropy=3.5,
        var="aws_secret_access_key",
    ),
    custom(
        "aws-credentials-pair",
        "AWS",
        "AWS access key pair in a credentials file",
        r"(?m)^[ \t]*aws_secret_access_key[ \t]*=[ \t]*([A-Za-z0-9/+]{40})[ \t]*$",
        example=_aws_pair,
        keywords=("aws_secret_access_key",),
        severity=C,
        path_regex=r"(?:^|/)(?:credentials|config)$",
        entropy=3.5,
        # (Hyperscan's form: a line's start then blanks then the long key, ``(?m)^[ \t]*<key>``,
        # compiled in one database with cisco-pac-key's pattern made Hyperscan miss the
        # latter's line-anchored matches past a text's 18th byte; the key after a line's
        # start or a blank is a superset and ends where the match does)
        hs_regex=r"(?m)(?:^|[ \t])aws_secret_access_key[ \t]*=[ \t]*[A-Za-z0-9/+]{40}[ \t]*$",
    ),
    keyed(
        "aws-session-token",
        "AWS",
        "AWS session token",
        ("aws_session_token", "aws_security_token", "x-amz-security-token"),
        B64,
        (200, 1200),
        severity=H,
        var="aws_session_token",
        entropy=4.0,
    ),
    prefixed(
        "aws-mws-auth-token",
        "Amazon MWS",
        "Amazon Marketplace Web Service auth token",
        "amzn.mws.",
        HEX,
        0,
        severity=H,
        make_value=lambda r: "amzn.mws." + "-".join(rand(r, HEX, n) for n in (8, 4, 4, 4, 12)),
        suffix_regex=r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    ),
    prefixed(
        "aws-bedrock-api-key",
        "AWS",
        "Amazon Bedrock long-term API key",
        "ABSK",
        B64,
        (109, 200),
        severity=H,
        keywords=("absk",),
    ),
    prefixed(
        "aws-appsync-api-key",
        "AWS",
        "AWS AppSync API key",
        "da2-",
        ALNUM_LOWER,
        26,
        severity=M,
    ),
    prefixed(
        "gcp-api-key",
        "Google Cloud",
        "Google API key",
        "AIza",
        B64URL,
        35,
        # base64 padding right after the 39 characters: a slice of a base64 blob, not a key
        suffix_regex="(?!=)",
        severity=H,
        var="GOOGLE_API_KEY",
    ),
    custom(
        "gcp-service-account-key",
        "Google Cloud",
        "Google Cloud service account key file",
        # the key id names the key file only when the private key is there (Google writes it
        # right after the id): an id alone (a redacted or public copy) is no credential
        r'"private_key_id"\s{0,5}:\s{0,5}"([0-9a-f]{40})"'
        r'\s{0,5},\s{0,5}"private_key"\s{0,5}:\s{0,5}"-----BEGIN'
        # (and a key, not a mask typed in its place: ``-----BEGIN PRIVATE KEY-----XXXX…``)
        r"[ A-Z]{0,30}-----(?:\\n)?(?![Xx*#.]{16})",
        example=_gsa,
        keywords=("service_account",),
        severity=C,
        fixed=lambda r: '{"type": "service_account", "private_key_id": ""}\n',
    ),
    prefixed(
        "gcp-oauth-client-secret",
        "Google Cloud",
        "Google OAuth client secret",
        "GOCSPX-",
        B64URL,
        28,
        severity=H,
        keywords=("gocspx",),
    ),
    prefixed(
        "google-oauth-access-token",
        "Google",
        "Google OAuth access token",
        "ya29.",
        B64URL,
        (60, 200),
        severity=H,
        keywords=("ya29.",),
    ),
    prefixed(
        "google-oauth-refresh-token",
        "Google",
        "Google OAuth refresh token",
        "1//0",
        B64URL,
        (60, 120),
        severity=H,
        keywords=("1//0",),
    ),
    custom(
        "firebase-cloud-messaging-key",
        "Firebase",
        "Firebase Cloud Messaging server key",
        r"(?<![A-Za-z0-9_-])(AAAA[A-Za-z0-9_-]{7}:[A-Za-z0-9_-]{140})(?![A-Za-z0-9_-])",
        example=lambda r: f'FCM_SERVER_KEY = "AAAA{rand(r, B64URL, 7)}:{rand(r, B64URL, 140)}"\n',
        keywords=("aaaa",),
        severity=H,
    ),
    custom(
        "azure-storage-account-key",
        "Azure",
        "Azure storage account key",
        # a connection string's AccountKey=, or the key under an account key's name in any
        # assignment, quoted or not (``AccountKey='…'``, ``"accountKey": "…"``,
        # ``--account-key …``): 86 base64 characters and ``==`` (``AZURE_STORAGE_KEY``:
        # azure-account-key-keyed; a key of the identifiable format, ``+ASt`` at 77:
        # azure-storage-key-identifiable)
        r"(?i:account[_-]?key)[\"']?(?:[ \t]{0,3}[=:][ \t]{0,3}|[ \t]{1,3})[\"']?"
        r"((?![A-Za-z0-9+/]{76}\+ASt)[A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])",
        example=_storage,
        keywords=("accountkey", "account_key", "account-key"),
        severity=C,
        entropy=4.0,
    ),
    custom(
        "azure-cosmosdb-key",
        "Azure",
        "Azure Cosmos DB account key",
        r"(?i:AccountEndpoint=https://[a-z0-9.-]{1,80}\.documents\.azure\.com[^;]{0,10};"
        r"\s{0,3}AccountKey)=([A-Za-z0-9+/]{86}==)",
        example=_cosmos,
        keywords=("documents.azure.com",),
        severity=C,
    ),
    custom(
        "azure-sas-token",
        "Azure",
        "Azure shared access signature (SAS) token",
        r"(?<![A-Za-z0-9])sv=\d{4}-\d\d-\d\d&[^\s\"'<>]{0,300}?sig=([A-Za-z0-9%+/]{40,60}(?:%3D|=))",
        example=_sas,
        keywords=("sig=",),
        severity=H,
    ),
    custom(
        "azure-service-bus-key",
        "Azure",
        "Azure Service Bus / Event Hubs shared access key",
        r"(?i:SharedAccessKey)=([A-Za-z0-9+/]{40,86}={0,2})(?![A-Za-z0-9+/=])",
        example=_sb,
        keywords=("sharedaccesskey",),
        severity=H,
    ),
    custom(
        "azure-ad-client-secret",
        "Azure",
        "Microsoft Entra ID (Azure AD) client secret",
        r"(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])",
        example=lambda r: f'AZURE_CLIENT_SECRET = "{_azure_ad(r)}"\n',
        keywords=("q~",),
        severity=C,
    ),
    keyed(
        "azure-devops-pat",
        "Azure DevOps",
        "Azure DevOps personal access token",
        (
            "azure_devops",
            "azuredevops",
            "ado_pat",
            "ado_token",
            "system_accesstoken",
            "azure_pat",
            "devops_pat",
            "personal_access_token",
            "personalaccesstoken",
        ),
        "abcdefghijklmnopqrstuvwxyz234567",
        52,
        severity=C,
    ),
    prefixed(
        "azure-devops-pat-v2",
        "Azure DevOps",
        "Azure DevOps personal access token (2024 format)",
        "",
        ALNUM,
        76,
        suffix="AZDO",
        severity=C,
        keywords=("azdo",),
        make_value=lambda r: rand(r, ALNUM, 76) + "AZDO" + rand(r, ALNUM, 4),
        suffix_regex="AZDO[A-Za-z0-9]{4}",
    ),
    keyed(
        "azure-openai-key",
        "Azure OpenAI",
        "Azure OpenAI API key",
        ("azure_openai_key", "azure_openai_api_key", "azureopenaikey", "aoai_key"),
        HEX,
        32,
        severity=H,
    ),
    keyed(
        "azure-function-key",
        "Azure",
        "Azure Functions key",
        ("x-functions-key", "azure_function_key", "function_key", "functions_key"),
        B64URL,
        (54, 56),
        severity=M,
        value_regex=r"[A-Za-z0-9_-]{52,54}==",
        make_value=lambda r: rand(r, B64URL, 54) + "==",
    ),
    custom(
        "azure-app-configuration",
        "Azure",
        "Azure App Configuration connection string secret",
        r"Endpoint=https://[a-z0-9-]{1,60}\.azconfig\.io;Id=[^;\s]{1,40};Secret=([A-Za-z0-9+/]{43,60}=)",
        example=lambda r: (
            f"Endpoint=https://app.azconfig.io;Id={rand(r, ALNUM, 12)};Secret={rand(r, B64, 43)}=\n"
        ),
        keywords=("azconfig.io",),
        severity=H,
    ),
    prefixed(
        "azure-search-admin-key",
        "Azure",
        "Azure AI Search admin key",
        "",
        ALNUM,
        42,
        suffix_regex="AzSe[A-Za-z0-9]{6}",
        keywords=("azse",),
        severity=H,
        make_value=lambda r: rand(r, ALNUM, 42) + "AzSe" + rand(r, ALNUM, 6),
    ),
    *(_identifiable(slug, service, sig, False) for slug, service, sig in _IDENTIFIABLE_256),
    *(_identifiable(slug, service, sig, True) for slug, service, sig in _IDENTIFIABLE_512),
    custom(
        "azure-functions-identifiable-key",
        "Azure",
        "Azure Functions access key (identifiable format, AzFu)",
        r"(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{44}AzFu[A-Za-z0-9_-]{5}[AQgw]==)(?![A-Za-z0-9_=-])",
        example=lambda r: f"x-functions-key: {rand(r, B64URL, 44)}AzFu{rand(r, ALNUM, 5)}w==\n",
        fixed=lambda r: f"x-functions-key: {rand(r, B64URL, 43)}AzFu{rand(r, ALNUM, 5)}w==\n",
        keywords=("azfu",),
        severity=C,
        entropy=3.5,
        generated=True,
    ),
    custom(
        "azure-container-registry-identifiable-key",
        "Azure",
        "Azure Container Registry access key (identifiable format, +ACR)",
        r"(?<![A-Za-z0-9+/_-])([A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5})(?![A-Za-z0-9+/=_-])",
        example=lambda r: f"ACR_PASSWORD={rand(r, ALNUM, 42)}+ACRB{rand(r, ALNUM, 5)}\n",
        fixed=lambda r: f"ACR_PASSWORD={rand(r, ALNUM, 41)}+ACRB{rand(r, ALNUM, 5)}\n",
        keywords=("+acr",),
        severity=C,
        entropy=3.5,
        generated=True,
    ),
    prefixed(
        "digitalocean-pat",
        "DigitalOcean",
        "DigitalOcean personal access token",
        "dop_v1_",
        HEX,
        64,
        severity=C,
    ),
    prefixed(
        "digitalocean-oauth-token",
        "DigitalOcean",
        "DigitalOcean OAuth access token",
        "doo_v1_",
        HEX,
        64,
        severity=H,
    ),
    prefixed(
        "digitalocean-refresh-token",
        "DigitalOcean",
        "DigitalOcean OAuth refresh token",
        "dor_v1_",
        HEX,
        64,
        severity=H,
    ),
    keyed(
        "digitalocean-spaces-secret",
        "DigitalOcean",
        "DigitalOcean Spaces secret key",
        ("spaces_secret", "do_spaces_secret", "spaces_secret_access_key"),
        B64,
        43,
        severity=H,
    ),
    prefixed(
        "alibaba-access-key-id",
        "Alibaba Cloud",
        "Alibaba Cloud AccessKey ID",
        "LTAI",
        ALNUM,
        (12, 20),
        severity=H,
    ),
    keyed(
        "alibaba-secret-key",
        "Alibaba Cloud",
        "Alibaba Cloud AccessKey secret",
        (
            "alibaba_secret",
            "alicloud_secret",
            "aliyun_secret",
            "access_key_secret",
            "accesskeysecret",
        ),
        ALNUM,
        30,
        severity=C,
        # 30 for an AccessKey pair, 32-40 for the secret of an STS credential
        value_regex="[A-Za-z0-9]{30}|[A-Za-z0-9]{32,40}",
        generated=True,
    ),
    prefixed(
        "tencent-cloud-secret-id",
        "Tencent Cloud",
        "Tencent Cloud SecretId",
        "AKID",
        ALNUM,
        32,
        severity=H,
    ),
    keyed(
        "tencent-cloud-secret-key",
        "Tencent Cloud",
        "Tencent Cloud SecretKey",
        ("tencentcloud_secret_key", "tencent_secret_key", "qcloud_secret_key"),
        ALNUM,
        32,
        severity=C,
    ),
    keyed(
        "ibm-cloud-api-key",
        "IBM Cloud",
        "IBM Cloud API key",
        ("ibmcloud_api_key", "ibm_cloud_api_key", "ibm_api_key", "ic_api_key"),
        B64URL,
        (42, 44),
        severity=H,
    ),
    keyed(
        "linode-token",
        "Linode",
        "Linode (Akamai) API token",
        ("linode_token", "linode_api_token", "linode_cli_token"),
        HEX,
        64,
        severity=H,
    ),
    keyed(
        "vultr-api-key",
        "Vultr",
        "Vultr API key",
        ("vultr_api_key", "vultr_key"),
        ALNUM_UPPER,
        36,
        severity=H,
    ),
    keyed(
        "heroku-api-key",
        "Heroku",
        "Heroku API key",
        ("heroku_api_key", "heroku_token", "heroku_auth_token", "heroku"),
        HEX,
        36,
        severity=H,
        # ``HEROKU_KEY``, ``herokuApiToken``: a key naming Heroku and a key or token (an app
        # id is a UUID too: ``heroku_app_id`` is not matched)
        key_regex=r"heroku[\w.-]{0,20}?(?:key|token|secret)(?![\w-]{0,3}id\b)",
        generated=True,
        value_regex=UUID_RE,
        make_value=_uuid,
    ),
    prefixed(
        "heroku-api-key-v2", "Heroku", "Heroku platform API key", "HRKU-AA", B64URL, 58, severity=H
    ),
    prefixed(
        "scaleway-access-key", "Scaleway", "Scaleway access key", "SCW", ALNUM_UPPER, 17, severity=M
    ),
    keyed(
        "scaleway-secret-key",
        "Scaleway",
        "Scaleway secret key",
        ("scw_secret_key", "scaleway_secret_key"),
        HEX,
        36,
        severity=H,
        value_regex=UUID_RE,
        make_value=_uuid,
    ),
    keyed(
        "cloudflare-api-token",
        "Cloudflare",
        "Cloudflare API token",
        ("cloudflare_api_token", "cf_api_token", "cloudflare_token", "cf_token", "cloudflare"),
        B64URL,
        40,
        severity=H,
        # any key naming Cloudflare (``CLOUDFLARE_API_KEY``, ``cloudflare:``): the value's
        # shape tells an API token (40 base64url) from a global API key (37 hex)
        key_regex=r"cloudflare|cf_api_token|cf_token",
    ),
    keyed(
        "cloudflare-global-api-key",
        "Cloudflare",
        "Cloudflare global API key",
        (
            "cloudflare_api_key",
            "cf_api_key",
            "cloudflare_global_api_key",
            "x-auth-key",
            "cloudflare",
        ),
        HEX,
        37,
        severity=C,
        key_regex=r"cloudflare|cf_api_key|x-auth-key",
    ),
    prefixed(
        "cloudflare-origin-ca-key",
        "Cloudflare",
        "Cloudflare Origin CA key",
        "v1.0-",
        HEX,
        0,
        severity=H,
        suffix_regex=r"[a-f0-9]{24}-[a-f0-9]{146}",
        make_value=lambda r: f"v1.0-{rand(r, HEX, 24)}-{rand(r, HEX, 146)}",
    ),
    keyed(
        "fastly-api-token",
        "Fastly",
        "Fastly API token",
        ("fastly_api_token", "fastly_key", "fastly_token", "fastly_api_key"),
        B64URL + "=",
        32,
        severity=H,
    ),
    keyed(
        "netlify-token",
        "Netlify",
        "Netlify access token",
        ("netlify_auth_token", "netlify_token", "netlify_access_token"),
        B64URL,
        (40, 46),
        severity=H,
        # 43 base64url in tokens issued today, 64 hex in older ones
        value_regex=r"[A-Za-z0-9_=-]{40,46}|[a-f0-9]{64}",
        generated=True,
    ),
    prefixed(
        "netlify-pat", "Netlify", "Netlify personal access token", "nfp_", ALNUM, 36, severity=H
    ),
    keyed(
        "vercel-token",
        "Vercel",
        "Vercel access token",
        ("vercel_token", "vercel_api_token", "now_token"),
        ALNUM,
        24,
        severity=H,
    ),
    prefixed(
        "vercel-access-token",
        "Vercel",
        "Vercel access token (prefixed)",
        "vcp_",
        B64URL,
        (56, 60),
        severity=H,
    ),
    prefixed(
        "fly-io-token",
        "Fly.io",
        "Fly.io access token",
        "fm2_",
        B64 + "_-",
        (100, 900),
        severity=H,
        prefix_regex="(?:fm1[ar]_|fm2_)",
        keywords=("fm1a_", "fm1r_", "fm2_"),
    ),
    prefixed(
        "fly-io-authorization-token",
        "Fly.io",
        "Fly.io token in its Authorization form",
        "FlyV1 ",
        B64 + "_-=,",
        (100, 4000),
        severity=H,
        # "FlyV1 fm2_…" is fly-io-token's (the macaroon); any other body peers accept too
        prefix_regex="FlyV1 (?!fm1[ar]_|fm2_)",
        keywords=("flyv1",),
        prefilter=r"FlyV1 [A-Za-z0-9+/_=,\-]{100}",
    ),
    prefixed("render-api-key", "Render", "Render API key", "rnd_", ALNUM, (28, 32), severity=H),
    keyed(
        "railway-token",
        "Railway",
        "Railway API token",
        ("railway_token", "railway_api_token"),
        HEX,
        36,
        severity=H,
        value_regex=UUID_RE,
        make_value=_uuid,
    ),
    prefixed(
        "supabase-access-token",
        "Supabase",
        "Supabase personal access token",
        "sbp_",
        ALNUM_LOWER + "_-",
        40,
        severity=H,
    ),
    prefixed(
        "supabase-secret-key",
        "Supabase",
        "Supabase secret API key",
        "sb_secret_",
        B64URL,
        (31, 40),
        severity=H,
    ),
    prefixed(
        "planetscale-token",
        "PlanetScale",
        "PlanetScale service token",
        "pscale_tkn_",
        B64URL + ".=",
        (32, 64),
        severity=H,
    ),
    prefixed(
        "planetscale-oauth-token",
        "PlanetScale",
        "PlanetScale OAuth token",
        "pscale_oauth_",
        B64URL + ".=",
        (32, 64),
        severity=H,
    ),
    prefixed(
        "planetscale-password",
        "PlanetScale",
        "PlanetScale database password",
        "pscale_pw_",
        B64URL + ".=",
        (32, 64),
        severity=C,
    ),
    prefixed("neon-api-key", "Neon", "Neon API key", "napi_", ALNUM, 64, severity=H),
    keyed(
        "mongodb-atlas-private-key",
        "MongoDB Atlas",
        "MongoDB Atlas API private key",
        ("mongodb_atlas_private_key", "atlas_private_key", "mongodb_atlas_api_private_key"),
        HEX,
        36,
        severity=H,
        value_regex=UUID_RE,
        make_value=_uuid,
    ),
    custom(
        "terraform-cloud-token",
        "HashiCorp",
        "Terraform Cloud / Enterprise API token",
        r"(?<![A-Za-z0-9])([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])",
        example=lambda r: f'TFE_TOKEN = "{_tfc(r)}"\n',
        keywords=("atlasv1",),
        severity=C,
    ),
    prefixed(
        "vault-service-token",
        "HashiCorp",
        "HashiCorp Vault service token",
        "hvs.",
        B64URL,
        (24, 130),
        severity=C,
    ),
    prefixed(
        "vault-batch-token",
        "HashiCorp",
        "HashiCorp Vault batch token",
        "hvb.",
        B64URL,
        (24, 300),
        severity=H,
        # Vault before 1.10 wrote a batch token as ``b.`` and the same protobuf body, which
        # opens with ``AAAAAQ`` (its version field): the body makes the short prefix safe
        prefix_regex=r"(?:hvb\.|b\.(?=AAAAAQ))",
        keywords=("hvb.", "b.aaaaaq"),
    ),
    prefixed(
        "vault-recovery-token",
        "HashiCorp",
        "HashiCorp Vault recovery token",
        "hvr.",
        B64URL,
        (24, 120),
        severity=C,
    ),
    keyed(
        "vault-legacy-token",
        "HashiCorp",
        "HashiCorp Vault token (legacy format)",
        ("vault", "vault_token", "x-vault-token", "token"),
        ALNUM,
        24,
        severity=C,
        var="VAULT_TOKEN",
        # any token key (``token: s.…`` in vault login output); the value has a digit (a
        # dotted name ``s.AcceptanceTimeoutSeconds`` has none)
        key_regex=r"token",
        value_regex=r"[sbr]\.(?=[A-Za-z]{0,25}[0-9])[A-Za-z0-9]{24,26}",
        make_value=lambda r: "s." + rand(r, ALNUM, 24),
    ),
    prefixed(
        "doppler-personal-token",
        "Doppler",
        "Doppler personal token",
        "dp.pt.",
        ALNUM,
        (40, 44),
        severity=H,
    ),
    prefixed(
        "doppler-service-token",
        "Doppler",
        "Doppler service token",
        "dp.st.",
        ALNUM,
        (40, 60),
        severity=H,
        make_value=lambda r: "dp.st.prd." + rand(r, ALNUM, 43),
        prefix_regex=r"dp\.st\.(?:[a-z0-9_-]{2,35}\.)?",
    ),
    prefixed(
        "doppler-service-account-token",
        "Doppler",
        "Doppler service account token",
        "dp.sa.",
        ALNUM,
        (40, 44),
        severity=H,
    ),
    # 40 to 44 characters after the type (peers' fixtures and the tokens Doppler issues)
    prefixed(
        "doppler-cli-token", "Doppler", "Doppler CLI token", "dp.ct.", ALNUM, (40, 44), severity=H
    ),
    prefixed(
        "doppler-scim-token",
        "Doppler",
        "Doppler SCIM token",
        "dp.scim.",
        ALNUM,
        (40, 44),
        severity=H,
    ),
    prefixed(
        "doppler-audit-token",
        "Doppler",
        "Doppler audit token",
        "dp.audit.",
        ALNUM,
        (40, 44),
        severity=M,
    ),
    prefixed("pulumi-access-token", "Pulumi", "Pulumi access token", "pul-", HEX, 40, severity=H),
    prefixed(
        "infracost-api-key",
        "Infracost",
        "Infracost API key",
        "ico-",
        ALNUM,
        32,
        severity=M,
        # not a file name's extension (``favicon.ico-<hash>.png``) or a path's segment
        prefix_regex=r"ico-(?<![A-Za-z0-9_./-]ico-)",
    ),
    prefixed(
        "openshift-token", "OpenShift", "OpenShift user token", "sha256~", B64URL, 43, severity=H
    ),
    prefixed(
        "oci-auth-token",
        "Oracle Cloud",
        "Oracle Cloud API signing key fingerprint pair",
        "ocid1.user.oc1..",
        LOWER + DIGITS,
        60,
        severity=M,
        keywords=("ocid1.user",),
    ),
    keyed(
        "oracle-cloud-auth-token",
        "Oracle Cloud",
        "Oracle Cloud auth token",
        ("oci_auth_token", "oracle_auth_token"),
        ALNUM + "+:;.()<>[]{}#_-",
        20,
        severity=H,
        entropy=3.5,
    ),
    prefixed(
        "yandex-cloud-api-key",
        "Yandex Cloud",
        "Yandex Cloud API key",
        "AQVN",
        B64URL,
        (35, 38),
        severity=H,
    ),
    prefixed(
        "yandex-cloud-iam-token",
        "Yandex Cloud",
        "Yandex Cloud IAM token",
        "t1.",
        B64URL + ".",
        0,
        severity=H,
        # a long opaque token, or its payload.signature form (86 characters of signature)
        suffix_regex=(
            r"(?:[A-Za-z0-9_.-]{150,250}|[A-Za-z0-9_-]{1,200}={0,2}\.[A-Za-z0-9_-]{86}={0,2})"
        ),
        keywords=("t1.",),
        make_value=lambda r: "t1.9euelZ" + rand(r, B64URL, 180),
    ),
    keyed(
        "yandex-cloud-access-key",
        "Yandex Cloud",
        "Yandex Cloud static access key secret",
        ("yc_secret_key", "yandex_secret_key", "yc_static_secret", "yandex_cloud_secret"),
        B64URL,
        40,
        severity=H,
        value_regex=r"YC[A-Za-z0-9_-]{38}",
        make_value=lambda r: "YC" + rand(r, B64URL, 38),
    ),
    prefixed(
        "huawei-cloud-access-key",
        "Huawei Cloud",
        "Huawei Cloud access key ID",
        "HPUA",
        ALNUM_UPPER,
        16,
        severity=H,
    ),
    prefixed(
        "backblaze-application-key",
        "Backblaze",
        "Backblaze B2 application key",
        "K00",
        B64,
        28,
        severity=H,
        keywords=("k00",),
        make_value=lambda r: "K00" + rand(r, ALNUM, 28),
    ),
    keyed(
        "backblaze-key-id",
        "Backblaze",
        "Backblaze B2 application key ID",
        ("b2_application_key_id", "b2_key_id"),
        HEX,
        25,
        severity=M,
    ),
    keyed(
        "wasabi-secret-key",
        "Wasabi",
        "Wasabi secret key",
        ("wasabi_secret", "wasabi_secret_key"),
        ALNUM_UPPER,
        40,
        severity=H,
    ),
    keyed(
        "cloudinary-api-secret",
        "Cloudinary",
        "Cloudinary API secret",
        ("cloudinary_api_secret", "cloudinary_secret"),
        B64URL,
        27,
        severity=H,
    ),
    custom(
        "cloudinary-url",
        "Cloudinary",
        "Cloudinary URL with API secret",
        r"cloudinary://\d{10,16}:([A-Za-z0-9_-]{27})@[a-z0-9-]{1,64}",
        example=lambda r: (
            f"CLOUDINARY_URL=cloudinary://{rand(r, DIGITS, 15)}:{rand(r, B64URL, 27)}@demo\n"
        ),
        keywords=("cloudinary://",),
        severity=H,
    ),
    keyed(
        "upstash-redis-token",
        "Upstash",
        "Upstash Redis REST token",
        ("upstash_redis_rest_token", "upstash_token"),
        B64URL + "=",
        (60, 90),
        severity=H,
    ),
    keyed(
        "firebase-token",
        "Firebase",
        "Firebase CI token",
        ("firebase_token",),
        B64URL,
        (100, 200),
        severity=H,
        value_regex=r"1//[A-Za-z0-9_-]{80,200}",
        make_value=lambda r: "1//0" + rand(r, B64URL, 100),
    ),
    keyed(
        "gcp-hmac-secret",
        "Google Cloud",
        "Google Cloud Storage HMAC secret",
        ("gcs_hmac_secret", "gcs_secret", "google_storage_secret"),
        B64,
        40,
        severity=H,
    ),
    keyed(
        "oracle-cloud-customer-secret",
        "Oracle Cloud",
        "Oracle Cloud customer secret key",
        ("oci_secret_key", "oracle_secret_access_key"),
        B64,
        44,
        severity=H,
    ),
    keyed(
        "openstack-password",
        "OpenStack",
        "OpenStack password",
        ("os_password", "openstack_password"),
        ALNUM + "!#%&*+-=?@^_",
        (12, 64),
        severity=H,
        entropy=3.0,
    ),
    keyed(
        "rackspace-api-key",
        "Rackspace",
        "Rackspace API key",
        ("rackspace_api_key", "rax_api_key"),
        HEX,
        32,
        severity=H,
    ),
    keyed(
        "hetzner-api-token",
        "Hetzner",
        "Hetzner Cloud API token",
        ("hcloud_token", "hetzner_token", "hetzner_api_token"),
        ALNUM,
        64,
        severity=H,
    ),
    keyed(
        "ovh-application-secret",
        "OVHcloud",
        "OVHcloud application secret",
        ("ovh_application_secret", "ovh_app_secret"),
        ALNUM,
        32,
        severity=H,
    ),
    keyed(
        "exoscale-api-secret",
        "Exoscale",
        "Exoscale API secret",
        ("exoscale_api_secret", "exoscale_secret"),
        B64URL,
        43,
        severity=H,
    ),
    prefixed("exoscale-api-key", "Exoscale", "Exoscale API key", "EXO", HEX, 24, severity=M),
    keyed(
        "civo-api-key",
        "Civo",
        "Civo API key",
        ("civo_token", "civo_api_key"),
        ALNUM,
        50,
        severity=H,
    ),
    keyed(
        "equinix-metal-token",
        "Equinix Metal",
        "Equinix Metal API token",
        ("metal_auth_token", "packet_auth_token", "equinix_token"),
        ALNUM,
        32,
        severity=H,
    ),
    keyed(
        "upcloud-password",
        "UpCloud",
        "UpCloud API password",
        ("upcloud_password",),
        ALNUM + "!#%&*+-=?@^_",
        (16, 64),
        severity=H,
    ),
    prefixed(
        "akamai-client-secret",
        "Akamai",
        "Akamai EdgeGrid client secret",
        "akab-",
        ALNUM_LOWER + "-",
        (30, 40),
        severity=H,
        keywords=("akab-",),
    ),
    keyed(
        "oci-api-key-passphrase",
        "Oracle Cloud",
        "OCI API key passphrase",
        ("oci_cli_passphrase", "oci_key_passphrase"),
        ALNUM + "!#%&*+-=?@^_",
        (12, 64),
        severity=M,
    ),
    prefixed(
        "bitwarden-access-token",
        "Bitwarden",
        "Bitwarden Secrets Manager access token",
        "0.",
        ALNUM,
        0,
        severity=H,
        keywords=("bws", "bitwarden"),
        prefix_regex=r"0\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.",
        suffix_regex=r"[A-Za-z0-9]{30}:[A-Za-z0-9+/]{22}==",
        make_value=lambda r: (
            "0." + _uuid(r) + "." + rand(r, ALNUM, 30) + ":" + rand(r, B64, 22) + "=="
        ),
        var="BWS_ACCESS_TOKEN",
    ),
    prefixed(
        "1password-service-account-token",
        "1Password",
        "1Password service account token",
        "ops_eyJ",
        B64URL + "+/=",
        (250, 1200),
        severity=C,
    ),
    prefixed(
        "1password-secret-key",
        "1Password",
        "1Password account secret key",
        "A3-",
        ALNUM_UPPER,
        0,
        severity=H,
        keywords=("a3-",),
        suffix_regex=r"[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}"
        r"-[A-Z0-9]{5}-[A-Z0-9]{5}",
        make_value=lambda r: "A3-" + "-".join(rand(r, ALNUM_UPPER, n) for n in (6, 11, 5, 5, 5)),
    ),
    prefixed(
        "age-secret-key",
        "age",
        "age encryption secret key",
        "AGE-SECRET-KEY-1",
        "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L",
        58,
        severity=C,
        keywords=("age-secret-key-1",),
    ),
    keyed(
        "gcp-oauth-client-secret-legacy",
        "Google Cloud",
        "Google OAuth client secret (legacy)",
        ("client_secret", "google_client_secret"),
        B64URL,
        24,
        severity=M,
        entropy=3.5,
        key_regex=r"google_client_secret|\"client_secret\"",
        var="google_client_secret",
    ),
    # session 12 (a sixth unseen sample, keyhog's detector specifications): providers with
    # no rule, and credentials in URLs and HTTP headers the keyed rules did not read
    keyed(
        "bing-maps-api-key",
        "Microsoft Bing Maps",
        "Bing Maps API key",
        ("bing_maps_key", "bing_maps_api_key", "bingmapskey", "bing.maps.key", "bingmaps_key"),
        ALNUM + "_-",
        64,
        severity=M,
    ),
    custom(
        "cloudflare-access-client-secret",
        "Cloudflare",
        "Cloudflare Access (Zero Trust) service token client secret",
        r"(?i:cf[-_.]access[-_.]client[-_.]secret)[\"']?[ \t]*[:=]?[ \t]*[\"']?"
        r"([0-9a-fA-F]{64})(?![0-9A-Za-z])",
        example=lambda r: (
            f'curl -H "CF-Access-Client-Secret: {rand(r, HEX, 64)}" https://app.corp\n'
        ),
        fixed=lambda r: (
            'curl -H "CF-Access-Client-Secret: ${CF_ACCESS_CLIENT_SECRET}" https://app.corp\n'
        ),
        keywords=("cf-access-client-secret", "cf_access_client_secret", "cf.access.client.secret"),
        severity=H,
        entropy=3.0,
    ),
    keyed(
        "chroma-auth-token",
        "Chroma",
        "Chroma (vector database) server auth token",
        (
            "chroma_server_authn_credentials",
            "chroma_client_auth_credentials",
            "chroma_auth_token",
            "chroma_api_key",
            "x-chroma-token",
        ),
        ALNUM + "_-.",
        (16, 128),
        severity=H,
        entropy=3.5,
    ),
    custom(
        "alchemy-rpc-url-key",
        "Alchemy",
        "Alchemy API key in an RPC endpoint URL",
        r"https?://[a-z0-9-]+\.(?:g\.alchemy\.com|alchemyapi\.io)/v2/([A-Za-z0-9_-]{32})"
        r"(?![A-Za-z0-9_-])",
        example=lambda r: f"RPC_URL=https://eth-mainnet.g.alchemy.com/v2/{rand(r, B64URL, 32)}\n",
        fixed=lambda r: "RPC_URL=https://eth-mainnet.g.alchemy.com/v2/${ALCHEMY_API_KEY}\n",
        keywords=("alchemy.com", "alchemyapi.io"),
        severity=H,
        entropy=3.5,
    ),
    prefixed(
        "woocommerce-consumer-key",
        "WooCommerce",
        "WooCommerce REST API consumer key",
        "ck_",
        HEX,
        40,
        severity=M,
        keywords=("ck_",),
    ),
    keyed(
        "greynoise-api-key",
        "GreyNoise",
        "GreyNoise API key",
        ("greynoise_api_key", "greynoise_key", "greynoise_token"),
        ALNUM,
        (30, 64),
        severity=M,
        value_regex=r"[A-Za-z0-9]{30,64}",
        make_value=lambda r: rand(r, ALNUM, 40),
        entropy=3.5,
    ),
    custom(
        "worldweatheronline-api-key",
        "World Weather Online",
        "World Weather Online API key in a request URL",
        r"worldweatheronline\.com/[^\s\"'?#]*\?(?:[^\s\"'#]*&)?key=([a-z0-9]{28,32})"
        r"(?![A-Za-z0-9])",
        example=lambda r: (
            "https://api.worldweatheronline.com/premium/v1/weather.ashx?key="
            + rand(r, ALNUM_LOWER, 31)
            + "&q=London\n"
        ),
        fixed=lambda r: (
            "https://api.worldweatheronline.com/premium/v1/weather.ashx?key=${WWO_KEY}&q=London\n"
        ),
        keywords=("worldweatheronline.com",),
        severity=M,
        entropy=3.0,
    ),
    custom(
        "locationiq-access-token",
        "LocationIQ",
        "LocationIQ access token",
        r"(?<![A-Za-z0-9_.])(pk\.[a-f0-9]{32})(?![A-Za-z0-9])",
        example=lambda r: f"LOCATIONIQ_KEY=pk.{rand(r, HEX, 32)}\n",
        fixed=lambda r: "LOCATIONIQ_KEY=${LOCATIONIQ_KEY}\n",
        keywords=("pk.",),
        severity=M,
        entropy=3.0,
    ),
    keyed(
        "smartthings-token",
        "SmartThings",
        "SmartThings personal access token",
        (
            "smartthings_pat",
            "smartthings_token",
            "smartthings_access_token",
            "smartthings_api_token",
        ),
        HEX,
        36,
        severity=H,
        value_regex=UUID_RE,
        make_value=_uuid,
    ),
    keyed(
        "ckan-api-key",
        "CKAN",
        "CKAN (open-data portal) API key",
        ("ckan_api_key", "ckan_key", "ckan_apikey", "ckan_api_token"),
        HEX,
        36,
        severity=M,
        value_regex=UUID_RE,
        make_value=_uuid,
    ),
]


def _s3_compatible_secret_key() -> SecretRule:
    """A secret under the AWS secret-key names in another shape than AWS's 40 characters.

    S3-compatible stores are configured through the AWS names (``~/.aws/credentials``
    profiles, ``AWS_SECRET_ACCESS_KEY``) with secrets of their own lengths: Cloudflare R2 64
    hex, DigitalOcean Spaces 43 base64, IBM COS HMAC 48 hex, MinIO and Ceph whatever their
    operator set. The AWS rule refuses those shapes and, being the names' only shape, keeps
    the generic rules off them, so such a secret was never reported (leaky-repo's
    38-character values, session 15). Exactly 40 characters stays the AWS rule's; a value
    of hex digits alone is one of the hex secrets' lengths (R2 64, IBM COS 48), any other is
    a digest or a fake."""
    return keyed(
        "s3-compatible-secret-key",
        "S3-compatible storage",
        "S3-compatible secret access key (not AWS's 40-character shape)",
        AWS_SECRET_NAMES,
        ALNUM + "/+",
        (20, 100),
        value_regex=(
            r"[0-9a-fA-F]{48}|[0-9a-fA-F]{64}"
            r"|(?![0-9a-fA-F]+(?![A-Za-z0-9/+]))(?:[A-Za-z0-9/+]{20,39}|[A-Za-z0-9/+]{41,100})"
        ),
        make_value=lambda r: rand(r, HEX, 64),
        severity=H,
        entropy=3.5,
        generated=True,
        exclusive=False,
        stem_names=False,
        var="aws_secret_access_key",
    )


RULES.append(_s3_compatible_secret_key())
