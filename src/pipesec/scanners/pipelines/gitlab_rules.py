"""GitLab CI rules, run on a resolved :class:`~.gitlab_model.Pipeline`."""

from __future__ import annotations

import re

from pipesec.core.model import Confidence, Severity
from pipesec.core.redact import redact_line
from pipesec.core.yamlpos import YNode
from pipesec.scanners.pipelines import shell
from pipesec.scanners.pipelines.common import (
    DIGEST,
    FULL_SHA,
    SECRETISH_NAME,
    Ctx,
    rule,
    split_image,
)
from pipesec.scanners.pipelines.gitlab_model import GitlabJob, Include, Pipeline

DOCS = "https://docs.gitlab.com/ci/yaml/"
#: a made-up credential for the rule's example, built at run time (never stored whole)
_FAKE_PASSWORD = "-".join(("Wint3r", "Is", "Coming", "42"))

HARDCODED = rule(
    "gitlab/hardcoded-credential",
    "Credential written in clear in CI/CD variables",
    Severity.HIGH,
    "Values in `variables:` are part of the repository: everyone with read access, every "
    "fork and every clone has them, and they stay in history after removal.",
    "Rotate it, then store it as a masked and protected CI/CD variable (or in a secrets "
    "manager with `secrets:`) and reference `$NAME`.",
    f'variables:\n  DEPLOY_PASSWORD: "{_FAKE_PASSWORD}"\n\ndeploy:\n  script:\n    - ./deploy.sh\n',
    "variables:\n  DEPLOY_USER: deployer\n\ndeploy:\n  script:\n    - ./deploy.sh  # "
    "DEPLOY_PASSWORD is a masked, protected project variable\n",
    cwe=("CWE-798",),
    confidence=Confidence.MEDIUM,
)

IMAGE_LATEST = rule(
    "gitlab/image-latest",
    "Job image or service on :latest or without a tag",
    Severity.MEDIUM,
    "`latest` (or no tag) is whatever the registry serves today; a compromised or broken "
    "push runs in every pipeline at once and builds are not reproducible.",
    "Pin a version and a digest: `image: python:3.12-slim@sha256:<digest>`.",
    "test:\n  image: python:latest\n  script:\n    - pytest\n",
    "test:\n  image: python:3.12-slim@sha256:" + "ef" * 32 + "\n  script:\n    - pytest\n",
    cwe=("CWE-829",),
)

IMAGE_NO_DIGEST = rule(
    "gitlab/image-no-digest",
    "Job image or service pinned by tag, not digest",
    Severity.LOW,
    "Tags are mutable; only a digest guarantees the image the pipeline was reviewed with.",
    "Add the digest: `image: node:20-alpine@sha256:<digest>` (Renovate keeps it current).",
    "test:\n  image: node:20-alpine\n  script:\n    - npm test\n",
    "test:\n  image: node:20-alpine@sha256:" + "12" * 32 + "\n  script:\n    - npm test\n",
    cwe=("CWE-829",),
)

REMOTE_INCLUDE = rule(
    "gitlab/remote-include-unpinned",
    "Remote include without an integrity hash",
    Severity.HIGH,
    "A remote include is fetched at every pipeline run; whoever controls the URL decides "
    "what your jobs run, with your variables.",
    "Add `integrity: sha256-<base64>` to the include (GitLab 17.9+), or vendor the file "
    "into the repository.",
    "include:\n  - remote: https://example.com/ci/templates/build.yml\n\nbuild:\n  script:\n"
    "    - make\n",
    "include:\n  - remote: https://example.com/ci/templates/build.yml\n"
    "    integrity: sha256-L3/GAoKaw0Arw6hDCKeKQlV1QPEgHYxGBHsH4zG1IY8=\n\nbuild:\n  script:\n"
    "    - make\n",
    cwe=("CWE-829", "CWE-494"),
    references=(DOCS + "#includeintegrity",),
)

REMOTE_HTTP = rule(
    "gitlab/remote-include-http",
    "Remote include over plain HTTP",
    Severity.HIGH,
    "Anyone on the network path can replace a pipeline definition fetched over http://.",
    "Use https:// (and `integrity:`), or vendor the file.",
    "include:\n  - remote: http://ci.example.com/templates/build.yml\n"
    "    integrity: sha256-L3/GAoKaw0Arw6hDCKeKQlV1QPEgHYxGBHsH4zG1IY8=\n",
    "include:\n  - remote: https://ci.example.com/templates/build.yml\n"
    "    integrity: sha256-L3/GAoKaw0Arw6hDCKeKQlV1QPEgHYxGBHsH4zG1IY8=\n",
    cwe=("CWE-319",),
)

PROJECT_INCLUDE = rule(
    "gitlab/project-include-unpinned",
    "Project include on a branch instead of a tag or commit",
    Severity.MEDIUM,
    "Without `ref:` (or with a branch) the included file is whatever the other project's "
    "branch holds now; anyone who can push there changes your pipeline.",
    "Set `ref:` to a commit SHA (or a protected tag).",
    "include:\n  - project: platform/ci-templates\n    file: /build.yml\n",
    "include:\n  - project: platform/ci-templates\n"
    "    ref: 9f2c1e7b4d3a5f6e8c0b1a2d3e4f5a6b7c8d9e0f\n"
    "    file: /build.yml\n",
    cwe=("CWE-829",),
)

COMPONENT = rule(
    "gitlab/component-unpinned",
    "CI/CD component not pinned to a version or SHA",
    Severity.MEDIUM,
    "`@~latest`, a branch or no version pulls whatever the component's project publishes "
    "next into your pipeline.",
    "Pin the component to a released version or commit SHA: `@1.4.2` or `@<sha>`.",
    "include:\n  - component: $CI_SERVER_FQDN/acme/components/lint@~latest\n",
    "include:\n  - component: $CI_SERVER_FQDN/acme/components/lint@1.4.2\n",
    cwe=("CWE-829",),
)

DEBUG_TRACE = rule(
    "gitlab/debug-trace",
    "CI_DEBUG_TRACE / CI_DEBUG_SERVICES enabled",
    Severity.HIGH,
    "Debug tracing prints every command with all variables expanded, including masked "
    "and protected secrets, into the job log.",
    "Remove the variable; enable it only for a single manual run when needed.",
    'variables:\n  CI_DEBUG_TRACE: "true"\n\ndeploy:\n  script:\n    - ./deploy.sh\n',
    "deploy:\n  script:\n    - ./deploy.sh\n",
    cwe=("CWE-532",),
)

PROD_NOT_MANUAL = rule(
    "gitlab/deploy-prod-not-manual",
    "Production deploy job runs without manual approval",
    Severity.MEDIUM,
    "A production deploy that starts automatically ships every merged change with no human "
    "decision; combined with unprotected branches it ships unreviewed code.",
    "Add `when: manual` (in the job or its `rules:`) and protect the environment with "
    "required approvals.",
    "deploy_prod:\n  stage: deploy\n  environment: production\n  rules:\n"
    "    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n  script:\n    - ./deploy.sh\n",
    "deploy_prod:\n  stage: deploy\n  environment: production\n  rules:\n"
    "    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n      when: manual\n  script:\n"
    "    - ./deploy.sh\n",
    cwe=("CWE-284",),
    confidence=Confidence.MEDIUM,
)

PROD_UNPROTECTED = rule(
    "gitlab/deploy-prod-unrestricted",
    "Production deploy job not restricted to the default branch or tags",
    Severity.HIGH,
    "Without `rules:`/`only:` limiting it to protected refs, the production deploy job can "
    "run from any branch a developer pushes, with production credentials.",
    "Restrict it: `rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH` (a protected "
    "branch) or `$CI_COMMIT_TAG`, and protect the environment.",
    "deploy_prod:\n  environment: production\n  when: manual\n  script:\n    - ./deploy.sh\n",
    "deploy_prod:\n  environment: production\n  rules:\n    - if: $CI_COMMIT_TAG\n"
    "      when: manual\n  script:\n    - ./deploy.sh\n",
    cwe=("CWE-284",),
    confidence=Confidence.MEDIUM,
)

SECURITY_ALLOW_FAILURE = rule(
    "gitlab/security-job-allow-failure",
    "Security scanning job allowed to fail",
    Severity.MEDIUM,
    "With `allow_failure: true` the scanner never blocks a merge: its findings become a "
    "report nobody has to read.",
    "Remove `allow_failure: true` from security jobs; tune their thresholds instead.",
    "include:\n  - template: Jobs/Secret-Detection.gitlab-ci.yml\n\nsecret_detection:\n"
    "  allow_failure: true\n",
    "include:\n  - template: Jobs/Secret-Detection.gitlab-ci.yml\n\nsecret_detection:\n"
    "  allow_failure: false\n",
    cwe=("CWE-693",),
)

STATIC_CLOUD = rule(
    "gitlab/static-cloud-keys",
    "Long-lived cloud keys where id_tokens (OIDC) fits",
    Severity.MEDIUM,
    "Static AWS keys, GCP key files and Azure client secrets in CI variables never expire "
    "and work from anywhere once they leak from a job.",
    "Use `id_tokens:` with the cloud's workload identity federation (AWS "
    "AssumeRoleWithWebIdentity, GCP WIF, Azure federated credentials) and delete the keys.",
    "deploy:\n  script:\n    - aws s3 sync dist/ s3://acme-site --region eu-west-1\n"
    "  variables:\n    AWS_ACCESS_KEY_ID: $PROD_AWS_KEY_ID\n"
    "    AWS_SECRET_ACCESS_KEY: $PROD_AWS_SECRET\n",
    "deploy:\n  id_tokens:\n    AWS_TOKEN:\n      aud: sts.amazonaws.com\n  variables:\n"
    "    AWS_ROLE_ARN: arn:aws:iam::123456789012:role/deploy\n"
    "    AWS_WEB_IDENTITY_TOKEN_FILE: web-identity-token\n  script:\n"
    '    - echo "$AWS_TOKEN" > web-identity-token\n'
    "    - aws s3 sync dist/ s3://acme-site --region eu-west-1\n",
    cwe=("CWE-798",),
    references=("https://docs.gitlab.com/ci/cloud_services/",),
)

FORK_MR = rule(
    "gitlab/fork-mr-secrets",
    "Merge request job uses secrets without excluding fork merge requests",
    Severity.MEDIUM,
    "A maintainer who runs a fork's merge request pipeline in the parent project runs the "
    "contributor's code with the project's CI variables; jobs that need secrets must not "
    "run for fork MRs.",
    "Skip fork MRs: `rules: - if: $CI_MERGE_REQUEST_SOURCE_PROJECT_ID != $CI_PROJECT_ID "
    "when: never`, and mark the secrets protected.",
    'integration:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n'
    '  script:\n    - ./integration.sh --token "$STAGING_API_TOKEN"\n',
    "integration:\n  rules:\n    - if: $CI_MERGE_REQUEST_SOURCE_PROJECT_ID != $CI_PROJECT_ID\n"
    '      when: never\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n'
    '  script:\n    - ./integration.sh --token "$STAGING_API_TOKEN"\n',
    cwe=("CWE-829",),
    confidence=Confidence.MEDIUM,
)

SCRIPT_INJECTION = rule(
    "gitlab/script-injection",
    "Attacker-controlled predefined variable evaluated as code",
    Severity.HIGH,
    "Commit messages, merge request titles and descriptions and branch names are chosen "
    "by whoever pushes or opens the MR; passing them to `eval`, `sh -c` or similar runs "
    "their text as commands.",
    'Never evaluate these variables; use them as quoted data (`"$CI_COMMIT_TITLE"`).',
    'notify:\n  script:\n    - eval "echo Building $CI_COMMIT_MESSAGE"\n',
    'notify:\n  script:\n    - echo "Building $CI_COMMIT_MESSAGE"\n',
    cwe=("CWE-78", "CWE-95"),
)

INPUTS_INJECTION = rule(
    "gitlab/inputs-injection",
    "String input interpolated into a script with $[[ inputs ]]",
    Severity.MEDIUM,
    "`$[[ inputs.x ]]` is pasted into the YAML before the job runs; a caller-supplied "
    "value with shell syntax becomes commands in the job.",
    'Pass the input through a variable (`variables: X: $[[ inputs.x ]]`) and use "$X" '
    "in the script, or restrict it with `options:`/`regex:`.",
    "spec:\n  inputs:\n    target:\n---\nbuild:\n  script:\n    - make $[[ inputs.target ]]\n",
    "spec:\n  inputs:\n    target:\n---\nbuild:\n  variables:\n    TARGET: $[[ inputs.target ]]\n"
    '  script:\n    - make "$TARGET"\n',
    cwe=("CWE-78",),
)

DIND_NO_TLS = rule(
    "gitlab/dind-without-tls",
    "Docker-in-Docker service without TLS",
    Severity.MEDIUM,
    'With `DOCKER_TLS_CERTDIR: ""` (or DOCKER_HOST on port 2375) the privileged dind '
    "daemon listens unauthenticated; other containers on the runner network can run "
    "privileged containers through it.",
    'Keep TLS on: leave DOCKER_TLS_CERTDIR at "/certs" and use tcp://docker:2376; better, '
    "build with kaniko/buildah without a privileged daemon.",
    "build:\n  image: docker:27.3@sha256:" + "aa" * 32 + "\n  services:\n"
    "    - docker:27.3-dind@sha256:" + "bb" * 32 + "\n  variables:\n"
    '    DOCKER_TLS_CERTDIR: ""\n  script:\n    - docker build -t app .\n',
    "build:\n  image: docker:27.3@sha256:" + "aa" * 32 + "\n  services:\n"
    "    - docker:27.3-dind@sha256:" + "bb" * 32 + "\n  variables:\n"
    '    DOCKER_TLS_CERTDIR: "/certs"\n  script:\n    - docker build -t app .\n',
    cwe=("CWE-306",),
)

ARTIFACT_CREDS = rule(
    "gitlab/artifacts-credential-files",
    "Job artifacts include credential files",
    Severity.HIGH,
    "Artifacts are downloadable by everyone who can see the pipeline (and by later jobs); "
    "a kubeconfig, .env, key or registry config in them leaks the credential.",
    "Remove the credential files from `artifacts:paths` (or add them to `exclude:`).",
    "build:\n  script:\n    - ./build.sh\n  artifacts:\n    paths:\n      - dist/\n      - .env\n",
    "build:\n  script:\n    - ./build.sh\n  artifacts:\n    paths:\n      - dist/\n",
    cwe=("CWE-538",),
)

JOB_TOKEN_EXTERNAL = rule(
    "gitlab/job-token-third-party",
    "CI_JOB_TOKEN sent to a host other than GitLab",
    Severity.HIGH,
    "The job token can read and write the project's packages, registry and repository "
    "while the job runs; sending it to another host hands that access to that host.",
    "Send CI_JOB_TOKEN only to $CI_SERVER_URL / $CI_API_V4_URL / $CI_REGISTRY; use a "
    "dedicated, scoped credential for other services.",
    "notify:\n  script:\n    - 'curl -H \"JOB-TOKEN: $CI_JOB_TOKEN\" https://hooks.example.net/ci'\n",
    'notify:\n  script:\n    - \'curl -H "JOB-TOKEN: $CI_JOB_TOKEN" '
    '"$CI_API_V4_URL/projects/$CI_PROJECT_ID/packages"\'\n',
    cwe=("CWE-522",),
)

FORWARD_VARIABLES = rule(
    "gitlab/trigger-forwards-variables",
    "Downstream trigger forwards pipeline variables",
    Severity.LOW,
    "`forward: pipeline_variables: true` passes manually set and triggered variables "
    "(often credentials) to another project's pipeline, whose maintainers can read them.",
    "Pass only the variables the downstream pipeline needs in the trigger job's `variables:`.",
    "deploy:\n  trigger:\n    project: acme/deployments\n    forward:\n"
    "      pipeline_variables: true\n",
    "deploy:\n  trigger:\n    project: acme/deployments\n    forward:\n"
    "      pipeline_variables: false\n",
    cwe=("CWE-668",),
)

DOCKER_SOCKET = rule(
    "gitlab/docker-socket",
    "Job talks to the runner host's Docker socket",
    Severity.HIGH,
    "The host's /var/run/docker.sock gives root on the runner: a job (or a dependency it "
    "runs) can read other jobs' files and secrets and persist on the machine.",
    "Use Docker-in-Docker with TLS, or daemonless builders (kaniko, buildah).",
    "build:\n  variables:\n    DOCKER_HOST: unix:///var/run/docker.sock\n  script:\n"
    "    - docker build -t app .\n",
    "build:\n  variables:\n    DOCKER_HOST: tcp://docker:2376\n  script:\n"
    "    - docker build -t app .\n",
    cwe=("CWE-250",),
)

SECRET_ECHO = rule(
    "gitlab/secret-echo",
    "Secret or the whole environment printed to the job log",
    Severity.MEDIUM,
    "`echo $TOKEN`, `env` or `printenv` write variables into the log; unmasked, derived or "
    "short variables are not hidden and logs are kept and widely readable.",
    "Do not print secrets or the environment; print only the names you need to debug.",
    "debug:\n  script:\n    - printenv\n",
    "debug:\n  script:\n    - printenv CI_COMMIT_SHA CI_PIPELINE_ID\n",
    cwe=("CWE-532",),
)

RULES = (
    HARDCODED,
    IMAGE_LATEST,
    IMAGE_NO_DIGEST,
    REMOTE_INCLUDE,
    REMOTE_HTTP,
    PROJECT_INCLUDE,
    COMPONENT,
    DEBUG_TRACE,
    PROD_NOT_MANUAL,
    PROD_UNPROTECTED,
    SECURITY_ALLOW_FAILURE,
    STATIC_CLOUD,
    FORK_MR,
    SCRIPT_INJECTION,
    INPUTS_INJECTION,
    DIND_NO_TLS,
    ARTIFACT_CREDS,
    JOB_TOKEN_EXTERNAL,
    FORWARD_VARIABLES,
    DOCKER_SOCKET,
    SECRET_ECHO,
)

TAINTED_VARS = (
    "CI_COMMIT_MESSAGE",
    "CI_COMMIT_TITLE",
    "CI_COMMIT_DESCRIPTION",
    "CI_COMMIT_TAG_MESSAGE",
    "CI_COMMIT_AUTHOR",
    "CI_COMMIT_BRANCH",
    "CI_COMMIT_REF_NAME",
    "CI_MERGE_REQUEST_TITLE",
    "CI_MERGE_REQUEST_DESCRIPTION",
    "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
    "CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME",
)
_TV = "|".join(TAINTED_VARS)
EVAL_SINK = re.compile(
    r"(?:\beval\b|\b(?:ba|z|da)?sh\s+-c\b|\bpython[0-9.]*\s+-c\b|\bnode\s+-e\b|\bperl\s+-e\b"
    r"|\bsource\s+<\()[^\n]*\$\{?(?P<var>" + _TV + r")\b"
)
INPUT_INTERP = re.compile(r"\$\[\[\s*inputs\.([A-Za-z0-9_-]+)[^\]]*\]\]")
PROD = re.compile(r"(?<![a-z])(prod|production|prd|live)(?![a-z])", re.IGNORECASE)
PROTECTED_REF = re.compile(
    r"CI_DEFAULT_BRANCH|CI_COMMIT_TAG|CI_COMMIT_REF_PROTECTED|==\s*[\"']?(?:main|master|release)"
    r"|=~\s*/\^?(?:v|release)",
    re.IGNORECASE,
)
FORK_CHECK = re.compile(
    r"CI_MERGE_REQUEST_SOURCE_PROJECT_(?:ID|PATH)|CI_PROJECT_NAMESPACE|CI_MERGE_REQUEST_EVENT_TYPE"
)
CRED_FILES = re.compile(
    r"(?:^|/)(?:\.env(?:\.[\w-]+)?|[^/]*\.pem|[^/]*\.key|id_rsa|id_ed25519|\.npmrc|\.pypirc"
    r"|\.netrc|\.git-credentials|kubeconfig|\.kube/config|\.docker/config\.json|credentials"
    r"(?:\.json)?|[^/]*\.tfstate|[^/]*\.p12|[^/]*\.pfx|service-account[^/]*\.json)$",
    re.IGNORECASE,
)
GITLAB_HOST = re.compile(
    r"\$\{?CI_(?:SERVER_URL|API_V4_URL|SERVER_HOST|REGISTRY|SERVER_FQDN|PROJECT_URL|API_GRAPHQL_URL"
    r"|REPOSITORY_URL|DEPENDENCY_PROXY_SERVER)|gitlab\.com|registry\.gitlab|gitlab\.",
    re.IGNORECASE,
)
URL = re.compile(r"https?://[^\s\"'/]+")
ECHO_SECRET = re.compile(
    r"^\s*(?:echo|printf)\b[^\n|>]*\$\{?(?P<var>CI_JOB_TOKEN|CI_REGISTRY_PASSWORD|[A-Z0-9_]*"
    r"(?:PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY)[A-Z0-9_]*)\b(?![^\n]*(?:\||>))"
)
ENV_DUMP = re.compile(r"^\s*(?:printenv|env|export\s+-p|set)\s*(?:$|[|;&>])")
PREDEFINED = re.compile(r"^(?:CI_|GITLAB_|FF_)")
VAR_REF = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)")
SECURITY_TEMPLATES = re.compile(
    r"SAST|Secret-Detection|Dependency-Scanning|Container-Scanning|DAST|License-Scanning"
    r"|Fuzz|IaC|Code-Quality|secret-detection|dependency-scanning|container-scanning|sast",
)
SECURITY_JOB_NAMES = re.compile(
    r"^(?:sast|secret_detection|dependency_scanning|container_scanning|dast|iac-sast"
    r"|kics-iac-sast|semgrep-sast|gemnasium[\w-]*|.*-sast|pipesec[\w-]*|gitleaks|trivy[\w-]*"
    r"|license_scanning|api_fuzzing|coverage_fuzzing)$",
    re.IGNORECASE,
)
SECURITY_TOOLS = re.compile(
    r"\b(?:pipesec|gitleaks|trufflehog|semgrep|bandit|trivy|grype|snyk|checkov|tfsec|kics"
    r"|osv-scanner|pip-audit|npm\s+audit|detect-secrets|gosec|zap-baseline|zap-full-scan)\b",
    re.IGNORECASE,
)
CLOUD_KEYS = re.compile(
    r"\b(AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|GOOGLE_APPLICATION_CREDENTIALS|GCP_SERVICE_KEY"
    r"|GCLOUD_SERVICE_KEY|ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET)\b"
)
PLACEHOLDER = re.compile(
    r"^(?:changeme|change-me|example|dummy|test|xxx+|\*+|<.*>|none|null)$", re.IGNORECASE
)


def _image_nodes(job: GitlabJob) -> list[tuple[YNode, str]]:
    out = []
    img = job.get("image")
    if img is not None:
        n = img if img.is_scalar else img.get("name")
        if n is not None and n.text():
            out.append((n, "image"))
    services = job.get("services")
    if services is not None:
        for s in services.seq():
            n = s if s.is_scalar else s.get("name")
            if n is not None and n.text():
                out.append((n, "service"))
    return out


def _job_vars(job: GitlabJob) -> YNode | None:
    v = job.get("variables")
    return v if v is not None and v.is_map else None


def _var_value(v: YNode) -> YNode | None:
    if v.is_scalar:
        return v
    if v.is_map:
        return v.get("value")
    return None


def _var_scopes(pipe: Pipeline, job: GitlabJob | None) -> list[YNode]:
    scopes = []
    if job is not None:
        jv = _job_vars(job)
        if jv is not None:
            scopes.append(jv)
    gv = pipe.global_variables()
    if gv is not None:
        scopes.append(gv)
    return scopes


def _var(pipe: Pipeline, job: GitlabJob, name: str) -> YNode | None:
    for scope in _var_scopes(pipe, job):
        v = scope.get(name)
        if v is not None:
            return _var_value(v)
    return None


def _script_text(job: GitlabJob) -> str:
    return "\n".join(n.text() or "" for n in job.script_nodes())


def all_text(node: YNode | None, depth: int = 0) -> str:
    """The keys and scalar values under ``node`` (after !reference resolution), one per line."""
    if node is None or depth > 30:
        return ""
    if node.is_scalar:
        return node.text() or ""
    if node.is_map:
        return "\n".join(f"{k}: {all_text(v, depth + 1)}" for k, v in node.pairs())
    return "\n".join(all_text(c, depth + 1) for c in node.seq())


def _rules_text(job: GitlabJob) -> str:
    return "\n".join(all_text(job.get(key)) for key in ("rules", "only", "except"))


def _is_prod(job: GitlabJob) -> tuple[bool, YNode | None]:
    name, node = job.environment_name()
    if name:
        return bool(PROD.search(name)) and not name.startswith("review"), node
    return False, None


def _manual(job: GitlabJob) -> bool:
    w = job.get("when")
    if w is not None and (w.text() or "") == "manual":
        return True
    rules = job.get("rules")
    if rules is not None:
        for r in _flatten_maps(rules):
            if (r.str_at("when") or "") == "manual":
                return True
    return False


def _flatten_maps(node: YNode, depth: int = 0) -> list[YNode]:
    """The mappings of a list that GitLab flattens (``- !reference [.x, rules]`` items)."""
    if depth > 10:
        return []
    if node.is_map:
        return [node]
    if node.is_seq:
        return [m for c in node.seq() for m in _flatten_maps(c, depth + 1)]
    return []


def uses_secrets(pipe: Pipeline, job: GitlabJob) -> bool:
    text = _script_text(job)
    for var in VAR_REF.findall(text):
        if PREDEFINED.match(var) and var not in ("CI_REGISTRY_PASSWORD", "CI_JOB_TOKEN"):
            continue
        if SECRETISH_NAME.search(var) and _var(pipe, job, var) is None:
            return True
    return False


def _include_hits(pipe: Pipeline, ctx: Ctx) -> None:
    for inc in pipe.includes:
        _check_include(ctx, inc)


def _check_include(ctx: Ctx, inc: Include) -> None:
    node = inc.node.get(inc.kind) if inc.node.is_map else inc.node
    node = node or inc.node
    if inc.kind == "remote":
        if inc.target.startswith("http://"):
            ctx.hit(
                REMOTE_HTTP,
                node,
                f"remote include {inc.target} is fetched over http",
                identity=f"http:{inc.target}",
            )
        if not inc.integrity:
            ctx.hit(
                REMOTE_INCLUDE,
                node,
                f"remote include {inc.target} has no integrity hash",
                identity=f"remote:{inc.target}",
            )
    elif inc.kind == "project":
        ref = inc.ref
        pinned = bool(FULL_SHA.match(ref)) or bool(re.match(r"^v?\d+(\.\d+)*([-.+]\w+)*$", ref))
        if not pinned:
            what = f"branch/ref {ref!r}" if ref else "no ref (the default branch)"
            ctx.hit(
                PROJECT_INCLUDE,
                inc.node.get("ref") or node,
                f"project include {inc.target} uses {what}",
                identity=f"project:{inc.target}",
            )
    elif inc.kind == "component":
        ref = inc.ref
        pinned = bool(FULL_SHA.match(ref)) or bool(re.match(r"^v?\d+\.\d+\.\d+", ref))
        if not pinned:
            ctx.hit(
                COMPONENT,
                node,
                f"component {inc.target} is not pinned to a full version or SHA",
                identity=f"component:{inc.target}",
            )


def _image_hits(ctx: Ctx, job: GitlabJob, seen: set[int]) -> None:
    for n, what in _image_nodes(job):
        if id(n) in seen:
            continue
        seen.add(id(n))
        image = n.text() or ""
        if "$" in image:
            continue
        _name, tag, digest = split_image(image)
        if digest or DIGEST.search(image):
            continue
        if tag in ("", "latest"):
            ctx.hit(
                IMAGE_LATEST,
                n,
                f"{what} {image!r} " + ("has no tag" if not tag else "uses :latest"),
                identity=f"{what}:{image}",
            )
        else:
            ctx.hit(
                IMAGE_NO_DIGEST,
                n,
                f"{what} {image!r} is pinned by tag only",
                identity=f"{what}:{image}",
            )


def check(pipe: Pipeline, ctx: Ctx) -> None:
    _include_hits(pipe, ctx)
    security_template = any(
        inc.kind in ("template", "component", "project", "remote", "local")
        and SECURITY_TEMPLATES.search(inc.target + " ".join(inc.files))
        for inc in pipe.includes
    )
    var_seen: set[int] = set()
    for scope in _var_scopes(pipe, None):
        _variable_hits(ctx, scope, var_seen)
    images_seen: set[int] = set()
    jobs = [j for j in pipe.jobs if not j.hidden]
    for job in jobs:
        jv = _job_vars(job)
        if jv is not None:
            _variable_hits(ctx, jv, var_seen)
        _image_hits(ctx, job, images_seen)
        _job_hits(pipe, ctx, job, security_template)
    scripts = []
    seen_nodes: set[int] = set()
    for job in jobs:
        secret = uses_secrets(pipe, job)
        nodes = job.script_nodes()
        for i, n in enumerate(nodes):
            if id(n) in seen_nodes:
                continue
            seen_nodes.add(id(n))
            after = "\n".join(x.text() or "" for x in nodes[i + 1 :])
            scripts.append(shell.Script(n, n.text() or "", secret, job.name, after))
    shell.check(ctx, shell.GITLAB_RULES, scripts)
    _script_hits(pipe, ctx, scripts)


def _variable_hits(ctx: Ctx, scope: YNode, seen: set[int]) -> None:
    if id(scope) in seen:
        return
    seen.add(id(scope))
    for name, v in scope.pairs():
        val = _var_value(v)
        if val is None or not val.is_scalar:
            continue
        text = val.text() or ""
        if name in ("CI_DEBUG_TRACE", "CI_DEBUG_SERVICES") and text.lower() == "true":
            ctx.hit(
                DEBUG_TRACE,
                scope.keys.get(name, val),
                f"{name} prints every variable",
                identity=f"debug:{name}",
            )
        if (
            SECRETISH_NAME.search(name)
            and not name.endswith(("_FILE", "_PATH", "_URL", "_USER", "_USERNAME", "_NAME", "_ID"))
            and text
            and "$" not in text
            and len(text) >= 8
            and not PLACEHOLDER.match(text)
            and not text.startswith(("/", "./"))
            and " " not in text
        ):
            snippet = ""
            if val.line == val.end_line:
                line = val.doc.line_text(val.line) if val.doc else ""
                snippet = redact_line(
                    line,
                    val.col - 1 + (1 if val.style else 0),
                    val.end_col - 1 - (1 if val.style else 0),
                )
            ctx.hit(
                HARDCODED,
                val,
                f"variable {name} holds a literal credential",
                identity=ctx.secret_identity(text),
                snippet=snippet,
            )
        if name == "DOCKER_HOST" and "docker.sock" in text:
            ctx.hit(
                DOCKER_SOCKET,
                val,
                "DOCKER_HOST points at the runner host's socket",
                identity=f"sock:{name}",
            )


def _job_hits(pipe: Pipeline, ctx: Ctx, job: GitlabJob, security_template: bool) -> None:
    prod, env_node = _is_prod(job)
    if prod and job.get("trigger") is None:
        where = env_node or job.key_node
        if not _manual(job):
            ctx.hit(
                PROD_NOT_MANUAL,
                where,
                f"job '{job.name}' deploys to production automatically",
                identity=f"manual:{job.name}",
            )
        if not PROTECTED_REF.search(_rules_text(job)):
            ctx.hit(
                PROD_UNPROTECTED,
                where,
                f"job '{job.name}' can deploy to production from any branch",
                identity=f"unprot:{job.name}",
            )
    af = job.get("allow_failure")
    if af is not None and af.truthy():
        security = SECURITY_TOOLS.search(_script_text(job)) is not None or (
            security_template and SECURITY_JOB_NAMES.match(job.name) is not None
        )
        if security:
            ctx.hit(
                SECURITY_ALLOW_FAILURE,
                af,
                f"security job '{job.name}' has allow_failure: true",
                identity=f"af:{job.name}",
            )
    if job.get("id_tokens") is None:
        text = _script_text(job)
        jv = _job_vars(job)
        keys: list[tuple[str, YNode]] = []
        if jv is not None:
            keys += [(k, jv.keys.get(k, v)) for k, v in jv.pairs() if CLOUD_KEYS.fullmatch(k)]
        if keys:
            for k, n in keys:
                ctx.hit(
                    STATIC_CLOUD,
                    n,
                    f"job '{job.name}' uses static {k}",
                    identity=f"cloud:{job.name}:{k}",
                )
        else:
            for n in job.script_nodes():
                m = CLOUD_KEYS.search(n.text() or "")
                if m and ("$" + m.group(1) in (n.text() or "") or "${" + m.group(1) in text):
                    ctx.hit(
                        STATIC_CLOUD,
                        n.locate(m.group(1)),
                        f"job '{job.name}' uses static {m.group(1)}",
                        identity=f"cloud:{job.name}:{m.group(1)}",
                        doc=n.doc,
                    )
                    break
    if (
        _runs_on_mr(pipe, job)
        and uses_secrets(pipe, job)
        and not FORK_CHECK.search(_rules_text(job) + all_text(pipe.top.get("workflow")))
    ):
        ctx.hit(
            FORK_MR,
            job.get("rules") or job.get("only") or job.key_node,
            f"job '{job.name}' runs for merge requests (including forks) and uses secrets",
            identity=f"fork:{job.name}",
        )
    services = job.get("services")
    if services is not None:
        dind = [
            s
            for s in services.seq()
            if "dind" in ((s.text() if s.is_scalar else s.str_at("name")) or "")
        ]
        if dind:
            certdir = _var(pipe, job, "DOCKER_TLS_CERTDIR")
            host = _var(pipe, job, "DOCKER_HOST")
            if (certdir is not None and (certdir.text() or "") == "") or (
                host is not None and ":2375" in (host.text() or "")
            ):
                tls_node: YNode | None = (
                    certdir if certdir is not None and (certdir.text() or "") == "" else host
                )
                ctx.hit(
                    DIND_NO_TLS,
                    tls_node or dind[0],
                    f"job '{job.name}' runs docker:dind without TLS",
                    identity=f"dind:{job.name}",
                )
    arts = job.get("artifacts")
    if arts is not None and arts.is_map:
        paths = arts.get("paths")
        excl = arts.get("exclude")
        excluded = {x.text() or "" for x in excl.seq()} if excl is not None else set()
        for p in paths.seq() if paths is not None else []:
            t = (p.text() or "").rstrip("/")
            if CRED_FILES.search(t) and t not in excluded:
                ctx.hit(
                    ARTIFACT_CREDS,
                    p,
                    f"artifact path {t!r} is a credential file",
                    identity=f"art:{job.name}:{t}",
                )
    trig = job.get("trigger")
    if trig is not None and trig.is_map:
        fwd = trig.get("forward")
        pv = fwd.get("pipeline_variables") if fwd is not None else None
        if pv is not None and pv.truthy():
            ctx.hit(
                FORWARD_VARIABLES,
                pv,
                f"trigger job '{job.name}' forwards pipeline variables downstream",
                identity=f"fwd:{job.name}",
            )


def _runs_on_mr(pipe: Pipeline, job: GitlabJob) -> bool:
    text = _rules_text(job)
    if "merge_request" in text:
        return True
    if job.get("rules") is None and job.get("only") is None:
        wf = pipe.top.get("workflow")
        return wf is not None and "merge_request_event" in all_text(wf)
    return False


def _input_types(spec: YNode | None) -> dict[str, str]:
    out: dict[str, str] = {}
    inputs = spec.get("inputs") if spec is not None else None
    if inputs is not None and inputs.is_map:
        for name, item in inputs.pairs():
            typ = item.str_at("type") if item.is_map else None
            restricted = item.is_map and (
                item.get("options") is not None or item.get("regex") is not None
            )
            out[name] = "restricted" if restricted else (typ or "string")
    return out


def _script_hits(pipe: Pipeline, ctx: Ctx, scripts: list[shell.Script]) -> None:
    types_of: dict[int, dict[str, str]] = {id(d): _input_types(d.spec) for d in pipe.docs}
    for s in scripts:
        text = s.text
        for m in EVAL_SINK.finditer(text):
            ctx.hit(
                SCRIPT_INJECTION,
                s.node.locate(m.group()),
                f"${m.group('var')} is evaluated as shell code",
                identity=f"{s.job}:{m.group()}",
                doc=s.node.doc,
            )
        for m in INPUT_INTERP.finditer(text):
            types = types_of.get(id(s.node.doc), {}) if s.node.doc is not None else {}
            typ = types.get(m.group(1), "string")
            if typ == "string":
                ctx.hit(
                    INPUTS_INJECTION,
                    s.node.locate(m.group()),
                    f"input {m.group(1)!r} is pasted into the script",
                    identity=f"{s.job}:{m.group()}",
                    doc=s.node.doc,
                )
        if "CI_JOB_TOKEN" in text:
            for line in text.split("\n"):
                if "CI_JOB_TOKEN" not in line or not re.search(r"\b(?:curl|wget|http)", line):
                    continue
                hosts = URL.findall(line)
                if hosts and not GITLAB_HOST.search(line):
                    ctx.hit(
                        JOB_TOKEN_EXTERNAL,
                        s.node.locate(hosts[0]),
                        f"CI_JOB_TOKEN is sent to {hosts[0]}",
                        identity=f"{s.job}:{hosts[0]}",
                        doc=s.node.doc,
                    )
        for line in text.split("\n"):
            em = ECHO_SECRET.search(line)
            if em is not None and not (
                PREDEFINED.match(em.group("var"))
                and em.group("var") not in ("CI_JOB_TOKEN", "CI_REGISTRY_PASSWORD")
            ):
                ctx.hit(
                    SECRET_ECHO,
                    s.node.locate(line.strip()),
                    f"${em.group('var')} is printed to the job log",
                    identity=f"{s.job}:{line.strip()}",
                    doc=s.node.doc,
                )
            elif ENV_DUMP.search(line):
                ctx.hit(
                    SECRET_ECHO,
                    s.node.locate(line.strip()),
                    "the whole environment is printed to the job log",
                    identity=f"{s.job}:{line.strip()}",
                    doc=s.node.doc,
                )
