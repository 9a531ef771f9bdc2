"""Reading a FileSource's files with a size limit and one-line problems (never raising)."""

from __future__ import annotations

from typing import Any

from pipesec.scanners.containers.interface import FileTooLarge


def read_bytes(fs: Any, path: str, limit: int, problems: list[str]) -> bytes | None:
    """The file's bytes; None when it does not exist (no problem) or cannot be read (a
    problem naming the path)."""
    try:
        return bytes(fs.read(path, limit))
    except (FileNotFoundError, KeyError, IsADirectoryError, NotADirectoryError):
        return None
    except FileTooLarge:
        problems.append(f"{path}: larger than {limit} bytes, not read")
    except (OSError, ValueError) as exc:
        problems.append(f"{path}: cannot be read ({type(exc).__name__})")
    return None


def read_text(fs: Any, path: str, limit: int, problems: list[str]) -> str | None:
    data = read_bytes(fs, path, limit, problems)
    return None if data is None else data.decode("utf-8", "replace")
