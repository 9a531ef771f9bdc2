"""Windows, freezes and the attestation-file parser: exact cases and hypothesis fuzzing
(every parser answers with a value or a ValueError / a problem entry, never a crash)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.core.config import DeployWindow
from pipesec.deploy import admission, approval, evidence, window


def at(text: str) -> dt.datetime:
    return window.parse_now(text)


@pytest.mark.parametrize(
    ("spec", "days"),
    [
        ("Mon-Fri", {0, 1, 2, 3, 4}),
        ("Fri-Mon", {4, 5, 6, 0}),
        ("sat,Sunday", {5, 6}),
        ("*", set(range(7))),
    ],
)
def test_days(spec: str, days: set[int]) -> None:
    assert window.parse_days(spec) == days


def test_overnight_window_belongs_to_its_start_day() -> None:
    night = window.window(DeployWindow(days="Fri", hours="22:00-06:00", tz="UTC"))
    assert night.contains(at("2026-12-11T23:00:00Z"))  # Friday night
    assert night.contains(at("2026-12-12T05:59:00Z"))  # Saturday early morning
    assert not night.contains(at("2026-12-12T06:00:00Z"))
    assert not night.contains(at("2026-12-11T05:00:00Z"))  # Friday morning: Thursday's night


def test_window_follows_daylight_saving() -> None:
    office = window.window(DeployWindow(days="Mon-Fri", hours="09:00-17:00", tz="Europe/Berlin"))
    assert office.contains(at("2026-07-06T07:30:00Z"))  # 09:30 CEST
    assert not office.contains(at("2026-12-07T07:30:00Z"))  # 08:30 CET


def test_now_without_offset_is_utc() -> None:
    assert at("2026-12-07T10:00:00") == dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_window_parsers_never_crash(text: str) -> None:
    for parse in (window.parse_days, window.parse_hours, window.parse_now):
        with contextlib.suppress(ValueError):
            parse(text)
    with contextlib.suppress(ValueError):
        window.parse_freeze(text, "UTC")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())))
def test_attestation_parser_never_crashes(data: bytes) -> None:
    for env in evidence.parse_envelopes(data, "x.att.json"):
        assert env.envelope is not None or env.problem


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=12), json_values)
def test_pod_spec_extraction_never_crashes(kind: str, obj: Any) -> None:
    for name in (kind, "Pod", "Deployment", "CronJob"):
        spec = admission.pod_spec(name, obj if isinstance(obj, dict) else {"spec": obj})
        if spec is not None:
            list(admission.images(spec))


@settings(max_examples=100, deadline=None)
@given(value=json_values)
def test_github_event_payload_never_crashes(
    value: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("event") / "event.json"
    path.write_text(json.dumps(value))
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "deployment",
        "GITHUB_EVENT_PATH": str(path),
    }
    found = approval.evidence([], env)
    deployment = value.get("deployment") if isinstance(value, dict) else None
    named = isinstance(deployment, dict) and isinstance(deployment.get("environment"), str)
    assert found.ok == named
