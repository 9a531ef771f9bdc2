"""CycloneDX 1.6 output: valid against the schema (the library's validator), purls,
hashes, licences, the dependency graph, tool metadata, vulnerabilities with VEX analysis."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.core.model import (
    Component,
    Finding,
    Location,
    ScanReport,
    Severity,
    SuppressedFinding,
    Vulnerability,
)
from pipesec.core.scanner import ScannerSettings
from pipesec.core.workspace import Workspace
from pipesec.report import get_writer
from pipesec.sbom.cyclonedx import build_bom, serialize, validate
from pipesec.scanners.deps import inventory

FIXTURES = Path(__file__).parents[1] / "fixtures" / "deps"
runner = CliRunner()


def components(fixture: str) -> list[Component]:
    comps, errors = inventory(Workspace(FIXTURES / fixture, use_git=False), ScannerSettings())
    assert not errors
    return comps


ALL_FIXTURES = sorted(
    d.name
    for d in FIXTURES.iterdir()
    if d.is_dir() and d.name not in ("osv", "broken", "sbom", "vex")
)


@pytest.mark.parametrize(
    ("fixture", "fmt"),
    [(f, "json") for f in ALL_FIXTURES]
    + [(f, "xml") for f in ("npm-v3", "maven", "swift", "ruby", "requirements")],
)
def test_valid_cyclonedx_16(fixture: str, fmt: str) -> None:
    text = serialize(build_bom(components(fixture), project=fixture, tool_version="0.1.0"), fmt)  # type: ignore[arg-type]
    assert validate(text, fmt) is None  # type: ignore[arg-type]


def test_content() -> None:
    doc = json.loads(
        serialize(build_bom(components("npm-v3"), project="storefront", tool_version="9.9"))
    )
    assert doc["specVersion"] == "1.6"
    assert doc["metadata"]["component"]["name"] == "storefront"
    tools = doc["metadata"]["tools"]["components"]
    assert tools[0]["name"] == "pipesec" and tools[0]["version"] == "9.9"
    by_ref = {c["bom-ref"]: c for c in doc["components"]}
    lodash = by_ref["pkg:npm/lodash@4.17.15"]
    assert lodash["purl"] == "pkg:npm/lodash@4.17.15"
    assert lodash["licenses"] == [{"license": {"id": "MIT"}}]
    assert lodash["hashes"][0]["alg"] == "SHA-512" and len(lodash["hashes"][0]["content"]) == 128
    assert lodash["scope"] == "required"
    assert by_ref["pkg:npm/css-loader@5.2.7"]["scope"] == "excluded"  # dev
    props = {p["name"]: p["value"] for p in lodash["properties"]}
    assert props["pipesec:location"] == "package-lock.json:91"
    deps = {d["ref"]: d.get("dependsOn", []) for d in doc["dependencies"]}
    assert set(deps["project"]) == {
        "pkg:npm/babel-loader@8.2.2",
        "pkg:npm/lodash@4.17.15",
        "pkg:npm/css-loader@5.2.7",
    }
    assert deps["pkg:npm/babel-loader@8.2.2"] == ["pkg:npm/loader-utils@1.4.0"]
    assert set(deps["pkg:npm/loader-utils@1.4.0"]) == {
        "pkg:npm/big.js@5.2.2",
        "pkg:npm/emojis-list@3.0.0",
        "pkg:npm/json5@1.0.1",
    }


def test_maven_group_and_merged_duplicates() -> None:
    comps = components("maven") + components("gradle")
    doc = json.loads(serialize(build_bom(comps)))
    log4j = [c for c in doc["components"] if c["name"] == "log4j-core"]
    assert len(log4j) == 1  # one component per purl, both places recorded
    assert log4j[0]["group"] == "org.apache.logging.log4j"
    locations = [p["value"] for p in log4j[0]["properties"] if p["name"] == "pipesec:location"]
    assert sorted(locations) == ["gradle.lockfile:8", "service/pom.xml:19"]


def test_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a = serialize(build_bom(components("poetry")))
    b = serialize(build_bom(list(reversed(components("poetry")))))
    assert a == b
    assert "2023-11-14T22:13:20" in a


def test_licence_shapes() -> None:
    comps = [
        Component("npm", "a", "1.0.0", "pkg:npm/a@1.0.0", licenses=("MIT OR Apache-2.0",)),
        Component("npm", "b", "1.0.0", "pkg:npm/b@1.0.0", licenses=("Some Custom Licence",)),
        Component("npm", "c", "1.0.0", "pkg:npm/c@1.0.0", licenses=("MIT", "ISC")),
    ]
    text = serialize(build_bom(comps))
    assert validate(text) is None
    by_name = {c["name"]: c for c in json.loads(text)["components"]}
    assert by_name["a"]["licenses"] == [{"expression": "MIT OR Apache-2.0"}]
    assert by_name["b"]["licenses"] == [{"license": {"name": "Some Custom Licence"}}]
    assert by_name["c"]["licenses"] == [{"expression": "(MIT) AND (ISC)"}]


def _report() -> ScanReport:
    comp = Component(
        "PyPI", "flask", "0.12.2", "pkg:pypi/flask@0.12.2", location=Location("requirements.txt", 1)
    )
    comp2 = Component("npm", "lodash", "4.17.15", "pkg:npm/lodash@4.17.15")

    def vuln_finding(c: Component, vid: str, aliases: tuple[str, ...]) -> Finding:
        return Finding(
            rule_id="deps/vulnerable-package",
            scanner="deps",
            title="Dependency with a known vulnerability",
            message="m",
            severity=Severity.HIGH,
            location=Location("requirements.txt", 1),
            remediation="Upgrade flask to 0.12.3 or later.",
            component=c,
            vulnerability=Vulnerability(vid, aliases, "summary", Severity.HIGH, 7.5, ("0.12.3",)),
        )

    return ScanReport(
        root="/tmp/demo-app",
        components=[comp, comp2],
        findings=[vuln_finding(comp, "PYSEC-2018-66", ("CVE-2018-1000656",))],
        suppressed=[
            SuppressedFinding(
                vuln_finding(comp2, "GHSA-35jh-r3h4-6jhm", ("CVE-2021-23337",)),
                "external",
                "VEX not_affected: vulnerable_code_not_in_execute_path",
            )
        ],
        tool_version="0.1.0",
    )


@pytest.mark.parametrize("fmt", ["cyclonedx-json", "cyclonedx-xml"])
def test_report_writers(fmt: str, tmp_path: Path) -> None:
    import io

    buf = io.BytesIO()
    get_writer(fmt).write(_report(), buf)
    text = buf.getvalue().decode()
    kind = "json" if fmt.endswith("json") else "xml"
    assert validate(text, kind) is None  # type: ignore[arg-type]
    if kind == "json":
        doc = json.loads(text)
        assert doc["metadata"]["component"]["name"] == "demo-app"
        vulns = {v["id"]: v for v in doc["vulnerabilities"]}
        assert vulns["PYSEC-2018-66"]["affects"] == [{"ref": "pkg:pypi/flask@0.12.2"}]
        assert vulns["PYSEC-2018-66"]["references"][0]["id"] == "CVE-2018-1000656"
        assert vulns["GHSA-35jh-r3h4-6jhm"]["analysis"]["state"] == "not_affected"
    else:
        root = ET.fromstring(text)
        assert root.tag.endswith("bom")


def test_sbom_command(tmp_path: Path) -> None:
    out = tmp_path / "out" / "sbom.cdx.json"
    result = runner.invoke(app, ["sbom", str(FIXTURES / "poetry"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert validate(out.read_text()) is None
    assert "11 components" in result.stderr
    result = runner.invoke(app, ["sbom", str(FIXTURES / "php"), "--format", "cyclonedx-xml"])
    assert result.exit_code == 0
    assert validate(result.stdout, "xml") is None


def test_sbom_command_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sbom", str(FIXTURES / "broken"), "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 3
    assert "poetry.lock:5" in result.stderr
    assert validate((tmp_path / "s.json").read_text()) is None  # still written, without it
    result = runner.invoke(app, ["sbom", str(FIXTURES / "poetry"), "--format", "spdx"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["sbom", str(tmp_path / "missing")])
    assert result.exit_code == 2


def test_sbom_command_with_other_inputs(tmp_path: Path) -> None:
    cdx = FIXTURES / "sbom" / "registry-image.cdx.json"
    out = tmp_path / "s.json"
    result = runner.invoke(app, ["sbom", str(tmp_path), "--sbom", str(cdx), "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = {c["name"] for c in json.loads(out.read_text())["components"]}
    assert names == {"jinja2", "markupsafe", "lodash"}


def test_our_xml_sbom_reads_back_with_its_graph(tmp_path: Path) -> None:
    """An SBOM pipesec wrote (XML) is a dependency input: same components, same graph."""
    from pipesec.sbom.read import parse_sbom
    from pipesec.scanners.deps.graph import analyse

    text = serialize(build_bom(components("npm-v3")), "xml")
    result = parse_sbom(text)
    names = {(p.name, p.version) for p in result.packages}
    assert ("loader-utils", "1.4.0") in names and len(names) == 10
    place = analyse(result)
    assert place["pkg:npm/loader-utils@1.4.0"].paths[0] == (
        "babel-loader@8.2.2",
        "loader-utils@1.4.0",
    )
    json_result = parse_sbom(serialize(build_bom(components("npm-v3")), "json"))
    assert analyse(json_result)["pkg:npm/loader-utils@1.4.0"].direct is False


def test_spdx_tag_value_input() -> None:
    from pipesec.sbom.read import parse_sbom
    from pipesec.scanners.deps.graph import analyse

    text = (FIXTURES / "sbom" / "worker.spdx").read_text()
    result = parse_sbom(text)
    by = {p.name: p for p in result.packages}
    assert set(by) == {"requests", "urllib3"}
    assert by["urllib3"].licenses == ("MIT",) and by["urllib3"].hashes[0].startswith("sha256:")
    assert text.splitlines()[by["urllib3"].line - 1] == "SPDXID: SPDXRef-Package-urllib3"
    place = analyse(result)
    assert place["SPDXRef-Package-requests"].direct
    assert place["SPDXRef-Package-urllib3"].paths == (("requests@2.19.1", "urllib3@1.24.1"),)


@pytest.mark.parametrize("fixture", ALL_FIXTURES)
def test_round_trip(fixture: str) -> None:
    """What we write, we read back: the same packages, and the same direct ones."""
    from pipesec.sbom.read import parse_sbom
    from pipesec.scanners.deps.graph import analyse

    comps = components(fixture)
    result = parse_sbom(serialize(build_bom(comps)))
    wanted = {(c.ecosystem, c.name, c.version) for c in comps if c.purl}
    got = {(p.ecosystem, p.name, p.version) for p in result.packages}
    assert got == wanted
    place = analyse(result)
    direct = {(p.ecosystem, p.name, p.version) for p in result.packages if place[p.key].direct}
    assert direct == {(c.ecosystem, c.name, c.version) for c in comps if c.purl and c.direct}
