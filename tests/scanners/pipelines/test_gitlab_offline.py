"""Exit 3 only for inputs the team owns: what only an unreadable include can define is a
note; a YAML anchor defined twice is valid (the later one wins)."""

from __future__ import annotations

from pathlib import Path

from pipesec.core.model import Note, ScanError

from .helpers import findings, scan_tree

REMOTE = """include:
  - remote: https://gitlab.example.com/ci/templates.yml
  - template: Security/SAST.gitlab-ci.yml
build:
  extends: .remote-build
  script:
    - curl https://example.com/install.sh | sh
test:
  script:
    - !reference [.remote-setup, script]
    - pytest
lint:
  image: python:3.12
  script:
    - ruff check .
"""


def test_extends_into_an_unreadable_include_is_a_note(tmp_path: Path) -> None:
    items = scan_tree(tmp_path, {".gitlab-ci.yml": REMOTE})
    assert not [i for i in items if isinstance(i, ScanError)]
    notes = [i.message for i in items if isinstance(i, Note)]
    assert any(
        "'.remote-build' is not defined" in n and "job 'build' is not audited" in n for n in notes
    )
    assert any("!reference" in n and "job 'test' is not audited" in n for n in notes)
    assert any("remote include" in n and "cannot be read offline" in n for n in notes)
    # the unaudited job is not reported on (its curl | sh); the others still are
    rules = {(f.rule_id, f.location.start_line) for f in findings(items)}
    assert ("gitlab/image-no-digest", 13) in rules  # lint, fully defined here
    assert ("gitlab/remote-include-unpinned", 2) in rules
    assert not [r for r, _ in rules if r.endswith("curl-pipe-shell")]


def test_undefined_extends_without_external_includes_is_an_error(tmp_path: Path) -> None:
    text = "build:\n  extends: .nowhere\n  script:\n    - make\n"
    items = scan_tree(tmp_path, {".gitlab-ci.yml": text})
    (err,) = [i for i in items if isinstance(i, ScanError)]
    assert "'.nowhere' is not defined" in err.message and err.line == 2


def test_anchor_defined_twice_is_valid_and_the_later_wins(tmp_path: Path) -> None:
    text = """.a: &setup
  - echo one
.b: &setup
  - curl https://example.com/x.sh | bash
job:
  image: alpine:3.20
  script: *setup
"""
    items = scan_tree(tmp_path, {".gitlab-ci.yml": text})
    assert not [i for i in items if isinstance(i, ScanError)]
    curl = [f for f in findings(items) if f.rule_id.endswith("curl-pipe-shell")]
    assert curl, "the job runs the later definition"


def test_redefined_anchor_in_a_huge_file_stays_an_error(tmp_path: Path) -> None:
    from pipesec.core.yamlpos import MAX_REDEFINING_BYTES

    filler = "# " + "x" * 78 + "\n"
    text = ".a: &s [1]\n.b: &s [2]\n" + filler * (MAX_REDEFINING_BYTES // len(filler) + 1)
    items = scan_tree(tmp_path, {".gitlab-ci.yml": text})
    (err,) = [i for i in items if isinstance(i, ScanError)]
    assert "anchor is defined twice in a file over 1 MB" in err.message and err.line == 2
