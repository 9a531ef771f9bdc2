"""Small helpers shared by report writers."""

from __future__ import annotations

from pipesec.core.model import Finding, Rule, Severity

SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


def location_text(f: Finding) -> str:
    loc = f.location
    text = loc.path or "<no file>"
    if loc.start_line:
        text += f":{loc.start_line}"
        if loc.start_column:
            text += f":{loc.start_column}"
    if loc.commit:
        text += f" @{loc.commit[:12]}"
    return text


def help_markdown(rule: Rule) -> str:
    parts = [f"**{rule.title}**", "", rule.rationale]
    if rule.remediation:
        parts += ["", "**Remediation:** " + rule.remediation]
    if rule.vulnerable_example:
        parts += ["", "Vulnerable:", "```", rule.vulnerable_example.rstrip(), "```"]
    if rule.fixed_example:
        parts += ["", "Fixed:", "```", rule.fixed_example.rstrip(), "```"]
    if rule.cwe:
        parts += ["", "CWE: " + ", ".join(rule.cwe)]
    if rule.references:
        parts += ["", "References:"] + [f"- {r}" for r in rule.references]
    return "\n".join(parts).strip()


def severity_counts(findings: list[Finding]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts
