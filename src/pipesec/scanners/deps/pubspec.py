"""pubspec.lock (Dart/Flutter): hosted, git and path packages; ``direct main``,
``direct dev`` and ``transitive`` say what is direct and in which scope."""

from __future__ import annotations

from pipesec.scanners.deps._util import LDict, LockfileError, as_dict, as_str, load_yaml
from pipesec.scanners.deps.ecosystems import PUB
from pipesec.scanners.deps.interface import Package, ParseResult, SiblingReader, SimpleSource


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_yaml(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("packages", {}), dict):
        raise LockfileError("not a pubspec.lock: expected a packages mapping", 1)
    packages = as_dict(doc.get("packages"))
    lines = packages.lines if isinstance(packages, LDict) else {}
    result = ParseResult()
    for name, raw in packages.items():
        entry = as_dict(raw)
        source = as_str(entry.get("source"))
        if source in ("sdk", "path"):
            continue
        kind = as_str(entry.get("dependency"))
        version = str(entry.get("version") or "")
        pkg = Package(
            PUB,
            name.lower(),
            version,
            lines.get(name, 0),
            direct=kind.startswith("direct"),
            scope="dev" if kind == "direct dev" else None,
        )
        sha = as_str(as_dict(entry.get("description")).get("sha256"))
        if len(sha) == 64:
            pkg.hashes = (f"sha256:{sha.lower()}",)
        if source == "git":
            pkg.spec = "git: " + as_str(as_dict(entry.get("description")).get("url"))
        result.packages.append(pkg)
    return result


SOURCE = SimpleSource("pubspec.lock", ("pubspec.lock",), parse)
