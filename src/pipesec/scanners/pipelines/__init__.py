"""The ``pipelines`` scanner: GitHub Actions workflows, composite actions, dependabot.yml and
GitLab CI pipelines (with local includes, extends, anchors and !reference), plus the
security-gate posture of each pipeline."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pipesec.core.model import Rule
from pipesec.core.scanner import ScanItem, ScannerSettings, too_large
from pipesec.core.workspace import Workspace
from pipesec.scanners.pipelines.files import discover

if TYPE_CHECKING:
    from pydantic import BaseModel

    from pipesec.scanners.pipelines.settings import PipelinesSettings

log = logging.getLogger(__name__)


#: the scan input ``--online`` sets: run the audits that ask GitHub's API (network)
ONLINE_INPUT = "pipelines-online"


class PipelinesScanner:
    name = "pipelines"
    default = True

    @property
    def settings_model(self) -> type[BaseModel]:
        from pipesec.scanners.pipelines.settings import PipelinesSettings

        return PipelinesSettings

    def rules(self) -> Sequence[Rule]:
        from pipesec.scanners.pipelines.analyze import all_rules

        return all_rules()

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        yield from too_large(workspace, "pipelines", lambda f: discover(f.path) is not None)
        if not any(discover(f.path) is not None for f in workspace.files()):
            return  # no pipeline definitions: the analyzers are never imported
        from pipesec.scanners.pipelines.analyze import analyze_workspace

        yield from analyze_workspace(workspace, settings)


def __getattr__(name: str) -> Any:
    """``PipelinesSettings`` (pydantic), imported on first use (start-up)."""
    if name == "PipelinesSettings":
        from pipesec.scanners.pipelines.settings import PipelinesSettings

        return PipelinesSettings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ONLINE_INPUT", "PipelinesScanner", "PipelinesSettings"]
