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
#: the first character of the names of older versions' databases (``<key>.hsdb``): counted
#: with either kind, so they are removed as they age
_OLDER_NAMES = tuple("0123456789abcdef")


def cache_dir_default() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("pipesec")) / "secrets"


def load(
    rules: Sequence[SecretRule],
    *,
    cache_dir: Path | None = None,
    required: bool = False,
    multiline: bool = False,
) -> tuple[Any, frozenset[int]] | None:
    """(database, indices of the rules it holds), or None when Hyperscan is unavailable.

    ``multiline``: ``^`` and ``$`` match at every line boundary (the database that scans
    many texts joined by newlines at once, see ``SecretEngine.may_find``).
    """
    try:
        import hyperscan
    except ImportError:
        if required:
            raise
        log.debug("hyperscan not installed; using the regex engine")
        return None
    patterns = _patterns(rules)
    #: rules bound to a path run only on matching files: searched directly there, they
    #: would otherwise report candidates in every file for nothing
    skip = frozenset(i for i, r in enumerate(rules) if r.path_regex)
    key = database_key(rules, hyperscan, multiline)
    directory = cache_dir if cache_dir is not None else cache_dir_default()
    cached = _read_cache(_path(directory, key, multiline), hyperscan)
    if cached is not None:
        return cached
    try:
        db, ids = _compile(patterns, hyperscan, skip, multiline)
    except Exception:
        if required:
            raise
        log.warning("Hyperscan could not compile the secret rules; using the regex engine")
        return None
    _write_cache(_path(directory, key, multiline), db, ids, hyperscan)
    return db, ids


def _patterns(rules: Sequence[SecretRule]) -> list[bytes]:
    return [rule_pattern(r).encode("utf-8", "surrogatepass") for r in rules]


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


def database_key(rules: Sequence[SecretRule], hyperscan: Any, multiline: bool = False) -> str:
    """The name of ``rules``' database in the cache (a digest of what it compiles)."""
    patterns = [b"-" if r.path_regex else p for r, p in zip(rules, _patterns(rules), strict=True)]
    return _key(patterns, hyperscan, multiline)


def read_cached(key: str, cache_dir: Path | None = None) -> Any:
    """The cached single-text database named ``key`` (its digest checked), or None."""
    import hyperscan

    directory = cache_dir if cache_dir is not None else cache_dir_default()
    cached = _read_cache(_path(directory, key), hyperscan)
    return cached[0] if cached is not None else None


def _path(directory: Path, key: str, multiline: bool = False) -> Path:
    return directory / f"{'lines' if multiline else 'text'}-{key}.hsdb"


def _key(patterns: list[bytes], hyperscan: Any, multiline: bool = False) -> str:
    h = hashlib.sha256(_FORMAT + (b"-multiline" if multiline else b""))
    h.update(str(getattr(hyperscan, "__version__", "")).encode())
    for p in patterns:
        h.update(p)
        h.update(b"\x00")
    return h.hexdigest()


def _compile(
    patterns: list[bytes],
    hyperscan: Any,
    skip: frozenset[int] = frozenset(),
    multiline: bool = False,
) -> tuple[Any, frozenset[int]]:
    ids = [i for i in range(len(patterns)) if i not in skip]
    flag = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_ALLOWEMPTY
    if multiline:
        flag |= hyperscan.HS_FLAG_MULTILINE
    while True:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        flags = [flag] * len(ids)
        try:
            db.compile(
                expressions=[patterns[i] for i in ids],
                ids=ids,
                elements=len(ids),
                flags=flags,
            )
            return db, frozenset(ids)
        except hyperscan.error as exc:  # the message names the failing expression
            m = re.search(r"(?:Expression|expression) (?:id )?(\d+)", str(exc))
            if m is None:
                raise
            bad = int(m.group(1))
            index = ids[bad] if bad < len(ids) else bad
            if index not in ids:
                raise
            log.debug("hyperscan rejected rule %d: %s", index, exc)
            ids.remove(index)


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


def _write_cache(path: Path, db: Any, ids: frozenset[int], hyperscan: Any) -> None:
    """Keep ``db`` and the most recently used databases of its kind (best effort: another
    process may be removing old ones too; one that finds its database gone compiles it
    again)."""
    try:
        payload = ",".join(str(i) for i in sorted(ids)).encode() + b"\n" + hyperscan.dumpb(db)
        cachemac.write_kept(path, payload, path.name.partition("-")[0] + "-", *_OLDER_NAMES)
    except Exception:
        log.debug("cannot write the hyperscan cache %s", path, exc_info=True)
