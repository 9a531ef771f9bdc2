"""Review 19's findings in the secrets scanner (each test fails before its fix).
Credential-shaped values are built at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.core.engine import merge_duplicates
from pipesec.core.model import Finding, Location, Severity
from pipesec.scanners.secrets.engine import SecretEngine
from pipesec.scanners.secrets.findings import make_finding
from pipesec.scanners.secrets.gitleaks import load_file
from pipesec.scanners.secrets.rules import all_rules

AWS = "AKIA" + "QYLPMN5H" + "HHFPZAM2"
PASSWORD = "Zq8vK2" + "pLm9xR4tWn"
HEX32 = "a4c123b1" + "612dd272" + "d1371c17" + "149d4395"
#: the operator's configuration (trusted): with --config the tree's gitleaks allowlists and
#: ignore file narrow only the tree's own gitleaks/* rules
OPERATOR = (
    'enable = ["secrets"]\n[gate]\nfail-on = "high"\n[scanners.secrets]\nuse-hyperscan = false\n'
)

#: a tree's own rules reading the built-in rules' secrets, each with an allowlist that
#: suppresses its own reading (``path`` binds the first: a bound rule ranked first)
TREE_RULES = """
[[rules]]
id = "team-key"
description = "team key"
regex = '''(AKIA[A-Z2-7]{16})'''
keywords = ["akia"]
path = '''\\.py$'''
[rules.allowlist]
regexes = ['''.''']

[[rules]]
id = "team-password"
description = "team password"
regex = '''(?i)password = "([^"]+)"'''
keywords = ["password"]
[rules.allowlist]
regexes = ['''.''']

[[rules]]
id = "team-hex"
description = "team hex"
regex = '''"([0-9a-f]{32})"'''
[rules.allowlist]
regexes = ['''.''']
"""

SETTINGS = f'AWS_ACCESS_KEY_ID = "{AWS}"\nDB_PASSWORD = "{PASSWORD}"\nHEROKU_API_KEY = "{HEX32}"\n'


def _scan(root: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        app,
        ["scan", str(root), *args, "--no-step-summary", "--no-progress", "-f", "json"],
    )
    return result.exit_code, json.loads(result.stdout)


def _reported(doc: dict) -> list[tuple[str, int, str]]:  # type: ignore[type-arg]
    """The findings in settings.py (the tree's own rules also read its .gitleaks.toml)."""
    return sorted(
        (f["rule_id"], f["location"]["start_line"], f["severity"])
        for f in doc["findings"]
        if f["location"]["path"] == "settings.py"
    )


@pytest.mark.parametrize("operator", [True, False])
def test_a_tree_rules_own_allowlist_never_hides_a_built_in_rules_finding(
    tmp_path: Path, operator: bool
) -> None:
    """A ``.gitleaks.toml`` rule that read the same span as a built-in rule won it (a rule
    bound to a path ranks first; a provider-like rule keeps generic rules off its
    characters), and its own allowlist then suppressed the span's only finding: under the
    operator's ``--config`` (where the tree's allowlists narrow only its own rules) an AWS
    key and a password passed a ``fail-on = high`` gate. The tree's rule narrows its own
    reading alone, as in gitleaks; without ``--config`` too (a per-rule allowlist)."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "settings.py").write_text(SETTINGS)
    (root / ".gitleaks.toml").write_text(TREE_RULES)
    args: list[str] = []
    if operator:
        trusted = tmp_path / "operator.toml"
        trusted.write_text(OPERATOR)
        args = ["--config", str(trusted)]
    else:
        (root / ".pipesec.toml").write_text(OPERATOR)
    code, doc = _scan(root, *args)
    assert code == 1
    assert _reported(doc) == [
        ("secrets/api-key-hex32", 3, "medium"),
        ("secrets/aws-access-key-id", 1, "critical"),
        ("secrets/generic-password", 2, "high"),
    ]


def test_a_tree_ignore_entry_for_its_own_rule_never_hides_a_built_in_finding(
    tmp_path: Path,
) -> None:
    """The same through ``.gitleaksignore``: an entry naming the tree's own rule at the
    line of a built-in rule's secret."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "settings.py").write_text(SETTINGS)
    lines = TREE_RULES.splitlines()
    (root / ".gitleaks.toml").write_text(
        "\n".join(x for x in lines if "allowlist" not in x and "'''.'''" not in x)
    )
    (root / ".gitleaksignore").write_text(
        "settings.py:team-key:1\nsettings.py:team-password:2\nsettings.py:team-hex:3\n"
    )
    trusted = tmp_path / "operator.toml"
    trusted.write_text(OPERATOR)
    code, doc = _scan(root, "--config", str(trusted))
    assert code == 1
    assert [r for r, _, _ in _reported(doc)] == [
        "secrets/api-key-hex32",
        "secrets/aws-access-key-id",
        "secrets/generic-password",
    ]


def test_a_configurations_own_rule_keeps_no_built_in_reading_off_its_span(
    engine: SecretEngine, tmp_path: Path
) -> None:
    """In the engine: the configuration's own rules report their readings beside the
    built-in rules' (before, the built-in reading was dropped or never made)."""
    (tmp_path / ".gitleaks.toml").write_text(TREE_RULES)
    config = load_file(tmp_path / ".gitleaks.toml", tmp_path)
    own = SecretEngine(all_rules(), use_hyperscan=engine.uses_hyperscan, extra=config.rules)
    got = sorted((m.rule.id, m.line) for m in own.scan_text(SETTINGS, path="app/settings.py"))
    assert got == [
        ("gitleaks/team-hex", 3),
        ("gitleaks/team-key", 1),
        ("gitleaks/team-password", 2),
        ("secrets/api-key-hex32", 3),
        ("secrets/aws-access-key-id", 1),
        ("secrets/generic-password", 2),
    ]


def _finding(rule: str, severity: Severity, suppressed: bool) -> Finding:
    return Finding(
        rule_id=rule,
        scanner="secrets",
        title=rule,
        message=rule,
        severity=severity,
        location=Location("settings.py", 3, 19),
        identity="hmac:same-secret",
        properties={"suppressed": "gitleaks allowlist"} if suppressed else {},
    )


def test_a_suppressed_reading_never_replaces_a_live_one_when_merged() -> None:
    """``merge_duplicates`` kept the higher-ranked of two readings of one secret at one
    place whether or not its scanner had suppressed it: the tree rule's suppressed high
    reading replaced the built-in rule's live medium one."""
    live = _finding("secrets/api-key-hex32", Severity.MEDIUM, False)
    dead = _finding("gitleaks/team-hex", Severity.HIGH, True)
    for order in ([live, dead], [dead, live]):
        (kept,) = merge_duplicates(order)
        assert kept.rule_id == "secrets/api-key-hex32"
        assert kept.severity is Severity.MEDIUM
        assert not kept.properties.get("suppressed")
    # every reading suppressed: one suppressed finding, as before
    (kept,) = merge_duplicates([dead, _finding("secrets/api-key-hex32", Severity.MEDIUM, True)])
    assert kept.properties.get("suppressed")


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("# geoapify_api_key\nAPI_KEY={v}\n", "deploy/.env"),
        ("API_KEY={v}  # geoapify_api_key\n", "deploy/.env"),
        ("GEOAPIFY_API_KEY=x API_KEY={v}\n", "deploy/.env"),
        ("geo:\n  geoapify_api_key: ''\n  api_key: {v}\n", "deploy/config.yaml"),
        ('{{"geoapify_api_key": "", "api_key": "{v}"}}\n', "deploy/config.json"),
        ("geoapify:\n  api_key: {v}\n", "deploy/config.yaml"),
        ("API_KEY={v}\n", "deploy/geoapify_api_key/.env"),
        ("API_KEY={v} https://api.geoapify.com\n", "deploy/.env"),
    ],
)
def test_a_lower_graded_providers_name_beside_a_key_keeps_its_grade(
    engine: SecretEngine, text: str, path: str
) -> None:
    """Session 18's open item (a): the cross-provider span policy (a named provider's grade
    over ``api-key-hex32``'s) moves a 32-hex key to a lower grade only when the key's own
    name is that provider's (``GEOAPIFY_API_KEY=``), which the tree writes as it writes any
    name (a name no rule reads reports nothing). A medium provider's name written beside the
    key (a comment, an earlier pair, a sibling or parent key, the path, a URL) leaves it
    ``api-key-hex32``'s high: the gate (fail-on high) still fails."""
    filled = text.format(v=HEX32)
    severities = []
    for m in engine.scan_text(filled, path=path):
        line = filled.splitlines()[m.line - 1]
        severities.append(make_finding(m, path, b"k", line_text=line).severity)
    assert severities and max(s.rank for s in severities) >= Severity.HIGH.rank, severities
