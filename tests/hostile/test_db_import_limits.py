"""Item 16: ``db import`` caps the size and compression ratio of zip members (a 2 MB zip
holding one 2 GB member was read whole) and removes what killed imports left behind."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.vulndb import store

runner = CliRunner()

RECORD = {
    "id": "PYSEC-0000-1",
    "modified": "2024-01-01T00:00:00Z",
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "demo"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0"}]}],
        }
    ],
}


def _import(src: Path, db: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["db", "import", str(src), "--db", str(db)])
    return result.exit_code, result.stderr


def test_zip_bomb_member_is_refused_by_its_ratio(tmp_path: Path) -> None:
    src = tmp_path / "bomb.zip"
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("PYSEC-0000-1.json", json.dumps(RECORD) + " " * 8_000_000)
    assert src.stat().st_size < 100_000
    code, err = _import(src, tmp_path / "osv.sqlite")
    assert code == 3 and "compression ratio" in err and "Traceback" not in err
    assert not (tmp_path / "osv.sqlite").exists()


def test_member_over_the_size_cap_is_refused_without_reading_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "MAX_MEMBER_BYTES", 64 * 1024)
    src = tmp_path / "big.zip"
    with zipfile.ZipFile(src, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("PYSEC-0000-1.json", json.dumps(RECORD) + " " * 100_000)
    code, err = _import(src, tmp_path / "osv.sqlite")
    assert code == 3 and "size limit" in err


def test_leftovers_of_a_killed_import_are_removed(tmp_path: Path) -> None:
    db = tmp_path / "osv.sqlite"
    stale = [
        tmp_path / ".osv.sqlite.4242.1401.tmp",
        tmp_path / ".osv.sqlite.4242.1401.tmp-journal",
        tmp_path / ".osv.sqlite.4243.1.tmp-wal",
    ]
    for p in stale:
        p.write_bytes(b"x" * 1000)
    src = tmp_path / "rec.json"
    src.write_text(json.dumps(RECORD))
    code, err = _import(src, db)
    assert code == 0, err
    assert db.exists()
    assert not [p for p in stale if p.exists()]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".osv.sqlite.lock",
        "osv.sqlite",
        "rec.json",
    ]
