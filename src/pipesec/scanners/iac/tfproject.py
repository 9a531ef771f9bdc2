"""Terraform projects: one module per directory, evaluated with its variables' literal
defaults and locals; ``module`` blocks whose ``source`` is a local path inside the scanned
tree are evaluated again with the arguments the caller passes.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pipesec.core.lines import split_lines
from pipesec.core.model import Finding, Note, ScanError
from pipesec.core.scanner import ScanItem, read_text
from pipesec.core.workspace import WorkspaceFile
from pipesec.scanners.iac import hcl, terraform
from pipesec.scanners.iac.common import SCANNER, Hit, to_finding
from pipesec.scanners.iac.files import LOCK_FILE
from pipesec.scanners.iac.hcl import (
    MAX_MODULE_DEPTH,
    Block,
    BlockFailure,
    Expr,
    HclError,
    ParsedFile,
    Scope,
    attr_name_expr,
    block_head,
    build_blocks,
    collect_definitions,
    declared_blocks,
    new_parser,
    parse_tree,
)

if TYPE_CHECKING:
    from tree_sitter import Parser

log = logging.getLogger(__name__)
#: module calls (count/for_each instances included) evaluated again with their inputs, in
#: all: nested counted modules would otherwise multiply
MAX_MODULE_WALKS = 256
#: a check that fails on a module of at most this many blocks is run again on each block
#: alone (on each file's blocks, in a larger module) to find what it fails on
#: (:meth:`_Runner._isolated`)
MAX_ISOLATED_BLOCKS = 512
#: resource and data-source addresses in an expression (``aws_s3_bucket.logs`` in
#: ``aws_s3_bucket.logs.id``): a type has an underscore, which var/local/module/each lack
_ADDRESS = re.compile(r"(?<![\w.-])((?:data\.)?[a-z][a-z0-9]*_[\w-]+\.[A-Za-z_][\w-]*)")
#: ``module.<call>.<output>``, ``module.<call>[0].<output>`` (an index holds no bracket: it
#: is read up to the next one, not to the text's end from every ``module.a[`` of a run)
_MODULE_REF = re.compile(r"(?<![\w.-])module\.([\w-]+)(?:\[[^\[\]]*\])?\.([\w-]+)")
#: a version the lock file locks: ``5.31.0``, ``6.0.0-beta2`` (the major is kept)
_LOCKED_VERSION = re.compile(r"(\d{1,6})\.\d{1,9}\.\d{1,9}(?:-[0-9A-Za-z.-]{1,64})?")


def locked_providers(pf: ParsedFile) -> dict[str, int]:
    """Provider type -> the major version a ``.terraform.lock.hcl`` locks, for HashiCorp's
    providers (``provider "registry.terraform.io/hashicorp/aws" { version = "5.31.0" }``;
    OpenTofu's registry keeps the names). The file is the tree's: a provider locked twice
    with different majors, a version that is not a literal ``X.Y.Z`` or a block of another
    shape is left out, and a provider not in the map keeps the rules' reading without a
    version (a lock file can add the findings of an old provider's defaults, never remove
    one)."""
    found: dict[str, set[int]] = defaultdict(set)
    for b in declared_blocks(pf, []):
        if b.type != "provider" or len(b.labels) != 1:
            continue
        parts = b.labels[0].lower().split("/")
        if len(parts) != 3 or parts[1] != "hashicorp" or not parts[2].isidentifier():
            continue
        version = b.value("version")
        m = _LOCKED_VERSION.fullmatch(version) if isinstance(version, str) else None
        if m is not None:
            found[parts[2]].add(int(m.group(1)))
    return {name: majors.pop() for name, majors in found.items() if len(majors) == 1}


def load_file(path: str, text: str, parser: Parser | None = None) -> ParsedFile:
    """Parse one .tf file; raises HclError with the position of the first syntax error."""
    tree = parse_tree(text.encode("utf-8", "surrogatepass"), parser)
    return ParsedFile(path, tree, split_lines(text))


def load_var_json(text: str) -> dict[str, Any]:
    """The variables of a ``terraform.tfvars.json``/``*.auto.tfvars.json`` file; raises
    HclError when it is not one JSON object."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise HclError(f"invalid JSON variables file: {str(exc)[:120]}") from None
    if not isinstance(data, dict):
        raise HclError("a .tfvars.json file holds one JSON object of variable values")
    return {str(k): _json_value(v, 0) for k, v in data.items()}


def _json_value(value: Any, depth: int) -> Any:
    if depth > hcl.MAX_DEPTH:
        return Expr("(nested too deep)")
    if isinstance(value, dict):
        return {str(k): _json_value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v, depth + 1) for v in value]
    return value


class Project:
    def __init__(
        self,
        files: dict[str, ParsedFile],
        var_json: dict[str, dict[str, Any]] | None = None,
        operator_vars: dict[str, Any] | None = None,
    ) -> None:
        self.files = files
        #: path -> values of the .tfvars.json files
        self.var_json = var_json or {}
        #: values of the operator's ``--var-file`` files: over the tree's own, in every
        #: directory scanned as a root module (the tree cannot set them)
        self.operator_vars = operator_vars or {}
        #: module calls whose source cannot be read offline (registry, git, URLs)
        self.notes: dict[tuple[str, str], Note] = {}
        self.modules: dict[str, list[ParsedFile]] = defaultdict(list)
        #: terraform.tfvars and *.auto.tfvars, which terraform loads on its own, per directory
        self.tfvars: dict[str, list[ParsedFile]] = defaultdict(list)
        #: directory -> its ``.terraform.lock.hcl``; provider majors by directory (cached)
        self.locks: dict[str, ParsedFile] = {}
        self._providers: dict[str, dict[str, int]] = {}
        for path, pf in sorted(files.items()):
            if posixpath.basename(path).lower() == LOCK_FILE:
                self.locks[posixpath.dirname(path)] = pf
                continue
            target = self.tfvars if path.endswith(".tfvars") else self.modules
            target[posixpath.dirname(path)].append(pf)
        self.lines = {p: pf.lines for p, pf in files.items()}
        self._sources: dict[str, dict[tuple[str, str, str], Block]] = {}
        self._walks = 0  # module calls followed, against MAX_MODULE_WALKS
        #: what the reader failed on, once per place (a block, a variable, a module): the
        #: failing input loses its own findings, never the other files' (:meth:`failed`)
        self.errors: dict[tuple[str, int, str], ScanError] = {}

    def failed(
        self,
        path: str,
        line: int,
        what: str,
        exc: BaseException | str,
        outcome: str = "its findings are lost",
    ) -> None:
        """Record that reading ``what`` (at ``path``:``line``) raised ``exc``, once."""
        name = exc if isinstance(exc, str) else type(exc).__name__
        if not isinstance(exc, str):
            log.debug("reading %s of %s failed", what, path, exc_info=exc)
        self.errors.setdefault(
            (path, line, what),
            ScanError(
                SCANNER,
                path,
                f"failed to evaluate {what}: {name} (run with -v for details); {outcome}, "
                "the file's other blocks and the other files were checked",
                line,
            ),
        )

    def providers(self, directory: str) -> dict[str, int]:
        """The provider majors of the lock file in ``directory`` or, without one, in the
        nearest directory above it that has one (a module below a root module runs with
        the root's providers); empty when there is none."""
        found = self._providers.get(directory)
        if found is None:
            d = directory
            while d not in self.locks and posixpath.dirname(d) != d:
                d = posixpath.dirname(d)
            lock = self.locks.get(d)
            found = {}
            if lock is not None:
                try:
                    found = locked_providers(lock)
                except Exception as exc:  # read as no lock file: the rules' unversioned reading
                    self.failed(lock.path, 0, "the lock file", exc, "its versions are not used")
            self._providers[directory] = found
        return found

    def instance(
        self, directory: str, inputs: dict[str, Any], dormant: list[Block] | None = None
    ) -> list[Block]:
        pfs = self.modules.get(directory, [])
        var_nodes, local_nodes = collect_definitions(pfs)
        base = Scope({}, {})
        variables: dict[str, Any] = {}
        for name, node in var_nodes.items():
            if name in inputs:
                variables[name] = inputs[name]
            elif node is not None:
                try:
                    variables[name] = base.eval(node)
                except Exception as exc:  # unknown, like a variable without a default
                    variables[name] = Expr(f"var.{name}")
                    block = node
                    while block.parent is not None and block.type != "block":
                        block = block.parent
                    # the file that declares it (the last one, as collect_definitions keeps)
                    where = next(
                        (pf.path for pf in reversed(pfs) if name in collect_definitions([pf])[0]),
                        "",
                    )
                    line = block.start_point[0] + 1
                    what = block_head("variable", [name])
                    self.failed(where, line, what, exc, "its default is read as unknown")
            else:
                variables[name] = Expr(f"var.{name}")
        scope = Scope(variables, local_nodes)
        blocks: list[Block] = []
        failures: list[BlockFailure] = []
        for pf in pfs:
            blocks.extend(build_blocks(pf, scope, dormant, failures))
        for f in failures:
            self.failed(f.path, f.line, f.head, f.error)
        return blocks

    def source_blocks(self, directory: str) -> dict[tuple[str, str, str], Block]:
        """(block type, resource type, name) -> the block written in ``directory``."""
        found = self._sources.get(directory)
        if found is None:
            found = {}
            failures: list[BlockFailure] = []
            declared = [
                b for pf in self.modules.get(directory, []) for b in declared_blocks(pf, failures)
            ]
            for f in failures:
                self.failed(f.path, f.line, f.head, f.error)
            for b in declared:
                if b.type in ("resource", "data") and len(b.labels) >= 2:
                    found.setdefault((b.type, b.labels[0], b.labels[1]), b)
            self._sources[directory] = found
        return found

    def local_references(self, directory: str) -> dict[str, list[str]]:
        """Local value -> what its expression refers to (``module.s3.bucket_id``), read from
        the source text of ``directory``'s ``locals`` blocks (a plan does not list locals)."""
        from pipesec.scanners.iac import tfplan

        _, local_nodes = collect_definitions(self.modules.get(directory, []))
        out: dict[str, list[str]] = {}
        for name, node in local_nodes.items():
            refs = tfplan.source_references(
                node.text.decode("utf-8", "replace") if node.text else ""
            )
            if refs:
                out[name] = refs
        return out

    def plan_root(self, directory: str, plan: Any) -> str | None:
        """The root module of a plan: the plan file's directory when it holds .tf files,
        else the one directory whose blocks include the plan's root resources."""
        if directory in self.modules:
            return directory
        wanted = {
            ("data" if r.mode == "data" else "resource", r.type, r.name)
            for r in plan.resources
            if not r.module
        }
        fits = [d for d in sorted(self.modules) if wanted and wanted <= set(self.source_blocks(d))]
        return fits[0] if len(fits) == 1 else None

    def var_file_values(self, directory: str) -> dict[str, Any]:
        """Variable values from the directory's auto-loaded variable files, in terraform's
        order: terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) by name
        (later files win)."""
        values: dict[str, Any] = {}
        scope = Scope({}, {})
        files: list[tuple[str, ParsedFile | dict[str, Any]]] = [
            (pf.path, pf) for pf in self.tfvars.get(directory, [])
        ]
        files += [(p, v) for p, v in self.var_json.items() if posixpath.dirname(p) == directory]
        order = sorted(files, key=lambda e: (".auto." in posixpath.basename(e[0]), e[0]))
        for path, content in order:
            if isinstance(content, dict):
                values.update(content)
                continue
            root = content.tree.root_node
            body = next((c for c in root.named_children if c.type == "body"), None)
            for item in body.named_children if body is not None else []:
                if item.type == "attribute":
                    name, expr = attr_name_expr(item)
                    if expr is not None:
                        try:
                            values[name] = scope.eval(expr)
                        except Exception as exc:  # the variable keeps its default
                            line = item.start_point[0] + 1
                            self.failed(path, line, name, exc, "the variable keeps its default")
        return values

    def views(self) -> Iterator[terraform.ModuleView]:
        """Every module directory on its own (with its .tfvars), then every local module call
        with its inputs. A view also holds the companion resources other modules write for
        its resources (:meth:`_from_caller`, :meth:`_upward`)."""
        tops = []
        for directory in sorted(self.modules):
            inputs = {**self.var_file_values(directory), **self.operator_vars}
            dormant: list[Block] = []
            tops.append((directory, self.instance(directory, inputs, dormant), dormant))
        outputs = {d: blocks for d, blocks, _ in tops}
        # a module scanned on its own sees what any of its callers writes for it
        called: dict[str, list[Block]] = defaultdict(list)
        for directory, blocks, _ in tops:
            try:
                for call, target in self._local_calls(directory, blocks):
                    called[target] += self._from_caller(blocks, call, outputs.get(target, []))
            except Exception as exc:  # its callees are scanned on their own all the same
                where = self._first_file(directory)
                self.failed(where, 0, "the module's calls", exc, "its resources are unlinked")
        for directory, blocks, dormant in tops:
            try:
                views, _up = self._walk(
                    directory, blocks, dormant, called[directory], 0, (directory,)
                )
            except Exception as exc:  # the module on its own, without the modules it calls
                self.failed(
                    self._first_file(directory),
                    0,
                    "the module's calls",
                    exc,
                    "the module is checked without the modules it calls",
                )
                views = [
                    terraform.ModuleView(
                        blocks,
                        dormant=dormant,
                        outside=called[directory],
                        providers=self.providers(directory),
                    )
                ]
            yield from views

    def _first_file(self, directory: str) -> str:
        pfs = self.modules.get(directory)
        return pfs[0].path if pfs else directory

    def _local_calls(self, directory: str, blocks: list[Block]) -> Iterator[tuple[Block, str]]:
        """The module calls of ``blocks`` with their directory in the scanned tree; a note for
        each call whose source cannot be read offline."""
        for b in blocks:
            if b.type != "module":
                continue
            source = b.value("source")
            if not isinstance(source, str) or not source.startswith(("./", "../")):
                self._remote(b, source)
                continue
            target = posixpath.normpath(posixpath.join(directory, source))
            if not target.startswith("..") and target in self.modules:
                yield b, target

    def _walk(
        self,
        directory: str,
        blocks: list[Block],
        dormant: list[Block],
        outside: list[Block],
        depth: int,
        stack: tuple[str, ...],
    ) -> tuple[list[terraform.ModuleView], list[Block]]:
        """The views of this instance and of the local module calls it makes, and the
        companion resources of this instance and the ones below it that name a resource of
        the calling module (passed in as an argument)."""
        views: list[terraform.ModuleView] = []
        below: list[Block] = []  # companions of called modules, in this module's names
        walked: set[tuple[str, str]] = set()  # for_each instances passing the same inputs
        declared = self._declared(directory)
        calls = self._local_calls(directory, blocks) if depth < MAX_MODULE_DEPTH else iter(())
        for call, target in calls:
            args = {
                k: a.value
                for k, a in call.attrs.items()
                if k not in ("source", "version", "providers", "count", "for_each", "depends_on")
            }
            if target in stack or not args:
                continue  # a cycle, or the same as scanning the module on its own
            if (target, repr(args)) in walked or self._walks >= MAX_MODULE_WALKS:
                continue
            walked.add((target, repr(args)))
            self._walks += 1
            child_dormant: list[Block] = []
            child = self.instance(target, args, child_dormant)
            child_views, up = self._walk(
                target,
                child,
                child_dormant,
                self._from_caller(blocks, call, child),
                depth + 1,
                (*stack, target),
            )
            views += child_views
            below += self._upward(up, declared, mine=True)
        view = terraform.ModuleView(
            blocks,
            dormant=dormant,
            outside=[*outside, *below],
            providers=self.providers(stack[0]),  # the root module's lock file
        )
        up = self._upward([*blocks, *below], declared, mine=False)
        return [view, *views], up

    def _declared(self, directory: str) -> frozenset[str]:
        """The addresses of the resources and data sources written in ``directory``."""
        return frozenset(
            f"data.{k}.{n}" if t == "data" else f"{k}.{n}"
            for t, k, n in self.source_blocks(directory)
        )

    @staticmethod
    def _upward(blocks: list[Block], declared: frozenset[str], mine: bool) -> list[Block]:
        """Copies of the resources of ``blocks`` keeping the attributes that name a resource
        declared in the module (``mine``) or not declared there (passed in by the caller,
        since a module can only name its own resources), and literal strings (bucket names
        are global: a module's companion may name the caller's bucket). A block that keeps
        no attribute is left out."""

        def keep(v: Any) -> Any:
            if isinstance(v, str):
                return v
            if not isinstance(v, Expr):
                return None
            named = set(_ADDRESS.findall(v.text))
            if not named:
                return None
            ok = named <= declared if mine else not named & declared
            return v if ok else None

        return _rewritten(blocks, keep, literal=True)

    @staticmethod
    def _from_caller(caller: list[Block], call: Block, module: list[Block]) -> list[Block]:
        """Copies of the caller's resources that refer to ``call``'s outputs, with
        ``module.<name>.<output>`` replaced by the output's value in the module (``module``:
        its evaluated blocks). An output the module does not declare, or whose value is not
        a string or an expression, leaves the attribute out."""
        name = call.labels[0] if call.labels else ""
        values = {b.labels[0]: b.value("value") for b in module if b.type == "output" and b.labels}

        def keep(v: Any) -> Any:
            if isinstance(v, str):
                return v
            if not isinstance(v, Expr):
                return None
            refs = [m for m in _MODULE_REF.finditer(v.text) if m.group(1) == name]
            if not refs:
                return None
            text = v.text
            for m in reversed(refs):
                value = values.get(m.group(2))
                if isinstance(value, str) and m.group(0) == v.text:
                    return value
                if not isinstance(value, Expr):
                    return None
                text = text[: m.start()] + value.text + text[m.end() :]
            return Expr(text)

        return _rewritten([b for b in caller if b.type == "resource"], keep)

    def _remote(self, call: Block, source: Any) -> None:
        """A note for a module call the scan cannot follow offline, once per call."""
        name = call.labels[0] if call.labels else "?"
        if (call.path, name) in self.notes:
            return
        shown = source if isinstance(source, str) else getattr(source, "text", "?")
        self.notes[(call.path, name)] = Note(
            SCANNER,
            call.path,
            f"module {name}: source {str(shown)[:120]!r} is not in the scanned tree; its "
            "resources are not checked (scan `terraform show -json` output to check them)",
            kind="unresolved-module",
        )


def _rewritten(
    blocks: list[Block], keep: Callable[[Any], Any], literal: bool = False
) -> list[Block]:
    """Copies of the resources of ``blocks`` whose top-level attributes are ``keep(value)``
    (left out when None); a copy that keeps none of its expressions (nothing, with
    ``literal``) is left out."""
    out = []
    for b in blocks:
        if b.type != "resource":
            continue
        attrs, named = {}, False
        for k, a in b.attrs.items():
            v = keep(a.value)
            if v is not None:
                attrs[k] = dataclasses.replace(a, value=v)
                named = named or literal or isinstance(a.value, Expr)
        if named:
            out.append(dataclasses.replace(b, attrs=attrs, blocks=[]))
    return out


def read_var_file(path: str, text: str) -> dict[str, Any]:
    """Variable values of one ``-var-file`` (HCL ``.tfvars`` or ``.tfvars.json``); raises
    HclError when it is neither."""
    if path.endswith(".json"):
        return load_var_json(text)
    project = Project({})
    project.tfvars[""] = [load_file(path, text)]
    return project.var_file_values("")


def scan_terraform(
    files: Sequence[WorkspaceFile],
    disabled: frozenset[str] = frozenset(),
    key: bytes = b"",
    plans: Sequence[tuple[str, str]] = (),
    operator_vars: dict[str, Any] | None = None,
) -> Iterator[ScanItem]:
    """Scan ``.tf``/``.tfvars`` files and plan JSON files (``(path, text)``) together: a
    plan's findings point at the ``.tf`` source when it is among ``files``. ``operator_vars``
    (the command line's ``--var-file`` values) win over the tree's variable files."""
    parser = new_parser()
    parsed: dict[str, ParsedFile] = {}
    var_json: dict[str, dict[str, Any]] = {}
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
        yield from _load(f.path, text, parser, parsed, var_json)
    yield from scan_parsed(parsed, disabled, key, plans, var_json, operator_vars)


def _load(
    path: str,
    text: str,
    parser: Parser,
    parsed: dict[str, ParsedFile],
    var_json: dict[str, dict[str, Any]],
) -> Iterator[ScanError]:
    """Parse one file into ``parsed`` (HCL) or ``var_json`` (.tfvars.json)."""
    try:
        if path.endswith(".tfvars.json"):
            var_json[path] = load_var_json(text)
        else:
            parsed[path] = load_file(path, text, parser)
    except HclError as exc:
        yield ScanError(SCANNER, path, exc.message, exc.line, exc.column)
    except Exception as exc:  # a parser bug: this file is left out, not the project
        yield _reader_failed(path, exc)


def _reader_failed(path: str, exc: Exception) -> ScanError:
    log.debug("reading %s failed", path, exc_info=True)
    return ScanError(
        SCANNER,
        path,
        f"failed to read this file: {type(exc).__name__} (run with -v for details); the other "
        "Terraform files were checked",
    )


def scan_texts(
    texts: dict[str, str],
    disabled: frozenset[str] = frozenset(),
    plans: Sequence[tuple[str, str]] = (),
    operator_vars: dict[str, Any] | None = None,
) -> Iterator[ScanItem]:
    """Scan in-memory Terraform files (path -> text) and plans; used by tests and docs."""
    parser = new_parser()
    parsed: dict[str, ParsedFile] = {}
    var_json: dict[str, dict[str, Any]] = {}
    for path, text in texts.items():
        yield from _load(path, text, parser, parsed, var_json)
    yield from scan_parsed(
        parsed, disabled, plans=plans, var_json=var_json, operator_vars=operator_vars
    )


class _Runner:
    """Runs the enabled checks on module views; one finding per rule, file, line and key
    (a counted resource, or a resource seen both in its source and in a plan, once)."""

    def __init__(self, lines: dict[str, list[str]], disabled: frozenset[str], key: bytes) -> None:
        self.lines = lines
        self.key = key
        self.checks = [c for c in terraform.REGISTRY.checks if c.rule.id not in disabled]
        self.seen: set[tuple[str, str, int, str]] = set()
        self.errors: set[tuple[str, int, str]] = set()

    def run(self, view: terraform.ModuleView) -> Iterator[Finding | ScanError]:
        kinds = view.kinds()
        for check in self.checks:
            types = getattr(check.fn, "resource_types", None)
            if types is not None and kinds.isdisjoint(types):
                continue  # a data rule about resource types this module does not have
            try:
                hits = list(check.fn(view, self.lines))
            except Exception as exc:  # one broken check must not hide the others
                log.debug("check %s failed", check.rule.id, exc_info=True)
                hits, errors = self._isolated(check, view, exc)
                for e in errors:  # once, for counted blocks and modules called twice
                    if (e.path, e.line, e.message) not in self.errors:
                        self.errors.add((e.path, e.line, e.message))
                        yield e
            for path, hit in hits:
                where = (check.rule.id, path, hit.line, hit.key or hit.message)
                if where in self.seen:
                    continue
                self.seen.add(where)
                yield to_finding(check.rule, path, self.lines.get(path, []), hit, self.key)

    def _isolated(
        self, check: Any, view: terraform.ModuleView, exc: Exception
    ) -> tuple[list[tuple[str, Hit]], list[ScanError]]:
        """A check failed on a module: run it on each block alone (each file's blocks, in a
        module of more than :data:`MAX_ISOLATED_BLOCKS`) to find what it fails on, then on
        the module without those. The check loses its findings there only, each reported as
        an error at its place; when nothing fails alone (the failure needs two blocks
        together) or the rest fails too, the check's findings in the module are lost and the
        error names the module's first file."""
        by_block = len(view.blocks) <= MAX_ISOLATED_BLOCKS
        units: dict[Any, list[Block]] = defaultdict(list)
        for b in view.blocks:
            units[id(b) if by_block else b.path].append(b)

        def attempt(blocks: list[Block]) -> list[tuple[str, Hit]] | None:
            paths = {x.path for x in blocks}
            part = terraform.ModuleView(
                blocks,
                dormant=[b for b in view.dormant if b.path in paths],
                outside=view.outside,
                providers=view.providers,
            )
            try:
                return list(check.fn(part, self.lines))
            except Exception:
                return None

        def error(path: str, line: int, what: str) -> ScanError:
            return ScanError(
                SCANNER,
                path,
                f"rule {check.rule.id} failed on {what}: {type(exc).__name__}: {exc}",
                line,
            )

        bad = [u for u, blocks in units.items() if len(units) > 1 and attempt(blocks) is None]
        if bad and len(bad) < len(units):
            rest = attempt([b for u, blocks in units.items() if u not in bad for b in blocks])
            if rest is not None:
                errors = []
                for u in bad:
                    first = units[u][0]
                    what = f"{first.address} (the module's other blocks were checked)"
                    if not by_block:
                        what = "this file (the module's other files were checked)"
                    errors.append(error(first.path, first.line if by_block else 0, what))
                return rest, errors
        files = sorted({b.path for b in view.blocks})
        where = files[0] if files else ""
        return [], [error(where, 0, "this module" if len(files) > 1 else "this file")]


def scan_parsed(
    parsed: dict[str, ParsedFile],
    disabled: frozenset[str],
    key: bytes = b"",
    plans: Sequence[tuple[str, str]] = (),
    var_json: dict[str, dict[str, Any]] | None = None,
    operator_vars: dict[str, Any] | None = None,
) -> Iterator[Finding | ScanError | Note]:
    project = Project(parsed, var_json, operator_vars)
    runner = _Runner(project.lines, disabled, key)
    for view in project.views():
        yield from runner.run(view)
    yield from project.errors.values()
    yield from project.notes.values()
    for path, text in plans:
        try:  # a plan that breaks the reader loses its own findings, not the other plans'
            yield from scan_plan(project, runner, path, text)
        except Exception as exc:
            yield _reader_failed(path, exc)


def scan_plan(
    project: Project, runner: _Runner, path: str, text: str
) -> Iterator[Finding | ScanError]:
    """One ``terraform show -json`` file: its resources per module instance, located in
    the ``.tf`` source when the tree holds it (:mod:`.tfplan`)."""
    from pipesec.scanners.iac import tfplan

    try:
        plan = tfplan.parse_plan(path, text)
    except tfplan.PlanError as exc:
        yield ScanError(SCANNER, path, f"terraform plan: {exc}")
        return
    where = tfplan.JsonPositions(text)
    runner.lines[path] = split_lines(tfplan.masked_text(plan, where))
    dirs = set(project.modules)
    root = project.plan_root(posixpath.dirname(path), plan)
    instances: list[tuple[str, list[tfplan.PlanResource], list[Block]]] = []
    for module, resources in tfplan.resources_by_module(plan):
        directory = tfplan.module_dir(plan, root, module, dirs) if root is not None else None
        sources = project.source_blocks(directory) if directory is not None else {}
        if directory is not None:
            plan.locals.setdefault(tfplan.module_calls(module), project.local_references(directory))
        blocks = []
        for r in resources:
            src = sources.get(("data" if r.mode == "data" else "resource", r.type, r.name))
            if src is not None:
                blocks.append(tfplan.to_block(r, src.path, None, src))
            else:
                blocks.append(tfplan.to_block(r, path, where, None))
        instances.append((module, resources, blocks))
    outside = _plan_companions(plan, instances)
    for module, _, blocks in instances:
        yield from runner.run(terraform.ModuleView(blocks, outside=outside.get(module, [])))


def _plan_companions(
    plan: Any, instances: list[tuple[str, list[Any], list[Block]]]
) -> dict[str, list[Block]]:
    """For each module instance of a plan, the companion resources other instances write
    for its resources (a root ``aws_s3_bucket_versioning`` whose ``bucket`` is
    ``module.s3.bucket_id`` or ``module.s3["logs"].bucket_id``, a module's ``aws_flow_log``
    given the caller's VPC), found through what the configuration's expressions refer to
    (and the source's local values), with the reference rewritten to the instance's names
    (:meth:`.tfbase.ModuleView.linked` reads them, no check reports them). A reference that
    does not say which instance of a call with ``count``/``for_each`` it means (a splat, a
    ``for`` over the call) links nothing."""
    from pipesec.scanners.iac import tfplan

    paths = {module: tfplan.module_calls(module) for module, _, _ in instances}
    counted: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for module, at in paths.items():
        counted[at].append(module)
    single = {at: modules[0] for at, modules in counted.items() if len(modules) == 1}
    # a block of a plan resource without a .tf source goes by its full address
    # (module.s3.aws_s3_bucket.this[0]): a copy names both forms
    full: dict[tuple[str, str], list[str]] = defaultdict(list)
    for module, resources, blocks in instances:
        for r, b in zip(resources, blocks, strict=True):
            if b.full_address:
                full[(module, f"{r.type}.{r.name}")].append(b.full_address)
    outside: dict[str, list[Block]] = defaultdict(list)
    for module, resources, blocks in instances:
        at = paths[module]
        for r, b in zip(resources, blocks, strict=True):
            conf = plan.refs.get((at, f"{r.type}.{r.name}")) if r.mode == "managed" else None
            copies: dict[str, dict[str, Any]] = defaultdict(dict)
            for attr, refs in (conf or {}).items():
                a = b.attrs.get(attr)
                if a is None:
                    continue
                for where, inst, ref in tfplan.resolved_instances(plan, at, refs, module):
                    target = inst if inst in paths else single.get(where)
                    if target is None or target == module:
                        continue
                    names = " ".join([ref, *full.get((target, tfplan.address_of(ref)), [])])
                    copies[target][attr] = dataclasses.replace(a, value=Expr(names))
            for target, attrs in copies.items():
                outside[target].append(dataclasses.replace(b, attrs=attrs, blocks=[]))
    return outside
