"""The gate: holds the (unsuppressed) findings against the policy and decides.

Exit codes: 0 passed, 1 failed on findings, 3 an input could not be processed and the
policy fails closed. (2, usage and configuration errors, never reaches the gate.)
"""

from __future__ import annotations

from collections import defaultdict

from pipesec.core.config import Config
from pipesec.core.model import Finding, GateResult, ScanReport, Severity, count

EXIT_PASSED = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT_ERROR = 3
MAX_LISTED = 5
POLICY_SCANNER = "policy"  # findings of Rego policies (policy/rego_gate.py)
POLICY_KIND = "policy_kind"  # their Finding.properties key: "deny" or "warn"


def is_policy(f: Finding) -> bool:
    return f.scanner == POLICY_SCANNER and POLICY_KIND in f.properties


def is_denial(f: Finding) -> bool:
    return is_policy(f) and f.properties[POLICY_KIND] == "deny"


def _describe(findings: list[Finding]) -> str:
    listed = ", ".join(
        f"{f.rule_id} at {f.location.path}:{f.location.start_line}" for f in findings[:MAX_LISTED]
    )
    more = len(findings) - MAX_LISTED
    return listed + (f" and {more} more" if more > 0 else "")


def evaluate(report: ScanReport, config: Config, fail_on: Severity | None = None) -> GateResult:
    """Decide pass/fail for ``report``; ``fail_on`` (from the command line) beats config."""
    gate = config.gate
    overall = fail_on or gate.fail_on
    reasons: list[str] = []
    warnings: list[str] = []

    # Rego policy results decide by their kind, not their severity: a deny fails the gate
    # whatever fail-on says, a warn never does; neither counts toward thresholds or limits
    policy = [f for f in report.findings if is_policy(f)]
    gated = [f for f in report.findings if not is_policy(f)] if policy else report.findings
    by_scanner: dict[str, list[Finding]] = defaultdict(list)
    for f in gated:
        by_scanner[f.scanner].append(f)

    failing: list[Finding] = []
    for scanner, findings in sorted(by_scanner.items()):
        sc = config.scanner(scanner)
        threshold = fail_on or sc.fail_on or overall
        bad = [f for f in findings if f.severity.at_least(threshold)]
        failing.extend(bad)
        if sc.max_findings is not None and len(findings) > sc.max_findings:
            reasons.append(
                f"{scanner}: {count(len(findings), 'finding')}, "
                f"more than its max-findings of {sc.max_findings}"
            )
    if failing:
        failing.sort(key=Finding.sort_key)
        by_threshold: dict[Severity, list[Finding]] = defaultdict(list)
        thresholds: dict[str, Severity] = {}
        for f in failing:
            if f.scanner not in thresholds:
                thresholds[f.scanner] = fail_on or config.scanner(f.scanner).fail_on or overall
            by_threshold[thresholds[f.scanner]].append(f)
        for threshold, group in sorted(by_threshold.items(), key=lambda kv: -kv[0].rank):
            noun = "finding" if len(group) == 1 else "findings"
            reasons.append(
                f"{len(group)} {noun} of severity {threshold.value} or above: {_describe(group)}"
            )
    if gate.max_findings is not None and len(gated) > gate.max_findings:
        reasons.append(
            f"{count(len(gated), 'finding')}, more than max-findings of {gate.max_findings}"
        )
    denials = [f for f in policy if is_denial(f)]
    if denials:
        listed = "; ".join(f"{f.rule_id}: {f.message}" for f in denials[:MAX_LISTED])
        more = len(denials) - MAX_LISTED
        reasons.append(
            f"{count(len(denials), 'policy denial')}: {listed}"
            + (f" and {more} more" if more > 0 else "")
        )
    if len(policy) > len(denials):
        n = len(policy) - len(denials)
        warnings.append(f"{count(n, 'policy warning')} (warn rules never fail)")

    exit_code = EXIT_FAILED if reasons else EXIT_PASSED
    if report.errors:
        noun = "input" if len(report.errors) == 1 else "inputs"
        text = f"{len(report.errors)} {noun} could not be processed"
        if gate.on_error == "fail":
            reasons.append(text + ' (on-error = "fail")')
            exit_code = EXIT_INPUT_ERROR
        else:
            warnings.append(text + ' (on-error = "warn": not failing)')
    return GateResult(
        passed=exit_code == EXIT_PASSED, exit_code=exit_code, reasons=reasons, warnings=warnings
    )
