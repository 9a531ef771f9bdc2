"""GitLab CI: load ``.gitlab-ci.yml`` with its local includes, then resolve ``default:``,
``extends:`` and ``!reference`` into jobs whose every value still knows the file and
position it came from.

Remote, project, template and component includes cannot be read offline: they are kept as
:class:`Include` records (for the pinning rules and the posture) and reported as notes.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from pipesec.core.yamlpos import Document, YamlError, YNode, load_all
from pipesec.scanners.pipelines.common import YAML_LIMITS

MAX_INCLUDES = 150
MAX_INCLUDE_DEPTH = 100
MAX_EXTENDS_DEPTH = 11  # GitLab's limit
MAX_REFERENCE_DEPTH = 10

GLOBAL_KEYWORDS = frozenset(
    {
        "stages",
        "variables",
        "workflow",
        "include",
        "default",
        "image",
        "services",
        "before_script",
        "after_script",
        "cache",
        "spec",
        "types",
        "pages:deploy",
    }
)
DEFAULT_KEYS = frozenset(
    {
        "after_script",
        "artifacts",
        "before_script",
        "cache",
        "hooks",
        "id_tokens",
        "image",
        "interruptible",
        "retry",
        "services",
        "tags",
        "timeout",
    }
)


class IncludeError(Exception):
    def __init__(
        self,
        message: str,
        node: YNode | None = None,
        path: str = "",
        line: int = 0,
        column: int = 0,
        external: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.node = node
        self.path = path
        self.line = line
        self.column = column
        #: the target may live in an include that cannot be read offline: a note, not an error
        self.external = external


@dataclass(eq=False)
class Include:
    kind: str  # local | remote | project | template | component
    node: YNode  # the include entry (for positions)
    target: str
    ref: str = ""
    integrity: str = ""
    files: tuple[str, ...] = ()


@dataclass(eq=False)
class GitlabJob:
    name: str
    key_node: YNode
    node: YNode  # the job after extends/default/!reference resolution

    def get(self, key: str) -> YNode | None:
        return self.node.get(key)

    def script_nodes(self) -> list[YNode]:
        """Every command scalar of before_script, script and after_script."""
        out: list[YNode] = []
        for key in ("before_script", "script", "after_script"):
            n = self.node.get(key)
            if n is not None:
                out.extend(_flatten(n))
        return out

    @property
    def hidden(self) -> bool:
        return self.name.startswith(".")

    def environment_name(self) -> tuple[str, YNode | None]:
        e = self.node.get("environment")
        if e is None:
            return "", None
        if e.is_scalar:
            return e.text() or "", e
        return e.str_at("name") or "", e


def _flatten(n: YNode, depth: int = 0) -> list[YNode]:
    if depth > 10:
        return []
    if n.is_scalar:
        return [n] if n.text() else []
    if n.is_seq:
        out: list[YNode] = []
        for c in n.seq():
            out.extend(_flatten(c, depth + 1))
        return out
    return []


@dataclass(eq=False)
class Pipeline:
    path: str  # the .gitlab-ci.yml
    main: Document
    docs: list[Document] = field(default_factory=list)  # main + local includes
    includes: list[Include] = field(default_factory=list)
    top: dict[str, YNode] = field(default_factory=dict)  # merged top-level keys
    jobs: list[GitlabJob] = field(default_factory=list)
    spec: YNode | None = None
    problems: list[IncludeError] = field(default_factory=list)
    #: jobs that extend or reference what only an unreadable include can define: not audited
    unaudited: set[str] = field(default_factory=set)
    resolving: str = ""  # the job being resolved (for ``unaudited``)

    def external_includes(self) -> list[Include]:
        return [i for i in self.includes if i.kind != "local"]

    def missing_target(self, message: str, node: YNode) -> None:
        """An ``extends``/``!reference`` target that is not defined in the files read."""
        external = self.external_includes()
        if not external:
            self.problems.append(IncludeError(message, node))
            return
        names = ", ".join(sorted({f"{i.kind} {i.target!r}" for i in external})[:3])
        self.problems.append(
            IncludeError(
                f"{message} in the files read; it may come from {names}, which cannot be "
                f"read offline: job {self.resolving!r} is not audited",
                node,
                external=True,
            )
        )
        if self.resolving:
            self.unaudited.add(self.resolving)

    def global_variables(self) -> YNode | None:
        v = self.top.get("variables")
        return v if v is not None and v.is_map else None


Reader = Callable[[str], str | None]
Lister = Callable[[], list[str]]


def _synthetic_map(like: YNode, values: dict[str, YNode], keys: dict[str, YNode]) -> YNode:
    return YNode(
        values,
        like.line,
        like.column,
        like.key_line,
        like.key_column,
        like.end_line,
        like.end_column,
        like.start,
        like.end,
        like.tag,
        keys=keys,
        doc=like.doc,
    )


def deep_merge(base: YNode, over: YNode, depth: int = 0) -> YNode:
    """GitLab's merge: mappings merge key by key (``over`` wins), anything else is replaced."""
    if depth > 50 or not (base.is_map and over.is_map):
        return over
    values = dict(base.value)
    keys = dict(base.keys)
    for k, v in over.value.items():
        values[k] = deep_merge(values[k], v, depth + 1) if k in values else v
        keys[k] = over.keys.get(k, v)
    return _synthetic_map(over, values, keys)


def _include_entries(node: YNode) -> list[YNode]:
    if node.is_seq:
        return node.seq()
    return [node]


def _is_remote(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def load_pipeline(path: str, text: str, read: Reader, list_files: Lister) -> Pipeline:
    """Load the pipeline at ``path``; raises YamlError for the main file, collects include
    problems (missing files, cycles, bad YAML in an included file) in ``problems``."""
    docs = load_all(path, text, YAML_LIMITS)
    spec, main = _split_spec(docs)
    pipe = Pipeline(path, main)
    pipe.spec = spec
    merged: dict[str, YNode] = {}
    _collect(pipe, main, read, list_files, (path,), merged, 0)
    pipe.top = merged
    _resolve_jobs(pipe)
    return pipe


def _split_spec(docs: list[Document]) -> tuple[YNode | None, Document]:
    if len(docs) >= 2 and docs[0].root is not None and docs[0].root.get("spec") is not None:
        docs[1].spec = docs[0].root.get("spec")
        return docs[1].spec, docs[1]
    return None, docs[0]


def _collect(
    pipe: Pipeline,
    doc: Document,
    read: Reader,
    list_files: Lister,
    chain: tuple[str, ...],
    merged: dict[str, YNode],
    depth: int,
) -> None:
    """Merge ``doc``'s included files first, then ``doc`` itself over them."""
    pipe.docs.append(doc)
    root = doc.root
    if root is None:
        return
    if not root.is_map:
        raise YamlError(
            f"a GitLab CI file must be a mapping of jobs and keywords, this is a"
            f" {'list' if root.is_seq else 'scalar'}",
            root.line,
            root.col,
        )
    inc = root.get("include")
    included: dict[str, YNode] = {}
    if inc is not None:
        for entry in _include_entries(inc):
            for local in _register(pipe, entry):
                _include_local(pipe, entry, local, read, list_files, chain, included, depth)
    for k, v in included.items():
        merged[k] = deep_merge(merged[k], v) if k in merged else v
    for k, v in root.pairs():
        if k == "include":
            continue
        merged[k] = deep_merge(merged[k], v) if k in merged else v


def _register(pipe: Pipeline, entry: YNode) -> list[str]:
    """Record one include entry; return the local paths (or globs) it names."""
    if entry.is_scalar:
        s = entry.text() or ""
        if _is_remote(s):
            pipe.includes.append(Include("remote", entry, s))
            return []
        pipe.includes.append(Include("local", entry, s))
        return [s]
    if not entry.is_map:
        pipe.problems.append(IncludeError("include entry must be a path or a mapping", entry))
        return []
    if entry.get("local") is not None:
        s = entry.str_at("local") or ""
        pipe.includes.append(Include("local", entry, s))
        return [s]
    if entry.get("remote") is not None:
        pipe.includes.append(
            Include(
                "remote",
                entry,
                entry.str_at("remote") or "",
                integrity=entry.str_at("integrity") or "",
            )
        )
        return []
    if entry.get("project") is not None:
        files_node = entry.get("file")
        files: tuple[str, ...] = ()
        if files_node is not None:
            files = tuple(x.text() or "" for x in _flatten(files_node))
        pipe.includes.append(
            Include(
                "project",
                entry,
                entry.str_at("project") or "",
                ref=entry.str_at("ref") or "",
                files=files,
            )
        )
        return []
    if entry.get("template") is not None:
        pipe.includes.append(Include("template", entry, entry.str_at("template") or ""))
        return []
    if entry.get("component") is not None:
        comp = entry.str_at("component") or ""
        ref = comp.rsplit("@", 1)[1] if "@" in comp else ""
        pipe.includes.append(Include("component", entry, comp, ref=ref))
        return []
    pipe.problems.append(IncludeError("unknown include type", entry))
    return []


def _include_local(
    pipe: Pipeline,
    entry: YNode,
    local: str,
    read: Reader,
    list_files: Lister,
    chain: tuple[str, ...],
    into: dict[str, YNode],
    depth: int,
) -> None:
    if "$" in local:
        pipe.problems.append(
            IncludeError(f"include {local!r} uses a variable; not resolved", entry)
        )
        return
    rel = posixpath.normpath(local.lstrip("/"))
    if rel.startswith("../") or rel == "..":
        pipe.problems.append(
            IncludeError(f"include {local!r} points outside the repository", entry)
        )
        return
    if any(c in rel for c in "*?["):
        targets = sorted(p for p in list_files() if fnmatch.fnmatchcase(p, rel))
    else:
        targets = [rel]
    for target in targets:
        if target in chain:
            cycle = " -> ".join((*chain, target))
            pipe.problems.append(IncludeError(f"include cycle: {cycle}", entry))
            continue
        if len(pipe.docs) >= MAX_INCLUDES or depth >= MAX_INCLUDE_DEPTH:
            pipe.problems.append(
                IncludeError(f"more than {MAX_INCLUDES} includes (GitLab's limit); stopped", entry)
            )
            return
        text = read(target)
        if text is None:
            pipe.problems.append(IncludeError(f"included file {target!r} not found", entry))
            continue
        try:
            sub_docs = load_all(target, text, YAML_LIMITS)
        except YamlError as exc:
            pipe.problems.append(IncludeError(exc.message, None, target, exc.line, exc.column))
            continue
        _spec, sub = _split_spec(sub_docs)
        sub_merged: dict[str, YNode] = {}
        try:
            _collect(pipe, sub, read, list_files, (*chain, target), sub_merged, depth + 1)
        except YamlError as exc:
            pipe.problems.append(IncludeError(exc.message, None, target, exc.line, exc.column))
            continue
        for k, v in sub_merged.items():
            into[k] = deep_merge(into[k], v) if k in into else v


def _resolve_refs(pipe: Pipeline, node: YNode, depth: int = 0) -> YNode:
    """Replace every ``!reference [job, key, ...]`` under ``node``."""
    if depth > 60:
        return node
    if node.tag == "!reference" and node.is_seq:
        return _lookup_ref(pipe, node, depth)
    if node.is_map:
        changed = False
        values: dict[str, YNode] = {}
        for k, v in node.value.items():
            nv = _resolve_refs(pipe, v, depth + 1)
            changed |= nv is not v
            values[k] = nv
        return _synthetic_map(node, values, dict(node.keys)) if changed else node
    if node.is_seq:
        items = [_resolve_refs(pipe, c, depth + 1) for c in node.value]
        if any(a is not b for a, b in zip(items, node.value, strict=True)):
            return YNode(
                items,
                node.line,
                node.column,
                node.key_line,
                node.key_column,
                node.end_line,
                node.end_column,
                node.start,
                node.end,
                node.tag,
                doc=node.doc,
            )
    return node


def _lookup_ref(pipe: Pipeline, ref: YNode, depth: int) -> YNode:
    path = [p.text() or "" for p in ref.seq()]
    cur: YNode | None = pipe.top.get(path[0]) if path else None
    for part in path[1:]:
        cur = cur.get(part) if cur is not None else None
    if cur is None:
        pipe.missing_target(f"!reference {path} not found", ref)
        return YNode(
            [],
            ref.line,
            ref.column,
            ref.key_line,
            ref.key_column,
            ref.end_line,
            ref.end_column,
            ref.start,
            ref.end,
            doc=ref.doc,
        )
    if depth // 6 > MAX_REFERENCE_DEPTH:
        return cur
    return _resolve_refs(pipe, cur, depth + 6)


def _extends_chain(pipe: Pipeline, name: str, node: YNode, seen: tuple[str, ...]) -> YNode:
    ext = node.get("extends")
    if ext is None:
        return node
    parents = [x.text() or "" for x in _flatten(ext)]
    base: YNode | None = None
    for parent in parents:
        if parent in seen:
            pipe.problems.append(
                IncludeError(f"extends cycle: {' -> '.join((*seen, parent))}", ext)
            )
            continue
        if len(seen) >= MAX_EXTENDS_DEPTH:
            pipe.problems.append(IncludeError("extends nested deeper than 11 levels", ext))
            continue
        pnode = pipe.top.get(parent)
        if pnode is None or not pnode.is_map:
            pipe.missing_target(f"extends: {parent!r} is not defined", ext)
            continue
        resolved = _extends_chain(pipe, parent, pnode, (*seen, parent))
        base = resolved if base is None else deep_merge(base, resolved)
    if base is None:
        return node
    return deep_merge(base, node)


def _resolve_jobs(pipe: Pipeline) -> None:
    default = pipe.top.get("default")
    legacy = {k: pipe.top[k] for k in DEFAULT_KEYS if k in pipe.top}
    for name, node in pipe.top.items():
        if name in GLOBAL_KEYWORDS or not node.is_map:
            continue
        key_node = _key_node(pipe, name) or node
        pipe.resolving = name
        job = _extends_chain(pipe, name, node, (name,))
        job = _resolve_refs(pipe, job)
        inherit = job.get("inherit")
        use_default = True
        if inherit is not None and inherit.is_map:
            d = inherit.get("default")
            if d is not None and d.is_scalar and d.value is False:
                use_default = False
        if use_default and not name.startswith("."):
            base_vals: dict[str, YNode] = {}
            base_keys: dict[str, YNode] = {}
            for k, v in legacy.items():
                base_vals[k] = v
            if default is not None and default.is_map:
                for k, v in default.pairs():
                    if k in DEFAULT_KEYS:
                        base_vals[k] = _resolve_refs(pipe, v)
                        base_keys[k] = default.keys.get(k, v)
            missing = {k: v for k, v in base_vals.items() if job.get(k) is None}
            if missing:
                values = dict(job.value)
                keys = dict(job.keys)
                values.update(missing)
                keys.update({k: base_keys.get(k, v) for k, v in missing.items()})
                job = _synthetic_map(job, values, keys)
        if name not in pipe.unaudited:
            pipe.jobs.append(GitlabJob(name, key_node, job))
    pipe.resolving = ""


def _key_node(pipe: Pipeline, name: str) -> YNode | None:
    for d in pipe.docs:
        if d.root is not None and d.root.is_map and name in d.root.keys:
            return d.root.keys[name]
    return None
