"""GitHub Actions: run every rule family over one workflow, composite action or
dependabot.yml."""

from __future__ import annotations

from pipesec.core.model import Rule
from pipesec.core.yamlpos import Document
from pipesec.scanners.pipelines import (
    dependabot,
    gha_checkout,
    gha_hygiene,
    gha_injection,
    gha_permissions,
    gha_secrets,
    gha_supplychain,
    gha_triggers,
    gha_usage,
    shell,
)
from pipesec.scanners.pipelines.common import Ctx
from pipesec.scanners.pipelines.gha_model import Workflow, build

FAMILIES = (
    gha_injection,
    gha_checkout,
    gha_permissions,
    gha_supplychain,
    gha_triggers,
    gha_secrets,
    gha_hygiene,
    gha_usage,
)

RULES: tuple[Rule, ...] = (
    *(r for m in FAMILIES for r in m.RULES),
    *shell.GHA_RULES.values(),
    *dependabot.RULES,
)


def _scripts(wf: Workflow) -> list[shell.Script]:
    out = []
    wf_secret = wf.env is not None and "secrets." in wf.env.source()
    for job in wf.jobs:
        job_secret = wf_secret or (job.env is not None and "secrets." in job.env.source())
        for step in job.steps:
            n = step.run_node
            if n is None or not n.is_scalar:
                continue
            uses_secrets = job_secret or "secrets." in step.node.source()
            out.append(shell.Script(n, n.text() or "", uses_secrets, job.id))
    return out


def check_workflow(doc: Document, kind: str, ctx: Ctx) -> Workflow:
    """Raises gha_model.ShapeError when the document is not a workflow/action mapping."""
    wf = build(doc, kind)
    wf.local_actions = ctx.local_actions
    for family in FAMILIES:
        family.check(wf, ctx)
    shell.check(ctx, shell.GHA_RULES, _scripts(wf))
    return wf


def check_dependabot(doc: Document, ctx: Ctx) -> None:
    dependabot.check(doc, ctx)
