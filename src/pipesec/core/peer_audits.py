"""Which audit of the peer auditor zizmor each pipelines rule stands for.

Data only, kept in core beside the peer markers of :mod:`pipesec.core.suppressions` (core
imports no scanner): the vocabulary of another tool's suppression comments.

Used to honour ``# zizmor: ignore[audit, ...]`` comments only for the findings of the audits
they name (a comment that silences ``obfuscation`` leaves an unsound condition on the same
line reported), and by the parity benches (bench/pipelines_zizmor_*.py) to compare families.
"""

from __future__ import annotations

#: pipesec rule -> the peer's audit family it stands for
ZIZMOR_AUDIT: dict[str, str] = {
    "gha/template-injection": "template-injection",
    "gha/template-injection-script": "template-injection",
    "gha/template-injection-input": "template-injection",
    "gha/dangerous-trigger": "dangerous-triggers",
    "gha/pwn-request": "dangerous-triggers",
    "gha/missing-permissions": "excessive-permissions",
    "gha/write-all-permissions": "excessive-permissions",
    "gha/excessive-permissions": "excessive-permissions",
    "gha/undocumented-permissions": "undocumented-permissions",
    "gha/unpinned-uses": "unpinned-uses",
    "gha/unpinned-image": "unpinned-images",
    "gha/artipacked": "artipacked",
    "gha/checkout-persist-credentials": "artipacked",
    "gha/cache-poisoning": "cache-poisoning",
    "gha/self-hosted-public-trigger": "self-hosted-runner",
    "gha/unsecure-commands": "insecure-commands",
    "gha/github-env-injection": "github-env",
    "gha/bot-condition": "bot-conditions",
    "gha/unsound-condition": "unsound-condition",
    "gha/unsound-contains": "unsound-contains",
    "gha/publish-long-lived-token": "use-trusted-publishing",
    "gha/obfuscated-uses": "obfuscation",
    "gha/obfuscated-expression": "obfuscation",
    "gha/archived-uses": "archived-uses",
    "gha/known-vulnerable-action": "known-vulnerable-actions",
    "gha/dependabot-external-code-execution": "dependabot-execution",
    "gha/dependabot-cooldown": "dependabot-cooldown",
    "gha/anonymous-definition": "anonymous-definition",
    "gha/unpinned-tool-install": "adhoc-packages",
    "gha/github-app-token": "github-app",
    "gha/typosquat-uses": "typosquat-uses",
    "gha/self-repository-uses": "self-repository",
    "gha/unpinned-tool-version": "unpinned-tools",
    "gha/shell-cmd": "misfeature",
    "precommit/insecure-url": "insecure-url-scheme",
    "gha/extra-index-url": "dependency-confusion",
    "gha/index-url-credentials": "dependency-confusion",
    "gha/read-all-permissions": "excessive-permissions",
    "gha/comment-trigger-no-auth": "dangerous-triggers",
    "gha/concurrency-limits": "concurrency-limits",
    "gha/secrets-outside-environment": "secrets-outside-env",
}
#: rules named like the peer's audit
ZIZMOR_AUDIT.update(
    {
        f"gha/{name}": name
        for name in (
            "secrets-inherit",
            "overprovisioned-secrets",
            "unredacted-secrets",
            "hardcoded-container-credentials",
        )
    }
)


def zizmor_audit(rule_id: str) -> str | None:
    """The zizmor audit ``rule_id`` stands for, or None when zizmor has no such audit."""
    return ZIZMOR_AUDIT.get(rule_id)
