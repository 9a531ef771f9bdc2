"""Pipfile.lock (pipenv): ``default`` and ``develop`` sections with versions and hashes.

The lock records no graph; the Pipfile next to it says which packages are direct.
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
    load_toml,
)
from pipesec.scanners.deps.ecosystems import PYPI, normalize_name
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_json(text)
    if not isinstance(doc, dict) or not ("default" in doc or "develop" in doc or "_meta" in doc):
        raise LockfileError("not a Pipfile.lock: expected _meta, default and develop objects", 1)
    idx = LineIndex(text)
    direct: dict[str, str] | None = None
    pipfile = sibling("Pipfile")
    if pipfile is not None:
        try:
            pf = load_toml(pipfile)
            direct = {normalize_name(PYPI, n): "prod" for n in as_dict(pf.get("packages"))}
            for n in as_dict(pf.get("dev-packages")):
                direct.setdefault(normalize_name(PYPI, n), "dev")
        except LockfileError:
            direct = None
    result = ParseResult()
    seen: dict[str, Package] = {}
    for section, scope in (("default", "prod"), ("develop", "dev")):
        sec_line, sec_pos = idx.find(jstr(section) + ":")
        for name, raw in as_dict(doc.get(section)).items():
            entry = as_dict(raw)
            line, found = idx.find(jstr(name) + ":", sec_pos)
            if line:
                sec_pos = found
            line = line or sec_line
            spec = as_str(entry.get("version"))
            norm = normalize_name(PYPI, name)
            version = spec[2:] if spec.startswith("==") and "*" not in spec else ""
            if not version:
                what = spec or as_str(entry.get("git")) or as_str(entry.get("path")) or "no version"
                pkg = Package(
                    PYPI, norm, "", line, key=f"spec:{norm}", pinned=False, spec=what, scope=scope
                )
            else:
                hashes = tuple(
                    sorted({h.lower() for h in as_list(entry.get("hashes")) if isinstance(h, str)})
                )
                pkg = Package(PYPI, norm, version, line, hashes=hashes, scope=scope)
            if pkg.key in seen:
                continue  # in both sections: prod (first) wins
            seen[pkg.key] = pkg
            if direct is not None:
                pkg.direct = norm in direct
            result.packages.append(pkg)
    if not result.packages and "default" not in doc:
        result.problems.append(Problem("no default section; nothing locked", 1))
    return result


SOURCE = SimpleSource("Pipfile.lock", ("Pipfile.lock",), parse)
