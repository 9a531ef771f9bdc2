"""Images in an OCI image layout (https://github.com/opencontainers/image-spec/blob/main/image-layout.md).

Signatures follow cosign's convention: a manifest tagged ``sha256-<hex>.sig`` whose layers
are simple-signing payloads, each carrying its base64 signature in the
``dev.cosignproject.cosign/signature`` annotation. In a layout the tag is the index entry's
``org.opencontainers.image.ref.name``. The layout is read defensively: blobs only by
validated digest, bounded sizes, nothing outside the layout directory.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipesec.attest import keys as keys_mod
from pipesec.attest.errors import VerificationError
from pipesec.attest.files import read_bounded, read_document
from pipesec.attest.keys import PrivateKey, PublicKey
from pipesec.core.errors import UsageError

SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json"
SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature"
REF_NAME = "org.opencontainers.image.ref.name"
SIGNATURE_TYPE = "cosign container image signature"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
_CONFIG = "application/vnd.oci.image.config.v1+json"
_DIGEST = re.compile(r"sha256:([0-9a-f]{64})")
_TAG_SUFFIXES = (".sig", ".att", ".sbom")
_MAX_JSON = 4 * 1024 * 1024


def is_layout(path: Path) -> bool:
    return path.is_dir() and (path / "oci-layout").is_file() and (path / "index.json").is_file()


def _blob_path(layout: Path, digest: object) -> Path:
    match = _DIGEST.fullmatch(digest) if isinstance(digest, str) else None
    if match is None:
        raise VerificationError(f"OCI layout: unsupported or malformed digest {digest!r:.80}")
    path = layout / "blobs" / "sha256" / match.group(1)
    if path.is_symlink():
        raise VerificationError(f"OCI layout: blob {digest} is a symbolic link")
    return path


def read_blob(layout: Path, digest: str, limit: int = _MAX_JSON) -> bytes:
    path = _blob_path(layout, digest)
    try:
        data = read_bounded(path, limit)
    except OSError:
        raise VerificationError(f"OCI layout: blob {digest} is missing") from None
    if data is None:
        raise VerificationError(f"OCI layout: blob {digest} is too large")
    if "sha256:" + hashlib.sha256(data).hexdigest() != digest:
        raise VerificationError(f"OCI layout: blob {digest} does not match its digest")
    return data


def _blob_json(layout: Path, digest: object) -> Any:
    try:
        return json.loads(read_blob(layout, str(digest)))
    except (ValueError, UnicodeDecodeError):
        raise VerificationError(f"OCI layout: blob {str(digest)[:80]} is not JSON") from None


def _index(layout: Path) -> dict[str, Any]:
    index = read_document(layout / "index.json", "OCI layout", _MAX_JSON)
    if not isinstance(index, dict) or not isinstance(index.get("manifests"), list):
        raise VerificationError("OCI layout: index.json has no manifests list")
    return index


def _ref_name(entry: dict[str, Any]) -> str:
    annotations = entry.get("annotations")
    name = annotations.get(REF_NAME) if isinstance(annotations, dict) else None
    return name if isinstance(name, str) else ""


def image_digest(layout: Path) -> str:
    """``sha256:<hex>`` of the image manifest (or image index) the layout holds.

    Signature/attestation manifests (``sha256-*.sig`` tags) are not the image; a layout
    holding several images is ambiguous and refused.
    """
    entries = [
        e
        for e in _index(layout)["manifests"]
        if isinstance(e, dict) and not _ref_name(e).endswith(_TAG_SUFFIXES)
    ]
    digests = sorted({str(e.get("digest")) for e in entries})
    if len(digests) != 1:
        raise VerificationError(
            f"OCI layout: expected one image in index.json, found {len(digests)}"
        )
    digest = digests[0]
    _blob_path(layout, digest)  # validates the form
    return str(digest)


def signature_tag(digest: str) -> str:
    return digest.replace(":", "-", 1) + ".sig"


def simple_signing_payload(reference: str, digest: str) -> bytes:
    payload = {
        "critical": {
            "identity": {"docker-reference": reference},
            "image": {"docker-manifest-digest": digest},
            "type": SIGNATURE_TYPE,
        },
        "optional": None,
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def _write_blob(layout: Path, data: bytes) -> dict[str, Any]:
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    path = layout / "blobs" / "sha256" / digest[7:]
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return {"digest": digest, "size": len(data)}


def signature_layer(
    key: PrivateKey, reference: str, digest: str, put: Callable[[bytes], dict[str, Any]]
) -> dict[str, Any]:
    """A simple-signing layer for the image ``digest``; ``put`` stores its payload blob."""
    payload = simple_signing_payload(reference, digest)
    signature = base64.b64encode(keys_mod.sign(key, payload)).decode()
    layer = {"mediaType": SIMPLE_SIGNING, **put(payload)}
    layer["annotations"] = {SIGNATURE_ANNOTATION: signature}
    return layer


def old_layers(manifest: Any) -> list[dict[str, Any]]:
    layers = manifest.get("layers") if isinstance(manifest, dict) else None
    return [x for x in layers or [] if isinstance(x, dict)]


def signature_manifest(
    layers: list[dict[str, Any]], put: Callable[[bytes], dict[str, Any]]
) -> bytes:
    """cosign's signature manifest over ``layers``; ``put`` stores its config blob."""
    config = {
        "architecture": "",
        "os": "",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": [x.get("digest") for x in layers]},
    }
    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST,
        "config": {"mediaType": _CONFIG, **put(json.dumps(config).encode())},
        "layers": layers,
    }
    return json.dumps(manifest).encode()


def sign_layout(layout: Path, key: PrivateKey, reference: str = "") -> tuple[str, str]:
    """Sign the image of ``layout``; returns (image digest, signature tag).

    The signature manifest keeps the layers of earlier signatures (several signers).
    """
    if not is_layout(layout):
        raise UsageError(f"{layout}: not an OCI image layout (no oci-layout / index.json)")
    digest = image_digest(layout)

    def put(data: bytes) -> dict[str, Any]:
        return _write_blob(layout, data)

    tag = signature_tag(digest)
    index = _index(layout)
    old = [e for e in index["manifests"] if isinstance(e, dict) and _ref_name(e) == tag]
    layers = old_layers(_blob_json(layout, old[0].get("digest"))) if old else []
    layers.append(signature_layer(key, reference or layout.name, digest, put))
    entry = {"mediaType": MANIFEST, **put(signature_manifest(layers, put))}
    entry["annotations"] = {REF_NAME: tag}
    index["manifests"] = [e for e in index["manifests"] if e not in old] + [entry]
    tmp = layout / "index.json.tmp"
    tmp.write_text(json.dumps(index, indent=2) + "\n")
    os.replace(tmp, layout / "index.json")
    return digest, tag


def verify_layout(layout: Path, keys: list[PublicKey] | tuple[PublicKey, ...]) -> str:
    """The image digest when a stored cosign signature of it verifies with one of ``keys``."""
    digest = image_digest(layout)
    tag = signature_tag(digest)
    entries = [
        e for e in _index(layout)["manifests"] if isinstance(e, dict) and _ref_name(e) == tag
    ]
    if not entries:
        raise VerificationError(f"signature: no {tag} signature in the OCI layout")
    manifest = _blob_json(layout, entries[0].get("digest"))
    verify_signature_manifest(manifest, digest, keys, lambda d: read_blob(layout, d, 1024 * 1024))
    return digest


def verify_signature_manifest(
    manifest: Any,
    digest: str,
    keys: Sequence[PublicKey],
    read: Callable[[str], bytes],
) -> None:
    """A layer of cosign's signature ``manifest`` signs the image ``digest`` with one of
    ``keys``; ``read`` fetches (and checks) a blob by digest."""
    tag = signature_tag(digest)
    layers = manifest.get("layers") if isinstance(manifest, dict) else None
    if not isinstance(layers, list):
        raise VerificationError(f"signature: {tag} manifest has no layers")
    problem = "no simple-signing layer"
    for layer in layers[:64]:
        if not isinstance(layer, dict) or layer.get("mediaType") != SIMPLE_SIGNING:
            continue
        annotations = layer.get("annotations")
        sig_text = annotations.get(SIGNATURE_ANNOTATION) if isinstance(annotations, dict) else None
        try:
            signature = base64.b64decode(str(sig_text), validate=True)
        except ValueError:
            problem = "a signature annotation is not base64"
            continue
        payload = read(str(layer.get("digest")))
        if not any(keys_mod.verify(k, signature, payload) for k in keys):
            problem = "no signature verifies with a trusted key"
            continue
        try:
            critical = json.loads(payload)["critical"]
            signed_digest = critical["image"]["docker-manifest-digest"]
            kind = critical["type"]
        except (ValueError, KeyError, TypeError):
            problem = "a signed payload is not a simple-signing document"
            continue
        if kind != SIGNATURE_TYPE:
            problem = f"a signed payload has type {str(kind)[:60]!r}"
            continue
        if signed_digest != digest:
            problem = f"a signed payload names {str(signed_digest)[:80]}, not the image {digest}"
            continue
        return
    raise VerificationError(f"signature: {problem} (image {digest})")
