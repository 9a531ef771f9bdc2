"""The advisory a match returns: one flaw (its ids merged through aliases) affecting one
installed package version."""

from __future__ import annotations

from dataclasses import dataclass

from pipesec.core.model import Severity, Vulnerability


@dataclass(frozen=True, slots=True)
class Advisory:
    """One vulnerability affecting one package version.

    ``id`` is the preferred id of the flaw; ``aliases`` holds every other id (PYSEC, GHSA,
    CVE, GO ...) of the same flaw, sorted. ``severity`` comes from a CVSS vector, else the
    record's own severity label, else (``severity_assumed``) the configured default for
    unscored records. ``fixed_versions`` are sorted ascending in the ecosystem's order.
    """

    id: str
    ecosystem: str
    package: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    details: str = ""
    severity: Severity = Severity.HIGH
    severity_assumed: bool = False
    cvss_score: float | None = None
    cvss_vector: str = ""
    fixed_versions: tuple[str, ...] = ()
    #: human-readable affected ranges, e.g. (">=0, <2.0.1", "==2.1.0")
    affected_ranges: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    cwe: tuple[str, ...] = ()
    published: str = ""
    modified: str = ""
    withdrawn: str | None = None
    malicious: bool = False
    #: things the reader should know (e.g. "severity assumed: the record has no score")
    notes: tuple[str, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        """The preferred id followed by every alias."""
        return (self.id, *self.aliases)

    def smallest_fix_above(self, version: str) -> str | None:
        """The smallest fixed version greater than ``version``, or None if there is none."""
        from pipesec.vulndb.versions import parse_version

        try:
            current = parse_version(self.ecosystem, version)
        except ValueError:
            return self.fixed_versions[0] if self.fixed_versions else None
        for fixed in self.fixed_versions:
            try:
                if parse_version(self.ecosystem, fixed) > current:
                    return fixed
            except ValueError:
                continue
        return None

    def to_vulnerability(self) -> Vulnerability:
        return Vulnerability(
            id=self.id,
            aliases=self.aliases,
            summary=self.summary,
            severity=self.severity,
            cvss_score=self.cvss_score,
            fixed_versions=self.fixed_versions,
            references=self.references,
        )
