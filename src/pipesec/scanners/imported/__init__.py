"""SARIF import: findings of any other tool (``--import-sarif FILE``).

Rule ids become ``sarif/<tool>/<id>``; SARIF levels and ``security-severity`` map to our
severities; locations are made relative to the scan root. Snippets are not copied: we
cannot tell which part of another tool's snippet is a secret. A malformed file is a
ScanError naming the file and the place in it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from pipesec.core.fingerprints import text_identity
from pipesec.core.model import Confidence, Finding, Location, Rule, ScanError, Severity
from pipesec.core.scanner import ScanItem, ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.vulndb.severity import from_score as severity_from_score  # as GitHub reads it

LEVELS = {
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "note": Severity.LOW,
    "none": Severity.INFO,
}
MAX_SARIF_BYTES = 512 * 1024 * 1024


class SarifFormatError(Exception):
    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(f"{pointer}: {message}" if pointer else message)


def tool_slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.strip().lower()).strip("-")
    return slug or "unknown"


def _obj(value: Any, pointer: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise SarifFormatError(pointer, f"expected an object, found {type(value).__name__}")
    return value


def _list(value: Any, pointer: str) -> Sequence[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SarifFormatError(pointer, f"expected an array, found {type(value).__name__}")
    return value


def _text(value: Any) -> str:
    if isinstance(value, dict):
        t = value.get("text") or value.get("markdown") or ""
        return t if isinstance(t, str) else ""
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _score(props: Any) -> float | None:
    if not isinstance(props, dict):
        return None
    raw = props.get("security-severity")
    try:
        return float(raw) if raw is not None and not isinstance(raw, bool) else None
    except (TypeError, ValueError):
        return None


class ImportedSarifScanner:
    name = "imported"
    default = False

    def rules(self) -> Sequence[Rule]:
        return ()

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        for file in settings.inputs.get("sarif", ()):
            yield from import_file(Path(file), workspace.root)


def import_file(path: Path, root: Path) -> Iterator[Finding | ScanError]:
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_SARIF_BYTES:
            yield ScanError(
                "imported", shown, f"SARIF file is {size} bytes, over the {MAX_SARIF_BYTES} limit"
            )
            return
        raw = path.read_bytes()
    except OSError as exc:
        yield ScanError("imported", shown, f"cannot read SARIF file: {exc.strerror}")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield ScanError(
            "imported",
            shown,
            f"not UTF-8 (invalid byte at offset {exc.start}); SARIF is UTF-8 JSON",
        )
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        yield ScanError("imported", shown, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)
        return
    except RecursionError:
        yield ScanError("imported", shown, "invalid JSON: nested too deeply")
        return
    try:
        findings = list(parse_sarif(doc, root))
    except SarifFormatError as exc:
        yield ScanError("imported", shown, f"not a SARIF 2.1.0 log: {exc}")
        return
    yield from findings


def parse_sarif(doc: Any, root: Path) -> Iterator[Finding]:
    top = _obj(doc, "")
    version = top.get("version")
    if version is not None and version != "2.1.0":
        raise SarifFormatError(
            "version", f'unsupported SARIF version {version!r}; expected "2.1.0"'
        )
    runs = top.get("runs")
    if runs is None:
        raise SarifFormatError("runs", "missing; a SARIF log holds its results in runs[]")
    for ri, run_value in enumerate(_list(runs, "runs")):
        yield from _parse_run(_obj(run_value, f"runs[{ri}]"), f"runs[{ri}]", root)


def _parse_run(run: Mapping[str, Any], ptr: str, root: Path) -> Iterator[Finding]:
    driver = _obj(_obj(run.get("tool"), f"{ptr}.tool").get("driver"), f"{ptr}.tool.driver")
    tool_name = driver.get("name")
    if not isinstance(tool_name, str) or not tool_name.strip():
        raise SarifFormatError(f"{ptr}.tool.driver.name", "missing tool name")
    tool = tool_slug(tool_name)
    rules = [
        _obj(r, f"{ptr}.tool.driver.rules[{i}]")
        for i, r in enumerate(_list(driver.get("rules"), f"{ptr}.tool.driver.rules"))
    ]
    by_id = {r["id"]: r for r in rules if isinstance(r.get("id"), str)}
    bases = _uri_bases(run.get("originalUriBaseIds"), root)
    for i, res_value in enumerate(_list(run.get("results"), f"{ptr}.results")):
        rptr = f"{ptr}.results[{i}]"
        res = _obj(res_value, rptr)
        rule_id = res.get("ruleId")
        rule: Mapping[str, Any] = {}
        idx = res.get("ruleIndex")
        if isinstance(idx, int) and 0 <= idx < len(rules):
            rule = rules[idx]
        if not isinstance(rule_id, str):
            rule_ref = res.get("rule")
            rule_id = rule_ref.get("id") if isinstance(rule_ref, dict) else rule.get("id")
        if not isinstance(rule_id, str) or not rule_id:
            raise SarifFormatError(f"{rptr}.ruleId", "missing rule id")
        rule = rule or by_id.get(rule_id, {})
        yield _finding(tool, rule_id, rule, res, rptr, bases, root)


def _finding(
    tool: str,
    rule_id: str,
    rule: Mapping[str, Any],
    res: Mapping[str, Any],
    ptr: str,
    bases: dict[str, str],
    root: Path,
) -> Finding:
    score = _score(res.get("properties"))
    if score is None:
        score = _score(rule.get("properties"))
    level = res.get("level")
    if not isinstance(level, str):
        default_cfg = rule.get("defaultConfiguration")
        level = default_cfg.get("level") if isinstance(default_cfg, dict) else None
    level = level if isinstance(level, str) and level in LEVELS else "warning"
    severity = severity_from_score(score) if score is not None else LEVELS[level]

    message = _text(res.get("message"))
    if not message:
        msg = res.get("message")
        mid = msg.get("id") if isinstance(msg, dict) else None
        strings = rule.get("messageStrings")
        if isinstance(mid, str) and isinstance(strings, dict):
            message = _text(strings.get(mid))
    title = (
        _text(rule.get("shortDescription"))
        or (rule.get("name") if isinstance(rule.get("name"), str) else "")
        or rule_id
    )
    location = _location(res.get("locations"), f"{ptr}.locations", bases, root)

    identity = ""
    for key in ("partialFingerprints", "fingerprints"):
        fps = res.get(key)
        if isinstance(fps, dict):
            values = [f"{k}={v}" for k, v in sorted(fps.items()) if isinstance(v, str)]
            if values:
                identity = "sarif:" + ";".join(values)
                break
    props: dict[str, Any] = {"tool": tool, "level": level}
    if score is not None:
        props["security-severity"] = score
    sup = res.get("suppressions")
    if isinstance(sup, list) and sup:
        first = sup[0] if isinstance(sup[0], dict) else {}
        if first.get("status") in (None, "accepted"):
            props["suppressed"] = (
                _text({"text": first.get("justification")})
                or f"suppressed in {tool}'s SARIF ({first.get('kind', 'external')})"
            )
    help_uri = rule.get("helpUri")
    # zizmor names its rules "zizmor/<audit>": no "sarif/zizmor/zizmor/<audit>"
    prefixed = rule_id.lower().startswith(f"{tool}/") and len(rule_id) > len(tool) + 1
    local_id = rule_id[len(tool) + 1 :] if prefixed else rule_id
    return Finding(
        rule_id=f"sarif/{tool}/{local_id}",
        scanner="imported",
        title=title[:200],
        message=message or title,
        severity=severity,
        confidence=Confidence.MEDIUM,
        location=location,
        remediation=_text(rule.get("help"))[:4000],
        references=(help_uri,) if isinstance(help_uri, str) and help_uri else (),
        tags=tuple(t for t in (rule.get("properties") or {}).get("tags", []) if isinstance(t, str))
        if isinstance(rule.get("properties"), dict)
        else (),
        identity=identity or text_identity(f"{message}"),
        properties=props,
    )


def _uri_bases(value: Any, root: Path) -> dict[str, str]:
    bases = {"%SRCROOT%": "", "SRCROOT": "", "PROJECTROOT": ""}
    if isinstance(value, dict):
        for name, loc in value.items():
            if isinstance(loc, dict) and isinstance(loc.get("uri"), str):
                bases[name] = loc["uri"]
    return bases


def _location(value: Any, ptr: str, bases: dict[str, str], root: Path) -> Location:
    locs = _list(value, ptr)
    if not locs:
        return Location("")
    loc = _obj(locs[0], f"{ptr}[0]")
    phys = loc.get("physicalLocation")
    if not isinstance(phys, dict):
        return Location("")
    art = phys.get("artifactLocation")
    uri = art.get("uri") if isinstance(art, dict) else None
    base = art.get("uriBaseId") if isinstance(art, dict) else None
    path = normalize_uri(
        uri if isinstance(uri, str) else "",
        bases.get(base, "") if isinstance(base, str) else "",
        root,
    )
    region = phys.get("region")
    region = region if isinstance(region, dict) else {}
    start = _int(region.get("startLine"))
    return Location(
        path,
        start,
        _int(region.get("startColumn")),
        _int(region.get("endLine")) or start,
        _int(region.get("endColumn")),
    )


def normalize_uri(uri: str, base: str, root: Path) -> str:
    """A SARIF artifact URI as a path relative to the scan root when it lies inside it."""
    if not uri:
        return ""
    if base and not urlparse(uri).scheme:
        uri = base.rstrip("/") + "/" + uri
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        raw = unquote(parsed.path)
    elif parsed.scheme and len(parsed.scheme) > 1:
        return uri  # some other scheme: keep as it is
    else:
        raw = unquote(uri)
    p = PurePosixPath(raw.replace("\\", "/"))
    if p.is_absolute():
        try:
            return p.relative_to(PurePosixPath(root.as_posix())).as_posix()
        except ValueError:
            return p.as_posix()
    parts = [x for x in p.parts if x not in (".", "")]
    return "/".join(parts)
