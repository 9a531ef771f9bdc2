"""Verifiers for single-request providers. Each one names the documentation it follows,
sends the credential only when the value has that provider's documented shape (so a
generic password is never sent anywhere), makes one read-only request, and maps the
documented answers to verified / invalid / unknown.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pipesec.scanners.secrets.verify.base import Candidate, Http, Result, Status, by_status


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


@dataclass(frozen=True)
class TokenGet:
    """One GET (or POST) with the token in a header; 200 = live, ``bad`` = rejected."""

    name: str
    doc: str
    default_endpoint: str
    path: str
    shape: re.Pattern[str]
    providers: tuple[str, ...]
    header: str = "Authorization"
    template: str = "Bearer {token}"
    method: str = "GET"
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    ok: Sequence[int] = (200,)
    bad: Sequence[int] = (401,)
    #: rule ids containing one of these are never sent (credentials of another kind that
    #: this endpoint would reject, e.g. refresh tokens or signing keys: "invalid" would lie)
    exclude_rules: tuple[str, ...] = ()

    def accepts(self, c: Candidate) -> bool:
        """Both the rule's provider and the value's documented shape must match: prefixes
        are shared between providers (Stripe's ``sk_live_`` is also Paystack's and Clerk's)
        and a credential must never be sent to another provider."""
        if any(x in c.rule_id for x in self.exclude_rules):
            return False
        return bool(self.shape.match(c.value)) and any(p in c.provider_key for p in self.providers)

    def verify(self, c: Candidate, base: str, http: Http) -> Result:
        headers = {self.header: self.template.format(token=c.value), **self.extra_headers}
        body = b"" if self.method == "POST" else None
        resp = http(self.method, base + self.path, headers=headers, body=body)
        return by_status(self.name, resp, ok=self.ok, bad=self.bad)


class GitHubVerifier(TokenGet):
    def verify(self, c: Candidate, base: str, http: Http) -> Result:
        resp = http(
            "GET",
            base + self.path,
            headers={
                "Authorization": f"Bearer {c.value}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
            },
        )
        if resp.status == 200:
            data = resp.json()
            login = data.get("login") if isinstance(data, dict) else None
            return Result(Status.VERIFIED, self.name, f"live token of {login}" if login else "")
        if resp.status == 403 and b"not accessible by integration" in resp.body:
            # an installation token: authenticated, just not allowed to read /user
            return Result(Status.VERIFIED, self.name, "live GitHub App installation token")
        return by_status(self.name, resp)


class SlackVerifier(TokenGet):
    """auth.test answers 200 with ``{"ok": false, "error": ...}`` for bad tokens."""

    def verify(self, c: Candidate, base: str, http: Http) -> Result:
        resp = http(
            "POST",
            base + self.path,
            headers={
                "Authorization": f"Bearer {c.value}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body=b"",
        )
        data = resp.json() if resp.status == 200 else None
        if not isinstance(data, dict):
            return by_status(self.name, resp, ok=())
        if data.get("ok") is True:
            team = data.get("team")
            return Result(Status.VERIFIED, self.name, f"live token of team {team}" if team else "")
        error = str(data.get("error", ""))
        if error in (
            "invalid_auth",
            "not_authed",
            "token_revoked",
            "account_inactive",
            "token_expired",
        ):
            return Result(Status.INVALID, self.name, f"Slack says {error}")
        return Result(Status.UNKNOWN, self.name, f"Slack says {error or 'not ok'}")


class TelegramVerifier(TokenGet):
    """getMe carries the token in the URL path, as the Bot API documents."""

    def verify(self, c: Candidate, base: str, http: Http) -> Result:
        resp = http("GET", f"{base}/bot{c.value}/getMe")
        return by_status(self.name, resp, bad=(401, 404))


class StripeVerifier(TokenGet):
    """A restricted key without the balance permission answers 403: it exists, so live."""

    def verify(self, c: Candidate, base: str, http: Http) -> Result:
        resp = http("GET", base + self.path, headers={"Authorization": f"Bearer {c.value}"})
        if resp.status == 403:
            return Result(Status.VERIFIED, self.name, "live restricted key (HTTP 403)")
        return by_status(self.name, resp)


# -- providers whose credential needs a second part from the same file ------------------

_TWILIO_SID = re.compile(r"(?<![A-Za-z0-9])(AC[0-9a-f]{32})(?![A-Za-z0-9])")
_TWILIO_SECRET = re.compile(
    r"(?i)secret[^\n]{0,30}?(?<![A-Za-z0-9])([A-Za-z0-9]{32})(?![A-Za-z0-9])"
)


class TwilioVerifier:
    name = "twilio"
    doc = "https://www.twilio.com/docs/iam/api/account#fetch-an-account-resource"
    default_endpoint = "https://api.twilio.com"
    _key = re.compile(r"^SK[0-9a-fA-F]{32}$")
    _token = re.compile(r"^[0-9a-f]{32}$")

    def accepts(self, c: Candidate) -> bool:
        if "twilio" not in c.provider_key:
            return False
        return bool(self._key.match(c.value) or self._token.match(c.value))

    def verify(self, c: Candidate, base: str, http: Http) -> Result:
        sids = list(dict.fromkeys(m.group(1) for m in _TWILIO_SID.finditer(c.text)))
        if self._key.match(c.value):
            # API key: key SID as user, its secret as password (Twilio's documented auth)
            secrets = [m.group(1) for m in _TWILIO_SECRET.finditer(c.text)]
            if not secrets:
                return Result(Status.UNKNOWN, self.name, "API key secret not in the file")
            user, password = c.value, secrets[0]
            url = f"{base}/2010-04-01/Accounts.json"
        else:
            if not sids:
                return Result(Status.UNKNOWN, self.name, "Account SID not in the file")
            user, password = sids[0], c.value
            url = f"{base}/2010-04-01/Accounts/{sids[0]}.json"
        resp = http("GET", url, headers={"Authorization": _basic(user, password)})
        return by_status(self.name, resp)


_SHOP = re.compile(r"(?<![A-Za-z0-9-])([a-z0-9][a-z0-9-]{0,60})\.myshopify\.com", re.IGNORECASE)


class ShopifyVerifier:
    name = "shopify"
    doc = "https://shopify.dev/docs/api/admin-rest/latest/resources/accessscope"
    default_endpoint = "https://{shop}.myshopify.com"
    _shape = re.compile(r"^shp(?:at|ca|pa)_[a-fA-F0-9]{32}$")

    def accepts(self, c: Candidate) -> bool:
        return "shopify" in c.provider_key and bool(self._shape.match(c.value))

    def verify(self, c: Candidate, base: str, http: Http) -> Result:
        m = _SHOP.search(c.text)
        if m is None:
            return Result(Status.UNKNOWN, self.name, "shop domain (*.myshopify.com) not in file")
        shop = m.group(1).lower()
        url = base.replace("{shop}", shop) + "/admin/oauth/access_scopes.json"
        resp = http("GET", url, headers={"X-Shopify-Access-Token": c.value})
        return by_status(self.name, resp, bad=(401, 403))


_DOCKER_USER = re.compile(
    r"(?i)(?:docker[_-]?(?:hub)?[_-]?)?(?:user(?:name)?|login)[\"']?\s*[:=]\s*[\"']?"
    r"([a-z0-9][a-z0-9_.-]{2,29})(?![a-z0-9_.-])"
)


class DockerHubVerifier:
    """A personal access token needs its user name; one login attempt, never more."""

    name = "dockerhub"
    doc = "https://docs.docker.com/reference/api/hub/latest/#tag/authentication-api"
    default_endpoint = "https://hub.docker.com"
    _shape = re.compile(r"^dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,}$")

    def accepts(self, c: Candidate) -> bool:
        return "docker" in c.provider_key and bool(self._shape.match(c.value))

    def verify(self, c: Candidate, base: str, http: Http) -> Result:
        m = _DOCKER_USER.search(c.text)
        if m is None:
            return Result(Status.UNKNOWN, self.name, "Docker Hub user name not in the file")
        body = json.dumps({"identifier": m.group(1), "secret": c.value}).encode()
        resp = http(
            "POST",
            base + "/v2/auth/token",
            headers={"Content-Type": "application/json"},
            body=body,
        )
        return by_status(self.name, resp)


class MailgunVerifier(TokenGet):
    """HTTP basic auth with the user ``api`` and the key as password, as Mailgun documents."""

    def verify(self, c: Candidate, base: str, http: Http) -> Result:
        resp = http("GET", base + self.path, headers={"Authorization": _basic("api", c.value)})
        return by_status(self.name, resp, bad=(401, 403))


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


VERIFIERS_SINGLE: tuple[TokenGet, ...] = (
    GitHubVerifier(
        name="github",
        doc="https://docs.github.com/en/rest/users/users#get-the-authenticated-user",
        default_endpoint="https://api.github.com",
        path="/user",
        shape=_re(r"^(?:gh[pous]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{50,255})$"),
        providers=("github",),
    ),
    TokenGet(
        name="gitlab",
        doc="https://docs.gitlab.com/api/personal_access_tokens/#self-inform",
        default_endpoint="https://gitlab.com",
        path="/api/v4/personal_access_tokens/self",
        shape=_re(r"^glpat-[A-Za-z0-9_.-]{20,}$"),
        providers=("gitlab",),
        header="PRIVATE-TOKEN",
        template="{token}",
    ),
    SlackVerifier(
        name="slack",
        doc="https://api.slack.com/methods/auth.test",
        default_endpoint="https://slack.com",
        path="/api/auth.test",
        shape=_re(r"^xox[abposr]-[0-9A-Za-z-]{10,}$"),
        providers=("slack",),
    ),
    StripeVerifier(
        name="stripe",
        doc="https://docs.stripe.com/api/authentication",
        default_endpoint="https://api.stripe.com",
        path="/v1/balance",
        shape=_re(r"^(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,247}$"),
        providers=("stripe",),
    ),
    TokenGet(
        name="npm",
        doc="https://github.com/npm/registry/blob/main/docs/user/authentication.md",
        default_endpoint="https://registry.npmjs.org",
        path="/-/whoami",
        shape=_re(r"^npm_[A-Za-z0-9]{36}$"),
        providers=("npm",),
    ),
    TokenGet(
        name="sendgrid",
        doc="https://www.twilio.com/docs/sendgrid/api-reference/api-key-permissions/"
        "retrieve-a-list-of-scopes-for-which-this-user-has-access",
        default_endpoint="https://api.sendgrid.com",
        path="/v3/scopes",
        shape=_re(r"^SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}$"),
        providers=("sendgrid",),
        bad=(401, 403),
    ),
    TokenGet(
        name="openai",
        doc="https://platform.openai.com/docs/api-reference/models/list",
        default_endpoint="https://api.openai.com",
        path="/v1/models",
        shape=_re(r"^sk-(?!ant-)[A-Za-z0-9_-]{20,200}$"),
        providers=("openai",),
    ),
    TokenGet(
        name="anthropic",
        doc="https://docs.anthropic.com/en/api/models-list",
        default_endpoint="https://api.anthropic.com",
        path="/v1/models",
        shape=_re(r"^sk-ant-api[0-9]{2}-[A-Za-z0-9_-]{20,200}$"),  # admin keys: other API
        providers=("anthropic",),
        header="x-api-key",
        template="{token}",
        extra_headers={"anthropic-version": "2023-06-01"},
    ),
    TokenGet(
        name="huggingface",
        doc="https://huggingface.co/docs/huggingface_hub/package_reference/hf_api#huggingface_hub.HfApi.whoami",
        default_endpoint="https://huggingface.co",
        path="/api/whoami-v2",
        shape=_re(r"^(?:hf_|api_org_)[A-Za-z0-9]{30,40}$"),
        providers=("hugging",),
    ),
    MailgunVerifier(
        name="mailgun",
        doc="https://documentation.mailgun.com/docs/mailgun/api-reference/openapi-final/tag/Domains/",
        default_endpoint="https://api.mailgun.net",
        path="/v3/domains",
        shape=_re(r"^(?:key-[0-9a-z]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})$"),
        providers=("mailgun",),
        exclude_rules=("signing", "webhook"),
    ),
    TokenGet(
        name="datadog",
        doc="https://docs.datadoghq.com/api/latest/authentication/#validate-api-key",
        default_endpoint="https://api.datadoghq.com",
        path="/api/v1/validate",
        shape=_re(r"^[0-9a-f]{32}$"),
        providers=("datadog",),
        header="DD-API-KEY",
        template="{token}",
        bad=(401, 403),
    ),
    TelegramVerifier(
        name="telegram",
        doc="https://core.telegram.org/bots/api#getme",
        default_endpoint="https://api.telegram.org",
        path="",
        shape=_re(r"^[0-9]{5,16}:[A-Za-z0-9_-]{35}$"),
        providers=("telegram",),
    ),
    TokenGet(
        name="discord",
        doc="https://discord.com/developers/docs/resources/user#get-current-user",
        default_endpoint="https://discord.com",
        path="/api/v10/users/@me",
        shape=_re(r"^[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}$"),
        providers=("discord",),
        template="Bot {token}",
    ),
    TokenGet(
        name="digitalocean",
        doc="https://docs.digitalocean.com/reference/api/digitalocean/#tag/Account",
        default_endpoint="https://api.digitalocean.com",
        path="/v2/account",
        shape=_re(r"^do[op]_v1_[a-f0-9]{64}$"),  # not refresh tokens (dor_)
        providers=("digitalocean",),
    ),
    TokenGet(
        name="terraform",
        doc="https://developer.hashicorp.com/terraform/cloud-docs/api-docs/account",
        default_endpoint="https://app.terraform.io",
        path="/api/v2/account/details",
        shape=_re(r"^[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}$"),
        providers=("terraform", "hashicorp"),
        extra_headers={"Content-Type": "application/vnd.api+json"},
    ),
)


SINGLE = VERIFIERS_SINGLE
PAIRED = (TwilioVerifier(), ShopifyVerifier(), DockerHubVerifier())
