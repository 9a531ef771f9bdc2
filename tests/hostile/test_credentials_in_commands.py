"""Issue 12 item 4 (and its class): rules that quote a command line, a URL or an env value
(curl-pipe-shell, add-url, pipeline `run:`/`script:` rules) must not print the password
they quote, in any format; and the JSON/SARIF rule tables carry no example credential."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.report import FORMATS

# built from parts at run time: no literal credential lives in this repository's code
PASSWORD = "Zq7" + "vX2pLm9" + "Rt4wNs"


def _tree(root: Path) -> Path:
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / "Dockerfile").write_text(
        "FROM debian:12@sha256:b8084b1a576c\n"
        f"RUN curl -u admin:{PASSWORD} https://x.example/i.sh | sh\n"
        f"ADD https://user:{PASSWORD}@host.example/f /f\n"
        f"RUN wget --password={PASSWORD} -qO- https://x.example/i.sh | bash\n"
        "USER nobody\n"
    )
    (root / ".github" / "workflows" / "ci.yml").write_text(
        "on: pull_request\n"
        "permissions: {}\n"
        "jobs:\n"
        "  b:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        f"      - run: curl -u admin:{PASSWORD} https://x.example/i.sh | sh\n"
        f"      - run: curl -sSL https://u:{PASSWORD}@x.example/i.sh | bash\n"
    )
    (root / ".gitlab-ci.yml").write_text(
        "build:\n"
        "  image: alpine:3.20\n"
        "  script:\n"
        f"    - curl --user admin:{PASSWORD} https://x.example/i.sh | sh\n"
        f"    - wget -qO- https://u:{PASSWORD}@x.example/i.sh | sh\n"
    )
    return root


def test_quoted_passwords_are_redacted_in_every_format(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    out = tmp_path / "out"
    outputs = [a for fmt in FORMATS for a in ("--output", f"{fmt}={out / fmt}")]
    result = CliRunner().invoke(
        app, ["scan", str(root), "--no-progress", "--no-step-summary", "-v", *outputs]
    )
    assert result.exit_code in (0, 1), result.output
    assert "curl-pipe-shell" in result.stdout
    for fmt in FORMATS:
        text = (out / fmt).read_text()
        assert PASSWORD[:8] not in text, fmt
    assert PASSWORD[:8] not in result.stdout + result.stderr


def test_the_rules_still_fire(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    result = CliRunner().invoke(app, ["scan", str(root), "--no-progress", "-f", "json"])
    report = json.loads(result.stdout)
    rules = {f["rule_id"] for f in report["findings"]}
    assert "docker/curl-pipe-shell" in rules
    assert "docker/add-url" in rules or any(r.startswith("docker/add") for r in rules)
    snippets = [f["snippet"] + f["message"] for f in report["findings"]]
    assert any("admin:" in s for s in snippets), "the user name stays, the password goes"


def test_rule_tables_carry_no_example_credential(tmp_path: Path) -> None:
    from pipesec.core.engine import load_scanner
    from pipesec.scanners.secrets import engine_for

    root = tmp_path / "repo"
    root.mkdir()
    key = "AKIA" + "Q3EGRT5YVJ2M" + "ZXHP"
    (root / "settings.py").write_text(f'AWS_ACCESS_KEY_ID = "{key}"\n')
    engine = engine_for()
    example_values = {
        m.value
        for r in load_scanner("secrets").rules()
        for text in (r.vulnerable_example, r.fixed_example)
        for m in engine.scan_text(text)
    }
    assert example_values, "the secrets rules' examples hold credentials to redact"
    for fmt in ("json", "sarif"):
        result = CliRunner().invoke(app, ["scan", str(root), "--no-progress", "-f", fmt])
        assert result.exit_code == 1, result.output
        assert "rules" in result.stdout
        leaked = [v for v in example_values if v in result.stdout]
        assert not leaked, f"{fmt}: {len(leaked)} example credentials written whole"
