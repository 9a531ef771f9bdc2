"""The input document Rego policies see: the whole JSON report plus the scan's context.

Versioned by ``input_version``; ``pipesec policy schema`` prints its JSON schema. Findings,
suppressed findings, components, posture, errors, notes and scanner statistics have the
shape of the JSON report (``pipesec report schema``); ``vulnerabilities`` lists every
vulnerability of a finding (suppressed or not) with its package; ``gate`` holds the gate
settings in force; ``context`` says where and why the scan runs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from pipesec.core.model import (
    Component,
    Finding,
    Note,
    PostureCheck,
    ScanError,
    ScannerStats,
    ScanReport,
    SuppressedFinding,
)

INPUT_VERSION = "1"


class ExceptionSetting(BaseModel):
    rule: str
    path: str
    reason: str
    expires: str | None = Field(None, description="ISO date, or null when it never expires")
    owner: str | None = None


class GateSettings(BaseModel):
    fail_on: str = Field(description="Severity threshold in force (command line beats config)")
    max_findings: int | None = None
    on_error: str = "fail"
    exceptions: list[ExceptionSetting] = Field(default_factory=list)
    policies: list[str] = Field(default_factory=list, description="Policy specs evaluated")
    namespace: str = "main"


class VulnDbInfo(BaseModel):
    path: str | None = None
    age_days: float | None = Field(
        None, description="Age of the newest vulnerability data; null when there is none"
    )


class Context(BaseModel):
    ci_provider: str = Field(
        description="github-actions, gitlab-ci, jenkins, azure-pipelines, circleci, "
        "buildkite, bitbucket, ci (another CI), or local"
    )
    branch: str | None = None
    event: str | None = Field(None, description="push, pull_request, merge_request_event, ...")
    diff_base: str | None = Field(None, description="--diff-base REF, or null")
    changed_files: list[str] | None = Field(
        None, description="Files changed since diff_base (null outside PR mode)"
    )
    mode: str = Field("worktree", description="worktree, diff, staged, history or stdin")
    vulndb: VulnDbInfo = Field(default_factory=VulnDbInfo)


class VulnerabilityEntry(BaseModel):
    id: str
    aliases: list[str]
    severity: str
    cvss_score: float | None
    summary: str
    fixed_versions: list[str]
    fixable: bool
    package: dict[str, Any] | None
    path: str
    rule_id: str
    fingerprint: str
    suppressed: bool


class Artifact(BaseModel):
    """Reserved for the deploy gate's decision input; empty in a scan."""

    name: str
    digest: str | None = None
    signed: bool = False
    signer: str | None = None


class PolicyInput(BaseModel):
    """The ``input`` of pipesec's Rego policies."""

    input_version: Literal["1"] = "1"
    tool: dict[str, str]
    summary: dict[str, Any]
    findings: list[Finding]
    suppressed: list[SuppressedFinding]
    components: list[Component]
    vulnerabilities: list[VulnerabilityEntry]
    posture: list[PostureCheck]
    errors: list[ScanError]
    notes: list[Note]
    warnings: list[str]
    scanners: list[ScannerStats]
    gate: GateSettings
    context: Context
    artifacts: list[Artifact] = Field(default_factory=list)


def ci_provider(env: Mapping[str, str]) -> str:
    if env.get("GITHUB_ACTIONS") == "true":
        return "github-actions"
    for var, name in (
        ("GITLAB_CI", "gitlab-ci"),
        ("JENKINS_URL", "jenkins"),
        ("TF_BUILD", "azure-pipelines"),
        ("CIRCLECI", "circleci"),
        ("BUILDKITE", "buildkite"),
        ("BITBUCKET_BUILD_NUMBER", "bitbucket"),
    ):
        if env.get(var):
            return name
    return "ci" if env.get("CI") else "local"


def context_from_env(
    env: Mapping[str, str] | None = None,
    *,
    diff_base: str | None = None,
    changed_files: Sequence[str] | None = None,
    mode: str = "worktree",
    vulndb: VulnDbInfo | None = None,
) -> Context:
    env = os.environ if env is None else env
    branch = (
        env.get("GITHUB_HEAD_REF")
        or env.get("GITHUB_REF_NAME")
        or env.get("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")
        or env.get("CI_COMMIT_REF_NAME")
        or env.get("BRANCH_NAME")
        or env.get("BUILD_SOURCEBRANCHNAME")
        or env.get("CIRCLE_BRANCH")
        or env.get("BUILDKITE_BRANCH")
        or env.get("BITBUCKET_BRANCH")
        or None
    )
    event = env.get("GITHUB_EVENT_NAME") or env.get("CI_PIPELINE_SOURCE") or None
    return Context(
        ci_provider=ci_provider(env),
        branch=branch,
        event=event,
        diff_base=diff_base,
        changed_files=sorted(changed_files) if changed_files is not None else None,
        mode=mode,
        vulndb=vulndb or VulnDbInfo(),
    )


def _vulnerabilities(report: ScanReport) -> list[VulnerabilityEntry]:
    out = []
    pairs = [(f, False) for f in report.findings] + [(s.finding, True) for s in report.suppressed]
    for f, suppressed in pairs:
        v = f.vulnerability
        if v is None:
            continue
        c = f.component
        package = (
            {"ecosystem": c.ecosystem, "name": c.name, "version": c.version, "purl": c.purl}
            if c
            else None
        )
        out.append(
            VulnerabilityEntry(
                id=v.id,
                aliases=list(v.aliases),
                severity=v.severity.value,
                cvss_score=v.cvss_score,
                summary=v.summary,
                fixed_versions=list(v.fixed_versions),
                fixable=bool(v.fixed_versions),
                package=package,
                path=f.location.path,
                rule_id=f.rule_id,
                fingerprint=f.fingerprint,
                suppressed=suppressed,
            )
        )
    return out


def build(report: ScanReport, gate: GateSettings, context: Context) -> PolicyInput:
    from pipesec.report.json_report import summarize

    # model_construct: the report's objects are ours and already valid (20,000 findings
    # would be validated again for nothing)
    return PolicyInput.model_construct(
        tool={"name": "pipesec", "version": report.tool_version},
        summary=summarize(report).model_dump(),
        findings=report.findings,
        suppressed=report.suppressed,
        components=report.components,
        vulnerabilities=_vulnerabilities(report),
        posture=report.posture,
        errors=report.errors,
        notes=report.notes,
        warnings=report.warnings,
        scanners=report.stats,
        gate=gate,
        context=context,
    )


def from_saved_report(doc: Any, context: Context, gate: GateSettings) -> Any:
    """``policy eval --input FILE``: a saved pipesec JSON report becomes the input document
    (with this run's context); an input document, or any other JSON, is taken as it is."""
    if not isinstance(doc, dict) or "input_version" in doc or "schema_version" not in doc:
        return doc
    from pydantic import ValidationError

    from pipesec.core.errors import UsageError
    from pipesec.report.json_model import JsonReport

    try:
        saved = JsonReport.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"--input: not a pipesec JSON report: {where}: {first['msg']}") from None
    from pipesec.policy.gate import is_policy

    # the saved report holds the results of the policies it was scanned with: they are
    # output, not input (a policy would otherwise judge its own earlier results)
    report = ScanReport(
        root=saved.root,
        findings=[f for f in saved.findings if not is_policy(f)],
        suppressed=[s for s in saved.suppressed if not is_policy(s.finding)],
        errors=saved.errors,
        notes=saved.notes,
        stats=saved.scanners,
        components=saved.components,
        posture=saved.posture,
        warnings=saved.warnings,
        tool_version=saved.tool.version,
    )
    return build(report, gate, context).model_dump(mode="json")


def schema() -> dict[str, Any]:
    return PolicyInput.model_json_schema()
