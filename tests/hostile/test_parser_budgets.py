"""Items 5, 13 and 14: every parser has a time, memory and nesting budget; over budget is a
ScanError (or a precise usage error for configuration), never a hang or a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hostile.budget_helpers import errors_of, findings_of, planted_secret_line, scan

from pipesec.scanners.iac import hcl


def test_tf_parse_over_the_time_budget_is_a_scan_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 5: tree-sitter's error recovery is cancelled at the budget (0 s here, so no
    timing enters the test)."""
    monkeypatch.setattr(hcl, "PARSE_SECONDS", 0.0)
    (tmp_path / "main.tf").write_text("a = " + "{" * 100_000)
    code, report, _ = scan(tmp_path, "--scanner", "iac")
    assert code == 3
    (err,) = errors_of(report)
    assert err["path"] == "main.tf" and "budget" in err["message"]


def test_tf_of_nested_braces_ends_with_a_scan_error(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('a = "' + "${" * 4_000 + "}" * 4_000 + '"\n')
    code, report, _ = scan(tmp_path, "--scanner", "iac")
    assert code == 3
    assert [e["path"] for e in errors_of(report)] == ["main.tf"]


def test_tf_over_the_memory_budget_is_a_scan_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 14: tree-sitter holds 100-300 bytes per byte parsed; a file of newlines over the
    parse budget is refused before it is parsed (budget lowered to keep the test small)."""
    monkeypatch.setattr(hcl, "MAX_PARSE_BYTES", 64 * 1024)
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {}\n' + "\n" * 100_000)
    (tmp_path / "ok.tf").write_text('resource "aws_s3_bucket" "c" {}\n')
    code, report, _ = scan(tmp_path, "--scanner", "iac")
    assert code == 3
    (err,) = errors_of(report)
    assert err["path"] == "main.tf" and "parse budget" in err["message"]


DEEP_TOML = "a = " + "[" * 100_000 + "\n"


@pytest.mark.parametrize("name", [".pipesec.toml", "pyproject.toml"])
def test_deeply_nested_config_is_a_precise_usage_error(tmp_path: Path, name: str) -> None:
    """Item 13: one line naming the file, exit 2, no RecursionError traceback."""
    (tmp_path / name).write_text(DEEP_TOML)
    code, _, err = scan(tmp_path, "--scanner", "iac")
    assert code == 2
    assert "Traceback" not in err and "nested too deeply" in err and name in err


def test_deeply_nested_gitleaks_config_leaves_the_secrets_scanner_working(
    tmp_path: Path,
) -> None:
    (tmp_path / ".gitleaks.toml").write_text(DEEP_TOML)
    (tmp_path / "settings.py").write_text(planted_secret_line())
    code, report, _ = scan(tmp_path, "--scanner", "secrets")
    assert code == 3
    (err,) = errors_of(report)
    assert err["path"] == ".gitleaks.toml" and "nested too deeply" in err["message"]
    assert any(f["location"]["path"] == "settings.py" for f in findings_of(report))  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".github/workflows/ci.yml", "on: push\njobs: " + "[" * 100_000),
        (".gitlab-ci.yml", "- " * 100_000 + "x\n"),
        ("deploy.yaml", "apiVersion: v1\nkind: Pod\nspec: " + "{a: " * 100_000),
        ("docker-compose.yml", "services: " + "[" * 100_000),
    ],
)
def test_deeply_nested_yaml_is_a_scan_error_not_a_crash(
    tmp_path: Path, name: str, text: str
) -> None:
    """libyaml's composer recursed in C and the process died of SIGSEGV."""
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text)
    code, report, _ = scan(tmp_path, "--scanner", "pipelines", "--scanner", "iac")
    assert code == 3
    assert any("nested more than" in e["message"] for e in errors_of(report))


def test_python_the_parser_gives_up_on_is_a_file_error(tmp_path: Path) -> None:
    """CPython raises MemoryError on 100,000 nested unary operators: one file's error, the
    other files keep their findings."""
    (tmp_path / "deep.py").write_text("x = " + "-" * 100_000 + "1\n")
    (tmp_path / "app.py").write_text("import pickle\npickle.loads(data)\n")
    _, report, _ = scan(tmp_path, "--scanner", "sast")
    assert [e["path"] for e in errors_of(report)] == ["deep.py"]
    assert any(f["location"]["path"] == "app.py" for f in findings_of(report))  # type: ignore[index]


def test_tf_files_past_the_scan_total_are_scan_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 14: the trees of a project live together, so many files each under the per-file
    budget are bounded by a total (lowered here to keep the test small)."""
    monkeypatch.setattr(hcl, "MAX_TOTAL_PARSE_BYTES", 50_000)
    for i in range(4):
        (tmp_path / f"f{i}.tf").write_text(
            f'resource "aws_s3_bucket" "b{i}" {{}}\n' + "\n" * 20_000
        )
    code, report, _ = scan(tmp_path, "--scanner", "iac")
    assert code == 3
    errs = errors_of(report)
    assert [e["path"] for e in errs] == ["f2.tf", "f3.tf"]
    assert all("parse budget" in e["message"] for e in errs)


def test_a_policy_of_unclosed_strings_is_read_in_one_pass(tmp_path: Path) -> None:
    """A policy JSON rejects is read again without its trailing commas; that pass's string
    token was tried again from every quote of an unclosed run (``"\\"\\"…``), the square of
    its length: 32 kB of a heredoc policy took 2.7 s per read, a megabyte hours. The
    token now takes an unclosed string to the end, once."""
    text = '{"Statement": [' + '"\\' * 500_000 + ","
    with pytest.raises(ValueError):
        hcl.loads_policy(text)
    assert hcl.loads_policy('{"a": ["x\\",]",], "b": [1,\n ],}') == {"a": ['x",]'], "b": [1]}
    body = '{"Statement": [' + '"\\' * 100_000 + ","
    head = 'resource "aws_s3_bucket_policy" "p" {\n  bucket = "x"\n  policy = <<EOF\n'
    (tmp_path / "main.tf").write_text(f"{head}{body}\nEOF\n}}\n")
    code, report, _ = scan(tmp_path, "--scanner", "iac")
    assert code == 0 and not errors_of(report)


def test_module_references_are_read_in_one_pass(tmp_path: Path) -> None:
    """A caller's companion resource is linked through ``module.<call>[…].<output>``; the
    index's ``[…]`` ran to the text's end from every ``module.a[`` of an unclosed run, the
    square of its length (a 360 kB attribute: 15 s of an IaC scan). An index holds no
    ``[`` now: each reference is read up to the next one."""
    from pipesec.scanners.iac.tfproject import _MODULE_REF

    text = "module.a[" * 200_000 + 'module.a["k"].id module.b.arn'
    found = [m.group(0) for m in _MODULE_REF.finditer(text)]
    assert found == ['module.a["k"].id', "module.b.arn"]
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(
        'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'
        'output "id" {\n  value = aws_s3_bucket.b.id\n}\n'
    )
    refs = "module.a[" * 20_000
    (tmp_path / "main.tf").write_text(
        'module "a" {\n  source = "./m"\n}\n'
        'resource "aws_s3_bucket_versioning" "v" {\n'
        f'  bucket = "${{module.a.id}}{refs}"\n}}\n'
    )
    code, report, _ = scan(tmp_path, "--scanner", "iac")
    assert code == 0 and not errors_of(report)
