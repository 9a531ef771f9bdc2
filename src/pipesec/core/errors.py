"""One error hierarchy; every error carries a message a user can act on.

The CLI maps them to exit codes: ConfigError and UsageError -> 2, InputError -> 3.
"""

from __future__ import annotations


class PipesecError(Exception):
    """Base of all pipesec errors. ``str(err)`` is one line a user can act on."""

    exit_code = 3


class UsageError(PipesecError):
    exit_code = 2


class ConfigError(PipesecError):
    """A configuration file or option is invalid: names the file, the key and the fix."""

    exit_code = 2

    def __init__(self, message: str, *, path: str = "", key: str = "") -> None:
        where = path
        if key:
            where = f"{where}: {key}" if where else key
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.key = key


class InputError(PipesecError):
    """An input that should have been processed could not be (a file, a git ref ...)."""

    exit_code = 3

    def __init__(self, path: str, message: str, *, line: int = 0, column: int = 0) -> None:
        where = path
        if line:
            where += f":{line}" + (f":{column}" if column else "")
        super().__init__(f"{where}: {message}")
        self.path = path
        self.message = message
        self.line = line
        self.column = column


class ToolMissingError(PipesecError):
    """An external tool an adapter needs is not installed."""

    exit_code = 2


class NetworkError(PipesecError):
    """A command that needs the network could not reach it."""

    exit_code = 3
