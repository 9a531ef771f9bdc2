"""Git-backed workspaces for tiered pipelines.

- ``--diff-base REF``: the changed line ranges since REF (working tree, or the index with
  ``--staged``), so only findings on changed lines and in added files are reported.
- ``--staged``: the files as they are in the git index (what the next commit holds), read
  with one ``git cat-file --batch`` process.

Both work in shallow clones as long as REF is present, and raise a UsageError that says
how to fetch it when it is not.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from pipesec.core.errors import InputError, UsageError
from pipesec.core.gitcmd import popen_git, run_git
from pipesec.core.workspace import DEFAULT_MAX_FILE_SIZE, Workspace, WorkspaceFile, compile_globs

GIT_TIMEOUT = 300
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")

ChangedLines = dict[str, list[tuple[int, int]] | None]


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        proc = run_git(root, args, timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise UsageError("git is not installed; --diff-base and --staged need it") from None
    except subprocess.TimeoutExpired:
        raise InputError(str(root), f"git {args[0]} timed out after {GIT_TIMEOUT}s") from None
    if check and proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(str(root), f"git {args[0]} failed: {msg[-1] if msg else proc.returncode}")
    return proc


def require_repo(root: Path, flag: str) -> None:
    proc = _git(root, "rev-parse", "--is-inside-work-tree", check=False)
    if proc.returncode != 0 or proc.stdout.strip() != b"true":
        raise UsageError(f"{flag} needs a git repository, and {root} is not inside one")


def fetch_args(root: Path, ref: str) -> tuple[str, str]:
    """The remote and branch to fetch for ``ref``: ``origin/main`` is ``origin main``."""
    proc = _git(root, "remote", check=False)
    remotes = proc.stdout.decode("utf-8", "replace").split() if proc.returncode == 0 else []
    for remote in sorted(remotes, key=len, reverse=True):
        for prefix in (f"refs/remotes/{remote}/", f"remotes/{remote}/", f"{remote}/"):
            if ref.startswith(prefix) and len(ref) > len(prefix):
                return remote, ref[len(prefix) :]
    return (remotes[0] if len(remotes) == 1 else "origin"), ref


def verify_ref(root: Path, ref: str) -> str:
    if ref.startswith("-"):
        raise UsageError(f"--diff-base {ref!r}: not a git revision")
    proc = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if proc.returncode != 0:
        shallow = _git(root, "rev-parse", "--is-shallow-repository", check=False).stdout.strip()
        remote, branch = fetch_args(root, ref)
        hint = (
            "this is a shallow clone: fetch the base first, e.g. "
            f"'git fetch --depth=1 {remote} {branch}' (or use actions/checkout with "
            "fetch-depth: 0)"
            if shallow == b"true"
            else f"check the name, or fetch it first: 'git fetch {remote} {branch}'"
        )
        raise UsageError(f"--diff-base {ref!r}: revision not found in this repository; {hint}")
    return proc.stdout.decode().strip()


def parse_unified_diff(text: str) -> ChangedLines:
    """Changed line ranges (inclusive, new-file numbering) per path from ``git diff -U0``."""
    changed: ChangedLines = {}
    path: str | None = None
    added = False
    for line in text.splitlines():
        if line.startswith("diff --git "):
            path, added = None, False
        elif line.startswith("new file mode"):
            added = True
        elif line.startswith("+++ "):
            target = line[4:]
            if target == "/dev/null":
                path = None
                continue
            path = _unquote(target[2:] if target.startswith("b/") else target)
            changed[path] = None if added else []
        elif path is not None and line.startswith("@@"):
            m = _HUNK.match(line)
            if m is None:
                continue
            start = int(m.group(1))
            count = int(m.group(2)) if m.group(2) is not None else 1
            ranges = changed.get(path)
            if count > 0 and ranges is not None:
                ranges.append((start, start + count - 1))
    return changed


def _unquote(p: str) -> str:
    if p.startswith('"') and p.endswith('"'):
        raw = p[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
        return raw.encode("latin-1", "replace").decode("utf-8", "replace")
    return p


def changed_lines(root: Path, ref: str, *, staged: bool = False) -> ChangedLines:
    """What changed since ``ref``: in the index when ``staged``, else in the working tree
    (untracked, not ignored files count as added)."""
    require_repo(root, "--diff-base")
    verify_ref(root, ref)
    args = ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "-U0", "--relative"]
    if staged:
        args.append("--cached")
    proc = _git(root, *args, ref, "--", ".")
    changed = parse_unified_diff(proc.stdout.decode("utf-8", "replace"))
    if not staged:
        others = _git(root, "ls-files", "-z", "--others", "--exclude-standard").stdout
        for name in others.decode("utf-8", "surrogateescape").split("\0"):
            if name:
                changed[name] = None
    return changed


def staged_changes(root: Path) -> ChangedLines | None:
    """Lines the index adds or changes against ``HEAD`` (what ``git commit`` would add);
    None before the first commit, when every staged line is new."""
    require_repo(root, "--staged")
    head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
    if head.returncode != 0:
        return None
    args = ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "-U0", "--relative"]
    proc = _git(root, *args, "--cached", "HEAD", "--", ".")
    return parse_unified_diff(proc.stdout.decode("utf-8", "replace"))


class _BlobReader:
    """One long-lived ``git cat-file --batch`` shared by all files of the index."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = popen_git(
                self._root,
                ["cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        return self._proc

    def read(self, sha: str, path: str) -> bytes:
        with self._lock:
            proc = self._start()
            stdin: IO[bytes] | None = proc.stdin
            stdout: IO[bytes] | None = proc.stdout
            if stdin is None or stdout is None:
                raise InputError(path, "cannot start git cat-file")
            stdin.write(sha.encode() + b"\n")
            stdin.flush()
            header = stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise InputError(
                    path, f"staged blob {sha[:12]} is missing from the git object store"
                )
            size = int(header[2])
            data = stdout.read(size)
            stdout.read(1)  # the newline after the object
            return data

    def close(self) -> None:
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                if self._proc.stdin:
                    self._proc.stdin.close()
                self._proc.wait(timeout=10)


def staged_files(root: Path, excludes: Sequence[str] = ()) -> list[WorkspaceFile]:
    """Regular files of the git index (stage 0 or the 'ours' side of a conflict)."""
    require_repo(root, "--staged")
    listing = _git(root, "ls-files", "-z", "--stage").stdout.decode("utf-8", "surrogateescape")
    excluded = compile_globs(excludes)
    entries: dict[str, str] = {}
    for record in listing.split("\0"):
        if not record:
            continue
        meta, _, path = record.partition("\t")
        mode, sha, stage = meta.split()
        if mode not in ("100644", "100755") or stage not in ("0", "2") or excluded(path):
            continue  # symlinks (120000) and submodules (160000) are not files to scan
        entries[path] = sha
    if not entries:
        return []
    check = run_git(
        root,
        ["cat-file", "--batch-check"],
        input="".join(f"{sha}\n" for sha in entries.values()).encode(),
        timeout=GIT_TIMEOUT,
    )
    sizes: dict[str, int] = {}
    for line in check.stdout.decode().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "blob":
            sizes[parts[0]] = int(parts[2])
    reader = _BlobReader(root)
    files = []
    for path, sha in sorted(entries.items()):

        def read(sha: str = sha, path: str = path) -> bytes:
            return reader.read(sha, path)

        files.append(WorkspaceFile(path, sizes.get(sha, 0), read))
    return files


def staged_workspace(
    root: Path,
    *,
    excludes: Sequence[str] = (),
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    changed: ChangedLines | None = None,
) -> Workspace:
    files = staged_files(root, excludes)
    return Workspace(
        root,
        excludes=excludes,
        max_file_size=max_file_size,
        files=files,
        changed_lines=changed,
        mode="staged",
    )
