"""Item 8: a path is read only if no component of it leaves the scanned root."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import git
from tests.hostile.budget_helpers import findings_of, planted_secret_line, scan

from pipesec.core.workspace import Workspace, inside_root

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def test_index_entry_under_a_symlinked_directory_is_not_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text(planted_secret_line())
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    (repo / "sub" / "secret.txt").write_text("nothing\n")
    (repo / "app.py").write_text("print(1)\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init")
    shutil.rmtree(repo / "sub")
    (repo / "sub").symlink_to(elsewhere)  # the index still lists sub/secret.txt

    ws = Workspace(repo)
    assert [f.path for f in ws.files()] == ["app.py"]
    assert any(n.path == "sub" and n.kind == "symlink" for n in ws.notes)

    _, report, _ = scan(repo, "--scanner", "secrets")
    assert not findings_of(report), "a file outside the root was read through sub/"


def test_gitleaks_config_symlinked_outside_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text('[[rules]]\nid = "x"\nregex = "hello"\n')
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".gitleaks.toml").symlink_to(outside)
    (repo / "a.txt").write_text("hello\n")
    _, report, _ = scan(repo, "--scanner", "secrets")
    assert not findings_of(report)


def test_inside_root(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "up").symlink_to(tmp_path / "in")
    assert inside_root(tmp_path / "root", tmp_path / "root" / "a" / "b")
    assert not inside_root(tmp_path / "root", tmp_path / "root" / "up" / "x")
    assert not inside_root(tmp_path / "root", tmp_path / "root" / ".." / "in")


@pytest.mark.parametrize("name", [".pipesec.toml", "pyproject.toml"])
def test_config_symlinked_outside_is_not_read(tmp_path: Path, name: str) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text("enable-x = 1\n[tool.pipesec]\nenable-x = 1\n")  # an error if read
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / name).symlink_to(outside)
    code, _, err = scan(repo, "--scanner", "iac")
    assert code in (0, 1) and "enable-x" not in err
