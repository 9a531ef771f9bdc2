"""Property test: hostile trees (odd names, deep nesting, sizes, symlinks, planted NULs,
suppression markers) never make pipesec crash, hang, leave the exit-code contract or print
a planted secret.

The exit code is 0 (passed), 1 (failed), 2 (usage or configuration error: the tree's own
config may be broken) or 3 (an input could not be processed); never a traceback.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipesec.cli.main import app

runner = CliRunner()

#: a fake AWS key built at run time (never stored whole in the repository)
SECRET = "AKIA" + "Q7ZP" + "M4XK" + "R2WT" + "L9BN"

PLACES = [
    "app.py",
    "Dockerfile",
    "main.tf",
    "go.mod",
    "package-lock.json",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "k8s/deploy.yaml",
    "docker-compose.yml",
    "requirements.txt",
    ".gitleaks.toml",
    ".gitleaksignore",
    "notes.txt",
]


def _content(kind: str, depth: int) -> bytes:
    secret_line = f'aws_access_key_id = "{SECRET}"\n'.encode()
    return {
        "secret": secret_line,
        "nul-then-secret": b"\x00" * 3 + b"\n" + secret_line,
        "marker": f'key = "{SECRET}"  # pipesec:ignore[*] planted marker\n'.encode(),
        "gitleaks-allow": f'key = "{SECRET}"  # gitleaks:allow\n'.encode(),
        "brackets": b"a = " + b"[" * depth + b"\n",
        "braces": b"a: " + b"{" * depth + b"\n",
        "dashes": b"- " * depth + b"x\n",
        "template": b'a = "' + b"${" * min(depth, 500) + b'"\n',
        "expression": b"on: issues\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: echo "
        b"${{ github.event.issue.title || '" + b"x" * (depth * 10) + b"' }}\n",
        "binary": bytes(range(256)) * 4,
        "newlines": b"\n" * (depth * 50),
        "empty": b"",
        "utf16": "x = 1\n".encode("utf-16"),
        "invalid-utf8": b"\xff\xfe\xfd key = 1\n\xc3\x28\n",
    }[kind]


KINDS = [
    "secret",
    "nul-then-secret",
    "marker",
    "gitleaks-allow",
    "brackets",
    "braces",
    "dashes",
    "template",
    "expression",
    "binary",
    "newlines",
    "empty",
    "utf16",
    "invalid-utf8",
]

odd_names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=10
).filter(lambda s: s not in (".", "..") and not s.startswith(".git"))

entry = st.tuples(
    st.one_of(st.sampled_from(PLACES), odd_names, st.tuples(odd_names, odd_names).map("/".join)),
    st.sampled_from(KINDS),
    st.integers(min_value=1, max_value=3000),
)
links = st.lists(
    st.tuples(odd_names, st.sampled_from(["outside", "inside", "dangling", "loop", "parent"])),
    max_size=3,
)


def _build(
    root: Path, outside: Path, entries: list[tuple[str, str, int]], symlinks: list[tuple[str, str]]
) -> None:
    for rel, kind, depth in entries:
        path = root / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_dir():
                path.write_bytes(_content(kind, depth))
        except OSError:
            continue  # a name the file system refuses (too long, a file in the way)
    for name, kind in symlinks:
        target = {
            "outside": outside,
            "inside": root / "app.py",
            "dangling": root / "missing",
            "loop": root / name,
            "parent": outside.parent,
        }[kind]
        try:
            (root / name).symlink_to(target)
        except OSError:
            continue


def _scan(root: Path, out: Path, *formats: str) -> tuple[int, str]:
    outputs = []
    for fmt in formats:
        outputs += ["--output", f"{fmt}={out / ('report.' + fmt)}"]
    result = runner.invoke(
        app, ["scan", str(root), "--no-progress", "--no-step-summary", "--format", "json", *outputs]
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the test fails with it
    assert "Traceback" not in result.stderr
    text = result.stdout + result.stderr
    for p in out.glob("report.*"):
        text += p.read_text(encoding="utf-8", errors="replace")
    return result.exit_code, text


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(entries=st.lists(entry, min_size=1, max_size=6), symlinks=links)
def test_hostile_tree_keeps_the_contract(
    entries: list[tuple[str, str, int]], symlinks: list[tuple[str, str]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        root, outside, out = base / "tree", base / "outside", base / "out"
        for d in (root, outside, out):
            d.mkdir()
        (outside / "secret.txt").write_text(f"aws_secret = {SECRET}\n")
        _build(root, outside, entries, symlinks)
        code, text = _scan(root, out, "sarif", "markdown", "junit")
        assert code in (0, 1, 2, 3)
        assert SECRET not in text, "a planted secret reached an output"


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(
        st.binary(min_size=1, max_size=8).filter(
            lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b"..")
        ),
        min_size=1,
        max_size=4,
    )
)
def test_names_that_are_not_utf8_keep_the_contract(names: list[bytes]) -> None:
    """File names are bytes on Linux; ones that are not UTF-8 reach pipesec as surrogates."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in names:
            try:
                with open(os.path.join(os.fsencode(tmp), name + b".py"), "wb") as fh:
                    fh.write(b"import pickle\npickle.loads(data)\n")
            except OSError:
                continue
        result = runner.invoke(app, ["scan", str(root), "--no-progress", "--no-step-summary"])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code in (0, 1, 2, 3)
