"""YAML with positions: every value remembers its line and column, and the line of the key
that holds it, so findings point at ``privileged: true`` rather than at the document.

Built on PyYAML's composer (the C one when available). Aliases are expanded against a
node budget, so a "billion laughs" document stops with a clear error instead of eating
the machine; merge keys (``<<``) are applied.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: distinct nodes built per document at most
NODE_BUDGET = 2_000_000
#: nodes a document may stand for once its aliases are expanded (a "billion laughs" stops here);
#: aliased values are shared, never copied, so checking this costs nothing
EXPANDED_BUDGET = 5_000_000
MAX_DEPTH = 200


class YamlError(Exception):
    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(slots=True)
class Y:
    """A YAML value with its position. ``value`` is a dict of str -> Y, a list of Y or a scalar."""

    value: Any
    line: int
    column: int
    key_line: int = 0
    key_column: int = 0

    @property
    def at(self) -> tuple[int, int]:
        """Where a finding about this value points: its key when it has one."""
        if self.key_line:
            return self.key_line, self.key_column
        return self.line, self.column

    def get(self, *path: str | int) -> Y | None:
        cur: Y | None = self
        for part in path:
            if cur is None:
                return None
            if isinstance(part, int):
                cur = (
                    cur.value[part]
                    if isinstance(cur.value, list) and -len(cur.value) <= part < len(cur.value)
                    else None
                )
            else:
                cur = cur.value.get(part) if isinstance(cur.value, dict) else None
        return cur

    def scalar(self, *path: str | int) -> Any:
        node = self.get(*path) if path else self
        if node is None or isinstance(node.value, dict | list):
            return None
        return node.value

    def items(self) -> list[Y]:
        return self.value if isinstance(self.value, list) else []

    def mapping(self) -> dict[str, Y]:
        return self.value if isinstance(self.value, dict) else {}

    def plain(self) -> Any:
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


class _Builder:
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


def load_all(text: str) -> Iterator[Y | None]:
    """Each document of a YAML stream with positions; ``None`` for an empty document.

    Raises :class:`YamlError` (with line and column) on invalid YAML or a YAML bomb.
    """
    loader = _Loader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                yield None
                continue
            yield _Builder().build(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(
            f"invalid YAML: {problem}",
            mark.line + 1 if mark else 0,
            mark.column + 1 if mark else 0,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlError("invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()
