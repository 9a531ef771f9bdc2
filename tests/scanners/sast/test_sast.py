from __future__ import annotations

from pathlib import Path

from pipesec.core.model import Finding, ScanError, Severity
from pipesec.core.runner import ScanOptions, scan
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.sast import SastScanner, is_test_file, nosec_comments

FIXTURE = Path(__file__).parents[2] / "fixtures" / "sast" / "app"


def _items() -> list:  # type: ignore[type-arg]
    return list(SastScanner().scan(Workspace(FIXTURE, use_git=False), ScannerSettings()))


def test_findings_mapped() -> None:
    items = _items()
    found = {(f.rule_id, f.location.start_line): f for f in items if isinstance(f, Finding)}
    shell = found[("bandit/B602", 14)]
    assert shell.severity is Severity.HIGH and shell.cwe == ("CWE-78",)
    assert shell.scanner == "sast" and shell.location.path == "views.py"
    assert ("bandit/B506", 19) in found
    assert ("bandit/B201", 27) in found
    assert ("bandit/B104", 27) in found


def test_password_redacted() -> None:
    secret = [f for f in _items() if isinstance(f, Finding) and f.rule_id == "bandit/B105"]
    assert secret
    assert "flask-dev-secret-123" not in secret[0].snippet
    assert "flask-dev-secret-123" not in secret[0].message


def test_nosec_reported_as_suppressed() -> None:
    md5 = [f for f in _items() if isinstance(f, Finding) and f.rule_id == "bandit/B324"]
    assert md5 and "not used for security" in md5[0].properties["suppressed"]
    report = scan(ScanOptions(path=FIXTURE, scanners=["sast"]))
    assert any(s.finding.rule_id == "bandit/B324" for s in report.suppressed)
    assert not any(f.rule_id == "bandit/B324" for f in report.findings)


def test_syntax_error_is_a_scan_error_and_scan_goes_on() -> None:
    items = _items()
    errs = [i for i in items if isinstance(i, ScanError)]
    assert [(e.path, e.line) for e in errs] == [("py2.py", 1)]
    assert any(isinstance(i, Finding) for i in items)


def test_nosec_parsing() -> None:
    src = b"a = 1  # nosec\nb = 2  # nosec: B105, B106\nc = 3  # nosec hardcoded_password_string\n"
    got = nosec_comments(src)
    assert got[1][0] is None
    assert got[2][0] == {"B105", "B106"}
    assert got[3][0] == {"B105"}


def test_rules_cover_bandit_tests() -> None:
    ids = {r.id for r in SastScanner().rules()}
    assert {"bandit/B105", "bandit/B602", "bandit/B301", "bandit/B403"} <= ids


def test_asserts_in_tests_not_reported() -> None:
    assert is_test_file("tests/test_x.py") and is_test_file("pkg/conftest.py")
    assert not is_test_file("src/app.py")


def test_ruff_noqa_bandit_codes_count_as_nosec() -> None:
    got = nosec_comments(b"x = 1  # noqa: S301 - our own child process\ny = 2  # noqa: E501\n")
    assert got[1][0] == {"B301"} and "our own child process" in got[1][1]
    assert 2 not in got


def test_virtualenvs_are_not_scanned(tmp_path: Path) -> None:
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / ".venv" / "lib" / "x.py").write_text("eval('1')\n")
    (tmp_path / "app.py").write_text("eval('1')\n")
    items = list(SastScanner().scan(Workspace(tmp_path, use_git=False), ScannerSettings()))
    assert {i.location.path for i in items if isinstance(i, Finding)} == {"app.py"}


def test_password_redaction_masks_only_the_secret_span() -> None:
    from pipesec.scanners.sast import _manager, scan_source

    value = "a" + "pass"  # a short password that shares letters with the message
    src = f'password = "{value}"\nlogin(password="{value}")\n'.encode()
    found = [f for f in scan_source(_manager(), "app.py", src) if isinstance(f, Finding)]
    assert {f.rule_id for f in found} == {"bandit/B105", "bandit/B106"}
    for f in found:
        assert f.message.startswith("Possible hardcoded password: '")  # not "h*****rdcoded"
        assert value not in f.message and value not in f.snippet
        assert f.snippet.startswith(("password = ", "login(password="))


def test_rule_severity_is_the_reported_severity() -> None:
    from pipesec.scanners.sast import bandit_rules

    rules = {r.id: r for r in bandit_rules()}
    assert rules["bandit/B105"].severity is Severity.LOW
    assert rules["bandit/B201"].severity is Severity.HIGH
    assert rules["bandit/B602"].severity is Severity.HIGH  # low or high: the highest
    assert "low or high" in rules["bandit/B602"].rationale
    for f in _items():
        if isinstance(f, Finding) and "depending on the call" not in rules[f.rule_id].rationale:
            assert f.severity is rules[f.rule_id].severity, f.rule_id


def _scan_src(src: str, path: str = "app.py") -> list:  # type: ignore[type-arg]
    from pipesec.scanners.sast import _manager, scan_source

    return list(scan_source(_manager(), path, src.encode()))


def test_newer_python_syntax_is_a_note_not_an_error() -> None:
    import sys

    from pipesec.core.model import Note

    for src in (
        "def first[T](xs: list[T]) -> T:\n    return xs[0]\n",
        "class Box[T]:\n    pass\n",
        "type Alias = int | str\n",
        'x = [1]\ny = f"{", ".join(map(str, x))}"\n',  # PEP 701 nested quotes
    ):
        items = _scan_src(src)
        if sys.version_info >= (3, 12):
            assert not any(isinstance(i, (ScanError, Note)) for i in items)
            continue
        assert [type(i) for i in items] == [Note], src
        assert "newer syntax" in items[0].message and items[0].kind == "unsupported"
    # a real syntax error stays an error: the input is broken, whatever the Python
    (err,) = _scan_src("print 'python 2'\n")
    assert isinstance(err, ScanError) and err.line == 1


def test_calibrated_severities_match_the_rules_list() -> None:
    from pipesec.scanners.sast import bandit_rules

    rules = {r.id: r for r in bandit_rules()}
    (md5,) = [f for f in _scan_src("import hashlib\nhashlib.md5(b'x')\n") if isinstance(f, Finding)]
    assert md5.rule_id == "bandit/B324" and md5.severity is Severity.MEDIUM
    assert rules["bandit/B324"].severity is Severity.MEDIUM
    assert "checksums" in rules["bandit/B324"].rationale
    assert rules["bandit/B411"].severity is Severity.MEDIUM
    assert rules["bandit/B701"].severity is Severity.MEDIUM


def test_bidi_marks_alone_are_low_but_controls_stay_high() -> None:
    rlm, rlo = "\u200f", "\u202e"
    locale = f'DATE_FORMAT = "j F{rlm}، Y"\n'
    (mark,) = [f for f in _scan_src(locale) if isinstance(f, Finding)]
    assert mark.rule_id == "bandit/B613" and mark.severity is Severity.LOW
    # bandit names only the first character it meets: a later override keeps it high
    trojan = locale + f'access = "user{rlo} {rlo}# admin"\n'
    (found,) = [f for f in _scan_src(trojan) if isinstance(f, Finding)]
    assert found.rule_id == "bandit/B613" and found.severity is Severity.HIGH


def test_tar_extraction_through_a_filter_is_low() -> None:
    head = "import tarfile\ntar = tarfile.open('a.tar')\n"
    (plain,) = [f for f in _scan_src(head + "tar.extractall('out')\n") if isinstance(f, Finding)]
    assert plain.rule_id == "bandit/B202" and plain.severity is Severity.HIGH
    src = head + "tar.extractall(\n    'out',\n    filter=my_filter,\n)\n"
    (filtered,) = [f for f in _scan_src(src) if isinstance(f, Finding)]
    assert filtered.severity is Severity.LOW
    assert not [f for f in _scan_src(head + "tar.extractall('o', filter='data')\n")]


def test_an_address_compared_is_not_a_bind() -> None:
    """bandit's B104 reports every "0.0.0.0" literal; a comparison checks an address, it
    binds nothing (session 18: cloud-init's ``name == "0.0.0.0"``, ufw's
    ``orig_host == "0.0.0.0"``, patroni's ``host in ["127.0.0.1", "0.0.0.0", …]``)."""
    (bind,) = [f for f in _scan_src("HOST = '0.0.0.0'\n") if isinstance(f, Finding)]
    assert bind.rule_id == "bandit/B104" and bind.severity is Severity.MEDIUM
    for src in (
        "if not name or name == '0.0.0.0':\n    name = None\n",
        "ok = host != '0.0.0.0'\n",
        "if host in ['127.0.0.1', '0.0.0.0', '*']:\n    raise ValueError(host)\n",
        "if '0.0.0.0' in (a, b):\n    pass\n",
    ):
        (found,) = [f for f in _scan_src(src) if isinstance(f, Finding)]
        assert found.rule_id == "bandit/B104" and found.severity is Severity.LOW, src
    # a bind next to a comparison on the same line keeps its severity
    src = "srv.bind(('0.0.0.0', 80)) if port == 80 else None\n"
    (found,) = [f for f in _scan_src(src) if isinstance(f, Finding)]
    assert found.severity is Severity.MEDIUM
