"""Which expression values an outside attacker controls, followed through ``env:``, step
outputs and job outputs.

Only contexts whose text an outsider chooses are sources (titles, bodies, branch names,
commit messages, ...); numbers, SHAs, booleans, ``steps.*.outcome`` and comparisons are not.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from pipesec.core.yamlpos import YNode
from pipesec.scanners.pipelines import expressions as ex
from pipesec.scanners.pipelines.gha_model import LOCAL_USES, Job, Step, Workflow

PR = frozenset(
    {
        "pull_request",
        "pull_request_target",
        "pull_request_review",
        "pull_request_review_comment",
    }
)
ISSUE = frozenset({"issues", "issue_comment"})
COMMENT = frozenset(
    {"issue_comment", "pull_request_review_comment", "commit_comment", "discussion_comment"}
)
PUSH = frozenset({"push"})
WF_RUN = frozenset({"workflow_run"})
DISC = frozenset({"discussion", "discussion_comment"})

# (pattern, events where an outsider sets it); "*" matches one path element
SOURCES: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = tuple(
    (tuple(p.split(".")), ev)
    for p, ev in [
        ("github.head_ref", PR),
        ("github.event.issue.title", ISSUE),
        ("github.event.issue.body", ISSUE),
        ("github.event.pull_request.title", PR),
        ("github.event.pull_request.body", PR),
        ("github.event.pull_request.head.ref", PR),
        ("github.event.pull_request.head.label", PR),
        ("github.event.pull_request.head.repo.default_branch", PR),
        ("github.event.pull_request.head.repo.description", PR),
        ("github.event.pull_request.head.repo.homepage", PR),
        ("github.event.comment.body", COMMENT),
        ("github.event.review.body", frozenset({"pull_request_review"})),
        ("github.event.review_comment.body", frozenset({"pull_request_review_comment"})),
        ("github.event.pages.*.page_name", frozenset({"gollum"})),
        ("github.event.pages.*.title", frozenset({"gollum"})),
        ("github.event.commits.*.message", PUSH),
        ("github.event.commits.*.author.name", PUSH),
        ("github.event.commits.*.author.email", PUSH),
        ("github.event.commits.*.committer.name", PUSH),
        ("github.event.commits.*.committer.email", PUSH),
        ("github.event.head_commit.message", PUSH),
        ("github.event.head_commit.author.name", PUSH),
        ("github.event.head_commit.author.email", PUSH),
        ("github.event.head_commit.committer.name", PUSH),
        ("github.event.head_commit.committer.email", PUSH),
        ("github.event.workflow_run.head_branch", WF_RUN),
        ("github.event.workflow_run.display_title", WF_RUN),
        ("github.event.workflow_run.head_commit.message", WF_RUN),
        ("github.event.workflow_run.head_commit.author.name", WF_RUN),
        ("github.event.workflow_run.head_commit.author.email", WF_RUN),
        ("github.event.workflow_run.head_repository.description", WF_RUN),
        ("github.event.workflow_run.pull_requests.*.head.ref", WF_RUN),
        ("github.event.discussion.title", DISC),
        ("github.event.discussion.body", DISC),
        ("github.event.client_payload.*", frozenset({"repository_dispatch"})),
        ("github.event.check_suite.head_branch", frozenset({"check_suite"})),
        ("github.event.check_run.check_suite.head_branch", frozenset({"check_run"})),
    ]
)

#: branch and tag names: chosen by whoever can push to the repository (or open a pull
#: request against a branch they created there); git allows `$(...)`, backticks and `;` in
#: them, so they are code in a script too (kind "pusher", reported as low)
PUSHER_SOURCES = frozenset(
    {
        ("github", "ref"),
        ("github", "ref_name"),
        ("github", "base_ref"),
        ("github", "event", "ref"),
        ("github", "event", "base_ref"),
    }
)

# outputs of well-known actions that carry attacker-chosen text (file and branch names)
ACTION_OUTPUTS: dict[str, frozenset[str] | None] = {
    "tj-actions/changed-files": None,  # every output is a list of file names
    "dorny/paths-filter": None,
    "tj-actions/branch-names": frozenset(
        {"current_branch", "head_ref_branch", "ref_branch", "base_ref_branch"}
    ),
    "xt0rted/pull-request-comment-branch": frozenset({"head_ref", "base_ref"}),
    "jitterbit/get-changed-files": None,
}

MAX_HOPS = 4


@dataclass(frozen=True, slots=True)
class Taint:
    source: str  # e.g. github.event.issue.title
    kind: str  # "attacker" | "input" | "pusher"
    via: tuple[str, ...] = ()  # e.g. ("env.TITLE", "steps.x.outputs.y")
    events: frozenset[str] = frozenset()

    def describe(self) -> str:
        """The hops from the sink back to the source, e.g. ``env.TITLE``."""
        return " -> ".join(reversed(self.via))

    def hop(self, name: str) -> Taint:
        return Taint(self.source, self.kind, (*self.via, name), self.events)


def _match(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    if len(path) != len(pattern):
        return False
    return all(p == "*" or p == q or q == "*" for p, q in zip(pattern, path, strict=True))


def source_for(path: tuple[str, ...], *, whole_objects: bool) -> Taint | None:
    for pattern, events in SOURCES:
        if _match(pattern, path):
            return Taint(".".join(path), "attacker", (), events)
        if (
            whole_objects
            and len(path) >= 2
            and len(path) < len(pattern)
            and _match(pattern[: len(path)], path)
        ):
            return Taint(".".join(path), "attacker", (), events)
    return None


_OUTPUT_LINE = re.compile(
    r"""(?P<name>[A-Za-z_][A-Za-z0-9_-]*)=(?P<value>[^\n]*?)["']?\s*>>\s*["']?\$\{?GITHUB_OUTPUT"""
)
_ENV_LINE = re.compile(
    r"""(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>[^\n]*?)["']?\s*>>\s*["']?\$\{?GITHUB_ENV"""
)
_SCRIPT_OUTPUT = re.compile(
    r"""core\.setOutput\(\s*['"](?P<name>[\w-]+)['"]\s*,\s*(?P<value>[^;\n]*)"""
)
_PAYLOAD_TEXT = re.compile(
    r"context\.payload\.(?:issue|pull_request|comment|review|discussion|review_comment)"
    r"\.(?:title|body)\b|context\.payload\.pull_request\.head\.(?:ref|label)\b"
    r"|context\.payload\.head_commit\.message\b"
)
_SET_OUTPUT = re.compile(r"::set-output name=(?P<name>[A-Za-z0-9_-]+)::(?P<value>[^\n]*)")
_SHELL_VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


_RANK = {"attacker": 2, "input": 1, "pusher": 0}


def _worst(*taints: Taint | None) -> Taint | None:
    """The taint that matters most of several values that may each end up in the text."""
    best: Taint | None = None
    for t in taints:
        if t is not None and (best is None or _RANK[t.kind] > _RANK[best.kind]):
            best = t
    return best


class Tainter:
    """Answers "does this expression carry attacker text?" in the scope of one step/job."""

    def __init__(self, wf: Workflow) -> None:
        self.wf = wf
        self.inputs = self._input_types()

    def _input_types(self) -> dict[str, str]:
        out: dict[str, str] = {}
        sources: list[YNode | None] = []
        if self.wf.kind == "action":
            sources.append(self.wf.root.get("inputs"))
        else:
            for t in ("workflow_dispatch", "workflow_call"):
                cfg = self.wf.triggers.get(t)
                if cfg is not None and cfg.is_map:
                    sources.append(cfg.get("inputs"))
        for s in sources:
            if s is None or not s.is_map:
                continue
            for name, spec in s.pairs():
                typ = spec.str_at("type") if spec.is_map else None
                out[name.lower()] = (typ or "string").lower()
        return out

    def expr(
        self, e: ex.Expr, job: Job | None, step: Step | None, depth: int = 0, in_json: bool = False
    ) -> Taint | None:
        if depth > MAX_HOPS:
            return None
        if isinstance(e, ex.Literal):
            return None
        if isinstance(e, ex.Binary):
            if e.op == "||":  # the left value when truthy, else the right one
                return _worst(
                    self.expr(e.left, job, step, depth, in_json),
                    self.expr(e.right, job, step, depth, in_json),
                )
            if e.op == "&&":  # the right value, or a falsy (empty) left one
                return self.expr(e.right, job, step, depth, in_json)
            return None  # comparisons give booleans
        if isinstance(e, ex.Unary):
            return None
        if isinstance(e, ex.Call):
            if e.name in ("format", "join", "case"):  # case(cond, value, ..., default)
                return _worst(*(self.expr(a, job, step, depth, in_json) for a in e.args))
            if e.name in ("tojson", "fromjson"):
                for a in e.args:
                    t = self.expr(a, job, step, depth, in_json=True)
                    if t is not None:
                        return t
                return None
            return None  # contains, startsWith, hashFiles, success ... are not text
        path = ex.context_path(e)
        if path is None:
            # property/index of a call result, e.g. fromJSON(x).title
            base: ex.Expr = e
            while isinstance(base, ex.Prop | ex.Index):
                base = base.obj
            return self.expr(base, job, step, depth, in_json)
        return self.path(path, job, step, depth, in_json)

    def path(
        self,
        path: tuple[str, ...],
        job: Job | None,
        step: Step | None,
        depth: int,
        in_json: bool,
    ) -> Taint | None:
        root = path[0]
        if root == "github":
            if len(path) >= 3 and path[1] == "event" and path[2] == "inputs":
                return self._input(path[3:], "github.event.inputs")
            if path in PUSHER_SOURCES:
                return Taint(".".join(path), "pusher")
            return source_for(path, whole_objects=in_json)
        if root == "inputs":
            return self._input(path[1:], "inputs")
        if root == "env" and len(path) == 2:
            return self._env(path[1], job, step, depth)
        if root == "steps" and len(path) == 4 and path[2] == "outputs" and job is not None:
            return self._step_output(path[1], path[3], job, step, depth)
        if root == "needs" and len(path) == 4 and path[2] == "outputs":
            return self._job_output(path[1], path[3], depth)
        if root == "matrix" and len(path) == 2 and job is not None:
            return self._matrix(path[1], job, depth)
        return None

    def _matrix(self, name: str, job: Job, depth: int) -> Taint | None:
        """A matrix value set by an expression: the whole matrix, the row's list, or an
        ``include:`` entry (``dynamic: ${{ github.event.client_payload.x }}``)."""
        strategy = job.node.get("strategy")
        matrix = strategy.get("matrix") if strategy is not None and strategy.is_map else None
        if matrix is None:
            return None
        values: list[YNode] = []
        if matrix.is_scalar:
            values.append(matrix)
        elif matrix.is_map:
            for k, v in matrix.pairs():
                if k.lower() == name:
                    values.append(v)
                elif k.lower() == "include" and v.is_seq:
                    for row in v.value:
                        cell = row.get(name) if row.is_map else None
                        if cell is not None:
                            values.append(cell)
        for v in values:
            items = v.value if v.is_seq else [v]
            for item in items:
                if item.is_scalar and isinstance(item.value, str):
                    t = self.text(item.value, job, None, depth + 1)
                    if t is not None:
                        return t.hop(f"matrix.{name}")
        return None

    def _input(self, rest: tuple[str, ...], prefix: str) -> Taint | None:
        if not rest:
            return None
        name = rest[0]
        typ = self.inputs.get(name, "string")
        if typ in ("boolean", "number", "choice", "environment"):
            return None
        return Taint(f"{prefix}.{name}", "input")

    def _env_value(self, name: str, job: Job | None, step: Step | None) -> YNode | None:
        low = name.lower()
        for scope in (
            step.env if step is not None else None,
            job.env if job is not None else None,
            self.wf.env,
        ):
            if scope is None:
                continue
            for k, v in scope.pairs():
                if k.lower() == low:
                    return v
        return None

    def _env(self, name: str, job: Job | None, step: Step | None, depth: int) -> Taint | None:
        v = self._env_value(name, job, step)
        if v is None:
            return self._exported(name, job, step, depth)
        t = self.text(v.text() or "", job, step, depth + 1)
        return t.hop(f"env.{name.upper()}") if t is not None else None

    def _exported(self, name: str, job: Job | None, step: Step | None, depth: int) -> Taint | None:
        """A variable an earlier step of the job wrote to $GITHUB_ENV."""
        if job is None:
            return None
        upto = step.index if step is not None else len(job.steps)
        low = name.lower()
        for earlier in job.steps[:upto]:
            run = earlier.run or ""
            if "GITHUB_ENV" not in run:
                continue
            for m in _ENV_LINE.finditer(run):
                if m.group("name").lower() != low:
                    continue
                value = m.group("value")
                t = self.text(value, job, earlier, depth + 1)
                if t is None:
                    for var in _SHELL_VAR.findall(value):
                        t = self._env(var, job, earlier, depth + 1)
                        if t is not None:
                            break
                if t is not None:
                    return t.hop(f"env.{name.upper()} ($GITHUB_ENV)")
        return None

    def text(self, text: str, job: Job | None, step: Step | None, depth: int) -> Taint | None:
        """Taint of a string holding ``${{ }}`` fences (e.g. an env value)."""
        if "${{" not in text:
            return None
        found: Taint | None = None
        for f in ex.find_fenced(text):
            try:
                parsed = ex.parse(f.inner)
            except ex.ExprError:
                continue
            found = _worst(found, self.expr(parsed, job, step, depth))
            if found is not None and found.kind == "attacker":
                break
        return found

    def _step_output(
        self, sid: str, out: str, job: Job, step: Step | None, depth: int
    ) -> Taint | None:
        src = job.step_by_id(sid)
        if src is None or (step is not None and src.index >= step.index):
            return None
        uses = src.uses or ""
        if uses.startswith(LOCAL_USES):
            return self._local_output(src, sid, out, depth)
        action = src.action
        for prefix, outs in ACTION_OUTPUTS.items():
            if action == prefix and (outs is None or out in outs):
                return Taint(f"{prefix} output {out}", "attacker").hop(f"steps.{sid}.outputs.{out}")
        if action == "actions/github-script" and src.with_ is not None:
            script = src.with_str("script") or ""
            for m in _SCRIPT_OUTPUT.finditer(script):
                payload = _PAYLOAD_TEXT.search(m.group("value"))
                if m.group("name").lower() == out and payload is not None:
                    source = f"github-script output from {payload.group()}"
                    return Taint(source, "attacker").hop(f"steps.{sid}.outputs.{out}")
        run = src.run
        if not run:
            return None
        for m in list(_OUTPUT_LINE.finditer(run)) + list(_SET_OUTPUT.finditer(run)):
            if m.group("name").lower() != out:
                continue
            value = m.group("value")
            t = self.text(value, job, src, depth + 1)
            if t is None:
                for var in _SHELL_VAR.findall(value):
                    t = self._env(var, job, src, depth + 1)
                    if t is not None:
                        break
            if t is not None:
                return t.hop(f"steps.{sid}.outputs.{out}")
        return None

    def _local_output(self, src: Step, sid: str, out: str, depth: int) -> Taint | None:
        """An output of one of the repository's composite actions: its own taint, or the
        taint of what this step passes to the input it derives from."""
        where = posixpath.normpath((src.uses or "")[2:].split("@", 1)[0]).strip("/")
        summary = self.wf.local_actions.get(where, {})
        t = summary.get(out)
        if not isinstance(t, Taint):
            return None
        hop = f"steps.{sid}.outputs.{out}"
        if t.kind != "input":
            return Taint(f"{t.source} (in {where})", t.kind, (), t.events).hop(hop)
        name = t.source.split(".", 1)[1]
        w = src.with_
        given = next((v for k, v in w.pairs() if k.lower() == name), None) if w else None
        if given is None:
            return None
        passed = self.text(given.text() or "", src.job, src, depth + 1)
        if passed is None:
            return None
        return passed.hop(f"{where} input {name} -> output {out}").hop(hop)

    def _job_output(self, jid: str, out: str, depth: int) -> Taint | None:
        job = self.wf.job(jid)
        if job is None:
            return None
        outs = job.node.get("outputs")
        if outs is None or not outs.is_map:
            return None
        for k, v in outs.pairs():
            if k.lower() == out:
                t = self.text(v.text() or "", job, None, depth + 1)
                return t.hop(f"needs.{jid}.outputs.{out}") if t is not None else None
        return None


def local_action_outputs(wf: Workflow) -> dict[str, Taint]:
    """What each output of a composite action carries: an attacker's text, a branch name,
    or one of its inputs (``inputs.NAME``, resolved at each ``uses: ./dir`` step)."""
    outputs = wf.root.get("outputs")
    if wf.kind != "action" or outputs is None or not outputs.is_map or not wf.jobs:
        return {}
    tainter = Tainter(wf)
    found: dict[str, Taint] = {}
    for name, spec in outputs.pairs():
        value = spec.get("value") if spec.is_map else None
        text = value.text() if value is not None else None
        t = tainter.text(text or "", wf.jobs[0], None, 0) if text else None
        if t is not None:
            found[name.lower()] = t
    return found
