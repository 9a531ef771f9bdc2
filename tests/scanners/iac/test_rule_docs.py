"""docs/rules/ is generated from rule metadata; this fails when it is stale."""

from __future__ import annotations

from pathlib import Path

from pipesec import docs_gen
from pipesec.scanners.iac import IacScanner

DOCS = Path(__file__).parents[3] / "docs" / "rules"


def test_rule_reference_is_up_to_date() -> None:
    stale = docs_gen.check(DOCS)
    assert not stale, f"stale rule reference {stale}: run `pipesec rules docs` and commit"


def test_secret_examples_are_redacted() -> None:
    rules = [r for r in IacScanner().rules() if "secret" in r.tags]
    pages = docs_gen.render(rules)
    text = "\n".join(pages.values())
    # the examples' fake values, named by parts so this file holds none of them whole
    needles = (
        "k8Tz" + "-Wq93",
        "gQ7w" + "Zp2Lx9",
        "Orders" + "-2024",
        "pg" + "-Xr82",
        "v9Lr" + "-2kqP",
    )
    for needle in needles:
        assert needle not in text
    assert "*****" in text


def test_redact_spans_multiline() -> None:
    text = "a\nkey: -----BEGIN\nMIDDLE\nEND----- tail\nz"
    out = docs_gen.redact_spans(text, [(2, 6, 4, 9)])
    assert "MIDDLE" not in out and out.endswith(" tail\nz")


def test_cli_rules_docs_writes_and_checks(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pipesec.cli.main import app

    out = tmp_path / "rules"
    runner = CliRunner()
    stale = runner.invoke(app, ["rules", "docs", "--check", "--out", str(out)])
    assert stale.exit_code == 1 and "stale" in stale.output
    wrote = runner.invoke(app, ["rules", "docs", "--out", str(out)])
    assert wrote.exit_code == 0 and (out / "README.md").is_file() and (out / "docker.md").is_file()
    ok = runner.invoke(app, ["rules", "docs", "--check", "--out", str(out)])
    assert ok.exit_code == 0, ok.output
