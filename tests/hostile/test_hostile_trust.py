"""Hostile pull requests that try to switch the gate off (issue 12, items 1-3; issue 13, 6).

Each test builds a small git repository: a trusted base commit, then a pull request commit
written by the attacker, and runs the gate the way CI does. Credentials are built from parts
at run time.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipesec.cli.main import app

BASE_CONFIG = 'enable = ["secrets"]\n[scanners.secrets]\nuse-hyperscan = false\n'


def _github_token(random_part: str) -> str:
    from pipesec.scanners.secrets.validators import crc32_base62

    return "ghp_" + random_part + crc32_base62(random_part)


# GitHub tokens with a valid checksum, built at run time (never stored whole, and not the
# rule's own example, which rule metadata shows)
TOKEN = _github_token("Zx81" + "Kd0qPwLm3" + "nB7vTy2RsA" + "eUc9Hj5")
OTHER_TOKEN = _github_token("Qa27" + "Lm0xPw9" + "kT4rNb8VcZ" + "yH3sDe6Gu")
AWS = "AKIA" + "QYLPMN5HHHFPZAM2"
SECRET_LINE = f'GITHUB_TOKEN = "{TOKEN}"\n'


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def repo(tmp_path: Path, base: dict[str, str], pr: dict[str, str]) -> Path:
    """A repository whose ``base`` branch holds ``base`` and whose HEAD adds ``pr``."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "base")
    for name, text in {".pipesec.toml": BASE_CONFIG, "README": "hi\n", **base}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "pr")
    for name, text in pr.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "pr")
    return root


def cli(*args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, [*args, "--no-step-summary", "-f", "json", "--no-progress"])
    out = result.stdout
    return result.exit_code, (json.loads(out) if out.strip() else {}), result.stderr


def rules(doc: dict) -> list[str]:  # type: ignore[type-arg]
    return sorted(f["rule_id"] for f in doc["findings"])


WEAKENING_CONFIGS = {
    "enable-empty": "enable = []\n",
    "exclude-all": 'enable = ["secrets"]\nexclude = ["**"]\n',
    "exception-star": ('enable = ["secrets"]\n[[exceptions]]\nrule = "*"\nreason = "trust me"\n'),
    "scanner-disabled": 'enable = ["secrets"]\n[scanners.secrets]\nenabled = false\n',
    "fail-on-critical": 'enable = ["secrets"]\n[gate]\nfail-on = "critical"\n',
    "on-error-warn": 'enable = ["secrets"]\n[gate]\non-error = "warn"\n',
}


@pytest.mark.parametrize("name", sorted(WEAKENING_CONFIGS))
def test_pr_config_cannot_switch_the_gate_off(tmp_path: Path, name: str) -> None:
    """Item 1: the PR's .pipesec.toml is not the policy it is judged by."""
    root = repo(
        tmp_path,
        {"app.py": "x = 1\n"},
        {"app.py": "x = 1\n" + SECRET_LINE, ".pipesec.toml": WEAKENING_CONFIGS[name]},
    )
    code, doc, _ = cli("scan", str(root), "--diff-base", "base")
    assert code == 1
    found = rules(doc)
    assert "secrets/github-pat" in found
    weakened = [f for f in doc["findings"] if f["rule_id"] == "policy/config-weakened"]
    assert weakened, found
    assert all(f["location"]["path"] == ".pipesec.toml" for f in weakened)
    assert all(f["severity"] == "high" and f["location"]["start_line"] >= 1 for f in weakened)


def test_pr_config_weakening_each_reported_at_its_line(tmp_path: Path) -> None:
    pr_config = (
        'enable = ["secrets"]\n'
        'exclude = ["vendor/", "build/"]\n'
        "[gate]\n"
        'fail-on = "critical"\n'
        'on-error = "warn"\n'
        "[scanners.secrets]\n"
        "use-hyperscan = false\n"
    )
    root = repo(tmp_path, {"app.py": "x = 1\n"}, {".pipesec.toml": pr_config})
    code, doc, _ = cli("scan", str(root), "--diff-base", "base")
    lines = sorted(
        f["location"]["start_line"]
        for f in doc["findings"]
        if f["rule_id"] == "policy/config-weakened"
    )
    assert lines == [2, 2, 4, 5]
    assert code == 1


def test_trusted_base_config_accepts_a_weakening_with_an_exception(tmp_path: Path) -> None:
    """The documented way a legitimate change lands: an exception in the base branch."""
    accepted = (
        BASE_CONFIG
        + '[[exceptions]]\nrule = "policy/config-weakened"\npath = ".pipesec.toml"\n'
        + 'reason = "the team agreed to drop vendored code from the scan"\n'
    )
    root = repo(
        tmp_path,
        {".pipesec.toml": accepted, "app.py": "x = 1\n"},
        {".pipesec.toml": accepted.replace("[scanners", 'exclude = ["vendor/"]\n[scanners')},
    )
    code, doc, _ = cli("scan", str(root), "--diff-base", "base")
    assert code == 0
    assert [s["finding"]["rule_id"] for s in doc["suppressed"]] == ["policy/config-weakened"]


def test_trust_tree_config_uses_the_tree(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {"app.py": "x = 1\n"},
        {
            "app.py": "x = 1\n" + SECRET_LINE,
            ".pipesec.toml": BASE_CONFIG + '[[exceptions]]\nrule = "secrets/github-pat"\n'
            'reason = "test account"\n',
        },
    )
    code, doc, _ = cli("scan", str(root), "--diff-base", "base", "--trust-tree-config")
    assert code == 0
    assert [s["kind"] for s in doc["suppressed"]] == ["exception"]


@pytest.mark.parametrize("config", ["enable = []\n", 'exclude = ["**"]\n', 'exclude = ["*"]\n'])
def test_outside_pr_mode_a_config_that_checks_nothing_is_a_usage_error(
    tmp_path: Path, config: str
) -> None:
    (tmp_path / ".pipesec.toml").write_text(config)
    (tmp_path / "app.py").write_text(SECRET_LINE)
    code, _, err = cli("scan", str(tmp_path))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "pipesec: error:" in err


ALLOWLISTS = {
    "regexes": '[allowlist]\nregexes = [".*"]\n',
    "paths": "[allowlist]\npaths = ['''.*''']\n",
    "stopwords": '[allowlist]\nstopwords = ["g"]\n',
    "new-form": '[[allowlists]]\nregexes = [".*"]\n',
}


@pytest.mark.parametrize("name", sorted(ALLOWLISTS))
def test_pr_gitleaks_allowlist_cannot_drop_findings(tmp_path: Path, name: str) -> None:
    """Item 2 in PR mode: the tree's .gitleaks.toml is read from the base revision."""
    root = repo(
        tmp_path,
        {"app.py": "x = 1\n"},
        {"app.py": "x = 1\n" + SECRET_LINE, ".gitleaks.toml": ALLOWLISTS[name]},
    )
    code, doc, _ = cli("scan", str(root), "--diff-base", "base")
    assert code == 1
    assert "secrets/github-pat" in rules(doc)
    weakened = [f for f in doc["findings"] if f["rule_id"] == "policy/config-weakened"]
    assert [f["location"]["path"] for f in weakened] == [".gitleaks.toml"]


def test_operator_config_keeps_tree_allowlists_off_builtin_rules(tmp_path: Path) -> None:
    """Item 2 with --config (no PR mode): the tree's allowlist cannot drop built-in rules."""
    (tmp_path / "app.py").write_text(SECRET_LINE)
    (tmp_path / ".gitleaks.toml").write_text(ALLOWLISTS["regexes"])
    (tmp_path / ".gitleaksignore").write_text("app.py:github-pat:1\n")
    trusted = tmp_path.parent / "trusted.toml"
    trusted.write_text(BASE_CONFIG)
    code, doc, _ = cli("scan", str(tmp_path), "--config", str(trusted))
    assert code == 1
    assert rules(doc) == ["secrets/github-pat"]
    assert doc["suppressed"] == []


def test_tree_allowlist_shows_as_suppressed_never_silently(tmp_path: Path) -> None:
    """Without --config the developer's own allowlist applies, visibly."""
    (tmp_path / ".pipesec.toml").write_text(BASE_CONFIG)
    (tmp_path / "app.py").write_text(SECRET_LINE)
    (tmp_path / ".gitleaks.toml").write_text(
        '[allowlist]\ndescription = "everything"\nregexes = [".*"]\n'
    )
    code, doc, _ = cli("scan", str(tmp_path))
    assert code == 0
    (s,) = doc["suppressed"]
    assert s["kind"] == "allowlist" and "gitleaks allowlist" in s["justification"]
    assert doc["summary"]["suppressed"] == 1


def _all_formats(root: Path, *args: str) -> str:
    out = root.parent / "out"
    fmts = ["json", "sarif", "markdown", "junit", "gitlab-secret-detection"]
    result = CliRunner().invoke(
        app,
        [
            "scan",
            str(root),
            "--no-step-summary",
            "--no-progress",
            *args,
            *[a for f in fmts for a in ("--output", f"{f}={out / f}")],
        ],
    )
    return result.stdout + result.stderr + "".join((out / f).read_text() for f in fmts)


def test_inline_star_is_refused_for_secrets_and_reason_is_redacted(tmp_path: Path) -> None:
    """Item 3: `/* pipesec:ignore[*] <anything> */` suppresses nothing, and what it says
    never reaches a report whole."""
    (tmp_path / ".pipesec.toml").write_text(BASE_CONFIG)
    (tmp_path / "app.js").write_text(
        f'const key = "{AWS}"; /* pipesec:ignore[*] anything at all */\n'
        f"const b = 1; /* pipesec:ignore[*] was {TOKEN} */\nconst c = 2;\n"
    )
    code, doc, _ = cli("scan", str(tmp_path))
    assert code == 1
    assert rules(doc) == ["secrets/aws-access-key-id", "secrets/github-pat"]
    assert doc["suppressed"] == []
    assert any("exact rule id" in w for w in doc["warnings"])
    assert AWS not in _all_formats(tmp_path)


def test_inline_reason_is_required_and_redacted(tmp_path: Path) -> None:
    (tmp_path / ".pipesec.toml").write_text(BASE_CONFIG)
    (tmp_path / "a.py").write_text(
        f'K = "{AWS}"  # pipesec:ignore[secrets/aws-access-key-id]\n'
        f"# pipesec:ignore[secrets/github-pat] rotated, was {TOKEN}\n"
        f'T = "{OTHER_TOKEN}"\n'
    )
    code, doc, _ = cli("scan", str(tmp_path))
    assert rules(doc) == ["secrets/aws-access-key-id"]  # no reason: not applied
    assert code == 1
    assert doc["suppressed"]
    for s in doc["suppressed"]:
        assert s["kind"] == "inline" and s["justification"] == "rotated, was ghp_*****"
        assert s["source"] == "pipesec:ignore comment at a.py:2"
    text = _all_formats(tmp_path)
    assert TOKEN not in text and "rotated, was" in text


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.py", f'K = "{AWS}"; U = "https://e/ # pipesec:ignore[secrets/aws-access-key-id] x"\n'),
        ("a.js", f'const k = "{AWS}", u = "// pipesec:ignore[secrets/aws-access-key-id] x";\n'),
        ("a.py", f'K = """\n# pipesec:ignore[secrets/aws-access-key-id] x\n{AWS}"""\n'),
        ("a.yaml", f'k: "{AWS}"\nu: "a # pipesec:ignore[secrets/aws-access-key-id] x"\n'),
        ("a.json", f'{{"k": "{AWS}", "c": "// pipesec:ignore[secrets/aws-access-key-id] x"}}\n'),
        ("a.go", f"var k = `\n// pipesec:ignore[secrets/aws-access-key-id] x\n{AWS}`\n"),
    ],
)
def test_markers_inside_string_literals_do_not_count(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / ".pipesec.toml").write_text(BASE_CONFIG)
    (tmp_path / name).write_text(text)
    code, doc, _ = cli("scan", str(tmp_path))
    assert rules(doc) == ["secrets/aws-access-key-id"] and doc["suppressed"] == []
    assert code == 1


PEERS = {
    "detect-secrets": "# pragma: allowlist secret",
    "gitleaks": "# gitleaks:allow",
}


@pytest.mark.parametrize("tool", sorted(PEERS))
def test_peer_markers_suppress_visibly_and_raise_new_suppression_in_pr_mode(
    tmp_path: Path, tool: str
) -> None:
    """Issue 13 item 6: a peer marker is a suppression with reason 'peer: <tool>'; added by
    the change on a high finding, it is itself a finding."""
    root = repo(
        tmp_path,
        {"app.py": "x = 1\n"},
        {"app.py": f"x = 1\n{SECRET_LINE.rstrip()}  {PEERS[tool]}\n"},
    )
    code, doc, _ = cli("scan", str(root))
    assert code == 0
    (s,) = doc["suppressed"]
    assert (s["kind"], s["justification"]) == ("peer", f"peer: {tool}")
    code, doc, _ = cli("scan", str(root), "--diff-base", "base")
    (new,) = doc["findings"]
    assert new["rule_id"] == "policy/new-suppression" and new["severity"] == "medium"
    assert (new["location"]["path"], new["location"]["start_line"]) == ("app.py", 2)
    assert code == 0  # medium: shown to reviewers, under the default fail-on


def test_new_inline_suppression_on_a_changed_line_is_a_finding(tmp_path: Path) -> None:
    marker = "# pipesec:ignore[secrets/github-pat] test account, rotated"
    root = repo(
        tmp_path,
        {"app.py": "x = 1\n"},
        {"app.py": f"x = 1\n{marker}\n{SECRET_LINE}"},
    )
    code, doc, _ = cli("scan", str(root), "--diff-base", "base", "--fail-on", "medium")
    assert [(f["rule_id"], f["location"]["start_line"]) for f in doc["findings"]] == [
        ("policy/new-suppression", 2)
    ]
    assert code == 1


def test_policy_findings_cannot_be_suppressed_inline(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {"app.py": "x = 1\n"},
        {
            ".pipesec.toml": BASE_CONFIG
            + 'exclude = ["app.py"]  # pipesec:ignore[policy/config-weakened] fine\n'
        },
    )
    code, doc, _ = cli("scan", str(root), "--diff-base", "base")
    assert "policy/config-weakened" in rules(doc)
    assert code == 1


def test_pr_baseline_in_the_tree_is_read_from_the_base(tmp_path: Path) -> None:
    root = repo(tmp_path, {"app.py": "x = 1\n"}, {"app.py": "x = 1\n" + SECRET_LINE})
    # the attacker accepts their own secret in a baseline committed with the change
    cli("scan", str(root), "--write-baseline", str(root / "baseline.json"))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "baseline")
    code, doc, _ = cli(
        "scan", str(root), "--diff-base", "base", "--baseline", str(root / "baseline.json")
    )
    assert "secrets/github-pat" in rules(doc)
    assert code == 1


def test_table_lists_every_suppressed_finding(tmp_path: Path) -> None:
    (tmp_path / ".pipesec.toml").write_text(BASE_CONFIG)
    (tmp_path / "a.py").write_text(
        f'T = "{TOKEN}"  # pipesec:ignore[secrets/github-pat] test account\n'
    )
    result = CliRunner().invoke(app, ["scan", str(tmp_path), "--no-step-summary"])
    assert "== SUPPRESSED (1" in result.stdout
    assert "secrets/github-pat  a.py:1" in result.stdout
    assert "test account" in result.stdout and "pipesec:ignore comment at a.py:1" in result.stdout


def test_pr_cannot_rewrite_the_rego_policy_it_is_judged_by(tmp_path: Path) -> None:
    """Rego policies named by the base configuration are read from the base revision."""
    deny = (
        "package main\nimport rego.v1\n"
        'deny contains "no secrets may ship" if {\n'
        '  some f in input.findings\n  startswith(f.rule_id, "secrets/")\n}\n'
    )
    config = BASE_CONFIG.replace("[scanners", '[gate]\npolicies = ["policy/"]\n[scanners')
    root = repo(
        tmp_path,
        {".pipesec.toml": config, "policy/gate.rego": deny, "app.py": "x = 1\n"},
        {
            "app.py": "x = 1\n" + SECRET_LINE,
            "policy/gate.rego": "package main\nimport rego.v1\n",  # the deny rule is gone
        },
    )
    code, doc, _ = cli("scan", str(root), "--diff-base", "base", "--fail-on", "critical")
    found = rules(doc)
    assert "policy/main/deny" in found
    weakened = [f for f in doc["findings"] if f["rule_id"] == "policy/config-weakened"]
    assert [(f["location"]["path"], f["location"]["start_line"]) for f in weakened] == [
        ("policy/gate.rego", 3)
    ]
    assert code == 1


def test_pr_cannot_edit_an_operator_config_kept_in_the_tree(tmp_path: Path) -> None:
    """--config ci/pipesec.toml inside the checkout: PR mode reads it as the base has it."""
    root = repo(
        tmp_path,
        {"ci/pipesec.toml": BASE_CONFIG, "app.py": "x = 1\n"},
        {"ci/pipesec.toml": "enable = []\n", "app.py": "x = 1\n" + SECRET_LINE},
    )
    cfg = str(root / "ci" / "pipesec.toml")
    code, doc, _ = cli("scan", str(root), "--diff-base", "base", "--config", cfg)
    assert "secrets/github-pat" in rules(doc)
    assert any("is changed by the change under review" in w for w in doc["warnings"])
    assert code == 1
    (root / "ci" / "new.toml").write_text(BASE_CONFIG)  # not committed at the base: refused
    code, _, err = cli(
        "scan", str(root), "--diff-base", "base", "--config", str(root / "ci/new.toml")
    )
    assert code == 2 and "outside the checkout" in err


def test_weakening_findings_quote_config_values_redacted() -> None:
    """A weakening finding is made after the engine's redaction pass and quotes what the
    pull request wrote (an allowlist entry): a credential there is masked too."""
    from pipesec.core.trust import CONFIG_WEAKENED, policy_finding

    password = "Wq7" + "vL2pX9" + "mZ4kR8"
    entry = f"https://deploy:{password}@git.example.com/x"
    f = policy_finding(
        CONFIG_WEAKENED, ".gitleaks.toml", 3, f"allowlist entry {entry!r} added", entry
    )
    assert password not in f.message and password not in f.identity
    assert "allowlist entry" in f.message
