"""Shared test helpers."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
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


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never see the developer's keys, caches or CI summary file."""
    for var in ("PIPESEC_FINGERPRINT_KEY", "GITHUB_STEP_SUMMARY", "PIPESEC_DB"):
        monkeypatch.delenv(var, raising=False)
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    # dated IaC rules (end-of-life engine versions) are judged at one fixed day, so a fixed
    # example on a version still supported today does not start failing when its date passes
    monkeypatch.setenv("PIPESEC_AS_OF", "2026-12-07")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "test@example.invalid")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "test@example.invalid")


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
