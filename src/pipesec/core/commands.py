"""Searching shell command lines with regexes that read a command for a tail.

A pattern such as ``\\bcurl\\b[^;&|\\n]*\\s-k`` starts with a command's head and then reads
the rest of the command (up to ``;``, ``&``, ``|`` or a line break) for what it wants.
Searched as it is, every occurrence of the head re-reads the rest of the command: a
command that repeats its head (``curl curl curl …``, written by whoever writes the scanned
tree) costs quadratic time (a 1 MB RUN or ``run:`` took half an hour to an hour). Here a
head that ends before the command end an earlier head's reading stopped at is not tried:
what it could match, the earlier one's pattern read too (review16). Dockerfile rules and
the pipeline scanners' shell rules share it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: where a shell command ends: what ``[^;&|\n]*`` does not read past
COMMAND_END = re.compile(r"[;&|\n]")
LINE_END = re.compile(r"\n")


def first_per_command(
    head: re.Pattern[str],
    pattern: re.Pattern[str],
    text: str,
    pos: int = 0,
    end: re.Pattern[str] = COMMAND_END,
) -> re.Match[str] | None:
    """``pattern.search(text, pos)`` for a pattern that starts with ``head`` and then reads
    no further than the command's end (``end``) past the head, except what its tail may
    take at that end: one try per command."""
    stop = -1
    for h in head.finditer(text, pos):
        if h.end() <= stop:  # read by the command's earlier head already
            continue
        m = pattern.match(text, h.start())
        if m is not None:
            return m
        found = end.search(text, h.end())
        stop = found.start() if found is not None else len(text)
    return None


class PerCommand:
    """A regex as alternatives: ``(head, pattern)`` or ``(head, pattern, end)`` searched
    with :func:`first_per_command`, ``(None, pattern)`` searched as it is. :meth:`search`
    and :meth:`finditer` answer what the alternation of the patterns would (the leftmost
    match; matches that do not overlap). A pattern may hold every alternative (its groups):
    matched at its own head, only its alternative can."""

    def __init__(
        self,
        *alternatives: tuple[str | None, str] | tuple[str, str, re.Pattern[str]],
        flags: int = 0,
    ) -> None:
        self.alternatives = [
            (
                re.compile(a[0], flags) if a[0] is not None else None,
                re.compile(a[1], flags),
                a[2] if len(a) > 2 else COMMAND_END,
            )
            for a in alternatives
        ]

    def _one(self, i: int, text: str, pos: int) -> re.Match[str] | None:
        head, pattern, end = self.alternatives[i]
        if head is None:
            return pattern.search(text, pos)
        return first_per_command(head, pattern, text, pos, end)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        best: re.Match[str] | None = None
        for i in range(len(self.alternatives)):
            m = self._one(i, text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        # each alternative's next match is kept while it lies past the last one found:
        # the leftmost match from a later position is the same (linear over the text)
        nxt: list[re.Match[str] | None] = [
            self._one(i, text, 0) for i in range(len(self.alternatives))
        ]
        pos = 0
        while True:
            for i, m in enumerate(nxt):
                if m is not None and m.start() < pos:
                    nxt[i] = self._one(i, text, pos)
            found = [(m.start(), i) for i, m in enumerate(nxt) if m is not None]
            if not found:
                return
            _, i = min(found)
            m = nxt[i]
            assert m is not None
            yield m
            pos = m.end() if m.end() > m.start() else m.end() + 1


#: a download that caps or forces an outdated protocol: curl ``--tls-max 1.0|1.1``,
#: ``--tlsv1``/``--tlsv1.0``/``--tlsv1.1``/``-1`` (a floor written that low is there because
#: the server speaks nothing newer), ``--sslv2``/``--sslv3``/``-2``/``-3``; wget
#: ``--secure-protocol=SSLv2|SSLv3|TLSv1|TLSv1_1`` (forces that protocol). Shared by the
#: Dockerfile rule and the pipelines' shell rule.
WEAK_TLS = PerCommand(
    (
        r"\bcurl\b",
        r"\bcurl\b[^;&|\n]*?\s[\"']?(?:--tls-max(?:\s+|=)[\"']?1\.[01](?![\w.])"
        r"|--tlsv1(?:\.[01])?(?![\w.])|--sslv[23](?![\w.])|-[123](?=[\s\"']|$))",
    ),
    (
        r"\bwget\b",
        r"\bwget\b[^;&|\n]*?\s[\"']?--secure-protocol(?:\s+|=)[\"']?"
        r"(?:[sS][sS][lL][vV][23]|[tT][lL][sS][vV]1(?:_1)?)(?![\w.])",
    ),
)
