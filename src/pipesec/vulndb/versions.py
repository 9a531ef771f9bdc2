"""Version order per ecosystem, as each ecosystem's own tools define it.

:func:`parse_version` turns a version string into a key that compares (``<``, ``==``) in
the ecosystem's order and is hashable; it raises ``ValueError`` for a string the ecosystem
would not accept.

- PyPI: PEP 440 through ``packaging`` (``3.2 == 3.2.0``).
- npm, crates.io, Pub, Hex, SwiftURL, GitHub Actions: SemVer 2.0 precedence (build
  metadata ignored; a missing minor/patch counts as 0; a leading ``v``/``=`` is dropped).
- Go: SemVer with the ``v`` prefix optional, ``+incompatible`` ignored, pseudo-versions
  ordered as the prereleases they are; ``go1.21rc2``/``1.21`` for ``stdlib``/``toolchain``.
- RubyGems: ``Gem::Version`` (segments split at letters; any letter makes a prerelease).
- Maven: ``ComparableVersion`` (qualifiers alpha < beta < milestone < rc < snapshot <
  release < sp, then unknown qualifiers).
- NuGet: up to four numeric parts (``1.0 == 1.0.0.0``) and a case-insensitive SemVer
  prerelease.
- Packagist: Composer's normalisation (four numeric parts) and PHP ``version_compare``
  order (dev < alpha < beta < RC < release < patch).
- Debian, Ubuntu (dpkg), Alpine (apk), AlmaLinux, Rocky Linux, Red Hat, SUSE... (rpm):
  see :mod:`pipesec.vulndb.osversions`.
- anything else: numeric and alphabetic runs compared in turn.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from packaging.utils import canonicalize_version
from packaging.version import InvalidVersion, Version

from pipesec.vulndb.osversions import apk_key, dpkg_key, rpm_key

VersionKey = Any

# --------------------------------------------------------------------------- SemVer

_SEMVER = re.compile(
    r"^(0|[1-9]\d*|\d+)(?:\.(\d+))?(?:\.(\d+))?"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)


def _pre_key(pre: str | None, *, fold_case: bool = False) -> tuple[Any, ...]:
    if pre is None:
        return (1,)
    ids: list[tuple[int, int, str]] = []
    for part in pre.split("."):
        if part.isdigit():
            ids.append((0, int(part), ""))
        else:
            ids.append((1, 0, part.lower() if fold_case else part))
    return (0, *ids)


def semver_key(version: str) -> tuple[Any, ...]:
    v = version.strip()
    v = v.lstrip("=").strip()
    if v[:1] in ("v", "V"):
        v = v[1:]
    m = _SEMVER.match(v)
    if not m:
        raise ValueError(f"{version!r} is not a SemVer version")
    major, minor, patch, pre, _build = m.groups()
    return (int(major), int(minor or 0), int(patch or 0), _pre_key(pre))


# --------------------------------------------------------------------------- Go

_GO_TOOLCHAIN = re.compile(r"^(?:go)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(rc|beta|alpha)(\d+))?$")


def go_key(version: str) -> tuple[Any, ...]:
    v = version.strip()
    m = _GO_TOOLCHAIN.match(v)
    if m and (v.startswith("go") or m.group(4)):
        major, minor, patch, kind, num = m.groups()
        pre = (0, (1, 0, kind), (0, int(num), "")) if kind else (1,)
        return (int(major), int(minor or 0), int(patch or 0), pre)
    if v.endswith("+incompatible"):
        v = v[: -len("+incompatible")]
    return semver_key(v)


# --------------------------------------------------------------------------- RubyGems

_GEM_OK = re.compile(r"^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$")
_GEM_SEG = re.compile(r"[0-9]+|[a-zA-Z]+")
_TERMINATOR = (1, 0, "")


def gem_key(version: str) -> tuple[Any, ...]:
    v = version.strip()
    if not v or not _GEM_OK.match(v):
        raise ValueError(f"{version!r} is not a RubyGems version")
    v = v.replace("-", ".pre.")
    segs: list[int | str] = [int(s) if s.isdigit() else s for s in _GEM_SEG.findall(v)]
    first_str = next((i for i, s in enumerate(segs) if isinstance(s, str)), len(segs))
    numeric, strings = segs[:first_str], segs[first_str:]
    while numeric and numeric[-1] == 0:
        numeric.pop()
    while strings and strings[-1] == 0:
        strings.pop()
    out = [(1, s, "") if isinstance(s, int) else (0, 0, s) for s in numeric + strings]
    return (*out, _TERMINATOR)


# --------------------------------------------------------------------------- Maven

_MAVEN_QUALIFIERS = ("alpha", "beta", "milestone", "rc", "snapshot", "", "sp")
_MAVEN_ALIASES = {"ga": "", "final": "", "release": "", "cr": "rc"}
_RELEASE_INDEX = str(_MAVEN_QUALIFIERS.index(""))

# an item is ("i", int) | ("s", str) | ("l", list[item])
_Item = tuple[str, Any]


def _qual(value: str) -> str:
    if value in _MAVEN_QUALIFIERS:
        return str(_MAVEN_QUALIFIERS.index(value))
    return f"{len(_MAVEN_QUALIFIERS)}-{value}"


def _string_item(value: str, followed_by_digit: bool) -> _Item:
    if followed_by_digit and len(value) == 1:
        value = {"a": "alpha", "b": "beta", "m": "milestone"}.get(value, value)
    return ("s", _MAVEN_ALIASES.get(value, value))


def _is_null(item: _Item) -> bool:
    kind, val = item
    if kind == "i":
        return bool(val == 0)
    if kind == "s":
        return _qual(val) == _RELEASE_INDEX
    return not val


def _normalize(items: list[_Item]) -> None:
    for i in range(len(items) - 1, -1, -1):
        if _is_null(items[i]):
            del items[i]
        elif items[i][0] != "l":
            break


def _maven_parse(version: str) -> list[_Item]:
    version = version.lower()
    root: list[_Item] = []
    lst = root
    stack = [root]
    is_digit = False
    start = 0

    def item(digit: bool, buf: str) -> _Item:
        return ("i", int(buf)) if digit else _string_item(buf, False)

    def push() -> list[_Item]:
        new: list[_Item] = []
        lst.append(("l", new))
        stack.append(new)
        return new

    for i, c in enumerate(version):
        if c == ".":
            lst.append(("i", 0) if i == start else item(is_digit, version[start:i]))
            start = i + 1
        elif c == "-":
            lst.append(("i", 0) if i == start else item(is_digit, version[start:i]))
            start = i + 1
            lst = push()
        elif c.isdigit():
            if not is_digit and i > start:
                if lst:
                    lst = push()
                lst.append(_string_item(version[start:i], True))
                start = i
                lst = push()
            is_digit = True
        else:
            if is_digit and i > start:
                lst.append(item(True, version[start:i]))
                start = i
                lst = push()
            is_digit = False
    if len(version) > start:
        if not is_digit and lst:
            lst = push()
        lst.append(item(is_digit, version[start:]))
    while stack:
        _normalize(stack.pop())
    return root


def _cmp(a: _Item | None, b: _Item | None) -> int:
    if a is None:
        return 0 if b is None else -_cmp(b, None)
    kind, val = a
    if kind == "i":
        if b is None:
            return 0 if val == 0 else 1
        if b[0] == "i":
            return int(val > b[1]) - int(val < b[1])
        return 1
    if kind == "s":
        if b is None:
            q = _qual(val)
            return (q > _RELEASE_INDEX) - (q < _RELEASE_INDEX)
        if b[0] == "i":
            return -1
        if b[0] == "s":
            qa, qb = _qual(val), _qual(b[1])
            return (qa > qb) - (qa < qb)
        return -1
    # list
    if b is None:
        return 0 if not val else _cmp(val[0], None)
    if b[0] == "i":
        return -1
    if b[0] == "s":
        return 1
    left, right = val, b[1]
    for i in range(max(len(left), len(right))):
        li = left[i] if i < len(left) else None
        ri = right[i] if i < len(right) else None
        r = -_cmp(ri, None) if li is None else _cmp(li, ri)
        if r:
            return r
    return 0


def _canon(items: list[_Item]) -> str:
    out = []
    for kind, val in items:
        out.append(f"[{_canon(val)}]" if kind == "l" else f"{kind}{val}")
    return ",".join(out)


@functools.total_ordering
class MavenVersion:
    __slots__ = ("_canon", "_items")

    def __init__(self, version: str) -> None:
        v = version.strip()
        if not v or any(c.isspace() for c in v):
            raise ValueError(f"{version!r} is not a Maven version")
        self._items = _maven_parse(v)
        self._canon = _canon(self._items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MavenVersion) and self._canon == other._canon

    def __lt__(self, other: MavenVersion) -> bool:
        return _cmp(("l", self._items), ("l", other._items)) < 0

    def __hash__(self) -> int:
        return hash(self._canon)

    def __repr__(self) -> str:
        return f"MavenVersion({self._canon})"


# --------------------------------------------------------------------------- NuGet

_NUGET = re.compile(
    r"^[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]*)?$"
)


def nuget_key(version: str) -> tuple[Any, ...]:
    m = _NUGET.match(version.strip())
    if not m:
        raise ValueError(f"{version!r} is not a NuGet version")
    nums = tuple(int(g or 0) for g in m.groups()[:4])
    return (*nums, _pre_key(m.group(5), fold_case=True))


# --------------------------------------------------------------------------- Composer

_PHP_SPECIAL = {"dev": 0, "alpha": 1, "a": 1, "beta": 2, "b": 2, "rc": 3, "#": 4, "pl": 5, "p": 5}
_PHP_NUMBER = 4
_COMPOSER_OK = re.compile(r"^[0-9a-z][0-9a-z._+-]*$")
_PHP_PART = re.compile(r"\d+|[a-z]+")


def composer_key(version: str) -> tuple[Any, ...]:
    v = version.strip().lower()
    if v.startswith("v"):
        v = v[1:]
    v = v.split("+", 1)[0]
    if not v or not _COMPOSER_OK.match(v) or not v[0].isdigit():
        raise ValueError(f"{version!r} is not a Composer version")
    parts = _PHP_PART.findall(v)
    n_num = 0
    while n_num < len(parts) and parts[n_num].isdigit():
        n_num += 1
    if n_num < 4:
        parts[n_num:n_num] = ["0"] * (4 - n_num)
    out = []
    for p in parts:
        if p.isdigit():
            out.append((_PHP_NUMBER, int(p)))
        else:
            out.append((_PHP_SPECIAL.get(p, -6), 0))
    return (*out, (_PHP_NUMBER, -1))


# --------------------------------------------------------------------------- PyPI


def pypi_key(version: str) -> Version:
    try:
        return Version(version.strip())
    except InvalidVersion:
        raise ValueError(f"{version!r} is not a PEP 440 version") from None


# --------------------------------------------------------------------------- generic

_GENERIC = re.compile(r"\d+|[A-Za-z]+")


def generic_key(version: str) -> tuple[Any, ...]:
    parts = _GENERIC.findall(version)
    if not parts:
        raise ValueError(f"{version!r} has no version parts")
    return tuple((1, int(p), "") if p.isdigit() else (0, 0, p.lower()) for p in parts)


_PARSERS: dict[str, Any] = {
    "PyPI": pypi_key,
    "npm": semver_key,
    "crates.io": semver_key,
    "Pub": semver_key,
    "Hex": semver_key,
    "SwiftURL": semver_key,
    "GitHub Actions": semver_key,
    "Go": go_key,
    "RubyGems": gem_key,
    "Maven": MavenVersion,
    "NuGet": nuget_key,
    "Packagist": composer_key,
    # OS distributions (osversions.py): the OSV ecosystem's name before the release suffix
    "Debian": dpkg_key,
    "Ubuntu": dpkg_key,
    "Alpine": apk_key,
    "Wolfi": apk_key,
    "Chainguard": apk_key,
    "AlmaLinux": rpm_key,
    "Rocky Linux": rpm_key,
    "Red Hat": rpm_key,
    "openEuler": rpm_key,
    "openSUSE": rpm_key,
    "SUSE": rpm_key,
    "Mageia": rpm_key,
}


@functools.lru_cache(maxsize=262_144)
def parse_version(ecosystem: str, version: str) -> VersionKey:
    """The comparable key of ``version`` in ``ecosystem`` (OSV spelling, suffix allowed).

    Raises ValueError when the ecosystem would not accept the string.
    """
    parser = _PARSERS.get(ecosystem.split(":", 1)[0], generic_key)
    return parser(version)


@functools.lru_cache(maxsize=262_144)
def canonical_version(ecosystem: str, version: str) -> str:
    """A string equal for two versions exactly when the ecosystem deems them equal
    (``3.2`` and ``3.2.0`` on PyPI); the stripped string itself when it does not parse."""
    try:
        key = parse_version(ecosystem, version)
    except ValueError:
        return version.strip()
    if isinstance(key, Version):
        return canonicalize_version(key)
    return repr(key)


def is_supported(ecosystem: str) -> bool:
    """True when the ecosystem has its own version order here (not the generic one)."""
    return ecosystem.split(":", 1)[0] in _PARSERS


def sort_versions(ecosystem: str, versions: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Unique versions sorted ascending; unparseable ones last, as strings."""
    good: dict[Any, str] = {}
    bad: set[str] = set()
    for v in versions:
        try:
            good.setdefault(parse_version(ecosystem, v), v)
        except ValueError:
            bad.add(v)
    return (*(good[k] for k in sorted(good)), *sorted(bad))
