"""Every rule fires on its vulnerable example and stays quiet on its fixed example."""

from __future__ import annotations

import pytest

from pipesec.core.model import Rule
from pipesec.scanners.pipelines.analyze import all_rules

from .helpers import analyze, example_path, findings, rule_ids, scan_tree

RULES = all_rules()


def test_rule_counts() -> None:
    gha = {r.id for r in RULES if r.id.startswith("gha/")}
    gitlab = {r.id for r in RULES if r.id.startswith("gitlab/")}
    assert len(gha) >= 45
    assert len(gitlab) >= 25
    others = {r.id for r in RULES if r.id.startswith(("precommit/", "jenkins/", "pipeline/"))}
    assert len(gha) + len(gitlab) + len(others) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_metadata(rule: Rule) -> None:
    assert rule.id == rule.id.lower()
    assert rule.id.split("/", 1)[0] in ("gha", "gitlab", "precommit", "jenkins", "pipeline")
    assert rule.title and rule.rationale and rule.remediation
    assert rule.vulnerable_example and rule.fixed_example
    assert rule.vulnerable_example != rule.fixed_example


#: posture rules need a whole tree; online rules need GitHub's API (test_pipelines_online.py)
OFFLINE = [r for r in RULES if not {"posture", "online"} & set(r.tags)]


@pytest.mark.parametrize("rule", OFFLINE, ids=lambda r: r.id)
def test_vulnerable_example_fires(rule: Rule) -> None:
    # the auditor-persona rules run only with [scanners.pipelines] pedantic = true
    opts = {"pedantic": True} if "pedantic" in rule.tags else {}
    res = analyze(example_path(rule), rule.vulnerable_example, options=opts)
    assert not res.errors, res.errors
    assert rule.id in rule_ids(res)
    hit = next(h for h in res.hits if h.rule.id == rule.id)
    assert hit.line >= 1 and hit.col >= 1


@pytest.mark.parametrize("rule", OFFLINE, ids=lambda r: r.id)
def test_fixed_example_is_quiet(rule: Rule) -> None:
    res = analyze(example_path(rule), rule.fixed_example, options={"pedantic": True})
    assert not res.errors, res.errors
    assert rule.id not in rule_ids(res)


@pytest.mark.parametrize("rule", [r for r in RULES if "posture" in r.tags], ids=lambda r: r.id)
def test_posture_rule_examples(rule: Rule, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = example_path(rule)
    bad = findings(scan_tree(tmp_path_factory.mktemp("v"), {path: rule.vulnerable_example}))
    assert rule.id in {f.rule_id for f in bad}
    good = findings(scan_tree(tmp_path_factory.mktemp("f"), {path: rule.fixed_example}))
    assert rule.id not in {f.rule_id for f in good}, [
        f.message for f in good if f.rule_id == rule.id
    ]


@pytest.mark.parametrize(
    ("script", "rule"),
    [
        ("npm i -g typescript", "unpinned-tool-install"),
        ("go install example.com/x@latest", "unpinned-tool-install"),
        ("cargo install ripgrep", "unpinned-tool-install"),
        ("gem install rails", "unpinned-tool-install"),
        ("wget -qO- https://x.sh | bash", "curl-pipe-shell"),
        ("bash <(curl -s https://x.sh)", "curl-pipe-shell"),
        ("docker login -p $P registry", "docker-login-password-arg"),
        ("PIP_EXTRA_INDEX_URL=https://x pip install -r r.txt", "extra-index-url"),
    ],
)
def test_shell_checks_behind_literal_prechecks_still_fire(script: str, rule: str) -> None:
    text = f"on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: {script}\n"
    assert any(r.endswith("/" + rule) for r in rule_ids(analyze(".github/workflows/w.yml", text)))
