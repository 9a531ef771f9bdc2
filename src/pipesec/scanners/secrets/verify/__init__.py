"""Opt-in live verification (``pipesec scan --verify``): the only network use of a scan.

For each secret whose provider has a verifier (AWS, GitHub, GitLab, Slack, Stripe, npm,
Docker Hub, SendGrid, Twilio, OpenAI, Anthropic, Hugging Face, Mailgun, Datadog, Shopify,
Telegram, Discord, DigitalOcean, Terraform Cloud), ask the provider, with one read-only
request as its documentation describes, whether the credential is live:

- ``verified``: the provider accepted it. The finding becomes critical and carries
  ``properties["verification"]``.
- ``invalid``: the provider rejected it (revoked, expired, never valid).
- ``unknown``: no clear answer (network error, timeout, an unexpected status, the other half
  of a key pair not found). Never treated as invalid.

Each distinct secret is checked at most once per scan; requests have a short timeout
(``PIPESEC_VERIFY_TIMEOUT``, default 5 s) and are never retried, so verification cannot
lock an account. At most ``MAX_REQUESTS`` requests are made per scan. Endpoints can be
overridden only from the command line or the environment (see :mod:`.base`).

``fail-only-verified = true`` in ``[scanners.secrets]`` (with ``--verify``) makes the gate
fail only on verified secrets: every other secret finding is lowered to ``info`` (its
original severity stays in ``properties["severity-before-verification"]``), so it is still
reported but does not fail a gate set at ``low`` or above. Without ``--verify`` the option
changes nothing (a Note says so): nothing would be verified, and lowering everything would
silently open the gate.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import replace

from pipesec.core.model import Finding, Severity
from pipesec.core.redact import redact_values
from pipesec.scanners.secrets.verify.aws import AwsVerifier
from pipesec.scanners.secrets.verify.base import (
    DEFAULT_TIMEOUT,
    TIMEOUT_ENV,
    Candidate,
    Endpoints,
    Http,
    Result,
    Status,
    Unreachable,
    Verifier,
)
from pipesec.scanners.secrets.verify.providers import PAIRED, SINGLE

log = logging.getLogger(__name__)

NOTICE = (
    "pipesec: --verify: candidate secrets are sent to their providers' APIs (AWS, GitHub, "
    "GitLab, Slack, Stripe, ...) to check whether they are live; nothing else in the scan "
    "uses the network"
)
MAX_REQUESTS = 500
#: the input name the CLI uses for --verify-endpoint values
ENDPOINT_INPUT = "verify-endpoint"


def all_verifiers() -> tuple[Verifier, ...]:
    return (AwsVerifier(), *SINGLE, *PAIRED)


def timeout_from_env() -> float:
    raw = os.environ.get(TIMEOUT_ENV, "")
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT
    return min(max(value, 0.1), 30.0)


class Session:
    """Verifies secrets for one scan; thread-safe; each distinct secret is asked once."""

    def __init__(
        self,
        endpoints: Endpoints | None = None,
        *,
        http: Http | None = None,
        verifiers: Sequence[Verifier] | None = None,
        max_requests: int = MAX_REQUESTS,
    ) -> None:
        self.endpoints = endpoints or Endpoints()
        self.http = http or Http(timeout=timeout_from_env())
        self.verifiers = tuple(verifiers) if verifiers is not None else all_verifiers()
        self.max_requests = max_requests
        self.requests = 0
        self._cache: dict[str, Result] = {}
        self._lock = threading.Lock()

    def verifier_for(self, c: Candidate) -> Verifier | None:
        for v in self.verifiers:
            try:
                if v.accepts(c):
                    return v
            except Exception as exc:  # a verifier bug must not stop a scan
                # the type only: an exception's text could hold the value
                log.debug("verifier %s.accepts raised %s", v.name, type(exc).__name__)
        return None

    def verify(self, c: Candidate) -> Result | None:
        """The provider's answer for ``c``, or None when no verifier handles it."""
        v = self.verifier_for(c)
        if v is None:
            return None
        key = hashlib.sha256(f"{v.name}\0{c.value}".encode("utf-8", "surrogatepass")).hexdigest()
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                return cached
            if self.requests >= self.max_requests:
                return Result(Status.UNKNOWN, v.name, "verification limit for this scan reached")
            self.requests += 1
        base = self.endpoints.get(v.name, v.default_endpoint)
        try:
            result = v.verify(c, base, self.http)
        except Unreachable as exc:
            result = Result(Status.UNKNOWN, v.name, f"provider not reachable ({exc})")
        except Exception as exc:  # never let a verifier crash the scan
            log.debug("verifier %s raised %s", v.name, type(exc).__name__)  # never its text
            result = Result(Status.UNKNOWN, v.name, f"verification failed: {type(exc).__name__}")
        # belt and braces: a detail must never carry the secret
        result = replace(result, detail=redact_values(result.detail, [c.value])[:300])
        log.debug("verification %s: %s", v.name, result.status.value)
        with self._lock:
            self._cache[key] = result
        return result


def apply_result(finding: Finding, result: Result | None) -> Finding:
    """Attach a verification result; a verified secret becomes critical."""
    if result is None:
        return finding
    props = {**finding.properties, "verification": result.as_property()}
    severity = Severity.CRITICAL if result.status is Status.VERIFIED else finding.severity
    message = finding.message
    if result.status is Status.VERIFIED:
        message = f"{message} - VERIFIED LIVE by {result.provider}"
    return replace(finding, severity=severity, properties=props, message=message)


def lower_unverified(finding: Finding) -> Finding:
    """``fail-only-verified``: anything not verified live is lowered to info."""
    ver = finding.properties.get("verification")
    if isinstance(ver, dict) and ver.get("status") == Status.VERIFIED.value:
        return finding
    if finding.severity is Severity.INFO:
        return finding
    props = {**finding.properties, "severity-before-verification": finding.severity.value}
    if not isinstance(ver, dict):
        props["verification"] = {"status": "not-verifiable", "provider": ""}
    return replace(finding, severity=Severity.INFO, properties=props)


__all__ = [
    "ENDPOINT_INPUT",
    "NOTICE",
    "Candidate",
    "Endpoints",
    "Http",
    "Result",
    "Session",
    "Status",
    "all_verifiers",
    "apply_result",
    "lower_unverified",
]
