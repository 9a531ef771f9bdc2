"""The ``iac`` scanner: Dockerfiles, Kubernetes manifests, Terraform and Docker Compose.

Files are routed by name and content: ``Dockerfile``/``Containerfile`` (and
``*.Dockerfile``, ``Dockerfile.*``), ``*.tf`` (one module per directory; local modules
followed), ``docker-compose*.yml``/``compose*.yml``, and other YAML files whose documents
carry ``apiVersion`` and ``kind``. Helm templates (Go templates that are not YAML until
rendered) are reported as skipped notes, never as errors.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Iterator, Sequence
from typing import Any

from pipesec.core.lines import split_lines
from pipesec.core.model import Finding, Note, Rule, ScanError
from pipesec.core.scanner import ScanItem, ScannerSettings, read_text, text_or_error
from pipesec.core.workspace import Workspace, WorkspaceFile
from pipesec.scanners.iac import compose, dockerfile, kubernetes, terraform
from pipesec.scanners.iac.common import SCANNER, Hit, to_finding
from pipesec.scanners.iac.dockerfile_parser import parse as parse_dockerfile
from pipesec.scanners.iac.files import (
    _FROM_LINE,
    _TEMPLATE,
    HELM_NOTE,
    MAX_DOCUMENTS,
    SKIPPED_DIRS,
    kind_of,
)
from pipesec.scanners.iac.yamlpos import Y, YamlError, load_all

log = logging.getLogger(__name__)


class IacScannerImpl:
    name = "iac"
    default = True

    def rules(self) -> Sequence[Rule]:
        return [
            *dockerfile.RULES,
            *kubernetes.RULES,
            *terraform.RULES,
            *compose.RULES,
        ]

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        disabled = settings.disabled_rules
        key = settings.fingerprint_key
        tf_files: list[WorkspaceFile] = []
        paths = {f.path for f in workspace.files()}
        for f in workspace.files():
            kind = kind_of(f.name)
            if not kind or not SKIPPED_DIRS.isdisjoint(f.path.split("/")[:-1]):
                continue
            if kind == "tf":
                if not workspace.is_binary(f):
                    tf_files.append(f)
                continue
            text = text_or_error(workspace, f, SCANNER)
            if isinstance(text, ScanError):
                yield text
                continue
            if text is None:
                continue
            if kind == "docker":
                if f.name.lower() not in ("dockerfile", "containerfile") and not _FROM_LINE.search(
                    text
                ):
                    continue  # Dockerfile.<x> that is not a Dockerfile (no FROM line)
                ignore_path = posixpath.join(posixpath.dirname(f.path), ".dockerignore")
                ignore = None
                if ignore_path in paths:
                    ignore = _read_lines(workspace, ignore_path)
                yield from scan_dockerfile(f.path, text, disabled, ignore, key=key)
            elif kind == "compose":
                yield from scan_compose(f.path, text, disabled, key=key)
            else:
                yield from scan_kubernetes(f.path, text, disabled, key=key)
        if tf_files:
            from pipesec.scanners.iac.tfproject import scan_terraform

            yield from scan_terraform(tf_files, disabled, key=key)


def _read_lines(workspace: Workspace, path: str) -> tuple[str, ...] | None:
    for f in workspace.files():
        if f.path == path:
            text = read_text(f, SCANNER)
            return tuple(split_lines(text)) if isinstance(text, str) else None
    return None


def _run_checks(
    checks: Sequence[Any],
    disabled: frozenset[str],
    path: str,
    lines: list[str],
    *args: Any,
    key: bytes = b"",
) -> Iterator[Finding | ScanError]:
    seen: set[tuple[str, int, str]] = set()
    for check in checks:
        if check.rule.id in disabled:
            continue
        try:
            hits: list[Hit] = list(check.fn(*args))
        except Exception as exc:  # one broken check must not hide the others
            log.debug("check %s failed on %s", check.rule.id, path, exc_info=True)
            yield ScanError(
                SCANNER, path, f"rule {check.rule.id} failed: {type(exc).__name__}: {exc}"
            )
            continue
        for hit in hits:
            where = (check.rule.id, hit.line, hit.key or hit.message)
            if where in seen:
                continue
            seen.add(where)
            yield to_finding(check.rule, path, lines, hit, key)


def scan_dockerfile(
    path: str,
    text: str,
    disabled: frozenset[str] = frozenset(),
    dockerignore: tuple[str, ...] | None = None,
    key: bytes = b"",
) -> Iterator[ScanItem]:
    df = parse_dockerfile(text)
    for err in df.errors:
        yield ScanError(SCANNER, path, f"Dockerfile: {err.message}", err.line)
    if not df.stages:
        if not df.errors and text.strip():
            yield ScanError(SCANNER, path, "Dockerfile: no FROM instruction; not a Dockerfile?")
        return
    ctx = dockerfile.DockerContext(dockerignore=dockerignore)
    yield from _run_checks(dockerfile.REGISTRY.checks, disabled, path, df.lines, df, ctx, key=key)


def _documents(path: str, text: str) -> Iterator[Y | ScanItem]:
    templated = bool(_TEMPLATE.search(text))
    if templated and ("/templates/" in f"/{path}" or text.lstrip().startswith("{{")):
        yield Note(
            SCANNER,
            path,
            HELM_NOTE,
            "template",
        )
        return
    try:
        for count, doc in enumerate(load_all(text), 1):
            if count > MAX_DOCUMENTS:
                yield Note(
                    SCANNER,
                    path,
                    f"more than {MAX_DOCUMENTS} YAML documents; the rest is skipped",
                    "too-large",
                )
                return
            if doc is not None:
                yield doc
    except YamlError as exc:
        if templated:
            yield Note(
                SCANNER,
                path,
                HELM_NOTE,
                "template",
            )
        else:
            yield ScanError(SCANNER, path, exc.message, exc.line, exc.column)


def scan_kubernetes(
    path: str, text: str, disabled: frozenset[str] = frozenset(), key: bytes = b""
) -> Iterator[ScanItem]:
    if "apiVersion" not in text or "kind" not in text:
        return
    lines = split_lines(text)
    for doc in _documents(path, text):
        if not isinstance(doc, Y):
            yield doc
            continue
        for obj in _objects(doc):
            yield from _run_checks(kubernetes.REGISTRY.checks, disabled, path, lines, obj, key=key)


def _objects(doc: Y, depth: int = 0) -> Iterator[kubernetes.K8sObject]:
    if not isinstance(doc.value, dict) or depth > 3:
        return
    kind, api = doc.scalar("kind"), doc.scalar("apiVersion")
    if not isinstance(kind, str) or not isinstance(api, str):
        return
    if kind.endswith("List"):
        items = doc.get("items")
        for item in items.items() if items else []:
            yield from _objects(item, depth + 1)
        return
    yield kubernetes.to_object(doc)


def scan_compose(
    path: str, text: str, disabled: frozenset[str] = frozenset(), key: bytes = b""
) -> Iterator[ScanItem]:
    lines = split_lines(text)
    for doc in _documents(path, text):
        if not isinstance(doc, Y):
            yield doc
            continue
        if doc.get("services") is None:
            continue
        yield from _run_checks(compose.REGISTRY.checks, disabled, path, lines, doc, key=key)


__all__ = ["IacScannerImpl", "kind_of", "scan_compose", "scan_dockerfile", "scan_kubernetes"]
