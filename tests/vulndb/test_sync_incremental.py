"""Incremental ``db sync`` and ``db sync --auto`` against a local HTTP server (127.0.0.1
only): an unchanged export answers 304 and is not downloaded again; a changed one is; the
validators are used only for the very import they came with; ``--auto`` asks only for the
ecosystems whose manifests are in the tree."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.vulndb import open_db
from pipesec.vulndb.store import import_records
from pipesec.vulndb.sync import sync

from .conftest import GO_SAMPLE, PYPI_SAMPLE


@dataclass
class Export:
    etag: str = '"v1"'
    last_modified: str = "Sat, 05 Dec 2026 10:00:00 GMT"
    bodies: dict[str, bytes] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)


class Handler(http.server.BaseHTTPRequestHandler):
    export: Export

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        ex = self.export
        ex.requests.append((self.path, dict(self.headers.items())))
        eco = self.path.strip("/").split("/")[0]
        body = ex.bodies.get(eco)
        if body is None:
            self.send_error(404)
            return
        if self.headers.get("If-None-Match") == ex.etag:
            self.send_response(304)
            self.send_header("ETag", ex.etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", ex.etag)
        self.send_header("Last-Modified", ex.last_modified)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[tuple[str, Export]]:
    ex = Export(bodies={"PyPI": PYPI_SAMPLE.read_bytes(), "Go": GO_SAMPLE.read_bytes()})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), type("H", (Handler,), {"export": ex}))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", ex
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_unchanged_export_is_not_downloaded_again(
    server: tuple[str, Export], tmp_path: Path
) -> None:
    url, ex = server
    db = tmp_path / "osv.sqlite"
    first = sync(db, ["PyPI"], base_url=url, timeout=5)
    assert first[0].imported is not None and first[0].bytes > 0
    assert "If-None-Match" not in ex.requests[0][1]
    second = sync(db, ["PyPI"], base_url=url, timeout=5)
    assert second[0].imported is None and second[0].bytes == 0
    assert ex.requests[1][1]["If-None-Match"] == '"v1"'
    assert ex.requests[1][1]["If-Modified-Since"] == ex.last_modified
    assert open_db(db).ecosystems() == ["PyPI"]  # the database still holds the data


def test_changed_export_is_downloaded(server: tuple[str, Export], tmp_path: Path) -> None:
    url, ex = server
    db = tmp_path / "osv.sqlite"
    sync(db, ["PyPI"], base_url=url, timeout=5)
    ex.etag = '"v2"'
    again = sync(db, ["PyPI"], base_url=url, timeout=5)
    assert again[0].imported is not None and again[0].bytes > 0


def test_validators_only_count_for_the_import_they_came_with(
    server: tuple[str, Export], tmp_path: Path
) -> None:
    url, ex = server
    db = tmp_path / "osv.sqlite"
    sync(db, ["PyPI"], base_url=url, timeout=5)
    # the database was replaced since (deleted and rebuilt by hand): ask unconditionally
    db.unlink()
    import_records(db, [GO_SAMPLE])
    result = sync(db, ["PyPI"], base_url=url, timeout=5)
    assert "If-None-Match" not in ex.requests[-1][1]
    assert result[0].imported is not None
    assert sorted(open_db(db).ecosystems()) == ["Go", "PyPI"]


def test_auto_syncs_only_the_tree_ecosystems(server: tuple[str, Export], tmp_path: Path) -> None:
    url, ex = server
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "requirements.txt").write_text("requests==2.19.0\n")
    db = tmp_path / "osv.sqlite"
    args = ["db", "sync", "--auto", str(tree), "--db", str(db), "--url", url, "--timeout", "5"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert [p for p, _ in ex.requests] == ["/PyPI/all.zip"]
    assert "network: downloading OSV exports for PyPI" in result.output
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0
    assert "PyPI: up to date" in again.output


def test_auto_skips_ecosystems_without_osv_data(server: tuple[str, Export], tmp_path: Path) -> None:
    """conda packages have no OSV export: a conda environment syncs only its pip packages."""
    url, ex = server
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "environment.yml").write_text(
        "dependencies:\n  - numpy==1.26.4\n  - pip:\n    - requests==2.19.0\n"
    )
    args = ["db", "sync", "--auto", str(tree), "--db", str(tmp_path / "o.sqlite"), "--url", url]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert [p for p, _ in ex.requests] == ["/PyPI/all.zip"]


def test_auto_on_a_tree_without_manifests_downloads_nothing(
    server: tuple[str, Export], tmp_path: Path
) -> None:
    url, ex = server
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "README.md").write_text("# nothing to see\n")
    result = CliRunner().invoke(
        app, ["db", "sync", "--auto", str(tree), "--db", str(tmp_path / "o.sqlite"), "--url", url]
    )
    assert result.exit_code == 0
    assert "nothing to sync" in result.output
    assert ex.requests == []


@pytest.mark.parametrize(
    "args",
    [["--auto", "--ecosystem", "PyPI"], ["somewhere"]],
)
def test_auto_usage_errors(tmp_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(app, ["db", "sync", *args, "--db", str(tmp_path / "o.sqlite")])
    assert result.exit_code == 2
    assert "pipesec: error: db sync" in result.output
