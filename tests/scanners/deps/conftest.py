"""Helpers for the deps scanner tests: a small database built from vendored OSV records
(tests/fixtures/deps/osv/, real PyPI/Go/npm advisories) and a one-call scan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from pipesec.core.model import Component, Finding, Note, ScanError
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.deps import DepsScanner, DepsSettings
from pipesec.vulndb.store import import_records

FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "deps"
OSV_DIR = FIXTURES / "osv"


@pytest.fixture(scope="session")
def deps_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("depsdb") / "osv.sqlite"
    import_records(path, [OSV_DIR])
    return path


class Scan:
    def __init__(self, items: Iterable[Any]) -> None:
        self.items = list(items)

    @property
    def findings(self) -> list[Finding]:
        return [i for i in self.items if isinstance(i, Finding)]

    @property
    def components(self) -> list[Component]:
        return [i for i in self.items if isinstance(i, Component)]

    @property
    def errors(self) -> list[ScanError]:
        return [i for i in self.items if isinstance(i, ScanError)]

    @property
    def notes(self) -> list[Note]:
        return [i for i in self.items if isinstance(i, Note)]

    def rule(self, rule_id: str) -> list[Finding]:
        return [f for f in self.findings if f.rule_id == rule_id]

    def component(self, name: str) -> Component:
        found = [c for c in self.components if c.name == name]
        assert found, f"no component {name}: {[c.name for c in self.components]}"
        return found[0]


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def scan_dir(
    root: Path,
    db: Path | None = None,
    inputs: Mapping[str, Sequence[str]] | None = None,
    **options: Any,
) -> Scan:
    opts = dict(options)
    if db is not None:
        opts.setdefault("db", str(db))
    validated = DepsSettings.model_validate(opts).model_dump()
    settings = ScannerSettings(options=validated, inputs=inputs or {})
    ws = Workspace(root, use_git=False)
    return Scan(DepsScanner().scan(ws, settings))


def scan_files(
    tmp_path: Path, files: Mapping[str, str], db: Path | None = None, **options: Any
) -> Scan:
    return scan_dir(write_tree(tmp_path, files), db, **options)
