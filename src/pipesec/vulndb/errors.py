"""Errors of the vulnerability database; each message carries the command that fixes it."""

from __future__ import annotations

from pathlib import Path

from pipesec.core.errors import InputError, PipesecError


def fix_command(path: Path) -> str:
    """The one command that (re)creates the database at ``path`` (offline machines import
    a downloaded export instead: docs/vulndb.md)."""
    from pipesec.vulndb import default_db_path

    try:
        default = path.resolve() == default_db_path().resolve()
    except OSError:
        default = False
    where = "" if default else f" --db {path}"
    return f"run 'pipesec db sync{where}' (downloads the OSV data once; see docs/vulndb.md)"


class DatabaseError(PipesecError):
    """The vulnerability database is missing, corrupt or could not be written (exit 3)."""

    exit_code = 3

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class DatabaseMissingError(DatabaseError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: no vulnerability database here; {fix_command(path)}", path=path)


class DatabaseCorruptError(DatabaseError):
    def __init__(self, path: Path, why: str) -> None:
        super().__init__(
            f"{path}: the vulnerability database is unreadable ({why}); delete it and "
            f"{fix_command(path)}",
            path=path,
        )


class DatabaseOutdatedError(DatabaseCorruptError):
    """The database was written by a pipesec with another storage layout."""

    def __init__(self, path: Path, found: str, expected: str) -> None:
        DatabaseError.__init__(
            self,
            f"{path}: the vulnerability database was built by another pipesec version "
            f"(layout {found}, this one reads {expected}); rebuild it: {fix_command(path)} "
            "(importing over it replaces it)",
            path=path,
        )


class RecordError(InputError):
    """An OSV record that is not valid JSON/YAML or not an OSV object."""


class SyncError(DatabaseError):
    """A download failed or did not verify; the existing database was left untouched."""
