"""Item 17 (parts): a NUL planted near the top of a source file does not hide it from the
secrets scanner, and a corrupt go.mod fails the scan like other broken lock files."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hostile.budget_helpers import errors_of, findings_of, planted_secret_line, scan

from pipesec.core.workspace import Workspace, looks_binary


@pytest.mark.parametrize("name", ["settings.py", ".env", "deploy/config.yaml", "Dockerfile"])
def test_nul_in_a_source_file_does_not_hide_it(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"# \x00\n" + planted_secret_line().encode())
    code, report, _ = scan(tmp_path, "--scanner", "secrets")
    assert code == 1
    assert [f["location"]["path"] for f in findings_of(report)] == [name]  # type: ignore[index]


def test_real_binary_files_stay_binary(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    ws = Workspace(tmp_path)
    assert [f.path for f in ws.text_files()] == []
    assert looks_binary(b"\x00abc") and not looks_binary(b"\x00abc", "a.py")


@pytest.mark.parametrize(
    "text",
    [
        "\x7fELF\x02\x01\x01 garbage that is not go.mod\n",
        "module example.com/app\nrequire (\n\tgithub.com/a/b v1.0.0\n",
        "module example.com/app\nrequire github.com/a/b\n",
    ],
)
def test_corrupt_go_mod_fails_the_scan(tmp_path: Path, text: str) -> None:
    (tmp_path / "go.mod").write_text(text)
    code, report, _ = scan(tmp_path, "--scanner", "deps")
    assert code == 3
    assert [e["path"] for e in errors_of(report)] == ["go.mod"]
