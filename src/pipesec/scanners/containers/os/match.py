"""Matching OS packages against the vulnerability store through the deps scanner's path
(:meth:`VulnDB.match_many`), keyed as each distribution's advisories are:

- Debian and Ubuntu advisories name the SOURCE package (``openssl``, ``glibc``) at its
  source version: a binary (``libssl3``) is looked up under its ``Source:``.
- Alpine (and Wolfi, Chainguard) advisories name the origin package (``openssl`` for
  ``libssl1.1``).
- AlmaLinux, Rocky Linux, Red Hat name binary rpms at ``[epoch:]version-release``.

Ubuntu data is split into ``Ubuntu:22.04:LTS``, ``Ubuntu:Pro:18.04:LTS``, ``Ubuntu:25.04``
...: a package of ``Ubuntu:22.04`` is matched against every stored Ubuntu ecosystem of that
release. An affected entry with no ``fixed`` event is an unfixed flaw: it matches, and its
advisory has no fixed versions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from pipesec.scanners.containers.interface import InstalledPackage

if TYPE_CHECKING:
    from pipesec.vulndb import Advisory, VulnDB

#: OSV ecosystems whose advisories name source packages (Alpine: the origin aport)
SOURCE_KEYED = frozenset({"Debian", "Ubuntu", "Alpine", "Wolfi", "Chainguard"})


def lookup_key(pkg: InstalledPackage) -> tuple[str, str]:
    """(name, version) under which the package's distribution publishes advisories."""
    family = pkg.ecosystem.split(":", 1)[0]
    if family in SOURCE_KEYED and pkg.source_name:
        return pkg.source_name, pkg.source_version or pkg.version
    return pkg.name, pkg.version


def ecosystem_variants(ecosystem: str, stored: Iterable[str]) -> list[str]:
    """The stored ecosystems that hold advisories for ``ecosystem``: itself, and for
    Ubuntu every ``Ubuntu:...`` ecosystem of the same release (``:LTS``, ``Pro:``)."""
    family, _, release = ecosystem.partition(":")
    out = [ecosystem]
    if family == "Ubuntu" and release:
        for eco in sorted(stored):
            parts = eco.split(":")
            if parts[0] == "Ubuntu" and release in parts[1:] and eco not in out:
                out.append(eco)
    return out


def match_os_packages(
    db: VulnDB, packages: Sequence[InstalledPackage]
) -> dict[InstalledPackage, list[Advisory]]:
    """Advisories affecting each package (packages without an OSV ecosystem get none),
    merged over the ecosystem's variants by id, worst first as ``match`` sorts them.
    ``Advisory.fixed_versions`` is empty for an unfixed flaw; ``smallest_fix_above``
    gives the version to upgrade to."""
    stored = db.ecosystems()
    queries: dict[InstalledPackage, list[tuple[str, str, str]]] = {}
    for pkg in packages:
        if not pkg.ecosystem:
            continue
        name, version = lookup_key(pkg)
        queries[pkg] = [(eco, name, version) for eco in ecosystem_variants(pkg.ecosystem, stored)]
    results = db.match_many([q for qs in queries.values() for q in qs])
    out: dict[InstalledPackage, list[Advisory]] = {}
    for pkg in packages:
        merged: dict[str, Advisory] = {}
        for q in queries.get(pkg, ()):
            for adv in results.get(q, ()):
                merged.setdefault(adv.id, adv)
        out[pkg] = list(merged.values())
    return out
