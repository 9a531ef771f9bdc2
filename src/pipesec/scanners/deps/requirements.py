"""pip requirements files: ``-r``/``-c`` includes, hashes, markers, extras, URLs, ``-e``.

Only exact pins (``==1.2.3`` without a wildcard, or ``===``) count as pinned; ranges, URLs,
VCS links and editables are reported as unpinned. ``-r`` files that the scanner discovers on
their own are left to it; others are read here and their packages attributed to the ``-r``
line. ``-c`` constraint files pin the requirements they name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement

from pipesec.core.lines import split_lines
from pipesec.scanners.deps.ecosystems import PYPI, normalize_name
from pipesec.scanners.deps.interface import Package, ParseResult, Problem, SiblingReader

_NAME_RE = re.compile(r"(?i)^(requirements.*|.*[-_.]requirements)\.txt$")
_EGG = re.compile(r"#.*?egg=([A-Za-z0-9_.\-]+)")
_HASH = re.compile(r"--hash[= ]([A-Za-z0-9]+):([A-Fa-f0-9]+)")
_OPTION_WITH_VALUE = re.compile(
    r"^(-i|--index-url|--extra-index-url|-f|--find-links|--trusted-host|--no-binary|"
    r"--only-binary|--prefer-binary|--require-hashes|--pre|--no-index|--use-feature)\b"
)
MAX_INCLUDE_DEPTH = 10
_INCLUDE = re.compile(r"^(-r|-c|--requirement|--constraint)(?:=|\s+|(?=[^-\s]))(.+)$")


def is_requirements_file(filename: str) -> bool:
    return bool(_NAME_RE.match(filename))


@dataclass(slots=True)
class _Line:
    text: str
    line: int


def logical_lines(text: str) -> Iterator[_Line]:
    """Join backslash continuations, drop comments; keep the first physical line number."""
    buf: list[str] = []
    start = 0
    for i, raw in enumerate(split_lines(text), 1):
        if not buf:
            start = i
        stripped = raw.rstrip()
        if stripped.endswith("\\"):
            buf.append(stripped[:-1])
            continue
        buf.append(stripped)
        joined = " ".join(buf)
        buf = []
        joined = re.sub(r"(^|\s)#.*$", "", joined).strip()
        if joined:
            yield _Line(joined, start)
    if buf:
        joined = re.sub(r"(^|\s)#.*$", "", " ".join(buf)).strip()
        if joined:
            yield _Line(joined, start)


def _constraints(text: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for ln in logical_lines(text):
        try:
            req = Requirement(_HASH.sub("", ln.text).strip())
        except InvalidRequirement:
            continue
        version = _exact_pin(req)
        if version:
            pins[normalize_name(PYPI, req.name)] = version
    return pins


def _exact_pin(req: Requirement) -> str:
    specs = list(req.specifier)
    if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
        return specs[0].version
    return ""


_DEV_NAME = re.compile(r"(?i)(^|[-_.])(dev|test|tests|lint|docs|ci)([-_.]|$)")


_COMMIT = re.compile(r"@[0-9a-f]{40}(?:#|$)")


def _immutable(url: str, hashes: tuple[str, ...]) -> bool:
    """A VCS URL at a full commit id, or an archive URL checked by --hash: what gets
    installed cannot change (though it has no version to check against advisories)."""
    if not url:
        return False
    return bool(_COMMIT.search(url)) or (bool(hashes) and not url.startswith(("git+", "hg+")))


_ARCHIVE = re.compile(r"(?i)^[^\s;]+\.(whl|tar\.gz|zip)(?:[#?][^\s]*)?$")


def archive_name_version(target: str) -> tuple[str, str] | None:
    """(name, version) from a wheel or sdist file name at the end of a path or URL
    (``./dist/Foo_Bar-1.2.3-py3-none-any.whl`` -> ``foo-bar``, ``1.2.3``), else None."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    last = re.split(r"[#?]", target, maxsplit=1)[0].replace("\\", "/").rstrip("/")
    filename = last.rsplit("/", 1)[-1]
    try:
        if filename.lower().endswith(".whl"):
            name, ver, _, _ = parse_wheel_filename(filename)
        elif filename.lower().endswith((".tar.gz", ".zip")):
            name, ver = parse_sdist_filename(filename)
        else:
            return None
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return normalize_name(PYPI, name), str(ver)


def is_dev_file(filename: str) -> bool:
    """dev-requirements.txt, requirements-test.txt ...: development requirements."""
    return bool(_DEV_NAME.search(filename.removesuffix(".txt")))


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    """Constraints (``-c``) apply to every requirement, wherever it was included from."""
    result = ParseResult()
    constraints: dict[str, str] = {}
    _parse_into(result, text, sibling, "", 0, None, set(), constraints)
    for pkg in result.packages:
        if not pkg.pinned and pkg.key.startswith("spec:") and pkg.name in constraints:
            pkg.version = constraints[pkg.name]
            pkg.pinned = True
            pkg.key = f"{pkg.name}@{pkg.version}"
            pkg.spec += f" (pinned by a constraints file to {pkg.version})"
    return result


def _parse_into(
    result: ParseResult,
    text: str,
    sibling: SiblingReader,
    base: str,
    depth: int,
    attributed_line: int | None,
    seen: set[str],
    constraints: dict[str, str],
) -> None:
    pending: list[tuple[Package, Requirement | None]] = []
    for ln in logical_lines(text):
        at = attributed_line or ln.line
        t = ln.text
        inc = _INCLUDE.match(t)
        if inc:
            is_constraint = inc.group(1) in ("-c", "--constraint")
            target = inc.group(2).strip()
            rel = _join(base, target)
            if rel is None:
                result.problems.append(
                    Problem(f"include {target!r} is an absolute path; not followed", ln.line)
                )
                continue
            if not is_constraint and is_requirements_file(rel.rsplit("/", 1)[-1]):
                continue  # scanned on its own
            if rel in seen or depth >= MAX_INCLUDE_DEPTH:
                result.problems.append(Problem(f"include loop or too deep at {target!r}", ln.line))
                continue
            content = sibling(rel)
            if content is None:
                result.problems.append(
                    Problem(f"included file {target!r} not found next to this file", ln.line)
                )
                continue
            if is_constraint:
                constraints.update(_constraints(content))
            else:
                _parse_into(
                    result,
                    content,
                    sibling,
                    rel.rsplit("/", 1)[0] if "/" in rel else "",
                    depth + 1,
                    at,
                    seen | {rel},
                    constraints,
                )
            continue
        if t.startswith(("-e ", "--editable")):
            target = re.sub(r"^(-e|--editable)[= ]?", "", t).strip()
            m = _EGG.search(target)
            local = not re.match(r"^[a-z+]+://|^git\+", target)
            name = m.group(1) if m else target.rstrip("/").rsplit("/", 1)[-1].split("[")[0]
            pkg = Package(
                PYPI,
                normalize_name(PYPI, name) if name not in ("", ".", "..") else target,
                "",
                at,
                key=f"editable:{target}",
                direct=True,
                pinned=False,
                spec=f"-e {target}",
                component=not local,
            )
            pending.append((pkg, None))
            continue
        if t.startswith("-") or _OPTION_WITH_VALUE.match(t):
            continue
        hashes = tuple(f"{a.lower()}:{h.lower()}" for a, h in _HASH.findall(t))
        # per-requirement options (--config-settings, --global-option ...) follow the spec
        body = re.split(r"\s+--?[a-z]", _HASH.sub("", t).strip(), maxsplit=1)[0].strip()
        if re.match(r"^[a-z+]+://|^git\+|^\.{0,2}/", body) or _ARCHIVE.search(body):
            # a bare URL or path; a wheel or sdist file name says its name and version
            archive = archive_name_version(body)
            if archive is not None and not body.startswith(("git+", "hg+", "svn+", "bzr+")):
                name, version = archive
                remote = bool(re.match(r"^[a-z+]+://", body)) and not body.startswith("file:")
                # a file in the tree is what gets installed; a URL may change unless hashed
                pinned = not remote or _immutable(body, hashes)
                pkg = Package(PYPI, name, version, at, direct=True, spec=body, hashes=hashes)
                if not pinned:
                    pkg.pinned = False
                    pkg.key = f"url:{body}"
                pending.append((pkg, None))
                continue
            m = _EGG.search(body)
            name = m.group(1) if m else body.rstrip("/").rsplit("/", 1)[-1]
            pkg = Package(
                PYPI,
                normalize_name(PYPI, name) if name not in ("", ".", "..") else body,
                "",
                at,
                key=f"url:{body}",
                direct=True,
                pinned=_immutable(body, hashes),
                spec=body,
                hashes=hashes,
                component=bool(re.match(r"^[a-z+]+://|^git\+", body)),
            )
            pending.append((pkg, None))
            continue
        try:
            req = Requirement(body)
        except InvalidRequirement as exc:
            why = str(exc).splitlines()[0] if str(exc) else "unreadable"
            result.problems.append(Problem(f"not a valid requirement: {why}", ln.line))
            continue
        name = normalize_name(PYPI, req.name)
        version = "" if req.url else _exact_pin(req)
        if req.url:
            archive = archive_name_version(req.url)
            if archive is not None and archive[0] == name and not req.url.startswith("git+"):
                version = archive[1]
        pending.append(
            (
                Package(
                    PYPI,
                    name,
                    version,
                    at,
                    key=f"{name}@{version}" if version else f"spec:{name}:{body}",
                    direct=True,
                    pinned=bool(version) or _immutable(req.url or "", hashes),
                    spec=body,
                    hashes=hashes,
                ),
                req,
            )
        )
    for pkg, _req in pending:
        result.packages.append(pkg)


def _join(base: str, target: str) -> str | None:
    """base/target normalised; may start with ``../`` (the scanner keeps it inside the root)."""
    if target.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", target):
        return None
    parts = [p for p in (base.split("/") if base else []) if p]
    for part in target.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == ".." and parts and parts[-1] != "..":
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts) or None
