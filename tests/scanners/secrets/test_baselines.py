"""Importing detect-secrets and gitleaks baselines through the core baseline mechanism."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.core import baseline as core_baseline
from pipesec.core.model import Finding, Location, Severity
from pipesec.scanners.secrets.baselines import import_detect_secrets, import_gitleaks_report

FIX = Path(__file__).parents[2] / "fixtures" / "secrets-compat"


def _f(rule: str, path: str, line: int) -> Finding:
    return Finding(
        rule,
        "secrets",
        "t",
        "m",
        Severity.HIGH,
        Location(path, line, 1),
        identity="hmac:x",
        fingerprint="fp",
    )


def test_detect_secrets_baseline() -> None:
    data = json.loads((FIX / "secrets.baseline").read_text())
    entries = import_detect_secrets(data)
    assert entries is not None and len(entries) == 3
    by_line = {(e.path, e.line): e for e in entries}
    assert by_line[("config/settings.py", 14)].rule == ""  # keyword plugin: any rule
    assert by_line[("config/settings.py", 21)].rule == "secrets/*aws*"
    assert ("deploy/legacy.sh", 3) in by_line  # Windows separators normalised
    assert all(e.source == "detect-secrets" for e in entries)


def test_gitleaks_report() -> None:
    data = json.loads((FIX / "gitleaks-report.json").read_text())
    entries = import_gitleaks_report(data)
    assert entries is not None
    assert [(e.path, e.line, e.rule) for e in entries] == [
        ("deploy/old.sh", 7, "secrets/*aws*"),
        ("src/settings.py", 12, ""),
    ]
    assert import_gitleaks_report([]) == []


def test_not_their_format() -> None:
    for doc in (
        {"format": "pipesec-baseline"},
        {"results": []},
        [1, 2],
        "x",
        None,
        [{"File": "a"}],
    ):
        assert import_detect_secrets(doc) is None
        assert import_gitleaks_report(doc) is None or doc == []
    assert import_detect_secrets([]) is None
    assert import_gitleaks_report({"results": {}}) is None


def test_through_the_core(tmp_path: Path) -> None:
    ds = core_baseline.load(FIX / "secrets.baseline")
    assert ds.source == "detect-secrets"
    assert ds.match(_f("secrets/aws-access-key-id", "config/settings.py", 21)) is not None
    assert ds.match(_f("secrets/github-pat", "config/settings.py", 21)) is None
    assert ds.match(_f("secrets/generic-password", "config/settings.py", 14)) is not None
    assert ds.match(_f("secrets/generic-password", "config/settings.py", 15)) is None
    gl = core_baseline.load(FIX / "gitleaks-report.json")
    assert gl.source == "gitleaks"
    assert gl.match(_f("secrets/generic-api-key", "src/settings.py", 12)) is not None


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "results",
                        "version",
                        "File",
                        "RuleID",
                        "StartLine",
                        "line_number",
                        "type",
                        "filename",
                        "x",
                    ]
                ),
                inner,
                max_size=5,
            )
        ),
        max_leaves=20,
    )
)
def test_importers_never_crash(doc: object) -> None:
    import_detect_secrets(doc)
    import_gitleaks_report(doc)


def test_rule_globs_name_real_rules() -> None:
    from fnmatch import fnmatchcase

    from pipesec.scanners.secrets.baselines import DETECT_SECRETS_TYPES, GITLEAKS_PREFIXES
    from pipesec.scanners.secrets.rules import all_rules

    ids = [r.id for r in all_rules()]
    for name, glob in [*DETECT_SECRETS_TYPES.items(), *GITLEAKS_PREFIXES.items()]:
        assert not glob or any(fnmatchcase(i, glob) for i in ids), (name, glob)
