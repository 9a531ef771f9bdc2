"""Regressions found on public fixtures (issue 17): pnpm v5 keys, wheel paths in
requirements files, Maven ranges held by properties, empty lock files, and line numbers
that U+0085 (and the other characters ``str.splitlines`` breaks at) must not shift."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipesec.core.lines import split_lines
from pipesec.scanners.deps import gemfile, golang, maven, pnpm, requirements, yarn
from pipesec.scanners.deps._util import load_yaml
from pipesec.scanners.deps.graph import analyse

from .conftest import scan_files

COMMIT = "0123456789abcdef0123456789abcdef01234567"
PNPM_V5 = f"""lockfileVersion: 5.4

specifiers:
  lodash: 4.17.15
  my_util: ^1.0.0
  priv: ^2.0.0
  gitdep: github:user/gitdep

dependencies:
  lodash: 4.17.15
  my_util: 1.0.0_react@17.0.2
  priv: registry.example.com/priv/2.0.0
  gitdep: github.com/user/gitdep/{COMMIT}

packages:

  /lodash/4.17.15:
    resolution: {{integrity: sha512-AAAA}}
    dev: false

  /my_util/1.0.0_react@17.0.2:
    resolution: {{integrity: sha512-CCCC}}
    dependencies:
      lodash: 4.17.15
    peerDependencies:
      react: ^17.0.0
    dev: false

  registry.example.com/priv/2.0.0:
    resolution: {{integrity: sha512-BBBB, tarball: https://registry.example.com/priv/-/priv-2.0.0.tgz}}
    dev: false

  github.com/user/gitdep/{COMMIT}:
    resolution: {{tarball: https://codeload.github.com/user/gitdep/tar.gz/{COMMIT}}}
    name: gitdep
    version: 3.1.0
    dev: false

  github.com/user/noname/{COMMIT}:
    resolution: {{tarball: https://codeload.github.com/user/noname/tar.gz/{COMMIT}}}
    dev: false

  /@babel/core/7.12.3_@babel+x@1.0.0:
    dev: true
"""


def test_pnpm_v5_keys_give_real_names() -> None:
    result = pnpm.parse(PNPM_V5, lambda _: None)
    got = {(p.name, p.version) for p in result.packages}
    assert got == {
        ("lodash", "4.17.15"),
        ("my_util", "1.0.0"),  # not "my" (an underscore is not a peer suffix in a name)
        ("priv", "2.0.0"),  # not "registry.example.com/priv"
        ("gitdep", "3.1.0"),
        ("noname", ""),  # a commit is no registry version
        ("@babel/core", "7.12.3"),
    }
    place = analyse(result)
    assert place["my_util@1.0.0"].direct and place["priv@2.0.0"].direct
    assert place["gitdep@3.1.0"].direct
    assert place["lodash@4.17.15"].paths[0][0] in ("lodash@4.17.15", "my_util@1.0.0")


@pytest.mark.parametrize(
    ("key", "v5", "want"),
    [
        ("/lodash/4.17.15", True, ("lodash", "4.17.15")),
        ("/@types/node/18.0.0", True, ("@types/node", "18.0.0")),
        ("registry.npmjs.org/lodash/4.17.21", True, ("lodash", "4.17.21")),
        ("registry.npmjs.org/@scope/pkg/1.0.0_x@1", True, ("@scope/pkg", "1.0.0")),
        ("/@scope/name@1.0.0(peer@2)", False, ("@scope/name", "1.0.0")),
        ("name@1.0.0", False, ("name", "1.0.0")),
        (
            "bar@git+ssh://git@github.com/o/bar.git#abc",
            False,
            ("bar", "git+ssh://git@github.com/o/bar.git#abc"),
        ),
    ],
)
def test_pnpm_split_key(key: str, v5: bool, want: tuple[str, str]) -> None:
    assert pnpm.split_key(key, v5) == want


def test_wheel_and_sdist_paths_in_requirements() -> None:
    text = (
        "./dist/Foo_Bar-1.2.3-py3-none-any.whl\n"
        "wheels/urllib3-1.24.1-py2.py3-none-any.whl\n"
        "https://files.example/requests-2.19.1.tar.gz\n"
        "flask @ https://files.example/flask-0.12.2-py2.py3-none-any.whl --hash=sha256:"
        + "a" * 64
        + "\n"
    )
    got = {p.name: (p.version, p.pinned) for p in requirements.parse(text, lambda _: None).packages}
    assert got == {
        "foo-bar": ("1.2.3", True),
        "urllib3": ("1.24.1", True),
        "requests": ("2.19.1", False),  # a URL without a hash may change
        "flask": ("0.12.2", True),
    }


def test_wheel_path_is_matched(tmp_path: Path, deps_db: Path) -> None:
    scan = scan_files(
        tmp_path, {"requirements.txt": "wheels/urllib3-1.24.1-py2.py3-none-any.whl\n"}, deps_db
    )
    assert scan.component("urllib3").version == "1.24.1"
    vulns = scan.rule("deps/vulnerable-package")
    assert any(f.properties.get("package") == "urllib3" for f in vulns)


def test_maven_range_from_property_is_kept() -> None:
    pom = """<project>
  <artifactId>svc</artifactId>
  <properties>
    <jackson.version>[2.9.0,2.10.0)</jackson.version>
    <exact.version>[1.2.3]</exact.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.version}</version>
    </dependency>
    <dependency>
      <groupId>org.example</groupId>
      <artifactId>exact</artifactId>
      <version>${exact.version}</version>
    </dependency>
  </dependencies>
</project>
"""
    by = {p.name: p for p in maven.parse(pom, lambda _: None).packages}
    jackson = by["com.fasterxml.jackson.core:jackson-databind"]
    assert not jackson.pinned and jackson.spec == "${jackson.version} = [2.9.0,2.10.0)"
    assert by["org.example:exact"].version == "1.2.3" and by["org.example:exact"].pinned


@pytest.mark.parametrize(
    "name",
    ["package-lock.json", "Cargo.lock", "poetry.lock", "pnpm-lock.yaml", "composer.lock", "go.mod"],
)
def test_empty_lockfile_is_zero_packages(tmp_path: Path, name: str) -> None:
    scan = scan_files(tmp_path, {name: "\n  \n"})
    assert not scan.errors and not scan.components and not scan.findings


def test_split_lines_only_breaks_at_line_ends() -> None:
    assert split_lines("a\x85b\u2028c\x0cd\r\ne\rf\n") == ["a\x85b\u2028c\x0cd", "e", "f"]
    assert split_lines("") == [] and split_lines("x") == ["x"] and split_lines("x\n\n") == ["x", ""]


def test_u0085_in_a_comment_does_not_shift_lines() -> None:
    nel = "# caf\x85e \u2028 note\n"
    req = requirements.parse(nel + "flask==0.12.2\n", lambda _: None)
    assert req.packages[0].line == 2
    gomod_text = "module x\n" + nel.replace("#", "//") + "require a.b/c v1.0.0\n"
    gomod = golang.parse(gomod_text, lambda _: None)
    assert [p.line for p in gomod.packages] == [3]
    y = yarn.parse(
        "# yarn lockfile v1\n" + nel + '\nleft-pad@^1.0.0:\n  version "1.3.0"\n', lambda _: None
    )
    assert y.packages[0].line == 4
    gem = gemfile.parse(
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.0.1)\n\x85\n"
        "    rake (13.0.0)\n\nDEPENDENCIES\n  rack\n",
        lambda _: None,
    )
    assert {p.name: p.line for p in gem.packages}["rake"] == 6
    doc = load_yaml('a: "x\x85y"\nb: 2\n')
    assert doc.lines["b"] == 2


def test_u0085_does_not_shift_dockerfile_lines() -> None:
    from pipesec.scanners.iac.dockerfile_parser import parse

    df = parse("FROM python:3.12\n# caf\x85e \u2028 note\x0c\nUSER root\r\nRUN id\n")
    assert [(i.keyword, i.line) for i in df.instructions] == [
        ("FROM", 1),
        ("USER", 3),
        ("RUN", 4),
    ]
