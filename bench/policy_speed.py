"""Rego policy speed: the whole built-in library over a report of 20,000 findings
(target: under 1 s), from the report in memory to the policy findings.

conftest (and OPA) cannot be installed here, so the reference is a brute-force Python
evaluation of the same policies over the same report (the lower bound of doing it by hand).

Run: .venv/bin/python bench/policy_speed.py [--findings N] [--runs N] [--mix worst|typical]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import time
from pathlib import Path

from pipesec.core.config import Config, ExceptionEntry, GateConfig
from pipesec.core.model import (
    Component,
    Finding,
    Location,
    PostureCheck,
    ScannerStats,
    ScanReport,
    Severity,
    SuppressedFinding,
    Vulnerability,
)
from pipesec.policy import rego_gate

SEVERITIES = list(Severity)
RULES = ["secrets/aws-access-key-id", "gha/unpinned-uses", "bandit/B602", "deps/vulnerable-package"]


def pick_rule(i: int, mix: str) -> str:
    """worst: a quarter each of secrets, actions, SAST, packages (half the findings trip a
    policy); typical: 0.5% secrets, 5% packages, the rest SAST and pipeline findings."""
    if mix == "worst":
        return RULES[i % len(RULES)]
    if i % 200 == 0:
        return RULES[0]
    return RULES[3] if i % 20 == 1 else RULES[1 + i % 2]


def make_report(n: int, mix: str = "worst") -> ScanReport:
    findings = []
    components = []
    for i in range(n):
        rule = pick_rule(i, mix)
        comp = vuln = None
        if rule == "deps/vulnerable-package":
            comp = Component(
                "PyPI", f"pkg{i}", "1.0", purl=f"pkg:pypi/pkg{i}@1.0", licenses=("MIT",)
            )
            fixed = ("2.0",) if i % 3 else ()
            vuln = Vulnerability(f"GHSA-{i:04x}", severity=SEVERITIES[i % 5], fixed_versions=fixed)
            components.append(comp)
        findings.append(
            Finding(
                rule_id=rule,
                scanner=rule.split("/")[0],
                title="A finding",
                message=f"finding number {i} with a message of a realistic length " * 2,
                severity=SEVERITIES[i % 5] if mix == "worst" or i % 50 == 0 else Severity.LOW,
                location=Location(
                    f"src/module{i % 400}/file{i}.py", i % 300 + 1, 1, i % 300 + 1, 9
                ),
                snippet="x = call(arg)  # snippet",
                identity=f"id{i}",
                fingerprint=f"{i:032x}",
                component=comp,
                vulnerability=vuln,
            )
        )
    suppressed = [SuppressedFinding(f, "baseline", "old") for f in findings[: n // 100]]
    return ScanReport(
        root=".",
        findings=findings,
        suppressed=suppressed,
        components=components,
        posture=[PostureCheck(".github/workflows", "manual-approval", True, "environment")],
        stats=[ScannerStats("deps", findings=n // 4)],
        tool_version="0.1.0",
    )


def config() -> Config:
    expires = dt.date.today() + dt.timedelta(days=30)
    return Config(
        gate=GateConfig(
            fail_on=Severity.HIGH,
            max_findings=None,
            on_error="fail",
            policies=["builtin:all"],
            policy_data=[],
            policy_timeout=60.0,
        ),
        exceptions=[ExceptionEntry(rule="a/b", reason="r", owner="me", expires=expires)],
        scanners={},
    )


def brute_force(report: ScanReport) -> int:
    """The same library, written by hand in Python."""
    secret = ("secrets/", "gitleaks/")
    static = {
        "gha/static-aws-keys",
        "gha/static-gcp-key",
        "gha/static-azure-secret",
        "gha/publish-long-lived-token",
        "gitlab/static-cloud-keys",
    }
    out = []
    for f in report.findings:
        if f.severity is Severity.CRITICAL:
            out.append(f"critical {f.rule_id} at {f.location.path}:{f.location.start_line}")
        v = f.vulnerability
        if v and v.severity.rank >= Severity.HIGH.rank and v.fixed_versions:
            out.append(f"{v.id} fixed in {', '.join(v.fixed_versions)}")
        if f.scanner == "secrets" or f.rule_id.startswith(secret):
            out.append(f"secret {f.rule_id} at {f.location.path}")
        if f.rule_id in static:
            out.append("static key")
    for s in report.suppressed:
        if s.finding.scanner == "secrets" or s.finding.rule_id.startswith(secret):
            out.append(f"secret {s.finding.rule_id} suppressed")
    for p in report.posture:
        if p.gate == "manual-approval" and not p.present:
            out.append("no approval")
    return len(out)


def cpu_seconds() -> float:
    """CPU time of this process and its (forked evaluator) children: on a machine shared
    with other work it is closer to what an idle machine's wall clock shows."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--findings", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--mix", choices=["worst", "typical"], default="worst")
    args = ap.parse_args()
    cfg = config()
    rego_times, rego_cpu, py_times = [], [], []
    count = 0
    for _ in range(args.runs):
        report = make_report(args.findings, args.mix)
        t, c = time.perf_counter(), cpu_seconds()
        rego_gate.apply(report, cfg, Path("."), rego_gate.PolicyRequest())
        rego_times.append(time.perf_counter() - t)
        rego_cpu.append(cpu_seconds() - c)
        count = sum(1 for f in report.findings if f.scanner == "policy")
        report = make_report(args.findings, args.mix)
        t = time.perf_counter()
        expected = brute_force(report)
        py_times.append(time.perf_counter() - t)
    print(f"report: {args.findings} findings ({args.mix} mix); built-in library (builtin:all)")
    wall = statistics.median(rego_times)
    print(
        f"pipesec Rego (input, evaluation, findings): wall median {wall:.3f} s,"
        f" min {min(rego_times):.3f} s; CPU median {statistics.median(rego_cpu):.3f} s;"
        f" {count} policy findings"
    )
    print(
        f"brute-force Python, same policies:          median {statistics.median(py_times):.3f} s;"
        f" {expected} results"
    )


if __name__ == "__main__":
    main()
