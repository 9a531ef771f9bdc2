"""``pipesec admission serve``: real AdmissionReview v1 JSON over HTTPS on loopback,
with a self-signed certificate made in the test."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from tests.deploy.conftest import Kit

from pipesec.deploy import admission, settings


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pipesec-admission.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "tls.crt", directory / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Webhook:
    def __init__(self, kit: Kit, extra: str = "") -> None:
        self.store = kit.root / "store"
        self.store.mkdir()
        now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        self.good = kit.image(self.store, "web", now, tag="registry.example/web:1.0")
        self.stale = kit.image(self.store, "old", now - dt.timedelta(hours=48))
        cert, key = self_signed(kit.root)
        loaded = settings.load(kit.config(extra))
        self.server = admission.make_server(
            loaded, self.store, host="127.0.0.1", port=0, cert=cert, key=key
        )
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        self.context = ssl.create_default_context(cafile=str(cert))

    def post(self, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPSConnection(
            "localhost", self.server.server_port, context=self.context, timeout=10
        )
        try:
            conn.request(
                "POST", "/validate", body, {"Content-Type": "application/json", **(headers or {})}
            )
            reply = conn.getresponse()
            return reply.status, reply.read()
        finally:
            conn.close()

    def review(self, obj: dict[str, Any], operation: str = "CREATE") -> dict[str, Any]:
        review = {
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "request": {
                "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
                "kind": {"group": "", "version": "v1", "kind": obj["kind"]},
                "operation": operation,
                "namespace": "default",
                "object": obj,
            },
        }
        status, body = self.post(json.dumps(review).encode())
        assert status == 200
        answer = json.loads(body)
        assert answer["apiVersion"] == "admission.k8s.io/v1"
        assert answer["kind"] == "AdmissionReview"
        assert answer["response"]["uid"] == "705ab4f5-6393-11e8-b7cc-42010a800002"
        response: dict[str, Any] = answer["response"]
        return response

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook(kit: Kit) -> Iterator[Webhook]:
    webhook = Webhook(kit)
    yield webhook
    webhook.close()


def pod(*images: str, init: str = "", ephemeral: str = "") -> dict[str, Any]:
    spec: dict[str, Any] = {
        "containers": [{"name": f"c{i}", "image": image} for i, image in enumerate(images)]
    }
    if init:
        spec["initContainers"] = [{"name": "init", "image": init}]
    if ephemeral:
        spec["ephemeralContainers"] = [{"name": "debug", "image": ephemeral}]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}


def workload(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    template = {"metadata": {}, "spec": spec}
    if kind == "CronJob":
        body = {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": template}}}
    else:
        body = {"template": template}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "w"}, "spec": body}


def test_signed_attested_image_is_admitted(hook: Webhook) -> None:
    image = f"registry.example/web@{hook.good}"
    assert hook.review(pod(image)) == {
        "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
        "allowed": True,
    }


@pytest.mark.parametrize(
    "kind", ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"]
)
def test_workload_templates_are_checked(hook: Webhook, kind: str) -> None:
    good = {"containers": [{"name": "app", "image": f"web@{hook.good}"}]}
    assert hook.review(workload(kind, good))["allowed"] is True
    bad = {"containers": [{"name": "app", "image": f"old@{hook.stale}"}]}
    answer = hook.review(workload(kind, bad))
    assert answer["allowed"] is False
    assert answer["status"]["code"] == 403
    assert "scan: the newest passing scan finished" in answer["status"]["message"]


def test_every_container_list_is_checked(hook: Webhook) -> None:
    good = f"web@{hook.good}"
    unknown = "web@sha256:" + "0" * 64
    for obj in (pod(good, init=unknown), pod(good, ephemeral=unknown), pod(good, unknown)):
        answer = hook.review(obj)
        assert answer["allowed"] is False
        assert "not in the image store" in answer["status"]["message"]


def test_tags_without_digest_are_refused(hook: Webhook) -> None:
    answer = hook.review(pod("registry.example/web:1.0"))
    assert answer["allowed"] is False
    assert answer["status"]["message"] == (
        "pipesec: container c0: image registry.example/web:1.0 has no digest "
        "(pin it as image@sha256:...)"
    )


def test_tags_allowed_by_policy_resolve_through_the_store(kit: Kit) -> None:
    webhook = Webhook(kit, "allow-tags = true\n")
    try:
        assert webhook.review(pod("registry.example/web:1.0"))["allowed"] is True
        answer = webhook.review(pod("registry.example/web:2.0"))
        assert "is not in the image store" in answer["status"]["message"]
    finally:
        webhook.close()


def test_untrusted_signature_is_refused_and_verdicts_are_cached(hook: Webhook, kit: Kit) -> None:
    from pipesec.attest import keys

    image = f"web@{hook.good}"
    assert hook.review(pod(image))["allowed"] is True
    # the verdict is cached by digest: a changed key file is not re-read per request
    verifier = hook.server.verifier
    verifier._cache.clear()
    object.__setattr__(verifier.settings, "keys", (keys.generate().public_key(),))
    answer = hook.review(pod(image))
    assert answer["allowed"] is False
    assert "signature: no signature verifies with a trusted key" in answer["status"]["message"]


def test_delete_and_other_kinds(hook: Webhook) -> None:
    assert hook.review(pod("anything:latest"), operation="DELETE")["allowed"] is True
    answer = hook.review({"apiVersion": "v1", "kind": "ConfigMap", "data": {}})
    assert answer["allowed"] is False
    assert "not checked by this webhook (fail-closed)" in answer["status"]["message"]


def test_malformed_and_oversized_requests(hook: Webhook) -> None:
    assert hook.post(b"{not json")[0] == 400
    assert hook.post(json.dumps({"apiVersion": "v1", "request": {}}).encode())[0] == 400
    # the server answers from the header alone, before reading a byte of the body
    assert hook.post(b"{}", {"Content-Length": str(3 * 2**20 + 1)})[0] == 413


def test_plain_http_and_stalled_clients_do_not_block_the_server(hook: Webhook) -> None:
    port = hook.server.server_port
    stalled = socket.create_connection(("127.0.0.1", port))  # never sends a TLS hello
    try:
        with socket.create_connection(("127.0.0.1", port)) as plain:
            plain.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n\r\n")
            plain.settimeout(5)
            with pytest.raises((ConnectionError, OSError)):
                if not plain.recv(100):
                    raise ConnectionError("closed")
        assert hook.review(pod(f"web@{hook.good}"))["allowed"] is True
    finally:
        stalled.close()


def test_serve_usage_errors(kit: Kit) -> None:
    from typer.testing import CliRunner

    from pipesec.cli.main import app

    config = kit.config("")
    store = kit.root / "store"
    store.mkdir()
    base = ["admission", "serve", "--config", str(config), "--port", "0", "--host", "127.0.0.1"]
    missing_tls = [*base, "--store", str(store), "--tls-cert", "no.crt", "--tls-key", "no.key"]
    result = CliRunner().invoke(app, missing_tls)
    assert result.exit_code == 2
    assert "--tls-cert/--tls-key: cannot load" in result.stderr
    cert, key = self_signed(kit.root)
    no_store = [*base, "--store", "nowhere", "--tls-cert", str(cert), "--tls-key", str(key)]
    result = CliRunner().invoke(app, no_store)
    assert result.exit_code == 2
    assert "--store nowhere: not a directory" in result.stderr
