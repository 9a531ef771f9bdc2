"""JUnit XML, for CI systems that show test results (GitLab, Jenkins, Azure DevOps ...).

One ``<testsuite>`` per rule family (``pipesec.secrets``, ``pipesec.docker`` ...); in it one
``<testcase>`` per rule (rules that found nothing pass, so the report also shows what was
checked) with one ``<failure>`` per finding. An input that could not be processed is a test
case with an ``<error>`` in the suite of the scanner that reported it; suppressed findings
are listed in their rule's ``<system-out>``, notes in their scanner's suite. A last suite,
``pipesec.gate``, holds the verdict as one test case that fails when the gate fails.

The shape follows Jenkins' ``junit-10.xsd`` (what Surefire writes), which the tests
validate against. Characters XML 1.0 cannot hold are replaced, so a control character in
a scanned file never makes the report unreadable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import BinaryIO

from pipesec.core.model import Finding, ScanReport, SuppressedFinding
from pipesec.report.common import location_text
from pipesec.report.safe import display_safe

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_MESSAGE = 1000


def _clean(value: str, limit: int = 0) -> str:
    if limit and len(value) > limit:
        value = value[: limit - 1] + "\u2026"
    return _XML_INVALID.sub("\ufffd", value)


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def _failure_text(f: Finding, report: ScanReport) -> str:
    rule = report.rule_for(f)
    lines = [
        f"{f.severity.value.upper()} {f.rule_id}: {f.title}",
        f"location: {location_text(f)}",
        f"message: {f.message}",
    ]
    if f.snippet:
        lines.append(f"snippet: {f.snippet}")
    if f.component is not None:
        lines.append(f"component: {f.component.name} {f.component.version}")
    if f.vulnerability is not None:
        vuln = f.vulnerability
        lines.append("vulnerability: " + ", ".join((vuln.id, *vuln.aliases)))
        if vuln.fixed_versions:
            lines.append("fixed in: " + ", ".join(vuln.fixed_versions))
    remediation = f.remediation or rule.remediation
    if remediation:
        lines.append(f"remediation: {remediation}")
    if f.cwe:
        lines.append("cwe: " + ", ".join(f.cwe))
    if f.fingerprint:
        lines.append(f"fingerprint: {f.fingerprint}")
    return _clean("\n".join(lines))


def _suppressed_line(s: SuppressedFinding) -> str:
    return f"suppressed ({s.kind}): {location_text(s.finding)}: {s.justification}"


def build(report: ScanReport) -> ET.Element:
    """The ``<testsuites>`` element for ``report``."""
    # rules group by family (the part of the id before the first "/"): a rule sits in the
    # same suite whether it found something or not; input errors and notes sit in the
    # suite of the scanner that reported them (often the same name)
    rule_ids = {f.rule_id for f in report.findings}
    rule_ids |= {s.finding.rule_id for s in report.suppressed} | set(report.rules)
    rules_by_suite: dict[str, list[str]] = defaultdict(list)
    for rid in sorted(rule_ids):
        rules_by_suite[rid.split("/", 1)[0]].append(rid)
    scanner_names = set(rules_by_suite)
    scanner_names.update(e.scanner for e in report.errors)
    scanner_names.update(n.scanner for n in report.notes)

    failures: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        failures[f.rule_id].append(f)
    suppressed: dict[str, list[SuppressedFinding]] = defaultdict(list)
    for s in report.suppressed:
        suppressed[s.finding.rule_id].append(s)
    seconds = {s.name: s.seconds for s in report.stats}

    root = ET.Element("testsuites", name="pipesec")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    total_time = 0.0
    for scanner in sorted(scanner_names):
        classname = f"pipesec.{scanner}"
        suite = ET.SubElement(root, "testsuite", name=_clean(classname))
        tests = failed = errored = 0
        for rid in rules_by_suite.get(scanner, []):
            case = ET.SubElement(suite, "testcase", name=_clean(rid), classname=_clean(classname))
            tests += 1
            found = failures.get(rid, [])
            for f in found:
                message = f"{location_text(f)}: {f.message}"
                ET.SubElement(
                    case,
                    "failure",
                    type=f.severity.value,
                    message=_clean(message, MAX_MESSAGE),
                ).text = _failure_text(f, report)
            if found:
                failed += 1
            if rid in suppressed:
                out = ET.SubElement(case, "system-out")
                out.text = _clean("\n".join(_suppressed_line(s) for s in suppressed[rid]))
        for e in (e for e in report.errors if e.scanner == scanner):
            case = ET.SubElement(
                suite,
                "testcase",
                name=_clean(f"input {e.path or '<scan>'}"),
                classname=_clean(f"{classname}.inputs"),
            )
            ET.SubElement(
                case, "error", type="ScanError", message=_clean(e.message, MAX_MESSAGE)
            ).text = _clean(e.describe())
            tests += 1
            errored += 1
        notes = [n for n in report.notes if n.scanner == scanner]
        if notes:
            out = ET.SubElement(suite, "system-out")
            out.text = _clean("\n".join(f"note ({n.kind}): {n.describe()}" for n in notes))
        suite.set("tests", str(tests))
        suite.set("failures", str(failed))
        suite.set("errors", str(errored))
        suite.set("skipped", "0")
        suite.set("time", _seconds(seconds.get(scanner, 0.0)))
        totals["tests"] += tests
        totals["failures"] += failed
        totals["errors"] += errored
        total_time += seconds.get(scanner, 0.0)

    gate_suite = ET.SubElement(root, "testsuite", name="pipesec.gate")
    case = ET.SubElement(gate_suite, "testcase", name="gate", classname="pipesec.gate")
    gate = report.gate
    gate_failed = gate is not None and not gate.passed
    if gate is None:
        ET.SubElement(case, "skipped", message="gate not evaluated")
    elif gate_failed:
        ET.SubElement(
            case,
            "failure",
            type=f"exit-{gate.exit_code}",
            message=_clean("gate failed: " + "; ".join(gate.reasons), MAX_MESSAGE),
        ).text = _clean("\n".join(gate.reasons))
    warnings = (gate.warnings if gate else []) + report.warnings
    if warnings:
        ET.SubElement(case, "system-out").text = _clean(
            "\n".join(f"warning: {w}" for w in warnings)
        )
    gate_suite.set("tests", "1")
    gate_suite.set("failures", "1" if gate_failed else "0")
    gate_suite.set("errors", "0")
    gate_suite.set("skipped", "1" if gate is None else "0")
    gate_suite.set("time", "0.000")
    totals["tests"] += 1
    totals["failures"] += int(gate_failed)

    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", _seconds(total_time))
    return root


class JUnitWriter:
    format = "junit"

    def write(self, report: ScanReport, out: BinaryIO) -> None:
        report = display_safe(report)
        root = build(report)
        ET.indent(root, space="  ")
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(ET.tostring(root, encoding="unicode").encode("utf-8"))
        out.write(b"\n")


WRITER = JUnitWriter()
