"""One scan from options to decided report: config, workspace, engine, suppressions, gate.

This is the library entry point the CLI (and anyone embedding pipesec) calls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipesec.core import config as config_mod
from pipesec.core.engine import ScanRequest, run_scan
from pipesec.core.errors import UsageError
from pipesec.core.model import ScanReport, Severity
from pipesec.core.workspace import Workspace
from pipesec.policy import gate

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


def build_workspace(options: ScanOptions, cfg: config_mod.Config) -> Workspace:
    return Workspace(options.path, excludes=cfg.exclude_globs(), max_file_size=cfg.max_file_size)


def scan(options: ScanOptions) -> ScanReport:
    root = options.path
    if not root.exists():
        raise UsageError(f"{root}: scan path does not exist")
    loaded = config_mod.load(root, options.config_file)
    cfg = loaded.config
    for sarif in options.import_sarif:
        if not sarif.is_file():
            raise UsageError(f"{sarif}: --import-sarif file not found")
    inputs = {k: list(v) for k, v in options.extra_inputs.items()}
    if options.import_sarif:
        inputs["sarif"] = [str(p.resolve()) for p in options.import_sarif]
    request = ScanRequest(
        root=root,
        config=cfg,
        scanners=list(options.scanners) or None,
        inputs=inputs,
        workspace=build_workspace(options, cfg),
        network=options.network,
        progress=options.progress,
    )
    report = run_scan(request)
    report.warnings[:0] = loaded.warnings
    _move_external_suppressions(report)
    report.gate = gate.evaluate(report, cfg, options.fail_on)
    return report


def _move_external_suppressions(report: ScanReport) -> None:
    """Findings that arrive already suppressed (e.g. in imported SARIF) are not gated."""
    from pipesec.core.model import SuppressedFinding

    kept = []
    for f in report.findings:
        why = f.properties.get("suppressed") if f.properties else None
        if why:
            report.suppressed.append(SuppressedFinding(f, "external", str(why)))
        else:
            kept.append(f)
    report.findings = kept
