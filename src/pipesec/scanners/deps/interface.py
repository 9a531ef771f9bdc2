"""The dependency-source seam (as pip-audit does it): one small protocol, one module per
lockfile format. A source turns the text of one file into a :class:`ParseResult`: the
packages it declares, the edges between them, which ones the project asks for directly,
and the problems it found on the way. Parsers never match vulnerabilities, never build
findings and never touch the filesystem beyond the sibling files handed to them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class LockfileError(Exception):
    """The file cannot be read as the format it claims to be (a precise place, a fix)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(slots=True)
class Package:
    """One package as a lockfile records it.

    ``key`` is unique inside its file (``name@version`` unless the format needs more) and is
    what ``edges`` refer to. ``pinned`` is false for declared ranges, URLs and editables;
    ``spec`` then holds what was declared. ``scope`` is prod, dev or optional; None lets the
    graph decide (reachable from a prod root: prod).
    """

    ecosystem: str
    name: str
    version: str
    line: int = 0
    key: str = ""
    direct: bool | None = None
    scope: str | None = None
    pinned: bool = True
    spec: str = ""
    hashes: tuple[str, ...] = ()
    licenses: tuple[str, ...] = ()
    column: int = 0
    #: false for the project's own local paths (``-e .``): reported, but not a component
    component: bool = True

    def __post_init__(self) -> None:
        if not self.key:
            self.key = f"{self.name}@{self.version}"


@dataclass(slots=True)
class Problem:
    """Something wrong inside an otherwise readable file (the rest of it still counts)."""

    message: str
    line: int = 0
    column: int = 0


@dataclass(slots=True)
class ParseResult:
    packages: list[Package] = field(default_factory=list)
    #: parent key -> child keys
    edges: dict[str, list[str]] = field(default_factory=dict)
    #: keys of direct dependencies with their scope (None when the format has no graph)
    roots: dict[str, str] | None = None
    problems: list[Problem] = field(default_factory=list)
    #: things left out on purpose (become Notes, never fail a scan)
    notes: list[str] = field(default_factory=list)

    def add_edge(self, parent: str, child: str) -> None:
        children = self.edges.setdefault(parent, [])
        if child not in children:
            children.append(child)

    def link_names(self, deps_of: list[tuple[str, list[str]]], key_of: dict[str, str]) -> None:
        """Edges from each (parent key, child names) to the package keys of those names."""
        for key, names in deps_of:
            for n in names:
                child = key_of.get(n)
                if child and child != key:
                    self.add_edge(key, child)


#: reads a sibling file (relative to the lockfile's directory); None when absent or outside
SiblingReader = Callable[[str], str | None]


class DependencySource(Protocol):
    """One lockfile format."""

    #: short name shown in notes and errors, e.g. "poetry.lock"
    name: str

    def matches(self, filename: str) -> bool:
        """True when a file of this name (no directory) is this format."""
        ...

    def parse(self, text: str, sibling: SiblingReader) -> ParseResult:
        """Parse the file; raise LockfileError when the whole file is unusable."""
        ...


@dataclass(slots=True)
class SimpleSource:
    """A DependencySource made from a name, the file names it reads and a parse function."""

    name: str
    filenames: Sequence[str]
    parser: Callable[[str, SiblingReader], ParseResult]

    def matches(self, filename: str) -> bool:
        return filename in self.filenames

    def parse(self, text: str, sibling: SiblingReader) -> ParseResult:
        return self.parser(text, sibling)
