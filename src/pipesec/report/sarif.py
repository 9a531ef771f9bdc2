"""SARIF 2.1.0 as GitHub code scanning wants it.

Rules carry ``security-severity`` and help markdown; results carry
``partialFingerprints`` and relative URIs under ``%SRCROOT%``; suppressed findings are
results with ``suppressions``; scanner errors and notes are tool execution notifications.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from pipesec.core.model import Finding, Rule, ScanReport, Severity
from pipesec.report.common import SECURITY_SEVERITY, help_markdown
from pipesec.report.safe import display_safe

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/pipesec/pipesec"
LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
SUPPRESSION_KIND = {"inline": "inSource"}


def artifact_uri(path: str) -> str:
    """A relative path as the URI reference SARIF requires (spaces, ``%``, ``#`` ... encoded;
    ``:`` too, so a first segment such as ``c:x`` never reads as a scheme)."""
    return quote(path, safe="/!$&'()*+,;=@-._~")


def repository_root(root: Path) -> tuple[Path, str]:
    """The repository holding ``root`` (the nearest folder with ``.git``, else ``root``)
    and ``root``'s path inside it: GitHub resolves SARIF URIs from the repository root,
    also when only a subdirectory was scanned."""
    start = root if root.is_dir() else root.parent
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            rel = start.relative_to(candidate).as_posix()
            return candidate, "" if rel == "." else rel + "/"
    return start, ""


def _uri(path: str, prefix: str) -> str:
    if path.startswith("/") or not prefix:
        return artifact_uri(path)
    return artifact_uri(prefix + path)


def _rule(rule: Rule) -> dict[str, Any]:
    tags = ["security", *rule.tags, *(f"external/cwe/{c.lower()}" for c in rule.cwe)]
    out: dict[str, Any] = {
        "id": rule.id,
        "name": rule.id.replace("/", "-"),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale or rule.title},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "help": {
            "text": rule.remediation or rule.rationale or rule.title,
            "markdown": help_markdown(rule),
        },
        "properties": {
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "precision": {"high": "high", "medium": "medium", "low": "low"}[rule.confidence.value],
            "tags": list(dict.fromkeys(tags)),
        },
    }
    if rule.references:
        out["helpUri"] = rule.references[0]
    return out


def _result(
    f: Finding, rule_index: int, suppression: dict[str, Any] | None = None, prefix: str = ""
) -> dict[str, Any]:
    loc = f.location
    message = f.message
    if f.snippet:
        message += f"\n\n    {f.snippet}"
    res: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": message},
        "partialFingerprints": {"pipesecFingerprint/v1": f.fingerprint},
        "properties": {
            "severity": f.severity.value,
            "confidence": f.confidence.value,
            "security-severity": SECURITY_SEVERITY[f.severity],
            "scanner": f.scanner,
        },
    }
    if loc.path:
        physical: dict[str, Any] = {
            "artifactLocation": {"uri": _uri(loc.path, prefix), "uriBaseId": "%SRCROOT%"}
        }
        if loc.start_line:
            region: dict[str, Any] = {"startLine": loc.start_line}
            if loc.start_column:
                region["startColumn"] = loc.start_column
            if loc.end_line >= loc.start_line:
                region["endLine"] = loc.end_line
            if loc.end_column and (
                loc.end_line > loc.start_line or loc.end_column > loc.start_column
            ):
                region["endColumn"] = loc.end_column
            if f.snippet:
                region["snippet"] = {"text": f.snippet}
            physical["region"] = region
        res["locations"] = [{"physicalLocation": physical}]
    if loc.commit:
        res["properties"]["commit"] = loc.commit
    if f.component is not None:
        res["properties"]["component"] = f"{f.component.name}@{f.component.version}"
    if suppression is not None:
        res["suppressions"] = [suppression]
    return res


def build(report: ScanReport) -> dict[str, Any]:
    findings = list(report.findings)
    suppressed = list(report.suppressed)
    used: dict[str, Rule] = {}
    for f in findings + [s.finding for s in suppressed]:
        used.setdefault(f.rule_id, report.rule_for(f))
    rule_ids = sorted(used)
    index = {rid: i for i, rid in enumerate(rule_ids)}
    base, prefix = repository_root(Path(report.root).resolve())
    results = [_result(f, index[f.rule_id], prefix=prefix) for f in findings]
    for s in suppressed:
        sup = {
            "kind": SUPPRESSION_KIND.get(s.kind, "external"),
            "status": "accepted",
            "justification": s.justification,
        }
        results.append(_result(s.finding, index[s.finding.rule_id], sup, prefix))
    notifications: list[dict[str, Any]] = []
    for e in report.errors:
        n: dict[str, Any] = {"level": "error", "message": {"text": f"[{e.scanner}] {e.describe()}"}}
        if e.path:
            phys: dict[str, Any] = {
                "artifactLocation": {"uri": _uri(e.path, prefix), "uriBaseId": "%SRCROOT%"}
            }
            if e.line:
                phys["region"] = {"startLine": e.line}
            n["locations"] = [{"physicalLocation": phys}]
        notifications.append(n)
    for note in report.notes:
        notifications.append(
            {"level": "note", "message": {"text": f"[{note.scanner}] {note.describe()}"}}
        )
    root_uri = base.as_uri().rstrip("/") + "/"
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pipesec",
                        "version": report.tool_version,
                        "semanticVersion": report.tool_version,
                        "informationUri": INFO_URI,
                        "rules": [_rule(used[r]) for r in rule_ids],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
                "invocations": [
                    {
                        "executionSuccessful": not report.errors,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


class SarifWriter:
    format = "sarif"

    def write(self, report: ScanReport, out: BinaryIO) -> None:
        report = display_safe(report)
        out.write(json.dumps(build(report), indent=2, ensure_ascii=False).encode("utf-8"))
        out.write(b"\n")


WRITER = SarifWriter()
