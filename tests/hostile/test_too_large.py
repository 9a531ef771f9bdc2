"""Item 9: a file over the size limit that a scanner parses fails the scan (exit 3 under
the default policy) instead of being skipped with a note; the limit stays configurable."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hostile.budget_helpers import errors_of, findings_of, scan

PADDED = {
    "Dockerfile": "FROM ubuntu:latest\nUSER root\n" + "# padding\n" * 2_000,
    ".github/workflows/ci.yml": "on: pull_request_target\njobs: {}\n" + "# padding\n" * 2_000,
    "app.py": "import pickle\npickle.loads(data)\n" + "# padding\n" * 2_000,
}


@pytest.mark.parametrize("name", sorted(PADDED))
def test_padded_file_over_the_limit_fails_closed(tmp_path: Path, name: str) -> None:
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(PADDED[name])
    (tmp_path / ".pipesec.toml").write_text("max-file-size = 10000\n")  # 10 KB, not 10 MB
    code, report, _ = scan(
        tmp_path, "--scanner", "iac", "--scanner", "pipelines", "--scanner", "sast"
    )
    assert code == 3
    errs = errors_of(report)
    assert {e["path"] for e in errs} == {name}  # a workflow is YAML to iac too
    assert all("over the" in e["message"] and "max-file-size" in e["message"] for e in errs)


def test_large_file_no_scanner_parses_is_still_a_note(tmp_path: Path) -> None:
    (tmp_path / "blob.bin").write_bytes(b"\0" * 20_000)
    (tmp_path / ".pipesec.toml").write_text("max-file-size = 10000\n")
    code, report, _ = scan(
        tmp_path, "--scanner", "iac", "--scanner", "pipelines", "--scanner", "sast"
    )
    assert code == 0 and not errors_of(report)


def test_raising_the_limit_scans_the_file(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(PADDED["Dockerfile"])
    (tmp_path / ".pipesec.toml").write_text("max-file-size = 1000000\n")
    code, report, _ = scan(tmp_path, "--scanner", "iac")
    assert code in (0, 1) and not errors_of(report)
    assert any(f["location"]["path"] == "Dockerfile" for f in findings_of(report))  # type: ignore[index]
