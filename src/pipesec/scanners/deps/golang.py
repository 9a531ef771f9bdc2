"""go.mod (with go.sum for hashes): required modules, ``// indirect`` marks, ``replace``.

A syntax error (an unknown directive, a malformed ``require`` or ``replace``, an open
block) makes the whole file unreadable, as it is to Go: a LockfileError (exit 3), never a
low finding that lets a corrupt go.mod pass. Since Go 1.17 go.mod lists every module the
build needs, so it is the source; go.sum holds hashes of versions that may not be selected
and is only read for hashes. A ``toolchain`` directive adds the standard library (module
``stdlib``) at that version.
"""

from __future__ import annotations

import re

from pipesec.core.lines import split_lines
from pipesec.scanners.deps.ecosystems import GO
from pipesec.scanners.deps.interface import (
    LockfileError,
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)

_VERSION = re.compile(r"^v\d+(\.\d+){0,2}([-+.][0-9A-Za-z.+-]*)?$")


def _strip_comment(line: str) -> tuple[str, str]:
    code, _, comment = line.partition("//")
    return code.strip(), comment.strip()


def _unq(s: str) -> str:
    return s[1:-1] if len(s) >= 2 and s[0] == s[-1] and s[0] in '"`' else s


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    result = ParseResult()
    requires: list[tuple[str, str, int, bool]] = []
    replaces: dict[str, tuple[str, str] | None] = {}
    block = ""
    toolchain: tuple[str, int] | None = None
    for i, raw in enumerate(split_lines(text), 1):
        code, comment = _strip_comment(raw)
        if not code:
            continue
        if block:
            if code == ")":
                block = ""
                continue
            _directive(block, code, comment, i, requires, replaces, result)
            continue
        verb, _, rest = code.partition(" ")
        rest = rest.strip()
        if rest == "(":
            block = verb
            continue
        if verb == "toolchain":
            m = re.match(r"go(\d+\.\d+(\.\d+)?)", rest)
            if m:
                toolchain = (m.group(1), i)
            continue
        if verb in ("require", "replace", "exclude", "retract", "module", "go", "godebug"):
            if verb in ("require", "replace"):
                _directive(verb, rest, comment, i, requires, replaces, result)
            continue
        raise LockfileError(f"unknown go.mod directive {verb!r}", i)
    if block:
        raise LockfileError(f"unterminated {block} ( block", len(split_lines(text)))
    hashes = _sums(sibling("go.sum"))
    roots: dict[str, str] = {}
    for path, version, line, indirect in requires:
        rep = replaces.get(f"{path}@{version}", replaces.get(path, ()))
        if rep is None:
            continue  # replaced by a local directory: not a published module
        if rep:
            path, version = rep
        pkg = Package(GO, path, version, line, direct=not indirect)
        pkg.hashes = hashes.get(f"{path}@{version}", ())
        result.packages.append(pkg)
        if not indirect:
            roots[pkg.key] = "prod"
    if toolchain:
        stdlib = Package(GO, "stdlib", toolchain[0], toolchain[1], direct=True)
        result.packages.append(stdlib)
        roots[stdlib.key] = "prod"
    result.roots = roots
    return result


def _directive(
    verb: str,
    code: str,
    comment: str,
    line: int,
    requires: list[tuple[str, str, int, bool]],
    replaces: dict[str, tuple[str, str] | None],
    result: ParseResult,
) -> None:
    if verb == "require":
        parts = code.split()
        if len(parts) != 2:
            raise LockfileError(f"expected 'module version', found {code!r}", line)
        path, version = _unq(parts[0]), _unq(parts[1])
        if not _VERSION.match(version):
            result.problems.append(Problem(f"{path}: {version!r} is not a Go version", line))
        requires.append((path, version, line, "indirect" in comment.split(";")[0]))
    elif verb == "replace":
        left, arrow, right = code.partition("=>")
        if not arrow:
            raise LockfileError("replace without '=>'", line)
        lp = left.split()
        rp = right.split()
        if not lp or not rp:
            raise LockfileError("incomplete replace directive", line)
        key = f"{_unq(lp[0])}@{_unq(lp[1])}" if len(lp) == 2 else _unq(lp[0])
        if len(rp) == 1:  # a local directory
            replaces[key] = None
        else:
            replaces[key] = (_unq(rp[0]), _unq(rp[1]))


def _sums(text: str | None) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    if not text:
        return out
    for raw in split_lines(text):
        parts = raw.split()
        if len(parts) != 3 or parts[1].endswith("/go.mod") or not parts[2].startswith("h1:"):
            continue
        import base64
        import binascii

        try:
            digest = base64.b64decode(parts[2][3:], validate=True).hex()
        except (binascii.Error, ValueError):
            continue
        out[f"{parts[0]}@{parts[1]}"] = (f"sha256:{digest}",)
    return out


SOURCE = SimpleSource("go.mod", ("go.mod",), parse)
