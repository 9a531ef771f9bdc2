"""OSV ecosystem names and package-name normalisation per ecosystem."""

from __future__ import annotations

import re

#: OSV's spelling of the ecosystems we match, and what they are called elsewhere.
CANONICAL: dict[str, str] = {
    "pypi": "PyPI",
    "python": "PyPI",
    "pip": "PyPI",
    "npm": "npm",
    "go": "Go",
    "golang": "Go",
    "crates.io": "crates.io",
    "cargo": "crates.io",
    "rust": "crates.io",
    "rubygems": "RubyGems",
    "gem": "RubyGems",
    "packagist": "Packagist",
    "composer": "Packagist",
    "maven": "Maven",
    "nuget": "NuGet",
    "pub": "Pub",
    "swifturl": "SwiftURL",
    "github actions": "GitHub Actions",
    "github-actions": "GitHub Actions",
    "hex": "Hex",
    "hackage": "Hackage",
    "cran": "CRAN",
    "bioconductor": "Bioconductor",
    "conancenter": "ConanCenter",
    "conan": "ConanCenter",
    # OS distributions (the release follows a colon: "Debian:12", "Alpine:v3.19")
    "debian": "Debian",
    "ubuntu": "Ubuntu",
    "alpine": "Alpine",
    "almalinux": "AlmaLinux",
    "rocky linux": "Rocky Linux",
    "rocky": "Rocky Linux",
}

#: OSV ecosystems of OS distributions (their packages come from images, not lock files)
DISTRO_FAMILIES = frozenset({"Debian", "Ubuntu", "Alpine", "AlmaLinux", "Rocky Linux", "Red Hat"})

#: Ecosystems ``pipesec db sync`` downloads when the database is still empty.
SYNC_DEFAULT: tuple[str, ...] = (
    "PyPI",
    "npm",
    "Go",
    "crates.io",
    "RubyGems",
    "Packagist",
    "Maven",
    "NuGet",
    "Pub",
)

_PEP503 = re.compile(r"[-_.]+")


def canonical_ecosystem(ecosystem: str) -> str:
    """``"pypi"`` -> ``"PyPI"``; OSV suffixes (``"Debian:12"``) and unknown names are kept."""
    base, sep, rest = ecosystem.strip().partition(":")
    canon = CANONICAL.get(base.lower(), base)
    return f"{canon}{sep}{rest}"


def normalize_name(ecosystem: str, name: str) -> str:
    """The form of ``name`` under which the database stores and looks up a package.

    PyPI: PEP 503 (lowercase, runs of ``-_.`` become ``-``). Packagist, NuGet and GitHub
    Actions names are case-insensitive: lowercase. npm, Go module paths, crates, gems,
    Maven ``group:artifact`` and Pub names are kept as they are (case matters there).
    """
    name = name.strip()
    eco = canonical_ecosystem(ecosystem).split(":", 1)[0]
    if eco == "PyPI":
        return _PEP503.sub("-", name).lower()
    if eco in ("Packagist", "NuGet", "GitHub Actions"):
        return name.lower()
    return name
