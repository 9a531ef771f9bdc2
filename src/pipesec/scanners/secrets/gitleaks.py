"""gitleaks compatibility: a ``.gitleaks.toml`` (or ``--gitleaks-config FILE``) loaded as it is,
``.gitleaksignore`` fingerprints and ``gitleaks:allow`` comments honoured.

What is read (gitleaks v8 configuration, old and new allowlist forms):

- ``[[rules]]``: ``id``, ``description``, ``regex``, ``secretGroup``, ``entropy``,
  ``keywords``, ``path``, ``tags``, ``[rules.allowlist]`` / ``[[rules.allowlists]]``.
  Each becomes a :class:`SecretRule` with id ``gitleaks/<id>`` (lowercase). A rule with a
  ``path`` and no ``regex`` reports the file itself, as gitleaks does. Without
  ``secretGroup`` the secret is the first non-empty capture group (gitleaks' rule).
- The global ``[allowlist]`` / ``[[allowlists]]`` (``targetRules`` included): it applies
  to every rule, ours too, so a team's path and stopword exclusions keep working.
- Allowlist keys: ``paths``, ``regexes`` with ``regexTarget`` (secret, match, line),
  ``stopwords``, ``commits``, ``condition`` (OR, AND).
- ``[extend] useDefault = true``: pipesec's built-in rules stand in for gitleaks' default
  set (they always run); ``extend.path`` is followed only inside the scanned tree.

Go RE2 syntax is translated to Python ``re`` where the two differ (see :func:`convert_re2`).
An unreadable or invalid file is a ScanError naming the file, the rule and the line; the
rules that load keep working.

``.gitleaksignore`` lines ``file:rule:line`` and ``commit:file:rule:line`` mark matching
findings as suppressed (they stay visible in reports as such). A line naming one of the
configuration's own rules matches that rule; one naming a gitleaks default rule (which
pipesec does not ship under that name) matches any built-in secret rule at that file and
line.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipesec.core.errors import InputError
from pipesec.core.fingerprints import text_identity
from pipesec.core.model import Confidence, Finding, Location, Note, ScanError, Severity
from pipesec.core.workspace import inside_root
from pipesec.scanners.secrets.rules.base import SecretMatch, SecretRule

if TYPE_CHECKING:
    from pipesec.core.trust import PolicySource

log = logging.getLogger(__name__)

SCANNER = "secrets"
CONFIG_NAME = ".gitleaks.toml"
IGNORE_NAME = ".gitleaksignore"
ALLOW_COMMENT = "gitleaks:allow"
MAX_CONFIG_BYTES = 4 * 1024 * 1024
MAX_EXTEND_DEPTH = 2
#: rules one configuration may bring, ``extend.path`` included (gitleaks' own default set
#: has ~220): each is compiled into a Hyperscan database and may run on Python's regex, and
#: the scanned tree's configuration is hostile
MAX_RULES = 1000
#: allowlist regexes (``paths`` and ``regexes``) and stopwords one configuration file may
#: bring: every match of its rules is tested against them (180,000 regexes fit in 4 MB and
#: cost ~12 ms a match; gitleaks' own default configuration has a few dozen regexes and
#: ~1,500 stopwords)
MAX_ALLOWLIST_REGEXES = 1000
MAX_STOPWORDS = 10_000
_HEX_COMMIT = re.compile(r"^[0-9a-fA-F]{7,64}$")


class Re2Error(ValueError):
    """A RE2 construct with no Python ``re`` equivalent."""


# -- RE2 -> Python re ----------------------------------------------------------------------

_POSIX_CLASSES = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}
_UNICODE_CLASSES = {"L": "[^\\W\\d_]", "N": "\\d", "Nd": "\\d"}
_FLAG_GROUP = re.compile(r"\(\?([imsU]*)(?:-([imsU]*))?([):])")


@dataclass
class _Level:
    """One open group while translating: the scoped flag groups we opened in it (to close
    at its end and around each ``|``) and whether ``(?m)`` is in effect."""

    scoped: list[str] = field(default_factory=list)
    multiline: bool = False


def _multiline_after(current: bool, on: str, off: str) -> bool:
    return "m" in on or (current and "m" not in off)


def convert_re2(pattern: str) -> str:
    """Translate a Go RE2 pattern to Python ``re`` syntax, keeping RE2's meaning.

    Handled: flags in the middle of a pattern (``\\.(?i)(?:bin|css)$``: Python 3.11 only
    accepts global flags at the start, so they become scoped groups, closed at the end of
    the enclosing group and around each ``|``), ``(?<name>``, POSIX classes
    (``[[:alnum:]]``), ``\\z``, ``\\Q...\\E``, ``\\x{...}``, ``\\pL``/``\\p{N}``,
    ``{,n}`` (a literal in RE2), ``[`` and set operators inside classes (literals in RE2),
    ``$`` without ``(?m)`` (end of text only in RE2: ``\\Z``), and the ASCII-only classes
    ``\\d \\w \\s`` (Python's match Unicode digits, letters and spaces too).
    Raises :class:`Re2Error` for what Python cannot express (``(?U)``, ``\\C``, other
    Unicode classes, a repeated group that can match the empty string).
    """
    out: list[str] = []
    stack: list[_Level] = [_Level()]
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            piece, i = _escape(pattern, i, in_class=False)
            out.append(piece)
            continue
        if c == "[":
            piece, i = _char_class(pattern, i)
            out.append(piece)
            continue
        if c == "(":
            if pattern.startswith("(?", i):
                m = _FLAG_GROUP.match(pattern, i)
                if m is not None:
                    on, off, end = m.group(1), m.group(2) or "", m.group(3)
                    if "U" in on or "U" in off:
                        raise Re2Error("the (?U) ungreedy flag has no Python equivalent")
                    flags = on + (f"-{off}" if off else "")
                    i = m.end()
                    level = stack[-1]
                    if end == ":":
                        out.append(f"(?{flags}:" if flags else "(?:")
                        stack.append(_Level([], _multiline_after(level.multiline, on, off)))
                        continue
                    level.multiline = _multiline_after(level.multiline, on, off)
                    if not flags:
                        continue
                    if not out and len(stack) == 1 and not off:
                        out.append(f"(?{flags})")  # global flags at the very start
                    else:
                        out.append(f"(?{flags}:")
                        level.scoped.append(flags)
                    continue
                if pattern.startswith("(?<", i) and not pattern.startswith(("(?<=", "(?<!"), i):
                    out.append("(?P<")
                    i += 3
                    stack.append(_Level([], stack[-1].multiline))
                    continue
                if pattern.startswith("(?P<", i) or pattern.startswith("(?:", i):
                    token = pattern[i : i + (4 if pattern[i + 2] == "P" else 3)]
                    out.append(token)
                    i += len(token)
                    stack.append(_Level([], stack[-1].multiline))
                    continue
                raise Re2Error(f"unsupported group syntax at offset {i}")
            out.append("(")
            stack.append(_Level([], stack[-1].multiline))
            i += 1
            continue
        if c == ")":
            if len(stack) == 1:
                raise Re2Error(f"unbalanced ')' at offset {i}")
            out.append(")" * len(stack.pop().scoped))
            out.append(")")
            i += 1
            continue
        if c == "|":
            scoped = stack[-1].scoped
            out.append(")" * len(scoped) + "|" + "".join(f"(?{f}:" for f in scoped))
            i += 1
            continue
        if c == "{" and pattern.startswith("{,", i):
            out.append("\\{")
            i += 1
            continue
        if c == "$" and not stack[-1].multiline:
            out.append("\\Z")  # RE2: end of text; Python's $ also matches before a final \n
            i += 1
            continue
        out.append(c)
        i += 1
    if len(stack) != 1:
        raise Re2Error("missing ')'")
    out.append(")" * len(stack[0].scoped))
    converted = "".join(out)
    _check_empty_repeats(converted)
    return converted


def _check_empty_repeats(pattern: str) -> None:
    """RE2 ends a ``*``/``+``/``{n,}`` loop at an iteration that matches the empty string;
    Python goes on trying the other alternatives there (``(\\b|\\D)*`` on ``.A``: RE2
    matches ``.``, Python ``.A``). Such a loop has no faithful translation: refuse it."""
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError):
        return  # compiling it reports the problem
    repeats = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT}
    repeats |= {getattr(sre_parse, "POSSESSIVE_REPEAT", sre_parse.MAX_REPEAT)}

    def walk(items: Any) -> None:
        for op, av in items:
            if op in repeats:
                _lo, hi, body = av
                if hi > 1 and body.getwidth()[0] == 0:
                    raise Re2Error(
                        "a repeated group that can match the empty string repeats"
                        " differently in RE2 and Python"
                    )
                walk(body)
            elif op is sre_parse.SUBPATTERN:
                walk(av[-1])
            elif op is sre_parse.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
                walk(av[1])

    walk(parsed)


#: RE2's Perl classes are ASCII-only; Python's (on str) are Unicode
_ASCII_CLASSES = {
    "d": "[0-9]",
    "D": "[^0-9]",
    "w": "[0-9A-Za-z_]",
    "W": "[^0-9A-Za-z_]",
    "s": "[\\t\\n\\f\\r ]",
    "S": "[^\\t\\n\\f\\r ]",
}
_ASCII_IN_CLASS = {"d": "0-9", "w": "0-9A-Za-z_", "s": "\\t\\n\\f\\r "}


def _escape(
    pattern: str, i: int, *, in_class: bool, keep: frozenset[str] = frozenset()
) -> tuple[str, int]:
    """Translate the escape at ``pattern[i] == '\\'``; return (text, next index)."""
    if i + 1 >= len(pattern):
        raise Re2Error("trailing backslash")
    e = pattern[i + 1]
    if e == "z":
        return "\\Z", i + 2
    if in_class and e in _ASCII_IN_CLASS and e not in keep:
        return _ASCII_IN_CLASS[e], i + 2
    if not in_class and e in _ASCII_CLASSES:
        return _ASCII_CLASSES[e], i + 2
    if e == "C":
        raise Re2Error("\\C (any byte) has no Python equivalent")
    if e == "Q":
        end = pattern.find("\\E", i + 2)
        literal = pattern[i + 2 :] if end == -1 else pattern[i + 2 : end]
        nxt = len(pattern) if end == -1 else end + 2
        if in_class:
            return "".join(_class_literal(ch) for ch in literal), nxt
        return re.escape(literal), nxt
    if e == "x" and pattern.startswith("{", i + 2):
        end = pattern.find("}", i + 3)
        if end == -1:
            raise Re2Error("unterminated \\x{...}")
        try:
            code = int(pattern[i + 3 : end], 16)
            chr(code)
        except (ValueError, OverflowError):
            raise Re2Error(f"invalid \\x{{{pattern[i + 3 : end]}}}") from None
        return (f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}"), end + 1
    if e in "pP":
        if pattern.startswith("{", i + 2):
            end = pattern.find("}", i + 3)
            if end == -1:
                raise Re2Error("unterminated \\p{...}")
            name, nxt = pattern[i + 3 : end], end + 1
        else:
            name, nxt = pattern[i + 2 : i + 3], i + 3
        negate = e == "P"
        if name.startswith("^"):
            negate, name = not negate, name[1:]
        cls = _UNICODE_CLASSES.get(name)
        if cls is None or in_class or negate:
            raise Re2Error(f"Unicode class \\{e}{{{name}}} is not supported")
        return cls, nxt
    return pattern[i : i + 2], i + 2


def _class_literal(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[&~|" else ch


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    """Translate the class starting at ``pattern[i] == '['``."""
    out = ["["]
    j = i + 1
    n = len(pattern)
    # a class holding a Perl class and its complement ([\\s\\S]) matches everything in both
    # engines: keep those escapes as they are
    body = pattern[i + 1 : pattern.find("]", i + 2) if pattern.find("]", i + 2) != -1 else n]
    keep = frozenset(c for c in "dsw" if f"\\{c}" in body and f"\\{c.upper()}" in body)
    if j < n and pattern[j] == "^":
        out.append("^")
        j += 1
    first = True
    while j < n:
        c = pattern[j]
        if c == "]" and not first:
            out.append("]")
            return "".join(out), j + 1
        first = False
        if c == "[" and pattern.startswith("[:", j):
            end = pattern.find(":]", j + 2)
            name = pattern[j + 2 : end] if end != -1 else ""
            negated = name.startswith("^")
            key = name[1:] if negated else name
            if end != -1 and key in _POSIX_CLASSES:
                if negated:
                    raise Re2Error(f"negated POSIX class [:{name}:] is not supported")
                out.append(_POSIX_CLASSES[key])
                j = end + 2
                continue
        if c == "\\":
            piece, j = _escape(pattern, j, in_class=True, keep=keep)
            out.append(piece)
            continue
        if c in "[&~|":
            out.append("\\" + c)
        elif c == "-" and out[-1] == "-":
            out.append("\\-")
        else:
            out.append(c)
        j += 1
    raise Re2Error("missing ']'")


def backtracking_risk(pattern: str, *, alternatives: bool = False) -> str | None:
    """Why a (Python) regex from the scanned tree may take exponential time, or None.

    A repeat that can run many times around a sub-pattern that itself holds such a repeat
    (``(x+)+``, ``([a-z]+)*``, ``(a|b+){2,}``) gives a backtracking engine exponentially
    many ways to split a failing input. RE2 would run it in linear time, but the rules run
    on Python's ``re`` (they need its groups and offsets), so such a rule is refused.
    ``alternatives``: also a long repeat of alternatives one of which can match what
    another matches or a start of it (``(a|aa)+``, ``(?:[^a]|b)+``: :func:`_ambiguous_branch`),
    for the allowlist and path regexes; a rule's regex is not held to it (11 of
    betterleaks' 465 rules repeat ``(?:.|[\n\r]){0,32}?``, which did not blow up)."""
    from re import _parser  # type: ignore[attr-defined]

    repeats = {_parser.MAX_REPEAT, _parser.MIN_REPEAT, getattr(_parser, "POSSESSIVE_REPEAT", None)}

    def walk(items: Any, inside: bool) -> str | None:
        for op, av in items:
            if op in repeats:
                _lo, hi, sub = av
                many = hi is _parser.MAXREPEAT or hi > 1
                if many and inside:
                    return "a repeat inside a repeated group"
                long = hi is _parser.MAXREPEAT or hi >= _MANY
                if alternatives and long and _ambiguous_branch(sub, dotall):
                    return "a repeated group of alternatives that can start alike"
                found = walk(sub, inside or many)
                if found:
                    return found
            elif op is _parser.SUBPATTERN:
                found = walk(av[-1], inside)
                if found:
                    return found
            elif op is _parser.BRANCH:
                for branch in av[1]:
                    found = walk(branch, inside)
                    if found:
                        return found
            elif op in (_parser.ASSERT, _parser.ASSERT_NOT):
                found = walk(av[1], inside)
                if found:
                    return found
        return None

    try:
        parsed = _parser.parse(pattern)
        dotall = bool(parsed.state.flags & re.DOTALL)
        return walk(parsed, False)
    except (re.error, RecursionError, OverflowError):
        return "a pattern too complex to check"


#: a repeat this long around alternatives that can start alike is refused (``(a|aa)+``: the
#: ways to split ``aaa…a!`` grow as the Fibonacci numbers; ``(?:[\s|']|[\s|"]){0,3}``, in
#: gitleaks' own rules, tries at most 2**3)
_MANY = 16
#: the ASCII codes of the ``re`` categories (every one also holds characters past ASCII)
_CATEGORY_CODES = {
    "CATEGORY_DIGIT": frozenset(range(48, 58)),
    "CATEGORY_WORD": frozenset([*range(48, 58), *range(65, 91), *range(97, 123), 95]),
    "CATEGORY_SPACE": frozenset([9, 10, 11, 12, 13, 32]),
}
_ASCII = frozenset(range(128))


def _ambiguous_branch(sub: Any, dotall: bool = False) -> bool:
    """Whether the repeated ``sub`` holds alternatives of which one can match what another
    matches, or a start of it (``a|aa``, ``[^a]|b``): each repetition may then be split
    several ways. Each alternative is read as the run of single characters it starts with;
    two whose runs overlap at every place of the shorter one count as ambiguous (an
    alternative that starts with anything else has no run: ambiguous with every other)."""
    from re import _parser  # type: ignore[attr-defined]

    items = list(sub)
    while len(items) == 1 and items[0][0] is _parser.SUBPATTERN:
        items = list(items[0][1][-1])
    # ``re`` factors a common prefix out (``a|aa`` is ``a(?:|a)``): a branch among the
    # group's own items, after such a prefix, counts too
    for op, av in items:
        if op is not _parser.BRANCH:
            continue
        # an empty alternative ends this repetition: what follows is the next one's start
        again = _leading_run(items, dotall)
        runs = [_leading_run(list(alt), dotall) if alt else again for alt in av[1]]
        for i, a in enumerate(runs):
            for b in runs[i + 1 :]:
                if all((x[0] & y[0]) or (x[1] and y[1]) for x, y in zip(a, b, strict=False)):
                    return True
    return False


def _leading_run(
    items: list[Any], dotall: bool = False, limit: int = 64
) -> list[tuple[frozenset[int], bool]]:
    """The characters each of the first places of an alternative can hold (ASCII codes, and
    whether past ASCII), as far as each place is one character (``.`` is no newline but
    with ``(?s)``)."""
    from re import _parser  # type: ignore[attr-defined]

    run: list[tuple[frozenset[int], bool]] = []
    todo = list(items)
    while todo and len(run) < limit:
        op, av = todo.pop(0)
        if op is _parser.LITERAL:
            c = chr(av)
            codes = frozenset(ord(x) for x in {c, c.lower(), c.upper()} if ord(x) < 128)
            run.append((codes, av >= 128 or not codes))
        elif op is _parser.NOT_LITERAL:
            run.append((_ASCII - {av}, True))
        elif op is _parser.ANY:
            run.append((_ASCII if dotall else _ASCII - {10}, True))
        elif op is _parser.IN:
            run.append(_class_chars(av))
        elif op is _parser.SUBPATTERN:
            todo[:0] = list(av[-1])
        elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT) and av[0] == av[1] and av[0] <= limit:
            todo[:0] = list(av[2]) * av[0]
        else:
            break
    return run


def _class_chars(av: Any) -> tuple[frozenset[int], bool]:
    from re import _parser  # type: ignore[attr-defined]

    codes: set[int] = set()
    high = False
    negate = False
    for op, v in av:
        if op is _parser.NEGATE:
            negate = True
        elif op is _parser.LITERAL:
            codes.update(ord(x) for x in {chr(v), chr(v).lower(), chr(v).upper()} if ord(x) < 128)
            high = high or v >= 128
        elif op is _parser.RANGE:
            codes.update(range(v[0], min(v[1], 127) + 1))
            high = high or v[1] >= 128
        elif op is _parser.CATEGORY and str(v) in _CATEGORY_CODES:
            codes.update(_CATEGORY_CODES[str(v)])
            high = True
        else:  # a negated category and the like: anything
            return _ASCII, True
    if negate:
        return _ASCII - codes, True
    return frozenset(codes), high


def compile_re2(pattern: str) -> re.Pattern[str]:
    """A configuration's allowlist or path regex, on Python's ``re``; one that can backtrack
    exponentially is refused like a rule's regex (:func:`backtracking_risk`): the scanned
    tree's configuration is hostile, and an allowlist's ``paths = ['^(a+)+$']`` with a file
    named ``aaa…a!`` holding a secret hung the scan."""
    try:
        converted = convert_re2(pattern)
        compiled = re.compile(converted)
    except re.error as exc:
        raise Re2Error(str(exc)) from None
    risk = backtracking_risk(converted, alternatives=True)
    if risk is not None:
        raise Re2Error(
            f"{risk} can backtrack exponentially on the scanned text (Python's engine runs "
            "it); rewrite it without a repeated group that holds a repeat or alternatives "
            "that match alike"
        )
    return compiled


# -- configuration -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Allowlist:
    description: str = ""
    match_all: bool = False  # condition = "AND"
    commits: tuple[str, ...] = ()
    paths: tuple[re.Pattern[str], ...] = ()
    regex_target: str = "secret"  # secret | match | line
    regexes: tuple[re.Pattern[str], ...] = ()
    stopwords: tuple[str, ...] = ()

    def allows(self, *, secret: str, match: str, line: str, path: str, commit: str | None) -> bool:
        checks: list[bool] = []
        if self.commits:
            checks.append(commit_listed(commit, self.commits))
        if self.paths:
            checks.append(any(p.search(path) for p in self.paths))
        if self.regexes:
            target = {"match": match, "line": line}.get(self.regex_target, secret)
            checks.append(any(r.search(target) for r in self.regexes))
        if self.stopwords:
            low = secret.lower()
            checks.append(any(w in low for w in self.stopwords))
        if not checks:
            return False
        return all(checks) if self.match_all else any(checks)

    def allows_path(self, path: str, commit: str | None) -> bool:
        """Whether a whole file is allowed before any content is looked at."""
        if self.match_all:
            if self.regexes or self.stopwords or not (self.paths or self.commits):
                return False
            return (not self.paths or any(p.search(path) for p in self.paths)) and (
                not self.commits or commit_listed(commit, self.commits)
            )
        return any(p.search(path) for p in self.paths) or (
            bool(self.commits) and commit_listed(commit, self.commits)
        )


def commit_listed(commit: str | None, commits: Sequence[str]) -> bool:
    if not commit:
        return False
    c = commit.lower()
    return any(x and (c == x or (len(x) >= 7 and c.startswith(x))) for x in commits)


@dataclass(frozen=True, slots=True)
class PathRule:
    """A gitleaks rule with a ``path`` and no ``regex``: the file itself is the finding."""

    id: str
    title: str
    path: re.Pattern[str]


@dataclass
class GitleaksConfig:
    source: str = ""
    rules: list[SecretRule] = field(default_factory=list)
    path_rules: list[PathRule] = field(default_factory=list)
    #: rule ids whose secret is the first non-empty group (no secretGroup, several groups)
    first_group: set[str] = field(default_factory=set)
    rule_allowlists: dict[str, list[Allowlist]] = field(default_factory=dict)
    allowlists: list[Allowlist] = field(default_factory=list)
    #: gitleaks' own ids of the configuration's rules (lowercase)
    own_ids: set[str] = field(default_factory=set)
    problems: list[ScanError | Note] = field(default_factory=list)


def rule_id(gitleaks_id: str) -> str:
    return "gitleaks/" + gitleaks_id.strip().lower()


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


def _line_of(text: str, needle: str) -> int:
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 0


class _Loader:
    def __init__(
        self, root: Path | None, display: str, text: str, source: PolicySource | None = None
    ) -> None:
        self.root = root
        self.display = display
        self.text = text
        self.source = source  # the base revision in PR mode: extend.path is read there too
        self.cfg = GitleaksConfig(source=display)
        #: allowlist regexes and stopwords read so far (:data:`MAX_ALLOWLIST_REGEXES`)
        self.used = {"regexes": 0, "stopwords": 0}

    def room(self) -> int:
        """How many more rules the configuration may bring (:data:`MAX_RULES`)."""
        return MAX_RULES - len(self.cfg.rules) - len(self.cfg.path_rules)

    def too_many(self, skipped: int) -> None:
        self.error(
            f"more than {MAX_RULES} rules; the remaining {skipped} are skipped (each rule costs "
            "every scan work; split the configuration or drop unused rules)"
        )

    def error(self, message: str, needle: str = "") -> None:
        line = _line_of(self.text, needle) if needle else 0
        self.cfg.problems.append(ScanError(SCANNER, self.display, message, line))

    def strings(self, value: Any, where: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(f"{where} must be a list of strings")
            return []
        return list(value)

    def capped(self, values: list[str], kind: str, where: str) -> list[str]:
        """The first of ``values`` that the configuration's budget of ``kind`` (allowlist
        ``regexes`` or ``stopwords``: each is tested against every match) still holds."""
        limit = MAX_ALLOWLIST_REGEXES if kind == "regexes" else MAX_STOPWORDS
        room = limit - self.used[kind]
        if len(values) > room:
            self.error(
                f"{where}: more than {limit} allowlist {kind} in the configuration; the "
                f"remaining {len(values) - room} are ignored (each is tested against every match)"
            )
            values = values[: max(room, 0)]
        self.used[kind] += len(values)
        return values

    def regexes(self, values: list[str], where: str) -> list[re.Pattern[str]]:
        out = []
        for v in self.capped(values, "regexes", where):
            try:
                out.append(compile_re2(v))
            except Re2Error as exc:
                self.error(f"{where}: regex cannot be used ({exc}); it is ignored", v[:60])
        return out

    def allowlist(self, raw: Any, where: str) -> Allowlist | None:
        if not isinstance(raw, dict):
            self.error(f"{where} must be a table")
            return None
        cond = str(raw.get("condition") or "OR").upper()
        if cond not in ("OR", "||", "AND", "&&"):
            self.error(f"{where}.condition must be OR or AND, not {cond!r}")
            return None
        target = str(raw.get("regextarget") or "secret").lower()
        if target not in ("secret", "match", "line"):
            self.error(f"{where}.regexTarget must be secret, match or line, not {target!r}")
            return None
        return Allowlist(
            description=str(raw.get("description") or ""),
            match_all=cond in ("AND", "&&"),
            commits=tuple(c.lower() for c in self.strings(raw.get("commits"), f"{where}.commits")),
            paths=tuple(self.regexes(self.strings(raw.get("paths"), where), f"{where}.paths")),
            regex_target=target,
            regexes=tuple(
                self.regexes(self.strings(raw.get("regexes"), where), f"{where}.regexes")
            ),
            stopwords=self.stopwords_of(raw, where),
        )

    def stopwords_of(self, raw: Mapping[str, Any], where: str) -> tuple[str, ...]:
        words = [w.lower() for w in self.strings(raw.get("stopwords"), f"{where}.stopwords") if w]
        return tuple(self.capped(words, "stopwords", f"{where}.stopwords"))

    def allowlists(self, table: Mapping[str, Any], where: str) -> list[tuple[Allowlist, list[str]]]:
        found: list[tuple[Allowlist, list[str]]] = []
        old = table.get("allowlist")
        if old is not None:
            al = self.allowlist(old, f"{where}allowlist")
            if al is not None:
                targets = self.strings(
                    old.get("targetrules") if isinstance(old, dict) else None, "targetRules"
                )
                found.append((al, targets))
        new = table.get("allowlists")
        if new is not None:
            if not isinstance(new, list):
                self.error(f"{where}allowlists must be an array of tables ([[allowlists]])")
            else:
                for k, raw in enumerate(new):
                    al = self.allowlist(raw, f"{where}allowlists[{k}]")
                    if al is not None:
                        targets = self.strings(
                            raw.get("targetrules") if isinstance(raw, dict) else None,
                            "targetRules",
                        )
                        found.append((al, targets))
        return found

    def rule(self, raw: Any, index: int) -> None:
        where = f"rules[{index}]"
        if not isinstance(raw, dict):
            self.error(f"{where} must be a table ([[rules]])")
            return
        gid = raw.get("id")
        if not isinstance(gid, str) or not gid.strip():
            self.error(f"{where} has no id")
            return
        needle = gid
        ours = rule_id(gid)
        if not re.fullmatch(r"[A-Za-z0-9._-]+", gid.strip()):
            self.error(f"rule {gid!r}: id may hold only letters, digits, '.', '_' and '-'", needle)
            return
        if raw.get("required") or raw.get("skipreport"):
            self.cfg.problems.append(
                Note(
                    SCANNER,
                    self.display,
                    f"rule {gid!r}: composite rules ([[rules.required]], skipReport) are not "
                    "supported; the rule is loaded without them",
                    "unsupported",
                )
            )
        for al, _ in self.allowlists(raw, f"rule {gid!r} "):
            self.cfg.rule_allowlists.setdefault(ours, []).append(al)
        description = str(raw.get("description") or gid)
        title = description[:200]
        path_src = raw.get("path")
        path_re: re.Pattern[str] | None = None
        if path_src is not None:
            if not isinstance(path_src, str):
                self.error(f"rule {gid!r}: path must be a string", needle)
                return
            try:
                path_re = compile_re2(path_src)
            except Re2Error as exc:
                self.error(f"rule {gid!r}: path regex cannot be used ({exc})", needle)
                return
        regex = raw.get("regex")
        if regex is None or regex == "":
            if path_re is None:
                self.cfg.problems.append(
                    Note(
                        SCANNER,
                        self.display,
                        f"rule {gid!r} has neither regex nor path (it extends a gitleaks "
                        "default rule); pipesec's built-in rules stand in for gitleaks' defaults",
                        "unsupported",
                    )
                )
                return
            self.cfg.path_rules.append(PathRule(ours, title, path_re))
            self.cfg.own_ids.add(gid.strip().lower())
            return
        if not isinstance(regex, str):
            self.error(f"rule {gid!r}: regex must be a string", needle)
            return
        try:
            converted = convert_re2(regex)
            compiled = re.compile(converted)
        except (Re2Error, re.error) as exc:
            self.error(f"rule {gid!r}: regex cannot be used ({exc}); the rule is skipped", needle)
            return
        risk = backtracking_risk(converted)
        if risk is not None:
            self.error(
                f"rule {gid!r}: regex refused: {risk} can backtrack exponentially on the"
                " scanned text (Python's engine runs these rules); rewrite it without a"
                " repeated group that holds a repeat",
                needle,
            )
            return
        group_raw = raw.get("secretgroup", 0)
        if not isinstance(group_raw, int) or isinstance(group_raw, bool) or group_raw < 0:
            self.error(f"rule {gid!r}: secretGroup must be a non-negative integer", needle)
            return
        if group_raw > compiled.groups:
            self.error(
                f"rule {gid!r}: secretGroup {group_raw} but the regex has only "
                f"{compiled.groups} groups; the rule is skipped",
                needle,
            )
            return
        group = group_raw
        if group == 0 and compiled.groups == 1:
            group = 1
        elif group == 0 and compiled.groups > 1:
            self.cfg.first_group.add(ours)
        entropy = raw.get("entropy")
        if entropy is not None and (
            not isinstance(entropy, int | float) or isinstance(entropy, bool)
        ):
            self.error(f"rule {gid!r}: entropy must be a number", needle)
            return
        keywords = tuple(k.lower() for k in self.strings(raw.get("keywords"), "keywords") if k)
        tags = tuple(t for t in self.strings(raw.get("tags"), "tags") if t)
        self.cfg.own_ids.add(gid.strip().lower())
        self.cfg.rules.append(
            SecretRule(
                id=ours,
                provider=f"gitleaks rule {gid}",
                title=title,
                severity=Severity.HIGH,
                regex=converted,
                secret_group=group,
                keywords=keywords,
                entropy=float(entropy) if entropy else None,
                path_regex=path_re.pattern if path_re is not None else None,
                re2_regex=regex,
                description=f"Custom rule {gid!r} from the gitleaks configuration "
                f"{self.display}: {description}",
                confidence=Confidence.MEDIUM,
                tags=("gitleaks", *tags),
            )
        )

    def load(self, depth: int = 0) -> GitleaksConfig:
        try:
            doc = _lower_keys(tomllib.loads(self.text))
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"line (\d+)", str(exc))
            self.cfg.problems.append(
                ScanError(
                    SCANNER,
                    self.display,
                    f"invalid TOML: {exc}; no gitleaks rule from it is used",
                    int(m.group(1)) if m else 0,
                )
            )
            return self.cfg
        except RecursionError:
            self.cfg.problems.append(
                ScanError(
                    SCANNER,
                    self.display,
                    "invalid TOML: nested too deeply; no gitleaks rule from it is used",
                )
            )
            return self.cfg
        rules = doc.get("rules", [])
        if not isinstance(rules, list):
            self.error("rules must be an array of tables ([[rules]])")
            rules = []
        seen: set[str] = set()
        for k, raw in enumerate(rules):
            if self.room() <= 0:
                self.too_many(len(rules) - k)
                break
            gid = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(gid, str) and gid.lower() in seen:
                self.error(f"rule {gid!r} is defined twice; the second is skipped", gid)
                continue
            if isinstance(gid, str):
                seen.add(gid.lower())
            self.rule(raw, k)
        for al, targets in self.allowlists(doc, ""):
            if targets:
                for t in targets:
                    self.cfg.rule_allowlists.setdefault(rule_id(t), []).append(al)
            else:
                self.cfg.allowlists.append(al)
        extend = doc.get("extend")
        if isinstance(extend, dict) and isinstance(extend.get("path"), str) and extend["path"]:
            self._extend(extend["path"], depth)
        return self.cfg

    def _extend(self, rel: str, depth: int) -> None:
        if depth + 1 >= MAX_EXTEND_DEPTH + 1 or self.root is None:
            self.error(f"extend.path {rel!r} is not followed (depth limit or no scan root)")
            return
        target = self.root / rel
        if not inside_root(self.root, target):
            self.error(f"extend.path {rel!r} points outside the scanned tree; not followed")
            return
        if self.source is not None:
            import posixpath

            sub = load_from(self.source, posixpath.normpath(rel), self.root, depth + 1)
        else:
            sub = load_file(target, self.root, depth + 1)
        known = {r.id for r in self.cfg.rules} | {r.id for r in self.cfg.path_rules}
        added = [r for r in sub.rules if r.id not in known]
        added_paths = [r for r in sub.path_rules if r.id not in known]
        room = self.room()
        if len(added) + len(added_paths) > room:
            self.too_many(len(added) + len(added_paths) - room)
            added_paths = added_paths[: max(room - len(added), 0)]
            added = added[:room]
        self.cfg.rules.extend(added)
        self.cfg.path_rules.extend(added_paths)
        self.cfg.first_group |= {r for r in sub.first_group if r not in known}
        for k, v in sub.rule_allowlists.items():
            self.cfg.rule_allowlists.setdefault(k, []).extend(v)
        self.cfg.allowlists.extend(sub.allowlists)
        self.cfg.own_ids |= sub.own_ids
        self.cfg.problems.extend(sub.problems)


def load_text(text: str, display: str, root: Path | None = None) -> GitleaksConfig:
    """Parse a gitleaks TOML configuration (problems are collected, never raised)."""
    return _Loader(root, display, text).load()


def load_file(path: Path, root: Path | None = None, depth: int = 0) -> GitleaksConfig:
    display = _display(path, root)
    try:
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            cfg = GitleaksConfig(source=display)
            cfg.problems.append(
                ScanError(SCANNER, display, f"gitleaks config is {size} bytes; over 4 MB")
            )
            return cfg
        raw = path.read_bytes()
    except OSError as exc:
        cfg = GitleaksConfig(source=display)
        cfg.problems.append(
            ScanError(SCANNER, display, f"cannot read gitleaks config: {exc.strerror}")
        )
        return cfg
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        cfg = GitleaksConfig(source=display)
        cfg.problems.append(
            ScanError(SCANNER, display, f"gitleaks config is not UTF-8 (byte {exc.start})")
        )
        return cfg
    return _Loader(root, display, text).load(depth)


def load_from(source: PolicySource, rel: str, root: Path | None, depth: int = 0) -> GitleaksConfig:
    """A gitleaks configuration read through a policy source (the base revision in PR mode)."""
    display = source.describe(rel)
    cfg = GitleaksConfig(source=display)
    try:
        raw = source.read(rel)
    except InputError as exc:
        cfg.problems.append(ScanError(SCANNER, display, exc.message))
        return cfg
    if raw is None:
        return cfg
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        cfg.problems.append(
            ScanError(SCANNER, display, f"gitleaks config is not UTF-8 (byte {exc.start})")
        )
        return cfg
    return _Loader(root, display, text, source).load(depth)


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


# -- .gitleaksignore -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    path: str
    rule: str  # gitleaks rule id, lowercase
    line: int
    commit: str = ""


def parse_ignore(text: str) -> list[IgnoreEntry]:
    """Parse ``.gitleaksignore``: ``file:rule:line`` or ``commit:file:rule:line`` per line."""
    out = []
    for raw in text.split("\n"):  # as gitleaks reads it: \n-separated lines
        s = raw.strip()
        if not s or s.startswith("#"):
            continue
        parts = s.rsplit(":", 2)
        if len(parts) != 3 or not parts[2].isdigit():
            continue
        head, rule, line = parts
        commit = ""
        first, sep, rest = head.partition(":")
        if sep and _HEX_COMMIT.match(first) and rest:
            commit, head = first.lower(), rest
        out.append(IgnoreEntry(_norm_path(head), rule.strip().lower(), int(line), commit))
    return out


def _norm_path(p: str) -> str:
    p = p.strip().replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


# -- the compatibility layer the scanner uses ----------------------------------------------


class GitleaksCompat:
    """Everything gitleaks-related one scan needs; empty (a no-op) when no file exists."""

    def __init__(
        self,
        config: GitleaksConfig | None = None,
        ignores: Sequence[IgnoreEntry] = (),
        *,
        ignore_source: str = IGNORE_NAME,
        own_rules_only: bool = False,
    ) -> None:
        self.config = config or GitleaksConfig()
        self.ignores = list(ignores)
        self.ignore_source = ignore_source
        #: the tree's allowlists and ignores narrow only its own gitleaks/* rules (the
        #: operator passed --config: the tree must not drop built-in rules' findings)
        self.own_rules_only = own_rules_only
        #: allowlisted matches, by place: they become suppressed findings, never vanish
        self._allowed: dict[tuple[str, int, int, str, str], str] = {}
        self._by_place: dict[tuple[str, int], list[IgnoreEntry]] = {}
        for e in self.ignores:
            self._by_place.setdefault((e.path, e.line), []).append(e)

    @classmethod
    def load(
        cls,
        root: Path,
        explicit: str | None = None,
        source: PolicySource | None = None,
        *,
        own_rules_only: bool = False,
    ) -> GitleaksCompat:
        """``explicit`` (``--gitleaks-config``) wins over ``.gitleaks.toml``, which is read
        from ``source`` (the working tree by default; the base revision in PR mode)."""
        from pipesec.core.trust import TreeSource

        root = root if root.is_dir() else root.parent
        source = source or TreeSource(root)
        config: GitleaksConfig | None = None
        if explicit:
            config = load_file(Path(explicit), root)
            own_rules_only = False  # the operator's own file
        elif isinstance(source, TreeSource):
            if (root / CONFIG_NAME).is_file() and inside_root(root, root / CONFIG_NAME):
                config = load_file(root / CONFIG_NAME, root)
        else:
            config = load_from(source, CONFIG_NAME, root)
        ignores: list[IgnoreEntry] = []
        try:
            raw = source.read(IGNORE_NAME)
            if raw is not None:
                ignores = parse_ignore(raw.decode("utf-8", "replace"))
        except InputError as exc:
            config = config or GitleaksConfig()
            config.problems.append(ScanError(SCANNER, IGNORE_NAME, exc.message))
        shown = IGNORE_NAME if isinstance(source, TreeSource) else source.describe(IGNORE_NAME)
        return cls(config, ignores, ignore_source=shown, own_rules_only=own_rules_only)

    @property
    def rules(self) -> list[SecretRule]:
        return list(self.config.rules)

    @property
    def problems(self) -> list[ScanError | Note]:
        return list(self.config.problems)

    def active(self) -> bool:
        c = self.config
        return bool(c.rules or c.path_rules or c.allowlists or c.rule_allowlists or self.ignores)

    def path_allowed(self, path: str, commit: str | None = None) -> bool:
        """The global allowlist skips this whole file (gitleaks checks paths first)."""
        if self.own_rules_only:
            return False
        return any(a.allows_path(path, commit) for a in self.config.allowlists)

    def _applies(self, rule: str) -> bool:
        return not self.own_rules_only or rule.startswith("gitleaks/")

    def filter(
        self,
        matches: Iterable[SecretMatch],
        text: str | None,
        path: str,
        commit: str | None = None,
        *,
        keep_allowed: bool = False,
    ) -> Iterator[SecretMatch]:
        """Apply gitleaks semantics to the engine's matches in one text.

        ``text`` is the whole text the offsets refer to (None for a streamed file: then the
        ``match`` and ``line`` allowlist targets see the secret alone). With
        ``keep_allowed`` an allowlisted match is kept and remembered, so that :meth:`mark`
        shows its finding as suppressed instead of dropping it silently.
        """
        for m in matches:
            if m.rule.id in self.config.first_group:
                refined = _first_nonempty_group(m, text)
                if refined is None:
                    continue
                m = refined
            allowlists = [*self.config.allowlists, *self.config.rule_allowlists.get(m.rule.id, ())]
            if not allowlists or not self._applies(m.rule.id):
                yield m
                continue
            whole, line = m.value, m.value
            if text is not None:
                ms = m.match_start if m.match_start >= 0 else m.start
                me = m.match_end if m.match_end >= 0 else m.end
                whole = text[ms:me]
                line_start = text.rfind("\n", 0, m.start) + 1
                line_end = text.find("\n", m.end)
                line = text[line_start : line_end if line_end != -1 else len(text)]
            allowed = next(
                (
                    a
                    for a in allowlists
                    if a.allows(secret=m.value, match=whole, line=line, path=path, commit=commit)
                ),
                None,
            )
            if allowed is None:
                yield m
            elif keep_allowed:
                what = f": {allowed.description}" if allowed.description else ""
                key = (path, m.line, m.column, m.rule.id, commit or "")
                self._allowed[key] = f"gitleaks allowlist in {self.config.source}{what}"
                yield m

    def allowlisted(self, m: SecretMatch, path: str, commit: str | None) -> bool:
        return (path, m.line, m.column, m.rule.id, commit or "") in self._allowed

    def path_findings(self, path: str, commit: str | None = None) -> list[Finding]:
        """Findings of path-only rules (a rule with ``path`` and no ``regex``)."""
        out = []
        for r in self.config.path_rules:
            if not r.path.search(path):
                continue
            if any(a.allows_path(path, commit) for a in self.config.rule_allowlists.get(r.id, ())):
                continue
            out.append(
                Finding(
                    rule_id=r.id,
                    scanner=SCANNER,
                    title=r.title,
                    message=f"{r.title} ({r.id}): the file's path matches the rule",
                    severity=Severity.HIGH,
                    confidence=Confidence.MEDIUM,
                    location=Location(path, commit=commit),
                    tags=("secret", "gitleaks"),
                    identity=text_identity(f"path:{path}"),
                    properties={"provider": "gitleaks"},
                )
            )
        return out

    def mark(self, finding: Finding, line_text: str | None = None) -> Finding:
        """Mark a finding listed in ``.gitleaksignore`` (or on a ``gitleaks:allow`` line)
        as suppressed; the core moves it to the suppressed list."""
        if not self._allowed and not self._by_place and not finding.location.commit:
            return finding  # nothing allowlisted or listed (most scans): nothing to mark
        if finding.properties.get("suppressed"):
            return finding
        why, by = "", ""
        loc = finding.location
        place = (loc.path, loc.start_line, loc.start_column, finding.rule_id, loc.commit or "")
        if place in self._allowed:
            why, by = self._allowed[place], "allowlist"
        elif loc.commit and line_text is not None and ALLOW_COMMENT in line_text:
            why, by = "peer: gitleaks", "peer"  # history: the core has no file to read
        elif not self._applies(finding.rule_id):
            return finding
        else:
            entry = self._ignored(finding)
            if entry is not None:
                why, by = f"listed in {self.ignore_source}", "ignore-file"
        if not why:
            return finding
        props = {**finding.properties, "suppressed": why, "suppressed_by": by}
        return replace(finding, properties=props)

    def _ignored(self, f: Finding) -> IgnoreEntry | None:
        loc = f.location
        for e in self._by_place.get((loc.path, loc.start_line), ()):
            if e.commit and not commit_listed(loc.commit, (e.commit,)):
                continue
            if self._rule_matches(e.rule, f.rule_id):
                return e
        return None

    def _rule_matches(self, gitleaks_rule: str, ours: str) -> bool:
        if ours.lower() == rule_id(gitleaks_rule):
            return True
        if gitleaks_rule in self.config.own_ids:
            return False
        return not ours.startswith("gitleaks/")


def _first_nonempty_group(m: SecretMatch, text: str | None) -> SecretMatch | None:
    """gitleaks' rule without ``secretGroup``: the secret is the first non-empty group."""
    if text is None:
        return m
    ms = m.match_start if m.match_start >= 0 else m.start
    me = m.match_end if m.match_end >= 0 else m.end
    mm = m.rule.compiled().fullmatch(text, ms, me)
    if mm is None:
        return m
    for g in range(1, mm.re.groups + 1):
        value = mm.group(g)
        if not value:
            continue
        s, e = mm.span(g)
        line_start = text.rfind("\n", 0, s) + 1
        if s >= m.start:
            line = m.line + text.count("\n", m.start, s)
        else:
            line = m.line - text.count("\n", s, m.start)
        nl = text.count("\n", s, e)
        end_col = (e - (text.rfind("\n", s, e) + 1) + 1) if nl else (e - line_start + 1)
        return replace(
            m,
            value=value,
            start=s,
            end=e,
            line=line,
            column=s - line_start + 1,
            end_line=line + nl,
            end_column=end_col,
        )
    return None
