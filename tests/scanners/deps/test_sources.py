"""Every lockfile format on a realistic fixture: names, versions, direct/transitive, scope,
dependency paths, hashes and the line that declares each package."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import FIXTURES, scan_dir


@pytest.fixture(autouse=True)
def _db(deps_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPESEC_DB", str(deps_db))


# fixture dir -> {name@version: (direct, scope, line, first path or None)}
EXPECTED: dict[str, dict[str, tuple[bool, str, int, str | None]]] = {
    "poetry": {
        "flask@2.0.1": (True, "prod", 29, "flask@2.0.1"),
        "markupsafe@2.1.3": (False, "prod", 89, "flask@2.0.1 > jinja2@3.0.1 > markupsafe@2.1.3"),
        "pytest@7.4.3": (True, "dev", 109, "pytest@7.4.3"),
        "iniconfig@2.0.0": (False, "dev", 50, "pytest@7.4.3 > iniconfig@2.0.0"),
        "colorama@0.4.6": (False, "prod", 18, "pytest@7.4.3 > colorama@0.4.6"),
    },
    "pipenv": {
        "django@2.2.0": (True, "prod", 26, "django@2.2.0"),
        "urllib3@1.24.1": (False, "prod", 53, None),
        "pytest@7.4.3": (True, "dev", 68, "pytest@7.4.3"),
    },
    "uv": {
        "requests@2.19.1": (True, "prod", 73, "requests@2.19.1"),
        "urllib3@1.23": (False, "prod", 88, "requests@2.19.1 > urllib3@1.23"),
        "pluggy@1.5.0": (False, "dev", 34, "pytest@8.3.3 > pluggy@1.5.0"),
    },
    "pdm": {
        "cryptography@2.9": (True, "prod", 24, "cryptography@2.9"),
        "pycparser@2.21": (False, "prod", 48, "cryptography@2.9 > cffi@1.16.0 > pycparser@2.21"),
        "pytest@8.3.3": (True, "dev", 58, "pytest@8.3.3"),
    },
    "pylock": {
        "urllib3@1.24.1": (False, "prod", 7, "requests@2.19.1 > urllib3@1.24.1"),
        "requests@2.19.1": (True, "prod", 19, "requests@2.19.1"),
    },
    "pyproject-only": {"pyyaml@5.3": (True, "prod", 11, "pyyaml@5.3")},
    "requirements": {
        "flask@0.12.2": (True, "prod", 11, "flask@0.12.2"),
        "jinja2@2.10": (True, "prod", 15, "jinja2@2.10"),
        "requests@2.19.1": (True, "prod", 18, "requests@2.19.1"),
        "pyyaml@5.3": (True, "prod", 9, "pyyaml@5.3"),
        "cryptography@2.9": (True, "prod", 9, "cryptography@2.9"),
        "pytest@7.4.0": (True, "dev", 2, "pytest@7.4.0"),
    },
    "npm-v1": {
        "lodash@4.17.15": (True, "prod", 74, "lodash@4.17.15"),
        "loader-utils@1.4.0": (False, "prod", 64, "babel-loader@8.2.2 > loader-utils@1.4.0"),
        "loader-utils@2.0.0": (False, "dev", 38, "css-loader@5.2.7 > loader-utils@2.0.0"),
        "minimist@1.2.5": (
            False,
            "prod",
            79,
            "babel-loader@8.2.2 > loader-utils@1.4.0 > json5@1.0.1 > minimist@1.2.5",
        ),
    },
    "npm-v3": {
        "lodash@4.17.15": (True, "prod", 91, "lodash@4.17.15"),
        "loader-utils@1.4.0": (False, "prod", 80, "babel-loader@8.2.2 > loader-utils@1.4.0"),
        "loader-utils@2.0.0": (False, "dev", 53, "css-loader@5.2.7 > loader-utils@2.0.0"),
        "json5@2.2.0": (False, "dev", 43, "css-loader@5.2.7 > loader-utils@2.0.0 > json5@2.2.0"),
    },
    "npm-shrinkwrap": {
        "loader-utils@1.4.0": (False, "prod", 80, "babel-loader@8.2.2 > loader-utils@1.4.0"),
    },
    "yarn-classic": {
        "lodash@4.17.15": (True, "prod", 61, "lodash@4.17.15"),
        "loader-utils@2.0.0": (False, "dev", 52, "css-loader@5.2.7 > loader-utils@2.0.0"),
    },
    "yarn-berry": {
        "lodash@4.17.15": (True, "prod", 80, "lodash@4.17.15"),
        "css-loader@5.2.7": (True, "dev", 24, "css-loader@5.2.7"),
        "loader-utils@1.4.0": (False, "prod", 58, "babel-loader@8.2.2 > loader-utils@1.4.0"),
    },
    "pnpm-v6": {
        "lodash@4.17.15": (True, "prod", 70, "lodash@4.17.15"),
        "loader-utils@2.0.0": (False, "dev", 62, "css-loader@5.2.7 > loader-utils@2.0.0"),
    },
    "pnpm-v9": {
        "lodash@4.17.15": (True, "prod", 48, "lodash@4.17.15"),
        "loader-utils@1.4.0": (False, "prod", 42, "babel-loader@8.2.2 > loader-utils@1.4.0"),
    },
    "go": {
        "github.com/gin-gonic/gin@v1.7.0": (True, "prod", 8, "github.com/gin-gonic/gin@v1.7.0"),
        "golang.org/x/text@v0.3.6": (False, "prod", 10, None),
        "github.com/google/uuid@v1.3.1": (True, "prod", 9, "github.com/google/uuid@v1.3.1"),
        "stdlib@1.21.4": (True, "prod", 5, "stdlib@1.21.4"),
    },
    "cargo": {
        "tokio@1.32.0": (True, "prod", 67, "tokio@1.32.0"),
        "time@0.1.43": (True, "prod", 51, "time@0.1.43"),
        "time@0.3.28": (False, "prod", 61, "tokio@1.32.0 > time@0.3.28"),
        "libc@0.2.147": (False, "prod", 21, "time@0.1.43 > libc@0.2.147"),
    },
    "ruby": {
        "nokogiri@1.12.5": (True, "prod", 28, "nokogiri@1.12.5"),
        "activesupport@6.1.4": (False, "prod", 19, "actionpack@6.1.4 > activesupport@6.1.4"),
        "audit_log@0.2.0": (True, "prod", 6, "audit_log@0.2.0"),
    },
    "php": {
        "guzzlehttp/guzzle@7.4.4": (True, "prod", 10, "guzzlehttp/guzzle@7.4.4"),
        "symfony/http-foundation@5.4.19": (True, "prod", 52, "symfony/http-foundation@5.4.19"),
        "guzzlehttp/psr7@2.4.0": (
            False,
            "prod",
            35,
            "guzzlehttp/guzzle@7.4.4 > guzzlehttp/psr7@2.4.0",
        ),
        "phpunit/php-timer@5.0.3": (True, "dev", 84, "phpunit/php-timer@5.0.3"),
    },
    "gradle": {
        "org.apache.logging.log4j:log4j-core@2.14.1": (True, "prod", 8, None),
        "junit:junit@4.13.1": (True, "dev", 9, None),
    },
    "maven": {
        "org.apache.logging.log4j:log4j-core@2.14.1": (True, "prod", 19, None),
        "com.fasterxml.jackson.core:jackson-databind@2.12.1": (True, "prod", 24, None),
        "com.example.orders:orders-api@2.3.0": (True, "prod", 28, None),
        "junit:junit@4.13.1": (True, "dev", 38, None),
    },
    "dotnet": {
        "Newtonsoft.Json@12.0.1": (True, "prod", 5, "Newtonsoft.Json@12.0.1"),
        "Serilog@2.10.0": (False, "prod", 17, "Serilog.AspNetCore@6.1.0 > Serilog@2.10.0"),
    },
    "dart": {
        "http@0.13.6": (True, "prod", 17, "http@0.13.6"),
        "lints@2.1.1": (True, "dev", 25, "lints@2.1.1"),
        "async@2.11.0": (False, "prod", 4, None),
    },
    "swift": {
        "github.com/apple/swift-nio@2.41.0": (
            True,
            "prod",
            15,
            "github.com/apple/swift-nio@2.41.0",
        ),
    },
}


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_fixture(fixture: str) -> None:
    scan = scan_dir(FIXTURES / fixture)
    assert not scan.errors, [e.describe() for e in scan.errors]
    by_key = {f"{c.name}@{c.version}": c for c in scan.components}
    for key, (direct, scope, line, first_path) in EXPECTED[fixture].items():
        assert key in by_key, f"{key} missing; have {sorted(by_key)}"
        c = by_key[key]
        assert c.direct is direct, key
        assert c.scope == scope, key
        assert c.location is not None and c.location.start_line == line, (key, c.location)
        if first_path is not None:
            assert c.paths and " > ".join(c.paths[0]) == first_path, (key, c.paths)
        assert c.purl.startswith("pkg:"), c.purl


def test_lines_point_at_the_package(tmp_path: Path) -> None:
    """The reported line really holds the package's name (spot check on every format)."""
    for fixture in EXPECTED:
        scan = scan_dir(FIXTURES / fixture)
        for c in scan.components:
            assert c.location is not None
            if c.location.start_line == 0 or fixture in ("requirements", "go"):
                continue
            text = (FIXTURES / fixture / c.location.path).read_text().splitlines()
            line = text[c.location.start_line - 1]
            short = c.name.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
            assert short.lower() in line.lower() or c.ecosystem == "Go", (fixture, c.name, line)


def test_hashes_and_licences() -> None:
    npm = scan_dir(FIXTURES / "npm-v3").component("lodash")
    assert npm.hashes and npm.hashes[0].startswith("sha512:") and len(npm.hashes[0]) == 7 + 128
    assert npm.licenses == ("MIT",)
    poetry = scan_dir(FIXTURES / "poetry").component("flask")
    assert set(poetry.hashes) == {
        "sha256:a6209ca15eb63fc9385f38e452704113d679511d9574d09b2cf9183ae7d20dc9",
        "sha256:1c4c257b1892aec1398784c63791cbaa43062f1f7aeb555c4da961b20ee68f55",
    }
    php = scan_dir(FIXTURES / "php").component("phpunit/php-timer")
    assert php.licenses == ("BSD-3-Clause",)
    go = scan_dir(FIXTURES / "go").component("github.com/gin-gonic/gin")
    assert go.hashes and go.hashes[0].startswith("sha256:")


def test_purls() -> None:
    assert scan_dir(FIXTURES / "npm-v3").component("lodash").purl == "pkg:npm/lodash@4.17.15"
    assert (
        scan_dir(FIXTURES / "maven").component("org.apache.logging.log4j:log4j-core").purl
        == "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    )
    assert (
        scan_dir(FIXTURES / "go").component("github.com/gin-gonic/gin").purl
        == "pkg:golang/github.com/gin-gonic/gin@v1.7.0"
    )
    assert (
        scan_dir(FIXTURES / "php").component("guzzlehttp/guzzle").purl
        == "pkg:composer/guzzlehttp/guzzle@7.4.4"
    )


def test_a_path_requirement_packageurl_cannot_encode_has_no_purl(tmp_path: Path) -> None:
    # found by the fuzz test: a requirements.txt line "/" (a path) crashed in packageurl
    from pipesec.scanners.deps.ecosystems import purl

    assert purl("PyPI", "/", "") == ""
    (tmp_path / "requirements.txt").write_text("/\nflask==2.0.1\n")
    result = scan_dir(tmp_path)
    assert result.component("flask").purl == "pkg:pypi/flask@2.0.1"


def test_dependency_graph_recorded_for_sboms() -> None:
    c = scan_dir(FIXTURES / "npm-v3").component("babel-loader")
    assert c.dependencies == ("pkg:npm/loader-utils@1.4.0",)


def test_requirements_details() -> None:
    scan = scan_dir(FIXTURES / "requirements")
    names = {c.name for c in scan.components}
    # the -e of the project's own path is reported but is not a component
    assert "internal-tools" not in names
    unpinned = {
        f.component.name if f.component else f.snippet
        for f in scan.rule("deps/unpinned-dependency")
    }
    assert unpinned == {"urllib3", "itsdangerous", "six", "-e ./libs/internal-tools"}
    # -c constraints pin cryptography (declared unpinned in the included common.in)
    assert scan.component("cryptography").version == "2.9"
    assert scan.component("jinja2").hashes == (
        "sha256:74c935a1b8bb9a3947c50a54766a969d4846290e1e788ea44c1392163723c3bd",
    )


def test_maven_resolution() -> None:
    scan = scan_dir(FIXTURES / "maven")
    guava = [f for f in scan.rule("deps/unpinned-dependency") if "guava" in f.message]
    assert guava and guava[0].location.start_line == 33


def test_go_replace_and_local_modules() -> None:
    scan = scan_dir(FIXTURES / "go")
    names = {c.name for c in scan.components}
    assert "example.org/internal/auth" not in names
    assert scan.component("github.com/google/uuid").version == "v1.3.1"


def test_include_dev_false_drops_dev_packages() -> None:
    scan = scan_dir(FIXTURES / "npm-v3", include_dev=False)
    assert {c.name for c in scan.components} >= {"lodash", "babel-loader"}
    assert all(c.scope != "dev" for c in scan.components)
    assert "css-loader" not in {c.name for c in scan.components}


def test_max_paths_limits_paths(tmp_path: Path) -> None:
    scan = scan_dir(FIXTURES / "npm-v3", max_paths=1)
    assert all(len(c.paths) <= 1 for c in scan.components)
