"""Terraform projects: one module per directory, evaluated with its variables' literal
defaults and locals; ``module`` blocks whose ``source`` is a local path inside the scanned
tree are evaluated again with the arguments the caller passes.
"""

from __future__ import annotations

import logging
import posixpath
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pipesec.core.lines import split_lines
from pipesec.core.model import Finding, ScanError
from pipesec.core.scanner import ScanItem, read_text
from pipesec.core.workspace import WorkspaceFile
from pipesec.scanners.iac import hcl, terraform
from pipesec.scanners.iac.common import SCANNER, to_finding
from pipesec.scanners.iac.hcl import (
    MAX_MODULE_DEPTH,
    Block,
    Expr,
    HclError,
    ParsedFile,
    Scope,
    attr_name_expr,
    build_blocks,
    collect_definitions,
    new_parser,
    parse_tree,
)

if TYPE_CHECKING:
    from tree_sitter import Parser

log = logging.getLogger(__name__)


def load_file(path: str, text: str, parser: Parser | None = None) -> ParsedFile:
    """Parse one .tf file; raises HclError with the position of the first syntax error."""
    tree = parse_tree(text.encode("utf-8", "surrogatepass"), parser)
    return ParsedFile(path, tree, split_lines(text))


class Project:
    def __init__(self, files: dict[str, ParsedFile]) -> None:
        self.files = files
        self.modules: dict[str, list[ParsedFile]] = defaultdict(list)
        #: terraform.tfvars and *.auto.tfvars, which terraform loads on its own, per directory
        self.tfvars: dict[str, list[ParsedFile]] = defaultdict(list)
        for path, pf in sorted(files.items()):
            target = self.tfvars if path.endswith(".tfvars") else self.modules
            target[posixpath.dirname(path)].append(pf)
        self.lines = {p: pf.lines for p, pf in files.items()}

    def instance(self, directory: str, inputs: dict[str, Any]) -> list[Block]:
        pfs = self.modules.get(directory, [])
        var_nodes, local_nodes = collect_definitions(pfs)
        base = Scope({}, {})
        variables: dict[str, Any] = {}
        for name, node in var_nodes.items():
            if name in inputs:
                variables[name] = inputs[name]
            elif node is not None:
                variables[name] = base.eval(node)
            else:
                variables[name] = Expr(f"var.{name}")
        scope = Scope(variables, local_nodes)
        blocks: list[Block] = []
        for pf in pfs:
            blocks.extend(build_blocks(pf, scope))
        return blocks

    def var_file_values(self, directory: str) -> dict[str, Any]:
        """Variable values from the directory's auto-loaded .tfvars files (later files win)."""
        values: dict[str, Any] = {}
        scope = Scope({}, {})
        for pf in sorted(
            self.tfvars.get(directory, []), key=lambda p: (p.path.endswith(".auto.tfvars"), p.path)
        ):
            body = next((c for c in pf.tree.root_node.named_children if c.type == "body"), None)
            for item in body.named_children if body is not None else []:
                if item.type == "attribute":
                    name, expr = attr_name_expr(item)
                    if expr is not None:
                        values[name] = scope.eval(expr)
        return values

    def views(self) -> Iterator[terraform.ModuleView]:
        """Every module directory on its own (with its .tfvars), then every local module call
        with its inputs."""
        for directory in sorted(self.modules):
            yield from self._walk(directory, self.var_file_values(directory), 0, (directory,))

    def _walk(
        self, directory: str, inputs: dict[str, Any], depth: int, stack: tuple[str, ...]
    ) -> Iterator[terraform.ModuleView]:
        blocks = self.instance(directory, inputs)
        yield terraform.ModuleView(blocks)
        if depth >= MAX_MODULE_DEPTH:
            return
        for b in blocks:
            if b.type != "module":
                continue
            source = b.value("source")
            if not isinstance(source, str) or not source.startswith(("./", "../")):
                continue
            target = posixpath.normpath(posixpath.join(directory, source))
            if target.startswith("..") or target in stack or target not in self.modules:
                continue  # outside the scanned tree, a cycle, or not scanned
            args = {
                k: a.value
                for k, a in b.attrs.items()
                if k not in ("source", "version", "providers", "count", "for_each", "depends_on")
            }
            if not args:
                continue  # same as scanning the module on its own
            yield from self._walk(target, args, depth + 1, (*stack, target))


def scan_terraform(
    files: Sequence[WorkspaceFile], disabled: frozenset[str] = frozenset(), key: bytes = b""
) -> Iterator[ScanItem]:
    parser = new_parser()
    parsed: dict[str, ParsedFile] = {}
    budget = hcl.MAX_TOTAL_PARSE_BYTES
    for f in files:
        if f.size > budget:
            yield ScanError(
                SCANNER,
                f.path,
                f"the scan's HCL parse budget ({hcl.MAX_TOTAL_PARSE_BYTES / 1e6:.0f} MB in all"
                " .tf files; tree-sitter holds ~300 bytes per byte) is spent; not parsed",
            )
            continue
        text = read_text(f, SCANNER)
        if isinstance(text, ScanError):
            yield text
            continue
        budget -= f.size
        try:
            parsed[f.path] = load_file(f.path, text, parser)
        except HclError as exc:
            yield ScanError(SCANNER, f.path, exc.message, exc.line, exc.column)
    yield from scan_parsed(parsed, disabled, key)


def scan_texts(texts: dict[str, str], disabled: frozenset[str] = frozenset()) -> Iterator[ScanItem]:
    """Scan in-memory Terraform files (path -> text); used by tests and docs."""
    parser = new_parser()
    parsed: dict[str, ParsedFile] = {}
    for path, text in texts.items():
        try:
            parsed[path] = load_file(path, text, parser)
        except HclError as exc:
            yield ScanError(SCANNER, path, exc.message, exc.line, exc.column)
    yield from scan_parsed(parsed, disabled)


def scan_parsed(
    parsed: dict[str, ParsedFile], disabled: frozenset[str], key: bytes = b""
) -> Iterator[Finding | ScanError]:
    project = Project(parsed)
    seen: set[tuple[str, str, int, str]] = set()
    checks = [c for c in terraform.REGISTRY.checks if c.rule.id not in disabled]
    for view in project.views():
        kinds = view.kinds()
        for check in checks:
            types = getattr(check.fn, "resource_types", None)
            if types is not None and kinds.isdisjoint(types):
                continue  # a data rule about resource types this module does not have
            try:
                hits = list(check.fn(view, project.lines))
            except Exception as exc:  # one broken check must not hide the others
                log.debug("check %s failed", check.rule.id, exc_info=True)
                yield ScanError(
                    SCANNER, "", f"rule {check.rule.id} failed: {type(exc).__name__}: {exc}"
                )
                continue
            for path, hit in hits:
                where = (check.rule.id, path, hit.line, hit.key or hit.message)
                if where in seen:
                    continue
                seen.add(where)
                yield to_finding(check.rule, path, project.lines.get(path, []), hit, key)
