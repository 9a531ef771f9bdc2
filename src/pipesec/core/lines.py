"""Line splitting for line numbers: only ``\\n``, ``\\r\\n`` and ``\\r`` end a line.

``str.splitlines()`` also splits on U+0085, U+2028, U+000B, U+000C, U+001C..U+001E: one
such character in a comment would shift every later line number of a finding away from
what editors, git and GitHub show (they count ``\\n``, ``\\r\\n`` and ``\\r``).
"""

from __future__ import annotations

import re

_EOL = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their line ends (like ``splitlines()``: no trailing
    empty line after a final line end; ``""`` gives ``[]``)."""
    if not text:
        return []
    out = _EOL.split(text)
    if out[-1] == "":
        out.pop()
    return out
