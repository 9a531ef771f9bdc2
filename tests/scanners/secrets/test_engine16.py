"""The engine's session-16 work (issue 14, throughput): the path-bound pass made cheap (the
path database names the rules a path applies to, exactly, and is cached; a file is scanned
for the bound rules that apply to it only), so the list-keyed decoders are bound to YAML/JSON
by ``path_regex`` again."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.scanners.secrets.forms import ALNUM, Values

from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.rules import all_rules
from pipesec.scanners.secrets.rules.base import SecretRule

_V = Values(2026_12_16)
_r = _V.r

_RULES = {r.id: r for r in all_rules()}


def _index(engine: SecretEngine, rule_id: str) -> int:
    return next(i for i, r in enumerate(engine.rules_all) if r.id == rule_id)


@pytest.mark.parametrize(
    "rule", ["secrets/decode-list-keyed-yaml", "secrets/decode-list-keyed-json"]
)
def test_the_list_keyed_decoders_are_bound_to_configuration_files(rule: str) -> None:
    """Bound by ``path_regex`` (session 15 unbound them and had the decoder test the file kind,
    ``decoding.LIST_KEYED_FILES``: the bound pass cost every YAML/JSON file ~7%)."""
    assert _RULES[rule].path_regex is not None


def test_a_file_is_scanned_for_the_bound_rules_that_apply_to_it_only(
    hs_engine: SecretEngine,
) -> None:
    """The batch pass scans the YAML files with the database of the rules bound to YAML (the
    two list-keyed and two value-keyed decoders: their path regex is one), not with every
    bound rule's: a ``.pgpass`` line (a pattern without a literal) in a YAML file is not
    even a hit there."""
    pgpass = f"db.internal:5432:app:admin:{_r(ALNUM, 20)}\n".encode()
    listed = f"api_keys:\n  - {_r(ALNUM, 32)}\n".encode()
    keep = hs_engine.may_find([pgpass, listed, pgpass], ["a.yaml", "b.yaml", ".pgpass"])
    assert keep == [False, True, True]
    yaml_rules = hs_engine._path_memo["b.yaml"]
    assert {hs_engine.rules_all[i].id for i in yaml_rules} == {
        "secrets/decode-list-keyed-yaml",
        "secrets/decode-list-keyed-json",
        # (session 18: a value entry under a mapping named for a secret, YAML and JSON too)
        "secrets/decode-value-keyed",
        "secrets/decode-value-keyed-inline",
    }
    assert hs_engine._group_database(yaml_rules)[1] == set(yaml_rules)
    hit = {r for _end, r in hs_engine._hits_memo["b.yaml"][1]}
    assert _index(hs_engine, "secrets/decode-list-keyed-yaml") in hit
    pg = _index(hs_engine, "secrets/pgpass-password")
    assert pg in {r for _end, r in hs_engine._hits_memo[".pgpass"][1]}
    assert [m.rule.id for m in hs_engine.scan_text(listed.decode(), path="b.yaml")] == [
        "secrets/generic-api-key"
    ]
    assert list(hs_engine.scan_text(listed.decode(), path="b.py")) == []


def test_the_path_database_is_cached(tmp_path: Path) -> None:
    """The path database is read from the cache (compiled, ~45 ms of CPU a process: more
    than the batch pass it saves on a small tree); a built-in rule's path regex whose
    matches hold no newline is compiled exactly (its hit is the answer)."""
    pytest.importorskip("hyperscan")
    rules = [
        _RULES[i]
        for i in ("secrets/github-pat", "secrets/pgpass-password", "secrets/htpasswd-hash")
    ]
    engine = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)
    db, exact, named = engine._path_database()  # type: ignore[misc]
    assert db is not None
    assert exact == {0}  # .pgpass's; htpasswd's ``[^/]*`` may read a newline
    assert named == ((1,), (2,))
    assert [p.name for p in tmp_path.glob("paths-*.hsdb")]
    again = SecretEngine(rules, use_hyperscan=True, cache_dir=tmp_path)
    import hyperscan

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("compiled again")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(hyperscan, "Database", refuse)
        assert again._path_database() is not None
    assert again._outside_paths(["x/.pgpass", "a/.htpasswd", "a/.htpasswd\u00e9", "b.py"]) == [
        (1,),
        (2,),
        (2,),
        (),
    ]


def test_a_one_line_rules_window_ends_with_the_line_of_its_hit(hs_engine: SecretEngine) -> None:
    """A rule whose matches hold no newline and whose prefilter is a prefix of its match is
    searched in a window that ends with the hit's line (and the context its lookarounds
    read), not the rule's whole width after it: ``decode-parent-keyed``'s windows on the
    speed corpus were ~300 characters, the lines ~50."""
    value = _r(ALNUM, 32)
    head = f"opsgenie:\n  api_key: {value}\n"
    text = head + "".join(f"  note_{k}: {'x' * 60}\n" for k in range(12))
    rid = _index(hs_engine, "secrets/decode-parent-keyed")
    windows = hs_engine._candidates(text, "conf/app.yaml")[rid]
    line_end = text.index("\n", text.index("api_key"))
    assert windows[0][1] <= line_end + 16
    assert [m.value for m in hs_engine.scan_text(text, path="conf/app.yaml")] == [value]


def test_the_flow_keyed_prefilter_wants_the_generic_key_whole(hs_engine: SecretEngine) -> None:
    """``decode-flow-keyed``'s prefilter read ``key`` anywhere (``"publicKey": "…"`` in
    minified JSON: 318 windows of 1,025 characters on the speed corpus, 38 ms, no match);
    it wants the generic key after a character the regex's lookbehind allows, as the regex
    does, and still hits every match (``api_key``, ``"apiToken"``, ``{token=…``)."""
    rid = _index(hs_engine, "secrets/decode-flow-keyed")
    value = _r(ALNUM, 32)
    quiet = '{"tls": {"publicKey": "' + value + '", "certId": "' + value + '"}}\n'
    assert rid not in hs_engine._candidates(quiet, "a.json")
    for form in (
        f'alerts:\n  opsgenie: {{region: eu, api_key: "{value}"}}\n',
        '{"opsgenie": {"apiToken": "' + value + '"}}\n',
        f'opsgenie = {{token="{value}"}}\n',
    ):
        assert rid in hs_engine._candidates(form, "a.yaml"), form


@pytest.mark.parametrize(
    ("value", "rules"),
    [
        ("password", ["secrets/generic-xml-password-weak"]),  # both medium: the XML rule
        # session 17: both high (a password attribute's strong value is high, as
        # generic-password's): one finding, the XML rule's (bound to the file's kind)
        (None, ["secrets/generic-xml-password"]),
    ],
)
def test_two_generic_rules_on_one_span_are_one_finding(
    engine: SecretEngine, value: str | None, rules: list[str]
) -> None:
    """``<dataSource password="password"/>`` was reported by generic-password-weak and by
    generic-xml-password-weak: one secret, one finding, by the rule bound to the file's kind
    (rules of the same severity)."""
    secret = value or _r(ALNUM, 14)
    text = f'<dataSource url="jdbc:h2:mem:app" password="{secret}"/>\n'
    found = [(m.rule.id, m.value) for m in engine.scan_text(text, path="conf/datasource.xml")]
    assert found == [(rule, secret) for rule in rules]


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("      env:\n        - name: OPSGENIE_API_KEY\n          value: {u}\n", "deploy.yaml"),
        ('[{{"name": "OPSGENIE_API_KEY", "value": "{u}"}}]\n', "taskdef.json"),
    ],
)
def test_a_name_value_record_is_read_once(
    hs_engine: SecretEngine, monkeypatch: pytest.MonkeyPatch, text: str, path: str
) -> None:
    """A Kubernetes/ECS ``name``/``value`` record is read by the name-value decoders (every
    rule) and by decode-sibling-keyed (the providers its name names): both built
    ``OPSGENIE_API_KEY: <value>`` (one quoted, one not) and the rules read it twice. They
    build one line now, read once a text; each decoder keeps its share."""
    value = "12345678-90ab-cdef-1234-" + _r("0123456789abcdef", 12)
    reads: list[str] = []
    find = SecretEngine._find

    def counted(
        self: SecretEngine,
        t: str,
        p: str | None,
        depth: int = 0,
        known: object = None,
        data: bytes | None = None,
    ) -> object:
        if depth == 1:
            reads.append(t)
        return find(self, t, p, depth, known, data)  # type: ignore[arg-type]

    monkeypatch.setattr(SecretEngine, "_find", counted)
    found = [(m.rule.id, m.value) for m in hs_engine.scan_text(text.format(u=value), path=path)]
    assert found == [("secrets/opsgenie-api-key", value)]
    assert reads == [f'OPSGENIE_API_KEY: "{value}"\n']


def test_a_rule_raised_by_its_path_never_yields_its_span() -> None:
    """review16: the one-generic-finding-per-span rule grouped by the rules' fixed severity;
    a rule whose ``severity_at`` raises it (api-key-hex32 in a config file, hashes in an
    account database) could yield its span to a medium rule listed first, and the gate
    would pass. Such a rule keeps its finding."""
    from pipesec.core.model import Severity
    from pipesec.scanners.secrets.rules.builders import generic

    regex = r"zeta_key[ \t]*=[ \t]*([0-9a-z]{20})"

    def rule(slug: str, raise_to: Severity | None) -> SecretRule:
        return generic(
            slug,
            "Test",
            "test key",
            regex,
            example=lambda r: "zeta_key = " + "k3" * 10 + "\n",
            keywords=("zeta_key",),
            severity=Severity.MEDIUM,
            entropy=0.0,
            severity_at=None if raise_to is None else (lambda path, before: raise_to),
        )

    plain = rule("zeta-plain", None)
    raised = rule("zeta-raised", Severity.HIGH)
    value = _r("0123456789abcdefghijklmnopqrstuvwxyz", 20)
    eng = SecretEngine([plain, raised], use_hyperscan=False)
    found = {m.rule.id for m in eng.scan_text(f"zeta_key = {value}\n", path="prod.cfg")}
    assert "secrets/zeta-raised" in found
