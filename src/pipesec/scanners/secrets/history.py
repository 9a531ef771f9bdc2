"""Git history scanning (``pipesec scan --history [--since DATE] [--range A..B]``).

One ``git log --raw`` pass lists, for every commit (all refs by default, oldest first),
the blobs it adds or changes; each distinct blob is then read once through one
``git cat-file --batch`` process and scanned once (at its first path that config does not
exclude; a blob that holds a secret is looked at again under each other path it was
copied to, so the copy is reported too). A secret is reported once per
(rule, secret, path) at the earliest commit that introduced it, with that commit's author
and date, its line in that version of the file, and how many commits carry it (commits
whose tree holds, at that path, a version of the file containing the secret). Merges are
diffed against their first parent, so a blob merged from a branch is attributed to the
branch commit that wrote it.

Why blobs and not ``git log -p``: a blob is scanned exactly once however many commits
and branches carry it, multi-line secrets (key blocks) are seen whole, and line numbers
are those of the file; bench/secrets_history.py measures both ways.

A shallow clone is scanned as far as it goes, with a Note saying so; a corrupt repository
(git cannot walk the history, or a blob is missing) gives a ScanError naming the commit or
file, and the rest of the history is still scanned. The scan never touches the network:
lazy fetches of partial clones are disabled.
"""

from __future__ import annotations

import contextlib
import logging
import re
import subprocess
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from pipesec.core.gitcmd import popen_git, run_git
from pipesec.core.model import Finding, Note, ScanCount, ScanError
from pipesec.core.workspace import decode, looks_binary
from pipesec.scanners.secrets.findings import make_finding
from pipesec.scanners.secrets.rules.base import SecretMatch

log = logging.getLogger(__name__)

SCANNER = "secrets"
#: the path of notes and errors about the history as a whole
HISTORY = "<git history>"
DEFAULT_MAX_BLOB = 100 * 1024 * 1024
#: at most this many per-file notes about skipped versions; the rest are counted
MAX_NOTES = 50
_NULL_SHA = re.compile(r"^0+$")
_SHA = re.compile(r"^[0-9a-f]{40,64}$")
_LOG_FORMAT = "%x01%H%x02%P"
_BLOB_MODES = ("100644", "100755", "100664")

#: scans one text (a blob) found at a path; returns the secrets in it
ScanBlob = Callable[[str, str], Iterable[SecretMatch]]


class HistoryError(Exception):
    """The history cannot be walked at all (not a repository, bad range ...)."""


@dataclass(frozen=True, slots=True)
class HistoryOptions:
    since: str | None = None
    rev_range: str | None = None  # "A..B", "A...B" or a single ref; None = all refs
    max_blob_size: int = DEFAULT_MAX_BLOB


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    author: str
    email: str
    date: str


@dataclass
class _Log:
    """The walked history, kept compact (a million commits fit in a few hundred MB):
    commits, paths and blobs are numbered; each commit's changes are one int array."""

    shas: list[str] = field(default_factory=list)
    #: per commit: index of its first parent in ``shas`` (-1: a root or outside the listing)
    parent: array[int] = field(default_factory=lambda: array("i"))
    #: per commit: path id, blob id, path id, blob id ... (blob id -1: deleted / not a file)
    changes: list[array[int]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    path_ids: dict[str, int] = field(default_factory=dict)
    #: distinct blobs in order of first appearance, with that commit and path
    blobs: list[str] = field(default_factory=list)
    blob_ids: dict[str, int] = field(default_factory=dict)
    blob_commit: array[int] = field(default_factory=lambda: array("i"))
    blob_path: array[int] = field(default_factory=lambda: array("i"))
    sha_ids: dict[str, int] = field(default_factory=dict)

    def path_id(self, path: str) -> int:
        pid = self.path_ids.get(path)
        if pid is None:
            pid = self.path_ids[path] = len(self.paths)
            self.paths.append(path)
        return pid


def _git(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    return run_git(root, args, timeout=timeout)


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "unknown git error"


def validate_range(value: str) -> str:
    v = value.strip()
    if not v or v.startswith("-") or any(c.isspace() or c == "\0" for c in v):
        raise HistoryError(
            f"--range {value!r}: give a revision range such as main..feature or v1.0..HEAD"
        )
    return v


def check_repository(root: Path) -> tuple[list[Note], str]:
    """Raise HistoryError unless ``root`` is in a git work tree; return notes and the prefix."""
    try:
        proc = _git(root, "rev-parse", "--is-shallow-repository", "--show-prefix")
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HistoryError(f"cannot run git: {exc}") from None
    if proc.returncode != 0:
        raise HistoryError(f"--history needs a git repository: {_first_line(proc.stderr)}")
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    notes = []
    if lines and lines[0].strip() == "true":
        notes.append(
            Note(
                SCANNER,
                HISTORY,
                "shallow clone: only the fetched part of the history was scanned; run "
                "'git fetch --unshallow' (or check out with fetch-depth: 0) to scan all of it",
                "shallow",
            )
        )
    partial = _git(root, "config", "--get", "extensions.partialclone")
    if partial.returncode == 0 and partial.stdout.strip():
        notes.append(
            Note(
                SCANNER,
                HISTORY,
                "partial clone: blobs that were not fetched are not scanned (pipesec never "
                "fetches during a scan)",
                "partial-clone",
            )
        )
    prefix = lines[1].strip() if len(lines) > 1 else ""
    return notes, prefix


def _log_args(options: HistoryOptions, prefix: str) -> list[str]:
    args = [
        "log",
        "--raw",
        "-z",
        "--no-abbrev",
        "--no-renames",
        "--no-textconv",
        "--no-ext-diff",
        "--diff-merges=first-parent",
        "--reverse",
        "--date-order",
        f"--format={_LOG_FORMAT}",
    ]
    if prefix:
        args.append("--relative")
    if options.since:
        args.append(f"--since={options.since}")
    if options.rev_range:
        args += ["--end-of-options", validate_range(options.rev_range)]
    else:
        args.append("--all")
    args.append("--")
    return args


def read_log(root: Path, options: HistoryOptions, prefix: str = "") -> _Log:
    """Walk the history once; raise HistoryError when git cannot."""
    result = _Log()
    try:
        proc = popen_git(
            root, _log_args(options, prefix), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    except OSError as exc:
        raise HistoryError(f"cannot run git: {exc}") from None
    assert proc.stdout is not None and proc.stderr is not None
    err_chunks: list[bytes] = []
    stderr_stream = proc.stderr
    drain = threading.Thread(target=lambda: err_chunks.append(stderr_stream.read()), daemon=True)
    drain.start()
    try:
        for chunk in _records(proc.stdout):
            _parse_record(chunk, result)
    finally:
        proc.stdout.close()
        code = proc.wait()
        drain.join(timeout=10)
    if code != 0:
        stderr = b"".join(err_chunks)
        msg = _first_line(stderr)
        if "unknown revision" in msg or "bad revision" in msg or "ambiguous argument" in msg:
            raise HistoryError(f"--range: {msg}")
        if "does not have any commits" in msg:
            return result
        raise HistoryError(
            f"git cannot walk the history ({msg}); the repository may be corrupt: run "
            "'git fsck' to see what is missing"
        )
    return result


def _records(stream: IO[bytes]) -> Iterator[bytes]:
    buf = b""
    while True:
        data = stream.read(1 << 20)
        if not data:
            break
        buf += data
        parts = buf.split(b"\x01")
        buf = parts.pop()
        for p in parts:
            if p:
                yield p
    if buf:
        yield buf


def _parse_record(record: bytes, out: _Log) -> None:
    head, _, body = record.partition(b"\0")
    fields = head.decode("utf-8", "replace").split("\x02")
    if len(fields) < 2 or not _SHA.match(fields[0]):
        return
    sha, parents = fields[0], fields[1]
    idx = len(out.shas)
    out.shas.append(sha)
    out.sha_ids[sha] = idx
    first_parent = parents.split(" ")[0] if parents else ""
    out.parent.append(out.sha_ids.get(first_parent, -1))
    changes = array("i")
    items = body.lstrip(b"\n").split(b"\0")
    i = 0
    while i + 1 < len(items):
        meta = items[i].decode("ascii", "replace")
        path = items[i + 1].decode("utf-8", "surrogateescape")
        i += 2
        if not meta.startswith(":"):
            continue
        parts = meta[1:].split()
        if len(parts) < 5:
            continue
        new_mode, new_blob, status = parts[1], parts[3], parts[4]
        pid = out.path_id(path)
        if status.startswith("D") or _NULL_SHA.match(new_blob) or new_mode not in _BLOB_MODES:
            changes.extend((pid, -1))  # deleted, or a symlink / submodule: not file content
            continue
        bid = out.blob_ids.get(new_blob)
        if bid is None:
            bid = out.blob_ids[new_blob] = len(out.blobs)
            out.blobs.append(new_blob)
            out.blob_commit.append(idx)
            out.blob_path.append(pid)
        changes.extend((pid, bid))
    out.changes.append(changes)


def commit_info(root: Path, shas: Sequence[str]) -> dict[str, Commit]:
    """Author, e-mail and date of the given commits (one git call)."""
    if not shas:
        return {}
    try:
        proc = run_git(
            root,
            ["log", "--no-walk=unsorted", "--stdin", "--format=%H%x02%an%x02%ae%x02%aI"],
            input="\n".join(shas).encode() + b"\n",
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    out: dict[str, Commit] = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        f = line.split("\x02")
        if len(f) == 4:
            out[f[0]] = Commit(*f)
    return out


class BlobReader:
    """Reads blobs through one ``git cat-file --batch`` process."""

    def __init__(self, root: Path) -> None:
        self.proc = popen_git(
            root,
            # --buffer: all names are written up front (by a thread), so git need not
            # flush after every object
            ["cat-file", "--batch", "--buffer"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=1 << 20,
            stderr=subprocess.DEVNULL,
        )

    def read_all(
        self, shas: Sequence[str], max_size: int
    ) -> Iterator[tuple[str, bytes | None, str]]:
        """(sha, content or None, reason when None) for each sha, in order."""
        proc = self.proc
        assert proc.stdin is not None and proc.stdout is not None
        stdin, stdout = proc.stdin, proc.stdout

        def feed() -> None:
            try:
                for s in shas:
                    stdin.write(s.encode("ascii") + b"\n")
                stdin.close()
            except (BrokenPipeError, OSError):
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            for sha in shas:
                header = stdout.readline()
                if not header:
                    yield sha, None, "git cat-file stopped"
                    continue
                parts = header.split()
                if len(parts) < 3 or parts[1] != b"blob":
                    yield sha, None, "missing from the object store"
                    continue
                size = int(parts[2])
                if size > max_size:
                    remaining = size + 1
                    while remaining:
                        remaining -= len(stdout.read(min(remaining, 1 << 20)))
                    yield (
                        sha,
                        None,
                        f"{size / 1e6:.1f} MB is over the {max_size / 1e6:.0f} MB limit",
                    )
                    continue
                data = stdout.read(size)
                stdout.read(1)  # the newline after the content
                yield sha, data, ""
        finally:
            writer.join(timeout=5)
            self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for s in (self.proc.stdin, self.proc.stdout):
            if s is not None:
                with contextlib.suppress(OSError):
                    s.close()


@dataclass
class _Secret:
    match: SecretMatch
    line_text: str
    commit_index: int
    path: str
    blobs: set[int] = field(default_factory=set)


def scan_history(
    root: Path,
    scan_blob: ScanBlob,
    key: bytes,
    options: HistoryOptions | None = None,
    *,
    excluded: Callable[[str], bool] | None = None,
    filter_matches: Callable[[list[SecretMatch], str, str, str], Iterable[SecretMatch]]
    | None = None,
    path_findings: Callable[[str, str], Iterable[Finding]] | None = None,
) -> Iterator[Finding | ScanError | Note | ScanCount]:
    """Scan the history of the repository at ``root``; yields findings, errors and notes.

    ``filter_matches(matches, text, path, commit)`` may drop matches (gitleaks allowlists);
    ``path_findings(path, commit)`` reports files by name (gitleaks rules with only a
    ``path``), once per path, at the first commit that added it.
    """
    options = options or HistoryOptions()
    try:
        notes, prefix = check_repository(root)
        yield from notes
        history = read_log(root, options, prefix)
    except HistoryError as exc:
        yield ScanError(SCANNER, HISTORY, str(exc))
        return
    except subprocess.TimeoutExpired:
        yield ScanError(SCANNER, HISTORY, "git did not answer within 120 s")
        return
    scan = _HistoryScan(root, history, scan_blob, key, options, excluded, filter_matches)
    # each distinct blob once, at its first appearance under a path that is not excluded
    yield from scan.run(_first_places(history, scan.is_excluded))
    # a blob holding a secret may also sit at other paths (copies): report those too
    yield from scan.run(_other_places(history, scan.is_excluded, scan.secret_blobs()))
    if history.shas:
        yield ScanCount(SCANNER, blobs=scan.read, commits=len(history.shas))
    path_hits = list(_path_findings(history, path_findings, excluded)) if path_findings else []
    yield from scan.notes()
    secrets = scan.secrets
    if not secrets and not path_hits:
        return
    reported = {history.shas[s.commit_index] for s in secrets.values()}
    reported |= {f.location.commit or "" for f in path_hits}
    info = commit_info(root, sorted(reported - {""}))
    for f in path_hits:
        yield replace(f, properties={**f.properties, **_commit_props(f.location.commit, info)})
    counts = _carrying_counts(history, secrets)
    for k, sec in secrets.items():
        sha = history.shas[sec.commit_index]
        yield make_finding(
            sec.match,
            sec.path,
            key,
            sha,
            line_text=sec.line_text,
            properties={
                **_commit_props(sha, info),
                "commits-carrying": counts.get(k, 1),
                "source": "git-history",
            },
        )


#: (blob id, path id, commit index) to scan
_Place = tuple[int, int, int]


def _first_places(history: _Log, is_excluded: Callable[[int], bool]) -> list[_Place]:
    """Each blob at its first appearance under a path that is not excluded."""
    first = array("i", [-1]) * len(history.blobs)
    places: list[_Place] = []
    for idx, changes in enumerate(history.changes):
        for j in range(0, len(changes), 2):
            pid, bid = changes[j], changes[j + 1]
            if bid >= 0 and first[bid] < 0 and not is_excluded(pid):
                first[bid] = idx
                places.append((bid, pid, idx))
    return places


def _other_places(
    history: _Log, is_excluded: Callable[[int], bool], blobs: set[int]
) -> list[_Place]:
    """The other (path, first commit) appearances of the given blobs."""
    seen: set[tuple[int, int]] = set()
    firsts: set[int] = set()
    places: list[_Place] = []
    for idx, changes in enumerate(history.changes):
        for j in range(0, len(changes), 2):
            pid, bid = changes[j], changes[j + 1]
            if bid not in blobs or (bid, pid) in seen or is_excluded(pid):
                continue
            seen.add((bid, pid))
            if bid in firsts:
                places.append((bid, pid, idx))
            else:
                firsts.add(bid)  # the place already scanned
    return places


class _HistoryScan:
    """Reads and scans blobs at places; keeps each secret's earliest place."""

    def __init__(
        self,
        root: Path,
        history: _Log,
        scan_blob: ScanBlob,
        key: bytes,
        options: HistoryOptions,
        excluded: Callable[[str], bool] | None,
        filter_matches: Callable[[list[SecretMatch], str, str, str], Iterable[SecretMatch]] | None,
    ) -> None:
        self.root = root
        self.history = history
        self.scan_blob = scan_blob
        self.key = key
        self.options = options
        self.excluded = excluded
        self.filter_matches = filter_matches
        self.secrets: dict[tuple[str, str, str], _Secret] = {}
        self.binary = 0
        self.read = 0  # blobs read from the object store
        self.skipped: list[tuple[str, str]] = []
        self._excluded_pids: dict[int, bool] = {}

    def is_excluded(self, pid: int) -> bool:
        if self.excluded is None:
            return False
        cached = self._excluded_pids.get(pid)
        if cached is None:
            cached = self._excluded_pids[pid] = self.excluded(self.history.paths[pid])
        return cached

    def secret_blobs(self) -> set[int]:
        return {bid for s in self.secrets.values() for bid in s.blobs}

    def run(self, places: list[_Place]) -> Iterator[ScanError]:
        if not places:
            return
        from pipesec.core.fingerprints import secret_identity

        h = self.history
        shas = [h.blobs[bid] for bid, _, _ in places]
        reader = BlobReader(self.root)
        for (bid, pid, idx), (sha, data, why) in zip(
            places, reader.read_all(shas, self.options.max_blob_size), strict=True
        ):
            path, commit_sha = h.paths[pid], h.shas[idx]
            self.read += data is not None
            if data is None:
                if why.startswith("missing"):
                    yield ScanError(
                        SCANNER,
                        path,
                        f"version {sha[:12]} (commit {commit_sha[:12]}) is {why}; the "
                        "repository may be corrupt or a partial clone: run 'git fsck'",
                    )
                else:
                    self.skipped.append((path, f"version in commit {commit_sha[:12]}: {why}"))
                continue
            if looks_binary(data, path):
                self.binary += 1
                continue
            text = decode(data)
            try:
                found = list(self.scan_blob(text, path))
                if self.filter_matches is not None and found:
                    found = list(self.filter_matches(found, text, path, commit_sha))
            except Exception as exc:  # one bad blob must not stop the history scan
                # the type only: an exception's text could hold a secret
                log.debug("scanning %s@%s failed: %s", path, sha, type(exc).__name__)
                yield ScanError(
                    SCANNER,
                    path,
                    f"version {sha[:12]} could not be scanned ({type(exc).__name__})",
                )
                continue
            for m in found:
                k = (m.rule.id, secret_identity(m.value, self.key), path)
                current = self.secrets.get(k)
                if current is None or idx < current.commit_index:
                    ls = text.rfind("\n", 0, m.start) + 1
                    le = text.find("\n", m.start)
                    line = text[ls : le if le != -1 else len(text)]
                    fresh = _Secret(m, line, idx, path)
                    if current is not None:
                        fresh.blobs |= current.blobs
                    self.secrets[k] = current = fresh
                current.blobs.add(bid)

    def notes(self) -> Iterator[Note]:
        if self.binary:
            yield Note(
                SCANNER,
                HISTORY,
                f"{self.binary} binary file versions in the history were not scanned",
                "binary",
            )
        for skipped_path, why in self.skipped[:MAX_NOTES]:
            yield Note(SCANNER, skipped_path, f"history: {why}; not scanned", "too-large")
        if len(self.skipped) > MAX_NOTES:
            yield Note(
                SCANNER,
                HISTORY,
                f"{len(self.skipped) - MAX_NOTES} more file versions over the size limit "
                "not scanned",
                "too-large",
            )


def _commit_props(sha: str | None, info: dict[str, Commit]) -> dict[str, str]:
    c = info.get(sha or "")
    if c is None:
        return {"commit": sha or ""}
    return {"commit": c.sha, "author": f"{c.author} <{c.email}>", "date": c.date}


def _path_findings(
    history: _Log,
    report: Callable[[str, str], Iterable[Finding]],
    excluded: Callable[[str], bool] | None,
) -> Iterator[Finding]:
    seen: set[int] = set()
    for idx, changes in enumerate(history.changes):
        for j in range(0, len(changes), 2):
            pid, bid = changes[j], changes[j + 1]
            if bid < 0 or pid in seen:
                continue
            seen.add(pid)
            path = history.paths[pid]
            if excluded is None or not excluded(path):
                yield from report(path, history.shas[idx])


def _carrying_counts(
    history: _Log, secrets: dict[tuple[str, str, str], _Secret]
) -> dict[tuple[str, str, str], int]:
    """How many listed commits hold, at the secret's path, a blob containing the secret.

    A commit's tree at a path is its first parent's, changed by its own diff (merges are
    diffed against their first parent); only the paths holding secrets are followed.
    """
    tracked = sorted({history.path_ids[s.path] for s in secrets.values()})
    column = {pid: j for j, pid in enumerate(tracked)}
    empty: tuple[int, ...] = (-1,) * len(tracked)
    states: list[tuple[int, ...]] = []
    for i, changes in enumerate(history.changes):
        parent = history.parent[i]
        state = states[parent] if 0 <= parent < i else empty
        touched = [
            (column[changes[j]], changes[j + 1])
            for j in range(0, len(changes), 2)
            if changes[j] in column
        ]
        if touched:
            lst = list(state)
            for col, bid in touched:
                lst[col] = bid
            state = tuple(lst)
        states.append(state)
    counts: dict[tuple[str, str, str], int] = {}
    for k, s in secrets.items():
        col = column[history.path_ids[s.path]]
        counts[k] = sum(1 for st in states if st[col] in s.blobs) or 1
    return counts
