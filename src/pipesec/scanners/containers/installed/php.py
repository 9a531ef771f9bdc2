"""Installed Composer packages: ``vendor/composer/installed.json`` (Composer 1: a list;
Composer 2: ``{"packages": [...]}``). Versions lose their ``v`` prefix as Packagist's
advisories spell them; ``dev-*`` branches have no version and are left out."""

from __future__ import annotations

from pipesec.scanners.containers.installed._common import MB, load_json, package, texts
from pipesec.scanners.containers.interface import FileSource, InstalledPackage
from pipesec.scanners.deps.ecosystems import PACKAGIST

LIMIT = 64 * MB


def wants(path: str) -> bool:
    return path.endswith("/vendor/composer/installed.json")


def catalog(fs: FileSource, paths: list[str]) -> tuple[list[InstalledPackage], list[str]]:
    pkgs: list[InstalledPackage] = []
    problems: list[str] = []
    for path, body in texts(fs, paths, LIMIT, problems):
        doc = load_json(path, body, problems)
        if doc is None:
            continue
        entries = doc.get("packages") if isinstance(doc, dict) else doc
        if not isinstance(entries, list):
            problems.append(f"{path}: no package list")
            continue
        for e in entries:
            if not isinstance(e, dict):
                continue
            name, version = e.get("name"), e.get("version")
            if not isinstance(name, str) or not isinstance(version, str) or not name:
                continue
            if not version or version.startswith("dev-") or version.endswith("-dev"):
                continue
            lic = e.get("license")
            licenses = tuple(x for x in lic if isinstance(x, str)) if isinstance(lic, list) else ()
            pkgs.append(package(PACKAGIST, name, version.removeprefix("v"), path, licenses))
    return pkgs, problems
