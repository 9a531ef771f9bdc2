"""YAML loading with exact positions, for pipeline files.

PyYAML's composer gives a node graph with start/end marks; we turn it into a small tree of
:class:`YNode` that keeps every position (1-based line and column, character offsets) and
resolves merge keys (``<<: *anchor``). Alias bombs ("billion laughs") are stopped by a node
budget while the graph is expanded, duplicate keys and over-deep nesting are errors, and
unknown tags (GitLab's ``!reference``) are kept on the node instead of failing.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pipesec.core.nesting import TooDeep, check_yaml
from pipesec.core.yamlanchors import (
    MAX_REDEFINING_BYTES,
    RedefiningLoader,
    is_duplicate_anchor,
)

try:  # libyaml is much faster; fall back to the pure-Python loader
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

#: first characters of the plain scalars YAML 1.1 may resolve to something but a string
_MAY_RESOLVE = frozenset("-+.0123456789~nNyYtTfFoO<=")
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class _Loader(_BaseLoader):
    """The safe loader with a fast path for the implicit tag of most plain scalars."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if not self.yaml_path_resolvers:  # what the base class returns, without its lookups
            if kind is ScalarNode:
                if not implicit[0] or (value and value[0] not in _MAY_RESOLVE):
                    return _STR_TAG
            elif kind is MappingNode:
                return _MAP_TAG
            elif kind is SequenceNode:
                return _SEQ_TAG
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


MAX_NODES = 100_000
MAX_DEPTH = 200

_BOOL_TRUE = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"}
_BOOL_FALSE = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"}


class YamlError(Exception):
    """A file that is not usable YAML, with the place to look at (1-based; 0 = unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(slots=True, eq=False)
class YNode:
    """One YAML node with its position. ``value`` is a dict (map), a list (seq) or a scalar."""

    kind: str  # "map" | "seq" | "scalar"
    value: Any
    line: int
    col: int
    end_line: int
    end_col: int
    start: int
    end: int
    tag: str = ""
    style: str | None = None
    raw: str = ""
    keys: dict[str, YNode] = field(default_factory=dict)
    doc: Document | None = field(default=None, repr=False)

    # -- accessors ---------------------------------------------------------------------

    @property
    def is_map(self) -> bool:
        return self.kind == "map"

    @property
    def is_seq(self) -> bool:
        return self.kind == "seq"

    @property
    def is_scalar(self) -> bool:
        return self.kind == "scalar"

    def get(self, key: str) -> YNode | None:
        if self.kind != "map":
            return None
        node: YNode | None = self.value.get(key)
        return node

    def key(self, key: str) -> YNode | None:
        """The key node of ``key`` in a mapping (for findings that point at the key)."""
        return self.keys.get(key) if self.kind == "map" else None

    def items(self) -> Iterator[tuple[str, YNode]]:
        if self.kind == "map":
            yield from self.value.items()

    def seq(self) -> list[YNode]:
        return list(self.value) if self.kind == "seq" else []

    def text(self) -> str | None:
        """The scalar as a string (numbers and booleans as written); None for collections."""
        if self.kind != "scalar" or self.value is None:
            return None
        return self.raw

    def str_at(self, key: str) -> str | None:
        node = self.get(key)
        return node.text() if node is not None else None

    def truthy(self) -> bool:
        return self.kind == "scalar" and self.value is True

    def to_python(self, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            return None
        if self.kind == "map":
            return {k: v.to_python(depth + 1) for k, v in self.value.items()}
        if self.kind == "seq":
            return [v.to_python(depth + 1) for v in self.value]
        return self.value

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
        """Line/column span of the ``occurrence``-th ``sub`` inside this node's source text.

        Falls back to the node's own span when the text is not found verbatim (escapes in
        double-quoted scalars, folded lines).
        """
        doc = self.doc
        if doc is not None and sub:
            pos = self.start - 1
            for _ in range(occurrence + 1):
                pos = doc.text.find(sub, pos + 1, self.end)
                if pos < 0:
                    break
            if pos >= 0:
                line, col = doc.position(pos)
                end_line, end_col = doc.position(pos + len(sub))
                return line, col, end_line, end_col
        return self.line, self.col, self.end_line, self.end_col


@dataclass(slots=True, eq=False)
class Document:
    path: str
    text: str
    root: YNode | None = None
    _starts: list[int] = field(default_factory=list)
    #: GitLab: the ``spec:`` header document that precedes this one in the same file
    spec: YNode | None = None

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        pos = find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1

    def offset(self, line: int, col: int = 1) -> int:
        """Character offset of a 1-based (line, column)."""
        if line - 1 >= len(self._starts):
            return len(self.text)
        return self._starts[line - 1] + col - 1

    def line_text(self, line: int) -> str:
        if line < 1 or line > len(self._starts):
            return ""
        start = self._starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)]

    @property
    def line_count(self) -> int:
        return len(self._starts)


def _scalar_value(node: ScalarNode) -> Any:
    tag = node.tag
    raw = node.value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        if raw in _BOOL_TRUE:
            return True
        if raw in _BOOL_FALSE:
            return False
        return raw
    if tag == "tag:yaml.org,2002:int":
        try:
            return int(raw.replace("_", ""), 0)
        except ValueError:
            return raw
    if tag == "tag:yaml.org,2002:float":
        try:
            return float(raw.replace("_", ""))
        except ValueError:
            return raw
    return raw


class _Converter:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.budget = MAX_NODES

    def _too_many(self, node: Node) -> YamlError:
        return YamlError(
            f"YAML anchors and aliases expand to more than {MAX_NODES} nodes"
            " (an alias bomb?); refusing to expand the file",
            node.start_mark.line + 1,
            node.start_mark.column + 1,
        )

    def _new(self, node: Node, kind: str, value: Any) -> YNode:
        self.budget -= 1
        if self.budget < 0:
            raise self._too_many(node)
        sm, em = node.start_mark, node.end_mark
        # positional: this runs for every node of every file
        return YNode(
            kind,
            value,
            sm.line + 1,
            sm.column + 1,
            em.line + 1,
            em.column + 1,
            sm.index,
            em.index,
            node.tag or "",
            None,
            "",
            {},
            self.doc,
        )

    def convert(self, node: Node, depth: int = 0) -> YNode:
        if depth > MAX_DEPTH:
            raise YamlError(
                f"YAML nested more than {MAX_DEPTH} levels deep",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        if isinstance(node, ScalarNode):  # most nodes: _new inlined
            self.budget -= 1
            if self.budget < 0:
                raise self._too_many(node)
            tag = node.tag
            raw = node.value
            sm, em = node.start_mark, node.end_mark
            return YNode(
                "scalar",
                raw if tag == _STR_TAG else _scalar_value(node),
                sm.line + 1,
                sm.column + 1,
                em.line + 1,
                em.column + 1,
                sm.index,
                em.index,
                tag or "",
                node.style or None,
                raw,
                {},
                self.doc,
            )
        if isinstance(node, SequenceNode):
            y = self._new(node, "seq", [])
            y.value = [self.convert(child, depth + 1) for child in node.value]
            return y
        if isinstance(node, MappingNode):
            y = self._new(node, "map", {})
            values: dict[str, YNode] = {}
            keys: dict[str, YNode] = {}
            merged: list[YNode] = []
            for knode, vnode in node.value:
                if isinstance(knode, ScalarNode) and knode.tag == "tag:yaml.org,2002:merge":
                    merged.append(self.convert(vnode, depth + 1))
                    continue
                kconv = self.convert(knode, depth + 1)
                name = kconv.raw if kconv.kind == "scalar" else kconv.source()
                if name in keys:
                    first = keys[name]
                    raise YamlError(
                        f"duplicate key {name!r} (first defined on line {first.line});"
                        " YAML keys must be unique",
                        kconv.line,
                        kconv.col,
                    )
                keys[name] = kconv
                values[name] = self.convert(vnode, depth + 1)
            for m in merged:
                sources = m.value if m.kind == "seq" else [m]
                for src in sources:
                    if src.kind != "map":
                        raise YamlError(
                            "merge key '<<' needs a mapping or a list of mappings", m.line, m.col
                        )
                    for k, v in src.value.items():
                        if k not in values:
                            values[k] = v
                            keys[k] = src.keys.get(k, v)
            y.value = values
            y.keys = keys
            return y
        raise YamlError("unsupported YAML node", node.start_mark.line + 1)  # pragma: no cover


def load(path: str, text: str) -> Document:
    """Parse ``text`` into a :class:`Document`; raises :class:`YamlError` on any problem."""
    return load_all(path, text, single=True)[0]


def _compose(text: str, single: bool, loader_class: Any) -> list[Node | None]:
    nodes: list[Node | None] = []
    loader = loader_class(text)
    try:
        if single:
            nodes.append(loader.get_single_node())
        else:
            while loader.check_node():
                nodes.append(loader.get_node())
                if len(nodes) > 100:
                    raise YamlError("more than 100 YAML documents in one file")
    finally:
        loader.dispose()
    return nodes


def load_all(path: str, text: str, *, single: bool = False) -> list[Document]:
    """Every YAML document of ``text`` (GitLab's ``spec:`` header is a document of its own)."""
    nodes: list[Node | None] = []
    try:
        check_yaml(text)
    except TooDeep as exc:
        raise YamlError(f"invalid YAML: {exc.message}", exc.line) from None
    try:
        try:
            nodes = _compose(text, single, _Loader)
        except yaml.YAMLError as exc:
            if not is_duplicate_anchor(exc):
                raise
            if len(text) > MAX_REDEFINING_BYTES:
                mark = getattr(exc, "problem_mark", None)
                raise YamlError(
                    "a YAML anchor is defined twice in a file over "
                    f"{MAX_REDEFINING_BYTES // 1_000_000} MB: not analysed",
                    mark.line + 1 if mark else 0,
                    mark.column + 1 if mark else 0,
                ) from None
            nodes = _compose(text, single, RedefiningLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is not None:
            raise YamlError(f"invalid YAML: {problem}", mark.line + 1, mark.column + 1) from None
        raise YamlError(f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlError("invalid YAML: nested too deeply") from None
    docs: list[Document] = []
    budget = MAX_NODES
    for node in nodes or [None]:
        doc = Document(path, text)
        if node is not None:
            conv = _Converter(doc)
            conv.budget = budget
            try:
                doc.root = conv.convert(node)
            except RecursionError:
                raise YamlError("YAML nested too deeply") from None
            budget = conv.budget
        docs.append(doc)
    return docs
