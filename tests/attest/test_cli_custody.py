"""End to end through the CLI: keys, sign, attest, verify of a file and of an OCI image
layout; each part tampered gives its exact failure line; exit codes 0 / 1 / 2."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipesec.cli.main import app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "attest" / "sigstore-python"
runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout + result.stderr


def attest(subject: str | Path, kind: str, predicate: str) -> None:
    code, out = run(
        "attest", subject, "--key", "ci.key", "--predicate-type", kind, "--predicate", predicate
    )
    assert code == 0, out


def make_layout(root: Path) -> Path:
    """A minimal OCI image layout: one manifest with a config blob."""
    layout = root / "image"
    blobs = layout / "blobs" / "sha256"
    blobs.mkdir(parents=True)

    def blob(data: bytes) -> dict[str, object]:
        digest = hashlib.sha256(data).hexdigest()
        (blobs / digest).write_bytes(data)
        return {"digest": f"sha256:{digest}", "size": len(data)}

    config = {
        "mediaType": "application/vnd.oci.image.config.v1+json",
        **blob(b'{"architecture":"amd64","os":"linux"}'),
    }
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": config,
        "layers": [],
    }
    entry = {
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        **blob(json.dumps(manifest).encode()),
    }
    (layout / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    (layout / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [entry]}))
    return layout


@pytest.fixture(scope="module")
def signed_once(tmp_path_factory: pytest.TempPathFactory, key_files: Path) -> Path:
    """app.tar signed (app.tar.sig, app.bundle.json) and attested (app.tar.att.json)."""
    root = tmp_path_factory.mktemp("signed")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PIPESEC_KEY_PASSWORD", "pw")
        mp.chdir(root)
        for suffix in (".key", ".pub"):
            shutil.copy(key_files.with_suffix(suffix), root / f"ci{suffix}")
        (root / "app.tar").write_bytes(b"release artifact\n")
        (root / "sbom.json").write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6"}')
        (root / "scan.json").write_text(
            json.dumps({"tool": {"version": "0.1.0"}, "gate": {"passed": True, "reasons": []}})
        )
        assert run("sign", "app.tar", "--key", "ci.key", "--bundle", "app.bundle.json")[0] == 0
        attest("app.tar", "cyclonedx", "sbom.json")
        attest("app.tar", "pipesec-scan", "scan.json")
        mp.setenv("GITHUB_ACTIONS", "true")
        mp.setenv("GITHUB_REPOSITORY", "acme/shop")
        code, out = run(
            "attest", "app.tar", "--key", "ci.key", "--predicate-type", "slsaprovenance"
        )
        assert code == 0, out
    return root


@pytest.fixture
def signed(signed_once: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of ``signed_once`` in tmp_path, the working directory."""
    shutil.copytree(signed_once, tmp_path, dirs_exist_ok=True)
    monkeypatch.setenv("PIPESEC_KEY_PASSWORD", "pw")
    monkeypatch.chdir(tmp_path)
    return tmp_path


ALL_TYPES = (
    "--attestation-type",
    "cyclonedx",
    "--attestation-type",
    "pipesec-scan",
    "--attestation-type",
    "slsaprovenance",
)


def test_keys_generate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSIGN_PASSWORD", "")
    code, out = run("keys", "generate", "--type", "ed25519", "--out", tmp_path / "k")
    assert code == 0, out
    assert (tmp_path / "k.key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "k.key").read_text().startswith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY")
    assert (tmp_path / "k.pub").read_text().startswith("-----BEGIN PUBLIC KEY")
    code, out = run("keys", "generate", "--out", tmp_path / "k")
    assert code == 2 and "exists" in out
    assert run("keys", "generate", "--type", "rsa", "--out", tmp_path / "r")[0] == 2


def test_round_trip(signed: Path) -> None:
    assert run("verify", "app.tar", "--key", "ci.pub") == (0, "Verified OK: app.tar\n")
    assert run("verify", "app.tar", "--key", "ci.pub", "--bundle", "app.bundle.json")[0] == 0
    assert (
        run("verify", "app.tar", "--key", "ci.pub", "--signature", "app.tar.sig", *ALL_TYPES)[0]
        == 0
    )
    assert len((signed / "app.tar.att.json").read_text().splitlines()) == 3


def test_signature_is_cosign_blob_format(signed: Path) -> None:
    """cosign verify-blob --key: base64 of an ASN.1 ECDSA P-256 signature over the file."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    public = serialization.load_pem_public_key((signed / "ci.pub").read_bytes())
    assert isinstance(public, ec.EllipticCurvePublicKey)
    raw = base64.b64decode((signed / "app.tar.sig").read_bytes(), validate=True)
    public.verify(raw, (signed / "app.tar").read_bytes(), ec.ECDSA(hashes.SHA256()))
    bundle = json.loads((signed / "app.bundle.json").read_text())
    assert bundle["mediaType"] == "application/vnd.dev.sigstore.bundle.v0.3+json"
    assert base64.b64decode(bundle["messageSignature"]["messageDigest"]["digest"]) == (
        hashlib.sha256((signed / "app.tar").read_bytes()).digest()
    )


def _flip_b64(path: Path) -> None:
    raw = bytearray(base64.b64decode(path.read_bytes()))
    raw[10] ^= 1
    path.write_bytes(base64.b64encode(bytes(raw)))


def _edit_envelope_payload(path: Path, kind: str, change: dict[str, object]) -> None:
    lines = []
    for line in path.read_text().splitlines():
        envelope = json.loads(line)
        statement = json.loads(base64.b64decode(envelope["payload"]))
        if kind in statement["predicateType"]:
            statement.update(change)
            envelope["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
        lines.append(json.dumps(envelope))
    path.write_text("\n".join(lines) + "\n")


def test_tampering_each_part(signed: Path, tmp_path: Path) -> None:
    # the artifact: signature, bundle digest and every attestation's subject fail
    (tmp_path / "app.tar").write_bytes(b"release artifact, patched\n")
    code, out = run("verify", "app.tar", "--key", "ci.pub", *ALL_TYPES)
    assert code == 1
    assert "FAILED signature: does not verify app.tar with a trusted key" in out
    assert out.count("FAILED attestation: no subject has the artifact's digest sha256:") == 3
    code, out = run("verify", "app.tar", "--key", "ci.pub", "--bundle", "app.bundle.json")
    assert (code, out) == (1, "FAILED bundle: message digest is not the digest of app.tar\n")
    (tmp_path / "app.tar").write_bytes(b"release artifact\n")
    # the signature
    _flip_b64(tmp_path / "app.tar.sig")
    code, out = run("verify", "app.tar", "--key", "ci.pub")
    assert (code, out) == (1, "FAILED signature: does not verify app.tar with a trusted key\n")
    (tmp_path / "app.tar.sig").write_text("not base64 at all!")
    code, out = run("verify", "app.tar", "--key", "ci.pub")
    assert (code, out) == (1, "FAILED signature: not base64 (cosign's .sig format)\n")
    # the envelope's payload (a statement naming another predicate, re-encoded)
    _edit_envelope_payload(tmp_path / "app.tar.att.json", "cyclonedx", {"predicate": {}})
    code, out = run(
        "verify", "app.tar", "--key", "ci.pub", "--bundle", "app.bundle.json", *ALL_TYPES
    )
    assert (code, out) == (1, "FAILED envelope: no signature verifies with a trusted key\n")


def test_wrong_key_and_malformed_files(signed: Path, tmp_path: Path, other_key: object) -> None:
    from pipesec.attest import keys

    (tmp_path / "other.pub").write_bytes(keys.public_pem(other_key))  # type: ignore[arg-type]
    code, out = run("verify", "app.tar", "--key", "other.pub", *ALL_TYPES)
    assert code == 1
    assert out.splitlines() == [
        "FAILED signature: does not verify app.tar with a trusted key",
        *["FAILED envelope: no signature verifies with a trusted key"] * 3,
    ]
    (tmp_path / "app.tar.att.json").write_text("{not json\n")
    code, out = run("verify", "app.tar", "--key", "ci.pub", "--attestation-type", "cyclonedx")
    assert out.splitlines() == [
        "FAILED attestation: app.tar.att.json line 1 is not JSON",
        "FAILED attestation: none of type cyclonedx",
    ]
    (tmp_path / "app.bundle.json").write_text('{"mediaType": "x"}')
    code, out = run("verify", "app.tar", "--key", "ci.pub", "--bundle", "app.bundle.json")
    assert code == 1 and out.startswith("FAILED bundle: not a valid Sigstore bundle")
    code, out = run("verify", "app.tar", "--key", "ci.pub", "--attestation-type", "vuln")
    assert code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("verify", "missing.tar", "--key", "ci.pub"), "missing.tar: no such artifact"),
        (("verify", "app.tar", "--key", "nope.pub"), "nope.pub: cannot read key"),
        (("verify", "app.tar", "--key", "ci.key"), "ci.key: not a PEM public key"),
        (("verify", "app.tar"), "name a trusted --key"),
        (("verify", "app.tar", "--key", "ci.pub", "--signature", "gone.sig"), "gone.sig: no such"),
        (("sign", "app.tar"), "--key is required"),
        (
            ("attest", "app.tar", "--key", "ci.key", "--predicate-type", "cyclonedx"),
            "--predicate FILE is required",
        ),
    ],
)
def test_usage_errors(signed: Path, args: tuple[str, ...], message: str) -> None:
    code, out = run(*args)
    assert code == 2 and message in out, out


def test_wrong_password(signed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPESEC_KEY_PASSWORD", "not it")
    code, out = run("sign", "app.tar", "--key", "ci.key")
    assert code == 2 and "wrong password" in out


def test_oci_layout(signed: Path, tmp_path: Path) -> None:
    layout = make_layout(tmp_path)
    code, out = run("sign", "--image", layout, "--key", "ci.key", "--reference", "reg/app:1")
    assert code == 0, out
    attest(layout, "cyclonedx", "sbom.json")
    assert run("verify", layout, "--key", "ci.pub", "--signature", "/dev/null")[0] == 2
    assert run("verify", layout, "--key", "ci.pub") == (0, f"Verified OK: {layout}\n")
    code, out = run("verify", layout, "--key", "ci.pub", "--attestation-type", "cyclonedx")
    assert code == 0, out
    index = json.loads((layout / "index.json").read_text())
    image, sig = index["manifests"]
    tag = sig["annotations"]["org.opencontainers.image.ref.name"]
    assert tag == image["digest"].replace(":", "-") + ".sig"
    manifest = json.loads((layout / "blobs/sha256" / sig["digest"][7:]).read_bytes())
    layer = manifest["layers"][0]
    assert layer["mediaType"] == "application/vnd.dev.cosign.simplesigning.v1+json"
    payload = json.loads((layout / "blobs/sha256" / layer["digest"][7:]).read_bytes())
    assert payload["critical"] == {
        "identity": {"docker-reference": "reg/app:1"},
        "image": {"docker-manifest-digest": image["digest"]},
        "type": "cosign container image signature",
    }
    # wrong key
    from pipesec.attest import keys

    (tmp_path / "o.pub").write_bytes(keys.public_pem(keys.generate()))
    code, out = run("verify", layout, "--key", "o.pub")
    assert code == 1 and "FAILED signature: no signature verifies with a trusted key" in out
    # the signed payload's blob altered: its digest no longer matches
    (layout / "blobs/sha256" / layer["digest"][7:]).write_bytes(b"{}")
    code, out = run("verify", layout, "--key", "ci.pub")
    assert code == 1 and "does not match its digest" in out
    # the image changed (another manifest digest): no signature for it, attestation stale
    (layout / "blobs/sha256" / layer["digest"][7:]).unlink()
    config = {"mediaType": "application/vnd.oci.image.manifest.v1+json", "layers": []}
    data = json.dumps(config).encode()
    digest = hashlib.sha256(data).hexdigest()
    (layout / "blobs/sha256" / digest).write_bytes(data)
    image["digest"] = f"sha256:{digest}"
    (layout / "index.json").write_text(json.dumps(index))
    code, out = run("verify", layout, "--key", "ci.pub", "--attestation-type", "cyclonedx")
    assert code == 1
    assert out.splitlines() == [
        f"FAILED signature: no sha256-{digest}.sig signature in the OCI layout",
        f"FAILED attestation: no subject has the artifact's digest sha256:{digest}",
    ]


IDENTITY = (
    "--certificate-identity",
    "william@yossarian.net",
    "--certificate-oidc-issuer",
    "https://github.com/login/oauth",
    "--trusted-root",
    FIXTURES / "staging_trusted_root.json",
)


def test_keyless_bundle_offline_published_example(tmp_path: Path) -> None:
    artifact = FIXTURES / "bundle_v3.txt"
    bundle = FIXTURES / "bundle_v3.txt.sigstore"
    assert run("verify", artifact, "--bundle", bundle, *IDENTITY)[0] == 0
    wrong_identity = list(IDENTITY)
    wrong_identity[1] = "mallory@example.com"
    code, out = run("verify", artifact, "--bundle", bundle, *wrong_identity)
    assert code == 1 and "do not match mallory@example.com" in out
    wrong_issuer = list(IDENTITY)
    wrong_issuer[3] = "https://accounts.google.com"
    code, out = run("verify", artifact, "--bundle", bundle, *wrong_issuer)
    assert code == 1 and out.startswith("FAILED bundle: ")
    changed = tmp_path / "bundle_v3.txt"
    changed.write_bytes(artifact.read_bytes() + b"!")
    assert run("verify", changed, "--bundle", bundle, *IDENTITY)[0] == 1
    # the certificate tampered (one byte of its DER), the signature tampered
    document = json.loads(bundle.read_text())
    cert = bytearray(base64.b64decode(document["verificationMaterial"]["certificate"]["rawBytes"]))
    cert[-5] ^= 1
    document["verificationMaterial"]["certificate"]["rawBytes"] = base64.b64encode(cert).decode()
    (tmp_path / "cert.sigstore").write_text(json.dumps(document))
    code, out = run("verify", artifact, "--bundle", tmp_path / "cert.sigstore", *IDENTITY)
    assert code == 1 and out.startswith("FAILED bundle: ")
    document = json.loads(bundle.read_text())
    sig = bytearray(base64.b64decode(document["messageSignature"]["signature"]))
    sig[-3] ^= 1
    document["messageSignature"]["signature"] = base64.b64encode(sig).decode()
    (tmp_path / "sig.sigstore").write_text(json.dumps(document))
    code, out = run("verify", artifact, "--bundle", tmp_path / "sig.sigstore", *IDENTITY)
    assert code == 1 and out.startswith("FAILED bundle: ")
    # a key-based bundle given to keyless verification (and the reverse) is a failure
    code, out = run("verify", artifact, "--bundle", bundle, "--key", FIXTURES / "missing.pub")
    assert code == 2
