"""The ``pipelines`` scanner: GitHub Actions workflows, composite actions, dependabot.yml and
GitLab CI pipelines (with local includes, extends, anchors and !reference), plus the
security-gate posture of each pipeline."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ConfigDict, Field

from pipesec.core.model import Rule
from pipesec.core.scanner import ScanItem, ScannerSettings, too_large
from pipesec.core.workspace import Workspace
from pipesec.scanners.pipelines.files import discover

log = logging.getLogger(__name__)


class PipelinesSettings(BaseModel):
    """Options of ``[scanners.pipelines]``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    trusted_owners: list[str] = Field(
        default_factory=list,
        alias="trusted-owners",
        description="Action owners (e.g. actions, github) whose actions may be pinned by tag"
        " instead of a commit SHA",
    )
    posture: bool = Field(True, description="Report the security-gate posture of each pipeline")
    pedantic: bool = Field(
        False,
        description="Also run the hygiene audits of the peer auditor's auditor persona"
        " (jobs without a name, workflows without concurrency limits, secrets used outside a"
        " deployment environment)",
    )
    db: str | None = Field(
        None,
        description="OSV database for GitHub Actions advisories (default: $PIPESEC_DB, else"
        " the one `pipesec db sync` maintains); the shipped advisories are always used",
    )


#: the scan input ``--online`` sets: run the audits that ask GitHub's API (network)
ONLINE_INPUT = "pipelines-online"


class PipelinesScanner:
    name = "pipelines"
    default = True
    settings_model = PipelinesSettings

    def rules(self) -> Sequence[Rule]:
        from pipesec.scanners.pipelines.analyze import all_rules

        return all_rules()

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        yield from too_large(workspace, "pipelines", lambda f: discover(f.path) is not None)
        if not any(discover(f.path) is not None for f in workspace.files()):
            return  # no pipeline definitions: the analyzers are never imported
        from pipesec.scanners.pipelines.analyze import analyze_workspace

        yield from analyze_workspace(workspace, settings)


__all__ = ["ONLINE_INPUT", "PipelinesScanner", "PipelinesSettings"]
