"""Random input never crashes a parser: it parses, or raises LockfileError (a ScanError
with a place), nothing else. Every dependency source, the SBOM and VEX readers."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipesec.sbom import vex
from pipesec.sbom.read import parse_sbom
from pipesec.scanners.deps.interface import LockfileError, ParseResult
from pipesec.scanners.deps.sources import SOURCES

from .conftest import FIXTURES

SAMPLES = {
    "requirements.txt": FIXTURES / "requirements" / "requirements.txt",
    "poetry.lock": FIXTURES / "poetry" / "poetry.lock",
    "Pipfile.lock": FIXTURES / "pipenv" / "Pipfile.lock",
    "uv.lock": FIXTURES / "uv" / "uv.lock",
    "pdm.lock": FIXTURES / "pdm" / "pdm.lock",
    "pylock.toml": FIXTURES / "pylock" / "pylock.toml",
    "pyproject.toml": FIXTURES / "pyproject-only" / "pyproject.toml",
    "package-lock.json": FIXTURES / "npm-v1" / "package-lock.json",
    "yarn.lock": FIXTURES / "yarn-classic" / "yarn.lock",
    "pnpm-lock.yaml": FIXTURES / "pnpm-v6" / "pnpm-lock.yaml",
    "go.mod": FIXTURES / "go" / "go.mod",
    "Cargo.lock": FIXTURES / "cargo" / "Cargo.lock",
    "Gemfile.lock": FIXTURES / "ruby" / "Gemfile.lock",
    "composer.lock": FIXTURES / "php" / "composer.lock",
    "gradle.lockfile": FIXTURES / "gradle" / "gradle.lockfile",
    "pom.xml": FIXTURES / "maven" / "service" / "pom.xml",
    "packages.lock.json": FIXTURES / "dotnet" / "packages.lock.json",
    "pubspec.lock": FIXTURES / "dart" / "pubspec.lock",
    "Package.resolved": FIXTURES / "swift" / "Package.resolved",
    "bun.lock": FIXTURES / "bun" / "bun.lock",
    "conan.lock": FIXTURES / "conan" / "conan.lock",
    "mix.lock": FIXTURES / "mix" / "mix.lock",
    "renv.lock": FIXTURES / "renv" / "renv.lock",
    "cabal.project.freeze": FIXTURES / "cabal" / "cabal.project.freeze",
    "stack.yaml.lock": FIXTURES / "stack" / "stack.yaml.lock",
    "packages.config": FIXTURES / "nuget-config" / "packages.config",
    "Api.csproj": FIXTURES / "csproj" / "src" / "Api" / "Api.csproj",
    "Directory.Packages.props": FIXTURES / "csproj" / "Directory.Packages.props",
    "WebApp.deps.json": FIXTURES / "deps-json" / "WebApp.deps.json",
    "environment.yml": FIXTURES / "conda" / "environment.yml",
    "conda-lock.yml": FIXTURES / "conda-lock" / "conda-lock.yml",
    "conda-linux-64.lock": FIXTURES / "conda-explicit" / "conda-linux-64.lock",
}
EXTRA = {
    "yarn.lock#berry": FIXTURES / "yarn-berry" / "yarn.lock",
    "pnpm-lock.yaml#v9": FIXTURES / "pnpm-v9" / "pnpm-lock.yaml",
    "package-lock.json#v3": FIXTURES / "npm-v3" / "package-lock.json",
    "conan.lock#v04": FIXTURES / "conan-v04" / "conan.lock",
}


def _source(filename: str):  # type: ignore[no-untyped-def]
    name = filename.split("#")[0]
    for s in SOURCES:
        if s.matches(name):
            return s
    raise AssertionError(f"no source for {name}")


def _sibling(_rel: str) -> str | None:
    return None


def _check(filename: str, text: str) -> None:
    try:
        result = _source(filename).parse(text, _sibling)
    except LockfileError as exc:
        assert exc.message
        assert exc.line >= 0
        return
    assert isinstance(result, ParseResult)
    from pipesec.scanners.deps.graph import analyse

    analyse(result, 3)


def test_every_source_has_a_sample() -> None:
    from pipesec.scanners.deps.recognised import Unread

    for s in SOURCES:
        if isinstance(s, Unread):
            continue  # never opened: nothing to fuzz
        assert any(s.matches(n.split("#")[0]) for n in SAMPLES), s.name


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALL = sorted({**SAMPLES, **EXTRA}.items())


@pytest.mark.parametrize(("filename", "sample"), ALL, ids=[n for n, _ in ALL])
@FUZZ
@given(data=st.data())
def test_mutated_samples(filename: str, sample: object, data: st.DataObject) -> None:
    from pathlib import Path

    assert isinstance(sample, Path)
    text = sample.read_text()
    # truncate, splice random text, or flip characters of a real file
    cut = data.draw(st.integers(0, len(text)))
    junk = data.draw(st.text(max_size=40))
    where = data.draw(st.integers(0, len(text)))
    mutated = data.draw(
        st.sampled_from(
            [
                text[:cut],
                text[:where] + junk + text[where:],
                text[:where] + junk + text[where + len(junk) :],
            ]
        )
    )
    _check(filename, mutated)


@pytest.mark.parametrize("filename", sorted(SAMPLES))
@FUZZ
@given(raw=st.binary(max_size=300))
def test_random_bytes(filename: str, raw: bytes) -> None:
    _check(filename, raw.decode("utf-8", errors="replace"))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=25,
)


@pytest.mark.parametrize(
    "filename",
    [
        "package-lock.json",
        "Pipfile.lock",
        "composer.lock",
        "packages.lock.json",
        "Package.resolved",
        "bun.lock",
        "conan.lock",
        "renv.lock",
        "WebApp.deps.json",
    ],
)
@FUZZ
@given(doc=_json, version=st.sampled_from([1, 2, 3, None, "x"]))
def test_random_json_shapes(filename: str, doc: object, version: object) -> None:
    if isinstance(doc, dict):
        doc = {**doc, "lockfileVersion": version, "version": version}
        doc.setdefault("packages", {"node_modules/x": {"version": 1, "dependencies": [1]}})
    _check(filename, json.dumps(doc))


@FUZZ
@given(doc=_json)
def test_sbom_and_vex_readers(doc: object) -> None:
    for wrapped in (
        doc,
        {"bomFormat": "CycloneDX", "components": doc, "dependencies": doc, "vulnerabilities": doc},
        {"spdxVersion": "SPDX-2.3", "packages": doc, "relationships": doc},
        {"@context": "https://openvex.dev/ns/v0.2.0", "statements": doc},
    ):
        text = json.dumps(wrapped)
        with contextlib.suppress(LockfileError):
            parse_sbom(text)
        with contextlib.suppress(LockfileError):
            vex.parse(text, "x.json")


@FUZZ
@given(raw=st.binary(max_size=300))
def test_sbom_random_bytes(raw: bytes) -> None:
    body = raw.decode("utf-8", "replace")
    for text in (body, "<" + body, "SPDXVersion: SPDX-2.3\nPackageName: x\n" + body):
        with contextlib.suppress(LockfileError):
            parse_sbom(text)
        with contextlib.suppress(LockfileError):
            vex.parse(text, "x")


NAMES = [n for n in SAMPLES if n != "pyproject.toml"] + ["pyproject.toml", "dev-requirements.txt"]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    files=st.dictionaries(st.sampled_from(NAMES), st.binary(max_size=200), min_size=1, max_size=4)
)
def test_scanner_never_crashes(
    files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from pipesec.core.model import Component, Finding, Note, ScanError

    from .conftest import scan_dir

    root = tmp_path_factory.mktemp("fuzz")
    for name, raw in files.items():
        (root / name).write_bytes(raw)
    scan = scan_dir(root, root / "no-db.sqlite")
    for item in scan.items:
        assert isinstance(item, (Component, Finding, Note, ScanError))
    assert len([e for e in scan.errors if "cannot be checked" in e.message]) <= 1
