"""Shared helpers of the lockfile parsers: decoding JSON/TOML/YAML into LockfileErrors that
name the place, finding the line a key sits on, and normalising names per ecosystem.
"""

from __future__ import annotations

import json
import re
import tomllib
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

import yaml

from pipesec.scanners.deps.interface import LockfileError as LockfileError
from pipesec.scanners.deps.interface import SiblingReader

_EOL = re.compile(r"\r\n|\r|\n")
_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise LockfileError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise LockfileError("invalid JSON: nested too deeply") from None


def sibling_json(sibling: SiblingReader, name: str) -> dict[str, Any] | None:
    """The object in the manifest ``name`` beside the lock file: None when there is none,
    empty when it is not a JSON object (the lock file is read without it)."""
    text = sibling(name)
    if text is None:
        return None
    try:
        return as_dict(load_json(text))
    except LockfileError:
        return {}


def load_toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_AT.search(msg)
        line, col = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        raise LockfileError(f"invalid TOML: {_TOML_AT.sub('', msg).strip()}", line, col) from None
    except RecursionError:
        raise LockfileError("invalid TOML: nested too deeply") from None


class LDict(dict[str, Any]):
    """A mapping from YAML that remembers the line of each key (``lines[key]``, 1-based)."""

    __slots__ = ("line", "lines")

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, int] = {}
        self.line = 0


def load_yaml(text: str) -> Any:
    """Safe YAML with key lines kept (mappings become :class:`LDict`)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = LineIndex(text).line_of(mark.index) if mark else 0
        col = mark.column + 1 if mark else 0
        raise LockfileError(f"invalid YAML: {exc.problem or exc.context}", line, col) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise LockfileError(f"invalid YAML: {exc}") from None
    if node is None:
        return None
    # PyYAML also breaks lines at U+0085, U+2028 and U+2029: lines come from offsets
    return _construct(node, 0, {}, LineIndex(text).line_of)


def _plain(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    v = node.value
    if tag.endswith(":int"):
        try:
            return int(v.replace("_", ""), 0)
        except ValueError:
            return v
    if tag.endswith(":float"):
        try:
            return float(v)
        except ValueError:
            return v
    if tag.endswith(":bool"):
        return v.lower() in ("true", "yes", "on")
    if tag.endswith(":null"):
        return None
    return v


def _construct(
    node: yaml.Node, depth: int, memo: dict[int, Any], line_of: Callable[[int], int]
) -> Any:
    """Plain Python data from a node graph. Aliases share one object (``memo``), so an alias
    bomb ("billion laughs") costs its node count, not its expansion, and cycles end."""
    seen = memo.get(id(node))
    if seen is not None:
        return seen
    if depth > 200:
        raise LockfileError("invalid YAML: nested too deeply", line_of(node.start_mark.index))
    if isinstance(node, yaml.MappingNode):
        out = LDict()
        out.line = line_of(node.start_mark.index)
        memo[id(node)] = out
        for k, v in node.value:
            key = _construct(k, depth + 1, memo, line_of)
            skey = key if isinstance(key, str) else str(key)
            out[skey] = _construct(v, depth + 1, memo, line_of)
            out.lines.setdefault(skey, line_of(k.start_mark.index))
        return out
    if isinstance(node, yaml.SequenceNode):
        items: list[Any] = []
        memo[id(node)] = items
        items.extend(_construct(v, depth + 1, memo, line_of) for v in node.value)
        return items
    if isinstance(node, yaml.ScalarNode):
        return _plain(node)
    return None


class LineIndex:
    """Offsets to 1-based lines, and forward searches for the line of a needle."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _EOL.finditer(text)]

    def line_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def find(self, needle: str, start: int = 0) -> tuple[int, int]:
        """(line, offset) of the first needle at or after start; (0, start) when absent."""
        pos = self.text.find(needle, start)
        if pos < 0:
            return 0, start
        return self.line_of(pos), pos

    def find_line(self, needle: str, start: int = 0) -> int:
        return self.find(needle, start)[0]

    def find_forward(self, needle: str, cursor: list[int]) -> int:
        """Line of needle searching from ``cursor[0]`` (then from the start as a fallback);
        moves the cursor past it. Keys of a JSON object appear in document order, so a
        walk in that order stays linear in the text."""
        line, pos = self.find(needle, cursor[0])
        if not line:
            line, pos = self.find(needle, 0)
        if line:
            cursor[0] = pos + len(needle)
        return line


def jstr(value: str) -> str:
    """A string as it appears in JSON text (for finding its line)."""
    return json.dumps(value)


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    return value if isinstance(value, str) else ""
