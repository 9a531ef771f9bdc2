"""Issue 12 items 10 and 6: text from the tree reaches no output raw.

A file name with newlines that forges a verdict and a GitHub workflow command, bidi
controls, imported SARIF text with newlines and U+202E, and a file name that is not UTF-8
go through every writer: no line of any output starts with ``::`` or forges a verdict, no
raw control or bidi character is written, and no writer crashes or leaves a 0-byte report.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.report import FORMATS
from pipesec.report.safe import _Escaper, neutralise_lines

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names")

# built from parts at run time: no literal credential lives in this repository's code
KEY = "AKIA" + "Q3EGRT5YVJ2M" + "ZXHP"
FORGED = "a\n\nGATE PASSED\n::warning::x.py"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _hostile_tree(root: Path) -> Path:
    root.mkdir()
    line = f'KEY = "{KEY}"\n'.encode()
    for name in (FORGED.encode(), b"x\xff.py", "b\u202egnp.py".encode(), b"c\rGATE PASSED.py"):
        with open(os.path.join(os.fsencode(root), name), "wb") as fh:
            fh.write(line)
    sarif = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "evil", "rules": [{"id": "E1"}]}},
                "results": [
                    {
                        "ruleId": "E1",
                        "level": "error",
                        "message": {"text": "x\n\nGATE PASSED\n::error::forged \u202eoops"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": "ok.py"},
                                    "region": {"startLine": 1},
                                }
                            }
                        ],
                    }
                ],
            }
        ],
    }
    (root.parent / "evil.sarif").write_text(json.dumps(sarif))
    return root


def _check_lines(data: str, where: str) -> None:
    assert not RAW.search(data), f"{where}: raw control or bidi character"
    for line in data.splitlines():
        assert not line.lstrip().startswith("::"), f"{where}: workflow command {line!r}"
        assert line.strip() != "GATE PASSED", f"{where}: forged verdict"


def test_every_writer_escapes_tree_text(tmp_path: Path) -> None:
    root = _hostile_tree(tmp_path / "repo")
    out = tmp_path / "out"
    outputs = [a for fmt in FORMATS for a in ("--output", f"{fmt}={out / fmt}")]
    result = CliRunner().invoke(
        app,
        [
            "scan",
            str(root),
            "--no-progress",
            "--no-step-summary",
            "--import-sarif",
            str(tmp_path / "evil.sarif"),
            *outputs,
        ],
    )
    assert result.exit_code == 1, result.output  # the planted keys fail the gate
    assert "Traceback" not in result.output
    _check_lines(result.stdout, "table on stdout")
    _check_lines(result.stderr, "stderr")
    assert "x\\xff.py" in result.stdout, "the undecodable byte is shown as an escape"
    assert "\\u202e" in result.stdout
    for fmt in FORMATS:
        written = (out / fmt).read_bytes()
        assert written, f"{fmt}: never a 0-byte report"
        text = written.decode("utf-8")  # valid UTF-8 even for a name that is not
        _check_lines(text, fmt)
        if fmt in ("json", "sarif") or fmt.startswith(("gitlab", "cyclonedx-json")):
            json.loads(text)
    doc = json.loads((out / "json").read_text())
    paths = {f["location"]["path"] for f in doc["findings"]}
    assert {"x\\xff.py", "b\\u202egnp.py", "a\\n\\nGATE PASSED\\n::warning::x.py"} <= paths


def test_verbose_log_lines_are_escaped(tmp_path: Path) -> None:
    root = _hostile_tree(tmp_path / "repo")
    result = CliRunner().invoke(app, ["scan", str(root), "--no-progress", "-v", "-f", "json"])
    assert result.exit_code == 1
    _check_lines(result.stderr, "stderr")


def test_a_clean_tree_with_an_undecodable_name_passes_with_whole_reports(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    with open(os.path.join(os.fsencode(root), b"x\xff.py"), "wb") as fh:
        fh.write(b"print(1)\n")
    with open(os.path.join(os.fsencode(root), b"b\xfe.bin"), "wb") as fh:
        fh.write(b"\x00\x01 binary: a note names it")
    out = tmp_path / "out"
    outputs = [a for fmt in FORMATS for a in ("--output", f"{fmt}={out / fmt}")]
    result = CliRunner().invoke(
        app, ["scan", str(root), "--no-progress", "--no-step-summary", *outputs]
    )
    assert result.exit_code == 0, result.output
    for fmt in FORMATS:
        assert (out / fmt).stat().st_size > 2, fmt
    sarif = json.loads((out / "sarif").read_text())
    assert sarif["runs"][0]["results"] == []


_PIECES = [b":", b"::", b" ", b"\t", b"\r", b"\n", b"\x0b", b"\x0c", b"a", b"\\", b"\xc2\x85"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map(b"".join))
def test_neutralise_lines_escapes_exactly_the_command_lines(data: bytes) -> None:
    # a line whose first non-blank characters (as bytes.lstrip) are "::" gets a backslash
    out = neutralise_lines(data).split(b"\n")
    lines = data.split(b"\n")
    assert out == [b"\\" + x if x.lstrip().startswith(b"::") else x for x in lines]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab :\n\t\r\x1b\u202e\u2028"), max_size=30), st.booleans())
def test_the_printable_lines_shortcut_escapes_like_escape_text(text: str, keep: bool) -> None:
    from pipesec.core.redact import escape_text

    assert _Escaper().text(text, keep) == escape_text(text, keep_newlines=keep)
