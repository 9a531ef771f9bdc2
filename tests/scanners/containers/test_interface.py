from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipesec.scanners.containers.interface import DirectorySource, FileTooLarge


def test_directory_source_lists_reads_and_never_follows_symlinks(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "os-release").write_text("ID=debian\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("x")
    os.symlink(outside, root / "link")
    os.symlink(outside / "secret", root / "etc" / "passwd")
    fs = DirectorySource(root)
    assert list(fs.paths()) == ["/etc/os-release"]
    assert fs.read("/etc/os-release", 100) == b"ID=debian\n"
    assert fs.size("/etc/os-release") == 10
    assert fs.origin("/etc/os-release") == ""
    with pytest.raises(FileTooLarge):
        fs.read("/etc/os-release", 3)
    for bad in ("/link/secret", "/etc/passwd", "/../outside/secret"):
        with pytest.raises(OSError):
            fs.read(bad, 100)
