"""Engines shared by the secrets tests (Hyperscan compilation happens once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.rules import all_rules


@pytest.fixture(scope="session")
def hs_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hsdb")


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
