"""The token scopes a job needs, from the actions it uses (for the permissions autofix).

A fix that writes ``permissions:`` must not break the workflow: it is offered only when
every step is known (a well-known action from the table, or a ``run:`` step that does not
use the token), and then grants what those actions need. A job we cannot see into (a
reusable workflow, a local or Docker action, an unknown action, a script that uses the
token) gets no fix at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipesec.core.yamlpos import YNode
from pipesec.scanners.pipelines.gha_model import Job

READ, WRITE = "read", "write"

#: action (``owner/repo`` or ``owner/repo/path``, lower case; a trailing ``-`` or ``/``
#: matches a prefix) -> scopes it needs beyond none; checked against each action's docs
ACTION_SCOPES: dict[str, dict[str, str]] = {
    "actions/checkout": {"contents": READ},
    "actions/setup-": {},
    "actions/cache": {},
    "actions/cache/": {},
    "actions/upload-artifact": {},
    "actions/download-artifact": {},
    "actions/upload-pages-artifact": {},
    "actions/configure-pages": {"pages": WRITE},
    "actions/deploy-pages": {"pages": WRITE, "id-token": WRITE},
    "actions/stale": {"issues": WRITE, "pull-requests": WRITE},
    "actions/labeler": {"contents": READ, "pull-requests": WRITE},
    "actions/first-interaction": {"issues": WRITE, "pull-requests": WRITE},
    "actions/dependency-review-action": {"contents": READ},
    "actions/attest-build-provenance": {"id-token": WRITE, "attestations": WRITE},
    "actions/attest-sbom": {"id-token": WRITE, "attestations": WRITE},
    "actions/attest": {"id-token": WRITE, "attestations": WRITE},
    "github/codeql-action/": {"security-events": WRITE, "contents": READ, "actions": READ},
    "softprops/action-gh-release": {"contents": WRITE},
    "peter-evans/create-pull-request": {"contents": WRITE, "pull-requests": WRITE},
    "release-drafter/release-drafter": {"contents": WRITE, "pull-requests": WRITE},
    "amannn/action-semantic-pull-request": {"pull-requests": READ},
    "pypa/gh-action-pypi-publish": {"id-token": WRITE},
    "aws-actions/configure-aws-credentials": {"id-token": WRITE},
    "google-github-actions/auth": {"id-token": WRITE},
    "azure/login": {"id-token": WRITE},
    "step-security/harden-runner": {},
    "astral-sh/setup-uv": {},
    "pnpm/action-setup": {},
    "ruby/setup-ruby": {},
    "dtolnay/rust-toolchain": {},
    "docker/setup-buildx-action": {},
    "docker/setup-qemu-action": {},
    "docker/metadata-action": {},
    "codecov/codecov-action": {},
}

#: a ``run:`` step that uses the job's token (gh, git push, API calls, the token itself)
TOKEN_USE = re.compile(
    r"GITHUB_TOKEN|github\.token|\bgh\s|\bgit\s+push\b|api\.github\.com|ACTIONS_ID_TOKEN|\bhub\s",
    re.IGNORECASE,
)
LEVEL = {READ: 1, WRITE: 2}


def _scopes_of(action: str) -> dict[str, str] | None:
    if action in ACTION_SCOPES:
        return ACTION_SCOPES[action]
    for key, scopes in ACTION_SCOPES.items():
        if key.endswith(("-", "/")) and action.startswith(key):
            return scopes
    return None


def _with_uses_token(with_: YNode | None) -> bool:
    if with_ is None:
        return False
    return any(TOKEN_USE.search(v.text() or "") for _k, v in with_.pairs() if v.is_scalar)


def required_scopes(jobs: Iterable[Job]) -> dict[str, tuple[str, str]] | None:
    """``scope -> (level, the action that needs it)`` for ``jobs``, always with at least
    ``contents: read``; None when any step is not known."""
    need: dict[str, tuple[str, str]] = {"contents": (READ, "")}
    for job in jobs:
        if job.uses is not None:
            return None  # a reusable workflow: its needs are the callee's
        for step in job.steps:
            uses = step.uses
            if uses:
                scopes = _scopes_of(step.action) if step.action else None
                if scopes is None:
                    return None
                for scope, level in scopes.items():
                    have = need.get(scope)
                    if have is None or LEVEL[level] > LEVEL[have[0]]:
                        need[scope] = (level, step.action)
                if _with_uses_token(step.with_):
                    return None  # e.g. a token handed to the action: it may write with it
            elif TOKEN_USE.search(step.run or ""):
                return None
    return need


def permissions_block(need: dict[str, tuple[str, str]]) -> str:
    """The top-level ``permissions:`` text; each write scope names the action needing it."""
    lines = ["permissions:"]
    for scope in sorted(need):
        level, action = need[scope]
        why = f"  # {action}" if level == WRITE and action else ""
        lines.append(f"  {scope}: {level}{why}")
    return "\n".join(lines) + "\n\n"
