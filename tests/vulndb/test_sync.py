"""``db sync`` against a local HTTP server (127.0.0.1 only): a good download, a truncated
one that resumes, a corrupt one and a server error, none of which may break the database."""

from __future__ import annotations

import http.server
import json
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipesec.core.errors import NetworkError
from pipesec.vulndb import SyncError, open_db
from pipesec.vulndb.store import import_records
from pipesec.vulndb.sync import export_url, sync

from .conftest import GO_SAMPLE, PYPI_SAMPLE


@dataclass
class Plan:
    """What the server does for each request, in turn; the last step repeats."""

    body: bytes = b""
    steps: list[str] = field(default_factory=lambda: ["ok"])
    requests: list[dict[str, str]] = field(default_factory=list)


class Handler(http.server.BaseHTTPRequestHandler):
    plan: Plan

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        plan = self.plan
        plan.requests.append({"path": self.path, **{k: v for k, v in self.headers.items()}})
        step = plan.steps[min(len(plan.requests) - 1, len(plan.steps) - 1)]
        body = plan.body
        if step == "500":
            self.send_error(500, "boom")
            return
        if step == "corrupt":
            bad = bytearray(body)
            mid = len(bad) // 2
            bad[mid : mid + 64] = b"\x00" * 64
            body = bytes(bad)
        start = 0
        rng = self.headers.get("Range")
        if rng and step != "ignore-range" and self.headers.get("If-Range", '"v1"') == '"v1"':
            start = 0 if step == "bad-range" else int(rng.split("=")[1].rstrip("-"))
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(body) - start))
        self.send_header("ETag", '"v1"')
        self.end_headers()
        if step == "truncate":
            self.wfile.write(body[start : start + (len(body) - start) // 3])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body[start:])


@pytest.fixture
def server() -> Iterator[tuple[str, Plan]]:
    plan = Plan(body=PYPI_SAMPLE.read_bytes())
    handler = type("H", (Handler,), {"plan": plan})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", plan
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    path = tmp_path / "db" / "osv.sqlite"
    import_records(path, [GO_SAMPLE])
    return path


def test_export_url_quotes_the_ecosystem() -> None:
    assert export_url("GitHub Actions", "http://h/") == "http://h/GitHub%20Actions/all.zip"
    assert export_url("PyPI").startswith("https://")


def test_sync_downloads_and_swaps_in(server: tuple[str, Plan], old_db: Path) -> None:
    url, plan = server
    (res,) = sync(old_db, ["pypi"], base_url=url, timeout=5)
    assert res.imported is not None
    assert res.ecosystem == "PyPI" and res.imported.records > 150 and res.resumed_from == 0
    assert plan.requests[0]["path"] == "/PyPI/all.zip"
    db = open_db(old_db)
    assert {e.ecosystem for e in db.status().ecosystems} == {"PyPI", "Go"}
    # no partial download is left; only the export's validators for the next sync
    downloads = sorted(p.name for p in (old_db.parent / "downloads").iterdir())
    assert downloads == ["PyPI.validators.json"]


def test_truncated_download_keeps_db_then_resumes(server: tuple[str, Plan], old_db: Path) -> None:
    url, plan = server
    plan.steps = ["truncate", "ok"]
    before = old_db.read_bytes()
    with pytest.raises(SyncError, match=r"stopped after .* bytes.*run 'pipesec db sync' again"):
        sync(old_db, ["PyPI"], base_url=url, timeout=5)
    assert old_db.read_bytes() == before
    assert open_db(old_db).ecosystems() == ["Go"]
    (res,) = sync(old_db, ["PyPI"], base_url=url, timeout=5)
    assert plan.requests[1]["Range"] == f"bytes={len(plan.body) // 3}-"
    assert plan.requests[1]["If-Range"] == '"v1"'
    assert res.resumed_from == len(plan.body) // 3
    assert open_db(old_db).ecosystems() == ["Go", "PyPI"]


def test_server_ignoring_range_restarts_cleanly(server: tuple[str, Plan], old_db: Path) -> None:
    url, plan = server
    plan.steps = ["truncate", "ignore-range"]
    with pytest.raises(SyncError):
        sync(old_db, ["PyPI"], base_url=url, timeout=5)
    (res,) = sync(old_db, ["PyPI"], base_url=url, timeout=5)
    assert res.resumed_from == 0 and res.bytes == len(plan.body)


def test_corrupt_download_keeps_db(server: tuple[str, Plan], old_db: Path) -> None:
    url, plan = server
    plan.steps = ["corrupt"]
    before = old_db.read_bytes()
    with pytest.raises(SyncError, match=r"corrupt|not a complete zip|does not parse"):
        sync(old_db, ["PyPI"], base_url=url, timeout=5)
    assert old_db.read_bytes() == before
    assert not list((old_db.parent / "downloads").glob("*.part"))  # not worth resuming


def test_download_whose_records_do_not_parse_keeps_db(
    server: tuple[str, Plan], old_db: Path, tmp_path: Path
) -> None:
    url, plan = server
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("GOOD.json", json.dumps({"id": "GOOD-1"}))
        zf.writestr("BAD.json", "{not json")
    plan.body = bad.read_bytes()
    before = old_db.read_bytes()
    with pytest.raises(SyncError, match="does not parse"):
        sync(old_db, ["PyPI"], base_url=url, timeout=5)
    assert old_db.read_bytes() == before


def test_server_error_is_a_network_error(server: tuple[str, Plan], old_db: Path) -> None:
    url, plan = server
    plan.steps = ["500"]
    with pytest.raises(NetworkError, match="HTTP 500"):
        sync(old_db, ["PyPI"], base_url=url, timeout=5)


def test_unreachable_server_is_a_network_error(old_db: Path) -> None:
    with pytest.raises(NetworkError, match="cannot download"):
        sync(old_db, ["PyPI"], base_url="http://127.0.0.1:9", timeout=2)


def test_full_export_replaces_the_ecosystem(server: tuple[str, Plan], tmp_path: Path) -> None:
    url, _plan = server
    path = tmp_path / "osv.sqlite"
    stale = tmp_path / "stale.zip"
    with zipfile.ZipFile(stale, "w") as zf:
        zf.writestr(
            "PYSEC-OLD.json",
            json.dumps(
                {
                    "id": "PYSEC-OLD",
                    "affected": [
                        {"package": {"ecosystem": "PyPI", "name": "gone"}, "versions": ["1.0"]}
                    ],
                }
            ),
        )
    import_records(path, [stale])
    assert open_db(path).match("PyPI", "gone", "1.0")
    sync(path, ["PyPI"], base_url=url, timeout=5)
    assert open_db(path).match("PyPI", "gone", "1.0") == []


def test_resume_at_the_wrong_offset_is_refused(server: tuple[str, Plan], old_db: Path) -> None:
    url, plan = server
    plan.steps = ["truncate", "bad-range", "ok"]
    with pytest.raises(SyncError, match="stopped after"):
        sync(old_db, ["PyPI"], base_url=url, timeout=5)
    with pytest.raises(SyncError, match="wrong place"):
        sync(old_db, ["PyPI"], base_url=url, timeout=5)
    (res,) = sync(old_db, ["PyPI"], base_url=url, timeout=5)  # starts over
    assert res.resumed_from == 0 and open_db(old_db).ecosystems() == ["Go", "PyPI"]
