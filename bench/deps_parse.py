"""Lock-file parsing and dependency-path speed on generated large lock files.

Run: .venv/bin/python bench/deps_parse.py [--packages N]

Generates (in memory, seeded) an npm package-lock.json v3 with N packages in nested
node_modules, each depending on up to 6 others (a dense graph, as real npm trees are), a
poetry.lock and a yarn.lock of the same shape, then times parse + graph analysis (direct,
scope, the 5 shortest paths per package) and reports peak memory. Figures only; no peer
tool is installed here (osv-scanner is a Go binary).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pipesec.scanners.deps import graph, npm, poetry, yarn
from pipesec.scanners.deps.interface import ParseResult


def make_graph(n: int, seed: int = 7) -> list[list[int]]:
    rnd = random.Random(seed)
    deps: list[list[int]] = []
    for i in range(n):
        # packages depend on later ones (like a real tree: leaves last), with a few back-edges
        k = rnd.randint(0, 6)
        later = [rnd.randrange(i + 1, n) for _ in range(k)] if i + 1 < n else []
        deps.append(sorted(set(later)))
    return deps


def npm_lock(deps: list[list[int]]) -> str:
    packages: dict[str, object] = {
        "": {"name": "bench", "dependencies": {f"p{i}": "*" for i in range(min(30, len(deps)))}}
    }
    for i, ds in enumerate(deps):
        entry: dict[str, object] = {
            "version": f"1.{i % 50}.{i % 7}",
            "resolved": f"https://registry.npmjs.org/p{i}/-/p{i}-1.0.0.tgz",
            "integrity": "sha512-" + "A" * 86 + "==",
            "license": "MIT",
        }
        if ds:
            entry["dependencies"] = {f"p{d}": "^1.0.0" for d in ds}
        if i % 10 == 0:
            entry["dev"] = True
        packages[f"node_modules/p{i}"] = entry
    return json.dumps({"name": "bench", "lockfileVersion": 3, "packages": packages}, indent=2)


def poetry_lock(deps: list[list[int]]) -> str:
    out = []
    for i, ds in enumerate(deps):
        out.append(f'[[package]]\nname = "p{i}"\nversion = "1.{i % 50}.{i % 7}"\n')
        out.append('description = ""\noptional = false\npython-versions = ">=3.8"\n')
        out.append(f'files = [\n    {{file = "p{i}.whl", hash = "sha256:{"a" * 64}"}},\n]\n')
        if ds:
            out.append("\n[package.dependencies]\n")
            out.extend(f'p{d} = "*"\n' for d in ds)
        out.append("\n")
    out.append('[metadata]\nlock-version = "2.0"\npython-versions = "^3.8"\n')
    return "".join(out)


def yarn_lock(deps: list[list[int]]) -> str:
    out = ["# yarn lockfile v1\n\n"]
    for i, ds in enumerate(deps):
        out.append(f'p{i}@^1.0.0:\n  version "1.{i % 50}.{i % 7}"\n')
        out.append(f"  integrity sha512-{'A' * 86}==\n")
        if ds:
            out.append("  dependencies:\n")
            out.extend(f'    p{d} "^1.0.0"\n' for d in ds)
        out.append("\n")
    return "".join(out)


def measure(name: str, text: str, parse: Callable[[str], ParseResult]) -> None:
    t0 = time.perf_counter()
    result = parse(text)
    t1 = time.perf_counter()
    placement = graph.analyse(result, 5)
    t2 = time.perf_counter()
    tracemalloc.start()  # a second run, traced, for the peak (tracing slows it down)
    graph.analyse(parse(text), 5)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    paths = sum(len(p.paths) for p in placement.values())
    print(
        f"{name:<18} {len(result.packages):>7} pkgs  {len(text) / 1e6:6.1f} MB  "
        f"parse {t1 - t0:6.3f} s  paths {t2 - t1:6.3f} s ({paths} paths)  "
        f"peak {peak / 1e6:6.1f} MB"
    )


def end_to_end(deps: list[list[int]]) -> None:
    """The whole scanner on a tree holding the generated package-lock.json, with a database
    of the vendored test advisories: parsing, paths, components, licences, matching."""
    import tempfile

    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.workspace import Workspace
    from pipesec.scanners.deps import DepsScanner, DepsSettings
    from pipesec.vulndb.store import import_records

    osv = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "deps" / "osv"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "tree"
        root.mkdir()
        (root / "package-lock.json").write_text(npm_lock(deps))
        db = Path(tmp) / "osv.sqlite"
        import_records(db, [osv])
        opts = DepsSettings.model_validate({"db": str(db), "max-db-age-days": 1e9}).model_dump()
        t0 = time.perf_counter()
        items = list(DepsScanner().scan(Workspace(root, use_git=False), ScannerSettings(opts)))
        t1 = time.perf_counter()
    print(f"scanner end to end: {len(items)} items from {len(deps)} packages in {t1 - t0:.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--packages", type=int, default=10_000)
    args = ap.parse_args()
    deps = make_graph(args.packages)

    def none(_rel: str) -> str | None:
        return None

    print(f"generated graph: {args.packages} packages, {sum(map(len, deps))} edges")
    measure("package-lock v3", npm_lock(deps), lambda t: npm.parse(t, none))
    measure("poetry.lock", poetry_lock(deps), lambda t: poetry.parse(t, none))
    measure("yarn.lock v1", yarn_lock(deps), lambda t: yarn.parse(t, none))
    end_to_end(deps)


if __name__ == "__main__":
    main()
