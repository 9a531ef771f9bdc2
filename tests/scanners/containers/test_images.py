"""Images built from files (OCI layouts, OCI archives, docker save tarballs) scanned end to
end: formats and compressions, whiteouts, secrets in layers (deleted ones too) and in the
config, every image/* rule's vulnerable and fixed example, packages matched against the
store, the layer cache, the CLI's exit codes."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from tests.scanners.containers.imagebuild import (
    OPAQUE,
    WHITEOUT,
    File,
    Link,
    Raw,
    Spec,
    write_docker_save,
    write_oci_archive,
    write_oci_dir,
)
from typer.testing import CliRunner

from pipesec.cli.main import app
from pipesec.core.model import Component, Finding, Note, ScanError
from pipesec.core.scanner import ScannerSettings
from pipesec.scanners.containers import scanner as image_scanner
from pipesec.scanners.containers.image import ImageError, Platform, open_local
from pipesec.scanners.containers.interface import InstalledPackage
from pipesec.scanners.containers.layers import index_layer, merge, spool_layer


def _token() -> str:
    from pipesec.scanners.secrets.rules import all_rules

    rule = next(r for r in all_rules() if r.id == "secrets/github-pat").to_rule()
    return rule.vulnerable_example.strip().split("=", 1)[-1].strip().strip("'\"")


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPESEC_IMAGE_CACHE", "")


def _scan(path: Path | str, **inputs: list[str]) -> list[Any]:
    from pipesec.core.workspace import Workspace
    from pipesec.scanners.containers import ContainersScanner

    settings = ScannerSettings(inputs={"image": [str(path)], **inputs}, fingerprint_key=b"k" * 16)
    ws = Workspace(Path("."), files=[], mode="image")
    return list(ContainersScanner().scan(ws, settings))


def _findings(items: list[Any]) -> list[Finding]:
    return [i for i in items if isinstance(i, Finding)]


def _rules(items: list[Any]) -> set[str]:
    return {f.rule_id for f in _findings(items)}


def _hardened(**kw: Any) -> Spec:
    """An image no image/* rule fires on: distroless-like, non-root, nothing exposed."""
    base: dict[str, Any] = {
        "/etc/os-release": b'ID=debian\nVERSION_ID="12"\n',
        "/app/server": File(b"\x7fELF\x00\x00binary", 0o755),
    }
    kw.setdefault("user", "10001")
    return Spec(layers=[base, *kw.pop("layers", [])], **kw)


def _secret_spec() -> Spec:
    return Spec(
        layers=[
            {
                "/etc/os-release": Link("../usr/lib/os-release"),
                "/usr/lib/os-release": b'ID=debian\nVERSION_ID="12"\n',
                "/bin/sh": Link("dash"),
                "/bin/dash": File(b"\x7fELF\x00", 0o755),
            },
            {"/app/.env": f"GITHUB_TOKEN={_token()}\n".encode(), "/app/main.py": b"print(1)\n"},
            {"/app/.env": WHITEOUT},
        ],
        user="app",
    )


@pytest.mark.parametrize("how", ["gzip", "zstd", "none"])
@pytest.mark.parametrize("kind", ["oci-dir", "oci-tar", "docker-save"])
def test_every_format_finds_the_deleted_secret(tmp_path: Path, kind: str, how: str) -> None:
    spec = _secret_spec()
    if kind == "oci-dir":
        digest = write_oci_dir(tmp_path / "img", spec, how=how)
        target = tmp_path / "img"
    elif kind == "oci-tar":
        digest = write_oci_archive(tmp_path / "img.tar", spec, how=how)
        target = tmp_path / "img.tar"
    else:
        if how != "none":
            pytest.skip("docker save layers are uncompressed tars")
        digest = write_docker_save(tmp_path / "img.tar", spec)
        target = tmp_path / "img.tar"
    items = _scan(target)
    assert not [i for i in items if isinstance(i, ScanError)]
    secrets = [f for f in _findings(items) if f.rule_id == "secrets/github-pat"]
    assert len(secrets) == 1
    f = secrets[0]
    assert f.scanner == "containers"
    assert f.location.path.startswith(f"image-{digest.split(':')[1][:12]}/layer-2-")
    assert f.location.path.endswith("/app/.env")
    assert "still in layer 2" in f.message
    assert f.identity.startswith(digest)
    assert f.properties["deleted_in_later_layer"] is True
    assert _token() not in json.dumps([f.message, f.snippet, f.properties], default=str)


def test_whiteouts_and_opaque_directories_shape_the_final_filesystem(tmp_path: Path) -> None:
    spec = Spec(
        layers=[
            {"/a/keep": b"1", "/a/gone": b"2", "/b/x": b"3", "/b/y": b"4", "/c/d/e": b"5"},
            {"/a/gone": WHITEOUT, "/b": OPAQUE, "/b/new": b"6", "/c/d": WHITEOUT},
            {"/c/d": b"now a file"},
        ]
    )
    write_oci_dir(tmp_path / "img", spec)
    image = open_local(str(tmp_path / "img"), Platform())
    try:
        idx = [index_layer(layer, spool_layer(image, layer)) for layer in image.layers]
    finally:
        image.close()
    merged = merge(idx)
    files = sorted(p for p, v in merged.items() if v.entry.kind == "f")
    assert files == ["/a/keep", "/b/new", "/c/d"]
    assert merged["/c/d"].layer == 2


def test_config_secrets_env_labels_and_build_args(tmp_path: Path) -> None:
    pw = "Zx" + "9qLm" + "Tr42vbN"
    spec = _hardened(
        env=["PATH=/usr/bin", f"DB_PASSWORD={pw}", "API_TOKEN_FILE=/run/secrets/t"],
        labels={"maintainer": "ops"},
        extra_history=[f"ARG NPM_TOKEN={pw}x"],
        history=[f"|1 DEPLOY_SECRET={pw}y /bin/sh -c make", "COPY . /app"],
    )
    write_oci_dir(tmp_path / "img", spec)
    found = _findings(_scan(tmp_path / "img"))
    rules = sorted(f.rule_id for f in found)
    assert "secrets/generic-password-unquoted" in rules or "image/secret-in-env" in rules
    build = [f for f in found if f.rule_id == "image/secret-in-build-arg"]
    assert {f.message.split()[2] for f in build} == {"NPM_TOKEN", "DEPLOY_SECRET"}
    text = json.dumps([(f.message, f.snippet, dict(f.properties)) for f in found], default=str)
    assert pw not in text
    assert "API_TOKEN_FILE" not in text  # a path to a secret is no secret


# -- every image/* rule: a vulnerable and a fixed image ------------------------------------

RULE_CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "image/runs-as-root": ({"user": ""}, {"user": "10001"}),
    "image/secret-in-env": (
        {"env": ["SERVICE_PASSWORD=" + "hunter2-" + "prod-Xq9"]},
        {"env": ["SERVICE_PASSWORD_FILE=/run/secrets/pw"]},
    ),
    "image/secret-in-build-arg": (
        {"history": ["|1 NPM_TOKEN=" + "npm-" + "s3cr3tvalue99 /bin/sh -c npm ci"]},
        {"history": ["RUN --mount=type=secret,id=npmrc npm ci # buildkit"]},
    ),
    "image/add-remote-url": (
        {"history": ["ADD https://example.com/tool.tgz /opt/ # buildkit"]},
        {"history": ["ADD --checksum=sha256:abc https://example.com/tool.tgz /opt/ # buildkit"]},
    ),
    "image/ssh-port-exposed": ({"ports": ["22/tcp"]}, {"ports": ["8080/tcp"]}),
    "image/shell-present": ({"layers": [{"/bin/sh": Link("busybox"), "/bin/busybox": b"x"}]}, {}),
    "image/package-manager-present": ({"layers": [{"/usr/bin/apt-get": b"\x7fELF\x00"}]}, {}),
    "image/setuid-binary": (
        {"layers": [{"/usr/bin/su": File(b"\x7fELF\x00", 0o4755)}]},
        {"layers": [{"/usr/bin/su": File(b"\x7fELF\x00", 0o755)}]},
    ),
}


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_image_rule_fires_on_vulnerable_and_not_on_fixed(tmp_path: Path, rule_id: str) -> None:
    vulnerable, fixed = RULE_CASES[rule_id]
    write_oci_dir(tmp_path / "bad", _hardened(**vulnerable))
    write_oci_dir(tmp_path / "good", _hardened(**fixed))
    assert rule_id in _rules(_scan(tmp_path / "bad"))
    assert not {r for r in _rules(_scan(tmp_path / "good")) if r.startswith("image/")}


def test_base_os_eol_from_the_distro_table(tmp_path: Path) -> None:
    pytest.importorskip("pipesec.scanners.containers.os.eol")
    write_oci_dir(tmp_path / "new", _hardened())
    assert "image/base-os-eol" not in _rules(_scan(tmp_path / "new"))
    old = {"/etc/os-release": b'PRETTY_NAME="Debian GNU/Linux 9"\nID=debian\nVERSION_ID="9"\n'}
    write_oci_dir(tmp_path / "old", Spec(layers=[old], user="1"))
    found = [f for f in _findings(_scan(tmp_path / "old")) if f.rule_id == "image/base-os-eol"]
    assert len(found) == 1 and "/layer-1-" in found[0].location.path


# -- packages ------------------------------------------------------------------------------


def test_packages_become_components_and_vulnerable_findings_with_layer_and_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_db: Path
) -> None:
    meta = "/usr/lib/python3/site-packages/jinja2-2.10.dist-info/METADATA"
    spec = _hardened(layers=[{meta: b"Name: Jinja2\nVersion: 2.10\n"}])
    write_oci_dir(tmp_path / "img", spec)

    def fake_catalog(fs: Any) -> tuple[Any, list[InstalledPackage], list[str]]:
        pkgs = [
            InstalledPackage("PyPI", "jinja2", "2.10", meta, "pkg:pypi/jinja2@2.10"),
            InstalledPackage("PyPI", "jinja2", "3.1.6", meta, "pkg:pypi/jinja2@3.1.6"),
        ]
        assert fs.origin(meta).startswith("sha256:")
        return None, pkgs, ["/var/lib/dpkg/status: line 3: not a package stanza"]

    monkeypatch.setattr(image_scanner, "catalog", fake_catalog)
    items = _scan(tmp_path / "img")
    comps = [i for i in items if isinstance(i, Component)]
    assert {c.version for c in comps} == {"2.10", "3.1.6"}
    assert all(c.location and c.location.path.endswith(meta) for c in comps)
    assert all("/layer-2-" in c.location.path for c in comps if c.location)
    vulns = [f for f in _findings(items) if f.rule_id == "deps/vulnerable-package"]
    assert vulns and {f.properties["version"] for f in vulns} == {"2.10"}
    assert all(f.properties["path_in_image"] == meta for f in vulns)
    assert any(f.properties.get("fixed_version") for f in vulns)
    assert [e.message for e in items if isinstance(e, ScanError)] == [
        "/var/lib/dpkg/status: line 3: not a package stanza"
    ]


def test_os_packages_match_by_source_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_db: Path
) -> None:
    write_oci_dir(tmp_path / "img", _hardened())
    asked: list[tuple[str, str, str]] = []

    def fake_match(db: Any, path: Any, keys: list[tuple[str, str, str]], opts: Any) -> Any:
        asked.extend(keys)
        return {}

    monkeypatch.setattr("pipesec.scanners.deps.scanner._match", fake_match)
    # the fallback without containers/os/match (the integration test covers that path)
    real = image_scanner._entry_point
    monkeypatch.setattr(
        image_scanner,
        "_entry_point",
        lambda mod, name: None if mod.endswith(".os.match") else real(mod, name),
    )
    pkg = InstalledPackage(
        "Debian:12",
        "libssl3",
        "3.0.11-1~deb12u1",
        "/var/lib/dpkg/status",
        "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?distro=debian-12",
        source_name="openssl",
    )
    monkeypatch.setattr(image_scanner, "catalog", lambda fs: (None, [pkg], []))
    _scan(tmp_path / "img")
    assert ("Debian:12", "openssl", "3.0.11-1~deb12u1") in asked
    assert ("Debian:12", "libssl3", "3.0.11-1~deb12u1") in asked


# -- platforms, hostile archives -----------------------------------------------------------


def test_multi_arch_index_picks_the_platform(tmp_path: Path) -> None:
    amd = Spec(layers=[{"/etc/amd": b"1"}], user="1", arch="amd64")
    arm = Spec(layers=[{"/etc/arm": b"1"}], user="1", arch="arm64")
    write_oci_dir(tmp_path / "img", amd, arm)
    for plat, name in (("linux/amd64", "/etc/amd"), ("linux/arm64", "/etc/arm")):
        image = open_local(str(tmp_path / "img"), Platform.parse(plat))
        try:
            idx = index_layer(image.layers[0], spool_layer(image, image.layers[0]))
        finally:
            image.close()
        assert list(idx.entries) == ["/etc", name]
    with pytest.raises(ImageError, match="no manifest for platform linux/s390x"):
        open_local(str(tmp_path / "img"), Platform.parse("linux/s390x"))


def test_hostile_members_are_refused_by_name_and_links_stay_inside(tmp_path: Path) -> None:
    spec = _hardened(
        layers=[
            {
                "/evil": Raw("../../etc/cron.d/x", data=b"pwn"),
                "/etc/os-release": Link("../../../../../../etc/hostname"),
                "/etc/hostname": b"inside\n",
            }
        ]
    )
    write_oci_dir(tmp_path / "img", spec)
    image = open_local(str(tmp_path / "img"), Platform())
    try:
        indexes = [index_layer(la, spool_layer(image, la)) for la in image.layers]
        from pipesec.scanners.containers.fs import ImageFS

        spools = image_scanner._Spools(image)
        fs = ImageFS(merge(indexes), indexes, spools.get)
        assert fs.read("/etc/os-release", 100) == b"inside\n"  # resolved in the image's root
        spools.close()
    finally:
        image.close()
    assert any("climbs out of the root" in p for p in indexes[1].problems)
    assert not (tmp_path / "etc").exists()


def test_decompression_bomb_and_tampered_blob_are_one_line_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipesec.scanners.containers import layers

    write_oci_dir(tmp_path / "img", _hardened(layers=[{"/zeros": b"\0" * (4 << 20)}]))
    monkeypatch.setattr(layers, "RATIO_FLOOR", 1 << 20)
    errors = [i for i in _scan(tmp_path / "img") if isinstance(i, ScanError)]
    assert len(errors) == 1 and "expands more than" in errors[0].message
    monkeypatch.undo()
    monkeypatch.setenv("PIPESEC_IMAGE_CACHE", "")
    # a blob whose bytes do not match its digest
    blob = next(p for p in (tmp_path / "img/blobs/sha256").iterdir() if p.stat().st_size > 1000)
    data = bytearray(blob.read_bytes())
    data[-20] ^= 1
    blob.write_bytes(bytes(data))
    errors = [i for i in _scan(tmp_path / "img") if isinstance(i, ScanError)]
    assert errors and all("\n" not in e.message for e in errors)


# -- cache -------------------------------------------------------------------------------


def test_second_scan_reuses_layer_results_but_not_for_a_tampered_blob(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIPESEC_IMAGE_CACHE", str(tmp_path / "cache"))
    write_oci_dir(tmp_path / "img", _secret_spec())
    first = _scan(tmp_path / "img")
    second = _scan(tmp_path / "img")
    notes = [n.message for n in second if isinstance(n, Note) and n.kind == "cache"]
    assert notes == ["3 of 3 layers' results taken from the cache"]
    key = lambda fs: sorted((f.rule_id, f.location.path, f.identity) for f in fs)  # noqa: E731
    assert key(_findings(first)) == key(_findings(second))
    # a planted cache entry (bad HMAC) is ignored
    for p in (tmp_path / "cache").iterdir():
        p.write_bytes(b"0" * 64 + b"\n" + p.read_bytes().split(b"\n", 1)[1])
    third = _scan(tmp_path / "img")
    assert not [n for n in third if isinstance(n, Note) and n.kind == "cache"]


# -- CLI ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("cli")
    write_docker_save(d / "app.tar", _secret_spec())
    return d / "app.tar"


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, [*args, "--no-progress", "--no-step-summary"])


def test_cli_image_alone_scans_only_the_image(cli_image: Path, tmp_path: Path) -> None:
    res = _cli("scan", "--image", str(cli_image), "-f", "json")
    assert res.exit_code == 1, res.output
    report = json.loads(res.stdout)
    assert {f["scanner"] for f in report["findings"]} == {"containers"}
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "settings.py").write_text(f'TOKEN = "{_token()}"\n')
    res = _cli("scan", str(tree), "--image", str(cli_image), "-f", "json")
    paths = {f["location"]["path"] for f in json.loads(res.stdout)["findings"]}
    assert "settings.py" in paths and any(p.startswith("image-") for p in paths)


@pytest.mark.parametrize(
    ("ref", "code", "text"),
    [
        ("UPPER/Case:tag!", 2, "not an image reference"),
        ("registry.invalid/team/app:1.0", 3, "--pull"),
    ],
)
def test_cli_ref_errors(ref: str, code: int, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no docker/podman to ask
    res = _cli("scan", "--image", ref)
    assert res.exit_code == code
    assert text in res.output
    assert "Traceback" not in res.output


def test_cli_unreadable_image_is_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tar"
    bad.write_bytes(b"not a tar at all" * 100)
    res = _cli("scan", "--image", str(bad))
    assert res.exit_code == 3 and "Traceback" not in res.output
    with tarfile.open(tmp_path / "empty.tar", "w"):
        pass
    assert _cli("scan", "--image", str(tmp_path / "empty.tar")).exit_code == 3


def test_cli_sbom_of_an_image(
    cli_image: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = InstalledPackage(
        "Alpine:v3.19", "musl", "1.2.4-r2", "/lib/apk/db/installed", "pkg:apk/alpine/musl@1.2.4-r2"
    )
    monkeypatch.setattr(image_scanner, "catalog", lambda fs: (None, [pkg], []))
    out = tmp_path / "bom.json"
    res = CliRunner().invoke(app, ["sbom", "--image", str(cli_image), "-o", str(out)])
    assert res.exit_code == 0, res.output
    bom = json.loads(out.read_text())
    assert [c["purl"] for c in bom["components"]] == ["pkg:apk/alpine/musl@1.2.4-r2"]


def test_gitlab_container_scanning_report_of_an_image(
    cli_image: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_db: Path
) -> None:
    from tests.report.test_report_gitlab import check

    meta = "/usr/lib/python3/site-packages/jinja2-2.10.dist-info/METADATA"
    pkg = InstalledPackage("PyPI", "jinja2", "2.10", meta, "pkg:pypi/jinja2@2.10")
    monkeypatch.setattr(image_scanner, "catalog", lambda fs: (None, [pkg], []))
    out = tmp_path / "cs.json"
    _cli("scan", "--image", str(cli_image), "-o", f"gitlab-container-scanning={out}")
    doc = json.loads(out.read_text())
    check(doc, "container-scanning-report-format.json")
    assert doc["vulnerabilities"]
    assert {v["location"]["dependency"]["package"]["name"] for v in doc["vulnerabilities"]} == {
        "jinja2"
    }


def test_layout_with_several_tags_and_skopeo_transports(tmp_path: Path) -> None:
    one = Spec(layers=[{"/etc/one": b"1"}], user="1")
    two = Spec(layers=[{"/etc/two": b"2"}], user="1")
    write_oci_dir(tmp_path / "img", one)
    first = json.loads((tmp_path / "img/index.json").read_text())["manifests"][0]
    write_oci_dir(tmp_path / "b", two)
    second = json.loads((tmp_path / "b/index.json").read_text())["manifests"][0]
    for blob in (tmp_path / "b/blobs/sha256").iterdir():
        (tmp_path / "img/blobs/sha256" / blob.name).write_bytes(blob.read_bytes())
    first["annotations"] = {"org.opencontainers.image.ref.name": "1.0"}
    second["annotations"] = {"org.opencontainers.image.ref.name": "2.0"}
    (tmp_path / "img/index.json").write_text(json.dumps({"manifests": [first, second]}))

    def files(ref: str) -> list[str]:
        image = open_local(ref, Platform())
        try:
            idx = index_layer(image.layers[0], spool_layer(image, image.layers[0]))
        finally:
            image.close()
        return [p for p, e in idx.entries.items() if e.kind == "f"]

    assert files(f"{tmp_path}/img:2.0") == ["/etc/two"]
    assert files(f"oci:{tmp_path}/img:1.0") == ["/etc/one"]
    assert files(str(tmp_path / "img")) == ["/etc/one"]  # untagged: the first, with a warning
    with pytest.raises(ImageError, match=r"no image tagged '3\.0'"):
        open_local(f"{tmp_path}/img:3.0", Platform())
    res = _cli("scan", "--image", f"{tmp_path}/img:2.0", "-f", "json", "--fail-on", "critical")
    assert res.exit_code == 0, res.output


def test_hard_link_to_a_lower_layer_reads_that_file(tmp_path: Path) -> None:
    from pipesec.scanners.containers.fs import ImageFS

    spec = Spec(
        layers=[
            {"/usr/bin/python3.11": b"interp"},
            {
                "/usr/bin/python3": Raw(
                    "usr/bin/python3", tarfile.LNKTYPE, linkname="usr/bin/python3.11"
                )
            },
        ]
    )
    write_oci_dir(tmp_path / "img", spec)
    image = open_local(str(tmp_path / "img"), Platform())
    spools = image_scanner._Spools(image)
    try:
        indexes = [index_layer(la, spools.get(i)) for i, la in enumerate(image.layers)]
        fs = ImageFS(merge(indexes), indexes, spools.get)
        assert "/usr/bin/python3" in list(fs.paths())
        assert fs.read("/usr/bin/python3", 100) == b"interp"
    finally:
        spools.close()
        image.close()


def test_local_docker_image_is_exported_through_the_cli(
    cli_image: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat as st

    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake = bindir / "docker"
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$2" = inspect ]; then [ "$6" = team/app:1.0 ] && exit 0; exit 1; fi\n'
        f'if [ "$2" = save ]; then cp {cli_image} "$4"; exit 0; fi\n'
        "exit 2\n"
    )
    fake.chmod(fake.stat().st_mode | st.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}/usr/bin:/bin")
    res = _cli("scan", "--image", "team/app:1.0", "-f", "json")
    assert res.exit_code == 1, res.output
    report = json.loads(res.stdout)
    assert any(f["rule_id"] == "secrets/github-pat" for f in report["findings"])
    missing = _cli("scan", "--image", "team/other:1.0")
    assert missing.exit_code == 3 and "docker do(es) not have it locally" in missing.output


def test_cli_image_findings_are_kept_in_pr_mode(cli_image: Path, tmp_path: Path) -> None:
    from tests.conftest import git

    tree = tmp_path / "repo"
    tree.mkdir()
    git(tree, "init", "-q")
    (tree / "app.py").write_text("print(1)\n")
    git(tree, "add", "app.py")
    git(tree, "commit", "-q", "-m", "one")
    res = _cli("scan", str(tree), "--diff-base", "HEAD", "--image", str(cli_image), "-f", "json")
    rules = {f["rule_id"] for f in json.loads(res.stdout)["findings"]}
    assert "secrets/github-pat" in rules, res.output
