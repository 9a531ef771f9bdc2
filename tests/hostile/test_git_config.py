"""Item 15: the scanned repository's .git/config must not make pipesec run a program."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from tests.conftest import git
from tests.hostile.budget_helpers import scan

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def _planted(tmp_path: Path) -> tuple[Path, Path]:
    repo = tmp_path / "repo"
    repo.mkdir()
    marker = tmp_path / "ran"
    prog = tmp_path / "prog.sh"
    prog.write_text(f"#!/bin/sh\necho ran >> {marker}\nexit 0\n")
    prog.chmod(prog.stat().st_mode | stat.S_IXUSR)
    git(repo, "init", "-q")
    (repo / "app.py").write_text("print('hello')\n")
    (repo / ".gitattributes").write_text("*.py filter=evil diff=evil\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init")
    for key, value in (
        ("core.fsmonitor", str(prog)),
        ("core.hooksPath", str(tmp_path)),
        ("diff.external", str(prog)),
        ("filter.evil.clean", str(prog)),
        ("filter.evil.process", str(prog)),
        ("diff.evil.textconv", str(prog)),
        ("log.showSignature", "true"),
        ("gpg.program", str(prog)),
        ("core.pager", str(prog)),
    ):
        git(repo, "config", key, value)
    for hook in ("post-index-change", "reference-transaction"):
        shutil.copy(prog, tmp_path / hook)
    (repo / "app.py").write_text("print('changed')\n")  # dirty: diff must read the worktree
    return repo, marker


def test_worktree_scan_runs_no_program_from_git_config(tmp_path: Path) -> None:
    repo, marker = _planted(tmp_path)
    code, _, _ = scan(repo)
    assert code in (0, 1)
    assert not marker.exists(), "a program named by .git/config ran"


def test_diff_base_and_staged_run_no_program(tmp_path: Path) -> None:
    repo, marker = _planted(tmp_path)
    scan(repo, "--diff-base", "HEAD")
    scan(repo, "--staged")
    assert not marker.exists(), "a program named by .git/config ran"


def test_history_scan_runs_no_program(tmp_path: Path) -> None:
    repo, marker = _planted(tmp_path)
    scan(repo, "--scanner", "secrets", "--history")
    assert not marker.exists(), "a program named by .git/config ran"
