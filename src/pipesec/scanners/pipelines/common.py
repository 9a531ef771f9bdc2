"""Shared pieces of the pipeline rules: the per-file context that collects hits, text edits
for autofix, and small helpers."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pipesec.core.model import Confidence, Rule, Severity
from pipesec.core.redact import trim_snippet
from pipesec.core.yamlpos import Document, Limits, YNode

SCANNER = "pipelines"
#: what one pipeline file may cost: GitHub and GitLab refuse duplicate keys, and rules walk
#: the tree as its aliases expand it, so the expanded size is the budget
YAML_LIMITS = Limits(nodes=100_000, expanded=100_000, documents=100, unique_keys=True)
#: rule id prefix -> the platform tag its rules carry
PLATFORMS = {
    "gha": "github-actions",
    "gitlab": "gitlab-ci",
    "jenkins": "jenkins",
    "precommit": "pre-commit",
    "pipeline": "pipeline",
}


def rule(
    id: str,
    title: str,
    severity: Severity,
    rationale: str,
    remediation: str,
    vulnerable: str,
    fixed: str,
    *,
    cwe: tuple[str, ...] = (),
    references: tuple[str, ...] = (),
    confidence: Confidence = Confidence.HIGH,
    tags: tuple[str, ...] = (),
) -> Rule:
    platform = PLATFORMS.get(id.split("/", 1)[0], "gitlab-ci")
    return Rule(
        id=id,
        title=title,
        severity=severity,
        rationale=rationale,
        remediation=remediation,
        vulnerable_example=vulnerable,
        fixed_example=fixed,
        cwe=cwe,
        references=references,
        confidence=confidence,
        tags=(platform, "pipeline", *tags),
    )


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``new`` (character offsets in the file)."""

    start: int
    end: int
    new: str


@dataclass(slots=True)
class Hit:
    rule: Rule
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    message: str
    snippet: str
    identity: str
    severity: Severity | None = None
    confidence: Confidence | None = None
    edits: tuple[Edit, ...] = ()
    properties: dict[str, Any] = field(default_factory=dict)


Span = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class ActionRef:
    """A ``uses: owner/repo@ref`` and where it is, for the OSV lookup (refs that are no
    SHA) and the ``--online`` audits."""

    path: str
    line: int
    col: int
    end_col: int
    repo: str
    ref: str
    snippet: str
    #: advisory ids (and aliases) already reported for it from the shipped records
    known: frozenset[str] = frozenset()
    #: the rest of the line after the value (a ``# v1.2.3`` comment)
    trailer: str = ""


@dataclass
class Ctx:
    """Everything one file's checks need, and where they put their hits."""

    doc: Document
    options: Mapping[str, Any] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()
    hits: list[Hit] = field(default_factory=list)
    secret_finder: Callable[[str, str], list[tuple[int, int, str]]] | None = None
    #: fingerprint HMAC key, for the identity of literal credentials
    key: bytes = b"pipesec"
    #: ``uses:`` refs to look up in the local OSV database after the scan
    action_refs: list[ActionRef] = field(default_factory=list)
    #: the repository's composite actions: directory -> output -> taint (gha_taint)
    local_actions: Mapping[str, Mapping[str, object]] = field(default_factory=dict)

    def secret_identity(self, value: str) -> str:
        """Keyed identity of a credential, so the secrets scanner's finding of the same value
        at the same place merges with ours."""
        from pipesec.core.fingerprints import secret_identity

        return secret_identity(value, self.key)

    @property
    def path(self) -> str:
        return self.doc.path

    def enabled(self, r: Rule) -> bool:
        return r.id not in self.disabled

    def hit(
        self,
        r: Rule,
        where: YNode | Span,
        message: str,
        *,
        identity: str = "",
        snippet: str | None = None,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        edits: tuple[Edit, ...] = (),
        doc: Document | None = None,
        **props: Any,
    ) -> None:
        if r.id in self.disabled:
            return
        if isinstance(where, YNode) and where.doc is not None:
            doc = where.doc
        doc = doc or self.doc
        if isinstance(where, YNode):
            span: Span = (where.line, where.col, where.end_line, where.end_col)
            if where.kind != "scalar":
                span = (where.line, where.col, where.line, where.col)
        else:
            span = where
        line, col, end_line, end_col = span
        if end_line != line:
            end_line, end_col = line, len(doc.line_text(line)) + 1
        if snippet is None:
            snippet = trim_snippet(doc.line_text(line), focus=max(0, col - 1))
        self.hits.append(
            Hit(
                r,
                doc.path,
                line,
                col,
                end_line,
                end_col,
                message,
                snippet,
                identity or message,
                severity,
                confidence,
                edits,
                dict(props),
            )
        )


FULL_SHA = re.compile(r"^[0-9a-f]{40}$")
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")

SECRETISH_NAME = re.compile(
    r"(?i)(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|auth"
    r"|access[_-]?key)"
)


def split_image(image: str) -> tuple[str, str, str]:
    """``registry/name:tag@digest`` -> (name, tag, digest)."""
    digest = ""
    if "@" in image:
        image, digest = image.split("@", 1)
    name, tag = image, ""
    slash = image.rfind("/")
    colon = image.rfind(":")
    if colon > slash:
        name, tag = image[:colon], image[colon + 1 :]
    return name, tag, digest
