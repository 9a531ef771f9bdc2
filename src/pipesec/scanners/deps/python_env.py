"""An installed Python environment (``--python-env PATH``) through importlib.metadata.

PATH is a virtualenv, a prefix, or a site-packages directory. Every installed distribution
is a component with its licence (``License-Expression``, ``License`` or the classifiers),
and ``Requires-Dist`` gives the graph; distributions nothing else requires are direct.
"""

from __future__ import annotations

from importlib.metadata import Distribution, distributions
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from pipesec.scanners.deps.ecosystems import PYPI, normalize_name
from pipesec.scanners.deps.interface import LockfileError, Package, ParseResult

_CLASSIFIER_SPDX = {
    "MIT License": "MIT",
    "BSD License": "BSD-3-Clause",
    "Apache Software License": "Apache-2.0",
    "ISC License (ISCL)": "ISC",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
    "GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.0-or-later",
    "GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    "GNU Affero General Public License v3": "AGPL-3.0-only",
    "Python Software Foundation License": "PSF-2.0",
    "The Unlicense (Unlicense)": "Unlicense",
}


def site_packages(path: Path) -> list[Path]:
    """The site-packages directories of a venv/prefix, or path itself."""
    if not path.is_dir():
        raise LockfileError(f"{path}: --python-env must be a virtualenv or site-packages dir")
    if any(path.glob("*.dist-info")) or path.name in ("site-packages", "dist-packages"):
        return [path]
    found = sorted(path.glob("lib/python3*/site-packages")) + sorted(path.glob("Lib/site-packages"))
    found += sorted(path.glob("lib64/python3*/site-packages"))
    if not found:
        raise LockfileError(
            f"{path}: no site-packages found; give the virtualenv (e.g. .venv) or its "
            "site-packages directory"
        )
    return found


def _first(dist: Distribution, key: str) -> str:
    values = dist.metadata.get_all(key) or []
    return str(values[0]) if values else ""


def licenses_of(dist: Distribution) -> tuple[str, ...]:
    meta = dist.metadata
    expr = _first(dist, "License-Expression")
    if expr:
        return (expr.strip(),)
    out = []
    for c in meta.get_all("Classifier") or []:
        if c.startswith("License ::"):
            spdx = _CLASSIFIER_SPDX.get(c.rsplit("::", 1)[-1].strip())
            if spdx:
                out.append(spdx)
    if out:
        return tuple(dict.fromkeys(out))
    lic = _first(dist, "License").strip()
    if lic and "\n" not in lic and len(lic) < 80 and lic.upper() not in ("UNKNOWN", "NONE"):
        return (lic,)
    return ()


def parse_env(path: Path) -> tuple[ParseResult, dict[str, str]]:
    """Parse the environment; also return key -> where the distribution's METADATA lies."""
    result = ParseResult()
    where: dict[str, str] = {}
    by_name: dict[str, str] = {}
    requires: dict[str, list[str]] = {}
    for sp in site_packages(path):
        for dist in distributions(path=[str(sp)]):
            name = _first(dist, "Name")
            version = dist.version
            if not name or not version:
                continue
            norm = normalize_name(PYPI, name)
            pkg = Package(PYPI, norm, version, 0, licenses=licenses_of(dist))
            if pkg.key in where:
                continue
            result.packages.append(pkg)
            rel = getattr(dist, "_path", None)
            where[pkg.key] = str(rel / "METADATA") if isinstance(rel, Path) else str(sp)
            by_name[norm] = pkg.key
            reqs = []
            for r in dist.requires or []:
                try:
                    req = Requirement(r)
                except InvalidRequirement:
                    continue
                if req.marker is not None and "extra" in str(req.marker):
                    continue
                reqs.append(normalize_name(PYPI, req.name))
            requires[pkg.key] = reqs
    for key, reqs in requires.items():
        for r in reqs:
            if r in by_name:
                result.add_edge(key, by_name[r])
    children = {c for cs in result.edges.values() for c in cs}
    result.roots = {p.key: "prod" for p in result.packages if p.key not in children}
    return result, where
