"""Kustomize overlays rendered natively (no kustomize binary): ``resources``/``bases``/
``components`` (local files and directories inside the scan root), ``patchesStrategicMerge``,
``patches`` (strategic merge or JSON 6902, file or inline, with targets),
``patchesJson6902``, ``namePrefix``/``nameSuffix``, ``namespace``, ``commonLabels`` and
``images``.

Every node of the rendered objects keeps the position it had in the file it came from: lines
are encoded as ``file_index * LINE_BASE + line`` so a finding decodes to the overlay patch or
the base that holds the offending value. Remote resources become notes; paths outside the
scan root, cycles, too deep or too large builds are one-line errors.
"""

from __future__ import annotations

import copy
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pipesec.core.yamlpos import YamlError, iter_documents
from pipesec.core.yamlpos import YNode as Y
from pipesec.scanners.iac.files import KUSTOMIZATION_NAMES

#: lines of file ``i`` are stored as ``i * LINE_BASE + line``
LINE_BASE = 1 << 24
MAX_DEPTH = 16
MAX_OBJECTS = 5_000
MAX_FILES = 2_000
#: files parsed in one scan's builds, counting a file each time it is read again (a base
#: that several overlays or one kustomization list again is rendered each time): a chain of
#: kustomizations each listing the next four times renders 4^15 builds (review16)
MAX_LOADS = 50_000
#: characters parsed in one scan's builds, counting repeats (~1.3 MB/s of manifests)
MAX_LOAD_CHARS = 64 * 1024 * 1024
#: patch x object tests in one scan's builds (a patch is tested against every object of its
#: kustomization: 2,000 patch entries over 4,900 objects cost 21 s of CPU, ~2 us a test)
MAX_PATCH_TESTS = 2_000_000

#: kinds that have no namespace (the namespace transformer leaves them alone)
CLUSTER_SCOPED = frozenset(
    {
        "Namespace",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "PersistentVolume",
        "StorageClass",
        "PodSecurityPolicy",
        "PriorityClass",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
        "APIService",
        "Node",
        "IngressClass",
        "RuntimeClass",
        "CSIDriver",
    }
)
#: list fields merged item by item on a key (strategic merge patch), by field name
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "volumes": "name",
    "env": "name",
    "volumeMounts": "mountPath",
    "ports": "containerPort",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
}
_REMOTE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://|git@|github\.com/|gitlab\.com/|bitbucket\.org/)|\?ref="
)


class KustomizeError(Exception):
    def __init__(self, path: str, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line
        #: the kustomizations the failed build had reached
        self.visited: set[str] = set()


@dataclass
class Rendered:
    """The objects a kustomization renders to and where their nodes came from."""

    objects: list[Y] = field(default_factory=list)
    #: file index -> workspace path (index 0 is unused)
    files: list[str] = field(default_factory=lambda: [""])
    #: the resource and patch files the build read
    consumed: set[str] = field(default_factory=set)
    #: (path, message) of remote resources that were not fetched
    remote: list[tuple[str, str]] = field(default_factory=list)
    #: the kustomization files the build read
    kustomizations: set[str] = field(default_factory=set)

    def decode(self, line: int) -> tuple[str, int]:
        index, real = divmod(line, LINE_BASE)
        if 0 < index < len(self.files):
            return self.files[index], real
        return "", line


class Tree:
    """The scan root as the renderer sees it: file paths and a reader."""

    def __init__(self, paths: set[str], read: Callable[[str], str | None]) -> None:
        self.paths = paths
        self.read = read
        #: files and characters parsed and patch x object pairs tested so far by every build
        #: of the scan (MAX_LOADS, MAX_LOAD_CHARS, MAX_PATCH_TESTS)
        self.loads = 0
        self.loaded = 0
        self.patch_tests = 0
        self.dirs: set[str] = set()
        for p in paths:
            d = posixpath.dirname(p)
            while d and d not in self.dirs:
                self.dirs.add(d)
                d = posixpath.dirname(d)

    def kustomization_in(self, directory: str) -> str | None:
        for name in KUSTOMIZATION_NAMES:
            p = posixpath.join(directory, name) if directory else name
            if p in self.paths:
                return p
        return None


def resolve(base_dir: str, ref: str, where: str) -> str:
    """A reference of a kustomization as a workspace path; never outside the root."""
    if ref.startswith("/"):
        raise KustomizeError(where, f"kustomize: absolute path {ref!r} is not followed")
    joined = posixpath.normpath(posixpath.join(base_dir or ".", ref))
    if joined == ".." or joined.startswith("../"):
        raise KustomizeError(where, f"kustomize: {ref!r} points outside the scan root")
    return "" if joined == "." else joined


def _offset(node: Y, delta: int) -> None:
    stack = [node]
    while stack:
        n = stack.pop()
        n.line += delta
        if n.key_line:
            n.key_line += delta
        if isinstance(n.value, dict):
            stack.extend(n.value.values())
        elif isinstance(n.value, list):
            stack.extend(n.value)


def _new(value: Any, like: Y) -> Y:
    """A node holding ``value`` at the position of ``like`` (for transformed values)."""
    return Y(value, like.line, like.column, like.key_line, like.key_column)


def _plainish(node: Y | None) -> Any:
    return node.plain() if node is not None else None


class Renderer:
    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self.out = Rendered()
        self._index: dict[str, int] = {}
        self.visited: set[str] = set()

    # -- loading -----------------------------------------------------------------------
    def load(self, path: str) -> list[Y]:
        """The documents of a file, positions encoded with the file's index."""
        text = self.tree.read(path)
        if text is None:
            raise KustomizeError(path, f"kustomize: cannot read {path}")
        return self.load_text(path, text)

    def load_text(self, path: str, text: str) -> list[Y]:
        tree = self.tree
        tree.loads += 1
        tree.loaded += len(text)
        if tree.loads > MAX_LOADS or tree.loaded > MAX_LOAD_CHARS:
            raise KustomizeError(
                path,
                f"kustomize: the builds read more than {MAX_LOADS} files or "
                f"{MAX_LOAD_CHARS // (1024 * 1024)} MB (a base counted each time it is listed)",
            )
        if path not in self._index:
            if len(self.out.files) > MAX_FILES:
                raise KustomizeError(path, f"kustomize: more than {MAX_FILES} files in one build")
            self._index[path] = len(self.out.files)
            self.out.files.append(path)
        delta = self._index[path] * LINE_BASE
        try:
            docs = [d.root for d in iter_documents(path, text) if d.root is not None]
        except YamlError as exc:
            raise KustomizeError(path, f"kustomize: {exc.message}", exc.line) from None
        for d in docs:
            _offset(d, delta)
        return docs

    def inline(self, owner: str, node: Y) -> list[Y]:
        """Documents of an inline patch (a YAML string inside the kustomization); their
        lines count from the line the string starts on."""
        if isinstance(node.value, str):
            docs = self.load_text(owner, node.value)
            real = node.line % LINE_BASE
            for d in docs:
                _offset(d, real)
            return docs
        return [copy.deepcopy(node)]

    # -- build -------------------------------------------------------------------------
    def build(self, kpath: str, stack: tuple[str, ...] = ()) -> list[Y]:
        if kpath in stack:
            chain = " -> ".join((*stack[stack.index(kpath) :], kpath))
            raise KustomizeError(stack[0], f"kustomize: cycle: {chain}")
        if len(stack) >= MAX_DEPTH:
            raise KustomizeError(stack[0], f"kustomize: bases nested more than {MAX_DEPTH} deep")
        stack = (*stack, kpath)
        self.visited.add(kpath)
        docs = self.load(kpath)
        if not docs or not isinstance(docs[0].value, dict):
            raise KustomizeError(kpath, "kustomize: the kustomization is not a mapping")
        k = docs[0]
        base_dir = posixpath.dirname(kpath)
        objects: list[Y] = []
        for key in ("resources", "bases", "components"):
            refs = k.get(key)
            for ref in refs.items() if refs else []:
                if not isinstance(ref.value, str):
                    continue
                objects.extend(self.resource(base_dir, ref, kpath, stack))
                if len(objects) > MAX_OBJECTS:
                    raise KustomizeError(kpath, f"kustomize: more than {MAX_OBJECTS} objects")
        self.patches(k, base_dir, kpath, objects)
        self.transform(k, objects)
        return objects

    def resource(self, base_dir: str, ref: Y, kpath: str, stack: tuple[str, ...]) -> list[Y]:
        value = str(ref.value).strip()
        if _REMOTE.search(value):
            self.out.remote.append((kpath, value))
            return []
        path = resolve(base_dir, value, kpath)
        if path in self.tree.dirs or path == "":
            inner = self.tree.kustomization_in(path)
            if inner is None:
                raise KustomizeError(
                    kpath, f"kustomize: {value} has no kustomization file", ref.line % LINE_BASE
                )
            return self.build(inner, stack)
        if path not in self.tree.paths:
            raise KustomizeError(
                kpath, f"kustomize: resource {value} not found", ref.line % LINE_BASE
            )
        self.out.consumed.add(path)
        objs: list[Y] = []
        for d in self.load(path):
            if d.scalar("kind") and str(d.scalar("kind")).endswith("List") and d.get("items"):
                objs.extend(i for i in d.get("items").items() if isinstance(i.value, dict))  # type: ignore[union-attr]
            elif isinstance(d.value, dict):
                objs.append(d)
        return objs

    # -- patches -----------------------------------------------------------------------
    def patch_docs(self, base_dir: str, kpath: str, node: Y) -> list[Y]:
        """A patch given as a file path or inline YAML."""
        if (
            isinstance(node.value, str)
            and "\n" not in node.value
            and not node.value.lstrip().startswith(("{", "["))
        ):
            path = resolve(base_dir, node.value.strip(), kpath)
            if path not in self.tree.paths:
                raise KustomizeError(
                    kpath, f"kustomize: patch {node.value} not found", node.line % LINE_BASE
                )
            self.out.consumed.add(path)
            return self.load(path)
        return self.inline(kpath, node)

    def patches(self, k: Y, base_dir: str, kpath: str, objects: list[Y]) -> None:
        smp = k.get("patchesStrategicMerge")
        for item in smp.items() if smp else []:
            for doc in self.patch_docs(base_dir, kpath, item):
                self.apply(doc, None, objects)
        for key in ("patches", "patchesJson6902"):
            group = k.get(key)
            for entry in group.items() if group else []:
                if not isinstance(entry.value, dict):
                    continue
                target = entry.get("target")
                src = entry.get("path") or entry.get("patch")
                if src is None:
                    continue
                for doc in self.patch_docs(base_dir, kpath, src):
                    self.apply(doc, target, objects)

    def apply(self, patch: Y, target: Y | None, objects: list[Y]) -> None:
        self.tree.patch_tests += len(objects)
        if self.tree.patch_tests > MAX_PATCH_TESTS:
            raise KustomizeError(
                patch_owner(self.out, patch),
                f"kustomize: the builds test more than {MAX_PATCH_TESTS} patch and object pairs",
            )
        if isinstance(patch.value, list):  # JSON 6902
            for obj in objects:
                if target is not None and matches(obj, target):
                    json6902(obj, patch)
            return
        if not isinstance(patch.value, dict):
            return
        for i, obj in enumerate(objects):
            hit = matches(obj, target) if target is not None else same_object(obj, patch)
            if hit:
                if patch.scalar("$patch") == "delete":
                    objects[i] = Y(None, obj.line, obj.column)
                    continue
                merge(obj, patch, top=target is not None)
        objects[:] = [o for o in objects if o.value is not None]

    # -- transformers ------------------------------------------------------------------
    def transform(self, k: Y, objects: list[Y]) -> None:
        ns = k.get("namespace")
        prefix, suffix = k.get("namePrefix"), k.get("nameSuffix")
        labels = k.get("commonLabels")
        images = k.get("images")
        for obj in objects:
            kind = str(obj.scalar("kind") or "")
            meta = _ensure(obj, "metadata", obj)
            if ns is not None and isinstance(ns.value, str) and kind not in CLUSTER_SCOPED:
                meta.value["namespace"] = _new(ns.value, ns)
            name = meta.get("name")
            if name is not None and (prefix is not None or suffix is not None):
                value = f"{_plainish(prefix) or ''}{name.value}{_plainish(suffix) or ''}"
                meta.value["name"] = _new(value, name)
            if labels is not None and isinstance(labels.value, dict):
                self.labels(obj, meta, labels)
            if images is not None:
                retag(obj, images)

    @staticmethod
    def labels(obj: Y, meta: Y, labels: Y) -> None:
        targets = [_ensure(meta, "labels", labels)]
        spec = obj.get("spec")
        if spec is not None and isinstance(spec.value, dict) and spec.get("template") is not None:
            sel = _ensure(spec, "selector", labels)
            targets.append(_ensure(sel, "matchLabels", labels))
            tmeta = _ensure(spec.get("template"), "metadata", labels)  # type: ignore[arg-type]
            targets.append(_ensure(tmeta, "labels", labels))
        for t in targets:
            if isinstance(t.value, dict):
                for key, val in labels.value.items():
                    t.value[key] = copy.deepcopy(val)


def patch_owner(out: Rendered, patch: Y) -> str:
    """The file a patch was read from (its lines encode the file's index)."""
    return out.decode(patch.line)[0]


def _ensure(node: Y, key: str, like: Y) -> Y:
    if not isinstance(node.value, dict):
        node.value = {}
    got = node.value.get(key)
    if got is None or not isinstance(got.value, dict):
        got = Y({}, like.line, like.column)
        node.value[key] = got
    return got


def same_object(obj: Y, patch: Y) -> bool:
    """A strategic merge patch without a target applies to the object of its kind and name."""
    if obj.scalar("kind") != patch.scalar("kind"):
        return False
    if obj.scalar("metadata", "name") != patch.scalar("metadata", "name"):
        return False
    ns = patch.scalar("metadata", "namespace")
    return ns is None or ns == obj.scalar("metadata", "namespace")


def _name_matches(pattern: str, value: str) -> bool:
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        return pattern == value


def matches(obj: Y, target: Y) -> bool:
    """Whether ``obj`` is selected by a patch target (kind, name, namespace, group, version
    as exact values or regular expressions; labelSelector as k=v pairs)."""
    api = str(obj.scalar("apiVersion") or "")
    group, _, version = api.rpartition("/")
    have = {
        "kind": str(obj.scalar("kind") or ""),
        "name": str(obj.scalar("metadata", "name") or ""),
        "namespace": str(obj.scalar("metadata", "namespace") or ""),
        "group": group,
        "version": version,
    }
    for key, value in have.items():
        want = target.scalar(key)
        if want is not None and not _name_matches(str(want), value):
            return False
    selector = target.scalar("labelSelector")
    if isinstance(selector, str) and selector.strip():
        labels = obj.get("metadata", "labels")
        have_labels = {k: str(v.value) for k, v in labels.mapping().items()} if labels else {}
        for part in selector.split(","):
            k, eq, v = part.partition("=")
            if eq and have_labels.get(k.strip()) != v.strip().lstrip("="):
                return False
            if not eq and k.strip() not in have_labels:
                return False
    return True


def merge(dst: Y, patch: Y, top: bool = False) -> None:
    """Strategic merge of ``patch`` into ``dst`` (maps merge, keyed lists merge by key,
    other lists are replaced, ``$patch: delete``/``replace`` honoured, null deletes)."""
    if not isinstance(dst.value, dict) or not isinstance(patch.value, dict):
        return
    if patch.scalar("$patch") == "replace":
        dst.value = {k: copy.deepcopy(v) for k, v in patch.value.items() if k != "$patch"}
        return
    for key, pv in patch.value.items():
        if key.startswith("$"):
            continue
        if top and key in ("apiVersion", "kind"):
            continue  # a targeted patch names its target in `target`, not here
        cur = dst.value.get(key)
        if top and key == "metadata" and isinstance(pv.value, dict):
            pv = Y(
                {k: v for k, v in pv.value.items() if k not in ("name", "namespace")},
                pv.line,
                pv.column,
            )
        if pv.value is None:
            dst.value.pop(key, None)
        elif cur is None or type(cur.value) is not type(pv.value):
            dst.value[key] = copy.deepcopy(pv)
        elif isinstance(pv.value, dict):
            if pv.scalar("$patch") == "delete":
                dst.value.pop(key, None)
            else:
                merge(cur, pv)
        elif isinstance(pv.value, list) and key in MERGE_KEYS:
            merge_list(cur, pv, MERGE_KEYS[key])
        else:
            dst.value[key] = copy.deepcopy(pv)


def merge_list(dst: Y, patch: Y, key: str) -> None:
    items: list[Y] = dst.value
    for p in patch.items():
        if not isinstance(p.value, dict):
            continue
        k = p.scalar(key)
        found = next((i for i in items if isinstance(i.value, dict) and i.scalar(key) == k), None)
        if p.scalar("$patch") == "delete":
            if found is not None:
                items.remove(found)
        elif found is None:
            items.append(copy.deepcopy(p))
        else:
            merge(found, p)


def _pointer(path: str) -> list[str]:
    if not path.startswith("/"):
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _walk(root: Y, parts: list[str]) -> Y | None:
    cur: Y | None = root
    for part in parts:
        if cur is None:
            return None
        if isinstance(cur.value, list):
            if not part.isdigit() or int(part) >= len(cur.value):
                return None
            cur = cur.value[int(part)]
        elif isinstance(cur.value, dict):
            cur = cur.value.get(part)
        else:
            return None
    return cur


def _put(root: Y, parts: list[str], value: Y, op: str) -> None:
    if not parts:
        return
    parent = _walk(root, parts[:-1])
    last = parts[-1]
    if parent is None:
        return
    if isinstance(parent.value, dict):
        if op == "add" or last in parent.value:
            parent.value[last] = value
    elif isinstance(parent.value, list):
        if last == "-":
            parent.value.append(value)
        elif last.isdigit() and int(last) <= len(parent.value):
            if op == "add":
                parent.value.insert(int(last), value)
            elif int(last) < len(parent.value):
                parent.value[int(last)] = value


def _remove(root: Y, parts: list[str]) -> Y | None:
    parent = _walk(root, parts[:-1]) if parts else None
    if parent is None:
        return None
    last = parts[-1]
    if isinstance(parent.value, dict):
        return parent.value.pop(last, None)  # type: ignore[no-any-return]
    if isinstance(parent.value, list) and last.isdigit() and int(last) < len(parent.value):
        return parent.value.pop(int(last))  # type: ignore[no-any-return]
    return None


def json6902(obj: Y, ops: Y) -> None:
    """Apply a JSON patch (RFC 6902: add, remove, replace, move, copy; test is skipped)."""
    for op in ops.items():
        kind, path = op.scalar("op"), op.scalar("path")
        if not isinstance(kind, str) or not isinstance(path, str):
            continue
        parts = _pointer(path)
        if kind in ("add", "replace"):
            value = op.get("value")
            if value is not None:
                _put(obj, parts, copy.deepcopy(value), kind)
        elif kind == "remove":
            _remove(obj, parts)
        elif kind in ("move", "copy"):
            src = op.scalar("from")
            if isinstance(src, str):
                got = _remove(obj, _pointer(src)) if kind == "move" else _walk(obj, _pointer(src))
                if got is not None:
                    _put(obj, parts, copy.deepcopy(got), "add")


def _containers(obj: Y) -> Iterator[Y]:
    from pipesec.scanners.iac.kubernetes import pod_spec

    spec = pod_spec(obj, str(obj.scalar("kind") or ""))
    for key in ("initContainers", "containers", "ephemeralContainers"):
        group = spec.get(key) if spec is not None else None
        for c in group.items() if group else []:
            if isinstance(c.value, dict):
                yield c


def retag(obj: Y, images: Y) -> None:
    """The ``images`` transformer: newName, newTag and digest by image name."""
    from pipesec.scanners.iac.dockerfile_parser import split_image

    for c in _containers(obj):
        node = c.get("image")
        if node is None or not isinstance(node.value, str):
            continue
        name, tag, digest = split_image(node.value)
        for entry in images.items():
            if entry.scalar("name") != name:
                continue
            new_name = entry.get("newName")
            new_tag = entry.get("newTag")
            new_digest = entry.get("digest")
            where = new_digest or new_tag or new_name or entry
            name = str(new_name.value) if new_name is not None else name
            if new_digest is not None:
                ref = f"{name}@{new_digest.value}"
            elif new_tag is not None:
                ref = f"{name}:{new_tag.value}"
            else:
                ref = name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")
            line, column = where.at
            c.value["image"] = Y(ref, line, column, line, column)
            break


def render(kpath: str, tree: Tree) -> Rendered:
    """Render one kustomization. Raises :class:`KustomizeError` with a one-line message."""
    r = Renderer(tree)
    try:
        r.out.objects = r.build(kpath)
    except KustomizeError as exc:
        exc.visited = r.visited
        raise
    except RecursionError:
        raise KustomizeError(kpath, "kustomize: nested too deeply") from None
    r.out.kustomizations = r.visited
    return r.out


def referenced_kustomizations(tree: Tree, kpaths: list[str]) -> set[str]:
    """Kustomizations that another kustomization uses as a base or component (rendered as
    part of that overlay, not on their own)."""
    used: set[str] = set()
    for kpath in kpaths:
        text = tree.read(kpath)
        if text is None:
            continue
        try:
            docs = [d.root for d in iter_documents(kpath, text) if d.root is not None]
        except YamlError:
            continue
        if not docs:
            continue
        base_dir = posixpath.dirname(kpath)
        for key in ("resources", "bases", "components"):
            refs = docs[0].get(key)
            for ref in refs.items() if refs else []:
                if not isinstance(ref.value, str) or _REMOTE.search(ref.value):
                    continue
                try:
                    path = resolve(base_dir, ref.value.strip(), kpath)
                except KustomizeError:
                    continue
                inner = tree.kustomization_in(path) if path in tree.dirs or not path else None
                if inner is not None and inner != kpath:
                    used.add(inner)
    return used
