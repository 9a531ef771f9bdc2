"""stack.yaml.lock (Haskell Stack): the extra-deps as Stack resolved them
(``hackage: acme-missiles-0.3@sha256:<hash>,<size>``, or a git/URL location with a name and
version). The snapshot's own packages (``lts-22.7``) are not listed in the lock file: a note
says they were not checked.
"""

from __future__ import annotations

import re

from pipesec.scanners.deps._util import LDict, LockfileError, as_dict, as_list, as_str, load_yaml
from pipesec.scanners.deps.ecosystems import HACKAGE
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)

_HACKAGE = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9-]*?)-(\d+(?:\.\d+)*)(?=@|,|$)(?:@sha256:([0-9a-f]{64}))?"
)


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_yaml(text)
    if not isinstance(doc, dict):
        raise LockfileError("not a stack.yaml.lock: the top level must be a mapping", 1)
    result = ParseResult()
    seen: set[str] = set()
    for raw in as_list(doc.get("packages")):
        entry = as_dict(raw)
        done = as_dict(entry.get("completed"))
        line = done.line if isinstance(done, LDict) else 0
        hackage = as_str(done.get("hackage"))
        if hackage:
            m = _HACKAGE.match(hackage)
            if not m:
                result.problems.append(Problem(f"unreadable hackage entry {hackage[:80]!r}", line))
                continue
            pkg = Package(HACKAGE, m.group(1), m.group(2), line)
            if m.group(3):
                pkg.hashes = (f"sha256:{m.group(3)}",)
        elif done.get("name") and done.get("version"):
            name, version = str(done.get("name")), str(done.get("version"))
            where = as_str(done.get("git")) or as_str(done.get("url")) or as_str(done.get("hg"))
            commit = as_str(done.get("commit"))
            pkg = Package(HACKAGE, name, version, line, spec=f"{where}#{commit}".strip("#"))
        else:
            result.problems.append(Problem("extra-dep without a hackage entry or name", line))
            continue
        if pkg.key not in seen:
            seen.add(pkg.key)
            result.packages.append(pkg)
    snaps = [
        as_str(as_dict(s).get("original")) or as_str(as_dict(as_dict(s).get("original")).get("url"))
        for s in as_list(doc.get("snapshots"))
    ]
    if any(snaps):
        result.notes.append(
            f"packages of the snapshot {', '.join(s for s in snaps if s)} are not listed in "
            "stack.yaml.lock; only its extra-deps were checked"
        )
    return result


SOURCE = SimpleSource("stack.yaml.lock", ("stack.yaml.lock",), parse)
