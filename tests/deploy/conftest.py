"""Keys, signed artifacts, attestations and OCI layouts for the deploy gate and webhook
tests, made with pipesec's own attest library (real ECDSA P-256 signatures)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipesec.attest import dsse, keys, oci
from pipesec.attest.statement import make_statement

SCAN = "https://github.com/pipesec/pipesec/attestation/scan/v1"
PROVENANCE = "https://slsa.dev/provenance/v1"
SBOM = "https://cyclonedx.org/bom"
BUILDER = "https://github.com/actions/runner/github-hosted"
# Monday 2026-12-07 10:00 in Berlin (09:00 UTC)
MONDAY_MORNING = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def provenance(ref: str = "refs/heads/main", builder: str = BUILDER) -> dict[str, Any]:
    return {
        "buildDefinition": {
            "buildType": "https://actions.github.io/buildtypes/workflow/v1",
            "externalParameters": {
                "workflow": {
                    "ref": ref,
                    "repository": "https://github.com/acme/app",
                    "path": ".github/workflows/release.yml",
                }
            },
            "resolvedDependencies": [
                {"uri": "git+https://github.com/acme/app", "digest": {"gitCommit": "a" * 40}}
            ],
        },
        "runDetails": {"builder": {"id": builder}, "metadata": {}},
    }


def scan(finished: dt.datetime, passed: bool = True) -> dict[str, Any]:
    return {
        "scanner": {"uri": "https://github.com/pipesec/pipesec", "version": "0.1.0"},
        "timeFinished": finished.isoformat().replace("+00:00", "Z"),
        "passed": passed,
        "reasons": [] if passed else ["1 finding at or above high"],
        "summary": {},
    }


class Kit:
    """One trusted key (``key``/``pub``), one untrusted key, and writers."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.key = keys.generate("ecdsa-p256")
        self.other = keys.generate("ecdsa-p256")
        self.pub = root / "trusted.pub"
        self.pub.write_bytes(keys.public_pem(self.key))

    def envelope(
        self, name: str, digest: str, ptype: str, predicate: dict[str, Any], key: Any = None
    ) -> dict[str, Any]:
        statement = make_statement([(name, {"sha256": digest})], ptype, predicate)
        payload = json.dumps(statement).encode()
        return dsse.sign_envelope(payload, "application/vnd.in-toto+json", key or self.key)

    def standard(
        self, name: str, digest: str, finished: dt.datetime, **kw: Any
    ) -> list[dict[str, Any]]:
        return [
            self.envelope(name, digest, SCAN, scan(finished, kw.get("passed", True))),
            self.envelope(name, digest, SBOM, {"bomFormat": "CycloneDX", "specVersion": "1.6"}),
            self.envelope(name, digest, PROVENANCE, provenance(kw.get("ref", "refs/heads/main"))),
        ]

    def artifact(self, finished: dt.datetime = MONDAY_MORNING, **kw: Any) -> Path:
        """``app.tar.gz`` signed, with scan/SBOM/provenance attestations beside it."""
        path = self.root / "app.tar.gz"
        path.write_bytes(b"release bytes\n")
        sig = keys.sign(self.key, path.read_bytes())
        (self.root / "app.tar.gz.sig").write_bytes(base64.b64encode(sig))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        write_envelopes(
            self.root / "app.tar.gz.att.json", self.standard(path.name, digest, finished, **kw)
        )
        return path

    def config(self, deploy: str, name: str = "deploy.toml") -> Path:
        path = self.root / name
        path.write_text(f'[deploy]\nkeys = ["trusted.pub"]\nbuilders = ["{BUILDER}"]\n{deploy}')
        return path

    def image(self, store: Path, name: str, finished: dt.datetime, tag: str = "") -> str:
        """An OCI layout ``store/name`` (one tiny image), signed, attested beside it;
        returns ``sha256:<hex>``."""
        layout = store / name
        (layout / "blobs" / "sha256").mkdir(parents=True)
        (layout / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')

        def blob(data: bytes) -> dict[str, Any]:
            d = hashlib.sha256(data).hexdigest()
            (layout / "blobs" / "sha256" / d).write_bytes(data)
            return {"digest": f"sha256:{d}", "size": len(data)}

        config = blob(json.dumps({"architecture": "amd64", "os": "linux", "name": name}).encode())
        manifest = {
            "schemaVersion": 2,
            "mediaType": oci.MANIFEST,
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
            "layers": [],
        }
        entry: dict[str, Any] = {"mediaType": oci.MANIFEST, **blob(json.dumps(manifest).encode())}
        if tag:
            entry["annotations"] = {oci.REF_NAME: tag}
        (layout / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [entry]}))
        digest, _ = oci.sign_layout(layout, self.key, name)
        write_envelopes(
            store / f"{name}.att.json",
            self.standard(name, digest.removeprefix("sha256:"), finished),
        )
        return digest


def write_envelopes(path: Path, envelopes: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(e) + "\n" for e in envelopes))


@pytest.fixture
def kit(tmp_path: Path) -> Kit:
    return Kit(tmp_path)


@pytest.fixture
def no_ci(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for var in (
        "GITHUB_ACTIONS",
        "GITLAB_CI",
        "CI_JOB_MANUAL",
        "GITHUB_EVENT_NAME",
        "GITHUB_EVENT_PATH",
        "PIPESEC_ENVIRONMENT",
        "CI_ENVIRONMENT_NAME",
    ):
        monkeypatch.delenv(var, raising=False)
    yield
