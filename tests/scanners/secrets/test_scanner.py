"""The secrets scanner over a workspace: findings, redaction, streaming, bad input."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pipesec.core.fingerprints import secret_identity
from pipesec.core.model import Finding, ScanCount, ScanError, Severity
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.secrets import SecretsScanner
from pipesec.scanners.secrets.options import _PLAIN, Options, adapter, options_of
from pipesec.scanners.secrets.rules import all_rules

KEY = b"test-key"


def value_of(rule_id: str) -> str:
    ex = next(r for r in all_rules() if r.id == rule_id).to_rule().vulnerable_example
    return ex.split('"')[1]


def run(
    root: Path,
    *,
    max_file_size: int = 10_000_000,
    disabled: frozenset[str] = frozenset(),
    **options: object,
) -> list[object]:
    ws = Workspace(root, use_git=False, max_file_size=max_file_size)
    opts = adapter().dump_python(adapter().validate_python(options))
    settings = ScannerSettings(options=opts, fingerprint_key=KEY, disabled_rules=disabled)
    return list(SecretsScanner().scan(ws, settings))


def findings(items: list[object]) -> list[Finding]:
    return [i for i in items if isinstance(i, Finding)]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    gh = value_of("secrets/github-pat")
    aws = "AKIA" + "Q7ZT2M4XWJ3LRBNV"
    (tmp_path / "config.py").write_text(
        f'import os\n\nGITHUB_TOKEN = "{gh}"\nAWS_ACCESS_KEY_ID = "{aws}"\n'
    )
    (tmp_path / ".env").write_text("DEBUG=1\nDB_PASSWORD=Xq7vR2pLm9TzW4kN\n")
    fixtures = tmp_path / "tests" / "fixtures"
    fixtures.mkdir(parents=True)
    (fixtures / "fake.py").write_text(f'TOKEN = "{gh}"\n')
    (tmp_path / "package-lock.json").write_text(
        '{"password": "9f8e7d6c5b4a39281706f5e4d3c2b1a0"}\n'
    )
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01" + gh.encode())
    return tmp_path


def test_finds_and_redacts(repo: Path) -> None:
    items = run(repo)
    fs = findings(items)
    got = {(f.rule_id, f.location.path, f.location.start_line) for f in fs}
    assert got == {
        ("secrets/github-pat", "config.py", 3),
        ("secrets/aws-access-key-id", "config.py", 4),
        ("secrets/generic-password-unquoted", ".env", 2),
        # a fixture directory is the tree's own choice of path: scanned like any other
        ("secrets/github-pat", "tests/fixtures/fake.py", 1),
    }
    gh = value_of("secrets/github-pat")
    for f in fs:
        assert gh not in repr(f) and "Q7ZT2M4XWJ3LRBNV" not in repr(f)
        assert "Xq7vR2pLm9TzW4kN" not in repr(f)
        assert f.identity.startswith("hmac:")
        assert f.scanner == "secrets"
    pat = next(f for f in fs if f.location.path == "config.py" and f.rule_id.endswith("-pat"))
    assert pat.identity == secret_identity(gh, KEY)
    assert pat.location.start_column == 17
    assert pat.snippet.startswith('GITHUB_TOKEN = "ghp_')
    assert pat.severity is Severity.CRITICAL
    assert pat.properties["provider"] == "GitHub"


def test_disabled_rules_and_generic_switch(repo: Path) -> None:
    ids = {f.rule_id for f in findings(run(repo, disabled=frozenset({"secrets/github-pat"})))}
    assert "secrets/github-pat" not in ids and "secrets/aws-access-key-id" in ids
    ids = {f.rule_id for f in findings(run(repo, generic=False))}
    assert "secrets/generic-password-unquoted" not in ids


def test_test_paths_are_configurable(repo: Path) -> None:
    """The operator's ``test-paths`` skip files; none are skipped by default."""
    fs = findings(run(repo, **{"test-paths": ["**/tests/fixtures/**"]}))
    assert fs and not any(f.location.path == "tests/fixtures/fake.py" for f in fs)


def test_large_file_streamed_with_exact_lines(tmp_path: Path) -> None:
    gh = value_of("secrets/github-pat")
    line = "const x = 'lorem ipsum dolor sit amet';\n"
    body = line * 250_000 + f'token = "{gh}"\n' + line * 1000
    (tmp_path / "bundle.js").write_text(body)
    items = run(tmp_path, max_file_size=1_000_000)
    [f] = findings(items)
    assert f.rule_id == "secrets/github-pat"
    assert f.location.start_line == 250_001 and f.location.start_column == 10
    assert gh not in f.snippet and f.snippet.startswith('token = "ghp_')


def test_file_over_scanner_limit_is_an_error(tmp_path: Path) -> None:
    """Fail closed: a secret must not hide in a file made bigger than the limit."""
    (tmp_path / "huge.txt").write_text("x" * 5000)
    items = run(tmp_path, max_file_size=1000, **{"max-file-size": 2000})
    assert any(isinstance(i, ScanError) and i.path == "huge.txt" for i in items)


def test_bad_input_never_crashes(tmp_path: Path) -> None:
    gh = value_of("secrets/github-pat")
    (tmp_path / "crlf.ini").write_bytes(b"[a]\r\ntoken = " + gh.encode() + b"\r\n")
    (tmp_path / "latin1.txt").write_bytes(b"caf\xe9 " + gh.encode() + b"\n")
    (tmp_path / "empty").write_bytes(b"")
    unreadable = tmp_path / "secret.cfg"
    unreadable.write_text("x")
    unreadable.chmod(0)
    try:
        items = run(tmp_path)
    finally:
        unreadable.chmod(0o644)
    fs = findings(items)
    assert {f.location.path for f in fs} >= {"crlf.ini", "latin1.txt"}
    crlf = next(f for f in fs if f.location.path == "crlf.ini")
    assert crlf.location.start_line == 2 and "\r" not in crlf.snippet
    errors = [i for i in items if isinstance(i, ScanError)]
    import os

    if os.geteuid() != 0:
        assert [e.path for e in errors] == ["secret.cfg"]


def test_rules_are_core_rules() -> None:
    rules = SecretsScanner().rules()
    assert len(rules) >= 300
    assert all(r.id.startswith("secrets/") and r.vulnerable_example for r in rules)


def test_inline_ignores_after_the_unmarked_shortcut(tmp_path: Path) -> None:
    """Files the scanner saw without a marker are not re-read by the suppression pass; a
    marker in any case still suppresses, through the whole runner."""
    from pipesec.core.runner import ScanOptions, scan

    gh = value_of("secrets/github-pat")
    (tmp_path / "plain.py").write_text(f'TOKEN = "{gh}"\n')
    (tmp_path / "lower.py").write_text(
        f'TOKEN = "{gh}"  # pipesec:ignore[secrets/github-pat] rotated, test account\n'
    )
    (tmp_path / "upper.py").write_text(
        f'# PIPESEC:IGNORE[SECRETS/GITHUB-PAT] vendored sample\nTOKEN = "{gh}"\n'
    )
    report = scan(ScanOptions(path=tmp_path, scanners=["secrets"]))
    assert [f.location.path for f in report.findings] == ["plain.py"]
    assert sorted(s.finding.location.path for s in report.suppressed) == ["lower.py", "upper.py"]

    ws = Workspace(tmp_path, use_git=False)
    list(SecretsScanner().scan(ws, ScannerSettings(options={}, fingerprint_key=KEY)))
    assert ws.unmarked == {"plain.py"}  # the marked files are left to the suppression pass


def test_scan_reports_how_many_files_it_read(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.txt").write_text("hello\n")
    (tmp_path / "c.bin").write_bytes(b"\x00\x01\x02" * 100)
    items = list(
        SecretsScanner().scan(
            Workspace(tmp_path, use_git=False), ScannerSettings(options={}, fingerprint_key=b"k")
        )
    )
    assert [i.files for i in items if isinstance(i, ScanCount)] == [2]


def test_binary_pkcs12_keystore_is_reported_by_name(tmp_path: Path) -> None:
    """A binary .p12/.pfx keystore is read (as base64) by secrets/pkcs12-file; the same
    bytes under another name stay a skipped binary file, and a DER file that is not a
    PKCS#12 (no version 3) is reported at low confidence only."""
    der = bytes([0x30, 0x82, 0x0A, 0x1C, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0xE2, 0x00])
    der += bytes(range(256)) * 4
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "client.p12").write_bytes(der)
    (tmp_path / "certs" / "Server.PFX").write_bytes(der)
    (tmp_path / "certs" / "client.bin").write_bytes(der)
    (tmp_path / "certs" / "other.p12").write_bytes(b"\x30\x82\x01\x00\x02\x01\x01\x00" * 40)
    found = findings(run(tmp_path))
    got = {(f.location.path, f.rule_id, f.confidence.value) for f in found}
    assert got == {
        ("certs/client.p12", "secrets/pkcs12-file", "high"),
        ("certs/Server.PFX", "secrets/pkcs12-file", "high"),
        ("certs/other.p12", "secrets/pkcs12-file", "low"),
    }
    assert all(len(f.snippet) < 20 for f in found)  # the keystore's bytes are never shown


def test_options_taken_as_they_are_are_the_fields_with_their_defaults() -> None:
    """``options_of`` checks each field (a field added without a check fails here); the
    validator's defaults are the dataclass's; the keys are kebab-case."""
    assert list(_PLAIN) == [f.name for f in dataclasses.fields(Options)]
    assert adapter().dump_python(adapter().validate_python({})) == dataclasses.asdict(Options())
    keys = adapter().json_schema(by_alias=True)["properties"]
    assert list(keys) == [n.replace("_", "-") for n in _PLAIN]


_VALUES = {
    "max_file_size": st.integers(min_value=-3, max_value=2**40) | st.booleans() | st.text(),
    "test_paths": st.lists(st.text(max_size=5) | st.integers()) | st.tuples(st.text()),
    "generic": st.booleans() | st.integers(0, 2) | st.sampled_from(["yes", "false"]),
    "use_hyperscan": st.none() | st.booleans() | st.sampled_from(["true", 0]),
    "fail_only_verified": st.booleans() | st.none(),
}


@settings(max_examples=300, deadline=None)
@given(
    chosen=st.dictionaries(
        st.sampled_from(sorted(_VALUES)), st.sampled_from(["name", "kebab", "mixed"]), max_size=5
    ),
    data=st.data(),
)
def test_options_of_equals_the_validator(chosen: dict[str, str], data: st.DataObject) -> None:
    """Whatever the options, ``options_of`` gives the validator's values, or its error
    (``max-file_size``, neither the name nor the key, is one)."""
    options: dict[str, object] = {}
    for name, spelling in chosen.items():
        key = {"name": name, "kebab": name.replace("_", "-"), "mixed": name.replace("_", "-", 1)}
        options[key[spelling]] = data.draw(_VALUES[name])
    try:
        expected = adapter().validate_python(options)
    except ValidationError:
        with pytest.raises(ValidationError):
            options_of(options)
        return
    assert options_of(options) == expected


def test_plain_options_are_taken_without_pydantic() -> None:
    """What the command hands over (no options, or options validated already) never imports
    pydantic in the scan (start-up); the dataclass is the one definition of the options."""
    code = (
        "import sys\n"
        "from pipesec.scanners.secrets.options import options_of\n"
        "a = options_of({})\n"
        "b = options_of({'max_file_size': 5, 'test_paths': ['x/**'], 'generic': False,\n"
        "                'use_hyperscan': None, 'fail_only_verified': True})\n"
        "print('pydantic' in sys.modules, a.generic, b.generic, b.test_paths)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "False", "['x/**']"], out.stdout
