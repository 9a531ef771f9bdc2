"""VEX: "this product is not affected by that vulnerability" statements, from OpenVEX
(v0.0.1 to v0.2.x) and CycloneDX VEX (JSON) documents.

A statement matches a finding when one of the finding's vulnerability ids (its id or an
alias) is the statement's, and the finding's package is one of the statement's products
or subcomponents (package URLs compared without qualifiers; a purl without a version
covers every version). Later statements win over earlier ones, as OpenVEX says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from pipesec.scanners.deps._util import as_dict, as_list, as_str, load_json
from pipesec.scanners.deps.interface import LockfileError

SUPPRESSING = {"not_affected", "false_positive"}
MAX_VEX_BYTES = 64 * 1024 * 1024


class VexError(Exception):
    def __init__(self, path: str, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.line = line
        self.column = column


def _purl_key(value: str) -> tuple[str, str, str, str] | None:
    try:
        p = PackageURL.from_string(value.strip())
    except ValueError:
        return None
    name = p.name.lower() if p.type in ("pypi", "composer", "nuget", "pub") else p.name
    if p.type == "pypi":
        name = name.replace("_", "-").replace(".", "-")
    ns = (p.namespace or "").lower() if p.type in ("composer", "github") else p.namespace or ""
    return p.type, ns, name, p.version or ""


@dataclass(frozen=True, slots=True)
class Statement:
    vulnerability: str
    products: tuple[tuple[str, str, str, str], ...]
    status: str
    justification: str
    source: str


@dataclass
class VexIndex:
    statements: list[Statement] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.statements)

    def lookup(self, vuln_ids: Iterable[str], purl: str) -> str | None:
        """The justification when the last matching statement says not affected."""
        key = _purl_key(purl) if purl else None
        if key is None:
            return None
        ids = {v.upper() for v in vuln_ids}
        verdict: Statement | None = None
        for st in self.statements:
            if st.vulnerability.upper() not in ids:
                continue
            for prod in st.products:
                if prod[:3] == key[:3] and (not prod[3] or prod[3] == key[3]):
                    verdict = st
                    break
        if verdict is None or verdict.status not in SUPPRESSING:
            return None
        return verdict.justification


def load(paths: Sequence[Path]) -> tuple[VexIndex, list[VexError]]:
    index = VexIndex()
    errors: list[VexError] = []
    for path in paths:
        shown = str(path)
        try:
            if path.stat().st_size > MAX_VEX_BYTES:
                errors.append(VexError(shown, "VEX document over 64 MB; not read"))
                continue
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
        except OSError as exc:
            errors.append(VexError(shown, f"cannot read VEX document: {exc.strerror}"))
            continue
        try:
            index.statements.extend(parse(text, shown))
        except LockfileError as exc:
            errors.append(VexError(shown, exc.message, exc.line, exc.column))
    return index, errors


def parse(text: str, source: str) -> list[Statement]:
    if text.lstrip().startswith("<"):
        return _cyclonedx_xml(text, source)
    doc = load_json(text)
    if not isinstance(doc, dict):
        raise LockfileError("not a VEX document: the top level must be an object", 1)
    ctx = as_str(doc.get("@context"))
    if "openvex" in ctx or "statements" in doc:
        return _openvex(doc, source)
    if doc.get("bomFormat") == "CycloneDX":
        return _cyclonedx(doc, source)
    raise LockfileError(
        "not an OpenVEX (@context openvex.dev) or CycloneDX VEX (bomFormat) document", 1
    )


def _products(items: Any) -> list[tuple[str, str, str, str]]:
    out = []
    for item in as_list(items):
        if isinstance(item, str):
            ids = [item]
        else:
            d = as_dict(item)
            ids = [as_str(d.get("@id"))]
            ident = as_dict(d.get("identifiers"))
            ids.append(as_str(ident.get("purl")))
            ids += [as_str(as_dict(s).get("@id")) for s in as_list(d.get("subcomponents"))]
            ids += [
                as_str(as_dict(as_dict(s).get("identifiers")).get("purl"))
                for s in as_list(d.get("subcomponents"))
            ]
        for i in ids:
            key = _purl_key(i) if i.startswith("pkg:") else None
            if key:
                out.append(key)
    return out


def _openvex(doc: dict[str, Any], source: str) -> list[Statement]:
    out = []
    statements = doc.get("statements")
    if not isinstance(statements, list):
        raise LockfileError("OpenVEX document without a statements array", 1)
    for raw in statements:
        st = as_dict(raw)
        vuln = st.get("vulnerability")
        vid = as_str(as_dict(vuln).get("name")) or as_str(as_dict(vuln).get("@id"))
        vid = vid or as_str(vuln)
        aliases = [a for a in as_list(as_dict(vuln).get("aliases")) if isinstance(a, str)]
        status = as_str(st.get("status"))
        why = as_str(st.get("justification")) or as_str(st.get("impact_statement"))
        impact = as_str(st.get("impact_statement"))
        text = f"VEX {status}: {why}" + (f" ({impact})" if impact and impact != why else "")
        prods = tuple(_products(st.get("products")) + _products(st.get("subcomponents")))
        for v in [vid, *aliases]:
            if v:
                out.append(Statement(v, prods, status, text + f" [{source}]", source))
    return out


def _cyclonedx(doc: dict[str, Any], source: str) -> list[Statement]:
    refs: dict[str, str] = {}

    def walk(components: Any) -> None:
        for raw in as_list(components):
            c = as_dict(raw)
            if as_str(c.get("bom-ref")) and as_str(c.get("purl")):
                refs[as_str(c.get("bom-ref"))] = as_str(c.get("purl"))
            walk(c.get("components"))

    walk(doc.get("components"))
    out = []
    for raw in as_list(doc.get("vulnerabilities")):
        v = as_dict(raw)
        vid = as_str(v.get("id"))
        analysis = as_dict(v.get("analysis"))
        state = as_str(analysis.get("state"))
        why = as_str(analysis.get("justification")) or as_str(analysis.get("detail"))
        detail = as_str(analysis.get("detail"))
        text = f"VEX {state}: {why}" + (f" ({detail})" if detail and detail != why else "")
        prods = []
        for a in as_list(v.get("affects")):
            ref = as_str(as_dict(a).get("ref"))
            purl = refs.get(ref) or (ref.split("#", 1)[-1] if "#" in ref else ref)
            key = _purl_key(purl) if purl.startswith("pkg:") else None
            if key:
                prods.append(key)
        ids = [vid] + [as_str(as_dict(r).get("id")) for r in as_list(v.get("references"))]
        for i in ids:
            if i:
                out.append(Statement(i, tuple(prods), state, text + f" [{source}]", source))
    return out


def _cyclonedx_xml(text: str, source: str) -> list[Statement]:
    """CycloneDX VEX as XML: ``<vulnerability>`` with ``<analysis><state>`` and
    ``<affects><target><ref>`` pointing at a component's bom-ref or a purl."""
    from pipesec.scanners.deps.maven import Node, parse_xml

    root = parse_xml(text)
    if root.tag != "bom":
        raise LockfileError(f"not a CycloneDX VEX document: root element is <{root.tag}>", 1)
    refs: dict[str, str] = {}

    def walk(node: Node | None, depth: int) -> None:
        if node is None or depth > 50:
            return
        for c in node.findall("component"):
            if c.attrs.get("bom-ref") and c.get("purl"):
                refs[c.attrs["bom-ref"]] = c.get("purl")
            walk(c.find("components"), depth + 1)

    walk(root.find("components"), 0)
    out = []
    vulns = root.find("vulnerabilities")
    for v in vulns.findall("vulnerability") if vulns is not None else []:
        analysis = v.find("analysis") or Node("", 0)
        state = analysis.get("state")
        why = analysis.get("justification") or analysis.get("detail")
        detail = analysis.get("detail")
        text_ = f"VEX {state}: {why}" + (f" ({detail})" if detail and detail != why else "")
        prods = []
        affects = v.find("affects")
        for target in affects.findall("target") if affects is not None else []:
            ref = target.get("ref")
            purl = refs.get(ref) or (ref.split("#", 1)[-1] if "#" in ref else ref)
            key = _purl_key(purl) if purl.startswith("pkg:") else None
            if key:
                prods.append(key)
        ids = [v.get("id")]
        refs_node = v.find("references")
        for r in refs_node.findall("reference") if refs_node is not None else []:
            ids.append(r.get("id"))
        for i in ids:
            if i:
                out.append(Statement(i, tuple(prods), state, text_ + f" [{source}]", source))
    return out
