"""Calls the secrets scanner's engine on pipeline files, when that engine is installed.

The pipelines scanner does not depend on it: if the engine cannot be imported or built,
:func:`finder` returns None and the credential rules that need it are not offered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)

#: (start offset, end offset, provider/rule description) of each secret in a text
Finder = Callable[[str, str], list[tuple[int, int, str]]]


@lru_cache(maxsize=1)
def available() -> bool:
    """Can the secrets engine be used (without building it)?"""
    import importlib.util

    try:
        return (
            importlib.util.find_spec("pipesec.scanners.secrets.engine") is not None
            and importlib.util.find_spec("pipesec.scanners.secrets.rules") is not None
        )
    except (ImportError, ValueError):
        return False


@lru_cache(maxsize=2)
def finder(many: bool = False) -> Finder | None:
    """``many``: the scan has many pipeline files, worth the one-off Hyperscan database
    build (cached in the user cache dir); small scans use the plain-regex engine."""
    try:
        from pipesec.scanners.secrets import engine_for

        # the secrets scanner's shared engine of the built-in rules: built once per process
        # for this scanner, that one and the report scrubber
        engine: Any = engine_for(use_hyperscan=None if many else False)
    except Exception:  # the secrets scanner is optional here
        log.debug("secrets engine unavailable for pipeline files", exc_info=True)
        return None

    def find(text: str, path: str) -> list[tuple[int, int, str]]:
        out = []
        for m in engine.scan_text(text, path=path):
            out.append((m.start, m.end, f"{m.rule.provider} ({m.rule.id})"))
        return out

    return find
