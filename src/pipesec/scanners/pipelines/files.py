"""Which files the pipelines scanner reads (cheap to import: the scanner checks this
before loading its analyzers)."""

from __future__ import annotations

import re

WORKFLOW_RE = re.compile(r"(?:^|/)\.github/workflows/[^/]+\.ya?ml$")
ACTION_RE = re.compile(r"(?:^|/)action\.ya?ml$")
DEPENDABOT_RE = re.compile(r"(?:^|/)\.github/dependabot\.ya?ml$")
GITLAB_RE = re.compile(r"(?:^|/)\.gitlab-ci\.ya?ml$")
PRECOMMIT_RE = re.compile(r"(?:^|/)\.pre-commit-config\.ya?ml$")
JENKINS_RE = re.compile(r"(?:^|/)(?:Jenkinsfile(?:[.-][\w-]+)?|[\w.-]+\.[Jj]enkinsfile)$")
REQUIREMENTS_RE = re.compile(
    r"(?:^|/)(?:[\w.-]*requirements[\w.-]*\.(?:txt|in)|constraints[\w.-]*\.txt"
    r"|requirements/[\w.-]+\.(?:txt|in))$"
)
DOCKERFILE_RE = re.compile(
    r"(?:^|/)(?:(?:Dockerfile|Containerfile)(?:\.[\w-]+)?|[\w.-]+\.[Dd]ockerfile)$"
)
NOT_JENKINS = (".md", ".rst", ".orig", ".bak", ".swp", ".json", ".yml", ".yaml", ".xml")


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
    if path.lower().endswith(NOT_JENKINS):
        return None
    if JENKINS_RE.search(path):
        return "jenkins"
    if REQUIREMENTS_RE.search(path):
        return "requirements"
    if DOCKERFILE_RE.search(path):
        return "dockerfile"
    return None
