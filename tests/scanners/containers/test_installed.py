"""Language packages installed in an image (containers/installed): each cataloguer over a
DirectorySource holding files in the shapes the tools write them, a real Go binary, crafted
Go (pre-1.18) and cargo-auditable binaries, nested and hostile archives."""

from __future__ import annotations

import gzip
import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from pipesec.scanners.containers.installed import catalog_installed, golang, java, rust
from pipesec.scanners.containers.interface import DirectorySource, InstalledPackage

FIXTURES = Path(__file__).parents[2] / "fixtures" / "containers" / "installed"
DEPS_FIXTURES = Path(__file__).parents[2] / "fixtures" / "deps"


def put(root: Path, rel: str, data: bytes | str) -> None:
    p = root / rel.lstrip("/")
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data.encode() if isinstance(data, str) else data)


def keyed(pkgs: list[InstalledPackage]) -> set[tuple[str, str, str]]:
    return {(p.ecosystem, p.name, p.version) for p in pkgs}


# ----------------------------------------------------------------- crafted binaries


def elf(sections: dict[str, tuple[int, bytes]]) -> bytes:
    """A minimal little-endian ELF64 with the given (address, bytes) sections."""
    names = b"\x00" + b"".join(n.encode() + b"\x00" for n in [*sections, ".shstrtab"])
    body = bytearray(b"\x00" * 0x100)
    headers = [struct.pack("<IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)]
    name_off = 1
    for name, (addr, data) in sections.items():
        headers.append(
            struct.pack("<IIQQQQIIQQ", name_off, 1, 2, addr, len(body), len(data), 0, 0, 16, 0)
        )
        body += data
        name_off += len(name) + 1
    headers.append(struct.pack("<IIQQQQIIQQ", name_off, 3, 0, 0, len(body), len(names), 0, 0, 1, 0))
    body += names
    shoff = len(body)
    body += b"".join(headers)
    ident = b"\x7fELF\x02\x01\x01" + b"\x00" * 9
    head = ident + struct.pack(
        "<HHIQQQIHHHHHH", 2, 0x3E, 1, 0, 0, shoff, 0, 64, 0, 0, 64, len(headers), len(headers) - 1
    )
    body[: len(head)] = head
    return bytes(body)


SENTINEL_START = bytes.fromhex("3077af0c9274080241e1c107e6d618e6")
SENTINEL_END = bytes.fromhex("f932433186182072008242104116d8f2")
MODINFO = (
    "path\texample.com/legacy\nmod\texample.com/legacy\tv1.4.0\th1:abc=\n"
    "dep\tgithub.com/gorilla/websocket\tv1.4.0\th1:def=\n"
    "dep\tgolang.org/x/text\tv0.3.2\th1:ghi=\n=>\tgolang.org/x/text\tv0.3.8\th1:jkl=\n"
    "dep\texample.com/local\tv0.0.0\n=>\t../local\t\n"
    "dep\texample.com/vendored\tv1.0.0\n=>\t./private/vendored\t(devel)\t\n"
    "dep\texample.com/workspace\t(devel)\t\n"
)


def go_old_binary() -> bytes:
    """Go < 1.18: the blob holds pointers to string headers (read through the sections)."""
    base = 0x4C0000
    version, modinfo = b"go1.16.15", SENTINEL_START + MODINFO.encode() + SENTINEL_END
    blob = bytearray(golang.MAGIC + bytes([8, 0]))
    hdr_v, hdr_m = base + 32, base + 48
    blob += struct.pack("<QQ", hdr_v, hdr_m)
    data_v = base + 64
    data_m = data_v + len(version)
    blob += struct.pack("<QQ", data_v, len(version)) + struct.pack("<QQ", data_m, len(modinfo))
    blob += version + modinfo
    return elf({".text": (0x401000, b"\x90" * 2048), ".go.buildinfo": (base, bytes(blob))})


def go_inline_blob(version: str, modinfo: str) -> bytes:
    def vs(s: bytes) -> bytes:
        n, out = len(s), bytearray()
        while n >= 0x80:
            out.append(n & 0x7F | 0x80)
            n >>= 7
        return bytes(out) + bytes([n]) + s

    head = golang.MAGIC + bytes([8, 2]) + b"\x00" * 16
    return head + vs(version.encode()) + vs(SENTINEL_START + modinfo.encode() + SENTINEL_END)


def rust_binary(packages: list[dict[str, object]]) -> bytes:
    payload = zlib.compress(json.dumps({"packages": packages}).encode())
    return elf({".text": (0x1000, b"\x90" * 2048), ".dep-v0": (0x9000, payload)})


# ----------------------------------------------------------------- archives


def jar(entries: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def pom_props(group: str, artifact: str, version: str) -> str:
    return (
        "#Created by Apache Maven 3.8.1\n"
        f"version={version}\ngroupId={group}\nartifactId={artifact}\n"
    )


MANIFEST = "Manifest-Version: 1.0\r\nCreated-By: Maven JAR Plugin 3.2.0\r\n"


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rootfs")
    # Python: a wheel-installed package, a Debian egg-info file, a setuptools egg-info dir
    put(
        root,
        "/usr/local/lib/python3.11/site-packages/Jinja2-2.10.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: Jinja2\nVersion: 2.10\nSummary: A very fast and "
        "expressive template engine.\nLicense: BSD-3-Clause\nClassifier: Development Status"
        " :: 5 - Production/Stable\n\nJinja2\n======\nName: not-a-header\n",
    )
    put(
        root,
        "/usr/lib/python3/dist-packages/requests-2.19.1.egg-info",
        "Metadata-Version: 1.1\nName: requests\nVersion: 2.19.1\nLicense: Apache 2.0\n",
    )
    put(
        root,
        "/opt/app/src/PyYAML.egg-info/PKG-INFO",
        "Metadata-Version: 2.1\nName: PyYAML\nVersion: 5.3\nLicense: MIT\n",
    )
    # npm: top level, scoped, nested; a package.json inside a package is not one
    nm = "/usr/src/app/node_modules"
    put(
        root,
        f"{nm}/lodash/package.json",
        '{"name": "lodash", "version": "4.17.15", "license": "MIT"}',
    )
    put(root, f"{nm}/@babel/core/package.json", '{"name": "@babel/core", "version": "7.12.3"}')
    put(
        root,
        f"{nm}/babel-loader/node_modules/loader-utils/package.json",
        '{"name": "loader-utils", "version": "1.4.0", "licenses": [{"type": "MIT"}]}',
    )
    put(root, f"{nm}/lodash/fp/package.json", '{"main": "../fp.js"}')
    put(root, f"{nm}/broken/package.json", '{"name": "broken", ')
    # Go: the real binary and a crafted pre-1.18 one
    put(root, "/usr/local/bin/shop-api", gzip.decompress((FIXTURES / "shop-api.gz").read_bytes()))
    put(root, "/app/legacy", go_old_binary())
    # Rust: cargo-auditable
    put(
        root,
        "/usr/local/bin/rg",
        rust_binary(
            [
                {
                    "name": "ripgrep",
                    "version": "13.0.0",
                    "source": "crates.io",
                    "root": True,
                    "dependencies": [1, 2],
                },
                {"name": "regex", "version": "1.5.4", "source": "crates.io", "dependencies": []},
                {"name": "cc", "version": "1.0.73", "source": "crates.io", "kind": "build"},
                {"name": "mylib", "version": "0.1.0", "source": "local"},
            ]
        ),
    )
    # Java: a WAR with a nested jar, a manifest-only jar, a shaded jar
    inner = jar(
        {
            "META-INF/MANIFEST.MF": MANIFEST,
            "META-INF/maven/com.fasterxml.jackson.core/jackson-databind/pom.properties": pom_props(
                "com.fasterxml.jackson.core", "jackson-databind", "2.9.10"
            ),
        }
    )
    put(
        root,
        "/usr/local/tomcat/webapps/shop.war",
        jar({"WEB-INF/web.xml": "<web-app/>", "WEB-INF/lib/jackson-databind-2.9.10.jar": inner}),
    )
    put(
        root,
        "/opt/lib/commons-io-2.6.jar",
        jar(
            {
                "META-INF/MANIFEST.MF": MANIFEST
                + "Implementation-Title: Apache Commons IO\r\nImplementation-Version: 2.6\r\n"
                "Implementation-Vendor-Id: commons-io\r\n"
            }
        ),
    )
    put(
        root,
        "/opt/lib/app-all.jar",
        jar(
            {
                "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties": pom_props(
                    "org.apache.logging.log4j", "log4j-core", "2.14.1"
                ),
                "META-INF/maven/com.google.guava/guava/pom.properties": pom_props(
                    "com.google.guava", "guava", "31.1-jre"
                ),
            }
        ),
    )
    # .NET, Ruby, PHP
    put(
        root,
        "/app/WebApp.deps.json",
        (DEPS_FIXTURES / "deps-json" / "WebApp.deps.json").read_text(),
    )
    put(
        root,
        "/usr/local/bundle/specifications/rack-2.2.3.gemspec",
        "# -*- encoding: utf-8 -*-\n# stub: rack 2.2.3 ruby lib\n\nGem::Specification.new do |s|\n"
        '  s.name = "rack".freeze\n  s.version = "2.2.3"\n\n  s.require_paths = ["lib".freeze]\n'
        '  s.licenses = ["MIT".freeze]\n  s.summary = "a modular Ruby webserver interface".freeze\n'
        "end\n",
    )
    put(
        root,
        "/usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec",
        'Gem::Specification.new do |s|\n  s.name = "json".freeze\n  s.version = "2.6.1"\nend\n',
    )
    put(
        root,
        "/var/www/html/vendor/composer/installed.json",
        json.dumps(
            {
                "packages": [
                    {
                        "name": "guzzlehttp/guzzle",
                        "version": "7.4.0",
                        "version_normalized": "7.4.0.0",
                        "license": ["MIT"],
                    },
                    {"name": "symfony/http-foundation", "version": "v5.4.0"},
                    {"name": "acme/tools", "version": "dev-main"},
                ],
                "dev": True,
                "dev-package-names": [],
            },
            indent=4,
        ),
    )
    return root


@pytest.fixture(scope="module")
def found(image: Path) -> tuple[list[InstalledPackage], list[str]]:
    return catalog_installed(DirectorySource(image))


def test_every_ecosystem_is_found(found: tuple[list[InstalledPackage], list[str]]) -> None:
    pkgs, _ = found
    expected = {
        ("PyPI", "jinja2", "2.10"),
        ("PyPI", "requests", "2.19.1"),
        ("PyPI", "pyyaml", "5.3"),
        ("npm", "lodash", "4.17.15"),
        ("npm", "@babel/core", "7.12.3"),
        ("npm", "loader-utils", "1.4.0"),
        ("Go", "stdlib", "1.19.8"),
        ("Go", "golang.org/x/text", "v0.3.5"),
        ("Go", "stdlib", "1.16.15"),
        ("Go", "example.com/legacy", "v1.4.0"),
        ("Go", "github.com/gorilla/websocket", "v1.4.0"),
        ("Go", "golang.org/x/text", "v0.3.8"),  # the replacement, not v0.3.2
        ("crates.io", "ripgrep", "13.0.0"),
        ("crates.io", "regex", "1.5.4"),
        ("Maven", "com.fasterxml.jackson.core:jackson-databind", "2.9.10"),
        ("Maven", "commons-io:commons-io", "2.6"),
        ("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"),
        ("Maven", "com.google.guava:guava", "31.1-jre"),
        ("NuGet", "Newtonsoft.Json", "12.0.1"),
        ("NuGet", "Serilog", "2.12.0"),
        ("NuGet", "Serilog.AspNetCore", "6.1.0"),
        ("RubyGems", "rack", "2.2.3"),
        ("RubyGems", "json", "2.6.1"),
        ("Packagist", "guzzlehttp/guzzle", "7.4.0"),
        ("Packagist", "symfony/http-foundation", "5.4.0"),
    }
    assert keyed(pkgs) == expected


def test_paths_purls_and_licences(found: tuple[list[InstalledPackage], list[str]]) -> None:
    pkgs, _ = found
    by = {(p.ecosystem, p.name): p for p in pkgs}
    assert by[("Maven", "com.fasterxml.jackson.core:jackson-databind")].path == (
        "/usr/local/tomcat/webapps/shop.war"
    )
    assert by[("Go", "golang.org/x/text")].path in ("/usr/local/bin/shop-api", "/app/legacy")
    assert by[("npm", "@babel/core")].purl == "pkg:npm/%40babel/core@7.12.3"
    assert by[("Maven", "org.apache.logging.log4j:log4j-core")].purl == (
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    )
    assert by[("RubyGems", "rack")].licenses == ("MIT",)
    assert by[("npm", "loader-utils")].licenses == ("MIT",)
    assert by[("PyPI", "jinja2")].licenses == ("BSD-3-Clause",)


def test_problems_are_lines(found: tuple[list[InstalledPackage], list[str]]) -> None:
    _, problems = found
    assert problems == ["/usr/src/app/node_modules/broken/package.json: not valid JSON; not read"]


def test_matched_against_the_store(
    found: tuple[list[InstalledPackage], list[str]], tmp_path: Path
) -> None:
    """What the images scanner does with them: the same matching as the deps scanner."""
    from pipesec import vulndb
    from pipesec.vulndb.store import import_records

    deps_db = tmp_path / "osv.sqlite"
    import_records(deps_db, [DEPS_FIXTURES / "osv"])

    pkgs, _ = found
    keys = [(p.ecosystem, p.name, p.version) for p in pkgs]
    with vulndb.open_db(deps_db, unscored_severity="medium") as db:
        matches = db.match_many(keys)
    hit = {k for k, advs in matches.items() if advs}
    assert ("Go", "golang.org/x/text", "v0.3.5") in hit  # vulnerable (GO-2021-0113)
    assert ("Go", "golang.org/x/text", "v0.3.8") not in hit  # fixed
    assert ("npm", "lodash", "4.17.15") in hit and ("PyPI", "jinja2", "2.10") in hit


def test_symlinks_out_of_the_root_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    put(outside, "/node_modules/evil/package.json", '{"name": "evil", "version": "1.0.0"}')
    root = tmp_path / "root"
    root.mkdir()
    (root / "usr").symlink_to(outside)
    pkgs, problems = catalog_installed(DirectorySource(root))
    assert pkgs == [] and problems == []


def test_zip_bombs_and_deep_nesting_are_refused(tmp_path: Path) -> None:
    bomb = jar({"lib/zeros.jar": b"\x00" * (4 * 1024 * 1024)})
    nested = jar({"META-INF/maven/g/a/pom.properties": pom_props("g", "a", "1.0")})
    for i in range(java.MAX_DEPTH + 1):
        nested = jar({f"lib/level{i}.jar": nested})
    put(tmp_path, "/opt/bomb.jar", bomb)
    put(tmp_path, "/opt/deep.jar", nested)
    put(tmp_path, "/opt/notazip.jar", b"PK\x03\x04 truncated")
    put(tmp_path, "/opt/many.jar", b"PK\x01\x02" * (java.MAX_MEMBERS + 1))
    pkgs, problems = catalog_installed(DirectorySource(tmp_path))
    assert pkgs == []
    assert any("zip bomb" in p and "/opt/bomb.jar" in p for p in problems)
    assert any("nested deeper" in p for p in problems)
    assert any("/opt/notazip.jar: not a readable zip" in p for p in problems)
    assert f"/opt/many.jar: over {java.MAX_MEMBERS} members; not read" in problems


def test_go_modinfo_and_versions() -> None:
    info = golang.parse_modinfo("go1.16.15", MODINFO)
    assert info.path == "example.com/legacy" and info.main == ("example.com/legacy", "v1.4.0")
    assert info.deps == [
        ("github.com/gorilla/websocket", "v1.4.0"),
        ("golang.org/x/text", "v0.3.8"),
    ]
    assert golang.stdlib_version("go1.22") == "1.22.0"
    assert golang.stdlib_version("go1.21.5 X:boringcrypto") == "1.21.5"
    assert golang.stdlib_version("devel go1.23-abc") == ""
    assert golang.stdlib_version("go1.21rc2") == "1.21.0-rc.2"
    assert golang.stdlib_version("go1.25-20250209-RC00 cl/724970549") == "1.25.0-rc.0"


def test_go_inline_blob_in_any_container_format() -> None:
    """Found by the bounded scan where no section table names it (a PE or Mach-O file)."""
    blob = go_inline_blob("go1.21.5", "path\tx\nmod\tx\t(devel)\t\ndep\ta.b/c\tv1.2.3\th1:x=\n")
    for head in (b"MZ" + b"\x00" * 62, b"\xcf\xfa\xed\xfe" + b"\x00" * 60):
        data = head + b"\x00" * 100 + blob + b"\x00" * 64
        info = golang.read_buildinfo(data)
        assert info is not None and info.deps == [("a.b/c", "v1.2.3")]
    assert golang.read_buildinfo(b"\x7fELF" + b"\x00" * 200) is None


def test_rust_auditable_refuses_a_bomb() -> None:
    huge = zlib.compress(b"[" + b" " * (rust.MAX_JSON + 10) + b"]")
    data = elf({".dep-v0": (0x9000, huge)})
    with pytest.raises(ValueError, match="inflates past"):
        rust.read_auditable(data)
    assert rust.read_auditable(elf({".text": (0x1000, b"\x90")})) is None


def test_problem_lines_stay_one_line(tmp_path: Path) -> None:
    put(tmp_path, "/app/node_modules/x\ny/package.json", "{not json")
    _, problems = catalog_installed(DirectorySource(tmp_path))
    assert problems == ["/app/node_modules/x\\x0ay/package.json: not valid JSON; not read"]
