"""`pipesec sign --image REF --push` and `pipesec verify REF --registry` against a local
fake of the OCI distribution API (loopback; bearer-token authentication as registries do)."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipesec.attest import keys
from pipesec.attest.registry import parse_reference
from pipesec.cli.main import app
from pipesec.core.errors import UsageError

USER, PASSWORD, TOKEN = "ci", "registry-pass-for-tests", "fake-bearer-token"


class Store:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.manifests: dict[str, bytes] = {}  # "repo@tag-or-digest" -> body
        self.uploads: dict[str, str] = {}

    def add_manifest(self, repo: str, tag: str, body: bytes) -> str:
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        self.manifests[f"{repo}@{tag}"] = body
        self.manifests[f"{repo}@{digest}"] = body
        return digest


@pytest.fixture(scope="module")
def registry() -> Iterator[tuple[Store, str]]:
    store = Store()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(
            self, status: int, body: bytes = b"", headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _authorized(self) -> bool:
            if self.headers.get("Authorization") == f"Bearer {TOKEN}":
                return True
            realm = f"http://127.0.0.1:{self.server.server_address[1]}/token"
            challenge = f'Bearer realm="{realm}",service="fake",scope="repository:app:pull,push"'
            self._send(401, b"{}", {"WWW-Authenticate": challenge})
            return False

        def _route(self) -> tuple[str, str, str]:
            path = self.path.split("?")[0]
            repo, _, rest = path.removeprefix("/v2/").partition("/")
            kind, _, name = rest.partition("/")
            return repo, kind, name

        def do_GET(self) -> None:
            if self.path.startswith("/token"):
                basic = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {basic}":
                    return self._send(401)
                return self._send(200, json.dumps({"token": TOKEN}).encode())
            if not self._authorized():
                return None
            repo, kind, name = self._route()
            if kind == "manifests" and f"{repo}@{name}" in store.manifests:
                body = store.manifests[f"{repo}@{name}"]
                media = json.loads(body).get(
                    "mediaType", "application/vnd.oci.image.manifest.v1+json"
                )
                return self._send(200, body, {"Content-Type": media})
            if kind == "blobs" and name in store.blobs:
                return self._send(200, store.blobs[name])
            return self._send(404, b"{}")

        def do_POST(self) -> None:
            if not self._authorized():
                return
            repo, _, _ = self._route()
            upload = uuid.uuid4().hex
            store.uploads[upload] = repo
            self._send(202, b"", {"Location": f"/v2/{repo}/blobs/uploads/{upload}"})

        def do_PUT(self) -> None:
            if not self._authorized():
                return
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            repo, kind, name = self._route()
            if kind == "blobs":
                digest = self.path.split("digest=")[1].replace("%3A", ":")
                if "sha256:" + hashlib.sha256(body).hexdigest() != digest:
                    return self._send(400)
                store.blobs[digest] = body
                return self._send(201)
            store.add_manifest(repo, name, body)
            return self._send(201)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield store, f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_push_and_verify(
    registry: tuple[Store, str],
    key_files: Path,
    other_key: keys.PrivateKey,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, host = registry
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIPESEC_KEY_PASSWORD", "pw")
    monkeypatch.setenv("PIPESEC_REGISTRY_USERNAME", USER)
    monkeypatch.setenv("PIPESEC_REGISTRY_PASSWORD", PASSWORD)
    for suffix in (".key", ".pub"):
        shutil.copy(key_files.with_suffix(suffix), tmp_path / f"ci{suffix}")
    (tmp_path / "other.pub").write_bytes(keys.public_pem(other_key))
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {},
            "layers": [],
        }
    ).encode()
    digest = store.add_manifest("app", "1.0", manifest)
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.output

    code, out = run("sign", "--image", f"{host}/app:1.0", "--key", "ci.key", "--push")
    assert code == 0, out
    assert f"{host}/app:{digest.replace(':', '-')}.sig" in out
    signature = json.loads(store.manifests[f"app@{digest.replace(':', '-')}.sig"])
    payload = json.loads(store.blobs[signature["layers"][0]["digest"]])
    assert payload["critical"]["image"]["docker-manifest-digest"] == digest
    assert payload["critical"]["identity"]["docker-reference"] == f"{host}/app"
    assert run("verify", f"{host}/app:1.0", "--registry", "--key", "ci.pub")[0] == 0
    assert run("verify", f"{host}/app@{digest}", "--registry", "--key", "ci.pub")[0] == 0
    code, out = run("verify", f"{host}/app:1.0", "--registry", "--key", "other.pub")
    assert code == 1 and "no signature verifies with a trusted key" in out
    # the tag now names another image: its signature is missing
    other = store.add_manifest("app", "1.0", manifest.replace(b"[]", b"[ ]"))
    code, out = run("verify", f"{host}/app:1.0", "--registry", "--key", "ci.pub")
    assert (code, out) == (
        1,
        f"FAILED signature: no {other.replace(':', '-')}.sig signature in the registry\n",
    )
    # a signed payload altered in the registry
    store.blobs[signature["layers"][0]["digest"]] = b"{}"
    code, out = run("verify", f"{host}/app@{digest}", "--registry", "--key", "ci.pub")
    assert code == 3 and "unavailable or altered" in out
    monkeypatch.setenv("PIPESEC_REGISTRY_PASSWORD", "wrong")
    code, out = run("sign", "--image", f"{host}/app:1.0", "--key", "ci.key", "--push")
    assert code == 3


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("registry.example.com/team/app:1.2", ("registry.example.com", "team/app", "1.2", "")),
        ("localhost:5000/app", ("localhost:5000", "app", "latest", "")),
        ("ghcr.io/o/a@sha256:" + "a" * 64, ("ghcr.io", "o/a", "", "sha256:" + "a" * 64)),
    ],
)
def test_parse_reference(text: str, parts: tuple[str, str, str, str]) -> None:
    ref = parse_reference(text)
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == parts


@pytest.mark.parametrize("text", ["app:1", "ghcr.io/a@sha256:xyz", "ghcr.io/UPPER/app", "ghcr.io/"])
def test_bad_references(text: str) -> None:
    with pytest.raises(UsageError):
        parse_reference(text)
