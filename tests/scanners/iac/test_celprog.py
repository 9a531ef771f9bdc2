"""The compiled CEL conditions (celprog) give what cel-python's interpreter gives: on every
packaged rule's examples, on hand-picked corner cases and on fuzzed resources."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.scanners.iac import datarules, scan_kubernetes
from pipesec.scanners.iac.cel import Condition, to_cel
from pipesec.scanners.iac.hcl import Expr
from pipesec.scanners.iac.tfproject import scan_texts

FILES = datarules.rule_files()


@pytest.fixture
def both_agree(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every evaluation runs both ways and must agree; yields the evaluation count."""
    real = Condition.matches
    count = [0]

    def checked(self: Condition, activation: Any) -> bool:
        fast = real(self, activation)
        assert fast == self.interpreted(activation), (self.text, activation)
        count[0] += 1
        return fast

    monkeypatch.setattr(Condition, "matches", checked)
    yield count


def test_every_rule_example_agrees_with_the_interpreter(both_agree: list[int]) -> None:
    ids = {f"{p}/{rf.id}" for rf in FILES for p in ("tf", "k8s")}
    for rf in FILES:
        for prefix, target in (("tf", rf.terraform), ("k8s", rf.kubernetes)):
            if target is None:
                continue
            others = frozenset(ids - {f"{prefix}/{rf.id}"})  # only this rule's condition
            for text in (target.examples.vulnerable, target.examples.fixed):
                if prefix == "tf":
                    list(scan_texts({"main.tf": text}, others))
                else:
                    list(scan_kubernetes("deploy.yaml", text, others))
    assert both_agree[0] > len(FILES)


def test_every_rule_compiles() -> None:
    """No packaged condition falls back to the (60x slower) interpreter."""
    for rf in FILES:
        tf_names = (
            {"r", "type", "label", "providers", "defaults"}
            if rf.terraform and rf.terraform.defaults
            else {"r", "type", "label", "providers"}
        )
        if rf.terraform and rf.terraform.links:
            tf_names.add("links")
        for target, names in (
            (rf.terraform, tf_names),
            (rf.kubernetes, {"o", "pod", "meta", "c"}),
        ):
            if target is not None:
                c = Condition(target.condition)
                c.compile()
                assert c._compiled(frozenset(names)) is not None, rf.id
        for d in rf.terraform.defaults.values() if rf.terraform else ():
            c = Condition(d.condition)
            c.compile()
            assert c._compiled(frozenset({"d"})) is not None, rf.id


CORNERS = [
    "r.a == true || r.b == 1",
    "r.a == true && r.b == 1",
    "!has(r.a) || r.a != true",
    "has(r.a.b)",
    "has(r.l)",
    "r.l.exists(x, x == 'a')",
    "r.l.all(x, x == 'a')",
    "r.l.exists_one(x, x == 'a')",
    "r.l.filter(x, x != 'a').size() > 0",
    "r.l.map(x, lower(x)).exists(x, x == 'a')",
    "r.l.exists(x, r.l.map(y, y + 'z').exists(z, z == x))",
    "size(r.l) > 1 ? r.a == true : r.b == 2",
    "r.b * 2 > 3 && r.b / 0 == 1 || r.a == false",
    "-r.b < 0 && r.b % 2 == 1",
    "r.s.startsWith('0') || r.s.endsWith('/0') || r.s.contains('x') || r.s.matches('^a')",
    "'a' in r.l || 'k' in r.m",
    "r.m['k'] == 1 || r.l[0] == 'a' || r.l[5] == 'a'",
    "{'k': r.b}.k == 1 && [r.a, 1][0] == true",
    "world(r.l) || world(r.s)",
    "int_or(r.s, 0) > 10 || int(r.b) == 2 || string(r.b) == '2'",
    "from_json(r.s).Statement.exists(s, s.Effect == 'Allow')",
    "as_list(r.s).size() == 1 && dyn(r.b) == 1",
    "r.nope.x == 1 || r.undefinedfn() == 1 || undefinedfn(r.a)",
    "{r.s: 1, r.s: 2}.size() == 2",
]
VALUES = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(-3, 3),
        st.sampled_from(["a", "0.0.0.0/0", "1", "10", "", "x", '{"Statement": []}']),
        st.builds(Expr, st.sampled_from(["var.x", "aws_s3_bucket.b.id"])),
        st.none(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["k", "b", "a"]), inner)
    ),
    max_leaves=6,
)
RESOURCES = st.dictionaries(st.sampled_from(["a", "b", "l", "m", "s", "nope"]), VALUES)


@settings(max_examples=150, deadline=None)
@given(RESOURCES, st.sampled_from(CORNERS))
def test_fuzzed_resources_agree_on_corner_conditions(resource: dict[str, Any], text: str) -> None:
    c = Condition(text)
    activation = {"r": to_cel(resource)}
    assert c.matches(activation) == c.interpreted(activation)


_TF_CONDITIONS = sorted({rf.terraform.condition for rf in FILES if rf.terraform is not None})
_NAMES = sorted({n for t in _TF_CONDITIONS for n in re.findall(r"\br\.(\w+)", t)})


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(st.sampled_from(_NAMES), VALUES, max_size=4), st.sampled_from(_TF_CONDITIONS)
)
def test_fuzzed_resources_agree_on_rule_conditions(resource: dict[str, Any], text: str) -> None:
    c = Condition(text)
    activation = {"r": to_cel(resource)}
    assert c.matches(activation) == c.interpreted(activation)


def test_macro_errors_escape_as_in_celpy() -> None:
    """map() over an unknown element errs out of the whole condition, exists() does not."""
    r = {"r": to_cel({"l": [Expr("var.x"), "a"], "a": True})}
    assert not Condition("r.l.map(x, x + 'b').size() == 2 || r.a == true").matches(r)
    assert Condition("r.l.exists(x, x == 'a') || r.a == false").matches(r)
