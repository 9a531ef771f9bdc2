"""Conditions, runtime switches and deployment hygiene in GitHub Actions."""

from __future__ import annotations

import itertools
import re

from pipesec.core.model import Confidence, Severity
from pipesec.core.yamlpos import YNode
from pipesec.scanners.pipelines import expressions as ex
from pipesec.scanners.pipelines.common import Ctx, rule
from pipesec.scanners.pipelines.gha_model import Job, Workflow

_HDR = "on: push\npermissions: {}\njobs:\n"

UNSECURE_COMMANDS = rule(
    "gha/unsecure-commands",
    "Deprecated workflow commands (set-env, add-path, set-output, save-state)",
    Severity.HIGH,
    "The deprecated `::set-env` and `::add-path` workflow commands (re-enabled by "
    "ACTIONS_ALLOW_UNSECURE_COMMANDS) let anything that prints to the log (a test name, a "
    "file name, an issue title) set environment variables such as LD_PRELOAD for later "
    "steps; `::set-output` and `::save-state` let it forge step outputs the same way.",
    "Remove the variable and write to $GITHUB_ENV / $GITHUB_PATH / $GITHUB_OUTPUT / "
    "$GITHUB_STATE instead.",
    _HDR + "  build:\n    runs-on: ubuntu-latest\n    env:\n"
    "      ACTIONS_ALLOW_UNSECURE_COMMANDS: true\n    steps:\n      - run: make\n",
    _HDR + "  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
    cwe=("CWE-77",),
)

BOT_CONDITION = rule(
    "gha/bot-condition",
    "Spoofable bot check on github.actor",
    Severity.HIGH,
    "`github.actor` is whoever caused the latest event, not who wrote the code: an "
    "attacker can make Dependabot act on their pull request (e.g. by a rebase comment) "
    "and pass an `if: github.actor == 'dependabot[bot]'` auto-merge or secrets gate.",
    "Check the pull request's author instead: "
    "`github.event.pull_request.user.login == 'dependabot[bot]'`, and keep such jobs on "
    "`pull_request` rather than `pull_request_target`.",
    "on: pull_request_target\npermissions:\n  contents: write  # merge\n"
    "  pull-requests: write  # approve\njobs:\n  automerge:\n"
    "    if: github.actor == 'dependabot[bot]'\n    runs-on: ubuntu-latest\n    steps:\n"
    '      - run: gh pr merge --auto --squash "$PR_URL"\n        env:\n'
    "          PR_URL: ${{ github.event.pull_request.html_url }}\n",
    "on: pull_request_target\npermissions:\n  contents: write  # merge\n"
    "  pull-requests: write  # approve\njobs:\n  automerge:\n"
    "    if: github.event.pull_request.user.login == 'dependabot[bot]'\n"
    "    runs-on: ubuntu-latest\n    steps:\n"
    '      - run: gh pr merge --auto --squash "$PR_URL"\n        env:\n'
    "          PR_URL: ${{ github.event.pull_request.html_url }}\n",
    cwe=("CWE-290",),
    references=("https://www.synacktiv.com/publications/github-actions-exploitation-dependabot",),
)

UNSOUND_CONDITION = rule(
    "gha/unsound-condition",
    "if: condition is always true",
    Severity.HIGH,
    "An `if:` whose value is text around a `${{ }}` fence (or a block scalar with a trailing "
    "newline) is a non-empty string, which is always truthy: the guard never stops the job.",
    "Write the whole condition as one expression: `if: ${{ a && b }}` or `if: a && b`, and "
    "use `>-` for multi-line conditions.",
    _HDR + "  deploy:\n    if: ${{ github.ref == 'refs/heads/main' }} && ${{ github.repository"
    " == 'acme/app' }}\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n",
    _HDR + "  deploy:\n    if: github.ref == 'refs/heads/main' && github.repository =="
    " 'acme/app'\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n",
    cwe=("CWE-697",),
)

UNSOUND_CONTAINS = rule(
    "gha/unsound-contains",
    "contains() on a string used as an allow-list",
    Severity.MEDIUM,
    "`contains('refs/heads/main refs/heads/release', github.ref)` is a substring test: "
    "a branch called `refs/heads/mai` or `main` passes too.",
    'Use an array: `contains(fromJSON(\'["refs/heads/main", "refs/heads/release"]\'), '
    "github.ref)`.",
    _HDR + "  deploy:\n    if: contains('refs/heads/main refs/heads/release', github.ref)\n"
    "    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n",
    _HDR + '  deploy:\n    if: contains(fromJSON(\'["refs/heads/main", "refs/heads/release"]\'),'
    " github.ref)\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n",
    cwe=("CWE-697",),
)

ANONYMOUS = rule(
    "gha/anonymous-definition",
    "Workflow or job without a name",
    Severity.INFO,
    "Unnamed workflows and jobs show up by file path or id in the UI and in branch "
    "protection, which makes required checks and audit trails harder to read.",
    "Add `name:` at the top of the workflow and to each job.",
    _HDR + "  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n",
    "name: CI\n" + _HDR + "  test:\n    name: Test\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - run: make test\n",
    confidence=Confidence.HIGH,
)

CONCURRENCY = rule(
    "gha/concurrency-limits",
    "Workflow without concurrency limits (pedantic)",
    Severity.INFO,
    "Without `concurrency:` every push or event starts another full run: a burst of events "
    "(or a spammer on a public repository) queues unlimited runs that burn runner minutes "
    "and delay real builds, and two deploys can run at once.",
    "Add a workflow-level `concurrency:` group (e.g. `${{ github.workflow }}-${{ github.ref }}`"
    " with `cancel-in-progress: true` for CI), or one per job.",
    "name: CI\n" + _HDR + "  test:\n    name: Test\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - run: make test\n",
    "name: CI\non: push\npermissions: {}\nconcurrency:\n"
    "  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: true\njobs:\n"
    "  test:\n    name: Test\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n",
    references=("https://docs.zizmor.sh/audits/#concurrency-limits",),
    tags=("pedantic",),
)

PRIVILEGED_CONTAINER = rule(
    "gha/privileged-container",
    "Job or service container started with --privileged or the Docker socket",
    Severity.MEDIUM,
    "A privileged container (or one with /var/run/docker.sock mounted) can take over the "
    "runner host; with self-hosted runners that includes other jobs and their secrets.",
    "Drop `--privileged` and the socket mount; build images with rootless tools "
    "(buildah, kaniko) or docker/setup-buildx-action.",
    _HDR + "  build:\n    runs-on: ubuntu-latest\n    container:\n"
    "      image: docker@sha256:" + "cd" * 32 + "\n      options: --privileged\n"
    "    steps:\n      - run: docker build .\n",
    _HDR + "  build:\n    runs-on: ubuntu-latest\n    container:\n"
    "      image: docker@sha256:" + "cd" * 32 + "\n    steps:\n      - run: docker build .\n",
    cwe=("CWE-250",),
)

DEPLOY_NO_ENV = rule(
    "gha/deploy-without-environment",
    "Production deploy job without a protected environment",
    Severity.MEDIUM,
    "Without `environment:` the job cannot be held for required reviewers or restricted to "
    "protected branches, and its secrets are repository-wide instead of environment-scoped.",
    "Add `environment: production` and configure required reviewers and deployment "
    "branch rules for it.",
    _HDR + "  deploy-prod:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - run: kubectl --context prod apply -f k8s/\n",
    _HDR + "  deploy-prod:\n    runs-on: ubuntu-latest\n    environment: production\n"
    "    concurrency: production\n    steps:\n      - run: kubectl --context prod apply -f k8s/\n",
    cwe=("CWE-284",),
    confidence=Confidence.MEDIUM,
)

DEPLOY_NO_CONCURRENCY = rule(
    "gha/deploy-without-concurrency",
    "Production deploy job without a concurrency group",
    Severity.LOW,
    "Two deploys running at once can interleave, and an older run can finish last and roll "
    "production back to old code.",
    "Add `concurrency: {group: production, cancel-in-progress: false}` to the job.",
    _HDR + "  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n"
    "      - run: ./deploy.sh\n",
    _HDR + "  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n"
    "    concurrency: production\n    steps:\n      - run: ./deploy.sh\n",
    cwe=("CWE-362",),
    confidence=Confidence.MEDIUM,
)

SECURITY_CONTINUE = rule(
    "gha/security-step-continue-on-error",
    "Security scan step cannot fail the job (continue-on-error)",
    Severity.MEDIUM,
    "A scanner that is allowed to fail is a report nobody reads: the gate it was meant to "
    "be never blocks a change.",
    "Remove `continue-on-error: true`; tune the scanner's threshold instead.",
    _HDR + "  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pipesec scan .\n"
    "        continue-on-error: true\n",
    _HDR + "  scan:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - run: pipesec scan --fail-on high .\n",
    cwe=("CWE-693",),
)

RULES = (
    UNSECURE_COMMANDS,
    BOT_CONDITION,
    UNSOUND_CONDITION,
    UNSOUND_CONTAINS,
    ANONYMOUS,
    CONCURRENCY,
    PRIVILEGED_CONTAINER,
    DEPLOY_NO_ENV,
    DEPLOY_NO_CONCURRENCY,
    SECURITY_CONTINUE,
)

BOT_ACTOR = re.compile(r"\[bot\]|dependabot|renovate|github-actions", re.IGNORECASE)
PROD = re.compile(r"(?<![a-z])(prod|production|prd|live)(?![a-z])", re.IGNORECASE)
DEPLOY_CMD = re.compile(
    r"kubectl\b[^\n]*\s(?:apply|set|rollout|replace)\b|helm\b[^\n]*\s(?:upgrade|install)\b"
    r"|terraform\s+apply"
    r"|\bdeploy\b|serverless\s+deploy|aws\s+(?:ecs|lambda|s3\s+sync|cloudformation\s+deploy)"
    r"|gcloud\s+(?:run|app|functions)\s+deploy|az\s+webapp|fly\s+deploy|vercel\b.*--prod"
    r"|cdk\s+deploy|pulumi\s+up|ansible-playbook|flyctl\s+deploy|heroku",
    re.IGNORECASE,
)
DEPLOY_ACTIONS = (
    "azure/webapps-deploy",
    "aws-actions/amazon-ecs-deploy-task-definition",
    "google-github-actions/deploy-",
    "azure/k8s-deploy",
    "cloudflare/wrangler-action",
    "amondnet/vercel-action",
    "superfly/flyctl-actions",
    "akhileshns/heroku-deploy",
)
SECURITY_TOOLS = re.compile(
    r"pipesec|gitleaks|trufflehog|semgrep|bandit|trivy|grype|snyk|checkov|tfsec|kics"
    r"|zizmor|osv-scanner|pip-audit|npm\s+audit|codeql|detect-secrets|gosec|safety\s+check",
    re.IGNORECASE,
)
SECURITY_ACTIONS = (
    "github/codeql-action",
    "aquasecurity/trivy-action",
    "anchore/scan-action",
    "snyk/actions",
    "gitleaks/gitleaks-action",
    "trufflesecurity/trufflehog",
    "returntocorp/semgrep-action",
    "semgrep/semgrep-action",
    "bridgecrewio/checkov-action",
    "actions/dependency-review-action",
    "zizmorcore/zizmor-action",
    "google/osv-scanner-action",
)


#: user ids of dependabot[bot], renovate[bot] and github-actions[bot]
BOT_IDS = frozenset({49699333, 29139614, 41898282})
SET_ENV_CMD = re.compile(
    r"::(?:(?P<env>set-env\s+name=|add-path::)|set-output\s+name=|save-state\s+name=)"
)


def _number(v: object) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str) and v.strip().isdigit():
        return int(v.strip())
    return None


def is_prod_deploy(job: Job) -> bool:
    """Does ``job`` deploy to production? (computed once per job: the rules and the
    posture facts both ask)"""
    if job.prod_deploy is None:
        job.prod_deploy = _is_prod_deploy(job)
    return job.prod_deploy


def _is_prod_deploy(job: Job) -> bool:
    env_name, _ = job.environment_name()
    if env_name:
        return bool(PROD.search(env_name))
    name = f"{job.id} {job.node.str_at('name') or ''}"
    deploys = any(DEPLOY_CMD.search(s.run or "") for s in job.steps) or any(
        s.action.startswith(DEPLOY_ACTIONS) for s in job.steps
    )
    if not deploys:
        return False
    text = name + " " + " ".join(s.run or "" for s in job.steps)
    return bool(PROD.search(text))


def _if_nodes(wf: Workflow) -> list[YNode]:
    out = []
    for job in wf.jobs:
        n = job.node.get("if")
        if n is not None:
            out.append(n)
        for s in job.steps:
            sn = s.node.get("if")
            if sn is not None:
                out.append(sn)
    return out


def _check_if(ctx: Ctx, n: YNode) -> None:
    if not n.is_scalar or not isinstance(n.value, str):
        return
    text = n.value
    fences = ex.find_fenced(text)
    if fences:
        outside = (
            text[: fences[0].start]
            + "".join(text[a.end : b.start] for a, b in itertools.pairwise(fences))
            + text[fences[-1].end :]
        )
        # any text outside the fence, even a space, makes the value a non-empty string
        if outside or len(fences) > 1:
            ctx.hit(
                UNSOUND_CONDITION,
                n,
                "text outside the ${{ }} fence makes this condition a"
                " non-empty string, which is always true",
                identity=f"if:{text}",
            )
            return
        inner = fences[0].inner
    else:
        inner = text
    try:
        parsed = ex.parse(inner)
    except ex.ExprError:
        return
    for sub in ex.walk(parsed):
        if isinstance(sub, ex.Binary) and sub.op in ("==", "!="):
            for side, other in ((sub.left, sub.right), (sub.right, sub.left)):
                path = ex.context_path(side)
                if (
                    path in (("github", "actor"), ("github", "triggering_actor"))
                    and isinstance(other, ex.Literal)
                    and isinstance(other.value, str)
                    and BOT_ACTOR.search(other.value)
                ) or (
                    path == ("github", "actor_id")
                    and isinstance(other, ex.Literal)
                    and _number(other.value) in BOT_IDS
                ):
                    ctx.hit(
                        BOT_CONDITION,
                        n,
                        f"`{ex.render(sub)}` can be satisfied by an"
                        " attacker who makes the bot act on their pull request",
                        identity=f"bot:{ex.render(sub)}",
                    )
        if (
            isinstance(sub, ex.Call)
            and sub.name == "contains"
            and len(sub.args) == 2
            and isinstance(sub.args[0], ex.Literal)
            and isinstance(sub.args[0].value, str)
            and ex.context_path(sub.args[1]) is not None
        ):
            ctx.hit(
                UNSOUND_CONTAINS,
                n,
                f"`{ex.render(sub)}` is a substring test, not a list membership test",
                identity=f"contains:{ex.render(sub)}",
            )


def check(wf: Workflow, ctx: Ctx) -> None:
    for n in _if_nodes(wf):
        _check_if(ctx, n)
    scopes = [wf.env] + [j.env for j in wf.jobs] + [s.env for s in wf.all_steps()]
    for scope in scopes:
        if scope is None:
            continue
        for k, v in scope.pairs():
            if k.upper() == "ACTIONS_ALLOW_UNSECURE_COMMANDS" and (v.text() or "").lower() in (
                "true",
                "1",
            ):
                ctx.hit(
                    UNSECURE_COMMANDS,
                    scope.keys.get(k, v),
                    f"{k} re-enables ::set-env",
                    identity=f"unsecure:{k}:{v.line}",
                )
    for step in wf.all_steps():
        run = step.run_node
        text = run.text() if run is not None and run.is_scalar else None
        if run is None or not text or "::" not in text:
            continue
        for m in SET_ENV_CMD.finditer(text):
            target = (
                "$GITHUB_ENV / $GITHUB_PATH" if m.group("env") else "$GITHUB_OUTPUT / $GITHUB_STATE"
            )
            ctx.hit(
                UNSECURE_COMMANDS,
                run.locate(m.group(0), text.count(m.group(0), 0, m.start())),
                f"step '{step.name()}' uses the deprecated `{m.group(0).strip()}` workflow"
                f" command (anything the step prints can forge it); write to {target}",
                identity=f"unsecure-cmd:{step.job.id}:{step.name()}:{m.start()}",
                severity=None if m.group("env") else Severity.MEDIUM,
            )
    if wf.kind == "workflow" and wf.root.get("name") is None:
        first = next(iter(wf.root.keys.values()), wf.root)
        ctx.hit(ANONYMOUS, first, "workflow has no name:", identity="anonymous")
    if wf.kind == "workflow" and ctx.options.get("pedantic"):
        for job in wf.jobs:
            if job.node.get("name") is None:
                ctx.hit(
                    ANONYMOUS,
                    job.key_node,
                    f"job '{job.id}' has no name:",
                    identity=f"anonymous:{job.id}",
                )
        unlimited = [j.id for j in wf.jobs if j.node.get("concurrency") is None]
        if wf.root.get("concurrency") is None and unlimited:
            ctx.hit(
                CONCURRENCY,
                wf.root.key("on") or wf.root.key("true") or wf.root,
                "no concurrency group for the workflow or for job(s) "
                + ", ".join(unlimited[:5])
                + (" ..." if len(unlimited) > 5 else ""),
                identity="concurrency",
            )
    for job in wf.jobs:
        for key in ("container",):
            _privileged(ctx, job.node.get(key), f"job '{job.id}' container")
        services = job.node.get("services")
        if services is not None and services.is_map:
            for name, svc in services.pairs():
                _privileged(ctx, svc, f"service {name}")
        if wf.kind == "workflow" and job.uses is None and is_prod_deploy(job):
            env_name, _env_node = job.environment_name()
            if not env_name:
                ctx.hit(
                    DEPLOY_NO_ENV,
                    job.key_node,
                    f"job '{job.id}' deploys to production without `environment:`",
                    identity=f"noenv:{job.id}",
                )
            if job.node.get("concurrency") is None and wf.root.get("concurrency") is None:
                ctx.hit(
                    DEPLOY_NO_CONCURRENCY,
                    job.key_node,
                    f"job '{job.id}' deploys to production without a concurrency group",
                    identity=f"noconc:{job.id}",
                )
        for step in job.steps:
            coe = step.node.get("continue-on-error")
            if coe is None or not coe.truthy():
                continue
            if SECURITY_TOOLS.search(step.run or "") or step.action.startswith(SECURITY_ACTIONS):
                ctx.hit(
                    SECURITY_CONTINUE,
                    coe,
                    f"security step '{step.name()}' has continue-on-error: true",
                    identity=f"coe:{job.id}:{step.name()}",
                )


def _privileged(ctx: Ctx, c: YNode | None, where: str) -> None:
    if c is None or not c.is_map:
        return
    opts = c.str_at("options") or ""
    vols = c.get("volumes")
    vol_text = " ".join(v.text() or "" for v in vols.seq()) if vols is not None else ""
    if "--privileged" in opts or "docker.sock" in opts or "docker.sock" in vol_text:
        node = c.get("options") if "--privileged" in opts or "docker.sock" in opts else vols
        ctx.hit(
            PRIVILEGED_CONTAINER,
            node or c,
            f"{where} is privileged or mounts the Docker socket",
            identity=f"priv:{where}",
        )
