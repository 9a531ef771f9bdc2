"""Reading container images: OCI image layouts (a directory or a tar), ``docker save``
tarballs, and the images the other sources (``--pull``, a local daemon) turn into one.

An :class:`Image` holds the manifest's identity (its digest), the config document and the
layers with a way to open each blob. Blobs are read where they lie (the layout's files, or
members of the archive seeked in place); nothing is extracted. Every blob's digest is checked
when it is read, so a tampered blob cannot borrow another layer's identity (or its cached
results).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import stat
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pipesec.core.errors import InputError, UsageError

log = logging.getLogger(__name__)

#: manifest, index and config documents are small: more is a hostile archive
MAX_DOCUMENT = 4 << 20
#: how many layers an image may have (Docker's own limit is 127)
MAX_LAYERS = 256

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
INDEX_TYPES = (OCI_INDEX, DOCKER_LIST)
MANIFEST_TYPES = (OCI_MANIFEST, DOCKER_MANIFEST)

_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
# host[:port]/repo[/repo...][:tag][@sha256:...] (the distribution reference grammar, simplified)
_REF = re.compile(
    r"(?:(?P<host>[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]{1,5})?|\[[0-9a-fA-F:]+\](?::[0-9]{1,5})?)/)?"
    r"(?P<repo>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?"
    r"(?:@(?P<digest>sha256:[0-9a-f]{64}))?"
)


class ImageError(InputError):
    """An image that cannot be read (exit 3)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(where, message)


@dataclass(frozen=True, slots=True)
class Platform:
    os: str = "linux"
    architecture: str = "amd64"
    variant: str = ""

    @classmethod
    def parse(cls, text: str) -> Platform:
        parts = text.strip().split("/")
        if not 2 <= len(parts) <= 3 or not all(re.fullmatch(r"[a-z0-9_.-]+", p) for p in parts):
            raise UsageError(
                f"--platform {text!r}: write it as OS/ARCH[/VARIANT], e.g. linux/amd64"
            )
        return cls(parts[0], parts[1], parts[2] if len(parts) == 3 else "")

    def __str__(self) -> str:
        return "/".join(p for p in (self.os, self.architecture, self.variant) if p)

    def matches(self, spec: Any) -> bool:
        if not isinstance(spec, dict):
            return False
        if spec.get("os") != self.os or spec.get("architecture") != self.architecture:
            return False
        return not self.variant or spec.get("variant", "") in ("", self.variant)


@dataclass(frozen=True, slots=True)
class Layer:
    index: int  # 1-based, bottom first
    digest: str  # of the blob as stored (compressed or not)
    media_type: str
    size: int
    diff_id: str = ""  # digest of the uncompressed tar (config rootfs.diff_ids)
    created_by: str = ""  # the history entry that made it


@dataclass
class Image:
    """One image, one platform."""

    ref: str  # as the operator named it
    digest: str  # manifest digest; docker save: the config digest (the image id)
    config: dict[str, Any]
    config_digest: str
    layers: list[Layer]
    platform: str
    opener: Callable[[str], IO[bytes]] = field(repr=False)
    closer: Callable[[], None] = field(default=lambda: None, repr=False)

    def open_blob(self, digest: str) -> IO[bytes]:
        return self.opener(digest)

    def close(self) -> None:
        self.closer()

    @property
    def short(self) -> str:
        return self.digest.split(":", 1)[-1][:12]


def parse_reference(ref: str) -> dict[str, str]:
    """host, repo, tag and digest of a registry reference; a UsageError when malformed."""
    m = _REF.fullmatch(ref)
    if not m or len(ref) > 512:
        raise UsageError(
            f"--image {ref!r}: not an image reference (host/repository[:tag][@sha256:...]), "
            "nor an existing OCI layout directory or image archive"
        )
    host = m.group("host") or ""
    repo = m.group("repo")
    if host and "." not in host and ":" not in host and host != "localhost":
        repo, host = f"{host}/{repo}", ""  # "library/x": the first part is a namespace
    if not host:
        host = "registry-1.docker.io"
        if "/" not in repo:
            repo = f"library/{repo}"
    tag = m.group("tag") or ("" if m.group("digest") else "latest")
    return {"host": host, "repo": repo, "tag": tag, "digest": m.group("digest") or ""}


def _json(data: bytes, where: str) -> dict[str, Any]:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ImageError(where, f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise ImageError(where, "not a JSON object")
    return doc


def _digest_ok(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _DIGEST.fullmatch(value):
        raise ImageError(where, f"unsupported or malformed digest {str(value)[:80]!r}")
    return value


def _read_capped(f: IO[bytes], where: str, limit: int = MAX_DOCUMENT) -> bytes:
    data = f.read(limit + 1)
    if len(data) > limit:
        raise ImageError(where, f"larger than {limit >> 20} MB; not an image document")
    return data


class _Blobs:
    """Blobs of an OCI layout: ``blobs/sha256/<hex>`` in a directory or a tar."""

    def __init__(self, read: Callable[[str], IO[bytes] | None], where: str) -> None:
        self._read = read
        self.where = where

    def open(self, digest: str) -> IO[bytes]:
        _digest_ok(digest, self.where)
        f = self._read("blobs/" + digest.replace(":", "/", 1))
        if f is None:
            raise ImageError(self.where, f"blob {digest} is missing from the image")
        return f

    def document(self, digest: str) -> bytes:
        with self.open(digest) as f:
            data = _read_capped(f, f"{self.where}: {digest}")
        if "sha256:" + hashlib.sha256(data).hexdigest() != digest:
            raise ImageError(self.where, f"blob {digest} does not match its digest")
        return data


REF_NAME = "org.opencontainers.image.ref.name"


def _tagged(desc: dict[str, Any], tag: str) -> bool:
    notes = desc.get("annotations")
    if not isinstance(notes, dict):
        return False
    names = [str(notes.get(REF_NAME, "")), str(notes.get("io.containerd.image.name", ""))]
    return any(n == tag or n.endswith(f":{tag}") for n in names if n)


def _config_platform(blobs: _Blobs, desc: dict[str, Any], where: str) -> dict[str, Any]:
    """os/architecture of the image a platform-less index entry names (from its config)."""
    try:
        manifest = _json(blobs.document(_digest_ok(desc.get("digest"), where)), where)
        cfg = manifest.get("config")
        digest = _digest_ok(cfg.get("digest") if isinstance(cfg, dict) else None, where)
        return _json(blobs.document(digest), where)
    except ImageError:
        return {}


def _select_manifest(
    blobs: _Blobs,
    index: dict[str, Any],
    platform: Platform,
    where: str,
    depth: int = 0,
    tag: str = "",
) -> tuple[str, dict[str, Any]]:
    """(digest, manifest) for ``platform`` (and ``tag``, the ref name annotation) below an
    index (nested indexes followed)."""
    manifests = index.get("manifests")
    if not isinstance(manifests, list) or not manifests:
        raise ImageError(where, "the image index lists no manifest")
    candidates = [m for m in manifests if isinstance(m, dict)]
    if tag:
        candidates = [m for m in candidates if _tagged(m, tag)]
        if not candidates:
            raise ImageError(where, f"no image tagged {tag!r} in the index")
    # a plain layout written by a builder for one image has no platform: take it
    with_platform = [m for m in candidates if isinstance(m.get("platform"), dict)]
    chosen = None
    if with_platform:
        chosen = next((m for m in with_platform if platform.matches(m["platform"])), None)
        if chosen is None:
            have = sorted(
                {
                    "/".join(
                        str(m["platform"].get(k, ""))
                        for k in ("os", "architecture", "variant")
                        if m["platform"].get(k)
                    )
                    for m in with_platform
                }
            )
            raise ImageError(
                where, f"no manifest for platform {platform} (the index has: {', '.join(have)})"
            )
    else:
        kinds = (*MANIFEST_TYPES, *INDEX_TYPES, None, "")
        images = [m for m in candidates if m.get("mediaType") in kinds]
        if not images:
            raise ImageError(where, "the index lists no image manifest")
        if len(images) > 1:  # several tags in one layout: the one built for the platform
            fitting = [m for m in images if platform.matches(_config_platform(blobs, m, where))]
            images = fitting or images
            if len(images) > 1:
                log.warning(
                    "%s: the index lists %d images; scanning the first (name one: PATH:TAG)",
                    where,
                    len(images),
                )
        chosen = images[0]
    digest = _digest_ok(chosen.get("digest"), where)
    doc = _json(blobs.document(digest), f"{where}: {digest}")
    kind = doc.get("mediaType") or chosen.get("mediaType")
    if kind in INDEX_TYPES or "manifests" in doc:
        if depth > 4:
            raise ImageError(where, "image indexes nested too deep")
        return _select_manifest(blobs, doc, platform, where, depth + 1)
    return digest, doc


def _from_manifest(
    ref: str,
    digest: str,
    manifest: dict[str, Any],
    blobs: _Blobs,
    platform: Platform,
    closer: Callable[[], None],
) -> Image:
    where = blobs.where
    cfg_desc = manifest.get("config")
    layers_desc = manifest.get("layers")
    if not isinstance(cfg_desc, dict) or not isinstance(layers_desc, list):
        raise ImageError(where, f"manifest {digest} has no config or layers")
    if len(layers_desc) > MAX_LAYERS:
        raise ImageError(where, f"{len(layers_desc)} layers (more than {MAX_LAYERS})")
    cfg_digest = _digest_ok(cfg_desc.get("digest"), where)
    config = _json(blobs.document(cfg_digest), f"{where}: config {cfg_digest}")
    layers = []
    for i, desc in enumerate(layers_desc, 1):
        if not isinstance(desc, dict):
            raise ImageError(where, f"layer {i}: not a descriptor")
        size = desc.get("size")
        layers.append(
            Layer(
                index=i,
                digest=_digest_ok(desc.get("digest"), where),
                media_type=str(desc.get("mediaType", "")),
                size=size if isinstance(size, int) and size >= 0 else 0,
            )
        )
    return Image(
        ref=ref,
        digest=digest,
        config=config,
        config_digest=cfg_digest,
        layers=_with_history(layers, config),
        platform=str(platform),
        opener=blobs.open,
        closer=closer,
    )


def _with_history(layers: list[Layer], config: dict[str, Any]) -> list[Layer]:
    rootfs = config.get("rootfs")
    diff_ids = rootfs.get("diff_ids") if isinstance(rootfs, dict) else None
    diff_ids = diff_ids if isinstance(diff_ids, list) else []
    history = config.get("history")
    made = [
        str(h.get("created_by", ""))
        for h in (history if isinstance(history, list) else [])
        if isinstance(h, dict) and not h.get("empty_layer")
    ]
    out = []
    for i, layer in enumerate(layers):
        diff = diff_ids[i] if i < len(diff_ids) and isinstance(diff_ids[i], str) else ""
        out.append(
            Layer(
                layer.index,
                layer.digest,
                layer.media_type,
                layer.size,
                diff if _DIGEST.fullmatch(diff) else "",
                made[i] if i < len(made) else "",
            )
        )
    return out


def _open_layout_dir(path: Path, ref: str, platform: Platform, tag: str = "") -> Image:
    root = path.resolve()

    def read(rel: str) -> IO[bytes] | None:
        target = root / rel
        try:
            fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        f = os.fdopen(fd, "rb")
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            f.close()
            return None
        return f

    where = str(path)
    index_f = read("index.json")
    if index_f is None:
        raise ImageError(where, "no index.json: not an OCI image layout")
    with index_f:
        index = _json(_read_capped(index_f, f"{where}/index.json"), f"{where}/index.json")
    blobs = _Blobs(read, where)
    digest, manifest = _select_manifest(blobs, index, platform, where, tag=tag)
    return _from_manifest(ref, digest, manifest, blobs, platform, lambda: None)


class _Archive:
    """A tar archive opened once; members read in place (seekable, never extracted)."""

    def __init__(self, path: Path) -> None:
        self.where = str(path)
        try:
            self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
            self._tar = tarfile.open(fileobj=self._file, mode="r:")  # noqa: SIM115
        except (OSError, tarfile.TarError) as exc:
            raise ImageError(self.where, f"not a readable tar archive: {exc}") from None
        self.members: dict[str, tarfile.TarInfo] = {}
        try:
            for m in self._tar:
                name = m.name.lstrip("./") if m.name.startswith("./") else m.name
                self.members.setdefault(name.lstrip("/"), m)
        except (tarfile.TarError, OSError, EOFError) as exc:
            self.close()
            raise ImageError(self.where, f"damaged tar archive: {exc}") from None

    def read(self, name: str, depth: int = 0) -> IO[bytes] | None:
        m = self.members.get(name)
        if m is None or depth > 8:
            return None
        if m.issym() or m.islnk():  # docker save links identical layers; stay inside
            target = (
                m.linkname
                if m.islnk()
                else os.path.normpath(os.path.join(os.path.dirname(name), m.linkname))
            )
            if target.startswith(("/", "..")):
                return None
            return self.read(target, depth + 1)
        if not m.isfile():
            return None
        return self._tar.extractfile(m)

    def close(self) -> None:
        self._tar.close()
        self._file.close()


def _open_archive(path: Path, ref: str, platform: Platform, tag: str = "") -> Image:
    arch = _Archive(path)
    try:
        if "index.json" in arch.members and "oci-layout" in arch.members:
            f = arch.read("index.json")
            assert f is not None
            index = _json(_read_capped(f, f"{arch.where}:index.json"), f"{arch.where}:index.json")
            blobs = _Blobs(arch.read, arch.where)
            digest, manifest = _select_manifest(blobs, index, platform, arch.where, tag=tag)
            return _from_manifest(ref, digest, manifest, blobs, platform, arch.close)
        if "manifest.json" in arch.members:
            return _open_docker_save(arch, ref, platform)
        raise ImageError(
            arch.where, "neither an OCI archive (oci-layout, index.json) nor a docker save tarball"
        )
    except BaseException:
        arch.close()
        raise


def _open_docker_save(arch: _Archive, ref: str, platform: Platform) -> Image:
    where = arch.where
    f = arch.read("manifest.json")
    if f is None:
        raise ImageError(where, "manifest.json is not a regular file")
    try:
        entries = json.loads(_read_capped(f, f"{where}:manifest.json"))
    except (ValueError, RecursionError) as exc:
        raise ImageError(where, f"manifest.json: not valid JSON: {exc}") from None
    if not isinstance(entries, list) or not entries or not isinstance(entries[0], dict):
        raise ImageError(where, "manifest.json lists no image")
    entry = entries[0]
    if len(entries) > 1:
        wanted = ref.rsplit("/", 1)[-1]
        entry = next(
            (e for e in entries if isinstance(e, dict) and wanted in (e.get("RepoTags") or [])),
            entry,
        )
    cfg_name = entry.get("Config")
    layer_names = entry.get("Layers")
    if not isinstance(cfg_name, str) or not isinstance(layer_names, list):
        raise ImageError(where, "manifest.json: an entry without Config or Layers")
    if len(layer_names) > MAX_LAYERS:
        raise ImageError(where, f"{len(layer_names)} layers (more than {MAX_LAYERS})")
    cf = arch.read(cfg_name)
    if cf is None:
        raise ImageError(where, f"manifest.json names config {cfg_name!r}, which is missing")
    raw = _read_capped(cf, f"{where}:{cfg_name}")
    config = _json(raw, f"{where}:{cfg_name}")
    cfg_digest = "sha256:" + hashlib.sha256(raw).hexdigest()
    rootfs = config.get("rootfs")
    diff_ids = rootfs.get("diff_ids") if isinstance(rootfs, dict) else None
    diff_ids = diff_ids if isinstance(diff_ids, list) else []
    by_digest: dict[str, str] = {}
    layers = []
    for i, name in enumerate(layer_names, 1):
        if not isinstance(name, str) or name not in arch.members:
            raise ImageError(where, f"layer {i}: {str(name)[:80]!r} is missing from the archive")
        claimed = diff_ids[i - 1] if i <= len(diff_ids) else None
        # the config's diff id names an uncompressed layer (checked when it is read)
        digest = _layer_digest(arch, name, where, claimed)
        by_digest[digest] = name
        layers.append(Layer(i, digest, "", arch.members[name].size))

    def opener(digest: str) -> IO[bytes]:
        name = by_digest.get(digest)
        blob = arch.read(name) if name is not None else None
        if blob is None:
            raise ImageError(where, f"blob {digest} is missing from the archive")
        return blob

    return Image(
        ref=ref,
        digest=cfg_digest,
        config=config,
        config_digest=cfg_digest,
        layers=_with_history(layers, config),
        platform=str(platform),
        opener=opener,
        closer=arch.close,
    )


def _layer_digest(arch: _Archive, name: str, where: str, claimed: Any) -> str:
    """A docker-save layer's digest: named by newer Docker (``blobs/sha256/<hex>``), else
    the config's diff id, else computed from the bytes. Checked when the layer is read."""
    m = re.fullmatch(r"blobs/sha256/([0-9a-f]{64})", name)
    if m:
        return f"sha256:{m.group(1)}"
    if isinstance(claimed, str) and _DIGEST.fullmatch(claimed):
        return claimed
    f = arch.read(name)
    if f is None:
        raise ImageError(where, f"layer {name!r} is not a regular file")
    h = hashlib.sha256()
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
    return "sha256:" + h.hexdigest()


#: skopeo/containers transports naming a local image
TRANSPORTS = ("oci:", "oci-archive:", "docker-archive:")


def split_local(ref: str) -> tuple[str, str]:
    """(path, tag) of a local image reference: ``PATH``, ``PATH:TAG`` (a tag of an OCI
    layout, by its ref name annotation) or skopeo's ``oci:PATH[:TAG]``,
    ``oci-archive:PATH[:TAG]``, ``docker-archive:PATH``."""
    for transport in TRANSPORTS:
        if ref.startswith(transport):
            ref = ref[len(transport) :]
            break
    if os.path.exists(os.path.expanduser(ref)):
        return ref, ""
    head, sep, tag = ref.rpartition(":")
    if sep and head and os.path.exists(os.path.expanduser(head)) and "/" not in tag:
        return head, tag
    return ref, ""


def looks_like_path(ref: str) -> bool:
    return (
        ref.startswith(("/", "./", "../", "~", *TRANSPORTS))
        or os.path.exists(ref)
        or os.path.exists(os.path.expanduser(split_local(ref)[0]))
    )


def open_local(ref: str, platform: Platform) -> Image:
    """An image from a path: an OCI layout directory, an OCI archive or a docker save tar
    (``PATH:TAG`` and skopeo's transports too, see :func:`split_local`)."""
    where, tag = split_local(ref)
    path = Path(where).expanduser()
    try:
        st = path.stat()
    except OSError as exc:
        raise ImageError(ref, f"cannot read the image: {exc.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        return _open_layout_dir(path, ref, platform, tag)
    if stat.S_ISREG(st.st_mode):
        return _open_archive(path, ref, platform, tag)
    raise ImageError(ref, "neither a directory nor a regular file")


def iter_chunks(f: IO[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    while chunk := f.read(size):
        yield chunk


class DigestReader(io.RawIOBase):
    """Reads ``inner`` and checks, at its end, that the bytes match ``digest``."""

    def __init__(self, inner: IO[bytes], digest: str, where: str) -> None:
        self._inner = inner
        self._digest = digest
        self._where = where
        self._hash = hashlib.sha256()
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._inner.read(len(b))
        if not data:
            if not self._done:
                self._done = True
                if "sha256:" + self._hash.hexdigest() != self._digest:
                    raise ImageError(self._where, f"blob {self._digest} does not match its digest")
            return 0
        self._hash.update(data)
        n = len(data)
        b[:n] = data
        return n

    def close(self) -> None:
        self._inner.close()
        super().close()
