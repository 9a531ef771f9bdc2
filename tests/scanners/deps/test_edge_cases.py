"""Shapes real lock files take that the main fixtures do not show."""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping

import pytest

from pipesec.scanners.deps import (
    cargo,
    composer,
    gemfile,
    golang,
    npm,
    pnpm,
    requirements,
    swift,
    yarn,
)
from pipesec.scanners.deps.graph import analyse
from pipesec.scanners.deps.interface import LockfileError, ParseResult


def siblings(files: Mapping[str, str]):  # type: ignore[no-untyped-def]
    return lambda rel: files.get(rel)


def keys(result: ParseResult) -> set[str]:
    return {f"{p.name}@{p.version}" for p in result.packages}


def test_requirements_continuations_options_and_includes() -> None:
    text = (
        "--extra-index-url https://pypi.example.com/simple\n"
        "--requirement=base/core.in\n"
        "Django[argon2]==2.2.0 \\\n"
        "    --hash=sha256:AAAA \\\n"
        "    --hash sha256:bbbb\n"
        "  # a comment line\n"
        "Pillow===9.0.0  # arbitrary equality\n"
        "numpy==1.*\n"
        "pywin32==306 ; sys_platform == 'win32'\n"
    )
    files = {"base/core.in": "-r ../loop.in\nsix==1.16.0\n", "loop.in": "-r base/core.in\n"}
    result = requirements.parse(text, siblings(files))
    by_name = {p.name: p for p in result.packages}
    assert by_name["django"].version == "2.2.0" and by_name["django"].line == 3
    assert by_name["django"].hashes == ("sha256:aaaa", "sha256:bbbb")
    assert by_name["pillow"].version == "9.0.0"
    assert not by_name["numpy"].pinned  # a wildcard is a range
    assert by_name["pywin32"].version == "306"
    assert by_name["six"].line == 2  # attributed to the -r line
    assert any("loop" in p.message for p in result.problems)


def test_requirements_missing_include_and_absolute_paths() -> None:
    result = requirements.parse("-r missing.txt\n-c /etc/constraints.txt\n", siblings({}))
    messages = [p.message for p in result.problems]
    assert any("not found" in m for m in messages)
    assert any("absolute" in m for m in messages)


def test_npm_workspaces_links_and_aliases() -> None:
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {
                "workspaces": ["packages/*"],
                "dependencies": {"old-lodash": "npm:lodash@4.17.15"},
            },
            "packages/ui": {
                "name": "@acme/ui",
                "version": "1.0.0",
                "dependencies": {"react": "^18"},
            },
            "node_modules/@acme/ui": {"resolved": "packages/ui", "link": True},
            "node_modules/old-lodash": {"name": "lodash", "version": "4.17.15"},
            "node_modules/react": {"version": "18.2.0", "dependencies": {"loose-envify": "^1.1.0"}},
            "node_modules/loose-envify": {"version": "1.4.0"},
        },
    }
    result = npm.parse(json.dumps(lock, indent=2), siblings({}))
    assert keys(result) == {"lodash@4.17.15", "react@18.2.0", "loose-envify@1.4.0"}
    place = analyse(result)
    assert place["node_modules/react"].direct  # a workspace member's dependency
    assert place["node_modules/loose-envify"].paths == (("react@18.2.0", "loose-envify@1.4.0"),)


def test_pnpm_v5_keys() -> None:
    text = (
        "lockfileVersion: 5.4\n"
        "specifiers:\n  lodash: 4.17.15\n"
        "dependencies:\n  lodash: 4.17.15\n"
        "packages:\n"
        "  /lodash/4.17.15:\n    resolution: {integrity: sha512-AAAA}\n    dev: false\n"
        "  /@babel/core/7.12.3_peer@1.0.0:\n    dev: true\n"
    )
    result = pnpm.parse(text, siblings({}))
    assert keys(result) == {"lodash@4.17.15", "@babel/core@7.12.3"}


def test_pnpm_v9_peers_and_aliases() -> None:
    text = (
        "lockfileVersion: '9.0'\n"
        "importers:\n  .:\n    dependencies:\n"
        "      react-dom:\n        specifier: ^18\n        version: 18.2.0(react@18.2.0)\n"
        "      legacy:\n        specifier: npm:lodash@4.17.15\n        version: lodash@4.17.15\n"
        "packages:\n"
        "  react-dom@18.2.0:\n    resolution: {integrity: sha512-AAAA}\n"
        "  react@18.2.0:\n    resolution: {integrity: sha512-BBBB}\n"
        "  lodash@4.17.15:\n    resolution: {integrity: sha512-CCCC}\n"
        "snapshots:\n"
        "  react-dom@18.2.0(react@18.2.0):\n    dependencies:\n      react: 18.2.0\n"
        "  react@18.2.0: {}\n  lodash@4.17.15: {}\n"
    )
    result = pnpm.parse(text, siblings({}))
    place = analyse(result)
    assert place["react-dom@18.2.0"].direct and place["lodash@4.17.15"].direct
    assert place["react@18.2.0"].paths == (("react-dom@18.2.0", "react@18.2.0"),)


def test_yarn_classic_scoped_and_shared_entries() -> None:
    text = (
        "# yarn lockfile v1\n\n\n"
        '"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":\n'
        '  version "7.12.13"\n'
        '  dependencies:\n    "@babel/highlight" "^7.10.4"\n\n'
        '"@babel/highlight@^7.10.4":\n  version "7.13.10"\n'
    )
    result = yarn.parse(
        text, siblings({"package.json": '{"dependencies": {"@babel/code-frame": "^7.10.4"}}'})
    )
    assert keys(result) == {"@babel/code-frame@7.12.13", "@babel/highlight@7.13.10"}
    place = analyse(result)
    assert place["@babel/highlight@7.13.10"].paths == (
        ("@babel/code-frame@7.12.13", "@babel/highlight@7.13.10"),
    )


def test_yarn_classic_broken_header() -> None:
    with pytest.raises(LockfileError) as err:
        yarn.parse("# yarn lockfile v1\nlodash@^4\n", siblings({}))
    assert err.value.line == 2


def test_yarn_berry_patch_protocol() -> None:
    text = (
        "__metadata:\n  version: 6\n\n"
        '"resolve@patch:resolve@^1.20.0#~builtin<compat/resolve>":\n'
        "  version: 1.20.0\n"
        '  resolution: "resolve@patch:resolve@npm%3A1.20.0#~builtin<compat/resolve>'
        '::version=1.20.0"\n'
    )
    result = yarn.parse(text, siblings({}))
    assert keys(result) == {"resolve@1.20.0"}


def test_go_single_line_directives() -> None:
    text = (
        "module example.com/m\n\ngo 1.20\n\n"
        "require golang.org/x/net v0.7.0\n"
        "require (\n\tgithub.com/a/b v1.0.0+incompatible\n"
        "\tgithub.com/c/d v0.0.0-20200116001909-b77594299b42 // indirect\n)\n"
        "replace golang.org/x/net => golang.org/x/net v0.17.0\n"
        "exclude github.com/a/b v0.9.0\n"
    )
    result = golang.parse(text, siblings({}))
    assert keys(result) == {
        "golang.org/x/net@v0.17.0",
        "github.com/a/b@v1.0.0+incompatible",
        "github.com/c/d@v0.0.0-20200116001909-b77594299b42",
    }
    assert not result.problems


def test_go_unterminated_block() -> None:
    with pytest.raises(LockfileError, match="unterminated"):
        golang.parse("module m\nrequire (\n\tgithub.com/a/b v1.0.0\n", siblings({}))


def test_cargo_v1_metadata_checksums() -> None:
    text = (
        '[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n "libc 0.2.60 '
        '(registry+https://github.com/rust-lang/crates.io-index)",\n]\n\n'
        '[[package]]\nname = "libc"\nversion = "0.2.60"\n'
        'source = "registry+https://github.com/rust-lang/crates.io-index"\n\n[metadata]\n'
        '"checksum libc 0.2.60 (registry+https://github.com/rust-lang/crates.io-index)" = '
        '"d44e80905c457b9ea5fb2a3e5a3b6b8a1f0a6e5c1a0b9e1d9c2a7e3f6b1c0d9e"\n'
    )
    result = cargo.parse(text, siblings({}))
    (libc,) = result.packages
    assert libc.hashes == (
        "sha256:d44e80905c457b9ea5fb2a3e5a3b6b8a1f0a6e5c1a0b9e1d9c2a7e3f6b1c0d9e",
    )
    assert analyse(result)[libc.key].direct


def test_gemfile_path_section_and_platforms() -> None:
    text = (
        "PATH\n  remote: engines/billing\n  specs:\n    billing (0.1.0)\n      money (~> 6.16)\n\n"
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    money (6.16.0-java)\n\n"
        "DEPENDENCIES\n  billing!\n"
    )
    result = gemfile.parse(text, siblings({}))
    assert keys(result) == {"billing@0.1.0", "money@6.16.0"}


def test_composer_dev_branches_are_unpinned_unless_locked_to_a_commit() -> None:
    lock = {
        "packages": [
            {"name": "acme/tools", "version": "dev-main", "source": {"reference": "abc123"}},
            {"name": "acme/other", "version": "dev-feature"},
            {"name": "Monolog/Monolog", "version": "v2.3.5", "license": ["MIT", "Apache-2.0"]},
        ]
    }
    result = composer.parse(json.dumps(lock, indent=4), siblings({}))
    by = {p.name: p for p in result.packages}
    assert by["acme/tools"].pinned and not by["acme/other"].pinned
    assert by["monolog/monolog"].version == "2.3.5"
    assert by["monolog/monolog"].licenses == ("MIT OR Apache-2.0",)


def test_package_resolved_v1() -> None:
    doc = {
        "object": {
            "pins": [
                {
                    "package": "SwiftNIO",
                    "repositoryURL": "https://github.com/apple/swift-nio.git",
                    "state": {"branch": None, "revision": "abc", "version": "2.41.0"},
                }
            ]
        },
        "version": 1,
    }
    result = swift.parse(json.dumps(doc, indent=2), siblings({}))
    assert keys(result) == {"github.com/apple/swift-nio@2.41.0"}
    assert result.packages[0].line == 6


def test_paths_are_bounded_on_dense_graphs() -> None:
    """A complete layered graph has exponentially many paths; we keep at most max_paths."""
    result = ParseResult()
    from pipesec.scanners.deps.interface import Package

    layers = [[f"n{i}-{j}" for j in range(8)] for i in range(12)]
    for layer in layers:
        for k in layer:
            result.packages.append(Package("npm", k, "1.0.0", key=k))
    for a, b in itertools.pairwise(layers):
        for x in a:
            for y in b:
                result.add_edge(x, y)
    result.roots = dict.fromkeys(layers[0], "prod")
    place = analyse(result, max_paths=5)
    last = place[layers[-1][0]]
    assert len(last.paths) == 5 and all(len(p) == 12 for p in last.paths)


def test_maven_parent_chain_and_empty_relative_path() -> None:
    from pipesec.scanners.deps import maven

    grand = (
        "<project><groupId>g</groupId><artifactId>grand</artifactId><version>1</version>"
        "<properties><lib.version>3.2.1</lib.version></properties></project>"
    )
    parent = (
        "<project><parent><groupId>g</groupId><artifactId>grand</artifactId>"
        "<version>1</version><relativePath>../pom.xml</relativePath></parent>"
        "<artifactId>parent</artifactId></project>"
    )
    child = (
        "<project><parent><groupId>g</groupId><artifactId>parent</artifactId>"
        "<version>1</version></parent><artifactId>child</artifactId><dependencies>"
        "<dependency><groupId>x</groupId><artifactId>lib</artifactId>"
        "<version>${lib.version}</version></dependency></dependencies></project>"
    )
    files = {"../pom.xml": parent, "../../pom.xml": grand}
    result = maven.parse(child, siblings(files))
    assert keys(result) == {"x:lib@3.2.1"}
    detached = child.replace(
        "<version>1</version></parent>", "<version>1</version><relativePath/></parent>"
    )
    result = maven.parse(detached, siblings(files))
    assert not result.packages[0].pinned and result.problems


def test_requirements_immutable_urls_are_pinned() -> None:
    text = (
        "lib @ git+https://github.com/o/lib.git@4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
        "other @ git+https://github.com/o/other.git@main\n"
        "pkg @ https://example.com/pkg-1.0.tar.gz --hash=sha256:" + "a" * 64 + "\n"
        "https://example.com/raw-2.0.tar.gz#egg=raw\n"
    )
    result = requirements.parse(text, siblings({}))
    pinned = {p.name: p.pinned for p in result.packages}
    assert pinned == {"lib": True, "other": False, "pkg": True, "raw": False}


def test_poetry_2_groups_and_pipfile_vcs() -> None:
    from pipesec.scanners.deps import pipfile, poetry

    lock = (
        '[[package]]\nname = "black"\nversion = "24.4.2"\ndescription = ""\noptional = false\n'
        'python-versions = ">=3.8"\ngroups = ["dev"]\nfiles = []\n\n'
        '[[package]]\nname = "httpx"\nversion = "0.27.0"\ndescription = ""\noptional = false\n'
        'python-versions = ">=3.8"\ngroups = ["main"]\nfiles = []\n\n'
        '[metadata]\nlock-version = "2.1"\npython-versions = "^3.11"\ncontent-hash = "x"\n'
    )
    result = poetry.parse(lock, siblings({}))
    scopes = {p.name: p.scope for p in result.packages}
    assert scopes == {"black": "dev", "httpx": None}
    with pytest.raises(LockfileError):
        poetry.parse(lock.replace('"2.1"', '"3.0"'), siblings({}))
    pf = {
        "_meta": {},
        "default": {"tool": {"git": "https://github.com/o/tool.git", "ref": "abc"}},
        "develop": {},
    }
    result = pipfile.parse(json.dumps(pf, indent=4), siblings({}))
    (tool,) = result.packages
    assert not tool.pinned and "github.com/o/tool" in tool.spec


def test_yarn_classic_alias() -> None:
    text = (
        "# yarn lockfile v1\n\n"
        '"legacy-lodash@npm:lodash@4.17.15":\n  version "4.17.15"\n\n'
        '"@types/node@npm:@types/node@^18":\n  version "18.19.3"\n'
    )
    result = yarn.parse(text, siblings({}))
    assert keys(result) == {"lodash@4.17.15", "@types/node@18.19.3"}


def test_yaml_alias_bomb_and_cycles_are_cheap() -> None:
    from pipesec.scanners.deps._util import load_yaml

    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 30):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append("packages:\n  x: *a29")
    doc = load_yaml("\n".join(lines) + "\n")  # 10**30 leaves if expanded
    assert doc["packages"]["x"] is doc["a29"]
    result = pnpm.parse("lockfileVersion: '9.0'\n" + "\n".join(lines) + "\n", siblings({}))
    assert [p.name for p in result.packages] == ["x"]


def test_gemfile_checksums_section() -> None:
    digest = "8b6b58d08a0b2b0f9f5f7c1ffb4b5a4a1a0c3e4d5f6a7b8c9d0e1f2a3b4c5d6e"
    text = (
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8)\n\n"
        "PLATFORMS\n  ruby\n\nDEPENDENCIES\n  rack\n\n"
        f"CHECKSUMS\n  rack (3.0.8) sha256={digest}\n\nBUNDLED WITH\n   2.5.3\n"
    )
    (rack,) = gemfile.parse(text, siblings({})).packages
    assert rack.hashes == (f"sha256:{digest}",)
