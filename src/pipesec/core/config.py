"""Configuration: ``--config FILE``, else ``.pipesec.toml`` at the scan root, else
``[tool.pipesec]`` in its pyproject.toml. Unknown keys and wrong types are errors naming
the file, the key path and what was expected.

The configuration's values are frozen dataclasses; pydantic validates a document into them
(:func:`validate`, one ``TypeAdapter`` built on first use) and gives the JSON Schema. A scan
without a configuration file uses ``Config()`` and never imports pydantic (start-up). The
annotations name pydantic's ``Field``, ``BeforeValidator`` and ``AfterValidator``: they are
strings until :func:`_adapter` resolves them.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pipesec.core.errors import ConfigError
from pipesec.core.model import Severity
from pipesec.core.workspace import DEFAULT_MAX_FILE_SIZE

if TYPE_CHECKING:
    from pydantic import (
        AfterValidator,
        BeforeValidator,
        Field,
        TypeAdapter,
        ValidationError,
        WithJsonSchema,
    )

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


#: pydantic's configuration of every section: kebab-case keys (snake_case accepted too),
#: unknown keys are errors
_STRICT: dict[str, Any] = {"extra": "forbid", "alias_generator": _kebab, "populate_by_name": True}


@dataclass(frozen=True)
class ExcludeEntry:
    __pydantic_config__ = _STRICT

    path: Annotated[str, Field(min_length=1, description="Glob of paths to leave out of the scan")]
    reason: Annotated[str, Field(min_length=1, description="Why these paths are excluded")]


_ENABLED = "Run the rule (default: on, except rules that are off by default: bandit/B101)"


@dataclass(frozen=True)
class RuleOverride:
    __pydantic_config__ = _STRICT

    severity: Annotated[Severity | None, BeforeValidator(_severity)] = None
    #: None (not set): the rule's default, which is on except for ``OFF_BY_DEFAULT``; the
    #: schema says boolean, and ``dump`` leaves an unset one out (never null)
    enabled: Annotated[
        bool | None,
        WithJsonSchema({"type": "boolean", "description": _ENABLED}),
    ] = None


#: rules that run only when the configuration enables them (``enabled = true``):
#: bandit's assert check reports every ``assert``, which is test code's job
OFF_BY_DEFAULT = frozenset({"bandit/B101"})


#: where test code and documentation live (a finding there is capped at low, see engine)
DEFAULT_TEST_PATHS = (
    "test/",
    "tests/",
    "__tests__/",
    "spec/",
    "testdata/",
    "fixtures/",
    "__fixtures__/",
    # PHP's and .NET's capitalised test directories (CakePHP's ``Test/Case``, Symfony's
    # ``Tests/``), a Python package's ``testsuite/`` (borg), DokuWiki plugins' ``_test/``
    *("Test/", "Tests/", "testsuite/", "_test/"),
    "test_*.py",
    "*_test.py",
    "conftest.py",
    "*_test.go",
    # JavaScript and TypeScript test files next to the code (Jest, Mocha, Vitest)
    *("*.test.js", "*.test.ts", "*.test.jsx", "*.test.tsx"),
    *("*.spec.js", "*.spec.ts", "*.spec.jsx", "*.spec.tsx"),
    # Ansible Molecule's test scenarios of a role or a collection
    "molecule/",
    # a package's one test file (tape, node:test: ``url``'s ``test.js``; django-environ's
    # ``environ/test.py``), Django's per-app ``tests.py``, and the test-file names of
    # RSpec/Minitest, JUnit, xUnit and PHPUnit
    *("test.js", "test.mjs", "test.cjs", "test.ts", "tests.js", "tests.py", "test.py"),
    "*.test.mjs",
    *("*.test.cjs", "*_spec.rb", "*_test.rb", "*Test.java", "*Tests.java", "*Test.kt"),
    *("*Tests.cs", "*Test.php"),
)
#: ``examples-*.json``: the request/response examples the AWS SDKs ship per service API
#: ``doc/``: Debian's ``/usr/share/doc``, and Ruby's, Perl's and Go's documentation folders;
#: ``*.pod``: Perl's documentation files; ``PKG-INFO``: a Python sdist's metadata, which holds
#: the package's README
DEFAULT_DOCS_PATHS = (
    *("examples/", "docs/", "doc/", "*.md", "*.rst", "*.pod", "PKG-INFO", "examples-*.json"),
)


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


@dataclass(frozen=True)
class ContextPaths:
    __pydantic_config__ = _STRICT

    test: Annotated[
        list[str],
        Field(description="Globs of test code and fixtures (findings tagged context:test)"),
    ] = field(default_factory=lambda: list(DEFAULT_TEST_PATHS))
    docs: Annotated[
        list[str],
        Field(description="Globs of documentation and examples (findings tagged context:docs)"),
    ] = field(default_factory=lambda: list(DEFAULT_DOCS_PATHS))


@dataclass(frozen=True)
class GateConfig:
    __pydantic_config__ = _STRICT

    fail_on: Annotated[
        Severity, BeforeValidator(_severity), Field(description="Fail on findings at or above this")
    ] = Severity.HIGH
    max_findings: Annotated[
        int | None, Field(ge=0, description="Fail when more findings than this")
    ] = None
    on_error: Annotated[
        Literal["fail", "warn"],
        Field(description="fail: unreadable inputs fail the scan (exit 3); warn: only warn"),
    ] = "fail"
    demote_contexts: Annotated[
        bool,
        Field(
            description="Cap findings in test/docs paths at low (generic secrets and other "
            "scanners' findings; provider secrets and private keys are never demoted)"
        ),
    ] = True
    context_paths: Annotated[
        ContextPaths,
        BeforeValidator(_context_paths),
        Field(
            description="Globs of test code (test) and documentation (docs); a plain list is "
            "split by kind"
        ),
    ] = field(default_factory=ContextPaths)
    unknown_severity: Annotated[
        Severity,
        BeforeValidator(_severity),
        Field(
            description="Severity of an advisory that carries no score (tagged severity:unscored)"
        ),
    ] = Severity.MEDIUM
    policies: Annotated[
        list[str],
        Field(
            description="Rego policies: .rego files or directories under the scan root, or "
            "builtin:NAME (pipesec policy list); a deny fails the gate whatever fail-on says"
        ),
    ] = field(default_factory=list)
    policy_data: Annotated[
        list[str], Field(description="JSON/YAML data documents for the Rego policies")
    ] = field(default_factory=list)
    policy_timeout: Annotated[
        float, Field(gt=0, le=600, description="Seconds the policies may run; past it exit 3")
    ] = 30.0


@dataclass(frozen=True)
class ScannerConfig:
    """Common keys of ``[scanners.<name>]``; any other key is the scanner's own option."""

    __pydantic_config__ = _STRICT | {"extra": "allow"}  # kept as attributes: options()

    enabled: bool | None = None
    fail_on: Annotated[Severity | None, BeforeValidator(_severity)] = None
    max_findings: Annotated[int | None, Field(ge=0)] = None

    def options(self) -> dict[str, Any]:
        common = {f.name for f in fields(self)}
        return {k: v for k, v in vars(self).items() if k not in common}


@dataclass(frozen=True, kw_only=True)
class ExceptionEntry:
    __pydantic_config__ = _STRICT

    rule: Annotated[str, Field(min_length=1, description="Rule id, or a glob of rule ids")]
    path: Annotated[str, Field(description="Glob of paths the exception covers")] = "**"
    reason: Annotated[str, Field(min_length=1, description="Why this is accepted; required")]
    expires: Annotated[
        dt.date | None, Field(description="After this date the exception stops applying")
    ] = None
    owner: Annotated[
        str | None,
        Field(min_length=1, description="Who answers for this exception (team or person)"),
    ] = None


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


DeployRequirement = Literal["signature", "scan", "sbom", "provenance", "approval"]
DEFAULT_DEPLOY_REQUIREMENTS: tuple[DeployRequirement, ...] = (
    "signature",
    "scan",
    "sbom",
    "provenance",
)


def _unique(value: list[DeployRequirement]) -> list[DeployRequirement]:
    return list(dict.fromkeys(value))


def _builders(value: list[str]) -> list[str]:
    if any(not b.strip() for b in value):
        raise ValueError("a builder id cannot be empty")
    return value


@dataclass(frozen=True)
class DeployWindow:
    __pydantic_config__ = _STRICT

    days: Annotated[
        str,
        BeforeValidator(_window_days),
        Field(description='Days deploys may happen: "Mon-Fri", "Mon,Wed,Fri", "Fri-Mon"'),
    ] = "Mon-Sun"
    hours: Annotated[
        str,
        BeforeValidator(_window_hours),
        Field(description='Local hours: "09:00-17:00"; "22:00-06:00" runs past midnight'),
    ] = "00:00-24:00"
    tz: Annotated[
        str,
        BeforeValidator(_time_zone),
        Field(description='IANA time zone, e.g. "Europe/Berlin"'),
    ] = "UTC"


@dataclass(frozen=True)
class TrustedIdentity:
    __pydantic_config__ = _STRICT

    identity: Annotated[str, Field(min_length=1, description="Certificate identity (SAN) to trust")]
    issuer: Annotated[str, Field(min_length=1, description="OIDC issuer of that identity")]


@dataclass(frozen=True)
class DeployConfig:
    """``[deploy]``: what ``pipesec deploy-gate`` and ``pipesec admission serve`` require."""

    __pydantic_config__ = _STRICT

    keys: Annotated[
        list[str],
        Field(description="Trusted public keys (PEM files; relative paths from the config file)"),
    ] = field(default_factory=list)
    identities: Annotated[
        list[TrustedIdentity],
        Field(
            description="Trusted keyless (Sigstore) signers of the artifact's bundle "
            "(ARTIFACT.sigstore.json); needs trusted-root"
        ),
    ] = field(default_factory=list)
    trusted_root: Annotated[
        str | None,
        Field(
            description="Sigstore trusted root (JSON) keyless bundles are verified against, "
            "offline; relative to the config file"
        ),
    ] = None
    require: Annotated[
        list[DeployRequirement],
        AfterValidator(_unique),
        Field(description="Evidence required: signature, scan, sbom, provenance, approval"),
    ] = field(default_factory=lambda: list(DEFAULT_DEPLOY_REQUIREMENTS))
    max_scan_age_hours: Annotated[
        float, Field(gt=0, description="A passing scan attestation must be younger than this")
    ] = 24.0
    windows: Annotated[
        list[DeployWindow], Field(description="Deployment windows (none: any time)")
    ] = field(default_factory=list)
    freeze: Annotated[
        list[Annotated[str, BeforeValidator(_freeze)]],
        Field(description='Freeze periods: "2026-12-24/2026-12-26" (inclusive dates) or one date'),
    ] = field(default_factory=list)
    freeze_tz: Annotated[
        str, BeforeValidator(_time_zone), Field(description="Time zone the freeze dates are in")
    ] = "UTC"
    builders: Annotated[
        list[str],
        AfterValidator(_builders),
        Field(description="Allowed provenance builder ids (globs); required with provenance"),
    ] = field(default_factory=list)
    branches: Annotated[
        list[str], Field(description='Allowed source branches ("main", "release/*"); empty: any')
    ] = field(default_factory=list)
    environments: Annotated[
        list[str],
        Field(
            description="Environments whose approval counts (GitHub environment, GitLab "
            "environment); empty: any"
        ),
    ] = field(default_factory=list)
    policies: Annotated[
        list[str],
        Field(
            description="Rego policies (files, directories or builtin:NAME) evaluated in "
            "package deploy; a deny refuses the deploy"
        ),
    ] = field(default_factory=list)
    policy_data: Annotated[
        list[str], Field(description="JSON/YAML data documents for the deploy policies")
    ] = field(default_factory=list)
    allow_tags: Annotated[
        bool, Field(description="Admission: admit image references without a digest")
    ] = False

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


def _rule_ids(value: dict[str, RuleOverride]) -> dict[str, RuleOverride]:
    for rid in value:
        if "/" not in rid:
            raise ValueError(f"rule id {rid!r} must look like 'family/slug'")
    return value


@dataclass(frozen=True)
class Config:
    """The whole, validated configuration."""

    __pydantic_config__ = _STRICT

    enable: Annotated[
        list[str] | None, Field(description="Scanners to run (default: the built-in scanners)")
    ] = None
    exclude: list[str | ExcludeEntry] = field(default_factory=list)
    max_file_size: Annotated[int, BeforeValidator(parse_size), Field(gt=0)] = DEFAULT_MAX_FILE_SIZE
    fingerprint_key: Annotated[
        str | None,
        Field(description="HMAC key for secret fingerprints (prefer PIPESEC_FINGERPRINT_KEY)"),
    ] = None
    gate: GateConfig = field(default_factory=GateConfig)
    scanners: dict[str, ScannerConfig] = field(default_factory=dict)
    rules: Annotated[dict[str, RuleOverride], AfterValidator(_rule_ids)] = field(
        default_factory=dict
    )
    exceptions: list[ExceptionEntry] = field(default_factory=list)
    deploy: Annotated[
        DeployConfig | None,
        Field(description="The deploy gate and admission webhook (pipesec deploy-gate)"),
    ] = None

    def exclude_globs(self) -> list[str]:
        return [e if isinstance(e, str) else e.path for e in self.exclude]

    def scanner(self, name: str) -> ScannerConfig:
        return self.scanners.get(name) or _NO_SCANNER_CONFIG


_NO_SCANNER_CONFIG = ScannerConfig()


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(kind: type[Any] = Config) -> TypeAdapter[Any]:
    """pydantic's validator and serializer of ``kind``, built on first use. The models'
    annotations name ``Field``, ``BeforeValidator`` and ``AfterValidator``: TypeAdapter
    resolves them in this frame's namespace."""
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        from pydantic import (  # noqa: F401
            AfterValidator,
            BeforeValidator,
            Field,
            TypeAdapter,
            WithJsonSchema,
        )

        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


def dump(value: Config | DeployConfig) -> dict[str, Any]:
    """``value`` as JSON data with the configuration's (kebab-case) keys; a scanner
    section keeps its own options."""
    from pydantic_core import to_jsonable_python

    data: dict[str, Any] = _adapter(type(value)).dump_python(value, mode="json", by_alias=True)
    if isinstance(value, Config):
        for name, section in value.scanners.items():
            data["scanners"][name].update(to_jsonable_python(section.options()))
        for override in data["rules"].values():  # unset: the rule's default, not null
            if override.get("enabled") is None:
                del override["enabled"]
    return data


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
        if err["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            msg = "unknown key; see 'pipesec config schema' for the keys this section takes"
        elif err["type"] == "dataclass_type":  # a section that is no table
            msg = f"Input should be a valid dictionary or instance of {err['ctx']['class_name']}"
        parts.append(f"{source}: {key or '<root>'}: {msg}")
    return "; ".join(parts)


def validate(data: dict[str, Any], source: str) -> Config:
    from pydantic import ValidationError

    try:
        config: Config = _adapter().validate_python(data)
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
        validate_options(model, options, f"{source}: scanners.{name}")


def validate_options(model: Any, options: dict[str, Any], source: str) -> dict[str, Any]:
    """``options`` validated by a scanner's ``settings_model`` (a pydantic model, or a
    pydantic ``TypeAdapter``), as a dict by field name."""
    from pydantic import TypeAdapter, ValidationError

    try:
        if isinstance(model, TypeAdapter):
            data: dict[str, Any] = model.dump_python(model.validate_python(options))
            return data
        return dict(model.model_validate(options).model_dump())
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, source)) from None


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
        return LoadedConfig(Config(), None, warnings)
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
    schema: dict[str, Any] = _adapter().json_schema(by_alias=True)
    # unset is the rule's own default (off for OFF_BY_DEFAULT), not a value to write
    schema["$defs"]["RuleOverride"]["properties"]["enabled"].pop("default", None)
    return schema
