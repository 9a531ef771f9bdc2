"""Every IaC rule's metadata without importing the rule code (one-file latency).

A report needs the rules of a scanner that found something (their ids, and the texts of
those its findings use), but the IaC rules register at import: their Python checks in one
module per family, the data rules when their files load (pydantic, CEL). :func:`rules`
answers with the list :meth:`.scanner.IacScannerImpl.rules` builds from that code, kept
as JSON in the user cache directory and signed like the CEL cache
(:mod:`pipesec.core.cachemac`: a planted file is not used). The file is named by
:func:`pipesec.core.cachemac.fingerprint` (every file of pipesec: rule modules, rule files,
``core/model.py``): a new or changed rule changes a file, so a stale list is never read,
and nothing lists the rules by hand. A missing,
unsigned or undecodable file is built again from the code; it is written only when no file
changed during the run (:func:`pipesec.core.cachemac.settled`: the rule modules imported are
what the name says), and the catalogues of a few other versions sharing the cache directory
are kept (:func:`pipesec.core.cachemac.write_kept`).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from pipesec.core.model import Confidence, Rule, Severity

log = logging.getLogger(__name__)


def encode(rules: list[Rule]) -> bytes:
    rows = [
        [
            r.id,
            r.title,
            r.severity.value,
            r.rationale,
            r.remediation,
            r.vulnerable_example,
            r.fixed_example,
            list(r.cwe),
            list(r.references),
            r.confidence.value,
            list(r.tags),
        ]
        for r in rules
    ]
    return json.dumps(rows, separators=(",", ":")).encode()


def decode(raw: bytes) -> list[Rule]:
    """The rules :func:`encode` wrote (ValueError, TypeError or IndexError otherwise)."""
    rows: Any = json.loads(raw)
    return [
        Rule(
            id=r[0],
            title=r[1],
            severity=Severity(r[2]),
            rationale=r[3],
            remediation=r[4],
            vulnerable_example=r[5],
            fixed_example=r[6],
            cwe=tuple(r[7]),
            references=tuple(r[8]),
            confidence=Confidence(r[9]),
            tags=tuple(r[10]),
        )
        for r in rows
    ]


def folder() -> Path:
    """Where the IaC scanner keeps what it derives from its own files."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("pipesec")) / "iac"


def rules() -> list[Rule]:
    """Every IaC rule, as the rule code gives them, in its order."""
    from pipesec.core.cachemac import fingerprint, read_signed, settled, write_kept

    try:
        path = folder() / f"catalog-{fingerprint().digest}.json"
    except OSError:  # a file vanished while it was looked at: ask the code
        return _from_code()
    raw = read_signed(path, "IaC rule catalogue")
    if raw is not None:
        try:
            return decode(raw)
        except (ValueError, TypeError, IndexError, RecursionError):
            log.debug("the IaC rule catalogue %s does not decode; built again", path)
    found = _from_code()
    try:
        if settled():
            write_kept(path, encode(found), "catalog-")
    except OSError:
        log.debug("cannot keep the IaC rule catalogue in %s", path, exc_info=True)
    return found


def _from_code() -> list[Rule]:
    from pipesec.scanners.iac.scanner import IacScannerImpl

    return list(IacScannerImpl().rules())
