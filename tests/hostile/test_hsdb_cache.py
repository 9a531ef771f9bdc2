"""Item 11: the compiled secrets database in the user cache is checked against a keyed
digest; a planted database (valid, but of one never-matching pattern) is rebuilt."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pipesec.core import cachemac
from pipesec.scanners.secrets import hsdb
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.rules import all_rules

hyperscan = pytest.importorskip("hyperscan")

#: tests of the cache itself: no shared databases in $XDG_CACHE_HOME (tests/conftest.py)
pytestmark = pytest.mark.fresh_cache


def _github_rules() -> list[object]:
    return [r for r in all_rules() if r.id.startswith("secrets/github")]


def test_planted_cache_database_is_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rules = _github_rules()
    text = next(r for r in rules if r.id == "secrets/github-pat").to_rule().vulnerable_example
    first = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert list(first.scan_text(text))
    planted, _ids = hsdb._compile([b"never-matches-\\x00-zz"], hyperscan)
    cached = sorted(tmp_path.glob("*.hsdb"))
    assert cached
    for path in cached:
        header = path.read_bytes().partition(b"\n")[0]
        path.write_bytes(header + b"\n" + hyperscan.dumpb(planted))
    second = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert list(second.scan_text(text)), "the planted database silenced the scanner"
    assert "failed its digest check" in caplog.text


def test_a_database_signed_with_another_key_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A planted database with a digest of its own (the attacker's key) is not loaded."""
    rules = _github_rules()
    text = next(r for r in rules if r.id == "secrets/github-pat").to_rule().vulnerable_example
    planted, _ids = hsdb._compile([b"never-matches-\\x00-zz"], hyperscan)
    key = hsdb.database_key(rules, hyperscan)  # type: ignore[arg-type]
    monkeypatch.setenv(cachemac.KEY_ENV, "the attacker's key")
    hsdb._write_cache(hsdb._path(tmp_path, key), planted, frozenset({0}), hyperscan)
    monkeypatch.setenv(cachemac.KEY_ENV, "the user's key")
    engine = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert list(engine.scan_text(text)), "the planted database silenced the scanner"
    assert cachemac.read_signed(hsdb._path(tmp_path, key), "test") is not None  # rebuilt


def test_no_orphan_digest_is_left(tmp_path: Path) -> None:
    """Older versions' databases (``<key>.hsdb``) and digests whose database is gone are
    removed as a database is written; each kind keeps its most recently used files."""
    old = time.time() - cachemac.ORPHAN_AGE - 10
    for i in range(cachemac.KEEP + 2):
        for name in (f"{i:064x}.hsdb", f"{i + 100:064x}.hsdb.mac", f"text-{i:064x}.hsdb.mac"):
            (tmp_path / name).write_bytes(b"0\n")
            os.utime(tmp_path / name, (old - i, old - i))
    fresh = tmp_path / f"text-{999:064x}.hsdb.mac"  # a writer between digest and file
    fresh.write_bytes(b"0\n")
    SecretEngine(_github_rules(), use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    names = {p.name for p in tmp_path.iterdir()}
    orphans = {n for n in names if n.endswith(".mac") and n[:-4] not in names}
    assert orphans == {fresh.name}
    assert len([n for n in names if n.endswith(".hsdb")]) == cachemac.KEEP
    assert len(list(tmp_path.glob("text-*.hsdb"))) == 1


def test_cache_with_its_digest_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = _github_rules()
    SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert list(tmp_path.glob("*.hsdb.mac"))
    compiled: list[object] = []
    real = hsdb._compile
    monkeypatch.setattr(hsdb, "_compile", lambda *a, **k: compiled.append(a) or real(*a, **k))
    SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert not compiled


# -- a configuration's own rules (a gitleaks configuration): a database of their own -----


def _own_rule(regex: str, rid: str = "gitleaks/acme-key", path: str | None = None) -> object:
    from pipesec.core.model import Severity
    from pipesec.scanners.secrets.rules.base import SecretRule

    return SecretRule(
        id=rid,
        provider="gitleaks rule",
        title="Acme key",
        severity=Severity.HIGH,
        regex=regex,
        secret_group=1,
        keywords=("acme_",),
        tags=("gitleaks",),
        path_regex=path,
    )


#: an Acme key as the own rules of these tests find it (built from parts: not a literal)
_ACME = "acme_" + "live_" + "q7" * 16


def _kinds(folder: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in folder.glob("*.hsdb"):
        out.setdefault(p.name.partition("-")[0], []).append(p.name.partition("-")[2][:-5])
    return out


def test_own_rules_compile_alone_and_leave_the_built_in_database_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The built-in rules' database of an engine with own rules is the one an engine
    without them uses (same name in the cache); a change of the own rules compiles only
    them, once per kind."""
    rules = _github_rules()
    own = _own_rule(r"\b(acme_(?:live|test)_[a-z0-9]{32})\b")
    engine = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path, extra=[own])  # type: ignore[arg-type, list-item]
    text = f'ACME = "{_ACME}"\n'
    assert [m.rule.id for m in engine.scan_text(text)] == ["gitleaks/acme-key"]
    assert engine.may_find([text.encode()], ["a.env"]) == [True]  # the multiline pair too
    kinds = _kinds(tmp_path)
    assert kinds["text"] == [hsdb.database_key(rules, hyperscan)]  # type: ignore[arg-type]
    assert kinds["lines"] == [hsdb.database_key(rules, hyperscan, multiline=True)]  # type: ignore[arg-type]
    assert kinds["xtext"] == [hsdb.database_key([own], hyperscan)]  # type: ignore[list-item]
    compiled: list[int] = []
    real = hsdb._compile
    monkeypatch.setattr(
        hsdb, "_compile", lambda p, *a, **k: compiled.append(len(p)) or real(p, *a, **k)
    )
    changed = _own_rule(r"\b(acme_(?:live|test)_[a-z0-9]{30,32})\b")
    again = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path, extra=[changed])  # type: ignore[arg-type, list-item]
    assert [m.rule.id for m in again.scan_text(text)] == ["gitleaks/acme-key"]
    again.may_find([text.encode()], ["a.env"])
    assert compiled == [1, 1], "only the changed own rule is compiled (text, multiline)"
    assert not list(again.scan_text(f"ACME = {_ACME[:-10]}\n"))
    builtin = next(r for r in rules if r.id == "secrets/github-pat").to_rule().vulnerable_example
    assert "secrets/github-pat" in {m.rule.id for m in again.scan_text(builtin)}


def test_many_own_rule_sets_never_evict_the_built_in_database(tmp_path: Path) -> None:
    """Own rules are a kind of their own in the cache: trees bringing ever new gitleaks
    rules keep at most KEEP of their databases and never push the built-in one out."""
    rules = _github_rules()
    for i in range(cachemac.KEEP + 2):
        own = _own_rule(rf"\b(acme{i}_[a-z0-9]{{32}})\b")
        SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path, extra=[own])  # type: ignore[arg-type, list-item]
    kinds = _kinds(tmp_path)
    assert kinds["text"] == [hsdb.database_key(rules, hyperscan)]  # type: ignore[arg-type]
    assert len(kinds["xtext"]) == cachemac.KEEP


def test_an_own_rule_hyperscan_rejects_leaves_the_built_in_rules_on_hyperscan(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A tree's gitleaks rule that Hyperscan refuses with a message naming no expression
    (``'\\u' at index 12 not supported.``; also ``Pattern length exceeds limit.``,
    ``Embedded end anchors not supported.``) switched the whole scan to Python's regex
    engine (the warning "using the regex engine", ~20x slower); now only that rule runs on
    Python's regex, and it still finds its match."""
    rules = _github_rules()
    big = _own_rule(r"\b(acme_big_[a-z]{8,40})\u0021", "gitleaks/big")
    ok = _own_rule(r"\b(acme_(?:live|test)_[a-z0-9]{32})\b")
    engine = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path, extra=[big, ok])  # type: ignore[arg-type, list-item]
    assert engine.uses_hyperscan
    assert set(range(len(rules))) <= engine._hs_rules
    assert len(rules) not in engine._hs_rules  # the big rule: searched with Python's regex
    assert len(rules) + 1 in engine._hs_rules
    assert "regex engine" not in caplog.text
    text = f"X = acme_big_{'q' * 40}!\nY = {_ACME}\n"
    found = sorted(m.rule.id for m in engine.scan_text(text))
    assert found == ["gitleaks/acme-key", "gitleaks/big"]
    assert engine.may_find([text.encode()], ["a.env"]) == [True]


@pytest.mark.parametrize(
    ("pattern", "given"),
    [
        (r"k_[a-z0-9]{1,5000}", r"k_[a-z0-9]{1,}"),
        (r"a{300}", r"a{64,}"),
        (r"a{2,}b{70,80}c{64}", r"a{2,}b{64,}c{64}"),
        (r"x{,999}", r"x{0,}"),
        (r"a{1000,}", r"a{64,}"),
        (r"[{1,999}]x{3}", r"[{1,999}]x{3}"),  # inside a class: characters
        (r"\{1,999\}", r"\{1,999\}"),  # escaped braces
        (r"(?:ab){1,100}", r"(?:ab){1,}"),
    ],
)
def test_own_rules_give_hyperscan_no_wide_counted_repeat(pattern: str, given: str) -> None:
    assert hsdb.widened(pattern) == given


def test_a_tree_of_wide_counted_repeats_compiles_widened_and_still_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hyperscan's compile time grows with counted repeats (100 rules ``[a-z0-9]{1,5000}``:
    6.5 s of CPU, 1,000: over 5 minutes, from a 21 KB ``.gitleaks.toml``): a configuration's
    own rules are compiled with those repeats widened (a superset), and the rule's own
    regex still decides, so a long match is found whole and a short one too."""
    rules = _github_rules()
    own = [_own_rule(rf"\b(acme_w{i}_[a-z0-9]{{1,5000}})", f"gitleaks/wide-{i}") for i in range(20)]
    given: list[bytes] = []
    real = hsdb._compile
    monkeypatch.setattr(hsdb, "_compile", lambda p, *a, **k: given.extend(p) or real(p, *a, **k))
    engine = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path, extra=own)  # type: ignore[arg-type, list-item]
    assert given and not [p for p in given if b"5000" in p]
    assert set(range(len(rules), len(rules) + 20)) <= engine._hs_rules
    long, short = "acme_w7_" + "z9" * 1500, "acme_w3_" + "k2" * 5
    found = {(m.rule.id, m.value) for m in engine.scan_text(f"a = {long}\nb = {short}\n")}
    assert found == {("gitleaks/wide-7", long), ("gitleaks/wide-3", short)}


def test_own_rules_path_regexes_reach_hyperscan_widened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tree's gitleaks rules bound to a path (``path = 'd[a-z]{1,4000}\\.env'``) have their
    path regexes compiled by Hyperscan in every process (not cached): 200 such rules took
    12.6 s of CPU per scan. Their counted repeats are widened too (0.07 s); a path a hit
    names is still tested with the rule's own path regex."""
    rules = _github_rules()
    own = [
        _own_rule(rf"\b(acme_p{i}_[a-z0-9]{{8}})", f"gitleaks/p{i}", rf"d{i}[a-z]{{1,4000}}\.env$")
        for i in range(3)
    ]
    compiled: list[bytes] = []
    real = hyperscan.Database

    class Spy:
        def __init__(self, *a: object, **k: object) -> None:
            self._db = real(*a, **k)

        def compile(self, *, expressions: list[bytes], **k: object) -> None:
            compiled.extend(expressions)
            self._db.compile(expressions=expressions, **k)

        def __getattr__(self, name: str) -> object:
            return getattr(self._db, name)

    engine = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path, extra=own)  # type: ignore[arg-type]
    monkeypatch.setattr(hyperscan, "Database", Spy)
    blob = b"x = acme_p1_abcdefgh\n"
    assert engine.may_find([blob, blob, blob], ["d1abc.env", "d1abc.txt", "d9abc.env"]) == [
        True,
        False,
        False,
    ]
    assert compiled and not [p for p in compiled if b"4000" in p]
    assert [m.rule.id for m in engine.scan_text(blob.decode(), path="d1abc.env")] == ["gitleaks/p1"]


def test_own_rules_bound_to_a_path_are_searched_in_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tree's gitleaks rule bound to a path that Hyperscan accepts is in the bound
    database (a kind of its own in the cache): in the files it applies to it is searched in
    windows around its hits, not over the whole text (a ``path = '\\.py$'`` rule ran its
    regex over every program)."""
    rules = _github_rules()
    own = _own_rule(r"\b(acme_q_[a-z0-9]{8})", "gitleaks/q", r"\.env$")
    engine = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path, extra=[own])  # type: ignore[arg-type, list-item]
    assert len(rules) not in engine._hs_rules
    assert engine._bound_database()[1] == {len(rules)}
    assert "bxtext" in _kinds(tmp_path)
    text = "x = acme_q_abcdefgh\n" + "filler line\n" * 200
    assert engine.may_find([text.encode()] * 2, ["a.env", "a.txt"]) == [True, False]
    assert engine._candidates(text, "a.env")[len(rules)][-1][1] < 40  # not the whole text
    assert [m.rule.id for m in engine.scan_text(text, path="a.env")] == ["gitleaks/q"]
    assert list(engine.scan_text(text, path="a.txt")) == []
