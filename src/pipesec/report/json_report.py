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


def dumps(doc: Any) -> str:
    """``json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)``, the same text
    (a test holds them equal), built with one recursion into a list: the standard
    library's indenting encoder is written in Python as a chain of generators, a third of
    the time of writing a large report."""
    out: list[str] = []
    _encode(doc, "\n", out)
    return "".join(out)


def _encode(v: Any, nl: str, out: list[str]) -> None:
    """Append ``v`` as JSON to ``out``; ``nl``: a newline and the indentation of ``v``'s
    line. The checks come in json's order (``True`` is an ``int``)."""
    if isinstance(v, str):
        out.append(_string(v))
    elif v is None:
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif isinstance(v, int):
        out.append(int.__repr__(v))
    elif isinstance(v, float):
        out.append(_float(v))
    elif isinstance(v, list | tuple):
        if not v:
            out.append("[]")
            return
        inner = nl + "  "
        sep = "[" + inner
        for x in v:
            out.append(sep)
            _encode(x, inner, out)
            sep = "," + inner
        out.append(nl + "]")
    elif isinstance(v, dict):
        if not v:
            out.append("{}")
            return
        inner = nl + "  "
        sep = "{" + inner
        for k, x in v.items():
            out.append(sep)
            out.append(_string(k if isinstance(k, str) else _key(k)))
            out.append(": ")
            _encode(x, inner, out)
            sep = "," + inner
        out.append(nl + "}")
    else:
        raise TypeError(f"Object of type {v.__class__.__name__} is not JSON serializable")


_string = json.encoder.encode_basestring  # the C function where _json is built


def _float(v: float) -> str:
    if v != v or v in (float("inf"), float("-inf")):
        raise ValueError("Out of range float values are not JSON compliant: " + repr(v))
    return float.__repr__(v)


def _key(k: Any) -> str:
    """A dict key that is not a string, as json writes it."""
    if isinstance(k, float):
        return _float(k)
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, int):
        return int.__repr__(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")


class JsonWriter:
    format = "json"

    def write(self, report: ScanReport, out: BinaryIO) -> None:
        report = display_safe(report)
        out.write(dumps(document(report)).encode("utf-8"))
        out.write(b"\n")


WRITER = JsonWriter()
