"""The one HTTP client of live verification: short timeout, no retries, no redirects.

Redirects are refused (a redirect would carry the credential's headers to another host);
the body read is capped. Any failure to get an answer (DNS, refused, timeout, TLS) raises
:class:`Unreachable`, which verifiers turn into an ``unknown`` result.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pipesec import __version__

USER_AGENT = f"pipesec-verify/{__version__}"
MAX_BODY = 256 * 1024


class Unreachable(Exception):
    """No HTTP answer (network error, timeout, redirect refused)."""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        import json

        try:
            return json.loads(self.body.decode("utf-8", "replace"))
        except (ValueError, RecursionError):
            return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


_OPENER = urllib.request.build_opener(_NoRedirect())


def request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 5.0,
) -> Response:
    if not url.startswith(("https://", "http://")):
        raise Unreachable("only http(s) endpoints are used")
    hdrs = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    hdrs.update(headers or {})
    req = urllib.request.Request(url, data=body, headers=hdrs, method=method)  # noqa: S310
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return Response(resp.status, resp.read(MAX_BODY), dict(resp.headers.items()))
    except urllib.error.HTTPError as exc:
        try:
            data = exc.read(MAX_BODY)
        except OSError:
            data = b""
        if 300 <= exc.code < 400:
            raise Unreachable(f"redirect ({exc.code}) refused") from None
        return Response(exc.code, data, dict(exc.headers.items()) if exc.headers else {})
    except urllib.error.URLError as exc:
        # the reason names the failure (refused, DNS, TLS), never the URL
        raise Unreachable(type(exc.reason).__name__ if exc.reason else "URLError") from None
    except TimeoutError:
        raise Unreachable(f"no answer within {timeout:g} s") from None
    except (OSError, ValueError) as exc:
        raise Unreachable(type(exc).__name__) from None
