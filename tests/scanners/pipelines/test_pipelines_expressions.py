"""The ${{ }} expression parser."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.scanners.pipelines import expressions as ex


@pytest.mark.parametrize(
    ("src", "rendered"),
    [
        ("github.event.issue.title", "github.event.issue.title"),
        ("GitHub.Event.Issue.Title", "github.event.issue.title"),
        ("steps['my-step'].outputs.x", "steps['my-step'].outputs.x"),
        ("github.event.commits[0].message", "github.event.commits[0].message"),
        ("a || b && c", "(a || (b && c))"),
        ("!a == b", "(!a == b)"),
        ("a < 1 == b >= 2", "((a < 1) == (b >= 2))"),
        ("format('{0}-{1}', a, 'x''y')", "format('{0}-{1}', a, 'x''y')"),
        ("0xff == 255", "(255 == 255)"),
        ("-1.5e2 < 3", "(-150 < 3)"),
        ("null == false", "(null == false)"),
        ("labels.*.name", "labels.*.name"),
        ("fromJSON(inputs.cfg)[0].name", "fromjson(inputs.cfg)[0].name"),
        ("(a)", "a"),
    ],
)
def test_parse_and_render(src: str, rendered: str) -> None:
    assert ex.render(ex.parse(src)) == rendered


@pytest.mark.parametrize(
    "bad", ["", "a ==", "(a", "'open", "a..b", "a b", "f(a,", "a[1", "!", "1 +", "#", "a.1"]
)
def test_errors_have_offsets(bad: str) -> None:
    with pytest.raises(ex.ExprError) as info:
        ex.parse(bad)
    assert 0 <= info.value.offset <= len(bad)


def test_context_paths() -> None:
    e = ex.parse("contains(github.event.pull_request.labels.*.name, env[matrix.k]) && x")
    assert set(ex.context_paths(e)) == {
        ("github", "event", "pull_request", "labels", "*", "name"),
        ("env", "*"),
        ("matrix", "k"),
        ("x",),
    }


def test_find_fenced_respects_strings() -> None:
    text = "a ${{ 'x}}y' }} b ${{ github.sha }} c ${{ unterminated"
    found = ex.find_fenced(text)
    assert [f.inner.strip() for f in found] == ["'x}}y'", "github.sha"]
    assert text[found[1].start : found[1].end] == "${{ github.sha }}"


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(ex.ExprError):
        ex.parse("(" * 5000 + "a" + ")" * 5000)
    with pytest.raises(ex.ExprError):
        ex.parse("!" * 5000 + "a")


_names = st.from_regex(r"[a-z_][a-z0-9_-]{0,6}", fullmatch=True).filter(
    lambda s: s not in ("true", "false", "null")
)


def _exprs() -> st.SearchStrategy[ex.Expr]:
    leaves = st.one_of(
        st.builds(ex.Literal, st.text(alphabet="ab' {}", max_size=5)),
        st.builds(ex.Literal, st.integers(0, 1000).map(float)),
        st.builds(ex.Literal, st.booleans()),
        st.just(ex.Literal(None)),
        st.builds(ex.Context, _names),
    )

    def extend(children: st.SearchStrategy[ex.Expr]) -> st.SearchStrategy[ex.Expr]:
        return st.one_of(
            st.builds(ex.Prop, children, _names),
            st.builds(ex.Index, children, children),
            st.builds(ex.Call, _names, st.lists(children, max_size=3).map(tuple)),
            st.builds(ex.Unary, st.just("!"), children),
            st.builds(
                ex.Binary,
                st.sampled_from(["||", "&&", "==", "!=", "<", "<=", ">", ">="]),
                children,
                children,
            ),
        )

    return st.recursive(leaves, extend, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_exprs())
def test_render_parse_roundtrip(e: ex.Expr) -> None:
    text = ex.render(e)
    assert ex.render(ex.parse(text)) == text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abc.[]()'!=<>&|*,0x1 -+e\"", max_size=40))
def test_fuzz_parse_raises_only_expr_error(src: str) -> None:
    with contextlib.suppress(ex.ExprError):
        ex.parse(src)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="${}' ab", max_size=60))
def test_fuzz_find_fenced(text: str) -> None:
    for f in ex.find_fenced(text):
        assert text[f.start : f.end] == f.raw
