"""Secrets in GitHub Actions: over-shared, over-exposed, hardcoded, or long-lived where
OIDC fits."""

from __future__ import annotations

import re

from pipesec.core.model import Confidence, Severity
from pipesec.core.redact import redact_line
from pipesec.core.yamlpos import YNode
from pipesec.scanners.pipelines import expressions as ex
from pipesec.scanners.pipelines.common import Ctx, rule
from pipesec.scanners.pipelines.gha_model import Job, Step, Workflow

OIDC_DOCS = "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect"

_HDR = "on: push\npermissions: {}\njobs:\n"

SECRETS_INHERIT = rule(
    "gha/secrets-inherit",
    "Reusable workflow called with `secrets: inherit`",
    Severity.MEDIUM,
    "`secrets: inherit` hands every secret of the repository and organisation to the "
    "called workflow, including ones it never uses.",
    "Pass only the secrets the called workflow declares: `secrets: { NPM_TOKEN: "
    "${{ secrets.NPM_TOKEN }} }`.",
    _HDR + "  release:\n    uses: acme/workflows/.github/workflows/release.yml@"
    "0123456789abcdef0123456789abcdef01234567\n    secrets: inherit\n",
    _HDR + "  release:\n    uses: acme/workflows/.github/workflows/release.yml@"
    "0123456789abcdef0123456789abcdef01234567\n    secrets:\n"
    "      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n",
    cwe=("CWE-668",),
)

WORKFLOW_SECRETS = rule(
    "gha/workflow-level-secrets",
    "Secret exposed to every job through workflow-level env:",
    Severity.MEDIUM,
    "A secret in the top-level `env:` is in the environment of every step of every job, "
    "including third-party actions that have no business reading it.",
    "Move the secret to the `env:` of the one step that needs it.",
    "on: push\npermissions: {}\nenv:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\njobs:\n"
    "  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm publish\n",
    "on: push\npermissions: {}\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - run: npm publish\n        env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n",
    cwe=("CWE-668",),
)

OVERPROVISIONED = rule(
    "gha/overprovisioned-secrets",
    "All secrets serialised or indexed dynamically",
    Severity.HIGH,
    "`toJSON(secrets)` (or `secrets[some expression]`) makes every secret available to the "
    "step, and serialised JSON defeats log masking of individual values.",
    "Reference each needed secret by name: `${{ secrets.API_TOKEN }}`.",
    _HDR + "  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./build.sh\n"
    "        env:\n          ALL_SECRETS: ${{ toJSON(secrets) }}\n",
    _HDR + "  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./build.sh\n"
    "        env:\n          API_TOKEN: ${{ secrets.API_TOKEN }}\n",
    cwe=("CWE-200",),
)

UNREDACTED = rule(
    "gha/unredacted-secrets",
    "Value derived from a secret is not masked in logs",
    Severity.MEDIUM,
    "GitHub masks a secret's exact value; a field pulled out of a JSON secret with "
    "`fromJSON(secrets.X).field` is a new string that is printed in clear.",
    "Store each value as its own secret, or add `::add-mask::` for the derived value "
    "before using it.",
    _HDR + "  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n"
    "        env:\n          DB_PASSWORD: ${{ fromJSON(secrets.DB_CONFIG).password }}\n",
    _HDR + "  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n"
    "        env:\n          DB_PASSWORD: ${{ secrets.DB_PASSWORD }}\n",
    cwe=("CWE-532",),
)

CONTAINER_CREDS = rule(
    "gha/hardcoded-container-credentials",
    "Registry password written into the workflow",
    Severity.HIGH,
    "A literal password for a job or service container's registry is readable by anyone "
    "who can read the repository and stays in git history.",
    "Use `password: ${{ secrets.REGISTRY_PASSWORD }}` and rotate the exposed password.",
    _HDR + "  test:\n    runs-on: ubuntu-latest\n    container:\n"
    "      image: ghcr.io/acme/builder@sha256:" + "ab" * 32 + "\n      credentials:\n"
    "        username: ci\n        password: "
    + "-".join(("hunter2", "ci", "pass"))
    + "\n    steps:\n      - run: make\n",
    _HDR + "  test:\n    runs-on: ubuntu-latest\n    container:\n"
    "      image: ghcr.io/acme/builder@sha256:" + "ab" * 32 + "\n      credentials:\n"
    "        username: ci\n        password: ${{ secrets.REGISTRY_PASSWORD }}\n"
    "    steps:\n      - run: make\n",
    cwe=("CWE-798",),
)

SECRET_IN_RUN = rule(
    "gha/secret-in-run",
    "Secret expanded directly into a run: script",
    Severity.LOW,
    "`${{ secrets.X }}` inside the script puts the value into the script file on disk and "
    "into the command lines of the processes it starts (visible to every process on the "
    "runner), and quoting mistakes leak it into logs unmasked.",
    'Pass the secret through the step\'s `env:` and use `"$X"`.',
    _HDR + "  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n"
    '          curl -H "Authorization: Bearer ${{ secrets.API_TOKEN }}" https://api.example.com\n',
    _HDR + "  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n"
    '          curl -H "Authorization: Bearer $API_TOKEN" https://api.example.com\n'
    "        env:\n          API_TOKEN: ${{ secrets.API_TOKEN }}\n",
    cwe=("CWE-214",),
    confidence=Confidence.HIGH,
)

DEBUG_LOGGING = rule(
    "gha/debug-logging-enabled",
    "Runner or step debug logging switched on in the workflow",
    Severity.MEDIUM,
    "`ACTIONS_STEP_DEBUG`/`ACTIONS_RUNNER_DEBUG` print inputs, environment and internal "
    "state of every step; derived secrets and tokens end up in logs anyone with read "
    "access can see.",
    "Remove the variable; enable debug logging for a single re-run from the UI instead.",
    "on: push\npermissions: {}\nenv:\n  ACTIONS_STEP_DEBUG: true\njobs:\n  build:\n"
    "    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
    "on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - run: make\n",
    cwe=("CWE-532",),
)

STATIC_AWS = rule(
    "gha/static-aws-keys",
    "Long-lived AWS access keys where OIDC role assumption fits",
    Severity.MEDIUM,
    "Static `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` secrets never expire, work from "
    "anywhere once leaked, and are shared by every workflow that can read them.",
    "Grant `id-token: write` and use aws-actions/configure-aws-credentials with "
    "`role-to-assume:` (OIDC); delete the access key.",
    _HDR + "  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: aws-actions/configure-aws-credentials@"
    "e3dd6a429d7300a6a4c196c26e071d42e0343502 # v4\n"
    "        with:\n          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n"
    "          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n"
    "          aws-region: eu-west-1\n",
    "on: push\npermissions:\n  id-token: write  # OIDC to AWS\njobs:\n  deploy:\n"
    "    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: aws-actions/configure-aws-credentials@"
    "e3dd6a429d7300a6a4c196c26e071d42e0343502 # v4\n"
    "        with:\n          role-to-assume: arn:aws:iam::123456789012:role/deploy\n"
    "          aws-region: eu-west-1\n",
    cwe=("CWE-798",),
    references=(OIDC_DOCS,),
)

STATIC_GCP = rule(
    "gha/static-gcp-key",
    "GCP service account JSON key where Workload Identity Federation fits",
    Severity.MEDIUM,
    "A service account key file is a long-lived credential; leaked, it works until someone "
    "notices and deletes it.",
    "Use google-github-actions/auth with `workload_identity_provider:` and "
    "`service_account:` (OIDC) and delete the key.",
    _HDR + "  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: google-github-actions/auth@6fc4af4b145ae7821d527454aa9bd537d1f2dc5f # v2\n"
    "        with:\n          credentials_json: ${{ secrets.GCP_SA_KEY }}\n",
    "on: push\npermissions:\n  id-token: write  # OIDC to GCP\njobs:\n  deploy:\n"
    "    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: google-github-actions/auth@6fc4af4b145ae7821d527454aa9bd537d1f2dc5f # v2\n"
    "        with:\n          workload_identity_provider: projects/1/locations/global/"
    "workloadIdentityPools/gh/providers/gh\n"
    "          service_account: deploy@acme.iam.gserviceaccount.com\n",
    cwe=("CWE-798",),
    references=(OIDC_DOCS,),
)

STATIC_AZURE = rule(
    "gha/static-azure-secret",
    "Azure client secret where federated credentials fit",
    Severity.MEDIUM,
    "`creds:` with a client secret (AZURE_CREDENTIALS) is a long-lived password for the "
    "service principal.",
    "Use azure/login with `client-id`, `tenant-id` and `subscription-id` and a federated "
    "credential (OIDC) instead of `creds:`.",
    _HDR + "  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: azure/login@a457da9ea143d694b1b9c7c869ebb04ebe844ef5 # v2\n"
    "        with:\n          creds: ${{ secrets.AZURE_CREDENTIALS }}\n",
    "on: push\npermissions:\n  id-token: write  # OIDC to Azure\njobs:\n  deploy:\n"
    "    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: azure/login@a457da9ea143d694b1b9c7c869ebb04ebe844ef5 # v2\n"
    "        with:\n          client-id: ${{ vars.AZURE_CLIENT_ID }}\n"
    "          tenant-id: ${{ vars.AZURE_TENANT_ID }}\n"
    "          subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}\n",
    cwe=("CWE-798",),
    references=(OIDC_DOCS,),
)

PUBLISH_TOKEN = rule(
    "gha/publish-long-lived-token",
    "Package published with a long-lived token instead of trusted publishing",
    Severity.MEDIUM,
    "A registry API token stored as a secret can publish any version of the package from "
    "anywhere once it leaks; trusted publishing (OIDC) issues a short-lived token bound "
    "to this repository and workflow.",
    "Configure a trusted publisher on PyPI / npm / crates.io / RubyGems, grant "
    "`id-token: write` and drop the token (`password:` / `NODE_AUTH_TOKEN`).",
    _HDR + "  publish:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4\n"
    "        with:\n          password: ${{ secrets.PYPI_API_TOKEN }}\n",
    "on: push\npermissions:\n  id-token: write  # trusted publishing\njobs:\n  publish:\n"
    "    runs-on: ubuntu-latest\n    environment: pypi\n    steps:\n"
    "      - uses: pypa/gh-action-pypi-publish@"
    "76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4\n",
    cwe=("CWE-798",),
    references=("https://docs.pypi.org/trusted-publishers/",),
)

OUTSIDE_ENV = rule(
    "gha/secrets-outside-environment",
    "Secret used by a job that has no deployment environment (pedantic)",
    Severity.LOW,
    "A repository or organisation secret is available to every job of every workflow, on "
    "any branch; an environment secret is released only to jobs of that environment, after "
    "its protection rules (branches, reviewers) pass.",
    "Move the secret to an environment and give the job `environment: <name>` with "
    "protection rules.",
    _HDR + "  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n"
    "        env:\n          DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}\n",
    _HDR + "  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n"
    "      - run: ./deploy.sh\n        env:\n          DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}\n",
    cwe=("CWE-522",),
    confidence=Confidence.MEDIUM,
    references=("https://docs.zizmor.sh/audits/#secrets-outside-env",),
    tags=("pedantic",),
)

HARDCODED = rule(
    "gha/hardcoded-secret",
    "Credential written in clear in a workflow",
    Severity.HIGH,
    "A token or password in the workflow file is readable by everyone with read access "
    "and by every fork, and stays in git history after removal.",
    "Rotate the credential, then store it as an encrypted secret and reference it with "
    "`${{ secrets.NAME }}`.",
    _HDR + "  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gh release list\n"
    "        env:\n          GH_TOKEN: "
    + "ghp_"
    + "R7wQ2kLm9Xc4"
    + "Vb8Nz1Ps6Td3Fh5Jg0Ka2Yu7"
    + "\n",
    _HDR + "  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gh release list\n"
    "        env:\n          GH_TOKEN: ${{ secrets.RELEASE_TOKEN }}\n",
    cwe=("CWE-798",),
)

RULES = (
    SECRETS_INHERIT,
    WORKFLOW_SECRETS,
    OVERPROVISIONED,
    UNREDACTED,
    CONTAINER_CREDS,
    SECRET_IN_RUN,
    DEBUG_LOGGING,
    STATIC_AWS,
    STATIC_GCP,
    STATIC_AZURE,
    PUBLISH_TOKEN,
    OUTSIDE_ENV,
)

AWS_SECRET_NAMES = re.compile(r"AWS_(?:SECRET_ACCESS_KEY|ACCESS_KEY_ID)", re.IGNORECASE)
SECRET_REF = re.compile(r"secrets\.([A-Za-z0-9_-]+)")
NPM_TOKEN_ENV = re.compile(r"NODE_AUTH_TOKEN|NPM_TOKEN", re.IGNORECASE)
#: blanks, or a line continuation (a backslash in sh, a backtick in PowerShell)
_WS = r"(?:[ \t]|[\\`]\r?\n)+"
PUBLISH_CMD = re.compile(
    rf"\b(?:npm|bun|pnpm|yarn{_WS}npm){_WS}publish\b"
    rf"|\btwine(?:[=<>~!]=[\w.*]+)?{_WS}upload\b"
    rf"|\bcargo(?:{_WS}\+\S+)?{_WS}publish\b|\bgem{_WS}push\b|\bpoetry{_WS}publish\b"
    rf"|\buv{_WS}publish\b|\bflit{_WS}publish\b|\bhatch{_WS}publish\b"
    rf"|\b(?:dotnet{_WS})?nuget(?:\.exe)?{_WS}push\b"
)
#: options that make a publish command a rehearsal or send it to a private index
PUBLISH_EXEMPT = re.compile(
    r"(?<![\w-])(?:--dry-run|-n|--repository-url|--repository|-r|--registry|--index|--index-url"
    r"|--publish-url|--host|--allow-dirty-dry-run)(?![\w-])"
)
PUBLISH_TOKEN_ENV = re.compile(
    r"^(NODE_AUTH_TOKEN|NPM_TOKEN|TWINE_PASSWORD|CARGO_REGISTRY_TOKEN|GEM_HOST_API_KEY"
    r"|POETRY_PYPI_TOKEN_PYPI|UV_PUBLISH_TOKEN|FLIT_PASSWORD|HATCH_INDEX_AUTH|PYPI_TOKEN"
    r"|NPM_CONFIG_TOKEN|NPM_CONFIG__AUTH|BUN_AUTH_TOKEN|YARN_NPM_AUTH_TOKEN|NUGET_API_KEY)$",
    re.IGNORECASE,
)


def _logical_line(text: str, start: int) -> str:
    """From ``start`` to the end of its shell line, following backslash continuations."""
    end = start
    while True:
        nl = text.find("\n", end)
        if nl < 0:
            return text[start:]
        if text[:nl].rstrip("\r").endswith("\\"):
            end = nl + 1
            continue
        return text[start:nl]


def _check_publish(
    wf: Workflow, ctx: Ctx, job: Job, step: Step, run_node: YNode, has_oidc: bool
) -> None:
    """A publish command in a script: with a token from a secret, or in a job that cannot
    mint an OIDC token (no ``id-token: write``), so that it can only be publishing with a
    stored long-lived credential (a token, ~/.pypirc, ~/.npmrc, ~/.gem/credentials)."""
    text = run_node.text() or ""
    token_vars: set[str] = set()
    for scope in (wf.env, job.env, step.env):
        if scope is None:
            continue
        for name, v in scope.pairs():
            if "secrets." in (v.text() or ""):
                token_vars.add(name)
    named = {n for n in token_vars if PUBLISH_TOKEN_ENV.match(n)}
    for m in PUBLISH_CMD.finditer(text):
        command = _logical_line(text, m.start())
        if PUBLISH_EXEMPT.search(command):
            continue
        if "npm" in m.group() and _custom_npm_registry(job, step):
            continue
        used = "secrets." in command or any(
            re.search(r"\$\{?" + re.escape(n) + r"\b", command) for n in token_vars
        )
        if not (used or named or not has_oidc):
            continue
        verb = " ".join(m.group().replace("\\", " ").split())
        head = m.group().split("\n", 1)[0]
        ctx.hit(
            PUBLISH_TOKEN,
            run_node.locate(head, text.count(head, 0, m.start())),
            f"`{verb}` publishes with a long-lived registry token; use trusted publishing",
            identity=f"publish:{job.id}:{step.name()}:{m.start()}",
        )


def _outside_environment(wf: Workflow, ctx: Ctx) -> None:
    if wf.kind != "workflow" or "secrets" not in wf.doc.text or not ctx.options.get("pedantic"):
        return
    for job in wf.jobs:
        if job.environment_name()[0]:
            continue
        for n in _scalars(job.node):
            if "secrets" not in n.value.lower():
                continue
            seen: dict[str, int] = {}
            for f, e in _fenced_exprs(n.value):
                occ = seen.get(f.raw, 0)
                seen[f.raw] = occ + 1
                names = [
                    p[1]
                    for p in ex.context_paths(e)
                    if len(p) > 1 and p[0] == "secrets" and p[1] != "github_token"
                ]
                if names:
                    ctx.hit(
                        OUTSIDE_ENV,
                        n.locate(f.raw, occ),
                        f"job '{job.id}' reads secrets.{names[0]} without an environment",
                        identity=f"outside-env:{job.id}:{names[0]}:{n.line}",
                    )


def _fenced_exprs(text: str) -> list[tuple[ex.Fenced, ex.Expr]]:
    out = []
    for f in ex.find_fenced(text):
        try:
            out.append((f, ex.parse(f.inner)))
        except ex.ExprError:
            continue
    return out


def _scalars(node: YNode, depth: int = 0) -> list[YNode]:
    if depth > 50:
        return []
    if node.is_scalar:
        return [node] if isinstance(node.value, str) and "${{" in node.value else []
    children = node.value.values() if node.is_map else node.value
    out: list[YNode] = []
    for c in children:
        out.extend(_scalars(c, depth + 1))
    return out


def _secret_exprs(wf: Workflow, ctx: Ctx) -> None:
    source = wf.doc.text
    if "\\" not in source and "secrets" not in source.lower():
        return  # no scalar can mention the secrets context (unless a quoted escape spells it)
    for n in _scalars(wf.root):
        text = n.value
        if "secrets" not in text.lower():  # every check below needs the secrets context
            continue
        for f, e in _fenced_exprs(text):
            for sub in ex.walk(e):
                if (
                    isinstance(sub, ex.Call)
                    and sub.name == "tojson"
                    and any(isinstance(a, ex.Context) and a.name == "secrets" for a in sub.args)
                ):
                    ctx.hit(
                        OVERPROVISIONED,
                        n.locate(f.raw),
                        "toJSON(secrets) exposes every secret to this step",
                        identity=f"tojson:{f.raw}",
                    )
                elif (
                    isinstance(sub, ex.Index)
                    and isinstance(sub.obj, ex.Context)
                    and (
                        sub.obj.name == "secrets"
                        and not (
                            isinstance(sub.index, ex.Literal) and isinstance(sub.index.value, str)
                        )
                    )
                ):
                    ctx.hit(
                        OVERPROVISIONED,
                        n.locate(f.raw),
                        f"`{f.raw.strip()}` selects a"
                        " secret by a computed name, exposing all of them",
                        identity=f"index:{f.raw}",
                    )
                elif (
                    isinstance(sub, ex.Prop | ex.Index)
                    and isinstance(sub.obj, ex.Call)
                    and sub.obj.name == "fromjson"
                    and any((ex.context_path(a) or ("",))[0] == "secrets" for a in sub.obj.args)
                ):
                    ctx.hit(
                        UNREDACTED,
                        n.locate(f.raw),
                        f"`{f.raw.strip()}` derives a value"
                        " from a secret that log masking will not hide",
                        identity=f"unredacted:{f.raw}",
                    )


def _env_secret_names(scope: YNode | None) -> list[tuple[str, YNode]]:
    if scope is None:
        return []
    return [(k, v) for k, v in scope.pairs() if "secrets." in (v.text() or "")]


def check(wf: Workflow, ctx: Ctx) -> None:
    _secret_exprs(wf, ctx)
    _outside_environment(wf, ctx)
    if wf.kind == "workflow":
        for k, v in _env_secret_names(wf.env):
            ctx.hit(
                WORKFLOW_SECRETS,
                v,
                f"workflow-level env {k} holds a secret every job sees",
                identity=f"wfenv:{k}",
            )
    for scope in [wf.env] + [j.env for j in wf.jobs]:
        if scope is None:
            continue
        for k, v in scope.pairs():
            if k.upper() in ("ACTIONS_STEP_DEBUG", "ACTIONS_RUNNER_DEBUG") and (
                (v.text() or "").lower() in ("true", "1")
            ):
                ctx.hit(
                    DEBUG_LOGGING,
                    scope.keys.get(k, v),
                    f"{k} is switched on",
                    identity=f"debug:{k}",
                )
    for job in wf.jobs:
        _check_job(wf, ctx, job)


def _check_job(wf: Workflow, ctx: Ctx, job: Job) -> None:
    sec = job.node.get("secrets")
    if sec is not None and sec.is_scalar and (sec.text() or "") == "inherit":
        ctx.hit(
            SECRETS_INHERIT,
            sec,
            f"job '{job.id}' passes every secret to {job.uses or 'the called workflow'}",
            identity=f"inherit:{job.id}",
        )
    for key in ("container",):
        c = job.node.get(key)
        _container_creds(ctx, c, key)
    services = job.node.get("services")
    if services is not None and services.is_map:
        for name, svc in services.pairs():
            _container_creds(ctx, svc, f"service {name}")
    has_oidc = _id_token(job, wf)
    for step in job.steps:
        _check_step(wf, ctx, job, step, has_oidc)
    if not has_oidc:
        for scope in (job.env, wf.env if job is wf.jobs[0] else None):
            if scope is None:
                continue
            for k, v in scope.pairs():
                if AWS_SECRET_NAMES.fullmatch(k) and "secrets." in (v.text() or ""):
                    ctx.hit(
                        STATIC_AWS,
                        v,
                        f"{k} comes from a long-lived secret",
                        identity=f"aws:{job.id}:{k}",
                    )


def _url_host(node: YNode | None) -> str:
    """The lower-cased host of the URL a ``with:`` value holds ("" when there is none)."""
    url = ((node.text() or "") if node is not None else "").strip()
    return url.split("://", 1)[-1].split("/", 1)[0].lower() if url else ""


def _public_index(w: YNode, keys: tuple[str, ...], hosts: tuple[str, ...]) -> bool:
    """Whether a publishing action's index is a public registry that offers trusted
    publishing (its default, or one of ``hosts``): a private index may not."""
    for key in keys:
        v = w.get(key)
        if v is not None:
            return _url_host(v) in hosts
    return True


def _custom_npm_registry(job: Job, step: Step) -> bool:
    """Whether the last actions/setup-node before ``step`` points npm at a registry other
    than npmjs.org (a private registry may offer no trusted publishing)."""
    custom = False
    for s in job.steps:
        if s is step:
            break
        if s.action == "actions/setup-node":
            host = _url_host(s.with_.get("registry-url") if s.with_ is not None else None)
            custom = host not in ("", "registry.npmjs.org")
    return custom


def _id_token(job: Job, wf: Workflow) -> bool:
    """Whether the job can mint an OIDC token: ``id-token: write`` or ``write-all`` in the
    job's permissions, else (when the job sets none) the workflow's."""
    for perm in (job.permissions, wf.permissions):
        if perm is None:
            continue
        if perm.is_scalar:
            return (perm.text() or "").strip() == "write-all"
        return perm.is_map and (perm.str_at("id-token") or "") == "write"
    return False


def _container_creds(ctx: Ctx, c: YNode | None, where: str) -> None:
    if c is None or not c.is_map:
        return
    creds = c.get("credentials")
    if creds is None or not creds.is_map:
        return
    pw = creds.get("password")
    if pw is not None and pw.is_scalar and pw.text() and "${{" not in (pw.text() or ""):
        line = ctx.doc.line_text(pw.line)
        snippet = redact_line(line, pw.col - 1, pw.end_col - 1) if pw.line == pw.end_line else ""
        ctx.hit(
            CONTAINER_CREDS,
            pw,
            f"{where} registry password is written in the workflow",
            identity=ctx.secret_identity(pw.text() or ""),
            snippet=snippet,
        )


def _check_step(wf: Workflow, ctx: Ctx, job: Job, step: Step, has_oidc: bool) -> None:
    action = step.action
    w = step.with_
    run_node = step.run_node
    if run_node is not None and run_node.is_scalar:
        text = run_node.text() or ""
        if "secrets." in text:
            seen: dict[str, int] = {}
            for f, e in _fenced_exprs(text):
                occ = seen.get(f.raw, 0)
                seen[f.raw] = occ + 1
                paths = ex.context_paths(e)
                if any(
                    p[0] == "secrets" and p[1:2] != ("github_token",) for p in paths if len(p) > 1
                ):
                    ctx.hit(
                        SECRET_IN_RUN,
                        run_node.locate(f.raw, occ),
                        f"{f.raw.strip()} is expanded into the script of step '{step.name()}'",
                        identity=f"secretrun:{job.id}:{step.name()}:{f.raw}",
                    )
    if w is not None:
        if action == "aws-actions/configure-aws-credentials":
            k = w.get("aws-secret-access-key") or w.get("aws-access-key-id")
            if k is not None and w.get("role-to-assume") is None:
                ctx.hit(
                    STATIC_AWS,
                    k,
                    "configure-aws-credentials is given a static access key",
                    identity=f"aws:{job.id}:{step.name()}",
                )
        elif action == "google-github-actions/auth":
            k = w.get("credentials_json")
            if k is not None:
                ctx.hit(
                    STATIC_GCP,
                    k,
                    "google-github-actions/auth uses a service account key",
                    identity=f"gcp:{job.id}:{step.name()}",
                )
        elif action == "azure/login":
            k = w.get("creds")
            if k is not None:
                ctx.hit(
                    STATIC_AZURE,
                    k,
                    "azure/login uses a client secret (creds:)",
                    identity=f"azure:{job.id}:{step.name()}",
                )
        elif action == "rubygems/release-gem":
            k = w.get("setup-trusted-publisher")
            if k is not None and (k.text() or "").strip().lower() == "false":
                ctx.hit(
                    PUBLISH_TOKEN,
                    k,
                    "release-gem with setup-trusted-publisher: false pushes with an API key",
                    identity=f"publish:{job.id}:{step.name()}",
                )
        elif action == "rubygems/configure-rubygems-credentials":
            k = w.get("api-token")
            if k is not None and _public_index(w, ("gem-server",), ("rubygems.org",)):
                ctx.hit(
                    PUBLISH_TOKEN,
                    k,
                    "RubyGems credentials from a long-lived API key; use trusted publishing",
                    identity=f"publish:{job.id}:{step.name()}",
                )
        elif action == "pypa/gh-action-pypi-publish":
            k = w.get("password")
            public = _public_index(
                w, ("repository-url", "repository_url"), ("upload.pypi.org", "test.pypi.org")
            )
            if k is not None and "secrets." in (k.text() or "") and public:
                ctx.hit(
                    PUBLISH_TOKEN,
                    k,
                    "PyPI upload with an API token; use trusted publishing",
                    identity=f"publish:{job.id}:{step.name()}",
                )
    if run_node is not None and run_node.is_scalar and PUBLISH_CMD.search(step.run or ""):
        _check_publish(wf, ctx, job, step, run_node, has_oidc)
    env = step.env
    if env is not None:
        for name, v in env.pairs():
            if AWS_SECRET_NAMES.fullmatch(name) and "secrets." in (v.text() or "") and not has_oidc:
                ctx.hit(
                    STATIC_AWS,
                    v,
                    f"{name} comes from a long-lived secret",
                    identity=f"aws:{job.id}:{step.name()}:{name}",
                )
