"""A small vulnerability store for image tests (the deps tests' real OSV records)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipesec.vulndb.store import import_records

OSV_DIR = Path(__file__).parent.parent.parent / "fixtures" / "deps" / "osv"


@pytest.fixture(scope="session")
def image_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("imagedb") / "osv.sqlite"
    import_records(path, [OSV_DIR])
    return path


@pytest.fixture
def with_db(image_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PIPESEC_DB", str(image_db))
    return image_db
