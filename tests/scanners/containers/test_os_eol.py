"""Base OS end-of-life: the shipped table, eol(), the image/base-os-eol finding, and the
table's refresh by ``db sync`` from a local HTTP server."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipesec.core.model import Location
from pipesec.scanners.containers.os.eol import (
    BASE_OS_EOL,
    eol,
    eol_finding,
    load_table,
    refresh_table,
    shipped_table,
    validate_table,
)
from pipesec.scanners.containers.os.release import OsInfo

TODAY = dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("os_id", "version", "state", "end"),
    [
        ("debian", "10", "eol", "2024-06-30"),  # vulnerable: past its LTS
        ("debian", "12", "supported", "2028-06-30"),  # safe
        ("debian", "11", "eol", "2026-08-31"),
        ("ubuntu", "20.04", "eol", "2025-05-31"),  # standard support over, ESM after
        ("ubuntu", "24.04", "supported", "2029-05-31"),
        ("alpine", "3.11.6", "eol", "2021-11-01"),
        ("alpine", "3.22.1", "supported", "2027-05-01"),
        ("almalinux", "9.3", "supported", "2032-05-31"),
        ("rocky", "8.9", "supported", "2029-05-31"),
        ("alpine", "3.5.2", "eol", ""),  # unlisted, older than listed end-of-life releases
        ("alpine", "3.99.0", "unknown", ""),  # unlisted and newer: no verdict
    ],
)
def test_eol_states(os_id: str, version: str, state: str, end: str) -> None:
    status = eol(OsInfo(os_id, version), TODAY)
    assert status is not None
    assert (status.state, status.eol) == (state, end)


def test_eol_not_covered() -> None:
    assert eol(None, TODAY) is None
    assert eol(OsInfo("fedora", "39"), TODAY) is None
    assert eol(OsInfo("debian", ""), TODAY) is None


def test_eol_finding_vulnerable_and_safe() -> None:
    loc = Location("image:example@sha256:00")
    old = OsInfo("ubuntu", "20.04", "Ubuntu 20.04.6 LTS")
    status = eol(old, TODAY)
    assert status is not None
    finding = eol_finding(status, old, loc)
    assert finding is not None and finding.rule_id == BASE_OS_EOL.id == "image/base-os-eol"
    assert "2025-05-31" in finding.message and "2030-04-30" in finding.message  # ESM noted
    assert finding.identity == "ubuntu:20.04"
    new = OsInfo("debian", "12")
    status = eol(new, TODAY)
    assert status is not None and eol_finding(status, new, loc) is None
    assert BASE_OS_EOL.vulnerable_example and BASE_OS_EOL.fixed_example


def test_shipped_table_is_valid_and_ordered() -> None:
    table, source = shipped_table()
    assert "shipped table" in source
    assert set(table) == {"debian", "ubuntu", "alpine", "almalinux", "rocky"}
    for rows in table.values():
        for row in rows.values():
            assert row["released"] < row["eol"] <= row.get("extended", "9999")


@pytest.mark.parametrize(
    "doc",
    [[], {"products": []}, {"products": {"debian": {"12": {"eol": "soon"}}}}],
)
def test_bad_tables_are_refused(doc: object) -> None:
    with pytest.raises(ValueError):
        validate_table(doc)


_CYCLES = {
    "debian": [
        {
            "cycle": "12",
            "releaseDate": "2023-06-10",
            "eol": "2026-06-10",
            "extendedSupport": "2028-06-30",
        },
        {
            "cycle": "10",
            "releaseDate": "2019-07-06",
            "eol": "2022-09-10",
            "extendedSupport": "2024-06-30",
        },
    ],
    "ubuntu": [
        {
            "cycle": "26.04",
            "releaseDate": "2026-04-23",
            "eol": "2031-05-29",
            "extendedSupport": "2036-04-23",
        },
    ],
    "alpine": [{"cycle": "3.23", "releaseDate": "2025-12-03", "eol": "2027-11-01"}],
    "almalinux": [{"cycle": "9", "releaseDate": "2022-05-26", "eol": "2032-05-31"}],
    "rocky-linux": [{"cycle": "9", "releaseDate": "2022-07-14", "eol": False}],
}


def _osv_zip() -> bytes:
    """The synthetic Debian records as an osv.dev-style export."""
    synthetic = Path(__file__).parents[2] / "fixtures" / "distro" / "osv" / "synthetic"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path in sorted(synthetic.glob("DEBIAN-*.json")):
            zf.writestr(path.name, path.read_bytes())
    return buf.getvalue()


@pytest.fixture
def eol_server() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            seen.append(self.path)
            if self.path.startswith("/osv/"):
                self._send(_osv_zip())
                return
            name = self.path.rsplit("/", 1)[-1].removesuffix(".json")
            if not self.path.startswith("/api/") or name not in _CYCLES:
                self.send_error(404)
                return
            self._send(json.dumps(_CYCLES[name]).encode())

        def _send(self, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/api", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_refresh_writes_table_beside_db(eol_server: tuple[str, list[str]], tmp_path: Path) -> None:
    url, seen = eol_server
    db = tmp_path / "db" / "osv.sqlite"
    written = refresh_table(db, base_url=url, timeout=5, today=TODAY)
    assert written == tmp_path / "db" / "os-eol.json"
    assert sorted(seen) == sorted(f"/api/{p}.json" for p in _CYCLES)
    table, source = load_table(db)
    assert str(written) in source
    assert table["debian"]["12"]["eol"] == "2028-06-30"  # Debian's free LTS counts
    assert table["ubuntu"]["26.04"] == {
        "released": "2026-04-23",
        "eol": "2031-05-29",
        "extended": "2036-04-23",
    }
    status = eol(OsInfo("alpine", "3.23.0"), TODAY, *load_table(db))
    assert status is not None and status.state == "supported"
    rocky = eol(OsInfo("rocky", "9.4"), TODAY, *load_table(db))
    assert rocky is not None and rocky.state == "unknown"  # eol: false -> no date


def test_refresh_failure_keeps_previous(eol_server: tuple[str, list[str]], tmp_path: Path) -> None:
    url, _seen = eol_server
    db = tmp_path / "osv.sqlite"
    with pytest.raises(OSError):
        refresh_table(db, base_url=url.replace("/api", "/gone"), timeout=5, today=TODAY)
    assert not (tmp_path / "os-eol.json").exists()
    assert "shipped table" in load_table(db)[1]
    (tmp_path / "os-eol.json").write_text("{not json")
    assert "shipped table" in load_table(db)[1]  # a broken refreshed table is ignored


def test_db_sync_refreshes_eol_table(
    eol_server: tuple[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipesec.cli.main import app

    url, seen = eol_server
    monkeypatch.setenv("PIPESEC_EOL_URL", url)
    db = tmp_path / "osv.sqlite"
    osv = url.replace("/api", "/osv")
    runner = CliRunner()
    args = ["db", "sync", "-e", "debian:12", "--db", str(db), "--url", osv, "--timeout", "5"]
    result = runner.invoke(app, [*args, "--no-eol"])
    assert result.exit_code == 0, result.output
    assert "Debian:12: 5 records" in result.output
    assert not (tmp_path / "os-eol.json").exists()
    result = runner.invoke(app, args)  # a distribution ecosystem: the table is refreshed
    assert result.exit_code == 0, result.output
    assert "end-of-life table refreshed" in result.output
    assert "/api/debian.json" in seen
    assert (tmp_path / "os-eol.json").is_file()
