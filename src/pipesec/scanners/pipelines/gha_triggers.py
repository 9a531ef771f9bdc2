"""Dangerous triggers: pwn requests, self-hosted runners on public events, artifact and
cache poisoning, comment-triggered jobs without an author check."""

from __future__ import annotations

import re

from pipesec.core.model import Confidence, Severity
from pipesec.core.yamlpos import YNode
from pipesec.scanners.pipelines.common import Ctx, rule
from pipesec.scanners.pipelines.gha_model import PUBLIC_TRIGGERS, Job, Step, Workflow
from pipesec.scanners.pipelines.gha_taint import Tainter

PWN = rule(
    "gha/pwn-request",
    "Privileged trigger checks out and runs untrusted pull request code",
    Severity.CRITICAL,
    "`pull_request_target` and `workflow_run` run with a write token and the repository's "
    "secrets. Checking out the pull request's head and then building or running it lets "
    "anyone who opens a pull request execute code with those secrets (a 'pwn request').",
    "Use the `pull_request` trigger for building untrusted code; if a privileged follow-up "
    "is needed, pass data through artifacts and treat it as untrusted, never execute it.",
    """on: pull_request_target
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
""",
    """on: pull_request
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: npm ci && npm test
""",
    cwe=("CWE-829", "CWE-94"),
    references=(
        "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/",
    ),
)

DANGEROUS_TRIGGER = rule(
    "gha/dangerous-trigger",
    "Workflow uses a privileged trigger (pull_request_target / workflow_run)",
    Severity.LOW,
    "These triggers run with secrets and a write token for events an outsider can cause; "
    "they are almost never needed and easy to misuse later.",
    "Prefer `pull_request`; if the trigger is needed, never check out or execute the "
    "contributed code in it and keep permissions minimal.",
    """on:
  pull_request_target:
    types: [opened]
permissions:
  pull-requests: write  # add a label
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - run: gh pr edit "$PR" --add-label triage
        env:
          PR: ${{ github.event.pull_request.number }}
""",
    """on:
  pull_request:
    types: [opened]
permissions:
  pull-requests: write  # add a label
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - run: gh pr edit "$PR" --add-label triage
        env:
          PR: ${{ github.event.pull_request.number }}
""",
    cwe=("CWE-829",),
    confidence=Confidence.LOW,
)

SELF_HOSTED = rule(
    "gha/self-hosted-public-trigger",
    "Self-hosted runner used by a workflow that outsiders can trigger",
    Severity.HIGH,
    "A pull request, comment or issue from anyone then runs on your own machine, which is "
    "usually not ephemeral: an attacker can persist on it, read other jobs' secrets and "
    "reach the internal network.",
    "Use GitHub-hosted or ephemeral, isolated runners for public triggers; restrict "
    "self-hosted runners to trusted events (push to protected branches, releases).",
    """on: pull_request
permissions: {}
jobs:
  test:
    runs-on: [self-hosted, linux]
    steps:
      - run: make test
""",
    """on: pull_request
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
""",
    cwe=("CWE-653",),
)

ARTIFACT_POISONING = rule(
    "gha/artifact-poisoning",
    "workflow_run downloads artifacts of an untrusted run into the workspace",
    Severity.HIGH,
    "Artifacts of a pull request's run are written by the contributor. Extracting them "
    "into the workspace of a privileged `workflow_run` job and then running scripts lets "
    "them overwrite files that run with secrets.",
    "Download into a temporary directory outside the workspace (`path: ${{ runner.temp }}/x`),"
    " treat the content as data and validate it before use.",
    """on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  actions: read
jobs:
  report:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          run-id: ${{ github.event.workflow_run.id }}
          github-token: ${{ github.token }}
      - run: ./scripts/report.sh
""",
    """on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  actions: read
jobs:
  report:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          run-id: ${{ github.event.workflow_run.id }}
          github-token: ${{ github.token }}
          path: ${{ runner.temp }}/artifacts
      - run: jq . "$RUNNER_TEMP/artifacts/report.json"
""",
    cwe=("CWE-829",),
    confidence=Confidence.MEDIUM,
)

CACHE_POISONING = rule(
    "gha/cache-poisoning",
    "Release workflow restores a cache any branch can write",
    Severity.MEDIUM,
    "GitHub Actions caches are shared with runs of other branches and pull requests of the "
    "same repository; a release build that restores a poisoned cache ships the attacker's "
    "files inside a signed release.",
    "Do not use caches in jobs that build release artifacts (drop `cache:` or the "
    "actions/cache step); rebuild from pinned, verified dependencies.",
    """on:
  push:
    tags: ['v*']
permissions:
  contents: write  # upload release assets
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci && npm run build && gh release upload "$GITHUB_REF_NAME" dist/*
""",
    """on:
  push:
    tags: ['v*']
permissions:
  contents: write  # upload release assets
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci && npm run build && gh release upload "$GITHUB_REF_NAME" dist/*
""",
    cwe=("CWE-349",),
    confidence=Confidence.MEDIUM,
    references=(
        "https://adnanthekhan.com/2024/05/06/the-monsters-in-your-build-cache-github-actions-cache-poisoning/",
    ),
)

COMMENT_NO_AUTH = rule(
    "gha/comment-trigger-no-auth",
    "Comment-triggered job with secrets or write access does not check who commented",
    Severity.MEDIUM,
    "`issue_comment` fires for a comment by anyone on any issue or pull request; a ChatOps "
    "command (`/deploy`, `/benchmark`) with no author check runs privileged work for "
    "strangers.",
    'Gate the job on the commenter: `if: contains(fromJSON(\'["OWNER","MEMBER",'
    '"COLLABORATOR"]\'), github.event.comment.author_association)`.',
    """on: issue_comment
permissions:
  contents: read
jobs:
  deploy:
    if: startsWith(github.event.comment.body, '/deploy')
    runs-on: ubuntu-latest
    steps:
      - run: ./deploy.sh
        env:
          DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}
""",
    """on: issue_comment
permissions:
  contents: read
jobs:
  deploy:
    if: >-
      startsWith(github.event.comment.body, '/deploy') &&
      contains(fromJSON('["OWNER","MEMBER"]'), github.event.comment.author_association)
    runs-on: ubuntu-latest
    steps:
      - run: ./deploy.sh
        env:
          DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}
""",
    cwe=("CWE-862",),
    confidence=Confidence.MEDIUM,
)

RULES = (PWN, DANGEROUS_TRIGGER, SELF_HOSTED, ARTIFACT_POISONING, CACHE_POISONING, COMMENT_NO_AUTH)

UNTRUSTED_REF = re.compile(
    r"pull_request\.head\.(?:sha|ref)|github\.head_ref|workflow_run\.head_(?:sha|branch)"
    r"|pull_request\.merge_commit_sha|refs/pull/|steps\.[\w-]+\.outputs\.(?:head_)?(?:sha|ref)"
    r"|event\.number|pull_request\.number|issue\.number",
    re.IGNORECASE,
)
CHECKOUT_RUN = re.compile(
    r"\bgh\s+pr\s+checkout\b|git\s+fetch\b[^\n]*\bpull/|git\s+checkout\b[^\n]*(?:FETCH_HEAD|pr-|pull)"
)
CACHE_ACTIONS = ("actions/cache", "actions/cache/restore")
SETUP_CACHE = (
    "actions/setup-node",
    "actions/setup-python",
    "actions/setup-java",
    "actions/setup-dotnet",
    "pnpm/action-setup",
)
#: actions that cache unless told not to -> (the input that turns it off, its value then)
CACHE_BY_DEFAULT: dict[str, tuple[str, str] | None] = {
    "swatinem/rust-cache": ("lookup-only", "true"),
    "astral-sh/setup-uv": ("enable-cache", "false"),
    "oven-sh/setup-bun": ("no-cache", "true"),
    "mozilla-actions/sccache-action": None,
    "ramsey/composer-install": ("ignore-cache", "true"),
}
#: actions that cache only when an input turns it on (`"true"` or an expression)
CACHE_OPT_IN = {"pyo3/maturin-action": "sccache"}
_MAJOR = re.compile(r"^v?(\d+)(?:\.|$)")
_MAJOR_COMMENT = re.compile(r"#\s*v?(\d+)(?:\.\d+)*\b")
AUTH_CHECK = re.compile(
    r"author_association|github\.actor\b|github\.triggering_actor|comment\.user\.login"
    r"|permission|collaborator|team",
    re.IGNORECASE,
)


def _runs_code(step: Step) -> bool:
    if step.run:
        return True
    uses = step.uses or ""
    return uses.startswith("./") or step.action.startswith(
        ("actions/setup-", "docker/build-push-action", "gradle/", "github/codeql-action/autobuild")
    )


_ENV_EXPORT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=([^\n]*?)[\"']?\s*>>\s*[\"']?\$\{?GITHUB_ENV")
_ENV_REF = re.compile(r"env\.([A-Za-z_][A-Za-z0-9_]*)|\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _untrusted_text(text: str, tainter: Tainter, step: Step) -> bool:
    if UNTRUSTED_REF.search(text):
        return True
    t = tainter.text(text, step.job, step, 0)
    return t is not None and t.kind == "attacker"


def _checkout_untrusted(step: Step, tainter: Tainter) -> bool:
    if step.action != "actions/checkout":
        return bool(CHECKOUT_RUN.search(step.run or ""))
    ref = step.with_str("ref") or ""
    repo = step.with_str("repository") or ""
    if "head.repo.full_name" in repo or "head_repository.full_name" in repo:
        return True
    if _untrusted_text(ref, tainter, step):
        return True
    # a ref taken from a variable an earlier step exported through $GITHUB_ENV
    names = {a or b for a, b in _ENV_REF.findall(ref)}
    if not names:
        return False
    for earlier in step.job.steps[: step.index]:
        for name, value in _ENV_EXPORT.findall(earlier.run or ""):
            if name in names and _untrusted_text(value, tainter, earlier):
                return True
    return False


def _is_release(wf: Workflow) -> bool:
    if "release" in wf.triggers:
        return True
    push = wf.triggers.get("push")
    if push is not None and push.is_map and push.get("tags") is not None:
        return True
    name = (wf.root.str_at("name") or "").lower()
    return "release" in name or "publish" in name


def _job_if(job: Job) -> str:
    return job.node.str_at("if") or ""


_HARMLESS = re.compile(r"^(?:echo|printf|true|exit|:)(?:\s|$)")


def _only_echoes(job: Job) -> bool:
    """Every step prints text and nothing else (no action, no secret, no other command)."""
    for s in job.steps:
        if s.uses or "secrets." in s.node.source():
            return False
        for line in (s.run or "").splitlines():
            line = line.strip()
            if "${{" in line or (line and not line.startswith("#") and not _HARMLESS.match(line)):
                return False
    return bool(job.steps)


def _job_privileged(job: Job, wf: Workflow) -> bool:
    for scope in (job.env, wf.env):
        if scope is not None and any("secrets." in (v.text() or "") for _, v in scope.pairs()):
            return True
    for s in job.steps:
        if "secrets." in s.node.source():
            return True
    perm = job.permissions if job.permissions is not None else wf.permissions
    if perm is None:
        return True  # default token, often write
    if perm.is_scalar:
        return (perm.text() or "") == "write-all"
    return any((v.text() or "") == "write" for _, v in perm.pairs())


def check(wf: Workflow, ctx: Ctx) -> None:
    if wf.kind != "workflow":
        return
    trig = wf.trigger_names
    privileged = trig & {"pull_request_target", "workflow_run"}
    pwn_triggers = trig & {"pull_request_target", "workflow_run", "issue_comment"}
    for name in sorted(privileged):
        keynode = (
            wf.on_node.keys.get(name) if wf.on_node is not None and wf.on_node.is_map else None
        )
        where = keynode or wf.on_node or wf.root
        ctx.hit(
            DANGEROUS_TRIGGER,
            where,
            f"workflow runs on `{name}` with secrets and a write token",
            identity=f"trigger:{name}",
        )
    _check_cache_mode(wf, ctx)
    for job in wf.jobs:
        if pwn_triggers:
            _check_pwn(wf, ctx, job, pwn_triggers)
        if trig & PUBLIC_TRIGGERS:
            labels = [lbl.lower() for lbl in job.runs_on_labels()]
            if "self-hosted" in labels:
                node = job.runs_on or job.key_node
                ctx.hit(
                    SELF_HOSTED,
                    node,
                    f"job '{job.id}' runs on a self-hosted runner and the workflow runs on "
                    + ", ".join(sorted(trig & PUBLIC_TRIGGERS)),
                    identity=f"selfhosted:{job.id}",
                )
        if "workflow_run" in trig:
            _check_artifacts(ctx, job)
        if _is_release(wf):
            _check_cache(ctx, job, "release")
        elif "pull_request_target" in trig:
            _check_cache(ctx, job, "pull_request_target")
        if (
            "issue_comment" in trig
            and not AUTH_CHECK.search(_job_if(job))
            and _job_privileged(job, wf)
            and not _only_echoes(job)
            and not any(AUTH_CHECK.search(s.node.str_at("if") or "") for s in job.steps[:1])
        ):
            ctx.hit(
                COMMENT_NO_AUTH,
                job.node.get("if") or job.key_node,
                f"job '{job.id}' runs for a comment by anyone and has secrets or write"
                " permissions; check github.event.comment.author_association",
                identity=f"comment:{job.id}",
            )


def _check_pwn(wf: Workflow, ctx: Ctx, job: Job, privileged: set[str] | frozenset[str]) -> None:
    tainter = Tainter(wf)
    for i, step in enumerate(job.steps):
        if not _checkout_untrusted(step, tainter):
            continue
        later = [s for s in job.steps[i + 1 :] if _runs_code(s)]
        if not later and not step.run:
            continue
        where = (
            step.with_.get("ref")
            if step.with_ is not None and step.with_.get("ref")
            else (step.run_node or step.node)
        )
        ctx.hit(
            PWN,
            where or step.node,
            f"job '{job.id}' ({', '.join(sorted(privileged))}) checks out the pull request head"
            + (f" and then runs it in step '{later[0].name()}'" if later else ""),
            identity=f"pwn:{job.id}:{step.name()}",
        )
        return


def _check_artifacts(ctx: Ctx, job: Job) -> None:
    for i, step in enumerate(job.steps):
        action = step.action
        if action not in ("actions/download-artifact", "dawidd6/action-download-artifact"):
            continue
        if action == "actions/download-artifact" and step.with_str("run-id") is None:
            continue
        path = step.with_str("path") or ""
        if "runner.temp" in path or path.startswith(("/tmp/", "${{ runner.temp")):  # noqa: S108
            continue
        if any(s.run or (s.uses or "").startswith("./") for s in job.steps[i + 1 :]):
            ctx.hit(
                ARTIFACT_POISONING,
                step.uses_node or step.node,
                f"step '{step.name()}' extracts another run's artifacts into the workspace"
                " before later steps run code",
                identity=f"artifact:{job.id}:{step.name()}",
            )


def _major(ctx: Ctx, step: Step) -> int | None:
    """The major version of a ``uses:`` from its tag, or from the ``# v10.0.0`` comment
    beside a SHA."""
    m = _MAJOR.match(step.ref)
    if m is None and step.uses_node is not None:
        m = _MAJOR_COMMENT.search(ctx.doc.line_text(step.uses_node.line))
    return int(m.group(1)) if m else None


_TRUE = frozenset({"true", "yes", "y", "on", "1"})
#: `${{ !startsWith(github.ref, 'refs/tags/') }}`: off exactly on the tag runs releases are
_NOT_ON_TAGS = re.compile(r"\$\{\{\s*!.*\btags?\b", re.IGNORECASE)


def _on(value: YNode | None, releases_are_tags: bool = False) -> bool:
    """A cache toggle that is on: true (`"yes"`, `1` ...), or an expression decided at run
    time (unless it is off on tag runs and every release run of the workflow is a tag's)."""
    text = (value.text() or "").strip().lower() if value is not None else ""
    if "${{" in text:
        return not (releases_are_tags and _NOT_ON_TAGS.search(text))
    return text in _TRUE


def _release_branch(wf: Workflow) -> bool:
    """The workflow also runs on pushes to a branch named like a release one."""
    push = wf.triggers.get("push")
    branches = push.get("branches") if push is not None and push.is_map else None
    return branches is not None and "release" in str(branches.to_python()).lower()


def _cache_mode(node: YNode) -> YNode | None:
    m = node.get("cache-mode") if node.is_map else None
    return m if m is not None and m.is_scalar else None


def _check_cache_mode(wf: Workflow, ctx: Ctx) -> None:
    """`cache-mode: write` in a workflow that runs for outsiders' pull requests."""
    trig = wf.trigger_names & {"pull_request_target", "workflow_run"}
    if not trig:
        return
    top = _cache_mode(wf.root)
    writers: dict[int, YNode] = {}
    for job in wf.jobs:
        mode = _cache_mode(job.node) or top
        if mode is not None and (mode.text() or "").strip().lower() == "write":
            writers[mode.start] = mode
    for mode in writers.values():
        ctx.hit(
            CACHE_POISONING,
            mode,
            f"`cache-mode: write` lets a {', '.join(sorted(trig))} run save caches that later"
            " trusted runs restore",
            identity=f"cache-mode:{mode.line}",
        )


def _check_cache(ctx: Ctx, job: Job, what: str) -> None:
    mode = _cache_mode(job.node) or _cache_mode(job.workflow.root)
    if mode is not None and (mode.text() or "").strip().lower() == "none":
        return  # the job neither restores nor saves caches
    for step in job.steps:
        action = step.action
        w = step.with_
        opt_in = CACHE_OPT_IN.get(action)
        if action == "astral-sh/setup-uv" and (_major(ctx, step) or 0) >= 10:
            opt_in = "enable-cache"  # from v10 the cache is off on release events
        if opt_in is not None:
            tags_only = not _release_branch(job.workflow)
            if _on(w.get(opt_in) if w is not None else None, tags_only):
                ctx.hit(
                    CACHE_POISONING,
                    step.uses_node or step.node,
                    f"{what} job '{job.id}' turns on the {action} cache",
                    identity=f"cache:{job.id}:{step.name()}",
                )
            continue
        if action == "actions/setup-node" and (w is None or w.get("cache") is None):
            # from v5 the package manager's store is cached unless turned off
            pmc = w.get("package-manager-cache") if w is not None else None
            if (pmc is None and (_major(ctx, step) or 0) >= 5) or _on(pmc):
                ctx.hit(
                    CACHE_POISONING,
                    step.uses_node or step.node,
                    f"{what} job '{job.id}': actions/setup-node caches the package manager's"
                    " store by default",
                    identity=f"cache:{job.id}:{step.name()}",
                )
            continue
        if action in CACHE_ACTIONS:
            ctx.hit(
                CACHE_POISONING,
                step.uses_node or step.node,
                f"{what} job '{job.id}' restores a cache with {action}",
                identity=f"cache:{job.id}:{step.name()}",
            )
        elif action in CACHE_BY_DEFAULT:
            switch = CACHE_BY_DEFAULT[action]
            off = w.get(switch[0]) if w is not None and switch is not None else None
            turned_off = (
                off is not None
                and switch is not None
                and (_on(off) if switch[1] == "true" else (off.text() or "").lower() == switch[1])
            )
            if not turned_off:
                ctx.hit(
                    CACHE_POISONING,
                    step.uses_node or step.node,
                    f"{what} job '{job.id}': {action} caches by default",
                    identity=f"cache:{job.id}:{step.name()}",
                )
        elif action in SETUP_CACHE or action.startswith("actions/setup-go"):
            c = w.get("cache") if w is not None else None
            if c is not None and (c.text() or "").lower() not in ("", "false"):
                ctx.hit(
                    CACHE_POISONING,
                    step.uses_node or c,
                    f"{what} job '{job.id}' enables the {action} cache",
                    identity=f"cache:{job.id}:{step.name()}",
                )
            elif (
                action.startswith("actions/setup-go")
                and c is None
                and step.ref.lstrip("v")[:1] in ("4", "5", "6", "7", "8", "9")
            ):
                ctx.hit(
                    CACHE_POISONING,
                    step.uses_node or step.node,
                    f"{what} job '{job.id}': actions/setup-go caches by default",
                    identity=f"cache:{job.id}:{step.name()}",
                )
