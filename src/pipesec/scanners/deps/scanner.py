"""The deps scanner (SCA): reads lock files of ten ecosystems, an installed Python
environment and SBOMs of other tools; yields the component inventory and findings for
vulnerable packages (local OSV database), unpinned dependencies and licences.

Lock file formats are sources behind :mod:`.interface` (one module each, listed in
:mod:`.sources`). Matching goes through :mod:`pipesec.vulndb`; VEX statements
(:mod:`pipesec.sbom.vex`) turn matching findings into suppressed ones.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipesec.core.errors import InputError
from pipesec.core.model import Component, Finding, Location, Note, ScanError
from pipesec.core.scanner import ScanItem, ScannerSettings, finding_from_rule, read_text
from pipesec.core.workspace import Workspace, WorkspaceFile
from pipesec.scanners.deps import graph, licenses
from pipesec.scanners.deps.ecosystems import purl as make_purl
from pipesec.scanners.deps.interface import (
    DependencySource,
    LockfileError,
    Package,
    ParseResult,
)
from pipesec.scanners.deps.rules import (
    COULD_NOT_EVALUATE,
    LICENSE_DENIED,
    LICENSE_UNKNOWN,
    RULES,
    UNPINNED,
    VULNERABLE_PACKAGE,
)

log = logging.getLogger(__name__)
NAME = "deps"
#: lock files are read even over max-file-size (monorepo package-locks reach tens of MB)
MAX_LOCKFILE_BYTES = 256 * 1024 * 1024
_SEVERITIES = ("critical", "high", "medium", "low", "info")


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class DepsSettings(BaseModel):
    """``[scanners.deps]`` options."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=_kebab, populate_by_name=True, frozen=True
    )
    db: str | None = Field(
        None, description="Vulnerability database (relative to the scan root); PIPESEC_DB wins"
    )
    include_dev: bool = Field(True, description="Scan development dependencies too")
    max_paths: int = Field(5, ge=1, le=100, description="Dependency paths kept per component")
    unscored_severity: str | None = Field(
        None,
        description="Severity of advisories without a score; default: [gate] unknown-severity",
    )
    max_db_age_days: float = Field(7, gt=0, description="Warn when the data is older")
    allow_licenses: list[str] = Field(
        default_factory=list, description="Only these licences (SPDX ids or globs) may ship"
    )
    deny_licenses: list[str] = Field(
        default_factory=list, description="These licences (SPDX ids or globs) may not ship"
    )
    vex: list[str] = Field(
        default_factory=list, description="OpenVEX / CycloneDX VEX documents (scan-root paths)"
    )
    sbom: list[str] = Field(default_factory=list, description="SBOMs of other tools to check")
    python_env: list[str] = Field(
        default_factory=list, description="Installed Python environments to check"
    )

    @field_validator("unscored_severity")
    @classmethod
    def _severity(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.strip().lower() not in _SEVERITIES:
            raise ValueError(f"must be one of {', '.join(_SEVERITIES)}, not {value!r}")
        return value.strip().lower()


@dataclass(slots=True)
class Input:
    """One parsed dependency input: a lock file, an SBOM or an installed environment."""

    path: str
    kind: str
    result: ParseResult
    #: per package key, a better path for its location (installed environments)
    where: dict[str, str] | None = None


def scan(workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
    opts = DepsSettings.model_validate(dict(settings.options))
    inputs: list[Input] = []
    yield from read_inputs(workspace, settings, opts, inputs)
    yield from evaluate(inputs, workspace, settings, opts)


def read_inputs(
    workspace: Workspace, settings: ScannerSettings, opts: DepsSettings, inputs: list[Input]
) -> Iterator[ScanError | Note]:
    """Parse every dependency input into ``inputs``; yield what could not be read."""
    for item in discover(workspace):
        if isinstance(item, (ScanError, Note)):
            yield item
        else:
            inputs.append(item)
    for sbom in list(settings.inputs.get("sbom", ())) + list(opts.sbom):
        p = Path(sbom)
        yield from _read_sbom(p if p.is_absolute() else workspace.root / p, workspace.root, inputs)
    for env in list(settings.inputs.get("python_env", ())) + list(opts.python_env):
        p = Path(env)
        yield from _read_env(p if p.is_absolute() else workspace.root / p, workspace.root, inputs)


def inventory(
    workspace: Workspace, settings: ScannerSettings
) -> tuple[list[Component], list[ScanError]]:
    """The components of the workspace (and --sbom / --python-env inputs), no matching:
    what ``pipesec sbom`` writes."""
    opts = DepsSettings.model_validate(dict(settings.options))
    inputs: list[Input] = []
    errors = [e for e in read_inputs(workspace, settings, opts, inputs) if isinstance(e, ScanError)]
    comps = [e.component for e in build_components(inputs, opts) if e.component is not None]
    return comps, errors


def discover(workspace: Workspace) -> Iterator[Input | ScanError | Note]:
    from pipesec.scanners.deps.pyproject import LOCKS
    from pipesec.scanners.deps.sources import source_for

    files = {f.path: f for f in workspace.all_files()}
    for f in files.values():
        source = source_for(f.name)
        if source is None:
            continue
        if f.size > max(workspace.max_file_size, MAX_LOCKFILE_BYTES):
            yield ScanError(
                NAME,
                f.path,
                f"{source.name} is {f.size / 1e6:.0f} MB, over the "
                f"{MAX_LOCKFILE_BYTES / 1e6:.0f} MB limit for lock files; not read",
            )
            continue
        if "/node_modules/" in f"/{f.path}" or "/vendor/" in f"/{f.path}":
            continue  # installed copies, not the project's own declarations
        note = getattr(source, "note", None)
        if isinstance(note, str):  # recognised, not read: said, never silent
            yield Note(NAME, f.path, f"{source.name}: {note}", "unsupported")
            continue
        directory = posixpath.dirname(f.path)
        if source.name == "pyproject.toml" and _locked_elsewhere(directory, files, LOCKS):
            continue
        if source.name == "*.csproj" and posixpath.join(directory, "packages.lock.json") in files:
            continue  # the project's lock file states what restore resolved
        if workspace.is_binary(f):  # lock files are text: a NUL must not hide one
            yield ScanError(NAME, f.path, f"cannot read {source.name}: it holds binary data")
            continue
        yield from _parse_file(f, source, files)


def _locked_elsewhere(directory: str, files: dict[str, Any], locks: Sequence[str]) -> bool:
    """A lock file next to this pyproject.toml, or a uv.lock in a directory above it (the
    project is a member of a uv workspace, whose lock covers it)."""
    if any(posixpath.join(directory, lock) in files for lock in locks):
        return True
    while directory:
        directory = posixpath.dirname(directory)
        if posixpath.join(directory, "uv.lock") in files:
            return True
    return False


def _parse_file(
    f: WorkspaceFile, source: DependencySource, files: dict[str, WorkspaceFile]
) -> Iterator[Input | ScanError | Note]:
    text = read_text(f, NAME)
    if isinstance(text, ScanError):
        yield text
        return
    directory = posixpath.dirname(f.path)
    if not text.strip("\ufeff \t\r\n"):  # an empty lock file locks nothing: 0 packages
        yield Input(f.path, source.name, ParseResult(roots={}))
        return

    def sibling(rel: str) -> str | None:
        target = posixpath.normpath(posixpath.join(directory, rel))
        if target.startswith("../") or target == ".." or posixpath.isabs(target):
            return None  # never outside the scanned tree
        wf = files.get(target)
        if wf is None or wf.size > MAX_LOCKFILE_BYTES:
            return None
        try:
            return wf.read_text()
        except InputError:
            return None

    try:
        result = source.parse(text, sibling)
    except LockfileError as exc:
        yield ScanError(
            NAME, f.path, f"cannot read {source.name}: {safe(exc.message)}", exc.line, exc.column
        )
        return
    except RecursionError:
        yield ScanError(NAME, f.path, f"cannot read {source.name}: nested too deeply")
        return
    if source.name == "requirements.txt":
        from pipesec.scanners.deps.requirements import is_dev_file

        if is_dev_file(f.name):
            for pkg in result.packages:
                pkg.scope = "dev"
    for note in result.notes:
        yield Note(NAME, f.path, note, "unsupported")
    yield Input(f.path, source.name, result)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _read_sbom(path: Path, root: Path, inputs: list[Input]) -> Iterator[ScanError | Note]:
    from pipesec.sbom.read import parse_sbom

    shown = _shown(path, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield ScanError(NAME, shown, f"cannot read SBOM: {exc.strerror}")
        return
    from pipesec.core.workspace import decode

    try:
        result = parse_sbom(decode(data))
    except LockfileError as exc:
        yield ScanError(NAME, shown, f"cannot read SBOM: {exc.message}", exc.line, exc.column)
        return
    inputs.append(Input(shown, "sbom", result))
    for note in result.notes:
        yield Note(NAME, shown, note, "unsupported")


def _read_env(path: Path, root: Path, inputs: list[Input]) -> Iterator[ScanError]:
    from pipesec.scanners.deps.python_env import parse_env

    shown = _shown(path, root)
    try:
        result, where = parse_env(path)
    except LockfileError as exc:
        yield ScanError(NAME, shown, exc.message)
        return
    except OSError as exc:
        yield ScanError(NAME, shown, f"cannot read the environment: {exc.strerror}")
        return
    where = {k: _shown(Path(v), root) for k, v in where.items()}
    inputs.append(Input(shown, "python-env", result, where))


@dataclass(slots=True)
class _Entry:
    input: Input
    package: Package
    #: None for the project's own local paths (reported unpinned, not inventoried)
    component: Component | None


@dataclass(slots=True)
class _Comp:
    input: Input
    package: Package
    component: Component


def build_components(inputs: list[Input], opts: DepsSettings) -> Iterator[_Entry]:
    for inp in inputs:
        placement = graph.analyse(inp.result, opts.max_paths)
        purls = {p.key: make_purl(p.ecosystem, p.name, p.version) for p in inp.result.packages}
        for pkg in inp.result.packages:
            place = placement[pkg.key]
            if not pkg.component:
                if pkg.pinned is False:
                    yield _Entry(inp, pkg, None)
                continue
            if place.scope == "dev" and not opts.include_dev:
                continue
            path = (inp.where or {}).get(pkg.key, inp.path)
            comp = Component(
                ecosystem=pkg.ecosystem,
                name=pkg.name,
                version=pkg.version,
                purl=purls[pkg.key],
                direct=place.direct,
                scope=place.scope,
                paths=place.paths,
                location=Location(path, pkg.line, pkg.column or (1 if pkg.line else 0)),
                licenses=pkg.licenses,
                hashes=pkg.hashes,
                dependencies=tuple(
                    sorted({purls[c] for c in inp.result.edges.get(pkg.key, ()) if purls.get(c)})
                ),
            )
            yield _Entry(inp, pkg, comp)


def evaluate(
    inputs: list[Input], workspace: Workspace, settings: ScannerSettings, opts: DepsSettings
) -> Iterator[ScanItem]:
    all_entries = list(build_components(inputs, opts))
    entries: list[_Comp] = []
    for e in all_entries:
        if e.component is not None:
            yield e.component
            entries.append(_Comp(e.input, e.package, e.component))
    enabled = {r.id for r in RULES} - set(settings.disabled_rules)
    for inp in inputs:
        for problem in inp.result.problems:
            yield finding_from_rule(
                COULD_NOT_EVALUATE,
                NAME,
                path=inp.path,
                line=problem.line,
                column=problem.column,
                message=f"{inp.kind}: {safe(problem.message)}",
                identity=f"problem:{safe(problem.message)}",
            )
    for e in all_entries:
        if not e.package.pinned and UNPINNED.id in enabled:
            yield _unpinned(e)
    yield from _licence_findings(entries, opts)
    matchable = [e for e in entries if e.package.version and e.package.pinned]
    if matchable:
        yield from _vulnerabilities(matchable, workspace, settings, opts)


_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@]+@")


def safe(text: str) -> str:
    """Text quoted from a lock file, fit for a finding: no credentials in URLs
    (``https://user:token@host`` becomes ``https://***@host``) and nothing the secrets
    engine recognises."""
    from pipesec.core.scrub import scrub_text

    return scrub_text(_URL_USERINFO.sub(r"\1***@", text))


def _unpinned(e: _Entry) -> Finding:
    pkg = e.package
    spec = safe(pkg.spec or pkg.name)
    where = e.component.location if e.component is not None else None
    return finding_from_rule(
        UNPINNED,
        NAME,
        path=where.path if where is not None else e.input.path,
        line=pkg.line,
        column=1 if pkg.line else 0,
        message=(
            f"{pkg.name} is not pinned to an exact version ({spec}); the version installed "
            "cannot be known or checked against advisories"
        ),
        snippet=spec[:200],
        identity=f"unpinned:{pkg.ecosystem}:{pkg.name}:{spec}",
        component=e.component,
    )


def _licence_findings(entries: list[_Comp], opts: DepsSettings) -> Iterator[Finding]:
    policy = bool(opts.allow_licenses or opts.deny_licenses)
    unknown_by_input: dict[str, list[_Comp]] = {}
    for e in entries:
        verdict = licenses.evaluate(e.component.licenses, opts.allow_licenses, opts.deny_licenses)
        comp = e.component
        loc = comp.location or Location(e.input.path)
        if verdict.unknown:
            if opts.allow_licenses:
                yield finding_from_rule(
                    LICENSE_UNKNOWN,
                    NAME,
                    path=loc.path,
                    line=loc.start_line,
                    column=loc.start_column,
                    message=(
                        f"{comp.name} {comp.version}: no licence recorded in "
                        f"{posixpath.basename(e.input.path)}; "
                        "it cannot be checked against allow-licenses"
                    ),
                    identity=f"license-unknown:{comp.ecosystem}:{comp.name}@{comp.version}",
                    component=comp,
                )
            else:
                unknown_by_input.setdefault(e.input.path, []).append(e)
            continue
        if policy and verdict.denied:
            why = ", ".join(verdict.culprits) or verdict.expression
            yield finding_from_rule(
                LICENSE_DENIED,
                NAME,
                path=loc.path,
                line=loc.start_line,
                column=loc.start_column,
                message=(
                    f"{comp.name} {comp.version} is licensed {verdict.expression!r}; the "
                    f"licence policy does not allow {why}"
                ),
                snippet=verdict.expression[:200],
                identity=f"license-denied:{comp.ecosystem}:{comp.name}@{comp.version}",
                component=comp,
                properties={"license": verdict.expression, "spdx": verdict.spdx},
            )
    for path, unknown in unknown_by_input.items():
        names = ", ".join(f"{u.component.name}" for u in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        yield finding_from_rule(
            LICENSE_UNKNOWN,
            NAME,
            path=path,
            message=(
                f"{len(unknown)} package(s) in {posixpath.basename(path)} have no licence "
                f"recorded ({names}{more}); set allow-licenses to check each of them"
            ),
            identity=f"license-unknown:{path}",
            properties={"count": len(unknown)},
        )


def _unscored(opts: DepsSettings, settings: ScannerSettings) -> str:
    return opts.unscored_severity or settings.unknown_severity.value


def _vulnerabilities(
    entries: list[_Comp], workspace: Workspace, settings: ScannerSettings, opts: DepsSettings
) -> Iterator[ScanItem]:
    from pipesec import vulndb

    db_path = vulndb.resolve_db_path(opts.db, workspace.root)
    try:
        opts = opts.model_copy(update={"unscored_severity": _unscored(opts, settings)})
        db = vulndb.open_db(db_path, unscored_severity=opts.unscored_severity or "medium")
    except vulndb.DatabaseError as exc:
        first = min(entries, key=lambda e: e.input.path).input.path
        yield ScanError(
            NAME,
            "",
            f"{len(entries)} dependencies (e.g. in {first}) cannot be checked: {exc}",
        )
        return
    try:
        age = db.data_age_days()
        if age is None:
            yield Note(
                NAME,
                str(db_path),
                "the vulnerability database holds no advisories; nothing was matched",
                "stale-db",
            )
        elif age > opts.max_db_age_days:
            yield Note(
                NAME,
                str(db_path),
                f"vulnerability data is {age:.0f} days old (limit {opts.max_db_age_days:g}); "
                f"refresh it with 'pipesec db sync --db {db_path}'",
                "stale-db",
            )
        keys = [(e.package.ecosystem, e.package.name, e.package.version) for e in entries]
        matches = _match(db, db_path, keys, opts)
        vex = _load_vex(workspace, settings, opts)
        yield from vex[1]
        for e, key in zip(entries, keys, strict=True):
            problem = db.version_problem(e.package.ecosystem, e.package.version)
            loc = e.component.location or Location(e.input.path)
            if problem and COULD_NOT_EVALUATE.id not in settings.disabled_rules:
                yield finding_from_rule(
                    COULD_NOT_EVALUATE,
                    NAME,
                    path=loc.path,
                    line=loc.start_line,
                    column=loc.start_column,
                    message=(
                        f"{e.package.name} {e.package.version!r}: {problem}; only advisories "
                        "that list this exact version can match it"
                    ),
                    identity=f"version:{key[0]}:{key[1]}@{key[2]}",
                    component=e.component,
                )
            for adv in matches.get(key, []):
                yield _vuln_finding(e, adv, vex[0])
        if COULD_NOT_EVALUATE.id not in settings.disabled_rules:
            yield from _unevaluated(db, entries)
    finally:
        db.close()


def _match(
    db: Any, db_path: Path, keys: list[tuple[str, str, str]], opts: DepsSettings
) -> dict[tuple[str, str, str], list[Any]]:
    """``match_many`` for the keys. SwiftURL advisories spell a repository several ways
    (GHSA: "github.com/o/r" and "https://github.com/o/r.git"): each spelling is asked for
    and the answers are filed under ours."""
    spellings: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    for key in keys:
        if key[0] == "SwiftURL":
            for url in (f"https://{key[1]}", f"https://{key[1]}.git"):
                spellings[(key[0], url, key[2])] = key
    out = _match_layers(db, db_path, [*keys, *spellings], opts)
    for spelled, ours in spellings.items():
        have = {a.id for a in out.setdefault(ours, [])}
        out[ours].extend(a for a in out.pop(spelled, []) if a.id not in have)
    return out


def _match_layers(
    db: Any, db_path: Path, keys: list[tuple[str, str, str]], opts: DepsSettings
) -> dict[tuple[str, str, str], list[Any]]:
    """``match_many`` over the keys, in layers that hold one version per package each.

    VulnDB caches a merged advisory per (package, ids) and reuses it for another version of
    the package, whose matched range (and so its fixed versions) may differ: loader-utils
    1.4.0 would be told to upgrade to 2.0.3. Each further layer gets its own VulnDB handle
    so every version is built from its own ranges. (One layer, one call, in the usual case.)
    """
    from pipesec import vulndb

    layers: list[list[tuple[str, str, str]]] = []
    depth: dict[tuple[str, str], int] = {}
    for key in dict.fromkeys(keys):
        n = depth.get(key[:2], 0)
        depth[key[:2]] = n + 1
        if n == len(layers):
            layers.append([])
        layers[n].append(key)
    out: dict[tuple[str, str, str], list[Any]] = {}
    for i, layer in enumerate(layers):
        if i == 0:
            out.update(db.match_many(layer))
            continue
        with vulndb.open_db(db_path, unscored_severity=opts.unscored_severity or "medium") as fresh:
            out.update(fresh.match_many(layer))
    return out


def _unevaluated(db: Any, entries: list[_Comp]) -> Iterator[Finding]:
    """Advisories naming a package that no version can match (only GIT commit ranges, or
    versions the ecosystem does not accept): the package could be affected; say so, once."""
    unevaluated = getattr(db, "unevaluated", None)
    if unevaluated is None:
        return
    cache: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for e in entries:
        key = (e.package.ecosystem, e.package.name)
        if key not in cache:
            cache[key] = list(unevaluated(*key))
        if not cache[key]:
            continue
        loc = e.component.location or Location(e.input.path)
        ids = ", ".join(i for i, _ in cache[key][:5])
        more = f" and {len(cache[key]) - 5} more" if len(cache[key]) > 5 else ""
        reasons = "; ".join(sorted({r for _, r in cache[key]}))
        yield finding_from_rule(
            COULD_NOT_EVALUATE,
            NAME,
            path=loc.path,
            line=loc.start_line,
            column=loc.start_column,
            message=(
                f"{e.package.name} {e.package.version}: advisories {ids}{more} cannot be "
                f"matched against any version ({reasons}); check them by hand"
            ),
            identity=f"unevaluated:{key[0]}:{key[1]}@{e.package.version}",
            component=e.component,
            properties={"advisories": [i for i, _ in cache[key]]},
        )


def stable_id(ids: Sequence[str]) -> str:
    """The id a finding's fingerprint uses: the first CVE when the flaw has one (it does not
    change when the database prefers another id tomorrow), else the first id."""
    cves = sorted(i for i in ids if i.upper().startswith("CVE-"))
    return cves[0] if cves else sorted(ids)[0]


def _first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    cut = flat.find(". ")
    flat = flat[: cut + 1] if 0 < cut < 240 else flat
    return flat if len(flat) <= 240 else flat[:237] + "..."


def _load_vex(
    workspace: Workspace, settings: ScannerSettings, opts: DepsSettings
) -> tuple[Any, list[ScanError]]:
    from pipesec.sbom import vex

    paths = [Path(p) for p in settings.inputs.get("vex", ())]
    paths += [workspace.root / p for p in opts.vex]
    index, errors = vex.load(paths)
    return index, [
        ScanError(NAME, _shown(Path(e.path), workspace.root), e.message, e.line, e.column)
        for e in errors
    ]


def _vuln_finding(e: _Comp, adv: Any, vex_index: Any) -> Finding:
    comp = e.component
    pkg = e.package
    loc = comp.location or Location(e.input.path)
    fix = adv.smallest_fix_above(pkg.version)
    ids = ", ".join(adv.aliases)
    head = f"{pkg.name} {pkg.version} is affected by {adv.id}"
    if ids:
        head += f" ({ids})"
    summary = adv.summary or _first_sentence(adv.details) or "no summary in the advisory"
    parts = [f"{head}: {summary.rstrip('.')}."]
    props: dict[str, Any] = {
        "ecosystem": pkg.ecosystem,
        "package": pkg.name,
        "version": pkg.version,
        "advisory": adv.id,
        "aliases": list(adv.aliases),
        "direct": comp.direct,
        "scope": comp.scope,
        "severity_assumed": adv.severity_assumed,
    }
    if adv.cvss_score is not None:
        props["cvss_score"] = adv.cvss_score
    if fix:
        props["fixed_version"] = fix
    if adv.severity_assumed:
        parts.append(
            f"Neither the advisory nor its aliases carry a score; severity "
            f"{adv.severity.value} is assumed ([gate] unknown-severity)."
        )
    remediation: str
    if comp.direct or not comp.paths:
        remediation = (
            f"Upgrade {pkg.name} to {fix} or later."
            if fix
            else f"No fixed version of {pkg.name} is known; remove it or replace it."
        )
    else:
        path = comp.paths[0]
        top = path[0]
        tops = list(dict.fromkeys(p[0] for p in comp.paths))
        props["paths"] = [" > ".join(p) for p in comp.paths]
        props["direct_dependency"] = top
        props["direct_dependencies"] = tops
        chain = " > ".join(path)
        if fix:
            tail = f"requires {pkg.name} >= {fix}, or pin {pkg.name} to {fix}."
        else:
            tail = f"drops {pkg.name}; no fixed version of {pkg.name} is known."
        upgrade = top if len(tops) == 1 else f"{', '.join(tops[:-1])} and {tops[-1]}"
        remediation = (
            f"{pkg.name} is a transitive dependency ({chain}): upgrade {upgrade} to a "
            f"release that {tail}"
        )
    parts.append(remediation)
    props_suppressed = None
    if vex_index:
        props_suppressed = vex_index.lookup(adv.ids, comp.purl)
    if props_suppressed:
        props["suppressed"] = props_suppressed
    sep = "==" if pkg.ecosystem == "PyPI" else "@"
    finding = finding_from_rule(
        VULNERABLE_PACKAGE,
        NAME,
        path=loc.path,
        line=loc.start_line,
        column=loc.start_column,
        message=" ".join(parts),
        snippet=f"{pkg.name}{sep}{pkg.version}",
        identity=f"vuln:{pkg.ecosystem}:{pkg.name}@{pkg.version}:{stable_id(adv.ids)}",
        severity=adv.severity,
        tags=(*VULNERABLE_PACKAGE.tags, *(["severity:unscored"] if adv.severity_assumed else [])),
        component=comp,
        vulnerability=adv.to_vulnerability(),
        properties=props,
    )
    refs = (f"https://osv.dev/vulnerability/{adv.id}", *adv.references)
    return replace(
        finding,
        references=tuple(dict.fromkeys(refs))[:10],
        cwe=tuple(adv.cwe) or finding.cwe,
        remediation=remediation,
    )
