"""Hypothesis: manifests, indexes, configs and layer tars from arbitrary bytes and JSON never
raise anything but ImageError (a one-line message), never hang, never write outside."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipesec.scanners.containers import config_checks as cc
from pipesec.scanners.containers.image import ImageError, Layer, Platform, open_local
from pipesec.scanners.containers.layers import index_layer, merge, resolve

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
_FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _layout(root: Path, index: Any, blobs: list[bytes]) -> None:
    (root / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
    (root / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    (root / "index.json").write_bytes(json.dumps(index).encode())
    for b in blobs:
        (root / "blobs" / "sha256" / hashlib.sha256(b).hexdigest()).write_bytes(b)


def _desc(data: bytes, **extra: Any) -> dict[str, Any]:
    return {"digest": "sha256:" + hashlib.sha256(data).hexdigest(), "size": len(data), **extra}


@_FUZZ
@given(manifest=_json, config=_json)
def test_manifest_and_config_documents(manifest: Any, config: Any) -> None:
    cfg = json.dumps(config).encode()
    man = manifest if isinstance(manifest, dict) else {"x": manifest}
    man = {**man, "config": _desc(cfg)} if len(json.dumps(man)) % 2 else man
    raw = json.dumps(man).encode()
    with tempfile.TemporaryDirectory() as tmp:
        _layout(
            Path(tmp), {"manifests": [_desc(raw, mediaType=man.get("mediaType", ""))]}, [raw, cfg]
        )
        try:
            open_local(tmp, Platform()).close()
        except ImageError as exc:
            assert "\n" not in str(exc)
    # the config helpers take any JSON
    if isinstance(config, dict):
        cc.user_is_root(config)
        list(cc.build_args(cc.history(config)))
        cc.env_pairs(config)
        cc.exposed_ports(config)


@_FUZZ
@given(index=_json)
def test_index_documents(index: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _layout(Path(tmp), index, [])
        try:
            open_local(tmp, Platform()).close()
        except ImageError as exc:
            assert "\n" not in str(exc)


@_FUZZ
@given(
    names=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=8),
    kinds=st.lists(
        st.sampled_from([tarfile.REGTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.DIRTYPE]),
        min_size=8,
        max_size=8,
    ),
    links=st.lists(st.text(max_size=30), min_size=8, max_size=8),
    cut=st.integers(min_value=0, max_value=4000),
)
def test_layer_tars(names: list[str], kinds: list[bytes], links: list[str], cut: int) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, kind, link in zip(names, kinds, links, strict=False):
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = link
            data = name.encode("utf-8", "replace") if kind == tarfile.REGTYPE else b""
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    raw = buf.getvalue()
    raw = raw[: max(cut, 512)] if cut < len(raw) else raw
    layer = Layer(1, "sha256:" + "0" * 64, "", len(raw))
    try:
        idx = index_layer(layer, io.BytesIO(raw))
    except ImageError as exc:
        assert "\n" not in str(exc)
        return
    merged = merge([idx])
    for path in list(merged)[:8]:
        resolve(merged, path)
        assert path.startswith("/") and "/../" not in path + "/"
