"""The one positioned-YAML loader (core/yamlpos.py) and its guards, with the budgets the
pipelines and IaC scanners use."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.core.yamlpos import (
    MAX_REDEFINING_BYTES,
    Limits,
    YamlError,
    YNode,
    iter_documents,
    load,
    load_all,
)
from pipesec.scanners.pipelines.common import YAML_LIMITS as PIPELINES

IAC = Limits()


def _bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_positions_of_keys_values_and_block_scalars() -> None:
    text = "name: é\njobs:\n  a:\n    run: |\n      echo ${{ github.head_ref }}\n"
    doc = load("w.yml", text)
    assert doc.root is not None
    run = doc.root.get("jobs", "a", "run")
    assert run is not None
    assert (run.line, run.column, run.style, run.at) == (4, 10, "|", (4, 5))
    assert doc.root.get("jobs").key("a").line == 3  # type: ignore[union-attr]
    assert run.locate("${{ github.head_ref }}") == (5, 12, 5, 34)
    assert doc.root.get("name").style is None  # type: ignore[union-attr]
    assert doc.position(doc.offset(4, 5)) == (4, 5) and doc.line_text(2) == "jobs:"


def test_scalars_keep_their_text_and_resolve_as_yaml_1_1() -> None:
    doc = load("v.yml", "on: push\na: 0777\nb: 1_000\nc: yes\nd: 2024-01-01\ne: ~\nf: '1'\n")
    root = doc.root
    assert root is not None and "on" in root.value
    assert [root.scalar(k) for k in "abcdef"] == [511, 1000, True, "2024-01-01", None, "1"]
    assert root.get("a").text() == "0777"  # type: ignore[union-attr]


def test_merge_keys_resolve_and_a_bad_merge_is_an_error() -> None:
    doc = load("w.yml", "on: push\nbase: &b {x: 1, y: 2}\nj:\n  <<: *b\n  y: 3\n")
    assert doc.root is not None
    assert doc.root.get("j").plain() == {"x": 1, "y": 3}  # type: ignore[union-attr]
    with pytest.raises(YamlError, match="merge key"):
        load("w.yml", "a: &a 1\nb:\n  <<: *a\n")


def test_aliases_share_values_but_keep_their_own_key_positions() -> None:
    text = (
        "x-env: &env\n  LOG: info\nservices:\n  a:\n    environment: *env\n"
        "  b:\n    environment: *env\n"
    )
    root = load("c.yml", text).root
    assert root is not None
    a, b = root.get("services", "a", "environment"), root.get("services", "b", "environment")
    assert a is not None and b is not None
    assert (a.key_line, b.key_line) == (5, 7) and a.value is b.value
    assert a.scalar("LOG") == b.scalar("LOG") == "info"


def test_unknown_tags_are_kept_and_tag_hooks_replace_nodes() -> None:
    doc = load("g.yml", "a:\n  script: !reference [.setup, script]\n")
    node = doc.root.get("a", "script")  # type: ignore[union-attr]
    assert node is not None and node.tag == "!reference" and node.is_seq

    def ref(node: YNode) -> YNode:
        return YNode({"Ref": node}, node.line, node.column, doc=node.doc)

    text = "Resources:\n  B:\n    Bucket: !Ref Name\n    Other: &o !Ref X\n    Again: *o\n"
    root = load("t.yaml", text, tags={"!Ref": ref}).root
    assert root is not None
    bucket = root.get("Resources", "B", "Bucket")
    assert bucket is not None and bucket.plain() == {"Ref": "Name"}
    assert (bucket.line, bucket.key_line) == (3, 3)
    assert root.get("Resources", "B", "Again").plain() == {"Ref": "X"}  # type: ignore[union-attr]


def test_duplicate_keys_are_an_error_or_the_later_wins() -> None:
    text = "on: push\njobs: {}\non: pull_request\n"
    with pytest.raises(YamlError) as info:
        load("w.yml", text, PIPELINES)
    assert (info.value.line, info.value.column) == (3, 1)
    assert "duplicate key 'on'" in info.value.message
    assert load("k.yaml", text, IAC).root.scalar("on") == "pull_request"  # type: ignore[union-attr]


def test_a_redefined_anchor_is_valid_and_the_later_definition_wins() -> None:
    text = "a: &x 1\nb: *x\n---\nc: &y 1\nd: &y 2\ne: *y\n"
    docs = list(iter_documents("r.yml", text))
    assert [d.root.plain() for d in docs] == [  # type: ignore[union-attr]
        {"a": 1, "b": 1},
        {"c": 1, "d": 2, "e": 2},
    ]
    filler = "# " + "x" * 78 + "\n"
    big = ".a: &s [1]\n.b: &s [2]\n" + filler * (MAX_REDEFINING_BYTES // len(filler) + 1)
    with pytest.raises(YamlError, match="defined twice"):
        load("big.yml", big)


@pytest.mark.parametrize("limits", [PIPELINES, IAC], ids=["pipelines", "iac"])
def test_billion_laughs_is_refused_quickly(limits: Limits) -> None:
    with pytest.raises(YamlError) as info:
        load_all("bomb.yml", _bomb(), limits)
    assert "YAML bomb" in info.value.message


def test_size_budgets_count_over_the_whole_file() -> None:
    with pytest.raises(YamlError, match="more than 10 YAML nodes"):
        load_all("n.yml", "a: 1\n---\nb: [1, 2, 3]\n---\nc: {d: 1, e: 2}\n", Limits(nodes=10))
    with pytest.raises(YamlError, match="more than 2 YAML documents"):
        load_all("d.yml", "a\n---\nb\n---\nc\n", Limits(documents=2))


def test_recursive_alias_and_deep_nesting() -> None:
    with pytest.raises(YamlError):
        load("r.yml", "&a [*a]")
    with pytest.raises(YamlError):
        load("d.yml", "[" * 1000 + "]" * 1000)
    with pytest.raises(YamlError, match="nested more than 1000"):
        load("d.yml", "[" * 100_000)


def test_malformed_yaml_has_position() -> None:
    with pytest.raises(YamlError) as info:
        load("m.yml", "jobs:\n  a: [1\n")
    assert info.value.line >= 2 and info.value.message.startswith("invalid YAML")
    for text in ("a: 1\nb: x\x07\n", "a: &s 1\nb: &s 2\nc: \x07\n"):  # libyaml, pure Python
        with pytest.raises(YamlError, match="invalid YAML") as info:
            load("c.yml", text)
        assert info.value.line in (2, 3)


def test_multi_document() -> None:
    docs = load_all("c.yml", "spec:\n  inputs: {}\n---\njob:\n  script: [x]\n")
    assert len(docs) == 2 and docs[1].root is not None
    assert [d.root for d in load_all("e.yml", "")] == [None]
    with pytest.raises(YamlError):
        load("c.yml", "a: 1\n---\nb: 2\n")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \n:-[]{}&*!|>'\"#abc$<", max_size=80))
def test_fuzz_never_raises_anything_else(text: str) -> None:
    for limits in (PIPELINES, IAC):
        try:
            docs = load_all("f.yml", text, limits)
        except YamlError:
            continue
        for doc in docs:
            if doc.root is not None:
                doc.root.plain()


def test_fast_tag_resolution_agrees_with_the_safe_loader() -> None:
    import yaml

    from pipesec.core.yamlpos import _loaders

    text = (
        "a: plain\nb: 'quoted'\nc: \"1\"\nd: 1\ne: on\nf: [x, 2.5, null, ~]\n"
        "g: {h: yes}\ni: !custom v\nj: ''\nk:\n"
    )

    def tags(node: yaml.Node) -> list[str]:
        out = [node.tag]
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                out += tags(k) + tags(v)
        elif isinstance(node, yaml.SequenceNode):
            for c in node.value:
                out += tags(c)
        return out

    ours = yaml.compose(text, Loader=_loaders()[0])
    theirs = yaml.compose(text, Loader=yaml.SafeLoader)
    assert ours is not None and theirs is not None
    assert tags(ours) == tags(theirs)
