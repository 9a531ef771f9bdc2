"""IaC rules as data: one YAML file per rule under ``rules/<family>/<slug>.yaml``.

A file names the rule's metadata and one or more *targets* (``terraform``,
``cloudformation``, ``kubernetes``), each with the resource types it applies to, a CEL
condition that is true for a violation (:mod:`.cel`), the attribute whose line is
reported, and a vulnerable and a fixed example that the test suite runs. The format is
documented in docs/iac-rules.md. Files are validated at load; an invalid file is a bug
of pipesec (the test suite loads every file), never something a scanned tree provides.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from itertools import chain
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipesec.core.model import Confidence, Rule, Severity
from pipesec.scanners.iac.common import Check, Hit, make_rule, show_value

if TYPE_CHECKING:
    from pipesec.scanners.iac.hcl import Block
    from pipesec.scanners.iac.tfbase import ModuleView

log = logging.getLogger(__name__)

FAMILIES = ("aws", "azure", "google", "alicloud", "kubernetes")
_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Examples(_Strict):
    vulnerable: str = Field(min_length=1)
    fixed: str = Field(min_length=1)


class Target(_Strict):
    condition: str = Field(min_length=1)
    #: dotted attribute path whose line is reported (the resource's line when absent)
    report: str | None = None
    #: the finding's message; ``{address}`` is the resource's address
    message: str | None = None
    examples: Examples


class TerraformTarget(Target):
    resources: list[str] = Field(min_length=1)
    #: older provider versions' forms of ``report`` (``role_based_access_control.enabled``
    #: for ``role_based_access_control_enabled``): when ``report`` is not set, the first
    #: of these that is set is reported
    legacy: list[str] = []

    @field_validator("resources")
    @classmethod
    def _types(cls, v: list[str]) -> list[str]:
        for t in v:
            name = t.removeprefix("data.")  # a data source: data.google_iam_policy
            if not name.replace("_", "").isalnum() or t != t.lower():
                raise ValueError(f"not a Terraform resource type: {t!r}")
        return v


class CloudFormationTarget(Target):
    resources: list[str] = Field(min_length=1)
    #: the remediation in CloudFormation's property names (the file's, when absent)
    remediation: str | None = None


class KubernetesTarget(Target):
    kinds: list[str] = Field(min_length=1)
    #: ``container``: the condition runs once per container (``c``), with ``pod`` the spec
    each: Literal["container"] | None = None


class RuleFile(_Strict):
    id: str = Field(pattern=_SLUG)
    title: str = Field(min_length=1)
    severity: Severity
    confidence: Confidence = Confidence.HIGH
    cwe: list[str] = Field(default_factory=list)
    rationale: str = Field(min_length=1)
    remediation: str = Field(min_length=1)
    references: list[str] = Field(default_factory=list)
    terraform: TerraformTarget | None = None
    cloudformation: CloudFormationTarget | None = None
    kubernetes: KubernetesTarget | None = None

    @model_validator(mode="after")
    def _has_target(self) -> RuleFile:
        if self.terraform is None and self.cloudformation is None and self.kubernetes is None:
            raise ValueError("a rule needs a terraform, cloudformation or kubernetes target")
        return self

    def rule(self, prefix: str, target: Target) -> Rule:
        """The rule's metadata for one target (``tf``, ``cfn``, ``k8s``)."""
        return make_rule(
            f"{prefix}/{self.id}",
            self.title,
            self.severity,
            self.rationale,
            getattr(target, "remediation", None) or self.remediation,
            target.examples.vulnerable,
            target.examples.fixed,
            cwe=tuple(self.cwe),
            references=tuple(self.references),
            confidence=self.confidence,
        )


class RuleFileError(ValueError):
    pass


def parse_rule_file(name: str, text: str, family: str = "") -> RuleFile:
    """One rule file's content, validated; ``name`` is the file name (its stem is the id)."""
    return _validated(name, _load_yaml(name, text), family)


def _load_yaml(name: str, text: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as exc:
        raise RuleFileError(f"{name}: invalid YAML: {exc}") from None


def _validated(name: str, data: Any, family: str) -> RuleFile:
    if not isinstance(data, dict):
        raise RuleFileError(f"{name}: a rule file is a mapping")
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if data.get("id") != stem:
        raise RuleFileError(f"{name}: id {data.get('id')!r} differs from the file name")
    try:
        rf = RuleFile.model_validate(data)
    except ValueError as exc:
        raise RuleFileError(f"{name}: {exc}") from None
    prefixes = {
        "aws": ("aws-",),
        "azure": ("azure-",),
        "google": ("gcp-", "google-"),
        "alicloud": ("alicloud-",),
    }
    if family in prefixes and not rf.id.startswith(prefixes[family]):
        first = prefixes[family][0]
        raise RuleFileError(f"{name}: the id of a {family} rule starts with {first!r}")
    return rf


def _rule_files() -> Iterator[tuple[str, str, str]]:
    """(family, name, text) of every packaged rule file, in a stable order."""
    root = resources.files("pipesec.scanners.iac") / "rules"
    for family in FAMILIES:
        folder = root / family
        if not folder.is_dir():
            continue
        for f in sorted(folder.iterdir(), key=lambda p: p.name):
            if f.name.endswith((".yaml", ".yml")):
                yield family, f"{family}/{f.name}", f.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def rule_files() -> tuple[RuleFile, ...]:
    """Every packaged rule file, validated (an invalid file raises :class:`RuleFileError`)."""
    files = list(_rule_files())
    loaded = _loaded(files)
    return tuple(
        _validated(name, data, family)
        for (family, name, _), data in zip(files, loaded, strict=True)
    )


def _loaded(files: list[tuple[str, str, str]]) -> list[Any]:
    """Each file's YAML, loaded. Loading 400 YAML files is a fifth of a one-file scan, so
    the result is also kept as JSON (decoded ten times faster) in the user cache directory,
    named by a digest of PyYAML's version and every file's name and text, and signed like
    the CEL cache (:mod:`pipesec.core.cachemac`: a planted file is not used). It is written
    only when it decodes to exactly what YAML gave."""
    import hashlib
    import json
    from pathlib import Path

    import platformdirs
    import yaml

    from pipesec.core.cachemac import read_signed, write_signed

    h = hashlib.sha256(f"rules-1\0{yaml.__version__}".encode())
    for _, name, text in files:
        h.update(f"\0{name}\0{text}".encode())
    folder = Path(platformdirs.user_cache_dir("pipesec")) / "iac"
    path = folder / f"rules-{h.hexdigest()[:32]}.json"
    raw = read_signed(path, "IaC rule files")
    if raw is not None:
        try:
            cached = json.loads(raw)
        except (ValueError, RecursionError):
            cached = None
        if isinstance(cached, list) and len(cached) == len(files):
            return cached
    loaded = [_load_yaml(name, text) for _, name, text in files]
    try:
        payload = json.dumps(loaded, separators=(",", ":")).encode()
        if json.loads(payload) != loaded:  # a key that is no string, a date, NaN ...
            return loaded
        for old in folder.glob("rules-*.json*"):  # earlier versions of the rule files
            old.unlink(missing_ok=True)
        write_signed(path, payload)
    except (TypeError, ValueError, OSError):
        log.debug("cannot keep the IaC rule files in %s", path, exc_info=True)
    return loaded


# -- Terraform ------------------------------------------------------------------------------


def block_to_map(block: Block) -> dict[str, Any]:
    """A resource's attributes, nested blocks as lists of maps (one per occurrence)."""
    out: dict[str, Any] = {name: a.value for name, a in block.attrs.items()}
    for child in block.blocks:
        out.setdefault(child.type, [])
        if isinstance(out[child.type], list):
            out[child.type].append(block_to_map(child))
    return out


def terraform_check(rf: RuleFile) -> Check:
    """The registry entry of a rule file's terraform target."""
    from pipesec.scanners.iac.cel import Condition

    target = rf.terraform
    assert target is not None
    types = tuple(target.resources)
    condition = Condition(target.condition)

    def check(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[tuple[str, Hit]]:
        from pipesec.scanners.iac.tfbase import at_attr, at_block, at_missing

        blocks = chain(
            m.resources(*(t for t in types if not t.startswith("data."))),
            m.data(*(t.removeprefix("data.") for t in types if t.startswith("data."))),
        )
        for b in blocks:
            if not condition.matches({"r": m.cel(b)}):
                continue
            msg = target.message.format(address=b.address) if target.message else ""
            if target.report is None:
                yield at_block(b, msg or f"{b.address}: {rf.title}")
                continue
            forms = [target.report, *target.legacy]
            found = next(((f, a) for f in forms if (a := b.attr(f)) is not None), None)
            if found is None:
                msg = msg or f"{b.address}: {forms[0]} is not set"
                yield at_missing(b, forms[0], msg)
            else:
                form, a = found
                yield at_attr(b, a, msg or f"{b.address}: {form} = {show_value(a.value)}")

    check.resource_types = frozenset(types)  # type: ignore[attr-defined]
    return Check(rf.rule("tf", target), check)


def terraform_checks() -> list[Check]:
    return [terraform_check(rf) for rf in rule_files() if rf.terraform is not None]
