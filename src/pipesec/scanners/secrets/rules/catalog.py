"""The built-in rule set, assembled from the provider modules."""

from __future__ import annotations

from pipesec.scanners.secrets.rules import cloud, generic, keys, platform, saas, vcs
from pipesec.scanners.secrets.rules.base import SecretRule

RULES: tuple[SecretRule, ...] = (
    *cloud.RULES,
    *vcs.RULES,
    *saas.RULES,
    *platform.RULES,
    *keys.RULES,
    *generic.RULES,
)
