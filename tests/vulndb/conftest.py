from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from pipesec.vulndb.store import import_records

OSV = Path(__file__).parent.parent / "fixtures" / "osv"
PYPI_SAMPLE = OSV / "pypi-sample.zip"
GO_SAMPLE = OSV / "go-sample.zip"


def load_reference() -> ModuleType:
    """The independent brute-force matcher (loaded by path: it is not part of pipesec)."""
    name = "osv_reference"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).parent / "osv_reference.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the vendored PyPI and Go samples (real records)."""
    path = tmp_path_factory.mktemp("vulndb") / "osv.sqlite"
    import_records(path, [PYPI_SAMPLE, GO_SAMPLE])
    return path
