"""Helpers for the integration templates: scan a tree with pipesec itself, and validate
YAML against the published GitHub and GitLab JSON schemas (SchemaStore's, as vendored by
the check-jsonschema package; read from disk, no network)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from pipesec.core.model import ScanReport
from pipesec.core.runner import ScanOptions, scan


class _Yaml12Loader(yaml.SafeLoader):
    """YAML as GitHub reads it: `on`, `yes`, `no` are strings, only true/false are booleans."""


_Yaml12Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def load_yaml_documents(text: str) -> list[Any]:
    return list(yaml.load_all(text, Loader=_Yaml12Loader))


@cache
def _schema(name: str) -> dict[str, Any]:
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    data: dict[str, Any] = json.loads(vendor.joinpath(name).read_text("utf-8"))
    return data


def schema_errors(schema: str, document: Any) -> list[str]:
    """Messages of every violation of the named vendored schema (github-workflows.json,
    github-actions.json, gitlab-ci.json)."""
    s = _schema(schema)
    validator = jsonschema.validators.validator_for(s)(s)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]


def scan_tree(root: Path, *scanners: str) -> ScanReport:
    return scan(ScanOptions(path=root, scanners=scanners or ("pipelines", "secrets")))
