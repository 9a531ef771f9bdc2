"""``--pull``: an image fetched from a registry with the OCI distribution API into a
temporary OCI layout, which is then read like any other.

Anonymous, or with the credentials of the Docker config (``$DOCKER_CONFIG/config.json``,
else ``~/.docker/config.json``: ``auths.<host>.auth`` or ``identitytoken``; credential
helpers are programs and are never run). Bearer token challenges are answered as Docker
does. Every request has a timeout; every blob is checked against its digest and a size
budget. Loopback registries (localhost, 127.0.0.1, [::1]) are spoken to over plain HTTP,
as Docker does; every other registry over HTTPS. The standard library's HTTP client is
enough for these few requests (no dependency added).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from pipesec.core.errors import NetworkError
from pipesec.scanners.containers.image import (
    INDEX_TYPES,
    MAX_DOCUMENT,
    MAX_LAYERS,
    OCI_MANIFEST,
    ImageError,
    Platform,
)

ACCEPT = ", ".join(
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]
)
TIMEOUT = 30.0
MAX_BLOB = 8 << 30
_LOOPBACK = re.compile(r"^(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?::\d+)?$")


def docker_credentials(host: str) -> tuple[str, str] | None:
    """(user, password) for ``host`` from the Docker config, or None."""
    base = os.environ.get("DOCKER_CONFIG")
    path = Path(base) / "config.json" if base else Path.home() / ".docker" / "config.json"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    auths = doc.get("auths") if isinstance(doc, dict) else None
    if not isinstance(auths, dict):
        return None
    names = [host, f"https://{host}", f"http://{host}"]
    if host in ("registry-1.docker.io", "docker.io", "index.docker.io"):
        names += ["https://index.docker.io/v1/", "index.docker.io", "docker.io"]
    for name in names:
        entry = auths.get(name) or auths.get(name.rstrip("/") + "/")
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("identitytoken"), str) and entry["identitytoken"]:
            return "<token>", entry["identitytoken"]
        auth = entry.get("auth")
        if isinstance(auth, str) and auth:
            try:
                user, _, password = base64.b64decode(auth).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                return None
            return user, password
    return None


class _NoRedirectAuth(urllib.request.HTTPRedirectHandler):
    pass


class Registry:
    def __init__(self, host: str, repo: str, timeout: float = TIMEOUT) -> None:
        self.host = host
        self.repo = repo
        self.timeout = timeout
        scheme = "http" if _LOOPBACK.match(host) else "https"
        self.base = f"{scheme}://{host}/v2/{repo}"
        self._auth: str | None = None
        self._creds = docker_credentials(host)
        self._opener = urllib.request.build_opener(_NoRedirectAuth())

    def _request(self, url: str, accept: str = "") -> Any:
        for attempt in range(2):
            req = urllib.request.Request(url)  # noqa: S310 - http(s) only, built above
            if accept:
                req.add_header("Accept", accept)
            if self._auth:
                # not sent on a redirect (blob stores answer with signed URLs)
                req.add_unredirected_header("Authorization", self._auth)
            try:
                return self._opener.open(req, timeout=self.timeout)
            except urllib.error.HTTPError as exc:
                if exc.code == 401 and attempt == 0:
                    self._authenticate(exc.headers.get("WWW-Authenticate", ""))
                    continue
                raise ImageError(
                    f"{self.host}/{self.repo}", f"registry answered {exc.code} {exc.reason}"
                ) from None
            except (urllib.error.URLError, OSError, TimeoutError) as exc:
                reason = getattr(exc, "reason", exc)
                raise NetworkError(
                    f"cannot reach registry {self.host} ({reason}); --pull needs the network "
                    "(offline: pass an OCI layout or a docker save tarball instead)"
                ) from None
        raise ImageError(f"{self.host}/{self.repo}", "registry refused the credentials")

    def _authenticate(self, challenge: str) -> None:
        scheme, _, params = challenge.partition(" ")
        fields = dict(re.findall(r'(\w+)="([^"]*)"', params))
        if scheme.lower() == "basic":
            if self._creds is None:
                raise ImageError(f"{self.host}/{self.repo}", "the registry needs credentials")
            user, password = self._creds
            self._auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
            return
        realm = fields.get("realm", "")
        if scheme.lower() != "bearer" or not realm.startswith(("https://", "http://")):
            raise ImageError(f"{self.host}/{self.repo}", "unsupported registry authentication")
        query = {"service": fields.get("service", ""), "scope": f"repository:{self.repo}:pull"}
        url = realm + ("&" if "?" in realm else "?") + urllib.parse.urlencode(query)
        req = urllib.request.Request(url)  # noqa: S310
        if self._creds is not None:
            user, password = self._creds
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            req.add_unredirected_header("Authorization", f"Basic {token}")
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                doc = json.loads(resp.read(MAX_DOCUMENT))
        except urllib.error.HTTPError as exc:
            raise ImageError(
                f"{self.host}/{self.repo}", f"token service answered {exc.code} {exc.reason}"
            ) from None
        except (urllib.error.URLError, OSError, ValueError, RecursionError) as exc:
            raise NetworkError(f"cannot get a registry token from {realm}: {exc}") from None
        bearer = (doc.get("token") or doc.get("access_token")) if isinstance(doc, dict) else None
        if not isinstance(bearer, str) or not bearer:
            raise ImageError(f"{self.host}/{self.repo}", "the token service gave no token")
        self._auth = f"Bearer {bearer}"

    def manifest(self, reference: str) -> tuple[bytes, str]:
        with self._request(f"{self.base}/manifests/{reference}", ACCEPT) as resp:
            data: bytes = resp.read(MAX_DOCUMENT + 1)
            kind = resp.headers.get("Content-Type", "")
        if len(data) > MAX_DOCUMENT:
            raise ImageError(f"{self.host}/{self.repo}", "manifest too large")
        return data, kind.split(";")[0].strip()

    def blob_to(self, digest: str, target: Path, limit: int = MAX_BLOB) -> None:
        h = hashlib.sha256()
        total = 0
        with self._request(f"{self.base}/blobs/{digest}") as resp, open(target, "wb") as out:
            while chunk := resp.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    raise ImageError(f"{self.host}/{self.repo}", f"blob {digest} is too large")
                h.update(chunk)
                out.write(chunk)
        if "sha256:" + h.hexdigest() != digest:
            raise ImageError(f"{self.host}/{self.repo}", f"blob {digest} does not match its digest")


def pull(parts: dict[str, str], platform: Platform, dest: Path, timeout: float = TIMEOUT) -> str:
    """Fetch one image (one platform) into an OCI layout at ``dest``; its manifest digest."""
    reg = Registry(parts["host"], parts["repo"], timeout)
    where = f"{parts['host']}/{parts['repo']}"
    data, kind = reg.manifest(parts["digest"] or parts["tag"])
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    if parts["digest"] and digest != parts["digest"]:
        raise ImageError(where, f"the registry's manifest is {digest}, not {parts['digest']}")
    for _ in range(3):
        doc = _obj(data, where)
        if kind not in INDEX_TYPES and "manifests" not in doc:
            break
        chosen = next(
            (
                m
                for m in doc.get("manifests") or []
                if isinstance(m, dict) and platform.matches(m.get("platform"))
            ),
            None,
        )
        if chosen is None or not isinstance(chosen.get("digest"), str):
            raise ImageError(where, f"the index has no manifest for platform {platform}")
        data, kind = reg.manifest(chosen["digest"])
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if digest != chosen["digest"]:
            raise ImageError(where, f"manifest {chosen['digest']} does not match its digest")
    manifest = _obj(data, where)
    blobs = dest / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)
    (blobs / digest.split(":")[1]).write_bytes(data)
    descriptors = [manifest.get("config"), *(manifest.get("layers") or [])]
    if len(descriptors) > MAX_LAYERS + 1:
        raise ImageError(where, "too many layers")
    for desc in descriptors:
        d = desc.get("digest") if isinstance(desc, dict) else None
        if not isinstance(d, str) or not re.fullmatch(r"sha256:[0-9a-f]{64}", d):
            raise ImageError(where, "a descriptor without a sha256 digest")
        reg.blob_to(d, blobs / d.split(":")[1])
    (dest / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    index = {
        "schemaVersion": 2,
        "manifests": [
            {
                "mediaType": kind if kind else OCI_MANIFEST,
                "digest": digest,
                "size": len(data),
            }
        ],
    }
    (dest / "index.json").write_text(json.dumps(index))
    return digest


def _obj(data: bytes, where: str) -> dict[str, Any]:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ImageError(where, f"the registry's manifest is not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise ImageError(where, "the registry's manifest is not a JSON object")
    return doc
