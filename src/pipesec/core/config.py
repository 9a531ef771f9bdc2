"""Configuration: ``--config FILE``, else ``.pipesec.toml`` at the scan root, else
``[tool.pipesec]`` in its pyproject.toml. Unknown keys and wrong types are errors naming
the file, the key path and what was expected.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from pipesec.core.errors import ConfigError
from pipesec.core.model import Severity
from pipesec.core.workspace import DEFAULT_MAX_FILE_SIZE

if TYPE_CHECKING:
    from pipesec.core.trust import PolicySource

CONFIG_NAME = ".pipesec.toml"


def _kebab(name: str) -> str:
    return name.replace("_", "-")


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?i?b?)?\s*$", re.I)
_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "kib": 2**10, "m": 10**6, "mb": 10**6}
_UNITS |= {"mib": 2**20, "g": 10**9, "gb": 10**9, "gib": 2**30}


def parse_size(value: Any) -> Any:
    """Accept a byte count or a string like ``"10MB"`` / ``"512 KiB"``."""
    if isinstance(value, str):
        m = _SIZE.match(value)
        if not m or (m.group(2) or "").lower() not in _UNITS:
            raise ValueError(f'{value!r} is not a size; write bytes (10485760) or a unit ("10MB")')
        return int(float(m.group(1)) * _UNITS[(m.group(2) or "").lower()])
    return value


def _severity(value: Any) -> Any:
    if isinstance(value, str):
        return Severity.parse(value)
    return value


Size = Annotated[int, BeforeValidator(parse_size), Field(gt=0)]
SeverityField = Annotated[Severity, BeforeValidator(_severity)]


class _Model(BaseModel):
    # defer_build: the validators are built on first use, so a scan without a config file
    # never pays for them (start-up matters in pre-commit hooks)
    model_config = ConfigDict(
        extra="forbid", alias_generator=_kebab, populate_by_name=True, frozen=True, defer_build=True
    )


class ExcludeEntry(_Model):
    path: str = Field(min_length=1, description="Glob of paths to leave out of the scan")
    reason: str = Field(min_length=1, description="Why these paths are excluded")


class RuleOverride(_Model):
    severity: SeverityField | None = None
    enabled: bool = True


#: where test code and documentation live (a finding there is capped at low, see engine)
DEFAULT_TEST_PATHS = (
    "test/",
    "tests/",
    "__tests__/",
    "spec/",
    "testdata/",
    "fixtures/",
    "test_*.py",
    "*_test.py",
    "conftest.py",
    "*_test.go",
)
#: ``examples-*.json``: the request/response examples the AWS SDKs ship per service API
DEFAULT_DOCS_PATHS = ("examples/", "docs/", "*.md", "*.rst", "examples-*.json")


_DOCS_DIRS = frozenset({"doc", "docs", "example", "examples", "documentation"})
_DOCS_EXTENSIONS = (".md", ".rst", ".adoc", ".txt")


def _docs_like(glob: str) -> bool:
    g = glob.strip().lower()
    return g.endswith(_DOCS_EXTENSIONS) or g.rstrip("/").rsplit("/", 1)[-1] in _DOCS_DIRS


def _context_paths(value: Any) -> Any:
    """A plain list of globs is accepted too: documentation-like globs (``docs/``,
    ``examples/``, ``*.md`` ...) are docs, the others test code."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {
            "test": [v for v in value if not _docs_like(v)],
            "docs": [v for v in value if _docs_like(v)],
        }
    return value


class ContextPaths(_Model):
    test: list[str] = Field(
        default_factory=lambda: list(DEFAULT_TEST_PATHS),
        description="Globs of test code and fixtures (findings tagged context:test)",
    )
    docs: list[str] = Field(
        default_factory=lambda: list(DEFAULT_DOCS_PATHS),
        description="Globs of documentation and examples (findings tagged context:docs)",
    )


class GateConfig(_Model):
    fail_on: SeverityField = Field(Severity.HIGH, description="Fail on findings at or above this")
    max_findings: int | None = Field(None, ge=0, description="Fail when more findings than this")
    on_error: Literal["fail", "warn"] = Field(
        "fail", description="fail: unreadable inputs fail the scan (exit 3); warn: only warn"
    )
    demote_contexts: bool = Field(
        True,
        description="Cap findings in test/docs paths at low (generic secrets and other "
        "scanners' findings; provider secrets and private keys are never demoted)",
    )
    context_paths: Annotated[ContextPaths, BeforeValidator(_context_paths)] = Field(
        default_factory=ContextPaths.model_construct,
        description="Globs of test code (test) and documentation (docs); a plain list is "
        "split by kind",
    )
    unknown_severity: SeverityField = Field(
        Severity.MEDIUM,
        description="Severity of an advisory that carries no score (tagged severity:unscored)",
    )
    policies: list[str] = Field(
        default_factory=list,
        description="Rego policies: .rego files or directories under the scan root, or "
        "builtin:NAME (pipesec policy list); a deny fails the gate whatever fail-on says",
    )
    policy_data: list[str] = Field(
        default_factory=list, description="JSON/YAML data documents for the Rego policies"
    )
    policy_timeout: float = Field(
        30.0, gt=0, le=600, description="Seconds the policies may run; past it exit 3"
    )


class ScannerConfig(BaseModel):
    """Common keys of ``[scanners.<name>]``; any other key is the scanner's own option."""

    model_config = ConfigDict(
        extra="allow", alias_generator=_kebab, populate_by_name=True, frozen=True, defer_build=True
    )
    enabled: bool | None = None
    fail_on: SeverityField | None = None
    max_findings: int | None = Field(None, ge=0)

    def options(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class ExceptionEntry(_Model):
    rule: str = Field(min_length=1, description="Rule id, or a glob of rule ids")
    path: str = Field("**", description="Glob of paths the exception covers")
    reason: str = Field(min_length=1, description="Why this is accepted; required")
    expires: dt.date | None = Field(
        None, description="After this date the exception stops applying"
    )
    owner: str | None = Field(
        None, min_length=1, description="Who answers for this exception (team or person)"
    )


def _window_days(value: Any) -> Any:
    from pipesec.deploy.window import parse_days

    if isinstance(value, str):
        parse_days(value)
    return value


def _window_hours(value: Any) -> Any:
    from pipesec.deploy.window import parse_hours

    if isinstance(value, str):
        parse_hours(value)
    return value


def _time_zone(value: Any) -> Any:
    from pipesec.deploy.window import parse_zone

    if isinstance(value, str):
        parse_zone(value)
    return value


def _freeze(value: Any) -> Any:
    from pipesec.deploy.window import parse_freeze

    if isinstance(value, str):
        parse_freeze(value, "UTC")
    return value


TimeZone = Annotated[str, BeforeValidator(_time_zone)]

DeployRequirement = Literal["signature", "scan", "sbom", "provenance", "approval"]
DEFAULT_DEPLOY_REQUIREMENTS: tuple[DeployRequirement, ...] = (
    "signature",
    "scan",
    "sbom",
    "provenance",
)


class DeployWindow(_Model):
    days: Annotated[str, BeforeValidator(_window_days)] = Field(
        "Mon-Sun", description='Days deploys may happen: "Mon-Fri", "Mon,Wed,Fri", "Fri-Mon"'
    )
    hours: Annotated[str, BeforeValidator(_window_hours)] = Field(
        "00:00-24:00",
        description='Local hours: "09:00-17:00"; "22:00-06:00" runs past midnight',
    )
    tz: TimeZone = Field("UTC", description='IANA time zone, e.g. "Europe/Berlin"')


class TrustedIdentity(_Model):
    identity: str = Field(min_length=1, description="Certificate identity (SAN) to trust")
    issuer: str = Field(min_length=1, description="OIDC issuer of that identity")


class DeployConfig(_Model):
    """``[deploy]``: what ``pipesec deploy-gate`` and ``pipesec admission serve`` require."""

    keys: list[str] = Field(
        default_factory=list,
        description="Trusted public keys (PEM files; relative paths from the config file)",
    )
    identities: list[TrustedIdentity] = Field(
        default_factory=list,
        description="Trusted keyless (Sigstore) signers of the artifact's bundle "
        "(ARTIFACT.sigstore.json); needs trusted-root",
    )
    trusted_root: str | None = Field(
        None,
        description="Sigstore trusted root (JSON) keyless bundles are verified against, "
        "offline; relative to the config file",
    )
    require: list[DeployRequirement] = Field(
        default_factory=lambda: list(DEFAULT_DEPLOY_REQUIREMENTS),
        description="Evidence required: signature, scan, sbom, provenance, approval",
    )
    max_scan_age_hours: float = Field(
        24.0, gt=0, description="A passing scan attestation must be younger than this"
    )
    windows: list[DeployWindow] = Field(
        default_factory=list, description="Deployment windows (none: any time)"
    )
    freeze: list[Annotated[str, BeforeValidator(_freeze)]] = Field(
        default_factory=list,
        description='Freeze periods: "2026-12-24/2026-12-26" (inclusive dates) or one date',
    )
    freeze_tz: TimeZone = Field("UTC", description="Time zone the freeze dates are in")
    builders: list[str] = Field(
        default_factory=list,
        description="Allowed provenance builder ids (globs); required with provenance",
    )
    branches: list[str] = Field(
        default_factory=list,
        description='Allowed source branches ("main", "release/*"); empty: any',
    )
    environments: list[str] = Field(
        default_factory=list,
        description="Environments whose approval counts (GitHub environment, GitLab "
        "environment); empty: any",
    )
    policies: list[str] = Field(
        default_factory=list,
        description="Rego policies (files, directories or builtin:NAME) evaluated in "
        "package deploy; a deny refuses the deploy",
    )
    policy_data: list[str] = Field(
        default_factory=list, description="JSON/YAML data documents for the deploy policies"
    )
    allow_tags: bool = Field(
        False, description="Admission: admit image references without a digest"
    )

    @field_validator("require")
    @classmethod
    def _unique(cls, v: list[DeployRequirement]) -> list[DeployRequirement]:
        return list(dict.fromkeys(v))

    @field_validator("builders")
    @classmethod
    def _builders(cls, v: list[str]) -> list[str]:
        if any(not b.strip() for b in v):
            raise ValueError("a builder id cannot be empty")
        return v

    def check(self, source: str) -> None:
        if "provenance" in self.require and not self.builders:
            raise ConfigError(
                'requires provenance but allows no builder; list builders (["*"] accepts any)',
                path=source,
                key="deploy.builders",
            )
        if self.identities and not self.trusted_root:
            raise ConfigError(
                "keyless identities are verified offline: name the Sigstore trusted-root file",
                path=source,
                key="deploy.trusted-root",
            )
        if "signature" in self.require and not (self.keys or self.identities):
            raise ConfigError(
                "requires a signature but trusts no key; list keys (PEM public keys)",
                path=source,
                key="deploy.keys",
            )


class Config(_Model):
    """The whole, validated configuration."""

    enable: list[str] | None = Field(
        None, description="Scanners to run (default: the built-in scanners)"
    )
    exclude: list[str | ExcludeEntry] = Field(default_factory=list)
    max_file_size: Size = DEFAULT_MAX_FILE_SIZE
    fingerprint_key: str | None = Field(
        None, description="HMAC key for secret fingerprints (prefer PIPESEC_FINGERPRINT_KEY)"
    )
    gate: GateConfig = Field(default_factory=GateConfig.model_construct)
    scanners: dict[str, ScannerConfig] = Field(default_factory=dict)
    rules: dict[str, RuleOverride] = Field(default_factory=dict)
    exceptions: list[ExceptionEntry] = Field(default_factory=list)
    deploy: DeployConfig | None = Field(
        None, description="The deploy gate and admission webhook (pipesec deploy-gate)"
    )

    @field_validator("rules")
    @classmethod
    def _rule_ids(cls, v: dict[str, RuleOverride]) -> dict[str, RuleOverride]:
        for rid in v:
            if "/" not in rid:
                raise ValueError(f"rule id {rid!r} must look like 'family/slug'")
        return v

    def exclude_globs(self) -> list[str]:
        return [e if isinstance(e, str) else e.path for e in self.exclude]

    def scanner(self, name: str) -> ScannerConfig:
        return self.scanners.get(name) or ScannerConfig.model_construct()


class LoadedConfig:
    """A validated Config and where it came from."""

    def __init__(self, config: Config, source: Path | None, warnings: list[str]) -> None:
        self.config = config
        self.source = source
        self.warnings = warnings
        self.display = str(source) if source is not None else ""


def format_validation_error(exc: ValidationError, source: str) -> str:
    parts = []
    for err in exc.errors():
        key = ""
        for p in err["loc"]:
            key += f"[{p}]" if isinstance(p, int) else (f".{p}" if key else str(p))
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key; see 'pipesec config schema' for the keys this section takes"
        parts.append(f"{source}: {key or '<root>'}: {msg}")
    return "; ".join(parts)


def validate(data: dict[str, Any], source: str) -> Config:
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, source)) from None
    check_scanner_sections(config, source)
    if config.deploy is not None:
        config.deploy.check(source)
    return config


def check_scanner_sections(config: Config, source: str) -> None:
    """``[scanners.<name>]`` must name an installed scanner, and its own keys must be ones
    that scanner takes (a typo such as ``[scanners.secretz]`` would silently do nothing)."""
    if not config.scanners:
        return
    from pipesec.core.engine import available, load_scanner

    installed = available()
    for name, section in config.scanners.items():
        if name not in installed:
            known = ", ".join(installed) or "none"
            raise ConfigError(f"{source}: scanners.{name}: unknown scanner; installed: {known}")
        options = section.options()
        if not options:
            continue
        try:
            model = getattr(load_scanner(name), "settings_model", None)
        except Exception as exc:  # a broken plugin: the scan reports it
            logging.getLogger(__name__).debug("cannot load scanner %s: %s", name, exc)
            continue
        if model is None:
            key = next(iter(options))
            raise ConfigError(
                f"{source}: scanners.{name}.{key}: unknown key; this scanner takes only "
                "enabled, fail-on and max-findings"
            )
        try:
            model.model_validate(options)
        except ValidationError as exc:
            raise ConfigError(format_validation_error(exc, f"{source}: scanners.{name}")) from None


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read configuration: {exc.strerror}", path=str(path)) from None
    return _parse_toml(raw, str(path))


def _parse_toml(raw: bytes, display: str) -> dict[str, Any]:
    import tomllib  # a tree without a configuration file never parses one (start-up)

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not valid UTF-8 at byte {exc.start}", path=display) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=display) from None
    except RecursionError:
        raise ConfigError("invalid TOML: nested too deeply", path=display) from None


class RawConfig:
    """The configuration document a source holds, before validation."""

    def __init__(self, data: dict[str, Any], rel: str, display: str, text: str) -> None:
        self.data = data
        self.rel = rel  # CONFIG_NAME or "pyproject.toml"
        self.display = display
        self.text = text


def find_raw(source: PolicySource, warnings: list[str] | None = None) -> RawConfig | None:
    """``.pipesec.toml``, else ``[tool.pipesec]`` of pyproject.toml, from ``source``."""
    own = source.read(CONFIG_NAME)
    py_raw = source.read("pyproject.toml")
    py_table: dict[str, Any] | None = None
    if py_raw is not None:
        try:
            tool = _parse_toml(py_raw, source.describe("pyproject.toml")).get("tool", {})
        except ConfigError:
            if own is None:
                raise
            tool = {}
        if isinstance(tool, dict) and isinstance(tool.get("pipesec"), dict):
            py_table = tool["pipesec"]
    if own is not None:
        if py_table is not None and warnings is not None:
            warnings.append(
                f"both {CONFIG_NAME} and [tool.pipesec] in pyproject.toml exist; "
                f"using {CONFIG_NAME} and ignoring pyproject.toml"
            )
        display = source.describe(CONFIG_NAME)
        text = own.decode("utf-8", "replace")
        return RawConfig(_parse_toml(own, display), CONFIG_NAME, display, text)
    if py_table is not None and py_raw is not None:
        display = f"{source.describe('pyproject.toml')} [tool.pipesec]"
        return RawConfig(py_table, "pyproject.toml", display, py_raw.decode("utf-8", "replace"))
    return None


def load(
    root: Path, explicit: Path | None = None, source: PolicySource | None = None
) -> LoadedConfig:
    """Find, parse and validate the configuration for a scan of ``root``.

    ``explicit`` (``--config``, the operator's) wins; else the configuration is read from
    ``source`` (the working tree by default; the base revision's blobs in PR mode).
    """
    warnings: list[str] = []
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError("configuration file not found", path=str(explicit))
        data = _load_toml(explicit)
        if explicit.name == "pyproject.toml":
            data = data.get("tool", {}).get("pipesec", {})
        return LoadedConfig(validate(data, str(explicit)), explicit, warnings)

    from pipesec.core.trust import TreeSource

    base = root if root.is_dir() else root.parent
    raw = find_raw(source or TreeSource(base), warnings)
    if raw is None:
        return LoadedConfig(Config.model_construct(), None, warnings)
    loaded = LoadedConfig(validate(raw.data, raw.display), base / raw.rel, warnings)
    loaded.display = raw.display
    return loaded


def load_committed(raw: bytes, display: str, name: str) -> LoadedConfig:
    """An operator's ``--config`` that lies inside the scanned tree, as the base revision
    holds it (PR mode: the change under review must not edit the operator's file)."""
    data = _parse_toml(raw, display)
    if name == "pyproject.toml":
        data = data.get("tool", {}).get("pipesec", {})
    loaded = LoadedConfig(validate(data, display), Path(name), [])
    loaded.display = display
    return loaded


def schema() -> dict[str, Any]:
    return Config.model_json_schema(by_alias=True)
