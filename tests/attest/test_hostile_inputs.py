"""OCI image layouts are read defensively: hostile index.json / manifests / blobs give a
VerificationError, never another exception, and never a read outside the layout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipesec.attest import keys, oci
from pipesec.attest.errors import VerificationError

KEY = keys.generate("ed25519")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
digests = st.sampled_from(["sha256:" + "a" * 64, "sha256:../../etc/passwd", "md5:x", ""])
entries = st.fixed_dictionaries(
    {},
    optional={
        "digest": digests | json_values,
        "annotations": st.fixed_dictionaries(
            {},
            optional={
                "org.opencontainers.image.ref.name": st.sampled_from(
                    ["sha256-" + "a" * 64 + ".sig", "latest", ""]
                )
                | json_values
            },
        )
        | json_values,
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    index=st.fixed_dictionaries(
        {}, optional={"manifests": st.lists(entries, max_size=3) | json_values}
    )
    | json_values
)
def test_fuzz_layout_index(index: Any, tmp_path: Path) -> None:
    layout = tmp_path / "layout"
    (layout / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
    (layout / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    (layout / "index.json").write_text(json.dumps(index))
    with pytest.raises(VerificationError):
        oci.verify_layout(layout, (KEY.public_key(),))


def test_blob_outside_the_layout_is_never_read(tmp_path: Path) -> None:
    layout = tmp_path / "layout"
    (layout / "blobs" / "sha256").mkdir(parents=True)
    (layout / "oci-layout").write_text("{}")
    secret = tmp_path / "outside.json"
    secret.write_text("{}")
    target = layout / "blobs" / "sha256" / ("b" * 64)
    target.symlink_to(secret)
    entry = {"digest": "sha256:" + "b" * 64}
    (layout / "index.json").write_text(json.dumps({"manifests": [entry]}))
    with pytest.raises(VerificationError, match="symbolic link"):
        oci.read_blob(layout, entry["digest"])
    with pytest.raises(VerificationError, match="malformed digest"):
        oci.read_blob(layout, "sha256:../../outside.json")


def test_several_images_are_ambiguous(tmp_path: Path) -> None:
    layout = tmp_path / "layout"
    layout.mkdir()
    (layout / "oci-layout").write_text("{}")
    manifests = [{"digest": "sha256:" + c * 64} for c in "ab"]
    (layout / "index.json").write_text(json.dumps({"manifests": manifests}))
    with pytest.raises(VerificationError, match=r"expected one image in index\.json, found 2"):
        oci.image_digest(layout)


bundle_like = st.fixed_dictionaries(
    {},
    optional={
        "mediaType": st.sampled_from(["application/vnd.dev.sigstore.bundle.v0.3+json", "x"])
        | json_values,
        "verificationMaterial": st.fixed_dictionaries(
            {},
            optional={
                "publicKey": st.fixed_dictionaries({}, optional={"hint": json_values})
                | json_values,
                "tlogEntries": json_values,
            },
        )
        | json_values,
        "messageSignature": st.fixed_dictionaries(
            {},
            optional={
                "messageDigest": json_values,
                "signature": st.sampled_from(["", "AAAA", "not base64"]) | json_values,
            },
        )
        | json_values,
        "dsseEnvelope": json_values,
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=bundle_like | json_values)
def test_fuzz_key_bundle(document: Any, tmp_path: Path) -> None:
    from pipesec.attest.bundle import verify_key_bundle

    artifact = tmp_path / "a.bin"
    artifact.write_bytes(b"a")
    with pytest.raises(VerificationError):
        verify_key_bundle(artifact, document, [KEY.public_key()])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_fuzz_attestation_file(text: str, tmp_path: Path) -> None:
    from pipesec.attest.verify import load_envelopes, verify_attestation

    path = tmp_path / "a.att.json"
    path.write_text(text)
    try:
        envelopes = load_envelopes(path)
    except VerificationError:
        return
    for envelope in envelopes:
        with pytest.raises(VerificationError):
            verify_attestation({"sha256": "0" * 64}, envelope, [KEY.public_key()], None)
