"""pre-commit configuration (`.pre-commit-config.yaml` / `.yml`): hook repositories
fetched over plain-text protocols."""

from __future__ import annotations

from pipesec.core.model import Severity
from pipesec.scanners.pipelines.common import Ctx, rule
from pipesec.scanners.pipelines.yamlload import Document

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


def check(doc: Document, ctx: Ctx) -> None:
    root = doc.root
    repos = root.get("repos") if root is not None and root.is_map else None
    if repos is None or not repos.is_seq:
        return
    for item in repos.seq():
        repo = item.get("repo") if item.is_map else None
        url = (repo.text() or "").strip() if repo is not None else ""
        scheme = url.split(":", 1)[0].lower()
        if repo is not None and scheme in ("http", "git"):
            ctx.hit(
                INSECURE_URL,
                repo,
                f"hook repository {url} is fetched over {scheme}://, without integrity",
                identity=f"precommit-url:{url}",
            )
