"""Every built-in rule fires on its generated example and not on its fixed example."""

from __future__ import annotations

import re

import pytest

from pipesec.core.model import Confidence
from pipesec.scanners.secrets import filters
from pipesec.scanners.secrets.engine import SecretEngine, max_width
from pipesec.scanners.secrets.rules import all_rules
from pipesec.scanners.secrets.rules.base import SecretRule
from pipesec.scanners.secrets.rules.generic import KIND

RULES = all_rules()
_PATHS = (
    "src/app.py",
    ".mcp.json",
    ".aws/credentials",
    ".pypirc",
    ".git-credentials",
    "deploy/kubeconfig",
    ".htpasswd",
    ".pgpass",
    ".s3cfg",
    "rclone.conf",
    "prod.tfvars",
    "sonar-project.properties",
    "gradle.properties",
    "conf/app.xml",
    "config/master.key",
    "k8s/secret.yaml",
    "profile/logins.json",
    "home/.esmtprc",
    "etc/wpa_supplicant/wpa_supplicant.conf",
    "certs/client.p12",
)


def path_for(rule: SecretRule) -> str:
    kind = KIND.get(rule.id)
    if kind is not None and kind.kind == filters.WEAK:  # judged as its strong rule's match
        kind = next(k for k in KIND.values() if k.weak == rule.id)
    if kind is not None and kind.kind == filters.ASSIGN_UNQUOTED:
        return "deploy/app.env"  # unquoted assignments in a program are code
    if rule.path_regex is None:
        return "src/app.py"
    for p in _PATHS:
        if re.search(rule.path_regex, p):
            return p
    raise AssertionError(f"no sample path for {rule.id}")


def test_at_least_300_distinct_rules() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 300
    assert all(re.fullmatch(r"secrets/[a-z0-9][a-z0-9-]*", i) for i in ids)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_metadata(rule: SecretRule) -> None:
    core = rule.to_rule()
    assert core.vulnerable_example and core.fixed_example
    assert core.title and core.rationale and core.remediation
    assert rule.provider
    assert all(k == k.lower() for k in rule.keywords)
    assert max_width(rule.regex) < 20000  # bounded: linear time on hostile input
    re.compile(rule.regex)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_example_fires_and_fixed_does_not(rule: SecretRule, engine: SecretEngine) -> None:
    core = rule.to_rule()
    path = path_for(rule)
    hits = [m for m in engine.scan_text(core.vulnerable_example, path=path) if m.rule is rule]
    if rule.decoder:  # a decoder reports what the decoded value holds, never itself
        assert not hits
        hits = list(engine.scan_text(core.vulnerable_example, path=path))
        fixed_hits = list(engine.scan_text(core.fixed_example, path=path))
        assert hits and not fixed_hits, f"{rule.id}: {hits} / {fixed_hits}"
        return
    assert hits, f"{rule.id} did not fire on its example"
    if rule.validator is not None:
        assert hits[0].confidence is Confidence.HIGH
    fixed = [m for m in engine.scan_text(core.fixed_example, path=path) if m.rule is rule]
    assert not fixed, f"{rule.id} fired on its fixed example"


def test_examples_are_not_stored_whole() -> None:
    """Examples are generated: the rule modules hold no value that a rule matches."""
    from pathlib import Path

    import pipesec.scanners.secrets.rules as pkg

    engine = SecretEngine(RULES, use_hyperscan=False)
    for f in Path(pkg.__file__).parent.glob("*.py"):
        text = f.read_text()
        found = [m.rule.id for m in engine.scan_text(text, path=f"src/{f.name}")]
        assert not found, f"{f.name}: {found}"


def test_mandrill_rule_ignores_material_design_class_names(engine: SecretEngine) -> None:
    """``md-`` + 22 characters is also every Material Design class name; a generated key
    holds a digit or a capital letter."""
    css = ".md-search-result__article{padding:0}.md-typeset__scrollwrap{margin:0}\n"
    assert [m.rule.id for m in engine.scan_text(css, path="main.min.css")] == []
    key = "md-" + "Xq7vR2pLm9TzW4kN" + "a_b-c1"
    found = engine.scan_text(f'MANDRILL_KEY = "{key}"\n', path="app.py")
    assert "secrets/mandrill-api-key" in [m.rule.id for m in found]


def test_short_provider_prefix_fails_to_a_drop(engine: SecretEngine) -> None:
    """A NuGet key (``oy2`` + 43) of the wrong length is a fake: no generic rule reports it;
    a shared three-character prefix (``sk-``) does not make a generic value a fake."""
    body = "dgb333j35kjjybcf99yzxo7hjyloera4anxn4ivcvle"
    whole = [m.rule.id for m in engine.scan_text(f"NUGET_API_KEY=oy2{body}\n", path="a.env")]
    assert whole == ["secrets/nuget-api-key"]
    assert list(engine.scan_text(f"NUGET_API_KEY=oy2{body[:25]}\n", path="a.env")) == []
    other = "sk-" + "Qx7vR2pLm9TzW4kN8bYc"
    found = [m.rule.id for m in engine.scan_text(f'api_key = "{other}"\n', path="app.py")]
    assert found == ["secrets/generic-api-key"]
