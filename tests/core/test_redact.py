from hypothesis import given
from hypothesis import strategies as st

from pipesec.core import redact


def test_a_cut_never_leaves_half_a_credential_at_its_edges() -> None:
    """Trimming a long line around one secret must not keep the tail of another one whose
    start (the URL's scheme and user) fell outside the window: no detector would see it."""
    from pipesec.core.redact import trim_snippet

    other = "K+Qcaz3K" + "IUGQNOoJts6zv5kf"
    line = (
        '{"a": {"resolved": "https://u:'
        + other
        + '@registry.example/p0/-/p0-1.0.0.tgz"}, '
        + '"b": {"resolved": "https://u:AKIA*****@registry.example/p1/-/p1-1.0.0.tgz"}}'
    )
    focus = line.index("AKIA")
    snippet = trim_snippet(line, focus=focus, max_len=120)
    assert snippet.startswith("...") and "AKIA*****" in snippet
    assert other[4:] not in snippet
    tail = trim_snippet(line + " " + other + "x" * 200, focus=focus, max_len=120)
    assert other[:6] not in tail.replace(other[:4] + "*", "")


@given(
    st.text(alphabet=st.sampled_from("ab9 \t\u00a0\u2028\"'`,;()[]{}<>=x"), max_size=60),
    st.integers(-5, 70),
)
def test_last_token_end_is_the_last_of_the_token_ends(text: str, at: int) -> None:
    # trim_snippet cuts the tail at the last token end after the focus: one greedy match
    # finds the end of the last of the matches that finditer lists
    ends = [m.start() for m in redact._TOKEN_END.finditer(text, max(0, at))]
    last = redact._LAST_TOKEN_END.match(text, max(0, at))
    assert (last.end() if last else None) == (ends[-1] + 1 if ends else None)
