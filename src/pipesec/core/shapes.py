"""Shapes of values that the secrets and IaC scanners both judge (kept free of heavy imports:
an IaC-only scan must not load the secrets filters)."""

from __future__ import annotations

import re

#: a path segment that reads as generated (a digit, two upper and two lower case letters in
#: 8 or more characters: ``x8Kq2mP9vL``), not a folder or file name one types (``Server2024``)
_GENERATED_SEGMENT = re.compile(
    r"(?=[^\d]*\d)(?=(?:[^A-Z]*[A-Z]){2})(?=(?:[^a-z]*[a-z]){2})[\w@-]{8,}"
)


def generated_segment(segment: str) -> bool:
    """Whether a path segment (its name before the first ``.``) reads as a generated value:
    a base64 secret holds ``/`` (``/x8Kq2mP9vLw3/bQ4s`` is a secret, not a path)."""
    return _GENERATED_SEGMENT.fullmatch(segment.split(".")[0]) is not None
