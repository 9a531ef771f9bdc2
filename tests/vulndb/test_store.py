"""Import (zip, folder, JSON/YAML records), the database's errors, severity, aliases,
withdrawn records, GIT ranges, data age and atomic writes."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.core.errors import PipesecError
from pipesec.core.model import Severity
from pipesec.vulndb import (
    DatabaseCorruptError,
    DatabaseMissingError,
    VulnDB,
    default_db_path,
    open_db,
    resolve_db_path,
)
from pipesec.vulndb.errors import RecordError
from pipesec.vulndb.osv import RecordShapeError, parse_record
from pipesec.vulndb.store import import_records

from .conftest import GO_SAMPLE, PYPI_SAMPLE

CVSS3_CRIT = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
CVSS3_MED = "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N"
CVSS4_HIGH = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N"


def rec(rid: str, name: str = "demo-pkg", eco: str = "PyPI", **kw: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": rid,
        "modified": "2024-05-01T00:00:00Z",
        "summary": f"summary of {rid}",
        "affected": [
            {
                "package": {"ecosystem": eco, "name": name},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}
                ],
            }
        ],
    }
    doc.update(kw)
    return doc


def write_zip(path: Path, docs: list[dict[str, Any]]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for d in docs:
            zf.writestr(f"{d['id']}.json", json.dumps(d))
    return path


def db_with(tmp_path: Path, docs: list[dict[str, Any]], **kw: Any) -> VulnDB:
    path = tmp_path / "osv.sqlite"
    import_records(path, [write_zip(tmp_path / "in.zip", docs)])
    return open_db(path, **kw)


# ----------------------------------------------------------------- import formats


def test_import_real_zips_counts(tmp_path: Path) -> None:
    path = tmp_path / "osv.sqlite"
    res = import_records(path, [PYPI_SAMPLE, GO_SAMPLE])
    assert res.by_ecosystem["PyPI"] > 150 and res.by_ecosystem["Go"] > 150
    assert res.withdrawn >= 10
    st_ = open_db(path).status()
    assert {e.ecosystem for e in st_.ecosystems} == {"PyPI", "Go"}
    assert st_.advisories == res.records


def test_import_folder_yaml_and_single_json(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "PYSEC-1.yaml").write_text(
        "id: PYSEC-1\nmodified: '2024-01-01T00:00:00Z'\naffected:\n"
        "- package: {ecosystem: PyPI, name: Yaml_Pkg}\n"
        "  ranges:\n  - type: ECOSYSTEM\n    events: [{introduced: '1.0'}, {fixed: '1.5'}]\n"
    )
    (folder / "GHSA-x.json").write_text(json.dumps(rec("GHSA-x", "json-pkg")))
    (folder / "notes.txt").write_text("not a record")
    single = tmp_path / "one.json"
    single.write_text(json.dumps([rec("OSV-1", "list-pkg"), rec("OSV-2", "list-pkg")]))
    path = tmp_path / "osv.sqlite"
    import_records(path, [folder, single])
    db = open_db(path)
    assert [a.id for a in db.match("PyPI", "yaml-pkg", "1.2")] == ["PYSEC-1"]
    assert db.match("PyPI", "yaml.pkg", "1.5") == []
    assert [a.id for a in db.match("PyPI", "json_pkg", "1.0")] == ["GHSA-x"]
    assert len(db.match("PyPI", "list-pkg", "0.1")) == 2


def test_reimport_replaces_records_by_id(tmp_path: Path) -> None:
    path = tmp_path / "osv.sqlite"
    import_records(path, [write_zip(tmp_path / "a.zip", [rec("X-1")])])
    changed = rec("X-1")
    changed["affected"][0]["ranges"][0]["events"][1] = {"fixed": "1.0"}
    import_records(path, [write_zip(tmp_path / "b.zip", [changed])])
    db = open_db(path)
    assert db.match("PyPI", "demo-pkg", "1.5") == []
    assert [a.id for a in db.match("PyPI", "demo-pkg", "0.5")] == ["X-1"]


def test_invalid_record_aborts_import_and_keeps_old_db(tmp_path: Path) -> None:
    path = tmp_path / "osv.sqlite"
    import_records(path, [write_zip(tmp_path / "a.zip", [rec("X-1")])])
    before = path.read_bytes()
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("X-2.json", json.dumps(rec("X-2")))
        zf.writestr("X-3.json", '{"id": "X-3", "affected": [')
    with pytest.raises(RecordError, match=r"bad\.zip!X-3\.json.*invalid JSON"):
        import_records(path, [bad])
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".osv.sqlite*.tmp"))  # no temporary copy left behind
    res = import_records(path, [bad], skip_invalid=True)
    assert res.records == 1 and len(res.invalid) == 1
    assert open_db(path).match("PyPI", "demo-pkg", "1.0")


def test_truncated_zip_is_an_error(tmp_path: Path) -> None:
    z = write_zip(tmp_path / "a.zip", [rec(f"X-{i}") for i in range(50)])
    z.write_bytes(z.read_bytes()[:-200])
    with pytest.raises(RecordError, match="zip"):
        import_records(tmp_path / "osv.sqlite", [z])
    assert not (tmp_path / "osv.sqlite").exists()


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "object"),
        ({"summary": "x"}, "'id'"),
        ({"id": "X", "affected": {}}, "'affected' must be a list"),
        ({"id": "X", "affected": [{"package": {"name": "a"}}]}, "ecosystem"),
        (
            {
                "id": "X",
                "affected": [
                    {
                        "package": {"ecosystem": "PyPI", "name": "a"},
                        "ranges": [{"type": "WEIRD", "events": []}],
                    }
                ],
            },
            "WEIRD",
        ),
        (
            {
                "id": "X",
                "affected": [
                    {
                        "package": {"ecosystem": "PyPI", "name": "a"},
                        "ranges": [{"type": "SEMVER", "events": [{"broken": "1"}]}],
                    }
                ],
            },
            "unknown event",
        ),
        ({"id": "X", "aliases": "CVE-1"}, "aliases"),
        ({"id": "0", "affected": None, "severity": True}, "'severity' must be a list"),
        ({"id": "X", "severity": {"type": "CVSS_V3"}}, "'severity' must be a list"),
    ],
)
def test_malformed_records(doc: Any, message: str) -> None:
    with pytest.raises(RecordShapeError, match=message):
        parse_record(doc)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "affected",
                    "package",
                    "ecosystem",
                    "name",
                    "ranges",
                    "type",
                    "events",
                    "introduced",
                    "fixed",
                    "versions",
                    "severity",
                    "score",
                    "aliases",
                    "references",
                    "url",
                    "withdrawn",
                    "modified",
                    "database_specific",
                    "last_affected",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(doc=_json)
def test_parse_record_fuzz(doc: Any) -> None:
    with contextlib.suppress(RecordShapeError):
        parse_record(doc)


# ----------------------------------------------------------------- errors and paths


def test_missing_database_names_the_fix(tmp_path: Path) -> None:
    target = tmp_path / "nope.sqlite"
    with pytest.raises(DatabaseMissingError) as exc:
        open_db(target)
    assert isinstance(exc.value, PipesecError) and exc.value.exit_code == 3
    assert f"run 'pipesec db sync --db {target}'" in str(exc.value)
    assert "db import" not in str(exc.value)


@pytest.mark.parametrize("content", [b"garbage" * 100, b""])
def test_corrupt_database_names_the_fix(tmp_path: Path, content: bytes) -> None:
    target = tmp_path / "osv.sqlite"
    target.write_bytes(content)
    with pytest.raises(DatabaseCorruptError, match="pipesec db sync"):
        open_db(target)


def test_foreign_sqlite_file_is_corrupt(tmp_path: Path) -> None:
    target = tmp_path / "osv.sqlite"
    sqlite3.connect(target).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(DatabaseCorruptError, match="unreadable"):
        open_db(target)


def test_import_over_a_corrupt_database_rebuilds_it(tmp_path: Path) -> None:
    target = tmp_path / "osv.sqlite"
    target.write_bytes(b"garbage" * 100)
    import_records(target, [write_zip(tmp_path / "a.zip", [rec("X-1")])])
    assert open_db(target).match("PyPI", "demo-pkg", "1.0")


def test_default_and_resolved_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_db_path().name == "osv.sqlite"
    assert "pipesec" in default_db_path().parts
    assert (
        resolve_db_path(".pipesec-db/osv.sqlite", tmp_path) == tmp_path / ".pipesec-db/osv.sqlite"
    )
    monkeypatch.setenv("PIPESEC_DB", str(tmp_path / "env.sqlite"))
    assert default_db_path() == tmp_path / "env.sqlite"
    assert resolve_db_path("configured.sqlite", tmp_path) == tmp_path / "env.sqlite"


# ----------------------------------------------------------------- matching semantics


def test_withdrawn_records_are_ignored(tmp_path: Path) -> None:
    db = db_with(tmp_path, [rec("X-1", withdrawn="2024-06-01T00:00:00Z"), rec("X-2")])
    assert [a.id for a in db.match("PyPI", "demo-pkg", "1.0")] == ["X-2"]
    assert db.status().ecosystems[0].withdrawn == 1


def test_aliases_merge_into_one_advisory(tmp_path: Path) -> None:
    docs = [
        rec("PYSEC-2024-1", aliases=["CVE-2024-1"]),
        rec(
            "GHSA-aaaa-bbbb-cccc",
            aliases=["CVE-2024-1"],
            severity=[{"type": "CVSS_V3", "score": CVSS3_MED}],
        ),
        rec("OTHER-1"),
    ]
    db = db_with(tmp_path, docs)
    advs = db.match("PyPI", "Demo_Pkg", "1.0")
    assert len(advs) == 2
    merged = next(a for a in advs if a.id == "PYSEC-2024-1")
    assert merged.aliases == ("CVE-2024-1", "GHSA-aaaa-bbbb-cccc")
    assert merged.severity is Severity.MEDIUM and not merged.severity_assumed
    vuln = merged.to_vulnerability()
    assert vuln.id == "PYSEC-2024-1" and "GHSA-aaaa-bbbb-cccc" in vuln.aliases


@pytest.mark.parametrize(
    ("extra", "severity", "score", "assumed"),
    [
        ({"severity": [{"type": "CVSS_V3", "score": CVSS3_CRIT}]}, Severity.CRITICAL, 9.8, False),
        ({"severity": [{"type": "CVSS_V4", "score": CVSS4_HIGH}]}, Severity.HIGH, None, False),
        ({"database_specific": {"severity": "MODERATE"}}, Severity.MEDIUM, None, False),
        (
            {"severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/garbage"}]},
            Severity.HIGH,
            None,
            True,
        ),
        ({}, Severity.HIGH, None, True),
        ({"severity": [{"type": "CVSS_V3", "score": "5.3"}]}, Severity.MEDIUM, 5.3, False),
    ],
)
def test_severity_sources(
    tmp_path: Path, extra: dict[str, Any], severity: Severity, score: float | None, assumed: bool
) -> None:
    (adv,) = db_with(tmp_path, [rec("X-1", **extra)]).match("PyPI", "demo-pkg", "1.0")
    assert adv.severity is severity and adv.severity_assumed is assumed
    if score is not None:
        assert adv.cvss_score == score
    if assumed:
        assert any("assumed" in n for n in adv.notes)


def test_cvss4_score_is_kept(tmp_path: Path) -> None:
    (adv,) = db_with(
        tmp_path, [rec("X-1", severity=[{"type": "CVSS_V4", "score": CVSS4_HIGH}])]
    ).match("PyPI", "demo-pkg", "1.0")
    assert adv.cvss_score is not None and 7.0 <= adv.cvss_score < 9.0
    assert adv.cvss_vector == CVSS4_HIGH


def test_unscored_default_is_configurable(tmp_path: Path) -> None:
    (adv,) = db_with(tmp_path, [rec("X-1")], unscored_severity="medium").match(
        "PyPI", "demo-pkg", "1.0"
    )
    assert adv.severity is Severity.MEDIUM and adv.severity_assumed


def test_unscored_advisory_takes_the_severity_of_an_alias_in_the_store(tmp_path: Path) -> None:
    docs = [
        # the advisory names its GHSA alias; the GHSA record is filed under another spelling
        rec("PYSEC-2024-7", aliases=["GHSA-aaaa-bbbb-cccc"]),
        rec(
            "GHSA-aaaa-bbbb-cccc",
            name="demo-pkg-legacy",
            severity=[{"type": "CVSS_V3", "score": CVSS3_CRIT}],
        ),
        # only the CVE is shared: a record elsewhere lists it as its alias
        rec("PYSEC-2024-8", aliases=["CVE-2024-8"]),
        rec(
            "GHSA-dddd-eeee-ffff",
            name="elsewhere",
            aliases=["CVE-2024-8"],
            database_specific={"severity": "MODERATE"},
        ),
        rec("PYSEC-2024-9", aliases=["CVE-2024-9"]),  # nothing scored anywhere
    ]
    advs = {
        a.id: a
        for a in db_with(tmp_path, docs, unscored_severity="medium").match(
            "PyPI", "demo-pkg", "1.0"
        )
    }
    assert advs["PYSEC-2024-7"].severity is Severity.CRITICAL
    assert not advs["PYSEC-2024-7"].severity_assumed
    assert any("GHSA-aaaa-bbbb-cccc" in n for n in advs["PYSEC-2024-7"].notes)
    assert advs["PYSEC-2024-8"].severity is Severity.MEDIUM
    assert not advs["PYSEC-2024-8"].severity_assumed
    assert (
        advs["PYSEC-2024-9"].severity is Severity.MEDIUM and advs["PYSEC-2024-9"].severity_assumed
    )


def test_alias_severities_stop_searching_the_whole_table(tmp_path: Path) -> None:
    """An unscored advisory's aliases were each found by a LIKE search of every advisory:
    matching time grew with the database (16.4 s of CPU for 10,000 components against the
    6,952 real advisories). After a few searches the aliases are read once into an index,
    which answers as the searches did (ASCII case ignored, as LIKE does)."""
    docs: list[dict[str, Any]] = []
    for i in range(40):
        docs.append(rec(f"PYSEC-2024-{i}", name=f"pkg-{i}", aliases=[f"CVE-2024-{i}"]))
        listed = f"CVE-2024-{i}" if i % 2 else f"cve-2024-{i}"  # another spelling
        docs.append(
            rec(
                f"GHSA-{i:04d}-eeee-ffff",
                name=f"elsewhere-{i}",
                aliases=[listed],
                database_specific={"severity": "HIGH" if i % 3 else "LOW"},
            )
        )
    vdb = db_with(tmp_path, docs, unscored_severity="medium")
    statements: list[str] = []
    vdb._conn.set_trace_callback(statements.append)
    got = vdb.match_many(("PyPI", f"pkg-{i}", "1.0") for i in range(40))
    for i in range(40):
        (adv,) = got[("PyPI", f"pkg-{i}", "1.0")]
        assert adv.severity is (Severity.HIGH if i % 3 else Severity.LOW), i
        assert not adv.severity_assumed
        assert any(f"GHSA-{i:04d}-eeee-ffff" in n for n in adv.notes), i
    searches = [s for s in statements if "LIKE" in s]
    assert 0 < len(searches) <= 16


def test_malicious_packages_are_critical(tmp_path: Path) -> None:
    (adv,) = db_with(tmp_path, [rec("MAL-2024-1", name="evil", eco="npm")]).match(
        "npm", "evil", "1.0.0"
    )
    assert adv.severity is Severity.CRITICAL and adv.malicious and not adv.severity_assumed


def test_git_ranges_are_skipped(tmp_path: Path) -> None:
    git_only = rec("X-1")
    git_only["affected"][0]["ranges"] = [
        {"type": "GIT", "repo": "https://example.com/r", "events": [{"introduced": "0"}]}
    ]
    mixed = rec("X-2")
    mixed["affected"][0]["ranges"].insert(
        0, {"type": "GIT", "repo": "https://example.com/r", "events": [{"introduced": "abc"}]}
    )
    path = tmp_path / "osv.sqlite"
    res = import_records(path, [write_zip(tmp_path / "a.zip", [git_only, mixed])])
    assert res.git_only == 1
    db = open_db(path)
    assert [a.id for a in db.match("PyPI", "demo-pkg", "1.0")] == ["X-2"]
    ((rid, reason),) = db.unevaluated("pypi", "Demo_Pkg")
    assert rid == "X-1" and "GIT" in reason


def test_ranges_that_do_not_parse_are_reported(tmp_path: Path) -> None:
    doc = rec("X-1")
    doc["affected"][0]["ranges"][0]["events"] = [{"introduced": "0"}, {"fixed": "not@valid"}]
    db = db_with(tmp_path, [doc])
    assert db.match("PyPI", "demo-pkg", "1.0") == []
    ((rid, reason),) = db.unevaluated("PyPI", "demo-pkg")
    assert rid == "X-1" and "not@valid" in reason


def test_versions_list_last_affected_and_fixed_versions(tmp_path: Path) -> None:
    doc = rec("X-1", name="pkg", eco="npm")
    doc["affected"][0]["ranges"] = [
        {
            "type": "SEMVER",
            "events": [
                {"introduced": "1.0.0"},
                {"fixed": "1.4.2"},
                {"introduced": "2.0.0"},
                {"last_affected": "2.3.0"},
            ],
        },
        {"type": "SEMVER", "events": [{"introduced": "3.0.0-rc.1"}, {"fixed": "3.1.0"}]},
    ]
    doc["affected"][0]["versions"] = ["0.9.0"]
    db = db_with(tmp_path, [doc])
    affected = {
        v: bool(db.match("npm", "pkg", v))
        for v in [
            "0.8.0",
            "0.9.0",
            "1.0.0",
            "1.4.1",
            "1.4.2",
            "2.3.0",
            "2.3.1",
            "3.0.0-rc.1",
            "3.0.5",
            "3.1.0",
            "v1.2.0",
        ]
    }
    assert affected == {
        "0.8.0": False,
        "0.9.0": True,
        "1.0.0": True,
        "1.4.1": True,
        "1.4.2": False,
        "2.3.0": True,
        "2.3.1": False,
        "3.0.0-rc.1": True,
        "3.0.5": True,
        "3.1.0": False,
        "v1.2.0": True,
    }
    (adv,) = db.match("npm", "pkg", "1.2.0")
    assert adv.fixed_versions == ("1.4.2", "3.1.0")
    assert adv.smallest_fix_above("1.2.0") == "1.4.2"
    assert adv.smallest_fix_above("3.0.5") == "3.1.0"
    assert adv.smallest_fix_above("2.1.0") == "3.1.0"
    assert adv.affected_ranges[0] == ">=1.0.0, <1.4.2, >=2.0.0, <=2.3.0"


def test_pep440_equality_and_unparseable_versions(tmp_path: Path) -> None:
    doc = rec("X-1")
    doc["affected"][0]["ranges"] = []
    doc["affected"][0]["versions"] = ["3.2", "weird-build"]
    db = db_with(tmp_path, [doc])
    assert db.match("PyPI", "demo-pkg", "3.2.0")
    assert db.match("PyPI", "demo-pkg", "weird-build")
    assert not db.match("PyPI", "demo-pkg", "other-junk")
    assert db.version_problem("PyPI", "other-junk") is not None
    assert db.version_problem("pypi", "1.0") is None


def test_go_fixed_versions_carry_the_v_prefix(tmp_path: Path) -> None:
    doc = rec("GO-2024-1", name="golang.org/x/net", eco="Go")
    doc["affected"][0]["ranges"] = [
        {"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.17.0"}]}
    ]
    (adv,) = db_with(tmp_path, [doc]).match("go", "golang.org/x/net", "v0.0.0-20220101-abc")
    assert adv.fixed_versions == ("v0.17.0",)
    assert adv.smallest_fix_above("v0.1.0") == "v0.17.0"


def test_match_many_keys_are_the_inputs(sample_db: Path) -> None:
    db = open_db(sample_db)
    items = [("PyPI", "Nope_Not_There", "1.0"), ("pypi", "nope-not-there", "1.0")]
    out = db.match_many(items + items)
    assert set(out) == set(items) and all(v == [] for v in out.values())


# ----------------------------------------------------------------- data age


def test_data_age_from_newest_modified(tmp_path: Path) -> None:
    db = db_with(
        tmp_path,
        [rec("X-1", modified="2020-01-01T00:00:00Z"), rec("X-2", modified="2021-01-01T00:00:00Z")],
    )
    age = db.data_age_days()
    assert age is not None
    expected = (time.time() - 1609459200) / 86400
    assert abs(age - expected) < 1


def test_data_age_falls_back_to_import_time_for_zero_modified(tmp_path: Path) -> None:
    docs = [rec("GO-1", eco="Go", name="example.com/m", modified="0001-01-01T00:00:00Z")]
    docs.append(rec("PYSEC-1", modified="2020-01-01T00:00:00Z"))
    db = db_with(tmp_path, docs)
    go_age = db.data_age_days("Go")
    assert go_age is not None and go_age < 0.01
    overall = db.data_age_days()
    assert overall is not None and overall > 365  # the oldest ecosystem's age
    go = next(e for e in db.status().ecosystems if e.ecosystem == "Go")
    assert go.age_source == "import time"


def test_empty_database_has_no_age(tmp_path: Path) -> None:
    path = tmp_path / "osv.sqlite"
    empty = tmp_path / "empty"
    empty.mkdir()
    import_records(path, [empty])
    assert open_db(path).data_age_days() is None


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=200), suffix=st.sampled_from([".json", ".yaml", ".yml"]))
def test_decode_document_fuzz(raw: bytes, suffix: str) -> None:
    from pipesec.vulndb.store import decode_document

    with contextlib.suppress(RecordError):
        for doc in decode_document("x" + suffix, raw):
            with contextlib.suppress(RecordShapeError):
                parse_record(doc)


def test_concurrent_imports_both_land(tmp_path: Path) -> None:
    import threading

    path = tmp_path / "osv.sqlite"
    zips = [write_zip(tmp_path / f"{i}.zip", [rec(f"X-{i}", name=f"p{i}")]) for i in range(4)]
    threads = [threading.Thread(target=import_records, args=(path, [z])) for z in zips]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db = open_db(path)
    assert all(db.match("PyPI", f"p{i}", "1.0") for i in range(4))


def test_limit_events_bound_the_range(tmp_path: Path) -> None:
    doc = rec("X-1", name="pkg", eco="npm")
    doc["affected"][0]["ranges"] = [
        {"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "3.0.0"}, {"limit": "2.0.0"}]},
        {"type": "SEMVER", "events": [{"introduced": "5.0.0"}, {"limit": "*"}]},
    ]
    db = db_with(tmp_path, [doc])
    got = {v: bool(db.match("npm", "pkg", v)) for v in ["1.5.0", "2.0.0", "2.5.0", "5.1.0"]}
    assert got == {"1.5.0": True, "2.0.0": False, "2.5.0": False, "5.1.0": True}


def test_database_of_another_layout_names_the_rebuild(tmp_path: Path) -> None:
    from pipesec.vulndb.errors import DatabaseOutdatedError

    target = tmp_path / "osv.sqlite"
    import_records(target, [write_zip(tmp_path / "a.zip", [rec("X-1")])])
    conn = sqlite3.connect(target)
    conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseOutdatedError, match=r"another pipesec version.*db sync"):
        open_db(target)
    import_records(target, [write_zip(tmp_path / "b.zip", [rec("X-2")])])  # rebuilds
    assert [a.id for a in open_db(target).match("PyPI", "demo-pkg", "1.0")] == ["X-2"]
