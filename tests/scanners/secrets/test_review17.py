"""Review 17's findings in the secrets scanner (each test fails before its fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.gitleaks import GitleaksCompat, load_text

_RULE = '[[rules]]\nid = "{id}"\ndescription = "d"\npath = {path}\nregex = "{word}[0-9]{{8}}"\n'
#: the victim's two rules, each bound to a path
_VICTIM = _RULE.format(id="r-one", path="'''ab'''", word="ONEVALUE") + _RULE.format(
    id="r-two", path="'''cd'''", word="TWOVALUE"
)
#: one rule whose path regex is the victim's two joined by what the cache names joined by
_PLANTED = _RULE.format(id="r-one", path='"ab\\u0000~cd"', word="ONEVALUE")


def _engine(toml: str, cache: Path) -> SecretEngine:
    """An engine of one built-in rule and ``toml``'s rules (compiled as a configuration's)."""
    from pipesec.scanners.secrets.rules import all_rules

    own = GitleaksCompat(load_text(toml, ".gitleaks.toml")).rules
    return SecretEngine(all_rules()[:1], use_hyperscan=True, cache_dir=cache, extra=own)


def _found(engine: SecretEngine, text: str, path: str) -> list[str]:
    engine.may_find([text.encode()], [path])  # the batch pass reads the path database
    return [m.rule.id for m in engine.scan_text(text, path=path)]


def test_a_tree_cannot_plant_the_path_database_of_another_trees_rules(tmp_path: Path) -> None:
    """The on-disk path database (``paths-*.hsdb``) was named by its regexes joined by NUL:
    a tree whose one path regex is ``ab<NUL>~cd`` named the database of the regexes ``ab``
    and ``cd``, and Hyperscan compiled it as ``ab`` alone. Scanned first from a cache both
    share (a CI cache a pull request restores), it made the other tree's rule bound to
    ``cd`` match no path: its secret was not reported."""
    pytest.importorskip("hyperscan")
    text = "x = TWOVALUE12345678\n"
    assert _found(_engine(_VICTIM, tmp_path / "clean"), text, "cd") == ["gitleaks/r-two"]
    shared = tmp_path / "shared"
    _found(_engine(_PLANTED, shared), text, "cd")
    assert _found(_engine(_VICTIM, shared), text, "cd") == ["gitleaks/r-two"]


def test_a_rule_regex_holding_nul_is_left_out_of_hyperscan(tmp_path: Path) -> None:
    """Hyperscan reads a pattern up to its first NUL: ``ab<NUL>`` followed by 300 letters was
    compiled as ``ab``, whose hit ends 301 characters before the match does (the engine's
    window, worked out from the rule's regex, missed it). Such a rule is searched as a rule
    Hyperscan rejects; the two lists that NUL-joined names confused have two databases."""
    pytest.importorskip("hyperscan")
    from pipesec.scanners.secrets import hsdb

    rule = '[[rules]]\nid = "nul"\ndescription = "d"\nregex = "ab\\u0000[a-z]{300}"\n'
    engine = _engine(rule, tmp_path)
    text = "ab\x00" + "q" * 300 + "\n"
    assert [m.rule.id for m in engine.scan_text(text, path="x.txt")] == ["gitleaks/nul"]
    hsdb.load_paths(["ab\x00~cd"], [False], cache_dir=tmp_path)
    hsdb.load_paths(["ab", "cd"], [False, False], cache_dir=tmp_path)
    assert len(list(tmp_path.glob("paths-*.hsdb"))) == 2


def test_the_bound_databases_do_not_count_among_the_main_kinds(tmp_path: Path) -> None:
    """Writing a ``text-`` database keeps the ``KEEP`` most recently used files of its kind:
    the older versions' ``<hex>.hsdb`` names counted as any kind by their first character,
    and ``b`` is one, so the bound kinds' ``blines-``/``btext-`` files (used after the main
    database in every scan) pushed another version's ``text-`` database out of the cache."""
    import os

    hyperscan = pytest.importorskip("hyperscan")
    from pipesec.core import cachemac
    from pipesec.scanners.secrets import hsdb

    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[b"abc"], ids=[0], elements=1, flags=[0])

    def write(name: str, age: int = 0, keep: int = cachemac.KEEP) -> Path:
        path = tmp_path / name
        hsdb._write_cache(path, db, frozenset({0}), hyperscan, keep=keep)
        os.utime(path, (1_000_000 - age, 1_000_000 - age))
        return path

    other = write("text-" + "a" * 64 + ".hsdb", age=100)  # another version's
    older = [write(f"{i:x}{i:x}" + "0" * 62 + ".hsdb", age=200 + i) for i in range(4)]
    for i in range(cachemac.KEEP):
        write(f"blines-{i}.hsdb", age=10, keep=hsdb.BOUND_KEEP)
        write(f"btext-{i}.hsdb", age=10, keep=hsdb.BOUND_KEEP)
    write("text-" + "b" * 64 + ".hsdb")
    assert other.exists()
    assert len(list(tmp_path.glob("b*-*.hsdb"))) == 2 * cachemac.KEEP
    # the older versions' names still age out with the kind: KEEP (4) in all
    assert [p.exists() for p in older] == [True, True, False, False]
