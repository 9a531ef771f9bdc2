"""A Dockerfile parser that keeps exact lines.

Handles parser directives (``# escape=``), line continuations (with comment and blank
lines inside them), heredocs (``RUN <<EOF`` ... ``EOF``, several per instruction,
``<<-`` and quoted delimiters), ARG/ENV substitution (``$VAR``, ``${VAR}``,
``${VAR:-default}``, ``${VAR:+alt}``) with global ARGs usable in ``FROM``, and
multi-stage builds (stage names, ``FROM <stage>``, ``COPY --from``).

The parser never raises on bad input: problems are collected in ``Dockerfile.errors``
with a line number, and everything that could be parsed is still returned.
"""

from __future__ import annotations

import bisect
import json
import re
import shlex
from dataclasses import dataclass, field

from pipesec.core.lines import split_lines

INSTRUCTIONS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)
_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z]+)\s*=\s*(.*?)\s*$")
_HEREDOC = re.compile(r"<<(-?)\s*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_VAR = re.compile(
    r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))"
)
_FLAG = re.compile(r"--([a-z-]+)(?:=(\S*))?")
MAX_LINES = 200_000


@dataclass(slots=True)
class Instruction:
    keyword: str  # upper case
    #: arguments as written (continuations joined with a space, heredoc bodies excluded)
    args: str
    line: int  # 1-based line of the keyword
    end_line: int
    column: int = 1
    #: flags such as --from=builder, --chown=app (name -> value, "" when no value)
    flags: dict[str, str] = field(default_factory=dict)
    #: heredoc bodies: (first line, text)
    heredocs: list[tuple[int, str]] = field(default_factory=list)
    #: args after ARG/ENV substitution (ADD, COPY, ENV, ARG, EXPOSE, FROM, USER, WORKDIR)
    expanded: str = ""
    #: the instruction's text with heredoc bodies, and where each piece starts
    _text: str = ""
    _offsets: list[int] = field(default_factory=list)
    _lines: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Everything the instruction runs: arguments and heredoc bodies."""
        return self._text

    def line_at(self, offset: int) -> int:
        """The physical line of a character offset into :attr:`text`."""
        if not self._offsets:
            return self.line
        i = bisect.bisect_right(self._offsets, offset) - 1
        return self._lines[max(0, i)]

    def line_of(self, pattern: re.Pattern[str] | str) -> int:
        """The line where ``pattern`` first matches in :attr:`text`, else the keyword line."""
        m = (
            re.search(pattern, self._text)
            if isinstance(pattern, str)
            else pattern.search(self._text)
        )
        return self.line_at(m.start()) if m else self.line


@dataclass(slots=True)
class Stage:
    index: int
    image: str  # expanded image reference
    raw_image: str
    name: str
    from_instruction: Instruction
    #: the stage this one builds on (FROM <earlier stage>), else None
    parent: int | None = None
    instructions: list[Instruction] = field(default_factory=list)
    unresolved: bool = False  # the image still holds an undefined variable


@dataclass(slots=True)
class ParseProblem:
    line: int
    message: str


@dataclass(slots=True)
class Dockerfile:
    instructions: list[Instruction] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    errors: list[ParseProblem] = field(default_factory=list)
    escape: str = "\\"
    lines: list[str] = field(default_factory=list)

    @property
    def final_stage(self) -> Stage | None:
        return self.stages[-1] if self.stages else None


def substitute(text: str, env: dict[str, str]) -> tuple[str, bool]:
    """Expand ``$VAR``/``${VAR...}`` from ``env``; return the text and whether all resolved."""
    resolved = True

    def repl(m: re.Match[str]) -> str:
        nonlocal resolved
        name = m.group(1) or m.group(4)
        op, word = m.group(2), m.group(3)
        value = env.get(name)
        if op in (":-", "-"):
            if value is None or (op == ":-" and value == ""):
                return word or ""
            return value
        if op in (":+", "+"):
            return (word or "") if value else ""
        if value is None:
            resolved = False
            return m.group(0)
        return value

    return _VAR.sub(repl, text), resolved


def _split_flags(args: str) -> tuple[dict[str, str], str]:
    flags: dict[str, str] = {}
    rest = args.lstrip()
    while rest.startswith("--"):
        m = _FLAG.match(rest)
        if not m:
            break
        flags[m.group(1)] = m.group(2) or ""
        rest = rest[m.end() :].lstrip()
    return flags, rest


def parse_pairs(args: str) -> list[tuple[str, str]]:
    """ENV/ARG/LABEL ``KEY=VALUE ...`` (or legacy ``KEY VALUE``) as pairs; never raises."""
    args = args.strip()
    if not args:
        return []
    first = args.split(None, 1)
    if "=" not in first[0]:
        # legacy form: ENV KEY the rest is the value; ARG NAME without default
        return [(first[0], first[1].strip() if len(first) > 1 else "")]
    try:
        tokens = shlex.split(args, posix=True)
    except ValueError:
        tokens = args.split()
    pairs = []
    for tok in tokens:
        key, sep, value = tok.partition("=")
        if key:
            pairs.append((key, value if sep else ""))
    return pairs


def parse(text: str) -> Dockerfile:
    """Parse Dockerfile text; never raises."""
    lines = split_lines(text)
    df = Dockerfile(lines=lines)
    if len(lines) > MAX_LINES:
        df.errors.append(ParseProblem(0, f"{len(lines)} lines: over the {MAX_LINES} line limit"))
        return df
    i = 0
    # parser directives: only at the very top, before any other line
    while i < len(lines):
        m = _DIRECTIVE.match(lines[i].strip())
        if not m:
            break
        if m.group(1).lower() == "escape" and m.group(2) in ("\\", "`"):
            df.escape = m.group(2)
        i += 1
    esc = df.escape
    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        start = i
        pieces: list[tuple[int, str]] = []  # (line number, content)
        cur = raw
        while True:
            body = cur.rstrip()
            if body.endswith(esc) and not body.endswith(esc * 2):
                pieces.append((i + 1, body[:-1]))
                i += 1
                # skip comment and blank lines inside a continuation
                while i < len(lines) and (
                    not lines[i].strip() or lines[i].lstrip().startswith("#")
                ):
                    i += 1
                if i >= len(lines):
                    break
                cur = lines[i]
                continue
            pieces.append((i + 1, cur))
            i += 1
            break
        logical = " ".join(p[1].strip() for p in pieces).strip()
        parts = logical.split(None, 1)
        if not parts:
            continue  # a lone continuation character
        keyword = parts[0].upper()
        args = parts[1] if len(parts) > 1 else ""
        column = len(raw) - len(raw.lstrip()) + 1
        offsets: list[int] = []
        line_nums: list[int] = []
        buf: list[str] = []
        pos = 0
        for num, content in pieces:
            offsets.append(pos)
            line_nums.append(num)
            buf.append(content)
            pos += len(content) + 1
        heredocs: list[tuple[int, str]] = []
        if keyword in ("RUN", "COPY", "ADD") and "<<" in args:
            for hm in _HEREDOC.finditer(args):
                strip_tabs, word = hm.group(1) == "-", hm.group(3)
                body_start = i
                body_lines: list[str] = []
                closed = False
                while i < len(lines):
                    candidate = lines[i].lstrip("\t") if strip_tabs else lines[i]
                    if candidate.rstrip() == word:
                        closed = True
                        i += 1
                        break
                    body_lines.append(candidate)
                    offsets.append(pos)
                    line_nums.append(i + 1)
                    buf.append(candidate)
                    pos += len(candidate) + 1
                    i += 1
                if not closed:
                    df.errors.append(
                        ParseProblem(
                            start + 1,
                            f"heredoc <<{word} is never closed: add a line holding only {word}",
                        )
                    )
                heredocs.append((body_start + 1, "\n".join(body_lines)))
        flags: dict[str, str] = {}
        rest = args
        if keyword in ("RUN", "COPY", "ADD", "FROM", "HEALTHCHECK"):
            flags, rest = _split_flags(args)
        text = "\n".join(buf)
        command = _exec_form_command(rest) if keyword == "RUN" and not heredocs else None
        if command is not None:
            # the rules read a RUN's command line: the exec form's is its arguments
            head = logical[: len(logical) - len(rest)] if logical.endswith(rest) else "RUN "
            text = head + command
            offsets, line_nums = [0], [start + 1]
        ins = Instruction(
            keyword=keyword,
            args=rest,
            line=start + 1,
            end_line=max(i, start + 1),
            column=column,
            flags=flags,
            heredocs=heredocs,
            _text=text,
            _offsets=offsets,
            _lines=line_nums,
        )
        if keyword not in INSTRUCTIONS:
            # name the word only when it reads as one: a line such as ``APP_KEY=<secret>``
            # must not come out whole in an error message
            named = parts[0].isalpha() and len(parts[0]) <= 20
            what = f"unknown instruction {parts[0]!r}" if named else "unknown instruction"
            df.errors.append(ParseProblem(start + 1, f"{what}; not a Dockerfile line"))
            continue
        df.instructions.append(ins)
    _build_stages(df)
    return df


def _exec_form_command(args: str) -> str | None:
    """The command line an exec-form RUN (``RUN ["apk", "add", "curl"]``, a JSON array of
    strings) runs: its words joined as a shell would read them (``apk add curl``), or the
    script of ``["/bin/sh", "-c", "..."]``; None for the shell form."""
    args = args.strip()
    if not (args.startswith("[") and args.endswith("]")):
        return None
    try:
        words = json.loads(args)
    except (ValueError, RecursionError):  # RUN [[[[…: the whole IaC scan failed (review16)
        return None
    if not (isinstance(words, list) and words and all(isinstance(w, str) for w in words)):
        return None
    if len(words) >= 3 and words[0].rsplit("/", 1)[-1] in _SHELLS and words[1] == "-c":
        script: str = words[2]
        return script
    return shlex.join(words)


_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})


def _build_stages(df: Dockerfile) -> None:
    global_args: dict[str, str] = {}
    env: dict[str, str] = {}
    names: dict[str, int] = {}
    stage: Stage | None = None
    for ins in df.instructions:
        if ins.keyword == "FROM":
            tokens = ins.args.split()
            if not tokens:
                df.errors.append(ParseProblem(ins.line, "FROM without an image"))
                continue
            raw_image = tokens[0]
            image, ok = substitute(raw_image, global_args)
            name = ""
            if len(tokens) >= 3 and tokens[1].lower() == "as":
                name = tokens[2].lower()
            ins.expanded = image
            parent = names.get(image.lower())
            if parent is None and image.isdigit() and int(image) < len(df.stages):
                parent = int(image)
            stage = Stage(
                index=len(df.stages),
                image=image,
                raw_image=raw_image,
                name=name,
                from_instruction=ins,
                parent=parent,
                unresolved=not ok,
            )
            df.stages.append(stage)
            if name:
                names[name] = stage.index
            env = {}
            continue
        if stage is None:
            if ins.keyword == "ARG":
                for key, value in parse_pairs(ins.args):
                    if _has_default(ins.args, key):
                        global_args[key] = substitute(value, global_args)[0]
                ins.expanded = ins.args
                continue
            df.errors.append(
                ParseProblem(
                    ins.line, f"{ins.keyword} before the first FROM; a stage starts at FROM"
                )
            )
            continue
        stage.instructions.append(ins)
        if ins.keyword in ("ARG", "ENV"):
            expanded_pairs = []
            for key, value in parse_pairs(ins.args):
                if ins.keyword == "ARG" and not _has_default(ins.args, key):
                    if key in global_args:
                        env[key] = global_args[key]
                else:
                    env[key] = substitute(value, env)[0]
                expanded_pairs.append(f"{key}={env.get(key, '')}")
            ins.expanded = " ".join(expanded_pairs)
        elif ins.keyword in ("ADD", "COPY", "EXPOSE", "USER", "WORKDIR"):
            ins.expanded = substitute(ins.args, env)[0]
        else:
            ins.expanded = ins.args


def _has_default(args: str, key: str) -> bool:
    return re.search(rf"(?:^|\s){re.escape(key)}=", args) is not None


def split_image(ref: str) -> tuple[str, str, str]:
    """``registry/name:tag@sha256:..`` -> (name, tag, digest); a registry port is not a tag."""
    digest = ""
    if "@" in ref:
        ref, digest = ref.split("@", 1)
    tag = ""
    slash = ref.rfind("/")
    colon = ref.rfind(":")
    if colon > slash:
        ref, tag = ref[:colon], ref[colon + 1 :]
    return ref, tag, digest


def is_stage_ref(df: Dockerfile, stage: Stage) -> bool:
    return stage.parent is not None or stage.image.lower() == "scratch"


def shell_words(text: str) -> list[str]:
    try:
        return shlex.split(text, comments=False, posix=True)
    except ValueError:
        return text.split()
