"""``semgrep`` adapter (``--scanner semgrep``; never a default scanner).

Runs ``semgrep scan`` with the rule configuration named in ``[scanners.semgrep] config``
(local files or directories: registry rules need the network and are not bundled) and
imports its SARIF. Rule ids become ``sarif/semgrep-oss/<id>`` (semgrep names itself
"Semgrep OSS" in SARIF; its ids carry the rule file's path as a dotted prefix). Checked
against semgrep 1.182.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from pipesec.core.errors import ConfigError
from pipesec.core.model import Rule
from pipesec.core.scanner import ScanItem, ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.adapters import find_tool, run_sarif_tool, temp_dir

INSTALL_HINT = (
    "install it with `pipx install semgrep` (or `pip install semgrep` in its own virtualenv), "
    'or set [scanners.semgrep] path = "/path/to/semgrep"'
)
#: configurations that are fetched from the semgrep registry
_REGISTRY_PREFIXES = ("p/", "r/", "s/", "auto", "http://", "https://")


class SemgrepSettings(BaseModel):
    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, alias_generator=lambda n: n.replace("_", "-")
    )

    config: list[str] = Field(
        default_factory=list,
        description="Rule files or directories passed to semgrep --config (relative to the root)",
    )
    path: str | None = Field(None, description="The semgrep executable (default: found on PATH)")
    timeout: int = Field(900, gt=0, description="Seconds before the run is abandoned")


def build_argv(exe: str, configs: Sequence[str], sarif: Path, root: Path) -> list[str]:
    argv = [exe, "scan", "--sarif", "--output", str(sarif), "--metrics=off"]
    argv += ["--disable-version-check", "--quiet", "--timeout", "30", "--jobs", "2"]
    for cfg in configs:
        argv += ["--config", cfg]
    argv.append(str(root))
    return argv


class SemgrepScanner:
    name = "semgrep"
    default = False
    settings_model = SemgrepSettings

    def rules(self) -> Sequence[Rule]:
        return ()

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        opts = SemgrepSettings.model_validate(dict(settings.options))
        configs = list(opts.config)
        if not configs:
            raise ConfigError(
                'semgrep needs rules: set config = ["semgrep-rules/"] (local rule files); '
                "registry rules need the network and are not bundled",
                key="[scanners.semgrep] config",
            )
        for cfg in configs:
            if cfg.startswith(_REGISTRY_PREFIXES) and not settings.network:
                raise ConfigError(
                    f"{cfg!r} is fetched from the semgrep registry (network); download the rules "
                    "and name the local file instead",
                    key="[scanners.semgrep] config",
                )
        exe = find_tool("semgrep", opts.path, INSTALL_HINT)
        resolved = []
        for cfg in configs:
            p = Path(cfg)
            if not cfg.startswith(_REGISTRY_PREFIXES):
                p = p if p.is_absolute() else workspace.root / p
                if not p.exists():
                    raise ConfigError(
                        f"rule path {cfg!r} does not exist", key="[scanners.semgrep] config"
                    )
                resolved.append(str(p))
            else:
                resolved.append(cfg)
        with temp_dir("semgrep") as tmp:
            sarif = Path(tmp) / "semgrep.sarif"
            argv = build_argv(exe, resolved, sarif, workspace.root)
            yield from run_sarif_tool("semgrep", argv, sarif, workspace.root, timeout=opts.timeout)
