"""IaC rules as data: one YAML file per rule under ``rules/<family>/<slug>.yaml``.

A file names the rule's metadata and one or more *targets* (``terraform``,
``cloudformation``, ``kubernetes``), each with the resource types it applies to, a CEL
condition that is true for a violation (:mod:`.cel`), the attribute whose line is
reported, and a vulnerable and a fixed example that the test suite runs. The format is
documented in docs/iac-rules.md. Files are validated at load (pydantic, into frozen
dataclasses); an invalid file is a bug of pipesec (the test suite loads every file),
never something a scanned tree provides. The validated files are cached
(:func:`rule_files`).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pipesec.core.model import Confidence, Rule, Severity
from pipesec.scanners.iac.common import Check, Hit, make_rule, show_value

if TYPE_CHECKING:
    from pydantic import AfterValidator, Field, TypeAdapter

    from pipesec.scanners.iac.hcl import Block
    from pipesec.scanners.iac.tfbase import ModuleView

log = logging.getLogger(__name__)

FAMILIES = ("aws", "azure", "google", "alicloud", "kubernetes")
_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: pydantic's configuration of every part of a rule file: unknown keys are errors
_STRICT: dict[str, Any] = {"extra": "forbid"}


def _terraform_types(v: list[str]) -> list[str]:
    for t in v:
        name = t.removeprefix("data.")  # a data source: data.google_iam_policy
        if not name.replace("_", "").isalnum() or t != t.lower():
            raise ValueError(f"not a Terraform resource type: {t!r}")
    return v


# The parts of a rule file are frozen dataclasses that pydantic validates a file into
# (:func:`_adapter`, built on first use; the annotations name ``Field`` and
# ``AfterValidator`` as strings until then): a scan that reads the validated files from
# the cache (:func:`rule_files`) never imports pydantic.


@dataclass(frozen=True, kw_only=True)
class Examples:
    __pydantic_config__ = _STRICT

    vulnerable: Annotated[str, Field(min_length=1)]
    fixed: Annotated[str, Field(min_length=1)]


@dataclass(frozen=True, kw_only=True)
class Target:
    __pydantic_config__ = _STRICT

    condition: Annotated[str, Field(min_length=1)]
    examples: Examples
    #: dotted attribute path whose line is reported (the resource's line when absent);
    #: ``A|B`` reports the first alternative that is set; a block that is there is pointed at
    report: str | None = None
    #: the finding's message; ``{address}`` is the resource's address
    message: str | None = None


@dataclass(frozen=True, kw_only=True)
class ModuleDefault:
    """An account or region default that a resource of the module declares
    (``aws_ebs_encryption_by_default``): true when one of ``resources`` matches
    ``condition`` over ``d``."""

    __pydantic_config__ = _STRICT

    resources: Annotated[list[str], Field(min_length=1), AfterValidator(_terraform_types)]
    condition: Annotated[str, Field(min_length=1)]


@dataclass(frozen=True, kw_only=True)
class ResourceLink:
    """A resource of the module that an attribute of the checked resource names
    (``ami = aws_ami.golden.id``): the condition reads its attributes as ``links.<name>``,
    absent when the attribute (``A|B``: the first that is set) names none of ``resources``."""

    __pydantic_config__ = _STRICT

    attribute: Annotated[str, Field(min_length=1)]
    resources: Annotated[list[str], Field(min_length=1), AfterValidator(_terraform_types)]


@dataclass(frozen=True, kw_only=True)
class TerraformTarget(Target):
    resources: Annotated[list[str], Field(min_length=1), AfterValidator(_terraform_types)]
    #: older provider versions' forms of ``report`` (``role_based_access_control.enabled``
    #: for ``role_based_access_control_enabled``): when ``report`` is not set, the first
    #: of these that is set is reported
    legacy: list[str] = field(default_factory=list)
    #: module-wide defaults the condition reads as ``defaults.<name>`` (booleans)
    defaults: dict[str, ModuleDefault] = field(default_factory=dict)
    #: resources the checked one names, read as ``links.<name>`` (maps)
    links: dict[str, ResourceLink] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class CloudFormationTarget(Target):
    resources: Annotated[list[str], Field(min_length=1)]
    #: the remediation in CloudFormation's property names (the file's, when absent)
    remediation: str | None = None


@dataclass(frozen=True, kw_only=True)
class KubernetesTarget(Target):
    kinds: Annotated[list[str], Field(min_length=1)]
    #: ``container``: the condition runs once per container (``c``), with ``pod`` the spec
    each: Literal["container"] | None = None


#: the targets a rule file may have, by key
TARGETS: dict[str, type[Target]] = {
    "terraform": TerraformTarget,
    "cloudformation": CloudFormationTarget,
    "kubernetes": KubernetesTarget,
}


@dataclass(frozen=True, kw_only=True)
class RuleFile:
    __pydantic_config__ = _STRICT

    id: Annotated[str, Field(pattern=_SLUG)]
    title: Annotated[str, Field(min_length=1)]
    severity: Severity
    confidence: Confidence = Confidence.HIGH
    cwe: list[str] = field(default_factory=list)
    rationale: Annotated[str, Field(min_length=1)]
    remediation: Annotated[str, Field(min_length=1)]
    references: list[str] = field(default_factory=list)
    terraform: TerraformTarget | None = None
    cloudformation: CloudFormationTarget | None = None
    kubernetes: KubernetesTarget | None = None

    def __post_init__(self) -> None:
        if self.terraform is None and self.cloudformation is None and self.kubernetes is None:
            raise ValueError("a rule needs a terraform, cloudformation or kubernetes target")

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


@lru_cache(maxsize=1)
def _adapter() -> TypeAdapter[RuleFile]:
    """pydantic's validator of a rule file; the dataclasses' annotations name ``Field``
    and ``AfterValidator``, which TypeAdapter resolves in this frame's namespace."""
    from pydantic import AfterValidator, Field, TypeAdapter  # noqa: F401

    return TypeAdapter(RuleFile)


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
        rf = _adapter().validate_python(data)
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
    from importlib import resources

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
    """Every packaged rule file, validated (an invalid file raises :class:`RuleFileError`).

    Loading some 400 YAML files and validating them is most of a one-file scan, so the
    validated files are also kept as JSON in the user cache directory, signed like the
    CEL cache (:mod:`pipesec.core.cachemac`: a planted file is not used) and named by
    :func:`pipesec.core.cachemac.fingerprint` (every file of pipesec: the rule files and
    this module).
    It is written only when it decodes to exactly the validated files; reading it back
    needs neither YAML nor pydantic."""
    from pipesec.core.cachemac import fingerprint, read_signed, settled, write_kept
    from pipesec.scanners.iac import catalog

    try:
        path = catalog.folder() / f"rulefiles-{fingerprint().digest}.json"
    except OSError:  # a file vanished while it was looked at: read the files
        return _read_and_validate()
    raw = read_signed(path, "IaC rule files")
    if raw is not None:
        try:
            return tuple(from_data(d) for d in json.loads(raw))
        except (ValueError, TypeError, KeyError, RecursionError):
            log.debug("the cached IaC rule files %s do not decode; read again", path)
    found = _read_and_validate()
    try:
        payload = json.dumps([dataclasses.asdict(rf) for rf in found], separators=(",", ":"))
        if settled() and tuple(from_data(d) for d in json.loads(payload)) == found:
            write_kept(path, payload.encode(), "rulefiles-", "rules-")  # rules-: an older name
    except (TypeError, ValueError, OSError):
        log.debug("cannot keep the IaC rule files in %s", path, exc_info=True)
    return found


def _read_and_validate() -> tuple[RuleFile, ...]:
    return tuple(
        _validated(name, _load_yaml(name, text), family) for family, name, text in _rule_files()
    )


def from_data(data: dict[str, Any]) -> RuleFile:
    """A rule file from the JSON of a validated one (``dataclasses.asdict``), unvalidated."""
    targets = {key: _target(cls, data[key]) for key, cls in TARGETS.items() if data.get(key)}
    return RuleFile(
        **{
            **data,
            **targets,
            "severity": Severity(data["severity"]),
            "confidence": Confidence(data["confidence"]),
        }
    )


def _target(cls: type[Target], data: dict[str, Any]) -> Target:
    fields = {**data, "examples": Examples(**data["examples"])}
    if "defaults" in data:
        fields["defaults"] = {k: ModuleDefault(**v) for k, v in data["defaults"].items()}
    if "links" in data:
        fields["links"] = {k: ResourceLink(**v) for k, v in data["links"].items()}
    return cls(**fields)


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
    defaults = {
        name: (tuple(d.resources), Condition(d.condition)) for name, d in target.defaults.items()
    }
    links = {
        name: (tuple(k.attribute.split("|")), tuple(k.resources))
        for name, k in target.links.items()
    }

    def check(m: ModuleView, lines: dict[str, list[str]]) -> Iterator[tuple[str, Hit]]:
        from pipesec.scanners.iac.tfbase import at_attr, at_block, at_missing

        blocks = chain(
            m.resources(*(t for t in types if not t.startswith("data."))),
            m.data(*(t.removeprefix("data.") for t in types if t.startswith("data."))),
            m.registry(*(t for t in types if not t.startswith("data."))),
        )
        activation: dict[str, Any] = {}
        for b in blocks:
            if links:
                activation["links"] = _linked(m, b, links)
            if defaults and "defaults" not in activation:
                from pipesec.scanners.iac.cel import to_cel

                declared = {
                    name: any(cond.matches({"d": m.cel(d)}) for d in m.resources(*kinds))
                    for name, (kinds, cond) in defaults.items()
                }
                activation["defaults"] = to_cel(declared)
            activation["providers"] = m.providers_cel()
            activation["r"] = m.cel(b)
            activation["type"] = b.labels[0] if b.labels else ""
            activation["label"] = b.labels[1] if len(b.labels) > 1 else ""
            if not condition.matches(activation):
                continue
            msg = target.message.format(address=b.address) if target.message else ""
            if target.report is None:
                yield at_block(b, msg or f"{b.address}: {rf.title}")
                continue
            forms = [*target.report.split("|"), *target.legacy]
            found = next(((f, a) for f in forms if (a := b.attr(f)) is not None), None)
            if found is not None:
                form, a = found
                yield at_attr(b, a, msg or f"{b.address}: {form} = {show_value(a.value)}")
            elif (sub := next(filter(None, map(b.block, forms)), None)) is not None:
                # ``report`` names a block that is there (``boot_disk``): point at it
                key = f"{b.address}.{forms[0]}"
                yield b.path, Hit(sub.line, sub.column, msg or f"{b.address}: {rf.title}", key=key)
            else:
                msg = msg or f"{b.address}: {forms[0]} is not set"
                yield at_missing(b, forms[0], msg)

    check.resource_types = frozenset(types)  # type: ignore[attr-defined]
    return Check(rf.rule("tf", target), check)


def _linked(
    m: ModuleView, b: Block, links: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
) -> Any:
    """``links`` for the condition: each link's resource that ``b``'s attribute refers to
    (``aws_ami.golden.id``, ``aws_ami.golden[0].id``), as a map of its attributes."""
    from pipesec.scanners.iac.cel import to_cel
    from pipesec.scanners.iac.hcl import Expr

    found: dict[str, Any] = {}
    for name, (attributes, kinds) in links.items():
        value = next((v for a in attributes if (v := b.value(a)) is not None), None)
        if not isinstance(value, Expr):
            continue
        target = next((t for t in m.resources(*kinds) if value.refers_to(t.address)), None)
        if target is not None:
            found[name] = block_to_map(target)
    return to_cel(found)


def terraform_checks() -> list[Check]:
    return [terraform_check(rf) for rf in rule_files() if rf.terraform is not None]
