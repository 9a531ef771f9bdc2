"""Helpers for the pipelines scanner tests."""

from __future__ import annotations

from pathlib import Path

from pipesec.core.model import Finding, Rule
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.scanners.pipelines import PipelinesScanner
from pipesec.scanners.pipelines.analyze import FileResult, analyze_text
from pipesec.scanners.pipelines.files import classify


def example_path(rule: Rule) -> str:
    if "dependabot" in rule.tags:
        return ".github/dependabot.yml"
    if rule.id.startswith("gitlab/"):
        return ".gitlab-ci.yml"
    if rule.id.startswith("precommit/"):
        return ".pre-commit-config.yaml"
    if rule.id.startswith("jenkins/"):
        return "Jenkinsfile"
    if rule.id.startswith("pipeline/"):
        return "requirements.txt"
    return ".github/workflows/ci.yml"


def analyze(path: str, text: str, **kw: object) -> FileResult:
    kind = classify(path)
    assert kind is not None, path
    return analyze_text(path, text, kind, **kw)  # type: ignore[arg-type]


def rule_ids(res: FileResult) -> list[str]:
    return [h.rule.id for h in res.hits]


def scan_tree(root: Path, files: dict[str, str] | None = None) -> list[object]:
    for rel, text in (files or {}).items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    ws = Workspace(root, use_git=False)
    return list(PipelinesScanner().scan(ws, ScannerSettings()))


def findings(items: list[object]) -> list[Finding]:
    return [i for i in items if isinstance(i, Finding)]
