"""The one redaction helper. Every secret passes through here before a Finding exists.

A preview shows at most the first 4 characters of a value and never more than a quarter
of it; the rest is masked with a fixed-width mask, so the preview does not even reveal
the value's length.
"""

from __future__ import annotations

MASK = "*****"


def preview(value: str) -> str:
    """Return a redacted preview of ``value`` (at most 4 chars, at most len/4 chars)."""
    shown = min(4, len(value) // 4)
    return value[:shown] + MASK


def redact_line(line: str, start: int, end: int, *, max_len: int = 200) -> str:
    """Return ``line`` with ``line[start:end]`` replaced by its preview, trimmed to max_len.

    Offsets are character offsets within ``line``.
    """
    start = max(0, min(start, len(line)))
    end = max(start, min(end, len(line)))
    redacted = line[:start] + preview(line[start:end]) + line[end:]
    return trim_snippet(redacted, focus=start, max_len=max_len)


def redact_values(text: str, values: list[str] | tuple[str, ...]) -> str:
    """Replace each occurrence of every value in ``values`` by its preview."""
    for value in sorted(set(values), key=len, reverse=True):
        if value and value in text:
            text = text.replace(value, preview(value))
    return text


def trim_snippet(line: str, *, focus: int = 0, max_len: int = 200) -> str:
    """Keep a snippet short and printable, centred on ``focus`` when it must be cut."""
    line = line.rstrip("\r\n").replace("\t", " ")
    if not line.isprintable():
        line = "".join(ch if ch.isprintable() else "\ufffd" for ch in line)
    if len(line) <= max_len:
        return line.strip()
    half = max_len // 2
    begin = max(0, min(focus - half, len(line) - max_len))
    cut = line[begin : begin + max_len]
    prefix = "..." if begin > 0 else ""
    suffix = "..." if begin + max_len < len(line) else ""
    return (prefix + cut + suffix).strip()
