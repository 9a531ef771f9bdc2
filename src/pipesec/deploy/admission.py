"""``pipesec admission serve``: a Kubernetes ValidatingAdmissionWebhook (AdmissionReview v1
over HTTPS) applying the deploy gate's artifact checks to every container image.

- Pods and workload templates (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
  CronJob, ReplicationController): ``containers``, ``initContainers`` and
  ``ephemeralContainers``.
- Images are verified offline from a store directory: OCI image layouts (cosign signatures
  tagged ``sha256-<hex>.sig`` inside) with their attestations beside them as
  ``LAYOUT.att.json``, exactly what ``pipesec sign --image`` / ``pipesec attest`` write.
- An image without a digest is refused unless ``[deploy] allow-tags`` is true; then its
  full reference must equal a layout's ``org.opencontainers.image.ref.name``.
- Verdicts are cached per digest (``--cache-ttl``; an allowed verdict never outlives the
  scan attestation it rests on).
- Fail-closed: a malformed review, an unknown kind, an image missing from the store or any
  internal error is a denial; the ValidatingWebhookConfiguration's ``failurePolicy: Fail``
  makes an unreachable webhook a denial too.
- Robust by construction: TLS is negotiated in the worker thread (a stalled handshake holds
  only its own thread), every socket has a timeout, request bodies are bounded, and at most
  ``MAX_CONNECTIONS`` connections are served at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http
import http.server
import json
import logging
import re
import socket
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipesec.core.errors import PipesecError, UsageError
from pipesec.core.redact import escape_text
from pipesec.deploy import evidence, gate
from pipesec.deploy.settings import GateSettings

log = logging.getLogger(__name__)

API_VERSION = "admission.k8s.io/v1"
MAX_CONNECTIONS = 64
SOCKET_TIMEOUT = 10.0
CACHE_ENTRIES = 10_000
RESCAN_INTERVAL = 5.0  # seconds between store re-reads on a miss
MAX_MESSAGE = 4000
_DIGEST_REF = re.compile(r"@sha256:([0-9a-f]{64})\Z")
_CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
_TEMPLATE_KINDS = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}
)


def pod_spec(kind: str, obj: dict[str, Any]) -> dict[str, Any] | None:
    """The pod spec of a Pod or a workload's template; None for other kinds."""

    def get(value: Any, *path: str) -> Any:
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        return value

    if kind == "Pod":
        spec = get(obj, "spec")
    elif kind in _TEMPLATE_KINDS:
        spec = get(obj, "spec", "template", "spec")
    elif kind == "CronJob":
        spec = get(obj, "spec", "jobTemplate", "spec", "template", "spec")
    else:
        return None
    return spec if isinstance(spec, dict) else {}


def images(spec: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(container name, image) of every container list of a pod spec."""
    for field in _CONTAINER_LISTS:
        containers = spec.get(field)
        if not isinstance(containers, list):
            continue
        for c in containers:
            if isinstance(c, dict):
                yield str(c.get("name", "?")), str(c.get("image", ""))


@dataclass(frozen=True, slots=True)
class Verdict:
    failures: tuple[str, ...]
    expires: float


class Store:
    """digest -> OCI layout, read from the store directory (re-read on a miss, at most
    every ``RESCAN_INTERVAL`` seconds)."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise UsageError(f"--store {root}: not a directory")
        self.root = root
        self._by_digest: dict[str, Path] = {}
        self._by_ref: dict[str, str] = {}
        self._scanned = 0.0
        self._lock = threading.Lock()
        self.rescan()

    def rescan(self) -> None:
        from pipesec.attest import oci
        from pipesec.attest.errors import VerificationError

        by_digest: dict[str, Path] = {}
        by_ref: dict[str, str] = {}
        candidates = [self.root, *sorted(p for p in self.root.iterdir() if p.is_dir())]
        for layout in candidates:
            if layout.is_symlink() or not oci.is_layout(layout):
                continue
            try:
                digest = oci.image_digest(layout)
                index = json.loads((layout / "index.json").read_bytes())
            except (VerificationError, OSError, ValueError) as exc:
                log.warning("store: %s skipped: %s", layout.name, exc)
                continue
            by_digest[digest] = layout
            for entry in index.get("manifests", []):
                ann = entry.get("annotations") if isinstance(entry, dict) else None
                name = ann.get(oci.REF_NAME) if isinstance(ann, dict) else None
                if isinstance(name, str) and entry.get("digest") == digest:
                    by_ref[name] = digest
        with self._lock:
            self._by_digest, self._by_ref = by_digest, by_ref
            self._scanned = time.monotonic()

    def _lookup(self, table: str, key: str) -> Any:
        with self._lock:
            found = getattr(self, table).get(key)
            stale = time.monotonic() - self._scanned > RESCAN_INTERVAL
        if found is None and stale:
            self.rescan()
            with self._lock:
                found = getattr(self, table).get(key)
        return found

    def layout(self, digest: str) -> Path | None:
        found: Path | None = self._lookup("_by_digest", digest)
        return found

    def resolve(self, reference: str) -> str | None:
        found: str | None = self._lookup("_by_ref", reference)
        return found


class Verifier:
    """The deploy gate's artifact checks per image digest, with a verdict cache."""

    def __init__(self, settings: GateSettings, store: Store, cache_ttl: float) -> None:
        self.settings = settings
        self.store = store
        self.cache_ttl = cache_ttl
        self._cache: OrderedDict[str, Verdict] = OrderedDict()
        self._lock = threading.Lock()

    def _evaluate(self, digest: str) -> Verdict:
        now = time.time()
        layout = self.store.layout(digest)
        if layout is None:
            # a miss is re-checked soon: the image may be added to the store
            return Verdict(("not in the image store",), now + min(self.cache_ttl, 10.0))
        subject = evidence.for_artifact(layout)
        if subject.digest_text != digest:
            return Verdict(("store layout does not hold this digest",), now)
        cfg = self.settings.config
        decision = gate.evaluate(
            subject,
            cfg,
            self.settings.keys,
            dt.datetime.now(dt.UTC),
            at_deploy=False,
            policies=self.settings.policies,
        )
        expires = now + self.cache_ttl
        finished = decision.statements.get("scan", {}).get("predicate", {}).get("timeFinished")
        if decision.allowed and isinstance(finished, str):
            start = dt.datetime.fromisoformat(finished.replace("Z", "+00:00"))
            expires = min(expires, start.timestamp() + cfg.max_scan_age_hours * 3600)
        return Verdict(tuple(decision.failures), expires)

    def verify(self, digest: str) -> tuple[str, ...]:
        with self._lock:
            cached = self._cache.get(digest)
            if cached is not None and cached.expires > time.time():
                self._cache.move_to_end(digest)
                return cached.failures
        try:
            verdict = self._evaluate(digest)
        except PipesecError as exc:
            verdict = Verdict((str(exc),), time.time() + min(self.cache_ttl, 10.0))
        with self._lock:
            self._cache[digest] = verdict
            self._cache.move_to_end(digest)
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return verdict.failures

    def review(self, request: dict[str, Any]) -> list[str]:
        """The reasons to deny one AdmissionRequest ([] admits it)."""
        if request.get("operation") in ("DELETE", "CONNECT"):
            return []
        obj = request.get("object")
        kind_doc = request.get("kind")
        kind = kind_doc.get("kind") if isinstance(kind_doc, dict) else None
        if not isinstance(obj, dict):
            return ["the request carries no object"]
        kind = kind or obj.get("kind")
        spec = pod_spec(str(kind), obj)
        if spec is None:
            return [f"kind {str(kind)[:60]!r} is not checked by this webhook (fail-closed)"]
        failures: list[str] = []
        for name, image in images(spec):
            digest = self._digest(image)
            if digest is None:
                if not self.settings.config.allow_tags:
                    failures.append(
                        f"container {name}: image {image} has no digest "
                        "(pin it as image@sha256:...)"
                    )
                    continue
                digest = self.store.resolve(image)
                if digest is None:
                    failures.append(f"container {name}: image {image} is not in the image store")
                    continue
            failures.extend(f"container {name}: {image}: {f}" for f in self.verify(digest))
        return failures

    @staticmethod
    def _digest(image: str) -> str | None:
        found = _DIGEST_REF.search(image)
        return f"sha256:{found.group(1)}" if found else None


def response(uid: str, failures: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {"uid": uid, "allowed": not failures}
    if failures:
        message = "pipesec: " + "; ".join(failures)
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 1] + "…"
        body["status"] = {"code": 403, "reason": "Forbidden", "message": message}
    return {"apiVersion": API_VERSION, "kind": "AdmissionReview", "response": body}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: AdmissionServer
    timeout = SOCKET_TIMEOUT

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def _send(self, code: int, body: bytes, content_type: str = "application/json") -> None:
        # status, headers and body in one write, so one TLS record (two small writes meet
        # Nagle's algorithm and the client's delayed ACK: 40 ms stalls)
        phrase = http.HTTPStatus(code).phrase
        head = (
            f"{self.protocol_version} {code} {phrase}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n"
        )
        if self.close_connection:
            head += "Connection: close\r\n"
        self.wfile.write(head.encode("ascii") + b"\r\n" + body)

    def do_GET(self) -> None:
        if self.path in ("/healthz", "/readyz"):
            self._send(200, b"ok\n", "text/plain")
        else:
            self._send(404, b"not found\n", "text/plain")

    def do_POST(self) -> None:
        length_text = self.headers.get("Content-Length")
        if length_text is None or not length_text.isdigit():
            self.close_connection = True
            self._send(411, b"Content-Length required\n", "text/plain")
            return
        length = int(length_text)
        if length > self.server.max_body:
            self.close_connection = True
            self._send(413, b"AdmissionReview too large\n", "text/plain")
            return
        raw = self.rfile.read(length)
        try:
            review = json.loads(raw)
            request = review["request"]
            uid = request["uid"]
            if review.get("apiVersion") != API_VERSION or not isinstance(uid, str):
                raise ValueError("not an admission.k8s.io/v1 AdmissionReview")
        except (ValueError, KeyError, TypeError, RecursionError):
            self._send(400, b"expected an admission.k8s.io/v1 AdmissionReview\n", "text/plain")
            return
        try:
            failures = self.server.verifier.review(request)
        except Exception:  # fail-closed: any surprise denies
            log.exception("admission: internal error (denied)")
            failures = ["internal error in the webhook (fail-closed)"]
        if failures:
            # uid and images come from the request: escaped, so a log line cannot forge another
            text = escape_text(f"denied {uid}: {'; '.join(failures)}"[:MAX_MESSAGE])
            log.warning("%s", text)
        self._send(200, json.dumps(response(uid, failures)).encode())


class AdmissionServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        context: ssl.SSLContext,
        verifier: Verifier,
        max_body: int,
    ) -> None:
        self.context = context
        self.verifier = verifier
        self.max_body = max_body
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except Exception:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def finish_request(self, request: Any, client_address: Any) -> None:
        request.settimeout(SOCKET_TIMEOUT)
        with contextlib.suppress(OSError):
            request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            log.debug("TLS handshake with %s failed: %s", client_address, exc)
            return
        try:
            _Handler(tls, client_address, self)
        except (TimeoutError, OSError) as exc:
            log.debug("connection from %s: %s", client_address, exc)
        finally:
            with contextlib.suppress(OSError):
                tls.close()


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        raise UsageError(f"--tls-cert/--tls-key: cannot load ({exc})") from None
    return context


def make_server(
    settings: GateSettings,
    store: Path,
    *,
    host: str,
    port: int,
    cert: Path,
    key: Path,
    cache_ttl: float = 300.0,
    max_body: int = 3 * 2**20,
) -> AdmissionServer:
    verifier = Verifier(settings, Store(store), cache_ttl)
    try:
        return AdmissionServer((host, port), tls_context(cert, key), verifier, max_body)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
