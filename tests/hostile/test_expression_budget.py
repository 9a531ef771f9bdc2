"""Item 7: a GitHub expression over the parser's budget fails the scan instead of being
skipped (GitHub accepts expressions up to 21,000 characters; the parser stops at 20,000)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hostile.budget_helpers import errors_of, scan

from pipesec.scanners.pipelines import expressions as ex

WORKFLOW = """on: issues
jobs:
  triage:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{{{ {expr} }}}}"
"""


@pytest.mark.parametrize(
    "expr",
    [
        "github.event.issue.title || '" + "x" * 20_100 + "'",
        "(" * 150 + "github.event.issue.title" + ")" * 150,
    ],
)
def test_expression_over_the_budget_is_a_scan_error(tmp_path: Path, expr: str) -> None:
    wf = tmp_path / ".github" / "workflows" / "triage.yml"
    wf.parent.mkdir(parents=True)
    wf.write_text(WORKFLOW.replace("{expr}", expr).replace("{{{{", "{{").replace("}}}}", "}}"))
    code, report, _ = scan(tmp_path, "--scanner", "pipelines")
    assert code in (1, 3)  # never a pass
    errs = errors_of(report)
    assert errs and errs[0]["path"] == ".github/workflows/triage.yml"
    assert errs[0]["line"] == 6 and "not analysed" in errs[0]["message"]


def test_syntax_errors_are_not_budget_errors() -> None:
    assert ex.budget_errors("${{ github.event.issue.title ||| }}") == []
    assert ex.budget_errors("${{ github.sha }}") == []
