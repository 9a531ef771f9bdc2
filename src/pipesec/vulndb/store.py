"""The SQLite store: schema, atomic writes, import of OSV records, and matching.

Every write goes to a copy next to the database which is checked and then swapped in with
``os.replace``, so a failed import or sync never leaves a broken database; readers that
have the old file open keep reading it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import io
import json
import logging
import os
import sqlite3
import threading
import time
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipesec.core.model import Severity
from pipesec.vulndb.advisory import Advisory
from pipesec.vulndb.ecosystems import canonical_ecosystem, normalize_name
from pipesec.vulndb.errors import (
    DatabaseCorruptError,
    DatabaseError,
    DatabaseMissingError,
    DatabaseOutdatedError,
    RecordError,
)
from pipesec.vulndb.match import CompiledAffected, compact_affected, compile_affected
from pipesec.vulndb.osv import Record, RecordShapeError, parse_record
from pipesec.vulndb.versions import canonical_version, parse_version, sort_versions

log = logging.getLogger(__name__)

SCHEMA_VERSION = "5"
_CHUNK = 500
GIT_ONLY_REASON = "it gives only GIT (commit) ranges; pipesec matches package versions, not commits"
RECORD_SUFFIXES = (".json", ".yaml", ".yml")
#: one record file (zip member or file) may hold at most this much (osv.dev's largest
#: records are a few MB); a zip member may inflate at most MAX_RATIO times
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_RATIO = 100

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE advisories (
    id TEXT PRIMARY KEY, modified REAL, published REAL, withdrawn TEXT,
    aliases TEXT NOT NULL, summary TEXT NOT NULL, details TEXT NOT NULL,
    refs TEXT NOT NULL, cwe TEXT NOT NULL,
    severity TEXT, score REAL, vector TEXT NOT NULL, severity_source TEXT NOT NULL,
    ecosystems TEXT NOT NULL
);
CREATE TABLE affected (
    advisory_id TEXT NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL,
    bounds TEXT NOT NULL, listed TEXT NOT NULL, info TEXT NOT NULL
);
CREATE INDEX affected_pkg ON affected (ecosystem, name);
CREATE INDEX affected_adv ON affected (advisory_id);
CREATE TABLE skipped (
    advisory_id TEXT NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL, reason TEXT NOT NULL
);
CREATE INDEX skipped_pkg ON skipped (ecosystem, name);
CREATE INDEX skipped_adv ON skipped (advisory_id);
CREATE TABLE sources (
    ecosystem TEXT PRIMARY KEY, imported_at REAL NOT NULL, newest_modified REAL,
    source TEXT NOT NULL, git_only INTEGER NOT NULL DEFAULT 0,
    unparseable INTEGER NOT NULL DEFAULT 0
);
"""


# ============================================================================ reading input


def _describe(path: Path, member: str = "") -> str:
    return f"{path}!{member}" if member else str(path)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    """A zip member, read only up to the size cap (the declared size may lie) and refused
    when it inflates more than :data:`MAX_RATIO` times (a zip bomb)."""
    if info.file_size > MAX_MEMBER_BYTES:
        raise RecordError(where, _too_big(info.file_size))
    if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise RecordError(
            where,
            f"compression ratio {info.file_size // max(info.compress_size, 1)}:1 is over"
            f" {MAX_RATIO}:1 (a zip bomb?); not read",
        )
    with zf.open(info) as fh:
        data = fh.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise RecordError(where, _too_big(len(data)))
    return data


def _too_big(size: int) -> str:
    limit = MAX_MEMBER_BYTES / 1e6
    return f"{size / 1e6:.0f} MB is over the {limit:.0f} MB size limit of a record file"


def _read_capped(p: Path) -> bytes:
    if p.stat().st_size > MAX_MEMBER_BYTES:
        raise RecordError(str(p), _too_big(p.stat().st_size))
    return p.read_bytes()


def iter_documents(path: Path) -> Iterator[tuple[str, bytes]]:
    """(where, raw bytes) of every record file in a zip, a folder or a single file."""
    if path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file() and p.suffix.lower() in RECORD_SUFFIXES and not p.is_symlink():
                yield str(p), _read_capped(p)
        return
    if not path.exists():
        raise RecordError(str(path), "no such file or folder")
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    if info.is_dir() or not info.filename.lower().endswith(RECORD_SUFFIXES):
                        continue
                    where = _describe(path, info.filename)
                    yield where, _read_member(zf, info, where)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error) as exc:
            raise RecordError(str(path), f"broken zip archive: {exc}") from None
        return
    if path.suffix.lower() == ".zip":
        raise RecordError(str(path), "not a complete zip archive (truncated or corrupt?)")
    yield str(path), _read_capped(path)


def decode_document(where: str, raw: bytes) -> list[Any]:
    """The OSV documents in one file (a JSON/YAML object, or a JSON list of them)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordError(where, f"not UTF-8 text: {exc}") from None
    if where.lower().endswith((".yaml", ".yml")):
        import yaml

        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            raise RecordError(where, f"invalid YAML: {exc}", line=line) from None
        except RecursionError:
            raise RecordError(where, "invalid YAML: nested too deeply") from None
    else:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RecordError(
                where, f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno
            ) from None
        except RecursionError:
            raise RecordError(where, "invalid JSON: nested too deeply") from None
    return doc if isinstance(doc, list) else [doc]


def iter_records(path: Path, errors: list[RecordError] | None = None) -> Iterator[Record]:
    """Parsed records under ``path``. Bad documents raise RecordError, or are appended to
    ``errors`` (and skipped) when a list is given."""
    for where, raw in iter_documents(path):
        try:
            for doc in decode_document(where, raw):
                try:
                    yield parse_record(doc)
                except RecordShapeError as exc:
                    raise RecordError(where, f"not an OSV record: {exc}") from None
        except RecordError as exc:
            if errors is None:
                raise
            errors.append(exc)


# ============================================================================ writing


@dataclass(slots=True)
class ImportResult:
    records: int = 0
    withdrawn: int = 0
    by_ecosystem: dict[str, int] = field(default_factory=dict)
    git_only: int = 0
    unparseable: int = 0
    invalid: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _create_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(_SCHEMA)
    conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
    conn.execute("INSERT INTO meta VALUES ('created', ?)", (str(time.time()),))


def _check(conn: sqlite3.Connection, path: Path) -> None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorruptError(path, str(exc)) from None
    if row is None:
        raise DatabaseCorruptError(path, "it has no schema version")
    if row[0] != SCHEMA_VERSION:
        raise DatabaseOutdatedError(path, str(row[0]), SCHEMA_VERSION)


@contextlib.contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    """One writer at a time per database (two imports would otherwise lose one)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock
        yield
        return
    with open(path.with_name(f".{path.name}.lock"), "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def write_atomically(path: Path, change: Callable[[sqlite3.Connection], None]) -> None:
    """Copy the database (or start a new one), apply ``change``, check, swap it in."""
    path = path.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _writer_lock(path):
        _write_atomically(path, change)


def _remove_leftovers(path: Path) -> None:
    """Delete the copies (and SQLite journals) of imports that were killed: writers hold
    the lock, so every copy found while holding it belongs to a dead one."""
    for p in path.parent.glob(f".{path.name}.*.tmp*"):
        if p.name.endswith((".tmp", ".tmp-journal", ".tmp-wal", ".tmp-shm")):
            with contextlib.suppress(OSError):
                p.unlink()
                log.info("removed %s, left by an interrupted import", p)


def _write_atomically(path: Path, change: Callable[[sqlite3.Connection], None]) -> None:
    _remove_leftovers(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(tmp)
        try:
            fresh = True
            if path.exists():
                try:
                    src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
                    try:
                        _check(src, path)
                        src.backup(conn)
                        fresh = False
                    finally:
                        src.close()
                except (DatabaseError, sqlite3.DatabaseError) as exc:
                    log.warning("%s; building a new database from this import", exc)
                    conn.close()
                    tmp.unlink(missing_ok=True)
                    conn = sqlite3.connect(tmp)
            if fresh:
                _create_schema(conn)
            conn.commit()
            conn.execute("PRAGMA synchronous=OFF")
            with conn:
                change(conn)
            ok = conn.execute("PRAGMA quick_check").fetchone()
            if not ok or ok[0] != "ok":
                raise DatabaseError(f"{path}: the new database failed its check ({ok})")
        finally:
            conn.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _store_record(conn: sqlite3.Connection, rec: Record, result: ImportResult) -> None:
    conn.execute("DELETE FROM affected WHERE advisory_id = ?", (rec.id,))
    conn.execute("DELETE FROM skipped WHERE advisory_id = ?", (rec.id,))
    sc = rec.scored
    conn.execute(
        "INSERT OR REPLACE INTO advisories VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            rec.id,
            rec.modified,
            rec.published,
            rec.withdrawn,
            json.dumps(rec.aliases),
            rec.summary,
            rec.details,
            json.dumps(rec.references),
            json.dumps(rec.cwe),
            sc.severity.value if sc.severity else None,
            sc.score,
            sc.vector,
            sc.source,
            "|" + "|".join(rec.ecosystems) + "|",
        ),
    )
    result.records += 1
    for eco in rec.ecosystems:
        result.by_ecosystem[eco] = result.by_ecosystem.get(eco, 0) + 1
    if rec.withdrawn:
        result.withdrawn += 1
        return  # withdrawn advisories never match: no affected rows
    rows = []
    skipped = []
    for aff in rec.affected:
        if not aff.ranges and not aff.versions:
            if aff.git_ranges:
                result.git_only += 1
                log.debug("%s: %s has only GIT ranges; skipped", rec.id, aff.name)
                skipped.append((rec.id, aff.ecosystem, aff.name, GIT_ONLY_REASON))
            continue
        bounds, listed, info, bad = compact_affected(
            aff.ecosystem, aff.ranges, aff.versions, aff.display_name
        )
        result.unparseable += len(bad)
        if bad and len(bad) == len(aff.ranges) and not aff.versions:
            reason = f"none of its ranges can be evaluated: {'; '.join(bad)}"
            skipped.append((rec.id, aff.ecosystem, aff.name, reason))
        rows.append((rec.id, aff.ecosystem, aff.name, bounds, listed, info))
    conn.executemany("INSERT INTO affected VALUES (?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO skipped VALUES (?,?,?,?)", skipped)


def import_records(
    path: Path,
    sources: Sequence[Path],
    *,
    skip_invalid: bool = False,
    replace_ecosystems: Iterable[str] = (),
    source_label: str = "",
) -> ImportResult:
    """Import OSV records from zips/folders/files into the database at ``path``.

    Records are added or replaced by id. ``replace_ecosystems`` first drops everything
    that only those ecosystems hold (a full export replaces the old one). Invalid records
    abort the import (nothing changes) unless ``skip_invalid``.
    """
    result = ImportResult()
    started = time.monotonic()
    replace = [canonical_ecosystem(e) for e in replace_ecosystems]

    def change(conn: sqlite3.Connection) -> None:
        for eco in replace:
            for table in ("affected", "skipped"):
                conn.execute(
                    f"DELETE FROM {table} WHERE advisory_id IN "  # noqa: S608
                    "(SELECT id FROM advisories WHERE ecosystems = ?)",
                    (f"|{eco}|",),
                )
            conn.execute("DELETE FROM advisories WHERE ecosystems = ?", (f"|{eco}|",))
            conn.execute("DELETE FROM affected WHERE ecosystem = ?", (eco,))
            conn.execute("DELETE FROM skipped WHERE ecosystem = ?", (eco,))
        errors: list[RecordError] | None = [] if skip_invalid else None
        git_only: dict[str, int] = defaultdict(int)
        unparseable: dict[str, int] = defaultdict(int)
        for src in sources:
            for rec in iter_records(src, errors):
                before_git, before_bad = result.git_only, result.unparseable
                _store_record(conn, rec, result)
                eco0 = rec.ecosystems[0] if rec.ecosystems else ""
                git_only[eco0] += result.git_only - before_git
                unparseable[eco0] += result.unparseable - before_bad
        if errors:
            result.invalid = [str(e) for e in errors]
        now = time.time()
        label = source_label or ", ".join(str(s) for s in sources)
        for eco in set(result.by_ecosystem) | set(replace):
            newest = conn.execute(
                "SELECT MAX(v.modified) FROM advisories v WHERE v.ecosystems LIKE ?",
                (f"%|{eco}|%",),
            ).fetchone()[0]
            conn.execute(
                "INSERT OR REPLACE INTO sources VALUES (?,?,?,?,?,?)",
                (eco, now, newest, label, git_only.get(eco, 0), unparseable.get(eco, 0)),
            )

    write_atomically(path, change)
    result.seconds = time.monotonic() - started
    return result


# ============================================================================ status


@dataclass(frozen=True, slots=True)
class EcosystemStatus:
    ecosystem: str
    advisories: int
    packages: int
    withdrawn: int
    newest_modified: float | None
    imported_at: float
    source: str
    git_only: int
    unparseable: int

    @property
    def as_of(self) -> float:
        """When the data was current: newest ``modified``, else the import time."""
        return self.newest_modified if self.newest_modified is not None else self.imported_at

    @property
    def age_source(self) -> str:
        return "newest modified" if self.newest_modified is not None else "import time"

    def age_days(self, now: float | None = None) -> float:
        return max(0.0, ((now or time.time()) - self.as_of) / 86400.0)


@dataclass(frozen=True, slots=True)
class DbStatus:
    path: Path
    size: int
    advisories: int
    ecosystems: tuple[EcosystemStatus, ...]


# ============================================================================ matching

_ID_RANK = (("CVE-", 3), ("GHSA-", 2))


def _id_rank(aid: str) -> tuple[int, str]:
    for prefix, rank in _ID_RANK:
        if aid.startswith(prefix):
            return (rank, aid)
    return (0 if aid.startswith("MAL-") else 1, aid)


@dataclass(frozen=True, slots=True)
class _AdvRow:
    id: str
    modified: float | None
    published: float | None
    aliases: tuple[str, ...]
    summary: str
    details: str
    refs: tuple[str, ...]
    cwe: tuple[str, ...]
    severity: Severity | None
    score: float | None
    vector: str
    source: str


#: how many advisories listing one alias lend it a severity, and how many aliases are
#: looked up by a search of the whole table before the table's aliases are read into an
#: index (reading them costs about twelve searches)
_ALIAS_LIMIT = 20
_ALIAS_SEARCHES = 16


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _iso(ts: float | None) -> str:
    if ts is None:
        return ""
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class VulnDB:
    """A read-only view of the store for matching. Thread-safe; cheap to keep open."""

    def __init__(self, conn: sqlite3.Connection, path: Path, unscored: Severity) -> None:
        self._conn = conn
        self.path = path
        self.unscored_severity = unscored
        self._lock = threading.Lock()
        self._rows: dict[str, _AdvRow] = {}
        self._built: dict[tuple[str, str, frozenset[str]], Advisory] = {}
        #: alias (lower case) -> the first ids listing it (:meth:`_listing`), once read
        self._alias_index: dict[str, list[str]] | None = None
        self._alias_searches = 0

    # ---------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: Path, *, unscored_severity: Severity = Severity.HIGH) -> VulnDB:
        path = path.expanduser()
        if not path.is_file():
            raise DatabaseMissingError(path)
        try:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise DatabaseCorruptError(path, str(exc)) from None
        try:
            _check(conn, path)
            conn.execute("SELECT 1 FROM affected LIMIT 1").fetchall()
        except (DatabaseError, sqlite3.DatabaseError) as exc:
            conn.close()
            if isinstance(exc, DatabaseError):
                raise
            raise DatabaseCorruptError(path, str(exc)) from None
        return cls(conn, path, unscored_severity)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> VulnDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._conn.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise DatabaseCorruptError(self.path, str(exc)) from None

    # ---------------------------------------------------------------- status / age
    def status(self) -> DbStatus:
        with self._lock:
            total = self._query("SELECT COUNT(*) FROM advisories")[0][0]
            srcs = self._query("SELECT * FROM sources ORDER BY ecosystem")
            pkgs = dict(
                self._query("SELECT ecosystem, COUNT(DISTINCT name) FROM affected GROUP BY 1")
            )
            ecos = []
            for eco, imported, newest, source, git_only, bad in srcs:
                pattern = f"%|{eco}|%"
                n, wd = self._query(
                    "SELECT COUNT(*), COUNT(withdrawn) FROM advisories WHERE ecosystems LIKE ?",
                    (pattern,),
                )[0]
                ecos.append(
                    EcosystemStatus(
                        eco, n, pkgs.get(eco, 0), wd, newest, imported, source, git_only, bad
                    )
                )
        size = self.path.stat().st_size if self.path.exists() else 0
        return DbStatus(self.path, size, total, tuple(ecos))

    def data_age_days(self, ecosystem: str | None = None) -> float | None:
        """Age in days of the data: per ecosystem the newest ``modified`` among its
        records (the import time where the source leaves ``modified`` empty or zero);
        without ``ecosystem``, the oldest of those. None when nothing was imported."""
        with self._lock:
            if ecosystem is None:
                rows = self._query("SELECT newest_modified, imported_at FROM sources")
            else:
                rows = self._query(
                    "SELECT newest_modified, imported_at FROM sources WHERE ecosystem = ?",
                    (canonical_ecosystem(ecosystem),),
                )
        if not rows:
            return None
        as_of = min(float(new if new is not None else imported) for new, imported in rows)
        return max(0.0, (time.time() - as_of) / 86400.0)

    def ecosystems(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._query("SELECT ecosystem FROM sources ORDER BY 1")]

    @staticmethod
    def version_problem(ecosystem: str, version: str) -> str | None:
        """Why ``version`` cannot be compared in ``ecosystem`` (None when it can). Such a
        version only matches advisories that list it explicitly."""
        try:
            parse_version(canonical_ecosystem(ecosystem), version)
        except ValueError as exc:
            return str(exc)
        return None

    def unevaluated(self, ecosystem: str, name: str) -> list[tuple[str, str]]:
        """Advisories naming this package that can never match a version, with why: only
        GIT (commit) ranges, or ranges whose versions the ecosystem does not accept.
        Withdrawn advisories are left out."""
        eco = canonical_ecosystem(ecosystem)
        with self._lock:
            rows = self._query(
                "SELECT s.advisory_id, s.reason FROM skipped s JOIN advisories v "
                "ON v.id = s.advisory_id WHERE s.ecosystem = ? AND s.name = ? "
                "AND v.withdrawn IS NULL ORDER BY 1",
                (eco, normalize_name(eco, name)),
            )
        return [(r[0], r[1]) for r in rows]

    # ---------------------------------------------------------------- matching
    def match(self, ecosystem: str, name: str, version: str) -> list[Advisory]:
        """Advisories affecting ``name`` at ``version``; aliases merged, withdrawn ignored,
        sorted by severity (worst first) then id."""
        return self.match_many([(ecosystem, name, version)])[(ecosystem, name, version)]

    def match_many(
        self, items: Iterable[tuple[str, str, str]]
    ) -> dict[tuple[str, str, str], list[Advisory]]:
        """``match`` for many components at once (one query per 500 package names)."""
        gc_was_enabled = gc.isenabled()
        gc.disable()  # the loop allocates many small acyclic objects; collecting is waste
        try:
            with self._lock:
                return self._match_many(list(dict.fromkeys(items)))
        finally:
            if gc_was_enabled:
                gc.enable()

    def _match_many(
        self, items: list[tuple[str, str, str]]
    ) -> dict[tuple[str, str, str], list[Advisory]]:
        norm: dict[tuple[str, str, str], tuple[str, str]] = {}
        wanted: dict[str, set[str]] = defaultdict(set)
        for item in items:
            eco = canonical_ecosystem(item[0])
            name = normalize_name(eco, item[1])
            norm[item] = (eco, name)
            wanted[eco].add(name)
        rows = self._fetch_affected(wanted)
        # Components are visited package by package, so each package's entries are decoded
        # once and dropped when the next package starts (unless they matched).
        hits_by_item: dict[tuple[str, str, str], list[tuple[str, CompiledAffected]]] = {}
        needed: set[str] = set()
        need_info: dict[int, CompiledAffected] = {}
        compiled: dict[int, CompiledAffected] = {}
        current: tuple[str, str] | None = None
        for item in sorted(items, key=norm.__getitem__):
            pkg = norm[item]
            if pkg != current:
                if current is not None:
                    rows.pop(current, None)
                compiled, current = {}, pkg
            eco = pkg[0]
            version = item[2].strip()
            try:
                key = parse_version(eco, version)
            except ValueError:
                key = None
            canonical = canonical_version(eco, version)
            hits = []
            for rowid, adv_id, bounds, listed in rows.get(pkg, ()):
                comp = compiled.get(rowid)
                if comp is None:
                    comp = compiled[rowid] = compile_affected(eco, bounds, listed)
                if comp.contains(canonical, key):
                    if not comp.has_info:
                        need_info[rowid] = comp
                    hits.append((adv_id, comp))
                    needed.add(adv_id)
            hits_by_item[item] = hits
        self._load_advisories(needed)
        self._load_info(need_info)
        out: dict[tuple[str, str, str], list[Advisory]] = {}
        for item in items:
            hits = hits_by_item[item]
            out[item] = self._merge(*norm[item], hits) if hits else []
        return out

    def _fetch_affected(
        self, wanted: dict[str, set[str]]
    ) -> dict[tuple[str, str], list[tuple[int, str, str, str]]]:
        rows: dict[tuple[str, str], list[tuple[int, str, str, str]]] = defaultdict(list)
        for eco, names in wanted.items():
            ordered = sorted(names)
            for i in range(0, len(ordered), _CHUNK):
                chunk = ordered[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                for rowid, name, adv_id, bounds, listed in self._query(
                    "SELECT rowid, name, advisory_id, bounds, listed "  # noqa: S608
                    "FROM affected "
                    f"WHERE ecosystem = ? AND name IN ({marks})",
                    (eco, *chunk),
                ):
                    rows[(eco, name)].append((rowid, adv_id, bounds, listed))
        return rows

    def _load_info(self, entries: dict[int, CompiledAffected]) -> None:
        rowids = sorted(entries)
        for i in range(0, len(rowids), _CHUNK):
            chunk = rowids[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for rowid, info in self._query(
                f"SELECT rowid, info FROM affected WHERE rowid IN ({marks})",  # noqa: S608
                chunk,
            ):
                entries[rowid].attach_info(info)

    def _load_advisories(self, ids: set[str]) -> None:
        missing = sorted(i for i in ids if i not in self._rows)
        for i in range(0, len(missing), _CHUNK):
            chunk = missing[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for r in self._query(
                "SELECT id, modified, published, aliases, summary, details, refs, cwe, "  # noqa: S608
                f"severity, score, vector, severity_source FROM advisories WHERE id IN ({marks})",
                chunk,
            ):
                self._rows[r[0]] = _AdvRow(
                    r[0],
                    r[1],
                    r[2],
                    tuple(json.loads(r[3])),
                    r[4],
                    r[5],
                    tuple(json.loads(r[6])),
                    tuple(json.loads(r[7])),
                    Severity(r[8]) if r[8] else None,
                    r[9],
                    r[10],
                    r[11],
                )

    def _alias_severity(self, ids: set[str]) -> tuple[Severity, float | None, str, str] | None:
        """The worst scored record among ``ids`` (aliases: CVE, GHSA ...) and the records
        that list one of them as an alias, for an advisory that carries no score itself."""
        wanted = sorted(ids)[:50]
        self._load_advisories(set(wanted))
        found = [self._rows[i] for i in wanted if i in self._rows]
        for alias in wanted:
            if not alias.startswith(("CVE-", "GHSA-")):
                continue
            extra = set(self._listing(alias))
            self._load_advisories(extra)
            found.extend(self._rows[i] for i in sorted(extra) if i in self._rows)
        scored = [r for r in found if r.severity is not None]
        if not scored:
            return None
        best = max(scored, key=lambda r: (r.severity.rank if r.severity else -1, r.score or 0))
        assert best.severity is not None
        return best.severity, best.score, best.vector, best.id

    def _listing(self, alias: str) -> list[str]:
        """The ids of the first :data:`_ALIAS_LIMIT` advisories (in table order) that list
        ``alias`` among their aliases (ASCII case ignored, as SQL's LIKE does). The aliases
        are in no index: the first :data:`_ALIAS_SEARCHES` answers search the whole table,
        then every advisory's aliases are read once into an index (a search per alias made
        the matching time grow with the database: 16.4 s of CPU for 10,000 components
        against the 6,952 real advisories, most of them unscored)."""
        if self._alias_index is None and self._alias_searches < _ALIAS_SEARCHES:
            self._alias_searches += 1
            rows = self._query(
                "SELECT id FROM advisories WHERE aliases LIKE ? ESCAPE '\\' LIMIT ?",
                (f'%"{_like_escape(alias)}"%', _ALIAS_LIMIT),
            )
            return [r[0] for r in rows]
        if self._alias_index is None:
            index: dict[str, list[str]] = defaultdict(list)
            for adv_id, raw in self._query(
                "SELECT id, aliases FROM advisories WHERE aliases <> '[]' ORDER BY rowid"
            ):
                try:
                    listed = json.loads(raw)
                except ValueError:
                    continue
                for name in listed if isinstance(listed, list) else ():
                    ids = index[str(name).lower()]
                    if len(ids) < _ALIAS_LIMIT and adv_id not in ids:
                        ids.append(adv_id)
            self._alias_index = dict(index)
        return self._alias_index.get(alias.lower(), [])

    def _merge(
        self, eco: str, name: str, hits: list[tuple[str, CompiledAffected]]
    ) -> list[Advisory]:
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for adv_id, _c in hits:
            for alias in self._rows[adv_id].aliases:
                parent[find(alias)] = find(adv_id)
            find(adv_id)
        groups: dict[str, list[tuple[str, CompiledAffected]]] = defaultdict(list)
        for adv_id, comp in hits:
            groups[find(adv_id)].append((adv_id, comp))
        result = []
        for members in groups.values():
            ids = frozenset(m[0] for m in members)
            cache_key = (eco, name, ids)
            adv = self._built.get(cache_key)
            if adv is None:
                adv = self._built[cache_key] = self._build(eco, name, members)
            result.append(adv)
        result.sort(key=lambda a: (-a.severity.rank, a.id))
        return result

    def _build(self, eco: str, name: str, members: list[tuple[str, CompiledAffected]]) -> Advisory:
        recs = [self._rows[m[0]] for m in members]
        recs.sort(key=lambda r: _id_rank(r.id))
        primary = recs[0]
        all_ids = {r.id for r in recs} | {a for r in recs for a in r.aliases}
        aliases = tuple(sorted(all_ids - {primary.id}))
        scored = [r for r in recs if r.severity is not None]
        notes: list[str] = []
        malicious = any(r.id.startswith("MAL-") for r in recs)
        if scored:
            best = max(scored, key=lambda r: (r.severity.rank if r.severity else -1, r.score or 0))
            severity = best.severity or self.unscored_severity
            assumed = False
            score = max((r.score for r in recs if r.score is not None), default=None)
            vector = next((r.vector for r in recs if r.score == score and r.vector), "")
        elif (alias := self._alias_severity(all_ids)) is not None:
            severity, score, vector, alias_id = alias
            assumed = False
            notes.append(f"severity taken from the alias {alias_id} (the advisory has none)")
        else:
            severity, assumed, score, vector = self.unscored_severity, True, None, ""
            notes.append(
                f"severity {severity.value} assumed: the advisory and its aliases carry no CVSS "
                "score or severity label (set [gate] unknown-severity to change this)"
            )
        fixed: list[str] = []
        desc: list[str] = []
        for _id, comp in members:
            fixed.extend(comp.fixed)
            desc.extend(d for d in comp.description if d not in desc)
            notes.extend(s for s in comp.skipped if s not in notes)
        refs: list[str] = []
        for r in recs:
            refs.extend(u for u in r.refs if u not in refs)
        cwe = tuple(sorted({c for r in recs for c in r.cwe}))
        summary = next((r.summary for r in recs if r.summary), "")
        details = next((r.details for r in recs if r.details), "")
        modified = max((r.modified for r in recs if r.modified is not None), default=None)
        published = min((r.published for r in recs if r.published is not None), default=None)
        if eco == "Go" and name not in ("stdlib", "toolchain"):
            fixed = [f if f.startswith("v") else f"v{f}" for f in fixed]
        display = name
        return Advisory(
            id=primary.id,
            ecosystem=eco,
            package=display,
            aliases=aliases,
            summary=summary,
            details=details,
            severity=severity,
            severity_assumed=assumed,
            cvss_score=score,
            cvss_vector=vector,
            fixed_versions=sort_versions(eco, fixed),
            affected_ranges=tuple(desc),
            references=tuple(refs),
            cwe=cwe,
            published=_iso(published),
            modified=_iso(modified),
            withdrawn=None,
            malicious=malicious,
            notes=tuple(notes),
        )


def zip_documents(records: Iterable[tuple[str, dict[str, Any]]]) -> bytes:
    """A zip of OSV records (name, document), as osv.dev's all.zip; for tests and demos."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, doc in records:
            zf.writestr(name, json.dumps(doc, indent=1, sort_keys=True))
    return buf.getvalue()


__all__ = [
    "DbStatus",
    "EcosystemStatus",
    "ImportResult",
    "VulnDB",
    "import_records",
    "iter_records",
    "write_atomically",
]
