"""composer.lock: ``packages`` and ``packages-dev`` with ``require`` graph and licences.

Direct dependencies come from composer.json next to the lock when present.
"""

from __future__ import annotations

from pipesec.scanners.deps._util import (
    LineIndex,
    LockfileError,
    as_dict,
    as_list,
    as_str,
    jstr,
    load_json,
    sibling_json,
)
from pipesec.scanners.deps.ecosystems import PACKAGIST, normalize_name
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)


def _platform(name: str) -> bool:
    return "/" not in name  # php, ext-*, lib-*, composer-plugin-api


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_json(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("packages", []), list):
        raise LockfileError("not a composer.lock: expected a packages array", 1)
    idx = LineIndex(text)
    result = ParseResult()
    by_name: dict[str, str] = {}
    reqs: list[tuple[str, list[str]]] = []
    for section, scope in (("packages", "prod"), ("packages-dev", "dev")):
        _, pos = idx.find(jstr(section) + ":")
        for raw in as_list(doc.get(section)):
            entry = as_dict(raw)
            name = normalize_name(PACKAGIST, as_str(entry.get("name")))
            version = as_str(entry.get("version"))
            line, pos = idx.find('"name": ' + jstr(as_str(entry.get("name"))), pos)
            if not name:
                result.problems.append(Problem("package without a name; skipped", line))
                continue
            if version.startswith("dev-") or not version:
                pkg = Package(PACKAGIST, name, "", line, key=f"{name}@{version}", scope=scope)
                pkg.pinned = bool(as_str(as_dict(entry.get("source")).get("reference")))
                pkg.spec = version or "no version"
            else:
                pkg = Package(PACKAGIST, name, version.removeprefix("v"), line, scope=scope)
            lic = [x for x in as_list(entry.get("license")) if isinstance(x, str)]
            if lic:
                pkg.licenses = (" OR ".join(lic) if len(lic) > 1 else lic[0],)
            shasum = as_str(as_dict(entry.get("dist")).get("shasum"))
            if len(shasum) == 40:
                pkg.hashes = (f"sha1:{shasum.lower()}",)
            by_name[name] = pkg.key
            result.packages.append(pkg)
            reqs.append((pkg.key, [n for n in as_dict(entry.get("require")) if not _platform(n)]))
    for key, names in reqs:
        for n in names:
            child = by_name.get(normalize_name(PACKAGIST, n))
            if child:
                result.add_edge(key, child)
    manifest = sibling_json(sibling, "composer.json")
    if manifest is not None:
        roots: dict[str, str] = {}
        for fld, scope in (("require", "prod"), ("require-dev", "dev")):
            for n in as_dict(manifest.get(fld)):
                child = by_name.get(normalize_name(PACKAGIST, n))
                if child:
                    roots.setdefault(child, scope)
        result.roots = roots
    return result


SOURCE = SimpleSource("composer.lock", ("composer.lock",), parse)
