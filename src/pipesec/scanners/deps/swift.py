"""Package.resolved (SwiftPM, versions 1, 2 and 3): pinned packages by repository URL."""

from __future__ import annotations

from pipesec.scanners.deps._util import (
    LineIndex,
    LockfileError,
    as_dict,
    as_list,
    as_str,
    jstr,
    load_json,
)
from pipesec.scanners.deps.ecosystems import SWIFT, normalize_swift_url
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_json(text)
    if not isinstance(doc, dict):
        raise LockfileError("not a Package.resolved: the top level must be an object", 1)
    version = doc.get("version")
    if version == 1:
        pins = as_list(as_dict(doc.get("object")).get("pins"))
    elif version in (2, 3):
        pins = as_list(doc.get("pins"))
    else:
        raise LockfileError(f"unsupported Package.resolved version {version!r}; expected 1-3", 1)
    idx = LineIndex(text)
    result = ParseResult()
    pos = 0
    for raw in pins:
        pin = as_dict(raw)
        url = as_str(pin.get("repositoryURL")) or as_str(pin.get("location"))
        line, pos = idx.find(jstr(url), pos) if url else (0, pos)
        state = as_dict(pin.get("state"))
        ver = as_str(state.get("version"))
        if not url:
            result.problems.append(Problem("pin without a repository URL; skipped", line))
            continue
        name = normalize_swift_url(url)
        pkg = Package(SWIFT, name, ver, line)
        if not ver:
            pkg.pinned = bool(as_str(state.get("revision")))
            pkg.spec = "revision " + as_str(state.get("revision"))[:12]
            pkg.key = f"rev:{name}"
        result.packages.append(pkg)
    return result


SOURCE = SimpleSource("Package.resolved", ("Package.resolved",), parse)
