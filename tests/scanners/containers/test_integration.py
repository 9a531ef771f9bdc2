"""The whole image path with the real cataloguers: each distribution's root filesystem
fixture (containers/os tests) in a first layer, a Python package in a second, matched
against real (Ubuntu, AlmaLinux, Alpine) and synthetic (Debian, Rocky) OSV records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.scanners.containers.imagebuild import Spec, write_oci_dir
from typer.testing import CliRunner

from pipesec.cli.main import app

DISTRO = Path(__file__).parent.parent.parent / "fixtures" / "distro"
DEPS_OSV = Path(__file__).parent.parent.parent / "fixtures" / "deps" / "osv"

pytest.importorskip("pipesec.scanners.containers.os")
pytest.importorskip("pipesec.scanners.containers.installed")
if not (DISTRO / "osv").is_dir():
    pytest.skip("the distro fixtures are not there", allow_module_level=True)

CASES = {
    "debian12": ("pkg:deb/debian/", "Debian:12"),
    "ubuntu2204": ("pkg:deb/ubuntu/", "Ubuntu:22.04"),
    "alpine311": ("pkg:apk/alpine/", "Alpine:v3.11"),
    "alma9": ("pkg:rpm/almalinux/", "AlmaLinux:9"),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipesec.vulndb.store import import_records

    path = tmp_path_factory.mktemp("integ") / "osv.sqlite"
    dirs = [p for p in (DISTRO / "osv").iterdir() if p.is_dir()]
    import_records(path, [*dirs, DEPS_OSV])
    return path


def _rootfs(name: str) -> dict[str, object]:
    root = DISTRO / name
    return {
        "/" + str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.name != "README.md"
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_os_and_language_packages_of_each_family(
    name: str, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (DISTRO / name).is_dir():
        pytest.skip(f"no {name} fixture")
    purl_prefix, ecosystem = CASES[name]
    meta = "/usr/lib/python3/site-packages/Jinja2-2.10.dist-info/METADATA"
    py = {meta: b"Metadata-Version: 2.1\nName: Jinja2\nVersion: 2.10\n"}
    write_oci_dir(tmp_path / "img", Spec(layers=[_rootfs(name), py], user="1000"))
    monkeypatch.setenv("PIPESEC_DB", str(db))
    monkeypatch.setenv("PIPESEC_IMAGE_CACHE", "")
    res = CliRunner().invoke(
        app,
        ["scan", "--image", str(tmp_path / "img"), "-f", "json", "--no-progress"],
    )
    assert res.exit_code in (0, 1), res.output
    report = json.loads(res.stdout)
    comps = report["components"]
    os_comps = [c for c in comps if c["purl"].startswith(purl_prefix)]
    assert os_comps, [c["purl"] for c in comps]
    assert all("/layer-1-" in c["location"]["path"] for c in os_comps)
    assert any(c["purl"] == "pkg:pypi/jinja2@2.10" for c in comps)
    vulns = [f for f in report["findings"] if f["rule_id"] == "deps/vulnerable-package"]
    assert any(f["properties"]["ecosystem"] == "PyPI" for f in vulns)
    os_vulns = [f for f in vulns if f["properties"]["ecosystem"] == ecosystem]
    assert os_vulns  # each fixture holds a package at a version its records call affected
    for f in os_vulns:
        assert "/layer-1-" in f["location"]["path"]
        assert f["properties"]["image_digest"].startswith("sha256:")
