"""The options of ``[scanners.secrets]``: one frozen dataclass, validated by pydantic only
where a value needs it (the pattern of ``core.config``).

:class:`Options` is the definition (fields, kebab-case keys, defaults, constraints).
:func:`adapter` is its pydantic validator (the scanner's ``settings_model``), built on first
use: the annotations name pydantic's ``Field`` as a string until then. The scan takes
options that are each exactly of their field's type as they are (:func:`options_of`): a scan
never imports pydantic for them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from pipesec.scanners.secrets import DEFAULT_MAX_FILE_SIZE

if TYPE_CHECKING:
    from pydantic import Field, TypeAdapter


def _kebab(name: str) -> str:
    return name.replace("_", "-")


@dataclass(frozen=True, slots=True)
class Options:
    """Options of ``[scanners.secrets]``."""

    #: kebab-case keys (snake_case accepted too), unknown keys are errors
    __pydantic_config__ = {"extra": "forbid", "alias_generator": _kebab, "populate_by_name": True}

    max_file_size: Annotated[
        int,
        Field(
            ge=0,
            description="Largest file (bytes) streamed through the scanner; larger files are noted",
        ),
    ] = DEFAULT_MAX_FILE_SIZE
    test_paths: Annotated[
        list[str],
        Field(
            description="Globs of paths the secrets scanner skips (none by default: fixtures are "
            "scanned and [gate] context-paths demotes their generic findings)"
        ),
    ] = field(default_factory=list)
    generic: Annotated[
        bool, Field(description="Run the generic password/secret/api_key assignment rules")
    ] = True
    use_hyperscan: Annotated[
        bool | None,
        Field(description="Use Hyperscan (true), never (false), or when installed (unset)"),
    ] = None
    fail_only_verified: Annotated[
        bool,
        Field(
            description="With --verify: lower every secret not verified live to info, so the "
            "gate fails only on verified secrets (see scanners/secrets/verify)"
        ),
    ] = False


@cache
def adapter() -> TypeAdapter[Options]:
    """pydantic's validator of :class:`Options` (the scanner's ``settings_model``). The
    annotations name ``Field``: TypeAdapter resolves it in this frame's namespace."""
    from pydantic import Field, TypeAdapter  # noqa: F401

    return TypeAdapter(Options)


#: each field: what a value taken as it is must be (a test holds the keys to the fields)
_PLAIN: dict[str, Callable[[object], bool]] = {
    "max_file_size": lambda v: type(v) is int and v >= 0,
    "test_paths": lambda v: type(v) is list and all(type(x) is str for x in v),
    "generic": lambda v: type(v) is bool,
    "use_hyperscan": lambda v: v is None or type(v) is bool,
    "fail_only_verified": lambda v: type(v) is bool,
}


def options_of(options: Mapping[str, Any]) -> Options:
    """The scanner's options. None given, or each of exactly its field's type (what the
    command hands over after validating a configuration), they are taken as they are: pydantic
    costs about 0.15 s of imports in every scan. Anything else goes through :func:`adapter`
    (its coercions, its error messages)."""
    plain: dict[str, Any] = {}
    for key, value in options.items():
        name = key.replace("-", "_")
        check = _PLAIN.get(name)
        if check is None or key not in (name, _kebab(name)) or name in plain or not check(value):
            break
        plain[name] = list(value) if name == "test_paths" else value
    else:
        return Options(**plain)
    return adapter().validate_python(dict(options))
