from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipesec.core import config
from pipesec.core.engine import load_scanner
from pipesec.core.errors import ConfigError
from pipesec.core.model import Severity


def write(p: Path, text: str) -> Path:
    p.write_text(text)
    return p


def test_defaults_without_files(tmp_path: Path) -> None:
    loaded = config.load(tmp_path)
    assert loaded.source is None
    assert loaded.config.gate.fail_on is Severity.HIGH
    assert loaded.config.max_file_size == 10 * 1024 * 1024


def test_full_config(tmp_path: Path) -> None:
    write(
        tmp_path / ".pipesec.toml",
        """
enable = ["secrets", "imported"]
exclude = ["vendor/", { path = "examples/", reason = "demo" }]
max-file-size = "2MB"

[gate]
fail-on = "Medium"
max-findings = 3
on-error = "warn"

[scanners.secrets]
fail-on = "critical"
generic = false

[rules."sarif/bandit/B101"]
enabled = false

[rules."secrets/generic-password"]
severity = "low"

[[exceptions]]
rule = "gha/*"
path = ".github/workflows/release.yml"
reason = "reviewed"
expires = 2030-01-31
""",
    )
    cfg = config.load(tmp_path).config
    assert cfg.enable == ["secrets", "imported"]
    assert cfg.exclude_globs() == ["vendor/", "examples/"]
    assert cfg.max_file_size == 2_000_000
    assert cfg.gate.fail_on is Severity.MEDIUM and cfg.gate.max_findings == 3
    assert cfg.gate.on_error == "warn"
    assert cfg.scanner("secrets").fail_on is Severity.CRITICAL
    assert cfg.scanner("secrets").options() == {"generic": False}
    assert cfg.rules["sarif/bandit/B101"].enabled is False
    assert cfg.rules["secrets/generic-password"].severity is Severity.LOW
    assert cfg.exceptions[0].expires == dt.date(2030, 1, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[gate]\nfail-on = 'severe'\n", "gate.fail-on"),
        ("[gate]\nfali-on = 'high'\n", "gate.fali-on: unknown key"),
        ("max-file-size = 'lots'\n", "max-file-size"),
        ("[gate]\nmax-findings = -1\n", "gate.max-findings"),
        ("[[exceptions]]\nrule = 'x/y'\n", "exceptions[0].reason"),
        ("[rules.nonsense]\nenabled = false\n", "rules"),
        ("enable = 'secrets'\n", "enable"),
    ],
)
def test_invalid_config_names_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    write(tmp_path / ".pipesec.toml", text)
    with pytest.raises(ConfigError) as err:
        config.load(tmp_path)
    assert str(tmp_path / ".pipesec.toml") in str(err.value)
    assert expected in str(err.value)


def test_invalid_toml_gives_line(tmp_path: Path) -> None:
    write(tmp_path / ".pipesec.toml", "[gate]\nfail-on = \n")
    with pytest.raises(ConfigError, match=r"invalid TOML: .*line 2"):
        config.load(tmp_path)


def test_pyproject_table_and_precedence(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.pipesec.gate]\nfail-on = 'low'\n")
    loaded = config.load(tmp_path)
    assert loaded.config.gate.fail_on is Severity.LOW
    assert loaded.source == tmp_path / "pyproject.toml"
    write(tmp_path / ".pipesec.toml", "[gate]\nfail-on = 'critical'\n")
    loaded = config.load(tmp_path)
    assert loaded.config.gate.fail_on is Severity.CRITICAL
    assert any("both" in w for w in loaded.warnings)


def test_pyproject_errors_name_the_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.pipesec]\nbogus = 1\n")
    with pytest.raises(ConfigError, match=r"\[tool.pipesec\]: bogus"):
        config.load(tmp_path)


def test_explicit_config(tmp_path: Path) -> None:
    cfg = write(tmp_path / "custom.toml", "[gate]\nfail-on = 'info'\n")
    assert config.load(tmp_path, cfg).config.gate.fail_on is Severity.INFO
    with pytest.raises(ConfigError, match="not found"):
        config.load(tmp_path, tmp_path / "missing.toml")


def test_schema_has_kebab_keys() -> None:
    schema = config.schema()
    assert "max-file-size" in schema["properties"]
    assert schema["additionalProperties"] is False
    gate = schema["$defs"]["GateConfig"]["properties"]
    assert gate["fail-on"]["description"] == "Fail on findings at or above this"
    assert schema["$defs"]["ScannerConfig"]["additionalProperties"] is True


def test_defaults_are_what_an_empty_document_validates_to() -> None:
    assert config.validate({}, "t") == config.Config()
    assert config.Config().scanner("secrets").options() == {}


def test_dump_round_trips_with_scanner_options(tmp_path: Path) -> None:
    write(
        tmp_path / ".pipesec.toml",
        """
exclude = ["vendor/", { path = "examples/", reason = "demo" }]
[gate]
context-paths = ["t/", "docs/"]
[scanners.secrets]
enabled = true
generic = false
test-paths = ["fx/**"]
[rules."a/b"]
severity = "low"
[[exceptions]]
rule = "a/*"
reason = "ok"
expires = 2030-01-31
[deploy]
keys = ["k.pem"]
builders = ["*"]
require = ["scan", "scan", "provenance"]
""",
    )
    cfg = config.load(tmp_path).config
    data = config.dump(cfg)
    assert data["scanners"]["secrets"] == {
        "enabled": True,
        "fail-on": None,
        "max-findings": None,
        "generic": False,
        "test-paths": ["fx/**"],
    }
    assert data["exceptions"][0]["expires"] == "2030-01-31"
    assert data["gate"]["context-paths"] == {"test": ["t/"], "docs": ["docs/"]}
    assert data["rules"]["a/b"] == {"severity": "low"}  # enabled unset: the rule's default
    assert data["deploy"]["require"] == ["scan", "provenance"]
    assert config.validate(data, "t") == cfg
    assert (
        config.validate(data, "t").scanner("secrets").options() == cfg.scanner("secrets").options()
    )
    assert cfg.deploy is not None and config.dump(cfg.deploy) == data["deploy"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gate = 1\n", "gate: Input should be a valid dictionary or instance of GateConfig"),
        ("[gate.context-paths]\ntests = []\n", "gate.context-paths.tests: unknown key"),
        ("[deploy]\nbuilders = [' ']\n", "deploy.builders: Value error, a builder id cannot"),
        ("[[exceptions]]\nrule = 'a'\nreason = 'r'\nowner = ''\n", "exceptions[0].owner"),
        ("[scanners.secrets]\nmax-findings = -1\n", "scanners.secrets.max-findings"),
    ],
)
def test_section_errors_name_the_key(tmp_path: Path, text: str, expected: str) -> None:
    write(tmp_path / ".pipesec.toml", text)
    with pytest.raises(ConfigError, match=re.escape(expected)):
        config.load(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("max-file-size = -1", "max-file-size: Input should be greater than or equal to 0"),
        ("max-file-size = 1.5", "max-file-size: Input should be a valid integer, got a number"),
        ("test-paths = [1]", "test-paths[0]: Input should be a valid string"),
        ('test-paths = "x"', "test-paths: Input should be a valid list"),
        ("generic = 2", "generic: Input should be a valid boolean, unable to interpret input"),
        ("bogus = 1", "bogus: unknown key; see 'pipesec config schema' for the keys this"),
        ("max-file-size = 1\nmax_file_size = 2", "max_file_size: unknown key; see"),
        ("max-file_size = 1", "max-file_size: unknown key; see"),
    ],
)
def test_scanner_option_errors_name_the_key(tmp_path: Path, text: str, expected: str) -> None:
    """A scanner's own options (here the secrets scanner's dataclass) fail with pydantic's
    message under the section's key path, at load and when a scan validates them."""
    write(tmp_path / ".pipesec.toml", "[scanners.secrets]\n" + text + "\n")
    with pytest.raises(ConfigError) as exc:
        config.load(tmp_path)
    assert str(exc.value).startswith(f"{tmp_path / '.pipesec.toml'}: scanners.secrets: {expected}")
    options = tomllib.loads("[s]\n" + text)["s"]
    model = load_scanner("secrets").settings_model
    with pytest.raises(ConfigError, match=re.escape(f"[scanners.secrets]: {expected}")):
        config.validate_options(model, options, "[scanners.secrets]")


def test_snake_case_keys_are_accepted(tmp_path: Path) -> None:
    write(tmp_path / ".pipesec.toml", "max_file_size = '3MB'\n[gate]\nmax_findings = 2\n")
    cfg = config.load(tmp_path).config
    assert (cfg.max_file_size, cfg.gate.max_findings) == (3_000_000, 2)


@pytest.mark.parametrize(("raw", "size"), [("10MB", 10_000_000), ("1 KiB", 1024), (5, 5), ("7", 7)])
def test_parse_size(raw: object, size: int) -> None:
    assert config.parse_size(raw) == size


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_fuzz_arbitrary_bytes_never_crash(tmp_path: Path, data: bytes) -> None:
    (tmp_path / ".pipesec.toml").write_bytes(data)
    try:
        config.load(tmp_path)
    except ConfigError as exc:
        assert str(exc)


toml_values = st.recursive(
    st.none().map(lambda _: "1")
    | st.sampled_from(["'high'", "true", "-3", "'x/y'", "[]", "'10MB'", "2020-01-01", "{a = 1}"]),
    lambda inner: st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
    max_leaves=5,
)
keys = st.sampled_from(
    ["enable", "exclude", "max-file-size", "gate", "scanners", "rules", "exceptions", "zzz"]
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(keys, toml_values, max_size=4))
def test_fuzz_structured_values_give_config_errors(tmp_path: Path, doc: dict[str, str]) -> None:
    text = "".join(f"{k} = {v}\n" for k, v in doc.items())
    (tmp_path / ".pipesec.toml").write_text(text)
    try:
        config.load(tmp_path)
    except ConfigError as exc:
        assert ".pipesec.toml" in str(exc)


def test_an_unset_enabled_is_neither_shown_nor_allowed_as_null(tmp_path: Path) -> None:
    (tmp_path / ".pipesec.toml").write_text(
        '[rules."bandit/B101"]\nseverity = "low"\n[rules."a/b"]\nenabled = false\n'
    )
    data = config.dump(config.load(tmp_path).config)
    assert data["rules"] == {
        "bandit/B101": {"severity": "low"},
        "a/b": {"severity": None, "enabled": False},
    }
    enabled = config.schema()["$defs"]["RuleOverride"]["properties"]["enabled"]
    assert enabled["type"] == "boolean" and "default" not in enabled and "anyOf" not in enabled
