"""The Hyperscan database of a rule set: compiled once, cached in the user cache directory.

Every rule's regex (or its ``prefilter`` pattern) is compiled in prefilter mode, which
accepts Python-only constructs (lookarounds, named groups) by approximating them with a
superset, so every true match still ends where Hyperscan reports one. A rule Hyperscan
rejects is left to the regex path (the engine searches it over the whole text).

Hyperscan's superset drops lookarounds, and a pattern whose boundary is only looked behind
(``(?<![A-Za-z0-9_-])00[A-Za-z0-9_-]{40}``) then ends at every character of a run (a file
of zeros): one Python callback each, about 100 times the cost of a normal byte. So a
pattern that starts with a one-character lookbehind is given to Hyperscan with that
boundary consumed instead (:func:`hs_pattern`): the character before the match, or the
start of a line. Its matches end where the pattern's own matches end, so the engine's
windows, worked out from the rule's regex, do not change.

The cache is not trusted as found: it is read and written through
:mod:`pipesec.core.cachemac` (an HMAC-SHA256 digest beside each database, its key from
``$PIPESEC_CACHE_KEY`` or the user data directory, never the cache; a mismatch rebuilds the
database with a warning; atomic writes). Single-text (``text-``) and multiline (``lines-``)
databases are two kinds, each keeping its :data:`~pipesec.core.cachemac.KEEP` most recently
used files.

A rule set with rules of its own (a gitleaks configuration's) is compiled as two databases
(``load(..., split=n)``): the built-in rules' (the first ``n``), cached as the rule set
without those rules would be, and the rules of the configuration's, compiled alone and
cached under their own digest as a kind of their own (``xtext-``, ``xlines-``), so that
editing them, or a tree bringing many of them, compiles only them and never evicts the
built-in database. The engine scans both as one (:class:`Joined`).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from pipesec.core import cachemac
from pipesec.scanners.secrets.rules.base import SecretRule

log = logging.getLogger(__name__)

_FORMAT = b"pipesec-hsdb-1"
#: the first two characters of the names of older versions' databases (``<key>.hsdb``, 64
#: hex digits): counted with either kind, so they are removed as they age. Two, not one:
#: the bound kinds' names start with ``b`` (``blines-``, ``btext-``), and a first ``b``
#: counted them among the main kinds' KEEP, so writing a ``text-``/``lines-`` database
#: removed another version's main database (a rebuild, ~25 s of CPU, each time two
#: versions share the cache and take turns; review17)
_OLDER_NAMES = tuple(a + b for a in "0123456789abcdef" for b in "0123456789abcdef")


def cache_dir_default() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("pipesec")) / "secrets"


def load(
    rules: Sequence[SecretRule],
    *,
    cache_dir: Path | None = None,
    required: bool = False,
    multiline: bool = False,
    split: int | None = None,
    bound: bool = False,
) -> tuple[Any, frozenset[int]] | None:
    """(database, indices of the rules it holds), or None when Hyperscan is unavailable.

    ``multiline``: ``^`` and ``$`` match at every line boundary (the database that scans
    many texts joined by newlines at once, see ``SecretEngine.may_find``). ``split``: the
    rules from that index on are a configuration's own, compiled and cached as a database
    of their own (see the module's docstring); the result is then a :class:`Joined` (0: all
    of them are, one database of that kind). ``bound``: the database of the rules bound to
    a path (``path_regex``), which the main one leaves out: scanned only in the files whose
    path one of them matches, a kind of its own in the cache (``b``).
    """
    try:
        import hyperscan
    except ImportError:
        if required:
            raise
        log.debug("hyperscan not installed; using the regex engine")
        return None
    directory = cache_dir if cache_dir is not None else cache_dir_default()
    if split == 0:  # the configuration's own rules alone
        return _load_part(rules, hyperscan, directory, multiline, required, own=True, bound=bound)
    if split is None or not 0 < split < len(rules):
        return _load_part(rules, hyperscan, directory, multiline, required, bound=bound)
    first = _load_part(rules[:split], hyperscan, directory, multiline, required, bound=bound)
    if first is None:
        return None
    second = _load_part(
        rules[split:], hyperscan, directory, multiline, required, own=True, bound=bound
    )
    if second is None:  # not reached: an own part answers (None, no ids) when it cannot
        second = (None, frozenset())
    ids = first[1] | frozenset(split + i for i in second[1])
    return Joined(first[0], second[0] if second[1] else None, split), ids


class Joined:
    """The built-in rules' database and a configuration's own rules' database, scanned as
    one: the second reports its rules' ids offset by ``offset`` (the number of rules before
    them). ``second`` is None when none of the own rules is in a database."""

    def __init__(self, first: Any, second: Any, offset: int) -> None:
        self.first = first
        self.second = second
        self.offset = offset

    def scan(self, data: bytes, *, match_event_handler: Any) -> None:
        if self.first is not None:
            self.first.scan(data, match_event_handler=match_event_handler)
        if self.second is None:
            return
        offset = self.offset

        def shifted(rid: int, start: int, end: int, flags: int, ctx: object) -> Any:
            return match_event_handler(rid + offset, start, end, flags, ctx)

        self.second.scan(data, match_event_handler=shifted)


def _load_part(
    rules: Sequence[SecretRule],
    hyperscan: Any,
    directory: Path,
    multiline: bool,
    required: bool,
    *,
    own: bool = False,
    bound: bool = False,
) -> tuple[Any, frozenset[int]] | None:
    """``rules``' database, from the cache or compiled (``own``: a configuration's rules,
    cached as their own kind; a set of which none can be in a database gives no database
    and no ids; ``bound``: the rules bound to a path, see :func:`load`)."""
    patterns = _patterns(rules, own=own)
    #: rules bound to a path run only on matching files: in the main database their
    #: patterns (often without a literal: ``.pgpass`` lines) cost every file, ~45% of its
    #: time; they are the bound database, scanned in their files only
    skip = frozenset(i for i, r in enumerate(rules) if bool(r.path_regex) != bound)
    # Hyperscan reads a pattern up to its first NUL: the rest would be lost, and a hit end
    # before the match's (a configuration's regex may hold one): such rules are searched as
    # rejected ones are
    skip |= frozenset(i for i, p in enumerate(patterns) if b"\x00" in p)
    if (own or bound) and len(skip) == len(rules):
        return None, frozenset()
    key = database_key(rules, hyperscan, multiline, own=own, bound=bound)
    path = _path(directory, key, multiline, own=own, bound=bound)
    cached = _read_cache(path, hyperscan)
    if cached is not None:
        return cached
    try:
        db, ids = _compile(patterns, hyperscan, skip, multiline, one_by_one=own)
    except Exception:
        if required:
            raise
        if own:  # the built-in rules keep their database
            log.warning("Hyperscan could not compile the configuration's own secret rules")
            return None, frozenset()
        log.warning("Hyperscan could not compile the secret rules; using the regex engine")
        return None
    if not ids:
        return None, frozenset()
    _write_cache(path, db, ids, hyperscan, keep=BOUND_KEEP if bound else cachemac.KEEP)
    return db, ids


#: databases kept of the bound kinds: the engine compiles one per set of path-bound rules
#: that apply to a file together (``.tfvars``, YAML, JSON, XML files ...: a tree has a few)
BOUND_KEEP = 32


def load_paths(
    regexes: Sequence[str], exact: Sequence[bool], *, cache_dir: Path | None = None
) -> tuple[Any, frozenset[int]] | None:
    """The multiline database of the path-bound rules' path regexes (scanned over a batch's
    paths joined by newlines), cached (``paths-``): compiled it costs ~45 ms of CPU, more
    than the batch pass it saves on a small tree. A regex whose ``exact`` is true is compiled
    as it is (its hits are matches), the others in prefilter mode with their counted repeats
    widened (a superset: a hit is a path to test with the rule's regex). Returns the
    database and the ids of the regexes compiled exactly (none when Hyperscan refuses one
    of them as it is: all are compiled as prefilters then), or None when it cannot."""
    try:
        import hyperscan
    except ImportError:
        return None
    shaped = [
        (r if x else widened(r)).encode("utf-8", "surrogatepass")
        for r, x in zip(regexes, exact, strict=True)
    ]
    h = hashlib.sha256(_FORMAT + b"-paths")
    h.update(str(getattr(hyperscan, "__version__", "")).encode())
    for p, x in zip(shaped, exact, strict=True):
        h.update(b"=" if x else b"~")
        _update(h, p)
    directory = cache_dir if cache_dir is not None else cache_dir_default()
    path = directory / f"paths-{h.hexdigest()}.hsdb"
    cached = _read_cache(path, hyperscan)
    if cached is not None:
        return cached
    base = hyperscan.HS_FLAG_ALLOWEMPTY | hyperscan.HS_FLAG_MULTILINE
    loose = base | hyperscan.HS_FLAG_PREFILTER

    def build(flags: list[int]) -> Any:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(
            expressions=shaped, ids=list(range(len(shaped))), elements=len(shaped), flags=flags
        )
        return db

    try:
        db = build([base if x else loose for x in exact])
        ids = frozenset(i for i, x in enumerate(exact) if x)
    except Exception:  # one refused as it is (a construct of Python's only): all prefilters
        log.debug("path regexes compiled as prefilters", exc_info=True)
        try:
            db, ids = build([loose] * len(shaped)), frozenset()
        except Exception:
            log.debug("cannot compile the path database", exc_info=True)
            return None
    _write_cache(path, db, ids, hyperscan)
    return db, ids


def _patterns(rules: Sequence[SecretRule], *, own: bool = False) -> list[bytes]:
    """What Hyperscan compiles for ``rules`` (``own``: a configuration's, bounds widened)."""
    shape = widened if own else _same
    return [shape(rule_pattern(r)).encode("utf-8", "surrogatepass") for r in rules]


def _same(pattern: str) -> str:
    return pattern


#: the widest counted repeat a configuration's own rule gives Hyperscan (see :func:`widened`)
OWN_REPEAT = 64
#: an escape, a character class, or a counted repeat (its minimum, comma, maximum)
_COUNTED = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|\{(\d*)(,?)(\d*)\}", re.DOTALL)


def widened(pattern: str) -> str:
    """``pattern`` with every counted repeat over :data:`OWN_REPEAT` widened to
    ``{OWN_REPEAT,}`` (or its own smaller minimum): a superset of its matches, so every true
    match still ends where Hyperscan reports one (the engine's windows come from the
    rule's regex), at a compile cost that does not grow with the count. Hyperscan's compile
    time grows with counted repeats (100 rules ``k_[a-z0-9]{1,5000}``: 6.5 s of CPU; 1,000:
    over 5 minutes), and a scanned tree's ``.gitleaks.toml`` is hostile."""

    def widen(m: re.Match[str]) -> str:
        if m.group(1) is None and m.group(3) is None:
            return m.group()
        low, high = m.group(1), m.group(3)
        numbers = [int(x) for x in (low, high) if x]
        if not numbers or max(numbers) <= OWN_REPEAT:
            return m.group()
        least = int(low) if low else 0  # {n}, {m,n}, {m,}, {,n}
        return f"{{{min(least, OWN_REPEAT)},}}"

    return _COUNTED.sub(widen, pattern)


#: the group openers a pattern starts with: ``((?:``
_OPENERS = re.compile(r"(?:\((?:\?:|\?P<\w+>|(?!\?)))*")
#: the bytes of characters past ASCII in UTF-8 (Hyperscan reads bytes)
_HIGH = r"\x80-\xff"


def rule_pattern(rule: SecretRule) -> str:
    """The pattern Hyperscan is given for ``rule``: its ``scan_pattern`` with a leading
    lookbehind consumed (:func:`hs_pattern`); a ``prefilter`` matches a prefix of every
    match of the rule's regex, so it starts where the match starts: the boundary of the
    regex's leading lookbehind goes before it."""
    pattern = rule.scan_pattern
    turned = hs_pattern(pattern)
    if turned != pattern or not rule.prefilter:
        return turned
    lead = _boundary(rule.regex)
    return pattern if lead is None else f"{lead[0]}(?:{pattern})"


@lru_cache(maxsize=4096)
def hs_pattern(pattern: str) -> str:
    """``pattern`` for Hyperscan: a one-character lookbehind that starts it, before or
    right after its literal prefix, turned into a consumed boundary; any other pattern is
    returned as it is.

    ``(?<!X)`` becomes ``(?:^|[bytes X does not match])``, ``(?<=X)`` becomes ``[bytes X
    matches]``, and a prefix the lookbehind repeats, ``P(?<!XP)`` (the form of the rules
    with a literal prefix), becomes ``(?:^|[bytes X does not match])P``. Wherever the
    lookbehind holds before a match, the boundary matches the character before it (or
    ``^`` at the text's start, a line's in the multiline database), so every match still
    ends where Hyperscan reports one and the engine's windows, worked out from the rule's
    regex, do not change. The class is worked out by testing the lookbehind on each ASCII
    character and holds every byte past ASCII: a multi-byte character's last byte (which X
    may or may not match as a character), and the bytes of one that a Unicode class at the
    start of the match takes in Python (``[\\w.-]{0,30}`` takes "é", Hyperscan's ``\\w``
    does not: it starts after it, the boundary then being é's last byte).

    Only a lookbehind that nothing consumed precedes but group openers and the literal it
    repeats is turned, and only when none of those groups is repeated (the boundary would
    be asked again at each repetition)."""
    found = _boundary(pattern)
    if found is None:
        return pattern
    boundary, _literal, at, prefix, rest = found
    return pattern[:at] + boundary + prefix + pattern[rest:]


@lru_cache(maxsize=4096)
def _boundary(pattern: str) -> tuple[str, str, int, str, int] | None:
    """``(boundary, literal, at, prefix, rest)`` of a pattern whose reading starts with a
    one-character lookbehind (see :func:`hs_pattern`): the consumed boundary, the literal
    before the lookbehind (its source ``prefix``), where the group openers end and where
    the lookbehind does; None for any other pattern."""
    at = _OPENERS.match(pattern).end()  # type: ignore[union-attr]  # matches "" at least
    look = pattern.find("(?<", at)
    if look < 0 or pattern[look + 3 : look + 4] not in ("!", "="):
        return None
    negative = pattern[look + 3] == "!"
    prefix = pattern[at:look]
    look_end = _group_end(pattern, look + 4)
    body = pattern[look + 4 : look_end - 1]
    if look_end < 0 or "(" in body or "(" in prefix or (prefix and not negative):
        return None
    if not _enclosing_unrepeated(pattern, at):
        return None
    one = body[: len(body) - len(prefix)]
    if body.endswith(prefix) and _ONE_CHARACTER.fullmatch(one) and _LITERAL.fullmatch(prefix):
        # the common forms, ``(?<![…])`` and ``tok_(?<![…]tok_)``: worked out once per class
        boundary = _class_boundary(one, negative)
        literal = _ESCAPE.sub(r"\1", prefix)
    else:
        found = _any_boundary(body, prefix, negative)
        if found is None:
            return None
        boundary, literal = found
    return boundary, literal, at, prefix, look_end


#: a literal's source: word characters, hyphens and escaped punctuation
_LITERAL = re.compile(r"(?:[\w-]|\\[^\w\s])*")
_ESCAPE = re.compile(r"\\(.)")
#: one character's pattern: a class, an escaped punctuation character or a category, a word
#: character
_ONE_CHARACTER = re.compile(r"\[\^?\]?(?:[^\]\\\[]|\\.)*\]|\\[^A-Za-z0-9\s]|\\[dDsSwW]|\w")


@lru_cache(maxsize=256)
def _class_boundary(one: str, negative: bool) -> str:
    """The consumed boundary of a lookbehind on one character, ``one`` (its pattern)."""
    compiled = re.compile(one)
    return _consumed([c for c in range(128) if compiled.fullmatch(chr(c)) is not None], negative)


def _any_boundary(body: str, prefix: str, negative: bool) -> tuple[str, str] | None:
    """The boundary of a lookbehind ``body`` after the literal ``prefix`` (its source) in
    any other form, from their parses: None unless ``prefix`` is a literal and ``body`` is
    one character wider."""
    try:
        parsed = sre_parse.parse(prefix)
        literal = "".join(chr(v) for op, v in parsed if op is sre_parse.LITERAL)
        width = len(literal) + 1
        if len(literal) != parsed.getwidth()[1] or sre_parse.parse(body).getwidth() != (
            width,
            width,
        ):
            return None
        compiled = re.compile(body)
    except (re.error, OverflowError):
        return None
    tail = literal if negative else ""
    matched = [c for c in range(128) if compiled.fullmatch(chr(c) + tail) is not None]
    return _consumed(matched, negative), literal


def _consumed(matched: list[int], negative: bool) -> str:
    """The consumed boundary of a lookbehind that holds on the ASCII codes ``matched`` (a
    positive one) or fails on them (a negative one): the other codes, or these, and every
    byte past ASCII; a negative lookbehind also holds at a line's start."""
    if negative:
        held = set(matched)
        return f"(?:^|[{_byte_ranges([c for c in range(128) if c not in held])}{_HIGH}])"
    return f"[{_byte_ranges(matched)}{_HIGH}]"


def _byte_ranges(codes: list[int]) -> str:
    """A character class body of ``codes`` (sorted), as ``\\xHH`` ranges."""
    out = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        out.append(f"\\x{codes[i]:02x}" + (f"-\\x{codes[j]:02x}" if j > i else ""))
        i = j + 1
    return "".join(out)


#: what a group's end is looked for through: an escape, a class, a parenthesis
_TOKENS = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|[()]", re.DOTALL)


def _group_end(pattern: str, at: int) -> int:
    """The index after the ``)`` that closes the group whose body starts at ``at`` (-1:
    none). Escapes and character classes are skipped."""
    depth = 1
    for m in _TOKENS.finditer(pattern, at):
        part = m.group()
        if part == "(":
            depth += 1
        elif part == ")":
            depth -= 1
            if depth == 0:
                return m.end()
    return -1


def _enclosing_unrepeated(pattern: str, at: int) -> bool:
    """Whether none of the groups opened before ``at`` (the nested openers that start
    ``pattern``) is followed by a quantifier once closed: one pass over the rest."""
    outer = pattern.count("(", 0, at)
    inner = 0
    for m in _TOKENS.finditer(pattern, at):
        part = m.group()
        if part == "(":
            inner += 1
        elif part == ")":
            if inner:
                inner -= 1
                continue
            if pattern[m.end() : m.end() + 1] in ("*", "+", "?", "{"):
                return False
            outer -= 1
            if outer == 0:
                return True
    return outer == 0


def database_key(
    rules: Sequence[SecretRule],
    hyperscan: Any,
    multiline: bool = False,
    *,
    own: bool = False,
    bound: bool = False,
) -> str:
    """The name of ``rules``' database in the cache (a digest of what it compiles)."""
    compiled = _patterns(rules, own=own)
    patterns = [
        b"-" if bool(r.path_regex) != bound else p for r, p in zip(rules, compiled, strict=True)
    ]
    return _key(patterns, hyperscan, multiline)


def read_cached(key: str, cache_dir: Path | None = None) -> Any:
    """The cached single-text database named ``key`` (its digest checked), or None."""
    import hyperscan

    directory = cache_dir if cache_dir is not None else cache_dir_default()
    cached = _read_cache(_path(directory, key), hyperscan)
    return cached[0] if cached is not None else None


def _path(
    directory: Path, key: str, multiline: bool = False, *, own: bool = False, bound: bool = False
) -> Path:
    """Where a database is cached; ``own``: a configuration's rules, a kind of their own
    (``x``: no name of this kind starts with a hex digit, the older versions' names);
    ``bound``: the rules bound to a path (``b``)."""
    kind = f"{'b' if bound else ''}{'x' if own else ''}{'lines' if multiline else 'text'}"
    return directory / f"{kind}-{key}.hsdb"


def _key(patterns: list[bytes], hyperscan: Any, multiline: bool = False) -> str:
    h = hashlib.sha256(_FORMAT + (b"-multiline" if multiline else b""))
    h.update(str(getattr(hyperscan, "__version__", "")).encode())
    for p in patterns:
        _update(h, p)
    return h.hexdigest()


def _update(h: Any, pattern: bytes) -> None:
    """Add one pattern to a cache name's digest, its length first: a list of patterns is
    named by exactly one sequence of bytes. Joined by NUL as before, the patterns of a
    scanned tree's configuration could name another list's database (a path regex
    ``ab\\x00~cd`` was the two regexes ``ab`` and ``cd``): scanned first from a CI cache
    both trees share, a pull request's tree had the other tree's scan load a database in
    which its rule bound to ``cd`` never matched (review17)."""
    h.update(len(pattern).to_bytes(8, "big"))
    h.update(pattern)


def _compile(
    patterns: list[bytes],
    hyperscan: Any,
    skip: frozenset[int] = frozenset(),
    multiline: bool = False,
    *,
    one_by_one: bool = False,
) -> tuple[Any, frozenset[int]]:
    """The database of ``patterns`` but ``skip``; an expression Hyperscan rejects is left
    out (the engine searches its rule with Python's regex). ``one_by_one`` (a
    configuration's own rules, which the scanned tree may bring): when the whole set fails,
    each pattern is tried alone, so that a rejection whose message names no expression
    (``Bounded repeat is too large.``) leaves out that rule only, and the rules are compiled
    at most twice besides, however many are rejected."""
    ids = [i for i in range(len(patterns)) if i not in skip]
    flag = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_ALLOWEMPTY
    if multiline:
        flag |= hyperscan.HS_FLAG_MULTILINE

    def build(chosen: list[int]) -> Any:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(
            expressions=[patterns[i] for i in chosen],
            ids=chosen,
            elements=len(chosen),
            flags=[flag] * len(chosen),
        )
        return db

    while True:
        try:
            return build(ids), frozenset(ids)
        except hyperscan.error as exc:  # the message names the failing expression
            if one_by_one:
                ids = [i for i in ids if _accepted(build, i)]
                if not ids:
                    return None, frozenset()
                return build(ids), frozenset(ids)
            m = re.search(r"(?:Expression|expression) (?:id )?(\d+)", str(exc))
            if m is None:
                raise
            bad = int(m.group(1))
            index = ids[bad] if bad < len(ids) else bad
            if index not in ids:
                raise
            log.debug("hyperscan rejected rule %d: %s", index, exc)
            ids.remove(index)


def _accepted(build: Any, i: int) -> bool:
    """Whether Hyperscan compiles pattern ``i`` alone."""
    import hyperscan

    try:
        build([i])
    except hyperscan.error as exc:
        log.debug("hyperscan rejected rule %d: %s", i, exc)
        return False
    return True


def _read_cache(path: Path, hyperscan: Any) -> tuple[Any, frozenset[int]] | None:
    raw = cachemac.read_signed(path, "Hyperscan database of the secret rules")
    if raw is None:
        return None
    try:
        header, _, rest = raw.partition(b"\n")
        ids = frozenset(int(x) for x in header.split(b",") if x)
        db = hyperscan.loadb(rest, hyperscan.HS_MODE_BLOCK)
        db.scratch = hyperscan.Scratch(db)
    except Exception:
        log.debug("ignoring unreadable hyperscan cache %s", path, exc_info=True)
        return None
    return db, ids


def _write_cache(
    path: Path, db: Any, ids: frozenset[int], hyperscan: Any, keep: int = cachemac.KEEP
) -> None:
    """Keep ``db`` and the most recently used databases of its kind (best effort: another
    process may be removing old ones too; one that finds its database gone compiles it
    again)."""
    try:
        payload = ",".join(str(i) for i in sorted(ids)).encode() + b"\n" + hyperscan.dumpb(db)
        cachemac.write_kept(
            path, payload, path.name.partition("-")[0] + "-", *_OLDER_NAMES, keep=keep
        )
    except Exception:
        log.debug("cannot write the hyperscan cache %s", path, exc_info=True)
