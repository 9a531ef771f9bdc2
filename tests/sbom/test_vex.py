"""VEX statements: OpenVEX (0.0.1 and 0.2.0 shapes) and CycloneDX VEX."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipesec.sbom import vex
from pipesec.scanners.deps.interface import LockfileError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "deps" / "vex"


def test_openvex_fixture() -> None:
    index, errors = vex.load([FIXTURES / "openvex.json"])
    assert not errors
    why = index.lookup(["GHSA-35jh-r3h4-6jhm", "CVE-2021-23337"], "pkg:npm/lodash@4.17.15")
    assert why is not None and "vulnerable_code_not_in_execute_path" in why
    assert "lodash.template is never called" in why
    # another version of the package is not covered
    assert index.lookup(["CVE-2021-23337"], "pkg:npm/lodash@4.17.21") is None
    # "affected" does not suppress
    assert index.lookup(["GHSA-c3m8-x3cg-qm2c"], "pkg:npm/loader-utils@1.4.0") is None


def test_openvex_001_and_later_statements_win() -> None:
    doc = {
        "@context": "https://openvex.dev/ns",
        "statements": [
            {
                "vulnerability": "CVE-2023-30861",
                "products": ["pkg:pypi/Flask"],
                "status": "not_affected",
                "justification": "component_not_present",
            },
            {
                "vulnerability": "CVE-2023-30861",
                "products": ["pkg:pypi/flask@2.2.0"],
                "status": "under_investigation",
            },
        ],
    }
    statements = vex.parse(json.dumps(doc), "v.json")
    index = vex.VexIndex(statements)
    # a purl without version covers every version; names compare normalised
    assert index.lookup(["CVE-2023-30861"], "pkg:pypi/flask@2.3.0") is not None
    assert index.lookup(["CVE-2023-30861"], "pkg:pypi/flask@2.2.0") is None


def test_cyclonedx_vex() -> None:
    index, errors = vex.load([FIXTURES / "cyclonedx-vex.json"])
    assert not errors
    assert index.lookup(["PYSEC-2023-212", "CVE-2023-45803"], "pkg:pypi/urllib3@1.24.1")


@pytest.mark.parametrize(
    "text",
    ["{", "[]", '{"hello": 1}', '{"@context": "https://openvex.dev/ns/v0.2.0", "statements": 3}'],
)
def test_bad_documents(text: str) -> None:
    with pytest.raises(LockfileError):
        vex.parse(text, "bad.json")


def test_unreadable(tmp_path: Path) -> None:
    _, errors = vex.load([tmp_path / "missing.json"])
    assert errors and "cannot read" in errors[0].message


def test_cyclonedx_vex_xml() -> None:
    index, errors = vex.load([FIXTURES / "cyclonedx-vex.xml"])
    assert not errors
    why = index.lookup(["CVE-2023-45803"], "pkg:pypi/urllib3@1.24.1")
    assert why is not None and "code_not_reachable" in why
    with pytest.raises(LockfileError):
        vex.parse("<project/>", "x.xml")
