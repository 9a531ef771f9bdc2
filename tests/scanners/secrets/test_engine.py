"""The engine: Hyperscan and regex paths agree, streams report each secret once, bad input
never raises, planted secrets are always found, hostile input stays linear."""

from __future__ import annotations

import base64
import random
import string
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipesec.core.model import Confidence
from pipesec.scanners.secrets.engine import SecretEngine, one_line
from pipesec.scanners.secrets.rules import all_rules
from pipesec.scanners.secrets.rules.base import SecretMatch

RULES = all_rules()
FILLER = [
    "import os\n",
    "def handler(event, context):\n    return {'ok': True}\n",
    "# config loaded from the environment\n",
    'url = "https://example.com/api/v1/items?page=2"\n',
    "integrity sha512-" + "Zm9vYmFy" * 11 + "==\n",
    'id = "3f2b6c1e-9d4a-4b8e-a1c2-7e5f9d0b3a6c"\n',
    "password = os.environ['DB_PASSWORD']\n",
    "x = [1, 2, 3]; y = {'a': 1}\n",
    "\u00e9t\u00e9 na\u00efve \u4e2d\u6587 \U0001f600\n",
    "\t\r\n",
]


def _key(m: SecretMatch) -> tuple[str, int, int, str, int, int]:
    return (m.rule.id, m.start, m.end, m.value, m.line, m.column)


def corpus(seed: int, n: int = 60) -> list[str]:
    """Small generated documents: rule examples mixed with filler, unicode and noise."""
    r = random.Random(seed)
    examples = [rule.to_rule().vulnerable_example for rule in RULES]
    docs = []
    for _ in range(n):
        parts = []
        for _ in range(r.randint(3, 30)):
            roll = r.random()
            if roll < 0.35:
                parts.append(r.choice(examples))
            elif roll < 0.9:
                parts.append(r.choice(FILLER))
            else:
                parts.append("".join(r.choice(string.printable) for _ in range(r.randint(1, 80))))
        docs.append("".join(parts))
    return docs


def test_hyperscan_and_regex_agree(re_engine: SecretEngine, hs_engine: SecretEngine) -> None:
    assert hs_engine.uses_hyperscan and not re_engine.uses_hyperscan
    total = 0
    for doc in corpus(7):
        a = sorted(map(_key, re_engine.scan_text(doc, path="src/app.py")))
        b = sorted(map(_key, hs_engine.scan_text(doc, path="src/app.py")))
        assert a == b
        total += len(a)
    assert total > 100


def test_positions_are_exact(engine: SecretEngine) -> None:
    doc = "\n".join(corpus(3, 20))
    lines = doc.split("\n")
    for m in engine.scan_text(doc, path="src/app.py"):
        span = doc[m.start : m.end]
        if span != m.value:  # a secret inside an encoded value is located on the whole value
            if "%" in span:  # URL-encoded (a Slack session cookie)
                assert m.value in urllib.parse.unquote(span)
            else:
                assert m.value in base64.b64decode(span + "=" * (-len(span) % 4)).decode()
            continue
        assert lines[m.line - 1][m.column - 1 :].startswith(m.value.split("\n")[0])


def test_stream_reports_each_secret_once(engine: SecretEngine) -> None:
    doc = "".join(corpus(11, 12))
    whole = sorted(map(_key, engine.scan_text(doc, path="src/app.py")))
    assert whole
    r = random.Random(5)
    for size in (engine.overlap + 1, engine.overlap * 2 + 17, 50_000):
        chunks = []
        i = 0
        while i < len(doc):
            step = r.randint(size // 2, size)
            chunks.append(doc[i : i + step])
            i += step
        streamed = sorted(map(_key, engine.scan_stream(chunks, path="src/app.py")))
        assert streamed == whole


def test_secret_across_chunk_border_found_once(engine: SecretEngine) -> None:
    token = next(r for r in RULES if r.id == "secrets/github-pat").to_rule().vulnerable_example
    doc = "a = 1\n" * 5000 + token + "b = 2\n" * 5000
    cut = doc.index("ghp_") + 10
    found = list(engine.scan_stream([doc[:cut], doc[cut:]], path="x.py"))
    assert [m.rule.id for m in found] == ["secrets/github-pat"]
    assert found[0].line == 5001 and found[0].column == 17


def test_path_rules_need_a_path(engine: SecretEngine) -> None:
    text = "https://ci-bot:" + "Qw3rTy7" * 3 + "@git.example.com\n"
    with_path = {m.rule.id for m in engine.scan_text(text, path=".git-credentials")}
    without = {m.rule.id for m in engine.scan_text(text)}
    assert "secrets/git-credentials" in with_path
    assert "secrets/git-credentials" not in without


def test_documented_examples_and_placeholders_are_ignored(engine: SecretEngine) -> None:
    aws_doc_key = "AKIA" + "IOSFODNN7" + "EXAMPLE"
    text = (
        f'aws_access_key_id = "{aws_doc_key}"\n'
        'password = "${DB_PASSWORD}"\n'
        'api_key: "{{ secrets.API_KEY }}"\n'
        'token = "<your-token-here>"\n'
        'secret = "xxxxxxxxxxxxxxxxxxxx"\n'
        'client_secret = "****************"\n'
        "password = os.environ['DB_PASSWORD']\n"
        'resolved "integrity sha512-abc"\n'
        'api_key = "3f2b6c1e-9d4a-4b8e-a1c2-7e5f9d0b3a6c"\n'
    )
    assert list(engine.scan_text(text, path="app.py")) == []
    # ``changeme`` is a template in documentation, a (weak) password in an application
    assert list(engine.scan_text('password = "changeme"\n', path="docs/setup.md")) == []
    found = list(engine.scan_text('password = "changeme"\n', path="app.py"))
    assert [m.rule.id for m in found] == ["secrets/generic-password-weak"]


def test_checksum_failure_is_low_confidence(engine: SecretEngine) -> None:
    good = next(r for r in RULES if r.id == "secrets/github-pat").to_rule().vulnerable_example
    value = good.split('"')[1]
    bad = value[:-1] + ("A" if value[-1] != "A" else "B")
    [m] = [m for m in engine.scan_text(f'T = "{bad}"\n', path="a.py")]
    assert m.confidence is Confidence.LOW
    [m] = [m for m in engine.scan_text(f'T = "{value}"\n', path="a.py")]
    assert m.confidence is Confidence.HIGH


def test_truncated_private_key_is_low_confidence(engine: SecretEngine) -> None:
    head = "-----BEGIN " + "RSA PRIVATE KEY-----\n"
    foot = "-----END " + "RSA PRIVATE KEY-----\n"
    text = head + ("MIIEpAIBAAKCAQEA" + "x" * 48 + "\n") * 3 + foot
    [m] = list(engine.scan_text(text, path="id_rsa"))
    assert m.rule.id == "secrets/private-key-rsa"
    assert m.confidence is Confidence.LOW


def test_generic_rule_yields_to_provider_rule(engine: SecretEngine) -> None:
    ex = next(r for r in RULES if r.id == "secrets/stripe-secret-key").to_rule().vulnerable_example
    value = ex.split('"')[1]
    ids = [m.rule.id for m in engine.scan_text(f'api_key = "{value}"\n', path="a.py")]
    assert ids == ["secrets/stripe-secret-key"]


def test_hostile_single_line_input(engine: SecretEngine) -> None:
    """Long runs that almost match many rules: bounded work per candidate, no blow-up."""
    for piece in ("A", "a1", "=", "ey", "-", "sk_live_", "password=", "xoxb-1-"):
        text = piece * (200_000 // len(piece))
        list(engine.scan_text(text, path="min.js"))


def test_cache_reused(hs_cache: object, tmp_path: object) -> None:
    from pathlib import Path

    cache = Path(str(tmp_path))
    few = [r for r in RULES if r.id.startswith("secrets/github")]
    first = SecretEngine(few, use_hyperscan=True, cache_dir=cache)
    assert list(cache.glob("*.hsdb"))
    second = SecretEngine(few, use_hyperscan=True, cache_dir=cache)
    text = next(r for r in few if r.id == "secrets/github-pat").to_rule().vulnerable_example
    assert [_key(m) for m in first.scan_text(text)] == [_key(m) for m in second.scan_text(text)]


def test_cache_keeps_only_the_most_recently_used_databases(
    hs_cache: object, tmp_path: object
) -> None:
    import os
    from pathlib import Path

    from pipesec.core.cachemac import KEEP

    cache = Path(str(tmp_path))
    stale = []
    for i in range(KEEP + 3):  # older databases of rule sets no longer in use
        p = cache / f"text-{i:064x}.hsdb"
        p.write_bytes(b"0\n")
        os.utime(p, (1_000_000 + i, 1_000_000 + i))
        stale.append(p)
    multiline = cache / f"lines-{0:064x}.hsdb"  # another kind: kept
    multiline.write_bytes(b"0\n")
    os.utime(multiline, (1, 1))
    few = [r for r in RULES if r.id.startswith("secrets/github")]
    SecretEngine(few, use_hyperscan=True, cache_dir=cache)
    kept = set(cache.glob("text-*.hsdb"))
    assert len(kept) == KEEP and multiline.exists()
    # the new database and the newest stale ones stay; the oldest are gone
    assert set(stale[-(KEEP - 1) :]) <= kept
    assert not any(p in kept for p in stale[: len(stale) - KEEP + 1])
    # reading a database marks it as used: it survives the next write
    oldest = min(kept, key=lambda p: p.stat().st_mtime)
    os.utime(oldest, (1, 1))
    new_db = next(iter(kept - set(stale)))
    os.utime(new_db, (2, 2))
    SecretEngine(few, use_hyperscan=True, cache_dir=cache)  # reads (and touches) new_db
    assert new_db.stat().st_mtime > 2


def test_fallback_keyword_set_equals_testing_each_keyword(re_engine: SecretEngine) -> None:
    """The fallback engine's RE2 keyword set (pipesec[re2]) finds exactly the keywords the
    one-by-one ``in`` tests find, so both give the same matches."""
    pytest.importorskip("re2")
    assert re_engine._keyword_set() is not None
    plain = SecretEngine(RULES, use_hyperscan=False)
    plain._kwset = [None]  # as without google-re2
    texts = corpus(5, 40) + [r.to_rule().vulnerable_example for r in RULES] + FILLER
    texts += ["", "ÄÖÜ ß Σ TOKEN=é" * 3, "\x00\udcff sk_live_ ghp_ AKIA"]
    for text in texts:
        lowered = text.lower()
        assert re_engine._present(lowered) == plain._present(lowered)
        assert [_key(m) for m in re_engine.scan_text(text, path="a.py")] == [
            _key(m) for m in plain.scan_text(text, path="a.py")
        ]
    assert len(re_engine._present(" ".join(texts).lower())) > 300


# -- fuzz ---------------------------------------------------------------------------------

_PLANTS = [
    r.to_rule().vulnerable_example.split('"')[1]
    for r in RULES
    if r.id
    in {
        "secrets/github-pat",
        "secrets/aws-access-key-id",
        "secrets/slack-bot-token",
        "secrets/stripe-secret-key",
        "secrets/npm-access-token",
        "secrets/openai-project-key",
        "secrets/gitlab-pat",
        "secrets/sendgrid-api-key",
    }
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096))
def test_random_bytes_never_raise(data: bytes, re_engine: SecretEngine) -> None:
    text = data.decode("utf-8", "replace")
    list(re_engine.scan_text(text, path="blob.bin"))
    list(re_engine.scan_stream([text[:100], text[100:]], path="blob.bin"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.text(max_size=300),
    after=st.text(max_size=300),
    sep=st.sampled_from([" ", "\n", "\t", '"', "'", "\r\n"]),
    index=st.integers(min_value=0, max_value=len(_PLANTS) - 1),
)
def test_planted_secret_always_found(
    before: str, after: str, sep: str, index: int, engine: SecretEngine
) -> None:
    secret = _PLANTS[index]
    text = before + sep + secret + sep + after
    values = [m.value for m in engine.scan_text(text, path="x.txt")]
    assert secret in values


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"key=[A-Za-z0-9]{5,40}", True),
        (r"[^\S\n]+x", True),  # blanks but not the newline
        (r"(?m:^a$)(?=\s)", True),  # anchors and lookarounds consume nothing
        (r"(['\"])[\w-]{3,9}\1", True),  # a back-reference repeats a one-line group
        (r".{1,9}", True),  # without DOTALL the dot stops at a newline
        (r"a\sb", False),
        (r"a[^x]b", False),
        (r"a\Wb", False),
        (r"(?s:.)", False),
        (r"(?s).", False),
        (r"a\n", False),
        (r"(?=(\n))\1", False),  # the group lives in a lookahead: its reference may not
    ],
)
def test_one_line_patterns(pattern: str, expected: bool) -> None:
    assert one_line(pattern) is expected


_ONE_LINE_RULES = [r for r in RULES if one_line(r.regex) and r.example is not None]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(_ONE_LINE_RULES) - 1), cuts=st.lists(st.integers(0, 400)))
def test_one_line_rules_never_match_a_newline(index: int, cuts: list[int]) -> None:
    """A rule judged one-line (its windows start at the line of the hit) matches no
    newline, wherever newlines fall in its own example."""
    rule = _ONE_LINE_RULES[index]
    text = rule.to_rule().vulnerable_example.replace("\n", " ")
    for at in sorted(set(cuts), reverse=True):
        text = text[:at] + "\n" + text[at:]
    for m in rule.compiled().finditer(text):
        assert "\n" not in m.group(0)


@given(
    spans=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=30),
    queries=st.lists(st.tuples(st.integers(0, 80), st.integers(1, 20)), max_size=30),
)
def test_the_provider_spans_index_answers_as_a_scan_of_every_span(
    spans: list[tuple[int, int]], queries: list[tuple[int, int]]
) -> None:
    """Generic matches yield to provider secrets through an index (a text of thousands of
    tokens would cost the square of their number); spans added after a query count too."""
    from pipesec.scanners.secrets.engine import _Spans

    index = _Spans()
    added: list[tuple[int, int]] = []
    for i, (start, width) in enumerate(spans):
        index.add(start, start + width)
        added.append((start, start + width))
        if i % 7 == 3:  # queries between additions
            s, e = queries[i % len(queries)] if queries else (0, 1)
            assert index.overlaps(s, s + e) == any(a < s + e and s < b for a, b in added)
    for s, width in queries:
        e = s + width
        assert index.overlaps(s, e) == any(a < e and s < b for a, b in added)


def test_spans_added_in_order_between_queries_extend_the_index() -> None:
    """A decoder's findings come one by one, each tested for overlap before it is added: in
    order, they extend the index as it stands instead of rebuilding it at every test (a
    text of thousands of keyed values cost the square of their number: 2 MB, a minute)."""
    from pipesec.scanners.secrets.engine import _Spans

    index = _Spans()
    index.add(0, 5)
    assert not index.overlaps(10, 12)
    built = index._starts
    for start in range(10, 1000, 10):
        assert not index.overlaps(start, start + 5)
        index.add(start, start + 5)
    assert index._starts is built  # never rebuilt
    assert index.overlaps(502, 503) and not index.overlaps(995, 1000)
    index.add(3, 4)  # out of order: rebuilt at the next test, as before
    assert index.overlaps(3, 4) and index._starts is not built


def test_many_tokens_in_one_text_are_each_reported(engine: SecretEngine) -> None:
    """Thousands of provider tokens on one line and on many: every one reported, and the
    generic rules that also match them yield to each."""
    rule = next(r for r in RULES if r.id == "secrets/vercel-token")
    line = rule.example().rstrip("\n")
    for sep in ("\n", " "):
        found = list(engine.scan_text((line + sep) * 2000, path="src/app.py"))
        assert len(found) == 2000 and {m.rule.id for m in found} == {rule.id}


@pytest.mark.parametrize(
    "unit", [*string.ascii_letters, *string.digits, *"_-+/=.~ \n", "0a", "01", "Aa0", "a0Q~"]
)
def test_a_run_of_one_character_or_group_gives_few_hyperscan_hits(
    hs_engine: SecretEngine, unit: str
) -> None:
    """A file of one repeated character or group (a zero-filled dump, a ruler line) must not
    make a rule's pattern end at every character: each hit is a Python callback, so a 10 MB
    run of zeros cost ~10 s while `okta-api-token-in-context` ("00" + 40, its boundary only
    looked behind) ended at every one. Patterns whose start can repeat consume their boundary."""
    assert hs_engine._hs is not None
    text = (unit * (4000 // len(unit))).encode()
    assert hs_engine._hits(text) <= 40


# -- Hyperscan patterns with a consumed boundary (session 12) ----------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # a leading negative lookbehind: the start of a line, or a byte it does not match
        (r"(?<![a-z])x", r"(?:^|[\x00-\x60\x7b-\x7f\x80-\xff])x"),
        # inside group openers (capturing, non-capturing, named)
        (r"((?<![\d])x)", r"((?:^|[\x00-\x2f\x3a-\x7f\x80-\xff])x)"),
        (r"(?P<v>(?<!\.)x)", r"(?P<v>(?:^|[\x00-\x2d\x2f-\x7f\x80-\xff])x)"),
        # a positive one: the character itself (and every byte past ASCII)
        (r"(?<=[?&])k=", r"[\x26\x3f\x80-\xff]k="),
        # after the literal it repeats (the prefix rules' form): the boundary before it
        (r"(ab(?<![a-z]ab)\d)", r"((?:^|[\x00-\x60\x7b-\x7f\x80-\xff])ab\d)"),
        # a repeated literal that does not match the prefix: the lookbehind always holds
        (r"(ab(?<![a-z]xb)\d)", r"((?:^|[\x00-\x7f\x80-\xff])ab\d)"),
        # left as they are: a repeated group (the boundary would be asked at each turn), an
        # alternative, a lookbehind wider than one character or after a class, a positive
        # one after a literal, a case-insensitive prefix, a lookbehind after the match
        *(
            (p, p)
            for p in (
                r"((?<![a-z])x)+",
                r"(?:(?<=bot)|(?<![a-z]))\d",
                r"(?<!ab)x",
                r"[ab]x(?<![a-z]x)",
                r"ab(?<=[a-z]ab)x",
                r"(?i:ab)(?<![a-z]ab)x",
                r"x(?<![a-z])",
            )
        ),
    ],
)
def test_a_leading_lookbehind_becomes_a_consumed_boundary(pattern: str, expected: str) -> None:
    from pipesec.scanners.secrets.hsdb import hs_pattern

    assert hs_pattern(pattern) == expected


def _led_by_lookbehind(pattern: str) -> bool:
    """Whether ``pattern`` reads a lookbehind before consuming anything but its literal
    prefix (told from the parsed regex, not from the translation's own text search)."""
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    def led(items: object) -> bool:
        for op, av in items:  # type: ignore[attr-defined]
            if op is sre_parse.SUBPATTERN:
                return led(av[3])
            if op is not sre_parse.LITERAL:
                return op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT) and av[0] == -1
        return False

    return led(sre_parse.parse(pattern).data)


def test_every_rule_led_by_a_lookbehind_gives_hyperscan_its_boundary() -> None:
    """A rule whose regex reads a one-character lookbehind first (before or after its
    literal prefix) gives Hyperscan a pattern that consumes it: Hyperscan drops
    lookbehinds, and the pattern would otherwise end at every repetition of its start."""
    from pipesec.scanners.secrets.hsdb import rule_pattern

    led = [r for r in RULES if _led_by_lookbehind(r.regex)]
    assert len(led) > 300
    unturned = [r.id for r in led if rule_pattern(r) == r.scan_pattern]
    # a rule here starts with a lookbehind `hsdb.hs_pattern` cannot turn: one character
    # wide, first in the regex or right after the literal it repeats, `(?<![…])(tok_…)`
    # or `(tok_(?<![…]tok_)…)`, outside repeated groups; or give the rule an `hs_regex`
    assert unturned == [], "see docs/secrets-throughput.md, Session 12"


def _own_match(rule: object, re_engine: SecretEngine) -> SecretMatch | None:
    example = rule.to_rule().vulnerable_example  # type: ignore[attr-defined]
    found = [m for m in re_engine.scan_text(example, path="x/config.env") if m.rule is rule]
    return found[0] if found else None


def _hit_ends(engine: SecretEngine, data: bytes, rid: int) -> set[int]:
    """Where the single-text database reports a hit of rule ``rid`` in ``data``."""
    ends: set[int] = set()

    def on_match(i: int, _s: int, end: int, _f: int, _c: object) -> None:
        if i == rid:
            ends.add(end)

    engine._hs.scan(data, match_event_handler=on_match)
    return ends


#: characters put before a rule's token: the lookbehinds' usual classes, separators, a
#: line break, and characters past ASCII (a Unicode letter Python's \w takes, a no-break
#: space, a CJK ideograph, a line separator, an emoji)
_BEFORE = ["a", "Z", "0", "_", "-", ".", "/", "+", "=", "~", "?", "&", "<", '"', " ", "\n"]
_BEFORE += ["\u00e9", "\u00a0", "\u4e2d", "\u2028", "\U0001f600"]


def test_a_consumed_boundary_holds_wherever_the_lookbehind_does(
    hs_engine: SecretEngine, re_engine: SecretEngine
) -> None:
    """Every match of a rule's regex ends where Hyperscan reports a hit of its pattern,
    whatever character precedes the token (in both databases: the single text's, and the
    batch's where ``^`` is every line's start)."""
    from pipesec.scanners.secrets.hsdb import rule_pattern

    texts: list[tuple[int, str]] = []
    for i, rule in enumerate(hs_engine.rules_all):
        if i not in hs_engine._hs_rules or rule_pattern(rule) == rule.scan_pattern:
            continue
        m = _own_match(rule, re_engine)
        if m is None:
            continue
        example = rule.to_rule().vulnerable_example
        s = m.match_start
        texts += [(i, example[:s] + c + example[s:]) for c in _BEFORE]
        texts += [(i, c + example[s:]) for c in _BEFORE]  # at the text's start
    assert len({i for i, _ in texts}) > 300
    blobs = [t.encode("utf-8", "surrogatepass") for _, t in texts]
    paths = [f"t/{n}.txt" for n in range(len(texts))]
    hs_engine.may_find(blobs, paths)
    batch = dict(hs_engine._hits_memo)
    hs_engine.may_find([], [])
    checked = 0
    for (i, text), blob, path in zip(texts, blobs, paths, strict=True):
        rule = hs_engine.rules_all[i]
        single = _hit_ends(hs_engine, blob, i)
        in_batch = {end for end, rid in batch.get(path, (b"", []))[1] if rid == i}
        for m in rule.compiled().finditer(text):
            start = len(text[: m.start()].encode("utf-8", "surrogatepass"))
            end = len(text[: m.end()].encode("utf-8", "surrogatepass"))
            for ends in (single, in_batch):
                if rule.prefilter:
                    assert any(start < e <= end for e in ends), (rule.id, text[:40])
                else:
                    assert end in ends, (rule.id, text[:40])
            checked += 1
    assert checked > 5000


def test_runs_of_a_rules_own_start_do_not_add_hyperscan_hits(
    hs_engine: SecretEngine, re_engine: SecretEngine
) -> None:
    """For every rule led by a lookbehind: a run of its token's first characters (its
    prefix, 1 to 8 characters of a match) gives as many hits at 8,000 characters as at
    4,000: a pattern whose boundary is dropped ends at each repetition (``ASIAASIA…``,
    ``t1.t1.…``), one Python callback each."""
    db = hs_engine._hs
    assert db is not None

    def hits(data: bytes, rid: int) -> int:
        count = 0

        def on_match(i: int, _s: int, _e: int, _f: int, _c: object) -> None:
            nonlocal count
            count += i == rid

        db.scan(data, match_event_handler=on_match)
        return count

    checked = 0
    for i, rule in enumerate(hs_engine.rules_all):
        if i not in hs_engine._hs_rules or not _led_by_lookbehind(rule.regex):
            continue
        if rule.prefix and not rule.prefix[0].isalnum():
            continue  # its own boundary (``$aact_$aact_…``): each repetition may start one
        m = _own_match(rule, re_engine)
        if m is None:
            continue
        text = rule.to_rule().vulnerable_example[m.match_start : m.match_end]
        for unit in {rule.prefix, *(text[:k] for k in (1, 2, 3, 4, 8))} - {""}:
            short = hits((unit * (4000 // len(unit))).encode(), i)
            long = hits((unit * (8000 // len(unit))).encode(), i)
            assert long <= short + 2, (rule.id, unit, short, long)
            checked += 1
    assert checked > 1500
