"""GITHUB_TOKEN permissions: missing, write-all, write scopes nothing uses, undocumented."""

from __future__ import annotations

import re

from pipesec.core.model import Confidence, Severity
from pipesec.core.yamlpos import YNode
from pipesec.scanners.pipelines.common import Ctx, Edit, rule
from pipesec.scanners.pipelines.fix_scopes import permissions_block, required_scopes
from pipesec.scanners.pipelines.gha_model import LOCAL_USES, Job, Workflow

REF = "https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token"

MISSING = rule(
    "gha/missing-permissions",
    "Workflow does not restrict GITHUB_TOKEN permissions",
    Severity.MEDIUM,
    "Without a `permissions:` block the token gets the repository default, which is "
    "read/write on contents, packages, issues, pull requests and more in many "
    "organisations; any compromised step can push code or publish packages.",
    "Add `permissions: contents: read` at the top of the workflow and grant write scopes "
    "per job where needed; `pipesec fix` adds the top-level block.",
    """on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
""",
    """on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
""",
    cwe=("CWE-250",),
    references=(REF,),
)

WRITE_ALL = rule(
    "gha/write-all-permissions",
    "GITHUB_TOKEN granted write-all",
    Severity.HIGH,
    "`write-all` gives every step write access to code, releases, packages, workflows' "
    "pull requests and more; one compromised dependency can push a backdoor.",
    "List only the scopes the job needs, e.g. `permissions: {contents: read}`.",
    """on: push
permissions: write-all
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
""",
    """on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
""",
    cwe=("CWE-250",),
    references=(REF,),
)

READ_ALL = rule(
    "gha/read-all-permissions",
    "GITHUB_TOKEN granted read-all",
    Severity.LOW,
    "`read-all` lets every step read every scope the token has (code, packages, security "
    "events, deployments, ...), including private data the job never needs.",
    "List only the scopes the job needs, e.g. `permissions: {contents: read}`.",
    """on: push
permissions: read-all
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
""",
    """on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
""",
    cwe=("CWE-250",),
    references=(REF,),
)

EXCESSIVE = rule(
    "gha/excessive-permissions",
    "Write permission that no step uses",
    Severity.LOW,
    "A write scope no step needs only widens what a compromised step can do: `id-token: "
    "write` lets any step mint cloud credentials, `packages: write` lets it publish images.",
    "Remove the scope, or move it to the one job that needs it.",
    """on: push
permissions:
  contents: read
  id-token: write
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
""",
    """on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
""",
    cwe=("CWE-250",),
    confidence=Confidence.MEDIUM,
    references=(REF,),
)

UNDOCUMENTED = rule(
    "gha/undocumented-permissions",
    "Write permission without a comment saying why",
    Severity.INFO,
    "A write scope with no reason next to it is hard to review and tends to be copied "
    "into every new workflow.",
    "Add a short comment on the line explaining what needs the scope.",
    """on: push
permissions:
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - run: gh release create "$GITHUB_REF_NAME"
""",
    """on: push
permissions:
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
    permissions:
      contents: write  # gh release create
    steps:
      - run: gh release create "$GITHUB_REF_NAME"
""",
    confidence=Confidence.HIGH,
    references=(REF,),
)

RULES = (MISSING, WRITE_ALL, READ_ALL, EXCESSIVE, UNDOCUMENTED)

OIDC_ACTIONS = (
    "aws-actions/configure-aws-credentials",
    "google-github-actions/auth",
    "azure/login",
    "pypa/gh-action-pypi-publish",
    "sigstore/",
    "actions/attest",
    "hashicorp/vault-action",
    "slsa-framework/",
    "docker/build-push-action",
    "github/codeql-action",
    "aquasecurity/",
    "rust-lang/crates-io-auth-action",
    "octo-sts/action",
)
OIDC_RUN = re.compile(
    r"ACTIONS_ID_TOKEN_REQUEST|cosign\s+(?:sign|attest)|--provenance|gh\s+attestation"
    r"|npm\s+publish|twine\s+upload|uv\s+publish|trusted.publish|oidc",
    re.IGNORECASE,
)
PACKAGE_ACTIONS = (
    "docker/build-push-action",
    "docker/login-action",
    "redhat-actions/push-to-registry",
    "actions/delete-package-versions",
)
PACKAGE_RUN = re.compile(
    r"docker\s+push|ghcr\.io|npm\s+publish|mvn\b.*deploy|gradle\w*\s+.*publish|nuget\s+push"
    r"|buildah\s+push|podman\s+push|crane\s+push|ko\s+(?:build|publish)|goreleaser|skopeo\s+copy|oras\s+push",
)
SARIF_ACTIONS = ("github/codeql-action", "advanced-security/", "ossf/scorecard-action")
PAGES_ACTIONS = ("actions/deploy-pages",)
ATTEST_ACTIONS = ("actions/attest",)


def _uses_any(job: Job, prefixes: tuple[str, ...]) -> bool:
    return any(s.action.startswith(prefixes) for s in job.steps)


def _run_any(job: Job, pat: re.Pattern[str]) -> bool:
    return any(pat.search(s.run or "") for s in job.steps)


#: actions known not to use the token's write scopes or OIDC by themselves
PLAIN_ACTIONS = (
    "actions/checkout",
    "actions/setup-",
    "actions/cache",
    "actions/upload-artifact",
    "actions/download-artifact",
    "step-security/harden-runner",
)


def _opaque(job: Job) -> bool:
    """A job we cannot see into: a reusable workflow, a local action, or a third-party
    action that may use the token or mint an OIDC token internally."""
    if job.uses is not None:
        return True
    for s in job.steps:
        uses = s.uses or ""
        if not uses:
            continue
        if uses.startswith((*LOCAL_USES, "docker://")):
            return True
        if not s.action.startswith(PLAIN_ACTIONS) and not s.action.startswith(
            OIDC_ACTIONS + PACKAGE_ACTIONS + SARIF_ACTIONS + PAGES_ACTIONS + ATTEST_ACTIONS
        ):
            return True
    return False


NEEDS = {
    "id-token": lambda j: _uses_any(j, OIDC_ACTIONS) or _run_any(j, OIDC_RUN),
    "packages": lambda j: _uses_any(j, PACKAGE_ACTIONS) or _run_any(j, PACKAGE_RUN),
    "security-events": lambda j: (
        _uses_any(j, SARIF_ACTIONS) or _run_any(j, re.compile(r"sarif", re.I))
    ),
    "pages": lambda j: _uses_any(j, PAGES_ACTIONS),
    "attestations": lambda j: (
        _uses_any(j, ATTEST_ACTIONS) or _run_any(j, re.compile(r"gh\s+attestation"))
    ),
}


def _write_scopes(perm: YNode) -> list[tuple[str, YNode]]:
    if not perm.is_map:
        return []
    return [(k, v) for k, v in perm.pairs() if (v.text() or "") == "write"]


def _has_comment(ctx: Ctx, node: YNode) -> bool:
    line = ctx.doc.line_text(node.line)
    if "#" in line[node.end_col - 1 :] if node.end_line == node.line else "#" in line:
        return True
    prev = ctx.doc.line_text(node.line - 1).strip()
    return prev.startswith("#")


def check(wf: Workflow, ctx: Ctx) -> None:
    if wf.kind != "workflow" or not wf.jobs:
        return
    top = wf.permissions
    # a reusable workflow's token is the caller's, capped by the caller's permissions
    if top is None and wf.trigger_names != {"workflow_call"}:
        lacking = [j.id for j in wf.jobs if j.permissions is None]
        if lacking:
            jobs_key = wf.root.key("jobs")
            edits: tuple[Edit, ...] = ()
            # the fix grants what the jobs' actions need, and is offered only when known
            needed = required_scopes(j for j in wf.jobs if j.permissions is None)
            if jobs_key is not None and jobs_key.col == 1 and needed is not None:
                at = ctx.doc.offset(jobs_key.line, 1)
                edits = (Edit(at, at, permissions_block(needed)),)
            ctx.hit(
                MISSING,
                jobs_key or wf.root,
                "no top-level `permissions:` and job(s) "
                + ", ".join(lacking[:5])
                + (" ..." if len(lacking) > 5 else "")
                + " set none, so the token gets the repository default",
                identity="missing-permissions",
                edits=edits,
            )
    scopes: list[tuple[YNode, list[Job]]] = []
    if top is not None:
        scopes.append((top, [j for j in wf.jobs if j.permissions is None]))
    for j in wf.jobs:
        if j.permissions is not None:
            scopes.append((j.permissions, [j]))
    for perm, jobs in scopes:
        if perm.is_scalar and (perm.text() or "") == "write-all":
            ctx.hit(
                WRITE_ALL,
                perm,
                "`permissions: write-all` grants every scope",
                identity=("write-all:" + ",".join(j.id for j in jobs)),
            )
            continue
        if perm.is_scalar and (perm.text() or "") == "read-all":
            ctx.hit(
                READ_ALL,
                perm,
                "`permissions: read-all` grants read access to every scope",
                identity=("read-all:" + ",".join(j.id for j in jobs)),
            )
            continue
        for scope, vnode in _write_scopes(perm):
            if perm is top and scope == "id-token" and len(wf.jobs) > 1:
                ctx.hit(
                    EXCESSIVE,
                    perm.keys.get(scope, vnode),
                    "`id-token: write` at workflow level lets every job mint OIDC tokens;"
                    " grant it only to the job that needs it",
                    identity=f"excessive:{scope}:{','.join(j.id for j in jobs)}",
                )
            if not _has_comment(ctx, vnode):
                ctx.hit(
                    UNDOCUMENTED,
                    perm.keys.get(scope, vnode),
                    f"`{scope}: write` has no comment saying what needs it",
                    identity=f"undoc:{scope}:{','.join(j.id for j in jobs)}",
                )
            need = NEEDS.get(scope)
            if need is None or not jobs or any(_opaque(j) for j in jobs):
                continue
            if not any(need(j) for j in jobs):
                ctx.hit(
                    EXCESSIVE,
                    perm.keys.get(scope, vnode),
                    f"`{scope}: write` is granted but no step in "
                    + ", ".join(j.id for j in jobs)
                    + " uses it",
                    identity=f"excessive:{scope}:{','.join(j.id for j in jobs)}",
                )
