"""Ecosystems: OSV names, name normalisation and package URLs (purl spec)."""

from __future__ import annotations

import re
from functools import lru_cache

from packageurl import PackageURL
from packaging.utils import canonicalize_name

PYPI = "PyPI"
NPM = "npm"
GO = "Go"
CARGO = "crates.io"
RUBYGEMS = "RubyGems"
PACKAGIST = "Packagist"
MAVEN = "Maven"
NUGET = "NuGet"
PUB = "Pub"
SWIFT = "SwiftURL"
HEX = "Hex"
CRAN = "CRAN"
BIOCONDUCTOR = "Bioconductor"
HACKAGE = "Hackage"
CONAN = "ConanCenter"
#: conda packages have no OSV ecosystem: inventoried (components, SBOM), never matched
CONDA = "conda"
#: ecosystems with packages but no OSV data (never matched, never synced)
WITHOUT_OSV = frozenset({CONDA})

_PURL_TYPES = {
    PYPI: "pypi",
    NPM: "npm",
    GO: "golang",
    CARGO: "cargo",
    RUBYGEMS: "gem",
    PACKAGIST: "composer",
    MAVEN: "maven",
    NUGET: "nuget",
    PUB: "pub",
    SWIFT: "swift",
    HEX: "hex",
    CRAN: "cran",
    HACKAGE: "hackage",
    CONAN: "conan",
    CONDA: "conda",
}
ECOSYSTEM_OF_PURL_TYPE = {v: k for k, v in _PURL_TYPES.items()}


def normalize_name(ecosystem: str, name: str) -> str:
    """The name as the ecosystem compares it (and as OSV records spell it)."""
    name = name.strip()
    if ecosystem == PYPI:
        return str(canonicalize_name(name))
    if ecosystem in (PACKAGIST, PUB):
        return name.lower()
    if ecosystem == SWIFT:
        return normalize_swift_url(name)
    return name


def normalize_swift_url(url: str) -> str:
    u = re.sub(r"^(https?://|git@|ssh://git@)", "", url.strip()).replace(":", "/", 1)
    u = u.removesuffix("/").removesuffix(".git")
    return u


@lru_cache(maxsize=65536)
def purl(ecosystem: str, name: str, version: str) -> str:
    """A package URL, or "" for an ecosystem without a purl type."""
    ptype = _PURL_TYPES.get(ecosystem)
    if ptype is None or not name:
        return ""
    namespace: str | None = None
    pname = name
    if ecosystem == NPM and name.startswith("@") and "/" in name:
        namespace, pname = name.split("/", 1)
    elif ecosystem in (GO, PACKAGIST, SWIFT) and "/" in name:
        namespace, pname = name.rsplit("/", 1)
    elif ecosystem == MAVEN and ":" in name:
        namespace, pname = name.split(":", 1)
    elif ecosystem == PYPI:
        pname = name.lower().replace("_", "-")
    try:
        return PackageURL(
            type=ptype, namespace=namespace, name=pname, version=version or None
        ).to_string()
    except (ValueError, TypeError):  # a name packageurl cannot encode (e.g. a bare "/")
        return ""


def from_purl(value: str) -> tuple[str, str, str] | None:
    """(ecosystem, name, version) of a purl we can match, else None."""
    try:
        p = PackageURL.from_string(value)
    except ValueError:
        return None
    eco = ECOSYSTEM_OF_PURL_TYPE.get(p.type)
    if eco is None:
        return None
    ns = p.namespace or ""
    if eco == MAVEN:
        name = f"{ns}:{p.name}" if ns else p.name
    elif ns:
        name = f"{ns}/{p.name}"
    else:
        name = p.name
    return eco, normalize_name(eco, name), p.version or ""
