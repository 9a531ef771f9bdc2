"""gitleaks compatibility: RE2 translation, TOML configuration, allowlists, .gitleaksignore."""

from __future__ import annotations

import contextlib
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.core.model import Finding, Location, Note, ScanError, Severity
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.gitleaks import (
    GitleaksCompat,
    Re2Error,
    convert_re2,
    load_file,
    load_text,
    parse_ignore,
)

FIX = Path(__file__).parents[2] / "fixtures" / "secrets-compat"
R = random.Random(7)
LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789"


def rnd(charset: str, n: int) -> str:
    return "".join(R.choice(charset) for _ in range(n))


def acme(kind: str = "live") -> str:
    return "acme" + "_" + kind + "_" + rnd(LOWER_DIGITS, 32)


# -- RE2 -> Python ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("re2", "matches", "rejects"),
    [
        (r"\.(?i)(?:bin|css)$", ["x.BIN", "a.css"], ["X.BIN.txt"]),
        (r"a(?i)b|c", ["aB", "C", "c"], ["AB"]),
        (r"(x(?i)y|z)w", ["xYw", "Zw"], ["XYw"]),
        (r"[[:alnum:]_-]{4}", ["a_-9"], ["a.b!"]),
        (r"[[:xdigit:]]{4}", ["09aF"], ["09aG"]),
        (r"\Qa.b\E", ["a.b"], ["axb"]),
        (r"x{,3}", ["x{,3}"], ["xx"]),
        (r"(?<name>ab)", ["ab"], ["ba"]),
        (r"[a[b]", ["[", "a"], ["c"]),
        (r"foo\z", ["foo"], ["foo\n"]),
        (r"\x{41}+", ["AAA"], ["B"]),
        (r"\pL+", ["abcé"], ["12"]),
        (r"(?i:ab)(?s)c.", ["ABc\n"], ["ABC\n"]),
        (r"(?i)token", ["TOKEN"], ["tokn"]),
        (r"[a-c--]", ["-", "b"], ["d"]),
    ],
)
def test_convert_re2(re2: str, matches: list[str], rejects: list[str]) -> None:
    pattern = re.compile(convert_re2(re2))
    for s in matches:
        assert pattern.search(s), (re2, s)
    for s in rejects:
        assert not pattern.search(s), (re2, s)


@pytest.mark.parametrize(
    "bad",
    [r"(?U)a+", r"\C", r"\p{Greek}", "(a", "a)", "[a", "\\", r"(\b|\D)*", r"(x?)+", r"(?:a*)*"],
)
def test_convert_re2_unsupported(bad: str) -> None:
    with pytest.raises(Re2Error):
        convert_re2(bad)


def test_repeated_groups_that_cannot_be_empty_are_kept() -> None:
    # RE2 and Python differ only when an iteration matches the empty string
    # (found by the property test below: (\b|\D)* on ".A" is "." in RE2, ".A" in Python)
    for ok in [r"(?:[a-z0-9_-]*\.)*x", r"(a|b)*", r"(?:\s*,\s*[0-9]+)+", r"a{0,3}"]:
        assert re.compile(convert_re2(ok))


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab()[]{},|?*+\\:^$-.iszQEpLx0123456789<>=!PU")), max_size=30
    )
)
def test_convert_re2_never_crashes(pattern: str) -> None:
    try:
        converted = convert_re2(pattern)
    except Re2Error:
        return
    with contextlib.suppress(re.error):  # an invalid RE2 pattern stays invalid
        re.compile(converted)


# -- the configuration ------------------------------------------------------------------


def test_load_fixture_config() -> None:
    cfg = load_file(FIX / "gitleaks.toml")
    ids = {r.id for r in cfg.rules}
    assert ids == {
        "gitleaks/acme-internal-token",
        "gitleaks/acme-db-password",
        "gitleaks/acme-two-groups",
    }
    assert [r.id for r in cfg.path_rules] == ["gitleaks/pkcs12-file"]
    db = next(r for r in cfg.rules if r.id == "gitleaks/acme-db-password")
    assert db.secret_group == 1 and db.entropy == 3.0 and db.path_regex
    assert db.keywords == ("db_pass", "database_pass")
    token = next(r for r in cfg.rules if r.id == "gitleaks/acme-internal-token")
    assert token.secret_group == 1  # one group and no secretGroup: gitleaks uses it
    assert "gitleaks/acme-two-groups" in cfg.first_group
    assert len(cfg.allowlists) == 1
    assert len(cfg.rule_allowlists["gitleaks/acme-internal-token"]) == 1
    assert not [p for p in cfg.problems if isinstance(p, ScanError)]
    notes = [p for p in cfg.problems if isinstance(p, Note)]
    assert any("generic-api-key" in n.message for n in notes)
    for r in cfg.rules:
        r.to_rule()  # a valid core Rule


def _scan(compat: GitleaksCompat, text: str, path: str, commit: str | None = None) -> list[str]:
    engine = SecretEngine(compat.rules, use_hyperscan=False)
    if compat.path_allowed(path, commit):
        return []
    found = compat.filter(engine.scan_text(text, path=path), text, path, commit)
    return [f"{m.rule.id}:{m.line}:{m.value}" for m in found]


def test_rules_allowlists_and_groups() -> None:
    compat = GitleaksCompat(load_file(FIX / "gitleaks.toml"))
    live, test_tok = acme("live"), acme("test")
    text = f"a = '{live}'\nb = '{test_tok}'\nc = '{acme('live')}'  # not secret\n"
    assert _scan(compat, text, "app.py") == [f"gitleaks/acme-internal-token:1:{live}"]
    # the global path allowlist skips vendor/ whole
    assert _scan(compat, text, "vendor/lib/app.py") == []
    pw = "Zq8" + rnd(LOWER_DIGITS, 12)
    conf = f'db_password: "{pw}"\ndatabase_pass = "changeme-now"\ndb_pass="aaaaaaaaaa"\n'
    # path filter: only config files; stopword and entropy filters
    assert _scan(compat, conf, "deploy/app.YAML") == [f"gitleaks/acme-db-password:1:{pw}"]
    assert _scan(compat, conf, "deploy/app.py") == []
    key = rnd("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20)
    two = f"x\nlegacy_key='{key}'\n"
    assert _scan(compat, two, "a.sh") == [f"gitleaks/acme-two-groups:2:{key}"]


def test_new_allowlists_and_conditions() -> None:
    compat = GitleaksCompat(load_file(FIX / "gitleaks-new-allowlists.toml"))
    zeros = "acme" + "_live_" + "0" * 8 + rnd(LOWER_DIGITS, 24)
    other = acme("live")
    text = f"{zeros}\n{other}\n"
    # AND: both the path and the match regex must hold
    assert _scan(compat, text, "docs/samples/a.md") == [f"gitleaks/acme-internal-token:2:{other}"]
    assert len(_scan(compat, text, "src/a.md")) == 2
    # targetRules + commits: allowed in that commit only (and by prefix)
    commit = "1234567890abcdef1234567890abcdef12345678"
    assert _scan(compat, text, "src/a.md", commit) == []
    assert len(_scan(compat, text, "src/a.md", "f" * 40)) == 2


def test_invalid_config_reports_and_keeps_the_rest() -> None:
    text = """
[[rules]]
id = "good"
regex = '''good_[0-9]{8}'''

[[rules]]
id = "bad-regex"
regex = '''(?U)lazy+'''

[[rules]]
id = "bad group"
regex = '''x'''

[[rules]]
id = "too-many"
regex = '''(a)'''
secretGroup = 3
"""
    cfg = load_text(text, ".gitleaks.toml")
    assert [r.id for r in cfg.rules] == ["gitleaks/good"]
    errors = [p for p in cfg.problems if isinstance(p, ScanError)]
    assert len(errors) == 3
    bad = next(e for e in errors if "bad-regex" in e.message)
    assert bad.path == ".gitleaks.toml" and bad.line == 7


def test_invalid_toml_is_one_error() -> None:
    cfg = load_text("[[rules]\nid = 1\n", ".gitleaks.toml")
    assert not cfg.rules
    (err,) = cfg.problems
    assert isinstance(err, ScanError) and "invalid TOML" in err.message and err.line == 1


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_loader_never_crashes(text: str) -> None:
    load_text(text, "x.toml")


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["id", "regex", "secretGroup", "entropy", "keywords", "path", "allowlist"]),
        st.one_of(
            st.integers(-2, 5),
            st.text(max_size=10),
            st.lists(st.text(max_size=5), max_size=3),
            st.floats(allow_nan=False),
        ),
    )
)
def test_loader_tolerates_any_rule_shape(rule: dict[str, object]) -> None:
    import json

    lines = ["[[rules]]"] + [f"{k} = {json.dumps(v)}" for k, v in rule.items()]
    load_text("\n".join(lines), "x.toml")


def test_extend_path_stays_inside_root(tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text(
        "[[rules]]\nid = 'base-rule'\nregex = '''base_[0-9]{6}'''\n"
    )
    (tmp_path / ".gitleaks.toml").write_text("[extend]\npath = 'base.toml'\n")
    compat = GitleaksCompat.load(tmp_path)
    assert [r.id for r in compat.rules] == ["gitleaks/base-rule"]
    (tmp_path / ".gitleaks.toml").write_text("[extend]\npath = '../outside.toml'\n")
    compat = GitleaksCompat.load(tmp_path)
    assert not compat.rules
    assert any("outside the scanned tree" in p.message for p in compat.problems)


def test_explicit_config_wins(tmp_path: Path) -> None:
    (tmp_path / ".gitleaks.toml").write_text("[[rules]]\nid = 'root'\nregex = 'r[0-9]{9}'\n")
    compat = GitleaksCompat.load(tmp_path, str(FIX / "gitleaks-new-allowlists.toml"))
    assert [r.id for r in compat.rules] == ["gitleaks/acme-internal-token"]


# -- .gitleaksignore and gitleaks:allow ---------------------------------------------------


def _f(rule: str, path: str, line: int, commit: str | None = None) -> Finding:
    return Finding(
        rule,
        "secrets",
        "t",
        "m",
        Severity.HIGH,
        Location(path, line, 1, commit=commit),
        identity="hmac:x",
    )


def test_gitleaksignore() -> None:
    entries = parse_ignore((FIX / "gitleaksignore").read_text())
    assert len(entries) == 3
    assert entries[1].path == "src/settings.py"
    assert entries[2].commit.startswith("1234567") and entries[2].path == "deploy/old.sh"
    compat = GitleaksCompat(load_file(FIX / "gitleaks.toml"), entries)
    # the configuration's own rule: matched by its gitleaks id
    assert compat.mark(_f("gitleaks/acme-internal-token", "config/app.env", 3)).properties[
        "suppressed"
    ]
    assert not compat.mark(_f("secrets/github-pat", "config/app.env", 3)).properties.get(
        "suppressed"
    )
    # a gitleaks default rule: any built-in rule at that file and line
    assert compat.mark(_f("secrets/generic-api-key", "src/settings.py", 12)).properties[
        "suppressed"
    ]
    assert not compat.mark(_f("secrets/generic-api-key", "src/settings.py", 13)).properties.get(
        "suppressed"
    )
    # commit form: only that commit's finding
    commit = "1234567890abcdef1234567890abcdef12345678"
    assert compat.mark(_f("secrets/aws-access-key-id", "deploy/old.sh", 7, commit)).properties[
        "suppressed"
    ]
    assert not compat.mark(
        _f("secrets/aws-access-key-id", "deploy/old.sh", 7, "e" * 40)
    ).properties.get("suppressed")
    assert not compat.mark(_f("secrets/aws-access-key-id", "deploy/old.sh", 7)).properties.get(
        "suppressed"
    )


def test_gitleaks_allow_comment_in_history() -> None:
    # in the working tree the core reads gitleaks:allow as a peer marker (real comments
    # only); a finding of the history has no file to read, so the scanner marks it
    compat = GitleaksCompat()
    commit = "1234567890abcdef1234567890abcdef12345678"
    f = compat.mark(_f("secrets/x", "a.py", 1, commit), 'token = "..."  # gitleaks:allow')
    assert f.properties["suppressed"].startswith("peer: gitleaks")
    f = compat.mark(_f("secrets/x", "a.py", 1), 'token = "..."  # gitleaks:allow')
    assert not f.properties.get("suppressed")


def test_path_only_rule() -> None:
    compat = GitleaksCompat(load_file(FIX / "gitleaks.toml"))
    (f,) = compat.path_findings("certs/prod.P12")
    assert f.rule_id == "gitleaks/pkcs12-file" and f.location.path == "certs/prod.P12"
    assert compat.path_findings("certs/prod.pem") == []


def test_no_files_means_inactive(tmp_path: Path) -> None:
    compat = GitleaksCompat.load(tmp_path)
    assert not compat.active() and not compat.rules and not compat.problems


# -- end to end: a repository that used gitleaks ---------------------------------------------


def no_hyperscan(root: Path, extra: str = "") -> None:
    """Unit tests use the pure-Python engine path (no Hyperscan database compile per test)."""
    (root / ".pipesec.toml").write_text("[scanners.secrets]\nuse-hyperscan = false\n" + extra)


def _cli(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    import json

    from typer.testing import CliRunner

    from pipesec.cli.main import app

    result = CliRunner().invoke(app, [*args, "--no-step-summary", "-f", "json"])
    assert result.exit_code in (0, 1, 3), result.stdout + result.stderr
    return result.exit_code, json.loads(result.stdout)


def _example(rule_id: str) -> str:
    from pipesec.scanners.secrets.rules import all_rules

    rule = next(r for r in all_rules() if r.id == rule_id)
    assert rule.example is not None
    return rule.example()


def test_cli_repository_with_gitleaks_files(tmp_path: Path) -> None:
    import shutil

    shutil.copy(FIX / "gitleaks.toml", tmp_path / ".gitleaks.toml")
    gh = _example("secrets/github-pat").strip()
    (tmp_path / "app.py").write_text(f"x = 1\ntoken = '{acme()}'\n{gh}\n")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "lib.py").write_text(f"{gh}\n")
    (tmp_path / "allowed.py").write_text(f"{gh}  # gitleaks:allow\n")
    (tmp_path / "cert.p12").write_text("not really a keystore\n")
    (tmp_path / ".gitleaksignore").write_text("app.py:github-pat:3\n")
    no_hyperscan(tmp_path)
    code, doc = _cli("scan", str(tmp_path), "-s", "secrets")
    found = sorted(
        (f["rule_id"], f["location"]["path"], f["location"]["start_line"]) for f in doc["findings"]
    )
    assert found == [
        ("gitleaks/acme-internal-token", "app.py", 2),
        ("gitleaks/pkcs12-file", "cert.p12", 0),
    ]
    suppressed = {(s["finding"]["location"]["path"], s["justification"]) for s in doc["suppressed"]}
    assert ("app.py", "listed in .gitleaksignore") in suppressed
    assert ("allowed.py", "peer: gitleaks") in suppressed
    # the allowlisted vendor path is shown as suppressed, never dropped silently
    assert any(p == "vendor/lib.py" and "allowlist" in j for p, j in suppressed)
    assert code == 1


def test_cli_gitleaks_config_option_and_errors(tmp_path: Path) -> None:
    cfg = tmp_path / "rules.toml"
    cfg.write_text("[[rules]]\nid = 'broken'\nregex = '''(?U)x+'''\n")
    (tmp_path / "a.txt").write_text("hello\n")
    no_hyperscan(tmp_path)
    code, doc = _cli("scan", str(tmp_path), "-s", "secrets", "--gitleaks-config", str(cfg))
    (err,) = doc["errors"]
    assert "broken" in err["message"] and err["line"] == 2
    assert code == 3  # an unusable rule fails closed


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_gitleaksignore_parser_never_crashes(text: str) -> None:
    for e in parse_ignore(text):
        assert e.line >= 0 and ":" not in e.rule


@settings(max_examples=100, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_characters="\n\r:", blacklist_categories=("Cs",)),
        min_size=1,
        max_size=20,
    ).filter(lambda s: s.strip() and not s.strip().startswith("#")),
    st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True),
    st.integers(1, 10**6),
)
def test_gitleaksignore_roundtrip(path: str, rule: str, line: int) -> None:
    (e,) = parse_ignore(f"{path}:{rule}:{line}\n")
    assert (e.rule, e.line) == (rule, line)


# -- differential test: RE2 itself against the translation ------------------------------------

re2 = pytest.importorskip("re2")

_ATOMS = st.sampled_from(
    [
        "a",
        "b",
        "A",
        "0",
        "_",
        "-",
        " ",
        ".",
        "\\d",
        "\\w",
        "\\s",
        "\\D",
        "\\W",
        "\\S",
        "\\b",
        "^",
        "$",
        "\\z",
        "[a-c]",
        "[^ab]",
        "[[:digit:]]",
        "[[:alpha:]_]",
        "[[:space:]]",
        "[\\d\\s]",
        "[\\s\\S]",
        "[^\\w\\W]",
        "[\\x{41}-\\x{43}]",
        "[a[]",
        "\\Qa.\\E",
        "\\x{41}",
        "x{,2}",
        "\\n",
    ]
)


def _pattern() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, inner).map("".join),
            st.tuples(inner, inner).map("|".join),
            inner.map(lambda p: f"({p})"),
            inner.map(lambda p: f"(?:{p})"),
            inner.map(lambda p: f"(?i:{p})"),
            st.tuples(st.sampled_from(["(?i)", "(?m)", "(?s)", "(?-i)", "(?im)"]), inner).map(
                "".join
            ),
            st.tuples(inner, st.sampled_from(["*", "+", "?", "{1,2}", "{2}", "*?"])).map("".join),
        )

    return st.recursive(_ATOMS, extend, max_leaves=8)


@settings(max_examples=400, deadline=None)
@given(_pattern(), st.text(alphabet="abAB0_- .\n\t\x0b{},x", max_size=12))
def test_translation_matches_re2(pattern: str, text: str) -> None:
    opts = re2.Options()
    opts.log_errors = False
    try:
        theirs = re2.compile(pattern, options=opts)
    except re2.error:
        return  # not a valid RE2 pattern: nothing to compare
    try:
        ours = re.compile(convert_re2(pattern))
    except (Re2Error, re.error):
        return  # reported as unusable by the loader (e.g. RE2 allows "\b*", Python does not)
    a, b = theirs.search(text), ours.search(text)
    assert (a.span() if a else None) == (b.span() if b else None), (
        pattern,
        convert_re2(pattern),
        text,
    )


def test_cli_history_applies_path_rules(tmp_path: Path) -> None:
    import shutil
    import subprocess

    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    shutil.copy(FIX / "gitleaks.toml", repo / ".gitleaks.toml")
    (repo / "prod.p12").write_text("keystore\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "a"], cwd=repo, check=True
    )
    subprocess.run(["git", "rm", "-q", "prod.p12"], cwd=repo, check=True)
    subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "b"], cwd=repo, check=True
    )
    no_hyperscan(repo)
    code, doc = _cli("scan", str(repo), "-s", "secrets", "--history")
    (f,) = doc["findings"]
    assert code == 1
    assert f["rule_id"] == "gitleaks/pkcs12-file" and f["location"]["commit"]
    assert f["properties"]["author"]


def test_engine_with_gitleaks_rules_keeps_the_built_in_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a gitleaks configuration's rules (and rules disabled), the scanner's engine
    compiles the configuration's rules alone: the built-in rules' database is the cached one
    of a scan without them (before: the whole set was compiled again, ~20 s of CPU, for each
    configuration and each set of disabled rules)."""
    pytest.importorskip("hyperscan")
    from pipesec.scanners.secrets import engine_for, hsdb
    from pipesec.scanners.secrets.rules import all_rules

    SecretEngine(all_rules(), use_hyperscan=True)  # the built-in database, cached (shared)
    compat = GitleaksCompat(load_file(FIX / "gitleaks.toml"))
    compiled: list[int] = []
    real = hsdb._compile
    monkeypatch.setattr(
        hsdb, "_compile", lambda p, *a, **k: compiled.append(len(p)) or real(p, *a, **k)
    )
    engine = engine_for(frozenset({"secrets/github-pat"}), use_hyperscan=True, extra=compat.rules)
    assert compiled == [len(compat.rules)]
    found = {m.rule.id for m in engine.scan_text(f"ACME_KEY={acme()}\n")}
    assert "gitleaks/acme-internal-token" in found
    pat = next(r for r in all_rules() if r.id == "secrets/github-pat").to_rule()
    assert "secrets/github-pat" not in {m.rule.id for m in engine.scan_text(pat.vulnerable_example)}


def test_a_configuration_brings_at_most_max_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every rule costs every scan (a Hyperscan database, maybe Python's regex over every
    file) and the scanned tree's configuration is hostile: past MAX_RULES (1,000) the rest
    are skipped with one error, ``extend.path`` included."""
    from pipesec.scanners.secrets import gitleaks

    monkeypatch.setattr(gitleaks, "MAX_RULES", 3)
    rule = '[[rules]]\nid = "{p}{i}"\nregex = "{p}{i}_[a-z]{{8}}"\n'
    many = "".join(rule.format(p="tok", i=i) for i in range(5))
    cfg = load_text(many, ".gitleaks.toml")
    assert [r.id for r in cfg.rules] == ["gitleaks/tok0", "gitleaks/tok1", "gitleaks/tok2"]
    errors = [p.message for p in cfg.problems if isinstance(p, ScanError)]
    assert len(errors) == 1 and "more than 3 rules; the remaining 2" in errors[0]
    (tmp_path / "base.toml").write_text("".join(rule.format(p="b", i=i) for i in range(5)))
    two = "".join(rule.format(p="o", i=i) for i in range(2))
    (tmp_path / ".gitleaks.toml").write_text(f'[extend]\npath = "base.toml"\n\n{two}')
    cfg = load_file(tmp_path / ".gitleaks.toml", tmp_path)
    assert [r.id for r in cfg.rules] == ["gitleaks/o0", "gitleaks/o1", "gitleaks/b0"]
    assert any("more than 3 rules" in p.message for p in cfg.problems)


@pytest.mark.parametrize(
    "table",
    [
        "[allowlist]\npaths = ['''^(a+)+$''']\n",
        "[allowlist]\nregexTarget = 'line'\nregexes = ['''^(a+)+$''']\n",
        "[[allowlists]]\nregexes = ['''([a-z]+)*!''']\n",
        "[[rules]]\nid = 'r'\nregex = '''tok_[a-z]{8}'''\npath = '''^(a+)+$'''\n",
        "[[rules]]\nid = 'r'\nregex = '''tok_[a-z]{8}'''\n[[rules.allowlists]]\n"
        "regexes = ['''(x+)+y''']\n",
        # alternatives one of which matches a start of another's text, repeated: the ways to
        # split "aaa…a!" grow as the Fibonacci numbers (40 characters: seconds; 60: hours)
        "[allowlist]\npaths = ['''^(a|aa)+$''']\n",
        "[allowlist]\nregexes = ['''^(?:[^a]|b)+$''']\n",
    ],
)
def test_allowlist_and_path_regexes_that_backtrack_exponentially_are_refused(table: str) -> None:
    """A tree's allowlist ``paths``/``regexes`` and a rule's ``path`` run on Python's ``re``
    like its rules' regexes, but were not checked: ``paths = ['^(a+)+$']`` with a file
    named ``aaa…a!`` holding a secret hung the scan (killed after 100 s). Refused with an
    error naming the regex, as a rule's regex is."""
    cfg = load_text(table, ".gitleaks.toml")
    errors = [p.message for p in cfg.problems if isinstance(p, ScanError)]
    assert any("backtrack exponentially" in e for e in errors), errors
    for al in [*cfg.allowlists, *(a for als in cfg.rule_allowlists.values() for a in als)]:
        assert not al.paths and not al.regexes
    assert all(r.path_regex is None for r in cfg.rules)
    target = "a" * 40 + "!"
    for al in [*cfg.allowlists, *(a for als in cfg.rule_allowlists.values() for a in als)]:
        al.allows(secret=target, match=target, line=target, path=target, commit=None)


@pytest.mark.parametrize(
    "regex",
    [
        r"(?:foo|bar|baz)+\.env$",
        r"(?:[\w-]|\.)+\.ya?ml$",
        r"(?:x|xy)*z",
        r"(?:\.\w|\w)+$",
        "(?:a|b){0,3}",
    ],
)
def test_allowlist_alternatives_that_cannot_match_alike_are_kept(regex: str) -> None:
    """The control of the refusal above: alternatives that part at once stay usable."""
    cfg = load_text(f"[allowlist]\npaths = ['''{regex}''']\n", ".gitleaks.toml")
    assert not cfg.problems and len(cfg.allowlists[0].paths) == 1
