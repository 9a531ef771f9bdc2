"""pyproject.toml without a lock file: the declared dependencies, each reported unpinned
unless it is an exact pin (a range says nothing about what gets installed)."""

from __future__ import annotations

import re
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from pipesec.scanners.deps._util import LineIndex, as_dict, as_list, load_toml
from pipesec.scanners.deps.ecosystems import PYPI, normalize_name
from pipesec.scanners.deps.interface import Package, ParseResult, Problem, SiblingReader

#: lock files that, next to a pyproject.toml, make it a manifest rather than the source
LOCKS = ("poetry.lock", "uv.lock", "pdm.lock", "pylock.toml", "Pipfile.lock")


def _pin(spec: str) -> str:
    specs = spec.strip()
    m = re.fullmatch(r"={2,3}\s*([A-Za-z0-9_.!+-]+)", specs)
    return m.group(1) if m and "*" not in specs else ""


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_toml(text)
    idx = LineIndex(text)
    result = ParseResult()
    seen: set[tuple[str, str]] = set()

    def add(name: str, spec: str, scope: str, version: str, needle: str) -> None:
        norm = normalize_name(PYPI, name)
        if norm == "python" or (norm, scope) in seen:
            return
        seen.add((norm, scope))
        line = idx.find_line(needle)
        pkg = Package(
            PYPI,
            norm,
            version,
            line,
            key=f"{norm}@{version}" if version else f"spec:{norm}:{scope}",
            direct=True,
            scope=scope,
            pinned=bool(version),
            spec=spec,
        )
        result.packages.append(pkg)

    def add_pep508(spec: Any, scope: str) -> None:
        if not isinstance(spec, str):
            return
        try:
            req = Requirement(spec)
        except InvalidRequirement as exc:
            why = str(exc).splitlines()[0] if str(exc) else "unreadable"
            result.problems.append(Problem(f"not a valid requirement: {why}", idx.find_line(spec)))
            return
        version = ""
        if not req.url:
            specs = list(req.specifier)
            if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in str(specs[0]):
                version = specs[0].version
        add(req.name, spec, scope, version, spec)

    project = as_dict(doc.get("project"))
    for s in as_list(project.get("dependencies")):
        add_pep508(s, "prod")
    for group in as_dict(project.get("optional-dependencies")).values():
        for s in as_list(group):
            add_pep508(s, "optional")
    for group in as_dict(doc.get("dependency-groups")).values():
        for s in as_list(group):
            add_pep508(s, "dev")
    poetry = as_dict(as_dict(doc.get("tool")).get("poetry"))
    tables: list[tuple[dict[str, Any], str]] = [
        (as_dict(poetry.get("dependencies")), "prod"),
        (as_dict(poetry.get("dev-dependencies")), "dev"),
    ]
    for gname, group in as_dict(poetry.get("group")).items():
        tables.append(
            (as_dict(as_dict(group).get("dependencies")), "prod" if gname == "main" else "dev")
        )
    for table, scope in tables:
        for name, val in table.items():
            if name.lower() == "python":
                continue
            spec = val if isinstance(val, str) else str(as_dict(val).get("version", ""))
            if isinstance(val, dict) and ("git" in val or "path" in val or "url" in val):
                spec = str(val.get("git") or val.get("path") or val.get("url"))
            version = _pin(spec) or (spec if re.fullmatch(r"\d+(\.\d+)*", spec) else "")
            add(name, f"{name} {spec}".strip(), scope, version, f"{name} =")
    return result
