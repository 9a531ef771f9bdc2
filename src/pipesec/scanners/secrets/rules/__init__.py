"""Secret rules: one module per provider family; ``all_rules()`` is the built-in set."""

from __future__ import annotations

from functools import lru_cache

from pipesec.scanners.secrets.rules.base import SecretMatch, SecretRule


@lru_cache(maxsize=1)
def all_rules() -> tuple[SecretRule, ...]:
    """Every built-in rule, in a stable order."""
    from pipesec.scanners.secrets.rules.catalog import RULES

    return RULES


__all__ = ["SecretMatch", "SecretRule", "all_rules"]
