"""Language packages installed in an image (issue 17): Python dist-info/egg-info, npm
``node_modules``, Go binaries (build info), Rust binaries (cargo-auditable), Java archives
(pom.properties, manifests, nested archives), .NET ``*.deps.json``, Ruby gemspecs and PHP's
``vendor/composer/installed.json``.

``catalog_installed(fs)`` walks the file list once, hands each cataloguer its files and
returns every package with the file it came from, plus one-line problems about inputs that
could not be read. It never raises: hostile files are problems, not errors.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from types import ModuleType

from pipesec.scanners.containers.interface import FileSource, InstalledPackage

log = logging.getLogger(__name__)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def _cataloguers() -> list[ModuleType]:
    from pipesec.scanners.containers.installed import (
        binaries,
        dotnet,
        java,
        node,
        php,
        python,
        ruby,
    )

    # binaries last: a file another cataloguer claims is not also read as a program
    return [python, node, java, dotnet, ruby, php, binaries]


def catalog_installed(fs: FileSource) -> tuple[list[InstalledPackage], list[str]]:
    mods = _cataloguers()
    wanted: list[list[str]] = [[] for _ in mods]
    tests: list[Callable[[str], bool]] = [m.wants for m in mods]
    problems: list[str] = []
    try:
        for path in fs.paths():
            for i, wants in enumerate(tests):
                if wants(path):
                    wanted[i].append(path)
                    break
    except OSError as exc:
        problems.append(f"cannot list the image's files: {exc.strerror or exc}")
    pkgs: list[InstalledPackage] = []
    for mod, paths in zip(mods, wanted, strict=True):
        if not paths:
            continue
        try:
            found, probs = mod.catalog(fs, paths)
        except Exception as exc:
            log.exception("installed-package cataloguer %s failed", mod.__name__)
            name = mod.__name__.rsplit(".", 1)[-1]
            problems.append(
                f"{name} cataloguer failed ({type(exc).__name__}); its packages are missing"
            )
            continue
        pkgs.extend(found)
        problems.extend(probs)
    seen: set[tuple[str, str, str, str]] = set()
    unique = []
    for p in pkgs:
        key = (p.ecosystem, p.name, p.version, p.path)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique, [_one_line(p) for p in problems]


def _one_line(text: str) -> str:
    """A problem line: control characters (a file name may hold a newline) escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)[:500]
