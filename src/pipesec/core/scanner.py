"""The scanner seam: every scanner is found through the ``pipesec.scanners`` entry point
group and implements :class:`Scanner`. A scanner never formats output, never decides
pass/fail and never reads configuration files: it receives the workspace and its own
settings and yields findings, errors and notes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from pipesec.core.errors import InputError
from pipesec.core.model import (
    Component,
    Finding,
    Note,
    PostureCheck,
    Rule,
    ScanCount,
    ScanError,
    Severity,
)

if TYPE_CHECKING:
    from pydantic import BaseModel, TypeAdapter

    from pipesec.core.workspace import Workspace, WorkspaceFile

ScanItem = Finding | ScanError | Note | Component | PostureCheck | ScanCount


@dataclass(frozen=True)
class ScannerSettings:
    """What a scanner gets besides the workspace.

    ``options`` is the scanner's own table from the configuration (``[scanners.<name>]``),
    already validated against ``Scanner.settings_model`` when the scanner declares one.
    """

    options: Mapping[str, Any] = field(default_factory=dict)
    fingerprint_key: bytes = b""
    disabled_rules: frozenset[str] = frozenset()
    #: inputs given on the command line (e.g. --import-sarif files), by name
    inputs: Mapping[str, Sequence[str]] = field(default_factory=dict)
    #: set by flags such as --verify that allow this scanner to use the network
    network: bool = False
    #: ``[gate] unknown-severity``: the severity of a finding whose source gives none (an
    #: advisory without a score); such findings carry the tag ``severity:unscored``
    unknown_severity: Severity = Severity.MEDIUM


@runtime_checkable
class Scanner(Protocol):
    name: str
    #: run when no --scanner is given; adapters for external tools set this False
    default: bool

    def rules(self) -> Sequence[Rule]: ...

    def scan(self, workspace: Workspace, settings: ScannerSettings) -> Iterator[ScanItem]: ...


class HasSettingsModel(Protocol):
    #: validates ``[scanners.<name>]``: a pydantic model, or a ``TypeAdapter`` (of a
    #: dataclass, so the scan itself can take the options without pydantic)
    settings_model: type[BaseModel] | TypeAdapter[Any]


def read_text(f: WorkspaceFile, scanner: str) -> str | ScanError:
    """Read a file as text, turning a read failure into the ScanError to yield."""
    try:
        return f.read_text()
    except InputError as exc:
        return ScanError(scanner, f.path, exc.message)


def too_large(
    workspace: Workspace, scanner: str, parses: Callable[[WorkspaceFile], bool]
) -> Iterator[ScanError]:
    """A ScanError for each file over the size limit that ``scanner`` would parse: a hostile
    tree must not hide content from a scanner by making the file big (fail closed; the
    limit is ``max-file-size``)."""
    limit = workspace.max_file_size
    for f in workspace.all_files():
        if f.size > limit and not workspace.is_excluded(f.path) and parses(f):
            yield ScanError(
                scanner,
                f.path,
                f"{f.size / 1e6:.1f} MB is over the {limit / 1e6:.0f} MB file size limit;"
                " not scanned (raise max-file-size, or exclude the file)",
            )


def text_or_error(workspace: Workspace, f: WorkspaceFile, scanner: str) -> str | ScanError | None:
    """:meth:`Workspace.text_of` (one read, the binary sniff on the same bytes; None for a
    binary file), a read failure turned into the ScanError to yield."""
    try:
        return workspace.text_of(f)
    except InputError as exc:
        return ScanError(scanner, f.path, exc.message)


def finding_from_rule(
    rule: Rule,
    scanner: str,
    *,
    path: str,
    line: int = 0,
    column: int = 0,
    end_line: int = 0,
    end_column: int = 0,
    message: str = "",
    snippet: str = "",
    identity: str = "",
    **extra: Any,
) -> Finding:
    """Build a Finding carrying a rule's metadata. ``snippet`` must already be redacted."""
    from pipesec.core.fingerprints import text_identity
    from pipesec.core.model import Location

    return Finding(
        rule_id=rule.id,
        scanner=scanner,
        title=rule.title,
        message=message or rule.title,
        severity=extra.pop("severity", rule.severity),
        confidence=extra.pop("confidence", rule.confidence),
        location=Location(path, line, column, end_line or line, end_column),
        snippet=snippet,
        cwe=rule.cwe,
        references=rule.references,
        remediation=rule.remediation,
        tags=extra.pop("tags", rule.tags),
        identity=identity or text_identity(snippet) or text_identity(message or rule.title),
        **extra,
    )
