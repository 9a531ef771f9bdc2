"""The engine's session-15 work (issue 14): rules bound to a path run inside the Hyperscan
pass (their hits in other files dropped before any window), the two readers of a value
named by a sibling field folded into one, custom rules' regexes bounded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.scanners.secrets.forms import ALNUM, Values

from pipesec.core.model import ScanError
from pipesec.docs_gen import safe_examples_for
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.gitleaks import MAX_ALLOWLIST_REGEXES, MAX_STOPWORDS, load_text
from pipesec.scanners.secrets.rules import all_rules

from .test_batch import assert_hit_where_matched

_V = Values(2026_12_15)
_r = _V.r


def test_rules_bound_to_a_path_are_in_a_database_of_their_own(hs_engine: SecretEngine) -> None:
    """A rule bound by ``path_regex`` was searched with its Python regex over the whole text
    of every file its path matched (the list-keyed decoders, bound to YAML/JSON, took ~10% of
    the scan); in the main database their patterns (a ``.pgpass`` line has no literal) cost
    every file ~45% of its time. They are a database of their own, scanned in their files."""
    bound = {i for i, r in enumerate(hs_engine.rules_all) if r.path_regex}
    assert len(bound) >= 20
    assert bound.isdisjoint(hs_engine._hs_rules)
    assert hs_engine._bound_database()[1] == bound


def test_a_path_bound_rule_is_searched_in_windows_of_its_own_files(hs_engine: SecretEngine) -> None:
    """The batch pass keeps a file for a rule bound to its path; the rule is searched in
    windows around its hits there (it was searched over the whole text), and not at all in
    other files (the same line in a program)."""
    text = f'db_password = "{_r(ALNUM, 18)}"\n'
    data = ("x = 1\n" * 200 + text + "y = 2\n" * 200).encode()
    paths = ["env/prod.tfvars", "env/prod.tfvars.json"]
    assert hs_engine.may_find([data] * 2, paths) == [True, True]
    rid = next(
        i for i, r in enumerate(hs_engine.rules_all) if r.id == "secrets/terraform-tfvars-secret"
    )
    windows = hs_engine._candidates(data.decode(), "env/prod.tfvars")
    assert rid in windows and windows[rid] != [(0, len(data))]
    assert rid not in hs_engine._candidates(data.decode(), "src/app.py")


def test_a_list_under_a_plural_key_is_read_in_configuration_files_only(
    engine: SecretEngine,
) -> None:
    """The list-keyed decoders read lists in YAML/JSON files only (bound by ``path_regex``;
    session 15 had the decoder judge the file kind, the bound pass being too costly for
    every YAML/JSON file then: session 16 made it cheap, test_engine16)."""
    text = f"api_keys:\n  - {_r(ALNUM, 32)}\n"
    assert [m.rule.id for m in engine.scan_text(text, path="conf/app.yaml")] == [
        "secrets/generic-api-key"
    ]
    assert list(engine.scan_text(text, path="conf/app.yml.py")) == []
    assert list(engine.scan_text(text)) == []


@pytest.mark.parametrize("prefix", ["", "radius server ISE\n", "# " + "x" * 60 + "\nkey: value\n"])
def test_every_rule_is_hit_on_its_example_further_into_a_text(
    hs_engine: SecretEngine, prefix: str
) -> None:
    """The single-text databases (the main one, and the bound one of the rules bound to a
    path) report every rule's match on the rule's own example, also when lines stand before
    it: compiled in one database, ``(?m)^[ \\t]*aws_secret_access_key`` (aws-credentials-pair)
    made Hyperscan miss cisco-pac-key's line-anchored match past the text's 18th byte (its
    Hyperscan form is now looser)."""
    bound_db, bound = hs_engine._bound_database()
    order = hs_engine._bound
    checked = 0
    for i, rule in enumerate(hs_engine.rules_all):
        if i not in hs_engine._hs_rules and i not in bound:
            continue
        db, local = (hs_engine._hs, i) if i in hs_engine._hs_rules else (bound_db, order.index(i))
        text = prefix + rule.to_rule().vulnerable_example
        ends: set[int] = set()

        def on_match(
            rid: int, _s: int, end: int, _f: int, _c: object, i: int = local, ends: set[int] = ends
        ) -> None:
            if rid == i:
                ends.add(end)

        db.scan(text.encode("utf-8", "surrogatepass"), match_event_handler=on_match)
        checked += assert_hit_where_matched(rule, text, ends, len(prefix))
    assert checked > 700


#: values under a name that names no provider are no provider's credential (these were the
#: decoders' "fixed" examples, whose UUIDs the generated docs showed whole)
_UNNAMED = [
    lambda u: f"<dict>\n\t<key>MonitoringApiKey</key>\n\t<string>{u}</string>\n</dict>\n",
    lambda u: f"      env:\n        - name: MONITORING_TEAM_ID\n          value: {u}\n",
    lambda u: (
        '<resources>\n    <string name="monitoring_key" translatable="false">'
        f"{u}</string>\n</resources>\n"
    ),
]


@pytest.mark.parametrize("form", _UNNAMED)
def test_a_uuid_under_a_name_that_names_no_provider_is_not_reported(
    engine: SecretEngine, form: object
) -> None:
    text = form(_V.uuid())  # type: ignore[operator]
    assert [m.rule.id for m in engine.scan_text(text, path="conf/Info.plist")] == []


_UUID = re.compile(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}")


@pytest.mark.parametrize(
    "rule", ["decode-plist-keyed", "decode-sibling-keyed", "decode-xml-name-keyed"]
)
def test_the_decoders_docs_examples_show_no_uuid(rule: str) -> None:
    """The rule reference shows each rule's fixed example: a UUID there read as a credential
    left in place (issue 14: decode-plist-keyed's showed one whole)."""
    found = next(r for r in all_rules() if r.id == f"secrets/{rule}").to_rule()
    shown = safe_examples_for([found])[found.id]
    assert not [t for t in shown if _UUID.search(t)], shown


def test_a_tree_rule_searched_over_a_whole_text_is_located_by_re2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A configuration's rule Hyperscan rejects is searched over the whole text on Python's
    ``re``: ``[a-z]{1,900}!`` (no exponential risk, so not refused) over a run of letters
    cost the run's length times 900. RE2 locates its matches in linear time and the regex is
    tried only at their starts: Python's ``finditer`` never runs over the whole text."""
    pytest.importorskip("re2")
    cfg = load_text(
        "[[rules]]\nid = 'slow'\nregex = '''(k[a-z]{1,900}\\x{21})'''\nkeywords = ['k']\n",
        ".gitleaks.toml",
    )
    (rule,) = cfg.rules
    assert rule.re2_regex == r"(k[a-z]{1,900}\x{21})"
    engine = SecretEngine([], use_hyperscan=False, extra=[rule])
    whole: list[int] = []
    real = re.Pattern.finditer

    class Spy:
        def __init__(self, rx: re.Pattern[str]) -> None:
            self.rx = rx

        def finditer(self, text: str, lo: int = 0, hi: int = -1) -> object:
            whole.append(hi - lo)
            return real(self.rx, text, lo, hi)

        def __getattr__(self, name: str) -> object:
            return getattr(self.rx, name)

    prepared = engine._rules[0]
    prepared._pattern = Spy(rule.compiled())  # type: ignore[assignment]
    secret = "k" + "qzx" * 10 + "!"
    text = "k" + "a" * 20_000 + "\nx = " + secret + "\n"
    assert [m.value for m in engine.scan_text(text)] == [secret]
    assert whole == []  # located by RE2, matched at the starts it found


def test_a_tree_allowlist_is_capped(tmp_path: Path) -> None:
    """Every match of a tree's rules is tested against its allowlists' regexes: 180,000 of
    them fit in the 4 MB a configuration may weigh (~12 ms a match). A configuration keeps
    the first MAX_ALLOWLIST_REGEXES regexes and MAX_STOPWORDS stopwords, with an error."""
    many = ", ".join(f"'''x{i}y'''" for i in range(MAX_ALLOWLIST_REGEXES + 5))
    words = ", ".join(f"'w{i}'" for i in range(MAX_STOPWORDS + 3))
    cfg = load_text(f"[allowlist]\nregexes = [{many}]\nstopwords = [{words}]\n", ".gitleaks.toml")
    (al,) = cfg.allowlists
    assert len(al.regexes) == MAX_ALLOWLIST_REGEXES
    assert len(al.stopwords) == MAX_STOPWORDS
    errors = [p.message for p in cfg.problems if isinstance(p, ScanError)]
    assert any("remaining 5 are ignored" in e for e in errors), errors
    assert any("remaining 3 are ignored" in e for e in errors), errors


def test_a_file_kept_only_for_a_path_bound_rule_without_a_hit_is_let_go(
    hs_engine: SecretEngine,
) -> None:
    """The batch pass scans the files a path-bound rule applies to joined with the bound
    database's multiline form, lets go of one without a hit, and hands the hits of the
    others to scan_text (it scanned each with the bound database alone)."""
    plain = b'region = "eu-west-1"\nreplicas = 3\n'
    listed = f'db_password = "{_r(ALNUM, 18)}"\n'.encode()
    assert hs_engine.may_find([plain, listed, plain], ["a.tfvars", "b.tfvars", "c.yaml"]) == [
        False,
        True,
        False,
    ]
    assert "b.tfvars" in hs_engine._bound_memo
    rid = next(
        i for i, r in enumerate(hs_engine.rules_all) if r.id == "secrets/terraform-tfvars-secret"
    )
    assert rid in {r for _end, r in hs_engine._hits_memo["b.tfvars"][1]}
