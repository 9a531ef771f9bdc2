"""The options of ``[scanners.pipelines]``: a pydantic model, imported when options are
validated (start-up: a scan without configuration never imports pydantic for it)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


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
