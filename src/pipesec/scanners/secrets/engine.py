"""The secret detection engine: one multi-pattern pass, exact regexes only near candidates.

With Hyperscan (the ``hyperscan`` wheel) every rule's regex is compiled, in prefilter mode,
into one database that scans the text once and reports where a rule *could* end. Only a
window around each such position (the rule's maximum match width before it, a small
margin after) is then searched with the rule's exact Python regex. Without Hyperscan each
rule whose keywords occur in the text is searched with its Python regex over the whole
text. Both paths run the same exact regexes and the same filters, so their results are
identical (tests prove it on a generated corpus, bench/ on the whole corpus).

Rules are bounded (every quantifier has a maximum), so the regex work per candidate is
bounded and a hostile single-line file is scanned in linear time. The compiled Hyperscan
database is cached in the user cache directory, keyed by the hash of the rule set.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from pipesec.core.model import Confidence, Severity
from pipesec.scanners.secrets import decoding, filters, placeholders
from pipesec.scanners.secrets.rules.base import SecretMatch, SecretRule, shannon_entropy
from pipesec.scanners.secrets.rules.generic import KIND as _KIND

log = logging.getLogger(__name__)

#: characters searched on each side of a candidate window (lookarounds, boundaries)
CONTEXT = 16
#: window used for a rule whose regex has no maximum width
UNBOUNDED_WINDOW = 2048
#: largest window any rule may ask for (private key blocks)
MAX_WINDOW = 16384
_CONT_BYTES = bytes(range(0x80, 0xC0))
_MAXREPEAT = int(sre_parse.MAXREPEAT)


@lru_cache(maxsize=4096)
def max_width(pattern: str) -> int:
    """Maximum width of a regex match, capped (unbounded patterns get UNBOUNDED_WINDOW)."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError):  # pragma: no cover - compiled elsewhere first
        return UNBOUNDED_WINDOW
    return _width_of(parsed)


def _width_of(parsed: Any) -> int:
    try:
        hi = int(parsed.getwidth()[1])
    except OverflowError:  # pragma: no cover - compiled elsewhere first
        return UNBOUNDED_WINDOW
    if hi >= _MAXREPEAT:
        return UNBOUNDED_WINDOW
    return min(hi, MAX_WINDOW)


@lru_cache(maxsize=4096)
def analysed(pattern: str) -> tuple[int, bool, str]:
    """``(max_width, one_line, leading_literal)`` of ``pattern`` from one parse: a rule's
    regex is parsed in pure Python (about 1.5 M instructions for a keyed rule's), so the
    engine parses each rule that sees a hit once, not once per question."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError):  # pragma: no cover - compiled elsewhere first
        return UNBOUNDED_WINDOW, False, ""
    return _width_of(parsed), _one_line_of(parsed), _literal_of(parsed)


#: character classes without a newline (any other category may hold one)
_NO_NEWLINE = frozenset(
    {
        sre_parse.CATEGORY_DIGIT,
        sre_parse.CATEGORY_NOT_SPACE,
        sre_parse.CATEGORY_WORD,
        sre_parse.CATEGORY_NOT_LINEBREAK,
        sre_parse.CATEGORY_UNI_DIGIT,
        sre_parse.CATEGORY_UNI_NOT_SPACE,
        sre_parse.CATEGORY_UNI_WORD,
        sre_parse.CATEGORY_UNI_NOT_LINEBREAK,
    }
)
_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT)


@lru_cache(maxsize=4096)
def one_line(pattern: str) -> bool:
    """Whether no match of ``pattern`` can hold a newline (lookarounds and anchors may still
    read one: they consume nothing). Unknown constructs count as holding one."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError):  # pragma: no cover - compiled elsewhere first
        return False
    return _one_line_of(parsed)


def _one_line_of(parsed: Any) -> bool:
    return not _holds_newline(parsed.data, bool(parsed.state.flags & re.DOTALL), set())


def _holds_newline(items: Any, dotall: bool, groups: set[int]) -> bool:
    """Whether the parsed ``items`` may consume a newline (``groups``: the groups seen so
    far outside lookarounds, whose back-references repeat what they hold)."""
    for op, av in items:
        if op is sre_parse.LITERAL:
            if av == 10:
                return True
        elif op is sre_parse.NOT_LITERAL:
            if av != 10:
                return True
        elif op is sre_parse.ANY:
            if dotall:
                return True
        elif op is sre_parse.IN:
            if _set_has_newline(av):
                return True
        elif op in _REPEATS:
            if av[1] > 0 and _holds_newline(av[2], dotall, groups):
                return True
        elif op is sre_parse.SUBPATTERN:
            group, add, remove, sub = av
            inner = (dotall or bool(add & re.DOTALL)) and not remove & re.DOTALL
            if _holds_newline(sub, inner, groups):
                return True
            if group is not None:
                groups.add(group)
        elif op is sre_parse.ATOMIC_GROUP:
            if _holds_newline(av, dotall, groups):
                return True
        elif op is sre_parse.BRANCH:
            if any(_holds_newline(b, dotall, groups) for b in av[1]):
                return True
        elif op is sre_parse.GROUPREF:
            if av not in groups:  # defined in a lookaround, or later: unknown
                return True
        elif op not in (sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            return True
    return False


def _set_has_newline(items: Any) -> bool:
    """Whether a character set (``[...]``, ``\\s``) holds the newline."""
    negate = False
    found = False
    for op, av in items:
        if op is sre_parse.NEGATE:
            negate = True
        elif op is sre_parse.LITERAL:
            found = found or av == 10
        elif op is sre_parse.RANGE:
            found = found or av[0] <= 10 <= av[1]
        elif op is sre_parse.CATEGORY:
            found = found or av not in _NO_NEWLINE
        else:
            return True
    return found != negate


def leading_literal(pattern: str) -> str:
    """The characters every match of ``pattern`` starts with, matched case-sensitively
    (``rnd_`` for ``(rnd_(?<!...)[0-9A-Za-z]{32})``): literals, through groups and past
    lookarounds and anchors (they consume nothing); "" when there are none or the regex
    ignores case (``(?i:s)`` also matches a long s, which lowers to itself)."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError):  # pragma: no cover - compiled elsewhere first
        return ""
    return _literal_of(parsed)


def _literal_of(parsed: Any) -> str:
    if parsed.state.flags & re.IGNORECASE:
        return ""
    out: list[str] = []
    _lead_literals(parsed.data, out)
    return "".join(out)


def _lead_literals(items: Any, out: list[str]) -> bool:
    """Append the leading literals of ``items`` to ``out``; whether all of them were."""
    for op, av in items:
        if op is sre_parse.LITERAL:
            out.append(chr(av))
        elif op in (sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            continue
        elif op is sre_parse.SUBPATTERN:
            _group, add, _remove, sub = av
            if add & re.IGNORECASE or not _lead_literals(sub, out):
                return False
        else:
            return False
    return True


#: a lazily worked out attribute not worked out yet
_UNSET: Any = object()


def _re2_compiled(source: str) -> Any:
    """``source`` compiled by google-re2 (errors not logged), or None."""
    try:
        import re2

        options = re2.Options()
        options.log_errors = False
        return re2.compile(source, options)
    except Exception:  # not installed, or a pattern RE2 refuses: Python's regex alone
        log.debug("RE2 cannot compile %r", source[:80], exc_info=True)
        return None


class _Prepared:
    """A rule ready to run. Its regex and windows (a regex parse each) are worked out on
    first use: most rules never see a candidate in a given process."""

    __slots__ = (
        "_keyword_in_match",
        "_lead",
        "_locator",
        "_one_line",
        "_pattern",
        "_window",
        "allow",
        "generic",
        "index",
        "keywords",
        "kind",
        "path",
        "rule",
        "weak",
    )

    def __init__(
        self,
        rule: SecretRule,
        keywords: tuple[str, ...],
        allow: tuple[re.Pattern[str], ...],
        path: re.Pattern[str] | None,
        generic: bool,
        index: int,
    ) -> None:
        self.rule = rule
        #: the rule's place in its engine's rules
        self.index = index
        self._pattern: re.Pattern[str] | None = None
        self.keywords = keywords
        self.allow = allow
        self.path = path
        self.generic = generic
        #: the generic filters that judge a match with its key, line and file (None: the
        #: value alone), and the strong rule's entropy floor and length for weak ones
        self.kind = _KIND.get(rule.id) or (
            filters.Kind(filters.URL) if "url" in rule.tags else None
        )
        #: index of the rule that reports this one's weak passwords (-1: none)
        self.weak = -1
        self._window = -2
        self._lead = -2
        self._one_line: bool | None = None
        self._keyword_in_match: bool | None = None
        self._locator: Any = _UNSET

    @property
    def locator(self) -> Any:
        """The rule's ``re2_regex`` compiled by RE2 (linear time whatever the pattern), or
        None: no such form, google-re2 missing, or RE2 refuses it."""
        if self._locator is _UNSET:
            self._locator = _re2_compiled(self.rule.re2_regex) if self.rule.re2_regex else None
        return self._locator

    def matches(self, text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
        """The rule's regex matches in ``text[lo:hi]``. Over a whole text a rule with an RE2
        form is located by RE2 and its regex tried once at each start RE2 found (the same
        leftmost-first matches: the two are one pattern in two syntaxes), so a pattern that
        backtracks polynomially on Python's engine (``[a-z]{1,900}!`` over a long run of
        letters) costs its matches, not the square of the text."""
        locator = self.locator if lo == 0 and hi == len(text) else None
        if locator is None:
            yield from self.pattern.finditer(text, lo, hi)
            return
        pattern = self.pattern
        for found in locator.finditer(text):
            m = pattern.match(text, found.start())
            if m is not None:
                yield m

    @property
    def pattern(self) -> re.Pattern[str]:
        """The rule's compiled regex (rule sources are validated when they are loaded)."""
        if self._pattern is None:
            self._pattern = self.rule.compiled()
        return self._pattern

    @property
    def window(self) -> int:
        """Maximum width of the rule's regex."""
        if self._window == -2:
            self._window = analysed(self.rule.regex)[0]
        return self._window

    @property
    def one_line(self) -> bool:
        """Whether no match of the rule's regex holds a newline."""
        if self._one_line is None:
            self._one_line = analysed(self.rule.regex)[1]
        return self._one_line

    @property
    def keyword_in_match(self) -> bool:
        """Whether every match of the rule's regex holds one of its keywords (in its
        leading literal): a text the regex matches in holds the keyword, so the keyword
        test before the regex runs may be skipped."""
        if self._keyword_in_match is None:
            literal = analysed(self.rule.regex)[2].lower()
            self._keyword_in_match = any(k in literal for k in self.keywords)
        return self._keyword_in_match

    @property
    def lead(self) -> int:
        """Width of the prefilter pattern when it differs from the regex (it matches a
        prefix), else -1."""
        if self._lead == -2:
            self._lead = max_width(self.rule.prefilter) if self.rule.prefilter else -1
        return self._lead

    @property
    def geometry(self) -> tuple[int, int, bool]:
        """The window searched around a hit at ``end``, ``(end - back, end + ahead)``, as
        ``(back, ahead, one_line)`` (the engine keeps it per rule: ``_geometries``)."""
        if self.lead < 0:  # the hit ends where the match ends
            return (self.window + CONTEXT, CONTEXT, self.one_line)
        # the hit is a prefix of the match
        return (self.lead + CONTEXT, self.window + CONTEXT, self.one_line)


#: three-character prefixes many providers share: a value that starts with one and fails one
#: provider's rule may well be another provider's key
_SHARED_PREFIXES = frozenset({"sk-", "sk_", "pk_", "rk_", "re_", "up_"})


def _distinct_prefix(prefix: str) -> bool:
    """Whether a provider's literal prefix tells its tokens apart: four characters or more,
    or three that hold a digit or a separator (NuGet ``oy2``, Backblaze ``K00``, ``hf_``)."""
    if len(prefix) >= 4:
        return True
    return (
        len(prefix) == 3
        and prefix not in _SHARED_PREFIXES
        and any(c.isdigit() or c in "_.-" for c in prefix)
    )


class SecretEngine:
    """Finds secrets in text with a fixed set of rules. Thread-safe after construction."""

    #: one finding per secret span, by the most specific rule (``_one_per_span``); False
    #: (:meth:`every_reading`) keeps every rule's match, for tests of a rule's own forms
    one_per_span = True

    def __init__(
        self,
        rules: Sequence[SecretRule],
        *,
        use_hyperscan: bool | None = None,
        cache_dir: Path | None = None,
        extra: Sequence[SecretRule] = (),
    ) -> None:
        """``extra``: a configuration's own rules, run after ``rules``; with Hyperscan they
        are compiled as a database of their own (``hsdb.load``'s ``split``), so the
        database of ``rules`` is the one an engine without them uses (cached once)."""
        prepared: list[_Prepared] = []
        seen: set[str] = set()
        #: where the configuration's own rules start (None: there are none)
        self._split = len(rules) if extra and rules else None
        rules = [*rules, *extra]
        for rule in rules:
            if rule.id in seen:
                raise ValueError(f"duplicate secret rule id {rule.id!r}")
            seen.add(rule.id)
            prepared.append(
                _Prepared(
                    rule=rule,
                    keywords=tuple(k.lower() for k in rule.keywords),
                    allow=tuple(re.compile(a) for a in rule.allow_regexes),
                    path=re.compile(rule.path_regex) if rule.path_regex else None,
                    generic="generic" in rule.tags,
                    index=len(prepared),
                )
            )
        index = {p.rule.id: i for i, p in enumerate(prepared)}
        for p in prepared:
            if p.kind is not None and p.kind.weak is not None:
                p.weak = index.get(p.kind.weak, -1)
        self._rules = prepared
        #: each rule's window geometry (``_Prepared.geometry``), filled on a rule's first hit
        self._geometries: list[tuple[int, int, bool] | None] = [None] * len(prepared)
        #: the order in which _find runs rules: providers, then decoders (by kind), then
        #: generic rules
        kinds = sorted({(p.generic, p.rule.decoder) for p in prepared})
        self._rank = [kinds.index((p.generic, p.rule.decoder)) for p in prepared]
        #: literal prefixes of provider tokens: a generic match starting with one is a token
        #: of the wrong shape (length, alphabet) that its provider rule refused
        self._prefixes: tuple[str, ...] = tuple(
            sorted({p.rule.prefix for p in prepared if _distinct_prefix(p.rule.prefix)})
        )
        #: the same, by first character (a match is tested against a few, not ~250)
        self._prefixes_by_first: dict[str, tuple[str, ...]] = {}
        for prefix in self._prefixes:
            first = self._prefixes_by_first.get(prefix[0], ())
            self._prefixes_by_first[prefix[0]] = (*first, prefix)
        self.rules_all = tuple(p.rule for p in prepared)
        self.rules: tuple[SecretRule, ...] = tuple(p.rule for p in prepared)
        self._overlap = -1
        self._hs: Any = None
        self._hs_rules: frozenset[int] = frozenset()
        self._cache_dir = cache_dir
        #: the multiline database of may_find, built on first use (shared by views: a list)
        self._batch_db: list[Any] = []
        #: the path database (``hsdb.load_paths``: the database, the bound rules' places in
        #: it compiled exactly), built on first use (a list: views share it)
        self._path_db: list[tuple[Any, frozenset[int], tuple[tuple[int, ...], ...]] | None] = []
        #: path -> the rules bound to a path that apply to it, for the paths of the last
        #: may_find batch
        self._path_memo: dict[str, tuple[int, ...]] = {}
        #: path -> (blob, [(end offset, rule index)]) of the last may_find batch
        self._hits_memo: dict[str, tuple[bytes, list[tuple[int, int]]]] = {}
        if use_hyperscan is not False:
            from pipesec.scanners.secrets import hsdb

            loaded = hsdb.load(
                self.rules, cache_dir=cache_dir, required=bool(use_hyperscan), split=self._split
            )
            if loaded is not None:
                self._hs, self._hs_rules = loaded
        self.uses_hyperscan = self._hs is not None
        #: rules the database does not hold: bound to a path (the bound database's, scanned
        #: in the files they apply to) or rejected by Hyperscan (searched over the whole text
        #: of every file they may apply to)
        self._outside_hs: tuple[int, ...] = (
            tuple(i for i in range(len(prepared)) if i not in self._hs_rules)
            if self._hs is not None
            else ()
        )
        #: the rules bound to a path (their indices), which the bound database holds
        self._bound = tuple(i for i in self._outside_hs if prepared[i].path is not None)
        #: rules Hyperscan rejects that are bound to no path: searched in every file
        self._loose = tuple(i for i in self._outside_hs if prepared[i].path is None)
        #: one regex tells whether any rule bound to a path may apply to a path at all
        out_paths = [self._rules[i].rule.path_regex for i in self._bound]
        self._outside_any_path: re.Pattern[str] | None = (
            re.compile("|".join(f"(?:{r})" for r in out_paths)) if out_paths else None
        )
        #: the bound database (single texts), loaded on first use (shared by views: a list)
        self._bound_db: list[tuple[Any, frozenset[int]]] = []
        #: the batch pass's databases of the bound rules that apply to a file together
        #: (rule indices -> (database, the indices it holds); shared by views)
        self._group_db: dict[tuple[int, ...], tuple[Any, frozenset[int]]] = {}
        #: path -> the bound rules applying to it that the batch pass could not scan for
        #: (searched over the whole text), for the paths of the last may_find batch whose
        #: memo holds the bound rules' hits
        self._bound_memo: dict[str, tuple[int, ...]] = {}
        self._hs_lock = threading.Lock()  # one scratch space per database
        #: a pattern matching the empty string hits every text: no text can be skipped
        self._hs_empty = self._hs is not None and self._hits(b"") > 0
        self._off: frozenset[int] = frozenset()
        self._all_keywords: tuple[str, ...] | None = None
        self._provider_kw: frozenset[str] | None = None
        #: the RE2 keyword set of the fallback path, built on first use (a list: views share)
        self._kwset: list[Any] = []

    @property
    def overlap(self) -> int:
        """Characters kept between chunks by scan_stream so a secret on a border is whole."""
        if self._overlap < 0:
            self._overlap = max((p.window for p in self._rules), default=0) + 2 * CONTEXT
        return self._overlap

    def decided_by_database(self) -> bool:
        """Whether :meth:`scan_text` without a path finds nothing in a text its Hyperscan
        database has no hit in: every rule is in the database or bound to a path (such
        rules do not run without one), none is switched off, and no pattern matches the
        empty string (a decoder's inner scan starts from a hit too)."""
        return (
            self._hs is not None
            and not self._hs_empty
            and not self._off
            and not self._outside_applies(None)
        )

    def without(self, rule_ids: Iterable[str]) -> SecretEngine:
        """A view of this engine with some rules switched off (shares the compiled database)."""
        off = {i for i, p in enumerate(self._rules) if p.rule.id in set(rule_ids)}
        view = copy.copy(self)
        view._off = frozenset(off)
        view.rules = tuple(p.rule for i, p in enumerate(self._rules) if i not in off)
        return view

    def every_reading(self) -> SecretEngine:
        """A view of this engine that reports every rule's match, also where rules read
        the same span (the scanner reports one of them: ``_one_per_span``); for tests of
        what a rule reads, whichever rule reports it."""
        view = copy.copy(self)
        view.one_per_span = False
        return view

    # -- public API ----------------------------------------------------------------------

    def scan_text(
        self, text: str, *, path: str | None = None, data: bytes | None = None
    ) -> Iterator[SecretMatch]:
        """Every secret in ``text``, in order of position.

        With ``path`` only rules whose ``path_regex`` matches it run; without one (standard
        input) rules bound to a path are skipped. ``data``: ``text`` encoded as UTF-8
        (``surrogatepass``), when the caller holds it (the blob given to :meth:`may_find`).
        """
        yield from _with_lines(text, self._find(text, path, data=data), 0, 1, 0)

    def scan_stream(
        self, chunks: Iterable[str], *, path: str | None = None
    ) -> Iterator[SecretMatch]:
        """Scan consecutive pieces of one text, reporting each secret once.

        ``chunks`` are contiguous, non-overlapping parts; the engine keeps ``overlap``
        characters of each as context for the next, so a secret across a border is found
        (once). Offsets, lines and columns are those of the whole text.
        """
        buf = ""
        base = 0  # absolute offset of buf[0]
        emitted = 0  # absolute offset before which matches were already reported
        line_at_base = 1
        line_start_abs = 0  # absolute offset of the start of the line holding buf[0]
        pending: str | None = None
        it = iter(chunks)
        while True:
            nxt = next(it, None)
            if pending is None:
                if nxt is None:
                    return
                pending = nxt
                continue
            buf += pending
            pending = nxt
            final = nxt is None
            limit = len(buf) if final else len(buf) - self.overlap
            if limit <= 0 and not final:
                continue
            found = [
                (s, e, ms, me, p, v)
                for s, e, ms, me, p, v in self._find(buf, path)
                if base + s >= emitted and s < limit
            ]
            yield from _with_lines(buf, found, base, line_at_base, line_start_abs)
            if final:
                return
            emitted = base + limit
            cut = max(0, limit - CONTEXT)
            dropped = buf[:cut]
            nl = dropped.count("\n")
            if nl:
                line_at_base += nl
                line_start_abs = base + dropped.rfind("\n") + 1
            buf = buf[cut:]
            base += cut

    def may_find(self, blobs: Sequence[bytes], paths: Sequence[str | None]) -> list[bool]:
        """For each text, False when :meth:`scan_text` is sure to find nothing in it.

        ``blobs[i]`` is the UTF-8 encoding (``surrogatepass``) of the text at ``paths[i]``,
        which is exactly what :meth:`scan_text` gives Hyperscan. With Hyperscan the blobs are
        scanned in one call, joined by newlines, with a second database of the same patterns
        in which ``^`` and ``$`` match at every line boundary: a blob's start and end are
        line boundaries in the joined buffer, the prefilter patterns drop lookarounds (a
        leading boundary they consume is ``^`` or a character: ``hsdb.hs_pattern``) and no
        rule uses ``\\A`` or ``\\Z``, so every hit of a blob alone is a hit there too, and a
        blob without a hit has none alone either. (A hit across a separator only marks a
        blob for scanning for nothing.) Without Hyperscan every blob is kept (scan_text
        tests the rules' keywords itself).
        """
        n = len(blobs)
        applying = self._outside_paths(paths)
        loose = bool(self._loose) and self._hs is not None
        keep = [loose or bool(a) for a in applying]
        #: the answers, for scan_text on the paths kept (the last batch only)
        self._path_memo = {p: a for p, a in zip(paths, applying, strict=True) if p is not None}
        self._hits_memo = {}
        self._bound_memo = {}
        if self._hs is None:  # scan_text's own keyword test is the prefilter
            return [True] * n
        if self._hs_empty:
            return [True] * n
        db = self._batch_database()
        if db is None:  # scan each text alone (the same test, one call each)
            for i, data in enumerate(blobs):
                keep[i] = keep[i] or self._hits(data) > 0
            return keep
        per_blob = self._scan_joined(db, blobs)
        for i in per_blob:
            keep[i] = True
        if self._bound:
            self._bound_batch(blobs, paths, applying, keep, per_blob)
        # the hits of each blob, for scan_text: a superset of what the single-text database
        # reports for it alone (see above), at the same offsets, so it need not scan again
        none: list[tuple[int, int]] = []
        self._hits_memo = {
            p: (blobs[i], per_blob.get(i, none))
            for i, (p, k) in enumerate(zip(paths, keep, strict=True))
            if k and p is not None
        }
        return keep

    def _outside_paths(self, paths: Sequence[str | None]) -> list[tuple[int, ...]]:
        """The rules bound to a path that apply to each path (:meth:`_applying`). With
        Hyperscan one call over the joined paths names, for each path, the rules whose
        path regex may match it (``hsdb.load_paths``); a hit of a regex compiled exactly
        (a built-in rule's whose matches hold no newline) on a path of ASCII characters is
        the answer, any other hit is tested with the rule it names only (it was the union
        of every bound rule's regex: ~2,800 searches on the speed corpus' YAML/JSON
        paths), and a path past ASCII (where Hyperscan's classes differ from Python's) with
        every rule."""
        none: tuple[int, ...] = ()
        if self._hs is None or not self._bound or not paths:
            return [none] * len(paths)
        found = self._path_database()
        if found is None or any(p is not None and "\n" in p for p in paths):
            return [self._applying(p) for p in paths]
        db, exact, named_rules = found
        # (the usual case: every path ASCII, none to test with every rule)
        plain = all(p is None or p.isascii() for p in paths)
        per_path = self._scan_joined(
            db, [(p or "").encode("utf-8", "surrogatepass") for p in paths]
        )
        out = [none] * len(paths)
        rules = self._rules
        answers: dict[tuple[int, ...], tuple[int, ...]] = {}  # the hits of exact regexes
        for i, named in per_path.items():
            p = paths[i]
            if p is None:
                continue
            key = tuple(sorted({local for _, local in named}))
            if plain and exact.issuperset(key):
                answer = answers.get(key)
                if answer is None:
                    answer = answers[key] = tuple(sorted(r for k in key for r in named_rules[k]))
                out[i] = answer
            else:
                out[i] = tuple(
                    sorted(
                        r
                        for k in key
                        for r in named_rules[k]
                        if k in exact or rules[r].path.search(p) is not None  # type: ignore[union-attr]
                    )
                )
        if not plain:  # Hyperscan's classes are not Python's past ASCII: every rule
            for i, p in enumerate(paths):
                if p is not None and not p.isascii():
                    out[i] = self._applying(p)
        return out

    def _applying(self, path: str | None) -> tuple[int, ...]:
        """The rules bound to a path whose path regex matches ``path`` (none without one)."""
        if path is None or self._outside_any_path is None:
            return ()
        if self._outside_any_path.search(path) is None:
            return ()
        rules = self._rules
        return tuple(i for i in self._bound if rules[i].path.search(path) is not None)  # type: ignore[union-attr]

    def _path_database(
        self,
    ) -> tuple[Any, frozenset[int], tuple[tuple[int, ...], ...]] | None:
        """The path database of the rules bound to a path (``hsdb.load_paths``), the ids of
        its regexes compiled exactly and, by id, the bound rules a regex is the path regex of
        (rules sharing one are one regex: the two list-keyed decoders), None if it cannot. A
        built-in rule's regex whose matches hold no newline is compiled exactly (the joined
        paths are lines); a configuration's own are prefilters (widened: a tree brings them,
        compiled per process before)."""
        with self._hs_lock:
            if not self._path_db:
                found = None
                by_regex: dict[str, list[int]] = {}
                for i in self._bound:
                    by_regex.setdefault(self._rules[i].rule.path_regex or "", []).append(i)
                regexes = list(by_regex)
                if not any(_buffer_anchored(r) for r in regexes):
                    from pipesec.scanners.secrets import hsdb

                    exact = [
                        one_line(r)
                        and all(self._split is None or i < self._split for i in by_regex[r])
                        for r in regexes
                    ]
                    loaded = hsdb.load_paths(regexes, exact, cache_dir=self._cache_dir)
                    if loaded is not None:
                        found = (*loaded, tuple(tuple(by_regex[r]) for r in regexes))
                self._path_db.append(found)
            return self._path_db[0]

    def _outside_applies(self, path: str | None) -> bool:
        """Whether a rule outside the Hyperscan database may run on ``path``."""
        if self._hs is None or not self._outside_hs:
            return False
        return bool(self._loose) or bool(self._applying(path))

    def _batch_database(self) -> Any:
        """The rules' database with ``^``/``$`` at every line boundary, or None."""
        with self._hs_lock:
            if not self._batch_db:
                from pipesec.scanners.secrets import hsdb

                loaded = None
                if not any(_buffer_anchored(r.scan_pattern) for r in self.rules_all):
                    loaded = hsdb.load(
                        self.rules_all,
                        cache_dir=self._cache_dir,
                        multiline=True,
                        split=self._split,
                    )
                ok = loaded is not None and loaded[1] == self._hs_rules
                self._batch_db.append(loaded[0] if ok and loaded is not None else None)
            return self._batch_db[0]

    def _bound_database(self) -> tuple[Any, frozenset[int]]:
        """The single-text database of the rules bound to a path and the rule indices it
        holds (none when Hyperscan rejects them all: they are searched as rejected rules
        are), for a text scanned without may_find's batch."""
        with self._hs_lock:
            if not self._bound_db:
                self._bound_db.append(self._load_bound(self._bound, multiline=False))
            return self._bound_db[0]

    def _group_database(self, group: tuple[int, ...]) -> tuple[Any, frozenset[int]]:
        """The batch pass's (multiline) database of the bound rules ``group`` (those that
        apply to a file together) and the rule indices it holds: a YAML file is scanned for
        the YAML rules only, not for every bound rule (a ``.pgpass`` line's pattern has no
        literal: the whole bound database over the speed corpus' YAML/JSON cost ~4% of its
        scan)."""
        with self._hs_lock:
            found = self._group_db.get(group)
            if found is None:
                found = self._group_db[group] = self._load_bound(group, multiline=True)
            return found

    def _load_bound(
        self, chosen: tuple[int, ...], *, multiline: bool
    ) -> tuple[Any, frozenset[int]]:
        """``hsdb.load`` of the bound rules ``chosen`` (in order: a configuration's own
        last), as (database, the rule indices it holds)."""
        from pipesec.scanners.secrets import hsdb

        rules = [self._rules[i].rule for i in chosen]
        split = sum(1 for i in chosen if self._split is None or i < self._split)
        loaded = None
        if not multiline or not any(_buffer_anchored(r.scan_pattern) for r in rules):
            loaded = hsdb.load(
                rules,
                cache_dir=self._cache_dir,
                multiline=multiline,
                split=None if self._split is None or split == len(rules) else split,
                bound=True,
            )
        if loaded is None or loaded[0] is None:
            return None, frozenset()
        db, ids = loaded
        return db, frozenset(chosen[i] for i in ids)

    def _bound_batch(
        self,
        blobs: Sequence[bytes],
        paths: Sequence[str | None],
        applying: Sequence[tuple[int, ...]],
        keep: list[bool],
        per_blob: dict[int, list[tuple[int, int]]],
    ) -> None:
        """The batch pass of the rules bound to a path: the blobs to which the same bound
        rules apply, joined, scanned with those rules' database (one call a group: a YAML or
        JSON file alone cost a call each); their hits join the blob's; a blob kept only for
        them with no hit is let go (scan_text would find nothing), unless a rule Hyperscan
        rejects may apply (searched over the whole text)."""
        groups: dict[tuple[int, ...], list[int]] = {}
        for i, a in enumerate(applying):
            if a:
                groups.setdefault(a, []).append(i)
        memo: dict[str, tuple[int, ...]] = {}
        for group, chosen in groups.items():
            db, scanned = self._group_database(group)
            if db is None:
                continue  # scan_text scans each alone
            got = {
                chosen[j]: [(end, group[local]) for end, local in hits]
                for j, hits in self._scan_joined(db, [blobs[i] for i in chosen]).items()
            }
            whole = tuple(i for i in group if i not in scanned)
            for i in chosen:
                extra = got.get(i)
                if extra:
                    per_blob[i] = sorted([*per_blob.get(i, ()), *extra])
                    keep[i] = True
                elif i not in per_blob and not whole and not self._loose:
                    keep[i] = False
                if (p := paths[i]) is not None:
                    memo[p] = whole
        self._bound_memo = memo

    def _scan_joined(self, db: Any, parts: Sequence[bytes]) -> dict[int, list[tuple[int, int]]]:
        """One Hyperscan call of ``db`` over ``parts`` joined by newlines: the hits of each
        part that has any, as (end offset in the part, pattern id) in order of their ends
        (the batch pass, the path database and the bound rules' groups share it)."""
        starts: list[int] = []
        pos = 0
        for data in parts:
            starts.append(pos)
            pos += len(data) + 1
        hits: list[tuple[int, int]] = []

        def on_match(rid: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
            hits.append((end, rid))

        with self._hs_lock:
            db.scan(b"\n".join(parts), match_event_handler=on_match)
        out: dict[int, list[tuple[int, int]]] = {}
        n = len(parts)
        i = 0  # hits are sorted by end: walk the parts once
        found: list[tuple[int, int]] = []
        for end, rid in sorted(hits):
            if i + 1 < n and starts[i + 1] <= end:
                while i + 1 < n and starts[i + 1] <= end:
                    i += 1
                found = []
            if not found:
                out[i] = found
            found.append((end - starts[i], rid))
        return out

    def _hits(self, data: bytes) -> int:
        count = 0

        def on_match(_rid: int, _start: int, _end: int, _flags: int, _ctx: object) -> None:
            nonlocal count
            count += 1

        with self._hs_lock:
            self._hs.scan(data, match_event_handler=on_match)
        return count

    def _active(self, text: str, path: str | None) -> list[bool]:
        """Without Hyperscan: the rules that may match ``text`` (on, bound to no other
        path, one of their keywords present). Each distinct keyword is looked for once."""
        lowered = text.lower()
        present = self._present(lowered)
        active = []
        for i, p in enumerate(self._rules):
            ok = i not in self._off
            if ok and p.path is not None:
                ok = path is not None and p.path.search(path) is not None
            if ok and p.keywords:
                ok = not present.isdisjoint(p.keywords)
            active.append(ok)
        return active

    def _present(self, lowered: str) -> set[str]:
        """The distinct rule keywords that occur in ``lowered``: one RE2 set match when
        google-re2 is installed (``pipesec[re2]``: about 100x faster than testing each of
        the ~840 keywords with ``in``), else each keyword tested once."""
        keywords = self._keywords()
        kwset = self._keyword_set()
        if kwset is None:
            return {k for k in keywords if k in lowered}
        # byte-wise (Latin-1 mode) over the UTF-8 text: a keyword's bytes occur there exactly
        # when the keyword occurs in the text (UTF-8 is self-synchronising), lone surrogates
        # included (surrogatepass)
        data = lowered.encode("utf-8", "surrogatepass")
        return {keywords[i] for i in kwset.Match(data) or ()}

    def _provider_words(self) -> frozenset[str]:
        """The keywords of the provider rules that name something, not the generic rules'
        key words (``key``, ``apikey``, ``token``: worked out once; views share the rules)."""
        if self._provider_kw is None:
            generic = {k for p in self._rules if p.generic for k in p.keywords}
            self._provider_kw = frozenset(
                k
                for p in self._rules
                if not p.generic and not p.rule.decoder
                for k in p.keywords
                if k not in generic
            )
        return self._provider_kw

    def _keywords(self) -> tuple[str, ...]:
        """The distinct keywords of the rules, sorted (worked out once)."""
        if self._all_keywords is None:
            self._all_keywords = tuple(sorted({k for p in self._rules for k in p.keywords}))
        return self._all_keywords

    def _keyword_set(self) -> Any:
        """An RE2 set of the keywords as literals, or None without google-re2."""
        if not self._kwset:
            kwset = None
            try:
                import re2

                options = re2.Options()
                options.encoding = re2.Options.Encoding.LATIN1
                options.literal = True
                options.log_errors = False
                kwset = re2.Set.SearchSet(options)
                for k in self._keywords():
                    kwset.Add(k.encode("utf-8"))
                kwset.Compile()
            except Exception:  # not installed, or it refuses a keyword: test them one by one
                log.debug("no RE2 keyword set; the fallback tests keywords one by one")
                kwset = None
            self._kwset.append(kwset)
        return self._kwset[0]

    def _candidates(
        self, text: str, path: str | None, data: bytes | None = None
    ) -> dict[int, list[tuple[int, int]]]:
        """rule index -> windows [(start, end)] to search (character offsets); ``data``:
        ``text`` encoded, when the caller holds it."""
        n = len(text)
        whole = [(0, n)]
        if self._hs is None:
            return {i: whole for i, ok in enumerate(self._active(text, path)) if ok}
        if data is None:
            data = text.encode("utf-8", "surrogatepass")
        ascii_text = len(data) == n  # one byte per character
        memo = self._hits_memo.get(path) if path is not None else None
        #: the bound rules the batch pass could not scan for (None: it did not scan this text)
        bound_whole: tuple[int, ...] | None = None
        if memo is not None and (memo[0] is data or memo[0] == data):  # may_find's text
            hits = memo[1]
            if path is not None:  # (the bound rules' hits are among them)
                bound_whole = self._bound_memo.get(path)
        else:
            hits = []

            def on_match(rid: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
                hits.append((end, rid))

            with self._hs_lock:
                self._hs.scan(data, match_event_handler=on_match)
            hits.sort()
        out: dict[int, list[tuple[int, int]]] = {}
        #: the rules bound to a path that apply to this one
        applying = self._path_memo.get(path) if path is not None else None
        if applying is None:
            applying = self._applying(path)
        keys = _Keywords(text)  # shared by both subsets: each keyword looked for once
        if applying or self._loose:
            if bound_whole is None:  # not scanned in a batch: the bound database alone
                db, scanned = self._bound_database() if applying else (None, frozenset())
                bound_whole = tuple(i for i in applying if i not in scanned)
                if db is not None:  # the bound rules' hits, among the others
                    bound = self._bound
                    extra: list[tuple[int, int]] = []

                    def on_bound(
                        local: int, _start: int, end: int, _flags: int, _ctx: object
                    ) -> None:
                        if bound[local] in applying:
                            extra.append((end, bound[local]))

                    with self._hs_lock:
                        db.scan(data, match_event_handler=on_bound)
                    if extra:
                        hits = sorted([*hits, *extra])
            rejected = (*bound_whole, *self._loose)
            for i in self._active_subset(text, path, rejected, keys):
                out[i] = whole  # rejected by Hyperscan: the whole text
        if not hits:
            return out
        to_char = _ByteToChar(data) if not ascii_text else None
        per_rule: dict[int, list[tuple[int, int]]] = {}
        rules = self._rules
        geometry = self._geometries
        off = self._off
        for end_b, rid in hits:
            if rid in off:
                continue
            end = to_char(end_b) if to_char is not None else end_b
            g = geometry[rid]
            if g is None:
                g = geometry[rid] = rules[rid].geometry
            back, ahead, within_line = g
            lo = end - back
            if lo < 0:
                lo = 0
            hi = end + ahead
            if hi > n:
                hi = n
            if within_line and end - 1 > lo:
                # a match that holds no newline starts on the line of its last character
                # (of its prefix's, for a prefilter): the window starts there (the regex
                # still reads what is before it, for lookbehinds and boundaries)
                lo = text.rfind("\n", lo, end - 1) + 1 or lo
            if within_line and ahead > CONTEXT:
                # and a prefilter's hit (a prefix of the match) ends on the match's line: the
                # window ends with that line (and the context lookarounds read), not the
                # rule's whole width after it (decode-flow-keyed's 318 windows on the speed
                # corpus were 1,025 characters wide, their lines a few dozen)
                nl = text.find("\n", end, hi)
                if nl >= 0 and nl + CONTEXT < hi:
                    hi = nl + CONTEXT
            wins = per_rule.get(rid)
            if wins is None:
                per_rule[rid] = [(lo, hi)]
            elif lo <= wins[-1][1]:
                wins[-1] = (wins[-1][0], max(hi, wins[-1][1]))
            else:
                wins.append((lo, hi))
        for rid, wins in per_rule.items():
            p = rules[rid]
            if p.path is not None and rid not in applying:
                continue  # (bound to other paths)
            # a rule runs when one of its keywords occurs anywhere in the text; in ASCII
            # text (where lowering maps character to character) one found in a window is
            # found in the text, so most texts are never lowered whole
            if (
                p.keywords
                and not p.keyword_in_match
                and not (ascii_text and keys.in_windows(p.keywords, wins))
                and not keys.any_of(p.keywords)
            ):
                continue
            out[rid] = wins
        return out

    def _active_subset(
        self, text: str, path: str | None, rids: Iterable[int], keys: _Keywords | None = None
    ) -> set[int]:
        """Those of ``rids`` that are on, bound to no other path, and whose keywords (if
        any) occur in ``text`` (``keys``: the keyword answers for ``text`` so far)."""
        if keys is None:
            keys = _Keywords(text)
        active = set()
        off = self._off
        rules = self._rules
        for i in rids:
            if i in off:
                continue
            p = rules[i]
            if p.path is not None and (path is None or p.path.search(path) is None):
                continue
            if p.keywords and not keys.any_of(p.keywords):
                continue
            active.add(i)
        return active

    def _find(
        self,
        text: str,
        path: str | None,
        depth: int = 0,
        known: Callable[[int, int, int], bool] | None = None,
        data: bytes | None = None,
    ) -> list[tuple[int, int, int, int, _Prepared, str]]:
        """(secret start, secret end, match start, match end, rule, value), sorted, filtered.

        Provider rules run first: a generic match overlapping a provider's secret is dropped
        before its (costlier) filters run, as the provider's finding says more. A decoder
        rule's match, after the providers' (a secret both rules report at one place is the
        one the text's own scan found), is decoded and scanned ``depth + 1`` deep (see
        :mod:`.decoding`);
        ``known(rule index, start, end)`` then tells whether the text that was decoded
        already holds a finding of that rule at that place (the decoded one would be
        dropped for it).
        """
        found: dict[tuple[int, int, int], tuple[int, int, int, int, _Prepared, str]] = {}
        candidates = self._candidates(text, path, data)
        rules = self._rules
        #: the first of a configuration's own rules (``extra``): their matches keep no
        #: built-in rule off their characters (:func:`_shields`)
        own = len(rules) if self._split is None else self._split
        # provider rules, then decoders (a token both in a text and in an encoded value of
        # it is reported from the text, found first), then generic rules
        order = sorted(candidates, key=self._rank.__getitem__)
        specific = _Spans()
        off = self._off
        parents = decoding.Parents(text)  # the keys enclosing the text's lines, read once
        #: what the rules find in a line a decoder built (the same ``<name>: "<value>"`` of a
        #: Kubernetes/ECS record is built by the name-value and the sibling-keyed decoders)
        lines: dict[str, list[tuple[int, int, int, int, _Prepared, str]]] = {}
        for rid in order:
            p = rules[rid]
            if p.kind is not None and p.kind.kind == filters.WEAK:
                continue  # reported through its strong rule's matches
            group = p.rule.secret_group
            generic = p.generic
            settled = known is not None and _settled(p)
            located = p.rule.re2_regex is not None  # (a configuration's own rule)
            pairs = p.kind is not None and p.kind.kind == filters.ASSIGN_UNQUOTED
            for lo, hi in candidates[rid]:
                ms = p.matches(text, lo, hi) if located else p.pattern.finditer(text, lo, hi)
                for m in _with_earlier_pairs(p.pattern, text, ms, group) if pairs else ms:
                    try:
                        value = m.group(group)
                        s, e = m.span(group)
                    except IndexError:
                        value, (s, e) = m.group(0), m.span(0)
                    if not value or s < 0:
                        continue
                    if p.rule.decoder:  # report what the value holds, not the value
                        for inner in self._decoded(p, text, m, path, depth, found, parents, lines):
                            ikey = (inner[4].index, inner[0], inner[1])
                            if (
                                p.rule.decoder in decoding.KEYED
                                or (p.rule.decoder in decoding.NAMED and inner[4].generic)
                            ) and specific.overlaps(inner[0], inner[1]):
                                continue  # the line's own key already named a provider
                            if ikey not in found:
                                found[ikey] = inner
                                if _shields(inner[4], own):
                                    specific.add(inner[0], inner[1])
                        continue
                    key = (rid, s, e)
                    if key in found:
                        continue
                    if settled and known is not None and known(rid, s, e):
                        # a provider's token that the encoded text's own scan reported
                        # there: whether or not this one passed its filters, it only
                        # keeps generic rules off its characters (see below)
                        if _shields(p, own):
                            specific.add(s, e)
                        continue
                    if generic and specific.overlaps(s, e):
                        continue
                    if generic and value.startswith(self._prefixes_by_first.get(value[0], ())):
                        continue  # a provider's prefix that failed its rule's structure
                    if not generic and _cut_short(text, e):
                        continue  # a token a stray "?" cuts short is not one its provider issued
                    if not generic and _base64_slice(text, s, e, value):
                        continue  # ``…AAAq+EAAAAAAgIQuQ…+LW5…``: a slice of a base64 blob
                    if p.rule.word_start and not _starts_word(text, m.start()):
                        continue  # ``packaging: …`` holds no ``kagi`` key
                    if p.rule.generic_filters and _called(text, e, value):
                        continue  # ``Authorization: convertCfnAuthorizationProperty(props)``
                    if not _keep(p, value, m.group(0)):
                        if _shields(p, own) and p.rule.generated:
                            # a provider's token judged a stand-in (``00…ABCDEFGHIJKL…``):
                            # a generic rule must not report the same characters either
                            specific.add(s, e)
                        continue
                    q = p
                    if p.kind is not None:
                        verdict = filters.generic_verdict(p.kind, value, text, m.start(), s, path)
                        if verdict == filters.WEAK_VALUE and p.weak >= 0 and p.weak not in off:
                            q = rules[p.weak]
                        elif verdict != filters.KEEP:
                            continue
                    found[key] = (s, e, m.start(), m.end(), q, value)
                    if _shields(p, own):
                        specific.add(s, e)
        kept = (
            _one_per_span(found.values(), text, path, own) if self.one_per_span else found.values()
        )
        return sorted(kept, key=lambda t: (t[0], t[1], t[4].rule.id))

    def _decoded(
        self,
        p: _Prepared,
        text: str,
        m: re.Match[str],
        path: str | None,
        depth: int,
        found: Container[tuple[int, int, int]],
        parents: decoding.Parents,
        lines: dict[str, list[tuple[int, int, int, int, _Prepared, str]]] | None = None,
    ) -> Iterator[tuple[int, int, int, int, _Prepared, str]]:
        """Secrets inside the encoded values of a decoder rule's match, each located on
        its encoded text (``found``: the keys ``(rule index, start, end)`` that ``text``'s
        own scan holds so far; a decoded secret there is dropped for them; ``parents``:
        the keys enclosing ``text``'s lines, read as far as the matches so far)."""
        if depth >= decoding.MAX_DEPTH:
            return
        kind = p.rule.decoder
        if kind in decoding.KEYED:
            yield from self._parent_keyed(p, m, path, depth, parents, lines)
            return
        if kind in decoding.NAMED:
            yield from self._named(p, text, m, path, depth, lines)
            return
        for s, e, name, value in decoding.encoded_values(kind, text, m, p.rule.secret_group):
            if kind in decoding.ESCAPES:  # located on the secret's own encoded characters
                unescaped = decoding.unescape(kind, value)
                if unescaped is None:
                    continue
                inner, at = unescaped

                def known(rid: int, i_s: int, i_e: int, s: int = s, at: list[int] = at) -> bool:
                    return (rid, s + at[i_s], s + at[i_e]) in found

                # (a file in a program's string is judged as a file: decoding.judged_path)
                inner_path = decoding.judged_path(kind, path)
                for i_s, i_e, _ms, _me, ip, iv in self._find(inner, inner_path, depth + 1, known):
                    yield (s + at[i_s], s + at[i_e], s + at[i_s], s + at[i_e], ip, iv)
                continue
            decoded = decoding.decoded_text(kind, value, name)
            if decoded is None:
                continue
            for _is, _ie, _ms, _me, ip, iv in self._find(decoded, path, depth + 1):
                yield (s, e, s, e, ip, iv)

    def _named(
        self,
        p: _Prepared,
        text: str,
        m: re.Match[str],
        path: str | None,
        depth: int,
        lines: dict[str, list[tuple[int, int, int, int, _Prepared, str]]] | None = None,
    ) -> Iterator[tuple[int, int, int, int, _Prepared, str]]:
        """What every rule finds in a value whose key stands elsewhere (a sibling ``name``, a
        plural key over a list, the parameter a default belongs to: ``decoding.NAMED``), read
        as ``<name>: "<value>"`` and located on the value."""
        named: list[tuple[str, int, int]]
        if p.rule.decoder == decoding.NAME_VALUE:
            line, at = decoding.name_value(m)
            named = [(line, at, m.start(p.rule.secret_group))]
        elif p.rule.decoder == decoding.DEFAULT_KEYED:
            made = decoding.default_keyed(text, m)
            named = [made] if made is not None else []
        else:  # (bound to YAML/JSON files by ``path_regex``: in a program a list is data)
            named = list(decoding.list_keyed(m, p.rule.secret_group))
        for line, at, start in named:
            for i_s, i_e, _ms, _me, ip, iv in self._read_line(line, path, depth, lines):
                if i_s >= at:  # on the value (the name alone is no finding of its own)
                    s, e = start + i_s - at, start + i_e - at
                    yield (s, e, s, e, ip, iv)

    def _read_line(
        self,
        line: str,
        path: str | None,
        depth: int,
        lines: dict[str, list[tuple[int, int, int, int, _Prepared, str]]] | None,
    ) -> list[tuple[int, int, int, int, _Prepared, str]]:
        """What every rule finds in a line a decoder built, read once a text (``lines``):
        each decoder then keeps its share (the name-value decoders every rule's, the keyed
        ones the named providers')."""
        if lines is None:
            return self._find(line, path, depth + 1)
        got = lines.get(line)
        if got is None:
            got = lines[line] = self._find(line, path, depth + 1)
        return got

    def _parent_keyed(
        self,
        p: _Prepared,
        m: re.Match[str],
        path: str | None,
        depth: int,
        parents: decoding.Parents,
        lines: dict[str, list[tuple[int, int, int, int, _Prepared, str]]] | None = None,
    ) -> Iterator[tuple[int, int, int, int, _Prepared, str]]:
        """What the provider rules find in a value under a generic key once its parent keys
        are joined to it (``opsgenie:`` / ``api_key: <value>`` read as ``opsgenie_api_key:
        <value>``), or in an XML element's text under its name attribute (``<string
        name="opsgenie_key" translatable="false">``), located on the value: only a provider
        rule whose keyword the names hold (the provider is named by them, the value's shape
        is the rule's own)."""
        made = decoding.keyed_line(p.rule.decoder, parents, m)
        if made is None:
            return
        line, at, names = made
        named = self._present(names) & self._provider_words()
        if not named:
            return  # the names name no provider: the line's own scan said all
        s = m.start(p.rule.secret_group)
        for i_s, i_e, _ms, _me, ip, iv in self._read_line(line, path, depth, lines):
            if ip.generic or i_s < at or named.isdisjoint(ip.keywords):
                continue  # (a rule known only by a generic key word, apikey, is not named)
            yield (s + i_s - at, s + i_e - at, s + i_s - at, s + i_e - at, ip, iv)


def _buffer_anchored(pattern: str) -> bool:
    """Whether ``pattern`` uses ``\\A`` or ``\\Z`` (anchors to the start/end of the text)."""
    if "\\A" not in pattern and "\\Z" not in pattern:
        return False  # only these escapes parse to those anchors (no parse: start-up)
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError):  # pragma: no cover - compiled elsewhere first
        return True
    anchors = (sre_parse.AT_BEGINNING_STRING, sre_parse.AT_END_STRING)

    def walk(node: Any) -> bool:
        if isinstance(node, sre_parse.SubPattern):
            node = node.data
        if isinstance(node, (list, tuple)):
            if len(node) == 2 and node[0] is sre_parse.AT:
                return node[1] in anchors
            return any(walk(x) for x in node)
        return False

    return walk(parsed)


#: the most pairs a line's match skips before its key (``rules.generic._UNQ``'s repeat)
_MAX_PAIRS = 8


def _with_earlier_pairs(
    pattern: re.Pattern[str], text: str, found: Iterable[re.Match[str]], group: int | str
) -> Iterator[re.Match[str]]:
    """``found`` (an unquoted generic rule's matches) and, after a match that skipped
    ``key=value`` pairs before its key (``ENV A=1 DB_PASSWORD=…``), the rule's matches on
    the same line that end before that key, right to left (review18). The pairs are
    skipped greedily, so a line's match is its last pair whose key the rule reads, and the
    next search starts after the line: ``export DB_PASSWORD=<secret> PASSWORD_FILE=/run/x``
    was one match (the path, dropped by the filters) and the password was never read; of
    two passwords on one line only the second was. The line cut at an earlier key ends
    there (``$`` holds at the search's end), so each search reads one pair less."""
    for m in found:
        yield m
        line = m.start()
        for _ in range(_MAX_PAIRS):
            try:
                value = m.start(group)
            except IndexError:  # pragma: no cover - the unquoted rules capture their value
                break
            key = filters.key_at(text, line, value)
            begin = text.rfind(key, line, value) if key else -1
            end = begin
            while end > line and text[end - 1] in " \t":
                end -= 1
            if begin <= line or "=" not in text[line:end]:
                break  # the line's first key: no pair before it
            earlier = pattern.search(text, line, end)
            if earlier is None or earlier.start() != line:
                break
            m = earlier
            yield m


def _shields(p: _Prepared, own: int) -> bool:
    """Whether a match of ``p`` keeps generic rules off its characters: a provider's rule
    of the built-in set. A configuration's own rule (index ``own`` or later: a
    ``.gitleaks.toml`` rule, which the scanned tree may write) does not (review19): its
    match is its own finding, as in gitleaks, and its allowlist, ``.gitleaksignore`` entry
    or ``gitleaks:allow`` narrows that finding alone; a tree rule reading a password
    whose own allowlist suppressed it had hidden the built-in ``generic-password``'s high
    finding (under ``--config``, where the tree's allowlists narrow only its own rules)."""
    return not p.generic and p.index < own


def _one_per_span(
    found: Iterable[tuple[int, int, int, int, _Prepared, str]],
    text: str,
    path: str | None,
    own: int,
) -> list[tuple[int, int, int, int, _Prepared, str]]:
    """``found`` with one finding per secret span (session 17): rules that read the same
    characters (``datadog-api-key`` and ``api-key-hex32`` on ``DD_API_KEY=<32 hex>``, the
    two Mailgun ``key-`` rules, ``generic-password`` and ``generic-xml-password`` on one
    attribute) report one secret once, by the most specific rule (:func:`_rank_on`). A span
    is one secret with its value: the secrets a decoder finds inside one encoded value (a
    base64 ``.dockerconfigjson`` holding a password and a token) all lie on that value's
    span and stay one finding each (review18: the winner of their ranking hid the others,
    a medium provider key beside a password turned the high finding medium). The readings
    of a configuration's own rules (index ``own`` or later) are findings of their own, as
    in gitleaks (review19): such a rule won a built-in AWS key's span where its ``path``
    bound it, and its per-rule allowlist then suppressed the span's only finding."""
    by_span: dict[tuple[int, int, str, int], list[tuple[int, int, int, int, _Prepared, str]]] = {}
    for f in found:
        alone = -1 if f[4].index < own else f[4].index
        by_span.setdefault((f[0], f[1], f[5], alone), []).append(f)
    return [same[0] if len(same) == 1 else _pick(same, text, path) for same in by_span.values()]


def _pick(
    same: list[tuple[int, int, int, int, _Prepared, str]], text: str, path: str | None
) -> tuple[int, int, int, int, _Prepared, str]:
    """The reading of one span that reports it (:func:`_rank_on`); among the rules of the
    winner's own provider the higher severity first (review18): the key's name or its place
    tells providers apart, not which of one provider's keys a value is, and a name must not
    turn an identifiable key (``AzFu``/``+ASt`` signature, critical) into the keyed rule's
    medium reading of the same provider (``x-functions-key: …AzFu…``: the rule's own example)."""
    ranks = [_rank_on(f, text, path) for f in same]
    best = max(range(len(same)), key=ranks.__getitem__)
    provider = same[best][4].rule.provider
    peers = [i for i, f in enumerate(same) if not f[4].generic and f[4].rule.provider == provider]
    if len(peers) > 1 and not same[best][4].generic:
        best = max(peers, key=lambda i: (ranks[i][-2], ranks[i]))  # (-2: the severity)
    return same[best]


def _rank_on(
    f: tuple[int, int, int, int, _Prepared, str], text: str, path: str | None
) -> tuple[bool, bool, bool, bool, bool, bool, int, int]:
    """Which of the rules reading one span reports it: a provider's rule over a generic
    one; a rule that names its provider over a ``Generic`` shape (``datadog-api-key`` over
    ``api-key-hex32``: the provider's grade comes from what its key can do, the written
    impact policy, and wins even where the shape's is higher); a rule bound to the file's
    kind (``path_regex``: ``htpasswd-hash``, ``generic-xml-password``) over an unbound one;
    a rule one of whose keywords stands on the line before the value (the key or the URL
    naming its provider: ``PAYSTACK_SECRET_KEY = "sk_live_…"`` is Paystack's, whose keys
    start with Stripe's ``sk_live_``; Clerk's and PayMongo's too) over one that knows the
    value's shape alone; then a rule whose provider's name stands near the value (in the
    :data:`_NEAR` characters around its line, or in the file's path: a Paystack key with no
    key before it, in ``paystack.js`` or under a ``# Paystack`` comment, is Paystack's, not
    Stripe's by rule order; session 18); then a rule whose match reads the text before the
    value (a key); then the higher severity the finding will have (``severity_at`` on its
    path and key, a failed checksum's low: as ``findings.make_finding`` decides it), so that
    between equally specific rules the gate never weakens; then the first in the rule set's
    order."""
    p = f[4]
    rule = p.rule
    before = text[max(text.rfind("\n", 0, f[0]) + 1, f[0] - 200) : f[0]]
    severity = rule.severity
    if rule.severity_at is not None and path is not None:
        severity = rule.severity_at(path, before) or severity
    if confidence_of(rule, f[5]) is Confidence.LOW:
        severity = min(severity, Severity.LOW, key=lambda v: v.rank)
    low = before.lower()
    named = any(k in low for k in rule.keywords)
    provider = rule.provider != "Generic"
    keyed = f[2] < f[0]
    near = provider and not named and _named_near(rule.provider, text, f[0], f[1], path)
    return (
        not p.generic,
        provider,
        p.path is not None,
        named,
        near,
        keyed,
        severity.rank,
        -p.index,
    )


#: how far around a doubled span's line a provider's name is looked for (a comment or a key a
#: few lines above, the section a value stands in)
_NEAR = 400


def _named_near(provider: str, text: str, start: int, end: int, path: str | None) -> bool:
    """Whether ``provider``'s name (its letters and digits, lower case, four at least) stands
    in the file's path or within :data:`_NEAR` characters of the line holding text[start:end]
    (the value itself left out: a name inside a token is no context)."""
    name = "".join(c for c in provider.lower() if c.isalnum())
    if len(name) < 4:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    around = text[max(0, line_start - _NEAR) : start] + " " + text[end : line_end + _NEAR]
    return name in around.lower() or (path is not None and name in path.lower())


def _settled(p: _Prepared) -> bool:
    """Whether the only trace a match of ``p`` leaves on other matches, kept or not, is its
    span in the provider spans that generic rules yield to: a provider's generated token
    judged by its value alone (no generic verdict, not a decoder)."""
    return p.rule.generated and not p.generic and p.kind is None and not p.rule.decoder


#: after a "?" that ends a provider match: more of a token's characters, then its end (a
#: quote, a space, the text's end); a URL's query (``?a=b``) does not end so
_TOKEN_AFTER_QMARK = re.compile(r"[A-Za-z0-9+/_.-]{2,}={0,2}(?=[\"'`\s]|\Z)")


def _cut_short(text: str, end: int) -> bool:
    """Whether a provider's match ends at a stray "?" inside a longer value
    (``pypi-AgE…Ca5?ZKX…'``, ``glc_…?…``): a fragment, not a token the provider issued."""
    return text[end : end + 1] == "?" and _TOKEN_AFTER_QMARK.match(text, end + 1) is not None


#: base64's own signs: a provider's token never borders them on both sides
_B64_SIGNS = frozenset("+/")
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")


def _base64_slice(text: str, s: int, e: int, value: str) -> bool:
    """Whether a match lies inside a run of base64 (an inlined binary or WebAssembly
    module): a sign of base64 on both sides, one of them ``+`` (``/…/`` is a URL's path),
    of a token whose alphabet has neither."""
    before, after = text[s - 1 : s], text[e : e + 1]
    return (
        bool(before)
        and before in _B64_SIGNS
        and after in _B64_SIGNS
        and "+" in (before, after)
        and _B64_SIGNS.isdisjoint(value)
    )


def _starts_word(text: str, at: int) -> bool:
    """Whether ``at`` starts a word: no letter before it, or a lower-case letter before a
    capital (a camel-case hump, ``myPusherKey``)."""
    before = text[at - 1 : at]
    if not before.isascii() or not before.isalpha():
        return True
    return before.islower() and text[at : at + 1].isupper()


def _called(text: str, e: int, value: str) -> bool:
    """Whether a value is a name a program calls (``convertCfnAuthorization(props)``)."""
    return text[e : e + 1] == "(" and _IDENT.fullmatch(value) is not None


class _Spans:
    """The spans generic matches yield to (provider secrets) and whether one overlaps
    ``[s, e)``, in logarithmic time: a text holding thousands of tokens would otherwise
    cost the square of their number. The index is rebuilt when spans were added since it
    was last built (generic rules run after every provider rule: once a text)."""

    __slots__ = ("_ends", "_spans", "_starts")

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []
        self._starts: list[int] = []
        #: the largest end of the spans up to each one, in order of their starts
        self._ends: list[int] = []

    def add(self, s: int, e: int) -> None:
        starts = self._starts
        if len(starts) == len(self._spans) and (not starts or s >= starts[-1]):
            # in order, the index current: extended as it stands (a decoder's findings come
            # one by one, each after an overlap test: rebuilt each time, a text holding
            # thousands of them cost the square of their number)
            starts.append(s)
            self._ends.append(max(e, self._ends[-1]) if self._ends else e)
        self._spans.append((s, e))

    def overlaps(self, s: int, e: int) -> bool:
        if not self._spans:
            return False
        if len(self._starts) != len(self._spans):
            self._spans.sort()
            self._starts = [a for a, _ in self._spans]
            self._ends = list(accumulate((b for _, b in self._spans), max))
        before = bisect_left(self._starts, e)  # the spans that start before e
        return before > 0 and self._ends[before - 1] > s


def _keep(p: _Prepared, value: str, whole: str) -> bool:
    rule = p.rule
    if rule.entropy is not None and shannon_entropy(value) < rule.entropy:
        return False
    for a in p.allow:
        if a.search(value) or a.search(whole):
            return False
    if filters.is_documented_example(value) or placeholders.is_published_example(value):
        return False
    if rule.public is not None and rule.public(whole[: max(0, whole.rfind(value))], value):
        return False  # a value the provider publishes (a search-only key, a client token)
    if not p.generic and placeholders.is_placeholder(value, rule.prefix, full=rule.generated):
        return False  # a stand-in typed by a person (generic rules have their own filters)
    if rule.generated and rule.generic_filters and filters.is_code_name(value):
        return False  # ``REDDIT: OAuth2CredentialProviderVendor``: a type, no provider's token
    if p.kind is not None:  # judged in context by filters.generic_verdict
        return True
    if p.generic and rule.entropy is not None and placeholders.is_placeholder(value):
        # a generic rule for generated values that filters.generic_verdict does not judge
        # (``generic-key-random``): the one placeholder detector, as the provider rules and
        # the generic token rules have it (awscli's IVS docs' ``"streamKey": "rt_123456789012_…"``
        # was reported, session 17)
        return False
    return not (rule.generic_filters and filters.is_false_positive(value, whole, strict=p.generic))


def confidence_of(rule: SecretRule, value: str) -> Confidence:
    if rule.validator is None:
        return rule.confidence
    try:
        ok = rule.validator(value)
    except Exception:  # a validator bug must never stop a scan
        log.debug("validator of %s raised", rule.id, exc_info=True)
        return Confidence.LOW
    return Confidence.HIGH if ok else Confidence.LOW


class _Keywords:
    """Which keywords occur in one text (case-insensitive), each looked for at most once:
    rules that share keywords (a generic rule and its unquoted or weak twin) ask again."""

    __slots__ = ("_lowered", "_seen", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._lowered: str | None = None
        self._seen: dict[str, bool] = {}

    def in_windows(self, keywords: tuple[str, ...], windows: list[tuple[int, int]]) -> bool:
        """Whether one of ``keywords`` occurs inside one of the windows (lowered)."""
        text = self._text
        for lo, hi in windows:
            part = text[lo:hi].lower()
            for k in keywords:
                if k in part:
                    return True
        return False

    def any_of(self, keywords: tuple[str, ...]) -> bool:
        seen = self._seen
        for k in keywords:
            found = seen.get(k)
            if found is None:
                if self._lowered is None:
                    self._lowered = self._text.lower()
                found = seen[k] = k in self._lowered
            if found:
                return True
        return False


class _ByteToChar:
    """Maps increasing UTF-8 byte offsets to character offsets (one pass overall)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.b = 0
        self.c = 0

    def __call__(self, b: int) -> int:
        if b < self.b:  # not increasing: restart (rare)
            self.b = self.c = 0
        seg = self.data[self.b : b]
        self.c += len(seg.translate(None, _CONT_BYTES))
        self.b = b
        return self.c


def _with_lines(
    text: str,
    found: Sequence[tuple[int, int, int, int, _Prepared, str]],
    base: int,
    line_at_base: int,
    line_start_abs: int,
) -> Iterator[SecretMatch]:
    """Attach 1-based line/column to matches (sorted by start), offsets made absolute."""
    pos = 0
    line = line_at_base
    line_start = line_start_abs - base  # may be negative: the line began before the buffer
    for s, e, ms, me, p, value in found:
        nl = text.count("\n", pos, s)
        if nl:
            line += nl
            line_start = text.rfind("\n", pos, s) + 1
        pos = s
        end_nl = text.count("\n", s, e)
        if end_nl:
            end_line = line + end_nl
            end_col = e - (text.rfind("\n", s, e) + 1) + 1
        else:
            end_line, end_col = line, e - line_start + 1
        yield SecretMatch(
            rule=p.rule,
            value=value,
            start=base + s,
            end=base + e,
            line=line,
            column=s - line_start + 1,
            confidence=confidence_of(p.rule, value),
            match_start=base + ms,
            match_end=base + me,
            end_line=end_line,
            end_column=end_col,
        )


def rules_hash(rules: Sequence[SecretRule]) -> str:
    h = hashlib.sha256()
    for r in rules:
        h.update(r.scan_pattern.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()
