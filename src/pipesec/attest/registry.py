"""A minimal OCI distribution client (network; ``pipesec sign --image REF --push``).

Enough of https://github.com/opencontainers/distribution-spec to resolve a reference to
its manifest digest, read and write blobs and manifests, and store cosign's signature
manifest under the ``sha256-<hex>.sig`` tag. Loopback registries (localhost, 127.0.0.1)
are spoken to over plain HTTP, others over HTTPS. Credentials come from
``PIPESEC_REGISTRY_USERNAME`` / ``PIPESEC_REGISTRY_PASSWORD`` (basic, or exchanged for a
bearer token when the registry asks for one).
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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipesec.attest.errors import VerificationError
from pipesec.attest.keys import PrivateKey, PublicKey
from pipesec.core.errors import NetworkError, UsageError

MANIFEST_TYPES = (
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
)
_TIMEOUT = 30
_MAX_MANIFEST = 4 * 1024 * 1024
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class Reference:
    registry: str
    repository: str
    tag: str = ""
    digest: str = ""

    @property
    def name(self) -> str:
        """registry/repository, cosign's docker-reference."""
        return f"{self.registry}/{self.repository}"


def parse_reference(text: str) -> Reference:
    """``registry/repo[:tag][@sha256:hex]``; the registry part is required."""
    rest, _, digest = text.partition("@")
    if digest and not _DIGEST.fullmatch(digest):
        raise UsageError(f"{text}: the digest must be sha256:<64 hex>")
    registry, slash, path = rest.partition("/")
    if not slash or not path or not ("." in registry or ":" in registry or registry == "localhost"):
        raise UsageError(f"{text}: name the registry (registry.example.com/repo:tag)")
    repository, tag = path, ""
    if ":" in path.rsplit("/", 1)[-1]:
        repository, _, tag = path.rpartition(":")
    if not re.fullmatch(r"[a-z0-9]+(?:[._/-][a-z0-9]+)*", repository):
        raise UsageError(f"{text}: invalid repository name {repository!r}")
    if not tag and not digest:
        tag = "latest"
    return Reference(registry, repository, tag, digest)


class Registry:
    def __init__(self, registry: str) -> None:
        host = registry.rsplit(":", 1)[0]
        scheme = "http" if host in ("localhost", "127.0.0.1", "[::1]") else "https"
        self.base = f"{scheme}://{registry}"
        self._auth: str | None = None
        user = os.environ.get("PIPESEC_REGISTRY_USERNAME", "")
        password = os.environ.get("PIPESEC_REGISTRY_PASSWORD", "")
        self._basic = (
            "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode() if user else None
        )

    def _request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        for attempt in range(2):
            request = urllib.request.Request(url, data=body, method=method)  # noqa: S310
            for key, value in (headers or {}).items():
                request.add_header(key, value)
            if self._auth or self._basic:
                request.add_header("Authorization", self._auth or self._basic or "")
            try:
                with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:  # noqa: S310
                    data = response.read(_MAX_MANIFEST + 1)
                    return response.status, dict(response.headers.items()), data
            except urllib.error.HTTPError as exc:
                if (
                    exc.code == 401
                    and attempt == 0
                    and self._token(exc.headers.get("WWW-Authenticate", ""))
                ):
                    continue
                return exc.code, dict(exc.headers.items()), exc.read(64 * 1024)
            except (urllib.error.URLError, OSError) as exc:
                raise NetworkError(f"{self.base}: cannot reach the registry ({exc})") from None
        raise NetworkError(f"{self.base}: authentication refused")

    def _token(self, challenge: str) -> bool:
        """Exchange the credentials for a bearer token (the registry token protocol)."""
        if not challenge.lower().startswith("bearer "):
            return False
        params = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
        realm = params.pop("realm", "")
        if not realm.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            return False
        url = realm + "?" + urllib.parse.urlencode(params)
        request = urllib.request.Request(url)  # noqa: S310
        if self._basic:
            request.add_header("Authorization", self._basic)
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:  # noqa: S310
                answer = json.loads(response.read(64 * 1024))
        except (urllib.error.URLError, OSError, ValueError):
            return False
        token = (
            answer.get("token") or answer.get("access_token") if isinstance(answer, dict) else None
        )
        if not isinstance(token, str):
            return False
        self._auth = f"Bearer {token}"
        return True

    def manifest(self, ref: Reference, tag_or_digest: str) -> tuple[str, bytes, str] | None:
        """(digest, body, media type) of a manifest, None when there is none."""
        url = f"{self.base}/v2/{ref.repository}/manifests/{tag_or_digest}"
        status, headers, body = self._request(
            "GET", url, headers={"Accept": ", ".join(MANIFEST_TYPES)}
        )
        if status == 404:
            return None
        if status != 200 or len(body) > _MAX_MANIFEST:
            raise NetworkError(f"{ref.name}:{tag_or_digest}: registry answered {status}")
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        if _DIGEST.fullmatch(tag_or_digest) and digest != tag_or_digest:
            raise NetworkError(
                f"{ref.name}@{tag_or_digest}: the manifest does not match its digest"
            )
        media = headers.get("Content-Type", "").split(";")[0]
        return digest, body, media

    def blob(self, ref: Reference, digest: str) -> bytes:
        status, _, body = self._request("GET", f"{self.base}/v2/{ref.repository}/blobs/{digest}")
        if status != 200 or "sha256:" + hashlib.sha256(body).hexdigest() != digest:
            raise NetworkError(f"{ref.name}: blob {digest} unavailable or altered ({status})")
        return body

    def put_blob(self, ref: Reference, data: bytes) -> dict[str, Any]:
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        status, headers, _ = self._request(
            "POST", f"{self.base}/v2/{ref.repository}/blobs/uploads/", b""
        )
        location = headers.get("Location", "")
        if status != 202 or not location:
            raise NetworkError(f"{ref.name}: blob upload refused ({status})")
        url = urllib.parse.urljoin(self.base + "/", location)
        if not url.startswith(self.base + "/"):
            raise NetworkError(f"{ref.name}: the registry sent the upload elsewhere")
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"digest": digest})
        status, _, _ = self._request("PUT", url, data, {"Content-Type": "application/octet-stream"})
        if status not in (201, 204):
            raise NetworkError(f"{ref.name}: blob upload failed ({status})")
        return {"digest": digest, "size": len(data)}

    def put_manifest(self, ref: Reference, tag: str, manifest: bytes, media: str) -> None:
        url = f"{self.base}/v2/{ref.repository}/manifests/{tag}"
        status, _, _ = self._request("PUT", url, manifest, {"Content-Type": media})
        if status not in (200, 201):
            raise NetworkError(f"{ref.name}:{tag}: manifest upload failed ({status})")


def sign_remote(text: str, key: PrivateKey) -> tuple[str, str]:
    """Sign the image ``text`` names in its registry: cosign's ``sha256-<hex>.sig``
    manifest (earlier signatures kept). Returns (image digest, signature reference)."""
    from pipesec.attest import oci

    ref = parse_reference(text)
    client = Registry(ref.registry)
    found = client.manifest(ref, ref.digest or ref.tag)
    if found is None:
        raise UsageError(f"{text}: no such image in the registry")
    digest = found[0]
    tag = oci.signature_tag(digest)
    previous = client.manifest(ref, tag)
    layers = oci.old_layers(_json(previous[1])) if previous else []

    def put(data: bytes) -> dict[str, Any]:
        return client.put_blob(ref, data)

    layers.append(oci.signature_layer(key, ref.name, digest, put))
    client.put_manifest(ref, tag, oci.signature_manifest(layers, put), oci.MANIFEST)
    return digest, f"{ref.name}:{tag}"


def resolve(text: str) -> str:
    """The manifest digest of the image ``text`` names in its registry."""
    ref = parse_reference(text)
    found = Registry(ref.registry).manifest(ref, ref.digest or ref.tag)
    if found is None:
        raise VerificationError(f"image: {text} is not in the registry")
    return found[0]


def verify_remote(text: str, keys: Sequence[PublicKey]) -> str:
    """The image digest when its registry holds a cosign signature of it by one of ``keys``."""
    from pipesec.attest import oci

    ref = parse_reference(text)
    client = Registry(ref.registry)
    found = client.manifest(ref, ref.digest or ref.tag)
    if found is None:
        raise VerificationError(f"signature: {text} is not in the registry")
    digest = found[0]
    tag = oci.signature_tag(digest)
    signatures = client.manifest(ref, tag)
    if signatures is None:
        raise VerificationError(f"signature: no {tag} signature in the registry")
    oci.verify_signature_manifest(_json(signatures[1]), digest, keys, lambda d: client.blob(ref, d))
    return digest


def _json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise VerificationError("registry: a manifest is not JSON") from None
