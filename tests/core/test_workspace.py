from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.core.errors import InputError
from pipesec.core.workspace import (
    Workspace,
    compile_globs,
    decode,
    glob_to_regex,
    looks_binary,
    may_be_in_repository,
    path_matches,
)


def paths(ws: Workspace) -> list[str]:
    return [f.path for f in ws.files()]


def test_walk_outside_git(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("print(1)\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("b\n")
    (tmp_path / ".git").mkdir()  # a stray .git dir is never scanned
    (tmp_path / ".git" / "config").write_text("x")
    ws = Workspace(tmp_path, use_git=True)
    assert paths(ws) == ["a.py", "sub/b.txt"]


def test_git_is_not_started_where_it_could_find_no_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.py").write_text("x\n")
    assert not may_be_in_repository(tmp_path / "sub")

    def no_git(*args: object, **kwargs: object) -> None:
        raise AssertionError("git was started")

    monkeypatch.setattr("pipesec.core.workspace.run_git", no_git)
    assert paths(Workspace(tmp_path / "sub")) == ["a.py"]
    (tmp_path / ".git").write_text("gitdir: /elsewhere\n")  # a worktree's or submodule's
    assert may_be_in_repository(tmp_path / "sub") and may_be_in_repository(tmp_path)


def test_git_honours_gitignore(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({".gitignore": "build/\n*.log\n", "src/app.py": "x = 1\n"})
    (root / "build").mkdir()
    (root / "build" / "out.py").write_text("y\n")
    (root / "debug.log").write_text("z\n")
    (root / "new.py").write_text("untracked but not ignored\n")
    ws = Workspace(root)
    assert paths(ws) == [".gitignore", "new.py", "src/app.py"]


def test_excludes_and_size_limit(tmp_path: Path) -> None:
    (tmp_path / "examples" / "demo").mkdir(parents=True)
    (tmp_path / "examples" / "demo" / "x.py").write_text("x")
    (tmp_path / "keep.py").write_text("k")
    (tmp_path / "big.bin").write_bytes(b"a" * 2000)
    ws = Workspace(tmp_path, excludes=["examples/"], max_file_size=1000, use_git=False)
    assert paths(ws) == ["keep.py"]
    assert [f.path for f in ws.all_files()] == ["big.bin", "keep.py"]
    [note] = [n for n in ws.notes if n.kind == "too-large"]
    assert note.path == "big.bin"


def test_binary_files_are_noted_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "img.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "t.txt").write_text("text")
    ws = Workspace(tmp_path, use_git=False)
    assert [f.path for f in ws.text_files()] == ["t.txt"]
    assert any(n.kind == "binary" and n.path == "img.png" for n in ws.notes)


def test_symlinks_never_followed_out_of_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("outside")
    root = tmp_path / "root"
    root.mkdir()
    (root / "real.txt").write_text("in")
    (root / "link-out").symlink_to(outside / "secret.txt")
    (root / "dir-out").symlink_to(outside)
    (root / "link-in").symlink_to(root / "real.txt")
    (root / "loop").symlink_to(root / "loop")
    (root / "dangling").symlink_to(root / "nope")
    ws = Workspace(root, use_git=False)
    assert paths(ws) == ["real.txt"]
    kinds = {n.path: n.message for n in ws.notes}
    assert "outside" in kinds["link-out"]
    assert "outside" in kinds["dir-out"]
    assert "loop" in kinds["loop"]
    assert "dangling" in kinds["dangling"]
    assert "link-in" not in kinds


def test_fifo_is_a_note(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "a.txt").write_text("a")
    ws = Workspace(tmp_path, use_git=False)
    assert paths(ws) == ["a.txt"]
    assert any(n.kind == "special" and n.path == "pipe" for n in ws.notes)


def test_unreadable_file_raises_input_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    ws = Workspace(tmp_path, use_git=False)
    [f] = ws.files()
    (tmp_path / "a.txt").unlink()
    with pytest.raises(InputError, match=r"a\.txt: cannot read file"):
        f.read_text()


def test_decode_keeps_lines() -> None:
    data = b"line1\nbad \xff\xfe byte\nline3\n"
    text = decode(data)
    assert text.splitlines()[2] == "line3"
    assert "\ufffd" in text
    assert decode(b"\xef\xbb\xbfhello") == "hello"
    assert decode("hé".encode("utf-16")) == "hé"


def test_looks_binary() -> None:
    assert looks_binary(b"abc\x00def")
    assert not looks_binary(b"plain text")


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("examples/", "examples/app/x.py", True),
        ("examples", "sub/examples/x.py", True),
        ("tests/fixtures/", "tests/fixtures/a/b.yml", True),
        ("tests/fixtures/", "other/tests/fixtures/a", False),
        ("*.lock", "deep/dir/poetry.lock", True),
        ("src/**/*.py", "src/a/b/c.py", True),
        ("src/**/*.py", "src/c.py", True),
        ("src/*.py", "src/a/c.py", False),
        ("**/vendor/**", "a/vendor/b/c.js", True),
        ("docs/?.md", "docs/a.md", True),
        ("[ab].txt", "b.txt", True),
    ],
)
def test_globs(pattern: str, path: str, expected: bool) -> None:
    assert path_matches(pattern, path) is expected


def test_glob_regex_is_cached() -> None:
    assert glob_to_regex("a/*") is glob_to_regex("a/*")


def test_single_file_root(tmp_path: Path) -> None:
    p = tmp_path / "one.yml"
    p.write_text("a: 1\n")
    ws = Workspace(p)
    assert paths(ws) == ["one.yml"]
    assert ws.root == tmp_path


def test_missing_root(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        Workspace(tmp_path / "nope").files()


def test_changed_lines_filter(tmp_path: Path) -> None:
    ws = Workspace(tmp_path, changed_lines={"a.py": [(3, 5)], "new.py": None})
    assert ws.in_changed_lines("a.py", 4)
    assert not ws.in_changed_lines("a.py", 6)
    assert ws.in_changed_lines("new.py", 100)
    assert not ws.in_changed_lines("other.py", 1)
    assert Workspace(tmp_path).in_changed_lines("x", 1)


_SEGMENT = st.sampled_from(
    ["yarn.lock", "go.sum", "node_modules", "src", "a b", "x.lock", "", "tests", "fixtures", "["]
)
_GLOB = st.one_of(
    st.sampled_from(["yarn.lock", "node_modules", "go.sum", "*.lock", "src/**", "**/x.lock"]),
    st.sampled_from(["**/tests/fixtures/**", "tests/**", "[]/?", "*.[lx]ock", "src/[!a]*"]),
    st.text(alphabet="abyrn.lock_-/*?[]!", max_size=10).filter(lambda g: _compiles(g)),
)


def _compiles(glob: str) -> bool:
    try:
        glob_to_regex(glob)
    except re.error:  # "[]" is no valid glob: both matchers refuse it alike
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(st.lists(_GLOB, max_size=4), st.lists(_SEGMENT, min_size=1, max_size=4).map("/".join))
def test_compile_globs_equals_each_glob_alone(patterns: list[str], rel: str) -> None:
    # plain names take a set lookup instead of the regex, and a path holding none of the
    # globs' literal runs is refused before the regex: the answer must not change
    expected = any(glob_to_regex(p).match(rel) is not None for p in patterns if p.strip())
    assert compile_globs(patterns)(rel) is expected


def test_text_of_reads_once_and_notes_binary_files(tmp_path: Path) -> None:
    (tmp_path / "ci.yml").write_bytes(b"\xef\xbb\xbfon: push\n")
    (tmp_path / "blob.bin").write_bytes(b"PK\x00\x03" + bytes(range(256)))
    ws = Workspace(tmp_path, use_git=False)
    files = {f.path: f for f in ws.files()}
    assert ws.text_of(files["ci.yml"]) == "on: push\n"  # BOM dropped, as read_text does
    assert ws.text_of(files["blob.bin"]) is None
    assert ws.text_of(files["blob.bin"]) is None
    assert ws.is_binary(files["blob.bin"]) and not ws.is_binary(files["ci.yml"])
    assert [n.path for n in ws.notes if n.kind == "binary"] == ["blob.bin"]  # noted once
    (tmp_path / "ci.yml").unlink()
    with pytest.raises(InputError, match="cannot read"):
        ws.text_of(files["ci.yml"])


def test_a_git_ignored_scan_root_is_walked_not_skipped(tmp_path: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("dist/\n")
    (tmp_path / "dist" / "assets").mkdir(parents=True)
    (tmp_path / "dist" / "assets" / "app.js").write_text("var a = 1;\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("print(1)\n")
    # the build output the repository ignores: git lists nothing, so it is walked
    ws = Workspace(tmp_path / "dist")
    assert [f.path for f in ws.files()] == ["assets/app.js"]
    assert [n.kind for n in ws.notes] == ["git-ignored"]
    # a scan of the repository itself keeps git's view: dist/ stays out, no note
    top = Workspace(tmp_path)
    assert [f.path for f in top.files()] == [".gitignore", "src/main.py"]
    assert not top.notes
    # an empty directory that is not ignored is empty, not walked
    (tmp_path / "empty").mkdir()
    assert Workspace(tmp_path / "empty").files() == [] and not Workspace(tmp_path / "empty").notes


def test_lookups_from_the_root_descriptor_find_what_absolute_paths_find(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discovery stats, and the secrets scanner opens, files by their path from an open
    descriptor of the root (``open_dir``): the files, notes and bytes are those that
    absolute paths give, symlinks and vanished files included."""
    from pipesec.core import workspace as ws_mod
    from pipesec.scanners.secrets import _read

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("outside")
    root = tmp_path / "root"
    (root / "sub" / "deep").mkdir(parents=True)
    (root / "real.txt").write_text("in")
    (root / "sub" / "deep" / "b.cfg").write_bytes(b"\xff\x00bin")
    (root / "sub" / "link-out").symlink_to(outside / "secret.txt")
    (root / "dir-out").symlink_to(outside)
    (root / "sub" / "dir-in").symlink_to(root / "sub" / "deep")
    (root / "loop").symlink_to(root / "loop")
    os.mkfifo(root / "pipe")

    def discover() -> tuple[list[tuple[str, int, str | None]], list[str]]:
        ws = Workspace(root, use_git=False)
        files = [(f.path, f.size, f.disk_path) for f in ws.all_files()]
        return files, sorted(repr(n) for n in ws.notes)

    with_fd = discover()
    assert [f[0] for f in with_fd[0]] == ["real.txt", "sub/deep/b.cfg"]
    monkeypatch.setattr(ws_mod, "_DIR_FD", False)
    assert discover() == with_fd
    monkeypatch.undo()
    ws = Workspace(root, use_git=False)
    files = ws.all_files()
    with ws_mod.open_dir(ws.root_prefix) as fd:
        assert fd is not None
        for f in files:
            assert _read(f, (fd, ws.root_prefix)) == f.read_bytes()
        (root / "real.txt").unlink()
        with pytest.raises(InputError, match="cannot read file"):
            _read(files[0], (fd, ws.root_prefix))
