"""The options of ``[scanners.secrets]``: a pydantic model, imported when options are
validated (a scan without configuration or files never imports pydantic for it)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from pipesec.scanners.secrets import DEFAULT_MAX_FILE_SIZE, DEFAULT_TEST_PATHS


class SecretsSettings(BaseModel):
    """Options of ``[scanners.secrets]``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    max_file_size: int = Field(
        DEFAULT_MAX_FILE_SIZE,
        alias="max-file-size",
        ge=0,
        description="Largest file (bytes) streamed through the scanner; larger files are noted",
    )
    test_paths: list[str] = Field(
        default_factory=lambda: list(DEFAULT_TEST_PATHS),
        alias="test-paths",
        description="Globs of test fixture paths whose (fake) credentials are not reported",
    )
    generic: bool = Field(
        True, description="Run the generic password/secret/api_key assignment rules"
    )
    use_hyperscan: bool | None = Field(
        None,
        alias="use-hyperscan",
        description="Use Hyperscan (true), never (false), or when installed (unset)",
    )
    fail_only_verified: bool = Field(
        False,
        alias="fail-only-verified",
        description="With --verify: lower every secret not verified live to info, so the gate "
        "fails only on verified secrets (see scanners/secrets/verify)",
    )
