"""Session 14's review of the documentation blocks of programs (review14, on 34f60a5): the
names an Ansible plugin documents itself with mark documentation only where Ansible keeps
plugins, and finding them costs linear time. Values are built at run time."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.scanners.secrets.forms import ALNUM, Values

from pipesec.core.model import Finding
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.secrets import SecretsScanner, docblocks
from pipesec.scanners.secrets.options import adapter

_V = Values(141414)
#: a password with the strong rule's shape (built at run time: never a literal)
_PASSWORD = _V.r(ALNUM, 6) + "#" + _V.r(ALNUM, 6) + "!"


def _found(root: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    """path -> (severity, tags) of the secrets scanner's generic-password findings."""
    ws = Workspace(root, use_git=False, max_file_size=10_000_000)
    opts = adapter().dump_python(adapter().validate_python({"use-hyperscan": False}))
    settings = ScannerSettings(options=opts, fingerprint_key=b"k")
    out = {}
    for item in SecretsScanner().scan(ws, settings):
        if isinstance(item, Finding) and item.rule_id == "secrets/generic-password":
            out[item.location.path] = (item.severity.value, item.tags)
    return out


@pytest.mark.parametrize(
    ("path", "docs"),
    [
        # an Ansible module's YAML documentation file, and its Python form
        ("plugins/modules/user.yml", True),
        ("plugins/modules/user.py", True),
        ("roles/db/library/db_user.py", True),
        # configuration whose top-level key happens to be EXAMPLES: the password is one
        ("app/settings.yaml", False),
        ("deploy/values.yml", False),
        ("app/settings.py", False),
    ],
)
def test_ansible_documentation_names_count_only_where_ansible_keeps_plugins(
    tmp_path: Path, path: str, docs: bool
) -> None:
    """A YAML file whose top-level key is ``EXAMPLES`` (or a program's module-level
    ``EXAMPLES = '''…'''``) anywhere was documentation: its password was capped at low and
    the gate passed (34f60a5)."""
    target = tmp_path / path
    target.parent.mkdir(parents=True)
    if path.endswith(".py"):
        body = f'EXAMPLES = r"""\n- db:\n    password: "{_PASSWORD}"\n"""\n'
    else:
        body = f'EXAMPLES:\n  database:\n    password: "{_PASSWORD}"\n'
    target.write_text(body)
    _severity, tags = _found(tmp_path)[path]
    assert ("context:docs" in tags) is docs  # (the gate caps a context:docs finding at low)


def test_yaml_documentation_keys_are_read_line_by_line() -> None:
    """A top-level key was matched by ``[^:]*``, which crossed lines: after a line without
    a colon the key read as ``abc\nEXAMPLES`` and the block was missed (and a text without
    a colon was read to its end from every line: 0.2 MB, 1.5 s; the line of each key was
    counted from the text's start: 1 MB of ``k: 1``, 25 s; both now one pass)."""
    text = "# a comment\nplain words\nEXAMPLES:\n  password: x\nRETURN: {}\nother: 1\n"
    assert docblocks.yaml_doc_lines(text) == [(3, 4), (5, 5)]
    many = "k: 1\n" * 20_000 + "no colon here\n" * 20_000 + "EXAMPLES:\n  password: x\n"
    assert docblocks.yaml_doc_lines(many) == [(40_001, 40_002)]
