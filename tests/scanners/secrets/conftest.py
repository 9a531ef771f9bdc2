"""Engines shared by the secrets tests (Hyperscan compilation happens once per session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import SecretsCache

from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.rules import all_rules


@pytest.fixture(scope="session")
def hs_cache(tmp_path_factory: pytest.TempPathFactory, secrets_cache: SecretsCache) -> Path:
    """The cache folder of the engines these tests build, one per session: it starts with
    the session's shared databases (``secrets_cache``, tests/conftest.py), so the built-in
    rules are compiled at most once a session, here or in a pipesec process."""
    path = tmp_path_factory.getbasetemp() / "secrets-tests-cache"
    secrets_cache.lend(path)
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
def _shared_hs_cache(
    hs_cache: Path, secrets_cache: SecretsCache, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Engines built by the scanner reuse the compiled database across tests (and the
    session's pipesec processes reuse what they compiled)."""
    from pipesec.scanners.secrets import hsdb

    monkeypatch.setattr(hsdb, "cache_dir_default", lambda: hs_cache)
    yield
    secrets_cache.harvest(hs_cache)
