from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import git

from pipesec.core import gitsource
from pipesec.core.errors import UsageError


def test_parse_unified_diff() -> None:
    diff = """diff --git a/a.py b/a.py
index 1..2 100644
--- a/a.py
+++ b/a.py
@@ -1,0 +2,2 @@ def x():
+new
+new
@@ -10 +12 @@
-old
+changed
@@ -20,3 +23,0 @@
-gone
diff --git a/n.py b/n.py
new file mode 100644
--- /dev/null
+++ b/n.py
@@ -0,0 +1,3 @@
+a
diff --git a/d.py b/d.py
deleted file mode 100644
--- a/d.py
+++ /dev/null
"""
    changed = gitsource.parse_unified_diff(diff)
    assert changed == {"a.py": [(2, 3), (12, 12)], "n.py": None}


def test_changed_lines_against_ref(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"a.py": "1\n2\n3\n", "same.py": "x\n"})
    (root / "a.py").write_text("1\nTWO\n3\n4\n")
    (root / "untracked.py").write_text("u\n")
    changed = gitsource.changed_lines(root, "HEAD")
    assert changed == {"a.py": [(2, 2), (4, 4)], "untracked.py": None}


def test_unknown_ref_is_clear(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"a.py": "1\n"})
    with pytest.raises(UsageError, match="revision not found"):
        gitsource.changed_lines(root, "origin/nope")
    with pytest.raises(UsageError, match="not a git revision"):
        gitsource.changed_lines(root, "--output=/tmp/x")


def test_shallow_clone_hint(make_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"a.py": "1\n"})
    (root / "a.py").write_text("2\n")
    git(root, "commit", "-qam", "two")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{root}", str(clone))
    with pytest.raises(UsageError, match="shallow clone: fetch the base first"):
        gitsource.changed_lines(clone, "HEAD~1")
    assert gitsource.changed_lines(clone, "HEAD") == {}


def test_not_a_repo(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="needs a git repository"):
        gitsource.staged_files(tmp_path)


def test_staged_files_read_the_index(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"a.py": "committed\n", "skip/x.py": "x\n"})
    (root / "a.py").write_text("staged\n")
    git(root, "add", "a.py")
    (root / "a.py").write_text("working tree only\n")
    (root / "link").symlink_to(root / "a.py")
    git(root, "add", "link")
    files = gitsource.staged_files(root, excludes=["skip/"])
    assert [f.path for f in files] == ["a.py"]
    assert files[0].read_text() == "staged\n"
    assert files[0].size == len("staged\n")
    ws = gitsource.staged_workspace(
        root, changed=gitsource.changed_lines(root, "HEAD", staged=True)
    )
    assert ws.in_changed_lines("a.py", 1)
    assert not ws.in_changed_lines("skip/x.py", 1)
