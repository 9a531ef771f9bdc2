"""The ``sast`` scanner's work: Python code through Bandit, run in-process as a library.

Bandit's results become findings with rule ids ``bandit/<test id>`` (``bandit/B105``),
bandit's severity and confidence mapped to ours and its CWE kept. ``# nosec`` comments are
honoured the way bandit reads them (blanket or per test id/name) and the finding is
reported as suppressed with the comment as justification. Snippets and messages of the
hard-coded password tests are redacted.
"""

from __future__ import annotations

import ast
import inspect
import io
import logging
import re
import sys
import threading
import tokenize
import warnings
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from pipesec.core.fingerprints import fingerprint_key, secret_identity, text_identity
from pipesec.core.lines import split_lines
from pipesec.core.model import Confidence, Finding, Location, Note, Rule, ScanError, Severity
from pipesec.core.redact import preview, trim_snippet
from pipesec.core.scanner import ScanItem
from pipesec.core.workspace import WorkspaceFile
from pipesec.scanners.sast import SCANNER

log = logging.getLogger(__name__)

DOCS = "https://bandit.readthedocs.io/en/latest/"
SEVERITIES = {"HIGH": Severity.HIGH, "MEDIUM": Severity.MEDIUM, "LOW": Severity.LOW}
CONFIDENCES = {"HIGH": Confidence.HIGH, "MEDIUM": Confidence.MEDIUM, "LOW": Confidence.LOW}
#: bandit tests whose snippet/message may hold a password
SECRET_TESTS = frozenset({"B105", "B106", "B107"})
_STRING = re.compile(r"""(?P<q>['"])(?P<v>(?:\\.|(?!(?P=q)).)*)(?P=q)""")
_PASSWORD_IN_MESSAGE = re.compile(r"hardcoded password: '(.*)'\s*$", re.I)
#: ruff's flake8-bandit codes: a noqa comment naming S602 means bandit's B602
_NOQA_S = re.compile(r"#\s*noqa\s*:\s*(?P<codes>S\d{3}(?:\s*,\s*[A-Z]+\d+)*)(?P<rest>.*)$")
_NOSEC = re.compile(r"#\s*nosec\b:?\s*(?P<rest>.*)$")
_LOCK = threading.Lock()
#: Python 3.12+ syntax this interpreter cannot parse: PEP 695 generics and ``type`` aliases
#: (PEP 701's f-strings fail with an "f-string" message). A file that uses them is valid code
#: of a newer Python, not a broken input, so it is a note, never an error that fails the scan.
_NEWER_SYNTAX = re.compile(
    r"^\s*(?:(?:async\s+)?def\s+\w+\s*\[|class\s+\w+\s*\[|type\s+\w+\s*(?:\[.*\])?\s*=)"
)
#: Where pipesec's severity differs from bandit's, with the reason (docs/precision.md). Each
#: maps bandit's level to ours; the rule's severity in ``rules list`` is the highest it reports.
CALIBRATED: dict[str, tuple[dict[Severity, Severity], str]] = {
    "B324": (
        {Severity.HIGH: Severity.MEDIUM},
        "pipesec reports it as medium, not bandit's high: most MD5/SHA-1 calls in real code "
        "are checksums, cache keys and protocol fields (ETags, Content-MD5), and the call "
        "alone cannot tell which; mark them `usedforsecurity=False`.",
    ),
    "B411": (
        {Severity.HIGH: Severity.MEDIUM},
        "pipesec reports it as medium, not bandit's high: expat 2.4.1 and later (every "
        "supported CPython) refuse the entity-expansion attacks this warns about.",
    ),
    "B701": (
        {Severity.HIGH: Severity.MEDIUM},
        "pipesec reports it as medium, not bandit's high: Jinja2 renders config files, code "
        "and e-mails as often as HTML, where autoescaping does not apply.",
    ),
}
#: bandit reports the first bidirectional character it meets; RLM (a mark) cannot reorder
#: text the way embeddings, overrides and isolates do, and right-to-left locale data needs it
_BIDI_MARK_ONLY = re.compile(r"\('\\u200f'\)", re.I)
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _extensions() -> Any:
    """bandit's plugin registry (its import warns about a deprecated stevedore argument)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from bandit.core import extension_loader

    return extension_loader.MANAGER


def _title(name: str) -> str:
    return name.replace("_", " ").strip().capitalize()


def _doc_summary(doc: str | None) -> str:
    if not doc:
        return ""
    paras = [p.strip() for p in re.split(r"\n\s*\n", doc) if p.strip()]
    body = [p for p in paras if not p.startswith("**") and not p.startswith((":", ".."))]
    text = " ".join(body[0].split()) if body else ""
    return text[:600].replace("``", "`")  # reStructuredText literals as Markdown code


@lru_cache(maxsize=1)
def bandit_rules() -> tuple[Rule, ...]:
    """One Rule per bandit test plugin and blacklist entry (no examples: they are bandit's)."""
    mgr = _extensions()
    rules: dict[str, Rule] = {}
    for p in mgr.plugins:
        test_id = getattr(p.plugin, "_test_id", "")
        if not test_id:
            continue
        cwe_obj = getattr(p.plugin, "_cwe", None)
        plugin_cwe = int(getattr(cwe_obj, "id", 0) or 0)
        levels = {calibrate(test_id, lv) for lv in plugin_severities(p.plugin)}
        if test_id == "B613":
            levels.add(Severity.LOW)
        rationale = _doc_summary(p.plugin.__doc__) or _title(p.name)
        if test_id in CALIBRATED:
            rationale += " " + CALIBRATED[test_id][1]
        if test_id == "B613":
            rationale += (
                " A file whose only bidirectional characters are the marks LRM, RLM or ALM "
                "(right-to-left locale data) is reported as low: marks cannot reorder code."
            )
        if len(levels) > 1:
            names = " or ".join(lv.value for lv in sorted(levels, key=lambda lv: lv.rank))
            rationale += (
                f" Bandit reports this test as {names} depending on the call (for example a "
                "literal command or a variable one); each finding carries bandit's level, this "
                "rule's severity is the highest."
            )
        rules[test_id] = Rule(
            id=f"bandit/{test_id}",
            title=_title(p.name),
            severity=max(levels, key=lambda lv: lv.rank) if levels else Severity.MEDIUM,
            rationale=rationale,
            remediation="See bandit's documentation of this test for safe alternatives.",
            cwe=(f"CWE-{plugin_cwe}",) if plugin_cwe else (),
            references=(f"{DOCS}plugins/{test_id.lower()}_{p.name}.html",),
            confidence=Confidence.MEDIUM,
            tags=("sast", "python", "bandit"),
        )
    for test_id, data in mgr.blacklist_by_id.items():
        if test_id in rules:
            continue
        cwe = data.get("cwe")
        rules[test_id] = Rule(
            id=f"bandit/{test_id}",
            title=f"Use of {data.get('name', test_id)}",
            severity=calibrate(
                test_id, SEVERITIES.get(str(data.get("level", "MEDIUM")).upper(), Severity.MEDIUM)
            ),
            rationale=str(data.get("message", "")).replace("{name}", data.get("name", ""))
            + (" " + CALIBRATED[test_id][1] if test_id in CALIBRATED else ""),
            remediation="Replace the call or import with a safe alternative (see bandit's "
            "blacklist documentation).",
            cwe=(f"CWE-{cwe}",) if cwe else (),
            references=(
                f"{DOCS}blacklists/blacklist_{'imports' if test_id.startswith('B4') else 'calls'}"
                f".html#{test_id.lower()}-{data.get('name', '')}",
            ),
            confidence=Confidence.MEDIUM,
            tags=("sast", "python", "bandit"),
        )
    return tuple(sorted(rules.values(), key=lambda r: r.id))


def calibrate(test_id: str, level: Severity) -> Severity:
    """Our severity for a bandit test reporting ``level`` (see ``CALIBRATED``)."""
    table = CALIBRATED.get(test_id)
    return table[0].get(level, level) if table else level


def reported_severity(issue: Any, call: str, text: str) -> Severity:
    """The severity of one bandit result: bandit's level, calibrated; Trojan-source findings
    in a file (``text``) whose only bidirectional characters are marks and tar extraction
    through a custom ``filter=`` (in ``call``, the lines of the call) are low."""
    level = calibrate(
        str(issue.test_id), SEVERITIES.get(str(issue.severity).upper(), Severity.MEDIUM)
    )
    if (
        issue.test_id == "B613"
        and _BIDI_MARK_ONLY.search(str(issue.text))
        and not _BIDI_CONTROLS.search(text)
    ):
        return Severity.LOW
    if issue.test_id == "B202" and re.search(r"\bfilter\s*=", call):
        return Severity.LOW  # like bandit's members=<function>: the call validates members
    if issue.test_id == "B104" and (issue.lineno, issue.col_offset) in compared_strings(text):
        # ``if host == "0.0.0.0"``, ``host in ["0.0.0.0", "::"]``: a check of an address, not
        # a server bound to every interface (session 18: 3 of 40 sampled medium findings)
        return Severity.LOW
    return level


@lru_cache(maxsize=4)
def compared_strings(text: str) -> frozenset[tuple[int, int]]:
    """(line, column) of the string literals a comparison tests against: an operand of
    ``==``/``!=``/``in``, or an element of a list, tuple or set operand."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    out: set[tuple[int, int]] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        for operand in (node.left, *node.comparators):
            items = (
                operand.elts if isinstance(operand, ast.List | ast.Tuple | ast.Set) else [operand]
            )
            for item in items:
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    out.add((item.lineno, item.col_offset))
    return frozenset(out)


def plugin_severities(plugin: Any) -> set[Severity]:
    """The severities a bandit test plugin can report, read from its source: the values of
    ``severity=`` in the plugin function (and in its module's helpers when the function
    passes none itself), following a local name to what is assigned to it."""
    try:
        tree = ast.parse(inspect.getsource(inspect.getmodule(plugin) or plugin))
    except (OSError, TypeError, SyntaxError):
        return set()
    func = next(
        (
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef) and n.name == getattr(plugin, "__name__", "")
        ),
        None,
    )

    def levels(expr: ast.AST, scope: ast.AST, depth: int = 0) -> set[Severity]:
        out: set[Severity] = set()
        for n in ast.walk(expr):
            if isinstance(n, ast.Attribute) and n.attr in SEVERITIES:
                out.add(SEVERITIES[n.attr])
            elif isinstance(n, ast.Constant) and n.value in SEVERITIES:
                out.add(SEVERITIES[str(n.value)])
            elif isinstance(n, ast.Name) and depth < 2:
                for a in ast.walk(scope):
                    if isinstance(a, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == n.id for t in a.targets
                    ):
                        out |= levels(a.value, scope, depth + 1)
        return out

    def in_calls(scope: ast.AST) -> set[Severity]:
        found: set[Severity] = set()
        for n in ast.walk(scope):
            if isinstance(n, ast.Call):
                for kw in n.keywords:
                    if kw.arg == "severity":
                        found |= levels(kw.value, scope)
        return found

    return (in_calls(func) if func is not None else set()) or in_calls(tree)


def nosec_comments(source: bytes) -> dict[int, tuple[set[str] | None, str]]:
    """line -> (test ids named in the ``# nosec`` comment, or None for all; justification)."""
    extensions = _extensions()
    out: dict[int, tuple[set[str] | None, str]] = {}
    try:
        for tok in tokenize.tokenize(io.BytesIO(source).readline):
            if tok.type != tokenize.COMMENT:
                continue
            m = _NOSEC.search(tok.string)
            if not m:
                q = _NOQA_S.search(tok.string)
                codes = re.findall(r"S(\d{3})", q.group("codes")) if q else []
                if codes:
                    why = tok.string.lstrip("#").strip()
                    out[tok.start[0]] = ({f"B{c}" for c in codes}, f"(ruff) {why}")
                continue
            rest = m.group("rest").strip()
            tests: set[str] = set()
            words = re.findall(r"[A-Za-z0-9_]+", rest.split("#", 1)[0].split(" - ", 1)[0])
            for w in words:
                if re.fullmatch(r"B\d{3}", w):
                    tests.add(w)
                else:
                    tid = extensions.get_test_id(w)
                    if tid:
                        tests.add(tid)
            why = tok.string.lstrip("#").strip()
            out[tok.start[0]] = (tests or None, why)
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
        pass
    return out


def _suppression(
    nosecs: dict[int, tuple[set[str] | None, str]], test_id: str, lines: Sequence[int]
) -> str | None:
    for n in lines:
        entry = nosecs.get(n)
        if entry is None:
            continue
        tests, why = entry
        if tests is None or test_id in tests:
            return f"bandit {why}"
    return None


def _redact_literal(line: str, secret: str) -> str:
    """``line`` with the string literals whose value is ``secret`` redacted (all its string
    literals when none is: the value may be written with escapes)."""
    quoted = re.compile(r"""(?P<q>['"])""" + re.escape(secret) + r"(?P=q)")
    if quoted.search(line) is None:
        return _redact_strings(line)
    return quoted.sub(lambda m: m.group("q") + preview(secret) + m.group("q"), line)


def _redact_strings(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        v = m.group("v")
        return m.group("q") + preview(v) + m.group("q") if len(v) >= 1 else m.group(0)

    return _STRING.sub(repl, text)


def _manager() -> Any:
    _extensions()
    from bandit.core import config, manager

    conf = config.BanditConfig()
    return manager.BanditManager(
        conf, "file", debug=False, verbose=False, quiet=True, ignore_nosec=True
    )


def scan_files(
    files: Sequence[WorkspaceFile], disabled: frozenset[str] = frozenset(), key: bytes = b""
) -> Iterator[ScanItem]:
    # bandit's logging is chatty on bad files; we report those ourselves
    logging.getLogger("bandit").setLevel(logging.CRITICAL)
    with _LOCK:  # bandit keeps module-level state; one scan at a time
        mgr = _manager()
    for f in files:
        try:
            data = f.read_bytes()
        except Exception as exc:
            yield ScanError(SCANNER, f.path, f"cannot read file: {exc}")
            continue
        yield from scan_source(mgr, f.path, data, disabled, key)


def scan_source(
    mgr: Any, path: str, data: bytes, disabled: frozenset[str] = frozenset(), key: bytes = b""
) -> Iterator[ScanItem]:
    before = len(mgr.results)
    skipped_before = len(mgr.skipped)
    files_list = [path]
    mgr._parse_file(path, io.BytesIO(data), files_list)
    if len(mgr.skipped) > skipped_before:
        yield _syntax_error(path, data, mgr.skipped[-1][1])
        return
    issues = mgr.results[before:]
    del mgr.results[before:]  # keep memory flat over large trees
    if not issues:
        return
    text = data.decode("utf-8", "replace")
    lines = split_lines(text)
    nosecs = nosec_comments(data)
    in_tests = is_test_file(path)
    for issue in issues:
        rule_id = f"bandit/{issue.test_id}"
        if rule_id in disabled or (in_tests and issue.test_id == "B101"):
            continue
        yield _finding(issue, path, text, lines, nosecs, key)


def is_test_file(path: str) -> bool:
    """Test code, where ``assert`` (bandit B101) is the point, not a bug."""
    name = path.rsplit("/", 1)[-1]
    return (
        f"/{path}".find("/tests/") >= 0
        or f"/{path}".find("/test/") >= 0
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def _syntax_error(path: str, data: bytes, reason: str) -> ScanError | Note:
    try:
        ast.parse(data, filename=path)
    except SyntaxError as exc:
        if newer_syntax(exc, data):
            return Note(
                SCANNER,
                path,
                f"line {exc.lineno}: Python {sys.version_info.major}.{sys.version_info.minor} "
                "cannot parse this newer syntax (PEP 695 generics or type aliases, PEP 701 "
                "f-strings); not analysed. Run pipesec on Python 3.12 or later to analyse it.",
                "unsupported",
            )
        return ScanError(
            SCANNER,
            path,
            f"Python syntax error: {exc.msg}; not analysed (is it Python 2 or a template?)",
            exc.lineno or 0,
            exc.offset or 0,
        )
    except (ValueError, RecursionError) as exc:
        return ScanError(SCANNER, path, f"cannot parse Python: {exc}")
    except MemoryError:  # CPython's parser gives up on deep nesting (100,000 unary '-')
        return ScanError(SCANNER, path, "cannot parse Python: nested too deeply")
    return ScanError(SCANNER, path, f"bandit could not analyse the file: {reason}")


def newer_syntax(exc: SyntaxError, data: bytes) -> bool:
    """Whether a syntax error is this interpreter not knowing Python 3.12+ syntax."""
    if sys.version_info >= (3, 12):
        return False
    if exc.msg.startswith("f-string"):
        return True
    lines = split_lines(data.decode("utf-8", "replace"))
    at = (exc.lineno or 0) - 1
    return 0 <= at < len(lines) and _NEWER_SYNTAX.match(lines[at]) is not None


def _finding(
    issue: Any,
    path: str,
    text: str,
    lines: list[str],
    nosecs: dict[int, tuple[set[str] | None, str]],
    key: bytes = b"",
) -> Finding:
    line = int(issue.lineno) if isinstance(issue.lineno, int) else 0
    raw = lines[line - 1] if 0 < line <= len(lines) else ""
    message = str(issue.text)
    secret = ""
    if issue.test_id in SECRET_TESTS:
        m = _PASSWORD_IN_MESSAGE.search(message)
        if m and m.group(1):
            # only the secret's span: the rest of the message and line may share its letters
            secret = m.group(1)
            message = message[: m.start(1)] + preview(secret) + message[m.end(1) :]
            raw = _redact_literal(raw, secret)
        else:
            raw = _redact_strings(raw)
            message = _redact_strings(message)
    snippet = trim_snippet(raw, focus=int(getattr(issue, "col_offset", 0) or 0))
    cwe_obj = getattr(issue, "cwe", None)
    cwe_id = getattr(cwe_obj, "id", 0) if cwe_obj is not None else 0
    linerange = list(getattr(issue, "linerange", None) or [line])
    props: dict[str, Any] = {
        "bandit_test": issue.test,
        "bandit_severity": issue.severity,
        "bandit_confidence": issue.confidence,
    }
    why = _suppression(nosecs, issue.test_id, [line, *linerange])
    if why:
        props["suppressed"] = why
    col = int(getattr(issue, "col_offset", 0) or 0) + 1
    end_col = int(getattr(issue, "end_col_offset", 0) or 0)
    return Finding(
        rule_id=f"bandit/{issue.test_id}",
        scanner=SCANNER,
        title=_title(str(issue.test)),
        message=message,
        severity=reported_severity(
            issue,
            "\n".join(lines[line - 1 : max([line, *linerange])]),
            text,
        ),
        confidence=CONFIDENCES.get(str(issue.confidence).upper(), Confidence.MEDIUM),
        location=Location(
            path, line, col, max(linerange) if linerange else line, end_col + 1 if end_col else 0
        ),
        snippet=snippet,
        cwe=(f"CWE-{cwe_id}",) if cwe_id else (),
        references=(f"{DOCS}plugins/index.html#complete-test-plugin-listing",),
        remediation="See bandit's documentation of this test for safe alternatives.",
        tags=("sast", "python", "bandit"),
        # a password's identity is its keyed HMAC: it merges with the secrets scanner's finding
        identity=secret_identity(secret, key or fingerprint_key())
        if secret
        else text_identity(f"{issue.test_id} {snippet}"),
        properties=props,
    )
