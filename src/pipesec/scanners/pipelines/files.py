"""Which files the pipelines scanner reads (cheap to import: the scanner checks this
before loading its analyzers)."""

from __future__ import annotations

import re

WORKFLOW_RE = re.compile(r"(?:^|/)\.github/workflows/[^/]+\.ya?ml$")
ACTION_RE = re.compile(r"(?:^|/)action\.ya?ml$")
DEPENDABOT_RE = re.compile(r"(?:^|/)\.github/dependabot\.ya?ml$")
GITLAB_RE = re.compile(r"(?:^|/)\.gitlab-ci\.ya?ml$")
PRECOMMIT_RE = re.compile(r"(?:^|/)\.pre-commit-config\.ya?ml$")


def classify(path: str) -> str | None:
    if WORKFLOW_RE.search(path):
        return "workflow"
    if DEPENDABOT_RE.search(path):
        return "dependabot"
    if GITLAB_RE.search(path):
        return "gitlab"
    if ACTION_RE.search(path):
        return "action"
    if PRECOMMIT_RE.search(path):
        return "precommit"
    return None
