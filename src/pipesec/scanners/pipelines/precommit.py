"""pre-commit configuration (`.pre-commit-config.yaml` / `.yml`): hook repositories
fetched over plain-text protocols."""

from __future__ import annotations

import re

from pipesec.core.model import Severity
from pipesec.core.yamlpos import Document
from pipesec.scanners.pipelines.common import Ctx, rule

INSECURE_URL = rule(
    "precommit/insecure-url",
    "pre-commit hook repository fetched over http:// or git://",
    Severity.HIGH,
    "pre-commit clones each hook repository and runs its code on every developer machine "
    "and in CI; over `http://` or `git://` anyone on the network path can swap that code.",
    "Use the repository's `https://` URL (and pin `rev:` to a commit SHA).",
    "repos:\n  - repo: http://github.com/psf/black\n    rev: 24.10.0\n    hooks:\n"
    "      - id: black\n",
    "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.10.0\n    hooks:\n"
    "      - id: black\n",
    cwe=("CWE-319", "CWE-494"),
    references=("https://docs.zizmor.sh/audits/#insecure-url-scheme",),
)

RULES = (INSECURE_URL,)
#: archived hook repositories -> what replaces them
ARCHIVED_HOOKS = {
    "pre-commit/mirrors-prettier": "a local prettier hook (the mirror is no longer updated)",
    "pre-commit/mirrors-isort": "pycqa/isort",
}
#: a hook repository on GitHub, over https, ssh or scp-like git syntax -> owner/repo
_GITHUB_REPO = re.compile(
    r"^(?:https?://|ssh://git@|git://|git@)github\.com[:/]([^/\s]+/[^/\s]+?)/?$", re.IGNORECASE
)


def check(doc: Document, ctx: Ctx) -> None:
    root = doc.root
    repos = root.get("repos") if root is not None and root.is_map else None
    if repos is None or not repos.is_seq:
        return
    from pipesec.scanners.pipelines.gha_supplychain import ARCHIVED
    from pipesec.scanners.pipelines.gha_usage import TYPOSQUAT, typosquat_of

    for item in repos.seq():
        repo = item.get("repo") if item.is_map else None
        url = (repo.text() or "").strip() if repo is not None else ""
        m = _GITHUB_REPO.match(url)
        if repo is not None and m is not None:
            slug = m.group(1).lower().removesuffix(".git")
            if slug in ARCHIVED_HOOKS:
                ctx.hit(
                    ARCHIVED,
                    repo,
                    f"hook repository {slug} is archived; use {ARCHIVED_HOOKS[slug]}",
                    identity=f"precommit-archived:{slug}",
                )
            real = typosquat_of(slug)
            if real is not None:
                ctx.hit(
                    TYPOSQUAT,
                    repo,
                    f"hook repository `{slug}` looks like a typo of `{real}`",
                    identity=f"precommit-typo:{slug}",
                )
        scheme = url.split(":", 1)[0].lower()
        if repo is not None and scheme in ("http", "git"):
            ctx.hit(
                INSECURE_URL,
                repo,
                f"hook repository {url} is fetched over {scheme}://, without integrity",
                identity=f"precommit-url:{url}",
            )
