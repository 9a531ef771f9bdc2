"""The engine: discovers scanners, runs them in parallel on one workspace, isolates their
failures, and turns what they yield into one deterministic ScanReport.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any

from pipesec import __version__
from pipesec.core import fingerprints
from pipesec.core.config import (
    DEFAULT_TEST_PATHS,
    OFF_BY_DEFAULT,
    Config,
    RuleOverride,
    validate_options,
)
from pipesec.core.entrypoints import EntryPoint, entry_points
from pipesec.core.errors import PipesecError, UsageError
from pipesec.core.model import (
    Component,
    Finding,
    Note,
    PostureCheck,
    Rule,
    ScanCount,
    ScanError,
    ScannerStats,
    ScanReport,
    Severity,
)
from pipesec.core.scanner import Scanner, ScannerSettings
from pipesec.core.scrub import redact_items
from pipesec.core.workspace import Workspace, WorkspaceFile, compile_globs

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "pipesec.scanners"
#: scanners whose findings come from files named on the command line, not the workspace
INPUT_SCANNERS = {"imported": "sarif"}
#: built-in scanners that run only when named (they wrap external tools): known without
#: importing them, which a plain `pipesec scan` would otherwise do to read `default`
OPT_IN = frozenset({"semgrep", "checkov"})


@lru_cache(maxsize=1)
def available() -> dict[str, EntryPoint]:
    """Installed scanners by name (entry point group ``pipesec.scanners``)."""
    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, ep)
    return dict(sorted(found.items()))


def load_scanner(name: str) -> Scanner:
    eps = available()
    if name not in eps:
        known = ", ".join(eps) or "none"
        raise UsageError(f"unknown scanner {name!r}; installed scanners: {known}")
    obj = eps[name].load()
    scanner = obj() if isinstance(obj, type) else obj
    if not isinstance(scanner, Scanner):
        raise UsageError(f"entry point {name!r} does not provide a pipesec scanner")
    return scanner


def all_rules() -> list[Rule]:
    from pipesec.core.trust import RULES as trust_rules  # the gate's own policy findings

    rules: dict[str, Rule] = {r.id: r for r in trust_rules}
    for name in available():
        try:
            scanner = load_scanner(name)
        except Exception as exc:  # a broken third-party plugin must not hide the others
            log.warning("cannot load scanner %s: %s", name, exc)
            continue
        for rule in scanner.rules():
            rules.setdefault(rule.id, rule)
    return sorted(rules.values(), key=lambda r: r.id)


_NO_OVERRIDE = RuleOverride()


@dataclass
class ScanRequest:
    root: Path
    config: Config = field(default_factory=Config)
    scanners: Sequence[str] | None = None
    inputs: dict[str, list[str]] = field(default_factory=dict)
    workspace: Workspace | None = None
    network: bool = False
    progress: Callable[[str, int, int], None] | None = None


def select_scanners(request: ScanRequest) -> list[str]:
    names: list[str]
    if request.scanners:
        names = list(dict.fromkeys(request.scanners))
    elif request.config.enable is not None:
        names = list(dict.fromkeys(request.config.enable))
    else:
        names = []
        for name in available():
            if name in INPUT_SCANNERS:
                continue
            cfg = request.config.scanner(name)
            if cfg.enabled is False:
                continue
            if cfg.enabled or _is_default(name):
                names.append(name)
    for name, key in INPUT_SCANNERS.items():
        if request.inputs.get(key) and name not in names:
            names.append(name)
    for name in names:
        if name not in available():
            load_scanner(name)  # raises the usage error with the list of known scanners
    return names


def _is_default(name: str) -> bool:
    if name in OPT_IN and available()[name].value.startswith("pipesec.scanners.adapters."):
        return False  # our own adapter (a plugin may reuse the name: it is loaded to ask)
    try:
        return bool(getattr(load_scanner(name), "default", False))
    except Exception:
        return True  # run_scan reports why it cannot be loaded; never skip it silently


def _settings_for(scanner: Scanner, request: ScanRequest) -> ScannerSettings:
    cfg = request.config.scanner(scanner.name)
    options: dict[str, Any] = cfg.options()
    model = getattr(scanner, "settings_model", None) if options else None
    if model is not None:  # scanners apply their own defaults to empty options
        options = validate_options(model, options, f"[scanners.{scanner.name}]")
    rules = request.config.rules
    disabled = frozenset(rid for rid, o in rules.items() if o.enabled is False) | frozenset(
        rid for rid in OFF_BY_DEFAULT if rules.get(rid, _NO_OVERRIDE).enabled is None
    )
    return ScannerSettings(
        options=options,
        fingerprint_key=fingerprints.fingerprint_key(request.config.fingerprint_key),
        disabled_rules=disabled,
        inputs=request.inputs,
        network=request.network,
        unknown_severity=request.config.gate.unknown_severity,
    )


@dataclass
class _Result:
    name: str
    rules: list[Rule] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    posture: list[PostureCheck] = field(default_factory=list)
    seconds: float = 0.0
    files: int = 0
    blobs: int = 0
    commits: int = 0


def _run_one(scanner: Scanner, workspace: Workspace, settings: ScannerSettings) -> _Result:
    result = _Result(scanner.name)
    started = time.perf_counter()
    try:
        for item in scanner.scan(workspace, settings):
            if isinstance(item, Finding):
                result.findings.append(item)
            elif isinstance(item, ScanError):
                result.errors.append(item)
            elif isinstance(item, Note):
                result.notes.append(item)
            elif isinstance(item, Component):
                result.components.append(item)
            elif isinstance(item, PostureCheck):
                result.posture.append(item)
            elif isinstance(item, ScanCount):
                result.files += item.files
                result.blobs += item.blobs
                result.commits += item.commits
        if result.findings:  # rule metadata is loaded only when a report needs it
            result.rules = list(scanner.rules())
    except PipesecError as exc:
        result.errors.append(ScanError(scanner.name, "", str(exc)))
    except Exception as exc:
        log.debug("scanner %s crashed", scanner.name, exc_info=True)
        result.errors.append(
            ScanError(
                scanner.name,
                "",
                f"scanner failed: {type(exc).__name__}: {exc} (run with -v for details)",
            )
        )
    result.seconds = time.perf_counter() - started
    return result


def _warm_shared_imports() -> None:
    """Import, in this thread, the standard-library packages that the scanners' libraries
    import lazily from several scanner threads at once (pydantic, platformdirs, stevedore,
    bandit). ``importlib.resources`` imports its ``abc`` submodule while it initialises; a
    second thread importing ``importlib.resources.abc`` meanwhile holds that submodule's
    lock and waits for the half-initialised package, and Python's import locks raise
    ``_DeadlockError`` in one of them: a fresh clone's demo lost its pipelines scanner so
    (``[pipelines] <scan>: scanner failed: _DeadlockError ... importlib.resources.abc``,
    exit 3). Imported here first, the packages are whole before any scanner thread starts."""
    import importlib.resources
    import importlib.resources.abc
    import importlib.resources.readers  # noqa: F401


def run_scan(request: ScanRequest, scanners: Iterable[Scanner] | None = None) -> ScanReport:
    """Run the selected scanners and return the merged, sorted report (gate not applied)."""
    config = request.config
    workspace = request.workspace or Workspace(
        request.root, excludes=config.exclude_globs(), max_file_size=config.max_file_size
    )
    chosen = (
        list(scanners)
        if scanners is not None
        else [load_scanner(n) for n in select_scanners(request)]
    )
    settings = {s.name: _settings_for(s, request) for s in chosen}
    report = ScanReport(root=str(workspace.root), tool_version=__version__)

    # discover once, up front, so scanners share the listing and discovery errors surface here
    started = time.perf_counter()
    listed = workspace.all_files()
    log.info(
        "discovered %d files under %s (%s mode, %d excluded globs) in %.2fs; scanners: %s",
        len(listed),
        workspace.root,
        workspace.mode,
        len(config.exclude_globs()),
        time.perf_counter() - started,
        ", ".join(s.name for s in chosen) or "none",
    )

    total = len(chosen)
    results: list[_Result] = []
    if total > 1 and listed:
        _warm_shared_imports()  # (an empty tree imports none of them: the startup budget)
    if total:
        with ThreadPoolExecutor(max_workers=min(total, 4), thread_name_prefix="pipesec") as pool:
            futures = [pool.submit(_run_one, s, workspace, settings[s.name]) for s in chosen]
            for done, fut in enumerate(futures, 1):
                results.append(fut.result())
                if request.progress:
                    request.progress(results[-1].name, done, total)

    for res in results:
        log.info(
            "scanner %s: %d findings, %d errors, %d notes in %.2fs",
            res.name,
            len(res.findings),
            len(res.errors),
            len(res.notes),
            res.seconds,
        )
        for rule in res.rules:
            report.rules.setdefault(rule.id, rule)
        report.errors.extend(res.errors)
        report.notes.extend(res.notes)
        report.components.extend(res.components)
        report.posture.extend(res.posture)
        report.stats.append(
            ScannerStats(
                res.name,
                len(res.findings),
                len(res.errors),
                len(res.notes),
                res.files,
                round(res.seconds, 4),
                res.blobs,
                res.commits,
            )
        )
    report.notes.extend(workspace.notes)
    is_test_file = test_file_reader(listed)
    report.errors, fixture_notes = split_fixture_errors(report.errors, config, is_test_file)
    is_committed_test_file = committed_test_file_reader(workspace.root)
    report.notes.extend(fixture_notes)
    findings = [f for res in results for f in res.findings]
    # the one redactor, on every text of every scanner, before anything is derived from it
    findings, report.errors, report.notes, report.rules, report.components = redact_items(
        findings, report.errors, report.notes, report.rules, report.components
    )
    findings = apply_rule_overrides(findings, config)
    findings = apply_contexts(findings, config, is_test_file, is_committed_test_file)
    # a container image (--image) is no file of the diff: its findings are all kept
    findings = [
        f
        for f in findings
        if f.scanner == "containers"
        or workspace.in_changed_lines(f.location.path, f.location.start_line)
    ]
    findings = assign_fingerprints(findings)
    report.findings = sorted(merge_duplicates(findings), key=Finding.sort_key)
    for st in report.stats:
        st.findings = sum(1 for f in report.findings if f.scanner == st.name)
    report.errors.sort(key=lambda e: (e.path, e.line, e.scanner, e.message))
    report.notes = sorted(set(report.notes), key=lambda n: (n.path, n.scanner, n.message))
    report.stats.sort(key=lambda s: s.name)
    report.posture.sort(key=lambda p: (p.pipeline, p.gate))
    return report


def apply_rule_overrides(findings: list[Finding], config: Config) -> list[Finding]:
    if not config.rules:
        return findings
    out = []
    for f in findings:
        override = config.rules.get(f.rule_id)
        if override is None:
            out.append(f)
        elif override.enabled is not False:
            out.append(replace(f, severity=override.severity) if override.severity else f)
    return out


#: secrets rules whose findings a test or docs context may demote: the generic ones (a
#: keyword next to a value), credentials in URLs and passwords a person typed into a
#: config format or command (netrc, pgpass, ``login('user', 'pw')``, password hashes); a
#: provider's key or a private key is never demoted, wherever it stands
#: secrets rules that match by keyword, with no provider structure to prove the value real:
#: demoted like generic ones in test and docs contexts (``framework-key``: a web framework's
#: session-signing key, e.g. Django's ``SECRET_KEY``, which test settings and docs all carry)
#: (``keyword``: a provider-less shape under a generic key name, ``api_key: <32 hex>``)
DEMOTABLE_SECRET_TAGS = frozenset({"generic", "url", "password", "framework-key", "keyword"})


#: the default test globs that name a file rather than a directory (``test.js``,
#: ``*_spec.rb``, ``test_*.py``, ``*Test.java``). The scanned tree names its own files, so
#: such a name alone must not lower what the gate fails on: it makes a test context only
#: for a file that reads as a test (``_TEST_MARKERS``). A directory (``tests/``) and the
#: operator's own globs keep their meaning (session 16)
NAME_TEST_GLOBS = frozenset(g for g in DEFAULT_TEST_PATHS if not g.endswith("/"))
#: what a test file of the frameworks those names belong to holds: pytest/unittest/Django,
#: Jest/Mocha/Vitest/tape/node:test, RSpec/Minitest, Go's testing, JUnit/kotlin.test,
#: xUnit/NUnit/MSTest, PHPUnit
_TEST_MARKERS = re.compile(
    rb"\bdef test\w*\(|\bimport (?:pytest|unittest)\b|\bfrom (?:pytest|unittest|django\.test)\b"
    rb"|\bTestCase\b|@pytest\.|"
    rb"\b(?:describe|it|test|suite)(?:\.(?:each|only|skip|concurrent))?[ \t]*\([ \t]*['\"`]"
    rb"|\b(?:require\(|from[ \t]+|import[ \t]+)['\"](?:node:test|tape|ava|mocha|chai|vitest"
    rb"|@jest/globals|node:assert|assert)['\"]"
    rb"|\bRSpec\.describe\b|^[ \t]*describe[ \t]+\S|\bMinitest::|\bTest::Unit\b"
    rb"|\bfunc (?:Test|Benchmark|Fuzz)\w*\(\w+ \*testing\.[TBF]\)"
    rb"|@Test\b|\borg\.junit\b|\bkotlin\.test\b"
    rb"|\[(?:Fact|Theory|Test|TestMethod|TestCase|TestFixture)\b|\bPHPUnit\b",
    re.MULTILINE,
)
#: bytes of a file read for the markers
_TEST_HEAD = 256 * 1024


def reads_as_test(data: bytes) -> bool:
    """Whether a file's text holds a test framework's marks (``_TEST_MARKERS``)."""
    return _TEST_MARKERS.search(data, 0, _TEST_HEAD) is not None


def test_file_reader(listed: Iterable[WorkspaceFile]) -> Callable[[str], bool]:
    """``reads_as_test`` of the scanned tree's files by path, each read at most once, only
    when a finding or an error stands in a file that a test-file name alone puts in the
    test context; a path not in the listing (a history blob's) reads as no test."""
    files = {f.path: f for f in listed}
    memo: dict[str, bool] = {}

    def is_test_file(path: str) -> bool:
        if path not in memo:
            f = files.get(path)
            try:
                memo[path] = f is not None and reads_as_test(f.read_bytes())
            except PipesecError:  # unreadable now: the scanner that read it said so
                memo[path] = False
        return memo[path]

    return is_test_file


def committed_test_file_reader(root: Path) -> Callable[[str, str], bool]:
    """``reads_as_test`` of the blob at a path in a commit (a ``--history`` finding's), each
    read at most once. The file at that path today is another text: a scratch ``test.js``
    whose password a later commit replaced with real tests read as a test, and its finding
    in the old blob was demoted (review17). A blob that cannot be read reads as no test."""
    memo: dict[tuple[str, str], bool] = {}

    def is_test_file(path: str, commit: str) -> bool:
        key = (path, commit)
        if key not in memo:
            from pipesec.core.gitsource import _git

            try:
                proc = _git(root, "cat-file", "blob", f"{commit}:./{path}", check=False)
            except PipesecError:
                proc = None
            memo[key] = proc is not None and proc.returncode == 0 and reads_as_test(proc.stdout)
        return memo[key]

    return is_test_file


def context_of(
    path: str, config: Config, is_test_file: Callable[[str], bool] | None = None
) -> str | None:
    """``"test"`` or ``"docs"`` when ``path`` lies in one of the gate's context paths.

    With ``is_test_file`` (the scan's reader of the tree, see ``test_file_reader``) a path
    that only a default test-file name (``NAME_TEST_GLOBS``) puts in the test context is
    test code when the file reads as a test, and in no test context otherwise."""
    paths = config.gate.context_paths
    test = tuple(paths.test)
    if _matcher(test)(path) and (
        is_test_file is None
        or _matcher(tuple(g for g in test if g not in NAME_TEST_GLOBS))(path)
        or is_test_file(path)
    ):
        return "test"
    if _matcher(tuple(paths.docs))(path):
        return "docs"
    return None


@lru_cache(maxsize=8)
def _matcher(globs: tuple[str, ...]) -> Callable[[str], bool]:
    return compile_globs(globs)


#: scanners whose unreadable inputs under test paths are fixtures (a broken lockfile,
#: Dockerfile, manifest or Python 2 file kept to test a parser), and under docs paths are
#: examples (a Python 2 script among a package's documented examples), noted instead of
#: failing the scan: what is in them would be capped at low anyway
FIXTURE_ERROR_SCANNERS = frozenset({"deps", "iac", "pipelines", "sast"})


def split_fixture_errors(
    errors: list[ScanError], config: Config, is_test_file: Callable[[str], bool] | None = None
) -> tuple[list[ScanError], list[Note]]:
    if not config.gate.demote_contexts:
        return errors, []
    kept: list[ScanError] = []
    notes: list[Note] = []
    for e in errors:
        if (
            e.scanner in FIXTURE_ERROR_SCANNERS
            and e.path
            and (ctx := context_of(e.path, config, is_test_file)) is not None
        ):
            what = "test fixture" if ctx == "test" else "documentation example"
            notes.append(Note(e.scanner, e.path, f"not evaluated ({what}): {e.message}"))
        else:
            kept.append(e)
    return kept, notes


def _in_tree(path: str) -> bool:
    """A path of the scanned tree (command-line inputs such as ``--sbom`` are absolute and
    ``--stdin`` is ``<stdin>``: the operator's, never demoted)."""
    return bool(path) and not path.startswith(("/", "<", "../")) and ":" not in path[:3]


def demotable(f: Finding) -> bool:
    if f.scanner != "secrets":
        return True
    return not DEMOTABLE_SECRET_TAGS.isdisjoint(f.tags) and "gitleaks" not in f.tags


#: the context tags a scanner may set itself, for a part of a file (a program's docstring)
_IN_FILE_CONTEXTS = frozenset({"context:test", "context:docs"})


def apply_contexts(
    findings: list[Finding],
    config: Config,
    is_test_file: Callable[[str], bool] | None = None,
    is_committed_test_file: Callable[[str, str], bool] | None = None,
) -> list[Finding]:
    """Tag findings in test code and docs ``context:test``/``context:docs`` and cap the
    demotable ones at low, so fixtures and examples do not fail the default gate
    (``is_test_file``: see ``context_of``; ``is_committed_test_file``: the same for a
    finding in a commit's blob, see ``committed_test_file_reader``)."""
    out = []
    for f in findings:
        path = f.location.path
        reader = is_test_file
        if (commit := f.location.commit) and is_committed_test_file is not None:
            reader = functools.partial(_at_commit, is_committed_test_file, commit=commit)
        ctx = context_of(path, config, reader) if _in_tree(path) else None
        if ctx is not None:
            tag = f"context:{ctx}"
            tags = f.tags if tag in f.tags else (*f.tags, tag)
        elif _IN_FILE_CONTEXTS.isdisjoint(f.tags):
            out.append(f)
            continue
        else:  # a scanner's own in-file context (a Python docstring: secrets/docblocks.py)
            tags = f.tags
        if config.gate.demote_contexts and demotable(f) and f.severity.rank > Severity.LOW.rank:
            props = {**f.properties, "severity-before-context": f.severity.value}
            out.append(replace(f, tags=tags, severity=Severity.LOW, properties=props))
        else:
            out.append(replace(f, tags=tags))
    return out


def _at_commit(read: Callable[[str, str], bool], path: str, *, commit: str) -> bool:
    return read(path, commit)


def assign_fingerprints(findings: list[Finding]) -> list[Finding]:
    """Fingerprint each finding from rule, path and identity; repeats get an occurrence number."""
    ordered = sorted(
        findings, key=lambda f: (f.location.path, f.location.start_line, f.location.start_column)
    )
    seen: dict[tuple[str, str, str, str], int] = {}
    out = []
    for f in ordered:
        if f.fingerprint:
            out.append(f)
            continue
        key = (f.rule_id, f.location.path, f.identity, f.location.commit or "")
        n = seen.get(key, 0)
        seen[key] = n + 1
        out.append(
            _with_fingerprint(f, fingerprints.compute(f.rule_id, f.location.path, f.identity, n))
        )
    return out


_FINDING_FIELDS = [fl.name for fl in fields(Finding)]
_FINDING_VALUES = attrgetter(*_FINDING_FIELDS)
_FINGERPRINT_AT = _FINDING_FIELDS.index("fingerprint")
_FAST_COPY = all(fl.init for fl in fields(Finding))


def _with_fingerprint(f: Finding, fingerprint: str) -> Finding:
    """``replace(f, fingerprint=...)``, about twice as fast (it runs for every finding)."""
    if not _FAST_COPY:  # pragma: no cover - every Finding field is an init field today
        return replace(f, fingerprint=fingerprint)
    values = list(_FINDING_VALUES(f))
    values[_FINGERPRINT_AT] = fingerprint
    return Finding(*values)


#: the scanner whose rule id a secret keeps when another scanner (IaC, pipelines) saw it too
SECRETS_SCANNER = "secrets"


def merge_duplicates(findings: list[Finding]) -> list[Finding]:
    """The same thing at the same place reported twice (e.g. by two scanners) is one finding.

    A secret is the same secret whichever rule found it: it is reported once, under the
    secrets scanner's rule when that scanner saw it (an IaC or pipeline rule that saw the
    same value never adds a second finding), at the highest severity any of them gave it.
    Anything else merges per rule, keeping the most severe; between equally severe readings
    of a secret a rule that is no generic keyword rule names it (a configuration's own rule,
    which reads the value beside the built-in ones). A finding its scanner marked
    suppressed (a gitleaks allowlist or ``.gitleaksignore`` entry, which name one rule)
    merges only when every reading is suppressed (review19): a tree's own gitleaks rule
    whose allowlist suppressed its reading of a secret had replaced another rule's
    unsuppressed finding of it.
    """
    groups: dict[tuple[str, int, str, str], list[Finding]] = {}
    for f in findings:
        secret = f.identity.startswith("hmac:")
        same = f.identity if secret else f"{f.rule_id}\0{f.fingerprint}"
        groups.setdefault(
            (f.location.path, f.location.start_line, same, f.location.commit or ""), []
        ).append(f)
    out = []
    for same_place in groups.values():
        if len(same_place) == 1:
            out.append(same_place[0])
            continue
        live = [f for f in same_place if not f.properties.get("suppressed")] or same_place
        best = max(
            live,
            key=lambda f: (
                f.identity.startswith("hmac:") and f.scanner == SECRETS_SCANNER,
                f.severity.rank,
                "generic" not in f.tags,  # a team's own rule over a built-in keyword rule
                f.rule_id,
            ),
        )
        top = max((f.severity for f in live), key=lambda v: v.rank)
        out.append(best if best.severity is top else replace(best, severity=top))
    return out
