"""``pipesec db sync``: download osv.dev's per-ecosystem ``all.zip`` exports.

Each download goes to ``<db dir>/downloads/<ecosystem>.zip.part``; an interrupted one is
resumed with an HTTP Range request (``If-Range`` on the ETag, so a changed file starts
over). A finished download is checked (its length, every zip member's CRC, every record
parses) and only then imported into a copy of the database that replaces the old one
atomically. A failed or corrupt download never touches the existing database.
"""

from __future__ import annotations

import http.client
import logging
import os
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
    imported: ImportResult


def export_url(ecosystem: str, base_url: str | None = None) -> str:
    base = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    return f"{base}/{urllib.parse.quote(ecosystem)}/all.zip"


def _download(
    url: str, part: Path, *, timeout: float, progress: Progress | None, label: str
) -> tuple[int, int]:
    """Download ``url`` into ``part``, resuming what is there. Returns (size, resumed)."""
    etag_file = part.with_name(part.name + ".etag")
    have = part.stat().st_size if part.exists() else 0
    etag = etag_file.read_text().strip() if have and etag_file.exists() else ""
    req = urllib.request.Request(url, headers={"User-Agent": "pipesec-db-sync"})  # noqa: S310
    if have:
        req.add_header("Range", f"bytes={have}-")
        if etag:
            req.add_header("If-Range", etag)
    if not url.startswith(("https://", "http://")):
        raise SyncError(f"{url}: only http(s) URLs can be synced")
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)  # noqa: S310
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # nothing left to fetch: the part is complete
            return have, have
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
    return got, resumed


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
        log.info("downloading %s", url)
        size, resumed = _download(url, part, timeout=timeout, progress=progress, label=eco)
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
        results.append(SyncResult(eco, url, size, resumed, imported))
    return results
