"""The versioned JSON report. Its schema is published by ``pipesec report schema``.

The pydantic models (:mod:`.json_model`: the schema, and the reader of saved reports) are
built on first use; the writer turns the report's dataclasses into JSON itself, exactly as
``JsonReport.model_dump_json(indent=2)`` writes them (same keys, order and values; a test
compares the two), because building the models costs a small scan more than its report.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

from pipesec.core.model import ScanReport
from pipesec.report.safe import display_safe

if TYPE_CHECKING:
    from pipesec.report.json_model import JsonReport, Summary

SCHEMA_VERSION = "1.0"


def __getattr__(name: str) -> Any:
    """``JsonReport``, ``Summary`` and ``ToolInfo``: the pydantic models, built on first use."""
    if name in ("JsonReport", "Summary", "ToolInfo"):
        from pipesec.report import json_model

        return getattr(json_model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _summary(report: ScanReport) -> dict[str, Any]:
    from pipesec.report.common import severity_counts

    return {
        "findings": len(report.findings),
        "by_severity": {k.value: v for k, v in severity_counts(report.findings).items()},
        "suppressed": len(report.suppressed),
        "errors": len(report.errors),
        "notes": len(report.notes),
    }


def summarize(report: ScanReport) -> Summary:
    from pipesec.report.json_model import Summary

    return Summary(**_summary(report))


def document(report: ScanReport) -> dict[str, Any]:
    """The report as the JSON document (plain data, in the schema's order)."""
    used = {f.rule_id for f in report.findings} | {s.finding.rule_id for s in report.suppressed}
    rules = [report.rules[r] for r in sorted(used) if r in report.rules]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "pipesec", "version": report.tool_version},
        "root": ".",
        "summary": _summary(report),
        "gate": _plain(report.gate),
        "findings": _plain(report.findings),
        "suppressed": _plain(report.suppressed),
        "errors": _plain(report.errors),
        "notes": _plain(report.notes),
        "warnings": _plain(report.warnings),
        "scanners": _plain(report.stats),
        "components": _plain(report.components),
        "posture": _plain(report.posture),
        "rules": _plain(rules),
    }


def build(report: ScanReport) -> JsonReport:
    """The report as the pydantic model (what :func:`document` writes, validated)."""
    from pipesec.report.json_model import JsonReport

    return JsonReport.model_validate(document(report))


def _plain(v: Any) -> Any:
    """``v`` as JSON data, as pydantic serialises it: a dataclass as its fields in order, an
    enum as its value, a tuple or set as a list."""
    if isinstance(v, enum.Enum):
        return _plain(v.value)
    if v is None or isinstance(v, bool | int | float):
        return v
    if isinstance(v, str):
        return str(v)
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return {f.name: _plain(getattr(v, f.name)) for f in _fields(type(v))}
    if isinstance(v, Mapping):
        return {str(_plain(k)): _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple | set | frozenset):
        return [_plain(x) for x in v]
    raise TypeError(f"cannot write {type(v).__name__} in a JSON report")


_FIELDS: dict[type, tuple[dataclasses.Field[Any], ...]] = {}


def _fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    out = _FIELDS.get(cls)
    if out is None:
        out = _FIELDS[cls] = dataclasses.fields(cls)
    return out


def schema() -> dict[str, Any]:
    from pipesec.report.json_model import JsonReport

    return JsonReport.model_json_schema()


class JsonWriter:
    format = "json"

    def write(self, report: ScanReport, out: BinaryIO) -> None:
        report = display_safe(report)
        text = json.dumps(document(report), indent=2, ensure_ascii=False, allow_nan=False)
        out.write(text.encode("utf-8"))
        out.write(b"\n")


WRITER = JsonWriter()
