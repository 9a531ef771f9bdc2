"""mix.lock (Elixir): a map of Elixir terms, read by a small term reader (never evaluated).

``%{"app": {:hex, :package, "1.2.3", "<inner sha256>", [:mix], [deps], "hexpm",
"<outer sha256>"}, "dep": {:git, "https://...", "<commit>", [branch: "main"]}}``. Each dep of a
hex entry is ``{:app, "requirement", [hex: :package, repo: "hexpm", optional: false]}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipesec.scanners.deps._util import LineIndex, LockfileError
from pipesec.scanners.deps.ecosystems import HEX
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)

MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Atom:
    name: str


@dataclass(slots=True)
class Tuple:
    items: list[object]


_TOKEN = re.compile(
    r"""
    (?P<ws>(?:\s|\#[^\n]*)+)
  | (?P<strkw>"(?:[^"\\]|\\.)*":(?=\s))
  | (?P<str>"(?:[^"\\]|\\.)*")
  | (?P<kw>[A-Za-z_][A-Za-z0-9_?!]*:(?=\s))
  | (?P<qatom>:"(?:[^"\\]|\\.)*")
  | (?P<atom>:[A-Za-z_][A-Za-z0-9_@?!.]*)
  | (?P<num>-?\d[\d_]*(?:\.\d+)?)
  | (?P<word>true|false|nil)
  | (?P<punct>%\{|=>|[{}\[\],])
    """,
    re.VERBOSE | re.DOTALL,
)


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = LineIndex(text)
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:
                raise LockfileError(
                    f"unexpected {text[pos : pos + 10]!r} in mix.lock", self.lines.line_of(pos)
                )
            kind = m.lastgroup or ""
            if kind != "ws":
                self.tokens.append((kind, m.group(0), pos))
            pos = m.end()
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        if self.i >= len(self.tokens):
            raise LockfileError(
                "mix.lock ends in the middle of a term", self.lines.line_of(len(self.text))
            )
        return self.tokens[self.i]

    def take(self, value: str) -> None:
        _, v, pos = self.peek()
        if v != value:
            raise LockfileError(f"expected {value!r}, found {v[:20]!r}", self.lines.line_of(pos))
        self.i += 1

    def term(self, depth: int) -> object:
        if depth > MAX_DEPTH:
            raise LockfileError("mix.lock nested too deeply", self.lines.line_of(self.peek()[2]))
        kind, v, pos = self.peek()
        self.i += 1
        if kind == "str":
            return _unquote(v)
        if kind == "atom":
            return Atom(v[1:])
        if kind == "qatom":
            return Atom(_unquote(v[1:]))
        if kind == "num":
            return v
        if kind == "word":
            return {"true": True, "false": False, "nil": None}[v]
        if v == "{":
            return Tuple(self._seq("}", depth))
        if v == "[":
            return self._seq("]", depth)
        if v == "%{":
            out: dict[object, object] = {}
            while self.peek()[1] != "}":
                k_kind, k_v, _ = self.peek()
                if k_kind == "kw":
                    self.i += 1
                    key: object = Atom(k_v[:-1])
                elif k_kind == "strkw":  # "name": value (a string key, keyword syntax)
                    self.i += 1
                    key = _unquote(k_v[:-1])
                else:
                    key = self.term(depth + 1)
                    self.take("=>")
                out[key if isinstance(key, (str, Atom)) else repr(key)] = self.term(depth + 1)
                if self.peek()[1] == ",":
                    self.i += 1
            self.i += 1
            return out
        raise LockfileError(f"unexpected {v[:20]!r} in mix.lock", self.lines.line_of(pos))

    def _seq(self, close: str, depth: int) -> list[object]:
        items: list[object] = []
        while self.peek()[1] != close:
            kind, v, _ = self.peek()
            if kind in ("kw", "strkw"):  # keyword list: [hex: :pkg, repo: "hexpm"]
                self.i += 1
                key: object = Atom(v[:-1]) if kind == "kw" else _unquote(v[:-1])
                items.append(Tuple([key, self.term(depth + 1)]))
            else:
                items.append(self.term(depth + 1))
            if self.peek()[1] == ",":
                self.i += 1
        self.i += 1
        return items


def _unquote(s: str) -> str:
    body = s[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _kw(items: object, key: str) -> object:
    for it in items if isinstance(items, list) else []:
        if isinstance(it, Tuple) and len(it.items) == 2 and it.items[0] == Atom(key):
            return it.items[1]
    return None


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    reader = _Reader(text)
    top = reader.term(0)
    if reader.i != len(reader.tokens):
        raise LockfileError("text after the mix.lock map", reader.lines.line_of(reader.peek()[2]))
    if not isinstance(top, dict):
        raise LockfileError("not a mix.lock: expected a %{...} map", 1)
    result = ParseResult()
    key_of_app: dict[str, str] = {}
    deps_of: list[tuple[str, list[str]]] = []
    for app, raw in top.items():
        if not isinstance(app, str):
            continue
        line = reader.lines.find_line(f'"{app}":')
        items = raw.items if isinstance(raw, Tuple) else []
        kind = items[0] if items else None
        if kind == Atom("hex") and len(items) >= 4:
            pname = items[1].name if isinstance(items[1], Atom) else app
            version = items[2] if isinstance(items[2], str) else ""
            inner = items[3] if isinstance(items[3], str) else ""
            repo = items[6] if len(items) > 6 and isinstance(items[6], str) else "hexpm"
            pkg = Package(HEX, pname, version, line)
            if re.fullmatch(r"[0-9a-f]{64}", inner):
                pkg.hashes = (f"sha256:{inner}",)
            if repo != "hexpm":  # a private Hex organisation or mirror: not hex.pm's package
                pkg.spec = f"{repo}:{pname}"
            deps = items[5] if len(items) > 5 and isinstance(items[5], list) else []
            names = [
                d.items[0].name
                for d in deps
                if isinstance(d, Tuple) and d.items and isinstance(d.items[0], Atom)
            ]
        elif kind in (Atom("git"), Atom("path")) and len(items) >= 2:
            url = items[1] if isinstance(items[1], str) else ""
            ref = items[2] if len(items) > 2 and isinstance(items[2], str) else ""
            pkg = Package(HEX, app, "", line, key=f"{app}@{url}#{ref}", spec=f"{url}#{ref}")
            pkg.pinned = bool(re.fullmatch(r"[0-9a-f]{40}", ref))  # a commit cannot move
            names = []
        else:
            result.problems.append(Problem(f"{app}: unknown mix.lock entry; skipped", line))
            continue
        key_of_app[app] = pkg.key
        deps_of.append((pkg.key, names))
        result.packages.append(pkg)
    result.link_names(deps_of, key_of_app)
    return result


SOURCE = SimpleSource("mix.lock", ("mix.lock",), parse)
