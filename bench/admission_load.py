"""Admission webhook under load: 200 AdmissionReview requests/s for 10 s over HTTPS on
loopback, with a warm verdict cache; prints p50/p99 latency (goal: p99 under 50 ms).

The webhook runs as its own process (`pipesec admission serve`), as in a cluster; the load
is open-loop (each request has a scheduled send time, and latency is counted from it, so a
slow server cannot hide its queueing). Clients keep their connections alive, as the API
server does. Everything stays on 127.0.0.1; the run stops by itself.

Run: .venv/bin/python bench/admission_load.py [--rate 200] [--seconds 10]
No peer webhook (sigstore policy-controller, Kyverno) is installable offline here, so the
figure is printed against the goal only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import json
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pipesec.attest import dsse, keys, oci
from pipesec.attest.statement import make_statement

BIN = Path(sys.executable).parent / "pipesec"
SCAN = "https://github.com/pipesec/pipesec/attestation/scan/v1"
BUILDER = "https://github.com/actions/runner/github-hosted"


def _cert(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    (directory / "tls.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "tls.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return directory / "tls.crt", directory / "tls.key"


def _image(store: Path, name: str, key: Any) -> str:
    layout = store / name
    (layout / "blobs" / "sha256").mkdir(parents=True)
    (layout / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')

    def blob(data: bytes) -> dict[str, Any]:
        digest = hashlib.sha256(data).hexdigest()
        (layout / "blobs" / "sha256" / digest).write_bytes(data)
        return {"digest": f"sha256:{digest}", "size": len(data)}

    config = blob(json.dumps({"os": "linux", "architecture": "amd64", "name": name}).encode())
    manifest = {
        "schemaVersion": 2,
        "mediaType": oci.MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
        "layers": [],
    }
    entry = {"mediaType": oci.MANIFEST, **blob(json.dumps(manifest).encode())}
    (layout / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [entry]}))
    digest, _ = oci.sign_layout(layout, key, name)
    hexd = digest.removeprefix("sha256:")
    finished = dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")
    predicates = [
        (SCAN, {"timeFinished": finished, "passed": True, "reasons": []}),
        ("https://cyclonedx.org/bom", {"bomFormat": "CycloneDX", "specVersion": "1.6"}),
        (
            "https://slsa.dev/provenance/v1",
            {
                "buildDefinition": {"externalParameters": {"workflow": {"ref": "refs/heads/main"}}},
                "runDetails": {"builder": {"id": BUILDER}},
            },
        ),
    ]
    lines = []
    for ptype, predicate in predicates:
        statement = make_statement([(name, {"sha256": hexd})], ptype, predicate)
        envelope = dsse.sign_envelope(
            json.dumps(statement).encode(), "application/vnd.in-toto+json", key
        )
        lines.append(json.dumps(envelope))
    (store / f"{name}.att.json").write_text("\n".join(lines) + "\n")
    return digest


def _review(uid: int, digests: list[str]) -> bytes:
    containers = [
        {"name": f"c{i}", "image": f"registry.example/app@{d}"} for i, d in enumerate(digests)
    ]
    obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "app", "namespace": "default"},
        "spec": {"template": {"metadata": {}, "spec": {"containers": containers}}},
    }
    review = {
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": f"bench-{uid}",
            "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
            "operation": "CREATE",
            "object": obj,
        },
    }
    return json.dumps(review).encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rate", type=float, default=200.0, help="requests per second")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--clients", type=int, default=16, help="keep-alive connections")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = root / "store"
        store.mkdir()
        key = keys.generate("ecdsa-p256")
        (root / "ci.pub").write_bytes(keys.public_pem(key))
        digests = [_image(store, f"img{i}", key) for i in range(5)]
        (root / "deploy.toml").write_text(
            f'[deploy]\nkeys = ["ci.pub"]\nbuilders = ["{BUILDER}"]\n'
        )
        cert, tls_key = _cert(root)
        port = _free_port()
        server = subprocess.Popen(
            [
                str(BIN),
                "admission",
                "serve",
                "--config",
                str(root / "deploy.toml"),
                "--store",
                str(store),
                "--tls-cert",
                str(cert),
                "--tls-key",
                str(tls_key),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stderr=subprocess.PIPE,
        )
        try:
            context = ssl.create_default_context(cafile=str(cert))
            deadline = time.monotonic() + 30
            while True:
                try:
                    conn = http.client.HTTPSConnection(
                        "localhost", port, context=context, timeout=5
                    )
                    conn.request("GET", "/healthz")
                    conn.getresponse().read()
                    conn.close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        sys.exit("the webhook did not start")
                    time.sleep(0.1)
            _run(args, port, context, digests)
        finally:
            server.terminate()
            server.wait(timeout=10)


def _run(args: argparse.Namespace, port: int, context: ssl.SSLContext, digests: list[str]) -> None:
    total = int(args.rate * args.seconds)
    bodies = [
        _review(i, [digests[i % 5], digests[(i + 1) % 5], digests[(i + 2) % 5]])
        for i in range(total)
    ]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    next_index = iter(range(total))

    # warm the cache: every digest verified once
    warm = http.client.HTTPSConnection("localhost", port, context=context, timeout=30)
    t = time.perf_counter()
    warm.request("POST", "/validate", _review(-1, digests), {"Content-Type": "application/json"})
    cold = json.loads(warm.getresponse().read())
    cold_ms = (time.perf_counter() - t) * 1000
    warm.close()
    if not cold["response"]["allowed"]:
        sys.exit(f"setup error: the images were refused: {cold['response']}")

    start = time.perf_counter() + 0.2

    def client() -> None:
        conn = http.client.HTTPSConnection("localhost", port, context=context, timeout=10)
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                break
            scheduled = start + i / args.rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            try:
                conn.request("POST", "/validate", bodies[i], {"Content-Type": "application/json"})
                reply = json.loads(conn.getresponse().read())
                ok = reply["response"]["allowed"] is True
            except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
                conn.close()
                conn = http.client.HTTPSConnection("localhost", port, context=context, timeout=10)
                ok, reply = False, str(exc)
            elapsed = time.perf_counter() - scheduled
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(str(reply)[:200])
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - start
    ms = sorted(x * 1000 for x in latencies)
    p50 = statistics.median(ms)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(
        f"pipesec admission webhook, warm cache, {len(ms)} requests in {wall:.1f} s "
        f"({len(ms) / wall:.0f}/s offered {args.rate:g}/s), 3 images per Deployment"
    )
    print(f"  first request (cold cache, 5 images verified): {cold_ms:.1f} ms")
    print(f"  p50 {p50:.1f} ms   p99 {p99:.1f} ms   max {ms[-1]:.1f} ms   errors {len(errors)}")
    print(f"  goal: p99 < 50 ms -> {'met' if p99 < 50 else 'NOT met'}")
    if errors:
        print(f"  first error: {errors[0]}")


if __name__ == "__main__":
    main()
