"""Helm charts rendered with ``helm template`` when the ``helm`` binary is on PATH.

The chart is rendered offline (no ``--dependency-update``, no cluster: ``lookup`` returns
nothing), with Helm's home, cache, config and plugin directories pointed at an empty
temporary directory, a wall-clock limit and an output cap. A chart that holds symbolic links
is not rendered (``.Files.Get`` would follow them out of the scan root): a note says so.
The ``# Source:`` comments of the output are rewritten to the chart's path in the scan
root, so findings point at the template files.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pipesec.core.model import Note, ScanError
from pipesec.scanners.iac.common import SCANNER

TIMEOUT = 60
MAX_OUTPUT = 16 * 1024 * 1024
_SOURCE_LINE = re.compile(r"(?m)^# Source: [^/\n]+/")


def helm_binary() -> str | None:
    return shutil.which("helm")


def charts(paths: set[str]) -> list[str]:
    """Directories holding a Chart.yaml and at least one file under templates/."""
    found = []
    for p in sorted(paths):
        if posixpath.basename(p) == "Chart.yaml":
            d = posixpath.dirname(p)
            prefix = posixpath.join(d, "templates/") if d else "templates/"
            if any(q.startswith(prefix) for q in paths):
                found.append(d)
    return found


def _has_symlink(top: Path) -> bool:
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        for name in dirnames + filenames:
            if os.path.islink(os.path.join(dirpath, name)):
                return True
    return False


def render(root: Path, chart: str, helm: str) -> str | ScanError | Note:
    """The chart's rendered manifests, with ``# Source:`` paths relative to the scan root."""
    where = posixpath.join(chart, "Chart.yaml") if chart else "Chart.yaml"
    top = root / chart if chart else root
    if _has_symlink(top):
        return Note(SCANNER, where, "Helm chart holds symbolic links: not rendered", "template")
    with tempfile.TemporaryDirectory(prefix="pipesec-helm-") as tmp:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": tmp,
            "HELM_CACHE_HOME": tmp + "/cache",
            "HELM_CONFIG_HOME": tmp + "/config",
            "HELM_DATA_HOME": tmp + "/data",
            "HELM_PLUGINS": tmp + "/plugins",
            "KUBECONFIG": tmp + "/kubeconfig",
        }
        try:
            proc = subprocess.run(
                [helm, "template", "pipesec-scan", str(top)],
                capture_output=True,
                cwd=tmp,
                env=env,
                stdin=subprocess.DEVNULL,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return ScanError(SCANNER, where, f"helm template did not finish within {TIMEOUT} s")
        except OSError as exc:
            return ScanError(SCANNER, where, f"helm template could not run: {exc.strerror}")
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"]
        first = " ".join(lines[-1].split())[:200]
        return ScanError(SCANNER, where, f"helm template failed: {first}")
    if len(proc.stdout) > MAX_OUTPUT:
        return ScanError(SCANNER, where, f"helm template output over {MAX_OUTPUT} bytes")
    text = proc.stdout.decode("utf-8", "replace")
    prefix = f"# Source: {chart}/" if chart else "# Source: "
    return _SOURCE_LINE.sub(lambda _m: prefix, text)


def render_all(root: Path, paths: set[str]) -> Iterator[tuple[str, str] | ScanError | Note]:
    """(chart directory, rendered text) per chart, or the error/note; nothing without helm."""
    helm = helm_binary()
    if helm is None:
        return
    for chart in charts(paths):
        got = render(root, chart, helm)
        yield got if isinstance(got, ScanError | Note) else (chart, got)
