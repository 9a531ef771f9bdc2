"""The deps scanner's cheap pre-check never skips a real dependency input."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipesec.scanners.deps import might_be_input
from pipesec.scanners.deps.sources import source_for

FIXTURES = Path(__file__).parents[2] / "fixtures" / "deps"
NAMES = [
    "requirements.txt",
    "requirements-dev.txt",
    "dev.requirements.txt",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "pylock.toml",
    "pylock.prod.toml",
    "pyproject.toml",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "go.mod",
    "Cargo.lock",
    "Gemfile.lock",
    "composer.lock",
    "gradle.lockfile",
    "buildscript-gradle.lockfile",
    "pom.xml",
    "packages.lock.json",
    "pubspec.lock",
    "Package.resolved",
    "bun.lock",
    "bun.lockb",
    "conan.lock",
    "mix.lock",
    "renv.lock",
    "cabal.project.freeze",
    "stack.yaml.lock",
    "packages.config",
    "Api.csproj",
    "Lib.fsproj",
    "Legacy.vbproj",
    "Directory.Packages.props",
    "WebApp.deps.json",
    "environment.yml",
    "environment.yaml",
    "conda-lock.yml",
    "prod.conda-lock.yml",
    "conda-linux-64.lock",
    "Podfile.lock",
    "paket.lock",
    "rebar.lock",
    "Manifest.toml",
    "project.assets.json",
]


@pytest.mark.parametrize(
    "name", NAMES + sorted({p.name for p in FIXTURES.rglob("*") if p.is_file()})
)
def test_every_source_passes_the_precheck(name: str) -> None:
    if source_for(name) is not None:
        assert might_be_input(name)


def test_known_names_are_sources() -> None:
    assert all(source_for(n) is not None for n in NAMES)


def test_empty_tree_does_not_import_the_parsers(tmp_path: Path) -> None:
    import subprocess

    code = (
        "import sys; from pathlib import Path\n"
        "from pipesec.core.workspace import Workspace\n"
        "from pipesec.core.scanner import ScannerSettings\n"
        "from pipesec.scanners.deps import DepsScanner\n"
        f"list(DepsScanner().scan(Workspace(Path({str(tmp_path)!r})), ScannerSettings()))\n"
        "assert 'pipesec.scanners.deps.sources' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
