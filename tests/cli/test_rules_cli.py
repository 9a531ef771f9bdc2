"""`pipesec rules explain` renders Markdown for a terminal and keeps it plain for a pipe."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from pipesec.cli.main import app, render_markdown


def test_markdown_is_rendered_for_a_terminal() -> None:
    text = "**Hard-coded password**\n\nUse `os.environ`.\n\nVulnerable:\n```\nx = 1\n```"
    out = render_markdown(text, width=60)
    assert "**" not in out and "```" not in out and "`" not in out
    assert "Hard-coded password" in out and "x = 1" in out
    assert "\x1b[" in out  # drawn with the terminal's attributes
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert all(len(line) <= 60 for line in plain.splitlines())


def test_explain_to_a_pipe_is_markdown_with_the_reported_severity() -> None:
    result = CliRunner().invoke(app, ["rules", "explain", "bandit/B105"])
    assert result.exit_code == 0
    first, _, body = result.output.partition("\n")
    assert first == "bandit/B105  [low]"  # bandit reports B105 as low
    assert body.startswith("**Hardcoded password string**")
