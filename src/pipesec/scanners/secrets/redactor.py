"""The secrets scanner's detector for core's redactor (entry point ``pipesec.redactors``).

Core masks every span this returns in messages, snippets, reasons and errors of every
scanner, so a credential quoted by any rule or error line is never written whole.
"""

from __future__ import annotations

from collections.abc import Iterator


def spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each secret the built-in rules find in ``text``."""
    from pipesec.scanners.secrets import engine_for

    for m in engine_for().scan_text(text):
        yield m.start, m.end
