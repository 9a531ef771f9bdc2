"""Dependency files pipesec recognises but does not read: each one found is a Note (never
silence), so a tree whose only lock file is one of these does not pass unremarked."""

from __future__ import annotations

from dataclasses import dataclass

from pipesec.scanners.deps.interface import ParseResult, SiblingReader

#: file name -> why it is not read (what to give pipesec instead)
UNREAD: dict[str, str] = {
    "bun.lockb": (
        "bun's binary lock file is not read; run 'bun install --save-text-lockfile' "
        "(bun >= 1.1.39) and commit the text bun.lock"
    ),
    "Podfile.lock": "CocoaPods lock files are not read (no CocoaPods advisories in OSV)",
    "paket.lock": "Paket lock files are not read; a packages.lock.json or PackageReference is",
    "rebar.lock": "rebar3 lock files are not read; mix.lock (Hex) is",
    "Manifest.toml": "Julia manifests are not read",
    "project.assets.json": (
        "NuGet restore output is not read; enable RestorePackagesWithLockFile and commit "
        "packages.lock.json"
    ),
}


@dataclass(slots=True)
class Unread:
    """A recognised format that is only reported (the scanner does not open the file)."""

    name: str
    note: str

    def matches(self, filename: str) -> bool:
        return filename == self.name

    def parse(self, text: str, sibling: SiblingReader) -> ParseResult:
        return ParseResult(roots={}, notes=[self.note])


SOURCES = tuple(Unread(name, why) for name, why in UNREAD.items())
