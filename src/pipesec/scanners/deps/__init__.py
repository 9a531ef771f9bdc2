"""The deps scanner (SCA): lock files of ten ecosystems, installed environments and other
tools' SBOMs, matched against the local OSV database; licences; the component inventory.

This module stays light so that start-up does not pay for the parsers: the scanner's work
lives in :mod:`.scanner` and is imported only when the tree holds a possible dependency
input (or ``--sbom`` / ``--python-env`` name one). Names of :mod:`.scanner` are available
from here too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

    from pipesec.core.model import Rule
    from pipesec.core.scanner import ScanItem, ScannerSettings
    from pipesec.core.workspace import Workspace

#: every dependency source's file name ends in one of these (a superset, checked by a test)
INPUT_SUFFIXES = (
    ".txt",
    ".lock",
    ".json",
    ".yaml",
    ".yml",
    ".toml",
    ".mod",
    ".sum",
    ".xml",
    ".lockfile",
    ".resolved",
    ".freeze",
    ".config",
    ".csproj",
    ".fsproj",
    ".vbproj",
    ".props",
    ".lockb",
)


def might_be_input(filename: str) -> bool:
    return filename.endswith(INPUT_SUFFIXES)


class DepsScanner:
    name = "deps"
    default = True

    @property
    def settings_model(self) -> type[BaseModel]:
        from pipesec.scanners.deps.scanner import DepsSettings

        return DepsSettings

    def rules(self) -> Sequence[Rule]:
        from pipesec.scanners.deps.rules import RULES

        return RULES

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        named = settings.inputs.get("sbom") or settings.inputs.get("python_env")
        configured = settings.options.get("sbom") or settings.options.get("python_env")
        if not (named or configured or any(might_be_input(f.name) for f in workspace.all_files())):
            return
        from pipesec.scanners.deps.scanner import scan

        yield from scan(workspace, settings)


def __getattr__(name: str) -> Any:
    import importlib

    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(importlib.import_module("pipesec.scanners.deps.scanner"), name)
