"""Rego policies in a scan: load them, evaluate them over the report, turn results into
findings ``policy/<package>/<rule>`` that the gate decides on (a deny fails it whatever
``fail-on`` says; a warn never does)."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipesec.core.config import Config
from pipesec.core.fingerprints import compute
from pipesec.core.model import (
    Finding,
    Location,
    Rule,
    ScanReport,
    Severity,
    SuppressedFinding,
)
from pipesec.policy import rego, rego_input, rego_sources
from pipesec.policy.gate import POLICY_KIND, POLICY_SCANNER

log = logging.getLogger(__name__)

SCANNER = POLICY_SCANNER
KIND = POLICY_KIND
DEFAULT_SEVERITY = {"deny": Severity.HIGH, "warn": Severity.LOW}
_SEVERITIES = {s.value: s for s in Severity}
_RESULT_KEYS = frozenset({"msg", "severity", "location", "rule_id"})
_NOWHERE = Location("")
_PACKAGE = re.compile(r"^\s*package\s+([A-Za-z_][\w.]*)", re.M)


@dataclass(frozen=True, slots=True)
class PolicyRequest:
    """Operator-given policies (trusted) beside the configuration's ``[gate]`` ones."""

    policies: Sequence[str] = ()
    data: Sequence[str] = ()
    namespaces: Sequence[str] = ()
    diff_base: str | None = None
    changed_files: Sequence[str] | None = None
    mode: str = "worktree"
    fail_on: Severity | None = None
    #: PR mode: the revision whose committed policy files apply (None: the working tree)
    policy_ref: str | None = None


def tree_fs(root: Path, request: PolicyRequest) -> rego_sources.PolicyFS:
    """Where the scanned tree's ``[gate] policies`` / ``policy-data`` are read from: in PR
    mode the base revision, else the working tree."""
    if request.policy_ref:
        return rego_sources.GitRefFS(root, request.policy_ref)
    return rego_sources.TreeFS(root)


def load_for_scan(cfg: Config, root: Path, request: PolicyRequest) -> list[rego_sources.Loaded]:
    """The policy groups of a scan, each evaluated on its own: the tree's configuration
    (``[gate] policies`` / ``policy-data``), then the operator's (``--policy`` /
    ``--policy-data``). Kept apart, the tree's data and ``exception`` rules cannot reach
    the operator's policies."""
    groups = []
    if cfg.gate.policies:
        groups.append(
            rego_sources.load(cfg.gate.policies, cfg.gate.policy_data, tree_fs(root, request))
        )
    if request.policies:
        groups.append(rego_sources.load(request.policies, request.data, rego_sources.OperatorFS()))
    return groups


def namespaces(modules: Sequence[rego.Module], requested: Sequence[str]) -> list[str]:
    """The packages evaluated: those asked for (default ``main``) plus every built-in's."""
    out = list(requested) or [rego.DEFAULT_NAMESPACE]
    for m in modules:
        if m.name.startswith(rego_sources.BUILTIN):
            found = _PACKAGE.search(m.text)
            if found and found.group(1) not in out:
                out.append(found.group(1))
    return out


def gate_settings(cfg: Config, specs: Sequence[str], request: PolicyRequest) -> Any:
    return rego_input.GateSettings(
        fail_on=(request.fail_on or cfg.gate.fail_on).value,
        max_findings=cfg.gate.max_findings,
        on_error=cfg.gate.on_error,
        exceptions=[
            rego_input.ExceptionSetting(
                rule=e.rule,
                path=e.path,
                reason=e.reason,
                expires=e.expires.isoformat() if e.expires else None,
                owner=e.owner,
            )
            for e in cfg.exceptions
        ],
        policies=list(specs),
        namespace=(list(request.namespaces) or [rego.DEFAULT_NAMESPACE])[0],
    )


def _vulndb_info(report: ScanReport, cfg: Config, root: Path) -> rego_input.VulnDbInfo:
    if not any(s.name == "deps" for s in report.stats):
        return rego_input.VulnDbInfo()
    from pipesec import vulndb

    path = vulndb.resolve_db_path(cfg.scanner("deps").options().get("db"), root)
    if not path.is_file():
        return rego_input.VulnDbInfo(path=str(path))
    try:
        with vulndb.open_db(path) as db:
            age = db.data_age_days()
    except Exception as exc:
        log.debug("vulnerability database age unknown: %s", exc)
        age = None
    return rego_input.VulnDbInfo(
        path=str(path), age_days=round(age, 3) if age is not None else None
    )


def _location(value: Any) -> Location:
    if isinstance(value, str):
        path, _, line = value.rpartition(":")
        if path and line.isdigit():
            return Location(path, int(line))
        return Location(value)
    if isinstance(value, dict):

        def num(*keys: str) -> int:
            for k in keys:
                v = value.get(k)
                if isinstance(v, int) and not isinstance(v, bool) and v > 0:
                    return v
            return 0

        path = value.get("path") or value.get("file") or ""
        return Location(
            str(path),
            num("start_line", "line"),
            num("start_column", "column", "col"),
            num("end_line"),
            num("end_column"),
        )
    return Location("")


def to_finding(result: rego.Result, seen: dict[str, int] | None = None) -> Finding:
    """One conftest result as a finding ``policy/<package>/<rule>``; ``seen`` counts
    fingerprints so far (a repeated message at the same place stays distinct)."""
    value = result.value
    severity = DEFAULT_SEVERITY[result.kind]
    location = _NOWHERE
    props: dict[str, Any] = {KIND: result.kind, "policy_package": result.package}
    if isinstance(value, dict):
        msg = value.get("msg")
        if not isinstance(msg, str):
            msg = json.dumps(value, sort_keys=True)
        sev = value.get("severity")
        if isinstance(sev, str):
            severity = _SEVERITIES.get(sev.strip().lower(), severity)
        if "location" in value:
            location = _location(value["location"])
        if isinstance(value.get("rule_id"), str):
            props["policy_rule_id"] = value["rule_id"]
        extra = {k: v for k, v in value.items() if k not in _RESULT_KEYS}
        if extra:
            props["policy_result"] = extra
    else:
        msg = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    rule_id = f"policy/{result.package}/{result.rule}"
    identity = msg + "\n" + str(props.get("policy_rule_id", ""))
    fp = compute(rule_id, location.path, identity)
    if seen is not None:
        n = seen.get(fp, 0)
        seen[fp] = n + 1
        if n:
            fp = compute(rule_id, location.path, identity, n)
    verb = "denied" if result.kind == "deny" else "warns"
    return Finding(
        rule_id=rule_id,
        scanner=SCANNER,
        title=f"Policy {result.package}.{result.rule} {verb}",
        message=msg,
        severity=severity,
        location=location,
        identity=identity,
        fingerprint=fp,
        properties=props,
    )


def apply(report: ScanReport, cfg: Config, root: Path, request: PolicyRequest) -> None:
    """Evaluate the configured and requested policies over ``report`` and add their
    findings (excepted results go to ``report.suppressed``)."""
    if not (cfg.gate.policies or request.policies):
        return
    started = time.perf_counter()
    groups = load_for_scan(cfg, root, request)
    specs = [*cfg.gate.policies, *request.policies]
    context = rego_input.context_from_env(
        diff_base=request.diff_base,
        changed_files=request.changed_files,
        mode=request.mode,
        vulndb=_vulndb_info(report, cfg, root),
    )
    doc = rego_input.build(report, gate_settings(cfg, specs, request), context)
    input_json = doc.model_dump_json()
    outcome = rego.Outcome()
    for loaded in groups:
        part = rego.evaluate(
            loaded.modules,
            loaded.data,
            input_json,
            namespaces(loaded.modules, request.namespaces),
            cfg.gate.policy_timeout,
        )
        outcome.results.extend(part.results)
    if len(groups) > 1:  # a policy named both in [gate] and by --policy reports once
        outcome.results = _distinct(outcome.results)
    add_results(report, outcome)
    for stats in report.stats:
        if stats.name == SCANNER:
            stats.seconds += time.perf_counter() - started


def _distinct(results: list[rego.Result]) -> list[rego.Result]:
    seen: set[tuple[str, str, bool, str]] = set()
    out = []
    for r in results:
        key = (r.package, r.rule, r.excepted, json.dumps(r.value, sort_keys=True))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def policy_rule(result: rego.Result, severity: Severity) -> Rule:
    """The rule metadata of ``policy/<package>/<rule>`` (SARIF rule table, rules list)."""
    effect = (
        "Its results fail the gate whatever fail-on says."
        if result.kind == "deny"
        else "Its results are warnings: they never fail the gate."
    )
    return Rule(
        id=f"policy/{result.package}/{result.rule}",
        title=f"Rego policy data.{result.package}.{result.rule}",
        severity=severity,
        rationale=f"A {result.kind} rule of the Rego package {result.package}. {effect}",
        remediation="Fix what the message names, or change the policy (see docs/policy.md).",
        tags=("policy", result.kind),
    )


def add_results(report: ScanReport, outcome: rego.Outcome) -> None:
    from pipesec.core.redact import redact_texts

    seen: dict[str, int] = {}
    made = [to_finding(r, seen) for r in outcome.results]
    # a policy's message may quote anything, including a credential a policy file holds;
    # the built-in policies quote only the (already redacted) report
    own = [i for i, r in enumerate(outcome.results) if not r.builtin]
    for i, text in zip(own, redact_texts([made[i].message for i in own]), strict=True):
        if text != made[i].message:
            made[i] = replace(made[i], message=text)
    for f, r in zip(made, outcome.results, strict=True):
        if f.rule_id not in report.rules:
            report.rules[f.rule_id] = policy_rule(r, f.severity)
        if r.excepted:
            why = f"excepted by data.{r.package}.exception"
            report.suppressed.append(SuppressedFinding(f, "policy-exception", why))
        else:
            report.findings.append(f)
    report.findings.sort(key=Finding.sort_key)
    if not any(r.name == SCANNER for r in report.stats):
        from pipesec.core.model import ScannerStats

        report.stats.append(
            ScannerStats(SCANNER, findings=sum(1 for r in outcome.results if not r.excepted))
        )
