"""Adapters for external scanners (semgrep, checkov): run the tool with pinned arguments,
read its SARIF through the core importer, and say how to install it when it is missing.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipesec.core.errors import InputError, ToolMissingError
from pipesec.core.model import Finding, ScanError
from pipesec.core.scanner import ScanItem
from pipesec.scanners.imported import import_file

log = logging.getLogger(__name__)


def find_tool(name: str, configured: str | None, install_hint: str) -> str:
    """The executable to run: the configured path, else ``name`` on PATH."""
    if configured:
        p = Path(configured).expanduser()
        if p.is_file() and os.access(p, os.X_OK):
            return str(p)
        raise ToolMissingError(
            f"{name}: configured path {configured!r} is not an executable file; {install_hint}"
        )
    found = shutil.which(name)
    if found is None:
        raise ToolMissingError(f"{name} is not installed (not found on PATH); {install_hint}")
    return found


def run_sarif_tool(
    scanner: str,
    argv: Sequence[str],
    sarif_path: Path,
    root: Path,
    *,
    timeout: int,
    ok_codes: Sequence[int] = (0, 1),
    cwd: Path | None = None,
) -> Iterator[ScanItem]:
    """Run ``argv``, then import the SARIF it wrote; findings and errors carry ``scanner``."""
    log.debug("running %s", " ".join(argv))
    try:
        proc = subprocess.run(
            list(argv),
            cwd=cwd or root,
            capture_output=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "SEMGREP_SEND_METRICS": "off", "BC_SKIP_MAPPING": "TRUE"},
        )
    except subprocess.TimeoutExpired:
        raise InputError(
            str(root),
            f"{scanner} did not finish within {timeout} s (timeout in [scanners.{scanner}])",
        ) from None
    except OSError as exc:
        raise InputError(str(root), f"cannot run {scanner}: {exc.strerror}") from None
    if proc.returncode not in ok_codes or not sarif_path.is_file():
        tail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()[-3:]
        raise InputError(
            str(root),
            f"{scanner} failed (exit {proc.returncode}): " + (" | ".join(tail) or "no output"),
        )
    for item in import_file(sarif_path, root):
        if isinstance(item, Finding):
            yield dataclasses.replace(item, scanner=scanner)
        elif isinstance(item, ScanError):
            yield dataclasses.replace(
                item, scanner=scanner, path=item.path if item.path != str(sarif_path) else ""
            )


def temp_dir(prefix: str) -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix=f"pipesec-{prefix}-")
