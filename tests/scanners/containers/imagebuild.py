"""Build real container images from files, for tests: OCI layout directories, OCI archives
and ``docker save`` tarballs, with gzip, zstd or uncompressed layers.

A layer is a dict of path -> content: ``bytes`` (a regular file, mode 0644), :class:`File`
(mode, uid), :class:`Link` (a symlink), :data:`WHITEOUT` (delete the path from the layers
below) or :data:`OPAQUE` (a directory whose lower contents are hidden).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WHITEOUT = object()
OPAQUE = object()


@dataclass
class File:
    data: bytes
    mode: int = 0o644
    uid: int = 0


@dataclass
class Link:
    target: str


@dataclass
class Raw:
    """A tar member written as given (hostile names, hard links ...)."""

    name: str
    type: bytes = tarfile.REGTYPE
    data: bytes = b""
    linkname: str = ""


@dataclass
class Spec:
    layers: list[dict[str, Any]]
    user: str = ""
    env: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    ports: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)  # created_by of each layer
    extra_history: list[str] = field(default_factory=list)  # empty-layer steps (ARG, ENV ...)
    os: str = "linux"
    arch: str = "amd64"


def layer_tar(files: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        dirs: set[str] = set()
        for path, content in files.items():
            rel = path.lstrip("/")
            parts = rel.split("/")
            for i in range(1, len(parts)):
                d = "/".join(parts[:i])
                if d not in dirs:
                    dirs.add(d)
                    info = tarfile.TarInfo(d)
                    info.type = tarfile.DIRTYPE
                    info.mode = 0o755
                    tar.addfile(info)
            if isinstance(content, Raw):
                info = tarfile.TarInfo(content.name)
                info.type = content.type
                info.linkname = content.linkname
                info.size = len(content.data) if content.type == tarfile.REGTYPE else 0
                tar.addfile(info, io.BytesIO(content.data) if info.size else None)
                continue
            if content is WHITEOUT:
                head, _, base = rel.rpartition("/")
                info = tarfile.TarInfo(f"{head}/.wh.{base}" if head else f".wh.{base}")
                tar.addfile(info, io.BytesIO(b""))
                continue
            if content is OPAQUE:
                info = tarfile.TarInfo(f"{rel}/.wh..wh..opq")
                tar.addfile(info, io.BytesIO(b""))
                continue
            if isinstance(content, Link):
                info = tarfile.TarInfo(rel)
                info.type = tarfile.SYMTYPE
                info.linkname = content.target
                tar.addfile(info)
                continue
            f = content if isinstance(content, File) else File(content)
            info = tarfile.TarInfo(rel)
            info.size = len(f.data)
            info.mode = f.mode
            info.uid = f.uid
            tar.addfile(info, io.BytesIO(f.data))
    return buf.getvalue()


def compress(data: bytes, how: str) -> bytes:
    if how == "gzip":
        return gzip.compress(data, compresslevel=1, mtime=0)
    if how == "zstd":
        import zstandard

        return zstandard.ZstdCompressor(level=1).compress(data)
    return data


_LAYER_TYPES = {
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
    "none": "application/vnd.oci.image.layer.v1.tar",
}


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _config(spec: Spec, diff_ids: list[str]) -> bytes:
    history = [{"created_by": h, "empty_layer": True} for h in spec.extra_history]
    history += [
        {"created_by": spec.history[i] if i < len(spec.history) else f"COPY layer{i} /"}
        for i in range(len(diff_ids))
    ]
    cfg: dict[str, Any] = {
        "architecture": spec.arch,
        "os": spec.os,
        "config": {"Env": spec.env, "Labels": spec.labels or None},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }
    if spec.user:
        cfg["config"]["User"] = spec.user
    if spec.ports:
        cfg["config"]["ExposedPorts"] = {p: {} for p in spec.ports}
    return json.dumps(cfg, sort_keys=True).encode()


def _blobs(spec: Spec, how: str) -> tuple[dict[str, bytes], bytes, str]:
    """(blobs by digest, manifest bytes, manifest digest)."""
    blobs: dict[str, bytes] = {}
    descs = []
    diff_ids = []
    for files in spec.layers:
        tar = layer_tar(files)
        diff_ids.append(_digest(tar))
        blob = compress(tar, how)
        blobs[_digest(blob)] = blob
        descs.append({"mediaType": _LAYER_TYPES[how], "digest": _digest(blob), "size": len(blob)})
    config = _config(spec, diff_ids)
    blobs[_digest(config)] = config
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": _digest(config),
                "size": len(config),
            },
            "layers": descs,
        }
    ).encode()
    blobs[_digest(manifest)] = manifest
    return blobs, manifest, _digest(manifest)


def oci_files(specs: list[Spec], how: str = "gzip") -> tuple[dict[str, bytes], list[str]]:
    """The files of an OCI layout (path -> bytes) and the manifest digests. More than one
    spec makes a multi-platform index."""
    files: dict[str, bytes] = {"oci-layout": b'{"imageLayoutVersion": "1.0.0"}'}
    entries = []
    digests = []
    for spec in specs:
        blobs, manifest, digest = _blobs(spec, how)
        digests.append(digest)
        for d, data in blobs.items():
            files[f"blobs/sha256/{d.split(':')[1]}"] = data
        entry: dict[str, Any] = {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": digest,
            "size": len(manifest),
        }
        if len(specs) > 1:
            entry["platform"] = {"os": spec.os, "architecture": spec.arch}
        entries.append(entry)
    if len(specs) > 1:
        index = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.oci.image.index.v1+json",
                "manifests": entries,
            }
        ).encode()
        files[f"blobs/sha256/{_digest(index).split(':')[1]}"] = index
        entries = [
            {
                "mediaType": "application/vnd.oci.image.index.v1+json",
                "digest": _digest(index),
                "size": len(index),
            }
        ]
    files["index.json"] = json.dumps({"schemaVersion": 2, "manifests": entries}).encode()
    return files, digests


def write_oci_dir(dest: Path, *specs: Spec, how: str = "gzip") -> str:
    files, digests = oci_files(list(specs), how)
    for rel, data in files.items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return digests[0]


def _tar(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def write_oci_archive(dest: Path, *specs: Spec, how: str = "gzip") -> str:
    files, digests = oci_files(list(specs), how)
    dest.write_bytes(_tar(files))
    return digests[0]


def docker_save_bytes(spec: Spec, tag: str = "app:latest") -> bytes:
    """A classic ``docker save`` tarball (``<id>/layer.tar``, ``<config>.json``)."""
    members: dict[str, bytes] = {}
    names = []
    diff_ids = []
    for i, files in enumerate(spec.layers):
        tar = layer_tar(files)
        diff_ids.append(_digest(tar))
        name = f"{hashlib.sha256(str(i).encode() + tar).hexdigest()}/layer.tar"
        members[name] = tar
        names.append(name)
    config = _config(spec, diff_ids)
    cfg_name = f"{hashlib.sha256(config).hexdigest()}.json"
    members[cfg_name] = config
    members["manifest.json"] = json.dumps(
        [{"Config": cfg_name, "RepoTags": [tag], "Layers": names}]
    ).encode()
    return _tar(members)


def write_docker_save(dest: Path, spec: Spec, tag: str = "app:latest") -> str:
    data = docker_save_bytes(spec, tag)
    dest.write_bytes(data)
    with tarfile.open(dest) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        config = tar.extractfile(manifest[0]["Config"]).read()  # type: ignore[union-attr]
    return _digest(config)
