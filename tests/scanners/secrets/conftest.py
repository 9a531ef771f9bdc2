"""Engines shared by the secrets tests (Hyperscan compilation happens once per session)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.rules import all_rules


@pytest.fixture(scope="session")
def hs_cache() -> Path:
    """A temp directory kept across runs: the database is keyed by the rule set's hash."""
    path = Path(tempfile.gettempdir()) / "pipesec-tests-hsdb"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def re_engine() -> SecretEngine:
    return SecretEngine(all_rules(), use_hyperscan=False)


@pytest.fixture(scope="session")
def hs_engine(hs_cache: Path) -> SecretEngine:
    pytest.importorskip("hyperscan")
    return SecretEngine(all_rules(), use_hyperscan=True, cache_dir=hs_cache)


@pytest.fixture(scope="session", params=["re", "hyperscan"])
def engine(request: pytest.FixtureRequest) -> SecretEngine:
    name = "re_engine" if request.param == "re" else "hs_engine"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _shared_hs_cache(hs_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Engines built by the scanner reuse the compiled database across tests."""
    from pipesec.scanners.secrets import hsdb

    monkeypatch.setattr(hsdb, "cache_dir_default", lambda: hs_cache)
