"""``--online`` audits of ``uses:`` refs against GitHub's REST API, served here by a local
HTTP server on 127.0.0.1 (tests never touch the network)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipesec.core.model import Finding, ScanError
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.pipelines import ONLINE_INPUT, PipelinesScanner
from pipesec.scanners.pipelines.online import RULES, version_comment

A, B, C, D, T = (c * 40 for c in "abcde")  # tagged, tagged (annotated), on main, fork, tag object
R = "/repos/acme/act"
API: dict[str, object] = {
    f"{R}/git/matching-refs/heads/v1": [{"ref": "refs/heads/v1", "object": {"sha": B}}],
    f"{R}/git/matching-refs/tags/v1": [
        {"ref": "refs/tags/v1", "object": {"type": "commit", "sha": B}},
        {"ref": "refs/tags/v1.0.0", "object": {"type": "commit", "sha": A}},
    ],
    f"{R}/git/matching-refs/heads/v1.0.0": [],
    f"{R}/git/matching-refs/tags/v1.0.0": [
        {"ref": "refs/tags/v1.0.0", "object": {"type": "commit", "sha": A}}
    ],
    f"{R}/git/matching-refs/tags/v2.0.0": [
        {"ref": "refs/tags/v2.0.0", "object": {"type": "tag", "sha": T}}
    ],
    f"{R}/git/tags/{T}": {"object": {"type": "commit", "sha": B}},
    f"{R}/tags?per_page=100&page=1": [
        {"name": "v1", "commit": {"sha": B}},
        {"name": "v1.0.0", "commit": {"sha": A}},
        {"name": "v2.0.0", "commit": {"sha": B}},
    ],
    f"{R}/branches?per_page=100&page=1": [
        {"name": "main", "commit": {"sha": B}},
        {"name": "v1", "commit": {"sha": B}},
    ],
    R: {"default_branch": "main"},
    f"{R}/compare/main...{C}": {"status": "behind"},
    **{
        f"{R}/compare/{ref}...{D}": {"status": "diverged"}
        for ref in ("main", "v1", "v1.0.0", "v2.0.0")
    },
}

WORKFLOW = f"""name: w
on: push
permissions: {{}}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/act@v1
      - uses: acme/act@v1.0.0
      - uses: acme/act@{A} # v1.0.0
      - uses: acme/act@{A} # v2.0.0
      - uses: acme/act@{B} # 2.0.0
      - uses: acme/act@{C}
      - uses: acme/act@{D}
"""


class _Handler(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:
        _Handler.seen.append(self.path)
        body = API.get(self.path)
        self.send_response(404 if body is None else 200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(
            json.dumps(body if body is not None else {"message": "Not Found"}).encode()
        )

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("PIPESEC_GITHUB_API", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("PIPESEC_GITHUB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PIPESEC_CACHE_KEY", "test-key")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    _Handler.seen = []
    yield server
    server.shutdown()
    server.server_close()


def _scan(root: Path, online: bool = True) -> list[object]:
    wf = root / "repo" / ".github" / "workflows" / "w.yml"
    wf.parent.mkdir(parents=True, exist_ok=True)
    wf.write_text(WORKFLOW)
    settings = ScannerSettings(inputs={ONLINE_INPUT: ["on"]} if online else {})
    return list(PipelinesScanner().scan(Workspace(root / "repo", use_git=False), settings))


def _online(items: list[object]) -> list[tuple[str, int]]:
    ids = {r.id for r in RULES}
    return sorted(
        (i.rule_id, i.location.start_line)
        for i in items
        if isinstance(i, Finding) and i.rule_id in ids
    )


EXPECTED = [
    ("gha/impostor-commit", 14),
    ("gha/ref-confusion", 8),
    ("gha/ref-version-mismatch", 11),
    ("gha/stale-action-ref", 13),
]


def test_online_audits_vulnerable_and_safe_refs(api: ThreadingHTTPServer, tmp_path: Path) -> None:
    items = _scan(tmp_path)
    assert not [i for i in items if isinstance(i, ScanError)]
    assert _online(items) == EXPECTED  # lines 9, 10 and 12 are safe
    mismatch = next(i for i in items if isinstance(i, Finding) and i.rule_id.endswith("mismatch"))
    assert "v2.0.0" in mismatch.message and B[:12] in mismatch.message


def test_answers_come_from_the_cache_the_second_time(
    api: ThreadingHTTPServer, tmp_path: Path
) -> None:
    _scan(tmp_path)
    asked = len(_Handler.seen)
    assert asked > 0
    api.shutdown()
    api.server_close()
    assert _online(_scan(tmp_path)) == EXPECTED
    for entry in (tmp_path / "cache").iterdir():  # a planted answer is not trusted
        entry.write_bytes(b"0" * 64 + b"\n[]")
    items = _scan(tmp_path)
    (err,) = [i for i in items if isinstance(i, ScanError)]
    assert "--online audits stopped: cannot reach http://127.0.0.1" in err.message


def test_nothing_is_asked_without_online(api: ThreadingHTTPServer, tmp_path: Path) -> None:
    items = _scan(tmp_path, online=False)
    assert _online(items) == [] and _Handler.seen == []


def test_unreachable_api_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    port = server.server_address[1]
    server.server_close()  # nothing listens there now
    monkeypatch.setenv("PIPESEC_GITHUB_API", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("PIPESEC_GITHUB_CACHE", "")
    items = _scan(tmp_path)
    errors = [i for i in items if isinstance(i, ScanError)]
    assert len(errors) == 1 and "cannot reach" in errors[0].message
    assert _online(items) == []
    monkeypatch.setenv("PIPESEC_GITHUB_API", "http://example.org")
    (err,) = [i for i in _scan(tmp_path) if isinstance(i, ScanError)]
    assert "must be an https:// URL" in err.message


@pytest.mark.parametrize(
    ("trailer", "version"),
    [
        (" # v3.8.2", "v3.8.2"),
        ("  # 2.7.0", "2.7.0"),
        (" # tag=v1", "v1"),
        (" # create-github-app-token/v0.2.2", "create-github-app-token/v0.2.2"),
        (" # v4.0.0rc1", "v4.0.0rc1"),
        (" # some comment", None),
        ("", None),
    ],
)
def test_version_comments(trailer: str, version: str | None) -> None:
    assert version_comment(trailer) == version
