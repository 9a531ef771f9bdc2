"""Installed gems: ``specifications/*.gemspec`` (``gem install``, Bundler's deployment
path, the interpreter's ``specifications/default``). The generated spec states
``s.name = "rack".freeze``, ``s.version = "2.2.3"``, ``s.licenses = ["MIT".freeze]``; it is
matched as text, never run. The file name (``rack-2.2.3.gemspec``) is the fallback."""

from __future__ import annotations

import re

from pipesec.scanners.containers.installed._common import MB, package, texts
from pipesec.scanners.containers.interface import FileSource, InstalledPackage
from pipesec.scanners.deps.ecosystems import RUBYGEMS

LIMIT = 2 * MB
_NAME = re.compile(r"""^\s*\w+\.name\s*=\s*["']([^"'\n]+)["']""", re.M)
_VERSION = re.compile(r"""^\s*\w+\.version\s*=\s*["']([^"'\n]+)["']""", re.M)
_LICENSES = re.compile(r"""^\s*\w+\.licenses?\s*=\s*\[?([^\n\]]*)""", re.M)
_FILE = re.compile(r"^(.+?)-(\d[\w.]*)(?:-[\w-]+)?\.gemspec$")


def wants(path: str) -> bool:
    return path.endswith(".gemspec") and "/specifications/" in path


def catalog(fs: FileSource, paths: list[str]) -> tuple[list[InstalledPackage], list[str]]:
    pkgs: list[InstalledPackage] = []
    problems: list[str] = []
    for path, body in texts(fs, paths, LIMIT, problems):
        name_m, ver_m = _NAME.search(body), _VERSION.search(body)
        file_m = _FILE.match(path.rsplit("/", 1)[-1])
        name = name_m.group(1) if name_m else (file_m.group(1) if file_m else "")
        version = ver_m.group(1) if ver_m else (file_m.group(2) if file_m else "")
        if not name or not version:
            problems.append(f"{path}: no gem name or version found")
            continue
        lic_m = _LICENSES.search(body)
        licenses = tuple(re.findall(r"""["']([^"'\n]+)["']""", lic_m.group(1))) if lic_m else ()
        pkgs.append(package(RUBYGEMS, name, version, path, licenses))
    return pkgs, problems
