"""Local OSV vulnerability database: import, sync, status and matching.

Public API (what the deps scanner calls)::

    from pipesec import vulndb
    db = vulndb.open_db(path)            # path None -> default_db_path()
    advisories = db.match("PyPI", "Flask", "0.12.2")
    results = db.match_many([("PyPI", "flask", "0.12.2"), ("Go", "golang.org/x/net", "v0.1.0")])
    age = db.data_age_days()             # None when the database holds no data

Where the database lives (``resolve_db_path``): the ``PIPESEC_DB`` environment variable,
else the path the configuration gives (``[scanners.deps] db = ".pipesec-db/osv.sqlite"``,
relative to the scan root), else ``default_db_path()`` (``osv.sqlite`` in the user cache dir).

``open_db`` raises :class:`DatabaseMissingError` / :class:`DatabaseCorruptError` (both
:class:`~pipesec.core.errors.PipesecError`, exit 3) whose message holds the exact command
that fixes it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipesec.vulndb.advisory import Advisory
from pipesec.vulndb.ecosystems import canonical_ecosystem, normalize_name
from pipesec.vulndb.errors import (
    DatabaseCorruptError,
    DatabaseError,
    DatabaseMissingError,
    DatabaseOutdatedError,
    SyncError,
)

if TYPE_CHECKING:
    from pipesec.vulndb.store import VulnDB

ENV_VAR = "PIPESEC_DB"
DB_FILENAME = "osv.sqlite"

__all__ = [
    "DB_FILENAME",
    "ENV_VAR",
    "Advisory",
    "DatabaseCorruptError",
    "DatabaseError",
    "DatabaseMissingError",
    "DatabaseOutdatedError",
    "SyncError",
    "VulnDB",
    "canonical_ecosystem",
    "default_db_path",
    "normalize_name",
    "open_db",
    "resolve_db_path",
]


def __getattr__(name: str) -> Any:
    # the store (sqlite, zip, the matcher) is imported when a database is opened: finding
    # out where the database would be, or that there is none, stays cheap
    if name == "VulnDB":
        from pipesec.vulndb.store import VulnDB

        return VulnDB
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def default_db_path() -> Path:
    """``$PIPESEC_DB`` if set, else ``<user cache dir>/pipesec/osv.sqlite`` (platformdirs)."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("pipesec", appauthor=False) / DB_FILENAME


def resolve_db_path(configured: str | Path | None = None, root: Path | None = None) -> Path:
    """The database to use: ``$PIPESEC_DB``, else ``configured`` (relative paths are taken
    from ``root``), else :func:`default_db_path`."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    if configured:
        p = Path(configured).expanduser()
        if not p.is_absolute() and root is not None:
            p = root / p
        return p
    return default_db_path()


def open_db(path: Path | None = None, *, unscored_severity: str = "high") -> VulnDB:
    """Open the database read-only for matching.

    ``unscored_severity`` is the severity given to advisories without any score or label
    (default ``high``, so a gate fails closed); such advisories say ``severity_assumed``.
    Raises DatabaseMissingError / DatabaseCorruptError with the command that fixes it.
    """
    from pipesec.core.model import Severity
    from pipesec.vulndb.store import VulnDB

    return VulnDB.open(
        path if path is not None else default_db_path(),
        unscored_severity=Severity.parse(unscored_severity),
    )
