"""YAML with positions: every value remembers its line and column, and the line of the key
that holds it, so findings point at ``privileged: true`` rather than at the document.

Built on PyYAML's composer (the C one when available). An alias shares the value built for
its anchor (linear time) while the size it stands for is counted, so a "billion laughs"
document stops with a clear error instead of eating the machine; merge keys (``<<``) are
applied.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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


def load_all(text: str, builder: Any = None) -> Iterator[Y | None]:
    """Each document of a YAML stream with positions; ``None`` for an empty document.
    ``builder``: a subclass of ``_yamlbuild.Builder`` (CloudFormation's reads its tags).

    Raises :class:`YamlError` (with line and column) on invalid YAML or a YAML bomb.
    """
    import yaml

    from pipesec.core.nesting import TooDeep, check_yaml
    from pipesec.scanners.iac._yamlbuild import Builder, Loader

    try:
        check_yaml(text)
    except TooDeep as exc:
        raise YamlError(f"invalid YAML: {exc.message}", exc.line) from None
    from pipesec.core.yamlanchors import RedefiningLoader, may_redefine_anchors

    try:
        loader = RedefiningLoader(text) if may_redefine_anchors(text) else Loader(text)
    except yaml.reader.ReaderError as exc:  # the pure-Python reader checks characters at once
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise YamlError(f"invalid YAML: {exc.reason} (#x{exc.character:04x})", line) from None
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                yield None
                continue
            yield (builder or Builder)().build(node)
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
