"""The contract every secret rule follows (ours and gitleaks-imported ones).

A :class:`SecretRule` is pure data: a Python ``re`` pattern, the group holding the secret,
lowercase keywords for prefiltering, an optional entropy floor, an optional offline
validator (only for formats whose provider documents a checksum or structure), path
filters and allow-patterns. :meth:`SecretRule.to_rule` turns it into the core
:class:`~pipesec.core.model.Rule`; its examples are generated at run time by the rule's
``example`` callable, so no credential-shaped string is ever stored in the repository.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from pipesec.core.model import Confidence, Rule, Severity

DEFAULT_REMEDIATION = (
    "Revoke the credential at the provider now (assume it is compromised once committed), "
    "issue a new one, keep it in a secret manager or the CI platform's secret store, read it "
    "from the environment at run time, and remove it from history if the repository is shared."
)

#: fixed example used when a rule has no example generator
_DEFAULT_FIXED = 'token = os.environ["SERVICE_TOKEN"]\n'


@dataclass(frozen=True, slots=True)
class SecretMatch:
    """One secret found in a text. Offsets are character offsets; line/column are 1-based.

    ``value`` is the secret itself: it must go through :mod:`pipesec.core.redact` (see
    :func:`pipesec.scanners.secrets.findings.make_finding`) before it reaches anything else.
    """

    rule: SecretRule
    value: str
    start: int
    end: int
    line: int
    column: int
    confidence: Confidence
    #: the whole rule match (which may be wider than the secret), as character offsets
    match_start: int = -1
    match_end: int = -1
    #: end line/column of the secret (1-based, end column exclusive)
    end_line: int = 0
    end_column: int = 0


@dataclass(frozen=True, slots=True)
class SecretRule:
    id: str  # "secrets/aws-access-key"; gitleaks-imported rules use "gitleaks/<id>"
    provider: str  # "AWS"
    title: str
    severity: Severity
    regex: str  # Python ``re`` syntax (RE2/Hyperscan-compatible subset where possible)
    secret_group: int | str = 0  # group that holds the secret value
    keywords: tuple[str, ...] = ()  # lowercase; prefilter (a text with none is skipped)
    entropy: float | None = None  # minimum Shannon entropy of the secret
    #: documented checksum/structure check: True valid (high confidence), False invalid (low)
    validator: Callable[[str], bool] | None = None
    path_regex: str | None = None  # only files whose path matches
    allow_regexes: tuple[str, ...] = ()  # matches of these on the secret are ignored
    cwe: tuple[str, ...] = ("CWE-798",)
    remediation: str = DEFAULT_REMEDIATION
    # -- additive fields (defaults keep the contract above stable) ---------------------------
    description: str = ""
    references: tuple[str, ...] = ()
    #: builds a vulnerable example text at run time (never stored whole)
    example: Callable[[], str] | None = None
    #: builds a safe look-alike at run time; defaults to reading from the environment
    fixed: Callable[[], str] | None = None
    #: confidence when there is no validator (or gitleaks rules)
    confidence: Confidence = Confidence.HIGH
    #: apply the generic false-positive filters (placeholders, templates, references)
    generic_filters: bool = False
    #: pattern handed to the multi-pattern prefilter instead of ``regex`` (must match a
    #: superset of ``regex``'s matches, ending at the same offsets); None = ``regex``
    prefilter: str | None = None
    tags: tuple[str, ...] = ()

    def compiled(self) -> re.Pattern[str]:
        return _compile(self.regex)

    def to_rule(self) -> Rule:
        """The core Rule (for rules list/explain, docs and SARIF). Examples are generated now."""
        vulnerable = self.example() if self.example is not None else ""
        fixed = self.fixed() if self.fixed is not None else (_DEFAULT_FIXED if vulnerable else "")
        rationale = self.description or (
            f"A {self.provider} credential committed to a repository can be read by everyone "
            "with access to the code, its forks, clones, CI logs and caches; whoever holds it "
            f"can act as its owner on {self.provider}."
        )
        return Rule(
            id=self.id,
            title=self.title,
            severity=self.severity,
            rationale=rationale,
            remediation=self.remediation,
            vulnerable_example=vulnerable,
            fixed_example=fixed,
            cwe=self.cwe,
            references=self.references,
            confidence=self.confidence,
            tags=("secret", *self.tags),
        )


@lru_cache(maxsize=4096)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def shannon_entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())
