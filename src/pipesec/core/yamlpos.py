"""The one YAML loader of every scanner that reads YAML (pipelines, IaC): positions on every
node, and budgets that a hostile file cannot get past.

PyYAML's composer (libyaml's when available) gives a node graph with start and end marks;
:class:`Builder` turns it into a tree of :class:`YNode`. Every node keeps its 1-based line and
column, its end, its character offsets in the file, its tag and, below a mapping, the
position of the key that holds it (``key_line``; a mapping also keeps its key nodes in
``keys``), so findings point at ``privileged: true`` rather than at the document.

Hostile input:

- *depth*: libyaml's composer recurses in C, so :func:`pipesec.core.nesting.check_yaml`
  measures the nesting with the event parser first; the builder stops at ``MAX_DEPTH``;
- *alias bombs* ("billion laughs"): an alias shares the value built for its anchor (linear
  time), while the size it stands for is counted against :attr:`Limits.expanded`;
- *size*: at most :attr:`Limits.nodes` distinct nodes and :attr:`Limits.documents`
  documents per file;
- *anchors defined twice* are valid YAML (the later definition wins, YAML 1.2 §7.1) but
  PyYAML refuses them: such a file is composed again by a loader that allows it (pure
  Python, so only for files up to ``MAX_REDEFINING_BYTES``).

Merge keys (``<<: *anchor``) are applied. Tags the safe schema does not know (GitLab's
``!reference``, CloudFormation's ``!Ref``) are kept on the node; a caller may pass ``tags``,
functions that replace a node carrying that tag by what it means (see :data:`TagHook`).
"""

from __future__ import annotations

import bisect
import copy
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # PyYAML is imported on the first parse: rule modules use YNode alone
    import yaml
    from yaml.nodes import Node

MAX_DEPTH = 200
#: the pure-Python composer is several times slower than libyaml: a file larger than this
#: that redefines an anchor stays an error rather than an invitation to stall the scan
MAX_REDEFINING_BYTES = 1_000_000

_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
#: first characters of the plain scalars YAML 1.1 may resolve to something but a string
_MAY_RESOLVE = frozenset("-+.0123456789~nNyYtTfFoO<=")
_BOOL_TRUE = frozenset({"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})
_BOOL_FALSE = frozenset({"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})


@dataclass(frozen=True, slots=True)
class Limits:
    """What one file may cost."""

    #: distinct nodes built per file
    nodes: int = 2_000_000
    #: nodes the file stands for once its aliases are expanded (aliased values are shared,
    #: never copied, so this costs nothing to check; a "billion laughs" stops here)
    expanded: int = 5_000_000
    #: documents per file
    documents: int = 1_000_000
    #: a key defined twice in one mapping is an error (else the later one wins)
    unique_keys: bool = False


class YamlError(Exception):
    """A file that is not usable YAML, with the place to look at (1-based; 0 = unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(slots=True, eq=False)
class YNode:
    """One YAML value with its position: ``value`` is a dict of str -> YNode (a mapping),
    a list of YNode (a sequence) or a scalar (str, int, float, bool or None)."""

    value: Any
    line: int
    column: int
    #: where the key holding this value starts (0: not a mapping value)
    key_line: int = 0
    key_column: int = 0
    end_line: int = 0
    end_column: int = 0
    #: character offsets of the node's text in the file (``doc.text``)
    start: int = 0
    end: int = 0
    tag: str = ""
    style: str | None = None
    #: a scalar as written (numbers and booleans too)
    raw: str = ""
    #: a mapping's key nodes by name (for findings that point at a key)
    keys: dict[str, YNode] = field(default_factory=dict)
    doc: Document | None = field(default=None, repr=False)

    # -- what it is ----------------------------------------------------------------------

    @property
    def kind(self) -> str:
        v = self.value
        return "map" if isinstance(v, dict) else "seq" if isinstance(v, list) else "scalar"

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_seq(self) -> bool:
        return isinstance(self.value, list)

    @property
    def is_scalar(self) -> bool:
        return not isinstance(self.value, dict | list)

    @property
    def col(self) -> int:
        return self.column

    @property
    def end_col(self) -> int:
        return self.end_column

    @property
    def at(self) -> tuple[int, int]:
        """Where a finding about this value points: its key when it has one."""
        if self.key_line:
            return self.key_line, self.key_column
        return self.line, self.column

    # -- navigation ----------------------------------------------------------------------

    def get(self, key: str | int, *path: str | int) -> YNode | None:
        """The node at ``key`` and then ``path`` (mapping keys and sequence indexes)."""
        if not path and type(key) is str:  # the common case, kept fast
            v = self.value
            return v.get(key) if type(v) is dict else None
        cur: YNode = self
        for part in (key, *path):
            v = cur.value
            if isinstance(part, int):
                if not isinstance(v, list) or not -len(v) <= part < len(v):
                    return None
                cur = v[part]
            else:
                if not isinstance(v, dict):
                    return None
                nxt = v.get(part)
                if nxt is None:
                    return None
                cur = nxt
        return cur

    def key(self, key: str) -> YNode | None:
        """The key node of ``key`` in a mapping."""
        return self.keys.get(key) if isinstance(self.value, dict) else None

    def pairs(self) -> Iterator[tuple[str, YNode]]:
        """A mapping's (key, value) pairs; nothing for other nodes."""
        if isinstance(self.value, dict):
            yield from self.value.items()

    def items(self) -> list[YNode]:
        """A sequence's items (the list itself); [] for other nodes."""
        return self.value if isinstance(self.value, list) else []

    def seq(self) -> list[YNode]:
        """A copy of a sequence's items; [] for other nodes."""
        return list(self.value) if isinstance(self.value, list) else []

    def mapping(self) -> dict[str, YNode]:
        return self.value if isinstance(self.value, dict) else {}

    # -- values --------------------------------------------------------------------------

    def scalar(self, *path: str | int) -> Any:
        """The scalar value at ``path`` (None for collections and missing nodes)."""
        node = self.get(*path) if path else self
        if node is None or isinstance(node.value, dict | list):
            return None
        return node.value

    def text(self) -> str | None:
        """The scalar as written (numbers and booleans too); None for collections and null."""
        if self.value is None or isinstance(self.value, dict | list):
            return None
        return self.raw or str(self.value)

    def str_at(self, key: str) -> str | None:
        node = self.get(key)
        return node.text() if node is not None else None

    def truthy(self) -> bool:
        return self.value is True

    def plain(self, depth: int = 0) -> Any:
        """The value as plain Python data (dicts, lists, scalars)."""
        if depth > MAX_DEPTH:
            return None
        v = self.value
        if isinstance(v, dict):
            return {k: n.plain(depth + 1) for k, n in v.items()}
        if isinstance(v, list):
            return [n.plain(depth + 1) for n in v]
        return v

    to_python = plain

    # -- source text ---------------------------------------------------------------------

    def source(self) -> str:
        return self.doc.text[self.start : self.end] if self.doc is not None else self.raw

    def find(self, sub: str, occurrence: int = 0) -> int | None:
        """Character offset in the file of the ``occurrence``-th ``sub`` in this node's
        source text, or None when it is not there verbatim."""
        doc = self.doc
        if doc is None or not sub:
            return None
        pos = self.start - 1
        for _ in range(occurrence + 1):
            pos = doc.text.find(sub, pos + 1, self.end)
            if pos < 0:
                return None
        return pos

    def locate(self, sub: str, occurrence: int = 0) -> tuple[int, int, int, int]:
        """Line/column span of the ``occurrence``-th ``sub`` inside this node's source text;
        the node's own span when it is not there verbatim (escapes, folded lines)."""
        return self.span_of(self.find(sub, occurrence), sub)

    def span_of(self, pos: int | None, sub: str) -> tuple[int, int, int, int]:
        """Line/column span of ``sub`` standing at offset ``pos`` of the document's text
        (as :meth:`find` answers); the node's own span when ``pos`` is None."""
        doc = self.doc
        if doc is not None and pos is not None:
            line, col = doc.position(pos)
            end_line, end_col = doc.position(pos + len(sub))
            return line, col, end_line, end_col
        return self.line, self.column, self.end_line, self.end_column


@dataclass(slots=True, eq=False)
class Document:
    """One YAML document of a file: its root node and the file's text."""

    path: str
    text: str
    root: YNode | None = None
    #: GitLab: the ``spec:`` header document that precedes this one in the same file
    spec: YNode | None = None
    _starts: list[int] | None = None

    def _line_starts(self) -> list[int]:
        starts = self._starts
        if starts is None:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos >= 0:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._starts = starts
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        starts = self._line_starts()
        i = bisect.bisect_right(starts, offset) - 1
        return i + 1, offset - starts[i] + 1

    def offset(self, line: int, col: int = 1) -> int:
        """Character offset of a 1-based (line, column)."""
        starts = self._line_starts()
        if line - 1 >= len(starts):
            return len(self.text)
        return starts[line - 1] + col - 1

    def line_text(self, line: int) -> str:
        starts = self._line_starts()
        if line < 1 or line > len(starts):
            return ""
        start = starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)]

    @property
    def line_count(self) -> int:
        return len(self._line_starts())


#: replaces a node that carries a tag (``!Ref``, ``!Sub`` ...) by what it means; receives the
#: node as built (its ``tag`` set, a scalar's value as written) and returns the node to keep
TagHook = Callable[[YNode], YNode]


# -- composing ------------------------------------------------------------------------------


@functools.cache
def _loaders() -> tuple[Any, Any]:
    """The fast loader (libyaml with a quick implicit-tag path) and the slow one that lets
    an anchor be redefined; built on the first parse."""
    import yaml
    from yaml.events import AliasEvent
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    try:  # libyaml is much faster; fall back to the pure-Python loader
        from yaml import CSafeLoader as base
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        from yaml import SafeLoader as base  # type: ignore[assignment]

    class Fast(base):
        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if not self.yaml_path_resolvers:  # the base class's answer, without its lookups
                if kind is ScalarNode:
                    if not implicit[0] or (value and value[0] not in _MAY_RESOLVE):
                        return _STR_TAG
                elif kind is MappingNode:
                    return _MAP_TAG
                elif kind is SequenceNode:
                    return _SEQ_TAG
            return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]

    class Redefining(yaml.SafeLoader):
        """SafeLoader whose anchors may be redefined (the later definition wins)."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if not self.check_event(AliasEvent):
                anchor = self.peek_event().anchor  # type: ignore[no-untyped-call]
                if anchor is not None:
                    self.anchors.pop(anchor, None)
            return super().compose_node(parent, index)

    return Fast, Redefining


def _is_duplicate_anchor(exc: yaml.YAMLError) -> bool:
    import yaml

    return isinstance(exc, yaml.composer.ComposerError) and "duplicate anchor" in str(
        exc.context or ""
    )


def _mark_error(exc: yaml.YAMLError, text: str) -> YamlError:
    import yaml

    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        return YamlError(f"invalid YAML: {exc.reason} (#x{exc.character:04x})", line)
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is not None:
            return YamlError(f"invalid YAML: {problem}", mark.line + 1, mark.column + 1)
        return YamlError(f"invalid YAML: {problem}")
    return YamlError(f"invalid YAML: {exc}")


def _nodes(text: str, loader_class: Any, limits: Limits) -> Iterator[Node | None]:
    loader = loader_class(text)
    count = 0
    try:
        while loader.check_node():
            count += 1
            if count > limits.documents:
                raise YamlError(f"more than {limits.documents} YAML documents in one file")
            yield loader.get_node()
    finally:
        loader.dispose()


def compose(text: str, limits: Limits) -> Iterator[Node | None]:
    """PyYAML's node graph of each document (None for an empty one), after the nesting
    check; a file that only redefines an anchor is composed again by
    the slow loader. Raises :class:`YamlError`."""
    import yaml

    from pipesec.core.nesting import TooDeep, check_yaml

    fast, redefining = _loaders()
    try:
        check_yaml(text)
    except TooDeep as exc:
        raise YamlError(f"invalid YAML: {exc.message}", exc.line) from None
    done = 0
    try:
        try:
            for node in _nodes(text, fast, limits):
                done += 1
                yield node
            return
        except yaml.YAMLError as exc:
            if not _is_duplicate_anchor(exc):
                raise
            if len(text) > MAX_REDEFINING_BYTES:
                mark = getattr(exc, "problem_mark", None)
                raise YamlError(
                    "a YAML anchor is defined twice in a file over "
                    f"{MAX_REDEFINING_BYTES // 1_000_000} MB: not analysed",
                    mark.line + 1 if mark else 0,
                    mark.column + 1 if mark else 0,
                ) from None
        for i, node in enumerate(_nodes(text, redefining, limits)):
            if i >= done:  # the documents before the redefinition were yielded already
                yield node
    except yaml.YAMLError as exc:
        raise _mark_error(exc, text) from None
    except RecursionError:
        raise YamlError("invalid YAML: nested too deeply") from None


# -- building -------------------------------------------------------------------------------


@functools.cache
def _constructor() -> Any:
    from yaml.constructor import SafeConstructor

    return SafeConstructor()


def _scalar_value(tag: str, raw: str, node: Node) -> Any:
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return True if raw in _BOOL_TRUE else False if raw in _BOOL_FALSE else raw
    if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        from yaml.constructor import ConstructorError

        try:
            value = _constructor().construct_object(node, deep=True)
        except (ConstructorError, ValueError, OverflowError):
            return raw
        return value if isinstance(value, int | float) else raw
    return raw  # strings, timestamps, binary and unknown tags: as written


_NO_KEYS: dict[str, YNode] = {}


class Builder:
    """Turns PyYAML nodes into :class:`YNode` trees within :class:`Limits` (one per file:
    the budgets count over all its documents)."""

    def __init__(
        self, doc: Document, limits: Limits, tags: Mapping[str, TagHook] | None = None
    ) -> None:
        self.doc = doc
        self.limits = limits
        self.tags = tags or {}
        self.nodes = limits.nodes
        self.expanded = 0
        self.memo: dict[int, tuple[YNode, int]] = {}

    def _error(self, message: str, node: Any) -> YamlError:
        return YamlError(message, node.start_mark.line + 1, node.start_mark.column + 1)

    def _charge(self, size: int, node: Any) -> None:
        self.expanded += size
        if self.expanded > self.limits.expanded:
            raise self._error(
                f"YAML aliases expand the file to more than {self.limits.expanded} nodes"
                " (a YAML bomb?); not analysed",
                node,
            )

    def build(self, node: Any, depth: int = 0) -> YNode:
        self.nodes -= 1
        if self.nodes < 0:
            raise self._error(f"more than {self.limits.nodes} YAML nodes; not analysed", node)
        sm, em = node.start_mark, node.end_mark
        tag = node.tag or ""
        if node.id == "scalar":  # most nodes; an aliased scalar is simply built again
            self.expanded += 1
            if self.expanded > self.limits.expanded:
                self._charge(0, node)
            raw = node.value
            y = YNode(
                raw if tag == _STR_TAG else _scalar_value(tag, raw, node),
                sm.line + 1,
                sm.column + 1,
                0,
                0,
                em.line + 1,
                em.column + 1,
                sm.index,
                em.index,
                tag,
                node.style or None,
                raw,
                _NO_KEYS,
                self.doc,
            )
            return self.tags[tag](y) if tag[:1] == "!" and tag in self.tags else y
        known = self.memo.get(id(node))
        if known is not None:  # an alias: share the value built for its anchor
            y, size = known
            self._charge(size, node)
            shared = copy.copy(y)
            shared.key_line = shared.key_column = 0
            return shared
        if depth > MAX_DEPTH:
            raise self._error(f"YAML nested more than {MAX_DEPTH} levels deep", node)
        before = self.expanded
        self.expanded += 1
        if self.expanded > self.limits.expanded:
            self._charge(0, node)
        if node.id == "sequence":
            y = self._collection(node, [self.build(child, depth + 1) for child in node.value])
        else:
            y = self._mapping(node, depth)
        if tag[:1] == "!" and tag in self.tags:
            y = self.tags[tag](y)
        self.memo[id(node)] = (y, self.expanded - before)
        return y

    def _mapping(self, node: Any, depth: int) -> YNode:
        values: dict[str, YNode] = {}
        keys: dict[str, YNode] = {}
        merged: list[YNode] = []
        unique = self.limits.unique_keys
        for knode, vnode in node.value:
            if knode.tag == _MERGE_TAG:
                merged.append(self.build(vnode, depth + 1))
                continue
            key = self.build(knode, depth + 1)
            name = key.raw if not isinstance(key.value, dict | list) else key.source()
            if unique and name in keys:
                raise YamlError(
                    f"duplicate key {name!r} (first defined on line {keys[name].line});"
                    " YAML keys must be unique",
                    key.line,
                    key.column,
                )
            child = self.build(vnode, depth + 1)
            child.key_line, child.key_column = key.line, key.column
            keys[name] = key
            values[name] = child
        for m in merged:
            sources: list[YNode] = m.value if isinstance(m.value, list) else [m]
            for src in sources:
                if not isinstance(src.value, dict):
                    raise YamlError(
                        "merge key '<<' needs a mapping or a list of mappings", m.line, m.column
                    )
                for k, v in src.value.items():
                    if k not in values:
                        values[k] = v
                        keys[k] = src.keys.get(k) or v
        return self._collection(node, values, keys)

    def _collection(self, node: Any, value: Any, keys: dict[str, YNode] = _NO_KEYS) -> YNode:
        sm, em = node.start_mark, node.end_mark
        return YNode(
            value,
            sm.line + 1,
            sm.column + 1,
            0,
            0,
            em.line + 1,
            em.column + 1,
            sm.index,
            em.index,
            node.tag or "",
            None,
            "",
            keys,
            self.doc,
        )


def iter_documents(
    path: str,
    text: str,
    limits: Limits = Limits(),
    tags: Mapping[str, TagHook] | None = None,
) -> Iterator[Document]:
    """Each document of ``text`` as it is parsed (``root`` None for an empty one); raises
    :class:`YamlError` at the first problem, after the documents before it."""
    builder: Builder | None = None
    for node in compose(text, limits):
        doc = Document(path, text)
        if builder is None:
            builder = Builder(doc, limits, tags)
        builder.doc = doc
        # aliases never cross documents, and the ids of an earlier document's freed nodes
        # may be reused by this one's
        builder.memo.clear()
        if node is not None:
            try:
                doc.root = builder.build(node)
            except RecursionError:
                raise YamlError("invalid YAML: nested too deeply") from None
        yield doc


def load_all(
    path: str,
    text: str,
    limits: Limits = Limits(),
    tags: Mapping[str, TagHook] | None = None,
) -> list[Document]:
    """Every document of ``text`` (at least one; an empty file is one empty document)."""
    return list(iter_documents(path, text, limits, tags)) or [Document(path, text)]


def load(
    path: str,
    text: str,
    limits: Limits = Limits(),
    tags: Mapping[str, TagHook] | None = None,
) -> Document:
    """The single document of ``text``; more than one is a :class:`YamlError`."""
    docs = load_all(path, text, Limits(limits.nodes, limits.expanded, 1, limits.unique_keys), tags)
    return docs[0]
