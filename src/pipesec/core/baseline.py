"""Baselines: accept the findings that exist today so only new ones count.

``--write-baseline FILE`` writes pipesec's own format (versioned JSON of fingerprints;
never a secret). ``--baseline FILE`` reads it, or another tool's baseline through an
importer. An importer is a function ``(data) -> list[BaselineEntry] | None`` that returns
None when it does not recognise the document; importers are listed in IMPORTERS as
"module:function" and imported lazily (the secrets scanner adds detect-secrets' and
gitleaks' formats).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipesec.core.errors import ConfigError
from pipesec.core.model import Finding

BASELINE_VERSION = 1
FORMAT_NAME = "pipesec-baseline"

#: name -> "module:function"; each returns entries, or None when the document is not theirs
IMPORTERS: dict[str, str] = {
    "detect-secrets": "pipesec.scanners.secrets.baselines:import_detect_secrets",
    "gitleaks": "pipesec.scanners.secrets.baselines:import_gitleaks_report",
}


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """One accepted finding: by fingerprint, or (for other tools' baselines) by place.

    ``rule`` may be a glob of our rule ids ("secrets/*"); empty means any rule.
    ``line`` 0 means anywhere in the file.
    """

    fingerprint: str = ""
    path: str = ""
    line: int = 0
    rule: str = ""
    source: str = "pipesec"


class Baseline:
    def __init__(self, entries: Iterable[BaselineEntry], source: str) -> None:
        self.entries = list(entries)
        self.source = source
        self._fps = {e.fingerprint for e in self.entries if e.fingerprint}
        self._places: dict[str, list[BaselineEntry]] = {}
        for e in self.entries:
            if not e.fingerprint and e.path:
                self._places.setdefault(e.path, []).append(e)

    def match(self, f: Finding) -> BaselineEntry | None:
        if f.fingerprint in self._fps:
            return BaselineEntry(fingerprint=f.fingerprint, source=self.source)
        from fnmatch import fnmatchcase

        for e in self._places.get(f.location.path, ()):
            if e.line and e.line != f.location.start_line:
                continue
            if e.rule and not fnmatchcase(f.rule_id, e.rule):
                continue
            return e
        return None


def dump(findings: Iterable[Finding]) -> dict[str, Any]:
    items = sorted(
        (
            {
                "fingerprint": f.fingerprint,
                "rule": f.rule_id,
                "path": f.location.path,
                "line": f.location.start_line,
            }
            for f in findings
        ),
        key=lambda d: (str(d["path"]), str(d["rule"]), str(d["fingerprint"])),
    )
    return {"format": FORMAT_NAME, "version": BASELINE_VERSION, "findings": items}


def write(path: Path, findings: Iterable[Finding]) -> None:
    text = json.dumps(dump(findings), indent=2) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write baseline: {exc.strerror}", path=str(path)) from None


def parse(data: Any, source: str) -> Baseline:
    """Read a parsed baseline document (ours, or another tool's through IMPORTERS)."""
    if isinstance(data, dict) and data.get("format") == FORMAT_NAME:
        version = data.get("version")
        if version != BASELINE_VERSION:
            raise ConfigError(
                f"baseline version {version!r} is not supported (expected {BASELINE_VERSION}); "
                "write a new one with --write-baseline",
                path=source,
            )
        items = data.get("findings")
        if not isinstance(items, list):
            raise ConfigError("'findings' must be a list", path=source, key="findings")
        entries = []
        for i, item in enumerate(items):
            fp = item.get("fingerprint") if isinstance(item, dict) else None
            if not isinstance(fp, str) or not fp:
                raise ConfigError(
                    "each finding needs a 'fingerprint' string", path=source, key=f"findings[{i}]"
                )
            entries.append(BaselineEntry(fingerprint=fp))
        return Baseline(entries, "pipesec")
    for name, target in IMPORTERS.items():
        func = _load_importer(target)
        if func is None:
            continue
        found = func(data)
        if found is not None:
            return Baseline(found, name)
    raise ConfigError(
        "not a baseline pipesec can read (pipesec --write-baseline, detect-secrets "
        ".secrets.baseline or a gitleaks JSON report)",
        path=source,
    )


def _load_importer(target: str) -> Callable[[Any], list[BaselineEntry] | None] | None:
    module, _, func = target.partition(":")
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    loaded = getattr(mod, func, None)
    return loaded if callable(loaded) else None


def load(path: Path) -> Baseline:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read baseline: {exc.strerror}", path=str(path)) from None
    return load_bytes(raw, str(path))


def load_bytes(raw: bytes, display: str) -> Baseline:
    """Parse a baseline document (read from a file, or from a committed blob in PR mode)."""
    path = display
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"baseline is not UTF-8 (byte {exc.start})", path=str(path)) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", path=str(path)
        ) from None
    except RecursionError:
        raise ConfigError("invalid JSON: nested too deeply", path=str(path)) from None
    return parse(data, str(path))
