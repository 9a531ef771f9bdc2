"""From a lockfile's packages and edges to what each component needs: direct or transitive,
scope (prod/optional/dev) and the shortest dependency paths from the project.

Paths are found breadth-first over paths, each package taken at most ``max_paths`` times,
so the work stays linear in the edges even when npm trees explode.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from pipesec.scanners.deps.interface import ParseResult

_RANK = {"prod": 0, "optional": 1, "dev": 2}


@dataclass(frozen=True, slots=True)
class Placement:
    direct: bool
    scope: str
    paths: tuple[tuple[str, ...], ...]


def analyse(result: ParseResult, max_paths: int = 5) -> dict[str, Placement]:
    pkgs = {p.key: p for p in result.packages}
    label = {k: f"{p.name}@{p.version}" if p.version else p.name for k, p in pkgs.items()}
    roots = result.roots
    edges = {k: [c for c in cs if c in pkgs] for k, cs in result.edges.items() if k in pkgs}
    if roots is None and edges:
        children = {c for cs in edges.values() for c in cs}
        roots = {k: (pkgs[k].scope or "prod") for k in pkgs if k not in children}
    out: dict[str, Placement] = {}
    if roots is None:
        for k, p in pkgs.items():
            direct = p.direct if p.direct is not None else True
            out[k] = Placement(direct, p.scope or "prod", ((label[k],),) if direct else ())
        return out
    roots = {k: s for k, s in roots.items() if k in pkgs}
    # scope: the best scope of any root that reaches the package
    scope: dict[str, str] = {}
    for wanted in ("prod", "optional", "dev"):
        queue = deque(k for k, s in roots.items() if s == wanted and k not in scope)
        for k in queue:
            scope[k] = wanted
        while queue:
            k = queue.popleft()
            for c in edges.get(k, ()):
                if c not in scope:
                    scope[c] = wanted
                    queue.append(c)
    # k shortest simple paths, breadth-first
    found: dict[str, list[tuple[str, ...]]] = {}
    visits: dict[str, int] = {}
    bfs: deque[tuple[str, ...]] = deque((k,) for k in sorted(roots))
    while bfs:
        path = bfs.popleft()
        node = path[-1]
        n = visits.get(node, 0)
        if n >= max_paths:
            continue
        visits[node] = n + 1
        found.setdefault(node, []).append(path)
        for c in edges.get(node, ()):
            if c not in path and visits.get(c, 0) < max_paths:
                bfs.append((*path, c))
    for k, p in pkgs.items():
        direct = p.direct if p.direct is not None else k in roots
        sc = p.scope or scope.get(k) or "prod"
        if p.scope and k in scope and _RANK[scope[k]] < _RANK.get(p.scope, 0):
            sc = p.scope  # the lock's own flag (npm dev, poetry groups) is authoritative
        paths = tuple(tuple(label[x] for x in path) for path in found.get(k, ()))
        out[k] = Placement(direct, sc, paths)
    return out
