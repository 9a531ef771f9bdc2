"""``pipesec db import|sync|status`` through the Typer app."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.vulndb import open_db

from .conftest import GO_SAMPLE, PYPI_SAMPLE

runner = CliRunner()
DEMO_SNAPSHOT = Path(__file__).parents[2] / "examples" / "vulnerable-app" / "osv-snapshot.zip"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_then_status(tmp_path: Path) -> None:
    db = tmp_path / "osv.sqlite"
    code, out, _ = run("db", "import", str(PYPI_SAMPLE), str(GO_SAMPLE), "--db", str(db))
    assert code == 0, out
    assert "imported" in out and "PyPI" in out and "withdrawn" in out
    code, out, _ = run("db", "status", "--db", str(db))
    assert code == 0
    assert "PyPI" in out and "Go" in out and "(imported)" in out and "(modified)" in out
    code, out, _ = run("db", "status", "--db", str(db), "--json")
    doc = json.loads(out)
    ecos = {e["ecosystem"]: e for e in doc["ecosystems"]}
    assert ecos["Go"]["age_from"] == "import time"
    assert ecos["PyPI"]["newest_modified"].startswith("20")
    assert doc["advisories"] == sum(e["advisories"] for e in doc["ecosystems"])


def test_env_var_selects_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.sqlite"
    monkeypatch.setenv("PIPESEC_DB", str(db))
    assert run("db", "import", str(GO_SAMPLE))[0] == 0
    assert db.exists()


def test_default_database_lives_in_the_user_cache(tmp_path: Path) -> None:
    code, out, _ = run("db", "import", str(GO_SAMPLE))
    assert code == 0
    assert "pipesec" in out and "osv.sqlite" in out


def test_status_without_database_exits_3_with_the_fix(tmp_path: Path) -> None:
    db = tmp_path / "missing.sqlite"
    code, _, err = run("db", "status", "--db", str(db))
    assert code == 3
    assert f"run 'pipesec db sync --db {db}'" in err
    assert "db import" not in err  # one command, not a choice


def test_import_of_a_broken_file_exits_3(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    code, _, err = run("db", "import", str(bad), "--db", str(tmp_path / "x.sqlite"))
    assert code == 3 and "bad.json:1:2: invalid JSON" in err
    assert not (tmp_path / "x.sqlite").exists()


def test_demo_snapshot_covers_the_demo_pins(tmp_path: Path) -> None:
    db_path = tmp_path / "demo.sqlite"
    assert run("db", "import", str(DEMO_SNAPSHOT), "--db", str(db_path))[0] == 0
    db = open_db(db_path)
    pins = {
        "flask": ("0.12.2", "CVE-2018-1000656"),
        "jinja2": ("2.10", "CVE-2019-10906"),
        "requests": ("2.19.1", "CVE-2018-18074"),
        "pyyaml": ("5.3", "CVE-2020-1747"),
        "django": ("2.2.0", "CVE-2019-12781"),
        "urllib3": ("1.24.1", "CVE-2019-11324"),
        "cryptography": ("2.9", "CVE-2020-25659"),
    }
    for name, (version, cve) in pins.items():
        ids = {i for a in db.match("PyPI", name, version) for i in a.ids}
        assert cve in ids, name


@pytest.fixture
def export_server() -> Iterator[str]:
    body = GO_SAMPLE.read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path != "/Go/all.zip":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_sync_command(tmp_path: Path, export_server: str) -> None:
    db = tmp_path / "osv.sqlite"
    code, out, err = run("db", "sync", "-e", "go", "--db", str(db), "--url", export_server)
    assert code == 0, err
    assert "network:" in err and "Go:" in out
    assert open_db(db).ecosystems() == ["Go"]
    # without --ecosystem: the ecosystems already in the database
    code, out, err = run("db", "sync", "--db", str(db), "--url", export_server)
    assert code == 0 and "Go" in err


def test_sync_failure_exits_3(tmp_path: Path, export_server: str) -> None:
    code, _, err = run(
        "db", "sync", "-e", "PyPI", "--db", str(tmp_path / "x.sqlite"), "--url", export_server
    )
    assert code == 3 and "HTTP 404" in err


def test_demo_snapshot_scores_and_fixes(tmp_path: Path) -> None:
    db_path = tmp_path / "demo.sqlite"
    assert run("db", "import", str(DEMO_SNAPSHOT), "--db", str(db_path))[0] == 0
    advs = {a.id: a for a in open_db(db_path).match("PyPI", "urllib3", "1.24.1")}
    scored = advs["PYSEC-2023-192"]  # carries a CVSS v3.1 vector in the PyPI data
    assert scored.cvss_score == 8.1 and scored.severity.value == "high"
    assert not scored.severity_assumed and "GHSA-v845-jxx5-vc9f" in scored.aliases
    assert advs["PYSEC-2019-133"].severity_assumed
    assert advs["PYSEC-2019-133"].smallest_fix_above("1.24.1") == "1.24.2"


def test_unwritable_database_location_exits_3(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    code, _, err = run("db", "import", str(GO_SAMPLE), "--db", str(blocker / "osv.sqlite"))
    assert code == 3 and "cannot write the database" in err
