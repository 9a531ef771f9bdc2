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
def finder() -> Finder | None:
    try:
        from pipesec.scanners.secrets.engine import SecretEngine
        from pipesec.scanners.secrets.rules import all_rules

        engine: Any = SecretEngine(all_rules(), use_hyperscan=False)
    except Exception:  # the secrets scanner is optional here
        log.debug("secrets engine unavailable for pipeline files", exc_info=True)
        return None

    def find(text: str, path: str) -> list[tuple[int, int, str]]:
        out = []
        for m in engine.scan_text(text, path=path):
            out.append((m.start, m.end, f"{m.rule.provider} ({m.rule.id})"))
        return out

    return find
