"""GitLab security reports (schema version 15) and the GitLab Code Quality report.

Four security report types, each its own writer and format, and where findings go:

- ``gitlab-secret-detection`` (``secret_detection``): the ``secrets`` scanner, and imported
  SARIF from secret scanners (gitleaks, trufflehog ...);
- ``gitlab-dependency-scanning`` (``dependency_scanning``): ``deps`` findings about a
  component (a package at a version, declared in a manifest or lockfile);
- ``gitlab-container-scanning`` (``container_scanning``): ``containers`` findings about a
  component (an OS or language package in an image);
- ``gitlab-sast`` (``sast``): everything else: pipelines, IaC, SAST, other imported SARIF,
  and ``deps``/``containers`` findings that are not about a package.

:func:`report_type` is that routing: every finding lands in exactly one report, so a
pipeline that uploads all four shows each finding once.

The fields follow GitLab's documented format (``version``, ``scan`` with analyzer, scanner,
type, status and times, ``vulnerabilities`` with id, name, description, severity, solution,
identifiers, links and a location in each report type's shape). Suppressed findings are left
out (GitLab would count them); the number left out, scanner errors and notes go to
``scan.messages``. Nothing here copies a secret: GitLab's own analyzers put the raw match in
``raw_source_code_extract``; we never do, and descriptions carry only the redacted snippet.

Container findings name their image and its operating system in
``Finding.properties["image"]`` and ``["operating_system"]`` (else the component's purl
``distro`` qualifier is used).

``scan.start_time``/``end_time`` are the current UTC time (GitLab requires them), or
``SOURCE_DATE_EPOCH`` when set, for reproducible output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO
from urllib.parse import parse_qs, quote, urlsplit

from pipesec import __version__
from pipesec.core.model import Finding, ScanReport, Severity
from pipesec.report.safe import display_safe

SCHEMA_VERSION = "15.0.6"
SCHEMA_BASE = (
    "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/"
    f"v{SCHEMA_VERSION}/dist/"
)
REPORT_TYPES = ("sast", "secret_detection", "dependency_scanning", "container_scanning")
#: report type -> file name of its schema (``dist/sast-report-format.json`` ...)
SCHEMA_FILE = {t: t.replace("_", "-") + "-report-format.json" for t in REPORT_TYPES}
INFO_URL = "https://github.com/pipesec/pipesec"

SEVERITY = {
    Severity.CRITICAL: "Critical",
    Severity.HIGH: "High",
    Severity.MEDIUM: "Medium",
    Severity.LOW: "Low",
    Severity.INFO: "Info",
}
#: Code Climate severities, as GitLab's Code Quality widget reads them
CODEQUALITY_SEVERITY = {
    Severity.CRITICAL: "blocker",
    Severity.HIGH: "critical",
    Severity.MEDIUM: "major",
    Severity.LOW: "minor",
    Severity.INFO: "info",
}
#: imported SARIF from these tools is about secrets
SECRET_TOOLS = frozenset(
    {"gitleaks", "trufflehog", "detect-secrets", "betterleaks", "ggshield", "noseyparker"}
)
#: GitLab keeps at most 20 identifiers per vulnerability
MAX_IDENTIFIERS = 20
MAX_NAME = 255
MAX_SOLUTION = 7000
MAX_DESCRIPTION = 100_000
MAX_MESSAGES = 100
#: placeholder commit GitLab's own secret analyzer writes when it scans a working tree
NO_COMMIT = "0000000"
_ID_NAMESPACE = uuid.UUID("5f0b9a52-5d1c-4bd4-9a57-3c4a1a8e3f11")

PACKAGE_MANAGER = {
    "pypi": "pip",
    "npm": "npm",
    "go": "go",
    "maven": "maven",
    "cargo": "cargo",
    "crates.io": "cargo",
    "rubygems": "bundler",
    "nuget": "nuget",
    "packagist": "composer",
    "pub": "pub",
    "hex": "mix",
    "cocoapods": "cocoapods",
    "swifturl": "swift",
}


# -- routing --------------------------------------------------------------------------------


def _imported_tool(f: Finding) -> str:
    parts = f.rule_id.split("/")
    return parts[1] if f.scanner == "imported" and len(parts) > 2 else ""


def report_type(f: Finding) -> str:
    """The GitLab security report type a finding belongs to (one of REPORT_TYPES)."""
    family = f.rule_id.split("/", 1)[0]
    if f.scanner == "secrets" or family == "secrets" or _imported_tool(f) in SECRET_TOOLS:
        return "secret_detection"
    # before deps: a vulnerable package found in an image carries the deps rule id
    if f.scanner in ("containers", "container") and f.component is not None:
        return "container_scanning"
    if (f.scanner == "deps" or family == "deps") and f.component is not None:
        return "dependency_scanning"
    return "sast"


def scanner_report_type(scanner: str) -> str:
    """Where a scanner's errors and notes go."""
    return {
        "secrets": "secret_detection",
        "deps": "dependency_scanning",
        "containers": "container_scanning",
    }.get(scanner, "sast")


# -- helpers --------------------------------------------------------------------------------


def _cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "\u2026"


_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


def _http(url: str) -> bool:
    """A well-formed http(s) URL (GitLab rejects a report whose links are not URIs)."""
    return _URL.fullmatch(url) is not None


def _vuln_identifier(vid: str) -> dict[str, str]:
    upper = vid.upper()
    path = quote(vid, safe="")
    if upper.startswith("CVE-"):
        return {
            "type": "cve",
            "name": upper,
            "value": upper,
            "url": f"https://nvd.nist.gov/vuln/detail/{quote(upper, safe='')}",
        }
    if upper.startswith("GHSA-"):
        return {
            "type": "ghsa",
            "name": vid,
            "value": vid,
            "url": f"https://github.com/advisories/{path}",
        }
    return {
        "type": "osv",
        "name": vid,
        "value": vid,
        "url": f"https://osv.dev/vulnerability/{path}",
    }


def _cwe_identifier(cwe: str) -> dict[str, str] | None:
    number = cwe.upper().removeprefix("CWE-").strip()
    if not number.isdigit():
        return None
    return {
        "type": "cwe",
        "name": f"CWE-{number}",
        "value": number,
        "url": f"https://cwe.mitre.org/data/definitions/{number}.html",
    }


def identifiers(f: Finding, report: ScanReport) -> list[dict[str, str]]:
    """Primary identifier first: the vulnerability (GHSA/CVE) when there is one, since GitLab
    tracks a vulnerability by report type, location and primary identifier, and one package
    can have several; else the pipesec rule."""
    rule = report.rule_for(f)
    rule_ident = {"type": "pipesec_rule_id", "name": f"pipesec {f.rule_id}", "value": f.rule_id}
    ref = next((r for r in rule.references if _http(r)), "")
    if ref:
        rule_ident["url"] = ref
    out: list[dict[str, str]] = []
    if f.vulnerability is not None:
        out += [_vuln_identifier(v) for v in (f.vulnerability.id, *f.vulnerability.aliases) if v]
    out.append(rule_ident)
    for cwe in f.cwe or rule.cwe:
        ident = _cwe_identifier(cwe)
        if ident is not None:
            out.append(ident)
    seen: set[tuple[str, str]] = set()
    unique = []
    for ident in out:
        key = (ident["type"], ident["value"])
        if key not in seen:
            seen.add(key)
            unique.append(ident)
    return unique[:MAX_IDENTIFIERS]


def _description(f: Finding, report: ScanReport) -> str:
    rule = report.rule_for(f)
    parts = [f.message or f.title]
    if f.snippet:
        parts.append("```\n" + f.snippet.replace("```", "` ` `") + "\n```")
    if f.vulnerability is not None and f.vulnerability.summary:
        parts.append(f.vulnerability.summary)
    if rule.rationale and rule.rationale != f.message:
        parts.append(rule.rationale)
    text = "\n\n".join(p for p in parts if p.strip()) or rule.title or f.rule_id
    return _cut(text, MAX_DESCRIPTION)


def _solution(f: Finding, report: ScanReport) -> str:
    solution = f.remediation or report.rule_for(f).remediation
    if f.vulnerability is not None and f.vulnerability.fixed_versions and f.component is not None:
        fixed = ", ".join(f.vulnerability.fixed_versions)
        upgrade = f"Upgrade {f.component.name} to {fixed} or later."
        solution = f"{upgrade} {solution}".strip() if upgrade not in solution else solution
    return _cut(solution, MAX_SOLUTION)


def _links(f: Finding, report: ScanReport) -> list[dict[str, str]]:
    refs = [*f.references, *report.rule_for(f).references]
    if f.vulnerability is not None:
        refs += f.vulnerability.references
    return [{"url": r} for r in dict.fromkeys(refs) if _http(r)][:20]


def _lines(f: Finding) -> dict[str, int]:
    start = max(1, f.location.start_line)
    out = {"start_line": start}
    if f.location.end_line >= start:
        out["end_line"] = f.location.end_line
    return out


def _operating_system(f: Finding) -> str:
    os_name = f.properties.get("operating_system")
    if isinstance(os_name, str) and os_name:
        return os_name
    purl = f.component.purl if f.component is not None else ""
    if "?" in purl:
        distro = parse_qs(urlsplit(purl).query).get("distro", [""])[0]
        if distro:
            return distro
    return "unknown"


def location(f: Finding, rtype: str) -> dict[str, Any]:
    path = f.location.path or "."
    if rtype in ("sast", "secret_detection"):
        loc: dict[str, Any] = {"file": path, **_lines(f)}
        if rtype == "secret_detection":
            loc["commit"] = {"sha": f.location.commit or NO_COMMIT}
        return loc
    comp = f.component
    if comp is None:
        raise ValueError(f"{rtype} location needs a component: {f.rule_id} has none")
    dependency: dict[str, Any] = {"package": {"name": comp.name}, "version": comp.version}
    if rtype == "dependency_scanning":
        dependency["direct"] = comp.direct
        manifest = f.location.path or (comp.location.path if comp.location else "") or path
        return {"file": manifest, "dependency": dependency}
    image = f.properties.get("image")
    return {
        "image": image if isinstance(image, str) and image else path,
        "operating_system": _operating_system(f),
        "dependency": dependency,
    }


def _vuln_id(rtype: str, f: Finding, seen: set[str]) -> str:
    basis = f.fingerprint or "|".join(
        (f.rule_id, f.location.path, str(f.location.start_line), f.identity, f.message)
    )
    n = 0
    while True:
        vid = str(uuid.uuid5(_ID_NAMESPACE, f"{rtype}:{basis}:{n}" if n else f"{rtype}:{basis}"))
        if vid not in seen:
            seen.add(vid)
            return vid
        n += 1


def vulnerability(f: Finding, rtype: str, report: ScanReport, seen: set[str]) -> dict[str, Any]:
    name = f.title or report.rule_for(f).title or f.rule_id
    if f.vulnerability is not None and f.component is not None:
        name = f"{f.vulnerability.id} in {f.component.name}: {name}"
    vuln: dict[str, Any] = {
        "id": _vuln_id(rtype, f, seen),
        "name": _cut(name, MAX_NAME),
        "description": _description(f, report),
        "severity": SEVERITY[f.severity],
        "identifiers": identifiers(f, report),
        "location": location(f, rtype),
    }
    solution = _solution(f, report)
    if solution:
        vuln["solution"] = solution
    links = _links(f, report)
    if links:
        vuln["links"] = links
    return vuln


def _location_key(loc: dict[str, Any], rtype: str) -> tuple[str, ...]:
    """What GitLab's location fingerprint is made of, per report type."""
    if rtype in ("sast", "secret_detection"):
        return (loc["file"], str(loc["start_line"]), str(loc.get("end_line", "")))
    package = loc["dependency"]["package"]["name"]
    if rtype == "dependency_scanning":
        return (loc["file"], package)
    return (loc["operating_system"], package)


def keep_apart(vulns: list[dict[str, Any]], findings: list[Finding], rtype: str) -> None:
    """GitLab merges two vulnerabilities with the same location fingerprint that share an
    identifier (other than CWE/WASC). Distinct findings of one rule at one place (a pipeline
    missing several gates, two advisories for one package) must stay apart: the shared rule
    identifier is dropped where the finding has another of its own (its advisory), or else
    replaced by one naming the finding, whose message then becomes the name."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, v in enumerate(vulns):
        groups.setdefault(_location_key(v["location"], rtype), []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        counts: dict[tuple[str, str], int] = {}
        for i in members:
            for ident in vulns[i]["identifiers"]:
                key = (ident["type"], ident["value"])
                counts[key] = counts.get(key, 0) + 1
        for i in members:
            f, v = findings[i], vulns[i]
            idents = v["identifiers"]
            shared = [
                x
                for x in idents
                if x["type"] == "pipesec_rule_id" and counts[(x["type"], x["value"])] > 1
            ]
            if not shared:
                continue
            rest = [x for x in idents if x not in shared]
            if not any(x["type"] not in ("cwe", "wasc") for x in rest):
                token = f.fingerprint or v["id"]
                rest.insert(
                    0,
                    {
                        "type": "pipesec_finding",
                        "name": f"pipesec {f.rule_id} ({token[:12]})",
                        "value": f"{f.rule_id}:{token}",
                    },
                )
                if f.message:
                    v["name"] = _cut(f.message, MAX_NAME)
            v["identifiers"] = rest


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def default_clock() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


def _messages(report: ScanReport, rtype: str, left_out: int) -> list[dict[str, str]]:
    msgs = [
        {"level": "warning", "value": f"could not process {e.describe()}"}
        for e in report.errors
        if scanner_report_type(e.scanner) == rtype
    ]
    notes = [n for n in report.notes if scanner_report_type(n.scanner) == rtype]
    room = max(0, MAX_MESSAGES - len(msgs))
    msgs += [{"level": "info", "value": f"skipped {n.describe()}"} for n in notes[:room]]
    if len(notes) > room:
        msgs.append(
            {"level": "info", "value": f"{len(notes) - room} more notes in the pipesec JSON report"}
        )
    if left_out:
        msgs.append(
            {
                "level": "info",
                "value": f"{left_out} suppressed findings are not reported "
                "(see the pipesec JSON or SARIF report)",
            }
        )
    return msgs


def build(
    report: ScanReport, rtype: str, clock: Callable[[], dt.datetime] = default_clock
) -> dict[str, Any]:
    """The GitLab security report of type ``rtype`` (a REPORT_TYPES value) for ``report``."""
    if rtype not in SCHEMA_FILE:
        raise ValueError(f"unknown GitLab report type {rtype!r}")
    version = report.tool_version or __version__
    end = clock()
    elapsed = max((s.seconds for s in report.stats), default=0.0)
    start = end - dt.timedelta(seconds=elapsed)
    seen: set[str] = set()
    mine = [f for f in report.findings if report_type(f) == rtype]
    left_out = sum(1 for s in report.suppressed if report_type(s.finding) == rtype)
    errors = any(scanner_report_type(e.scanner) == rtype for e in report.errors)
    fails_closed = report.gate is not None and report.gate.exit_code == 3
    tool = {"id": "pipesec", "name": "pipesec", "version": version, "vendor": {"name": "pipesec"}}
    out: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "schema": SCHEMA_BASE + SCHEMA_FILE[rtype],
        "scan": {
            "analyzer": {**tool, "url": INFO_URL},
            "scanner": {**tool, "url": INFO_URL},
            "type": rtype,
            "start_time": _timestamp(start),
            "end_time": _timestamp(end),
            "status": "failure" if errors and fails_closed else "success",
            "messages": _messages(report, rtype, left_out),
        },
        "vulnerabilities": [vulnerability(f, rtype, report, seen) for f in mine],
    }
    keep_apart(out["vulnerabilities"], mine, rtype)
    if rtype == "dependency_scanning":
        out["dependency_files"] = dependency_files(report, mine)
    return out


def dependency_files(report: ScanReport, findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """The manifests and lockfiles with the dependencies read from each."""
    files: dict[str, dict[tuple[str, str], str]] = {}
    managers: dict[str, str] = {}
    comps = [c for c in report.components if c.location is not None and c.location.path]
    pairs = [(c.location.path, c) for c in comps if c.location is not None]
    pairs += [(f.location.path, f.component) for f in findings if f.component is not None]
    for path, comp in pairs:
        if not path:
            continue
        files.setdefault(path, {})[(comp.name, comp.version)] = comp.ecosystem
        managers.setdefault(path, PACKAGE_MANAGER.get(comp.ecosystem.lower(), comp.ecosystem))
    return [
        {
            "path": path,
            "package_manager": managers[path] or "unknown",
            "dependencies": [
                {"package": {"name": name}, "version": version}
                for name, version in sorted(files[path])
            ],
        }
        for path in sorted(files)
    ]


class GitLabSecurityWriter:
    """Writes one GitLab security report type."""

    def __init__(
        self, fmt: str, rtype: str, clock: Callable[[], dt.datetime] = default_clock
    ) -> None:
        self.format = fmt
        self.report_type = rtype
        self.clock = clock

    def write(self, report: ScanReport, out: BinaryIO) -> None:
        report = display_safe(report)
        doc = build(report, self.report_type, self.clock)
        out.write(json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8"))
        out.write(b"\n")


# -- Code Quality ---------------------------------------------------------------------------


def _cq_fingerprint(f: Finding, seen: set[str]) -> str:
    basis = (
        f.fingerprint
        or hashlib.sha256(
            "\x00".join(
                (f.rule_id, f.location.path, str(f.location.start_line), f.identity, f.message)
            ).encode("utf-8", "surrogatepass")
        ).hexdigest()[:32]
    )
    fp, n = basis, 0
    while fp in seen:  # GitLab shows only the first issue of a fingerprint
        n += 1
        fp = hashlib.sha256(f"{basis}:{n}".encode()).hexdigest()[:32]
    seen.add(fp)
    return fp


def _cq_description(f: Finding) -> str:
    parts = [p for p in (f.title.strip(), f.message.strip()) if p]
    return ": ".join(parts) or f.rule_id


def _cq_path(path: str) -> str:
    """A repository-relative path as Code Quality wants it: no leading ``/`` or ``./``
    (imported SARIF and external tools may give either)."""
    while path.startswith(("/", "./")):
        path = path[1:] if path.startswith("/") else path[2:]
    return path or "."


def codequality(report: ScanReport) -> list[dict[str, Any]]:
    """The Code Climate subset GitLab's Code Quality widget reads."""
    seen: set[str] = set()
    issues = []
    for f in report.findings:
        issues.append(
            {
                "type": "issue",
                "check_name": f.rule_id,
                "description": _cut(_cq_description(f), 2000),
                "categories": ["Security"],
                "severity": CODEQUALITY_SEVERITY[f.severity],
                "fingerprint": _cq_fingerprint(f, seen),
                "location": {
                    "path": _cq_path(f.location.path),
                    "lines": {"begin": max(1, f.location.start_line)},
                },
                "engine_name": "pipesec",
            }
        )
    return issues


class CodeQualityWriter:
    format = "gitlab-codequality"

    def write(self, report: ScanReport, out: BinaryIO) -> None:
        report = display_safe(report)
        out.write(json.dumps(codequality(report), indent=2, ensure_ascii=False).encode("utf-8"))
        out.write(b"\n")


SECRET_DETECTION_WRITER = GitLabSecurityWriter("gitlab-secret-detection", "secret_detection")
SAST_WRITER = GitLabSecurityWriter("gitlab-sast", "sast")
DEPENDENCY_SCANNING_WRITER = GitLabSecurityWriter(
    "gitlab-dependency-scanning", "dependency_scanning"
)
CONTAINER_SCANNING_WRITER = GitLabSecurityWriter("gitlab-container-scanning", "container_scanning")
CODEQUALITY_WRITER = CodeQualityWriter()
