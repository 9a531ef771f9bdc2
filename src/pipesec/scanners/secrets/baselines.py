"""Importers for other secret scanners' baselines (see :mod:`pipesec.core.baseline`).

- detect-secrets' ``.secrets.baseline``: ``{"results": {filename: [{"type",
  "line_number", "hashed_secret", ...}]}, "plugins_used": [...], "version": ...}``.
  Each result accepts the finding at that file and line; the plugin type maps to a glob of
  our rule ids where it names a provider, and to any rule for the entropy and keyword
  plugins (detect-secrets' hashes are unkeyed SHA-1 of the value, so they are not used to
  match). Entries audited as real (``"is_secret": true``) are accepted too, exactly as
  detect-secrets' own hook accepts them: rotate such secrets, then drop them.
- gitleaks' JSON report (``gitleaks detect --report-format json``, also what
  ``--baseline-path`` reads): a list of ``{"File", "StartLine", "RuleID", ...}``. Only the
  file, line and rule are read; the report's ``Secret`` and ``Match`` fields are never
  looked at or kept.

Each importer returns None when the document is not of its format.
"""

from __future__ import annotations

from typing import Any

from pipesec.core.baseline import BaselineEntry

#: detect-secrets plugin type -> glob of our rule ids ("" = any rule at that line)
DETECT_SECRETS_TYPES: dict[str, str] = {
    "Artifactory Credentials": "secrets/*artifactory*",
    "AWS Access Key": "secrets/*aws*",
    "Azure Storage Account access key": "secrets/*azure*",
    "Basic Auth Credentials": "secrets/*",
    "Cloudant Credentials": "secrets/*",
    "Discord Bot Token": "secrets/*discord*",
    "GitHub Token": "secrets/*github*",
    "GitLab Token": "secrets/*gitlab*",
    "IBM Cloud IAM Key": "secrets/*ibm*",
    "IBM COS HMAC Credentials": "secrets/*ibm*",
    "JSON Web Token": "secrets/*jwt*",
    "Mailchimp Access Key": "secrets/*mailchimp*",
    "NPM tokens": "secrets/*npm*",
    "OpenAI Token": "secrets/*openai*",
    "Private Key": "secrets/*private-key*",
    "PyPI Token": "secrets/*pypi*",
    "SendGrid API Key": "secrets/*sendgrid*",
    "Slack Token": "secrets/*slack*",
    "SoftLayer Credentials": "",  # no SoftLayer rule: any rule at that line
    "Square OAuth Secret": "secrets/*square*",
    "Stripe Access Key": "secrets/*stripe*",
    "Telegram Bot Token": "secrets/*telegram*",
    "Twilio API Key": "secrets/*twilio*",
    # entropy and keyword plugins find what our generic rules find: any rule at that line
    "Base64 High Entropy String": "",
    "Hex High Entropy String": "",
    "Secret Keyword": "",
}

#: gitleaks default rule id prefix -> glob of our rule ids (custom ids: any rule)
GITLEAKS_PREFIXES: dict[str, str] = {
    "aws": "secrets/*aws*",
    "github": "secrets/*github*",
    "gitlab": "secrets/*gitlab*",
    "slack": "secrets/*slack*",
    "stripe": "secrets/*stripe*",
    "npm": "secrets/*npm*",
    "pypi": "secrets/*pypi*",
    "private-key": "secrets/*private-key*",
    "jwt": "secrets/*jwt*",
    "twilio": "secrets/*twilio*",
    "sendgrid": "secrets/*sendgrid*",
    "openai": "secrets/*openai*",
    "anthropic": "secrets/*anthropic*",
    "huggingface": "secrets/*hugging*",
    "gcp": "secrets/*gcp*",
    "azure": "secrets/*azure*",
    "shopify": "secrets/*shopify*",
    "datadog": "secrets/*datadog*",
    "mailgun": "secrets/*mailgun*",
    "dockerhub": "secrets/*docker*",
}


def _norm(path: str) -> str:
    p = path.replace("\\", "/").strip()
    while p.startswith("./"):
        p = p[2:]
    return p


def _line(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return 0


def import_detect_secrets(data: Any) -> list[BaselineEntry] | None:
    """Entries of a detect-secrets ``.secrets.baseline``; None when it is not one."""
    if not isinstance(data, dict):
        return None
    results = data.get("results")
    if not isinstance(results, dict):
        return None
    if not any(k in data for k in ("plugins_used", "generated_at", "version", "filters_used")):
        return None
    entries: list[BaselineEntry] = []
    for filename, items in results.items():
        if not isinstance(filename, str) or not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict):
                continue
            path = item.get("filename") if isinstance(item.get("filename"), str) else filename
            secret_type = item.get("type")
            rule = DETECT_SECRETS_TYPES.get(secret_type, "") if isinstance(secret_type, str) else ""
            entries.append(
                BaselineEntry(
                    path=_norm(str(path)),
                    line=_line(item.get("line_number")),
                    rule=rule,
                    source="detect-secrets",
                )
            )
    return entries


def _gitleaks_rule(rule_id: Any) -> str:
    if not isinstance(rule_id, str) or not rule_id:
        return ""
    low = rule_id.lower()
    for prefix, glob in GITLEAKS_PREFIXES.items():
        if low.startswith(prefix):
            return glob
    return ""  # generic-api-key, custom rules ...: any rule at that file and line


def import_gitleaks_report(data: Any) -> list[BaselineEntry] | None:
    """Entries of a gitleaks JSON report / baseline; None when it is not one.

    An empty list is accepted as gitleaks' report of a clean scan.
    """
    if not isinstance(data, list):
        return None
    if not all(isinstance(x, dict) and "RuleID" in x and "File" in x for x in data):
        return None
    entries = []
    for item in data:
        file = item.get("File")
        if not isinstance(file, str) or not file:
            continue
        entries.append(
            BaselineEntry(
                path=_norm(file),
                line=_line(item.get("StartLine")),
                rule=_gitleaks_rule(item.get("RuleID")),
                source="gitleaks",
            )
        )
    return entries
