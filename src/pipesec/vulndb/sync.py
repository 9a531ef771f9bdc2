"""``pipesec db sync``: download osv.dev's per-ecosystem ``all.zip`` exports.

Each download goes to ``<db dir>/downloads/<ecosystem>.zip.part``; an interrupted one is
resumed with an HTTP Range request (``If-Range`` on the ETag, so a changed file starts
over). Syncs are incremental: after an import the export's validators (ETag,
Last-Modified) are kept beside the database (``downloads/<ecosystem>.validators.json``,
tied to that import's time in the database), and the next sync asks with
``If-None-Match``/``If-Modified-Since``: an unchanged export answers 304 and is not
downloaded again. A finished download is checked (its length, every zip member's CRC, every record
parses) and only then imported into a copy of the database that replaces the old one
atomically. A failed or corrupt download never touches the existing database.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipesec.core.errors import NetworkError
from pipesec.vulndb.ecosystems import canonical_ecosystem
from pipesec.vulndb.errors import RecordError, SyncError
from pipesec.vulndb.store import RECORD_SUFFIXES, ImportResult, import_records

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://osv-vulnerabilities.storage.googleapis.com"
BASE_URL_ENV = "PIPESEC_OSV_URL"
_BLOCK = 1 << 16

Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True, slots=True)
class SyncResult:
    ecosystem: str
    url: str
    bytes: int
    resumed_from: int
    #: None when the server said the export has not changed since the last sync (304)
    imported: ImportResult | None


@dataclass(frozen=True, slots=True)
class _Fetched:
    size: int
    resumed: int
    etag: str
    last_modified: str
    not_modified: bool = False


def export_url(ecosystem: str, base_url: str | None = None) -> str:
    base = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    return f"{base}/{urllib.parse.quote(ecosystem)}/all.zip"


def _download(
    url: str,
    part: Path,
    *,
    timeout: float,
    progress: Progress | None,
    label: str,
    validators: dict[str, str] | None = None,
) -> _Fetched:
    """Download ``url`` into ``part``, resuming what is there. ``validators`` (the ETag and
    Last-Modified of the export last imported) make the request conditional; a 304 answer
    downloads nothing."""
    etag_file = part.with_name(part.name + ".etag")
    have = part.stat().st_size if part.exists() else 0
    etag = etag_file.read_text().strip() if have and etag_file.exists() else ""
    req = urllib.request.Request(url, headers={"User-Agent": "pipesec-db-sync"})  # noqa: S310
    if have:
        req.add_header("Range", f"bytes={have}-")
        if etag:
            req.add_header("If-Range", etag)
    elif validators:
        if validators.get("etag"):
            req.add_header("If-None-Match", validators["etag"])
        if validators.get("last_modified"):
            req.add_header("If-Modified-Since", validators["last_modified"])
    if not url.startswith(("https://", "http://")):
        raise SyncError(f"{url}: only http(s) URLs can be synced")
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)  # noqa: S310
    except urllib.error.HTTPError as exc:
        if exc.code == 304 and not have and validators:
            return _Fetched(0, 0, "", "", not_modified=True)
        if exc.code == 416 and have:  # nothing left to fetch: the part is complete
            return _Fetched(have, have, etag, "")
        hint = ""
        if exc.code == 404:
            hint = (
                "; is the ecosystem spelled as OSV spells it (PyPI, npm, Go, crates.io, "
                "RubyGems, Packagist, Maven, NuGet, Pub, ...)?"
            )
        raise NetworkError(
            f"{url}: the server answered HTTP {exc.code} {exc.reason}{hint}"
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NetworkError(
            f"{url}: cannot download ({reason}); check the network, or import a file "
            "you downloaded elsewhere with 'pipesec db import FILE'"
        ) from None
    with resp:
        resumed = have if resp.status == 206 else 0
        if resumed:
            crange = resp.headers.get("Content-Range", "")
            start = crange.removeprefix("bytes ").split("-", 1)[0]
            if not start.isdigit() or int(start) != have:
                part.unlink(missing_ok=True)
                raise SyncError(
                    f"{url}: the server resumed at the wrong place ({crange!r}, expected byte "
                    f"{have}); the partial download was dropped; run 'pipesec db sync' again"
                )
        length = resp.headers.get("Content-Length")
        expected = resumed + int(length) if length and length.isdigit() else None
        new_etag = resp.headers.get("ETag", "")
        last_modified = resp.headers.get("Last-Modified", "")
        if new_etag:
            etag_file.write_text(new_etag)
        else:
            etag_file.unlink(missing_ok=True)
        got = resumed
        with open(part, "ab" if resumed else "wb") as out:
            try:
                while True:
                    block = resp.read(_BLOCK)
                    if not block:
                        break
                    out.write(block)
                    got += len(block)
                    if progress is not None:
                        progress(label, got, expected)
            except (OSError, http.client.HTTPException) as exc:
                raise _interrupted(url, got, expected, exc) from None
    if expected is not None and got < expected:
        raise _interrupted(url, got, expected, None)
    return _Fetched(got, resumed, new_etag, last_modified)


def _validators_file(part: Path) -> Path:
    return part.with_name(part.name.removesuffix(".zip.part") + ".validators.json")


def _imported_at(db_path: Path, ecosystem: str) -> tuple[float, str] | None:
    """When ``ecosystem`` was last imported into the database, and from where."""
    if not db_path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            row = conn.execute(
                "SELECT imported_at, source FROM sources WHERE ecosystem = ?", (ecosystem,)
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return (float(row[0]), str(row[1])) if row else None


def _saved_validators(db_path: Path, ecosystem: str, url: str, part: Path) -> dict[str, str]:
    """The validators of the export the database holds for ``ecosystem``, only when they
    belong to exactly that import (a database replaced or re-imported since asks again)."""
    try:
        saved = json.loads(_validators_file(part).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    current = _imported_at(db_path, ecosystem)
    if (
        not isinstance(saved, dict)
        or current is None
        or saved.get("url") != url
        or current[1] != url
        or saved.get("imported_at") != current[0]
    ):
        return {}
    return {k: str(saved.get(k) or "") for k in ("etag", "last_modified")}


def _save_validators(db_path: Path, ecosystem: str, url: str, part: Path, got: _Fetched) -> None:
    current = _imported_at(db_path, ecosystem)
    target = _validators_file(part)
    if current is None or not (got.etag or got.last_modified):
        target.unlink(missing_ok=True)
        return
    data = {
        "url": url,
        "etag": got.etag,
        "last_modified": got.last_modified,
        "imported_at": current[0],
    }
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    tmp.replace(target)


def _interrupted(url: str, got: int, expected: int | None, exc: BaseException | None) -> SyncError:
    total = f" of {expected}" if expected else ""
    why = f" ({exc})" if exc else ""
    return SyncError(
        f"{url}: the download stopped after {got}{total} bytes{why}; the database was not "
        "changed; run 'pipesec db sync' again to resume"
    )


def verify_zip(path: Path) -> int:
    """Check that a download is a complete zip whose members pass their CRC and that it
    holds record files. Returns their number; raises SyncError. (Every record is then
    parsed by the import, which swaps nothing in unless all of them parse.)"""
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
            if bad is not None:
                raise SyncError(f"{path}: the download is corrupt (bad CRC in {bad})")
            count = sum(1 for n in zf.namelist() if n.lower().endswith(RECORD_SUFFIXES))
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
        raise SyncError(f"{path}: the download is not a complete zip archive ({exc})") from None
    if count == 0:
        raise SyncError(f"{path}: the download holds no OSV records")
    return count


def sync(
    db_path: Path,
    ecosystems: Sequence[str],
    *,
    base_url: str | None = None,
    timeout: float = 60.0,
    progress: Progress | None = None,
) -> list[SyncResult]:
    """Download, verify and swap in each ecosystem's export (one atomic swap each)."""
    downloads = db_path.expanduser().parent / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    results = []
    for raw in ecosystems:
        eco = canonical_ecosystem(raw)
        url = export_url(eco, base_url)
        part = downloads / (urllib.parse.quote(eco, safe="") + ".zip.part")
        validators = {} if part.exists() else _saved_validators(db_path, eco, url, part)
        log.info("downloading %s%s", url, " (if changed)" if validators else "")
        got = _download(
            url, part, timeout=timeout, progress=progress, label=eco, validators=validators
        )
        if got.not_modified:
            results.append(SyncResult(eco, url, 0, 0, None))
            continue
        try:
            verify_zip(part)
            imported = import_records(db_path, [part], replace_ecosystems=[eco], source_label=url)
        except (SyncError, RecordError) as exc:
            part.unlink(missing_ok=True)  # a corrupt file is not worth resuming
            part.with_name(part.name + ".etag").unlink(missing_ok=True)
            if isinstance(exc, RecordError):
                raise SyncError(
                    f"the download holds a record that does not parse ({exc}); the database "
                    "was not changed"
                ) from None
            raise
        part.unlink(missing_ok=True)
        part.with_name(part.name + ".etag").unlink(missing_ok=True)
        _save_validators(db_path, eco, url, part, got)
        results.append(SyncResult(eco, url, got.size, got.resumed, imported))
    return results
