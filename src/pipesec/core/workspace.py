"""Workspace: the files a scan looks at.

Inside a git repository the file list comes from git (so .gitignore is honoured);
outside one the tree is walked. Config excludes and a per-file size limit apply.
Symlinks are never followed, nor is a path whose parent directory is one (a git index may
list ``sub/file`` while ``sub`` is a symlink): one that points outside the root, dangles or
loops becomes a Note; one inside the root is skipped because its target is scanned on its
own. :func:`inside_root` is the same check for the few files read by name.
FIFOs, sockets and devices become Notes. Reads never raise anything but InputError.

A workspace can also be built from the git index (``--staged``) and can carry the
changed line ranges of a diff (``--diff-base``); see :mod:`pipesec.core.gitsource`.
"""

from __future__ import annotations

import contextlib
import logging
import operator
import os
import re
import stat
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipesec.core.errors import InputError
from pipesec.core.gitcmd import run_git
from pipesec.core.model import Note

log = logging.getLogger(__name__)

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
BINARY_SNIFF = 8192
ALWAYS_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn"})
#: third-party trees a repository may carry (installed dependencies, virtualenvs): not its
#: own code, pipelines or infrastructure; scanners add their own (``.terraform``, ``vendor``)
THIRD_PARTY_DIRS = frozenset({"node_modules", "site-packages", ".venv", "venv", ".tox"})


def under_any(path: str, dirs: frozenset[str]) -> bool:
    """Whether a directory of ``path`` (tree-relative, POSIX) is named in ``dirs``."""
    return not dirs.isdisjoint(path.split("/")[:-1])


def decode(data: bytes) -> str:
    """Decode bytes as UTF-8 without losing line positions.

    Invalid bytes become U+FFFD (never an exception); a UTF-8 BOM is dropped;
    UTF-16 with a BOM is decoded as such.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    return data.decode("utf-8", errors="replace")


#: names whose content is text whatever bytes it holds: a NUL planted in a source or config
#: file must not hide the rest of it from the scanners (decoding keeps the NUL in place)
_TEXT_SUFFIXES = (
    ".py .pyw .pyi .js .mjs .cjs .jsx .ts .tsx .vue .svelte .java .kt .kts .scala .groovy"
    " .gradle .go .rs .rb .php .cs .fs .vb .c .h .cc .cpp .cxx .hpp .m .mm .swift .dart"
    " .lua .pl .pm .r .ex .exs .erl .clj .sh .bash .zsh .fish .ps1 .psm1 .bat .cmd .sql"
    " .tf .tfvars .hcl .yml .yaml .json .jsonc .toml .ini .cfg .conf .properties .env .xml"
    " .html .htm .md .rst .txt .csv .tsv .pem .key .crt .cer .pub .asc .ipynb .lock .mod"
    " .sum .npmrc .pypirc .netrc .dockerfile .containerfile"
)
_TEXT_NAMES = (
    "Dockerfile Containerfile Makefile Jenkinsfile Vagrantfile Gemfile Pipfile Procfile"
    " .env .npmrc .pypirc .netrc .git-credentials .htpasswd .pgpass .s3cfg .dockercfg"
    " id_rsa id_dsa id_ecdsa id_ed25519 credentials"
)
TEXT_SUFFIXES = frozenset(_TEXT_SUFFIXES.split())
TEXT_NAMES = frozenset(_TEXT_NAMES.split())


def is_text_name(path: str) -> bool:
    """True for a file whose name says it is text (source, config, keys, lock files)."""
    name = path.rsplit("/", 1)[-1]
    if name in TEXT_NAMES or name.startswith((".env.", "Dockerfile.")):
        return True
    dot = name.rfind(".")
    return dot >= 0 and name[dot:].lower() in TEXT_SUFFIXES


def looks_binary(data: bytes, path: str = "") -> bool:
    """A file is binary when its first :data:`BINARY_SNIFF` bytes hold a NUL (UTF-16 text
    aside), unless ``path`` names a text file (:func:`is_text_name`). ``data`` may be the
    whole file: only its head is looked at, without a copy."""
    if data.find(b"\x00", 0, BINARY_SNIFF) == -1:
        return False
    if path and is_text_name(path):
        return False
    return not data.startswith((b"\xff\xfe", b"\xfe\xff"))


#: whether files can be looked up relative to an open directory (POSIX)
_DIR_FD = {os.open, os.stat} <= os.supports_dir_fd and os.stat in os.supports_follow_symlinks


@contextlib.contextmanager
def open_dir(prefix: str) -> Iterator[int | None]:
    """A descriptor of the directory ``prefix`` names (it ends with a separator), for
    ``stat``/``open`` of the many files under it by their relative paths: the kernel then
    walks only their own components (about 0.5 us less per call than the absolute path in
    this project's VMs). None where that is not supported or it cannot be opened."""
    fd = None
    if _DIR_FD:
        with contextlib.suppress(OSError):
            fd = os.open(prefix, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield fd
    finally:
        if fd is not None:
            os.close(fd)


@dataclass(frozen=True, slots=True)
class WorkspaceFile:
    """One file of the workspace. ``path`` is relative to the root, with ``/``."""

    path: str
    size: int
    reader: Callable[[], bytes] | None = field(default=None, repr=False, compare=False)
    #: the file on disk (None for files read from git objects); see ``abspath``
    disk_path: str | None = None

    @property
    def abspath(self) -> Path | None:
        return Path(self.disk_path) if self.disk_path is not None else None

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def suffix(self) -> str:
        name = self.name
        dot = name.rfind(".")
        return name[dot:].lower() if dot > 0 else ""

    def read_bytes(self) -> bytes:
        try:
            if self.reader is not None:
                return self.reader()
            if self.disk_path is None:
                raise InputError(self.path, "file has no content source")
            with open(self.disk_path, "rb") as fh:
                return fh.read()
        except InputError:
            raise
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            raise InputError(self.path, f"cannot read file: {reason}") from None

    def read_text(self) -> str:
        return decode(self.read_bytes())


_by_path = operator.attrgetter("path")


class Workspace:
    """The files of one scan root, discovered once and shared by all scanners."""

    def __init__(
        self,
        root: Path,
        *,
        excludes: Sequence[str] = (),
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        use_git: bool = True,
        files: Iterable[WorkspaceFile] | None = None,
        changed_lines: dict[str, list[tuple[int, int]] | None] | None = None,
        mode: str = "worktree",
    ) -> None:
        self.root = root.resolve()
        self._root_str = str(self.root).rstrip(os.sep) + os.sep
        self.excludes = tuple(excludes)
        self.max_file_size = max_file_size
        self.use_git = use_git
        self.mode = mode
        #: path -> changed line ranges (inclusive), or None for an added file; None = full scan
        self.changed_lines = changed_lines
        self._matcher = compile_globs(self.excludes)
        self._lock = threading.RLock()
        self._all: list[WorkspaceFile] | None = list(files) if files is not None else None
        self._notes: list[Note] = []
        self._binary: dict[str, bool] = {}
        self._dirs_ok: dict[str, bool] = {}
        #: files a scanner read whole and found without any inline ignore marker (no ``:i``
        #: or ``:I`` at all): the suppression pass does not read them again
        self.unmarked: set[str] = set()

    @property
    def root_prefix(self) -> str:
        """The root's path ending with a separator: every file's ``disk_path`` is this plus
        its ``path`` (once discovery has run: a single file's root is its directory)."""
        return self._root_str

    # -- discovery ---------------------------------------------------------------------

    def all_files(self) -> list[WorkspaceFile]:
        """Every regular file, including those over the size limit (for streaming scanners)."""
        with self._lock:
            if self._all is None:
                self._all = sorted(self._discover(), key=_by_path)
                for f in self._all:
                    if f.size > self.max_file_size:
                        self._notes.append(
                            Note(
                                "workspace",
                                f.path,
                                f"{f.size / 1e6:.1f} MB is over the {self.max_file_size / 1e6:.0f}"
                                " MB file size limit; skipped by scanners that read whole files"
                                " (max-file-size in config)",
                                kind="too-large",
                            )
                        )
            return self._all

    def files(self) -> list[WorkspaceFile]:
        """Regular files within the size limit and not excluded."""
        return [f for f in self.all_files() if f.size <= self.max_file_size]

    def text_files(
        self, predicate: Callable[[WorkspaceFile], bool] | None = None
    ) -> Iterator[WorkspaceFile]:
        """Files within the size limit that are not binary, optionally filtered first."""
        for f in self.files():
            if predicate is not None and not predicate(f):
                continue
            if self.is_binary(f):
                continue
            yield f

    def is_binary(self, f: WorkspaceFile) -> bool:
        cached = self._binary.get(f.path)
        if cached is not None:
            return cached
        try:
            head = self._head(f)
        except InputError:
            return False  # the scanner that reads it reports the error
        return self._sniffed(f, head)

    def text_of(self, f: WorkspaceFile) -> str | None:
        """The file as text from a single read (the binary sniff looks at the same bytes),
        or None when it is binary (noted once, as :meth:`is_binary` does).

        Raises :class:`InputError` when the file cannot be read."""
        data = f.read_bytes()
        binary = self._binary.get(f.path)
        if binary is None:
            binary = self._sniffed(f, data)
        return None if binary else decode(data)

    def _sniffed(self, f: WorkspaceFile, head: bytes) -> bool:
        result = looks_binary(head, f.path)
        self._binary[f.path] = result
        if result:
            with self._lock:
                self._notes.append(
                    Note("workspace", f.path, "binary file; not scanned as text", "binary")
                )
        return result

    def _head(self, f: WorkspaceFile) -> bytes:
        if f.disk_path is not None:
            try:
                with open(f.disk_path, "rb") as fh:
                    return fh.read(BINARY_SNIFF)
            except OSError as exc:
                raise InputError(f.path, f"cannot read file: {exc.strerror}") from None
        return f.read_bytes()[:BINARY_SNIFF]

    def is_excluded(self, rel: str) -> bool:
        return self._matcher(rel)

    @property
    def notes(self) -> list[Note]:
        with self._lock:
            return list(self._notes)

    def add_note(self, note: Note) -> None:
        with self._lock:
            self._notes.append(note)

    def in_changed_lines(self, path: str, line: int) -> bool:
        """True when a finding at path:line is inside the diff (always true on full scans)."""
        if self.changed_lines is None:
            return True
        if path not in self.changed_lines:
            return False
        ranges = self.changed_lines[path]
        if ranges is None or line <= 0:
            return ranges is None
        return any(a <= line <= b for a, b in ranges)

    def _discover(self) -> Iterator[WorkspaceFile]:
        if not self.root.exists():
            raise InputError(str(self.root), "scan path does not exist")
        if self.root.is_file():
            yield from self._single_file()
            return
        listed = self._git_list() if self.use_git else None
        names: Iterable[str] = listed if listed is not None else self._walk()
        with open_dir(self._root_str) as root_fd:
            for rel in names:
                if self.is_excluded(rel):
                    continue
                f = self._make_file(rel, root_fd)
                if f is not None:
                    yield f

    def _single_file(self) -> Iterator[WorkspaceFile]:
        p = self.root
        st = p.stat()
        self.root = p.parent
        self._root_str = str(self.root).rstrip(os.sep) + os.sep
        yield WorkspaceFile(p.name, st.st_size, None, str(p))

    def _git(self, *args: str, timeout: float) -> subprocess.CompletedProcess[bytes] | None:
        """``git ARGS`` in the scan root; None when git cannot be run or times out."""
        try:
            return run_git(self.root, args, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired):
            return None

    def _git_list(self) -> list[str] | None:
        if not may_be_in_repository(self.root):
            return None  # git would find no repository: it is not even started
        args = ("ls-files", "-z", "--cached", "--others", "--exclude-standard")
        proc = self._git(*args, timeout=120)
        if proc is None or proc.returncode != 0:
            return None
        out = proc.stdout.decode("utf-8", "surrogateescape")
        names = sorted({n for n in out.split("\0") if n})
        if not names and self._root_ignored():
            # a build output or vendored tree the repository ignores: git lists none of its
            # files, which would pass the gate having read nothing; walk it instead
            self.add_note(
                Note(
                    "workspace",
                    ".",
                    "the scan root is ignored by git; its files were found by walking it",
                    "git-ignored",
                )
            )
            return None
        return names

    def _root_ignored(self) -> bool:
        proc = self._git("check-ignore", "-q", ".", timeout=30)
        return proc is not None and proc.returncode == 0

    def _walk(self) -> Iterator[str]:
        root = str(self.root)
        for dirpath, dirnames, filenames in os.walk(
            root, followlinks=False, onerror=self._walk_error
        ):
            rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
            rel_dir = "" if rel_dir == "." else rel_dir + "/"
            keep = []
            for d in sorted(dirnames):
                rel = rel_dir + d
                if d in ALWAYS_SKIPPED_DIRS or self.is_excluded(rel):
                    continue
                if os.path.islink(os.path.join(dirpath, d)):
                    yield rel  # checked (and skipped with a note if needed) by _make_file
                    continue
                keep.append(d)
            dirnames[:] = keep
            for name in sorted(filenames):
                yield rel_dir + name

    def _walk_error(self, exc: OSError) -> None:
        rel = os.path.relpath(exc.filename or str(self.root), self.root)
        self.add_note(
            Note("workspace", rel, f"cannot list directory: {exc.strerror}", "unreadable")
        )

    def _parent_ok(self, rel: str) -> bool:
        """True when no directory on the way to ``rel`` is a symlink (a git index can list
        ``sub/file`` while the work tree has ``sub -> /elsewhere``). Cached per directory."""
        directory = rel.rpartition("/")[0]
        if not directory:
            return True
        ok = self._dirs_ok.get(directory)
        if ok is None:
            real = os.path.realpath(self._root_str + directory)
            ok = real == os.path.normpath(self._root_str + directory)
            if not ok and not self._parent_ok(directory):
                pass  # the note was given for the outer directory
            elif not ok and not Path(real).is_relative_to(self.root):
                self.add_note(
                    Note(
                        "workspace",
                        directory,
                        "directory is a symlink pointing outside the scanned tree; not followed",
                        "symlink",
                    )
                )
            self._dirs_ok[directory] = ok
        return ok

    def _make_file(self, rel: str, root_fd: int | None = None) -> WorkspaceFile | None:
        """The file at ``rel`` (``root_fd``: the root directory open, see ``open_dir``)."""
        p = self._root_str + rel
        if not self._parent_ok(rel):
            return None
        try:
            if root_fd is None or rel[:1] == "/":
                st = os.lstat(p)
            else:  # the same file: a path walk of rel's components alone
                st = os.stat(rel, dir_fd=root_fd, follow_symlinks=False)
        except FileNotFoundError:
            return None  # tracked by git but deleted in the work tree
        except OSError as exc:
            self.add_note(Note("workspace", rel, f"cannot stat: {exc.strerror}", "unreadable"))
            return None
        if stat.S_ISREG(st.st_mode):  # the common case first
            return WorkspaceFile(rel, st.st_size, None, p)
        if stat.S_ISLNK(st.st_mode):
            self._check_symlink(rel, Path(p))
            return None
        if stat.S_ISDIR(st.st_mode):
            return None  # a git submodule: scanned on its own
        self.add_note(
            Note(
                "workspace",
                rel,
                "not a regular file (FIFO, socket or device); skipped",
                "special",
            )
        )
        return None

    def _check_symlink(self, rel: str, p: Path) -> None:
        try:
            target = p.resolve(strict=True)
        except RuntimeError:
            self.add_note(Note("workspace", rel, "symlink loop; not followed", "symlink"))
            return
        except OSError:
            self.add_note(Note("workspace", rel, "dangling symlink; skipped", "symlink"))
            return
        if not target.is_relative_to(self.root):
            self.add_note(
                Note(
                    "workspace",
                    rel,
                    "symlink points outside the scanned tree; not followed",
                    "symlink",
                )
            )


def may_be_in_repository(root: Path) -> bool:
    """Whether git may find a repository for ``root``: a ``.git`` (directory, or the file a
    worktree or submodule has) in it or one of its parents. Without one git finds none, as
    pipesec runs it without ``GIT_DIR`` (``gitcmd.git_env``); a bare repository has no work
    tree to list either."""
    try:
        here = root.resolve()
    except (OSError, RuntimeError):
        return True
    return any(os.path.lexists(os.path.join(d, ".git")) for d in (here, *here.parents))


def inside_root(root: Path, path: Path) -> bool:
    """True when ``path`` (which may not exist) resolves to a place inside ``root``:
    no component of it, symlinked directories included, leaves the root."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


# -- globs ---------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """Translate a path glob: ``**`` spans directories, ``*`` and ``?`` stay in one segment.

    A pattern without ``/`` matches a name at any depth (as in .gitignore); a pattern
    matching a directory also matches everything below it.
    """
    return _translate(pattern)[0]


@lru_cache(maxsize=512)
def _translate(pattern: str) -> tuple[re.Pattern[str], str]:
    """The glob's regex, and its longest run of literal characters (every path the regex
    matches holds that run: the regex is the runs and the wildcards, concatenated)."""
    pat = pattern.strip().replace("\\", "/")
    anchored = "/" in pat.rstrip("/")
    pat = pat.strip("/")
    out = []
    runs = [""]
    i = 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            runs.append("")
            i += 3
            continue
        if pat.startswith("**", i):
            out.append(".*")
            runs.append("")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
            runs.append("")
        elif c == "?":
            out.append("[^/]")
            runs.append("")
        elif c == "[":
            j = pat.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                body = pat[i + 1 : j].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = j + 1
                continue
        else:
            out.append(re.escape(c))
            runs[-1] += c
        i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    # a bracket can read oddly as a regex ("[]/?" is one class): no literal run then
    literal = "" if "[" in pat else max(runs, key=len)
    return re.compile(f"^{prefix}{body}(?:/.*)?$", re.DOTALL), literal


_GLOB_CHARS = frozenset("*?[\\")


def compile_globs(patterns: Sequence[str]) -> Callable[[str], bool]:
    """One matcher for many globs. Plain names (``yarn.lock``, ``node_modules``: no ``/``,
    no wildcard) match a path segment, tested with a set instead of the regex. When every
    other glob holds a literal run (``tests/fixtures``, ``.min.js``), a path that holds
    none of them is refused without running the regex."""
    names: set[str] = set()
    regexes = []
    literals: list[str] = []
    for p in patterns:
        p = p.strip()
        if not p:
            continue
        if "/" not in p and _GLOB_CHARS.isdisjoint(p):
            names.add(p)
        else:
            regex, literal = _translate(p)
            regexes.append(regex)
            literals.append(literal)
    if not names and not regexes:
        return lambda _rel: False
    combined = (
        re.compile("|".join(f"(?:{r.pattern})" for r in regexes), re.DOTALL) if regexes else None
    )
    #: a path without any of these cannot match the regex (None: some glob has no literal)
    needed = tuple(dict.fromkeys(literals)) if literals and all(literals) else None

    def regex_matches(rel: str) -> bool:
        if combined is None:
            return False
        if needed is not None:
            for lit in needed:  # a plain loop: cheaper than any() over a generator
                if lit in rel:
                    break
            else:
                return False
        return combined.match(rel) is not None

    if not names:
        return regex_matches

    def matches(rel: str) -> bool:
        if not names.isdisjoint(rel.split("/")):
            return True
        return regex_matches(rel)

    return matches


def path_matches(pattern: str, rel: str) -> bool:
    return glob_to_regex(pattern).match(rel) is not None
