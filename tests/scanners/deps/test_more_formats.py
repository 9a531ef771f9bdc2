"""The lock file formats added for issue 17 (bun.lock, conan.lock, mix.lock, renv.lock,
cabal.project.freeze, stack.yaml.lock, packages.config, *.csproj, Directory.Packages.props,
*.deps.json, conda environment.yml and conda-lock.yml): each parsed from a realistic
fixture, a vulnerable version found and a fixed one not, and recognised-but-unread formats
reported as notes. The NuGet/Hex/CRAN/Hackage/ConanCenter advisories are synthetic
(tests/fixtures/deps/osv-ecosystems/README.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipesec.scanners.deps import bun, conan, mix
from pipesec.scanners.deps.graph import analyse
from pipesec.scanners.deps.interface import LockfileError
from pipesec.vulndb.store import import_records

from .conftest import FIXTURES, OSV_DIR, scan_dir, write_tree

VULN = "deps/vulnerable-package"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("moredb") / "osv.sqlite"
    import_records(path, [OSV_DIR, FIXTURES / "osv-ecosystems"])
    return path


def _fixture_scan(tmp_path: Path, db: Path, name: str):  # type: ignore[no-untyped-def]
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    return scan_dir(root, db)


def _vulnerable(scan) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return {
        (f.properties["package"], f.properties["version"], f.properties["advisory"])
        for f in scan.rule(VULN)
    }


# fixture -> (components (ecosystem, name, version) expected among others, vulnerable set)
CASES = {
    "bun": (
        {("npm", "lodash", "4.17.15"), ("npm", "ms", "2.0.0"), ("npm", "typescript", "5.4.5")},
        {("lodash", "4.17.15", "GHSA-35jh-r3h4-6jhm")},
    ),
    "conan": (
        {("ConanCenter", "zlib", "1.2.11"), ("ConanCenter", "cmake", "3.28.1")},
        {("zlib", "1.2.11", "PIPESEC-TEST-CONAN-1")},
    ),
    "conan-v04": ({("ConanCenter", "zlib", "1.2.13"), ("ConanCenter", "boost", "1.81.0")}, set()),
    "mix": (
        {("Hex", "plug", "1.3.0"), ("Hex", "cowboy", "2.10.0")},
        {("plug", "1.3.0", "PIPESEC-TEST-HEX-1")},
    ),
    "renv": (
        {("CRAN", "commonmark", "0.9.4"), ("Bioconductor", "BiocGenerics", "0.48.1")},
        {("commonmark", "0.9.4", "PIPESEC-TEST-CRAN-1")},
    ),
    "cabal": (
        {("Hackage", "aeson", "2.0.0.0"), ("Hackage", "text", "1.2.5.0")},
        {("aeson", "2.0.0.0", "PIPESEC-TEST-HACKAGE-1")},
    ),
    "stack": (
        {("Hackage", "acme-missiles", "0.3"), ("Hackage", "servant-auth", "0.4.1.0")},
        {("aeson", "2.0.0.0", "PIPESEC-TEST-HACKAGE-1")},
    ),
    "nuget-config": (
        {("NuGet", "EntityFramework", "6.4.4")},
        {("Newtonsoft.Json", "12.0.1", "PIPESEC-TEST-NUGET-1")},
    ),
    "csproj": (
        {("NuGet", "Serilog", "3.1.1"), ("NuGet", "Swashbuckle.AspNetCore", "6.5.0")},
        {("Newtonsoft.Json", "12.0.1", "PIPESEC-TEST-NUGET-1")},  # the override, not 13.0.3
    ),
    "deps-json": (
        {("NuGet", "Serilog", "2.12.0")},
        {("Newtonsoft.Json", "12.0.1", "PIPESEC-TEST-NUGET-1")},
    ),
    "conda": ({("conda", "numpy", "1.26.4")}, {("requests", "2.19.1", "PYSEC-2018-28")}),
    "conda-lock": ({("conda", "numpy", "1.26.4")}, {("requests", "2.19.1", "PYSEC-2018-28")}),
    "conda-explicit": ({("conda", "numpy", "1.26.4"), ("conda", "python", "3.11.8")}, set()),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture(tmp_path: Path, db: Path, name: str) -> None:
    comps, vulns = CASES[name]
    scan = _fixture_scan(tmp_path, db, name)
    assert not scan.errors, [e.message for e in scan.errors]
    got = {(c.ecosystem, c.name, c.version) for c in scan.components}
    assert comps <= got
    assert all(c.location is not None and c.location.start_line > 0 for c in scan.components)
    found = _vulnerable(scan)
    if name.startswith("conda"):  # the PyPI packages of a conda file are checked
        assert {v for v in found if v[0] == "requests"} >= vulns
        assert any("no OSV ecosystem" in n.message for n in scan.notes)
        assert not any(f.component and f.component.ecosystem == "conda" for f in scan.rule(VULN))
    else:
        assert found == vulns


def test_fixed_versions_are_not_reported(tmp_path: Path, db: Path) -> None:
    """The same projects at the fixed versions: nothing matched."""
    files = {
        "a/conan.lock": '{"version": "0.5", "requires": ["zlib/1.3.1#abc%1.0"]}',
        "b/mix.lock": '%{\n  "plug": {:hex, :plug, "1.15.3", "'
        + "a" * 64
        + '", [:mix], [], "hexpm", "'
        + "b" * 64
        + '"},\n}\n',
        "c/renv.lock": '{"Packages": {"commonmark": {"Package": "commonmark", '
        '"Version": "1.9.1", "Source": "Repository", "Repository": "CRAN"}}}',
        "d/cabal.project.freeze": "constraints: any.aeson ==2.2.1.0\n",
        "e/packages.config": (
            '<packages><package id="Newtonsoft.Json" version="13.0.3" /></packages>'
        ),
        "f/bun.lock": '{"lockfileVersion": 1, "workspaces": {"": {"dependencies": '
        '{"lodash": "^4"}}}, "packages": {"lodash": ["lodash@4.17.21", "", {}, ""],},}',
    }
    scan = scan_dir(write_tree(tmp_path, files), db)
    assert not scan.errors
    assert len(scan.components) == 6
    assert not scan.rule(VULN)


def test_csproj_left_to_its_lock_file(tmp_path: Path, db: Path) -> None:
    files = {
        "App/App.csproj": '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>'
        '<PackageReference Include="Newtonsoft.Json" Version="12.0.1" /></ItemGroup></Project>',
        "App/packages.lock.json": '{"version": 1, "dependencies": {"net8.0": {"Newtonsoft.Json": '
        '{"type": "Direct", "requested": "[12.0.1, )", "resolved": "12.0.1"}}}}',
    }
    scan = scan_dir(write_tree(tmp_path, files), db)
    assert [c.location.path for c in scan.components if c.location] == ["App/packages.lock.json"]


def test_csproj_ranges_and_properties(tmp_path: Path) -> None:
    proj = """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><JsonVersion>13.0.3</JsonVersion></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Newtonsoft.Json" Version="$(JsonVersion)" />
    <PackageReference Include="Dapper" Version="2.*" />
    <PackageReference Include="Polly" Version="[8.2.0]" />
    <PackageReference Include="Humanizer" Version="$(Missing)" />
    <PackageReference Update="Dapper" Version="2.1.0" />
  </ItemGroup>
</Project>"""
    from pipesec.scanners.deps import msbuild

    result = msbuild.parse_project(proj, lambda _: None)
    by = {p.name: p for p in result.packages}
    assert by["Newtonsoft.Json"].version == "13.0.3" and by["Newtonsoft.Json"].pinned
    assert not by["Dapper"].pinned and by["Dapper"].spec == "2.*"
    assert by["Polly"].version == "8.2.0" and by["Polly"].pinned
    assert not by["Humanizer"].pinned
    assert any("$(Missing)" in p.message for p in result.problems)


def test_unread_formats_are_notes(tmp_path: Path) -> None:
    (tmp_path / "bun.lockb").write_bytes(b"#!/usr/bin/env bun\nbun-lockfile-format-v0\n\x00\x01")
    (tmp_path / "Podfile.lock").write_text("PODS:\n  - Alamofire (5.8.1)\n")
    scan = scan_dir(tmp_path)
    assert not scan.errors
    notes = {n.path: n.message for n in scan.notes}
    assert "bun.lock" in notes["bun.lockb"] and "CocoaPods" in notes["Podfile.lock"]


def test_stack_snapshot_note(tmp_path: Path, db: Path) -> None:
    scan = _fixture_scan(tmp_path, db, "stack")
    assert any("lts-20.26" in n.message for n in scan.notes)


def test_bun_jsonc_comments_and_nested_copies() -> None:
    text = """{
  // a comment with a "quote" and a trailing comma below
  "lockfileVersion": 1,
  "workspaces": {"": {"dependencies": {"a": "1", "b": "1"}}},
  "packages": {
    "a": ["a@1.0.0", "", {"dependencies": {"c": "^2"}}, "sha512-AA=="],
    "b": ["b@1.0.0", "", {"dependencies": {"c": "^1"}}, "sha512-BB=="],
    "c": ["c@2.0.0", "", {}, "sha512-CC=="],
    "b/c": ["c@1.0.0", "", {}, "sha512-DD=="],
    "w": ["w@workspace:packages/w", {}],
    "g": ["g@github:o/g#0123abc", {}, "0123abc"],
    /* block
       comment */
  },
}
"""
    result = bun.parse(text, lambda _: None)
    assert {(p.name, p.version) for p in result.packages} == {
        ("a", "1.0.0"),
        ("b", "1.0.0"),
        ("c", "2.0.0"),
        ("c", "1.0.0"),
        ("g", ""),
    }
    place = analyse(result)
    assert place["c@1.0.0"].paths == (("b@1.0.0", "c@1.0.0"),)
    assert place["c@2.0.0"].paths == (("a@1.0.0", "c@2.0.0"),)
    assert bun.strip_jsonc('{"a": "// not a comment",}') == '{"a": "// not a comment" }'


def test_mix_terms_are_read_not_evaluated() -> None:
    text = '%{"x": {:hex, :x, "1.0.0", "h", [:mix], [], "hexpm", "o"}, :y => System.cmd("id")}'
    with pytest.raises(LockfileError):
        mix.parse(text, lambda _: None)
    deep = "%{" + '"a": ' + "[" * 500 + "]" * 500 + "}"
    with pytest.raises(LockfileError, match="nested too deeply"):
        mix.parse(deep, lambda _: None)


def test_conan_references() -> None:
    assert conan.parse_ref("zlib/1.2.13#abc%1700000000.1") == ("zlib", "1.2.13", "")
    assert conan.parse_ref("boost/1.81.0@me/stable#ab") == ("boost", "1.81.0", "me/stable")
    assert conan.parse_ref("fmt/10.2.1@_/_") == ("fmt", "10.2.1", "")
    assert conan.parse_ref("not a ref") is None
    with pytest.raises(LockfileError):
        conan.parse('{"version": "0.9"}', lambda _: None)


def test_conda_pip_section_reads_included_files() -> None:
    from pipesec.scanners.deps import conda

    env = "dependencies:\n  - python=3.11\n  - pip:\n    - -r requirements/base.in\n"
    files = {"requirements/base.in": "urllib3==1.24.1\n"}
    result = conda.parse_environment(env, files.get)
    assert {(p.ecosystem, p.name, p.version) for p in result.packages} >= {
        ("PyPI", "urllib3", "1.24.1")
    }
    assert not result.problems
