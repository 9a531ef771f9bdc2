"""Installed npm packages: ``node_modules/<name>/package.json`` and
``node_modules/@scope/<name>/package.json`` (nested node_modules included). Other
package.json files inside a package (``lib/package.json``, test fixtures) are not packages."""

from __future__ import annotations

import re

from pipesec.scanners.containers.installed._common import MB, load_json, package, texts
from pipesec.scanners.containers.interface import FileSource, InstalledPackage
from pipesec.scanners.deps.ecosystems import NPM

LIMIT = 2 * MB
_PATH = re.compile(r"/node_modules/(@[^/]+/[^/]+|[^@/][^/]*)/package\.json$")


def wants(path: str) -> bool:
    return path.endswith("/package.json") and bool(_PATH.search(path))


def _licenses(doc: dict[str, object]) -> tuple[str, ...]:
    lic = doc.get("license")
    if isinstance(lic, str):
        return (lic,)
    if isinstance(lic, dict) and isinstance(lic.get("type"), str):
        return (str(lic["type"]),)
    many = doc.get("licenses")
    if isinstance(many, list):
        return tuple(
            str(x["type"]) for x in many if isinstance(x, dict) and isinstance(x.get("type"), str)
        )
    return ()


def catalog(fs: FileSource, paths: list[str]) -> tuple[list[InstalledPackage], list[str]]:
    pkgs: list[InstalledPackage] = []
    problems: list[str] = []
    for path, body in texts(fs, paths, LIMIT, problems):
        doc = load_json(path, body, problems)
        if doc is None:
            continue
        if not isinstance(doc, dict):
            continue
        name, version = doc.get("name"), doc.get("version")
        if not isinstance(name, str) or not isinstance(version, str) or not name or not version:
            continue  # a package.json without both is not an installed package's
        pkgs.append(package(NPM, name, version, path, _licenses(doc)))
    return pkgs, problems
