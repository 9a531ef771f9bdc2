"""Shared test helpers."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from pipesec.core.model import Finding, Location, Severity

FIXTURES = Path(__file__).parent / "fixtures"

# Property tests assert behaviour, never time: no per-example deadline and no "too slow"
# health check, which fail on a loaded machine (two cores shared by parallel jobs in CI).
# A test's own @settings still chooses its number of examples.
settings.register_profile("pipesec", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("pipesec")


#: the test process's own user cache and data folders (:func:`pytest_configure`)
_PROCESS: dict[str, Path] = {}


@pytest.hookimpl(trylast=True)  # after the tmp_path plugin's: the session's base folder
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fresh_cache: the test's XDG cache starts empty, without the session's secrets"
        " databases (it tests caching; see SecretsCache)",
    )
    # what runs outside any test's environment (collection, module and session fixtures,
    # the atexit hook that saves the IaC CEL cache) gets the test environment too, with
    # folders of the session: nothing is written to the user's cache or data folders. It is
    # the test process's environment, never restored.
    factory: pytest.TempPathFactory = config._tmp_path_factory  # type: ignore[attr-defined]
    base = factory.mktemp("environment")
    _PROCESS["cache"], _PROCESS["data"] = base / "cache", base / "data"
    SecretsCache.make_key(_PROCESS["data"])
    _test_env(pytest.MonkeyPatch(), _PROCESS["cache"], _PROCESS["data"])


class SecretsCache:
    """The compiled secrets databases that the tests' pipesec processes share.

    Every scan's report goes through the redactor, whose engine needs the Hyperscan
    databases of the built-in rules: compiled in a fresh cache directory, that is ~20 s of
    CPU per process (0.3 s when cached). So each test's ``$XDG_CACHE_HOME`` starts with the
    ``pipesec/secrets`` folder of this session: hard links to the signed databases of the
    built-in rules (the single-text and multiline ones) and the redaction index naming them,
    taken from the first test whose processes wrote them (:meth:`harvest`). A test's writes
    replace its own links (the cache writes atomically) and never reach the session's files.

    The files stay signed and checked: the key is the session's (``$XDG_DATA_HOME``, one
    folder per session, never the user's), and a file is taken only when its digest matches
    it. A test that tests caching (what a cold cache writes, tampering, eviction) is marked
    ``fresh_cache`` and starts from an empty folder; tests that set ``XDG_CACHE_HOME`` or
    pass a ``cache_dir`` of their own are not affected either.
    """

    def __init__(self, data_home: Path, folder: Path) -> None:
        self.data_home = data_home
        self.folder = folder
        self.key = self.make_key(data_home)
        self._wanted: tuple[str, str] | None = None
        self._complete = False

    @staticmethod
    def make_key(data_home: Path) -> str:
        """The key of the cache's digests kept in ``data_home`` (as pipesec keeps it in the
        user data folder), made when there is none."""
        path = data_home / "pipesec" / "cache-key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(os.urandom(32).hex())
        return path.read_text()

    def lend(self, target: Path) -> None:
        """``target`` (a ``pipesec/secrets`` folder) created, holding links to the files."""
        target.mkdir(parents=True)
        for path in self.folder.iterdir():
            os.link(path, target / path.name)

    def harvest(self, used: Path) -> None:
        """Take the built-in rules' databases and index from ``used`` (a test's folder)
        when they are not taken yet and their digests match the session's key."""
        if self._complete or not used.is_dir():
            return
        text, lines = self._names()
        if not text:
            self._complete = True
            return
        from pipesec.core import cachemac

        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(cachemac.KEY_ENV, self.key)
            for path in sorted(used.iterdir()):
                name = path.name
                if (self.folder / name).exists() or not (
                    name in (text, lines) or (name.startswith("redact-") and name.endswith(".json"))
                ):
                    continue
                raw = cachemac.read_signed(path, "file of a test")
                if raw is None:
                    continue
                if name.startswith("redact-") and json.loads(raw).get("database") != text[5:-5]:
                    continue  # an index of another rule set
                cachemac.write_signed(self.folder / name, raw)
        have = {p.name for p in self.folder.iterdir()}
        self._complete = {text, lines} <= have and any(n.startswith("redact-") for n in have)

    def _names(self) -> tuple[str, str]:
        """The names of the built-in rules' single-text and multiline databases ("" when
        Hyperscan is not installed)."""
        if self._wanted is None:
            try:
                import hyperscan
            except ImportError:
                self._wanted = ("", "")
                return self._wanted
            from pipesec.scanners.secrets import hsdb
            from pipesec.scanners.secrets.rules import all_rules

            rules = all_rules()
            self._wanted = (
                f"text-{hsdb.database_key(rules, hyperscan)}.hsdb",
                f"lines-{hsdb.database_key(rules, hyperscan, multiline=True)}.hsdb",
            )
        return self._wanted


@pytest.fixture(scope="session")
def secrets_cache(tmp_path_factory: pytest.TempPathFactory) -> SecretsCache:
    return SecretsCache(_PROCESS["data"], tmp_path_factory.mktemp("secrets"))


def _test_env(mp: pytest.MonkeyPatch, cache: Path, data_home: Path) -> None:
    """No developer's keys, caches or CI summary file; ``cache`` as the user cache and the
    session's ``data_home`` (the key of the cache's digests)."""
    for var in ("PIPESEC_FINGERPRINT_KEY", "PIPESEC_CACHE_KEY", "GITHUB_STEP_SUMMARY"):
        mp.delenv(var, raising=False)
    mp.delenv("PIPESEC_DB", raising=False)
    mp.setenv("XDG_CACHE_HOME", str(cache))
    mp.setenv("XDG_DATA_HOME", str(data_home))
    # dated IaC rules (end-of-life engine versions) are judged at one fixed day, so a fixed
    # example on a version still supported today does not start failing when its date passes
    mp.setenv("PIPESEC_AS_OF", "2026-12-07")
    mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
    mp.setenv("GIT_AUTHOR_NAME", "Test")
    mp.setenv("GIT_AUTHOR_EMAIL", "test@example.invalid")
    mp.setenv("GIT_COMMITTER_NAME", "Test")
    mp.setenv("GIT_COMMITTER_EMAIL", "test@example.invalid")


@pytest.fixture(autouse=True)
def _isolated_env(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
    secrets_cache: SecretsCache,
) -> Iterator[None]:
    """Tests never see the developer's keys, caches or CI summary file; each has a cache
    folder of its own, holding the session's secrets databases unless it is marked
    ``fresh_cache`` (:class:`SecretsCache`)."""
    cache = tmp_path_factory.mktemp("cache")
    _test_env(monkeypatch, cache, secrets_cache.data_home)
    shared = cache / "pipesec" / "secrets"
    fresh = request.node.get_closest_marker("fresh_cache") is not None
    if not fresh:
        secrets_cache.lend(shared)
    yield
    if not fresh:
        secrets_cache.harvest(shared)
    # what module and session fixtures compiled (the process's own cache)
    secrets_cache.harvest(_PROCESS["cache"] / "pipesec" / "secrets")


def finding(
    rule_id: str = "test/rule",
    path: str = "a.py",
    line: int = 1,
    severity: Severity = Severity.HIGH,
    scanner: str = "test",
    identity: str = "",
    **kw: object,
) -> Finding:
    return Finding(
        rule_id=rule_id,
        scanner=scanner,
        title=kw.pop("title", "Test rule"),  # type: ignore[arg-type]
        message=kw.pop("message", "something is wrong"),  # type: ignore[arg-type]
        severity=severity,
        location=Location(path, line, 1, line, 5),
        identity=identity or f"{rule_id}:{path}:{line}",
        **kw,  # type: ignore[arg-type]
    )


def git(cwd: Path, *args: str) -> str:
    env = dict(os.environ)
    proc = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return proc.stdout


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    def make(files: dict[str, str]) -> Path:
        root = tmp_path / "repo"
        root.mkdir(exist_ok=True)
        git(root, "init", "-q")
        for name, text in files.items():
            p = root / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "init")
        return root

    return make
