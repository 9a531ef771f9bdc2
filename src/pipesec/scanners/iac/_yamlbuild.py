"""Builds :class:`~pipesec.scanners.iac.yamlpos.Y` trees from PyYAML nodes (imported on
first use, so loading the rules does not import PyYAML)."""

from __future__ import annotations

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pipesec.scanners.iac.yamlpos import (
    EXPANDED_BUDGET,
    MAX_DEPTH,
    NODE_BUDGET,
    Y,
    YamlError,
)

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

__all__ = ["Builder", "Loader"]


class Builder:
    def __init__(self) -> None:
        self.constructor = SafeConstructor()
        self.budget = NODE_BUDGET
        self.expanded = 0
        self.memo: dict[int, tuple[Y, int]] = {}

    def build(self, node: Node, depth: int = 0) -> Y:
        known = self.memo.get(id(node))
        if known is not None:  # an alias: share the value built for its anchor
            y, size = known
            self._charge(size, node)
            return Y(y.value, y.line, y.column)
        self.budget -= 1
        if self.budget < 0:
            raise YamlError(
                f"more than {NODE_BUDGET} YAML nodes; not scanned",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        before = self.expanded
        self._charge(1, node)
        y = self._build(node, depth)
        self.memo[id(node)] = (y, self.expanded - before)
        return y

    def _charge(self, size: int, node: Node) -> None:
        self.expanded += size
        if self.expanded > EXPANDED_BUDGET:
            raise YamlError(
                f"aliases expand the document to more than {EXPANDED_BUDGET} nodes"
                " (a YAML bomb?); not scanned",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )

    def _build(self, node: Node, depth: int) -> Y:
        if depth > MAX_DEPTH:
            raise YamlError(
                f"nested more than {MAX_DEPTH} levels deep; not scanned",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if isinstance(node, ScalarNode):
            try:
                value = self.constructor.construct_object(node, deep=True)
            except (ConstructorError, ValueError, OverflowError):
                value = node.value
            if not isinstance(value, str | int | float | bool | type(None)):
                value = node.value
            return Y(value, line, col)
        if isinstance(node, SequenceNode):
            return Y([self.build(n, depth + 1) for n in node.value], line, col)
        if isinstance(node, MappingNode):
            out: dict[str, Y] = {}
            merges: list[Y] = []
            for k, v in node.value:
                if isinstance(k, ScalarNode) and k.tag == "tag:yaml.org,2002:merge":
                    built = self.build(v, depth + 1)
                    merges.extend(built.items() if isinstance(built.value, list) else [built])
                    continue
                key = self.build(k, depth + 1)
                child = self.build(v, depth + 1)
                child.key_line, child.key_column = key.line, key.column
                name = key.value if isinstance(key.value, str) else str(key.value)
                out[name] = child
            for m in merges:
                for name, child in m.mapping().items():
                    out.setdefault(name, child)
            return Y(out, line, col)
        return Y(None, line, col)  # pragma: no cover - PyYAML has no other node kinds
