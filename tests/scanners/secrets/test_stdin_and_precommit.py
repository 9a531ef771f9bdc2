"""``pipesec scan --stdin --scanner secrets`` (a CI log piped through) and the pre-commit hook."""

from __future__ import annotations

import io
import json
import shlex
from pathlib import Path

import yaml
from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.core.model import Finding, ScanError
from pipesec.core.scanner import ScannerSettings
from pipesec.scanners.secrets import engine_for
from pipesec.scanners.secrets.gitleaks import GitleaksCompat
from pipesec.scanners.secrets.modes import STDIN_CHUNK, Extras, scan_stdin
from pipesec.scanners.secrets.rules import all_rules

ROOT = Path(__file__).parents[3]
runner = CliRunner()


def example(rule_id: str) -> str:
    """A rule's generated vulnerable example (a fake credential with a valid structure)."""
    rule = next(r for r in all_rules() if r.id == rule_id)
    assert rule.example is not None
    return rule.example()


def secret_of(rule_id: str) -> str:
    text = example(rule_id)
    engine = engine_for(use_hyperscan=False)
    (m,) = [m for m in engine.scan_text(text) if m.rule.id == rule_id]
    return m.value


def no_hyperscan(root: Path, extra: str = "") -> None:
    """Unit tests use the pure-Python engine path (no Hyperscan database compile per test)."""
    (root / ".pipesec.toml").write_text("[scanners.secrets]\nuse-hyperscan = false\n" + extra)


def ci_log(secret: str, *, filler: int = 50) -> str:
    lines = [
        f"2026-01-01T00:00:{i % 60:02d}Z [build] step {i}: compiling module {i}"
        for i in range(filler)
    ]
    lines.append(
        f"2026-01-01T00:01:00Z [deploy] + curl -H 'Authorization: token {secret}' https://api"
    )
    lines.append("2026-01-01T00:01:01Z [deploy] done")
    return "\n".join(lines) + "\n"


def test_cli_stdin_finds_unmasked_secret(tmp_path: Path) -> None:
    secret = secret_of("secrets/github-pat")
    no_hyperscan(tmp_path)
    result = runner.invoke(
        app,
        [
            "scan",
            str(tmp_path),
            "--stdin",
            "--scanner",
            "secrets",
            "-f",
            "json",
            "--no-step-summary",
        ],
        input=ci_log(secret),
    )
    assert result.exit_code == 1, result.stderr
    doc = json.loads(result.stdout)
    (f,) = doc["findings"]
    assert f["rule_id"] == "secrets/github-pat"
    assert f["location"]["path"] == "<stdin>" and f["location"]["start_line"] == 51
    # (the report's rule table carries the rule's generated example, which is this value)
    assert secret not in json.dumps(doc["findings"]) and secret not in result.stderr


def test_cli_stdin_defaults_to_secrets_and_ignores_the_tree(tmp_path: Path) -> None:
    (tmp_path / "leak.py").write_text(example("secrets/github-pat"))
    no_hyperscan(tmp_path)
    result = runner.invoke(
        app, ["scan", str(tmp_path), "--stdin", "--no-step-summary"], input="clean log\n"
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "secrets 0" in result.stdout


def test_cli_stdin_rejects_other_scanners(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(tmp_path), "--stdin", "--scanner", "deps"], input="")
    assert result.exit_code == 2
    assert "--stdin" in result.stderr


def _stdin(data: bytes) -> list[Finding | ScanError]:
    settings = ScannerSettings(fingerprint_key=b"k")
    extras = Extras(GitleaksCompat(), settings)
    return [
        i
        for i in scan_stdin(engine_for(use_hyperscan=False), extras, settings, io.BytesIO(data))
        if isinstance(i, Finding | ScanError)
    ]


def test_secret_across_chunk_border_found_once() -> None:
    secret = secret_of("secrets/github-pat")
    for shift in (5, 20, 39):
        head = "x" * (STDIN_CHUNK - shift) + " "
        data = (head + secret + "\nmore\n").encode()
        found = _stdin(data)
        assert len(found) == 1, shift
        f = found[0]
        assert isinstance(f, Finding) and f.location.start_line == 1
        assert f.location.start_column == len(head) + 1


def test_invalid_utf8_nul_and_crlf() -> None:
    secret = secret_of("secrets/github-pat")
    data = b"\xff\xfe\x00garbage\r\n\x80\x81 line two\r\ntoken=" + secret.encode() + b"\r\n"
    (f,) = _stdin(data)
    assert isinstance(f, Finding) and f.location.start_line == 3


def test_multibyte_at_chunk_border() -> None:
    secret = secret_of("secrets/github-pat")
    head = "x" * (STDIN_CHUNK - 1) + "é"  # the 2-byte character straddles the border
    (f,) = _stdin((head + "\n" + secret + "\n").encode())
    assert isinstance(f, Finding) and f.location.start_line == 2 and f.location.start_column == 1


# -- pre-commit ---------------------------------------------------------------------------


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "pipesec-secrets"]
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    argv = shlex.split(hook["entry"])
    assert argv[:2] == ["pipesec", "scan"]
    assert {"--staged", "--no-progress"} <= set(argv)
    assert argv[argv.index("--scanner") + 1] == "secrets"


def test_pre_commit_entry_blocks_a_staged_secret(make_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    repo = make_repo({"README.md": "# app\n"})
    (repo / "settings.py").write_text(example("secrets/github-pat"))
    no_hyperscan(repo)
    subprocess.run(["git", "add", "settings.py"], cwd=repo, check=True)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    argv = shlex.split(hooks[0]["entry"])[1:]
    result = runner.invoke(app, [*argv, str(repo), "--no-step-summary"])
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "settings.py" in result.stdout


def test_pre_commit_reports_only_staged_changes(make_repo) -> None:  # type: ignore[no-untyped-def]
    """An old secret already committed does not block staging a harmless change; a new one
    does, in a new file or on a changed line; --whole-index reports everything."""
    import subprocess

    old = example("secrets/github-pat")
    repo = make_repo({"legacy.py": old, "app.py": "x = 1\n"})
    no_hyperscan(repo)
    subprocess.run(["git", "add", ".pipesec.toml"], cwd=repo, check=True)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    argv = [*shlex.split(hooks[0]["entry"])[1:], str(repo), "--no-step-summary"]

    (repo / "app.py").write_text("x = 2\n")  # harmless change next to an old secret
    (repo / "legacy.py").write_text(old + "# reviewed\n")
    subprocess.run(["git", "add", "app.py", "legacy.py"], cwd=repo, check=True)
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.stdout + result.stderr
    whole = runner.invoke(app, [*argv, "--whole-index"])
    assert whole.exit_code == 1 and "legacy.py" in whole.stdout

    (repo / "app.py").write_text("x = 2\n" + example("secrets/github-pat"))  # a new line
    subprocess.run(["git", "add", "app.py"], cwd=repo, check=True)
    result = runner.invoke(app, argv)
    assert result.exit_code == 1 and "app.py" in result.stdout
    assert "legacy.py" not in result.stdout
    (repo / "app.py").write_text("x = 2\n")  # staged, then taken back out of the index
    result = runner.invoke(app, argv)
    assert result.exit_code == 1  # the index, not the work tree, is what is checked
    assert runner.invoke(app, ["scan", str(repo), "--whole-index"]).exit_code == 2


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=3000),
    st.binary(max_size=3000),
    st.sampled_from([b" ", b"\n", b'"', b"'", b"\t"]),
)
def test_stdin_random_bytes_and_planted_secret(before: bytes, after: bytes, sep: bytes) -> None:
    secret = SECRET
    found = _stdin(before + sep + secret.encode() + sep + after)
    assert all(isinstance(f, Finding) for f in found)
    assert any(isinstance(f, Finding) and f.rule_id == "secrets/github-pat" for f in found)


SECRET = ""


def setup_module() -> None:
    global SECRET
    SECRET = secret_of("secrets/github-pat")
