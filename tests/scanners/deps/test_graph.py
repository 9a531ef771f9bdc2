"""Properties of the dependency-path search on random graphs (cycles included)."""

from __future__ import annotations

import itertools
from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st

from pipesec.scanners.deps.graph import analyse
from pipesec.scanners.deps.interface import Package, ParseResult


@st.composite
def graphs(draw: st.DrawFn) -> tuple[ParseResult, int]:
    n = draw(st.integers(1, 14))
    keys = [f"p{i}" for i in range(n)]
    result = ParseResult(packages=[Package("npm", k, "1.0.0", key=k) for k in keys])
    for a, b in draw(st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(keys)))):
        if a != b:
            result.add_edge(a, b)
    roots = draw(st.lists(st.sampled_from(keys), min_size=1, unique=True))
    result.roots = {r: draw(st.sampled_from(["prod", "dev", "optional"])) for r in roots}
    return result, draw(st.integers(1, 6))


def _distance(result: ParseResult, target: str) -> int | None:
    assert result.roots is not None
    seen = {r: 1 for r in result.roots}
    queue = deque(result.roots)
    while queue:
        k = queue.popleft()
        for c in result.edges.get(k, ()):
            if c not in seen:
                seen[c] = seen[k] + 1
                queue.append(c)
    return seen.get(target)


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_paths_are_real_short_and_bounded(case: tuple[ParseResult, int]) -> None:
    result, k = case
    assert result.roots is not None
    place = analyse(result, k)
    label = {p.key: f"{p.name}@{p.version}" for p in result.packages}
    back = {v: key for key, v in label.items()}
    for key, p in place.items():
        assert len(p.paths) <= k
        assert p.direct == (key in result.roots)
        dist = _distance(result, key)
        if dist is None:
            assert p.paths == ()
            continue
        assert p.paths, key
        # the first path is a shortest one; paths are sorted by length, simple, real
        assert len(p.paths[0]) == dist
        assert [len(x) for x in p.paths] == sorted(len(x) for x in p.paths)
        assert len(set(p.paths)) == len(p.paths)
        for path in p.paths:
            nodes = [back[x] for x in path]
            assert nodes[0] in result.roots and nodes[-1] == key
            assert len(set(nodes)) == len(nodes)
            for a, b in itertools.pairwise(nodes):
                assert b in result.edges.get(a, [])


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_scope_is_the_best_scope_that_reaches(case: tuple[ParseResult, int]) -> None:
    result, _ = case
    assert result.roots is not None
    place = analyse(result)
    rank = {"prod": 0, "optional": 1, "dev": 2}
    for key, p in place.items():
        best = None
        for root, scope in result.roots.items():
            sub = ParseResult(result.packages, result.edges, {root: scope})
            if _distance(sub, key) is not None and (best is None or rank[scope] < rank[best]):
                best = scope
        assert p.scope == (best or "prod")
