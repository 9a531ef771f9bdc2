"""``--pull`` against a registry fake on 127.0.0.1: the OCI distribution API with a bearer
token challenge, Docker config credentials, a multi-arch index, and a digest mismatch."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from tests.scanners.containers.imagebuild import Spec, oci_files

from pipesec.core.errors import NetworkError
from pipesec.scanners.containers.image import ImageError, Platform, open_local, parse_reference
from pipesec.scanners.containers.registry import pull

USER, PASSWORD = "robot", "pw-" + "for-tests"


class _Fake:
    def __init__(self, files: dict[str, bytes], tamper: bool = False) -> None:
        self.files = files
        self.tamper = tamper
        self.auth_seen: list[str] = []
        index = json.loads(files["index.json"])
        self.top = index["manifests"][0]

    def blob(self, digest: str) -> bytes | None:
        return self.files.get(f"blobs/sha256/{digest.split(':')[-1]}")


def _handler(fake: _Fake) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, code: int, body: bytes = b"", ctype: str = "") -> None:
            self.send_response(code)
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            host = f"127.0.0.1:{self.server.server_address[1]}"
            if self.path.startswith("/token"):
                want = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
                if self.headers.get("Authorization") != want:
                    return self._send(401)
                return self._send(200, json.dumps({"token": "tok123"}).encode())
            if self.headers.get("Authorization") != "Bearer tok123":
                self.send_response(401)
                self.send_header(
                    "WWW-Authenticate",
                    f'Bearer realm="http://{host}/token",service="fake",scope="x"',
                )
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            fake.auth_seen.append(self.path)
            parts = self.path.split("/")
            if "/manifests/" in self.path:
                ref = parts[-1]
                digest = fake.top["digest"] if ref == "1.0" else ref
                body = fake.blob(digest)
                if body is None:
                    return self._send(404)
                kind = json.loads(body).get(
                    "mediaType", "application/vnd.oci.image.manifest.v1+json"
                )
                return self._send(200, body, kind)
            if "/blobs/" in self.path:
                body = fake.blob(parts[-1])
                if body is None:
                    return self._send(404)
                if fake.tamper and len(body) > 200:
                    body = body[:-1] + bytes([body[-1] ^ 1])
                return self._send(200, body, "application/octet-stream")
            return self._send(404)

    return H


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    servers = []

    def start(files: dict[str, bytes], tamper: bool = False) -> tuple[str, _Fake]:
        fake = _Fake(files, tamper)
        srv = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        host = f"127.0.0.1:{srv.server_address[1]}"
        cfg = tmp_path / "docker"
        cfg.mkdir(exist_ok=True)
        auth = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        (cfg / "config.json").write_text(json.dumps({"auths": {host: {"auth": auth}}}))
        monkeypatch.setenv("DOCKER_CONFIG", str(cfg))
        return host, fake

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def test_pull_with_token_auth_and_platform(registry: Any, tmp_path: Path) -> None:
    amd = Spec(layers=[{"/etc/amd": b"1"}], arch="amd64")
    arm = Spec(layers=[{"/etc/arm": b"2"}], arch="arm64")
    files, digests = oci_files([amd, arm])
    host, fake = registry(files)
    parts = parse_reference(f"{host}/team/app:1.0")
    got = pull(parts, Platform.parse("linux/arm64"), tmp_path / "out", timeout=10)
    assert got == digests[1]
    image = open_local(str(tmp_path / "out"), Platform.parse("linux/arm64"))
    assert image.digest == digests[1]
    image.close()
    assert any("/blobs/" in p for p in fake.auth_seen)


def test_pull_refuses_a_blob_that_does_not_match_its_digest(registry: Any, tmp_path: Path) -> None:
    files, _ = oci_files([Spec(layers=[{"/etc/x": b"y" * 4096}])], how="none")
    host, _ = registry(files, tamper=True)
    with pytest.raises(ImageError, match="does not match its digest"):
        pull(parse_reference(f"{host}/team/app:1.0"), Platform(), tmp_path / "out", timeout=10)


def test_unreachable_registry_is_a_clear_network_error(tmp_path: Path) -> None:
    with pytest.raises(NetworkError, match="--pull needs the network"):
        pull(parse_reference("127.0.0.1:9/team/app:1.0"), Platform(), tmp_path / "o", timeout=2)


@pytest.mark.parametrize(
    ("ref", "host", "repo", "tag"),
    [
        ("alpine", "registry-1.docker.io", "library/alpine", "latest"),
        ("team/app:2", "registry-1.docker.io", "team/app", "2"),
        ("localhost:5000/a/b:c", "localhost:5000", "a/b", "c"),
        ("ghcr.io/o/r@sha256:" + "a" * 64, "ghcr.io", "o/r", ""),
    ],
)
def test_parse_reference(ref: str, host: str, repo: str, tag: str) -> None:
    parts = parse_reference(ref)
    assert (parts["host"], parts["repo"], parts["tag"]) == (host, repo, tag)
