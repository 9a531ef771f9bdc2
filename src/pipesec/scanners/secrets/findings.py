"""Turning a SecretMatch into a Finding: the only place a secret value meets the model.

The snippet is the line with the secret replaced by its redacted preview
(:func:`pipesec.core.redact.redact_line`); the identity is the keyed HMAC of the value
(:func:`pipesec.core.fingerprints.secret_identity`). The value itself goes nowhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipesec.core import redact
from pipesec.core.fingerprints import secret_identity
from pipesec.core.model import Confidence, Finding, Location, Severity

if TYPE_CHECKING:
    from pipesec.scanners.secrets.rules.base import SecretMatch

SCANNER = "secrets"
#: characters of a long line kept on each side of the secret before redaction
_CONTEXT = 240


def make_finding(
    match: SecretMatch,
    path: str,
    key: bytes,
    commit: str | None = None,
    *,
    line_text: str | None = None,
    properties: dict[str, object] | None = None,
) -> Finding:
    """Build the Finding for ``match`` in ``path`` (``commit`` when found in history).

    ``line_text`` is the text of the line holding the secret's start (its first line);
    without it the snippet is the redacted preview alone.
    """
    rule = match.rule
    preview = redact.preview(match.value)
    col = match.column - 1
    #: the line before the secret (its key), for a rule whose severity the key decides
    before = ""
    if rule.severity_at is not None and line_text is not None:
        before = line_text[max(0, col - 200) : max(0, col)]
    if line_text is not None:
        # the secret's place in the text: the value's length, except for a secret found
        # inside an encoded value (decoding stage), where the whole encoded text is hidden
        width = match.end - match.start if match.end > match.start else len(match.value)
        if len(line_text) > 2 * _CONTEXT + width:  # a minified line: cut first
            begin = max(0, col - _CONTEXT)
            line_text = line_text[begin : col + width + _CONTEXT]
            col -= begin
        end = col + width if match.end_line in (0, match.line) else len(line_text)
        snippet = redact.redact_line(line_text, col, end)
        # a value that spans lines (a key block) must not leak through its other lines
        value = match.value
        lines = value.splitlines()
        if len(lines) == 1 and lines[0] == value:  # one line: redact_values' one case
            if value in snippet:
                snippet = snippet.replace(value, preview)
        else:
            snippet = redact.redact_values(snippet, [value, *lines])
    else:
        snippet = preview
    severity = rule.severity
    if rule.severity_at is not None:
        severity = rule.severity_at(path, before) or severity
    if match.confidence is Confidence.LOW and severity.rank > Severity.LOW.rank:
        severity = Severity.LOW  # failed its documented checksum/structure: a test value
    props: dict[str, object] = {"provider": rule.provider, "preview": preview}
    if properties:
        props.update(properties)
    return Finding(
        rule_id=rule.id,
        scanner=SCANNER,
        title=rule.title,
        message=f"{rule.title} ({rule.provider}): {preview}",
        severity=severity,
        confidence=match.confidence,
        location=Location(
            path,
            match.line,
            match.column,
            match.end_line or match.line,
            match.end_column,
            commit=commit,
        ),
        snippet=snippet,
        cwe=rule.cwe,
        references=rule.references,
        remediation=rule.remediation,
        tags=("secret", *rule.tags),
        identity=secret_identity(match.value, key),
        properties=props,
    )
