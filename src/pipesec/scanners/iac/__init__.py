"""The ``iac`` scanner: Dockerfiles, Kubernetes manifests, Terraform and Docker Compose.

Files are routed by name and content: ``Dockerfile``/``Containerfile`` (and
``*.Dockerfile``, ``Dockerfile.*``), ``*.tf`` (one module per directory; local modules
followed), ``docker-compose*.yml``/``compose*.yml``, CloudFormation templates (YAML, JSON
and ``*.template`` whose content is a template), and other YAML files whose documents
carry ``apiVersion`` and ``kind``. Helm templates (Go templates that are not YAML until
rendered) are reported as skipped notes, never as errors.

This module stays light: the parsers and rules (:mod:`.scanner`) load only when the tree
holds a file the scanner reads. Names of :mod:`.scanner` are available from here too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pipesec.core.workspace import under_any
from pipesec.scanners.iac.files import SKIPPED_DIRS, kind_of, size_checked

if TYPE_CHECKING:
    from pipesec.core.model import Rule
    from pipesec.core.scanner import ScanItem, ScannerSettings
    from pipesec.core.workspace import Workspace, WorkspaceFile


class IacScanner:
    name = "iac"
    default = True

    def rules(self) -> Sequence[Rule]:
        from pipesec.scanners.iac.scanner import IacScannerImpl

        return IacScannerImpl().rules()

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        from pipesec.core.scanner import too_large

        def parses(f: WorkspaceFile) -> bool:
            return bool(kind_of(f.name)) and not under_any(f.path, SKIPPED_DIRS)

        yield from too_large(
            workspace, "iac", lambda f: size_checked(kind_of(f.name)) and parses(f)
        )
        if not any(parses(f) for f in workspace.files()):
            return
        from pipesec.scanners.iac.scanner import IacScannerImpl

        yield from IacScannerImpl().scan(workspace, settings)


def __getattr__(name: str) -> Any:
    import importlib

    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(importlib.import_module("pipesec.scanners.iac.scanner"), name)
