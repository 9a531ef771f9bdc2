"""What the deploy gate and the webhook read from the operator: the ``[deploy]`` table of
``--config``, its trusted keys and its policies (paths relative to the config file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipesec.core.errors import ConfigError

if TYPE_CHECKING:
    from pipesec.core.config import DeployConfig
    from pipesec.policy.rego_sources import Loaded


@dataclass(frozen=True, slots=True)
class GateSettings:
    config: DeployConfig
    source: Path
    keys: tuple[Any, ...]
    policies: Loaded | None
    trusted_root: Path | None = None


def _relative(base: Path, spec: str) -> str:
    if spec.startswith("builtin:") or Path(spec).is_absolute():
        return spec
    return str(base / spec)


def load(config_path: Path) -> GateSettings:
    from pipesec.attest.keys import load_public_key
    from pipesec.core import config as config_mod

    loaded = config_mod.load(config_path.parent, explicit=config_path)
    cfg = loaded.config.deploy
    if cfg is None:
        raise ConfigError("no [deploy] table; see docs/deploy-gate.md", path=str(config_path))
    base = config_path.parent
    trusted_root = base / cfg.trusted_root if cfg.trusted_root else None
    if trusted_root is not None and not trusted_root.is_file():
        raise ConfigError(
            f"{trusted_root}: trusted root not found",
            path=str(config_path),
            key="deploy.trusted-root",
        )
    keys = tuple(load_public_key(base / k) for k in cfg.keys)
    policies = None
    if cfg.policies:
        from pipesec.policy import rego_sources

        policies = rego_sources.load(
            [_relative(base, p) for p in cfg.policies],
            [_relative(base, d) for d in cfg.policy_data],
            rego_sources.OperatorFS(),
        )
    return GateSettings(cfg, config_path, keys, policies, trusted_root)
