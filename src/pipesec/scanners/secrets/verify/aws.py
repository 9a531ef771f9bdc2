"""AWS: an access key id and its secret key, checked with STS GetCallerIdentity.

GetCallerIdentity needs no permission (it works even when an IAM policy denies
everything), changes nothing, and answers with the key's account and ARN:
https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html

The request is signed with Signature Version 4, implemented here step by step as AWS
documents it ("Create a signed AWS API request"):
https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import urllib.parse
from collections.abc import Mapping

from pipesec.scanners.secrets.verify.base import Candidate, Http, Result, Status

ALGORITHM = "AWS4-HMAC-SHA256"
STS_BODY = b"Action=GetCallerIdentity&Version=2011-06-15"
FORM = "application/x-www-form-urlencoded; charset=utf-8"

KEY_ID = re.compile(r"^(?:AKIA|ABIA|ACCA|ASIA)[A-Z2-7]{16}$")
SECRET_KEY = re.compile(r"^[A-Za-z0-9/+]{40}$")
_KEY_ID_IN_TEXT = re.compile(r"(?<![A-Z0-9])((?:AKIA|ABIA|ACCA|ASIA)[A-Z2-7]{16})(?![A-Z0-9])")
#: temporary credentials (ASIA key ids) need their session token
_SESSION_TOKEN_IN_TEXT = re.compile(
    r"(?i)(?:session_?token|security_?token|sessiontoken)[^\n]{0,30}?"
    r"(?<![A-Za-z0-9/+])([A-Za-z0-9/+=]{100,2048})(?![A-Za-z0-9/+=])"
)
_SECRET_IN_TEXT = re.compile(
    r"(?i)(?:secret|aws_secret_access_key|secretaccesskey|secret_key)[^\n]{0,40}?"
    r"(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"
)
#: at most this many pairs are tried for one file (each is one request)
MAX_PAIRS = 3


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _uri_encode(value: str, *, keep_slash: bool) -> str:
    return urllib.parse.quote(value, safe="/~" if keep_slash else "~")


def signing_key(secret_key: str, date_stamp: str, region: str, service: str) -> bytes:
    """Step 3 of the documented procedure: derive the signing key."""
    k_date = _hmac(("AWS4" + secret_key).encode("utf-8"), date_stamp)
    k_region = hmac.new(k_date, region.encode(), hashlib.sha256).digest()
    k_service = hmac.new(k_region, service.encode(), hashlib.sha256).digest()
    return hmac.new(k_service, b"aws4_request", hashlib.sha256).digest()


def sign(
    *,
    method: str,
    host: str,
    path: str,
    query: Mapping[str, str],
    headers: Mapping[str, str],
    body: bytes,
    access_key: str,
    secret_key: str,
    region: str,
    service: str,
    now: dt.datetime,
) -> dict[str, str]:
    """Return the headers to send (``Host``, ``X-Amz-Date``, ``Authorization`` and the
    given ones), signed with Signature Version 4."""
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    date_stamp = now.strftime("%Y%m%d")
    all_headers = {k.lower(): " ".join(v.strip().split()) for k, v in headers.items()}
    all_headers["host"] = host
    all_headers["x-amz-date"] = amz_date
    names = sorted(all_headers)
    canonical_headers = "".join(f"{n}:{all_headers[n]}\n" for n in names)
    signed_headers = ";".join(names)
    canonical_query = "&".join(
        f"{_uri_encode(k, keep_slash=False)}={_uri_encode(v, keep_slash=False)}"
        for k, v in sorted(query.items())
    )
    # Step 1: the canonical request
    canonical_request = "\n".join(
        [
            method,
            _uri_encode(path or "/", keep_slash=True),
            canonical_query,
            canonical_headers,
            signed_headers,
            _sha256_hex(body),
        ]
    )
    # Step 2: the string to sign
    scope = f"{date_stamp}/{region}/{service}/aws4_request"
    string_to_sign = "\n".join(
        [ALGORITHM, amz_date, scope, _sha256_hex(canonical_request.encode("utf-8"))]
    )
    # Steps 3 and 4: derive the key and sign
    key = signing_key(secret_key, date_stamp, region, service)
    signature = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    out = {k: v for k, v in headers.items()}
    out["Host"] = host
    out["X-Amz-Date"] = amz_date
    out["Authorization"] = (
        f"{ALGORITHM} Credential={access_key}/{scope}, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )
    return out


def _pairs(c: Candidate) -> list[tuple[str, str]]:
    """(key id, secret key) pairs to try for this candidate, most likely first."""
    key_ids: list[str] = []
    secrets: list[str] = []
    values = [(c.rule_id, c.provider, c.value), *c.siblings]
    for _, provider, value in values:
        if "aws" not in provider.lower() and "amazon" not in provider.lower():
            continue
        if KEY_ID.match(value):
            key_ids.append(value)
        elif SECRET_KEY.match(value):
            secrets.append(value)
    key_ids += [m.group(1) for m in _KEY_ID_IN_TEXT.finditer(c.text)]
    secrets += [m.group(1) for m in _SECRET_IN_TEXT.finditer(c.text)]
    key_ids = list(dict.fromkeys(key_ids))
    secrets = list(dict.fromkeys(secrets))
    if KEY_ID.match(c.value):
        key_ids = [c.value]
    elif SECRET_KEY.match(c.value):
        secrets = [c.value]
    return [(k, s) for k in key_ids for s in secrets][:MAX_PAIRS]


def _session_token(c: Candidate) -> str | None:
    for rule_id, _, value in c.siblings:
        if "session-token" in rule_id and len(value) >= 100:
            return value
    m = _SESSION_TOKEN_IN_TEXT.search(c.text)
    return m.group(1) if m else None


class AwsVerifier:
    name = "aws"
    doc = "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html"
    default_endpoint = "https://sts.amazonaws.com"
    region = "us-east-1"

    def accepts(self, c: Candidate) -> bool:
        p = c.provider.lower()
        return ("aws" in p or "amazon" in p) and bool(
            KEY_ID.match(c.value) or SECRET_KEY.match(c.value)
        )

    def verify(self, c: Candidate, base: str, http: Http) -> Result:
        pairs = _pairs(c)
        if not pairs:
            return Result(
                Status.UNKNOWN, self.name, "the other half of the key pair is not in the file"
            )
        parsed = urllib.parse.urlsplit(base)
        path = parsed.path or "/"
        invalid = 0
        token = _session_token(c)
        for key_id, secret in pairs:
            extra = {"Content-Type": FORM}
            if key_id.startswith("ASIA"):
                if token is None:
                    return Result(
                        Status.UNKNOWN,
                        self.name,
                        "temporary key (ASIA): its session token is not in the file",
                    )
                extra["X-Amz-Security-Token"] = token  # signed, as SigV4 documents
            headers = sign(
                method="POST",
                host=parsed.netloc,
                path=path,
                query={},
                headers=extra,
                body=STS_BODY,
                access_key=key_id,
                secret_key=secret,
                region=self.region,
                service="sts",
                now=dt.datetime.now(dt.UTC),
            )
            resp = http("POST", base + ("" if parsed.path else "/"), headers=headers, body=STS_BODY)
            if resp.status == 200:
                arn = _xml_field(resp.body, "Arn")
                return Result(Status.VERIFIED, self.name, f"live key; caller {arn}".strip())
            if resp.status in (400, 403):
                code = _xml_field(resp.body, "Code")
                if code in (
                    "InvalidClientTokenId",
                    "SignatureDoesNotMatch",
                    "AccessDenied",
                    "ExpiredToken",
                    "",
                ):
                    invalid += 1
                    continue
                return Result(Status.UNKNOWN, self.name, f"HTTP {resp.status}: {code}")
            return Result(Status.UNKNOWN, self.name, f"HTTP {resp.status}")
        return Result(Status.INVALID, self.name, f"STS rejected {invalid} key pair(s)")


def _xml_field(body: bytes, name: str) -> str:
    """One element's text from STS' small XML answer (a regex: no XML parser, no entities)."""
    m = re.search(rf"<{name}>([^<]{{0,200}})</{name}>".encode(), body)
    return m.group(1).decode("utf-8", "replace").strip() if m else ""
