"""A CloudFormation corpus for the IaC benches, written at bench time from material we ship:
every cfn/ rule's vulnerable and fixed example (one template each) and the realistic
templates of tests/fixtures/iac/cloudformation. Both tools read the same files."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipesec.scanners.iac.cfn_rules import RULES

FIXTURES = Path(__file__).parents[1] / "tests" / "fixtures" / "iac" / "cloudformation"


def write(dest: Path) -> list[tuple[str, Path, Path]]:
    """Writes the corpus into ``dest``; returns (rule id, vulnerable file, fixed file)."""
    pairs = []
    for rule in RULES:
        slug = rule.id.split("/", 1)[1]
        folder = dest / "pairs" / slug
        folder.mkdir(parents=True, exist_ok=True)
        vuln, fixed = folder / "vulnerable.yaml", folder / "fixed.yaml"
        vuln.write_text(rule.vulnerable_example)
        fixed.write_text(rule.fixed_example)
        pairs.append((rule.id, vuln, fixed))
    shutil.copytree(FIXTURES, dest / "stacks", ignore=shutil.ignore_patterns("broken.*"))
    return pairs
