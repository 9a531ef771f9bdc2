"""The built-in rule set, assembled from the provider modules."""

from __future__ import annotations

from pipesec.scanners.secrets.rules import (
    apis,
    cloud,
    crosswalk,
    files,
    generic,
    keys,
    network,
    platform,
    saas,
    scripts,
    services,
    tail,
    vcs,
)
from pipesec.scanners.secrets.rules.base import SecretRule

RULES: tuple[SecretRule, ...] = (
    *cloud.RULES,
    *vcs.RULES,
    *saas.RULES,
    *platform.RULES,
    *keys.RULES,
    *files.RULES,
    *network.RULES,
    *scripts.RULES,
    *services.RULES,
    *apis.RULES,
    *crosswalk.RULES,
    *tail.RULES,
    *generic.RULES,
)
