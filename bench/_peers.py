"""Peer tools for benchmarks, each in its own virtual environment under bench/.peers/."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

PEERS = Path(__file__).parent / ".peers"


def ensure(tool: str, package: str | None = None) -> Path:
    """The path of ``tool``'s executable, installing ``package`` into bench/.peers/<tool>."""
    home = PEERS / tool
    exe = home / "bin" / tool
    if exe.exists():
        return exe
    print(f"installing {package or tool} into {home} (once) ...", file=sys.stderr)
    venv.EnvBuilder(with_pip=True, clear=True).create(home)
    subprocess.run(
        [str(home / "bin" / "python"), "-m", "pip", "install", "-q", package or tool],
        check=True,
    )
    return exe


def version(exe: Path) -> str:
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "?"
