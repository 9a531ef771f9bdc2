"""Pipeline templates written by ``pipesec init`` (data files beside this module, one folder
per provider). Each template is a complete hardened pipeline; the tests scan every one of
them with pipesec itself and require zero findings and every posture gate present."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from pipesec import __version__

PROVIDERS = ("github", "gitlab", "pre-commit")
DEPLOY_TARGETS = ("kubernetes",)


@dataclass(frozen=True, slots=True)
class Template:
    target: str  # path written, relative to the init directory
    parts: tuple[str, ...]  # data files (inside the provider's folder) joined in order


_FILES: dict[tuple[str, str | None], tuple[Template, ...]] = {
    ("github", None): (Template(".github/workflows/pipesec.yml", ("pipesec.yml",)),),
    ("github", "kubernetes"): (
        Template(".github/workflows/pipesec.yml", ("pipesec.yml",)),
        Template(".github/workflows/deploy.yml", ("deploy-kubernetes.yml",)),
    ),
    ("gitlab", None): (Template(".gitlab-ci.yml", ("gitlab-ci.yml",)),),
    ("gitlab", "kubernetes"): (
        Template(".gitlab-ci.yml", ("gitlab-ci.yml", "deploy-kubernetes.yml")),
    ),
    ("pre-commit", None): (Template(".pre-commit-config.yaml", ("pre-commit-config.yaml",)),),
}


def templates_for(provider: str, deploy: str | None) -> tuple[Template, ...]:
    """The files ``pipesec init PROVIDER [--deploy TARGET]`` writes; KeyError if unknown."""
    return _FILES[(provider, deploy)]


def render(provider: str, template: Template) -> str:
    """The template's text with this pipesec's version filled in."""
    folder = "precommit" if provider == "pre-commit" else provider
    data = resources.files(__package__).joinpath(folder)
    text = "".join(data.joinpath(part).read_text("utf-8") for part in template.parts)
    return text.replace("{{PIPESEC_VERSION}}", __version__)
