"""Batched scanning: the prefilter pass over many files at once (SecretEngine.may_find)
never drops a file that holds a secret, and the scanner's results are exactly those of
scanning every file alone."""

from __future__ import annotations

import re
from pathlib import Path
from re import _parser as sre_parse  # type: ignore[attr-defined]

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipesec.scanners.secrets as secrets_mod
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.secrets import SecretsScanner
from pipesec.scanners.secrets.engine import SecretEngine, _buffer_anchored
from pipesec.scanners.secrets.options import adapter
from pipesec.scanners.secrets.rules import all_rules, builders
from pipesec.scanners.secrets.rules.base import SecretRule

from .test_engine import FILLER, corpus

PATHS = ["src/app.py", ".npmrc", "deploy/.pypirc", "infra/prod.tfvars", "web.config", None]


def _texts() -> list[str]:
    examples = [r.to_rule().vulnerable_example for r in all_rules()]
    docs = corpus(11, 40)
    docs += examples  # a secret at the very start and the very end of a text
    docs += [f"\n{e}\n" for e in examples[::3]]
    docs += ["", "\n", "\n\n", *FILLER]
    return docs


@pytest.mark.parametrize("engine_name", ["re_engine", "hs_engine"])
def test_may_find_keeps_every_text_with_a_secret(
    engine_name: str, request: pytest.FixtureRequest
) -> None:
    engine: SecretEngine = request.getfixturevalue(engine_name)
    texts = _texts()
    for path in PATHS:
        blobs = [t.encode("utf-8", "surrogatepass") for t in texts]
        keep = engine.may_find(blobs, [path] * len(blobs))
        assert len(keep) == len(texts)
        with_secrets = 0
        for text, kept in zip(texts, keep, strict=True):
            if list(engine.scan_text(text, path=path)):
                with_secrets += 1
                assert kept, (path, text[:80])
        assert with_secrets > 50
        if engine.uses_hyperscan and path == "src/app.py":
            assert not all(keep)  # filler alone is skipped


def test_scan_with_the_batch_blob_equals_scanning_the_text_alone(engine: SecretEngine) -> None:
    """The scanner hands scan_text the blob may_find saw (its hits are reused, the text is
    not encoded again): the matches are those of the text scanned on its own."""
    texts = [*_texts(), "caf\u00e9 " + FILLER[0], "\ud800 lone surrogate\n"]
    paths = [f"src/f{i}.txt" for i in range(len(texts))]
    blobs = [t.encode("utf-8", "surrogatepass") for t in texts]
    engine.may_find(blobs, paths)
    with_blob = [
        list(engine.scan_text(t, path=p, data=b))
        for t, p, b in zip(texts, paths, blobs, strict=True)
    ]
    engine.may_find([], [])  # no batch remembered
    alone = [list(engine.scan_text(t, path=p)) for t, p in zip(texts, paths, strict=True)]
    assert with_blob == alone
    assert sum(map(len, alone)) > 50


def test_may_find_empty_batch(engine: SecretEngine) -> None:
    assert engine.may_find([], []) == []


def test_buffer_anchors_detected() -> None:
    assert _buffer_anchored(r"\Aabc")
    assert _buffer_anchored(r"x(?:a|\Z)")
    assert not _buffer_anchored(r"(?m)^abc$")
    assert not _buffer_anchored(r"a{2,5}(?=\s|$)")
    assert not any(_buffer_anchored(r.scan_pattern) for r in all_rules())


def _tree(root: Path) -> None:
    texts = _texts()
    for i, text in enumerate(texts):
        d = root / f"d{i % 7}"
        d.mkdir(exist_ok=True)
        (d / f"f{i}.py").write_text(text)
    examples = [r.to_rule().vulnerable_example for r in all_rules()][:40]
    joined = "\n".join(examples)
    # invalid UTF-8, a BOM, UTF-16, Latin-1 and separators around the secrets
    (root / "bad.txt").write_bytes(b"\xff\xfe\xfd" + joined.encode() + b"\n\xc3")
    (root / "bom.txt").write_bytes(b"\xef\xbb\xbf" + joined.encode())
    (root / "utf16.txt").write_bytes(joined.encode("utf-16"))
    (root / "latin1.cfg").write_bytes(("caf\u00e9\n" + joined).encode("latin-1", "replace"))
    (root / "seps.txt").write_text("\n\n" + "\n\n".join(examples) + "\n\n")
    (root / "empty.txt").write_bytes(b"")
    (root / ".npmrc").write_text("//registry.npmjs.org/:_authToken=" + "Zq8" * 12 + "\n")
    (root / "big.txt").write_text(("x = 1\n" * 2000) + examples[0])  # streamed


def _run(root: Path, **options: object) -> list[str]:
    ws = Workspace(root, use_git=False, max_file_size=10_000)
    opts = adapter().dump_python(adapter().validate_python(options))
    settings = ScannerSettings(options=opts, fingerprint_key=b"k")
    return [repr(i) for i in SecretsScanner().scan(ws, settings)]


@pytest.mark.parametrize("use_hyperscan", [False, True])
def test_batched_scan_equals_scanning_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_hyperscan: bool
) -> None:
    if use_hyperscan:
        pytest.importorskip("hyperscan")
    _tree(tmp_path)
    monkeypatch.setattr(secrets_mod, "BATCH_FILES", 5)  # many batches, a file alone too
    batched = _run(tmp_path, use_hyperscan=use_hyperscan)
    monkeypatch.setattr(secrets_mod, "BATCH_FILES", 1)
    alone = _run(tmp_path, use_hyperscan=use_hyperscan)
    monkeypatch.setattr(SecretEngine, "may_find", lambda self, blobs, paths: [True] * len(blobs))
    unfiltered = _run(tmp_path, use_hyperscan=use_hyperscan)
    assert batched == unfiltered
    assert alone == unfiltered
    assert sum("Finding(" in i for i in unfiltered) > 40


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "gone.txt"
    f.write_text("x")
    ws = Workspace(tmp_path, use_git=False)
    assert len(ws.all_files()) == 1  # discovered, then removed
    f.unlink()
    settings = ScannerSettings(options={}, fingerprint_key=b"k")
    items = list(SecretsScanner().scan(ws, settings))
    assert [type(i).__name__ for i in items] == ["ScanError"]
    assert "cannot read file" in items[0].message  # type: ignore[attr-defined]


def test_path_prefilter_equals_the_path_regexes(engine: SecretEngine) -> None:
    """The path database names, for each path of a batch, exactly the bound rules whose own
    path regex matches it (a hit of an exact regex is taken as it is, any other is tested
    with the rule it names; a path past ASCII with every rule)."""
    names = ["credentials", "config", ".pypirc", "kubeconfig", ".htpasswd", "x.tfvars", "a.xml"]
    names += ["app.yaml", "b.YML", "c.json", "d.jsonc", "kubeconfig.yaml", "x.tfvars.json"]
    names += ["ré.tfvars", "wpa_supplicant-é.conf", "é.nmconnection", "\u0130.YAML"]
    paths: list[str | None] = [None, "", "src/app.py", "a\nb/.pypirc", "config/x.py"]
    for name in names:
        paths += [name, f"dir/{name}", f"dir/{name}.bak", f"pre{name}", f"{name}/x.py"]

    def oracle(p: str | None) -> tuple[int, ...]:
        if p is None or not engine.uses_hyperscan:
            return ()
        rules = engine.rules_all
        return tuple(i for i in engine._bound if re.search(rules[i].path_regex or "", p))

    got = engine._outside_paths(paths)
    assert got == [oracle(p) for p in paths]
    if engine.uses_hyperscan:
        assert any(got) and not all(got)
        assert any(len(a) > 1 for a in got)  # kubeconfig.yaml: two kubeconfig rules, YAML's
        big = paths * 3  # no newline in any path: the joined Hyperscan pass
        big = [p for p in big if p is None or "\n" not in p]
        assert engine._outside_paths(big) == [oracle(p) for p in big]
        assert [bool(a) for a in got] == [engine._outside_applies(p) for p in paths]


def assert_hit_where_matched(rule: SecretRule, text: str, ends: set[int], skip: int = 0) -> int:
    """Assert that Hyperscan's hit ends (byte offsets, ``ends``) hold each match of
    ``rule``'s regex in ``text`` after its first ``skip`` characters: at the match's end, or
    for a prefilter inside it; the number of matches."""
    count = 0
    for m in rule.compiled().finditer(text, skip):
        start = len(text[: m.start()].encode("utf-8", "surrogatepass"))
        end = len(text[: m.end()].encode("utf-8", "surrogatepass"))
        if rule.prefilter:
            assert any(start < e <= end for e in ends), rule.id
        else:
            assert end in ends, rule.id
        count += 1
    return count


def test_every_rule_is_hit_where_it_matches_its_own_examples(hs_engine: SecretEngine) -> None:
    """The pattern Hyperscan holds for a rule (its regex, a looser ``hs_regex`` or a
    ``prefilter`` prefix) reports every match of the rule's regex on the rule's own examples,
    in the batch pass the scanner uses: at the match's end, or for a prefilter inside it."""
    rules = hs_engine.rules_all
    texts = [r.to_rule().vulnerable_example for r in rules]
    paths = [f"t/{i}.txt" for i in range(len(texts))]
    hs_engine.may_find([t.encode("utf-8", "surrogatepass") for t in texts], paths)
    memo = dict(hs_engine._hits_memo)
    hs_engine.may_find([], [])
    checked = 0
    for i, (rule, text, path) in enumerate(zip(rules, texts, paths, strict=True)):
        if i not in hs_engine._hs_rules:
            continue
        ends = {end for end, rid in memo.get(path, (b"", []))[1] if rid == i}
        checked += assert_hit_where_matched(rule, text, ends)
    assert checked > 700
    assert sum(1 for r in rules if r.hs_regex) > 100


_STEM_TAKES = re.compile(builders._STEM_KEY.split("(?=")[0])  # the part that consumes


@settings(max_examples=200, deadline=None)
@given(text=st.from_regex(_STEM_TAKES, fullmatch=True))
def test_the_loose_stem_key_takes_what_the_stem_key_takes(text: str) -> None:
    """``_STEM_KEY_LOOSE`` (Hyperscan's form) consumes every text ``_STEM_KEY`` consumes."""
    assert re.fullmatch(builders._STEM_KEY_LOOSE, text)


def test_the_stem_key_width() -> None:
    width = sre_parse.parse(builders._STEM_KEY).getwidth()
    assert width == (0, builders._STEM_KEY_WIDTH)
