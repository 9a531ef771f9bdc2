"""Nesting budgets for parsers that recurse in C.

libyaml's composer (PyYAML's ``CSafeLoader``) recurses once per nesting level in C: a file
of 100,000 ``[`` kills the process with a segmentation fault, which no ``except`` catches.
:func:`check_yaml` measures the nesting first with libyaml's event parser (a state machine,
no recursion) and raises :class:`TooDeep` over the budget. A cheap count of the characters
that can open a level (``[ { - : ?``) skips the measurement for ordinary files.
"""

from __future__ import annotations

#: deeper YAML is refused: real files stay far below, libyaml crashes far above (~50,000)
MAX_YAML_DEPTH = 1000


class TooDeep(Exception):
    def __init__(self, limit: int, line: int) -> None:
        super().__init__(f"nested more than {limit} levels deep")
        self.message = f"nested more than {limit} levels deep; not parsed"
        self.line = line


def _opening_indicators(text: str) -> int:
    return sum(text.count(c) for c in "[{-:?")


def check_yaml(text: str, limit: int = MAX_YAML_DEPTH) -> None:
    """Raise :class:`TooDeep` when a YAML stream nests collections deeper than ``limit``.

    Syntax errors are left to the real parse (which reports them with their position)."""
    if _opening_indicators(text) <= limit:
        return  # every level needs one of these characters
    import yaml

    try:
        from yaml import CSafeLoader as Loader
    except ImportError:  # pragma: no cover - the pure-Python loader raises RecursionError
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limit:
                    mark = event.start_mark
                    raise TooDeep(limit, mark.line + 1 if mark is not None else 0)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return
