"""Live verification against a local fake of each provider (127.0.0.1 only, never the
internet). Fake credentials are built from parts at run time."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipesec.core.model import Finding, Location, Severity
from pipesec.scanners.secrets.verify import (
    Candidate,
    Endpoints,
    Http,
    Session,
    Status,
    all_verifiers,
    apply_result,
    aws,
    lower_unverified,
)
from pipesec.scanners.secrets.verify.base import provider_env

R = random.Random(5)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"


def rnd(charset: str, n: int) -> str:
    return "".join(R.choice(charset) for _ in range(n))


@pytest.fixture(autouse=True)
def _never_the_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every verifier's endpoint defaults to a closed local port in these tests, so a secret
    that no test routes explicitly can never reach a real provider."""
    for v in all_verifiers():
        monkeypatch.setenv(provider_env(v.name), "http://127.0.0.1:9")


# -- a fake provider --------------------------------------------------------------------


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Fake:
    """Answers by (method, path): a function of the request returning (status, body)."""

    routes: dict[tuple[str, str], Callable[[Seen], tuple[int, bytes]]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def fake() -> Iterator[Fake]:
    state = Fake()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            seen = Seen(
                self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
            )
            state.seen.append(seen)
            route = state.routes.get((self.command, urlsplit(self.path).path))
            status, payload = route(seen) if route else (404, b"{}")
            self.send_response(status)
            if status in (301, 302):
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = _serve
        do_POST = _serve

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    t = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    t.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def session_for(fake: Fake, name: str) -> Session:
    return Session(Endpoints(cli={name: fake.url}, environ={}), http=Http(timeout=3))


def bearer(
    expected: str, header: str = "authorization", template: str = "Bearer {}"
) -> Callable[[Seen], tuple[int, bytes]]:
    def answer(seen: Seen) -> tuple[int, bytes]:
        if seen.headers.get(header) == template.format(expected):
            return 200, b'{"login": "octo", "ok": true}'
        return 401, b'{"message": "Bad credentials"}'

    return answer


# -- single-request providers -----------------------------------------------------------

SIMPLE = [
    # (verifier name, provider, token factory, method, path, header, template)
    (
        "github",
        "GitHub",
        lambda: "gh" + "p_" + rnd(ALNUM, 36),
        "GET",
        "/user",
        "authorization",
        "Bearer {}",
    ),
    (
        "gitlab",
        "GitLab",
        lambda: "glpat" + "-" + rnd(ALNUM, 20),
        "GET",
        "/api/v4/personal_access_tokens/self",
        "private-token",
        "{}",
    ),
    (
        "stripe",
        "Stripe",
        lambda: "sk_" + "live_" + rnd(ALNUM, 24),
        "GET",
        "/v1/balance",
        "authorization",
        "Bearer {}",
    ),
    (
        "npm",
        "npm",
        lambda: "npm" + "_" + rnd(ALNUM, 36),
        "GET",
        "/-/whoami",
        "authorization",
        "Bearer {}",
    ),
    (
        "sendgrid",
        "SendGrid",
        lambda: "SG" + "." + rnd(ALNUM, 22) + "." + rnd(ALNUM, 43),
        "GET",
        "/v3/scopes",
        "authorization",
        "Bearer {}",
    ),
    (
        "openai",
        "OpenAI",
        lambda: "sk" + "-proj-" + rnd(ALNUM, 40),
        "GET",
        "/v1/models",
        "authorization",
        "Bearer {}",
    ),
    (
        "anthropic",
        "Anthropic",
        lambda: "sk-" + "ant-api03-" + rnd(ALNUM, 90),
        "GET",
        "/v1/models",
        "x-api-key",
        "{}",
    ),
    (
        "huggingface",
        "Hugging Face",
        lambda: "hf" + "_" + rnd(ALNUM, 34),
        "GET",
        "/api/whoami-v2",
        "authorization",
        "Bearer {}",
    ),
    (
        "mailgun",
        "Mailgun",
        lambda: "key" + "-" + rnd(HEX, 32),
        "GET",
        "/v3/domains",
        "authorization",
        "BASIC",
    ),
    ("datadog", "Datadog", lambda: rnd(HEX, 32), "GET", "/api/v1/validate", "dd-api-key", "{}"),
    (
        "discord",
        "Discord",
        lambda: "M" + rnd(ALNUM, 23) + "." + rnd(ALNUM, 6) + "." + rnd(ALNUM, 27),
        "GET",
        "/api/v10/users/@me",
        "authorization",
        "Bot {}",
    ),
    (
        "digitalocean",
        "DigitalOcean",
        lambda: "dop" + "_v1_" + rnd(HEX, 64),
        "GET",
        "/v2/account",
        "authorization",
        "Bearer {}",
    ),
    (
        "terraform",
        "HashiCorp Terraform Cloud",
        lambda: rnd(ALNUM, 14) + ".atlas" + "v1." + rnd(ALNUM, 67),
        "GET",
        "/api/v2/account/details",
        "authorization",
        "Bearer {}",
    ),
]


@pytest.mark.parametrize("case", SIMPLE, ids=[c[0] for c in SIMPLE])
def test_simple_providers_verified_and_invalid(fake: Fake, case: tuple) -> None:  # type: ignore[type-arg]
    name, provider, make, method, path, header, template = case
    good, bad = make(), make()
    if template == "BASIC":
        import base64

        expected = "Basic " + base64.b64encode(f"api:{good}".encode()).decode()
        fake.routes[(method, path)] = bearer(expected, header, "{}")
    else:
        fake.routes[(method, path)] = bearer(good, header, template)
    s = session_for(fake, name)
    r = s.verify(Candidate(f"secrets/{name}", provider, good))
    assert r is not None and r.provider == name
    assert r.status is Status.VERIFIED, r
    r2 = s.verify(Candidate(f"secrets/{name}", provider, bad))
    assert r2 is not None and r2.status is Status.INVALID
    assert len(fake.seen) == 2
    assert all(good not in (r.detail or "") for r in (r, r2))


def test_slack_ok_false_is_invalid(fake: Fake) -> None:
    good = "xox" + "b-" + rnd("0123456789", 12) + "-" + rnd(ALNUM, 24)

    def answer(seen: Seen) -> tuple[int, bytes]:
        ok = seen.headers.get("authorization") == f"Bearer {good}"
        return 200, json.dumps({"ok": ok, "team": "t", "error": "invalid_auth"}).encode()

    fake.routes[("POST", "/api/auth.test")] = answer
    s = session_for(fake, "slack")
    assert s.verify(Candidate("secrets/slack-bot-token", "Slack", good)).status is Status.VERIFIED  # type: ignore[union-attr]
    bad = "xox" + "b-" + rnd("0123456789", 12) + "-" + rnd(ALNUM, 24)
    assert s.verify(Candidate("secrets/slack-bot-token", "Slack", bad)).status is Status.INVALID  # type: ignore[union-attr]


def test_telegram_token_in_path(fake: Fake) -> None:
    good = rnd("0123456789", 10) + ":" + rnd(ALNUM, 35)
    fake.routes[("GET", f"/bot{good}/getMe")] = lambda s: (200, b'{"ok": true}')
    s = session_for(fake, "telegram")
    assert (
        s.verify(Candidate("secrets/telegram-bot-token", "Telegram", good)).status
        is Status.VERIFIED
    )  # type: ignore[union-attr]
    bad = rnd("0123456789", 10) + ":" + rnd(ALNUM, 35)
    assert (
        s.verify(Candidate("secrets/telegram-bot-token", "Telegram", bad)).status is Status.INVALID
    )  # type: ignore[union-attr]


def test_github_installation_token_403_is_live(fake: Fake) -> None:
    tok = "gh" + "s_" + rnd(ALNUM, 36)
    fake.routes[("GET", "/user")] = lambda s: (
        403,
        b'{"message": "Resource not accessible by integration"}',
    )
    r = session_for(fake, "github").verify(Candidate("secrets/github-app-token", "GitHub", tok))
    assert r is not None and r.status is Status.VERIFIED


def test_server_error_is_unknown(fake: Fake) -> None:
    fake.routes[("GET", "/user")] = lambda s: (503, b"")
    r = session_for(fake, "github").verify(Candidate("x", "GitHub", "gh" + "p_" + rnd(ALNUM, 36)))
    assert r is not None and r.status is Status.UNKNOWN


def test_redirect_is_refused(fake: Fake) -> None:
    fake.routes[("GET", "/user")] = lambda s: (302, b"")
    r = session_for(fake, "github").verify(Candidate("x", "GitHub", "gh" + "p_" + rnd(ALNUM, 36)))
    assert r is not None and r.status is Status.UNKNOWN
    assert len(fake.seen) == 1  # the redirect target was not contacted


# -- paired providers -------------------------------------------------------------------


def test_twilio_pairs_token_with_account_sid(fake: Fake) -> None:
    import base64

    sid = "A" + "C" + rnd(HEX, 32)
    token = rnd(HEX, 32)
    expected = "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode()
    fake.routes[("GET", f"/2010-04-01/Accounts/{sid}.json")] = bearer(
        expected, "authorization", "{}"
    )
    text = f'TWILIO_ACCOUNT_SID = "{sid}"\nTWILIO_AUTH_TOKEN = "{token}"\n'
    s = session_for(fake, "twilio")
    assert (
        s.verify(Candidate("secrets/twilio-auth-token", "Twilio", token, text)).status
        is Status.VERIFIED
    )  # type: ignore[union-attr]
    lone = s.verify(Candidate("secrets/twilio-auth-token", "Twilio", rnd(HEX, 32), "nothing"))
    assert lone is not None and lone.status is Status.UNKNOWN


def test_shopify_needs_shop_domain(fake: Fake) -> None:
    tok = "shp" + "at_" + rnd(HEX, 32)
    fake.routes[("GET", "/admin/oauth/access_scopes.json")] = bearer(
        tok, "x-shopify-access-token", "{}"
    )
    s = session_for(fake, "shopify")
    text = f'shop = "acme-store.myshopify.com"\ntoken = "{tok}"\n'
    assert (
        s.verify(Candidate("secrets/shopify-access-token", "Shopify", tok, text)).status
        is Status.VERIFIED
    )  # type: ignore[union-attr]
    other = "shp" + "at_" + rnd(HEX, 32)
    r = s.verify(Candidate("secrets/shopify-access-token", "Shopify", other, "no domain"))
    assert r is not None and r.status is Status.UNKNOWN


def test_dockerhub_one_login_with_username(fake: Fake) -> None:
    pat = "dckr" + "_pat_" + rnd(ALNUM, 27)

    def answer(seen: Seen) -> tuple[int, bytes]:
        data = json.loads(seen.body)
        ok = data == {"identifier": "builder", "secret": pat}
        return (200, b'{"access_token": "x"}') if ok else (401, b"{}")

    fake.routes[("POST", "/v2/auth/token")] = answer
    s = session_for(fake, "dockerhub")
    text = f"DOCKER_USERNAME=builder\nDOCKER_PASSWORD={pat}\n"
    assert (
        s.verify(Candidate("secrets/dockerhub-pat", "Docker Hub", pat, text)).status
        is Status.VERIFIED
    )  # type: ignore[union-attr]
    assert len(fake.seen) == 1


# -- AWS SigV4 --------------------------------------------------------------------------


def test_sigv4_matches_aws_documented_example() -> None:
    # AWS's SigV4 test suite, "get-vanilla" (documented example credentials)
    headers = aws.sign(
        method="GET",
        host="example.amazonaws.com",
        path="/",
        query={},
        headers={},
        body=b"",
        access_key="AKID" + "EXAMPLE",
        secret_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCY" + "EXAMPLEKEY",
        region="us-east-1",
        service="service",
        now=dt.datetime(2015, 8, 30, 12, 36, 0, tzinfo=dt.UTC),
    )
    assert headers["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    )


def _check_sigv4(seen: Seen, secret: str) -> bool:
    """The fake STS recomputes the signature from what it received."""
    auth = seen.headers["authorization"]
    scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/", 1)[1]
    date_stamp, region, service, _ = scope.split("/")
    signed = auth.split("SignedHeaders=", 1)[1].split(",", 1)[0].split(";")
    canonical_headers = "".join(f"{h}:{' '.join(seen.headers[h].split())}\n" for h in signed)
    creq = "\n".join(
        [
            "POST",
            "/",
            "",
            canonical_headers,
            ";".join(signed),
            hashlib.sha256(seen.body).hexdigest(),
        ]
    )
    sts = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            seen.headers["x-amz-date"],
            scope,
            hashlib.sha256(creq.encode()).hexdigest(),
        ]
    )
    key = aws.signing_key(secret, date_stamp, region, service)
    expected = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    return auth.endswith("Signature=" + expected)


def test_aws_sts_get_caller_identity(fake: Fake) -> None:
    key_id = "AKIA" + rnd("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    secret = rnd(ALNUM + "/+", 40)

    def answer(seen: Seen) -> tuple[int, bytes]:
        assert seen.body == b"Action=GetCallerIdentity&Version=2011-06-15"
        if key_id in seen.headers["authorization"] and _check_sigv4(seen, secret):
            return (
                200,
                b"<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>",
            )
        return (
            403,
            b"<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>",
        )

    fake.routes[("POST", "/")] = answer
    s = session_for(fake, "aws")
    text = f'aws_access_key_id = {key_id}\naws_secret_access_key = "{secret}"\n'
    r = s.verify(Candidate("secrets/aws-access-key-id", "AWS", key_id, text))
    assert r is not None and r.status is Status.VERIFIED
    assert "arn:aws:iam::123456789012:user/ci" in r.detail
    wrong = rnd(ALNUM + "/+", 40)
    text2 = f"aws_access_key_id = {key_id}\naws_secret_access_key = {wrong}\n"
    r2 = s.verify(Candidate("secrets/aws-secret-access-key", "AWS", wrong, text2))
    assert r2 is not None and r2.status is Status.INVALID
    alone = s.verify(Candidate("secrets/aws-access-key-id", "AWS", "AKIA" + rnd("ABCDEFGHIJ", 16)))
    assert alone is not None and alone.status is Status.UNKNOWN


# -- session behaviour ------------------------------------------------------------------


def test_offline_is_unknown_and_quick() -> None:
    with socket.socket() as sock:  # a port on which nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    s = Session(
        Endpoints(cli={"github": f"http://127.0.0.1:{port}"}, environ={}), http=Http(timeout=1)
    )
    r = s.verify(Candidate("x", "GitHub", "gh" + "p_" + rnd(ALNUM, 36)))
    assert r is not None and r.status is Status.UNKNOWN
    assert "not reachable" in r.detail


def test_each_secret_asked_once(fake: Fake) -> None:
    tok = "npm" + "_" + rnd(ALNUM, 36)
    fake.routes[("GET", "/-/whoami")] = bearer(tok)
    s = session_for(fake, "npm")
    for _ in range(3):
        s.verify(Candidate("secrets/npm-token", "npm", tok))
    assert len(fake.seen) == 1


def test_request_limit(fake: Fake) -> None:
    fake.routes[("GET", "/-/whoami")] = lambda s: (401, b"")
    s = Session(Endpoints(cli={"npm": fake.url}, environ={}), http=Http(timeout=3), max_requests=2)
    results = [s.verify(Candidate("n", "npm", "npm" + "_" + rnd(ALNUM, 36))) for _ in range(3)]
    assert [r.status for r in results if r] == [Status.INVALID, Status.INVALID, Status.UNKNOWN]
    assert len(fake.seen) == 2


def test_generic_values_are_never_sent() -> None:
    s = Session(Endpoints(environ={}))
    for provider, value in [
        ("Generic", "hunter2hunter2"),
        ("Generic", rnd(HEX, 32)),  # 32 hex without a Datadog/Mailgun provider
        ("GitHub", "not-a-token"),
        ("Password in URL", "sk" + "-" + rnd(ALNUM, 30)),  # OpenAI shape, other provider
    ]:
        assert s.verifier_for(Candidate("secrets/generic", provider, value)) is None


def test_endpoint_overrides_env_and_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(provider_env("github"), "http://127.0.0.1:1/")
    assert Endpoints().get("github", "https://api.github.com") == "http://127.0.0.1:1"
    e = Endpoints.from_inputs(["github=http://127.0.0.1:2"])
    assert e.get("github", "https://api.github.com") == "http://127.0.0.1:2"
    assert Endpoints(environ={}).get("gitlab", "https://gitlab.com") == "https://gitlab.com"
    with pytest.raises(ValueError):
        Endpoints.from_inputs(["github"])
    with pytest.raises(ValueError):
        Endpoints.from_inputs(["github=file:///etc/passwd"])


def test_at_least_15_verifiers_each_documented() -> None:
    vs = all_verifiers()
    assert len({v.name for v in vs}) >= 15
    for v in vs:
        assert v.doc.startswith("https://"), v.name
        assert v.default_endpoint.startswith("https://"), v.name


def _finding(sev: Severity = Severity.HIGH) -> Finding:
    return Finding("secrets/x", "secrets", "t", "m", sev, Location("a", 1), identity="hmac:1")


def test_apply_result_and_fail_only_verified() -> None:
    from pipesec.scanners.secrets.verify import Result

    verified = apply_result(_finding(), Result(Status.VERIFIED, "github", "live"))
    assert verified.severity is Severity.CRITICAL
    assert verified.properties["verification"]["status"] == "verified"
    invalid = apply_result(_finding(), Result(Status.INVALID, "github"))
    assert invalid.severity is Severity.HIGH
    assert lower_unverified(verified).severity is Severity.CRITICAL
    lowered = lower_unverified(invalid)
    assert lowered.severity is Severity.INFO
    assert lowered.properties["severity-before-verification"] == "high"
    assert lower_unverified(_finding()).properties["verification"]["status"] == "not-verifiable"


# -- end to end: pipesec scan --verify ----------------------------------------------------


def _example(rule_id: str) -> tuple[str, str]:
    from pipesec.scanners.secrets import engine_for
    from pipesec.scanners.secrets.rules import all_rules

    rule = next(r for r in all_rules() if r.id == rule_id)
    assert rule.example is not None
    text = rule.example()
    (m,) = [m for m in engine_for(use_hyperscan=False).scan_text(text) if m.rule.id == rule_id]
    return text, m.value


def no_hyperscan(root: Path, extra: str = "") -> None:
    """Unit tests use the pure-Python engine path (no Hyperscan database compile per test)."""
    (root / ".pipesec.toml").write_text("[scanners.secrets]\nuse-hyperscan = false\n" + extra)


def _cli(*args: str) -> tuple[int, str, str]:
    from typer.testing import CliRunner

    from pipesec.cli.main import app

    result = CliRunner().invoke(app, [*args, "--no-step-summary", "-f", "json"])
    return result.exit_code, result.stdout, result.stderr


def test_cli_verify_marks_live_secret_critical(fake: Fake, tmp_path: Path) -> None:
    gh_text, gh = _example("secrets/github-pat")
    npm_text, _ = _example("secrets/npm-access-token")
    (tmp_path / "settings.py").write_text(gh_text + npm_text)
    no_hyperscan(tmp_path)
    fake.routes[("GET", "/user")] = bearer(gh)
    fake.routes[("GET", "/-/whoami")] = lambda s: (401, b"{}")
    code, out, err = _cli(
        "scan",
        str(tmp_path),
        "-s",
        "secrets",
        "--verify",
        "--verify-endpoint",
        f"github={fake.url}",
        "--verify-endpoint",
        f"npm={fake.url}",
    )
    assert "--verify" in err and "providers" in err  # the network notice
    doc = json.loads(out)
    by_rule = {f["rule_id"]: f for f in doc["findings"]}
    assert by_rule["secrets/github-pat"]["severity"] == "critical"
    assert by_rule["secrets/github-pat"]["properties"]["verification"]["status"] == "verified"
    assert by_rule["secrets/npm-access-token"]["properties"]["verification"]["status"] == "invalid"
    assert code == 1
    assert len(fake.seen) == 2


def test_cli_fail_only_verified(fake: Fake, tmp_path: Path) -> None:
    npm_text, _ = _example("secrets/npm-access-token")
    (tmp_path / "settings.py").write_text(npm_text)
    no_hyperscan(tmp_path, "fail-only-verified = true\n")
    fake.routes[("GET", "/-/whoami")] = lambda s: (401, b"{}")
    code, out, _ = _cli(
        "scan", str(tmp_path), "-s", "secrets", "--verify", "--verify-endpoint", f"npm={fake.url}"
    )
    doc = json.loads(out)
    (f,) = doc["findings"]
    assert f["severity"] == "info" and f["properties"]["severity-before-verification"] != "info"
    assert code == 0
    # without --verify the option changes nothing (a note says so): the gate still fails
    code, out, _ = _cli("scan", str(tmp_path), "-s", "secrets")
    assert code == 1 and json.loads(out)["summary"]["notes"] >= 1


def test_repository_config_cannot_set_endpoints(tmp_path: Path) -> None:
    (tmp_path / ".pipesec.toml").write_text(
        '[scanners.secrets]\nverify-endpoint = ["github=http://attacker.invalid"]\n'
    )
    code, _, err = _cli("scan", str(tmp_path), "-s", "secrets", "--verify")
    assert code == 2 and "verify-endpoint" in err


def test_cli_verify_env_override_and_usage(
    fake: Fake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gh_text, gh = _example("secrets/github-pat")
    (tmp_path / "a.py").write_text(gh_text)
    no_hyperscan(tmp_path)
    fake.routes[("GET", "/user")] = bearer(gh)
    monkeypatch.setenv(provider_env("github"), fake.url)
    code, out, _ = _cli("scan", str(tmp_path), "-s", "secrets", "--verify")
    assert json.loads(out)["findings"][0]["severity"] == "critical"
    code, _, err = _cli("scan", str(tmp_path), "--verify-endpoint", f"github={fake.url}")
    assert code == 2 and "--verify" in err


def test_verifiers_cover_built_in_rules_and_only_their_provider() -> None:
    """Every verifier handles at least one built-in rule's generated example; a credential is
    only ever offered to its own provider (Paystack's sk_live_ keys never go to Stripe), and
    kinds an endpoint would reject (refresh tokens, signing keys, admin keys) are not sent."""
    from pipesec.scanners.secrets import engine_for
    from pipesec.scanners.secrets.rules import all_rules

    keywords = {
        "aws": ("aws", "amazon"),
        "dockerhub": ("docker",),
        "huggingface": ("hugging",),
        "terraform": ("terraform", "hashicorp"),
    }
    engine = engine_for(use_hyperscan=False)
    s = Session(Endpoints(environ={}))
    covered: dict[str, list[str]] = {}
    for rule in all_rules():
        if rule.example is None:
            continue
        text = rule.example()
        # (every rule's reading: a rule whose span another reports still has its verifier)
        for m in engine.every_reading().scan_text(text):
            if m.rule.id != rule.id:
                continue
            c = Candidate(rule.id, rule.provider, m.value, text)
            v = s.verifier_for(c)
            if v is None:
                continue
            covered.setdefault(v.name, []).append(rule.id)
            assert any(k in c.provider_key for k in keywords.get(v.name, (v.name,))), (
                v.name,
                rule.id,
            )
            assert not any(k in rule.id for k in ("refresh", "signing", "admin")), (v.name, rule.id)
    assert set(covered) == {v.name for v in all_verifiers()}, covered


def test_cli_history_with_verify(fake: Fake, tmp_path: Path) -> None:
    import subprocess

    gh_text, gh = _example("secrets/github-pat")
    repo = tmp_path / "repo"
    repo.mkdir()
    for args in (["init", "-q"], ["config", "commit.gpgsign", "false"]):
        subprocess.run(["git", *args], cwd=repo, check=True)
    (repo / "ci.sh").write_text(gh_text)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "add"], cwd=repo, check=True)
    (repo / "ci.sh").write_text("echo clean\n")
    subprocess.run(["git", "commit", "-q", "-am", "remove"], cwd=repo, check=True)
    no_hyperscan(repo)
    fake.routes[("GET", "/user")] = bearer(gh)
    code, out, _ = _cli(
        "scan",
        str(repo),
        "-s",
        "secrets",
        "--history",
        "--verify",
        "--verify-endpoint",
        f"github={fake.url}",
    )
    (f,) = json.loads(out)["findings"]
    assert f["location"]["commit"] and f["severity"] == "critical"
    assert f["properties"]["verification"]["status"] == "verified"
    assert code == 1


def test_stdin_verifies_aws_pair_from_the_log(fake: Fake) -> None:
    import io

    from pipesec.core.scanner import ScannerSettings
    from pipesec.scanners.secrets import engine_for
    from pipesec.scanners.secrets.gitleaks import GitleaksCompat
    from pipesec.scanners.secrets.modes import Extras, scan_stdin

    key_id = "AKIA" + rnd("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    secret = rnd(ALNUM + "/+", 40)
    fake.routes[("POST", "/")] = lambda seen: (
        (200, b"<Arn>arn:aws:iam::111122223333:user/ci</Arn>")
        if _check_sigv4(seen, secret)
        else (403, b"<Code>SignatureDoesNotMatch</Code>")
    )
    log = (
        "+ aws configure list\n" * 20
        + f"+ export AWS_ACCESS_KEY_ID={key_id}\n+ export AWS_SECRET_ACCESS_KEY={secret}\n"
    )
    settings = ScannerSettings(
        fingerprint_key=b"k", network=True, inputs={"verify-endpoint": [f"aws={fake.url}"]}
    )
    extras = Extras(GitleaksCompat(), settings)
    found = list(
        scan_stdin(engine_for(use_hyperscan=False), extras, settings, io.BytesIO(log.encode()))
    )
    findings = [extras.finish(f, False) for f in found if isinstance(f, Finding)]
    statuses = {
        f.rule_id: f.properties["verification"]["status"]
        for f in findings
        if "verification" in f.properties
    }
    assert statuses.get("secrets/aws-access-key-id") == "verified", statuses


def test_aws_temporary_credentials_send_the_session_token(fake: Fake) -> None:
    key_id = "ASIA" + rnd("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    secret = rnd(ALNUM + "/+", 40)
    token = rnd(ALNUM + "/+", 300)

    def answer(seen: Seen) -> tuple[int, bytes]:
        signed = seen.headers["authorization"].split("SignedHeaders=", 1)[1].split(",", 1)[0]
        if (
            seen.headers.get("x-amz-security-token") != token
            or "x-amz-security-token" not in signed
        ):
            return 403, b"<Code>InvalidClientTokenId</Code>"
        if not _check_sigv4(seen, secret):
            return 403, b"<Code>SignatureDoesNotMatch</Code>"
        return 200, b"<Arn>arn:aws:sts::111122223333:assumed-role/ci/session</Arn>"

    fake.routes[("POST", "/")] = answer
    s = session_for(fake, "aws")
    text = (
        f"AWS_ACCESS_KEY_ID={key_id}\nAWS_SECRET_ACCESS_KEY={secret}\nAWS_SESSION_TOKEN={token}\n"
    )
    r = s.verify(Candidate("secrets/aws-temporary-access-key-id", "AWS", key_id, text))
    assert r is not None and r.status is Status.VERIFIED, r
    no_token = text.rsplit("AWS_SESSION_TOKEN", 1)[0]
    other = "ASIA" + rnd("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    r2 = s.verify(
        Candidate(
            "secrets/aws-temporary-access-key-id", "AWS", other, no_token.replace(key_id, other)
        )
    )
    assert r2 is not None and r2.status is Status.UNKNOWN and "session token" in r2.detail


def test_cli_malformed_endpoint_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = _cli(
        "scan", str(tmp_path), "-s", "secrets", "--verify", "--verify-endpoint", "github"
    )
    assert code == 2 and "PROVIDER=URL" in err
    code, _, err = _cli(
        "scan", str(tmp_path), "-s", "secrets", "--verify", "--verify-endpoint", "github=ftp://x"
    )
    assert code == 2 and "http" in err


def test_secret_never_in_verbose_logs(fake: Fake, tmp_path: Path) -> None:
    gh_text, gh = _example("secrets/github-pat")
    (tmp_path / "a.py").write_text(gh_text)
    no_hyperscan(tmp_path)
    fake.routes[("GET", "/user")] = lambda s: (500, gh.encode())  # even echoed back
    code, out, err = _cli(
        "scan",
        str(tmp_path),
        "-s",
        "secrets",
        "--verify",
        "-v",
        "--verify-endpoint",
        f"github={fake.url}",
    )
    doc = json.loads(out)
    (f,) = doc["findings"]
    assert f["properties"]["verification"]["status"] == "unknown"
    assert gh not in err and gh not in json.dumps(doc["findings"])
    assert code == 1
