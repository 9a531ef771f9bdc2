"""Reading SBOMs other tools made, as a dependency source: CycloneDX JSON/XML (any 1.x)
and SPDX 2.x JSON. Components are identified by their purls; the CycloneDX
``dependencies`` graph and SPDX ``DEPENDS_ON``/``DEPENDENCY_OF`` relationships become edges.
"""

from __future__ import annotations

from typing import Any

from pipesec.core.lines import split_lines
from pipesec.scanners.deps._util import LineIndex, as_dict, as_list, as_str, jstr, load_json
from pipesec.scanners.deps.ecosystems import from_purl
from pipesec.scanners.deps.interface import LockfileError, Package, ParseResult, Problem


def parse_sbom(text: str) -> ParseResult:
    stripped = text.lstrip()
    if stripped.startswith("<"):
        return _parse_cdx_xml(text)
    if stripped.startswith(("SPDXVersion:", "##")) or "\nSPDXVersion:" in text[:4096]:
        return _parse_spdx_tv(text)
    doc = load_json(text)
    if not isinstance(doc, dict):
        raise LockfileError("not an SBOM: the top level must be an object", 1)
    if doc.get("bomFormat") == "CycloneDX":
        return _parse_cdx_json(doc, LineIndex(text))
    if isinstance(doc.get("spdxVersion"), str):
        return _parse_spdx(doc, LineIndex(text))
    raise LockfileError(
        "not a CycloneDX (bomFormat) or SPDX (spdxVersion) JSON document; "
        "SPDX RDF is not read: convert it to JSON",
        1,
    )


def _cdx_licenses(value: Any) -> tuple[str, ...]:
    out = []
    for item in as_list(value):
        d = as_dict(item)
        if as_str(d.get("expression")):
            out.append(as_str(d.get("expression")))
            continue
        lic = as_dict(d.get("license"))
        ident = as_str(lic.get("id")) or as_str(lic.get("name"))
        if ident:
            out.append(ident)
    if len(out) > 1:
        return (" AND ".join(f"({x})" if " " in x else x for x in out),)
    return tuple(out)


_CDX_ALGS = {"SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


def _package(purl: str, line: int, result: ParseResult, ref: str, where: str) -> Package | None:
    if not purl:
        return None
    parsed = from_purl(purl)
    if parsed is None:
        return None
    eco, name, version = parsed
    pkg = Package(eco, name, version, line, key=ref or purl)
    if not version:
        pkg.pinned = False
        pkg.spec = purl
    return pkg


def _parse_cdx_json(doc: dict[str, Any], idx: LineIndex) -> ParseResult:
    result = ParseResult()
    pos = 0
    seen: set[str] = set()
    refs: dict[str, str] = {}
    skipped: dict[str, int] = {}

    def walk(components: Any, depth: int) -> None:
        nonlocal pos
        if depth > 50:
            return
        for raw in as_list(components):
            c = as_dict(raw)
            purl = as_str(c.get("purl"))
            ref = as_str(c.get("bom-ref")) or purl
            line, pos = idx.find(jstr(purl), pos) if purl else (0, pos)
            pkg = _package(purl, line, result, ref, "component")
            if pkg is None and as_str(c.get("type")) in ("library", "framework", ""):
                kind = purl.split("/", 1)[0].removeprefix("pkg:") if purl else "no purl"
                skipped[kind] = skipped.get(kind, 0) + 1
            if pkg is not None and pkg.key not in seen:
                seen.add(pkg.key)
                pkg.licenses = _cdx_licenses(c.get("licenses"))
                pkg.hashes = tuple(
                    f"{_CDX_ALGS[as_str(h.get('alg'))]}:{as_str(h.get('content')).lower()}"
                    for h in map(as_dict, as_list(c.get("hashes")))
                    if as_str(h.get("alg")) in _CDX_ALGS and as_str(h.get("content"))
                )
                if as_str(c.get("scope")) == "optional":
                    pkg.scope = "optional"
                result.packages.append(pkg)
                refs[ref] = pkg.key
            walk(c.get("components"), depth + 1)

    walk(doc.get("components"), 0)
    _note_skipped(result, skipped)
    root_ref = as_str(as_dict(as_dict(doc.get("metadata")).get("component")).get("bom-ref"))
    roots: dict[str, str] = {}
    for raw in as_list(doc.get("dependencies")):
        d = as_dict(raw)
        ref = as_str(d.get("ref"))
        for child in as_list(d.get("dependsOn")):
            if not isinstance(child, str) or child not in refs:
                continue
            if ref == root_ref:
                roots[refs[child]] = "prod"
            elif ref in refs:
                result.add_edge(refs[ref], refs[child])
    result.roots = roots if roots else None
    if not result.packages and as_list(doc.get("components")):
        result.problems.append(Problem("no component carries a purl we can match", 1))
    return result


def _note_skipped(result: ParseResult, skipped: dict[str, int]) -> None:
    if skipped:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(skipped.items()))
        result.notes.append(
            f"{sum(skipped.values())} components not checked: no ecosystem the database "
            f"matches ({kinds})"
        )


def _parse_spdx(doc: dict[str, Any], idx: LineIndex) -> ParseResult:
    result = ParseResult()
    pos = 0
    by_id: dict[str, str] = {}
    skipped: dict[str, int] = {}
    described_ids = {x for x in as_list(doc.get("documentDescribes")) if isinstance(x, str)}
    for raw in as_list(doc.get("relationships")):
        r = as_dict(raw)
        if as_str(r.get("relationshipType")) == "DESCRIBES":
            described_ids.add(as_str(r.get("relatedSpdxElement")))
    for raw in as_list(doc.get("packages")):
        p = as_dict(raw)
        spdx_id = as_str(p.get("SPDXID"))
        purl = ""
        for ref in map(as_dict, as_list(p.get("externalRefs"))):
            if as_str(ref.get("referenceType")) == "purl":
                purl = as_str(ref.get("referenceLocator"))
                break
        line, pos = idx.find(jstr(spdx_id), pos) if spdx_id else (0, pos)
        pkg = _package(purl, line, result, spdx_id, "package")
        if pkg is None:
            if spdx_id not in described_ids:
                kind = purl.split("/", 1)[0].removeprefix("pkg:") if purl else "no purl"
                skipped[kind] = skipped.get(kind, 0) + 1
            continue
        if not pkg.version and as_str(p.get("versionInfo")):
            pkg.version = as_str(p.get("versionInfo"))
            pkg.pinned = True
        lic = as_str(p.get("licenseConcluded")) or as_str(p.get("licenseDeclared"))
        if lic and lic not in ("NOASSERTION", "NONE"):
            pkg.licenses = (lic,)
        algs = {"SHA1": "sha1", "SHA256": "sha256", "SHA512": "sha512"}
        pkg.hashes = tuple(
            f"{algs[as_str(c.get('algorithm'))]}:{as_str(c.get('checksumValue')).lower()}"
            for c in map(as_dict, as_list(p.get("checksums")))
            if as_str(c.get("algorithm")) in algs
        )
        by_id[spdx_id] = pkg.key
        result.packages.append(pkg)
    _note_skipped(result, skipped)
    described = set(described_ids)
    roots: dict[str, str] = {}
    for raw in as_list(doc.get("relationships")):
        r = as_dict(raw)
        a = as_str(r.get("spdxElementId"))
        b = as_str(r.get("relatedSpdxElement"))
        kind = as_str(r.get("relationshipType"))
        if kind == "DEPENDENCY_OF":
            a, b = b, a
        elif kind not in ("DEPENDS_ON", "CONTAINS"):
            if kind == "DESCRIBES":
                described.add(b)
            continue
        if b not in by_id:
            continue
        if a in by_id:
            result.add_edge(by_id[a], by_id[b])
        elif a in described or a == "SPDXRef-DOCUMENT":
            roots[by_id[b]] = "prod"
    result.roots = roots if roots else None
    return result


def _parse_cdx_xml(text: str) -> ParseResult:
    from pipesec.scanners.deps.maven import Node, parse_xml

    root = parse_xml(text)
    if root.tag != "bom":
        raise LockfileError(f"not a CycloneDX XML document: root element is <{root.tag}>", 1)
    result = ParseResult()
    refs: dict[str, str] = {}
    seen: set[str] = set()

    def walk(node: Node | None, depth: int) -> None:
        if node is None or depth > 50:
            return
        for c in node.findall("component"):
            purl = c.get("purl")
            ref = c.attrs.get("bom-ref") or purl
            pkg = _package(purl, c.line, result, ref, "component")
            if pkg is not None and pkg.key not in seen:
                seen.add(pkg.key)
                lics = c.find("licenses")
                if lics is not None:
                    vals = [e.text.strip() for e in lics.findall("expression")]
                    for lic in lics.findall("license"):
                        v = lic.get("id") or lic.get("name")
                        if v:
                            vals.append(v)
                    if vals:
                        pkg.licenses = (" AND ".join(vals),) if len(vals) > 1 else (vals[0],)
                result.packages.append(pkg)
                refs[ref] = pkg.key
            walk(c.find("components"), depth + 1)

    walk(root.find("components"), 0)
    meta = root.find("metadata")
    top = meta.find("component") if meta is not None else None
    root_ref = top.attrs.get("bom-ref", "") if top is not None else ""
    roots: dict[str, str] = {}
    deps = root.find("dependencies")
    for d in deps.findall("dependency") if deps is not None else []:
        ref = d.attrs.get("ref", "")
        for child in d.findall("dependency"):
            cref = child.attrs.get("ref", "")
            if cref not in refs:
                continue
            if ref == root_ref:
                roots[refs[cref]] = "prod"
            elif ref in refs:
                result.add_edge(refs[ref], refs[cref])
    result.roots = roots or None
    return result


def _parse_spdx_tv(text: str) -> ParseResult:
    """SPDX 2.x tag-value: ``PackageName``/``SPDXID``/``PackageVersion``/``ExternalRef ...
    purl``/``PackageLicenseConcluded`` per package, ``Relationship: A DEPENDS_ON B``."""
    packages: list[dict[str, Any]] = []
    relationships: list[dict[str, str]] = []
    current: dict[str, Any] | None = None
    described: list[str] = []
    in_text = False
    for raw in split_lines(text):
        line = raw.strip()
        if in_text:
            in_text = "</text>" not in line
            continue
        if not line or line.startswith("#") or ":" not in line:
            continue
        tag, _, value = line.partition(":")
        value = value.strip()
        if value.startswith("<text>"):
            in_text = "</text>" not in value
            continue
        if tag == "PackageName":
            current = {"name": value, "externalRefs": []}
            packages.append(current)
        elif tag == "SPDXID" and current is not None and "SPDXID" not in current:
            current["SPDXID"] = value
        elif tag == "PackageVersion" and current is not None:
            current["versionInfo"] = value
        elif tag in ("PackageLicenseConcluded", "PackageLicenseDeclared") and current is not None:
            key = "licenseConcluded" if tag.endswith("Concluded") else "licenseDeclared"
            current[key] = value
        elif tag == "PackageChecksum" and current is not None:
            alg, _, digest = value.partition(":")
            current.setdefault("checksums", []).append(
                {"algorithm": alg.strip(), "checksumValue": digest.strip()}
            )
        elif tag == "ExternalRef" and current is not None:
            parts = value.split()
            if len(parts) == 3:
                current["externalRefs"].append(
                    {"referenceType": parts[1], "referenceLocator": parts[2]}
                )
        elif tag == "Relationship":
            parts = value.split()
            if len(parts) == 3:
                relationships.append(
                    {
                        "spdxElementId": parts[0],
                        "relationshipType": parts[1],
                        "relatedSpdxElement": parts[2],
                    }
                )
                if parts[1] == "DESCRIBES":
                    described.append(parts[2])
    if not packages:
        raise LockfileError("SPDX tag-value document without PackageName entries", 1)
    doc = {"packages": packages, "relationships": relationships, "documentDescribes": described}
    idx = LineIndex(text)
    result = _parse_spdx(doc, LineIndex(""))
    cursor = [0]
    for pkg in result.packages:
        pkg.line = idx.find_forward(f"SPDXID: {pkg.key}", cursor) or pkg.line
    return result
