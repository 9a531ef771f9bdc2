from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import finding

from pipesec.core import baseline
from pipesec.core.engine import assign_fingerprints
from pipesec.core.errors import ConfigError


def test_roundtrip(tmp_path: Path) -> None:
    fs = assign_fingerprints([finding(line=1), finding(rule_id="x/y", line=2)])
    p = tmp_path / "out" / "baseline.json"
    baseline.write(p, fs)
    doc = json.loads(p.read_text())
    assert doc["format"] == "pipesec-baseline" and doc["version"] == 1
    b = baseline.load(p)
    assert all(b.match(f) for f in fs)
    assert b.match(finding(rule_id="new/one")) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "invalid JSON at line 1"),
        (
            '{"format": "pipesec-baseline", "version": 99, "findings": []}',
            "version 99 is not supported",
        ),
        ('{"format": "pipesec-baseline", "version": 1, "findings": {}}', "must be a list"),
        ('{"format": "pipesec-baseline", "version": 1, "findings": [{}]}', "findings[0]"),
        ('{"something": "else"}', "not a baseline pipesec can read"),
    ],
)
def test_bad_baselines(tmp_path: Path, text: str, message: str) -> None:
    p = tmp_path / "b.json"
    p.write_text(text)
    with pytest.raises(ConfigError) as err:
        baseline.load(p)
    assert message in str(err.value) and str(p) in str(err.value)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_fuzz_loader_bytes(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "b.json"
    p.write_bytes(data)
    with contextlib.suppress(ConfigError):
        baseline.load(p)


json_docs = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "format",
                    "version",
                    "findings",
                    "fingerprint",
                    "results",
                    "generated_at",
                    "plugins_used",
                    "File",
                    "StartLine",
                    "RuleID",
                    "filename",
                    "line_number",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(json_docs)
def test_fuzz_loader_structured(tmp_path: Path, doc: object) -> None:
    p = tmp_path / "b.json"
    p.write_text(json.dumps(doc))
    try:
        b = baseline.load(p)
    except ConfigError:
        return
    b.match(finding())
