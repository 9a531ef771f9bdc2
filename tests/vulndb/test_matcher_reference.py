"""The matcher agrees with a brute-force reference written separately (osv_reference.py)
on real PyPI and Go records: at the boundary versions of every range and at random ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipesec.vulndb import VulnDB, open_db

from .conftest import GO_SAMPLE, PYPI_SAMPLE, load_reference

ref = load_reference()
RECORDS: list[dict[str, Any]] = ref.load_records(PYPI_SAMPLE, GO_SAMPLE)
RECORD_IDS = {r["id"] for r in RECORDS}
BY_NAME: dict[tuple[str, str], list[dict[str, Any]]] = {}
for _rec in RECORDS:
    for _entry in _rec.get("affected") or ():
        _pkg = _entry.get("package") or {}
        _key = (
            _pkg.get("ecosystem", ""),
            ref.norm_name(_pkg.get("ecosystem"), _pkg.get("name", "")),
        )
        if _rec not in BY_NAME.setdefault(_key, []):
            BY_NAME[_key].append(_rec)


def _want(ecosystem: str, name: str, version: str) -> set[str]:
    """The reference's answer (records pre-grouped by package only to save time)."""
    records = BY_NAME.get((ecosystem, ref.norm_name(ecosystem, name)), [])
    return set(ref.affected_ids(records, ecosystem, name, version))


def _cases(ecosystem: str) -> list[tuple[str, str]]:
    cases = []
    for name, versions in sorted(ref.boundary_versions(ecosystem, RECORDS).items()):
        cases.extend((name, v) for v in sorted(versions))
    return cases


PYPI_CASES = _cases("PyPI")
GO_CASES = _cases("Go")


def _ours(db: VulnDB, ecosystem: str, name: str, version: str) -> set[str]:
    return {i for a in db.match(ecosystem, name, version) for i in a.ids if i in RECORD_IDS}


@pytest.fixture(scope="module")
def db(sample_db: Path) -> VulnDB:
    return open_db(sample_db)


def test_the_sample_is_meaningful() -> None:
    assert len(PYPI_CASES) > 1000 and len(GO_CASES) > 1000
    assert any(r.get("withdrawn") for r in RECORDS)


@pytest.mark.parametrize("ecosystem", ["PyPI", "Go"])
def test_boundary_versions_agree(db: VulnDB, ecosystem: str) -> None:
    cases = PYPI_CASES if ecosystem == "PyPI" else GO_CASES
    items = [(ecosystem, n, v) for n, v in cases]
    ours = db.match_many(items)
    mismatches = []
    hits = 0
    for item in items:
        got = {i for a in ours[item] for i in a.ids if i in RECORD_IDS}
        want = _want(*item)
        hits += bool(want)
        if got != want:
            mismatches.append((item, sorted(got), sorted(want)))
    assert not mismatches[:10], f"{len(mismatches)} mismatches"
    assert hits > len(items) // 5  # the boundaries do hit advisories


def test_go_versions_with_v_prefix_agree(db: VulnDB) -> None:
    for name, v in GO_CASES[:3000]:
        assert _ours(db, "Go", name, "v" + v) == _want("Go", name, v)


_PYPI_NAMES = sorted({n for n, _ in PYPI_CASES})
_GO_NAMES = sorted({n for n, _ in GO_CASES})
_num = st.integers(min_value=0, max_value=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(_PYPI_NAMES),
    release=st.lists(_num, min_size=1, max_size=4),
    suffix=st.sampled_from(["", "rc1", "a2", ".post1", ".dev3", "b1"]),
)
def test_random_pypi_versions_agree(db: VulnDB, name: str, release: list[int], suffix: str) -> None:
    version = ".".join(map(str, release)) + suffix
    assert _ours(db, "PyPI", name, version) == _want("PyPI", name, version)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(_GO_NAMES),
    nums=st.tuples(_num, _num, _num),
    pre=st.sampled_from(["", "-rc.1", "-0.20210101000000-0123456789ab", "-beta.2", "-0"]),
    v=st.booleans(),
    incompatible=st.booleans(),
)
def test_random_go_versions_agree(
    db: VulnDB, name: str, nums: tuple[int, int, int], pre: str, v: bool, incompatible: bool
) -> None:
    version = "{}.{}.{}".format(*nums) + pre
    given_as = ("v" if v else "") + version + ("+incompatible" if incompatible else "")
    ours = _ours(db, "Go", name, given_as)
    assert ours == _want("Go", name, version)


_small = st.sampled_from(["0.1.0", "1.0.0", "1.0.1", "1.1.0-rc.1", "1.1.0", "2.0.0", "3.0.0"])
_event = st.tuples(st.sampled_from(["introduced", "fixed", "last_affected"]), _small) | st.just(
    ("introduced", "0")
)


@settings(max_examples=400, deadline=None)
@given(events=st.lists(_event, min_size=1, max_size=6), version=_small)
def test_any_event_list_agrees_with_the_reference(
    events: list[tuple[str, str]], version: str
) -> None:
    """Odd event lists too (unsorted, repeated, several openings, closings first)."""
    from pipesec.vulndb.match import compile_range
    from pipesec.vulndb.versions import parse_version

    ours = compile_range("Go", events).contains(parse_version("Go", version))
    want = ref._range_affects("Go", [{k: v} for k, v in events], version)
    assert ours == want
