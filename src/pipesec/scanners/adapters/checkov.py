"""``checkov`` adapter (``--scanner checkov``; never a default scanner).

Runs checkov on the scan root without downloads or platform calls and imports its SARIF.
Rule ids become ``sarif/checkov/<CKV_...>``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from pipesec.core.model import Rule
from pipesec.core.scanner import ScanItem, ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.adapters import find_tool, run_sarif_tool, temp_dir

INSTALL_HINT = (
    "install it with `pipx install checkov` (its pins conflict with most projects: keep it in "
    'its own virtualenv), or set [scanners.checkov] path = "/path/to/checkov"'
)
DEFAULT_FRAMEWORKS = ("terraform", "kubernetes", "dockerfile", "cloudformation")


class CheckovSettings(BaseModel):
    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, alias_generator=lambda n: n.replace("_", "-")
    )

    path: str | None = Field(None, description="The checkov executable (default: found on PATH)")
    frameworks: list[str] = Field(
        default_factory=lambda: list(DEFAULT_FRAMEWORKS), description="checkov --framework values"
    )
    skip_checks: list[str] = Field(default_factory=list, description="checkov check ids to skip")
    timeout: int = Field(1800, gt=0, description="Seconds before the run is abandoned")


def build_argv(exe: str, root: Path, out_dir: Path, opts: CheckovSettings) -> list[str]:
    argv = [exe, "--directory", str(root), "--output", "sarif"]
    argv += ["--output-file-path", str(out_dir), "--quiet", "--compact", "--skip-download"]
    argv += ["--download-external-modules", "false", "--skip-results-upload"]
    if opts.frameworks:
        argv += ["--framework", *opts.frameworks]
    if opts.skip_checks:
        argv += ["--skip-check", ",".join(opts.skip_checks)]
    return argv


class CheckovScanner:
    name = "checkov"
    default = False
    settings_model = CheckovSettings

    def rules(self) -> Sequence[Rule]:
        return ()

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        opts = CheckovSettings.model_validate(dict(settings.options))
        exe = find_tool("checkov", opts.path, INSTALL_HINT)
        with temp_dir("checkov") as tmp:
            out = Path(tmp)
            argv = build_argv(exe, workspace.root, out, opts)
            yield from run_sarif_tool(
                "checkov", argv, out / "results_sarif.sarif", workspace.root, timeout=opts.timeout
            )
