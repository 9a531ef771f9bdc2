"""The one finding model every scanner produces and every report consumes.

Hot-path objects are frozen, slotted dataclasses. A Finding never holds a secret value:
scanners build the snippet through :mod:`pipesec.core.redact` before the Finding exists.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def count(n: int, noun: str) -> str:
    """``1 finding``, ``2 findings`` (nouns that take an ``s``)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class Severity(enum.StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: critical=4 ... info=0."""
        return _SEVERITY_RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.strip().lower())
        except ValueError:
            from pipesec.core.redact import preview

            names = ", ".join(s.value for s in cls)
            shown = value if len(value) <= 16 else preview(value)  # never echo a pasted token
            raise ValueError(f"unknown severity {shown!r}; expected one of {names}") from None


_SEVERITY_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class Confidence(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class Location:
    """A place in the scanned tree. ``path`` is relative to the scan root, with ``/``.

    Lines and columns are 1-based; 0 means unknown (a whole-file finding).
    ``commit`` is set for findings from git history.
    """

    path: str
    start_line: int = 0
    start_column: int = 0
    end_line: int = 0
    end_column: int = 0
    commit: str | None = None

    def sort_key(self) -> tuple[str, int, int]:
        return (self.path, self.start_line, self.start_column)


@dataclass(frozen=True, slots=True)
class Rule:
    """Metadata of one rule; lives next to its detection code.

    Rule ids are ``<family>/<slug>``. Our own rules carry a vulnerable and a fixed
    example; rules that come from other tools (imported SARIF, gitleaks, bandit) do not.
    """

    id: str
    title: str
    severity: Severity
    rationale: str
    remediation: str
    vulnerable_example: str = ""
    fixed_example: str = ""
    cwe: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    confidence: Confidence = Confidence.HIGH
    tags: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        return self.id.split("/", 1)[0]


@dataclass(frozen=True, slots=True)
class Component:
    """A dependency in the inventory (for SBOMs and dependency findings)."""

    ecosystem: str
    name: str
    version: str
    purl: str = ""
    direct: bool = True
    scope: str = "prod"
    paths: tuple[tuple[str, ...], ...] = ()
    location: Location | None = None
    licenses: tuple[str, ...] = ()
    #: "alg:hex" digests from the lock file (sha256:..., sha512:...)
    hashes: tuple[str, ...] = ()
    #: purls of the packages this one depends on (the dependency graph, for SBOMs)
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Vulnerability:
    id: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    severity: Severity = Severity.MEDIUM
    cvss_score: float | None = None
    fixed_versions: tuple[str, ...] = ()
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by one scanner at one place.

    ``snippet`` is already redacted. ``identity`` is what makes this finding itself
    independent of its line (a keyed hash for secrets, the offending text for others);
    the engine turns it into ``fingerprint``.
    """

    rule_id: str
    scanner: str
    title: str
    message: str
    severity: Severity
    location: Location
    confidence: Confidence = Confidence.HIGH
    snippet: str = ""
    cwe: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    remediation: str = ""
    tags: tuple[str, ...] = ()
    component: Component | None = None
    vulnerability: Vulnerability | None = None
    identity: str = ""
    fingerprint: str = ""
    properties: Mapping[str, Any] = field(default_factory=dict)

    def sort_key(self) -> tuple[int, str, int, int, str, str]:
        loc = self.location
        return (
            -self.severity.rank,
            loc.path,
            loc.start_line,
            loc.start_column,
            self.rule_id,
            self.fingerprint,
        )


@dataclass(frozen=True, slots=True)
class ScanError:
    """An input the scanner should have read and could not (fails closed by policy)."""

    scanner: str
    path: str
    message: str
    line: int = 0
    column: int = 0

    def describe(self) -> str:
        where = self.path or "<scan>"
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Note:
    """An input skipped on purpose (binary, too large, unsupported). Never fails a scan."""

    scanner: str
    path: str
    message: str
    kind: str = "skipped"

    def describe(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True, slots=True)
class SuppressedFinding:
    finding: Finding
    kind: str  # "inline", "peer", "exception", "baseline", "allowlist", "ignore-file", "external"
    justification: str
    #: where the suppression comes from: a comment at a place, a configuration file ...
    source: str = ""


@dataclass(slots=True)
class ScannerStats:
    name: str
    findings: int = 0
    errors: int = 0
    notes: int = 0
    files: int = 0
    seconds: float = 0.0
    #: git history mode: the blobs (file versions) read and the commits walked
    blobs: int = 0
    commits: int = 0


@dataclass(frozen=True, slots=True)
class ScanCount:
    """What a scanner read, yielded once (or more: they add up) beside its findings; it
    becomes the scanner's :class:`ScannerStats` ``files``/``blobs``/``commits``."""

    scanner: str
    files: int = 0
    blobs: int = 0
    commits: int = 0


@dataclass(slots=True)
class GateResult:
    passed: bool
    exit_code: int
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PostureCheck:
    """One security gate a pipeline has or lacks (filled by the pipelines scanner)."""

    pipeline: str
    gate: str
    present: bool
    detail: str = ""


@dataclass(slots=True)
class ScanReport:
    root: str
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[SuppressedFinding] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    stats: list[ScannerStats] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    posture: list[PostureCheck] = field(default_factory=list)
    rules: dict[str, Rule] = field(default_factory=dict)
    gate: GateResult | None = None
    warnings: list[str] = field(default_factory=list)
    tool_version: str = ""

    def rule_for(self, finding: Finding) -> Rule:
        rule = self.rules.get(finding.rule_id)
        if rule is not None:
            return rule
        return Rule(
            id=finding.rule_id,
            title=finding.title,
            severity=finding.severity,
            rationale=finding.message,
            remediation=finding.remediation,
            cwe=finding.cwe,
            references=finding.references,
        )
