"""Secrets in one layer's files, found by the secrets scanner's engine.

Every layer is scanned on its own, so a file a later layer deletes or replaces is still
seen: it is still in the image (``docker save`` hands it to anyone). Results are kept
relative to the layer (paths inside the image) so that they can be cached by layer digest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from pipesec.core.model import Confidence, Finding, Location, Severity
from pipesec.scanners.containers.layers import Entry, LayerIndex, iter_regular, read_entry

#: files read whole up to this size; larger text files are streamed in chunks
WHOLE = 10 << 20
CHUNK = 1 << 20
BATCH_BYTES = 1 << 20
BATCH_FILES = 256


def scan_layer(engine: Any, idx: LayerIndex, spool: IO[bytes], key: bytes) -> list[Finding]:
    """Secret findings of one layer; ``location.path`` is the path inside the image."""
    from pipesec.core.workspace import compile_globs, decode, looks_binary
    from pipesec.scanners.secrets import IMAGE_TEST_PATHS, LOCKFILES, line_of
    from pipesec.scanners.secrets.findings import make_finding

    # packages' own test fixtures in an image are not reported, and generic assignments are
    # not looked for in lock files
    skip_test = compile_globs(IMAGE_TEST_PATHS)
    is_lock = compile_globs(LOCKFILES)
    out: list[Finding] = []
    batch: list[tuple[Entry, bytes, str | None]] = []
    size = 0

    def flush() -> None:
        keep = engine.may_find([b for _, b, _ in batch], [e.path[1:] for e, _, _ in batch])
        for (e, blob, text), hit in zip(batch, keep, strict=True):
            if not hit:
                continue
            text = text if text is not None else blob.decode("ascii")
            lock = is_lock(e.path[1:])
            for m in engine.scan_text(text, path=e.path[1:]):
                if lock and "generic" in m.rule.tags:
                    continue
                out.append(make_finding(m, e.path, key, line_text=line_of(text, m)))

    for e in sorted(iter_regular(idx), key=lambda e: e.offset):
        if e.size == 0 or skip_test(e.path[1:]):
            continue
        if e.size > WHOLE:
            out.extend(_scan_large(engine, e, spool, key, lock=is_lock(e.path[1:])))
            continue
        data = read_entry(spool, e, e.size)
        if looks_binary(data, e.path[1:]):
            continue
        if data.isascii():
            batch.append((e, data, None))
        else:
            text = decode(data)
            batch.append((e, text.encode("utf-8", "surrogatepass"), text))
        size += len(data)
        if size >= BATCH_BYTES or len(batch) >= BATCH_FILES:
            flush()
            batch, size = [], 0
    if batch:
        flush()
    return out


def _scan_large(
    engine: Any, e: Entry, spool: IO[bytes], key: bytes, *, lock: bool = False
) -> Iterator[Finding]:
    """A file over :data:`WHOLE` bytes, streamed: each finding keeps its line (the last
    chunks are kept for it, as the secrets scanner's own streaming does), so a rule's
    ``severity_at`` reads the key before the value and the snippet is the line's; generic
    assignments are not looked for in a lock file, as in the files read whole (review17:
    both were lost over 10 MB)."""
    from pipesec.core.workspace import looks_binary
    from pipesec.scanners.secrets import line_from_window
    from pipesec.scanners.secrets.findings import make_finding

    spool.seek(e.offset)
    if looks_binary(spool.read(8192), e.path[1:]):
        return
    window: list[tuple[int, str]] = []

    def chunks() -> Iterator[str]:
        left = e.size
        pos = e.offset
        while left > 0:
            spool.seek(pos)
            data = spool.read(min(CHUNK, left))
            if not data:
                return
            text = data.decode("latin-1")  # one character per byte: offsets stay exact
            window.append((pos - e.offset, text))
            del window[:-3]
            pos += len(data)
            left -= len(data)
            yield text

    for m in engine.scan_stream(chunks(), path=e.path[1:]):
        if lock and "generic" in m.rule.tags:
            continue
        yield make_finding(m, e.path, key, line_text=line_from_window(window, m))


# -- the cache form of a finding (plain JSON; redacted already) -------------------------


def to_json(f: Finding) -> dict[str, Any]:
    loc = f.location
    return {
        "rule_id": f.rule_id,
        "title": f.title,
        "message": f.message,
        "severity": f.severity.value,
        "confidence": f.confidence.value,
        "loc": [loc.path, loc.start_line, loc.start_column, loc.end_line, loc.end_column],
        "snippet": f.snippet,
        "cwe": list(f.cwe),
        "references": list(f.references),
        "remediation": f.remediation,
        "tags": list(f.tags),
        "identity": f.identity,
        "properties": dict(f.properties),
    }


def from_json(doc: dict[str, Any]) -> Finding:
    path, sl, sc, el, ec = doc["loc"]
    return Finding(
        rule_id=doc["rule_id"],
        scanner="secrets",
        title=doc["title"],
        message=doc["message"],
        severity=Severity(doc["severity"]),
        confidence=Confidence(doc["confidence"]),
        location=Location(path, sl, sc, el, ec),
        snippet=doc["snippet"],
        cwe=tuple(doc["cwe"]),
        references=tuple(doc["references"]),
        remediation=doc["remediation"],
        tags=tuple(doc["tags"]),
        identity=doc["identity"],
        properties=doc["properties"],
    )
