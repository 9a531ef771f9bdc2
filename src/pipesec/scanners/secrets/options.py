"""The options of ``[scanners.secrets]`` without pydantic, when they need no validation.

Imported when a scan has files to read (start-up: a scan of an empty tree never builds the
dataclass); ``settings.SecretsSettings`` stays the schema and validates everything else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pipesec.scanners.secrets import DEFAULT_MAX_FILE_SIZE, DEFAULT_TEST_PATHS

if TYPE_CHECKING:
    from pipesec.scanners.secrets.settings import SecretsSettings


@dataclass(frozen=True, slots=True)
class Options:
    """The options of ``[scanners.secrets]`` (``settings.SecretsSettings``' fields, which
    a test holds equal) when they need no validation: see :func:`options_of`."""

    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    test_paths: list[str] = field(default_factory=lambda: list(DEFAULT_TEST_PATHS))
    generic: bool = True
    use_hyperscan: bool | None = None
    fail_only_verified: bool = False


#: each option: its alias in the configuration, and what a value taken as it is must be
_PLAIN_OPTIONS: dict[str, tuple[str, Callable[[object], bool]]] = {
    "max_file_size": ("max-file-size", lambda v: type(v) is int and v >= 0),
    "test_paths": ("test-paths", lambda v: type(v) is list and all(type(x) is str for x in v)),
    "generic": ("generic", lambda v: type(v) is bool),
    "use_hyperscan": ("use-hyperscan", lambda v: v is None or type(v) is bool),
    "fail_only_verified": ("fail-only-verified", lambda v: type(v) is bool),
}
_OPTION_ALIASES = {alias: name for name, (alias, _) in _PLAIN_OPTIONS.items()}


def options_of(options: Mapping[str, Any]) -> Options | SecretsSettings:
    """The scanner's options. None given, or each of exactly its field's type (what the
    command hands over after validating a configuration), they are taken as they are: the
    pydantic model costs about 0.15 s of imports in every scan. Anything else goes through
    ``SecretsSettings`` (its coercions, its error messages)."""
    plain: dict[str, Any] = {}
    for key, value in options.items():
        name = key if key in _PLAIN_OPTIONS else _OPTION_ALIASES.get(key)
        if name is None or name in plain or not _PLAIN_OPTIONS[name][1](value):
            break
        plain[name] = list(value) if name == "test_paths" else value
    else:
        return Options(**plain)
    from pipesec.scanners.secrets.settings import SecretsSettings

    return SecretsSettings.model_validate(dict(options))
