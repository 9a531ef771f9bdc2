"""Evidence of a manual approval, where the CI platform gives it (``require = ["approval"]``).

What counts (nothing else does):

- **GitLab**: ``GITLAB_CI=true`` and ``CI_JOB_MANUAL=true`` (GitLab sets it only when a
  person started the job: a ``when: manual`` job played from the pipeline; the person is
  ``GITLAB_USER_LOGIN``). With ``[deploy] environments`` the job's ``CI_ENVIRONMENT_NAME``
  must be one of them (protect that environment to choose who may play the job).
- **GitHub**: ``GITHUB_ACTIONS=true`` and either
  - a ``deployment`` event (``GITHUB_EVENT_NAME=deployment``) whose payload
    (``GITHUB_EVENT_PATH``) names ``deployment.environment``, or
  - ``PIPESEC_ENVIRONMENT`` set from an environment-scoped variable
    (``${{ vars.PIPESEC_ENVIRONMENT }}``) of a job with ``environment: NAME``: GitHub hands a
    job its environment's variables only after the environment's protection rules (required
    reviewers) passed, and no ``GITHUB_*`` variable names the environment.

  With ``[deploy] environments`` the environment must be one of them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_EVENT_BYTES = 25 * 2**20  # GitHub caps webhook payloads at 25 MB


@dataclass(frozen=True, slots=True)
class Approval:
    ok: bool
    platform: str = ""
    environment: str = ""
    approver: str = ""
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "approved": self.ok,
            "platform": self.platform,
            "environment": self.environment,
            "by": self.approver,
            "evidence": self.detail,
        }


def _allowed(environment: str, environments: Sequence[str]) -> bool:
    return not environments or environment in environments


def _event(env: Mapping[str, str]) -> dict[str, Any]:
    path = env.get("GITHUB_EVENT_PATH", "")
    if not path:
        return {}
    try:
        p = Path(path)
        if p.stat().st_size > MAX_EVENT_BYTES:
            return {}
        data = json.loads(p.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _github(env: Mapping[str, str], environments: Sequence[str]) -> Approval:
    name = ""
    detail = ""
    if env.get("GITHUB_EVENT_NAME") == "deployment":
        deployment = _event(env).get("deployment")
        if isinstance(deployment, dict) and isinstance(deployment.get("environment"), str):
            name = deployment["environment"]
            detail = "GitHub deployment event"
    if not name and env.get("PIPESEC_ENVIRONMENT"):
        name = env["PIPESEC_ENVIRONMENT"]
        detail = "GitHub environment variable PIPESEC_ENVIRONMENT"
    if not name:
        return Approval(
            False,
            "github",
            detail="no approval evidence: not a deployment event and PIPESEC_ENVIRONMENT "
            "(an environment-scoped variable) is not set",
        )
    if not _allowed(name, environments):
        return Approval(
            False, "github", name, detail=f"environment {name!r} is not one of {list(environments)}"
        )
    return Approval(True, "github", name, env.get("GITHUB_ACTOR", ""), detail)


def _gitlab(env: Mapping[str, str], environments: Sequence[str]) -> Approval:
    name = env.get("CI_ENVIRONMENT_NAME", "")
    if env.get("CI_JOB_MANUAL") != "true":
        return Approval(
            False,
            "gitlab",
            name,
            detail="no approval evidence: the job was not started "
            "manually (CI_JOB_MANUAL is not true; use when: manual)",
        )
    if environments and not _allowed(name, environments):
        return Approval(
            False,
            "gitlab",
            name,
            detail=f"environment {name!r} is not one of {list(environments)}",
        )
    return Approval(True, "gitlab", name, env.get("GITLAB_USER_LOGIN", ""), "GitLab manual job")


def evidence(environments: Sequence[str], env: Mapping[str, str] | None = None) -> Approval:
    """The approval this CI job carries (``env`` defaults to the process environment)."""
    env = os.environ if env is None else env
    if env.get("GITLAB_CI") == "true":
        return _gitlab(env, environments)
    if env.get("GITHUB_ACTIONS") == "true":
        return _github(env, environments)
    return Approval(
        False, detail="no approval evidence: not running in GitHub Actions or GitLab CI"
    )
