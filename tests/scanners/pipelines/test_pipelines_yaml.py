"""Positioned YAML loading and its guards."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.scanners.pipelines.yamlload import YamlError, load, load_all


def test_positions_of_keys_values_and_block_scalars() -> None:
    text = "name: é\njobs:\n  a:\n    run: |\n      echo ${{ github.head_ref }}\n"
    doc = load("w.yml", text)
    assert doc.root is not None
    run = doc.root.get("jobs").get("a").get("run")  # type: ignore[union-attr]
    assert (run.line, run.col, run.style) == (4, 10, "|")
    assert doc.root.get("jobs").key("a").line == 3  # type: ignore[union-attr]
    assert run.locate("${{ github.head_ref }}") == (5, 12, 5, 34)
    assert doc.root.get("name").style is None  # type: ignore[union-attr]


def test_on_key_stays_a_string_and_merge_keys_resolve() -> None:
    doc = load("w.yml", "on: push\nbase: &b {x: 1, y: 2}\nj:\n  <<: *b\n  y: 3\n")
    assert doc.root is not None
    assert "on" in doc.root.value
    assert doc.root.get("j").to_python() == {"x": 1, "y": 3}  # type: ignore[union-attr]


def test_unknown_tags_are_kept() -> None:
    doc = load("g.yml", "a:\n  script: !reference [.setup, script]\n")
    node = doc.root.get("a").get("script")  # type: ignore[union-attr]
    assert node is not None and node.tag == "!reference"


def test_duplicate_key_is_an_error_at_the_second_key() -> None:
    with pytest.raises(YamlError) as info:
        load("w.yml", "on: push\njobs: {}\non: pull_request\n")
    assert (info.value.line, info.value.column) == (3, 1)
    assert "duplicate key 'on'" in info.value.message


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(YamlError) as info:
        load("bomb.yml", "\n".join(lines) + "\n")
    assert "alias bomb" in info.value.message


def test_recursive_alias_and_deep_nesting() -> None:
    with pytest.raises(YamlError):
        load("r.yml", "&a [*a]")
    with pytest.raises(YamlError):
        load("d.yml", "[" * 1000 + "]" * 1000)


def test_malformed_yaml_has_position() -> None:
    with pytest.raises(YamlError) as info:
        load("m.yml", "jobs:\n  a: [1\n")
    assert info.value.line >= 2 and info.value.message.startswith("invalid YAML")


def test_multi_document() -> None:
    docs = load_all("c.yml", "spec:\n  inputs: {}\n---\njob:\n  script: [x]\n")
    assert len(docs) == 2 and docs[1].root is not None
    with pytest.raises(YamlError):
        load("c.yml", "a: 1\n---\nb: 2\n")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \n:-[]{}&*!|>'\"#abc$", max_size=80))
def test_fuzz_never_raises_anything_else(text: str) -> None:
    try:
        doc = load("f.yml", text)
    except YamlError:
        return
    if doc.root is not None:
        doc.root.to_python()


def test_fast_tag_resolution_agrees_with_the_safe_loader() -> None:
    import yaml

    from pipesec.scanners.pipelines.yamlload import _Loader

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

    ours = yaml.compose(text, Loader=_Loader)
    theirs = yaml.compose(text, Loader=yaml.SafeLoader)
    assert ours is not None and theirs is not None
    assert tags(ours) == tags(theirs)
