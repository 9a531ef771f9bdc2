"""CycloneDX 1.6 (JSON and XML) from the component inventory, through cyclonedx-python-lib.

One component per package URL (the same package found in several lock files is merged),
with hashes, licences (an SPDX expression, an SPDX id, or a free-text name), scope
(prod: required, optional: optional, dev: excluded), where it was declared, and the
dependency graph: the project depends on its direct dependencies, each component on what
its lock file says it needs. Findings of the deps scanner become ``vulnerabilities`` with
the VEX analysis of suppressed ones, so a stored SBOM says what was known when it was made.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pipesec.core.model import Component, Finding, SuppressedFinding

if TYPE_CHECKING:
    from cyclonedx.model.bom import Bom

Format = Literal["json", "xml"]

_ALGS = {
    "sha1": "SHA_1",
    "sha256": "SHA_256",
    "sha384": "SHA_384",
    "sha512": "SHA_512",
    "md5": "MD5",
}
_SCOPES = {"prod": "REQUIRED", "optional": "OPTIONAL", "dev": "EXCLUDED"}
ROOT_REF = "project"


@dataclass
class _Merged:
    first: Component
    locations: list[str] = field(default_factory=list)
    hashes: dict[str, None] = field(default_factory=dict)
    licenses: dict[str, None] = field(default_factory=dict)
    deps: dict[str, None] = field(default_factory=dict)
    direct: bool = False
    scopes: set[str] = field(default_factory=set)


def _ref(c: Component) -> str:
    return c.purl or f"{c.ecosystem}:{c.name}@{c.version}"


def merge(components: Sequence[Component]) -> dict[str, _Merged]:
    out: dict[str, _Merged] = {}
    for c in components:
        m = out.setdefault(_ref(c), _Merged(c))
        if c.location is not None:
            where = c.location.path + (f":{c.location.start_line}" if c.location.start_line else "")
            if where not in m.locations:
                m.locations.append(where)
        m.hashes.update(dict.fromkeys(c.hashes))
        m.licenses.update(dict.fromkeys(c.licenses))
        m.deps.update(dict.fromkeys(c.dependencies))
        m.direct = m.direct or c.direct
        m.scopes.add(c.scope)
    return dict(sorted(out.items()))


def _licenses(values: Sequence[str]) -> list[Any]:
    from cyclonedx.model.license import DisjunctiveLicense, LicenseExpression
    from cyclonedx.spdx import is_supported_id

    from pipesec.scanners.deps.licenses import normalise

    exprs = [normalise(v) for v in values if v.strip()]
    if not exprs:
        return []
    if len(exprs) == 1:
        expr, valid = exprs[0]
        if valid and is_supported_id(expr):
            return [DisjunctiveLicense(id=expr)]
        if valid:
            return [LicenseExpression(expr)]
        return [DisjunctiveLicense(name=expr)]
    if all(valid for _, valid in exprs):
        return [LicenseExpression(" AND ".join(f"({e})" for e, _ in exprs))]
    return [
        DisjunctiveLicense(id=e) if valid and is_supported_id(e) else DisjunctiveLicense(name=e)
        for e, valid in exprs
    ]


def build_bom(
    components: Sequence[Component],
    *,
    project: str = "project",
    tool_version: str = "",
    findings: Sequence[Finding] = (),
    suppressed: Sequence[SuppressedFinding] = (),
    timestamp: dt.datetime | None = None,
) -> Bom:
    from cyclonedx.model import HashAlgorithm, HashType, Property
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component as CdxComponent
    from cyclonedx.model.component import ComponentScope, ComponentType
    from packageurl import PackageURL

    merged = merge(components)
    cdx: dict[str, CdxComponent] = {}
    for ref, m in merged.items():
        c = m.first
        hashes = []
        for h in m.hashes:
            alg, _, hexd = h.partition(":")
            name = _ALGS.get(alg.lower())
            if name and hexd:
                hashes.append(HashType(alg=HashAlgorithm[name], content=hexd))
        scope = min(
            m.scopes,
            key=lambda s: (
                ("prod", "optional", "dev").index(s) if s in ("prod", "optional", "dev") else 0
            ),
        )
        props = [
            Property(name="pipesec:ecosystem", value=c.ecosystem),
            Property(name="pipesec:direct", value=str(m.direct).lower()),
            Property(name="pipesec:scope", value=scope),
        ]
        props += [Property(name="pipesec:location", value=loc) for loc in m.locations]
        if c.paths:
            props.append(Property(name="pipesec:dependency-path", value=" > ".join(c.paths[0])))
        purl = None
        if c.purl:
            try:
                purl = PackageURL.from_string(c.purl)
            except ValueError:
                purl = None
        group, name = None, c.name
        if c.ecosystem == "Maven" and ":" in c.name:
            group, name = c.name.split(":", 1)
        cdx[ref] = CdxComponent(
            name=name,
            group=group,
            version=c.version or None,
            type=ComponentType.LIBRARY,
            bom_ref=ref,
            purl=purl,
            hashes=hashes,
            licenses=_licenses(list(m.licenses)),
            scope=ComponentScope[_SCOPES.get(scope, "REQUIRED")],
            properties=props,
        )
    root = CdxComponent(
        name=project, type=ComponentType.APPLICATION, bom_ref=ROOT_REF, version=None
    )
    tool = CdxComponent(
        name="pipesec",
        type=ComponentType.APPLICATION,
        version=tool_version or None,
        group="pipesec",
    )
    when = timestamp or _timestamp()
    meta = BomMetaData(component=root, timestamp=when)
    meta.tools.components.add(tool)
    bom = Bom(
        components=cdx.values(),
        metadata=meta,
        serial_number=_serial(merged),
    )
    by_ref = {ref: comp for ref, comp in cdx.items()}
    direct = [by_ref[ref] for ref, m in merged.items() if m.direct]
    bom.register_dependency(root, direct)
    for ref, m in merged.items():
        deps = [by_ref[d] for d in m.deps if d in by_ref and d != ref]
        bom.register_dependency(by_ref[ref], deps)
    _add_vulnerabilities(bom, by_ref, findings, suppressed)
    return bom


def _timestamp() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def _serial(merged: dict[str, _Merged]) -> uuid.UUID:
    """The same inventory gives the same serial number (stable, comparable output)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "pipesec:" + "\n".join(merged))


def _add_vulnerabilities(
    bom: Bom,
    by_ref: dict[str, Any],
    findings: Sequence[Finding],
    suppressed: Sequence[SuppressedFinding],
) -> None:
    from decimal import Decimal

    from cyclonedx.model import XsUri
    from cyclonedx.model.impact_analysis import ImpactAnalysisState
    from cyclonedx.model.vulnerability import (
        BomTarget,
        Vulnerability,
        VulnerabilityAnalysis,
        VulnerabilityRating,
        VulnerabilityReference,
        VulnerabilitySeverity,
        VulnerabilitySource,
    )

    items = [(f, None) for f in findings] + [(s.finding, s) for s in suppressed]
    seen: dict[str, Any] = {}
    for f, sup in items:
        v = f.vulnerability
        c = f.component
        if v is None or c is None or f.rule_id != "deps/vulnerable-package":
            continue
        ref = _ref(c)
        if ref not in by_ref:
            continue
        key = f"{v.id}\0{ref}"
        if key in seen:
            continue
        analysis = None
        if sup is not None:
            analysis = VulnerabilityAnalysis(
                state=ImpactAnalysisState.NOT_AFFECTED, detail=sup.justification[:2000]
            )
        vuln = Vulnerability(
            bom_ref=f"{v.id}:{ref}",
            id=v.id,
            source=VulnerabilitySource(
                name="OSV", url=XsUri(f"https://osv.dev/vulnerability/{v.id}")
            ),
            references=[
                VulnerabilityReference(id=a, source=VulnerabilitySource(name=_source_of(a)))
                for a in v.aliases
            ],
            ratings=[
                VulnerabilityRating(
                    score=Decimal(str(v.cvss_score)) if v.cvss_score is not None else None,
                    severity=VulnerabilitySeverity(v.severity.value)
                    if v.severity.value != "info"
                    else VulnerabilitySeverity.INFO,
                )
            ],
            description=v.summary or None,
            recommendation=f.remediation or None,
            analysis=analysis,
            affects=[BomTarget(ref=by_ref[ref].bom_ref.value)],
        )
        seen[key] = vuln
        bom.vulnerabilities.add(vuln)


def _source_of(vid: str) -> str:
    prefix = vid.split("-", 1)[0].upper()
    return {"CVE": "NVD", "GHSA": "GitHub", "PYSEC": "PyPA", "GO": "Go"}.get(prefix, prefix)


def serialize(bom: Bom, fmt: Format = "json") -> str:
    from cyclonedx.output import make_outputter
    from cyclonedx.schema import OutputFormat, SchemaVersion

    output_format = OutputFormat.JSON if fmt == "json" else OutputFormat.XML
    outputter = make_outputter(bom, output_format, SchemaVersion.V1_6)
    text: str = outputter.output_as_string(indent=2)
    return text if text.endswith("\n") else text + "\n"


def validate(text: str, fmt: Format = "json") -> str | None:
    """None when valid against the CycloneDX 1.6 schema, else the validation message."""
    from cyclonedx.schema import OutputFormat, SchemaVersion
    from cyclonedx.validation import make_schemabased_validator

    output_format = OutputFormat.JSON if fmt == "json" else OutputFormat.XML
    validator = make_schemabased_validator(output_format, SchemaVersion.V1_6)
    error = validator.validate_str(text)
    return None if error is None else str(error)
