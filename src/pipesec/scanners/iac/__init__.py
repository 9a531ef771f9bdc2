"""The ``iac`` scanner: Dockerfiles, Kubernetes manifests, Terraform and Docker Compose.

Files are routed by name and content: ``Dockerfile``/``Containerfile`` (and
``*.Dockerfile``, ``Dockerfile.*``), ``*.tf`` (one module per directory; local modules
followed), ``docker-compose*.yml``/``compose*.yml``, CloudFormation templates (YAML, JSON
and ``*.template`` whose content is a template), and other YAML files whose documents
carry ``apiVersion`` and ``kind``. Helm templates (Go templates that are not YAML until
rendered) are reported as skipped notes, never as errors.

This module stays light: the parsers and rules (:mod:`.scanner`) load only when the tree
holds a file the scanner reads, each format's when it holds a file of that format; the
rules' metadata comes from :mod:`.catalog`. Names of :mod:`.scanner` are available from
here too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pipesec.core.workspace import under_any
from pipesec.scanners.iac.files import SKIPPED_DIRS, kind_of, maybe_kubeconfig, size_checked

if TYPE_CHECKING:
    from pipesec.core.model import Rule
    from pipesec.core.scanner import ScanItem, ScannerSettings
    from pipesec.core.workspace import Workspace, WorkspaceFile


class IacScanner:
    name = "iac"
    default = True

    def rules(self) -> Sequence[Rule]:
        from pipesec.scanners.iac.catalog import rules

        return rules()

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        from pipesec.core.scanner import too_large

        def parses(f: WorkspaceFile) -> bool:
            return bool(kind_of(f.name) or maybe_kubeconfig(f.path)) and not under_any(
                f.path, SKIPPED_DIRS
            )

        yield from too_large(
            workspace, "iac", lambda f: size_checked(kind_of(f.name)) and parses(f)
        )
        yield from _big_json(workspace, parses)
        if not any(parses(f) for f in workspace.files()):
            return
        from pipesec.scanners.iac.scanner import IacScannerImpl

        yield from IacScannerImpl().scan(workspace, settings)


def _big_json(workspace: Workspace, parses: Any) -> Iterator[ScanItem]:
    """JSON files over the size limit: a note each (data, never a CloudFormation template,
    which the service takes up to 1 MB), and an error for one whose start says it is a
    ``terraform show -json`` plan: that is an input the scan would check."""
    from pipesec.core.model import Note, ScanError
    from pipesec.scanners.iac.files import PLAN_HEAD, looks_like_plan

    limit = workspace.max_file_size
    for f in workspace.all_files():
        if f.size <= limit or kind_of(f.name) != "json" or workspace.is_excluded(f.path):
            continue
        if not parses(f):
            continue
        head = ""
        if f.disk_path is not None:
            try:
                with open(f.disk_path, "rb") as fh:
                    head = fh.read(PLAN_HEAD).decode("utf-8", "replace")
            except OSError:
                head = ""
        size = f"{f.size / 1e6:.1f} MB is over the {limit / 1e6:.0f} MB file size limit"
        if looks_like_plan(head):
            yield ScanError(
                "iac", f.path, f"{size}: a Terraform plan that is not checked (raise max-file-size)"
            )
        else:
            yield Note("iac", f.path, f"{size}; not read as CloudFormation or a Terraform plan")


def __getattr__(name: str) -> Any:
    """A submodule (``from pipesec.scanners.iac import tf_aws`` asks here first), else a
    name of :mod:`.scanner`. Answering a submodule's name from :mod:`.scanner` would import
    every format's rules to reach one module."""
    import importlib
    import importlib.util

    if name.startswith("__"):
        raise AttributeError(name)
    if importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f"{__name__}.{name}")
    return getattr(importlib.import_module("pipesec.scanners.iac.scanner"), name)
