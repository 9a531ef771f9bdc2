"""The ``iac`` scanner: Dockerfiles, Kubernetes manifests, Terraform and Docker Compose.

Files are routed by name and content: ``Dockerfile``/``Containerfile`` (and
``*.Dockerfile``, ``Dockerfile.*``), ``*.tf`` (one module per directory; local modules
followed), ``docker-compose*.yml``/``compose*.yml``, CloudFormation templates (YAML, JSON
and ``*.template`` whose content is a template: :mod:`.cfn`, :mod:`.cfn_rules`), and other
YAML files whose documents carry ``apiVersion`` and ``kind``. Helm templates (Go templates
that are not YAML until rendered) are reported as skipped notes, never as errors.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pipesec.core.lines import split_lines
from pipesec.core.model import Finding, Note, Rule, ScanError
from pipesec.core.scanner import ScanItem, ScannerSettings, read_text, text_or_error
from pipesec.core.workspace import Workspace, WorkspaceFile, under_any
from pipesec.core.yamlpos import YamlError, iter_documents
from pipesec.core.yamlpos import YNode as Y
from pipesec.scanners.iac.common import SCANNER, Hit, to_finding
from pipesec.scanners.iac.files import (
    _FROM_LINE,
    _TEMPLATE,
    HELM_NOTE,
    KUSTOMIZATION_NAMES,
    MAX_DOCUMENTS,
    PROGRAM_SUFFIX,
    SKIPPED_DIRS,
    kind_of,
    looks_like_kubeconfig,
    looks_like_manifest,
    looks_like_plan,
    maybe_kubeconfig,
    starts_like_dockerfile,
)

if TYPE_CHECKING:
    from pipesec.scanners.iac.kubernetes import K8sObject

#: maps a hit to the file, lines and hit to report (rendered Kustomize and Helm output)
Locate = Callable[[Hit], "tuple[str, list[str], Hit] | None"]

log = logging.getLogger(__name__)


def _as_of(options: Mapping[str, Any]) -> tuple[dt.date | None, str]:
    """``[scanners.iac] as-of``: the date dated rules (end-of-life versions) are judged at,
    a TOML date or an ISO string; (None, message) when it is not one."""
    value = options.get("as-of", options.get("as_of"))
    if value is None:
        return None, ""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    try:
        return dt.date.fromisoformat(str(value).strip()), ""
    except ValueError:
        return None, f"[scanners.iac] as-of is not a date (YYYY-MM-DD): {str(value)[:40]!r}"


class IacScannerImpl:
    name = "iac"
    default = True

    def rules(self) -> Sequence[Rule]:
        """Every rule, from its code: imports every rule module (``IacScanner.rules``
        reads the same list from :mod:`.catalog`)."""
        from pipesec.scanners.iac import cfn_rules, compose, dockerfile, kubernetes, terraform

        return [
            *dockerfile.RULES,
            *kubernetes.rules(),
            *terraform.RULES,
            *compose.RULES,
            *cfn_rules.RULES,
        ]

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        from pipesec.scanners.iac import cel

        day, bad = _as_of(settings.options)
        if bad:
            yield ScanError(SCANNER, "", bad)
        yield from _once_per_place(cel.in_scan(day, self._scan(workspace, settings)))

    def _scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        disabled = settings.disabled_rules
        key = settings.fingerprint_key
        tf_files: list[WorkspaceFile] = []
        plans: list[tuple[str, str]] = []  # terraform show -json output
        #: Kubernetes files: path, text, kind, and the documents TreeLimits parsed (or None)
        manifests: list[tuple[str, str, str, list[Y | ScanItem] | None]] = []
        limits = TreeLimits()
        paths = {f.path for f in workspace.files()}
        overlays = Overlays(workspace)
        yield from overlays.render()
        rendered_charts: list[tuple[str, str]] = []
        if any(posixpath.basename(p) == "Chart.yaml" for p in paths):
            from pipesec.scanners.iac import helm

            for got in helm.render_all(workspace.root, paths):
                if isinstance(got, tuple):
                    rendered_charts.append(got)
                    prefix = f"{got[0]}/templates/" if got[0] else "templates/"
                    overlays.covered |= {p for p in paths if p.startswith(prefix)}
                else:
                    yield got
        # rendered Kustomize and Helm output feeds the tree's indexes (LimitRanges,
        # NetworkPolicies, Namespaces) like any manifest file, before anything is judged
        # (one that breaks a reader here loses its own findings: it is not scanned)
        for kpath, out in list(overlays.rendered):
            try:
                limits.add_objects(
                    posixpath.dirname(kpath), [obj for doc in out.objects for obj in _objects(doc)]
                )
            except Exception as exc:
                overlays.rendered.remove((kpath, out))
                yield _failed(kpath, exc)
        charts: list[tuple[str, str, list[Y | ScanItem]]] = []
        for chart, rendered in rendered_charts:
            chart_file = f"{chart}/Chart.yaml" if chart else "Chart.yaml"
            try:
                parsed = list(_documents(chart_file, rendered))
                limits.add_objects(
                    chart, [o for doc in parsed if isinstance(doc, Y) for o in _objects(doc)]
                )
            except Exception as exc:
                yield _failed(chart_file, exc)
                continue
            charts.append((chart_file, rendered, parsed))
        for f in workspace.files():
            kind = kind_of(f.name) or ("kubeconfig" if maybe_kubeconfig(f.path) else "")
            if not kind or under_any(f.path, SKIPPED_DIRS):
                continue
            if f.path in overlays.covered:
                continue  # scanned as part of the overlays that use it
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
            if kind == "kubeconfig":
                if not looks_like_kubeconfig(text):
                    continue  # a config file of another kind
                kind = "yaml"
            if kind == "json" and looks_like_plan(text):  # terraform show -json, by its head
                plans.append((f.path, text))
                continue
            if kind in ("json", "template") or (kind == "yaml" and _might_be_template(text)):
                from pipesec.scanners.iac.cfn_rules import scan_template

                try:
                    found = scan_template(f.path, text, disabled, key, read=overlays.read)
                except Exception as exc:  # one file's failure must not hide the others'
                    yield _failed(f.path, exc)
                    continue
                if found is None and kind == "json" and looks_like_manifest(text):
                    pass  # a Kubernetes manifest written as JSON: scanned below
                elif found is not None or kind != "yaml":
                    yield from found or ()
                    continue  # a template is not also a Kubernetes manifest
            if kind == "docker":
                if f.name.lower() not in ("dockerfile", "containerfile") and not _FROM_LINE.search(
                    text
                ):
                    continue  # Dockerfile.<x> that is not a Dockerfile (no FROM line)
                if PROGRAM_SUFFIX.search(f.name) and not starts_like_dockerfile(text):
                    continue  # a program that writes Dockerfiles (``dockerfile.pm``)
                ignore_path = posixpath.join(posixpath.dirname(f.path), ".dockerignore")
                ignore = None
                if ignore_path in paths:
                    ignore = _read_lines(workspace, ignore_path)
                yield from _contained(
                    f.path, scan_dockerfile(f.path, text, disabled, ignore, key=key)
                )
            elif kind == "compose":
                yield from _contained(f.path, scan_compose(f.path, text, disabled, key=key))
            else:
                try:
                    documents = limits.add(f.path, text)
                except Exception as exc:  # the file's own findings are lost, no other's
                    yield _failed(f.path, exc)
                    continue
                manifests.append((f.path, text, kind, documents))
        # after every file is read: a LimitRange in another file covers these manifests too
        for path, text, kind, documents in manifests:
            items = scan_kubernetes(
                path,
                text,
                disabled,
                key=key,
                paths=paths,
                read=overlays.read,
                limits=limits.for_file(path),
                documents=documents,
                policies=limits.policies_for_file(path),
                declared=limits.declared,
                client_cas=limits.client_cas,
            )
            items = _contained(path, items)
            yield from (_as_json_error(i) for i in items) if kind == "json" else items
        yield from overlays.scan(disabled, key, limits)
        for chart_file, rendered, parsed in charts:
            yield from _contained(
                chart_file,
                scan_kubernetes(
                    chart_file,
                    rendered,
                    disabled,
                    key=key,
                    paths=paths,
                    read=overlays.read,
                    virtual=True,
                    limits=limits.for_file(chart_file),
                    documents=parsed,
                    policies=limits.policies_for_file(chart_file),
                    declared=limits.declared,
                    client_cas=limits.client_cas,
                ),
            )
        if tf_files or plans:
            from pipesec.scanners.iac.tfproject import scan_terraform

            var_files = settings.inputs.get(VAR_FILE_INPUT) or []
            values: dict[str, Any] = {}
            for var_file in var_files:  # the operator's: read from where the flag names
                read = _operator_var_file(var_file)
                if isinstance(read, ScanError):
                    yield read
                else:
                    values.update(read)
            yield from _contained(
                "", scan_terraform(tf_files, disabled, key=key, plans=plans, operator_vars=values)
            )


def _once_per_place(items: Iterator[ScanItem]) -> Iterator[ScanItem]:
    """``items`` without an error a kustomization's error already said: an overlay that
    cannot be rendered has its files scanned on their own, and a file's invalid YAML
    would otherwise be reported twice (``kustomize: invalid YAML ...`` and ``invalid YAML
    ...`` at the same line)."""
    said: set[tuple[str, int, str]] = set()
    for item in items:
        if isinstance(item, ScanError):
            what = (item.path, item.line, item.message.removeprefix("kustomize: "))
            if what in said:
                continue
            said.add(what)
        yield item


def _failed(path: str, exc: Exception) -> ScanError:
    from pipesec.core.errors import PipesecError

    if isinstance(exc, PipesecError):  # a reader's own message (a budget, a bad input)
        return ScanError(SCANNER, path, str(exc))
    log.debug("iac failed on %s", path or "the tree", exc_info=True)
    return ScanError(
        SCANNER,
        path,
        f"failed to check this input: {type(exc).__name__} (run with -v for details); "
        "the other files were checked",
    )


def _contained(path: str, items: Iterator[ScanItem]) -> Iterator[ScanItem]:
    """``items``, and an error at ``path`` in place of an exception: a file that breaks a
    reader or a rule loses its own findings, never the other files' (review16: one
    uncaught exception failed the whole IaC scanner, and with ``on-error = warn`` every
    IaC finding of the tree was lost)."""
    try:
        yield from items
    except Exception as exc:
        yield _failed(path, exc)


def _might_be_template(text: str) -> bool:
    from pipesec.scanners.iac.cfn import might_be_template

    return might_be_template(text)


#: ``pipesec scan --var-file FILE``: Terraform variable values the operator supplies
VAR_FILE_INPUT = "tf-var-file"


def _operator_var_file(path: str) -> dict[str, Any] | ScanError:
    """The values of one ``--var-file`` (trusted: the operator names it, outside the tree
    or not), or the error that says why it cannot be read."""
    from pipesec.scanners.iac.hcl import MAX_PARSE_BYTES, HclError
    from pipesec.scanners.iac.tfproject import read_var_file

    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read(MAX_PARSE_BYTES + 1)
    except (OSError, UnicodeDecodeError) as exc:
        return ScanError(SCANNER, path, f"--var-file: cannot read it: {exc}")
    if len(text) > MAX_PARSE_BYTES:
        return ScanError(SCANNER, path, "--var-file: over the 2 MB HCL parse limit")
    try:
        return read_var_file(path, text)
    except HclError as exc:
        return ScanError(SCANNER, path, f"--var-file: {exc.message}", exc.line, exc.column)


class Overlays:
    """The Kustomize overlays of the workspace: rendered once, scanned after the single
    files; the files they consume are not scanned on their own."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.files = {f.path: f for f in workspace.files() if not under_any(f.path, SKIPPED_DIRS)}
        self.kustomizations = sorted(
            p for p, f in self.files.items() if f.name in KUSTOMIZATION_NAMES
        )
        self.covered: set[str] = set()
        #: (kustomization path, what it renders to)
        self.rendered: list[tuple[str, Any]] = []
        self._text: dict[str, str | None] = {}

    def read(self, path: str) -> str | None:
        if path not in self._text:
            f = self.files.get(path)
            got = text_or_error(self.workspace, f, SCANNER) if f is not None else None
            self._text[path] = got if isinstance(got, str) else None
        return self._text[path]

    def render(self) -> Iterator[ScanItem]:
        if not self.kustomizations:
            return
        from pipesec.scanners.iac import kustomize

        tree = kustomize.Tree(set(self.files), self.read)
        used = kustomize.referenced_kustomizations(tree, self.kustomizations)
        reached: set[str] = set()
        # overlays first; then whatever no overlay reached (a cycle has no overlay on top)
        order = [k for k in self.kustomizations if k not in used]
        order += [k for k in self.kustomizations if k in used]
        for kpath in order:
            if kpath in reached:
                continue
            try:
                out = kustomize.render(kpath, tree)
            except kustomize.KustomizeError as exc:
                reached |= exc.visited
                yield ScanError(SCANNER, exc.path, exc.message, exc.line)
                continue
            reached |= out.kustomizations
            for owner, ref in out.remote:
                yield Note(
                    SCANNER,
                    owner,
                    f"kustomize: remote resource {ref} is not fetched; run `kustomize build` "
                    "and scan the output",
                    "remote",
                )
            self.rendered.append((kpath, out))
            self.covered |= out.consumed

    def scan(
        self,
        disabled: frozenset[str],
        key: bytes,
        tree: TreeLimits | None = None,
    ) -> Iterator[ScanItem]:
        """Run the Kubernetes checks on every rendered overlay; ``tree``: the indexes of the
        whole tree (an overlay's objects without a namespace share its directory's)."""
        if not self.rendered:
            return
        seen: set[tuple[str, str, int, str]] = set()
        for kpath, out in self.rendered:
            # an overlay that breaks a reader loses its own findings, not the other overlays'
            yield from _contained(kpath, self._scan_one(kpath, out, disabled, key, tree, seen))

    def _scan_one(
        self,
        kpath: str,
        out: Any,
        disabled: frozenset[str],
        key: bytes,
        tree: TreeLimits | None,
        seen: set[tuple[str, str, int, str]],
    ) -> Iterator[ScanItem]:
        from pipesec.scanners.iac import k8s_controlplane, kubernetes

        def locate(hit: Hit) -> tuple[str, list[str], Hit] | None:
            path, line = out.decode(hit.line)
            text = self.read(path) if path else None
            if text is None:
                return None
            return path, split_lines(text), dataclasses.replace(hit, line=line)

        objects = [obj for doc in out.objects for obj in _objects(doc)]
        limits = tree.for_file(kpath) if tree is not None else None
        if tree is not None:
            kubernetes.with_network_policies(objects, tree.policies_for_file(kpath), tree.declared)
        else:
            kubernetes.with_network_policies(objects)
        k8s_controlplane.with_client_cas(objects, tree.client_cas if tree else frozenset())
        for obj in kubernetes.with_limit_defaults(objects, limits):
            yield from _checks_located(
                kubernetes.REGISTRY.checks, disabled, "", [], (obj,), key, seen, locate
            )


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
    seen: set[tuple[str, str, int, str]] = set()
    yield from _checks_located(checks, disabled, path, lines, args, key, seen, None)


def _checks_located(
    checks: Sequence[Any],
    disabled: frozenset[str],
    path: str,
    lines: list[str],
    args: tuple[Any, ...],
    key: bytes,
    seen: set[tuple[str, str, int, str]],
    locate: Locate | None,
) -> Iterator[Finding | ScanError]:
    """Run ``checks``; with ``locate`` each hit is reported where it maps to (a template
    or the base/patch file of an overlay), once per rule, file, line and message."""
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
            at_path, at_lines = path, lines
            if locate is not None:
                mapped = locate(hit)
                if mapped is None:
                    continue
                at_path, at_lines, hit = mapped
            where = (check.rule.id, at_path, hit.line, hit.key or hit.message)
            if where in seen:
                continue
            seen.add(where)
            yield to_finding(check.rule, at_path, at_lines, hit, key)


def scan_dockerfile(
    path: str,
    text: str,
    disabled: frozenset[str] = frozenset(),
    dockerignore: tuple[str, ...] | None = None,
    key: bytes = b"",
) -> Iterator[ScanItem]:
    from pipesec.scanners.iac import dockerfile
    from pipesec.scanners.iac.dockerfile_parser import parse as parse_dockerfile

    df = parse_dockerfile(text)
    for err in df.errors:
        yield ScanError(SCANNER, path, f"Dockerfile: {err.message}", err.line)
    if not df.stages:
        if not df.errors and text.strip():
            yield ScanError(SCANNER, path, "Dockerfile: no FROM instruction; not a Dockerfile?")
        return
    ctx = dockerfile.DockerContext(dockerignore=dockerignore, path=path)
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
    count, body, resumed_at, resumes = 0, text, 0, 0
    while True:
        try:
            for document in iter_documents(path, body):
                count += 1
                doc = document.root
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
            return
        except YamlError as exc:
            if templated:
                yield Note(
                    SCANNER,
                    path,
                    HELM_NOTE,
                    "template",
                )
                return
            yield ScanError(SCANNER, path, exc.message, exc.line, exc.column)
            # one bad document loses itself: read on from the next document start
            start = _next_document(text, max(exc.line, resumed_at + 1)) if exc.line else None
            resumes += 1
            if start is not None and resumes > MAX_RESUMES:
                yield ScanError(
                    SCANNER,
                    path,
                    f"more than {MAX_RESUMES} invalid YAML documents; the rest of the file "
                    "is not read",
                    start[0],
                )
            if start is None or resumes > MAX_RESUMES:
                return
            resumed_at, offset = start
            body = "\n" * (resumed_at - 1) + text[offset:]  # the same line numbers


#: a file's YAML errors after which the documents after each are still read; past it, the
#: rest of the file is not (each resumption parses the rest of the file again)
MAX_RESUMES = 16
#: a document start marker (``---`` alone or before content, at the start of a line)
_DOC_START = re.compile(r"(?m)^---(?=[ \t]|\r?$)")


def _next_document(text: str, line: int) -> tuple[int, int] | None:
    """(line, offset) of the first document start marker at or after 1-based ``line``."""
    pos = 0
    for _ in range(line - 1):
        pos = text.find("\n", pos) + 1
        if pos == 0:
            return None
    m = _DOC_START.search(text, pos)
    if m is None:
        return None
    return text.count("\n", 0, m.start()) + 1, m.start()


def _as_json_error(item: ScanItem) -> ScanItem:
    """A manifest written as JSON is read by the YAML parser (JSON is YAML): its errors say
    JSON (``invalid JSON: nested more than 1000 levels deep; not parsed``)."""
    if isinstance(item, ScanError) and item.message.startswith("invalid YAML: "):
        return dataclasses.replace(
            item, message="invalid JSON: " + item.message.removeprefix("invalid YAML: ")
        )
    return item


def scan_kubernetes(
    path: str,
    text: str,
    disabled: frozenset[str] = frozenset(),
    key: bytes = b"",
    paths: set[str] | None = None,
    read: Callable[[str], str | None] | None = None,
    virtual: bool = False,
    limits: Mapping[str, frozenset[str]] | None = None,
    documents: Sequence[Y | ScanItem] | None = None,
    policies: Mapping[str, list[Any]] | None = None,
    declared: frozenset[str] | set[str] = frozenset(),
    client_cas: frozenset[str] | set[str] = frozenset(),
) -> Iterator[ScanItem]:
    """Kubernetes manifests of one file; ``limits``: what the LimitRanges of other files give
    a container that leaves a value out, by namespace (:class:`TreeLimits`); ``policies``:
    the podSelectors of other files' NetworkPolicies, by namespace; ``declared``: the
    namespaces the tree's Namespace objects declare; ``client_cas``: the API servers'
    ``--client-ca-file`` paths in other files; ``documents``:
    the file's documents when they were parsed already (:meth:`TreeLimits.add`). Rendered Helm
    output (documents preceded by a ``# Source: chart/templates/x.yaml`` comment) is
    reported at the template the comment names when ``paths`` holds it and ``read`` can read
    it (the line whose text matches).
    ``virtual``: the text is ``helm template`` output, not a file; a finding that matches
    no template line points at the template's first line (or at ``path``'s)."""
    if "apiVersion" not in text or "kind" not in text:
        return
    from pipesec.scanners.iac import kubernetes

    lines = split_lines(text)
    locate = (
        helm_locator(path, lines, paths or set(), read, virtual) if _SOURCE.search(text) else None
    )
    seen: set[tuple[str, str, int, str]] = set()
    objects: list[K8sObject] = []
    for doc in _documents(path, text) if documents is None else documents:
        if isinstance(doc, Y):
            objects.extend(_objects(doc))
        else:
            yield doc
    kubernetes.with_network_policies(objects, policies, declared)
    if "trusted-ca-file" in text:  # an etcd command line: compared with the API servers'
        from pipesec.scanners.iac import k8s_controlplane

        k8s_controlplane.with_client_cas(objects, client_cas)
    for obj in kubernetes.with_limit_defaults(objects, limits):
        yield from _checks_located(
            kubernetes.REGISTRY.checks, disabled, path, lines, (obj,), key, seen, locate
        )


class TreeLimits:
    """The LimitRanges of the scanned tree's manifest files (and its NetworkPolicies: the
    namespace-wide ones, :func:`.kubernetes.limit_defaults`, and every podSelector,
    :func:`.kubernetes.policy_selectors`). One with a namespace covers
    that namespace's objects in every file (the cluster's namespace is one); one without a
    namespace covers the objects without one in the files of its directory only (applied
    together, ``kubectl apply -f dir/``, into whatever namespace is current): two unrelated
    directories do not share it."""

    def __init__(self) -> None:
        #: namespace -> what its LimitRanges give (``limits.memory`` ...)
        self.named: dict[str, frozenset[str]] = {}
        self._unnamed: dict[str, frozenset[str]] = {}  # directory -> the same
        #: namespace -> the podSelectors of its NetworkPolicies (the same scoping)
        self.policies: dict[str, list[Any]] = {}
        self._unnamed_policies: dict[str, list[Any]] = {}
        #: the namespaces the tree's Namespace objects declare
        self.declared: set[str] = set()
        #: the API servers' ``--client-ca-file`` paths (k8s/etcd-shared-ca)
        self.client_cas: set[str] = set()

    def add(self, path: str, text: str) -> list[Y | ScanItem] | None:
        """Take the LimitRanges, NetworkPolicies and Namespaces of ``path``; the documents it
        parsed to find them (what :func:`_documents` yields, for :func:`scan_kubernetes`),
        or None when the text cannot hold one."""
        if "apiVersion" not in text or (
            "LimitRange" not in text
            and "NetworkPolicy" not in text
            and not _NAMESPACE_KIND.search(text)
            and ("client-ca-file" not in text or "kube-apiserver" not in text)
        ):
            return None
        documents = list(_documents(path, text))
        objects = [o for doc in documents if isinstance(doc, Y) for o in _objects(doc)]
        self.add_objects(posixpath.dirname(path), objects)
        return documents

    def add_objects(self, where: str, objects: list[K8sObject]) -> None:
        """Take the LimitRanges, NetworkPolicies and Namespaces of ``objects``, read from a
        file (or rendered from a kustomization or chart) in directory ``where``."""
        from pipesec.scanners.iac import k8s_controlplane, kubernetes

        self.declared |= {o.name for o in objects if o.kind == "Namespace" and o.name}
        self.client_cas |= k8s_controlplane.apiserver_client_cas(objects)
        for ns, got in kubernetes.limit_defaults(objects).items():
            if ns:
                self.named[ns] = self.named.get(ns, frozenset()) | got
            else:
                self._unnamed[where] = self._unnamed.get(where, frozenset()) | got
        for ns, selectors in kubernetes.policy_selectors(objects).items():
            into = self.policies.setdefault(ns, []) if ns else None
            if into is None:
                into = self._unnamed_policies.setdefault(where, [])
            into.extend(selectors)

    def for_file(self, path: str) -> dict[str, frozenset[str]]:
        """What the tree's LimitRanges give the objects of ``path``, by namespace."""
        unnamed = self._unnamed.get(posixpath.dirname(path))
        return {**self.named, "": unnamed} if unnamed else self.named

    def policies_for_file(self, path: str) -> dict[str, list[Any]]:
        """The podSelectors of the tree's NetworkPolicies that apply to the objects of
        ``path``, by namespace (its own among them: a selector listed twice changes
        nothing)."""
        unnamed = self._unnamed_policies.get(posixpath.dirname(path))
        return {**self.policies, "": unnamed} if unnamed else self.policies


_SOURCE = re.compile(r"(?m)^# Source: (\S+)\s*$")
#: a Namespace object, in YAML or JSON (``kind: Namespace``, ``"kind": "Namespace"``)
_NAMESPACE_KIND = re.compile(r"""["']?kind["']?\s*:\s*["']?Namespace\b""")


def _template_path(source: str, paths: set[str]) -> str | None:
    """The workspace file a ``# Source:`` comment names (``chart/templates/x.yaml`` is the
    chart's directory name, or any directory holding a Chart.yaml)."""
    if source in paths:
        return source
    tail = source.split("/", 1)[1] if "/" in source else source
    found = sorted(
        p
        for p in paths
        if (p.endswith("/" + source) or p.endswith("/" + tail) or p == tail)
        and posixpath.join(p[: len(p) - len(tail)].rstrip("/"), "Chart.yaml").lstrip("/") in paths
    )
    return found[0] if len(found) == 1 else None


def helm_locator(
    path: str,
    lines: list[str],
    paths: set[str],
    read: Callable[[str], str | None] | None,
    virtual: bool = False,
) -> Locate:
    """Maps a hit in rendered chart output to the template named by the ``# Source:``
    comment above it: the template line with the same text, else the same key; a hit that
    maps nowhere stays on the rendered line."""
    sources: list[str] = []
    current = ""
    for text in lines:
        if text.startswith("---"):
            current = ""
        m = _SOURCE.match(text)
        if m:
            current = m.group(1)
        sources.append(current)
    cache: dict[str, list[str] | None] = {}

    def template_lines(source: str) -> tuple[str, list[str]] | None:
        target = _template_path(source, paths)
        if target is None or read is None:
            return None
        if target not in cache:
            got = read(target)
            cache[target] = split_lines(got) if got is not None else None
        got_lines = cache[target]
        return (target, got_lines) if got_lines is not None else None

    def unmapped(hit: Hit, found: tuple[str, list[str]] | None) -> tuple[str, list[str], Hit]:
        if not virtual:
            return path, lines, hit
        rendered = lines[hit.line - 1].strip() if 1 <= hit.line <= len(lines) else ""
        note = f"{hit.message} (rendered: {rendered})" if rendered else hit.message
        if found is None:
            own = read(path) if read is not None else None
            found = (path, split_lines(own) if own is not None else [])
        return found[0], found[1], dataclasses.replace(hit, line=1, column=1, message=note)

    def locate(hit: Hit) -> tuple[str, list[str], Hit]:
        if not 1 <= hit.line <= len(lines) or not sources[hit.line - 1]:
            return unmapped(hit, None)
        found = template_lines(sources[hit.line - 1])
        if found is None:
            return unmapped(hit, None)
        target, tlines = found
        rendered = lines[hit.line - 1].strip()
        key_part = rendered.split(":", 1)[0] + ":" if ":" in rendered else rendered
        for want in (rendered, key_part):
            for n, t in enumerate(tlines, 1):
                if t.strip() == want or (want is key_part and t.strip().startswith(want)):
                    col = max(1, len(t) - len(t.lstrip()) + 1)
                    where = "helm template" if virtual else f"{path}:{hit.line}"
                    note = f"{hit.message} (rendered in {where})".strip()
                    return (
                        target,
                        tlines,
                        dataclasses.replace(hit, line=n, column=col, message=note),
                    )
        return unmapped(hit, found)

    return locate


def _objects(doc: Y, depth: int = 0) -> Iterator[K8sObject]:
    from pipesec.scanners.iac import kubernetes

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
    from pipesec.scanners.iac import compose

    lines = split_lines(text)
    for doc in _documents(path, text):
        if not isinstance(doc, Y):
            yield doc
            continue
        if doc.get("services") is None:
            continue
        yield from _run_checks(compose.REGISTRY.checks, disabled, path, lines, doc, key=key)


__all__ = ["IacScannerImpl", "kind_of", "scan_compose", "scan_dockerfile", "scan_kubernetes"]
