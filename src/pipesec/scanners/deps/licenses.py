"""Licence policy: SPDX expressions (``license-expression``) held against allow/deny lists.

An expression passes the deny list when some way of satisfying it uses no denied licence
(``MIT OR GPL-3.0-only`` is fine when GPL is denied; ``MIT AND GPL-3.0-only`` is not), and
passes the allow list when some way of satisfying it uses only allowed licences. List
entries are SPDX ids or globs (``GPL-*``), compared without case. Free text that is not an
SPDX expression (``"MIT License"``) is mapped when it is a well-known name, else kept whole.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_COMMON = {
    "mit license": "MIT",
    "the mit license": "MIT",
    "apache 2.0": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache 2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "bsd": "BSD-3-Clause",
    "new bsd": "BSD-3-Clause",
    "bsd license": "BSD-3-Clause",
    "3-clause bsd": "BSD-3-Clause",
    "isc license": "ISC",
    "mpl 2.0": "MPL-2.0",
    "psf": "PSF-2.0",
    "python software foundation license": "PSF-2.0",
    "lgpl": "LGPL-2.1-or-later",
    "gpl": "GPL-2.0-or-later",
    "gplv3": "GPL-3.0-only",
    "gplv2": "GPL-2.0-only",
    "agplv3": "AGPL-3.0-only",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    expression: str
    denied: bool
    unknown: bool
    #: the licences that made it denied (or not allowed)
    culprits: tuple[str, ...] = ()
    spdx: bool = True


@lru_cache(maxsize=1)
def _licensing() -> Any:
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@lru_cache(maxsize=4096)
def normalise(raw: str) -> tuple[str, bool]:
    """(expression, is valid SPDX) for a licence string from a lockfile or metadata."""
    text = raw.strip()
    if not text:
        return "", False
    mapped = _COMMON.get(text.lower())
    if mapped:
        return mapped, True
    lic = _licensing()
    try:
        info = lic.validate(text)
    except Exception:
        return text, False
    if info.errors or info.invalid_symbols:
        return text, False
    return str(info.normalized_expression or text), True


def _matches(symbol: str, patterns: Sequence[str]) -> bool:
    s = symbol.lower()
    return any(fnmatch.fnmatchcase(s, p.lower()) for p in patterns)


def _satisfiable(expr: Any, ok: Callable[[str], bool]) -> bool:
    lic = _licensing()
    if isinstance(expr, lic.AND):
        return all(_satisfiable(a, ok) for a in expr.args)
    if isinstance(expr, lic.OR):
        return any(_satisfiable(a, ok) for a in expr.args)
    sym = getattr(expr, "license_symbol", expr)
    return ok(str(getattr(sym, "key", sym)))


def _symbols(expr: Any) -> list[str]:
    lic = _licensing()
    if isinstance(expr, (lic.AND, lic.OR)):
        return [s for a in expr.args for s in _symbols(a)]
    sym = getattr(expr, "license_symbol", expr)
    return [str(getattr(sym, "key", sym))]


def evaluate(licenses: Sequence[str], allow: Sequence[str], deny: Sequence[str]) -> Verdict:
    """Hold a component's licences (several entries mean all apply) against the policy."""
    parts = [normalise(x) for x in licenses if x and x.strip()]
    parts = [(e, v) for e, v in parts if e and e.upper() not in ("NOASSERTION", "NONE", "UNKNOWN")]
    if not parts:
        return Verdict("", False, True)
    expression = " AND ".join(f"({e})" if " " in e and len(parts) > 1 else e for e, _ in parts)
    spdx = all(v for _, v in parts)
    if not allow and not deny:
        return Verdict(expression, False, False, spdx=spdx)

    def ok(sym: str) -> bool:
        if deny and _matches(sym, deny):
            return False
        return not allow or _matches(sym, allow)

    if spdx:
        lic = _licensing()
        parsed = lic.parse(expression)
        good = _satisfiable(parsed, ok)
        culprits = tuple(dict.fromkeys(s for s in _symbols(parsed) if not ok(s)))
    else:
        good = all(ok(e) for e, _ in parts)
        culprits = tuple(e for e, _ in parts if not ok(e))
    return Verdict(expression, not good, False, culprits if not good else (), spdx)
