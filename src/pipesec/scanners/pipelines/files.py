"""Which files the pipelines scanner reads (cheap to import: the scanner checks this
before loading its analyzers)."""

from __future__ import annotations

import re

from pipesec.core.workspace import THIRD_PARTY_DIRS, under_any

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
# GitLab CI/CD component templates: templates/<name>.yml or templates/<name>/template.yml at
# a project's root; read as GitLab pipelines when the file opens with a `spec:` header
COMPONENT_RE = re.compile(r"^templates/(?:[^/]+\.ya?ml|[^/]+/template\.ya?ml)$")
_SPEC_HEADER = re.compile(r"\A(?:[ \t]*(?:#[^\n]*)?\n)*spec:[ \t]*(?:#[^\n]*)?\n")


def is_component_template(text: str) -> bool:
    """Does a ``templates/`` file open with a GitLab component's ``spec:`` header?"""
    return _SPEC_HEADER.match(text) is not None


#: third-party trees: a workflow or Jenkinsfile a dependency ships there is not this
#: repository's pipeline (GitHub runs only the root's .github/workflows)
VENDORED_DIRS = THIRD_PARTY_DIRS | {"bower_components", "vendor"}


def discover(path: str) -> str | None:
    """The kind of a file found while walking the scanned tree: ``classify``, except in
    vendored third-party directories."""
    if under_any(path, VENDORED_DIRS):
        return None
    return classify(path)


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
    if COMPONENT_RE.search(path):
        return "gitlab-component"  # a GitLab pipeline if is_component_template(its text)
    if path.lower().endswith(NOT_JENKINS):
        return None
    if JENKINS_RE.search(path):
        return "jenkins"
    if REQUIREMENTS_RE.search(path):
        return "requirements"
    if DOCKERFILE_RE.search(path):
        return "dockerfile"
    return None
