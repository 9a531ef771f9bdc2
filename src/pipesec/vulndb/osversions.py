"""Version order of the OS package managers: dpkg (Debian, Ubuntu), apk (Alpine) and rpm
(AlmaLinux, Rocky Linux, Red Hat, Fedora...), as their own tools define it.

- dpkg: ``[epoch:]upstream[-revision]``; upstream and revision are compared as runs of
  non-digits (letters sort before other characters, ``~`` before everything, even the end)
  and runs of digits (numerically) in turn (dpkg's ``verrevcmp``).
- rpm: ``[epoch:]version[-release]``; each part compared by ``rpmvercmp`` (alphanumeric
  segments, separators ignored, digits beat letters, ``~`` sorts before the end and ``^``
  after it). A missing epoch is 0; a missing release sorts before any release (rpm's
  ``rpm.vercmp``; dependency matching treats it as a wildcard instead).
- apk: apk-tools' token grammar ``digit{.digit}...{letter}{_suffix{#}}...{-r#}`` with
  ``_alpha < _beta < _pre < _rc < (release) < _cvs < _svn < _git < _hg < _p``.

Each ``*_key`` returns a value that compares and hashes in that order and raises
ValueError for a string the tool would refuse.
"""

from __future__ import annotations

import re
from typing import Any

# --------------------------------------------------------------------------- dpkg

_DPKG_OK = re.compile(r"^[A-Za-z0-9.+~:_-]+$")
_DPKG_RUN = re.compile(r"([^0-9]*)([0-9]*)")
_END_PAIR: tuple[tuple[int, ...], int] = ((0,), 0)


def _dpkg_char(c: str) -> int:
    if c == "~":
        return -1
    if c.isalpha():
        return ord(c)
    return ord(c) + 256


def _dpkg_part(text: str) -> tuple[tuple[tuple[int, ...], int], ...]:
    pairs: list[tuple[tuple[int, ...], int]] = []
    pos = 0
    while pos < len(text):
        m = _DPKG_RUN.match(text, pos)
        assert m is not None  # the pattern matches the empty string
        letters, digits = m.groups()
        pairs.append(((*(_dpkg_char(c) for c in letters), 0), int(digits or 0)))
        pos = m.end()
    # an absent tail compares as an empty non-digit run and the number 0: drop trailing
    # pairs equal to that and end every key with two, so shorter keys compare as dpkg does.
    # Only a first pair can equal the tail (every later run starts with a non-digit), so
    # two are enough: "0" -> (tail, tail) sorts above "0~" -> (tail, ~, tail, tail).
    while pairs and pairs[-1] == _END_PAIR:
        pairs.pop()
    pairs += (_END_PAIR, _END_PAIR)
    return tuple(pairs)


def _split_epoch(v: str) -> tuple[int, str]:
    """``[epoch:]rest`` (dpkg and rpm) -> (epoch, rest); a missing epoch is 0."""
    epoch_s, sep, rest = v.partition(":")
    if not sep:
        return 0, v
    if not epoch_s.isdigit():
        raise ValueError(f"{v!r} has a bad epoch")
    return int(epoch_s), rest


def dpkg_key(version: str) -> tuple[Any, ...]:
    v = version.strip()
    if not v or not _DPKG_OK.match(v):
        raise ValueError(f"{version!r} is not a Debian version")
    epoch, rest = _split_epoch(v)
    upstream, dash, revision = rest.rpartition("-")
    if not dash:
        upstream, revision = rest, ""
    if not upstream or (dash and not revision):
        raise ValueError(f"{version!r} has an empty upstream version or revision")
    if ":" in revision:
        raise ValueError(f"{version!r} has a colon in its revision")
    return (epoch, _dpkg_part(upstream), _dpkg_part(revision))


# --------------------------------------------------------------------------- rpm

_RPM_TOKEN = re.compile(r"[0-9]+|[A-Za-z]+|~|\^")
_RPM_END = (1, 0, "")


def _rpm_part(text: str) -> tuple[tuple[int, int, str], ...]:
    # rank: ~ (0) < end (1) < ^ (2) < letters (3) < digits (4)
    out: list[tuple[int, int, str]] = []
    for tok in _RPM_TOKEN.findall(text):
        if tok == "~":
            out.append((0, 0, ""))
        elif tok == "^":
            out.append((2, 0, ""))
        elif tok.isdigit():
            out.append((4, int(tok), ""))
        else:
            out.append((3, 0, tok))
    out.append(_RPM_END)
    return tuple(out)


def rpmvercmp_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """The key of one version or release string under rpmvercmp."""
    return _rpm_part(text)


def rpm_key(version: str) -> tuple[Any, ...]:
    v = version.strip()
    if not v or any(c.isspace() or not c.isprintable() for c in v):
        raise ValueError(f"{version!r} is not an RPM version")
    epoch, rest = _split_epoch(v)
    ver, dash, release = rest.rpartition("-")
    if not dash:
        ver, release = rest, ""
    if not ver:
        raise ValueError(f"{version!r} has an empty version")
    # a missing release sorts before any release, even an empty one (as rpm.vercmp does)
    rel = (_rpm_part(release),) if dash else ()
    return (epoch, _rpm_part(ver), rel)


# --------------------------------------------------------------------------- apk

(
    _T_INVALID,
    _T_DIGIT_OR_ZERO,
    _T_DIGIT,
    _T_LETTER,
    _T_SUFFIX,
    _T_SUFFIX_NO,
    _T_REVISION_NO,
    _T_END,
) = range(-1, 7)
_PRE_SUFFIXES = ("alpha", "beta", "pre", "rc")
_POST_SUFFIXES = ("cvs", "svn", "git", "hg", "p")
_EXPECTED_DOWN = {(_T_DIGIT_OR_ZERO, _T_DIGIT), (_T_SUFFIX, _T_SUFFIX_NO), (_T_DIGIT, _T_LETTER)}


def _apk_next_type(prev: int, s: str, pos: int) -> tuple[int, int]:
    """apk's next_token: the type of the token at ``pos`` after a token of type ``prev``,
    and the position after the separator that announced it."""
    if pos >= len(s):
        return _T_END, pos
    c = s[pos]
    if prev in (_T_DIGIT, _T_DIGIT_OR_ZERO) and "a" <= c <= "z":
        n = _T_LETTER
    elif prev == _T_LETTER and "0" <= c <= "9":
        n = _T_DIGIT
    elif prev == _T_SUFFIX and "0" <= c <= "9":
        n = _T_SUFFIX_NO
    else:
        n = _T_INVALID
        if c == ".":
            n = _T_DIGIT_OR_ZERO
        elif c == "_":
            n = _T_SUFFIX
        elif c == "-" and s[pos + 1 : pos + 2] == "r":
            n = _T_REVISION_NO
            pos += 1
        pos += 1
    if n < prev and (n, prev) not in _EXPECTED_DOWN:
        n = _T_INVALID
    return n, pos


def _apk_digits(s: str, pos: int) -> tuple[int, int]:
    end = pos
    while end < len(s) and "0" <= s[end] <= "9":
        end += 1
    return (int(s[pos:end]) if end > pos else 0), end


_Tokens = tuple[tuple[int, int], ...]


def apk_tokens(version: str) -> _Tokens:
    """What apk-tools' get_token yields reading ``version``: (value of a token, type of the
    token after it), up to the first END or INVALID type."""
    s = version
    pos = 0
    typ = _T_DIGIT
    out: list[tuple[int, int]] = []
    while typ not in (_T_END, _T_INVALID):
        if pos >= len(s):
            out.append((0, _T_END))
            break
        value = 0
        forced: int | None = None
        if typ == _T_DIGIT_OR_ZERO and s[pos] == "0":
            end = pos
            while end < len(s) and s[end] == "0":
                end += 1
            value, forced, pos = -(end - pos), _T_DIGIT, end
        elif typ in (_T_DIGIT_OR_ZERO, _T_DIGIT, _T_SUFFIX_NO, _T_REVISION_NO):
            value, pos = _apk_digits(s, pos)
        elif typ == _T_LETTER:
            value, pos = ord(s[pos]), pos + 1
        else:  # suffix
            for i, suf in enumerate(_PRE_SUFFIXES):
                if s.startswith(suf, pos):
                    value, pos = i - len(_PRE_SUFFIXES), pos + len(suf)
                    break
            else:
                for i, suf in enumerate(_POST_SUFFIXES):
                    if s.startswith(suf, pos):
                        value, pos = i, pos + len(suf)
                        break
                else:
                    out.append((-1, _T_INVALID))
                    break
        if pos >= len(s):
            typ = _T_END
        elif forced is not None:
            typ = forced
        else:
            typ, pos = _apk_next_type(typ, s, pos)
        out.append((value, typ))
    return tuple(out)


def apk_compare(a: str, b: str) -> int:
    """apk-tools' comparison of two version strings: -1, 0 or 1."""
    return _apk_cmp(apk_tokens(a), apk_tokens(b))


def _apk_cmp(ta: _Tokens, tb: _Tokens) -> int:
    at = bt = _T_DIGIT
    av = bv = 0
    i = 0
    while at == bt and at not in (_T_END, _T_INVALID) and av == bv:
        av, at = ta[i]
        bv, bt = tb[i]
        i += 1
    if av != bv:
        return -1 if av < bv else 1
    if at == bt:
        return 0
    # equal so far: the longer one is greater unless what follows is a pre-release suffix
    if at == _T_SUFFIX and ta[i][0] < 0:
        return -1
    if bt == _T_SUFFIX and tb[i][0] < 0:
        return 1
    if at > bt:
        return -1
    if bt > at:
        return 1
    return 0


class ApkVersion:
    """An apk version in apk-tools' order (compares with ``<`` and ``==``, hashable)."""

    __slots__ = ("_tokens",)

    def __init__(self, version: str) -> None:
        v = version.strip()
        tokens = apk_tokens(v)
        if not v or not v.isprintable() or tokens[-1][1] != _T_END:
            raise ValueError(f"{version!r} is not an apk version")
        self._tokens = tokens

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApkVersion) and self._tokens == other._tokens

    def __lt__(self, other: ApkVersion) -> bool:
        return _apk_cmp(self._tokens, other._tokens) < 0

    def __le__(self, other: ApkVersion) -> bool:
        return _apk_cmp(self._tokens, other._tokens) <= 0

    def __gt__(self, other: ApkVersion) -> bool:
        return _apk_cmp(self._tokens, other._tokens) > 0

    def __ge__(self, other: ApkVersion) -> bool:
        return _apk_cmp(self._tokens, other._tokens) >= 0

    def __hash__(self) -> int:
        return hash(self._tokens)

    def __repr__(self) -> str:
        return f"ApkVersion({self._tokens})"


def apk_key(version: str) -> ApkVersion:
    return ApkVersion(version)
