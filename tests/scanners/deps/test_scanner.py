"""The deps scanner end to end on fixtures and a small database of real OSV records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipesec.core.model import Severity

from .conftest import FIXTURES, scan_dir, scan_files


def test_vulnerable_direct_dependency(tmp_path: Path, deps_db: Path) -> None:
    scan = scan_files(tmp_path, {"requirements.txt": "flask==0.12.2\n"}, deps_db)
    vulns = scan.rule("deps/vulnerable-package")
    ids = {f.vulnerability.id for f in vulns if f.vulnerability}
    assert {"PYSEC-2018-66", "PYSEC-2019-179", "PYSEC-2023-62"} <= ids
    f = next(f for f in vulns if f.vulnerability and f.vulnerability.id == "PYSEC-2018-66")
    assert f.location.path == "requirements.txt" and f.location.start_line == 1
    # aliases merged into one finding: one finding per flaw, every id listed
    assert "CVE-2018-1000656" in f.vulnerability.aliases
    assert "GHSA-562c-5r94-xh97" in f.vulnerability.aliases
    assert f.properties["fixed_version"] == "0.12.3"
    assert "Upgrade flask to 0.12.3" in f.remediation
    assert f.properties["severity_assumed"] is True
    assert "assumed" in f.message
    assert f.component is not None and f.component.purl == "pkg:pypi/flask@0.12.2"
    # one finding per component + flaw
    keys = [
        (f.component.name, f.vulnerability.id) for f in vulns if f.component and f.vulnerability
    ]
    assert len(keys) == len(set(keys))


def test_smallest_fix_above_installed(tmp_path: Path, deps_db: Path) -> None:
    scan = scan_files(tmp_path, {"requirements.txt": "flask==2.2.0\n"}, deps_db)
    f = next(
        f
        for f in scan.rule("deps/vulnerable-package")
        if f.vulnerability and (f.vulnerability.id == "PYSEC-2023-62")
    )
    assert f.properties["fixed_version"] == "2.2.5"


def test_transitive_names_path_and_direct_dependency(deps_db: Path) -> None:
    scan = scan_dir(FIXTURES / "npm-v3", deps_db)
    found = [
        f
        for f in scan.rule("deps/vulnerable-package")
        if f.component and f.component.name == "loader-utils" and f.component.version == "1.4.0"
    ]
    assert len(found) == 1
    f = found[0]
    assert f.severity is Severity.CRITICAL
    assert f.properties["direct_dependency"] == "babel-loader@8.2.2"
    assert f.properties["paths"] == ["babel-loader@8.2.2 > loader-utils@1.4.0"]
    assert "upgrade babel-loader@8.2.2 to a release that requires loader-utils" in f.remediation
    assert f.location.start_line == 80
    # the dev copy (2.0.0) is its own finding
    dev = [
        f
        for f in scan.rule("deps/vulnerable-package")
        if f.component and f.component.version == "2.0.0"
    ]
    assert dev and dev[0].properties["fixed_version"] == "2.0.3"
    assert dev[0].component is not None and dev[0].component.scope == "dev"


def test_fix_of_a_transitive_package(tmp_path: Path, deps_db: Path) -> None:
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"dependencies": {"babel-loader": "8.2.2"}},
            "node_modules/babel-loader": {
                "version": "8.2.2",
                "dependencies": {"loader-utils": "^1.4.0"},
            },
            "node_modules/loader-utils": {"version": "1.4.0"},
        },
    }
    scan = scan_files(tmp_path, {"package-lock.json": json.dumps(lock, indent=2)}, deps_db)
    (f,) = scan.rule("deps/vulnerable-package")
    assert f.properties["fixed_version"] == "1.4.1"
    assert f.remediation.endswith("requires loader-utils >= 1.4.1, or pin loader-utils to 1.4.1.")


def test_two_versions_of_one_package_get_their_own_fix(deps_db: Path) -> None:
    scan = scan_dir(FIXTURES / "npm-v3", deps_db)
    fixes = {
        f.component.version: f.properties["fixed_version"]
        for f in scan.rule("deps/vulnerable-package")
        if f.component and f.component.name == "loader-utils"
    }
    assert fixes == {"1.4.0": "1.4.1", "2.0.0": "2.0.3"}


def test_go_module_matched(deps_db: Path) -> None:
    scan = scan_dir(FIXTURES / "go", deps_db)
    ids = {
        (f.component.name, f.vulnerability.id)
        for f in scan.rule("deps/vulnerable-package")
        if f.component and f.vulnerability
    }
    assert ("github.com/gin-gonic/gin", "GO-2021-0052") in ids
    assert ("golang.org/x/text", "GO-2021-0113") in ids
    text = next(
        f
        for f in scan.rule("deps/vulnerable-package")
        if f.vulnerability and f.vulnerability.id == "GO-2021-0113"
    )
    assert text.properties["fixed_version"] == "v0.3.7"


def test_missing_database_is_one_error_with_the_fix(tmp_path: Path) -> None:
    scan = scan_files(
        tmp_path,
        {"requirements.txt": "flask==0.12.2\n", "web/package-lock.json": _tiny_npm()},
        tmp_path / "nowhere" / "osv.sqlite",
    )
    assert len(scan.errors) == 1
    message = scan.errors[0].message
    assert "pipesec db sync --db" in message and "db import" not in message
    # the inventory is still there
    assert {c.name for c in scan.components} == {"flask", "lodash"}


def test_no_dependency_inputs_needs_no_database(tmp_path: Path) -> None:
    scan = scan_files(tmp_path, {"app.py": "print('hi')\n"}, tmp_path / "none.sqlite")
    assert scan.items == []


def test_malformed_lockfile_is_a_precise_error_and_the_rest_goes_on(deps_db: Path) -> None:
    scan = scan_dir(FIXTURES / "broken", deps_db)
    errors = {e.path: e for e in scan.errors}
    assert set(errors) == {"package-lock.json", "poetry.lock"}
    assert errors["poetry.lock"].line == 5
    assert "invalid TOML" in errors["poetry.lock"].message
    assert errors["package-lock.json"].line > 0
    assert "invalid JSON" in errors["package-lock.json"].message
    assert scan.rule("deps/vulnerable-package"), "requirements.txt still scanned"


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("package-lock.json", '{"lockfileVersion": 7}', "unsupported lockfileVersion 7"),
        ("uv.lock", "version = 9\n", "unsupported uv.lock version 9"),
        ("pnpm-lock.yaml", "lockfileVersion: '3.0'\n", "unsupported lockfileVersion"),
        ("Cargo.lock", "version = 99\n", "unsupported Cargo.lock version"),
        ("packages.lock.json", '{"version": 5, "dependencies": {}}', "unsupported"),
        ("Package.resolved", '{"version": 9, "pins": []}', "unsupported Package.resolved"),
        ("pom.xml", "<project><dependencies>", "invalid XML"),
        ("pubspec.lock", "packages: [1, 2\n", "invalid YAML"),
        ("Gemfile.lock", "just some text\n", "not a Gemfile.lock"),
        ("composer.lock", '{"packages": 3}', "not a composer.lock"),
        ("Pipfile.lock", "[]", "not a Pipfile.lock"),
    ],
)
def test_unknown_versions_and_broken_files(
    tmp_path: Path, deps_db: Path, name: str, text: str, fragment: str
) -> None:
    scan = scan_files(tmp_path, {name: text}, deps_db)
    assert len(scan.errors) == 1, [e.describe() for e in scan.errors]
    assert fragment in scan.errors[0].message
    assert scan.errors[0].path == name


def test_xml_entities_refused(tmp_path: Path, deps_db: Path) -> None:
    pom = (
        '<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<project><artifactId>&x;</artifactId></project>\n"
    )
    scan = scan_files(tmp_path, {"pom.xml": pom}, deps_db)
    assert len(scan.errors) == 1 and "DOCTYPE" in scan.errors[0].message


def test_unparseable_version_is_a_low_could_not_evaluate(tmp_path: Path, deps_db: Path) -> None:
    scan = scan_files(tmp_path, {"requirements.txt": "flask===internal-build-7\n"}, deps_db)
    found = scan.rule("deps/could-not-evaluate")
    assert len(found) == 1
    assert found[0].severity is Severity.LOW
    assert found[0].location.start_line == 1


def test_bad_entry_is_a_finding_not_a_crash(tmp_path: Path, deps_db: Path) -> None:
    scan = scan_files(
        tmp_path, {"requirements.txt": "flask==0.12.2\nnot a valid ^^ requirement\n"}, deps_db
    )
    bad = scan.rule("deps/could-not-evaluate")
    assert len(bad) == 1 and bad[0].location.start_line == 2
    assert scan.rule("deps/vulnerable-package")


def test_unpinned(tmp_path: Path, deps_db: Path) -> None:
    scan = scan_files(
        tmp_path,
        {
            "requirements.txt": "requests>=2.0\n-e git+https://github.com/psf/requests#egg=requests\n"
        },
        deps_db,
    )
    found = scan.rule("deps/unpinned-dependency")
    assert [f.location.start_line for f in found] == [1, 2]
    assert all(f.severity is Severity.LOW for f in found)


def test_pyproject_ignored_when_a_lock_is_next_to_it(deps_db: Path) -> None:
    scan = scan_dir(FIXTURES / "poetry", deps_db)
    assert {c.location.path for c in scan.components if c.location} == {"poetry.lock"}
    assert not scan.rule("deps/unpinned-dependency")


def test_sbom_inputs(deps_db: Path) -> None:
    cdx = FIXTURES / "sbom" / "registry-image.cdx.json"
    spdx = FIXTURES / "sbom" / "worker.spdx.json"
    scan = scan_dir(FIXTURES / "vex", deps_db, inputs={"sbom": [str(cdx), str(spdx)]})
    names = {(c.ecosystem, c.name, c.version) for c in scan.components}
    assert ("PyPI", "jinja2", "2.10") in names
    assert ("npm", "lodash", "4.17.15") in names
    assert ("PyPI", "urllib3", "1.24.1") in names
    assert ("Go", "github.com/gin-gonic/gin", "v1.7.0") in names
    assert not any(c.name == "openssl" for c in scan.components)  # deb: not matched here
    assert any("1 deb" in n.message and n.path.endswith(".cdx.json") for n in scan.notes)
    markup = scan.component("markupsafe")
    assert markup.direct is False and markup.paths == (("jinja2@2.10", "markupsafe@1.1.1"),)
    assert markup.licenses == ("BSD-3-Clause",)
    urllib3 = scan.component("urllib3")
    assert urllib3.paths == (("requests@2.19.1", "urllib3@1.24.1"),)
    vulns = {
        (f.component.name, f.vulnerability.id)
        for f in scan.rule("deps/vulnerable-package")
        if f.component and f.vulnerability
    }
    assert ("jinja2", "PYSEC-2019-217") in vulns
    assert ("lodash", "GHSA-35jh-r3h4-6jhm") in vulns


def test_vex_not_affected_suppresses(deps_db: Path, tmp_path: Path) -> None:
    vex = FIXTURES / "vex" / "openvex.json"
    scan = scan_dir(FIXTURES / "npm-v3", deps_db, inputs={"vex": [str(vex)]})
    lodash = [
        f
        for f in scan.rule("deps/vulnerable-package")
        if f.component and (f.component.name == "lodash")
    ]
    assert len(lodash) == 1
    assert "vulnerable_code_not_in_execute_path" in lodash[0].properties["suppressed"]
    # "affected" statements do not suppress
    loader = [
        f
        for f in scan.rule("deps/vulnerable-package")
        if f.component and (f.component.version == "1.4.0")
    ]
    assert loader and "suppressed" not in loader[0].properties


def test_cyclonedx_vex_by_alias(deps_db: Path) -> None:
    vex = FIXTURES / "vex" / "cyclonedx-vex.json"
    scan = scan_dir(FIXTURES / "pylock", deps_db, inputs={"vex": [str(vex)]})
    f = next(
        f
        for f in scan.rule("deps/vulnerable-package")
        if f.vulnerability and (f.vulnerability.id == "PYSEC-2023-212")
    )
    assert "code_not_reachable" in f.properties["suppressed"]


def test_broken_vex_is_an_error(deps_db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.vex.json"
    bad.write_text("{not json")
    scan = scan_dir(FIXTURES / "npm-v3", deps_db, inputs={"vex": [str(bad)]})
    assert any("invalid JSON" in e.message for e in scan.errors)


def test_licences(tmp_path: Path, deps_db: Path) -> None:
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"dependencies": {"a": "1.0.0", "b": "1.0.0", "c": "1.0.0"}},
            "node_modules/a": {"version": "1.0.0", "license": "AGPL-3.0-only"},
            "node_modules/b": {"version": "1.0.0", "license": "(MIT OR AGPL-3.0-only)"},
            "node_modules/c": {"version": "1.0.0"},
        },
    }
    files = {"package-lock.json": json.dumps(lock, indent=2)}
    scan = scan_files(tmp_path, files, deps_db, deny_licenses=["AGPL-*"])
    denied = scan.rule("deps/license-denied")
    assert [f.component.name for f in denied if f.component] == ["a"]
    assert denied[0].location.start_line == 11
    unknown = scan.rule("deps/license-unknown")
    assert len(unknown) == 1 and unknown[0].severity is Severity.INFO
    assert "1 package(s)" in unknown[0].message
    # with an allow list, each unknown licence is its own finding and "not allowed" is denied
    scan = scan_files(tmp_path, files, deps_db, allow_licenses=["MIT"])
    assert {f.component.name for f in scan.rule("deps/license-denied") if f.component} == {"a"}
    assert [f.component.name for f in scan.rule("deps/license-unknown") if f.component] == ["c"]


def test_python_env(tmp_path: Path, deps_db: Path) -> None:
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    for name, version, extra in (
        ("Flask", "0.12.2", "Requires-Dist: Jinja2>=2.4\nLicense-Expression: BSD-3-Clause\n"),
        ("Jinja2", "2.10", "Classifier: License :: OSI Approved :: BSD License\n"),
    ):
        d = site / f"{name}-{version}.dist-info"
        d.mkdir(parents=True)
        (d / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{extra}"
        )
    root = tmp_path / "proj"
    root.mkdir()
    scan = scan_dir(root, deps_db, inputs={"python_env": [str(tmp_path / "venv")]})
    flask = scan.component("flask")
    assert flask.direct and flask.licenses == ("BSD-3-Clause",)
    jinja = scan.component("jinja2")
    assert not jinja.direct and jinja.paths == (("flask@0.12.2", "jinja2@2.10"),)
    assert jinja.licenses == ("BSD-3-Clause",)
    assert any(
        f.component and f.component.name == "jinja2" for f in scan.rule("deps/vulnerable-package")
    )
    bad = scan_dir(root, deps_db, inputs={"python_env": [str(tmp_path / "nope")]})
    assert len(bad.errors) == 1


def test_stale_database_is_a_note(tmp_path: Path, deps_db: Path) -> None:
    scan = scan_files(tmp_path, {"requirements.txt": "flask==0.12.2\n"}, deps_db)
    assert any(n.kind == "stale-db" for n in scan.notes)
    scan = scan_files(
        tmp_path, {"requirements.txt": "flask==0.12.2\n"}, deps_db, max_db_age_days=1e9
    )
    assert not any(n.kind == "stale-db" for n in scan.notes)


def test_never_reads_outside_the_tree(tmp_path: Path, deps_db: Path) -> None:
    (tmp_path / "secret.txt").write_text("leaked==1.0\n")
    scan = scan_files(tmp_path / "proj", {"requirements.txt": "-r ../secret.txt\n"}, deps_db)
    assert not scan.components
    assert scan.rule("deps/could-not-evaluate")


def _tiny_npm() -> str:
    return json.dumps(
        {
            "lockfileVersion": 3,
            "packages": {
                "": {"dependencies": {"lodash": "4.17.15"}},
                "node_modules/lodash": {"version": "4.17.15"},
            },
        },
        indent=2,
    )


def test_git_only_advisory_is_could_not_evaluate(tmp_path: Path) -> None:
    from pipesec.vulndb.store import import_records

    record = {
        "id": "PYSEC-0000-TEST",
        "modified": "2024-01-01T00:00:00Z",
        "summary": "a flaw only described by commits",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "gitonly"},
                "ranges": [
                    {
                        "type": "GIT",
                        "repo": "https://example.com/gitonly.git",
                        "events": [{"introduced": "0"}, {"fixed": "abc123"}],
                    }
                ],
            }
        ],
    }
    (tmp_path / "rec").mkdir()
    (tmp_path / "rec" / "PYSEC-0000-TEST.json").write_text(json.dumps(record))
    db = tmp_path / "db.sqlite"
    import_records(db, [tmp_path / "rec"])
    scan = scan_files(tmp_path / "proj", {"requirements.txt": "gitonly==1.0\n"}, db)
    found = scan.rule("deps/could-not-evaluate")
    assert len(found) == 1 and "PYSEC-0000-TEST" in found[0].message
    assert not scan.rule("deps/vulnerable-package")


def test_lock_files_over_max_file_size_are_still_read(tmp_path: Path, deps_db: Path) -> None:
    from pipesec.core.scanner import ScannerSettings
    from pipesec.core.workspace import Workspace
    from pipesec.scanners.deps import DepsScanner, DepsSettings

    (tmp_path / "requirements.txt").write_text("# padding\n" * 200 + "flask==0.12.2\n")
    ws = Workspace(tmp_path, use_git=False, max_file_size=100)
    opts = DepsSettings.model_validate({"db": str(deps_db)}).model_dump()
    items = list(DepsScanner().scan(ws, ScannerSettings(options=opts)))
    comps = [i for i in items if getattr(i, "name", None) == "flask"]
    assert comps and comps[0].location.start_line == 201


def test_uv_workspace_members_are_covered_by_the_root_lock(tmp_path: Path, deps_db: Path) -> None:
    lock = (FIXTURES / "uv" / "uv.lock").read_text()
    files = {
        "pyproject.toml": '[project]\nname = "root"\n[tool.uv.workspace]\nmembers = ["libs/*"]\n',
        "uv.lock": lock,
        "libs/core/pyproject.toml": '[project]\nname = "core"\ndependencies = ["requests>=2"]\n',
    }
    scan = scan_files(tmp_path, files, deps_db)
    assert not scan.rule("deps/unpinned-dependency")
    assert {c.location.path for c in scan.components if c.location} == {"uv.lock"}


def test_every_direct_dependency_that_pulls_it_in_is_named(tmp_path: Path, deps_db: Path) -> None:
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"dependencies": {"a": "1.0.0", "b": "1.0.0"}},
            "node_modules/a": {"version": "1.0.0", "dependencies": {"lodash": "^4"}},
            "node_modules/b": {"version": "1.0.0", "dependencies": {"lodash": "^4"}},
            "node_modules/lodash": {"version": "4.17.15"},
        },
    }
    scan = scan_files(tmp_path, {"package-lock.json": json.dumps(lock, indent=2)}, deps_db)
    (f,) = scan.rule("deps/vulnerable-package")
    assert f.properties["direct_dependencies"] == ["a@1.0.0", "b@1.0.0"]
    assert "upgrade a@1.0.0 and b@1.0.0 to a release that requires lodash >= 4.17.21" in (
        f.remediation
    )


def test_swift_urls_match_every_spelling(tmp_path: Path) -> None:
    from pipesec.vulndb.store import import_records

    def record(vid: str, name: str) -> dict[str, object]:
        return {
            "id": vid,
            "modified": "2024-01-01T00:00:00Z",
            "affected": [
                {
                    "package": {"ecosystem": "SwiftURL", "name": name},
                    "ranges": [
                        {"type": "SEMVER", "events": [{"introduced": "2.0.0"}, {"fixed": "2.42.0"}]}
                    ],
                }
            ],
        }

    (tmp_path / "rec").mkdir()
    for vid, name in (
        ("GHSA-aaaa-bbbb-cccc", "github.com/apple/swift-nio"),
        ("GHSA-dddd-eeee-ffff", "https://github.com/apple/swift-nio.git"),
    ):
        (tmp_path / "rec" / f"{vid}.json").write_text(json.dumps(record(vid, name)))
    db = tmp_path / "db.sqlite"
    import_records(db, [tmp_path / "rec"])
    resolved = (FIXTURES / "swift" / "Package.resolved").read_text()
    scan = scan_files(tmp_path / "proj", {"Package.resolved": resolved}, db)
    ids = {f.vulnerability.id for f in scan.rule("deps/vulnerable-package") if f.vulnerability}
    assert ids == {"GHSA-aaaa-bbbb-cccc", "GHSA-dddd-eeee-ffff"}


def test_credentials_in_lock_files_never_reach_findings(tmp_path: Path, deps_db: Path) -> None:
    token = "ghp_" + "Z7qX9kLm2Np4Rt6Vw8Yb" + "1Cd3Ef5Gh7Jk9Lm0"
    password = "s3cr" + "et-pa55"
    text = (
        f"private @ git+https://ci:{token}@github.com/acme/private.git@main\n"
        f"https://deploy:{password}@pypi.acme.example/simple/pkg-1.0.tar.gz#egg=pkg\n"
        f"broken ^^ {token}\n"
        f"flask==0.12.2 --index-url=https://{token}@pypi.acme.example\n"
    )
    scan = scan_files(tmp_path, {"requirements.txt": text}, deps_db)
    assert len(scan.rule("deps/unpinned-dependency")) == 2
    assert scan.rule("deps/could-not-evaluate")
    for f in scan.findings:
        for field in (f.message, f.snippet, f.identity, json.dumps(dict(f.properties))):
            assert token not in field and password not in field, field
