"""Where Rego policies and their data documents come from.

A policy spec is a ``.rego`` file, a directory (its ``*.rego`` files, recursively, in
name order; ``*_test.rego`` files only for ``policy test``), or ``builtin:NAME`` (a policy
of the library shipped with pipesec, ``pipesec policy list``; ``builtin:all`` is
all of them). Data specs are JSON or YAML
files (or directories of them); each is merged into ``data`` at its root.

Policies and data weaken or strengthen the gate, so where they are read matters:
:func:`load` takes the list of specs and a :class:`PolicyFS`. The scanned tree's
configuration (``[gate] policies``) is read through :class:`TreeFS`, confined to the scan
root and never following symlinks; operator-given ``--policy`` / ``--policy-data`` paths
are trusted and read through :class:`OperatorFS`. In PR mode a filesystem reading the base
ref can be passed instead, so a pull request cannot rewrite the policy that judges it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from pipesec.core.errors import UsageError
from pipesec.policy.rego import Module

BUILTIN = "builtin:"
ALL = "builtin:all"  # every built-in policy (with its tests for policy test)
MAX_POLICY_BYTES = 1_000_000
MAX_DATA_BYTES = 20_000_000
DATA_SUFFIXES = (".json", ".yaml", ".yml")


class PolicyFS(Protocol):
    """Lists and reads policy files; ``spec`` is as written in config or on the command line."""

    def walk(self, spec: str, suffixes: tuple[str, ...]) -> list[str]:
        """The files ``spec`` names: itself, or the files under it with these suffixes."""
        ...

    def read(self, name: str, limit: int) -> str: ...


def _too_big(name: str, limit: int) -> UsageError:
    return UsageError(f"{name}: larger than {limit} bytes; not read as a policy input")


class OperatorFS:
    """Paths given by the operator (``--policy``), relative to the working directory."""

    def walk(self, spec: str, suffixes: tuple[str, ...]) -> list[str]:
        path = Path(spec)
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.suffix in suffixes and p.is_file())
            return sorted(str(p) for p in found)
        if path.is_file():
            return [spec]
        raise UsageError(f"{spec}: policy path not found")

    def read(self, name: str, limit: int) -> str:
        try:
            with open(name, "rb") as fh:
                raw = fh.read(limit + 1)
        except OSError as exc:
            raise UsageError(f"{name}: cannot read: {exc.strerror}") from None
        if len(raw) > limit:
            raise _too_big(name, limit)
        return raw.decode("utf-8", errors="replace")


class TreeFS:
    """Paths from the scanned tree's configuration: relative to the root, confined to it,
    symlinks never followed."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _inside(self, spec: str) -> Path:
        rel = Path(_relative(spec))
        path = self.root / rel
        probe = self.root
        for part in rel.parts:
            probe = probe / part
            if probe.is_symlink():
                raise UsageError(f"{spec}: a symlink; [gate] policy paths are not followed")
        return path

    def walk(self, spec: str, suffixes: tuple[str, ...]) -> list[str]:
        path = self._inside(spec)
        if path.is_dir():
            out = []
            for top, dirs, files in os.walk(path):  # never descends into symlinked dirs
                dirs.sort()
                for f in sorted(files):
                    p = Path(top) / f
                    if p.suffix in suffixes and not p.is_symlink() and p.is_file():
                        out.append(p.relative_to(self.root).as_posix())
            return out
        if path.is_file():
            return [Path(spec).as_posix()]
        raise UsageError(f"{spec}: policy path from [gate] not found under the scan root")

    def read(self, name: str, limit: int) -> str:
        return OperatorFS().read(str(self._inside(name)), limit).replace("\r\n", "\n")


def _relative(spec: str) -> str:
    rel = Path(spec)
    if rel.is_absolute() or ".." in rel.parts:
        raise UsageError(f"{spec}: [gate] policy paths must stay inside the scan root")
    return rel.as_posix()


class GitRefFS:
    """The committed files of a revision (PR mode: the base branch), so a pull request
    cannot rewrite the policies that judge it. Symlinks (mode 120000) are never read."""

    def __init__(self, root: Path, ref: str) -> None:
        from pipesec.core import gitsource

        self.root = root if root.is_dir() else root.parent
        self.ref = ref
        self.commit = gitsource.verify_ref(self.root, ref)

    def _git(self, *args: str) -> bytes:
        from pipesec.core import gitsource

        return gitsource._git(self.root, *args).stdout

    def walk(self, spec: str, suffixes: tuple[str, ...]) -> list[str]:
        rel = _relative(spec)
        out = []
        listing = self._git("ls-tree", "-r", "-z", self.commit, "--", rel)
        for entry in listing.split(b"\0"):
            meta, _, name = entry.partition(b"\t")
            if not name or not meta.startswith((b"100644", b"100755")):
                continue
            path = name.decode("utf-8", "surrogateescape")
            if path == rel or Path(path).suffix in suffixes:
                out.append(path)
        if not out:
            raise UsageError(
                f"{spec}: not found at {self.ref} (in PR mode [gate] policies and policy-data "
                "are read from the base revision)"
            )
        return sorted(out)

    def read(self, name: str, limit: int) -> str:
        spec = f"{self.commit}:./{name}"
        size = self._git("cat-file", "-s", spec).strip()
        if not size.isdigit() or int(size) > limit:
            raise _too_big(f"{self.ref}:{name}", limit)
        return self._git("cat-file", "blob", spec).decode("utf-8", errors="replace")


def library() -> dict[str, str]:
    """The built-in policies: ``NAME`` -> Rego source (tests excluded)."""
    base = resources.files("pipesec.policy") / "library"
    out = {}
    for entry in sorted(base.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rego") and not entry.name.endswith("_test.rego"):
            out[entry.name[: -len(".rego")].replace("_", "-")] = entry.read_text("utf-8")
    return out


def library_tests() -> list[Module]:
    base = resources.files("pipesec.policy") / "library"
    return [
        Module(f"builtin:{e.name}", e.read_text("utf-8"))
        for e in sorted(base.iterdir(), key=lambda e: e.name)
        if e.name.endswith("_test.rego")
    ]


def _builtin(spec: str) -> Module:
    name = spec[len(BUILTIN) :]
    lib = library()
    if name not in lib:
        raise UsageError(
            f"{spec}: no such built-in policy; 'pipesec policy list' shows: {', '.join(lib)}"
        )
    return Module(spec, lib[name])


def _parse_data(name: str, text: str) -> Any:
    if name.endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{name}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise UsageError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from None


@dataclass
class Loaded:
    modules: list[Module] = field(default_factory=list)
    data: list[Any] = field(default_factory=list)

    def extend(self, other: Loaded) -> None:
        self.modules.extend(other.modules)
        self.data.extend(other.data)


def load(
    policies: Sequence[str], data: Sequence[str], fs: PolicyFS, *, tests: bool = False
) -> Loaded:
    """The policies and data documents ``policies`` and ``data`` name, read through ``fs``.

    Every policy and data file of a scan goes through here (PR mode passes a base-ref ``fs``).
    """
    out = Loaded()
    seen: set[str] = set()
    for spec in policies:
        if spec == ALL:
            names = [f"{BUILTIN}{n}" for n in library()]
            out.modules.extend(_builtin(n) for n in names if n not in seen)
            seen.update(names)
            if tests:
                out.modules.extend(library_tests())
            continue
        if spec.startswith(BUILTIN):
            if spec not in seen:
                seen.add(spec)
                out.modules.append(_builtin(spec))
            continue
        for name in fs.walk(spec, (".rego",)):
            if name in seen or (name.endswith("_test.rego") and not tests):
                continue
            seen.add(name)
            out.modules.append(Module(name, fs.read(name, MAX_POLICY_BYTES)))
    for spec in data:
        for name in fs.walk(spec, DATA_SUFFIXES):
            doc = _parse_data(name, fs.read(name, MAX_DATA_BYTES))
            if doc is None:
                continue
            if not isinstance(doc, dict):
                raise UsageError(f"{name}: a policy data document must be a mapping")
            out.data.append(doc)
    return out
