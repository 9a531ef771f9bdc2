"""What every verifier shares: the result type, the candidate it sees, endpoint overrides.

Endpoints are overridable ONLY from the command line (``--verify-endpoint
PROVIDER=URL``, reaching the scanner as ``settings.inputs["verify-endpoint"]``) or the
environment (``PIPESEC_VERIFY_ENDPOINT_<PROVIDER>``), never from a repository's
configuration: a pull request must not be able to send the secrets it finds to its own
host. Without an override the provider's documented HTTPS endpoint is used.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from pipesec.scanners.secrets.verify.http import Response, Unreachable, request

ENV_PREFIX = "PIPESEC_VERIFY_ENDPOINT_"
TIMEOUT_ENV = "PIPESEC_VERIFY_TIMEOUT"
DEFAULT_TIMEOUT = 5.0


class Status(enum.StrEnum):
    VERIFIED = "verified"
    INVALID = "invalid"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Result:
    status: Status
    provider: str
    #: why, in words; never holds the secret (identities such as an account id may appear)
    detail: str = ""

    def as_property(self) -> dict[str, str]:
        out = {"status": self.status.value, "provider": self.provider}
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(frozen=True, slots=True)
class Candidate:
    """A secret to verify, with the other secrets and the text of the file it was found in
    (providers whose credentials come in pairs need the other half)."""

    rule_id: str
    provider: str
    value: str
    text: str = ""
    siblings: tuple[tuple[str, str, str], ...] = ()  # (rule id, provider, value)

    @property
    def provider_key(self) -> str:
        return re.sub(r"[^a-z0-9]", "", self.provider.lower())


def provider_env(name: str) -> str:
    return ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", name.upper())


@dataclass
class Endpoints:
    """Resolves a verifier's base URL: command line, then environment, then the default."""

    cli: Mapping[str, str] = field(default_factory=dict)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    @classmethod
    def from_inputs(cls, values: Sequence[str]) -> Endpoints:
        cli: dict[str, str] = {}
        for v in values:
            name, sep, url = v.partition("=")
            if not sep or not name.strip() or not url.strip():
                raise ValueError(f"--verify-endpoint {v!r}: write it as PROVIDER=URL")
            if not url.strip().startswith(("https://", "http://")):
                raise ValueError(f"--verify-endpoint {v!r}: the URL must be http(s)")
            cli[name.strip().lower()] = url.strip()
        return cls(cli=cli)

    def get(self, name: str, default: str) -> str:
        url = self.cli.get(name.lower()) or self.environ.get(provider_env(name)) or default
        return url.rstrip("/")

    def overridden(self, name: str) -> bool:
        return bool(self.cli.get(name.lower()) or self.environ.get(provider_env(name)))


@dataclass
class Http:
    """What a verifier uses to talk to its provider (timeout fixed for the whole scan)."""

    timeout: float = DEFAULT_TIMEOUT
    send: Callable[..., Response] = request

    def __call__(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> Response:
        return self.send(method, url, headers=headers, body=body, timeout=self.timeout)


class Verifier(Protocol):
    @property
    def name(self) -> str:
        """Key of the endpoint override (``PIPESEC_VERIFY_ENDPOINT_<NAME>``)."""
        ...

    @property
    def doc(self) -> str:
        """The provider's documentation this verifier follows."""
        ...

    @property
    def default_endpoint(self) -> str: ...

    def accepts(self, c: Candidate) -> bool: ...

    def verify(self, c: Candidate, base: str, http: Http) -> Result: ...


def by_status(
    name: str,
    resp: Response,
    *,
    ok: Sequence[int] = (200,),
    bad: Sequence[int] = (401,),
    detail: str = "",
) -> Result:
    """The common mapping: documented success codes -> verified, auth failures -> invalid."""
    if resp.status in ok:
        return Result(Status.VERIFIED, name, detail or f"HTTP {resp.status}")
    if resp.status in bad:
        return Result(Status.INVALID, name, f"HTTP {resp.status}: rejected by the provider")
    return Result(Status.UNKNOWN, name, f"HTTP {resp.status}: no answer either way")


__all__ = [
    "Candidate",
    "Endpoints",
    "Http",
    "Result",
    "Status",
    "Unreachable",
    "Verifier",
    "by_status",
]
