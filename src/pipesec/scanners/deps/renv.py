"""renv.lock (R): ``Packages`` with their version, source and repository, and the
``Requirements`` between them. CRAN packages are matched as ``CRAN``, Bioconductor's as
``Bioconductor``; GitHub/GitLab/URL sources are listed at their commit (no registry version).
"""

from __future__ import annotations

from pipesec.scanners.deps._util import (
    LineIndex,
    LockfileError,
    as_dict,
    as_list,
    as_str,
    jstr,
    load_json,
)
from pipesec.scanners.deps.ecosystems import BIOCONDUCTOR, CRAN
from pipesec.scanners.deps.interface import (
    Package,
    ParseResult,
    Problem,
    SiblingReader,
    SimpleSource,
)


def parse(text: str, sibling: SiblingReader) -> ParseResult:
    doc = load_json(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("Packages", {}), dict):
        raise LockfileError("not a renv.lock: expected an object with a Packages object", 1)
    idx = LineIndex(text)
    cursor = [max(text.find('"Packages"'), 0)]
    result = ParseResult()
    key_of: dict[str, str] = {}
    deps_of: list[tuple[str, list[str]]] = []
    for name, raw in as_dict(doc.get("Packages")).items():
        entry = as_dict(raw)
        line = idx.find_forward(jstr(name) + ":", cursor)
        pname = as_str(entry.get("Package")) or name
        version = as_str(entry.get("Version"))
        if not version:
            result.problems.append(Problem(f"{pname} has no Version", line))
            continue
        source = as_str(entry.get("Source"))
        repo = as_str(entry.get("Repository"))
        eco = BIOCONDUCTOR if source == "Bioconductor" or repo.startswith("BioC") else CRAN
        pkg = Package(eco, pname, version, line)
        if source in ("GitHub", "GitLab", "Bitbucket", "git", "URL", "Local"):
            ref = as_str(entry.get("RemoteSha")) or as_str(entry.get("RemoteRef"))
            repo_id = "/".join(
                x
                for x in (as_str(entry.get("RemoteUsername")), as_str(entry.get("RemoteRepo")))
                if x
            )
            pkg.spec = f"{source}:{repo_id or as_str(entry.get('RemoteUrl'))}@{ref}"
        h = as_str(entry.get("Hash"))
        if len(h) == 32:
            pkg.hashes = (f"md5:{h.lower()}",)
        key_of[pname] = pkg.key
        reqs = as_list(entry.get("Requirements")) or list(as_dict(entry.get("Depends")))
        deps_of.append((pkg.key, [r for r in reqs if isinstance(r, str)]))
        result.packages.append(pkg)
    result.link_names(deps_of, key_of)
    return result


SOURCE = SimpleSource("renv.lock", ("renv.lock",), parse)
