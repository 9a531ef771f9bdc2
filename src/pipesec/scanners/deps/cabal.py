"""cabal.project.freeze (Haskell, ``cabal freeze``): the ``constraints:`` field pins every
package of the build plan (``any.aeson ==2.0.3.0``). Flag lines (``aeson -cffi``) carry no
version; ``installed`` constraints are the libraries that ship with GHC (listed, unpinned
by this file: their version is the compiler's).
"""

from __future__ import annotations

import re

from pipesec.core.lines import split_lines
from pipesec.scanners.deps.ecosystems import HACKAGE
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)

_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)\s*:(.*)$")
_PIN = re.compile(r"^(?:any\.|[A-Za-z0-9-]+:)?([A-Za-z][A-Za-z0-9-]*)\s*==\s*([0-9][0-9.]*)$")
_OTHER = re.compile(r"^(?:any\.|[A-Za-z0-9-]+:)?([A-Za-z][A-Za-z0-9-]*)\s+(.*)$")


def _constraint_items(text: str) -> list[tuple[str, int]]:
    """(item, line) of every comma-separated item of the ``constraints`` field(s)."""
    items: list[tuple[str, int]] = []
    in_field = False
    for n, raw in enumerate(split_lines(text), 1):
        line = raw.split("--", 1)[0].rstrip()
        if not line.strip():
            continue
        m = _FIELD.match(line)
        if m and not raw[:1].isspace():
            in_field = m.group(1).lower() == "constraints"
            rest = m.group(2) if in_field else ""
        elif in_field and raw[:1].isspace():
            rest = line
        else:
            in_field = False
            continue
        for part in rest.split(","):
            if part.strip():
                items.append((part.strip(), n))
    return items


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    result = ParseResult()
    seen: set[str] = set()
    for item, line in _constraint_items(text):
        pin = _PIN.match(item)
        if pin:
            pkg = Package(HACKAGE, pin.group(1), pin.group(2), line)
        else:
            other = _OTHER.match(item)
            if other is None:
                result.problems.append(Problem(f"unreadable constraint {item[:80]!r}", line))
                continue
            spec = other.group(2).strip()
            if re.fullmatch(r"([+-][A-Za-z0-9_-]+\s*)+", spec):
                continue  # flag settings
            if spec == "installed":
                continue  # GHC's own libraries: not pinned by this file
            pkg = Package(HACKAGE, other.group(1), "", line, pinned=False, spec=item)
            pkg.key = f"spec:{item}"
        if pkg.key not in seen:
            seen.add(pkg.key)
            result.packages.append(pkg)
    return result


SOURCE = SimpleSource("cabal.project.freeze", ("cabal.project.freeze",), parse)
