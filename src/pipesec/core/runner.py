"""One scan from options to decided report: config, workspace, engine, suppressions, gate.

This is the library entry point the CLI (and anyone embedding pipesec) calls.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipesec.core import config as config_mod
from pipesec.core import suppressions, trust
from pipesec.core.engine import ScanRequest, run_scan
from pipesec.core.errors import UsageError
from pipesec.core.model import ScanReport, Severity
from pipesec.core.scrub import redact_report
from pipesec.core.workspace import Workspace
from pipesec.policy import gate

if TYPE_CHECKING:
    from pipesec.core import baseline as baseline_mod

log = logging.getLogger(__name__)


@dataclass
class ScanOptions:
    path: Path
    config_file: Path | None = None
    scanners: Sequence[str] = ()
    import_sarif: Sequence[Path] = ()
    fail_on: Severity | None = None
    network: bool = False
    progress: Callable[[str, int, int], None] | None = None
    extra_inputs: dict[str, list[str]] = field(default_factory=dict)
    diff_base: str | None = None
    staged: bool = False
    #: with ``staged``: report findings anywhere in the index, not only on staged changes
    whole_index: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None
    today: dt.date | None = None
    policies: Sequence[str] = ()  # --policy: operator-given, trusted
    policy_data: Sequence[str] = ()
    namespaces: Sequence[str] = ()
    #: PR mode reads the policy from the base revision unless the operator trusts the tree
    trust_tree_config: bool = False
    #: ``--image`` without a PATH: only the image is scanned (no file of the tree)
    image_only: bool = False

    def policy_ref(self) -> str | None:
        """The revision whose committed policy files apply (PR mode), else None."""
        return self.diff_base if self.diff_base and not self.trust_tree_config else None


def build_workspace(options: ScanOptions, cfg: config_mod.Config) -> Workspace:
    root = options.path
    if options.extra_inputs.get("stdin"):
        return Workspace(root, files=[], mode="stdin")  # --stdin: no file is scanned
    if options.image_only:
        return Workspace(root, files=[], mode="image")  # --image alone: the image only
    changed = None
    if options.diff_base or options.staged:  # git's view of the tree (else none is read)
        from pipesec.core import gitsource
    if options.diff_base:
        changed = gitsource.changed_lines(root, options.diff_base, staged=options.staged)
    elif options.staged and not options.whole_index:
        changed = gitsource.staged_changes(root)
    if options.staged:
        return gitsource.staged_workspace(
            root,
            excludes=cfg.exclude_globs(),
            max_file_size=cfg.max_file_size,
            changed=changed,
        )
    return Workspace(
        root,
        excludes=cfg.exclude_globs(),
        max_file_size=cfg.max_file_size,
        changed_lines=changed,
        mode="diff" if changed is not None else "worktree",
    )


def _policy_source(options: ScanOptions) -> trust.PolicySource:
    ref = options.policy_ref()
    if ref is None:
        return trust.TreeSource(options.path)
    from pipesec.core import gitsource

    gitsource.require_repo(options.path, "--diff-base")
    gitsource.verify_ref(options.path, ref)
    return trust.GitRefSource(options.path, ref)


def _operator_config_in_tree(
    options: ScanOptions, source: trust.PolicySource
) -> config_mod.LoadedConfig | None:
    """PR mode: a ``--config`` inside the scanned tree is read as REF committed it."""
    ref = options.policy_ref()
    cfg = options.config_file
    rel = trust.inside(cfg, options.path) if ref is not None and cfg is not None else None
    if rel is None or cfg is None:
        return None
    committed = source.read(rel)
    if committed is None:
        raise UsageError(
            f"--config {cfg}: lies inside the scanned tree but is not committed at {ref}; in PR "
            "mode pass a configuration from outside the checkout (docs/security.md)"
        )
    loaded = config_mod.load_committed(committed, source.describe(rel), cfg.name)
    try:
        changed = cfg.read_bytes() != committed
    except OSError:
        changed = True
    if changed:
        loaded.warnings.append(
            f"--config {cfg} is changed by the change under review; {source.describe(rel)} "
            "is used instead"
        )
    return loaded


def _load_baseline(
    options: ScanOptions, source: trust.PolicySource
) -> baseline_mod.Baseline | None:
    """``--baseline``: a file inside the scanned tree is read from the base revision in PR
    mode (the change under review must not accept its own findings)."""
    if options.baseline is None:
        return None
    from pipesec.core import baseline as baseline_mod

    rel = trust.inside(options.baseline, options.path)
    if options.policy_ref() is None or rel is None:
        return baseline_mod.load(options.baseline)
    raw = source.read(rel)
    if raw is None:  # added by the change under review: nothing of it is accepted yet
        return baseline_mod.Baseline([], "pipesec")
    return baseline_mod.load_bytes(raw, source.describe(rel))


def _check_runs_something(
    request: ScanRequest, workspace: Workspace, cfg: config_mod.Config
) -> None:
    """Outside PR mode, a configuration that runs no scanner or excludes every file would
    pass the gate having looked at nothing: a usage error."""
    from pipesec.core.engine import select_scanners

    if not select_scanners(request):
        raise UsageError("the configuration runs no scanner (enable / [scanners.*] enabled)")
    if workspace.mode != "worktree" or workspace.all_files() or not cfg.exclude:
        return
    unfiltered = Workspace(workspace.root, max_file_size=cfg.max_file_size)
    if unfiltered.all_files():
        raise UsageError("the configuration's exclude leaves out every file of the scan root")


def scan(options: ScanOptions) -> ScanReport:
    root = options.path
    if not root.exists():
        raise UsageError(f"{root}: scan path does not exist")
    if not (root.is_dir() or root.is_file()):  # a FIFO or a device would hang or pass empty
        raise UsageError(f"{root}: scan path is neither a directory nor a regular file")
    source = _policy_source(options)
    loaded = _operator_config_in_tree(options, source) or config_mod.load(
        root, options.config_file, source
    )
    cfg = loaded.config
    base = _load_baseline(options, source)
    for sarif in options.import_sarif:
        if not sarif.is_file():
            raise UsageError(f"{sarif}: --import-sarif file not found")
    inputs = {k: list(v) for k, v in options.extra_inputs.items()}
    if options.import_sarif:
        inputs["sarif"] = [str(p.resolve()) for p in options.import_sarif]
    ref = options.policy_ref()
    if ref is not None:
        inputs[trust.POLICY_REF_INPUT] = [ref]
    elif options.config_file is not None and not options.trust_tree_config:
        inputs[trust.OWN_RULES_ONLY_INPUT] = ["1"]
    workspace = build_workspace(options, cfg)
    request = ScanRequest(
        root=root,
        config=cfg,
        scanners=list(options.scanners) or None,
        inputs=inputs,
        workspace=workspace,
        network=options.network,
        progress=options.progress,
    )
    if options.diff_base is None and not inputs.get("stdin") and not options.image_only:
        _check_runs_something(request, workspace, cfg)
    report = run_scan(request)
    report.warnings[:0] = loaded.warnings
    if ref is not None:
        from pipesec.policy import weakening

        weakening.add_weakenings(report, source, trust.TreeSource(root), options.baseline)
    suppressions.apply(
        report,
        workspace,
        cfg.exceptions,
        base,
        options.today,
        exceptions_source=loaded.display or "the configuration",
    )
    if options.write_baseline:
        from pipesec.core import baseline as baseline_mod

        accepted = report.findings + [s.finding for s in report.suppressed if s.kind == "baseline"]
        baseline_mod.write(options.write_baseline, accepted)
    redact_report(report)  # reasons of suppressions and baselines, warnings
    for err in report.errors:  # after redaction: a message may quote a credential
        log.info("scanner %s could not process %s", err.scanner, err.describe())
    if cfg.gate.policies or options.policies:
        _apply_policies(report, cfg, options, workspace)
    report.gate = gate.evaluate(report, cfg, options.fail_on)
    return report


def _apply_policies(
    report: ScanReport, cfg: config_mod.Config, options: ScanOptions, workspace: Workspace
) -> None:
    from pipesec.policy import rego_gate

    changed = workspace.changed_lines
    request = rego_gate.PolicyRequest(
        policies=options.policies,
        data=options.policy_data,
        namespaces=options.namespaces,
        diff_base=options.diff_base,
        changed_files=sorted(changed) if changed is not None else None,
        mode=workspace.mode,
        fail_on=options.fail_on,
        policy_ref=options.policy_ref(),
    )
    rego_gate.apply(report, cfg, options.path, request)
