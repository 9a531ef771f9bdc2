"""Property tests: nothing a policy returns or a policy file holds crashes pipesec."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.policy import rego, rego_gate

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
result_objects = st.fixed_dictionaries(
    {},
    optional={
        "msg": json_values,
        "severity": st.sampled_from(["critical", "HIGH", "bogus", ""]) | json_values,
        "rule_id": json_values,
        "location": json_values
        | st.fixed_dictionaries(
            {"path": st.text()},
            optional={"line": json_values, "start_line": json_values, "end_line": json_values},
        ),
    },
)


@given(value=json_values | result_objects, kind=st.sampled_from(["deny", "warn"]))
def test_any_result_becomes_a_finding(value: object, kind: rego.Kind) -> None:
    f = rego_gate.to_finding(rego.Result("main", kind, kind, value), {})
    assert f.rule_id == f"policy/main/{kind}"
    assert isinstance(f.message, str) and f.fingerprint
    assert f.location.start_line >= 0


@given(st.text())
def test_any_error_text_is_one_line(text: str) -> None:
    err = rego.policy_error(text, "x.rego")
    assert str(err) and "\n" not in str(err).strip()


rego_words = st.sampled_from(
    [
        "package main\n",
        "import rego.v1\n",
        "deny",
        " contains ",
        "msg",
        " if ",
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        ":=",
        "=",
        "==",
        '"x"',
        "input.findings",
        "some",
        " in ",
        "every",
        "not ",
        "\n",
        "1",
        "/",
        "0",
        "with",
        " as ",
        "default ",
        "import data.x\n",
        "`raw`",
        "#",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(rego_words, max_size=30).map("".join) | st.text(max_size=200))
def test_any_policy_text_loads_or_is_a_policy_error(text: str) -> None:
    try:
        engine = rego._load([rego.Module("fuzz.rego", text)], ())
        rego.rules_by_package(engine)
    except rego.PolicyError as exc:
        assert "\n" not in str(exc).strip()


@settings(max_examples=30, deadline=None)
@given(st.lists(rego_words, max_size=30).map("".join) | st.text(max_size=200))
def test_an_engine_is_freed_on_its_own_thread(text: str) -> None:
    """An engine the loader made is freed when the load ends (review19): a policy that
    failed as Rego v1 and v0 left the engine in a reference cycle (the v1 error, kept in a
    local, held its traceback and so the frames), and the cyclic collector freed it on
    whichever thread ran next (a scanner's ``GcBatches``): regorus' Engine may be dropped
    only on the thread that made it, and the test run showed "regoruspy::Engine is
    unsendable, but is being dropped on another thread" as an unraisable exception."""
    import contextlib
    import gc
    import sys
    import threading

    seen: list[str] = []
    hook = sys.unraisablehook
    sys.unraisablehook = lambda u: seen.append(f"{u.exc_type.__name__}: {u.exc_value}")
    try:
        with contextlib.suppress(rego.PolicyError):
            rego._load([rego.Module("fuzz.rego", text)], ())
        other = threading.Thread(target=gc.collect)
        other.start()
        other.join()
    finally:
        sys.unraisablehook = hook
    assert seen == []
