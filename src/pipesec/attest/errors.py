"""Errors of the chain of custody."""

from __future__ import annotations

from pipesec.core.errors import PipesecError, UsageError


class VerificationError(PipesecError):
    """A requirement did not hold; the message is one line naming it (exit code 1)."""

    exit_code = 1


class KeyFileError(UsageError):
    """A key could not be read: missing file, wrong password, unsupported type (exit 2)."""
