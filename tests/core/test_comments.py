from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.core.comments import comments_by_line, syntax_for


def test_python_comments_come_from_tokenize() -> None:
    text = 'a = "# not a comment"  # real one\ns = """\n# inside a string\n"""\n# last\n'
    assert comments_by_line(text, "x.py") == {1: "# real one", 5: "# last"}


def test_c_family_line_and_block_comments() -> None:
    text = 'var u = "// no"; // yes\n/* one\n two */ x = `\n// in template\n`;\n'
    got = comments_by_line(text, "a.js")
    assert got[1] == "// yes" and got[2] == "/* one" and got[3] == " two */"
    assert 4 not in got


def test_shell_yaml_dockerfile_hash_needs_a_space() -> None:
    assert comments_by_line("echo a#b # c\n", "run.sh") == {1: "# c"}
    assert comments_by_line("k: 'it''s # no'  # yes\n", "a.yml") == {1: "# yes"}
    assert comments_by_line("RUN x # shell comment\n", "Dockerfile") == {1: "# shell comment"}


def test_markup_sql_hcl_json() -> None:
    assert comments_by_line("<p>x</p><!-- c -->\n", "a.html") == {1: "<!-- c -->"}
    assert comments_by_line("select '--x' -- c\n", "q.sql") == {1: "-- c"}
    assert comments_by_line('a = "#x" # c\nb = 1 // d\n', "main.tf") == {1: "# c", 2: "// d"}
    assert comments_by_line('{"a": "// x # y"}\n', "a.json") == {}


def test_syntax_lookup() -> None:
    assert syntax_for("src/a.py") is None
    assert syntax_for("Dockerfile.prod") is syntax_for("deploy/Dockerfile")
    assert syntax_for("a.unknown") is not None


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab \n\"'`#/*-<!>;\\")), max_size=300),
    st.sampled_from(["a.py", "a.js", "a.sh", "a.yml", "a.sql", "a.html", "a.tf", "a.x", "a.rs"]),
)
def test_fuzz_lexer_never_raises_and_lines_are_real(text: str, path: str) -> None:
    got = comments_by_line(text, path)
    lines = text.split("\n")
    for n, comment in got.items():
        assert 1 <= n <= len(lines)
        assert "\n" not in comment
