"""How the commands write: text from the tree fit for a terminal, files whole or not at all."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def shown(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` fit for stderr: credentials masked, newlines (unless kept), controls, bidi
    characters and undecodable bytes escaped, so it cannot forge a line of its own."""
    from pipesec.core.redact import escape_text, redact_text

    return escape_text(redact_text(text), keep_newlines=keep_newlines)


def write_atomic(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a file whole or not at all: ``write`` fills a temporary file beside ``target``,
    which is then renamed over it, so a full disk or a crash never truncates the previous
    good file. A target that is not a regular file (/dev/stdout, a FIFO) is written in place.
    Raises OSError."""
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and not target.is_file():
        with target.open("wb") as fh:
            write(fh)
        return
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
