"""What Python lockfile parsers share: the direct dependencies a pyproject.toml declares,
and the lines of ``[[package]]`` tables."""

from __future__ import annotations

import re
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from pipesec.scanners.deps._util import as_dict, as_list
from pipesec.scanners.deps.ecosystems import PYPI, normalize_name


def table_lines(text: str, header: str = "package") -> list[int]:
    """1-based line of each ``[[header]]`` table in order: its ``name =`` line when the
    table has one, else the header's. Linear in the text."""
    heads = list(re.finditer(rf"^[ \t]*\[\[\s*{re.escape(header)}\s*\]\]", text, re.MULTILINE))
    table = re.compile(r"^[ \t]*\[", re.MULTILINE)
    name_key = re.compile(r"^[ \t]*name[ \t]*=", re.MULTILINE)
    out = []
    line, counted = 1, 0
    for i, m in enumerate(heads):
        stop = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        nxt = table.search(text, m.end(), stop)
        body_end = nxt.start() if nxt else stop
        name = name_key.search(text, m.end(), body_end)
        pos = name.start() if name else m.start()
        line += text.count("\n", counted, pos)
        counted = pos
        out.append(line)
    return out


def req_name(spec: str) -> str | None:
    try:
        return normalize_name(PYPI, Requirement(spec).name)
    except InvalidRequirement:
        m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
        return normalize_name(PYPI, m.group(1)) if m else None


def declared(pyproject: dict[str, Any]) -> dict[str, str]:
    """Direct dependencies declared in pyproject.toml: normalised name -> scope.

    Reads PEP 621 ``[project]`` (dependencies, optional-dependencies), PEP 735
    ``[dependency-groups]``, Poetry (``[tool.poetry.*dependencies]``, groups) and PDM dev
    dependencies. A name declared in several places keeps the widest scope (prod wins).
    """
    out: dict[str, str] = {}

    def add(name: str | None, scope: str) -> None:
        if not name or name == "python":
            return
        cur = out.get(name)
        if cur is None or _RANK[scope] < _RANK[cur]:
            out[name] = scope

    project = as_dict(pyproject.get("project"))
    for spec in as_list(project.get("dependencies")):
        if isinstance(spec, str):
            add(req_name(spec), "prod")
    for specs in as_dict(project.get("optional-dependencies")).values():
        for spec in as_list(specs):
            if isinstance(spec, str):
                add(req_name(spec), "optional")
    for specs in as_dict(pyproject.get("dependency-groups")).values():
        for spec in as_list(specs):
            if isinstance(spec, str):
                add(req_name(spec), "dev")
    tool = as_dict(pyproject.get("tool"))
    poetry = as_dict(tool.get("poetry"))
    for name, val in as_dict(poetry.get("dependencies")).items():
        optional = isinstance(val, dict) and val.get("optional") is True
        add(normalize_name(PYPI, name), "optional" if optional else "prod")
    for name in as_dict(poetry.get("dev-dependencies")):
        add(normalize_name(PYPI, name), "dev")
    for gname, group in as_dict(poetry.get("group")).items():
        for name in as_dict(as_dict(group).get("dependencies")):
            add(normalize_name(PYPI, name), "prod" if gname == "main" else "dev")
    pdm = as_dict(tool.get("pdm"))
    for specs in as_dict(pdm.get("dev-dependencies")).values():
        for spec in as_list(specs):
            if isinstance(spec, str) and not spec.startswith("-e"):
                add(req_name(spec), "dev")
    uv = as_dict(tool.get("uv"))
    for spec in as_list(uv.get("dev-dependencies")):
        if isinstance(spec, str):
            add(req_name(spec), "dev")
    return out


_RANK = {"prod": 0, "optional": 1, "dev": 2}
