"""The ``sast`` scanner: Python code through Bandit, run in-process as a library.

Bandit's results become findings with rule ids ``bandit/<test id>`` (``bandit/B105``),
bandit's severity and confidence mapped to ours and its CWE kept. ``# nosec`` comments are
honoured the way bandit reads them (blanket or per test id/name) and the finding is
reported as suppressed with the comment as justification. Snippets and messages of the
hard-coded password tests are redacted. The work is in :mod:`.scanner`, imported when a
tree has Python files (names of it are available from here too).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pipesec.core.scanner import too_large
from pipesec.core.workspace import THIRD_PARTY_DIRS, under_any

if TYPE_CHECKING:
    from pipesec.core.model import Rule
    from pipesec.core.scanner import ScanItem, ScannerSettings
    from pipesec.core.workspace import Workspace, WorkspaceFile

SCANNER = "sast"
#: third-party code that is not the project's (bandit's own defaults plus virtualenvs)
SKIPPED_DIRS = THIRD_PARTY_DIRS | {".nox", ".eggs", "__pycache__"}


class SastScanner:
    name = "sast"
    default = True

    def rules(self) -> Sequence[Rule]:
        from pipesec.scanners.sast.scanner import bandit_rules

        return bandit_rules()

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]:
        def parses(f: WorkspaceFile) -> bool:
            return f.suffix in (".py", ".pyw") and not under_any(f.path, SKIPPED_DIRS)

        yield from too_large(workspace, SCANNER, parses)
        files = list(workspace.text_files(parses))
        if not files:
            return  # no Python file: bandit's glue is never imported
        from pipesec.scanners.sast.scanner import scan_files

        yield from scan_files(files, settings.disabled_rules, settings.fingerprint_key)


def __getattr__(name: str) -> Any:
    """The names of :mod:`.scanner` (``scan_source``, ``bandit_rules`` ...), imported on
    first use."""
    from importlib import import_module

    scanner = import_module(f"{__name__}.scanner")
    try:
        return getattr(scanner, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
