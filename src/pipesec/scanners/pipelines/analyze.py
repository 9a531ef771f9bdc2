"""Find pipeline files in a workspace, analyse each one, and turn hits into findings,
errors, notes and posture checks."""

from __future__ import annotations

import logging
import os
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pipesec.core.collector import GcBatches
from pipesec.core.fingerprints import secret_identity
from pipesec.core.model import Finding, Location, Note, PostureCheck, Rule, ScanError
from pipesec.core.redact import redact_line
from pipesec.core.scanner import ScannerSettings, finding_from_rule, text_or_error
from pipesec.core.workspace import Workspace
from pipesec.core.yamlpos import Document, YamlError, load
from pipesec.scanners.pipelines import (
    ONLINE_INPUT,
    depconf,
    expressions,
    gha,
    gha_hygiene,
    gha_supplychain,
    gha_taint,
    gitlab_rules,
    jenkins,
    online,
    posture,
    precommit,
    shell,
)
from pipesec.scanners.pipelines.common import SCANNER, YAML_LIMITS, ActionRef, Ctx, Hit
from pipesec.scanners.pipelines.files import COMPONENT_RE, discover, is_component_template
from pipesec.scanners.pipelines.gha_model import ShapeError, Workflow, build
from pipesec.scanners.pipelines.gha_secrets import HARDCODED as GHA_HARDCODED
from pipesec.scanners.pipelines.gitlab_model import Pipeline, load_pipeline
from pipesec.scanners.pipelines.secrets_bridge import available as secrets_available
from pipesec.scanners.pipelines.secrets_bridge import finder

log = logging.getLogger(__name__)

#: from this many pipeline files on, the secrets engine builds its Hyperscan database
MANY_FILES = 200
#: from this many GitHub files on, they are analysed by a pool of processes
POOL_FILES = 400


def _base_rules() -> tuple[Rule, ...]:
    return (
        *gha.RULES,
        *gitlab_rules.RULES,
        *shell.GITLAB_RULES.values(),
        *posture.RULES,
        *precommit.RULES,
        *jenkins.RULES,
        *depconf.RULES,
        *online.RULES,
    )


def all_rules() -> tuple[Rule, ...]:
    rules = _base_rules()
    if secrets_available():
        rules = (*rules, GHA_HARDCODED)
    return rules


@dataclass
class FileResult:
    path: str
    kind: str
    hits: list[Hit] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    workflow: Workflow | None = None
    pipeline: Pipeline | None = None
    #: a Jenkinsfile's posture facts
    jenkins: posture.PipelineFacts | None = None
    docs: list[Document] = field(default_factory=list)
    action_refs: list[ActionRef] = field(default_factory=list)


def _error(path: str, exc: YamlError | ShapeError) -> ScanError:
    if isinstance(exc, YamlError):
        return ScanError(SCANNER, path, exc.message, exc.line, exc.column)
    node = exc.node
    return ScanError(SCANNER, path, exc.message, node.line if node else 0, node.col if node else 0)


def analyze_text(
    path: str,
    text: str,
    kind: str,
    *,
    options: Mapping[str, Any] | None = None,
    disabled: frozenset[str] = frozenset(),
    read: Callable[[str], str | None] | None = None,
    list_files: Callable[[], list[str]] | None = None,
    fingerprint_key: bytes = b"",
    many: bool = False,
    local_actions: Mapping[str, Mapping[str, object]] | None = None,
) -> FileResult:
    """Analyse one pipeline file (and, for GitLab, its local includes). ``many``: part of a
    large scan (the secrets engine may then build its fast database)."""
    res = FileResult(path, kind)
    opts = dict(options or {})
    if kind == "gitlab":
        base = posixpath.dirname(path)

        def read_rel(p: str) -> str | None:
            if read is None:
                return None
            return read(posixpath.join(base, p) if base else p)

        def list_rel() -> list[str]:
            files = list_files() if list_files is not None else []
            if not base:
                return files
            pre = base + "/"
            return [f[len(pre) :] for f in files if f.startswith(pre)]

        try:
            pipe = load_pipeline(path, text, read_rel, list_rel)
        except YamlError as exc:
            res.errors.append(_error(path, exc))
            return res
        # included documents carry paths relative to the project dir; make them workspace paths
        if base:
            for d in pipe.docs[1:]:
                d.path = posixpath.join(base, d.path)
        ctx = Ctx(pipe.main, opts, disabled, key=fingerprint_key or b"pipesec")
        gitlab_rules.check(pipe, ctx)
        res.pipeline = pipe
        res.docs = pipe.docs
        for prob in pipe.problems:
            node = prob.node
            where = prob.path and posixpath.join(base, prob.path) if base else prob.path
            at = (node.doc.path if node is not None and node.doc else "") or where or path
            line = node.line if node is not None else prob.line
            if prob.external:  # defined, maybe, where we cannot read: the team cannot fix it
                res.notes.append(Note(SCANNER, at, f"line {line}: {prob.message}", "unsupported"))
                continue
            res.errors.append(
                ScanError(
                    SCANNER, at, prob.message, line, node.col if node is not None else prob.column
                )
            )
        for inc in pipe.includes:
            if inc.kind != "local":
                res.notes.append(
                    Note(
                        SCANNER,
                        path,
                        f"{inc.kind} include {inc.target!r} (line {inc.node.line}) cannot be"
                        " read offline; its jobs are not audited",
                        kind="unsupported",
                    )
                )
        res.hits = _dedupe(ctx.hits)
        _engine_secrets(res, pipe.docs, gitlab_rules.HARDCODED, disabled, fingerprint_key, many)
        return res
    if kind == "jenkins":
        _analyze_jenkins(res, text, opts, disabled, fingerprint_key, many)
        return res
    if kind in ("requirements", "dockerfile"):
        ctx = Ctx(Document(path, text), opts, disabled, key=fingerprint_key or b"pipesec")
        depconf.check(ctx, text)
        res.hits = _dedupe(ctx.hits)
        return res
    try:
        doc = load(path, text, YAML_LIMITS)
    except YamlError as exc:
        res.errors.append(_error(path, exc))
        return res
    res.docs = [doc]
    for line, message in expressions.budget_errors(text):
        res.errors.append(ScanError(SCANNER, path, message, line))
    ctx = Ctx(doc, opts, disabled, key=fingerprint_key or b"pipesec")
    ctx.local_actions = local_actions or {}
    if kind == "dependabot":
        gha.check_dependabot(doc, ctx)
    elif kind == "precommit":
        precommit.check(doc, ctx)
    else:
        if kind == "action":
            root = doc.root
            runs = root.get("runs") if root is not None else None
            if root is None or not root.is_map or runs is None:
                return res  # some other file called action.yml
        try:
            res.workflow = gha.check_workflow(doc, kind, ctx)
        except ShapeError as exc:
            res.errors.append(_error(path, exc))
            return res
    res.hits = _dedupe(ctx.hits)
    res.action_refs = ctx.action_refs
    _engine_secrets(res, [doc], GHA_HARDCODED, disabled, fingerprint_key, many)
    return res


def _analyze_jenkins(
    res: FileResult,
    text: str,
    opts: dict[str, Any],
    disabled: frozenset[str],
    key: bytes,
    many: bool,
) -> None:
    doc = Document(res.path, text)
    ctx = Ctx(doc, opts, disabled, key=key or b"pipesec")
    try:
        jf = jenkins.check(ctx, text)
    except jenkins.JenkinsError as exc:
        res.errors.append(ScanError(SCANNER, res.path, exc.message, exc.line, exc.column))
        return
    except RecursionError:
        res.errors.append(ScanError(SCANNER, res.path, "Jenkinsfile nested too deeply to analyse"))
        return
    res.hits = _dedupe(ctx.hits)
    _engine_secrets(res, [doc], jenkins.HARDCODED, disabled, key, many)
    facts = posture.PipelineFacts(res.path, "jenkins", res.path, 1, 1)
    facts.add(jenkins.evidence(jf))
    facts.rule_hits.update(h.rule.id for h in res.hits)
    facts.has_prod_deploy = jenkins.prod_deploys(jf, facts.rule_hits)
    if facts.has_prod_deploy:
        facts.prod_deploys.append(res.path)
    res.jenkins = facts


def _dedupe(hits: list[Hit]) -> list[Hit]:
    seen: set[tuple[str, str, int, int, int]] = set()
    out = []
    for h in hits:
        key = (h.rule.id, h.path, h.line, h.col, h.end_col)
        if key not in seen:
            seen.add(key)
            out.append(h)
    return out


def _engine_secrets(
    res: FileResult,
    docs: list[Document],
    r: Rule,
    disabled: frozenset[str],
    key: bytes,
    many: bool = False,
) -> None:
    find = finder(many)
    if find is None or r.id in disabled:
        return
    credential_rules = {r.id, "gha/hardcoded-container-credentials", "gitlab/hardcoded-credential"}
    have = {(h.path, h.line) for h in res.hits if h.rule.id in credential_rules}
    seen: set[str] = set()
    for doc in docs:
        if doc.path in seen:
            continue
        seen.add(doc.path)
        for start, end, desc in find(doc.text, doc.path):
            line, col = doc.position(start)
            end_line, end_col = doc.position(end)
            if (doc.path, line) in have:
                continue
            value = doc.text[start:end]
            text = doc.line_text(line)
            stop = end_col - 1 if end_line == line else len(text)
            snippet = redact_line(text, col - 1, stop)
            res.hits.append(
                Hit(
                    r,
                    doc.path,
                    line,
                    col,
                    line,
                    stop + 1,
                    f"{desc} credential written in the pipeline file",
                    snippet,
                    secret_identity(value, key or b"pipesec"),
                )
            )


def to_finding(hit: Hit) -> Finding:
    props: dict[str, Any] = dict(hit.properties)
    if hit.edits:
        props["fixable"] = True
    extra: dict[str, Any] = {}
    if hit.severity is not None:
        extra["severity"] = hit.severity
    if hit.confidence is not None:
        extra["confidence"] = hit.confidence
    return finding_from_rule(
        hit.rule,
        SCANNER,
        path=hit.path,
        line=hit.line,
        column=hit.col,
        end_line=hit.end_line,
        end_column=hit.end_col,
        message=hit.message,
        snippet=hit.snippet,
        identity=hit.identity,
        properties=props,
        **extra,
    )


def _options(settings: ScannerSettings) -> dict[str, Any]:
    opts = dict(settings.options)
    if "trusted_owners" not in opts and "trusted-owners" in opts:
        opts["trusted_owners"] = opts["trusted-owners"]
    return opts


def _workflows_dir(path: str) -> str:
    i = path.rfind(".github/workflows/")
    return path[: i + len(".github/workflows")]


@dataclass
class FileFacts:
    """What one workflow file contributes to its pipeline's posture (picklable)."""

    path: str
    triggers: frozenset[str]
    jobs_line: int
    jobs_col: int
    evidence: list[str]
    prod_deploys: list[str]
    rule_hits: set[str]


def workflow_facts(res: FileResult) -> FileFacts | None:
    wf = res.workflow
    if res.kind != "workflow" or wf is None:
        return None
    jobs_key = wf.root.key("jobs")
    line, col = (jobs_key.line, jobs_key.col) if jobs_key is not None else (1, 1)
    evidence: list[str] = []
    prod: list[str] = []
    for job in wf.jobs:
        evidence.append(job.uses or "")
        c = job.node.get("container")
        if c is not None:
            evidence.append(c.text() or c.str_at("image") or "")
        for s in job.steps:
            evidence += [s.uses or "", s.run or ""]
            w = s.with_
            if w is not None:
                evidence += [f"{k}: {v.text() or ''}" for k, v in w.pairs() if v.is_scalar]
        if job.uses is None and gha_hygiene.is_prod_deploy(job):
            prod.append(f"{res.path}:{job.id}")
    return FileFacts(
        res.path,
        wf.trigger_names,
        line,
        col,
        [e for e in evidence if e],
        prod,
        {h.rule.id for h in res.hits},
    )


def _gha_facts(per_file: list[FileFacts]) -> dict[str, posture.PipelineFacts]:
    by_dir: dict[str, posture.PipelineFacts] = {}
    for ff in sorted(per_file, key=lambda f: f.path):
        name = _workflows_dir(ff.path)
        facts = by_dir.get(name)
        if facts is None:
            facts = by_dir[name] = posture.PipelineFacts(
                name, "gha", ff.path, ff.jobs_line, ff.jobs_col
            )
        elif (
            {"pull_request", "push"} & ff.triggers
            and not _is_main_ci(facts.anchor_path)
            and (_is_main_ci(ff.path) or not facts.evidence)
        ):
            facts.anchor_path, facts.anchor_line, facts.anchor_col = (
                ff.path,
                ff.jobs_line,
                ff.jobs_col,
            )
        facts.add(ff.evidence)
        if ff.prod_deploys:
            facts.has_prod_deploy = True
            facts.prod_deploys.extend(ff.prod_deploys)
        facts.rule_hits.update(ff.rule_hits)
    return by_dir


def _is_main_ci(path: str) -> bool:
    base = path.rsplit("/", 1)[-1].lower()
    return base.startswith(("ci.", "main.", "build.", "test.", "pipeline."))


def _gitlab_facts(res: FileResult) -> posture.PipelineFacts | None:
    pipe = res.pipeline
    if pipe is None or COMPONENT_RE.search(res.path):
        return None  # a component template is a piece of pipelines, not one: no posture
    facts = posture.PipelineFacts(res.path, "gitlab", res.path, 1, 1)
    for inc in pipe.includes:
        facts.add([inc.target, *inc.files])
    for job in pipe.jobs:
        if job.hidden:
            continue
        facts.add([n.text() or "" for n in job.script_nodes()])
        img = job.get("image")
        if img is not None:
            facts.add([img.text() or img.str_at("name") or ""])
        if job.get("trigger") is None and gitlab_rules._is_prod(job)[0]:
            facts.has_prod_deploy = True
            facts.prod_deploys.append(job.name)
        # template jobs overridden in the file count as present only via their include
    facts.rule_hits.update(h.rule.id for h in res.hits)
    return facts


def posture_items(
    facts_list: list[posture.PipelineFacts], disabled: frozenset[str]
) -> Iterator[Finding | PostureCheck]:
    """The posture table's checks, and one finding per pipeline that lacks gates, at the
    pipeline itself (its workflows directory, or its GitLab file), not at a line."""
    for facts in facts_list:
        checks = posture.evaluate(facts)
        yield from checks
        r = posture.MISSING_BY_PLATFORM[facts.platform]
        missing = [c for c in checks if not c.present]
        if r.id in disabled or not missing:
            continue
        gates = [c.gate for c in missing]
        covered = [g for g in gates if g in posture.PIPESEC_GATES]
        details = "; ".join(f"{c.gate}: {c.detail}" for c in missing)
        yield finding_from_rule(
            r,
            SCANNER,
            path=facts.name,
            line=0,
            message=(
                f"pipeline {facts.name} lacks {len(gates)} security "
                + ("gate" if len(gates) == 1 else "gates")
                + f": {', '.join(gates)}"
                + (f" (pipesec scan covers {', '.join(covered)})" if covered else "")
                + f". {details}"
            ),
            identity=f"gates:{facts.name}",
            properties={
                "gates": gates,
                "pipeline": facts.name,
                "job_snippets": {g: posture.snippet_for(facts.platform, g) for g in gates},
            },
        )


UNDOCUMENTED_ID = "gha/undocumented-permissions"


def one_per_pipeline(
    items: Iterable[Finding | ScanError | Note],
) -> Iterator[Finding | ScanError | Note]:
    """``gha/undocumented-permissions`` once per workflows directory, listing the places:
    a review note about a pipeline, not a finding on every write scope."""
    grouped: dict[str, list[Finding]] = {}
    for item in items:
        if isinstance(item, Finding) and item.rule_id == UNDOCUMENTED_ID:
            grouped.setdefault(_pipeline_of(item.location.path), []).append(item)
        else:
            yield item
    for pipeline, found in sorted(grouped.items()):
        found.sort(key=lambda f: f.location.sort_key())
        places = [f"{f.location.path}:{f.location.start_line}" for f in found]
        shown = ", ".join(places[:10]) + (
            f" and {len(places) - 10} more" if len(places) > 10 else ""
        )
        first = found[0]
        yield replace(
            first,
            location=Location(pipeline),
            message=(
                f"{len(found)} write "
                + ("permission has" if len(found) == 1 else "permissions have")
                + f" no comment saying what needs it: {shown}"
            ),
            snippet="",
            identity=f"undocumented:{pipeline}",
            properties={**first.properties, "places": places},
        )


def _pipeline_of(path: str) -> str:
    return _workflows_dir(path) if ".github/workflows/" in path else path


@dataclass
class FileOutcome:
    """The picklable result of one file: what the scanner yields, plus posture facts."""

    path: str
    kind: str
    items: list[Finding | ScanError | Note]
    gha: FileFacts | None = None
    #: a GitLab pipeline or a Jenkinsfile: a pipeline of its own
    own: posture.PipelineFacts | None = None
    action_refs: list[ActionRef] = field(default_factory=list)


def _outcome(res: FileResult) -> FileOutcome:
    items: list[Finding | ScanError | Note] = [*res.errors, *res.notes]
    items += [to_finding(h) for h in res.hits]
    gl = _gitlab_facts(res) if res.kind == "gitlab" else res.jenkins
    out = FileOutcome(res.path, res.kind, items, workflow_facts(res), gl, res.action_refs)
    _release(res)
    return out


def _release(res: FileResult) -> None:
    """Break the back references of a file's trees (node -> document -> root, step -> job
    -> workflow -> jobs) once its outcome is made, so reference counting frees them at once
    instead of the cyclic collector."""
    wf = res.workflow
    if wf is not None:
        for job in wf.jobs:
            job.steps.clear()
        wf.jobs.clear()
    for doc in res.docs:
        doc.root = doc.spec = None


Job = tuple[
    str, str, str, dict[str, Any], frozenset[str], bytes, bool, Mapping[str, Mapping[str, object]]
]


def analyze_job(job: Job) -> FileOutcome:
    """One file for a worker process (GitHub files only: they have no includes to read)."""
    path, text, kind, opts, disabled, key, many, local_actions = job
    try:
        res = analyze_text(
            path,
            text,
            kind,
            options=opts,
            disabled=disabled,
            fingerprint_key=key,
            many=many,
            local_actions=local_actions,
        )
    except RecursionError:
        return FileOutcome(
            path, kind, [ScanError(SCANNER, path, "structure nested too deeply to analyse")]
        )
    return _outcome(res)


def analyze_jobs(jobs: list[Job]) -> list[FileOutcome]:
    out = []
    with GcBatches() as batches:
        for job in jobs:
            out.append(analyze_job(job))
            batches.tick()
    return out


def _run_pool(jobs: list[Job], workers: int) -> list[FileOutcome]:
    """Analyse ``jobs`` in ``workers`` processes (this one included); any failure of a
    worker process falls back to analysing its share here."""
    import pickle
    import subprocess
    import sys
    import tempfile

    chunks = [jobs[i::workers] for i in range(workers)]
    procs = []
    for chunk in chunks[1:]:
        proc = None
        try:
            with tempfile.TemporaryFile() as feed:
                pickle.dump(chunk, feed, protocol=pickle.HIGHEST_PROTOCOL)
                feed.seek(0)
                proc = subprocess.Popen(
                    [sys.executable, "-m", "pipesec.scanners.pipelines.worker"],
                    stdin=feed,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
        except OSError:
            proc = None
        procs.append((proc, chunk))
    out = analyze_jobs(chunks[0])
    for proc, chunk in procs:
        result: list[FileOutcome] | None = None
        if proc is not None:
            try:
                raw, _ = proc.communicate(timeout=3600)
                if proc.returncode == 0:
                    result = pickle.loads(raw)  # noqa: S301 - from our own child process
            except (subprocess.TimeoutExpired, pickle.UnpicklingError, EOFError, OSError):
                proc.kill()
                result = None
        if result is None:
            log.debug("pipeline worker failed; analysing its %d files here", len(chunk))
            result = analyze_jobs(chunk)
        out.extend(result)
    return out


def _local_actions(targets: list[tuple[str, str, str]]) -> dict[str, Mapping[str, object]]:
    """The outputs of the tree's composite actions that carry untrusted text, by the
    directory a ``uses: ./dir`` step names (only when some workflow uses a local action)."""
    if not any(k != "action" and ("./" in t or "$/" in t) for _p, t, k in targets):
        return {}
    out: dict[str, Mapping[str, object]] = {}
    for path, text, kind in targets:
        if kind != "action" or "outputs" not in text:
            continue
        try:
            wf = build(load(path, text, YAML_LIMITS), "action")
            summary = gha_taint.local_action_outputs(wf)
        except (YamlError, ShapeError, RecursionError):
            continue
        if summary:
            out[posixpath.normpath(posixpath.dirname(path) or ".")] = summary
    return out


def _workers(count: int) -> int:
    if count < POOL_FILES:
        return 1
    env = os.environ.get("PIPESEC_PIPELINE_WORKERS")
    if env is not None and env.isdigit():
        return max(1, int(env))
    cpus = os.cpu_count() or 1
    # a worker pays its own interpreter start-up, imports and secrets engine (~0.6 s CPU):
    # on two cores that costs more than the half of the analysis it takes over
    return 1 if cpus <= 2 else min(4, cpus)


def analyze_workspace(
    workspace: Workspace, settings: ScannerSettings
) -> Iterator[Finding | ScanError | PostureCheck | Note]:
    files = {f.path: f for f in workspace.files()}
    opts = _options(settings)

    def read(p: str) -> str | None:
        f = files.get(p)
        text = text_or_error(workspace, f, SCANNER) if f is not None else None
        return text if isinstance(text, str) else None

    def list_files() -> list[str]:
        return sorted(files)

    targets: list[tuple[str, str, str]] = []
    for f in workspace.files():
        kind = discover(f.path)
        if kind is None:
            continue
        text = text_or_error(workspace, f, SCANNER)
        if isinstance(text, ScanError):
            yield text
        elif text is not None:
            if kind == "gitlab-component":
                if not is_component_template(text):
                    continue  # templates/ of something else (Helm, docs ...)
                kind = "gitlab"
            targets.append((f.path, text, kind))
    many = len(targets) >= MANY_FILES
    local_actions = _local_actions(targets)
    outcomes: list[FileOutcome] = []
    pooled = [t for t in targets if t[2] != "gitlab"]
    workers = _workers(len(pooled))
    if workers > 1:
        jobs: list[Job] = [
            (p, t, k, opts, settings.disabled_rules, settings.fingerprint_key, many, local_actions)
            for p, t, k in pooled
        ]
        outcomes.extend(_run_pool(jobs, workers))
        targets = [t for t in targets if t[2] == "gitlab"]
    too_deep: list[ScanError] = []
    with GcBatches() as batches:
        for path, text, kind in targets:
            try:
                res = analyze_text(
                    path,
                    text,
                    kind,
                    options=opts,
                    disabled=settings.disabled_rules,
                    read=read,
                    list_files=list_files,
                    fingerprint_key=settings.fingerprint_key,
                    many=many,
                    local_actions=local_actions,
                )
            except RecursionError:
                too_deep.append(ScanError(SCANNER, path, "structure nested too deeply to analyse"))
                continue
            outcomes.append(_outcome(res))
            batches.tick()
    yield from too_deep
    osv: list[Finding] = []
    if gha_supplychain.KNOWN_VULNERABLE.id not in settings.disabled_rules:
        from pipesec import vulndb

        refs = [r for o in outcomes for r in o.action_refs]
        db = vulndb.resolve_db_path(opts.get("db"), workspace.root) if refs else None
        osv = gha_supplychain.osv_findings(refs, db)
    yield from one_per_pipeline(item for out in outcomes for item in out.items)
    yield from osv
    if settings.inputs.get(ONLINE_INPUT):
        refs = [r for o in outcomes for r in o.action_refs]
        yield from online.audit(refs, online.Api.from_env(), settings.disabled_rules)
    if opts.get("posture", True) is False:
        return
    facts_list = list(_gha_facts([o.gha for o in outcomes if o.gha is not None]).values())
    facts_list += [o.own for o in outcomes if o.own is not None]
    yield from posture_items(facts_list, settings.disabled_rules)
