"""Every rule's vulnerable example fires it and its fixed example does not.

Examples start with ``# file: NAME  (option = value)``: the file to write the rest to and
the scanner options the example assumes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pipesec.core.model import Rule
from pipesec.scanners.deps import DepsScanner
from pipesec.scanners.deps.rules import RULES

from .conftest import scan_files

_HEAD = re.compile(r"^# file: (\S+)(?:\s+\((.*)\))?\n")


def _split(example: str) -> tuple[str, str, dict[str, Any]]:
    m = _HEAD.match(example)
    assert m, "an example names its file on its first line"
    options: dict[str, Any] = {}
    if m.group(2):
        key, _, value = m.group(2).partition("=")
        options[key.strip().replace("-", "_")] = json.loads(value.strip())
    return m.group(1), example[m.end() :], options


def test_rules_metadata() -> None:
    ids = [r.id for r in DepsScanner().rules()]
    assert len(ids) == len(set(ids)) == 5
    for r in RULES:
        assert r.id.startswith("deps/") and r.id == r.id.lower()
        assert r.title and r.rationale and r.remediation
        assert r.vulnerable_example and r.fixed_example


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_examples(rule: Rule, tmp_path: Path, deps_db: Path) -> None:
    name, body, options = _split(rule.vulnerable_example)
    scan = scan_files(tmp_path / "bad", {name: body}, deps_db, **options)
    assert scan.rule(rule.id), f"{rule.id} does not fire on its vulnerable example"
    name, body, options = _split(rule.fixed_example)
    scan = scan_files(tmp_path / "good", {name: body}, deps_db, **options)
    assert not scan.rule(rule.id), f"{rule.id} fires on its fixed example"
