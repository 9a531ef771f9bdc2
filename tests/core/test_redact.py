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
