"""Text from the scanned tree, fit to show: every writer starts from :func:`display_safe`.

File names, messages, snippets, reasons, imported rules and component names are written
by whoever opened the pull request. Shown raw, a newline or CR in one of them forges
report lines (``GATE PASSED``) or GitHub workflow commands (``::warning::``), bidi
controls reorder what a reviewer reads, C0/C1 controls drive the terminal, and the bytes
of a file name that is not UTF-8 crash an encoder. :func:`display_safe` returns a copy of
the report in which every string shows those characters as escapes
(:func:`pipesec.core.redact.escape_text`); rule texts keep their line breaks (multi-line
help and examples), escaped line by line. :func:`neutralise_lines` is the last net under
every writer's bytes: no output line may start with ``::``.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pipesec.core.model import Rule, ScanReport
from pipesec.core.redact import escape_text

T = TypeVar("T")


class _Escaper:
    def __init__(self) -> None:
        self.memo: dict[tuple[str, bool], str] = {}

    def text(self, s: str, keep_newlines: bool) -> str:
        if s.isprintable() and not s.lstrip().startswith("::"):
            return s
        if keep_newlines and "::" not in s and s.replace("\n", "").isprintable():
            return s  # multi-line rule help: every line is kept as it is (escape_text)
        key = (s, keep_newlines)
        out = self.memo.get(key)
        if out is None:
            out = self.memo[key] = escape_text(s, keep_newlines=keep_newlines)
        return out

    def value(self, v: Any, keep_newlines: bool = False) -> Any:
        t = type(v)
        if t is str:  # most values: no isinstance chain
            return self.text(v, keep_newlines)
        if t in _PLAIN or v is None:
            return v
        if isinstance(v, str):
            if isinstance(v, enum.Enum):
                return v
            return self.text(v, keep_newlines)
        if isinstance(v, (int, float, bool, enum.Enum)):
            return v
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return self.obj(v)
        if isinstance(v, Mapping):
            items = [(self.value(k), self.value(x)) for k, x in v.items()]
            if all(a is k and b is x for (a, b), (k, x) in zip(items, v.items(), strict=True)):
                return v
            return dict(items)
        if isinstance(v, (list, tuple)):
            if all(
                type(x) is str and x.isprintable() and not x.lstrip().startswith("::") for x in v
            ):
                return v  # plain strings only (tags, cwe, references): nothing to escape
            new = [self.value(x, keep_newlines) for x in v]
            if all(a is b for a, b in zip(new, v, strict=True)):
                return v
            return type(v)(new) if isinstance(v, tuple) else new
        return v

    def obj(self, o: T) -> T:
        keep = isinstance(o, Rule)  # rule help and examples are multi-line
        changes = {}
        cls: type = type(o)
        for name in _init_fields(cls):
            old = getattr(o, name)
            if type(old) is str and old.isprintable() and not old.lstrip().startswith("::"):
                continue  # the common case, without a call
            new = self.value(old, keep and name != "id")
            if new is not old:
                changes[name] = new
        return dataclasses.replace(o, **changes) if changes else o  # type: ignore[type-var]


#: types whose values hold no text
_PLAIN = frozenset({int, float, bool})


@functools.cache
def _init_fields(cls: type) -> tuple[str, ...]:
    """The names of a dataclass's ``__init__`` fields (dataclasses.fields() builds them
    anew on every call: once per class here)."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


#: the last safe copy made: SafeWriter and the writer inside it both ask, and the CLI
#: hands the copy to every writer (a safe copy needs no second walk)
_last: list[ScanReport] = []


def display_safe(report: ScanReport) -> ScanReport:
    """A copy of ``report`` whose every string is safe to show (the report itself is kept).

    Of ``report.rules`` only the rules of findings and suppressed findings are escaped:
    writers show no other rule's texts (JUnit lists every rule's id, which it escapes
    itself), and a scan loads some 1,800 rules."""
    if _last and report is _last[0]:
        return report
    used = {f.rule_id for f in report.findings} | {s.finding.rule_id for s in report.suppressed}
    rules = report.rules
    shown = {rid: r for rid, r in rules.items() if rid in used}
    safe = _Escaper().obj(dataclasses.replace(report, rules=shown))
    if len(shown) < len(rules):
        safe.rules = {rid: safe.rules.get(rid, r) for rid, r in rules.items()}
    _last[:] = [safe]
    return safe


def safe_value(value: T) -> T:
    """:func:`display_safe` for one model object (a Component, a Finding ...)."""
    out: T = _Escaper().value(value)
    return out


def neutralise_lines(data: bytes) -> bytes:
    """Escape a ``::`` that starts a line (after blanks): a GitHub workflow command."""
    if b"::" not in data:
        return data
    return _COMMAND_LINE.sub(b"\\\\", data)


#: the start of a line whose first non-blank characters are ``::`` (blanks as bytes.lstrip)
_COMMAND_LINE = re.compile(rb"(?m)^(?=[ \t\r\x0b\x0c]*::)")
