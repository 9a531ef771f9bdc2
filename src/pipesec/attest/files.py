"""Bounded reads: an input larger than any legitimate key, signature or document is
refused without reading it whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipesec.attest.errors import VerificationError
from pipesec.core.errors import UsageError

MAX_DOCUMENT = 8 * 1024 * 1024


def read_bounded(path: Path, limit: int) -> bytes | None:
    """The bytes of ``path``, or None when it is larger than ``limit``. Raises OSError."""
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    return None if len(data) > limit else data


def read_document(path: Path, what: str, limit: int = MAX_DOCUMENT) -> Any:
    """A JSON file of bounded size: UsageError when unreadable, VerificationError when too
    large or not JSON (the messages start with ``what``)."""
    try:
        data = read_bounded(path, limit)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    if data is None:
        raise VerificationError(f"{what}: {path.name} is larger than {limit} bytes")
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise VerificationError(f"{what}: {path.name} is not JSON") from None
