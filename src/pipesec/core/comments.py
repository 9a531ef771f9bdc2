"""Comments of a source file, by line: where a suppression marker may stand.

A suppression marker counts only inside a real comment of the file's language, never inside
a string literal (``url = "https://e/ pipesec:ignore[*]"`` suppresses nothing). Python is
read with :mod:`tokenize`; other languages with a small lexer that knows their comment and
string syntax (line and block comments, quotes, multi-line strings). Files whose syntax has
no comments (JSON) have none; an unknown syntax is read line by line with the common comment
openers, outside quotes.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Syntax:
    line: tuple[str, ...] = ()  # line comment openers
    block: tuple[tuple[str, str], ...] = ()  # (open, close)
    quotes: str = ""  # string quote characters
    multiline_quotes: str = ""  # of those, the ones whose strings may span lines
    #: a line comment must start the line or follow whitespace (shell, YAML, Dockerfile)
    hash_needs_space: bool = False
    escapes: bool = True  # backslash escapes inside strings
    #: YAML: a quote opens a string only where a scalar starts
    yaml_scalars: bool = False


_HASH = Syntax(line=("#",), quotes="\"'", multiline_quotes="\"'", hash_needs_space=True)
_YAML = Syntax(
    line=("#",), quotes="\"'", multiline_quotes="\"'", hash_needs_space=True, yaml_scalars=True
)
_C = Syntax(line=("//",), block=(("/*", "*/"),), quotes="\"'`", multiline_quotes="`")
_RUST = Syntax(line=("//",), block=(("/*", "*/"),), quotes='"', multiline_quotes='"')
_PHP = Syntax(line=("//", "#"), block=(("/*", "*/"),), quotes="\"'`", multiline_quotes="\"'")
_HCL = Syntax(line=("#", "//"), block=(("/*", "*/"),), quotes='"')
_SQL = Syntax(line=("--",), block=(("/*", "*/"),), quotes="\"'", multiline_quotes="'")
_LUA = Syntax(line=("--",), quotes="\"'")
_MARKUP = Syntax(block=(("<!--", "-->"),))
_INI = Syntax(line=(";", "#"), hash_needs_space=True)
_NONE = Syntax()
_GENERIC = Syntax(
    line=("#", "//", "--", ";"),
    block=(("/*", "*/"), ("<!--", "-->")),
    quotes="\"'`",
    hash_needs_space=True,
)

_BY_SUFFIX: dict[str, Syntax] = {}
for _names, _syntax in (
    ("sh bash zsh ksh fish yaml yml toml rb pl pm r cfg conf env properties mk cmake nix", _HASH),
    ("js jsx mjs cjs ts tsx mts cts go java kt kts c h cc cpp cxx hpp cs swift scala", _C),
    ("groovy gradle dart m json5 jsonc proto sol zig v", _C),
    ("rs", _RUST),
    ("php", _PHP),
    ("tf tfvars hcl nomad", _HCL),
    ("sql", _SQL),
    ("lua hs elm", _LUA),
    ("html htm xml svg md markdown vue xhtml xsd wsdl plist", _MARKUP),
    ("ini", _INI),
    ("json ipynb lock", _NONE),
):
    for _s in _names.split():
        _BY_SUFFIX["." + _s] = _syntax
for _s in ("yaml", "yml"):
    _BY_SUFFIX["." + _s] = _YAML
_BY_NAME = {
    "dockerfile": _HASH,
    "containerfile": _HASH,
    "makefile": _HASH,
    "gemfile": _HASH,
    "rakefile": _HASH,
    "jenkinsfile": _C,
    ".gitignore": _HASH,
    ".gitleaksignore": _HASH,
}


def syntax_for(path: str) -> Syntax | None:
    """The comment syntax of ``path``; None for Python (read with tokenize)."""
    name = path.rsplit("/", 1)[-1].lower()
    dot = name.rfind(".")
    suffix = name[dot:] if dot > 0 else ""
    if suffix in (".py", ".pyi", ".pyw"):
        return None
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name.startswith(("dockerfile.", "containerfile.")) or name.endswith(".dockerfile"):
        return _HASH
    if name.startswith(".env"):
        return _HASH
    return _BY_SUFFIX.get(suffix, _GENERIC)


def comments_by_line(text: str, path: str) -> dict[int, str]:
    """Line number (1-based) -> the comment text on that line (several joined by a space)."""
    syntax = syntax_for(path)
    if syntax is None:
        found = _python(text)
        if found is not None:
            return found
        syntax = _HASH  # not valid Python: the lexer still keeps strings out
    return _lex(text, syntax)


def _python(text: str) -> dict[int, str] | None:
    out: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                _add(out, tok.start[0], tok.string)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    return out


def _add(out: dict[int, str], line: int, piece: str) -> None:
    out[line] = f"{out[line]} {piece}" if line in out else piece


def _lex(text: str, syntax: Syntax) -> dict[int, str]:
    out: dict[int, str] = {}
    i, n, line = 0, len(text), 1
    line_start = True  # only whitespace since the start of the line
    prev = "\n"  # the last non-space character (YAML scalars)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            line_start, prev = True, "\n"
            i += 1
            continue
        opened = _line_opener(text, i, syntax, line_start)
        if opened:
            end = text.find("\n", i)
            end = n if end == -1 else end
            _add(out, line, text[i:end])
            i = end
            continue
        block = next((b for b in syntax.block if text.startswith(b[0], i)), None)
        if block is not None:
            close = text.find(block[1], i + len(block[0]))
            end = n if close == -1 else close + len(block[1])
            for k, part in enumerate(text[i:end].split("\n")):
                _add(out, line + k, part)
            line += text.count("\n", i, end)
            i = end
            line_start = False
            continue
        if ch in syntax.quotes and (not syntax.yaml_scalars or prev in "\n:-[{,?"):
            i, line = _skip_string(text, i, line, syntax)
            line_start, prev = False, ch
            continue
        if not ch.isspace():
            line_start = False
            prev = ch
        i += 1
    return out


def _line_opener(text: str, i: int, syntax: Syntax, line_start: bool) -> bool:
    for opener in syntax.line:
        if not text.startswith(opener, i):
            continue
        spaced = line_start or (i > 0 and text[i - 1] in " \t")
        if opener in ("#", ";", "--") and syntax.hash_needs_space and not spaced:
            continue
        return True
    return False


def _skip_string(text: str, i: int, line: int, syntax: Syntax) -> tuple[int, int]:
    """Index after the string opening at ``i`` (and the line it ends on)."""
    quote = text[i]
    multiline = quote in syntax.multiline_quotes
    # shell and YAML single quotes take no backslash escapes
    escapes = syntax.escapes and not (quote == "'" and syntax in (_HASH, _YAML))
    j, n = i + 1, len(text)
    while j < n:
        c = text[j]
        if c == "\\" and escapes and j + 1 < n:
            if text[j + 1] == "\n":
                line += 1
            j += 2
            continue
        if c == quote:
            if syntax.yaml_scalars and quote == "'" and text.startswith("''", j):
                j += 2  # YAML's escaped single quote
                continue
            return j + 1, line
        if c == "\n":
            if not multiline:
                return j, line  # unterminated on its line: the newline ends it
            line += 1
        j += 1
    return n, line
