"""A typed view of a GitHub Actions workflow or composite action over the positioned YAML."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from pipesec.core.yamlpos import Document, YNode

PRIVILEGED_TRIGGERS = frozenset(
    {
        "pull_request_target",
        "workflow_run",
        "issue_comment",
        "issues",
        "discussion",
        "discussion_comment",
        "pull_request_review",
        "pull_request_review_comment",
        "fork",
        "watch",
        "gollum",
        "check_run",
        "check_suite",
        "repository_dispatch",
    }
)
PUBLIC_TRIGGERS = PRIVILEGED_TRIGGERS | {"pull_request"}
#: ``uses:`` prefixes of this repository's own actions and workflows: ``./`` from the
#: workspace, ``$/`` (GitHub's self-repository syntax) from the workflow's own commit
LOCAL_USES = ("./", "$/")


@dataclass(eq=False)
class Step:
    node: YNode
    index: int
    job: Job

    @property
    def id(self) -> str | None:
        return self.node.str_at("id")

    @property
    def uses_node(self) -> YNode | None:
        return self.node.get("uses")

    @cached_property
    def uses(self) -> str | None:
        return self.node.str_at("uses")

    @property
    def run_node(self) -> YNode | None:
        return self.node.get("run")

    @property
    def run(self) -> str | None:
        n = self.node.get("run")
        return n.text() if n is not None else None

    @property
    def with_(self) -> YNode | None:
        n = self.node.get("with")
        return n if n is not None and n.is_map else None

    def with_str(self, key: str) -> str | None:
        w = self.with_
        return w.str_at(key) if w is not None else None

    @property
    def env(self) -> YNode | None:
        n = self.node.get("env")
        return n if n is not None and n.is_map else None

    @cached_property
    def action(self) -> str:
        """``owner/repo[/path]`` of a ``uses:`` (lower-cased), "" for docker/local/run steps."""
        uses = self.uses or ""
        if not uses or uses.startswith((*LOCAL_USES, "docker://")):
            return ""
        target = uses.split("@", 1)[0].lower()
        parts = target.split("/", 2)
        if len(parts) == 3:  # normalise obfuscated paths: a/b/x/../y -> a/b/y
            rest = posixpath.normpath(parts[2])
            target = "/".join(parts[:2]) if rest in (".", "") else f"{parts[0]}/{parts[1]}/{rest}"
        return target

    @property
    def ref(self) -> str:
        uses = self.uses or ""
        return uses.split("@", 1)[1] if "@" in uses else ""

    @property
    def shell(self) -> str:
        s = self.node.str_at("shell")
        if s:
            return s
        d = self.job.node.get("defaults")
        run = d.get("run") if d is not None else None
        js = run.str_at("shell") if run is not None else None
        if js:
            return js
        wd = self.job.workflow.root.get("defaults")
        wrun = wd.get("run") if wd is not None else None
        ws = wrun.str_at("shell") if wrun is not None else None
        return ws or ""

    def name(self) -> str:
        named = self.node.str_at("name") or self.id or self.uses
        if named:
            return named
        first = (self.run or "").strip().split("\n", 1)[0]
        if first:
            return f"run: {first[:40]}{'...' if len(first) > 40 else ''}"
        return f"step {self.index + 1}"


@dataclass(eq=False)
class Job:
    id: str
    node: YNode
    key_node: YNode
    workflow: Workflow
    steps: list[Step] = field(default_factory=list)
    #: cache of gha_hygiene.is_prod_deploy
    prod_deploy: bool | None = field(default=None, repr=False)

    @property
    def env(self) -> YNode | None:
        n = self.node.get("env")
        return n if n is not None and n.is_map else None

    @property
    def permissions(self) -> YNode | None:
        return self.node.get("permissions")

    @cached_property
    def uses(self) -> str | None:
        return self.node.str_at("uses")

    @property
    def runs_on(self) -> YNode | None:
        return self.node.get("runs-on")

    def runs_on_labels(self) -> list[str]:
        r = self.runs_on
        if r is None:
            return []
        if r.is_scalar:
            return [r.text() or ""]
        if r.is_seq:
            return [x.text() or "" for x in r.seq()]
        if r.is_map:
            labels = r.get("labels")
            group = r.str_at("group")
            out = [group] if group else []
            if labels is not None:
                out += (
                    [labels.text() or ""]
                    if labels.is_scalar
                    else [x.text() or "" for x in labels.seq()]
                )
            return out
        return []

    def environment_name(self) -> tuple[str, YNode | None]:
        e = self.node.get("environment")
        if e is None:
            return "", None
        if e.is_scalar:
            return e.text() or "", e
        return e.str_at("name") or "", e

    def step_by_id(self, sid: str) -> Step | None:
        for s in self.steps:
            if (s.id or "").lower() == sid:
                return s
        return None


@dataclass(eq=False)
class Workflow:
    doc: Document
    root: YNode
    kind: str  # "workflow" | "action"
    triggers: dict[str, YNode | None] = field(default_factory=dict)
    on_node: YNode | None = None
    jobs: list[Job] = field(default_factory=list)
    #: composite actions of this repository by directory: output name -> its taint
    #: (``gha_taint.local_action_outputs``), for ``uses: ./dir`` steps
    local_actions: Mapping[str, Mapping[str, object]] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def env(self) -> YNode | None:
        n = self.root.get("env")
        return n if n is not None and n.is_map else None

    @property
    def permissions(self) -> YNode | None:
        return self.root.get("permissions")

    def job(self, jid: str) -> Job | None:
        for j in self.jobs:
            if j.id.lower() == jid:
                return j
        return None

    @property
    def trigger_names(self) -> frozenset[str]:
        return frozenset(self.triggers)

    def all_steps(self) -> list[Step]:
        return [s for j in self.jobs for s in j.steps]


class ShapeError(Exception):
    def __init__(self, message: str, node: YNode | None) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


def build(doc: Document, kind: str) -> Workflow:
    root = doc.root
    if root is None or not root.is_map:
        what = "empty" if root is None else f"a {'list' if root and root.is_seq else 'scalar'}"
        raise ShapeError(
            f"a {'workflow' if kind == 'workflow' else 'action'} must be a mapping,"
            f" this file is {what}",
            root,
        )
    wf = Workflow(doc, root, kind)
    if kind == "workflow":
        on = root.get("on")
        if on is None:
            on = root.get("true")  # YAML 1.1 turns a bare `on` into true in some writers
        wf.on_node = on
        if on is not None:
            if on.is_scalar and on.text():
                wf.triggers[(on.text() or "").strip()] = None
            elif on.is_seq:
                for t in on.seq():
                    if t.text():
                        wf.triggers[t.text() or ""] = None
            elif on.is_map:
                for name, cfg in on.pairs():
                    wf.triggers[name] = cfg
        jobs = root.get("jobs")
        if jobs is not None and jobs.is_map:
            for jid, jnode in jobs.pairs():
                if not jnode.is_map:
                    continue
                job = Job(jid, jnode, jobs.keys.get(jid, jnode), wf)
                _add_steps(job, jnode.get("steps"))
                wf.jobs.append(job)
    else:
        runs = root.get("runs")
        if runs is not None and runs.is_map and (runs.str_at("using") or "") == "composite":
            job = Job("composite", runs, root.keys.get("runs", runs), wf)
            _add_steps(job, runs.get("steps"))
            wf.jobs.append(job)
    return wf


def _add_steps(job: Job, steps: YNode | None) -> None:
    """A job's steps in order; the steps of a ``parallel:`` group count as steps of the
    job (they run in the same workspace, with the same token)."""
    for s in steps.seq() if steps is not None else []:
        if not s.is_map:
            continue
        group = s.get("parallel")
        if group is not None and group.is_seq and s.get("run") is None and s.get("uses") is None:
            for p in group.seq():
                if p.is_map:
                    job.steps.append(Step(p, len(job.steps), job))
        else:
            job.steps.append(Step(s, len(job.steps), job))
